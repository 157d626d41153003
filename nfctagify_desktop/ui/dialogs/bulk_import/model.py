"""The preview: one model row per file row, showing what would be sent and what is wrong.

A plain list model (no widget per cell, no proxy), so 50,000 rows preview as fast as 50. The
columns are the order's fields as mapped; a cell whose field has a problem is red and says why
in its tooltip; the Status column shows the verdict, then what happened when sending.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

from PySide6.QtGui import QColor

from nfctagify_desktop.ordering.bulk import FIELDS, CheckedRow, Outcome, RowOutcome, Verdict
from nfctagify_desktop.ordering.fields import FIELDS as ORDER_FIELDS
from nfctagify_desktop.ordering.validation import API_FIELD
from nfctagify_desktop.ui import theme
from nfctagify_desktop.ui.models.table import (
    ALIGN_LEFT,
    ALIGN_RIGHT,
    BACKGROUND_ROLE,
    FOREGROUND_ROLE,
    Column,
    ListTableModel,
)


class PreviewRow:
    """A checked row and, once sent, its outcome."""

    __slots__ = ("outcome", "row")

    def __init__(self, row: CheckedRow) -> None:
        self.row = row
        self.outcome: RowOutcome | None = None

    def status(self) -> str:
        if self.outcome is not None:
            return outcome_text(self.outcome)
        verdict = self.row.verdict
        if verdict is Verdict.PLACED:
            return f"✓ {self.row.message}"
        if verdict is Verdict.INVALID:
            return f"✗ {self.row.message}"
        return "Ready" + (f" ({self.row.warnings[0]})" if self.row.warnings else "")


def outcome_text(o: RowOutcome) -> str:
    marks = {
        Outcome.PLACED: "✓",
        Outcome.ALREADY_PLACED: "✓",
        Outcome.REFUSED: "✗",
        Outcome.INVALID: "✗",
        Outcome.UNKNOWN: "?",
        Outcome.NOT_SENT: "–",
    }
    return f"{marks[o.outcome]} {o.message}"


def _status_bg(p: PreviewRow) -> QColor | None:
    if p.outcome is not None:
        if p.outcome.outcome in (Outcome.PLACED, Outcome.ALREADY_PLACED):
            return theme.bg("row.done")
        if p.outcome.outcome in (Outcome.UNKNOWN, Outcome.NOT_SENT):
            return theme.bg("row.warning")
        return theme.bg("cell.error")
    if p.row.verdict is Verdict.PLACED:
        return theme.bg("row.done")
    return theme.bg("cell.error") if p.row.errors else None


def _field_column(attr: str) -> Column:
    key = API_FIELD[attr]

    def display(p: PreviewRow) -> str:
        return str(getattr(p.row.fields, attr))

    def background(p: PreviewRow) -> QColor | None:
        if key in p.row.errors:
            return theme.bg("cell.error")
        return theme.bg("row.error") if p.row.errors else None

    def foreground(p: PreviewRow) -> QColor | None:
        return theme.fg("cell.error") if key in p.row.errors else None

    return Column(
        ORDER_FIELDS[attr].short,
        display,
        align=ALIGN_RIGHT if attr == "quantity" else ALIGN_LEFT,
        tooltip=lambda p: p.row.errors.get(key, ""),
        extra={BACKGROUND_ROLE: background, FOREGROUND_ROLE: foreground},
    )


class BulkRowsModel(ListTableModel):
    """Rows of the file as they would be sent."""

    columns = (
        Column("Row", lambda p: str(p.row.line), sort_key=lambda p: p.row.line, align=ALIGN_RIGHT),
        *(_field_column(attr) for attr in FIELDS),
        Column(
            "Status",
            lambda p: p.status(),
            sort_key=lambda p: (p.row.verdict.value, p.row.line),
            tooltip=lambda p: p.status(),
            extra={BACKGROUND_ROLE: _status_bg},
        ),
    )
    STATUS_COLUMN: Final = len(FIELDS) + 1
    #: Field -> its column.
    FIELD_COLUMNS: Final = {f: i + 1 for i, f in enumerate(FIELDS)}

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._by_line: dict[int, int] = {}

    def set_checked(self, rows: Sequence[CheckedRow]) -> None:
        self.set_rows([PreviewRow(r) for r in rows])
        self._index_lines()

    def _sort_rows(self, column: int, order: Any) -> None:
        super()._sort_rows(column, order)
        self._index_lines()

    def _index_lines(self) -> None:
        self._by_line = {p.row.line: i for i, p in enumerate(self._rows)}

    def set_outcomes(self, outcomes: Sequence[RowOutcome]) -> None:
        """Show what happened to each row (the Status column changes, nothing moves)."""
        for o in outcomes:
            i = self._by_line.get(o.row.line)
            if i is not None:
                self._rows[i].outcome = o
        if self._rows:
            col = self.STATUS_COLUMN
            self.dataChanged.emit(self.index(0, col), self.index(len(self._rows) - 1, col))

    def counts(self) -> dict[Verdict, int]:
        tally = dict.fromkeys(Verdict, 0)
        for p in self._rows:
            tally[p.row.verdict] += 1
        return tally

    def data(self, index: Any, role: int = 0) -> Any:
        value = super().data(index, role)
        return None if value == "" and role != 0 else value
