"""The rejected rows as a CSV to fix and import again.

It keeps the file's own columns and cells, in their order, and adds a ``Problem`` column
(ignored on re-import, as any unknown column). UTF-8 with a BOM, comma separated, so Excel
opens it with accents intact. A cell that a spreadsheet would run as a formula is written with
a leading apostrophe, so opening the file never executes it.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path
from typing import Final

from nfctagify_desktop.ordering.bulk.sender import RowOutcome
from nfctagify_desktop.ordering.bulk.table import Table, looks_like_formula

PROBLEM_COLUMN: Final = "Problem"


def _safe(cell: str) -> str:
    return "'" + cell if looks_like_formula(cell) else cell


def write_rejected(path: Path | str, table: Table, outcomes: Iterable[RowOutcome]) -> int:
    """Write the rejected rows of ``outcomes``; returns how many were written."""
    by_line = {r.line: r for r in table.rows}
    written = 0
    path = Path(path)
    tmp = path.with_name(path.name + ".part")
    with tmp.open("w", encoding="utf-8-sig", newline="") as fh:
        out = csv.writer(fh)
        out.writerow([*map(_safe, table.headers), PROBLEM_COLUMN])
        for o in outcomes:
            if not o.rejected:
                continue
            raw = by_line.get(o.row.line)
            cells = raw.cells if raw is not None else []
            out.writerow([*map(_safe, cells), _safe(o.message)])
            written += 1
    tmp.replace(path)
    return written
