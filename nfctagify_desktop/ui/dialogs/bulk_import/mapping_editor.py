"""The column mapping, editable: each column of the file with the field it fills.

One combo box per *column* of the file (a handful), never per cell. A column that matches no
field says "ignored", a likely misspelling says which field it probably means, and choosing a
field that another column already fills moves it (a field comes from one column only).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QLabel,
    QScrollArea,
    QWidget,
)

from nfctagify_desktop.ordering.bulk import FIELDS, REQUIRED, Mapping
from nfctagify_desktop.ordering.bulk.rows import DEFAULT_COUNTRY
from nfctagify_desktop.ordering.countries import country_name
from nfctagify_desktop.ui import theme

IGNORE = "(ignore)"


class MappingEditor(QScrollArea):
    """Signals: sig_changed(object): the edited :class:`Mapping`."""

    sig_changed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("bulkMappingEditor")
        self.setAccessibleName("Column mapping")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.mapping: Mapping | None = None
        self.combos: list[QComboBox] = []
        self.notes: list[QLabel] = []
        self._inner = QWidget()
        self._grid = QGridLayout(self._inner)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setHorizontalSpacing(10)
        self._grid.setVerticalSpacing(2)
        self.setWidget(self._inner)
        self.missing_label = QLabel("")
        self.missing_label.setObjectName("bulkMissingFields")
        theme.use(self.missing_label, "text.error")

    def set_mapping(self, mapping: Mapping) -> None:
        """Show ``mapping`` (a new file, or the result of an edit)."""
        same_columns = self.mapping is not None and [c.header for c in self.mapping.columns] == [
            c.header for c in mapping.columns
        ]
        self.mapping = mapping
        if not same_columns:
            self._rebuild()
        for column, combo, note in zip(mapping.columns, self.combos, self.notes, strict=True):
            combo.blockSignals(True)
            combo.setCurrentIndex(combo.findData(column.field or ""))
            combo.blockSignals(False)
            # As wide as its choice ("Customer reference" is not cut to "Customer refer").
            combo.setMinimumContentsLength(max(8, len(combo.currentText())))
            combo.setToolTip(combo.currentText())
            text = "" if column.field is not None else column.note
            note.setText(text)
            note.setToolTip(text)
            theme.use(note, "text.warning" if column.suggestion else "hint")
        missing = [FIELDS[f] for f in mapping.missing]
        notes = (
            ["No column gives: " + ", ".join(missing) + " (choose one above)"] if missing else []
        )
        if "country" not in mapping.fields:  # said, never silently assumed
            home = DEFAULT_COUNTRY
            notes.append(
                f"No Country column: every row ships to the {country_name(home)} ({home})."
            )
        self.missing_label.setText("\n".join(notes))
        theme.use(self.missing_label, "text.error" if missing else "text.warning")
        self.missing_label.setVisible(bool(notes))
        self._fit_height()

    def _rebuild(self) -> None:
        while self._grid.count():
            item = self._grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.combos, self.notes = [], []
        assert self.mapping is not None
        for i, column in enumerate(self.mapping.columns):
            header = QLabel(f"<b>{_escape(column.header) or f'Column {i + 1}'}</b>")
            header.setTextFormat(Qt.TextFormat.RichText)
            combo = QComboBox()
            combo.setMinimumContentsLength(8)
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setAccessibleName(f"Field for column {column.header or i + 1}")
            combo.addItem(IGNORE, "")
            for field, label in FIELDS.items():
                combo.addItem(label + (" *" if field in REQUIRED else ""), field)
            combo.currentIndexChanged.connect(lambda _i, col=i: self._edited(col))
            note = QLabel("")
            note.setWordWrap(False)
            self._grid.addWidget(header, 0, i)
            self._grid.addWidget(combo, 1, i)
            self._grid.addWidget(note, 2, i)
            self.combos.append(combo)
            self.notes.append(note)
        self._grid.setColumnStretch(len(self.mapping.columns), 1)

    def _edited(self, column: int) -> None:
        if self.mapping is None:
            return
        field = self.combos[column].currentData() or None
        edited = self.mapping.with_field(column, field)
        self.set_mapping(edited)
        self.sig_changed.emit(edited)

    def choose(self, column: int, field: str | None) -> None:
        """Set a column's field as a user would (tests, keyboard shortcuts)."""
        combo = self.combos[column]
        combo.setCurrentIndex(combo.findData(field or ""))

    def _fit_height(self) -> None:
        bar = self.horizontalScrollBar().sizeHint().height()
        self.setFixedHeight(self._inner.sizeHint().height() + bar + 2)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
