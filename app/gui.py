"""Start the desktop app."""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication, QWidget

    from voicemail_coach.app.controller import Controller

STYLE = """
QLabel#pageTitle { font-size: 20pt; font-weight: 600; }
QLabel#hint[recording="true"] { color: #d64541; font-weight: 600; }
QLabel#elapsed { font-size: 40pt; font-weight: 300; }
QLabel#autoStopWarning { color: #d64541; font-weight: 600; }
QPushButton#recordButton { font-size: 15pt; font-weight: 600; border-radius: 62px;
    background: #c0392b; color: white; border: 4px solid #c0392b; }
QPushButton#recordButton:hover { background: #d64541; border-color: #d64541; }
QPushButton#recordButton:focus { border-color: #e8928a; }
QPushButton#recordButton[recording="true"] { background: #34495e; border-color: #e74c3c; }
QPushButton#recordButton[recording="true"]:hover { background: #3f5871; }
QPushButton#recordButton:disabled { background: #95a5a6; border-color: #95a5a6; }
QPushButton#openButton { padding: 5px 16px; }
QPushButton#againButton { background: #c0392b; color: white; font-weight: 600;
    border: 2px solid #c0392b; border-radius: 15px; padding: 5px 16px; }
QPushButton#againButton:hover { background: #d64541; border-color: #d64541; }
QPushButton#againButton:focus { border-color: #e8928a; }
QPushButton#againButton:disabled { background: #95a5a6; border-color: #95a5a6; }
QLabel#momentsStrip { background: palette(base); border: 1px solid palette(mid);
    border-radius: 6px; padding: 7px 10px; font-size: 10pt; }
"""


def apply_style(app: QApplication) -> None:
    """Set STYLE, and set it again whenever the application palette changes (the system
    switching to dark, say): with a style sheet in place, Qt does not hand a new application
    palette on to scroll areas and text views, so they would keep the old colours."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    class Restyle(QObject):
        pending = False

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if (
                watched is app
                and event.type() == QEvent.Type.ApplicationPaletteChange
                and not self.pending
            ):
                self.pending = True
                QTimer.singleShot(0, self.restyle)
            return False

        def restyle(self) -> None:
            app.setStyleSheet(STYLE)
            self.pending = False

    app.setStyleSheet(STYLE)
    app.installEventFilter(Restyle(app))


def set_app_icon(app: QApplication) -> None:
    """The window icon (the PNG sizes shipped for the launcher), and the launcher entry's name,
    so desktops match the window to the entry `voicemail-coach install-desktop` adds."""
    from importlib import resources

    from PySide6.QtGui import QIcon

    from voicemail_coach.app.cli.desktop import APP_ID, DESKTOP_PACKAGE, PNG_SIZES

    icons = resources.files(DESKTOP_PACKAGE).joinpath("icons")
    icon = QIcon()
    for size in PNG_SIZES:
        icon.addFile(str(icons.joinpath(f"{size}.png")))
    app.setWindowIcon(icon)
    app.setDesktopFileName(APP_ID)


STARTUP_PROBE = "VOICEMAIL_COACH_STARTUP_PROBE"


def portaudio_library() -> str:
    """The PortAudio library sounddevice loaded, or why it could not."""
    from voicemail_coach.audio.devices import AudioUnavailable, load_sounddevice

    try:
        return str(load_sounddevice()._libname)
    except AudioUnavailable as exc:
        return f"unavailable: {exc}"


PAINT_PREFIX = "FIRST_PAINT "


def probe_startup(window: QWidget, controller: Controller) -> None:
    """For bench/bench_live.py: print when the window first paints (wall clock, so the bench can
    count from before the process started) and when the model is ready, then quit."""
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    times: dict[str, float] = {}

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and "painted_at" not in times:
                times["painted_at"] = time.time()
            return False

    def ready(model: str, failure: str = "") -> None:
        times["model_ready_at"] = time.time()
        times.setdefault("painted_at", times["model_ready_at"])
        # Which model loaded, or why none did, and which PortAudio library sounddevice loads
        # (the packaging tests check that the bundle's own copies are used).
        found = {"model": model, "model_error": failure, "portaudio": portaudio_library()}
        print(PAINT_PREFIX + json.dumps({**times, **found}), flush=True)
        QTimer.singleShot(0, QApplication.quit)

    window.installEventFilter(FirstPaint(window))
    controller.model_ready.connect(ready)
    controller.model_failed.connect(lambda message: ready("", message))


def run_gui(argv: Sequence[str] = ()) -> int:
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    from voicemail_coach.app.controller import Controller
    from voicemail_coach.app.main_window import MainWindow
    from voicemail_coach.app.settings import load_settings, settings_path

    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
        Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
    )
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([sys.argv[0], *argv])
    app.setApplicationName("Voicemail Coach")
    set_app_icon(app)
    apply_style(app)
    from voicemail_coach.analysis.paths import data_dir
    from voicemail_coach.app.single_instance import AlreadyRunning, claim

    try:
        lock = claim(data_dir())  # held until this function returns, when the app quits
    except AlreadyRunning as exc:
        from PySide6.QtWidgets import QMessageBox

        print(exc, file=sys.stderr)
        QMessageBox.information(None, "Voicemail Coach", str(exc))
        return 1
    settings, problem = load_settings()
    controller = Controller(settings, settings_file=settings_path())
    window = MainWindow(controller)
    if os.environ.get(STARTUP_PROBE):
        probe_startup(window, controller)
    window.show()
    if problem:
        window.banner.show_message("warning", problem)
    # Load the model once the window has painted, so the window is usable at once.
    QTimer.singleShot(0, controller.load_model)
    if window.library_pages is not None:
        QTimer.singleShot(0, window.library_pages.offer_recovery)
    try:
        return int(app.exec())
    finally:
        lock.unlock()
