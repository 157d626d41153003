"""Printable documents as HTML for QTextDocument: an order confirmation and a multi-order summary.

Qt's rich-text engine understands a subset of HTML 4 and CSS, so the layout uses tables, inline
styles and no floats. Everything shown comes from the order as the API returned it; the partner's
own name and address come from the settings.
"""

from __future__ import annotations

import html
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from nfctagify_desktop import APP_NAME
from nfctagify_desktop.api.models import Order
from nfctagify_desktop.api.tracking import shipments_of
from nfctagify_desktop.ordering.countries import country_name
from nfctagify_desktop.ui.format import local_time, money, status_label

_INK = "#1d2430"
_MUTED = "#5b6472"
_RULE = "#c9ced6"
_HEAD_BG = "#eef1f5"

_STYLE = f"""
body {{ font-family: 'Segoe UI', 'Helvetica Neue', Arial, sans-serif; color: {_INK};
       font-size: 10pt; }}
.muted {{ color: {_MUTED}; }}
.small {{ font-size: 8.5pt; }}
th {{ background-color: {_HEAD_BG}; text-align: left; font-weight: 600; padding: 5px; }}
td {{ padding: 5px; border-bottom: 1px solid {_RULE}; vertical-align: top; }}
.num {{ text-align: right; white-space: nowrap; }}
.nowrap {{ white-space: nowrap; }}
.right {{ text-align: right; }}
table.list td, table.list th {{ font-size: 8.5pt; }}
.total td {{ font-weight: 700; border-bottom: none; }}
"""


@dataclass(frozen=True)
class Letterhead:
    """Who the document is from: the partner's business, and the account it was read from."""

    business: str
    account: str

    def html(self) -> str:
        lines = [line.strip() for line in self.business.splitlines() if line.strip()]
        name = html.escape(lines[0]) if lines else html.escape(self.account)
        rest = "<br>".join(html.escape(line) for line in lines[1:])
        account = html.escape(self.account)
        return (
            f'<span style="font-size: 13pt; font-weight: 700;">{name}</span>'
            + (f"<br>{rest}" if rest else "")
            + f'<br><span class="muted small">NFC Tagify partner account: {account}</span>'
        )


def _e(text: object) -> str:
    return html.escape("" if text is None else str(text))


def address_lines(order: Order) -> list[str]:
    """The shipping address as printed on a label, country spelt out."""
    ship = order.shipping
    if ship is None:
        return []
    place = " ".join(p for p in (ship.city, ship.region or "", ship.postcode) if p)
    lines = [ship.name, ship.address_line1, ship.address_line2 or "", place]
    lines.append(country_name(ship.country) or ship.country)
    return [line for line in lines if line]


def _header(title: str, letterhead: Letterhead, right: str) -> str:
    return (
        '<table width="100%" cellspacing="0" cellpadding="0"><tr>'
        f'<td style="border: none;" width="55%">{letterhead.html()}</td>'
        f'<td style="border: none;" width="45%" class="right">'
        f'<span style="font-size: 15pt; font-weight: 700;">{_e(title)}</span><br>{right}</td>'
        "</tr></table><hr>"
    )


def _footer(now: datetime | None) -> str:
    stamp = local_time(now or datetime.now(UTC))
    return f'<p class="muted small">Printed {_e(stamp)} from {_e(APP_NAME)}.</p>'


