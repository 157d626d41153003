"""Read an order file: CSV/TSV in any common encoding, or an .xlsx/.xls/.ods spreadsheet.

One entry point, :func:`read_file`, returns a :class:`~.table.Table` or raises the documented
:class:`~.table.BulkFileError`; nothing else escapes for any input (a Hypothesis fuzz checks
this). Formula cells are read as their stored value, never evaluated, and flagged.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Final

from nfctagify_desktop.ordering.bulk import encoding as enc
from nfctagify_desktop.ordering.bulk.table import (
    MAX_CELL_CHARS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    ROW,
    BulkFileError,
    RawRow,
    Table,
    check_cells,
)

DELIMITERS: Final = (",", ";", "\t")
_ZIP: Final = b"PK\x03\x04"
_OLE: Final = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SNIFF_RECORDS: Final = 20

# The csv module refuses fields over its limit (128 KiB by default) with an exception that ends
# the whole read; a larger limit lets the reader see such a cell and flag just its row.
if csv.field_size_limit() < MAX_FILE_BYTES:
    csv.field_size_limit(MAX_FILE_BYTES)


def read_file(
    path: Path | str,
    *,
    encoding: str | None = None,
    sheet: str | None = None,
) -> Table:
    """Read ``path``; see :func:`read_bytes`. An unreadable path is a BulkFileError too."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise BulkFileError(_too_big(size))
        data = path.read_bytes()
    except OSError as exc:
        raise BulkFileError(f"Cannot open {path.name}: {exc.strerror or exc}") from None
    return read_bytes(data, name=path.name, encoding=encoding, sheet=sheet)


def read_bytes(
    data: bytes,
    *,
    name: str = "orders.csv",
    encoding: str | None = None,
    sheet: str | None = None,
) -> Table:
    """Read a file's content.

    Args:
        name: the file name, shown in messages and used to recognise ``.tsv``.
        encoding: a codec name to use instead of the detected one (CSV only).
        sheet: the sheet to read (spreadsheets only); default the first.

    Raises:
        BulkFileError: the file as a whole cannot be read; the message is for the user.
    """
    if len(data) > MAX_FILE_BYTES:
        raise BulkFileError(_too_big(len(data)))
    digest = hashlib.sha256(data).hexdigest()
    if data.startswith((_ZIP, _OLE)):
        from nfctagify_desktop.ordering.bulk.sheets import read_spreadsheet

        return read_spreadsheet(data, name=name, digest=digest, sheet=sheet)
    if encoding:
        try:
            guess = enc.EncodingGuess(enc.canonical(encoding), "chosen")
        except enc.UnknownEncodingError as exc:
            raise BulkFileError(f"{exc}; try UTF-8 or Windows-1252") from None
    else:
        guess = enc.detect(data)
    try:
        text = enc.decode(data, guess.encoding)
    except (LookupError, ValueError) as exc:  # e.g. a stateful codec that refuses errors=
        raise BulkFileError(f"Cannot read the file as {guess.label}: {exc}") from None
    _refuse_binary(text, name)
    return _read_csv(text, name=name, digest=digest, guess=guess)


def _too_big(size: int) -> str:
    return (
        f"The file is {size / 1024 / 1024:.0f} MiB; at most {MAX_FILE_BYTES // 1024 // 1024} MiB "
        "can be imported. Split it into smaller files."
    )


def _refuse_binary(text: str, name: str) -> None:
    """Binary data (an image, a PDF, a zip with the wrong name) is one file-level error."""
    sample = text[:65536]
    if not sample:
        return
    bad = sum(1 for ch in sample if ch < " " and ch not in "\t\r\n") + sample.count("\ufffd")
    if bad > max(8, len(sample) // 20):
        raise BulkFileError(
            f"{name} does not look like a CSV file or a spreadsheet (it holds binary data). "
            "Save it from your spreadsheet as CSV or .xlsx and import that."
        )


def sniff_delimiter(text: str, name: str = "") -> str:
    """``,``, ``;`` or tab: the one that splits the first rows into the most equal columns."""
    if name.lower().endswith(".tsv"):
        return "\t"
    sample = text[:65536]
    best, best_score = ",", (-1, -1)
    for delimiter in DELIMITERS:
        reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
        widths: list[int] = []
        try:
            for record in reader:
                if any(c.strip() for c in record):
                    widths.append(len(record))
                if len(widths) >= _SNIFF_RECORDS:
                    break
        except csv.Error:
            continue
        if not widths or widths[0] < 2:
            continue
        score = (sum(1 for w in widths if w == widths[0]), widths[0])
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _records(text: str, delimiter: str) -> Iterator[tuple[int, int, list[str]]]:
    """(first line, last line, cells) of each record; a NUL never stops the reader."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    start = 1
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:  # defensive: strict=False leaves almost nothing to raise
            yield start, reader.line_num, [f"\x00{exc}"]
            start = reader.line_num + 1
            continue
        yield start, reader.line_num, record
        start = reader.line_num + 1


def _read_csv(text: str, *, name: str, digest: str, guess: enc.EncodingGuess) -> Table:
    delimiter = sniff_delimiter(text, name)
    records = _records(text, delimiter)
    headers: list[str] | None = None
    row_number = 0
    for _first, _last, record in records:
        row_number += 1
        if any(c.strip() for c in record):
            headers = [h.strip() for h in record]
            break
    if headers is None:
        raise BulkFileError(f"{name} is empty: it needs a header row, then one row per order.")
    if any(len(h) > MAX_CELL_CHARS for h in headers):
        raise BulkFileError(f"{name}: the first row is not a header row (a cell is too long).")
    width = len(headers)
    rows: list[RawRow] = []
    blank = 0
    for first, last, record in records:
        row_number += 1
        if not record or not any(c.strip() for c in record):
            blank += 1
            continue
        if len(rows) >= MAX_ROWS:
            raise BulkFileError(
                f"{name} has more than {MAX_ROWS:,} rows; split it into smaller files."
            )
        row = RawRow(row_number, record)
        if len(record) < width:
            record.extend([""] * (width - len(record)))
        elif len(record) > width:
            if any(c.strip() for c in record[width:]):
                row.add_problem(ROW, "The row has more cells than the header has columns")
            del record[width:]
        if last > first:
            _check_merged(row, delimiter, width, first, last)
        check_cells(row)
        rows.append(row)
    notes = (f"{blank} blank row(s) skipped",) if blank else ()
    return Table(
        name=name,
        kind="csv",
        headers=headers,
        rows=rows,
        digest=digest,
        encoding=guess.encoding,
        encoding_reason=guess.reason,
        delimiter=delimiter,
        notes=notes,
    )


def _check_merged(row: RawRow, delimiter: str, width: int, first: int, last: int) -> None:
    """A quote left open swallows the following rows into one cell: say so, never merge."""
    threshold = max(1, width - 2)
    for i, cell in enumerate(row.cells):
        if "\n" not in cell and "\r" not in cell:
            continue
        lines = cell.splitlines()[1:]
        if any(line.count(delimiter) >= threshold for line in lines):
            row.add_problem(
                ROW,
                f'A quote (") opened in row {row.line} is not closed where it should be: '
                f"lines {first}–{last} of the file were read as one cell. Fix the quote and "
                "import again",
            )
            row.cells[i] = cell.splitlines()[0] + " …"
            return
