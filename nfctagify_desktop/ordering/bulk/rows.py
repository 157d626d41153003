"""Every row checked like the order form, plus what only a file can get wrong.

A row is one of three things: ``ready`` to send, ``invalid`` (with every problem, keyed by
the API field name like the order form's messages), or ``placed`` already by an earlier import
of the same file (found in the outbox by its content-derived key), so a re-import sends
nothing twice.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from nfctagify_desktop.api.models import Order, Product
from nfctagify_desktop.ordering.bulk.mapping import FIELDS
from nfctagify_desktop.ordering.bulk.mapping import Mapping as ColumnMapping
from nfctagify_desktop.ordering.bulk.table import ROW, Table
from nfctagify_desktop.ordering.outbox import Draft, DraftState
from nfctagify_desktop.ordering.validation import (
    API_FIELD,
    OrderFields,
    errors_by_field,
    validate_order,
)

_KEY_NAMESPACE: Final = uuid.UUID("0b8f5d1e-3c2a-4e7b-9a61-5d4c3b2a1f08")
_WHOLE_FLOAT: Final = re.compile(r"^\s*\+?(\d+)\.0*\s*$")
#: Row-wide messages are keyed by this (the order form's key for a form-wide message).
ROW_KEY: Final = ""

#: The country of every row when no column gives one (the dialog says so).
DEFAULT_COUNTRY: Final = "GB"


class Verdict(StrEnum):
    READY = "ready"
    INVALID = "invalid"
    PLACED = "placed"


@dataclass(frozen=True, slots=True)
class CheckedRow:
    """One row's fields, problems and identity.

    Attributes:
        errors: API field name (``""`` for the whole row) -> message; empty when sendable.
        warnings: remarks that do not stop the row (a repeat allowed by the user).
        fingerprint: a hash of the row's normalised content: the same order gives the same one.
        key: the idempotency key sent with it, derived from profile, file name and content.
        placed: the earlier draft that already placed this row, if any.
    """

    line: int
    fields: OrderFields
    errors: dict[str, str]
    fingerprint: str
    key: str
    source: str
    warnings: tuple[str, ...] = ()
    placed: Draft | None = None
    product: Product | None = None

    @property
    def verdict(self) -> Verdict:
        if self.placed is not None:
            return Verdict.PLACED
        return Verdict.INVALID if self.errors else Verdict.READY

    @property
    def message(self) -> str:
        """Every problem on one line, field labels first (for tables and the rejects CSV)."""
        if self.placed is not None:
            return f"Already placed ({self.placed.order_id})"
        return describe(self.errors)


def describe(errors: Mapping[str, str]) -> str:
    labels = {api: FIELDS.get(flat, flat) for flat, api in API_FIELD.items()}
    return "; ".join(f"{labels.get(k, k)}: {m}" if k else m for k, m in errors.items())


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def fingerprint(fields: OrderFields) -> str:
    """Same order, same fingerprint: case, spacing and postcode spaces do not matter."""
    joined = "\x00".join(
        (
            fields.product_id.strip(),
            fields.quantity.strip(),
            fields.customer_reference.strip(),
            fields.name.strip(),
            fields.address_line1.strip(),
            fields.address_line2.strip(),
            fields.city.strip(),
            "".join(fields.postcode.split()),
            fields.region.strip(),
            fields.country.strip(),
        )
    )
    # Each part is stripped, so the only whitespace left is inside parts: collapse it.
    text = " ".join(joined.split()).casefold()
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def history_fingerprint(
    product_id: str, quantity: str, reference: str | None, name: str, postcode: str
) -> str:
    """What a past order and a row must share to be called a repeat."""
    parts = (
        product_id.strip(),
        _norm(quantity),
        _norm(reference or ""),
        _norm(name),
        _norm(postcode).replace(" ", ""),
    )
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def history_index(orders: Iterable[Order], drafts: Iterable[Draft] = ()) -> dict[str, str]:
    """Past orders (from the order mirror) and submitted drafts -> a short description."""
    index: dict[str, str] = {}
    for o in orders:
        if o.product_id is None or o.quantity is None or o.shipping is None:
            continue
        fp = history_fingerprint(
            o.product_id,
            str(o.quantity),
            o.customer_reference,
            o.shipping.name,
            o.shipping.postcode,
        )
        index.setdefault(fp, f"order {o.order_id} of {o.created_at:%Y-%m-%d}")
    for d in drafts:
        if d.state is DraftState.SUBMITTED:
            f = d.fields
            fp = history_fingerprint(
                f.product_id, f.quantity, f.customer_reference, f.name, f.postcode
            )
            index.setdefault(fp, f"order {d.order_id} of {d.updated_at:%Y-%m-%d}")
    return index


def source_prefix(file_name: str) -> str:
    return f"import:{file_name}:"


def row_key(profile: str, file_name: str, fp: str) -> str:
    """Deterministic: the same row of the same file, imported again, sends the same key."""
    return str(uuid.uuid5(_KEY_NAMESPACE, f"{profile}\x1f{file_name}\x1f{fp}"))


def _whole(text: str) -> str:
    """``"50.0"`` (a spreadsheet's float) -> ``"50"``; anything else unchanged."""
    match = _WHOLE_FLOAT.match(text)
    return match.group(1) if match else text


def check_rows(
    table: Table,
    mapping: ColumnMapping,
    *,
    profile: str,
    catalogue: Sequence[Product] | None = None,
    placed: Mapping[str, Draft] | None = None,
    history: Mapping[str, str] | None = None,
    allow_repeats: bool = False,
    default_country: str = DEFAULT_COUNTRY,
) -> list[CheckedRow]:
    """Check every row of ``table`` read through ``mapping``.

    Args:
        catalogue: the account's products (ids and exact names); None skips product checks.
        placed: :meth:`Outbox.by_source_prefix` for this file, to find rows already placed.
        history: :func:`history_index` of past orders, to flag repeats.
        allow_repeats: a repeat of a past order is a warning instead of an error.
        default_country: used when no column gives the country.
    """
    columns = mapping.fields
    mapped = {i: f for f, i in columns.items()}
    by_id = {p.product_id: p for p in catalogue} if catalogue is not None else None
    by_name = {_norm(p.name): p for p in catalogue if p.name} if catalogue is not None else {}
    placed = placed or {}
    history = history or {}
    prefix = source_prefix(table.name)
    seen: dict[str, int] = {}
    missing = {API_FIELD[f]: f"No column is mapped to {FIELDS[f]}" for f in mapping.missing}
    result: list[CheckedRow] = []
    for row in table.rows:
        cells = row.cells
        values = {f: cells[i] for f, i in columns.items()}
        if "country" not in values:
            values["country"] = default_country
        if "quantity" in values:
            values["quantity"] = _whole(values["quantity"])
        product = None
        raw_product = values.get("product_id", "").strip()
        if raw_product and by_id is not None:
            product = by_id.get(raw_product) or by_name.get(_norm(raw_product))
            if product is not None:
                values["product_id"] = product.product_id
        fields = OrderFields(**values)
        errors: dict[str, str] = {}
        if ROW in row.problems:
            errors[ROW_KEY] = row.problems[ROW]
        for column, message in row.problems.items():
            if column != ROW and column in mapped:
                errors.setdefault(API_FIELD[mapped[column]], message)
        errors.update(missing)
        for key, message in errors_by_field(validate_order(fields, product)).items():
            errors.setdefault(key, message)
        if raw_product and by_id is not None and product is None:
            errors.setdefault("product_id", f"No product with id or name {raw_product!r}")
        fp = fingerprint(fields)
        source = prefix + fp[:24]
        done = placed.get(source)
        if done is not None and done.state is not DraftState.SUBMITTED:
            done = None
        warnings: tuple[str, ...] = ()
        if done is None:
            first = seen.setdefault(fp, row.line)
            if first != row.line:
                errors.setdefault(ROW_KEY, f"Same order as row {first}")
            past = (
                history.get(
                    history_fingerprint(
                        fields.product_id,
                        fields.quantity,
                        fields.customer_reference,
                        fields.name,
                        fields.postcode,
                    )
                )
                if history
                else None
            )
            if past is not None:
                note = f"Looks like a repeat of {past} (same product, quantity, reference, name)"
                if allow_repeats:
                    warnings = (note,)
                else:
                    errors.setdefault(ROW_KEY, note + "; allow repeats to send it")
        result.append(
            CheckedRow(
                line=row.line,
                fields=fields,
                errors=errors,
                fingerprint=fp,
                key=row_key(profile, table.name, fp),
                source=source,
                warnings=warnings,
                placed=done,
                product=product,
            )
        )
    return result


@dataclass(frozen=True)
class Counts:
    ready: int = 0
    invalid: int = 0
    placed: int = 0

    @property
    def total(self) -> int:
        return self.ready + self.invalid + self.placed


def count(rows: Iterable[CheckedRow]) -> Counts:
    tally = {v: 0 for v in Verdict}
    for r in rows:
        tally[r.verdict] += 1
    return Counts(tally[Verdict.READY], tally[Verdict.INVALID], tally[Verdict.PLACED])