def confirmation_html(order: Order, letterhead: Letterhead, now: datetime | None = None) -> str:
    """One order as a business document: who, what, where to, how much, and tracking."""
    currency = order.currency
    right = (
        f"<b>{_e(order.order_id)}</b><br>"
        f'<span class="muted">Placed {_e(local_time(order.created_at))}</span><br>'
        f"Status: <b>{_e(status_label(order.status))}</b>"
    )
    if order.customer_reference:
        right += f"<br>Your reference: <b>{_e(order.customer_reference)}</b>"
    ship_to = "<br>".join(_e(line) for line in address_lines(order)) or "—"
    tracking = ""
    for shipment in shipments_of(order.model_dump(mode="json", by_alias=True)):
        tracking += f"<br>{_e(shipment.label)}"
        if shipment.tracking_url:
            tracking += f'<br><span class="small">{_e(shipment.tracking_url)}</span>'
    rows = []
    items = order.items or []
    if items:
        for item in items:
            rows.append(
                _line_row(
                    item.name or item.product_id,
                    item.product_id,
                    item.quantity,
                    item.unit_price,
                    item.line_total,
                    currency,
                )
            )
    else:
        rows.append(
            _line_row(
                order.product_name or order.product_id or "",
                order.product_id or "",
                order.quantity or 0,
                order.unit_price,
                order.total,
                currency,
            )
        )
    return (
        f"<html><head><style>{_STYLE}</style></head><body>"
        + _header("Order confirmation", letterhead, right)
        + '<table width="100%" cellspacing="0"><tr>'
        f'<td style="border: none;" width="50%"><b>Ship to</b><br>{ship_to}</td>'
        f'<td style="border: none;"><b>Delivery</b><br>'
        f"{_e(status_label(order.status))}{tracking}</td>"
        "</tr></table><br>"
        '<table width="100%" cellspacing="0">'
        '<tr><th>Product</th><th class="num">Quantity</th>'
        '<th class="num">Unit price</th><th class="num">Amount</th></tr>'
        + "".join(rows)
        + f'<tr class="total"><td colspan="3" class="num">Total</td>'
        f'<td class="num">{_e(money(order.total, currency))}</td></tr>'
        "</table><br>" + _footer(now) + "</body></html>"
    )


def _line_row(
    name: str,
    product_id: str,
    quantity: int,
    unit: Decimal | None,
    total: Decimal | None,
    currency: str | None,
) -> str:
    sub = f'<br><span class="muted small">{_e(product_id)}</span>' if product_id != name else ""
    return (
        f"<tr><td>{_e(name)}{sub}</td><td class='num'>{quantity}</td>"
        f"<td class='num'>{_e(money(unit, currency))}</td>"
        f"<td class='num'>{_e(money(total, currency))}</td></tr>"
    )


def summary_html(
    orders: Sequence[Order], letterhead: Letterhead, scope: str, now: datetime | None = None
) -> str:
    """Several orders on one document, with totals per currency. ``scope`` says which orders."""
    totals: dict[str, Decimal] = defaultdict(Decimal)
    rows = []
    for order in orders:
        ship = order.shipping
        where = ""
        if ship is not None:
            where = f"{_e(ship.name)}<br><span class='muted small'>{_e(ship.city)}</span>"
        if order.total is not None:
            totals[order.currency or ""] += order.total
        rows.append(
            f"<tr><td width='19%' class='nowrap'>{_e(order.order_id)}<br><span class='muted small'>"
            f"{_e(local_time(order.created_at))}</span></td>"
            f"<td width='15%'>{_e(order.customer_reference or '—')}</td>"
            f"<td width='18%'>{where}</td>"
            f"<td width='22%'>{_e(order.product_name or order.product_id or '')}</td>"
            f"<td class='num'>{_e(order.quantity if order.quantity is not None else '')}</td>"
            f"<td class='nowrap'>{_e(status_label(order.status))}</td>"
            f"<td class='num'>{_e(money(order.total, order.currency))}</td></tr>"
        )
    total_rows = "".join(
        f'<tr class="total"><td colspan="6" class="num">Total {_e(cur)}</td>'
        f'<td class="num">{_e(money(amount, cur or None))}</td></tr>'
        for cur, amount in sorted(totals.items())
    )
    count = f"{len(orders)} order" + ("" if len(orders) == 1 else "s")
    right = f"<b>{_e(count)}</b><br><span class='muted'>{_e(scope)}</span>"
    return (
        f"<html><head><style>{_STYLE}</style></head><body>"
        + _header("Order summary", letterhead, right)
        + '<table class="list" width="100%" cellspacing="0"><tr>'
        '<th width="19%">Order</th><th width="15%">Reference</th><th width="18%">Ship to</th>'
        '<th width="22%">Product</th><th width="6%" class="num">Qty</th>'
        '<th width="9%">Status</th><th width="11%" class="num">Total</th></tr>'
        + "".join(rows)
        + total_rows
        + "</table><br>"
        f"{_footer(now)}</body></html>"
    )


__all__ = ["Letterhead", "address_lines", "confirmation_html", "summary_html"]
