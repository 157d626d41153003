"""An optional date filter: a checkbox turns it on, the date edit has a calendar pop-up."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QCheckBox, QDateEdit, QHBoxLayout, QWidget


class DateFilter(QWidget):
    """An optional date: a checkbox turns it on, the date edit has a calendar pop-up."""

    changed = Signal()

    def __init__(self, label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.check = QCheckBox(label)
        self.check.setAccessibleName(f"Filter by {label.lower()} date")
        self.edit = QDateEdit(QDate.currentDate())
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat("yyyy-MM-dd")
        self.edit.setEnabled(False)
        self.edit.setAccessibleName(f"{label} date")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.check)
        layout.addWidget(self.edit)
        self.check.toggled.connect(self.edit.setEnabled)
        self.check.toggled.connect(lambda _: self.changed.emit())
        self.edit.dateChanged.connect(self._date_changed)

    def _date_changed(self) -> None:
        if self.check.isChecked():
            self.changed.emit()

    def value(self) -> QDate | None:
        return self.edit.date() if self.check.isChecked() else None

    def date(self) -> date | None:
        """The chosen day as a Python date (None: no limit)."""
        value = self.value()
        day = value.toPython() if value is not None else None
        return day if isinstance(day, date) else None

    def set_value(self, value: QDate | None) -> None:
        self.blockSignals(True)
        if value is not None:
            self.edit.setDate(value)
        self.check.setChecked(value is not None)
        self.blockSignals(False)
        self.changed.emit()
