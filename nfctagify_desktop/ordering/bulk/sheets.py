"""Spreadsheets (.xlsx, .xls, .ods) through python-calamine: stored values only.

Calamine reads the value a spreadsheet saved for each cell and never computes a formula, so a
``=HYPERLINK(...)`` cell arrives as its cached text (or empty) and is flagged like any other
formula-looking text.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from python_calamine import CalamineError, CalamineWorkbook

from nfctagify_desktop.ordering.bulk.table import (
    MAX_ROWS,
    BulkFileError,
    RawRow,
    Table,
    cell_text,
    check_cells,
)

_KINDS = {".xlsx": "xlsx", ".xlsm": "xlsx", ".xls": "xls", ".ods": "ods"}


def _kind(name: str, data: bytes) -> str:
    for suffix, kind in _KINDS.items():
        if name.lower().endswith(suffix):
            return kind
    return "xls" if data.startswith(b"\xd0\xcf") else "xlsx"


def read_spreadsheet(data: bytes, *, name: str, digest: str, sheet: str | None) -> Table:
    """The chosen sheet (default the first) as a :class:`Table`; BulkFileError otherwise."""
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = tuple(book.sheet_names)
        if not names:
            raise BulkFileError(f"{name} has no sheets.")
        chosen = sheet if sheet is not None else names[0]
        if chosen not in names:
            raise BulkFileError(
                f"{name} has no sheet {chosen!r}; its sheets are: {', '.join(names)}"
            )
        grid = book.get_sheet_by_name(chosen)
        if grid.height > MAX_ROWS + 1:
            raise BulkFileError(
                f"Sheet {chosen!r} has more than {MAX_ROWS:,} rows; split it into smaller files."
            )
        start = grid.start
        values = grid.to_python(skip_empty_area=False)
    except BulkFileError:
        raise
    except (CalamineError, ValueError, OSError, TypeError) as exc:
        raise BulkFileError(
            f"{name} cannot be read as a spreadsheet ({type(exc).__name__}: {exc}). If it is "
            "password-protected or damaged, open it and save a copy as .xlsx or CSV."
        ) from None
    except Exception as exc:  # calamine raises its own types from Rust; never crash on a file
        raise BulkFileError(f"{name} cannot be read as a spreadsheet: {exc}") from None
    top = start[0] if start is not None else 0
    return _table(
        values, top, name=name, digest=digest, kind=_kind(name, data), sheets=names, sheet=chosen
    )


def _table(
    values: Sequence[Sequence[object]],
    top: int,
    *,
    name: str,
    digest: str,
    kind: str,
    sheets: tuple[str, ...],
    sheet: str,
) -> Table:
    header_at = next(
        (i for i, r in enumerate(values) if any(cell_text(c).strip() for c in r)), None
    )
    if header_at is None:
        raise BulkFileError(
            f"Sheet {sheet!r} of {name} is empty: it needs a header row, then one row per order."
            + (
                f" Other sheets: {', '.join(s for s in sheets if s != sheet)}"
                if len(sheets) > 1
                else ""
            )
        )
    headers = [cell_text(c).strip() for c in values[header_at]]
    while headers and not headers[-1]:
        headers.pop()
    width = len(headers)
    rows: list[RawRow] = []
    blank = 0
    for offset, record in enumerate(values[header_at + 1 :], start=header_at + 2):
        cells = [cell_text(c) for c in record]
        if not any(c.strip() for c in cells):
            blank += 1
            continue
        row = RawRow(top + offset, cells[:width] + [""] * max(0, width - len(cells)))
        if any(c.strip() for c in cells[width:]):
            row.add_problem(-1, "The row has cells to the right of the last named column")
        check_cells(row)
        rows.append(row)
    return Table(
        name=name,
        kind=kind,
        headers=headers,
        rows=rows,
        digest=digest,
        sheets=sheets,
        sheet=sheet,
        notes=(f"{blank} blank row(s) skipped",) if blank else (),
    )


def _other_sheets(sheets: tuple[str, ...], sheet: str) -> str:
    others = [s for s in sheets if s != sheet]
    return f" Other sheets: {', '.join(others)}" if others else ""
