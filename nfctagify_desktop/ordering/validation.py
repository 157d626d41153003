"""Client-side validation of an order, before anything is sent: one set of rules for all.

The order form, the CSV import, the command line and the sandbox all call
:func:`validate_order`, so an address gets the same verdict wherever it is typed. The rules
mirror docs/api-assumptions.md so the user sees every problem at once, next to the right
field, instead of one 400 at a time. Problems are keyed by the API's field names
(``shipping.postcode``), the same names a server 400 uses, so both show the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Final

from pydantic import BaseModel, ConfigDict

from nfctagify_desktop.api.models import OrderCreate, Product, ShippingInput
from nfctagify_desktop.ordering.address import (
    FieldError,
    address_errors,
    address_format,
    normalize_postcode,
    normalize_region,
)
from nfctagify_desktop.ordering.countries import COUNTRY_CODES, normalize_country
from nfctagify_desktop.ordering.fields import FIELDS

__all__ = [
    "API_FIELD",
    "MAX_QUANTITY",
    "Catalogue",
    "FieldError",
    "OrderFields",
    "errors_by_field",
    "parse_quantity",
    "to_order_create",
    "validate_order",
]

#: What :func:`validate_order` checks products against: the whole catalogue (by id or as a
#: list; an id not in it is an error), or just the chosen product (for its minimum).
Catalogue = Mapping[str, Product] | Iterable[Product] | Product

MAX_QUANTITY: Final = FIELDS["quantity"].maximum or 10_000

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
    "region": "shipping.region",
    "country": "shipping.country",
}

# (form field, API field, label, required, max length), from the field table (the API models).
_TEXT_RULES: Final[tuple[tuple[str, str, str, bool, int], ...]] = tuple(
    (f.key, f.api, f.label, f.required, f.max_length)
    for f in (
        FIELDS[k]
        for k in (
            "product_id",
            "customer_reference",
            "name",
            "address_line1",
            "address_line2",
            "city",
            "postcode",
            "region",
        )
    )
    if f.max_length is not None
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
    #: State, province, county… where the country's addresses have one (US, CA, AU…).
    region: str = ""


def parse_quantity(value: str) -> int | None:
    """A whole number as typed (``" 50 "``, ``"+50"``); None for anything else (``"5.5"``)."""
    text = value.strip()
    return int(text) if _INTEGER.match(text) else None


def _product(fields: OrderFields, catalogue: Catalogue | None) -> tuple[Product | None, bool]:
    """(the chosen product if known, whether the id is known not to exist)."""
    pid = fields.product_id.strip()
    if catalogue is None:
        return None, False
    if isinstance(catalogue, Product):
        return (catalogue, False) if catalogue.product_id == pid else (None, False)
    if isinstance(catalogue, Mapping):
        found = catalogue.get(pid)
    else:
        found = next((p for p in catalogue if p.product_id == pid), None)
    return found, found is None


def validate_order(fields: OrderFields, catalogue: Catalogue | None = None) -> list[FieldError]:
    """Every problem of an order at once, in form order; empty means sendable.

    ``catalogue`` is the account's products (a mapping by id or any iterable: an id not in it
    is reported), or only the chosen product (its ``min_quantity`` applies), or None when the
    catalogue is not loaded (the server then has the last word on the product).
    """
    problems: list[FieldError] = []
    product, unknown = _product(fields, catalogue)
    pid = fields.product_id.strip()
    for attr, key, label, required, max_len in _TEXT_RULES:
        text = getattr(fields, attr).strip()
        if required and not text:
            message = "Choose a product" if attr == "product_id" else f"{label} is required"
            problems.append(FieldError(key, message))
        elif len(text) > max_len:
            problems.append(
                FieldError(key, f"{label} must be at most {max_len} characters (now {len(text)})")
            )
        elif attr == "product_id" and unknown:
            problems.append(FieldError(key, f"Unknown product {pid!r}"))
    quantity = _quantity_error(fields.quantity, product)
    if quantity is not None:
        problems.append(FieldError("quantity", quantity))

    typed_country = fields.country.strip()
    country = normalize_country(typed_country) if typed_country else None
    if not typed_country:
        problems.append(FieldError("shipping.country", "Country is required"))
    elif country is None or country not in COUNTRY_CODES:
        problems.append(
            FieldError(
                "shipping.country",
                f"Country {typed_country!r} is not a country name or ISO code, e.g. GB",
            )
        )
    else:
        taken = {p.field for p in problems}
        problems += [
            p
            for p in address_errors(country, fields.region, fields.postcode)
            if p.field not in taken
        ]
    order = list(API_FIELD.values())
    return sorted(problems, key=lambda p: order.index(p.field) if p.field in order else 99)


def _quantity_error(typed: str, product: Product | None) -> str | None:
    min_qty = max(1, product.min_quantity) if product is not None else 1
    if not typed.strip():
        return "Quantity is required"
    qty = parse_quantity(typed)
    if qty is None:
        return "Quantity must be a whole number"
    if qty < min_qty:
        what = f" for {product.name}" if product is not None and product.name else ""
        return f"Quantity must be at least {min_qty}{what}"
    if qty > MAX_QUANTITY:
        return f"Quantity must be at most {MAX_QUANTITY:,}"
    return None


def errors_by_field(problems: Iterable[FieldError]) -> dict[str, str]:
    """The first problem of each field, keyed by API field name (for showing next to fields)."""
    out: dict[str, str] = {}
    for p in problems:
        out.setdefault(p.field, p.message)
    return out


def to_order_create(fields: OrderFields) -> OrderCreate:
    """The request body, normalised (trimmed, country code, postcode and region as posted).

    Call after :func:`validate_order` returned nothing; raises ``ValueError`` (pydantic's
    ``ValidationError`` is one) for a form that does not pass the wire model.
    """
    quantity = parse_quantity(fields.quantity)
    if quantity is None:
        raise ValueError("quantity: not a whole number")
    country = normalize_country(fields.country) or fields.country.strip().upper()
    postcode = normalize_postcode(country, fields.postcode)
    fmt = address_format(country)
    region = normalize_region(country, fields.region)
    if fmt is not None and not fmt.has_regions:
        region = ""
    return OrderCreate(
        product_id=fields.product_id.strip(),
        quantity=quantity,
        customer_reference=fields.customer_reference.strip() or None,
        shipping=ShippingInput(
            name=fields.name.strip(),
            address_line1=fields.address_line1.strip(),
            address_line2=fields.address_line2.strip() or None,
            city=fields.city.strip(),
            postcode=postcode or None,
            region=region or None,
            country=country,
        ),
    )
