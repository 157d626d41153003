"""Wire models: tolerant of what a real server may send, strict about what we send.

Property tests generate the documented shapes with extra and missing optional fields, and feed
malformed bodies through the client (MockTransport) to prove a bad response is always an
``InvalidResponseError``, never a pydantic ``ValidationError`` or a ``KeyError``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from nfctagify_desktop.api import (
    InvalidResponseError,
    Order,
    OrderCreate,
    OrderQuery,
    OrderStatus,
    PartnerClient,
    PriceEntry,
    Product,
    ShippingInput,
)

# Function-scoped `arun` is stateless per example; deadline off: the Qt loop adds jitter.
CLIENT_SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
MODEL_SETTINGS = settings(max_examples=100, deadline=None)

json_scalars = st.none() | st.booleans() | st.integers() | st.text(max_size=20)
json_values = st.recursive(
    json_scalars | st.floats(allow_nan=False, allow_infinity=False),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=8,
)
money = st.decimals(min_value=0, max_value=Decimal("999999.99"), places=2)
ids = st.from_regex(r"[a-z]{3,5}_[a-z0-9]{1,12}", fullmatch=True)
texts = st.text(min_size=1, max_size=40)
aware_datetimes = st.datetimes(
    min_value=datetime(2000, 1, 1),
    max_value=datetime(2100, 1, 1),
    timezones=st.sampled_from([UTC, timezone(timedelta(hours=2)), timezone(timedelta(hours=-7))]),
)


def extra_fields(known: set[str]) -> st.SearchStrategy[dict[str, Any]]:
    """Fields a newer server might add; they must be kept, never fail validation."""
    names = st.from_regex(r"[a-z][a-z0-9_]{0,15}", fullmatch=True).filter(
        lambda n: n not in known and not n.startswith("model_")
    )
    return st.dictionaries(names, json_values, max_size=4)


@st.composite
def with_optional(
    draw: st.DrawFn, required: dict[str, Any], optional: dict[str, Any]
) -> dict[str, Any]:
    """``required`` plus a random subset of ``optional`` plus unknown extra fields."""
    out = dict(required)
    for key, value in optional.items():
        if draw(st.booleans()):
            out[key] = value
    known = set(required) | set(optional) | {"status_raw"}
    out.update(draw(extra_fields(known)))
    return out


def timestamp_text(value: datetime, zulu: bool) -> str:
    if zulu:
        return value.astimezone(UTC).replace(tzinfo=None).isoformat() + "Z"
    return value.isoformat()


@st.composite
def product_dicts(draw: st.DrawFn) -> dict[str, Any]:
    return draw(
        with_optional(
            {"product_id": draw(ids), "name": draw(texts), "price": draw(money)},
            {
                "description": draw(st.text(max_size=60)),
                "currency": draw(st.sampled_from(["GBP", "EUR", "USD"])),
                "min_quantity": draw(st.integers(1, 500)),
            },
        )
    )


@st.composite
def price_dicts(draw: st.DrawFn) -> dict[str, Any]:
    return draw(
        with_optional(
            {"product_id": draw(ids), "price": draw(money)},
            {
                "name": draw(texts),
                "currency": "GBP",
                "standard_price": draw(money),
                "is_override": draw(st.booleans()),
                "min_quantity": draw(st.integers(1, 500)),
            },
        )
    )


@st.composite
def order_dicts(draw: st.DrawFn, status: str | None = None) -> dict[str, Any]:
    item = draw(
        with_optional(
            {},
            {
                "item_id": draw(ids),
                "product_id": draw(ids),
                "name": draw(texts),
                "quantity": draw(st.integers(1, 10000)),
                "unit_price": draw(money),
                "line_total": draw(money),
                "status": draw(st.sampled_from([s.value for s in OrderStatus])),
            },
        )
    )
    shipping = draw(
        with_optional(
            {
                "name": draw(texts),
                "address_line1": draw(texts),
                "city": draw(texts),
                "postcode": "EC1A 1BB",
                "country": "GB",
            },
            {"address_line2": draw(st.none() | texts)},
        )
    )
    return draw(
        with_optional(
            {
                "order_id": draw(ids),
                "created_at": timestamp_text(draw(aware_datetimes), draw(st.booleans())),
            },
            {
                "status": status or draw(st.sampled_from(["pending", "processing", "delivered"])),
                "updated_at": timestamp_text(draw(aware_datetimes), draw(st.booleans())),
                "product_id": draw(ids),
                "product_name": draw(texts),
                "quantity": draw(st.integers(1, 10000)),
                "customer_reference": draw(st.none() | texts),
                "currency": "GBP",
                "unit_price": draw(money),
                "total": draw(money),
                "shipping": shipping,
                "items": [item],
            },
        )
    )


def wire(data: Any) -> bytes:
    """JSON as a server sends it: money as exact JSON numbers (not strings, not floats)."""
    marks: dict[str, str] = {}

    def mark(value: Any) -> Any:
        if isinstance(value, Decimal):
            key = f"__dec{len(marks)}__"
            marks[key] = str(value)
            return key
        if isinstance(value, dict):
            return {k: mark(v) for k, v in value.items()}
        if isinstance(value, list):
            return [mark(v) for v in value]
        return value

    text = json.dumps(mark(data))
    for key, number in marks.items():
        text = text.replace(f'"{key}"', number)
    return text.encode()


def serve(body: bytes, status: int = 200) -> httpx.MockTransport:
    return httpx.MockTransport(
        lambda request: httpx.Response(
            status, content=body, headers={"Content-Type": "application/json"}
        )
    )


async def call(transport: httpx.MockTransport, op: str) -> Any:
    async with PartnerClient("https://api.test", "sk_test_models", transport=transport) as client:
        if op == "products":
            return await client.list_products()
        if op == "pricing":
            return await client.get_pricing()
        if op == "order":
            return await client.get_order("ord_1")
        return await client.list_orders()


# -- shapes the documentation allows -----------------------------------------------------------


@MODEL_SETTINGS
@given(product_dicts())
def test_product_accepts_documented_shape_with_extras(data: dict[str, Any]) -> None:
    product = Product.model_validate(json.loads(wire(data), parse_float=Decimal))
    assert isinstance(product.price, Decimal)
    assert product.price == data["price"]
    for key, value in data.items():
        if key not in Product.model_fields:
            assert product.model_extra is not None
            assert product.model_extra[key] == json.loads(json.dumps(value), parse_float=Decimal)


@MODEL_SETTINGS
@given(price_dicts())
def test_price_entry_accepts_documented_shape(data: dict[str, Any]) -> None:
    entry = PriceEntry.model_validate(json.loads(wire(data), parse_float=Decimal))
    assert isinstance(entry.price, Decimal)
    if "standard_price" in data:
        assert isinstance(entry.standard_price, Decimal)
        if data["standard_price"] != data["price"]:
            assert entry.is_override, "two different prices mean an override"
    else:
        assert entry.is_override == data.get("is_override", False)


@MODEL_SETTINGS
@given(order_dicts())
def test_order_accepts_documented_shape(data: dict[str, Any]) -> None:
    order = Order.model_validate(json.loads(wire(data), parse_float=Decimal))
    assert order.created_at.tzinfo is not None
    assert order.updated_at is None or order.updated_at.tzinfo is not None
    for name in ("unit_price", "total"):
        value = getattr(order, name)
        assert value is None or isinstance(value, Decimal)
        if name in data:
            assert value == data[name]
    for item in order.items:
        assert item.line_total is None or isinstance(item.line_total, Decimal)


@MODEL_SETTINGS
@given(aware_datetimes, st.booleans())
def test_timestamps_are_aware_and_keep_the_instant(when: datetime, zulu: bool) -> None:
    order = Order.model_validate({"order_id": "ord_1", "created_at": timestamp_text(when, zulu)})
    assert order.created_at.tzinfo is not None
    assert order.created_at == when


def test_naive_timestamp_is_read_as_utc() -> None:
    order = Order.model_validate({"order_id": "o", "created_at": "2026-05-25T09:00:00"})
    assert order.created_at == datetime(2026, 5, 25, 9, tzinfo=UTC)


@MODEL_SETTINGS
@given(
    st.text(max_size=30).filter(lambda s: s.strip().lower() not in {m.value for m in OrderStatus})
)
def test_unknown_status_survives_with_raw_text(raw: str) -> None:
    order = Order.model_validate(
        {"order_id": "o", "created_at": "2026-01-01T00:00:00Z", "status": raw}
    )
    assert order.status is OrderStatus.UNKNOWN
    assert order.status_raw == raw
    dumped = order.model_dump(mode="json", by_alias=True)
    assert dumped["status"] == raw, "the raw status is what we show and re-emit"


@pytest.mark.parametrize("raw", ["PENDING", " Dispatched ", "cancelled"])
def test_known_status_any_case(raw: str) -> None:
    order = Order.model_validate(
        {"order_id": "o", "created_at": "2026-01-01T00:00:00Z", "status": raw}
    )
    assert order.status.value == raw.strip().lower()


def test_status_missing_or_null_is_unknown() -> None:
    for extra in ({}, {"status": None}):
        order = Order.model_validate(
            {"order_id": "o", "created_at": "2026-01-01T00:00:00Z", **extra}
        )
        assert order.status is OrderStatus.UNKNOWN


# -- money is Decimal end to end ------------------------------------------------------------------


def test_money_is_decimal_through_the_client(arun: Callable[..., Any]) -> None:
    body = (
        b'{"success": true, "data": ['
        b'{"product_id": "a", "name": "A", "price": 0.1},'
        b'{"product_id": "b", "name": "B", "price": 0.2},'
        b'{"product_id": "c", "name": "C", "price": 12345678901234567.89}]}'
    )
    products = arun(call(serve(body), "products"))
    assert all(isinstance(p.price, Decimal) for p in products)
    assert products[0].price + products[1].price == Decimal("0.3")
    assert products[2].price == Decimal("12345678901234567.89"), "no float round trip"


@CLIENT_SETTINGS
@given(st.lists(money, min_size=1, max_size=5))
def test_money_sum_is_exact(arun: Callable[..., Any], prices: list[Decimal]) -> None:
    data = [{"product_id": f"p{i}", "name": "n", "price": p} for i, p in enumerate(prices)]
    products = arun(call(serve(wire({"success": True, "data": data})), "products"))
    assert sum((p.price for p in products), Decimal(0)) == sum(prices, Decimal(0))


# -- malformed responses become InvalidResponseError ------------------------------------------


@CLIENT_SETTINGS
@given(
    order_dicts(),
    st.sampled_from(["order_id", "created_at", "total", "quantity", "shipping", "items"]),
    st.lists(st.integers(), min_size=1, max_size=3),
)
def test_wrong_type_in_order_is_invalid_response(
    arun: Callable[..., Any], data: dict[str, Any], field: str, wrong: list[int]
) -> None:
    data[field] = wrong
    with pytest.raises(InvalidResponseError) as info:
        arun(call(serve(wire({"success": True, "data": data})), "order"))
    assert info.value.code == "INVALID_RESPONSE"
    assert info.value.path == "/api/partner/orders/ord_1"


@CLIENT_SETTINGS
@given(
    st.sampled_from(["products", "pricing", "order", "orders"]),
    json_values,
    st.booleans(),
)
def test_arbitrary_json_never_leaks_validation_errors(
    arun: Callable[..., Any], op: str, data: Any, envelope: bool
) -> None:
    body = json.dumps({"success": True, "data": data} if envelope else data).encode()
    try:
        result = arun(call(serve(body), op))
    except InvalidResponseError:
        return
    except (ValidationError, KeyError, TypeError, AttributeError) as exc:  # pragma: no cover
        pytest.fail(f"leaked {type(exc).__name__}: {exc}")
    assert result is not None


@pytest.mark.parametrize(
    ("op", "data"),
    [
        ("products", [{"product_id": "p", "name": "n", "price": "cheap"}]),
        ("products", {"product_id": "p"}),
        ("pricing", [{"product_id": "p", "price": None}]),
        ("order", {"order_id": "o", "created_at": "yesterday"}),
        ("order", [1, 2]),
        ("orders", [{"order_id": "o"}]),
        ("products", None),
    ],
)
def test_specific_wrong_shapes(arun: Callable[..., Any], op: str, data: Any) -> None:
    with pytest.raises(InvalidResponseError):
        arun(call(serve(json.dumps({"success": True, "data": data}).encode()), op))


# -- what we send: validated before sending ------------------------------------------------------


def shipping() -> dict[str, str]:
    return {
        "name": "Jane Smith",
        "address_line1": "12 Example Street",
        "city": "London",
        "postcode": "EC1A 1BB",
        "country": "GB",
    }


@pytest.mark.parametrize(
    ("kwargs", "loc"),
    [
        ({"per_page": 101}, ("per_page",)),
        ({"per_page": 0}, ("per_page",)),
        ({"page": 0}, ("page",)),
        ({"status": "lost"}, ("status",)),
        ({"date_from": date(2026, 2, 1), "date_to": date(2026, 1, 31)}, ()),
    ],
)
def test_order_query_refuses(kwargs: dict[str, Any], loc: tuple[str, ...]) -> None:
    with pytest.raises(ValidationError) as info:
        OrderQuery(**kwargs)
    assert info.value.errors()[0]["loc"] == loc


def test_order_query_params_as_the_api_spells_them() -> None:
    query = OrderQuery(
        page=2,
        per_page=100,
        status="Dispatched",
        date_from=date(2026, 1, 1),
        date_to=date(2026, 1, 1),
    )
    assert query.params() == {
        "page": "2",
        "per_page": "100",
        "status": "dispatched",
        "from": "2026-01-01",
        "to": "2026-01-01",
    }


@pytest.mark.parametrize(
    ("change", "loc"),
    [
        ({"quantity": 0}, ("quantity",)),
        ({"quantity": 10001}, ("quantity",)),
        ({"product_id": ""}, ("product_id",)),
        ({"customer_reference": "x" * 65}, ("customer_reference",)),
        ({"shipping": {**shipping(), "country": "gb"}}, ("shipping", "country")),
        ({"shipping": {**shipping(), "country": "GBR"}}, ("shipping", "country")),
        ({"shipping": {**shipping(), "postcode": "   "}}, ("shipping", "postcode")),
        ({"shipping": {**shipping(), "name": "x" * 101}}, ("shipping", "name")),
        ({"colour": "red"}, ("colour",)),
    ],
)
def test_order_create_refuses(change: dict[str, Any], loc: tuple[str, ...]) -> None:
    data = {"product_id": "prod_standard", "quantity": 50, "shipping": shipping(), **change}
    with pytest.raises(ValidationError) as info:
        OrderCreate.model_validate(data)
    assert info.value.errors()[0]["loc"] == loc


def test_order_create_body_omits_absent_optionals() -> None:
    order = OrderCreate(
        product_id=" prod_standard ", quantity=50, shipping=ShippingInput(**shipping())
    )
    assert order.body() == {"product_id": "prod_standard", "quantity": 50, "shipping": shipping()}
