"""A quantity field that keeps exactly what was typed.

A QSpinBox silently reverts a value below its minimum and clamps one above its maximum, so the
user never learns why their 5 became 10. This field takes any text; the form's validation says
what is wrong next to it. Up/Down (and Page Up/Page Down, by 10) still step the number, within
the limits, like a spin box.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit, QWidget

from nfctagify_desktop.ordering.validation import MAX_QUANTITY, parse_quantity


class QuantityEdit(QLineEdit):
    """A whole number, typed freely; stepping with the arrow keys stays within the limits."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._minimum = 1
        self._maximum = MAX_QUANTITY
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.setMaxLength(12)
        self.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly)
        self.setMaximumWidth(self.fontMetrics().horizontalAdvance("0" * 10) + 24)

    def minimum(self) -> int:
        return self._minimum

    def setMinimum(self, minimum: int) -> None:
        """Only for stepping: a typed value below it stays, and the form says why."""
        self._minimum = max(1, minimum)

    def maximum(self) -> int:
        return self._maximum

    def value(self) -> int | None:
        """The whole number typed, or None when the text is not one."""
        return parse_quantity(self.text())

    def setValue(self, value: int) -> None:
        self.setText(str(value))

    def step(self, by: int) -> None:
        """Step like a spin box; as if typed, so the form reacts as to typing."""
        current = self.value()
        if current is None or current < self._minimum:
            target = self._minimum
        else:
            target = min(self._maximum, max(self._minimum, current + by))
        self.setText(str(target))
        self.textEdited.emit(self.text())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        steps = {
            Qt.Key.Key_Up: 1,
            Qt.Key.Key_Down: -1,
            Qt.Key.Key_PageUp: 10,
            Qt.Key.Key_PageDown: -10,
        }
        by = steps.get(Qt.Key(event.key()))
        if by is not None and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            self.step(by)
            event.accept()
            return
        super().keyPressEvent(event)
