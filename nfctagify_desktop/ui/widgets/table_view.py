"""A QTableView with the app's defaults: row selection, sortable header, remembered columns."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtCore import QAbstractItemModel, QByteArray, QSettings, Qt
from PySide6.QtGui import (
    QAction,
    QContextMenuEvent,
    QGuiApplication,
    QKeySequence,
    QPainter,
    QPaintEvent,
)
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QMenu, QTableView, QWidget

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
        #: Builds the actions of the right-click menu for the selected rows (before "Copy").
        self.menu_actions: Callable[[list[int]], list[QAction | None]] | None = None
        self.last_menu: QMenu | None = None
        self.copy_action = QAction("&Copy", self)
        self.copy_action.setShortcut(QKeySequence.StandardKey.Copy)
        self.copy_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.copy_action.triggered.connect(self.copy_selection)
        self.addAction(self.copy_action)

    def selected_rows(self) -> list[int]:
        """The selected rows, top to bottom (the current row when nothing is selected)."""
        selection = self.selectionModel()
        rows = sorted({i.row() for i in selection.selectedRows()}) if selection else []
        if not rows and self.currentIndex().isValid():
            rows = [self.currentIndex().row()]
        return rows

    def selection_text(self) -> str:
        """The selected rows as tab-separated text with a header line, as spreadsheets paste."""
        model = self.model()
        if model is None:
            return ""
        columns = [c for c in range(model.columnCount()) if not self.isColumnHidden(c)]
        display = Qt.ItemDataRole.DisplayRole
        head = [str(model.headerData(c, Qt.Orientation.Horizontal, display) or "") for c in columns]
        lines = ["\t".join(head)]
        for row in self.selected_rows():
            cells = (model.data(model.index(row, c), display) for c in columns)
            lines.append("\t".join("" if v is None else str(v).replace("\t", " ") for v in cells))
        return "\n".join(lines)

    def copy_selection(self) -> None:
        if self.selected_rows():
            QGuiApplication.clipboard().setText(self.selection_text())

    def build_menu(self) -> QMenu:
        """The right-click (or Menu key) menu for the current selection."""
        menu = QMenu(self)
        rows = self.selected_rows()
        actions = self.menu_actions(rows) if self.menu_actions is not None and rows else []
        for action in actions:
            if action is None:
                menu.addSeparator()
            else:
                menu.addAction(action)
        if actions:
            menu.addSeparator()
        self.copy_action.setEnabled(bool(rows))
        menu.addAction(self.copy_action)
        return menu

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        index = self.indexAt(event.pos())
        selection = self.selectionModel()
        if index.isValid() and selection is not None and not selection.isRowSelected(index.row()):
            self.selectRow(index.row())
        menu = self.build_menu()
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.last_menu = menu
        menu.popup(event.globalPos())

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
