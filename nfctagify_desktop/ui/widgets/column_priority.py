"""Hide a table's least important columns while it is too narrow to show them all.

In a narrow window the money and the status matter more than, say, a product ID: rather than
push them behind a horizontal scroll bar, columns are hidden from the least important up, and
come back as the table widens. Columns the user hid stay hidden; the user's widths are kept.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QTableView

#: Priority of a column that is never hidden for width.
ESSENTIAL = 0


class ColumnPriorities(QObject):
    """Keeps ``view``'s columns within its width by priority (0 = essential, higher = less).

    Columns without a priority count as least important.
    """

    def __init__(self, view: QTableView, priorities: Mapping[int, int]) -> None:
        super().__init__(view)
        self.view = view
        self.priorities = dict(priorities)
        self.auto_hidden: set[int] = set()
        self._widths: dict[int, int] = {}
        self._pending = False
        view.viewport().installEventFilter(self)
        header = view.horizontalHeader()
        header.sectionResized.connect(self._section_resized)
        header.sectionCountChanged.connect(lambda *_: self.schedule())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.schedule()
        return False

    def schedule(self) -> None:
        """Refit once the current burst of resizes is over."""
        if not self._pending:
            self._pending = True
            QTimer.singleShot(0, self.refit)

    def _section_resized(self, column: int, _old: int, new: int) -> None:
        header = self.view.horizontalHeader()
        if new > 0 and column != self._stretched() and not header.isSectionHidden(column):
            self._widths[column] = new

    def _stretched(self) -> int:
        """The last visible column, which the header stretches to fill the width."""
        header = self.view.horizontalHeader()
        for visual in range(header.count() - 1, -1, -1):
            column = header.logicalIndex(visual)
            if not header.isSectionHidden(column):
                return column
        return -1

    def _width(self, column: int) -> int:
        header = self.view.horizontalHeader()
        natural = max(header.sectionSizeHint(column), self.view.sizeHintForColumn(column))
        return self._widths.get(column, natural)

    def _priority(self, column: int) -> int:
        return self.priorities.get(column, max(self.priorities.values(), default=0) + 1)

    def refit(self) -> None:
        """Show the most important columns that fit the viewport, hide the rest."""
        self._pending = False
        header = self.view.horizontalHeader()
        available = self.view.viewport().width()
        if available <= 0:
            return
        candidates = [
            c
            for c in range(header.count())
            if c in self.auto_hidden or not header.isSectionHidden(c)
        ]
        keep: set[int] = set()
        used = 0
        for column in sorted(candidates, key=lambda c: (self._priority(c), header.visualIndex(c))):
            width = self._width(column)
            if self._priority(column) == ESSENTIAL or used + width <= available:
                keep.add(column)
                used += width
        for column in candidates:
            hide = column not in keep
            if hide != header.isSectionHidden(column):
                header.setSectionHidden(column, hide)
                if not hide and column in self._widths:
                    header.resizeSection(column, self._widths[column])
            if hide:
                self.auto_hidden.add(column)
            else:
                self.auto_hidden.discard(column)

    def show_all(self) -> None:
        """Bring back every column hidden for width (e.g. before saving the header state)."""
        header = self.view.horizontalHeader()
        for column in sorted(self.auto_hidden):
            header.setSectionHidden(column, False)
        self.auto_hidden.clear()


__all__ = ["ESSENTIAL", "ColumnPriorities"]
