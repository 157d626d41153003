"""What a file reads as: a header and rows of text cells, plus what is wrong with each cell.

Readers (CSV, spreadsheets) never raise for a bad row: they record a problem on it, so every
hostile input ends either as per-row problems or as the one documented file-level error,
:class:`BulkFileError`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Final

#: A cell longer than this (characters) is cut and its row flagged; nothing longer is kept.
MAX_CELL_CHARS: Final = 128 * 1024
#: How much of an over-long cell is kept, to show in the preview.
KEPT_OF_LONG_CELL: Final = 200
#: Files larger than this are refused as a whole (the daily order limit is far smaller).
MAX_FILE_BYTES: Final = 64 * 1024 * 1024
#: Rows beyond this are refused as a whole rather than read slowly into memory.
MAX_ROWS: Final = 100_000
#: Column index of a problem that concerns the whole row.
ROW: Final = -1

_CONTROL: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_FORMULA: Final = re.compile(r"^\s*(?:[=@]|[+\-][^\d\s.,])")
#: Anything check_cells might flag, searched once over a whole row (cells joined by a line
#: break): most rows match nothing and skip the per-cell checks.
_SUSPECT: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]|^[=@+\\-\\s]", re.M)


class BulkFileError(ValueError):
    """The file cannot be read as a whole; the message says why and what to do.

    This is the only exception the readers raise for bad input: empty, binary or oversized
    files, unreadable spreadsheets, a missing sheet, an unknown encoding name.
    """


@dataclass(slots=True)
class RawRow:
    """One data row as text.

    Attributes:
        line: the row number a spreadsheet shows for it (the header is usually row 1).
        cells: one string per cell, padded to the header's width.
        problems: column index (or :data:`ROW`) -> what is wrong, e.g. a control character.
    """

    line: int
    cells: list[str]
    problems: dict[int, str] = field(default_factory=dict)

    def add_problem(self, column: int, message: str) -> None:
        self.problems.setdefault(column, message)


@dataclass(frozen=True)
class Table:
    """A whole file, read.

    Attributes:
        kind: ``"csv"``, ``"xlsx"``, ``"xls"`` or ``"ods"``.
        encoding: the codec used (CSV only) and ``encoding_reason`` how it was chosen.
        delimiter: the sniffed separator (CSV only).
        sheets: every sheet's name (spreadsheets only); ``sheet`` the one read.
        digest: SHA-256 of the file's bytes.
        notes: file-level remarks that are not errors (e.g. blank rows skipped).
    """

    name: str
    kind: str
    headers: list[str]
    rows: list[RawRow]
    digest: str
    encoding: str | None = None
    encoding_reason: str | None = None
    delimiter: str | None = None
    sheets: tuple[str, ...] = ()
    sheet: str | None = None
    notes: tuple[str, ...] = ()


def looks_like_formula(text: str) -> bool:
    """``=SUM(A1)``, ``@cmd``, ``+HYPERLINK(…)``; not ``+50`` or ``-3``."""
    return bool(text) and text[0] in "=@+- \t" and _FORMULA.match(text) is not None


def check_cells(row: RawRow) -> None:
    """Flag (never evaluate or silently change) formulas, control characters and huge cells.

    Messages name no column: the checker prefixes the field a problem lands in, and drops
    problems of ignored columns.
    """
    cells = row.cells
    if sum(map(len, cells)) <= MAX_CELL_CHARS and _SUSPECT.search("\n".join(cells)) is None:
        return
    for i, cell in enumerate(cells):
        if not cell:
            continue
        if len(cell) > MAX_CELL_CHARS:
            cells[i] = cell[:KEPT_OF_LONG_CELL] + "…"
            row.add_problem(
                i,
                f"the cell is {len(cell):,} characters long (at most {MAX_CELL_CHARS:,} are read)",
            )
            continue
        first = cell[0]
        if (first in "=@+-" or first.isspace()) and looks_like_formula(cell):
            row.add_problem(
                i,
                f"looks like a spreadsheet formula ({_short(cell)}); "
                "formulas are never run: type the value itself",
            )
        if _CONTROL.search(cell) is not None:
            char = _CONTROL.search(cell)
            code = ord(char.group()) if char else 0
            row.add_problem(i, f"contains a control character (U+{code:04X})")
        elif "\ufffd" in cell:
            row.add_problem(
                i,
                "has characters that cannot be read in this encoding; choose another encoding",
            )


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def cell_text(value: object) -> str:
    """A spreadsheet value as the text a user typed: 50.0 -> "50", a date -> "2026-11-29"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="seconds").removesuffix(" 00:00:00")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    return str(value)
