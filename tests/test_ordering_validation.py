"""Client-side order validation: field-keyed messages mirroring docs/api-assumptions.md."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from nfctagify_desktop.api.models import Product
from nfctagify_desktop.ordering.address import address_errors, normalize_postcode
from nfctagify_desktop.ordering.countries import COUNTRIES, COUNTRY_CODES, normalize_country
from nfctagify_desktop.ordering.validation import (
    Catalogue,
    FieldError,
    OrderFields,
    errors_by_field,
    to_order_create,
    validate_order,
)
from tests.address_table import BASE, CASES, Case

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


def check(fields: OrderFields, catalogue: Catalogue | None) -> dict[str, str]:
    return errors_by_field(validate_order(fields, catalogue))


def test_good_order_has_no_errors() -> None:
    assert validate_order(good(), STANDARD) == []
    assert validate_order(good(), [STANDARD, METAL]) == []
    assert validate_order(good(), {"prod_standard": STANDARD}) == []


def test_unknown_product_only_against_a_whole_catalogue() -> None:
    assert validate_order(good(product_id="prod_gone"), None) == []
    assert validate_order(good(product_id="prod_gone"), STANDARD) == []
    assert validate_order(good(product_id="prod_gone"), [STANDARD, METAL]) == [
        FieldError("product_id", "Unknown product 'prod_gone'")
    ]


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
        ({"postcode": "12345"}, STANDARD, "shipping.postcode", "for United Kingdom, e.g."),
        ({"country": ""}, STANDARD, "shipping.country", "required"),
        ({"country": "XX"}, STANDARD, "shipping.country", "not a country name or ISO code"),
        ({"country": "Narnia"}, STANDARD, "shipping.country", "not a country name or ISO code"),
        ({"country": "US", "postcode": "ABC"}, STANDARD, "shipping.postcode", "ZIP code"),
        ({"country": "US", "postcode": "94105"}, STANDARD, "shipping.region", "State is required"),
        ({"country": "DE", "postcode": "1011X"}, STANDARD, "shipping.postcode", "Germany"),
    ],
)
def test_field_errors(
    overrides: dict[str, str], product: Product | None, key: str, fragment: str
) -> None:
    errors = check(good(**overrides), product)
    assert key in errors, errors
    assert fragment in errors[key]


def test_all_problems_reported_at_once() -> None:
    errors = check(OrderFields(country=""), None)
    assert set(errors) == {
        "product_id",
        "quantity",
        "shipping.name",
        "shipping.address_line1",
        "shipping.city",
        "shipping.country",
    }
    # In form order, so the first problem is the first field to fix.
    assert [e.field for e in validate_order(OrderFields(), None)] == [
        "product_id",
        "quantity",
        "shipping.name",
        "shipping.address_line1",
        "shipping.city",
        "shipping.postcode",
    ]


def test_min_quantity_met() -> None:
    assert validate_order(good(product_id="prod_premium_metal", quantity="10"), METAL) == []


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
    assert normalize_postcode("GB", typed) == normalised
    assert validate_order(good(postcode=typed), STANDARD) == []


@pytest.mark.parametrize(
    "typed", ["12345", "EC1A 1B", "QQ1 1AA", "EC1A 1CC", "E1", "ABCDEFG", "SW1A-2AA", "1AA 1AA"]
)
def test_invalid_uk_postcodes(typed: str) -> None:
    errors = check(good(postcode=typed), STANDARD)
    assert errors["shipping.postcode"] == ("Not a valid postcode for United Kingdom, e.g. EC1Y 8SY")


def test_foreign_postcodes_follow_their_own_country() -> None:
    assert validate_order(good(country="DE", postcode="10115"), STANDARD) == []
    assert validate_order(good(country="us", region="CA", postcode="94105-1234"), STANDARD) == []
    # The ZIP code must belong to the state (Google's data has the prefixes).
    assert check(good(country="US", region="NY", postcode="94105"), STANDARD) == {
        "shipping.postcode": "Not a valid ZIP code for NY (United States), e.g. 95014"
    }
    # A region that is not one of the country's is not named in the postcode's message.
    errors = check(good(country="US", region="Ontario", postcode="ABC"), STANDARD)
    assert errors["shipping.postcode"] == "Not a valid ZIP code for United States, e.g. 95014"
    assert "Ontario" in errors["shipping.region"]


def test_to_order_create_normalises() -> None:
    order = to_order_create(
        good(quantity=" 25 ", postcode="ec1a1bb", country="uk", customer_reference=" ")
    )
    assert order.quantity == 25
    assert order.shipping.postcode == "EC1A 1BB"
    assert order.shipping.country == "GB"
    assert order.customer_reference is None
    assert order.shipping.address_line2 is None
    assert order.shipping.region is None
    assert "customer_reference" not in order.body()
    assert "region" not in order.body()["shipping"]


def test_to_order_create_sends_the_region_as_the_post_writes_it() -> None:
    order = to_order_create(good(country="US", region=" california ", postcode="94105"))
    assert order.body()["shipping"]["region"] == "CA"
    # A region typed for a country whose addresses have none is not sent.
    assert to_order_create(good(region="Greater London")).shipping.region is None
    # Hong Kong has no postcodes: the field is left out.
    hk = to_order_create(good(country="HK", region="Kowloon", postcode=""))
    assert "postcode" not in hk.body()["shipping"]


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


def test_data_check_proves_the_address_data_is_there() -> None:
    from nfctagify_desktop.ordering.address import data_check

    assert data_check() == "self-test: address rules for 249 countries"


_GOOD = [c for c in CASES if c.fault is None]
_PARTS = ("quantity", "name", "address_line1", "city", "postcode", "country", "region")


@settings(max_examples=300, deadline=None)
@given(
    address=st.sampled_from(_GOOD),
    changed=st.one_of(st.none(), st.sampled_from(_PARTS)),
    typed=st.one_of(
        st.text(max_size=30),
        st.integers(-5, 20_000).map(str),
        st.sampled_from(["gb", "uk", "USA", "Germany", "ZZ", "california", "ON", " 94105 "]),
    ),
)
def test_whatever_is_typed_gets_a_verdict_and_a_sendable_body(
    address: Case, changed: str | None, typed: str
) -> None:
    """Never an exception: either problems to show, or a body the wire model accepts (a
    valid address from the table, with at most one part replaced by anything at all)."""
    values = {
        **BASE,
        "country": address.country,
        "region": address.region,
        "postcode": address.postcode,
    }
    if changed is not None:
        values[changed] = typed
    fields = OrderFields(**values)
    problems = validate_order(fields, STANDARD)
    assert all(p.message for p in problems)
    event("sendable" if not problems else "refused")
    if not problems:
        body = to_order_create(fields).body()  # raises if the wire model refuses it
        ship = body["shipping"]
        assert ship["country"] in COUNTRY_CODES
        # The sandbox, given what is sent, agrees.
        region, postcode = ship.get("region", ""), ship.get("postcode", "")
        assert address_errors(ship["country"], region, postcode) == []
