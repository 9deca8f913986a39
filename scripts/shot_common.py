"""What the screenshot scripts share: their options, a sandbox for settings and data, the
application as it looks on a user's machine (Fusion, the app's style, a named microphone), a
seeded library, waiting for the window, and grab-and-save with a size limit.

    scripts/dev screenshots        # every screenshot: docs/screenshots/ and, at 1180x800 and
                                   # 1920x1080, docs/screenshots/sizes/ (see docs/SCREENSHOTS.md)

Each script takes ``--size WxH`` (the window in logical pixels), ``--scale F`` (QT_SCALE_FACTOR,
e.g. 1.5), ``--out DIR`` and ``--sizes`` (write the pages of docs/SCREENSHOTS.md as
``sizes/<page>_<W>x<H>.png``, each dialog drawn over the window as it opens there).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
AUDIO = REPO / "tests" / "data" / "audio"
DOCS = REPO / "docs" / "screenshots"
SIZES = DOCS / "sizes"
sys.path.insert(0, str(REPO))  # tests.fakes
# The fake microphone's name on the device line (the screenshots should not show this machine's).
MICROPHONE = "USB Headset Microphone"
# The pages shown at each size in docs/screenshots/sizes (docs/SCREENSHOTS.md lists them).
SIZE_PAGES = frozenset(
    {
        "ready", "recording", "analysing", "feedback", "history", "compare", "progress",
        "coach_review", "role_play", "profile_editor", "profile_editor_advanced", "settings",
        "lab",
    }
)  # fmt: skip
# The docs' PNGs stay small; a look at other scales may be larger.
MAX_BYTES = 250_000
MAX_BYTES_FULL_HD = 350_000


class Shots:
    """Where and how big: the window size, and the file each screenshot name goes to."""

    def __init__(self, description: str, default_size: str) -> None:
        parser = argparse.ArgumentParser(description=description)
        parser.add_argument("--size", default=default_size, help="window size WxH (logical px)")
        parser.add_argument("--scale", type=float, default=None, help="QT_SCALE_FACTOR, e.g. 1.5")
        parser.add_argument("--out", type=Path, default=None)
        parser.add_argument(
            "--sizes", action="store_true", help="the pages at this size, into docs/.../sizes"
        )
        parser.add_argument("--phone-line-only", action="store_true", help=argparse.SUPPRESS)
        options = parser.parse_args()
        self.options = options
        width, height = (int(n) for n in options.size.lower().split("x"))
        self.size = (width, height)
        self.sizes_mode: bool = options.sizes
        self.out: Path = options.out or (SIZES if options.sizes else DOCS)
        self.suffix = f"_{width}x{height}" if options.sizes else ""
        if options.scale:
            os.environ["QT_SCALE_FACTOR"] = f"{options.scale:g}"
            self.suffix += f"_{round(options.scale * 100)}pct" if options.sizes else ""
        # Full HD takes a little more than the README's 1280x860.
        limit = MAX_BYTES if width * height <= 1280 * 860 else MAX_BYTES_FULL_HD
        self.max_bytes = limit if self.out in (DOCS, SIZES) and not options.scale else 2_000_000
        self.sandbox = Path(tempfile.mkdtemp(prefix="vmc-shots-"))
        for name in ("CONFIG", "DATA", "CACHE"):
            os.environ[f"VOICEMAIL_COACH_{name}_DIR"] = str(self.sandbox / name.lower())
        os.environ.pop("VOICEMAIL_COACH_MODEL", None)
        if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # no screen: render off-screen
        if os.environ.get("QT_QPA_PLATFORM") == "offscreen":
            # A full HD screen (the offscreen one is 800x800), so dialogs that fit themselves to
            # the screen open at the size they would on a desk.
            config = self.sandbox / "screen.json"
            screen = {"name": "shots", "x": 0, "y": 0, "logicalDpi": 96, "dpr": 1,
                      "width": max(1920, width), "height": max(1080, height)}  # fmt: skip
            config.write_text(json.dumps({"screens": [screen]}))
            os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"
        self.results: list[bool] = []

    def wanted(self, name: str) -> bool:
        return not self.sizes_mode or Path(name).stem in SIZE_PAGES

    def save(self, widget: Any, name: str, over: Any = None) -> bool:
        """Grab ``widget`` into ``name`` (in ``--sizes`` mode a dialog is drawn over the window
        ``over``, as it opens there); False, said on stderr, when the file is too big. Names not shown at every size
        are skipped in ``--sizes`` mode."""
        from PySide6.QtCore import QPoint
        from PySide6.QtGui import QCursor, QImage, QPainter

        if not self.wanted(name):
            return True
        anchor = over if over is not None else widget
        QCursor.setPos(anchor.mapToGlobal(QPoint(anchor.width() - 2, anchor.height() - 2)))
        settle()
        image = widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
        if over is not None and self.sizes_mode:
            back = over.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
            painter = QPainter(back)
            painter.fillRect(back.rect(), _shade())
            ratio = back.devicePixelRatio()
            x = max(0, int((back.width() / ratio - widget.width()) / 2))
            y = max(0, int((back.height() / ratio - widget.height()) / 3))
            painter.drawImage(QPoint(x, y), image)
            painter.end()
            image = back
        path = self.out / f"{Path(name).stem}{self.suffix}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        if not save_png(image, path):
            raise OSError(f"could not write {path}")
        size = path.stat().st_size
        print(f"{path.relative_to(REPO) if path.is_relative_to(REPO) else path}  "
              f"{image.width()}x{image.height()}  {size // 1024} KB")  # fmt: skip
        ok = size < self.max_bytes
        if not ok:
            print(f"  {path.name} is over {self.max_bytes // 1000} KB", file=sys.stderr)
        self.results.append(ok)
        return ok

    def finish(self) -> int:
        import shutil

        shutil.rmtree(self.sandbox, ignore_errors=True)
        return 0 if all(self.results) else 1


def _shade() -> Any:
    from PySide6.QtGui import QColor

    return QColor(0, 0, 0, 60)  # the window behind a dialog, a little dimmed


def save_png(image: Any, path: Path) -> bool:
    """The smallest PNG without losing a pixel: 8-bit with the image's own palette when it has
    at most 256 colours (most pages without a waveform), else 24-bit, both fully compressed."""
    import numpy as np
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage

    width, height = image.width(), image.height()
    bits = image.constBits()
    pixels = np.frombuffer(bits, dtype=np.uint32, count=image.bytesPerLine() // 4 * height)
    pixels = pixels.reshape(height, -1)[:, :width]
    colours = np.unique(pixels)
    if len(colours) <= 256:
        table = [int(c) for c in colours]
        image = image.convertToFormat(
            QImage.Format.Format_Indexed8, table, Qt.ImageConversionFlag.ThresholdDither
        )
    return bool(image.save(str(path), "PNG", 0))  # 0: smallest file


def start_app() -> Any:
    """The QApplication as users see it, with one named microphone and one speaker."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    import voicemail_coach.audio.devices
    from tests import fakes
    from voicemail_coach.app.gui import apply_style

    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
        Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
    )
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([sys.argv[0]])
    app.setApplicationName("Voicemail Coach")
    app.setStyle("Fusion")
    apply_style(app)
    fake_sd = fakes.fake_sounddevice_module([{"name": MICROPHONE}], [{"name": "Speakers"}])
    voicemail_coach.audio.devices.load_sounddevice = lambda: fake_sd  # type: ignore[assignment]
    return app


