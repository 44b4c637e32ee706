"""Renders the program's SVG icon into the hicolor PNG sizes a Linux desktop looks for.

    python installer/render_icons.py icon.svg share/icons/hicolor NAME
"""
from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

SIZES = (16, 32, 48, 64, 128, 256)


def main() -> None:
    svg, target, name = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
    app = QGuiApplication([])  # noqa: F841 (QPainter needs one)
    renderer = QSvgRenderer(svg)
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        renderer.render(painter)
        painter.end()
        folder = target / f"{size}x{size}" / "apps"
        folder.mkdir(parents=True, exist_ok=True)
        if not image.save(str(folder / f"{name}.png")):
            raise SystemExit(f"cannot write {folder / name}.png")


if __name__ == "__main__":
    main()
