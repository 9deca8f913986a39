"""Start the desktop app."""

from __future__ import annotations

import sys
from collections.abc import Sequence

STYLE = """
QLabel#pageTitle { font-size: 20pt; font-weight: 600; }
QLabel#elapsed { font-size: 34pt; font-weight: 300; }
QLabel#autoStopWarning { color: #d64541; font-weight: 600; }
QPushButton#recordButton { font-size: 15pt; font-weight: 600; border-radius: 28px;
    background: #c0392b; color: white; padding: 8px 28px; }
QPushButton#recordButton:hover { background: #d64541; }
QPushButton#recordButton[recording="true"] { background: #34495e; }
QPushButton#recordButton:disabled { background: #95a5a6; }
"""


def run_gui(argv: Sequence[str] = ()) -> int:
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    from app.controller import Controller
    from app.main_window import MainWindow
    from app.settings import load_settings, settings_path

    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
        Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
    )
    app = QApplication.instance() or QApplication([sys.argv[0], *argv])
    app.setApplicationName("Voicemail Coach")
    app.setStyleSheet(STYLE)
    settings, problem = load_settings()
    controller = Controller(settings, settings_file=settings_path())
    window = MainWindow(controller)
    window.show()
    if problem:
        window.banner.show_message("warning", problem)
    # Load the model once the window has painted, so the window is usable at once.
    QTimer.singleShot(0, controller.load_model)
    return int(app.exec())
