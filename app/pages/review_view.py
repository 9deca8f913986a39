"""The feedback page: key moments at a glance, timeline with playback, scorecard, transcript."""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QPalette, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from voicemail_coach.analysis.report import Check, Report
from voicemail_coach.app.controller import Feedback
from voicemail_coach.app.widgets.coach_panel import CoachPanel
from voicemail_coach.app.widgets.colors import (
    STATUS_COLORS,
    STATUS_SYMBOLS,
    category_color,
    category_label,
    muted_text,
)
from voicemail_coach.app.widgets.no_message import NoMessagePanel
from voicemail_coach.app.widgets.player_bar import PlayerBar
from voicemail_coach.app.widgets.scorecard import Scorecard
from voicemail_coach.app.widgets.timeline import Timeline
from voicemail_coach.app.widgets.transcript_view import TranscriptView
from voicemail_coach.app.widgets.trimmed import TrimmedNote

CTA_KINDS = {"follow_up": "follow-up", "callback": "callback", "email": "email"}
# Default shares of the page's width: scorecard and transcript; with the coach panel open, the
# transcript keeps half (the coach comments on what was said) where the scorecard keeps room.
SPLIT = (0.5, 0.5)
SPLIT_COACH = (0.23, 0.53, 0.24)
# The scorecard's narrowest by default: the mark and margins, then this many characters.
SCORECARD_MARGIN = 110
SCORECARD_CHARS = 38
# The timeline's height: this share of the page's, between these limits.
TIMELINE_SHARE = 0.19
TIMELINE_MIN_H, TIMELINE_MAX_H = 110, 170
SEP = "&nbsp;&nbsp;&nbsp; "  # the plain space is where a narrow window may wrap
# Work waiting for the page's paint runs after this long all the same: a minimised or covered
# window is not painted.
AFTER_PAINT_LIMIT_MS = 500


def _secondary(label: QLabel) -> QLabel:
    label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    return label


class MomentsStrip(QLabel):
    """One line that answers "did the key parts land, and when?": the value proposition, the
    call to action and the opt-out with their times (click one to play from it), and the length."""

    seek_requested = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._report: Report | None = None
        self.setObjectName("momentsStrip")
        self.setAccessibleName("Key moments")
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse)
        self.setToolTip("Click a time to play from it")
        self.linkActivated.connect(self._link)

    def set_report(self, report: Report | None) -> None:
        self._report = report
        self._render()

    def _link(self, href: str) -> None:
        if href.startswith("t:"):
            self.seek_requested.emit(float(href[2:]))

    def _render(self) -> None:
        report = self._report
        if report is None:
            self.clear()
            return
        pal = self.palette()
        text = pal.color(QPalette.ColorRole.Text).name()
        muted = muted_text(pal, QPalette.ColorRole.Text).name()

        def mark(check_id: str) -> str:
            status = next((c.status for c in report.checks if c.id == check_id), "info")
            color = STATUS_COLORS.get(status, STATUS_COLORS["info"]).name()
            return f"<span style='color:{color}; font-weight:700'>{STATUS_SYMBOLS[status]}</span>"

        def moment(category: str, name: str, check_id: str, target: str = "") -> str:
            m = getattr(report, category)
            dot = f"<span style='color:{category_color(category).name()}'>\u25cf</span>"
            if not m.found or m.start_s is None:
                missing = category_label(category).lower()
                return f"{mark(check_id)}&nbsp;<span style='color:{text}'>No {missing}</span>"
            kind = CTA_KINDS.get(m.kind or "")
            label = f"{name} ({kind})" if kind else name
            when = (
                f"<a href='t:{m.start_s}' style='text-decoration:none'>"
                f"<span style='color:{text}'>{html.escape(label)} at <b>{m.start_s:.1f}&nbsp;s</b>"
                "</span></a>"
            )
            aim = (
                f"&nbsp;<span style='color:{muted}'>{html.escape(target)}</span>" if target else ""
            )
            return f"{dot}&nbsp;{when}&nbsp;{mark(check_id)}{aim}"

        timing = next((c for c in report.checks if c.id == "value_proposition_timing"), None)
        length = next((c for c in report.checks if c.id == "length"), None)
        parts = [
            moment(
                "value_proposition",
                "Value",
                "value_proposition_timing",
                timing.target if timing else "",
            ),
            moment("call_to_action", "Call to action", "call_to_action"),
            moment("opt_out", "Opt-out", "opt_out"),
            f"<span style='color:{text}'><b>{report.source.duration_s:.1f}&nbsp;s</b> long</span>"
            f"&nbsp;{mark('length')}"
            + (
                f"&nbsp;<span style='color:{muted}'>{html.escape(_length_zones(length))}</span>"
                if length
                else ""
            ),
        ]
        self.setText(SEP.join(f"<span style='white-space:nowrap'>{p}</span>" for p in parts))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._render()


