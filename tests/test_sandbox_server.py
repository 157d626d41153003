"""The sandbox against its contract (docs/api-assumptions.md), over real loopback HTTP."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

from nfctagify_desktop.api.models import Order, PriceEntry, Product
from nfctagify_desktop.sandbox import DEMO_API_KEY, READONLY_API_KEY, STANDARD_API_KEY
from nfctagify_desktop.sandbox.server import SandboxServer

API = "/api/partner"


def body(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "product_id": "prod_standard",
        "quantity": 25,
        "customer_reference": "PO-TEST-1",
        "shipping": {
            "name": "Jane Smith",
            "address_line1": "12 Example Street",
            "city": "London",
            "postcode": "EC1A 1BB",
            "country": "GB",
        },
    }
    data.update(overrides)
    return data


def client(server: SandboxServer, key: str | None = None) -> httpx.Client:
    headers = {"Authorization": f"Bearer {key or server.demo_api_key}"}
    return httpx.Client(base_url=server.base_url, headers=headers, timeout=10)


@pytest.fixture
def http(sandbox: SandboxServer) -> Iterator[httpx.Client]:
    with client(sandbox) as c:
        yield c


def assert_error(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    payload: dict[str, Any] = response.json()
    assert payload["success"] is False
    assert payload["code"] == code
    assert isinstance(payload["error"], str)
    assert payload["error"]
    assert "detail" not in payload
    return payload


# ----- catalogue ------------------------------------------------------------------------------


def test_products_have_contract_shape_and_exact_money(http: httpx.Client) -> None:
    response = http.get(f"{API}/products")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    payload = response.json()
    assert payload["success"] is True
    products = [Product.model_validate(p) for p in payload["data"]]
    assert len(products) >= 6
    assert {"prod_standard", "prod_premium_metal"} <= {p.product_id for p in products}
    assert all(p.currency == "GBP" for p in products)
    metal = next(p for p in products if p.product_id == "prod_premium_metal")
    assert metal.min_quantity == 10
    # Two decimals on the wire, e.g. `"price":2.95` and `"standard_price":5.50`.
    assert '"price":2.95' in response.text
    assert http.get(f"{API}/pricing").text.count('"standard_price":5.50') == 1


def test_overrides_show_in_products_and_pricing(sandbox: SandboxServer) -> None:
    with client(sandbox) as demo, client(sandbox, STANDARD_API_KEY) as std:
        demo_prices = {p["product_id"]: p for p in demo.get(f"{API}/pricing").json()["data"]}
        std_prices = {p["product_id"]: p for p in std.get(f"{API}/pricing").json()["data"]}
        demo_products = {p["product_id"]: p for p in demo.get(f"{API}/products").json()["data"]}
    entry = PriceEntry.model_validate(demo_prices["prod_standard"])
    assert entry.is_override
    assert entry.price == Decimal("2.95")
    assert entry.standard_price == Decimal("3.50")
    assert Decimal(str(demo_products["prod_standard"]["price"])) == Decimal("2.95")
    overridden = [pid for pid, p in demo_prices.items() if p["is_override"]]
    assert 0 < len(overridden) < len(demo_prices)  # some, not all
    plain = demo_prices["prod_matte_black"]
    assert plain["price"] == plain["standard_price"]
    assert plain["is_override"] is False
    assert not any(p["is_override"] for p in std_prices.values())
    assert std_prices["prod_standard"]["price"] == 3.5


# ----- auth, keys, readonly -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/products"),
        ("GET", "/pricing"),
        ("GET", "/orders"),
        ("GET", "/orders/ord_whatever"),
        ("POST", "/orders"),
    ],
)
@pytest.mark.parametrize("auth", [None, "Bearer wrong", "Basic abc", "Bearer"])
def test_every_endpoint_needs_a_valid_key(
    sandbox: SandboxServer, method: str, path: str, auth: str | None
) -> None:
    headers = {} if auth is None else {"Authorization": auth}
    response = httpx.request(method, sandbox.base_url + API + path, headers=headers, json=body())
    assert_error(response, 401, "UNAUTHORIZED")


def test_default_keys_are_deterministic(sandbox: SandboxServer) -> None:
    assert sandbox.demo_api_key == DEMO_API_KEY == "ntk_sandbox_demo_key_0001"
    assert sandbox.api_keys == {
        "demo": DEMO_API_KEY,
        "standard": STANDARD_API_KEY,
        "readonly": READONLY_API_KEY,
    }
    assert sandbox.base_url.startswith("http://127.0.0.1:")


def test_custom_demo_key_and_only_hashes_stored(tmp_path: Path) -> None:
    db = tmp_path / "s.sqlite3"
    with SandboxServer(db, demo_api_key="my-own-key") as server, client(server) as c:
        assert server.demo_api_key == "my-own-key"
        assert c.get(f"{API}/products").status_code == 200
        assert (
            httpx.get(
                server.base_url + API + "/products",
                headers={"Authorization": f"Bearer {DEMO_API_KEY}"},
            ).status_code
            == 401
        )
    for suffix in ("", "-wal"):
        path = Path(str(db) + suffix)
        if path.exists():
            assert b"my-own-key" not in path.read_bytes()


def test_readonly_key_reads_but_cannot_order(sandbox: SandboxServer) -> None:
    with client(sandbox, READONLY_API_KEY) as c:
        assert c.get(f"{API}/products").status_code == 200
        listing = c.get(f"{API}/orders")
        assert listing.status_code == 200
        assert listing.json()["pagination"]["total"] == sandbox.order_count("demo")
        before = sandbox.order_count()
        assert_error(c.post(f"{API}/orders", json=body()), 403, "FORBIDDEN")
        # 403 wins over an invalid body: the key may not order at all.
        assert_error(c.post(f"{API}/orders", json={}), 403, "FORBIDDEN")
    assert sandbox.order_count() == before


def test_rotate_key_invalidates_old_key_at_once(sandbox: SandboxServer) -> None:
    old = sandbox.demo_api_key
    with client(sandbox, old) as c:
        assert c.get(f"{API}/products").status_code == 200
        new = sandbox.rotate_key("demo")
        assert new != old
        assert sandbox.demo_api_key == new
        assert sandbox.api_keys["demo"] == new
        assert_error(c.get(f"{API}/products"), 401, "UNAUTHORIZED")
    with client(sandbox, new) as c:
        assert c.get(f"{API}/products").status_code == 200
    with pytest.raises(KeyError):
        sandbox.rotate_key("nobody")


# ----- creating orders ------------------------------------------------------------------------


def test_create_then_get_order(http: httpx.Client, sandbox: SandboxServer) -> None:
    before = sandbox.order_count()
    response = http.post(f"{API}/orders", json=body(quantity=4))
    assert response.status_code == 201, response.text
    assert '"unit_price":2.95' in response.text
    assert '"total":11.80' in response.text
    created = Order.model_validate(response.json()["data"])
    assert created.order_id.startswith("ord_")
    assert len(created.order_id) == 16
    assert created.status_raw == "pending"
    assert created.total == Decimal("11.80")
    assert created.created_at.tzinfo is not None
    assert response.json()["data"]["created_at"].endswith("Z")
    assert created.shipping is not None
    assert created.shipping.postcode == "EC1A 1BB"
    assert created.customer_reference == "PO-TEST-1"
    [item] = created.items
    assert item.quantity == 4
    assert item.line_total == Decimal("11.80")
    assert item.status_raw == "pending"
    assert sandbox.order_count() == before + 1
    fetched = http.get(f"{API}/orders/{created.order_id}")
    assert fetched.status_code == 200
    assert fetched.json()["data"] == response.json()["data"]


def test_region_is_stored_and_returned(http: httpx.Client) -> None:
    us = {
        "name": "Ann Lee",
        "address_line1": "1 Market St",
        "city": "San Francisco",
        "postcode": "94105",
        "country": "US",
        "region": "CA",
    }
    response = http.post(f"{API}/orders", json=body(shipping=us))
    assert response.status_code == 201, response.text
    order_id = response.json()["data"]["order_id"]
    assert http.get(f"{API}/orders/{order_id}").json()["data"]["shipping"]["region"] == "CA"
    # No postcodes in Hong Kong: the field may be left out.
    hk = {
        "name": "Wong",
        "address_line1": "1 Nathan Rd",
        "city": "Kowloon",
        "country": "HK",
        "region": "Kowloon",
    }
    assert http.post(f"{API}/orders", json=body(shipping=hk)).status_code == 201


def test_unknown_order_is_404_and_other_accounts_orders_are_hidden(
    sandbox: SandboxServer, http: httpx.Client
) -> None:
    assert_error(http.get(f"{API}/orders/ord_doesnotexist"), 404, "NOT_FOUND")
    order_id = http.post(f"{API}/orders", json=body()).json()["data"]["order_id"]
    with client(sandbox, STANDARD_API_KEY) as other:
        assert_error(other.get(f"{API}/orders/{order_id}"), 404, "NOT_FOUND")


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({"product_id": ...}, "product_id", "product_id is required"),
        ({"product_id": "prod_nope"}, "product_id", "unknown product_id: prod_nope"),
        ({"product_id": ""}, "product_id", "product_id must not be empty"),
        ({"quantity": "5"}, "quantity", "quantity must be an integer"),
        ({"quantity": 2.5}, "quantity", "quantity must be an integer"),
        ({"quantity": 0}, "quantity", "quantity must be at least 1"),
        ({"quantity": 10001}, "quantity", "quantity must be at most 10000"),
        (
            {"product_id": "prod_premium_metal", "quantity": 9},
            "quantity",
            "quantity must be at least 10 for prod_premium_metal",
        ),
        (
            {"customer_reference": "x" * 65},
            "customer_reference",
            "customer_reference must be at most 64 characters",
        ),
        ({"colour": "red"}, "colour", "unknown field: colour"),
        ({"shipping": "London"}, "shipping", "shipping must be an object"),
        (
            {"shipping": {"name": "A", "address_line1": "B", "city": "C", "country": "GB"}},
            "shipping.postcode",
            "shipping.postcode is required",
        ),
        (
            {
                "shipping": {
                    "name": "A",
                    "address_line1": "B",
                    "city": "C",
                    "postcode": "D",
                    "country": "gb",
                }
            },
            "shipping.country",
            None,
        ),
        (
            {
                "shipping": {
                    "name": " ",
                    "address_line1": "B",
                    "city": "C",
                    "postcode": "D",
                    "country": "GB",
                }
            },
            "shipping.name",
            "shipping.name must not be empty",
        ),
        (
            {"shipping": {"name": "A", "address_line1": "B", "city": "C", "country": "ZZ"}},
            "shipping.country",
            "shipping.country 'ZZ' is not an ISO 3166-1 country",
        ),
        (
            {
                "shipping": {
                    "name": "A",
                    "address_line1": "B",
                    "city": "C",
                    "postcode": "ABC",
                    "country": "US",
                    "region": "CA",
                }
            },
            "shipping.postcode",
            "shipping.postcode: Not a valid ZIP code for CA (United States), e.g. 95014",
        ),
        (
            {
                "shipping": {
                    "name": "A",
                    "address_line1": "B",
                    "city": "C",
                    "postcode": "94105",
                    "country": "US",
                }
            },
            "shipping.region",
            "shipping.region is required",
        ),
        (
            {
                "shipping": {
                    "name": "A",
                    "address_line1": "B",
                    "city": "C",
                    "postcode": "2000",
                    "country": "AU",
                    "region": "Narnia",
                }
            },
            "shipping.region",
            "shipping.region: 'Narnia' is not a state in Australia, e.g. ACT, JBT, NSW",
        ),
    ],
)
def test_invalid_order_fields_are_400_naming_the_field(
    http: httpx.Client,
    sandbox: SandboxServer,
    payload: dict[str, Any],
    field: str,
    message: str | None,
) -> None:
    data = {k: v for k, v in body(**payload).items() if v is not ...}
    before = sandbox.order_count()
    error = assert_error(http.post(f"{API}/orders", json=data), 400, "VALIDATION_ERROR")
    assert error["field"] == field
    assert field in error["error"]
    if message is not None:
        assert error["error"] == message
    assert sandbox.order_count() == before


@pytest.mark.parametrize(
    ("content", "headers"),
    [
        (b"{not json", {"Content-Type": "application/json"}),
        (b"{not json", {}),
        (b"", {"Content-Type": "application/json"}),
        (b"\xff\xfe", {"Content-Type": "application/json"}),
    ],
)
def test_body_that_is_not_json_is_invalid_json(
    http: httpx.Client, content: bytes, headers: dict[str, str]
) -> None:
    assert_error(http.post(f"{API}/orders", content=content, headers=headers), 400, "INVALID_JSON")


def test_json_that_is_not_an_object_is_a_validation_error(http: httpx.Client) -> None:
    assert_error(http.post(f"{API}/orders", json=[1, 2]), 400, "VALIDATION_ERROR")


# ----- idempotency ----------------------------------------------------------------------------


def test_idempotent_replay_returns_the_original(http: httpx.Client, sandbox: SandboxServer) -> None:
    sandbox.set_rate_limits(orders_per_day=1)
    headers = {"Idempotency-Key": "7c1f7a4e-1d2b-4c8e-9a51-000000000001"}
    first = http.post(f"{API}/orders", json=body(), headers=headers)
    assert first.status_code == 201
    assert "Idempotent-Replayed" not in first.headers
    count = sandbox.order_count()
    again = http.post(f"{API}/orders", json=body(), headers=headers)
    assert again.status_code == 200  # not counted against the 1-a-day limit
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json()["data"] == first.json()["data"]
    assert sandbox.order_count() == count
    conflict = http.post(f"{API}/orders", json=body(quantity=26), headers=headers)
    assert_error(conflict, 409, "IDEMPOTENCY_CONFLICT")
    assert sandbox.order_count() == count


def test_idempotency_key_too_long_is_400(http: httpx.Client) -> None:
    error = assert_error(
        http.post(f"{API}/orders", json=body(), headers={"Idempotency-Key": "k" * 256}),
        400,
        "VALIDATION_ERROR",
    )
    assert error["field"] == "Idempotency-Key"


# ----- listing --------------------------------------------------------------------------------


def test_demo_account_is_seeded_with_all_statuses(http: httpx.Client) -> None:
    payload = http.get(f"{API}/orders", params={"per_page": 100}).json()
    orders = [Order.model_validate(o) for o in payload["data"]]
    assert 30 <= len(orders) <= 60
    assert {o.status_raw for o in orders} == {
        "pending",
        "processing",
        "dispatched",
        "delivered",
        "cancelled",
    }
    oldest = min(o.created_at for o in orders)
    assert datetime.now(UTC) - oldest < timedelta(days=61)
    assert all(o.shipping is not None and o.shipping.country == "GB" for o in orders)


def test_pagination_maths_and_newest_first(http: httpx.Client, sandbox: SandboxServer) -> None:
    total = sandbox.order_count()
    per_page = 7
    seen: list[str] = []
    pages = -(-total // per_page)
    for page in range(1, pages + 1):
        payload = http.get(f"{API}/orders", params={"page": page, "per_page": per_page}).json()
        assert payload["pagination"] == {
            "page": page,
            "per_page": per_page,
            "total": total,
            "total_pages": pages,
        }
        expected = per_page if page < pages else total - per_page * (pages - 1)
        assert len(payload["data"]) == expected
        seen += [o["created_at"] for o in payload["data"]]
    assert seen == sorted(seen, reverse=True)
    past = http.get(f"{API}/orders", params={"page": pages + 1, "per_page": per_page})
    assert past.status_code == 200
    assert past.json()["data"] == []
    huge = http.get(f"{API}/orders", params={"page": 10**30})
    assert huge.status_code == 200
    assert huge.json()["data"] == []
    default = http.get(f"{API}/orders").json()["pagination"]
    assert default["per_page"] == 20
    assert default["page"] == 1


def test_status_filter(http: httpx.Client) -> None:
    everything = http.get(f"{API}/orders", params={"per_page": 100}).json()["data"]
    for status in ("pending", "processing", "dispatched", "delivered", "cancelled"):
        payload = http.get(f"{API}/orders", params={"status": status, "per_page": 100}).json()
        assert payload["data"]
        assert {o["status"] for o in payload["data"]} == {status}
        assert payload["pagination"]["total"] == sum(o["status"] == status for o in everything)


def test_date_filters_are_inclusive_on_the_utc_date(
    http: httpx.Client, sandbox: SandboxServer
) -> None:
    everything = http.get(f"{API}/orders", params={"per_page": 100}).json()["data"]
    dates = sorted({o["created_at"][:10] for o in everything})
    day = dates[len(dates) // 2]
    only = http.get(f"{API}/orders", params={"from": day, "to": day, "per_page": 100}).json()
    assert only["data"]
    assert {o["created_at"][:10] for o in only["data"]} == {day}
    assert only["pagination"]["total"] == sum(o["created_at"][:10] == day for o in everything)
    since = http.get(f"{API}/orders", params={"from": day, "per_page": 100}).json()["data"]
    assert len(since) == sum(o["created_at"][:10] >= day for o in everything)
    until = http.get(f"{API}/orders", params={"to": day, "per_page": 100}).json()["data"]
    assert len(until) == sum(o["created_at"][:10] <= day for o in everything)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"per_page": 0}, "per_page"),
        ({"per_page": 101}, "per_page"),
        ({"per_page": "ten"}, "per_page"),
        ({"page": 0}, "page"),
        ({"page": "x"}, "page"),
        ({"status": "lost"}, "status"),
        ({"status": "unknown"}, "status"),
        ({"from": "2026-13-01"}, "from"),
        ({"to": "yesterday"}, "to"),
        ({"from": "2026-05-02", "to": "2026-05-01"}, "from"),
    ],
)
def test_bad_list_parameters_are_400(
    http: httpx.Client, params: dict[str, Any], field: str
) -> None:
    error = assert_error(http.get(f"{API}/orders", params=params), 400, "VALIDATION_ERROR")
    assert error["field"] == field
    assert field in error["error"]


def test_unknown_paths_and_methods_use_the_envelope(http: httpx.Client) -> None:
    assert_error(http.get("/nowhere"), 404, "NOT_FOUND")
    assert_error(http.get(f"{API}/orders/a/b"), 404, "NOT_FOUND")
    response = http.delete(f"{API}/products")
    assert_error(response, 405, "METHOD_NOT_ALLOWED")
    assert response.headers["allow"] == "GET"


# ----- status progression ---------------------------------------------------------------------


def test_status_progresses_on_the_sandbox_clock(http: httpx.Client, sandbox: SandboxServer) -> None:
    created = http.post(f"{API}/orders", json=body()).json()["data"]
    url = f"{API}/orders/{created['order_id']}"
    steps = [
        (timedelta(minutes=9), "pending", timedelta(0)),
        (timedelta(minutes=2), "processing", timedelta(minutes=10)),
        (timedelta(hours=24), "dispatched", timedelta(hours=24)),
        (timedelta(hours=48), "delivered", timedelta(hours=72)),
        (timedelta(days=30), "delivered", timedelta(hours=72)),
    ]
    start = datetime.fromisoformat(created["created_at"])
    for advance, status, since in steps:
        sandbox.clock.advance(advance)
        order = http.get(url).json()["data"]
        assert order["status"] == status
        assert order["items"][0]["status"] == status
        assert datetime.fromisoformat(order["updated_at"]) == start + since
    listed = http.get(f"{API}/orders", params={"status": "pending"}).json()["data"]
    assert created["order_id"] not in {o["order_id"] for o in listed}


def test_clock_advance_accepts_seconds_and_never_goes_back(sandbox: SandboxServer) -> None:
    before = sandbox.clock.now()
    sandbox.clock.advance(3600)
    assert sandbox.clock.now() - before >= timedelta(hours=1)
    with pytest.raises(ValueError, match="forward"):
        sandbox.clock.advance(-1)


def test_progression_is_fast_with_many_orders(sandbox: SandboxServer, http: httpx.Client) -> None:
    started = time.perf_counter()
    sandbox.seed_orders("standard", 100_000, days=365)
    seeded = time.perf_counter() - started
    assert sandbox.order_count("standard") == 100_000
    assert seeded < 15
    with client(sandbox, STANDARD_API_KEY) as c:
        c.get(f"{API}/orders")  # first read brings everything up to date
        sandbox.clock.advance(timedelta(hours=1))
        started = time.perf_counter()
        payload = c.get(f"{API}/orders", params={"status": "delivered", "page": 50}).json()
        elapsed = time.perf_counter() - started
    assert payload["pagination"]["total"] > 50_000
    assert elapsed < 1.0


# ----- rate limits ----------------------------------------------------------------------------


def test_rate_limit_headers_on_every_authenticated_response(http: httpx.Client) -> None:
    for response in (
        http.get(f"{API}/products"),
        http.get(f"{API}/orders/ord_missing"),
        http.get(f"{API}/orders", params={"per_page": 0}),
    ):
        assert response.headers["X-RateLimit-Limit"] == "60"
        assert 0 <= int(response.headers["X-RateLimit-Remaining"]) < 60
        assert 1 <= int(response.headers["X-RateLimit-Reset"]) <= 60


def test_requests_per_minute_limit(sandbox: SandboxServer) -> None:
    sandbox.set_rate_limits(per_minute=3)
    with client(sandbox) as c, client(sandbox, STANDARD_API_KEY) as other:
        remaining = [c.get(f"{API}/products").headers["X-RateLimit-Remaining"] for _ in range(3)]
        assert remaining == ["2", "1", "0"]
        limited = c.get(f"{API}/products")
        assert_error(limited, 429, "RATE_LIMITED")
        assert 1 <= int(limited.headers["Retry-After"]) <= 60
        assert limited.headers["X-RateLimit-Remaining"] == "0"
        assert other.get(f"{API}/products").status_code == 200  # per key
        sandbox.set_rate_limits(per_minute=0)
        unlimited = c.get(f"{API}/products")
        assert unlimited.status_code == 200
        assert "X-RateLimit-Limit" not in unlimited.headers


def test_daily_order_limit(sandbox: SandboxServer, http: httpx.Client) -> None:
    sandbox.set_rate_limits(orders_per_day=2)
    assert http.post(f"{API}/orders", json=body()).status_code == 201
    assert http.post(f"{API}/orders", json=body()).status_code == 201
    limited = http.post(f"{API}/orders", json=body())
    assert_error(limited, 429, "DAILY_ORDER_LIMIT")
    now = sandbox.clock.now()
    midnight = datetime(now.year, now.month, now.day, tzinfo=UTC) + timedelta(days=1)
    assert abs(int(limited.headers["Retry-After"]) - (midnight - now).total_seconds()) < 5
    sandbox.clock.advance(midnight - now + timedelta(seconds=1))
    assert http.post(f"{API}/orders", json=body()).status_code == 201


def test_limits_from_constructor(tmp_path: Path) -> None:
    server = SandboxServer(tmp_path / "s.sqlite3", rate_limit_per_minute=1, orders_per_day=0)
    with server, client(server) as c:
        assert c.get(f"{API}/products").headers["X-RateLimit-Limit"] == "1"
        assert_error(c.get(f"{API}/products"), 429, "RATE_LIMITED")


# ----- faults ---------------------------------------------------------------------------------


def test_delay_does_not_block_the_server(sandbox: SandboxServer) -> None:
    sandbox.faults.delay_seconds = 0.5
    import concurrent.futures

    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        started = time.perf_counter()
        results = list(
            pool.map(
                lambda _: (
                    httpx.get(
                        sandbox.base_url + API + "/products",
                        headers={"Authorization": f"Bearer {DEMO_API_KEY}"},
                    ).status_code
                ),
                range(4),
            )
        )
        elapsed = time.perf_counter() - started
    assert results == [200] * 4
    assert 0.5 <= elapsed < 1.5  # concurrent, not 4 x 0.5 s
    sandbox.faults.clear()
    assert sandbox.faults.delay_seconds == 0


def test_fail_next_matches_path_and_method(sandbox: SandboxServer, http: httpx.Client) -> None:
    sandbox.faults.fail_next(
        503,
        "UNAVAILABLE",
        "maintenance",
        count=2,
        path_prefix=f"{API}/orders",
        method="GET",
        retry_after=2,
    )
    assert http.get(f"{API}/products").status_code == 200
    for _ in range(2):
        failed = http.get(f"{API}/orders")
        error = assert_error(failed, 503, "UNAVAILABLE")
        assert error["error"] == "maintenance"
        assert failed.headers["Retry-After"] == "2"
    assert http.get(f"{API}/orders").status_code == 200
    sandbox.faults.fail_next(500, "INTERNAL_ERROR")
    assert_error(http.get(f"{API}/pricing"), 500, "INTERNAL_ERROR")
    sandbox.faults.fail_next(500, "INTERNAL_ERROR")
    sandbox.faults.clear()
    assert http.get(f"{API}/pricing").status_code == 200


def test_drop_after_commit_breaks_the_connection_but_keeps_the_order(
    sandbox: SandboxServer, http: httpx.Client
) -> None:
    sandbox.faults.drop_after_commit()
    before = sandbox.order_count()
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        http.post(f"{API}/orders", json=body(customer_reference="DROP-1"))
    assert sandbox.order_count() == before + 1
    listed = http.get(f"{API}/orders").json()["data"]
    assert listed[0]["customer_reference"] == "DROP-1"
    ok = http.post(f"{API}/orders", json=body())  # only the next one was dropped
    assert ok.status_code == 201


def test_dropped_order_can_be_recovered_by_idempotent_resend(
    sandbox: SandboxServer, http: httpx.Client
) -> None:
    sandbox.faults.drop_after_commit()
    headers = {"Idempotency-Key": "resend-after-drop"}
    with pytest.raises(httpx.TransportError):
        http.post(f"{API}/orders", json=body(), headers=headers)
    count = sandbox.order_count()
    again = http.post(f"{API}/orders", json=body(), headers=headers)
    assert again.status_code == 200
    assert again.headers["Idempotent-Replayed"] == "true"
    assert sandbox.order_count() == count


# ----- admin endpoints ------------------------------------------------------------------------


def test_admin_endpoints(sandbox: SandboxServer, http: httpx.Client) -> None:
    assert_error(httpx.get(sandbox.base_url + "/_sandbox/state"), 401, "UNAUTHORIZED")
    state = http.post("/_sandbox/clock/advance", json={"seconds": 7200}).json()["data"]
    assert state["clock_offset_seconds"] == 7200
    rotated = http.post("/_sandbox/keys/rotate", json={"account_id": "standard"}).json()["data"]
    assert rotated["api_key"] == sandbox.api_keys["standard"]
    assert_error(http.post("/_sandbox/keys/rotate", json={"account_id": "x"}), 404, "NOT_FOUND")
    http.post("/_sandbox/faults", json={"fail_next": {"status": 502, "code": "BAD_GATEWAY"}})
    assert_error(http.get(f"{API}/products"), 502, "BAD_GATEWAY")
    http.post("/_sandbox/limits", json={"per_minute": 500, "orders_per_day": 3})
    assert http.get(f"{API}/products").headers["X-RateLimit-Limit"] == "500"
    http.post("/_sandbox/faults", json={"delay_seconds": 0.2})
    assert sandbox.faults.delay_seconds == 0.2
    http.delete("/_sandbox/faults")
    assert sandbox.faults.delay_seconds == 0
    assert "/_sandbox" not in http.get("/openapi.json").text


# ----- lifecycle and CLI ----------------------------------------------------------------------


def test_state_persists_across_restarts(tmp_path: Path) -> None:
    db = tmp_path / "s.sqlite3"
    with SandboxServer(db) as first, client(first) as c:
        order_id = c.post(f"{API}/orders", json=body()).json()["data"]["order_id"]
        count = first.order_count()
    second = SandboxServer(db)
    second.start()
    second.stop()
    second.stop()  # idempotent
    with second, client(second) as c:
        assert second.order_count() == count  # not seeded twice
        assert c.get(f"{API}/orders/{order_id}").status_code == 200


def test_cli_prints_url_and_keys_and_exits_0_on_sigterm(tmp_path: Path) -> None:
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "nfctagify_desktop.sandbox",
            "--port",
            "0",
            "--db",
            str(tmp_path / "cli.sqlite3"),
            "--rate-limit",
            "0",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert proc.stdout is not None
        lines: dict[str, str] = {}
        deadline = time.monotonic() + 20
        while "api_key" not in lines and time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            if "=" in line:
                name, _, value = line.strip().partition("=")
                lines[name] = value
        assert lines["api_key"] == DEMO_API_KEY
        assert lines["base_url"].startswith("http://127.0.0.1:")
        response = httpx.get(
            lines["base_url"] + API + "/products",
            headers={"Authorization": f"Bearer {lines['api_key']}"},
        )
        assert response.status_code == 200
        assert "X-RateLimit-Limit" not in response.headers
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=15) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()
        if proc.stderr is not None:
            proc.stderr.close()


def test_cli_refuses_a_remote_host(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "nfctagify_desktop.sandbox",
            "--host",
            "0.0.0.0",
            "--db",
            str(tmp_path / "x.sqlite3"),
        ],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 2
    assert "allow-remote" in result.stderr


def test_a_database_from_before_regions_gains_the_column(tmp_path: Path) -> None:
    """A sandbox file written before ``ship_region`` existed opens, keeps its orders, and
    stores regions from then on."""
    import sqlite3

    from nfctagify_desktop.sandbox.db import SandboxDB
    from nfctagify_desktop.sandbox.schema import SCHEMA

    path = tmp_path / "old.sqlite3"
    old_schema = SCHEMA.replace(",\n    ship_region TEXT\n", "\n")
    assert "ship_region" not in old_schema
    conn = sqlite3.connect(path)
    try:
        conn.executescript(old_schema)
    finally:
        conn.close()
    db = SandboxDB(path)
    try:
        columns = {r[1] for r in db._conn.execute("PRAGMA table_info(orders)")}
        assert "ship_region" in columns
    finally:
        db.close()
    server = SandboxServer(path)
    server.start()
    try:
        with client(server) as http:
            us = {"name": "A", "address_line1": "B", "city": "C", "postcode": "94105",
                  "country": "US", "region": "CA"}  # fmt: skip
            created = http.post(f"{API}/orders", json=body(shipping=us))
            assert created.status_code == 201, created.text
            assert created.json()["data"]["shipping"]["region"] == "CA"
    finally:
        server.stop()