def microphone(path: Path) -> Callable[..., Any]:
    """An input stream factory: every take gets a fresh fake stream playing ``path``."""
    from tests import fakes
    from voicemail_coach.audio.io import load_audio

    samples = load_audio(path).samples

    def stream(**kwargs: Any) -> Any:
        return fakes.FakeInputStream(samples, realtime=True)(**kwargs)

    return stream


def window(controller: Any, size: tuple[int, int]) -> Any:
    """The main window at ``size``, shown."""
    from voicemail_coach.app.main_window import MainWindow

    win = MainWindow(controller)
    win.resize(*size)
    win.show()
    wait_until(lambda: (win.width(), win.height()) == size, 5, "the window size")
    return win


def wait_until(condition: Callable[[], bool], timeout_s: float, what: str) -> None:
    from PySide6.QtWidgets import QApplication

    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        QApplication.processEvents()
        time.sleep(0.005)


def settle(seconds: float = 0.3) -> None:
    """Let queued signals, layouts and paints run."""
    from PySide6.QtWidgets import QApplication

    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QApplication.processEvents()
        time.sleep(0.01)


def seed_library(takes: Iterable[tuple[str, str, str | None]]) -> list[int]:
    """Takes in the sandbox's library without the speech model: for each ``(title, script,
    variant)`` a copy of good.flac with the written script's report (and the script variant
    it used, when named). Their ids, in order."""
    from voicemail_coach.analysis.pipeline import analyze_script
    from voicemail_coach.analysis.profile_loader import load_profile
    from voicemail_coach.storage.library import Library
    from voicemail_coach.storage.outcomes import Outcomes

    profile = load_profile()
    reports: dict[str, Any] = {}
    ids = []
    with Library() as library:
        outcomes = Outcomes(library)
        for title, script, variant in takes:
            if script not in reports:
                reports[script] = analyze_script(script, profile)
            attempt = library.add_file(AUDIO / "good.flac")
            library.update(attempt.id, title=title)
            library.add_report(attempt.id, reports[script])
            if variant:
                outcomes.link(attempt.id, variant)
            ids.append(attempt.id)
    return ids
