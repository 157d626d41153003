"""One table of addresses from many countries, with the verdict every entry point must give.

The order form, the CSV import, the command line and the core validation all run it (each in
its own test module) and must agree: ``None`` means sendable, otherwise the API field at fault.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Case:
    country: str
    region: str
    postcode: str
    #: The API field at fault, or None when the address is sendable.
    fault: str | None

    @property
    def id(self) -> str:
        return f"{self.country}-{self.region or 'noregion'}-{self.postcode or 'nopostcode'}"


CASES: tuple[Case, ...] = (
    Case("GB", "", "EC1A 1BB", None),
    Case("GB", "", "XYZ", "shipping.postcode"),
    Case("US", "CA", "94105", None),
    Case("US", "", "94105", "shipping.region"),
    Case("US", "CA", "ABC", "shipping.postcode"),
    Case("US", "NY", "94105", "shipping.postcode"),  # a California ZIP code in New York
    Case("DE", "", "10115", None),
    Case("DE", "", "1011X", "shipping.postcode"),
    Case("CA", "ON", "M5V 3L9", None),
    Case("CA", "", "M5V 3L9", "shipping.region"),
    Case("AU", "NSW", "2000", None),
    Case("AU", "", "2000", "shipping.region"),
    Case("AU", "Narnia", "2000", "shipping.region"),
    Case("JP", "Tokyo", "100-0001", None),
    Case("NL", "", "1011 AB", None),
    Case("NL", "", "1011", "shipping.postcode"),
    Case("FR", "", "75001", None),
    Case("IE", "", "D02 X285", None),
    Case("HK", "Kowloon", "", None),  # no postcodes in Hong Kong
    Case("BR", "SP", "01310-100", None),
    Case("IT", "RM", "00144", None),
    Case("IT", "", "00144", "shipping.region"),
    Case("PL", "", "00-950", None),
    Case("PL", "", "00950", "shipping.postcode"),
    Case("ZZ", "", "12345", "shipping.country"),
)

BASE = {
    "product_id": "prod_standard",
    "quantity": "25",
    "customer_reference": "PO-ADDR",
    "name": "Jane Smith",
    "address_line1": "12 Example Street",
    "city": "Town",
}


def first_fault(errors: dict[str, str] | list[str]) -> str | None:
    """The one field at fault (every case has at most one), None when there is none."""
    fields = sorted(errors)
    assert len(fields) <= 1, errors
    return fields[0] if fields else None