def _length_zones(length: Check) -> str:
    """The zones that decided the length mark, shown beside it: "ideal 20-30 s, fine 8-30 s"."""
    return length.bands[0].describe(fails=False) if length.bands else f"target {length.target}"


class ReviewView(QWidget):
    seek_requested = Signal(float)
    play_toggled = Signal()
    line_chosen = Signal(bool)  # the player plays the take as they will hear it
    new_take = Signal()
    save_as = Signal()  # keep a take that is only in memory somewhere else
    outcome_requested = Signal(int)  # the attempt shown
    split_moved = Signal(bool, str)  # coach panel open, "540,600": where the dividers were left

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._heading: tuple[str, int | None] | None = None
        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.again = QPushButton("New take")
        self.again.setObjectName("againButton")
        self.again.setAccessibleName("New take")
        self.again.setToolTip(
            "Back to the ready screen for the next take: change the scenario card, microphone "
            "or greeting there, then press Record (Ctrl+N or Esc)"
        )
        self.again.clicked.connect(self.new_take.emit)
        self.coach = CoachPanel()
        self._attempt_id: int | None = None
        self.outcome = QPushButton("Outcome\u2026")
        self.outcome.setObjectName("outcomeButton")
        self.outcome.setAccessibleName("Outcome")
        self.outcome.setToolTip(
            "A real voicemail you left: what happened (called back, email, meeting...) and "
            "the script variant it used"
        )
        self.outcome.clicked.connect(
            lambda: self._attempt_id is not None and self.outcome_requested.emit(self._attempt_id)
        )
        self.coach_toggle = QPushButton("Coach")
        self.coach_toggle.setObjectName("coachToggle")
        self.coach_toggle.setCheckable(True)
        self.coach_toggle.setToolTip("Comments at moments, rubric scores and notes for this take")
        self.coach_toggle.toggled.connect(self.coach.setVisible)
        # Opened or closed by hand, the panel stays so for the next takes.
        self._coach_wanted = False
        self.coach_toggle.clicked.connect(lambda on: setattr(self, "_coach_wanted", on))
        self.moments = MomentsStrip()
        self.timeline = Timeline()
        self.trimmed = TrimmedNote()
        self.player = PlayerBar()
        play_hint = _secondary(
            QLabel("Click the timeline, a time or a word to play from there \u00b7 Ctrl+P plays")
        )
        self.scorecard = Scorecard()
        self.no_message = NoMessagePanel()
        self.no_message.hide()
        self.transcript = TranscriptView()
        font = self.transcript.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.transcript.setFont(font)
        for widget in (self.moments, self.timeline, self.scorecard, self.transcript):
            widget.seek_requested.connect(self.seek_requested.emit)
        self.player.play_toggled.connect(self.play_toggled.emit)
        self.player.line_chosen.connect(self.line_chosen.emit)
        self.coach.seek_requested.connect(self.seek_requested.emit)
        self.coach.comments.comments_changed.connect(self.timeline.set_comments)
        self.timeline.comment_requested.connect(self.comment_at)
        # What waits for the page to be on screen (`after_paint`); the timeline is on the page
        # whatever the report, and is painted whenever the page is.
        self._after_paint: list[Callable[[], None]] = []
        self._paint_limit = QTimer(self)
        self._paint_limit.setSingleShot(True)
        self._paint_limit.setInterval(AFTER_PAINT_LIMIT_MS)
        self._paint_limit.timeout.connect(self._run_after_paint)
        self.timeline.installEventFilter(self)

        self.scenario_line = _secondary(QLabel())
        self.scenario_line.setAccessibleName("Scenario card")
        self.scenario_line.setWordWrap(True)
        self.scenario_line.hide()
        self.progress_line = QLabel()
        self.progress_line.setObjectName("progressLine")
        self.progress_line.setAccessibleName("Compared with your last take")
        self.progress_line.setWordWrap(True)
        self.progress_line.hide()
        # A take (or report) the library could not keep says so on its report.
        self.not_saved = QWidget()
        self.not_saved.setObjectName("notSaved")
        self.not_saved.setAccessibleName("This take was not saved")
        self.not_saved_text = QLabel()
        self.not_saved_text.setWordWrap(True)
        self.not_saved_text.setStyleSheet("color:#7a2e0e; font-weight:600;")
        self.save_button = QPushButton("Save as\u2026")
        self.save_button.setAccessibleName("Save the take somewhere else")
        self.save_button.setToolTip("Keep the take's audio in a folder you choose (Ctrl+Shift+S)")
        self.save_button.clicked.connect(self.save_as.emit)
        row = QHBoxLayout(self.not_saved)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.not_saved_text, 1)
        row.addWidget(self.save_button)
        self.not_saved.hide()
        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        header.addWidget(self.outcome, 0, Qt.AlignmentFlag.AlignVCenter)
        header.addWidget(self.coach_toggle, 0, Qt.AlignmentFlag.AlignVCenter)
        header.addWidget(self.again, 0, Qt.AlignmentFlag.AlignVCenter)
        player_row = QHBoxLayout()
        player_row.addWidget(self.player, 1)
        player_row.addWidget(play_hint)

        # The transcript gets a heading as tall as the scorecard's score, so both boxes line up.
        self.transcript_heading = QLabel("<b>Transcript</b>")
        self.transcript_heading.setObjectName("transcriptHeading")
        self.transcript_heading.setAlignment(
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom
        )
        self.transcript_heading.setContentsMargins(2, 0, 0, 4)
        words = QWidget()
        column = QVBoxLayout(words)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.transcript_heading)
        column.addWidget(self.transcript, 1)
        self.scorecard.scroll_area.installEventFilter(self)

        split = QSplitter(Qt.Orientation.Horizontal)
        split.setObjectName("feedbackSplit")
        split.addWidget(self.scorecard)
        split.addWidget(words)
        split.addWidget(self.coach)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        split.setStretchFactor(2, 0)
        self.coach.hide()
        split.setChildrenCollapsible(False)
        self.split = split
        self.words = words
        # The dividers as the user left them, with the coach panel open and closed (None: the
        # shares below); split_moved carries a change to the settings.
        self._remembered: dict[bool, list[int] | None] = {False: None, True: None}
        split.splitterMoved.connect(self._split_moved)
        self.coach_toggle.toggled.connect(self._arrange)
        layout = QVBoxLayout(self)
        layout.setSpacing(6)
        layout.addLayout(header)
        layout.addWidget(self.not_saved)
        layout.addWidget(self.scenario_line)
        layout.addWidget(self.moments)
        layout.addWidget(self.no_message)
        layout.addWidget(self.progress_line)
        layout.addSpacing(2)
        layout.addWidget(self.trimmed)
        layout.addWidget(self.timeline)
        layout.addLayout(player_row)
        layout.addWidget(split, 1)

    def show_feedback(self, feedback: Feedback, attention_window_s: float) -> None:
        report = feedback.report
        name = feedback.attempt.title if feedback.attempt is not None else feedback.path.name
        self._heading = (name, report.score)
        self._show_heading()
        self.moments.set_report(report)
        card = report.scenario
        if card is not None:
            self.scenario_line.setText(
                f"Practised for {card.label} ({card.industry}) \u00b7 why now: {card.trigger_detail}"
            )
        self.scenario_line.setVisible(card is not None)
        self._show_progress(feedback)
        self.timeline.set_data(
            feedback.samples, feedback.sample_rate, report, attention_window_s, feedback.lead
        )
        self.trimmed.set_report(report)
        self.scorecard.set_report(report)
        # No message: a plain note in place of key moments and a scorecard of failures.
        self.no_message.set_report(report)
        self.no_message.setVisible(not report.is_message)
        self.moments.setVisible(report.is_message)
        self.scorecard.setVisible(report.is_message)
        if not report.is_message:  # its height follows the scorecard's, which is hidden now
            self.transcript_heading.setFixedHeight(self.transcript_heading.sizeHint().height())
        self.transcript.set_report(report)
        self.player.set_playing(False)
        self.player.set_position(0.0, report.source.duration_s)
        self.timeline.set_position(0.0)
        self.coach.set_attempt(feedback.attempt, report)
        self.coach_toggle.setVisible(feedback.attempt is not None)
        self._attempt_id = feedback.attempt.id if feedback.attempt is not None else None
        self.outcome.setVisible(feedback.attempt is not None)
        self.timeline.comments_enabled = feedback.attempt is not None
        self.coach_toggle.setChecked(
            feedback.attempt is not None and (self._coach_wanted or self.coach.has_content())
        )

    def show_not_saved(self, why: str | None, can_save: bool) -> None:
        """Say on the report that this take was not saved, and why (None: it was)."""
        if why:
            self.not_saved_text.setText(f"This take was not saved to your history: {why}")
            self.not_saved.setAccessibleDescription(self.not_saved_text.text())
        self.not_saved.setVisible(bool(why))
        self.can_save(can_save)

    def show_rescued(self, where: str) -> None:
        """The take shown, not saved to the history at first, was saved with "Save as..."."""
        if self.not_saved.isVisibleTo(self):
            self.not_saved_text.setText(
                f"This take was not saved to your history at first. {where}."
            )
            self.not_saved.setAccessibleDescription(self.not_saved_text.text())

    def can_save(self, kept_in_memory: bool) -> None:
        """Offer "Save as..." while the take is kept only in memory."""
        self.save_button.setVisible(kept_in_memory)

    def comment_at(self, at_s: float) -> None:
        """Open the coach panel on a new comment at ``at_s`` (a take kept in the library)."""
        if self.coach.attempt is None:
            return
        self.coach_toggle.setChecked(True)
        self.seek_requested.emit(at_s)
        self.coach.begin_comment(at_s)

    def _show_progress(self, feedback: Feedback) -> None:
        """One line of "+X vs your last take" figures, green when better, amber when worse.

        "vs your last take" is said once, after the first figure; the line wraps only
        between figures."""
        from voicemail_coach.app.deltas import SUFFIX, deltas, report_zones

        if feedback.attempt is None or not feedback.report.is_message:
            self.progress_line.hide()
            return
        # Better or worse in the sense of this take's own targets (its profile and length preset).
        lines = deltas(feedback.attempt, feedback.previous, *report_zones(feedback.report))
        if not lines:
            self.progress_line.setText(
                "Your first scored take: the next one will be compared with it."
            )
            self.progress_line.setToolTip("")
            self.progress_line.show()
            return
        colors = {True: "#2e9d57", False: "#b7791f", None: muted_text(self.palette()).name()}
        same = "same as your last take"
        if all(text == same for _, text, _ in lines):
            lines = [("Every figure", same, None)]
        short = {
            "same as your last take": "same",
            "value heard this time (missed in your last take)": "heard this time (missed before)",
        }
        parts = []
        for n, (label, text, better) in enumerate(lines):
            if n:
                text = short.get(text, text.removesuffix(SUFFIX))
                text = text.replace("value not heard this time", "not heard this time")
            parts.append(
                f"<span style='white-space:nowrap'><b>{html.escape(label)}</b>&nbsp;"
                f"<span style='color:{colors[better]}'>{html.escape(text)}</span></span>"
            )
        self.progress_line.setText(" &nbsp;\u00b7&nbsp; ".join(parts))
        previous = feedback.previous.title if feedback.previous is not None else ""
        self.progress_line.setToolTip(
            f"Compared with \u201c{previous}\u201d: green is better, amber is worse"
            if previous
            else ""
        )
        self.progress_line.show()

    def _show_heading(self) -> None:
        if self._heading is None:
            return
        name, score = self._heading
        muted = muted_text(self.palette()).name()
        figure = "no message" if score is None else f"score {score}"
        self.title.setText(
            f"{html.escape(name)}<span style='color:{muted}; font-size:14pt; font-weight:400'>"
            f"&nbsp;&nbsp;\u00b7&nbsp;&nbsp;{figure}</span>"
        )

    def show_line_check(self, feedback: Feedback) -> None:
        """The report again with the phone-line check added: the score and the scorecard."""
        report = feedback.report
        if self._heading is not None:
            self._heading = (self._heading[0], report.score)
            self._show_heading()
        self.scorecard.set_report(report)
        self._show_progress(feedback)

    def show_playback(self, position_s: float, playing: bool, duration_s: float) -> None:
        self.player.set_playing(playing)
        self.player.set_position(position_s, duration_s)
        self.timeline.set_position(position_s)
        self.coach.comments.follow(position_s)
        self.transcript.set_current_time(position_s if playing or position_s > 0 else -1.0)

    def restore_split(self, without_coach: str | None, with_coach: str | None) -> None:
        """The dividers as saved in the settings ("540,600" and "300,560,320")."""
        for coach, text in ((False, without_coach), (True, with_coach)):
            try:
                sizes = [int(n) for n in (text or "").split(",") if n.strip()]
            except ValueError:
                sizes = []
            wanted = 3 if coach else 2
            self._remembered[coach] = sizes if len(sizes) == wanted and min(sizes) > 0 else None
        self._arrange()

    def _arrange(self, *_: object) -> None:
        """Lay the scorecard, the transcript and the coach panel out as last left, else by the
        default shares: half and half; with the coach, the transcript keeps half the width
        where the window is wide enough for the scorecard's rows to show their titles."""
        coach = self.coach_toggle.isChecked()
        total = max(self.split.width(), 600)
        sizes = self._remembered[coach]
        if sizes is None:
            shares = SPLIT_COACH if coach else SPLIT
            sizes = [round(total * s) for s in shares]
            if coach:  # the panel at its narrowest still shows its tabs, and the scorecard
                # its rows' titles and figures: on a narrow window the transcript gives way.
                sizes[2] = max(sizes[2], self.coach.minimumWidth())
                sizes[0] = max(sizes[0], self._scorecard_room())
                sizes[1] = max(total - sizes[0] - sizes[2], 1)
        elif not coach:
            sizes = [*sizes, 0]
        self.split.setSizes(sizes)

    def _scorecard_room(self) -> int:
        """Wide enough for a check's mark, its title and some of its figures on one line."""
        return SCORECARD_MARGIN + self.scorecard.fontMetrics().averageCharWidth() * SCORECARD_CHARS

    def _split_moved(self, *_: object) -> None:
        coach = self.coach.isVisible()
        sizes = self.split.sizes()[: 3 if coach else 2]
        self._remembered[coach] = sizes
        self.split_moved.emit(coach, ",".join(str(n) for n in sizes))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._arrange()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        # On a short window the waveform gives up height first, for the checks below it.
        self.timeline.setFixedHeight(
            max(TIMELINE_MIN_H, min(TIMELINE_MAX_H, round(self.height() * TIMELINE_SHARE)))
        )
        if self._remembered[self.coach_toggle.isChecked()] is None:
            self._arrange()

    def after_paint(self, work: Callable[[], None]) -> None:
        """Run ``work`` once the page has been painted (after the paint, when what it shows is
        on screen); on the next turn of the event loop when the page is not shown, and after
        AFTER_PAINT_LIMIT_MS when no paint comes."""
        self._after_paint.append(work)
        if self.isVisible():
            self._paint_limit.start()
        else:
            QTimer.singleShot(0, self._run_after_paint)

    def _run_after_paint(self) -> None:
        self._paint_limit.stop()
        work, self._after_paint = self._after_paint, []
        for run in work:
            run()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.timeline and event.type() == QEvent.Type.Paint and self._after_paint:
            # Posted from inside the paint, so it runs once the whole paint is done.
            QTimer.singleShot(0, self._run_after_paint)
        if watched is self.scorecard.scroll_area and event.type() in (
            QEvent.Type.Move,
            QEvent.Type.Resize,
        ):
            self.transcript_heading.setFixedHeight(self.scorecard.scroll_area.y())
        return super().eventFilter(watched, event)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._show_heading()
