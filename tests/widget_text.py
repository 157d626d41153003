"""Every text a person could see in the app's widgets, for "is X shown anywhere?" tests."""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPlainTextEdit,
    QTabWidget,
    QTextEdit,
    QWidget,
)

_ROLES = (
    Qt.ItemDataRole.DisplayRole,
    Qt.ItemDataRole.ToolTipRole,
    Qt.ItemDataRole.EditRole,
    Qt.ItemDataRole.AccessibleTextRole,
)


def model_texts(model: QAbstractItemModel, parent: QModelIndex | None = None) -> Iterator[str]:
    """Every cell's display, edit, tooltip and accessible text, and the headers."""
    parent = parent or QModelIndex()
    rows, cols = model.rowCount(parent), model.columnCount(parent)
    if not parent.isValid():
        for col in range(cols):
            header = model.headerData(col, Qt.Orientation.Horizontal)
            if header is not None:
                yield str(header)
    for row in range(rows):
        for col in range(cols):
            index = model.index(row, col, parent)
            for role in _ROLES:
                value = model.data(index, role)
                if value is not None:
                    yield str(value)
            if col == 0 and model.rowCount(index) > 0:
                yield from model_texts(model, index)


def widget_texts(widget: QWidget) -> Iterator[str]:
    yield widget.windowTitle()
    yield widget.toolTip()
    yield widget.statusTip()
    yield widget.whatsThis()
    yield widget.accessibleName()
    yield widget.accessibleDescription()
    for action in widget.actions():
        yield action.text()
        yield action.toolTip()
    if isinstance(widget, QLabel | QAbstractButton):
        yield widget.text()
    elif isinstance(widget, QLineEdit):
        # A password field shows dots, but its text is still readable by anything on screen.
        yield widget.text()
        yield widget.placeholderText()
    elif isinstance(widget, QPlainTextEdit | QTextEdit):
        yield widget.toPlainText()
    elif isinstance(widget, QComboBox):
        yield from (widget.itemText(i) for i in range(widget.count()))
        yield widget.currentText()
    elif isinstance(widget, QTabWidget):
        for i in range(widget.count()):
            yield widget.tabText(i)
            yield widget.tabToolTip(i)
    elif isinstance(widget, QMainWindow):
        yield widget.statusBar().currentMessage()
    if isinstance(widget, QAbstractItemView) and widget.model() is not None:
        yield from model_texts(widget.model())


def all_visible_text() -> str:
    """Every widget's texts (shown or hidden: a hidden label may be shown next), one blob."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    parts: list[str] = []
    for widget in app.allWidgets():
        parts.extend(t for t in widget_texts(widget) if t)
    return "\n".join(parts)
