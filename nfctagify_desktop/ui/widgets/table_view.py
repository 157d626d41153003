"""A QTableView with the app's defaults: row selection, sortable header, remembered columns."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget


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

    def save_state(self, settings: QSettings) -> None:
        settings.setValue(f"columns/{self.objectName()}", self.horizontalHeader().saveState())

    def restore_state(self, settings: QSettings) -> bool:
        state = settings.value(f"columns/{self.objectName()}")
        if isinstance(state, QByteArray) and not state.isEmpty():
            return bool(self.horizontalHeader().restoreState(state))
        return False
