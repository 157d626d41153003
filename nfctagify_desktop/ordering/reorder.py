"""A new order like an old one: the form's reorder and the Orders tab's bulk reorder share it."""

from __future__ import annotations

from nfctagify_desktop.api.models import Order
from nfctagify_desktop.ordering.validation import OrderFields


def fields_from_order(order: Order) -> OrderFields:
    """Same product, quantity and address; the reference is left for the new order's own."""
    ship = order.shipping
    product_id = order.product_id or (order.items[0].product_id if order.items else "")
    quantity = order.quantity or (order.items[0].quantity if order.items else None)
    return OrderFields(
        product_id=product_id or "",
        quantity=str(quantity) if quantity else "",
        customer_reference="",
        name=ship.name if ship else "",
        address_line1=ship.address_line1 if ship else "",
        address_line2=(ship.address_line2 or "") if ship else "",
        city=ship.city if ship else "",
        postcode=ship.postcode if ship else "",
        country=ship.country if ship else "GB",
        region=(ship.region or "") if ship else "",
    )


__all__ = ["fields_from_order"]
