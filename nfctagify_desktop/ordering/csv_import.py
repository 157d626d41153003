"""Bulk orders from a CSV file: parse and validate every row, then send the good ones safely.

Columns (header row required, any order, case-insensitive; ``,`` or ``;`` separated; UTF-8
with or without BOM): ``product_id, quantity, customer_reference, name, address_line1,
address_line2, city, postcode, country``. ``customer_reference`` and ``address_line2`` may be
left out; an unknown column is an error, so a typo never silently drops data.

Re-importing is safe. Each row's draft has the source ``csv:<file name>:<line>`` and an
idempotency key derived from the file's content hash and the line, so:

* a row whose source and content already have a submitted draft is reported as
  "already imported (ord_…)" and not sent again (this also covers a file edited elsewhere);
* a row left ``unknown``/``draft``/``failed`` by an earlier import reuses its draft and key;
* and the server deduplicates the identical file anyway, through the same key.
"""

from __future__ import annotations

import asyncio
import csv
import hashlib
import io
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Final

from nfctagify_desktop.api.models import Product
from nfctagify_desktop.ordering.outbox import Draft, DraftState, Outbox
from nfctagify_desktop.ordering.submit import OrderSubmitter, Pacer, SubmitResult
from nfctagify_desktop.ordering.validation import (
    API_FIELD,
    OrderFields,
    errors_by_field,
    validate_order,
)

COLUMNS: Final[tuple[str, ...]] = (
    "product_id",
    "quantity",
    "customer_reference",
    "name",
    "address_line1",
    "address_line2",
    "city",
    "postcode",
    "country",
    "region",
)
OPTIONAL_COLUMNS: Final = frozenset({"customer_reference", "address_line2", "region"})

TEMPLATE_CSV: Final = (
    "product_id,quantity,customer_reference,name,address_line1,address_line2,city,postcode,country\n"
    "prod_standard,50,PO-1001,Jane Smith,12 Example Street,,London,EC1A 1BB,GB\n"
    'prod_premium_metal,10,PO-1002,Acme Ltd,"Unit 4, Riverside Park",Mill Lane,'
    "Manchester,M1 1AE,GB\n"
)

_KEY_NAMESPACE: Final = uuid.UUID("6f1d3c52-8a4e-4f5b-9c1e-2b7a9d0e4c11")
#: Stop an import after this many rows in a row whose fate is unknown (server unreachable).
MAX_CONSECUTIVE_UNKNOWN: Final = 3
#: Per row, how often to wait and resend after a per-minute 429 the client did not absorb.
MAX_RATE_LIMIT_ROUNDS: Final = 3


class CsvFormatError(ValueError):
    """The file as a whole cannot be read (encoding, header); the message is for the user."""


@dataclass(frozen=True)
class CsvRow:
    """One data row: its line in the file, the fields as typed, and what is wrong with them.

    Attributes:
        errors: field-keyed messages (API field names), empty when the row can be sent.
        file_hash: SHA-256 of the whole file, for deterministic idempotency keys.
    """

    line: int
    fields: OrderFields
    errors: dict[str, str] = field(default_factory=dict)
    file_hash: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors


class RowStatus(StrEnum):
    SUBMITTED = "submitted"
    ALREADY_IMPORTED = "already_imported"
    INVALID = "invalid"
    FAILED = "failed"
    UNKNOWN = "unknown"
    NOT_SENT = "not_sent"


@dataclass(frozen=True)
class RowResult:
    """What happened to one row; ``message`` is ready to show."""

    line: int
    status: RowStatus
    message: str
    draft_id: str | None = None
    order_id: str | None = None
    errors: dict[str, str] = field(default_factory=dict)
    #: Placed by an earlier attempt (the server replayed it for the row's key), not now.
    found_existing: bool = False


ProgressCallback = Callable[[int, int, RowResult], None]


def write_template(path: Path | str) -> None:
    """Save :data:`TEMPLATE_CSV` (UTF-8 with BOM, so Excel shows non-ASCII names right)."""
    Path(path).write_text(TEMPLATE_CSV, encoding="utf-8-sig", newline="")


