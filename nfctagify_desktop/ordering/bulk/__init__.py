"""Bulk orders from the files partners have: read, map, check, plan, send (Qt-free).

The same engine serves the import dialog and ``nfctagify orders import``:

1. :func:`read_file` -> a :class:`Table` (CSV in any common encoding, or a spreadsheet), or
   the one documented file-level error, :class:`BulkFileError`;
2. :func:`mapping_for` -> which column fills which field (synonyms, remembered per header set);
3. :func:`check_rows` -> each row ``ready``, ``invalid`` (every problem) or already ``placed``;
4. :func:`make_plan` -> count, totals, time under the rate limits;
5. :class:`BulkSender` -> paced, pausable, idempotent sending; :func:`write_rejected`.
"""

from nfctagify_desktop.ordering.bulk.encoding import CHOICES as ENCODING_CHOICES
from nfctagify_desktop.ordering.bulk.encoding import label as encoding_label
from nfctagify_desktop.ordering.bulk.mapping import (
    FIELDS,
    REQUIRED,
    ColumnInfo,
    Mapping,
    MappingMemory,
    build_mapping,
    guess_mapping,
    mapping_for,
)
from nfctagify_desktop.ordering.bulk.plan import Limits, SendPlan, duration, make_plan, money
from nfctagify_desktop.ordering.bulk.reader import read_bytes, read_file
from nfctagify_desktop.ordering.bulk.rejects import write_rejected
from nfctagify_desktop.ordering.bulk.rows import (
    CheckedRow,
    Counts,
    Verdict,
    check_rows,
    count,
    history_index,
    source_prefix,
)
from nfctagify_desktop.ordering.bulk.sender import (
    BulkSender,
    Outcome,
    Progress,
    RowOutcome,
    Summary,
    fast_clock_pacer,
)
from nfctagify_desktop.ordering.bulk.table import BulkFileError, RawRow, Table

__all__ = [
    "ENCODING_CHOICES",
    "FIELDS",
    "REQUIRED",
    "BulkFileError",
    "BulkSender",
    "CheckedRow",
    "ColumnInfo",
    "Counts",
    "Limits",
    "Mapping",
    "MappingMemory",
    "Outcome",
    "Progress",
    "RawRow",
    "RowOutcome",
    "SendPlan",
    "Summary",
    "Table",
    "Verdict",
    "build_mapping",
    "check_rows",
    "count",
    "duration",
    "encoding_label",
    "fast_clock_pacer",
    "guess_mapping",
    "history_index",
    "make_plan",
    "mapping_for",
    "money",
    "read_bytes",
    "read_file",
    "source_prefix",
    "write_rejected",
]
