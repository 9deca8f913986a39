"""The blind listening test of a role-play session: the coach picks two takes; the app plays them
as "Take 1" and "Take 2" in a random order; each participant says which they would return and
why. Labels (the takes' script variants) appear only once every participant has rated, and
:class:`voicemail_coach.storage.blind_tests.BlindTests` refuses to reveal them to anyone before
their own rating is saved."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from voicemail_coach.app.dates import to_local
from voicemail_coach.audio.io import AudioLoadError, load_audio
from voicemail_coach.audio.playback import PlaybackError, Player
from voicemail_coach.storage.blind_tests import BlindTest, BlindTests
from voicemail_coach.storage.coaching_records import Session
from voicemail_coach.storage.records import Attempt, LibraryError


def take_name(attempt: Attempt) -> str:
    """A take as the coach picks it: number, who and when; never its title or variant."""
    moment = to_local(attempt.created_at)
    when = f"{moment:%H:%M}" if moment is not None else ""
    who = attempt.participant or "someone"
    return f"Take #{attempt.id} \u00b7 {who} \u00b7 {when}"


class BlindTestDialog(QDialog):
    def __init__(
        self,
        blind: BlindTests,
        session: Session,
        takes: list[Attempt],
        player: Player | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.blind = blind
        self.session = session
        self.player = player
        self.current: BlindTest | None = None
        self.setWindowTitle(f"Blind listening test \u2014 {session.name}")
        self.setMinimumWidth(560)
        intro = QLabel(
            "Pick two takes. They are played as Take 1 and Take 2 in a random order, with their "
            "script variants hidden until everyone has rated."
        )
        intro.setWordWrap(True)
        self.first = QComboBox()
        self.second = QComboBox()
        for combo, name in ((self.first, "First take"), (self.second, "Second take")):
            combo.setAccessibleName(name)
            for attempt in takes:
                combo.addItem(take_name(attempt), attempt.id)
        self.second.setCurrentIndex(min(1, self.second.count() - 1))
        self.start = QPushButton("Start the test")
        self.start.clicked.connect(self.start_test)
        pick = QFormLayout()
        pick.addRow("One take", self.first)
        pick.addRow("The other", self.second)

        self.test_box = QGroupBox("Listen, then rate")
        self.play_buttons = [QPushButton("\u25b6 Play take 1"), QPushButton("\u25b6 Play take 2")]
        for n, button in enumerate(self.play_buttons):
            button.clicked.connect(lambda _c=False, n=n: self.play(n))
        stop = QPushButton("Stop")
        stop.clicked.connect(self.stop)
        plays = QHBoxLayout()
        for button in (*self.play_buttons, stop):
            plays.addWidget(button)
        self.participant = QComboBox()
        self.participant.setEditable(True)
        self.participant.setAccessibleName("Who is rating")
        self.participant.addItems(list(session.participants))
        self.choice = QButtonGroup(self)
        choices = QHBoxLayout()
        for n in (1, 2):
            radio = QRadioButton(f"I would return take {n}")
            self.choice.addButton(radio, n)
            choices.addWidget(radio)
        self.reason = QLineEdit()
        self.reason.setAccessibleName("Why")
        self.reason.setPlaceholderText("Why? e.g. the value came first, the ask was easy")
        self.save = QPushButton("Save rating")
        self.save.clicked.connect(self.save_rating)
        self.status = QLabel()
        self.status.setObjectName("blindStatus")
        self.status.setWordWrap(True)
        self.reveal_button = QPushButton("Reveal the labels")
        self.reveal_button.clicked.connect(self.reveal)
        self.revealed = QLabel()
        self.revealed.setObjectName("blindRevealed")
        self.revealed.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Who", self.participant)
        form.addRow("", _wrap(choices))
        form.addRow("Why", self.reason)
        test = QVBoxLayout(self.test_box)
        test.addLayout(plays)
        test.addLayout(form)
        test.addWidget(self.save)
        test.addWidget(self.status)
        test.addWidget(self.reveal_button)
        test.addWidget(self.revealed)
        self.test_box.setEnabled(False)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(pick)
        layout.addWidget(self.start)
        layout.addWidget(self.test_box)
        self._update()

    def start_test(self) -> BlindTest | None:
        try:
            self.current = self.blind.create(
                self.session.id, int(self.first.currentData()), int(self.second.currentData())
            )
        except LibraryError as exc:
            self.status.setText(str(exc))
            return None
        self.first.setEnabled(False)
        self.second.setEnabled(False)
        self.start.setEnabled(False)
        self.test_box.setEnabled(True)
        self.status.setText("Play both takes, then each person rates in turn.")
        self._update()
        return self.current

    def play(self, index: int) -> None:
        if self.current is None or self.player is None:
            return
        try:
            audio = load_audio(self.current.audio_paths[index])
            self.player.pause()
            self.player.load(audio.samples, audio.sample_rate)
            self.player.play()
        except (AudioLoadError, PlaybackError) as exc:
            self.status.setText(f"Cannot play take {index + 1}: {exc}")

    def stop(self) -> None:
        if self.player is not None:
            self.player.pause()

    def save_rating(self) -> None:
        if self.current is None:
            return
        who, chosen = self.participant.currentText(), self.choice.checkedId()
        try:
            self.blind.rate(self.current.id, who, chosen, self.reason.text())
        except LibraryError as exc:
            self.status.setText(str(exc))
            return
        # The room hears what was chosen, not what it was: labels wait for everyone.
        self.status.setText(f"Saved: {who} would return take {chosen}.")
        self.reason.clear()
        button = self.choice.checkedButton()
        if button is not None:
            self.choice.setExclusive(False)
            button.setChecked(False)
            self.choice.setExclusive(True)
        self.current = self.blind.test(self.current.id)
        self._update()

    def reveal(self) -> None:
        if self.current is None or not self._everyone_rated():
            return
        shown = self.blind.reveal(self.current.id, self.current.raters[-1])
        lines = [f"Take 1 was {shown.labels[0]}; take 2 was {shown.labels[1]}."]
        for p in self.blind.results(self.session.id):
            lines.append(f"{p.label}: chosen {p.chosen.text()} in this session's blind tests.")
        self.revealed.setText("\n".join(lines))

    def _everyone_rated(self) -> bool:
        if self.current is None or not self.current.raters:
            return False
        return set(self.session.participants) <= set(self.current.raters)

    def _update(self) -> None:
        self.start.setEnabled(self.current is None and self.first.count() >= 2)
        self.reveal_button.setEnabled(self._everyone_rated())
        if self.current is not None and not self._everyone_rated():
            waiting = [p for p in self.session.participants if p not in self.current.raters]
            self.reveal_button.setToolTip(f"Waiting for {', '.join(waiting)}")


def _wrap(layout: QHBoxLayout) -> QWidget:
    widget = QWidget()
    widget.setLayout(layout)
    layout.setContentsMargins(0, 0, 0, 0)
    return widget