def read_text(source: Path | str | bytes) -> str:
    """The CSV text from a path (a ``Path``), raw bytes, or the text itself (a ``str``)."""
    if isinstance(source, str):
        return source[1:] if source.startswith("\ufeff") else source
    data = source.read_bytes() if isinstance(source, Path) else source
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CsvFormatError(
            f"The file is not UTF-8 text (byte {exc.start}). In Excel, use "
            "Save As → 'CSV UTF-8 (Comma delimited)'."
        ) from None


def _header_key(name: str) -> str:
    key = name.strip().lower().replace(" ", "_").replace("-", "_")
    return key.removeprefix("shipping.")


def _dialect(text: str) -> type[csv.Dialect] | csv.Dialect:
    first = text.lstrip("\r\n").split("\n", 1)[0]
    counts = {d: first.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    if counts[best] > 0:
        return _with_delimiter(best)
    try:
        return csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        return csv.excel


def _with_delimiter(delimiter: str) -> type[csv.Dialect]:
    class _Dialect(csv.excel):
        pass

    _Dialect.delimiter = delimiter
    return _Dialect


def parse_csv(
    source: Path | str | bytes, products: Mapping[str, Product] | None = None
) -> list[CsvRow]:
    """Every data row with its validation errors (nothing is sent).

    Args:
        source: a file ``Path``, raw bytes, or the CSV text as ``str``.
        products: the catalogue by product id, for unknown ids and ``min_quantity``; None skips
            those checks (catalogue not loaded).

    Raises:
        CsvFormatError: not UTF-8, no header, a required column missing, an unknown column.
    """
    text = read_text(source)
    file_hash = hashlib.sha256(text.encode("utf-8")).hexdigest()
    reader = csv.reader(io.StringIO(text, newline=""), _dialect(text))
    header: list[str] | None = None
    for raw in reader:
        if any(cell.strip() for cell in raw):
            header = raw
            break
    if header is None:
        raise CsvFormatError("The file is empty; it needs a header row: " + ", ".join(COLUMNS))
    keys = [_header_key(h) for h in header]
    unknown = [
        h.strip() for h, k in zip(header, keys, strict=True) if k not in COLUMNS and h.strip()
    ]
    if unknown:
        raise CsvFormatError(
            f"Unknown column(s): {', '.join(unknown)}. Expected: {', '.join(COLUMNS)}"
        )
    dupes = sorted({k for k in keys if k and keys.count(k) > 1})
    if dupes:
        raise CsvFormatError(f"Column(s) given twice: {', '.join(dupes)}")
    missing = [c for c in COLUMNS if c not in keys and c not in OPTIONAL_COLUMNS]
    if missing:
        raise CsvFormatError(
            f"Missing column(s): {', '.join(missing)}. The first row must be the header: "
            + ", ".join(COLUMNS)
        )

    rows: list[CsvRow] = []
    seen: dict[OrderFields, int] = {}
    line = reader.line_num + 1
    for raw in reader:
        start, line = line, reader.line_num + 1
        if not any(cell.strip() for cell in raw):
            continue
        values = {k: (raw[i] if i < len(raw) else "") for i, k in enumerate(keys) if k}
        fields = OrderFields(**{c: values.get(c, "") for c in COLUMNS})
        errors = errors_by_field(validate_order(fields, products))
        if len(raw) > len(keys) and any(c.strip() for c in raw[len(keys) :]):
            errors.setdefault("", "The row has more cells than the header has columns")
        if fields in seen:
            errors.setdefault("", f"Same order as line {seen[fields]}")
        else:
            seen[fields] = start
        rows.append(CsvRow(start, fields, errors, file_hash))
    return rows


def row_source(source_name: str, line: int) -> str:
    return f"csv:{source_name}:{line}"


def row_idempotency_key(profile: str, file_hash: str, line: int) -> str:
    """Deterministic: the same file imported again sends the same key for each row."""
    return str(uuid.uuid5(_KEY_NAMESPACE, f"{profile}:{file_hash}:{line}"))


def describe_errors(errors: Mapping[str, str]) -> str:
    labels = {v: k for k, v in API_FIELD.items()}
    return "; ".join(f"{labels.get(k, k)}: {msg}" if k else msg for k, msg in errors.items())


def _stage(outbox: Outbox, row: CsvRow, profile: str, source: str) -> Draft | RowResult:
    """Find or create the row's draft, saved before anything is sent."""
    existing = outbox.find_by_source(profile, source)
    for d in existing:
        if d.fields == row.fields:
            if d.state is DraftState.SUBMITTED:
                return RowResult(
                    row.line,
                    RowStatus.ALREADY_IMPORTED,
                    f"Already imported ({d.order_id})",
                    d.id,
                    d.order_id,
                )
            return d  # keep its idempotency key: an earlier attempt may have landed
    key = row_idempotency_key(profile, row.file_hash, row.line)
    for d in existing:
        if d.state in (DraftState.DRAFT, DraftState.FAILED):
            # The row was fixed since it failed: same draft, new content and key.
            return outbox.save(
                Draft(
                    profile=profile,
                    fields=row.fields,
                    id=d.id,
                    idempotency_key=key,
                    source=source,
                    created_at=d.created_at,
                )
            )
    return outbox.save(
        Draft(profile=profile, fields=row.fields, idempotency_key=key, source=source)
    )


def _result(line: int, res: SubmitResult) -> RowResult:
    d = res.draft
    if d.state is DraftState.SUBMITTED:
        note = " (found among existing orders)" if res.reconciled else ""
        return RowResult(
            line,
            RowStatus.SUBMITTED,
            f"Ordered {d.order_id}{note}",
            d.id,
            d.order_id,
            found_existing=res.outcome.found_existing,
        )
    if d.state is DraftState.FAILED:
        errs = {d.error_field or "": d.last_error or "refused"}
        return RowResult(line, RowStatus.FAILED, d.last_error or "Refused", d.id, errors=errs)
    if d.state is DraftState.UNKNOWN:
        return RowResult(line, RowStatus.UNKNOWN, d.last_error or "Unknown", d.id)
    return RowResult(line, RowStatus.NOT_SENT, d.last_error or "Not sent; kept as a draft", d.id)


async def import_rows(
    rows: Sequence[CsvRow],
    submitter: OrderSubmitter,
    outbox: Outbox,
    pacer: Pacer | None,
    profile: str,
    source_name: str,
    on_progress: ProgressCallback | None = None,
) -> list[RowResult]:
    """Stage every valid row in the outbox, then send them one by one through the pacer.

    Invalid rows are reported with their errors and never sent. Cancelling leaves the rows not
    yet sent in the outbox as ``draft`` (the one in flight becomes ``unknown``). Returns one
    result per row, in file order.
    """
    total = len(rows)
    done = 0
    results: dict[int, RowResult] = {}

    def report(index: int, result: RowResult) -> None:
        nonlocal done
        results[index] = result
        done += 1
        if on_progress is not None:
            on_progress(done, total, result)

    to_send: list[tuple[int, CsvRow, Draft]] = []
    for index, row in enumerate(rows):
        if not row.ok:
            report(
                index,
                RowResult(
                    row.line, RowStatus.INVALID, describe_errors(row.errors), errors=row.errors
                ),
            )
            continue
        staged = _stage(outbox, row, profile, row_source(source_name, row.line))
        if isinstance(staged, RowResult):
            report(index, staged)
        else:
            to_send.append((index, row, staged))

    unknown_streak = 0
    stop_reason: str | None = None
    for index, row, draft in to_send:
        if stop_reason is not None:
            report(index, RowResult(row.line, RowStatus.NOT_SENT, stop_reason, draft.id))
            continue
        res = await submitter.submit(draft.id, pacer=pacer)
        rounds = 0
        while (
            res.state is DraftState.DRAFT
            and res.draft.error_code == "RATE_LIMITED"
            and rounds < MAX_RATE_LIMIT_ROUNDS
        ):
            rounds += 1
            await asyncio.sleep(min(res.retry_after or 1.0, 60.0))
            res = await submitter.submit(draft.id, pacer=pacer)
        result = _result(row.line, res)
        report(index, result)
        code = res.draft.error_code
        unknown_streak = unknown_streak + 1 if res.state is DraftState.UNKNOWN else 0
        if res.state is DraftState.DRAFT and code == "DAILY_ORDER_LIMIT":
            stop_reason = "Not sent: the daily order limit is reached; kept as a draft"
        elif res.state is DraftState.FAILED and code in ("UNAUTHORIZED", "FORBIDDEN"):
            stop_reason = f"Not sent: {res.draft.last_error}; kept as a draft"
        elif unknown_streak >= MAX_CONSECUTIVE_UNKNOWN:
            stop_reason = "Not sent: the server is not answering; kept as a draft"
    return [results[i] for i in range(total)]
