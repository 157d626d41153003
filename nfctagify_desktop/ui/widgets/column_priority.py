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

    Columns without a priority count as least important. ``elastic`` columns (column: the
    narrowest useful width) give up width, their text elided, before any column is hidden.
    """

    def __init__(
        self,
        view: QTableView,
        priorities: Mapping[int, int],
        elastic: Mapping[int, int] | None = None,
    ) -> None:
        super().__init__(view)
        self.view = view
        self.priorities = dict(priorities)
        self.elastic = dict(elastic or {})
        self.auto_hidden: set[int] = set()
        self._widths: dict[int, int] = {}
        self._squeezed: set[int] = set()
        self._applying = False
        # Owned by this object, so it cannot fire after the view is gone.
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.refit)
        view.viewport().installEventFilter(self)
        header = view.horizontalHeader()
        for column in range(header.count()):  # widths set before this object existed
            self._section_resized(column, 0, header.sectionSize(column))
        header.sectionResized.connect(self._section_resized)
        header.sectionCountChanged.connect(lambda *_: self.schedule())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.schedule()
        return False

    @property
    def pending(self) -> bool:
        return self._timer.isActive()

    def schedule(self) -> None:
        """Refit once the current burst of resizes is over."""
        self._timer.start()

    def _section_resized(self, column: int, _old: int, new: int) -> None:
        header = self.view.horizontalHeader()
        if self._applying:  # our own squeezing is not the user's width
            return
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
        header = self.view.horizontalHeader()
        available = self.view.viewport().width()
        if available <= 0:
            return
        candidates = [
            c
            for c in range(header.count())
            if c in self.auto_hidden or not header.isSectionHidden(c)
        ]
        squeeze = sum(self._width(c) for c in candidates) > available
        keep: set[int] = set()
        used = 0
        for column in sorted(candidates, key=lambda c: (self._priority(c), header.visualIndex(c))):
            width = self._narrowest(column) if squeeze else self._width(column)
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
        self._size_elastic(keep, available - used if squeeze else 0, squeeze)

    def _narrowest(self, column: int) -> int:
        return min(self._width(column), self.elastic.get(column, self._width(column)))

    def _size_elastic(self, shown: set[int], spare: int, squeeze: bool) -> None:
        """Elastic columns: their full width when all fits, else their least plus what is left."""
        header = self.view.horizontalHeader()
        stretched = self._stretched()
        self._applying = True
        try:
            for column in sorted(self.elastic, key=header.visualIndex):
                if column not in shown or column == stretched:
                    continue
                full = self._width(column)
                if squeeze:
                    least = self._narrowest(column)
                    width = min(full, least + max(0, spare))
                    spare -= width - least
                    self._squeezed.add(column)
                elif column in self._squeezed:
                    width = full
                    self._squeezed.discard(column)
                else:
                    continue
                if header.sectionSize(column) != width:
                    header.resizeSection(column, width)
        finally:
            self._applying = False

    def show_all(self) -> None:
        """Every column back as the user set it (e.g. before saving the header state)."""
        header = self.view.horizontalHeader()
        for column in sorted(self.auto_hidden):
            header.setSectionHidden(column, False)
        self.auto_hidden.clear()
        self._size_elastic(set(range(header.count())), 0, squeeze=False)


__all__ = ["ESSENTIAL", "ColumnPriorities"]
