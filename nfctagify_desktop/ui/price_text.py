"""How the order form words a price: your price, and beside it the standard one and the saving."""

from __future__ import annotations

from decimal import Decimal

from nfctagify_desktop.ui.format import money


def price_line(
    price: Decimal, quantity: int | None, currency: str, standard: Decimal | None = None
) -> str:
    """``"£19.50 each — standard £24.00, you save £112.50"`` (the saving on this quantity).

    Without a custom price (no standard price, or the same one) only the unit price is shown;
    a custom price above the standard one says so rather than calling it a saving.
    """
    each = f"{money(price, currency)} each"
    if standard is None or standard == price:
        return each
    line = f"{each} — standard {money(standard, currency)}"
    if quantity is None or quantity < 1:
        return line
    difference = (standard - price) * quantity
    if difference > 0:
        return f"{line}, you save {money(difference, currency)}"
    return f"{line}, {money(-difference, currency)} more"


def total_line(price: Decimal, quantity: int | None, currency: str) -> str:
    """``"Total £975.00"``, or nothing while the quantity is not a number."""
    if quantity is None or quantity < 1:
        return ""
    return f"Total {money(price * quantity, currency)}"
