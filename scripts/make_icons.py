"""Render the app icon's PNG sizes from its SVG (resources/desktop/voicemail-coach.svg).

    .venv/bin/python scripts/make_icons.py

Writes resources/desktop/icons/<size>.png for the sizes freedesktop launchers look up
(hicolor/<size>x<size>/apps/). Qt's SVG renderer draws them (PySide6 is already a dependency),
so no other tool is needed; run it again whenever the SVG changes and commit the PNGs.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parent.parent
DESKTOP = REPO / "resources" / "desktop"
SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)


def main() -> int:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication([])
    renderer = QSvgRenderer(str(DESKTOP / "voicemail-coach.svg"))
    if not renderer.isValid():
        print("voicemail-coach.svg: not a valid SVG", file=sys.stderr)
        return 1
    out = DESKTOP / "icons"
    out.mkdir(exist_ok=True)
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        target = out / f"{size}.png"
        if not image.save(str(target), "PNG"):
            print(f"{target}: cannot write it", file=sys.stderr)
            return 1
        print(f"{target.relative_to(REPO)} ({target.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
