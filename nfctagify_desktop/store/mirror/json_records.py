"""Mirror records straight from the API's JSON, without pydantic (the start-up page only).

:func:`records_from_json` accepts a subset of what the client's ``Order`` model accepts:
each field with exactly its JSON type (an ISO 8601 text for times, a number or a number's
text for money). One order outside that subset and the whole page is refused (None), as the
client refuses a page with an invalid order; the normal path then loads it. Everything this
accepts, the model accepts too, so the ``data`` kept (the server's own object) reads back
through ``Order.model_validate_json`` like any other row.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from nfctagify_desktop.store.mirror.records import product_label, total_columns
from nfctagify_desktop.store.mirror.schema import ts
from nfctagify_desktop.store.mirror.store import MirrorRecord

_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})?")
_NUMBER = re.compile(r"-?\d+(\.\d+)?")


class _Refused(ValueError):
    """A value outside what the early path takes on trust."""


def _text(obj: dict[str, Any], name: str, *, required: bool = False) -> str | None:
    value = obj.get(name)
    if value is None and not required:
        return None
    if type(value) is not str:
        raise _Refused(name)
    return value


def _int(obj: dict[str, Any], name: str) -> int | None:
    value = obj.get(name)
    if value is None:
        return None
    if type(value) is not int:
        raise _Refused(name)
    return value


def _money(obj: dict[str, Any], name: str) -> Decimal | None:
    value = obj.get(name)
    if value is None:
        return None
    if type(value) is int or (type(value) is str and _NUMBER.fullmatch(value)):
        return Decimal(value)
    if type(value) is Decimal and value.is_finite():
        return value
    raise _Refused(name)


def _time(obj: dict[str, Any], name: str, *, required: bool = False) -> str | None:
    text = _text(obj, name, required=required)
    if text is None:
        return None
    if not _TIME.fullmatch(text):
        raise _Refused(name)
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return ts(value if value.tzinfo is not None else value.replace(tzinfo=UTC))


def _object(value: Any, name: str) -> dict[str, Any]:
    if type(value) is not dict:
        raise _Refused(name)
    return value


def _product(order: dict[str, Any], items: list[dict[str, Any]]) -> str:
    first = (_text(items[0], "name"), _text(items[0], "product_id")) if items else None
    return product_label(_text(order, "product_name"), first, _text(order, "product_id"))


def _record(order: dict[str, Any]) -> MirrorRecord:
    status = order.get("status")
    if status is not None and type(status) is not str:
        raise _Refused("status")
    items = [_object(item, "items") for item in order.get("items") or []]
    for item in items:
        for field in ("item_id", "product_id", "name", "status"):
            _text(item, field)
        _int(item, "quantity")
        _money(item, "unit_price")
        _money(item, "line_total")
    shipping = order.get("shipping")
    recipient = city = postcode = ""
    if shipping is not None:
        ship = _object(shipping, "shipping")
        recipient = _text(ship, "name", required=True) or ""
        city = _text(ship, "city", required=True) or ""
        _text(ship, "address_line1", required=True)
        _text(ship, "country", required=True)
        for field in ("address_line2", "region"):
            _text(ship, field)
        postcode = _text(ship, "postcode") or ""
    _text(order, "product_id")
    _money(order, "unit_price")
    total, total_num = total_columns(_money(order, "total"))
    return MirrorRecord(
        order_id=_text(order, "order_id", required=True) or "",
        status=status or "unknown",
        created_at=_time(order, "created_at", required=True) or "",
        updated_at=_time(order, "updated_at"),
        product=_product(order, items),
        quantity=_int(order, "quantity"),
        total=total,
        total_num=total_num,
        currency=_text(order, "currency"),
        reference=_text(order, "customer_reference") or "",
        recipient=recipient,
        city=city,
        postcode=postcode,
        data=json.dumps(order, default=str, ensure_ascii=False),
    )


def records_from_json(orders: list[Any]) -> list[MirrorRecord] | None:
    """The page's orders as mirror records, or None if any of them is not plainly valid."""
    try:
        return [_record(_object(order, "order")) for order in orders]
    except (_Refused, ValueError, InvalidOperation):
        return None


__all__ = ["records_from_json"]
