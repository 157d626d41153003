"""Heading fonts relative to the user's font, so they follow its size (e.g. Windows' text size).

A style sheet's ``font-size: 15px`` scales with the display but ignores a larger text setting;
a size relative to the application font follows both.
"""

from __future__ import annotations

from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import QWidget

#: A heading is this much larger than body text.
HEADING_SCALE = 1.25


def heading_font(scale: float = HEADING_SCALE) -> QFont:
    font = QFont(QGuiApplication.font())
    size = font.pointSizeF()
    if size > 0:
        font.setPointSizeF(size * scale)
    else:  # a font given in pixels
        font.setPixelSize(round(font.pixelSize() * scale))
    font.setWeight(QFont.Weight.DemiBold)
    return font


def make_heading(widget: QWidget, scale: float = HEADING_SCALE) -> None:
    """Give ``widget`` a heading font: semi-bold and ``scale`` times the body text."""
    widget.setFont(heading_font(scale))


__all__ = ["HEADING_SCALE", "heading_font", "make_heading"]
