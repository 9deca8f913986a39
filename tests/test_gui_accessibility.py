"""Keyboard and screen reader: every interactive control of the window's pages and dialogs has a
name a screen reader can say (its accessibleName, its own text, or a label that is its buddy)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollBar,
    QTabBar,
    QTabWidget,
    QTextEdit,
    QWidget,
)

from tests import fakes
from tests.conftest import AUDIO
from voicemail_coach.analysis.pipeline import analyze_script
from voicemail_coach.analysis.profile_loader import load_profile
from voicemail_coach.app.controller import Controller
from voicemail_coach.app.dialogs.pack_dialog import PackDialog
from voicemail_coach.app.dialogs.profile_editor import ProfileEditor
from voicemail_coach.app.dialogs.reanalyze_dialog import ReanalyzeDialog
from voicemail_coach.app.dialogs.scenario_dialog import ScenarioDialog
from voicemail_coach.app.dialogs.settings_dialog import SettingsDialog
from voicemail_coach.app.main_window import MainWindow
from voicemail_coach.app.settings import Settings
from voicemail_coach.storage.coaching import Coaching
from voicemail_coach.storage.profile_store import ProfileStore

SCRIPT = (
    "Hi Dana, this is Sam Rivera from Northwind Finance. We help companies like yours cut the "
    "time spent on month-end close by half. Give me a call back at 555 312 4477."
)
INTERACTIVE = (
    QAbstractButton,
    QComboBox,
    QLineEdit,
    QTextEdit,
    QPlainTextEdit,
    QAbstractSpinBox,
    QAbstractSlider,
    QAbstractItemView,
)


def spoken_name(widget: QWidget, labels: dict[int, QLabel]) -> str:
    """What names the widget for a screen reader: its accessibleName, a button's own text, or
    the text of a label whose buddy it is (shown when the widget is). Qt reads the same ones
    out (QAccessibleWidget: accessibleName, else button text, else buddy label)."""
    if widget.accessibleName().strip():
        return widget.accessibleName()
    if isinstance(widget, QAbstractButton) and widget.text().replace("&", "").strip():
        return widget.text()
    label = labels.get(id(widget))
    if label is not None and label.text().strip():
        return label.text()
    return ""


def _buddies(root: QWidget) -> dict[int, QLabel]:
    """Labels by the widget they name, when a hidden label cannot leave a shown widget unnamed."""
    found = {}
    for label in root.findChildren(QLabel):
        buddy = label.buddy()
        if buddy is not None and (label.isVisibleTo(root) or not buddy.isVisibleTo(root)):
            found[id(buddy)] = label
    return found


def controls(root: QWidget) -> list[QWidget]:
    """The interactive widgets (controls, and anything Tab reaches) under ``root``, Qt's own
    parts aside (scroll bars, headers, a combo box's list, a line edit's clear button)."""
    found = []
    for widget in root.findChildren(QWidget):
        focusable = bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus)
        if not (isinstance(widget, INTERACTIVE) or focusable):
            continue
        if isinstance(widget, (QScrollBar, QHeaderView, QTabWidget, QTabBar)):
            continue  # parts of a view; a tab widget's tabs are read by their titles
        if _inside(widget, (QComboBox, QAbstractSpinBox, QTabBar, QLineEdit)):
            continue
        if not widget.objectName().startswith("qt_"):
            found.append(widget)
    return found


def unnamed(root: QWidget) -> list[str]:
    labels = _buddies(root)
    return [
        f"{type(w).__name__} {w.objectName()!r} in {_where(w)}"
        for w in controls(root)
        if not spoken_name(w, labels)
    ]


def _inside(widget: QWidget, kinds: tuple[type, ...]) -> bool:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, kinds):
            return True
        parent = parent.parentWidget()
    return False


def _where(widget: QWidget) -> str:
    chain = []
    parent = widget.parentWidget()
    while parent is not None and len(chain) < 4:
        chain.append(type(parent).__name__)
        parent = parent.parentWidget()
    return " < ".join(chain)


@pytest.fixture()
def window(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    """The window with a take on the feedback page and a running role-play session."""
    monkeypatch.setenv("VOICEMAIL_COACH_DATA_DIR", str(tmp_path / "data"))
    controller = Controller(Settings(greeting=False), None, fakes.FakeOutputStream())
    library = controller.library
    assert library is not None and controller.coaching is not None
    session = Coaching(library).start_session("Drill", "Dana", ["Ann Lee", "Ben Ode"])
    attempt = library.add_file(AUDIO / "good.flac")
    library.add_report(attempt.id, analyze_script(SCRIPT, load_profile()))
    Coaching(library).label_take(attempt.id, session.id, "Ann Lee")
    win = MainWindow(controller)
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitSignal(controller.feedback_ready, timeout=10_000):
        controller.show_attempt(attempt.id)
    win.review.coach_toggle.setChecked(True)
    yield win
    win.close()


def test_every_control_of_the_window_has_a_name(window: MainWindow) -> None:
    pages = window.library_pages
    assert pages is not None
    pages.refresh()
    assert unnamed(window) == []
    # The walk reaches every page: practice, review with the coach panel, history, role play.
    checked = controls(window)
    sessions = pages.sessions
    assert sessions is not None
    for widget in (
        window.practice.record,
        window.practice.device_picker,
        window.review.again,
        window.review.timeline,
        window.review.coach.comments.editor,
        pages.history.table,
        sessions.up_next,
    ):
        assert widget in checked
    assert len(checked) > 60


@pytest.mark.parametrize("name", ["settings", "reanalyze", "profiles", "scenarios", "pack"])
def test_every_control_of_the_dialogs_has_a_name(window: MainWindow, qtbot, name: str) -> None:  # type: ignore[no-untyped-def]
    c = window.controller
    store = ProfileStore()
    dialogs = {
        "settings": lambda: SettingsDialog(c.settings, window),
        "reanalyze": lambda: ReanalyzeDialog(c.settings, "good", window),
        "profiles": lambda: ProfileEditor(store, None, window),
        "scenarios": lambda: ScenarioDialog(c.scenarios, window),
        "pack": lambda: PackDialog(store.entries(), c.scenarios.all(), window),
    }
    dialog = dialogs[name]()
    qtbot.addWidget(dialog)
    dialog.show()
    assert unnamed(dialog) == []
    dialog.close()
