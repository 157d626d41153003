"""A QTableView with the app's defaults: row selection, sortable header, remembered columns."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QAbstractItemModel, QByteArray, QSettings, Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from nfctagify_desktop.ui import theme
from nfctagify_desktop.ui.widgets.column_priority import ColumnPriorities

#: What a view of an account says before that account's data has loaded once.
NOT_LOADED = "Not loaded yet"


class TableView(QTableView):
    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAlternatingRowColors(True)
        self.setSortingEnabled(True)
        self.setWordWrap(False)
        self.setTabKeyNavigation(False)  # Tab moves between controls, arrows between cells
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(28)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSortIndicatorShown(True)
        # Size columns from the first rows only: measuring all 100 rows of a page cost ~50 ms.
        header.setResizeContentsPrecision(self.FIT_SAMPLE_ROWS)
        self._fitted = False
        self.column_fit: ColumnPriorities | None = None
        self.placeholder_text = ""

    def set_placeholder(self, text: str) -> None:
        """What an empty table says in its middle (e.g. "Not loaded yet"); "" for nothing."""
        self.placeholder_text = text
        self.setAccessibleDescription(text)
        self.viewport().update()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        model = self.model()
        if self.placeholder_text and (model is None or model.rowCount() == 0):
            painter = QPainter(self.viewport())
            painter.setPen(theme.fg("hint"))
            painter.drawText(
                self.viewport().rect().adjusted(12, 12, -12, -12),
                Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                self.placeholder_text,
            )
            painter.end()

    def set_column_priorities(
        self, priorities: Mapping[int, int], elastic: Mapping[int, int] | None = None
    ) -> None:
        """In a narrow window, narrow ``elastic`` columns (to the width given), then hide the
        least important columns first (priority 0 = always shown)."""
        self.column_fit = ColumnPriorities(self, priorities, elastic)

    #: Widest a column gets when sized to its contents (long descriptions are elided).
    MAX_AUTO_WIDTH = 340
    #: Rows measured when sizing columns to their contents.
    FIT_SAMPLE_ROWS = 25

    def setModel(self, model: QAbstractItemModel | None) -> None:
        super().setModel(model)
        if model is not None:
            model.modelReset.connect(self._data_arrived)
            model.layoutChanged.connect(self._data_arrived)

    def _data_arrived(self) -> None:
        model = self.model()
        if not self._fitted and model is not None and model.rowCount() > 0:
            self.fit_columns_once()

    def fit_columns_once(self) -> None:
        """Size columns to their contents the first time data arrives, unless the user's
        own widths were restored; later loads keep whatever the user set."""
        if self._fitted:
            return
        self._fitted = True
        self.resizeColumnsToContents()
        header = self.horizontalHeader()
        for col in range(header.count()):
            if header.sectionSize(col) > self.MAX_AUTO_WIDTH:
                header.resizeSection(col, self.MAX_AUTO_WIDTH)
        if self.column_fit is not None:
            self.column_fit.schedule()

    def save_state(self, settings: QSettings) -> None:
        fit = self.column_fit
        if fit is not None:  # columns hidden for width are not the user's choice: save them shown
            fit.show_all()
        settings.setValue(f"columns/{self.objectName()}", self.horizontalHeader().saveState())
        if fit is not None:
            fit.refit()

    def restore_state(self, settings: QSettings) -> bool:
        state = settings.value(f"columns/{self.objectName()}")
        if isinstance(state, QByteArray) and not state.isEmpty():
            self._fitted = bool(self.horizontalHeader().restoreState(state))
            if self.column_fit is not None:
                self.column_fit.auto_hidden.clear()
                self.column_fit.schedule()
            return self._fitted
        return False
