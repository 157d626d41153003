"""The fields of an order, declared once: names, labels, mnemonics, limits.

The order form, the CSV preview, the command line and validation all read this table, so a
field is called the same everywhere and its limits cannot drift. Limits and whether a field is
required come from the API models (``OrderCreate``, ``ShippingInput``), which are what the
Partner API accepts; only the words are written here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from annotated_types import Ge, Le, MaxLen
from pydantic import BaseModel

from nfctagify_desktop.api.models import OrderCreate, ShippingInput

__all__ = ["FIELDS", "OrderField", "by_api", "cli_help"]


@dataclass(frozen=True)
class OrderField:
    #: Attribute of ``OrderFields`` (the form as typed) and CSV column name.
    key: str
    #: The API's name, as in a 400's ``field`` and validation messages' keys.
    api: str
    #: As a person reads it ("Address line 1").
    label: str
    #: The form's label, with its Alt+key mnemonic ("Address line &1:").
    form_label: str
    #: A narrow column's title ("Address 1").
    short: str
    #: The command line option ("--address1").
    option: str
    #: Placeholder text in an empty input.
    hint: str
    required: bool
    max_length: int | None
    minimum: int | None
    maximum: int | None

    def limits_text(self) -> str:
        """ "required, at most 100 characters": the rule in words, for help texts."""
        bits = ["required" if self.required else "optional"]
        if self.max_length is not None:
            bits.append(f"at most {self.max_length} characters")
        if self.minimum is not None and self.maximum is not None:
            bits.append(f"{self.minimum:,}-{self.maximum:,}")
        return ", ".join(bits)


def _model_field(api: str) -> tuple[type[BaseModel], str]:
    if api.startswith("shipping."):
        return ShippingInput, api.removeprefix("shipping.")
    return OrderCreate, api


def _field(
    key: str,
    api: str,
    label: str,
    form_label: str,
    short: str,
    option: str,
    hint: str = "",
) -> OrderField:
    model, name = _model_field(api)
    info = model.model_fields[name]
    meta: list[Any] = list(info.metadata)
    max_length = next((m.max_length for m in meta if isinstance(m, MaxLen)), None)
    minimum = next((m.ge for m in meta if isinstance(m, Ge) and isinstance(m.ge, int)), None)
    maximum = next((m.le for m in meta if isinstance(m, Le) and isinstance(m.le, int)), None)
    return OrderField(
        key=key,
        api=api,
        label=label,
        form_label=form_label,
        short=short,
        option=option,
        hint=hint,
        required=info.is_required(),
        max_length=max_length,
        minimum=minimum,
        maximum=maximum,
    )


#: Every field, in the order the form shows them.
FIELDS: Final[dict[str, OrderField]] = {
    f.key: f
    for f in (
        _field("product_id", "product_id", "Product", "&Product:", "Product", "--product"),
        _field("quantity", "quantity", "Quantity", "&Quantity:", "Qty", "--quantity"),
        _field(
            "customer_reference",
            "customer_reference",
            "Customer reference",
            "Re&ference:",
            "Reference",
            "--reference",
            "Your PO or job number",
        ),
        _field("name", "shipping.name", "Name", "&Name:", "Name", "--name", "Person or company"),
        _field(
            "address_line1",
            "shipping.address_line1",
            "Address line 1",
            "Address line &1:",
            "Address 1",
            "--address1",
        ),
        _field(
            "address_line2",
            "shipping.address_line2",
            "Address line 2",
            "Address line &2:",
            "Address 2",
            "--address2",
            "Optional",
        ),
        _field("city", "shipping.city", "Town or city", "&Town or city:", "City", "--city"),
        _field("country", "shipping.country", "Country", "Countr&y:", "Country", "--country"),
        _field("region", "shipping.region", "Region", "R&egion:", "Region", "--region"),
        _field(
            "postcode",
            "shipping.postcode",
            "Postcode",
            "Post&code:",
            "Postcode",
            "--postcode",
            "e.g. EC1A 1BB",
        ),
    )
}


def by_api(api: str) -> OrderField | None:
    """The field an API name (``shipping.city``) refers to."""
    return next((f for f in FIELDS.values() if f.api == api), None)


def cli_help(key: str, extra: str = "") -> str:
    """The command line's help for a field: its label and its limits (and ``extra``)."""
    field = FIELDS[key]
    text = f"{field.label.lower()} ({field.limits_text()})"
    return f"{text}; {extra}" if extra else text
