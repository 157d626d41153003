"""Plain-text tables for a terminal: aligned columns, money and dates as a person reads them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from nfctagify_desktop.api import Order, OrderPage, PriceEntry, Product


def money(amount: Decimal | None, currency: str | None) -> str:
    if amount is None:
        return "-"
    return f"{amount:.2f} {currency or ''}".rstrip()


def when(value: datetime | None) -> str:
    return "-" if value is None else value.strftime("%Y-%m-%d %H:%M %Z").rstrip()


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], right: set[int]) -> str:
    """A plain aligned table; numeric columns (``right``) are right-aligned."""
    if not rows:
        return "(none)"
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]

    def line(cells: Sequence[str]) -> str:
        out = [
            c.rjust(widths[i]) if i in right else c.ljust(widths[i]) for i, c in enumerate(cells)
        ]
        return "  ".join(out).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths]), *map(line, rows)])


def products_table(products: list[Product]) -> str:
    rows = [
        [p.product_id, p.name, money(p.price, p.currency), str(p.min_quantity), p.description]
        for p in products
    ]
    return table(["PRODUCT", "NAME", "PRICE", "MIN QTY", "DESCRIPTION"], rows, {2, 3})


def pricing_table(prices: list[PriceEntry]) -> str:
    rows = [
        [
            p.product_id,
            p.name,
            money(p.price, p.currency),
            money(p.standard_price, p.currency),
            "custom" if p.is_override else "",
            str(p.min_quantity),
        ]
        for p in prices
    ]
    return table(
        ["PRODUCT", "NAME", "YOUR PRICE", "STANDARD", "OVERRIDE", "MIN QTY"], rows, {2, 3, 5}
    )


def orders_table(page: OrderPage) -> str:
    rows = [
        [
            o.order_id,
            o.status_raw,
            when(o.created_at),
            o.product_name or o.product_id or "-",
            "-" if o.quantity is None else str(o.quantity),
            money(o.total, o.currency),
            o.customer_reference or "",
        ]
        for o in page.orders
    ]
    text = table(
        ["ORDER", "STATUS", "CREATED", "PRODUCT", "QTY", "TOTAL", "REFERENCE"], rows, {4, 5}
    )
    p = page.pagination
    footer = f"page {p.page}"
    if p.total_pages is not None:
        footer += f" of {p.total_pages}"
    if p.total is not None:
        footer += f" ({p.total} orders)"
    return f"{text}\n{footer}"


def order_detail(order: Order) -> str:
    fields: list[tuple[str, str]] = [
        ("Order", order.order_id),
        ("Status", order.status_raw),
        ("Created", when(order.created_at)),
        ("Updated", when(order.updated_at)),
        ("Product", " ".join(x for x in (order.product_id, order.product_name) if x) or "-"),
        ("Quantity", "-" if order.quantity is None else str(order.quantity)),
        ("Unit price", money(order.unit_price, order.currency)),
        ("Total", money(order.total, order.currency)),
        ("Reference", order.customer_reference or "-"),
    ]
    if order.shipping is not None:
        s = order.shipping
        parts = [s.name, s.address_line1, s.address_line2, s.city, s.region, s.postcode, s.country]
        fields.append(("Ship to", ", ".join(p for p in parts if p)))
    width = max(len(k) for k, _ in fields)
    lines = [f"{k.ljust(width)}  {v}" for k, v in fields]
    if order.items:
        rows = [
            [
                i.item_id,
                i.name or i.product_id,
                str(i.quantity),
                money(i.unit_price, order.currency),
                money(i.line_total, order.currency),
                i.status_raw or "-",
            ]
            for i in order.items
        ]
        lines += [
            "",
            table(["ITEM", "NAME", "QTY", "UNIT", "LINE TOTAL", "STATUS"], rows, {2, 3, 4}),
        ]
    return "\n".join(lines)
