"""The API's Order model, flattened for the mirror (the sync side).

The rules shared with the start-up page's JSON path (``json_records``) take plain values, so
that path needs no pydantic: the model is only named in annotations here.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from nfctagify_desktop.store.mirror.schema import ts
from nfctagify_desktop.store.mirror.store import MirrorRecord

if TYPE_CHECKING:
    from nfctagify_desktop.api.models import Order


def product_label(
    product_name: str | None,
    first_item: tuple[str | None, str | None] | None,
    product_id: str | None,
) -> str:
    """The list's product: the order's product name, else its first item's name or product id,
    else the order's product id. ``first_item`` is that item's (name, product_id)."""
    if product_name:
        return product_name
    if first_item is not None:
        return first_item[0] or first_item[1] or ""
    return product_id or ""


def total_columns(total: Decimal | None) -> tuple[str | None, float | None]:
    """The total as the mirror keeps it: exact text to show, a float to sort by."""
    return (None, None) if total is None else (format(total, "f"), float(total))


def product_of(order: Order) -> str:
    first = (order.items[0].name, order.items[0].product_id) if order.items else None
    return product_label(order.product_name, first, order.product_id)


def record_of(order: Order) -> MirrorRecord:
    ship = order.shipping
    total, total_num = total_columns(order.total)
    return MirrorRecord(
        order_id=order.order_id,
        status=order.status_raw,
        created_at=ts(order.created_at),
        updated_at=ts(order.updated_at) if order.updated_at else None,
        product=product_of(order),
        quantity=order.quantity,
        total=total,
        total_num=total_num,
        currency=order.currency,
        reference=order.customer_reference or "",
        recipient=ship.name if ship else "",
        city=ship.city if ship else "",
        postcode=ship.postcode if ship else "",
        # == json.dumps(model_dump(mode="json", by_alias=True)), in Rust.
        data=order.model_dump_json(by_alias=True),
    )


def records_of(orders: list[Order]) -> list[MirrorRecord]:
    return [record_of(o) for o in orders]


__all__ = ["product_label", "product_of", "record_of", "records_of", "total_columns"]
