"""JSON on the wire: money as numbers with exactly two decimals, rows as contract shapes.

The stdlib encoder can only write floats (``3.5``), so this small encoder writes ``Decimal``
as its exact text (``3.50``); everything else goes through ``json`` itself.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from nfctagify_desktop.sandbox.clock import iso_z

_CENT = Decimal("0.01")


def money(pence: int) -> Decimal:
    """Integer pence to a two-decimal Decimal (``350`` -> ``Decimal('3.50')``)."""
    return (Decimal(pence) / 100).quantize(_CENT)


def dumps(value: Any) -> bytes:
    parts: list[str] = []
    _encode(value, parts)
    return "".join(parts).encode("utf-8")


def _encode(value: Any, out: list[str]) -> None:
    if isinstance(value, Decimal):
        out.append(format(value.quantize(_CENT), "f"))
    elif isinstance(value, Mapping):
        out.append("{")
        for index, (key, item) in enumerate(value.items()):
            if index:
                out.append(",")
            out.append(json.dumps(str(key), ensure_ascii=False))
            out.append(":")
            _encode(item, out)
        out.append("}")
    elif isinstance(value, Sequence) and not isinstance(value, str | bytes):
        out.append("[")
        for index, item in enumerate(value):
            if index:
                out.append(",")
            _encode(item, out)
        out.append("]")
    else:
        out.append(json.dumps(value, ensure_ascii=False))


def product_json(row: sqlite3.Row) -> dict[str, Any]:
    return {
        "product_id": row["product_id"],
        "name": row["name"],
        "description": row["description"],
        "price": money(row["price_pence"]),
        "currency": row["currency"],
        "min_quantity": row["min_quantity"],
    }


def price_json(row: sqlite3.Row) -> dict[str, Any]:
    return {
        "product_id": row["product_id"],
        "name": row["name"],
        "currency": row["currency"],
        "price": money(row["price_pence"]),
        "standard_price": money(row["standard_pence"]),
        "is_override": bool(row["is_override"]),
        "min_quantity": row["min_quantity"],
    }


def order_json(row: sqlite3.Row) -> dict[str, Any]:
    unit = money(row["unit_price_pence"])
    total = money(row["total_pence"])
    shipping: dict[str, Any] = {
        "name": row["ship_name"],
        "address_line1": row["ship_line1"],
    }
    if row["ship_line2"] is not None:
        shipping["address_line2"] = row["ship_line2"]
    shipping.update(
        city=row["ship_city"], postcode=row["ship_postcode"], country=row["ship_country"]
    )
    return {
        "order_id": row["order_id"],
        "status": row["status"],
        "created_at": iso_z(row["created_at"]),
        "updated_at": iso_z(row["updated_at"]),
        "product_id": row["product_id"],
        "product_name": row["product_name"],
        "quantity": row["quantity"],
        "customer_reference": row["customer_reference"],
        "currency": row["currency"],
        "unit_price": unit,
        "total": total,
        "shipping": shipping,
        "items": [
            {
                "item_id": row["item_id"],
                "product_id": row["product_id"],
                "name": row["product_name"],
                "quantity": row["quantity"],
                "unit_price": unit,
                "line_total": total,
                "status": row["status"],
            }
        ],
    }
