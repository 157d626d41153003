"""Client-side validation of an order form, before anything is sent.

The rules mirror docs/api-assumptions.md so the user sees every problem at once, next to the
right field, instead of one 400 at a time. Messages are keyed by the API's field names
(``shipping.postcode``), the same names a server 400 uses, so the UI can show both the same way.
"""

from __future__ import annotations

import re
from typing import Final

from pydantic import BaseModel, ConfigDict

from nfctagify_desktop.api.models import OrderCreate, Product, ShippingInput
from nfctagify_desktop.ordering.countries import COUNTRY_CODES, normalize_country

MAX_QUANTITY: Final = 10_000

#: Form field (flat, as typed) -> API field name used as the key of validation messages.
API_FIELD: Final[dict[str, str]] = {
    "product_id": "product_id",
    "quantity": "quantity",
    "customer_reference": "customer_reference",
    "name": "shipping.name",
    "address_line1": "shipping.address_line1",
    "address_line2": "shipping.address_line2",
    "city": "shipping.city",
    "postcode": "shipping.postcode",
    "country": "shipping.country",
}

# (API field, human label, required, max length) from docs/api-assumptions.md point 1.
_TEXT_RULES: Final[tuple[tuple[str, str, str, bool, int], ...]] = (
    ("product_id", "product_id", "Product", True, 64),
    ("customer_reference", "customer_reference", "Customer reference", False, 64),
    ("name", "shipping.name", "Name", True, 100),
    ("address_line1", "shipping.address_line1", "Address line 1", True, 100),
    ("address_line2", "shipping.address_line2", "Address line 2", False, 100),
    ("city", "shipping.city", "Town or city", True, 60),
    ("postcode", "shipping.postcode", "Postcode", True, 16),
)

# Royal Mail formats (incl. GIR 0AA), as widely published (e.g. the UK government's bulk-data
# schema); the inward part is always digit + two letters from a restricted set.
_UK_POSTCODE = re.compile(
    r"^(GIR0AA|"
    r"(?:[A-PR-UWYZ][0-9][0-9]?"
    r"|[A-PR-UWYZ][A-HK-Y][0-9][0-9]?"
    r"|[A-PR-UWYZ][0-9][A-HJKPS-UW]"
    r"|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRV-Y])"
    r"[0-9][ABD-HJLNP-UW-Z]{2})$",
    re.IGNORECASE,
)
_INTEGER = re.compile(r"^[+]?[0-9]+$")


class OrderFields(BaseModel):
    """An order form as typed: raw strings, nothing coerced, so nothing typed is ever lost.

    Stored verbatim in the outbox (even when invalid) and turned into an ``OrderCreate`` only
    by :func:`to_order_create` once :func:`validate_order` passes.
    """

    model_config = ConfigDict(extra="ignore", frozen=True)

    product_id: str = ""
    quantity: str = ""
    customer_reference: str = ""
    name: str = ""
    address_line1: str = ""
    address_line2: str = ""
    city: str = ""
    postcode: str = ""
    country: str = "GB"


def normalize_uk_postcode(value: str) -> str | None:
    """``"ec1a1bb"`` -> ``"EC1A 1BB"``; None when it is not a UK postcode."""
    compact = re.sub(r"\s+", "", value).upper()
    if not _UK_POSTCODE.match(compact):
        return None
    return f"{compact[:-3]} {compact[-3:]}"


def parse_quantity(value: str) -> int | None:
    """A whole number as typed (``" 50 "``, ``"+50"``); None for anything else (``"5.5"``)."""
    text = value.strip()
    return int(text) if _INTEGER.match(text) else None


def validate_order(fields: OrderFields, product: Product | None) -> dict[str, str]:
    """Every problem of the form at once, keyed by API field name; empty means sendable.

    ``product`` is the catalogue entry of ``fields.product_id`` (for ``min_quantity``), or None
    when the catalogue is not loaded; an unknown product id is the caller's check (it knows
    whether the catalogue is complete).
    """
    errors: dict[str, str] = {}
    for attr, key, label, required, max_len in _TEXT_RULES:
        text = getattr(fields, attr).strip()
        if required and not text:
            errors[key] = "Choose a product" if attr == "product_id" else f"{label} is required"
        elif len(text) > max_len:
            errors[key] = f"{label} must be at most {max_len} characters (now {len(text)})"

    min_qty = max(1, product.min_quantity) if product is not None else 1
    if not fields.quantity.strip():
        errors["quantity"] = "Quantity is required"
    else:
        qty = parse_quantity(fields.quantity)
        if qty is None:
            errors["quantity"] = "Quantity must be a whole number"
        elif qty < min_qty:
            what = f" for {product.name}" if product is not None and product.name else ""
            errors["quantity"] = f"Quantity must be at least {min_qty}{what}"
        elif qty > MAX_QUANTITY:
            errors["quantity"] = f"Quantity must be at most {MAX_QUANTITY:,}"

    country = normalize_country(fields.country) if fields.country.strip() else None
    if not fields.country.strip():
        errors["shipping.country"] = "Country is required"
    elif country is None or country not in COUNTRY_CODES:
        errors["shipping.country"] = (
            f"Country {fields.country.strip()!r} is not an ISO country code, e.g. GB"
        )
    if (
        country == "GB"
        and "shipping.postcode" not in errors
        and normalize_uk_postcode(fields.postcode) is None
    ):
        errors["shipping.postcode"] = "Postcode is not a valid UK postcode, e.g. EC1A 1BB"
    return errors


def to_order_create(fields: OrderFields) -> OrderCreate:
    """The request body, normalised (trimmed, country upper case, UK postcode spaced).

    Call after :func:`validate_order` returned nothing; raises ``ValueError`` (pydantic's
    ``ValidationError`` is one) for a form that does not pass the wire model.
    """
    quantity = parse_quantity(fields.quantity)
    if quantity is None:
        raise ValueError("quantity: not a whole number")
    country = normalize_country(fields.country) or fields.country.strip().upper()
    postcode = fields.postcode.strip()
    if country == "GB":
        postcode = normalize_uk_postcode(postcode) or postcode
    return OrderCreate(
        product_id=fields.product_id.strip(),
        quantity=quantity,
        customer_reference=fields.customer_reference.strip() or None,
        shipping=ShippingInput(
            name=fields.name.strip(),
            address_line1=fields.address_line1.strip(),
            address_line2=fields.address_line2.strip() or None,
            city=fields.city.strip(),
            postcode=postcode,
            country=country,
        ),
    )
