"""Text the order form shows: product lines, the confirmation summary, a reorder's fields."""

from __future__ import annotations

import html
from decimal import Decimal

from nfctagify_desktop.api.models import Product
from nfctagify_desktop.ordering.countries import country_name
from nfctagify_desktop.ordering.reorder import fields_from_order as fields_from_order
from nfctagify_desktop.ordering.validation import OrderFields, to_order_create
from nfctagify_desktop.ui import theme
from nfctagify_desktop.ui.format import money
from nfctagify_desktop.ui.price_text import price_line


def product_text(product: Product) -> str:
    minimum = f", min. {product.min_quantity}" if product.min_quantity > 1 else ""
    return f"{product.name} — {money(Decimal(product.price), product.currency)} each{minimum}"


def summary_html(
    fields: OrderFields, product: Product | None, standard: Decimal | None = None
) -> str:
    """The confirmation page: what will be ordered, for how much, shipped where.

    ``standard``: the published price when the account has a custom one (shown beside it).
    """
    body = to_order_create(fields)
    esc = html.escape
    rows: list[tuple[str, str]] = []
    name = f"{product.name} ({body.product_id})" if product else body.product_id
    rows.append(("Product", esc(name)))
    rows.append(("Quantity", f"{body.quantity:,}"))
    if product is not None:
        total = Decimal(product.price) * body.quantity
        unit = price_line(Decimal(product.price), body.quantity, product.currency, standard)
        rows.append(("Unit price", esc(unit)))
        rows.append(("Total", f"<b>{esc(money(total, product.currency))}</b>"))
    rows.append(("Reference", esc(body.customer_reference or "—")))
    ship = body.shipping
    lines = [
        ship.name,
        ship.address_line1,
        ship.address_line2 or "",
        " ".join(x for x in (ship.city, ship.region, ship.postcode) if x),
        country_name(ship.country) or ship.country,
    ]
    rows.append(("Ship to", "<br>".join(esc(line) for line in lines if line)))
    hint = theme.swatch("hint").fg
    cells = "".join(
        f"<tr><td style='padding:3px 14px 3px 0; color:{hint}'>{k}</td>"
        f"<td style='padding:3px 0'>{v}</td></tr>"
        for k, v in rows
    )
    return f"<table>{cells}</table>"
