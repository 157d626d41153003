"""Client-side order validation: field-keyed messages mirroring docs/api-assumptions.md."""

from __future__ import annotations

from decimal import Decimal

import pytest

from nfctagify_desktop.api.models import Product
from nfctagify_desktop.ordering.countries import COUNTRIES, COUNTRY_CODES, normalize_country
from nfctagify_desktop.ordering.validation import (
    OrderFields,
    normalize_uk_postcode,
    to_order_create,
    validate_order,
)

METAL = Product(
    product_id="prod_premium_metal", name="Metal", price=Decimal("19.50"), min_quantity=10
)
STANDARD = Product(product_id="prod_standard", name="Standard", price=Decimal("2.95"))


def good(**overrides: str) -> OrderFields:
    base = {
        "product_id": "prod_standard",
        "quantity": "50",
        "customer_reference": "PO-1",
        "name": "Jane Smith",
        "address_line1": "12 Example Street",
        "city": "London",
        "postcode": "EC1A 1BB",
        "country": "GB",
    }
    base.update(overrides)
    return OrderFields(**base)


def test_good_order_has_no_errors() -> None:
    assert validate_order(good(), STANDARD) == {}


@pytest.mark.parametrize(
    ("overrides", "product", "key", "fragment"),
    [
        ({"product_id": ""}, None, "product_id", "Choose a product"),
        ({"quantity": ""}, STANDARD, "quantity", "required"),
        ({"quantity": "abc"}, STANDARD, "quantity", "whole number"),
        ({"quantity": "5.5"}, STANDARD, "quantity", "whole number"),
        ({"quantity": "0"}, STANDARD, "quantity", "at least 1"),
        ({"quantity": "-3"}, STANDARD, "quantity", "whole number"),
        ({"quantity": "10001"}, STANDARD, "quantity", "at most 10,000"),
        ({"product_id": "prod_premium_metal", "quantity": "9"}, METAL, "quantity", "at least 10"),
        ({"name": "  "}, STANDARD, "shipping.name", "Name is required"),
        ({"name": "x" * 101}, STANDARD, "shipping.name", "at most 100"),
        ({"address_line1": ""}, STANDARD, "shipping.address_line1", "required"),
        ({"address_line2": "y" * 101}, STANDARD, "shipping.address_line2", "at most 100"),
        ({"city": "c" * 61}, STANDARD, "shipping.city", "at most 60"),
        ({"customer_reference": "r" * 65}, STANDARD, "customer_reference", "at most 64"),
        ({"postcode": ""}, STANDARD, "shipping.postcode", "required"),
        ({"postcode": "12345"}, STANDARD, "shipping.postcode", "e.g. EC1A 1BB"),
        ({"country": ""}, STANDARD, "shipping.country", "required"),
        ({"country": "XX"}, STANDARD, "shipping.country", "not an ISO country code"),
        ({"country": "Narnia"}, STANDARD, "shipping.country", "not an ISO country code"),
    ],
)
def test_field_errors(
    overrides: dict[str, str], product: Product | None, key: str, fragment: str
) -> None:
    errors = validate_order(good(**overrides), product)
    assert key in errors, errors
    assert fragment in errors[key]


def test_all_problems_reported_at_once() -> None:
    errors = validate_order(OrderFields(country=""), None)
    assert set(errors) == {
        "product_id",
        "quantity",
        "shipping.name",
        "shipping.address_line1",
        "shipping.city",
        "shipping.postcode",
        "shipping.country",
    }


def test_min_quantity_met() -> None:
    assert validate_order(good(product_id="prod_premium_metal", quantity="10"), METAL) == {}


@pytest.mark.parametrize(
    ("typed", "normalised"),
    [
        ("EC1A 1BB", "EC1A 1BB"),
        ("ec1a1bb", "EC1A 1BB"),
        ("  w1a   0ax ", "W1A 0AX"),
        ("M1 1AE", "M1 1AE"),
        ("B33 8TH", "B33 8TH"),
        ("CR2 6XH", "CR2 6XH"),
        ("DN55 1PT", "DN55 1PT"),
        ("SW1A 2AA", "SW1A 2AA"),
        ("GIR 0AA", "GIR 0AA"),
    ],
)
def test_valid_uk_postcodes(typed: str, normalised: str) -> None:
    assert normalize_uk_postcode(typed) == normalised
    assert validate_order(good(postcode=typed), STANDARD) == {}


@pytest.mark.parametrize(
    "typed", ["12345", "EC1A 1B", "QQ1 1AA", "EC1A 1CC", "E1", "ABCDEFG", "SW1A-2AA", "1AA 1AA"]
)
def test_invalid_uk_postcodes(typed: str) -> None:
    assert normalize_uk_postcode(typed) is None
    errors = validate_order(good(postcode=typed), STANDARD)
    assert errors["shipping.postcode"] == "Postcode is not a valid UK postcode, e.g. EC1A 1BB"


def test_foreign_postcodes_are_not_held_to_uk_format() -> None:
    assert validate_order(good(country="DE", postcode="10115"), STANDARD) == {}
    assert validate_order(good(country="us", postcode="94105-1234"), STANDARD) == {}


def test_to_order_create_normalises() -> None:
    order = to_order_create(
        good(quantity=" 25 ", postcode="ec1a1bb", country="uk", customer_reference=" ")
    )
    assert order.quantity == 25
    assert order.shipping.postcode == "EC1A 1BB"
    assert order.shipping.country == "GB"
    assert order.customer_reference is None
    assert order.shipping.address_line2 is None
    assert "customer_reference" not in order.body()


def test_to_order_create_rejects_non_integer_quantity() -> None:
    with pytest.raises(ValueError):
        to_order_create(good(quantity="ten"))


def test_countries_list() -> None:
    assert COUNTRIES[0] == ("GB", "United Kingdom")
    assert len(COUNTRIES) == 249 == len(COUNTRY_CODES)
    rest = [name for _, name in COUNTRIES[1:]]
    assert rest.index("France") < rest.index("Germany") < rest.index("Zimbabwe")
    assert {"US", "DE", "FR", "IE", "JP", "AU"} <= COUNTRY_CODES
    assert all(len(code) == 2 and code.isupper() for code, _ in COUNTRIES)


@pytest.mark.parametrize(
    ("typed", "code"),
    [("gb", "GB"), ("UK", "GB"), ("United Kingdom", "GB"), ("germany", "DE"), ("ZZ", None)],
)
def test_normalize_country(typed: str, code: str | None) -> None:
    assert normalize_country(typed) == code
