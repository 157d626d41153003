"""Fusion, with check boxes that can be seen on a dark palette.

Fusion outlines a check box with the window colour made darker and fills it with the base
colour: on a dark palette both are near the window's own colour, so an unchecked box (the
Orders tab's From/To, Settings' notifications) all but disappears. This style draws Fusion's box,
then a border in the palette's placeholder colour (over 3:1 against the window) when it is
dark; light palettes are drawn as Fusion draws them.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import QProxyStyle, QStyle, QStyleFactory, QStyleOption, QWidget


def _is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


class FramedIndicatorsStyle(QProxyStyle):
    """Fusion; on a dark palette, check boxes get a visible border."""

    def __init__(self) -> None:
        super().__init__(QStyleFactory.create("Fusion"))
        self.setObjectName("fusion")

    def drawPrimitive(
        self,
        element: QStyle.PrimitiveElement,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        super().drawPrimitive(element, option, painter, widget)
        if element is QStyle.PrimitiveElement.PE_IndicatorCheckBox and _is_dark(option.palette):
            painter.save()
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(option.palette.color(QPalette.ColorRole.PlaceholderText))
            painter.drawRect(option.rect.adjusted(0, 0, -1, -1))
            painter.restore()


__all__ = ["FramedIndicatorsStyle"]
