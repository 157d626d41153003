"""JSON on the wire: money as numbers with exactly two decimals, rows as contract shapes.

The stdlib encoder can only write floats (``3.5``); ``dumps`` writes ``Decimal`` as its exact
text (``3.50``) and everything else as ``json`` does.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from decimal import Decimal
from typing import Any

from nfctagify_desktop.sandbox.clock import iso_z

_CENT = Decimal("0.01")


def money(pence: int) -> Decimal:
    """Integer pence to a two-decimal Decimal (``350`` -> ``Decimal('3.50')``)."""
    return (Decimal(pence) / 100).quantize(_CENT)


#: Decimals leave json.dumps as marked strings, and the marks are then unquoted: one C-speed
#: encode per response instead of a Python walk (was ~20 ms of a 100-order page).
_MARK = "\ue000money:"
_MARKED = re.compile('"' + _MARK + r'(-?[0-9]+\.[0-9]+)"')


def _money_text(value: object) -> str:
    if isinstance(value, Decimal):
        return _MARK + format(value.quantize(_CENT), "f")
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def dumps(value: Any) -> bytes:
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=_money_text)
    return _MARKED.sub(r"\1", text).encode("utf-8")


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
    if row["ship_region"] is not None:
        shipping["region"] = row["ship_region"]
    body: dict[str, Any] = {
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
    if row["status"] in SHIPPED:
        body.update(tracking_for(row["order_id"]))
    return body


#: Statuses in which a parcel is with the carrier, so the order carries tracking.
SHIPPED = ("dispatched", "delivered")


def tracking_for(order_id: str) -> dict[str, str]:
    """Royal Mail-style tracking, stable per order (a check-free S10 look-alike number)."""
    digits = int(hashlib.sha256(order_id.encode()).hexdigest()[:12], 16) % 10**9
    number = f"RM{digits:09d}GB"
    return {
        "carrier": "Royal Mail",
        "tracking_number": number,
        "tracking_url": f"https://www.royalmail.com/track-your-item#/tracking-results/{number}",
    }
