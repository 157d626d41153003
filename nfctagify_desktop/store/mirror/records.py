"""The API's Order model, flattened for the mirror (the sync side; this one imports pydantic)."""

from __future__ import annotations

from nfctagify_desktop.api.models import Order
from nfctagify_desktop.store.mirror.schema import ts
from nfctagify_desktop.store.mirror.store import MirrorRecord


def product_of(order: Order) -> str:
    if order.product_name:
        return order.product_name
    if order.items:
        return order.items[0].name or order.items[0].product_id
    return order.product_id or ""


def record_of(order: Order) -> MirrorRecord:
    ship = order.shipping
    return MirrorRecord(
        order_id=order.order_id,
        status=order.status_raw,
        created_at=ts(order.created_at),
        updated_at=ts(order.updated_at) if order.updated_at else None,
        product=product_of(order),
        quantity=order.quantity,
        total=None if order.total is None else format(order.total, "f"),
        total_num=None if order.total is None else float(order.total),
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


__all__ = ["product_of", "record_of", "records_of"]
