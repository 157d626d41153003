"""Real HTTP round trips between PartnerClient and the local sandbox server.

Where test_api_client.py proves the client's logic on scripted answers, these prove that the
client and the server agree on the wire contract (docs/api-assumptions.md): every operation,
every documented error status, idempotency, rate limiting, overrides, pagination and filters.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from nfctagify_desktop.api import (
    NO_RETRY,
    BadRequestError,
    ConflictError,
    ForbiddenError,
    NetworkError,
    NotFoundError,
    Order,
    OrderCreate,
    OrderQuery,
    OrderStatus,
    PartnerClient,
    RateLimitedError,
    RetryPolicy,
    ServerError,
    ShippingInput,
    UnauthorizedError,
)
from nfctagify_desktop.sandbox.server import SandboxServer

Run = Callable[..., Any]

SHIPPING = {
    "name": "Jane Smith",
    "address_line1": "12 Example Street",
    "city": "London",
    "postcode": "EC1A 1BB",
    "country": "GB",
}


def order_in(product: str = "prod_standard", quantity: int = 50, **extra: Any) -> OrderCreate:
    return OrderCreate.model_validate(
        {"product_id": product, "quantity": quantity, "shipping": SHIPPING, **extra}
    )


def client_for(sandbox: SandboxServer, key: str | None = None, **kw: Any) -> PartnerClient:
    return PartnerClient(sandbox.base_url, key or sandbox.demo_api_key, **kw)


# -- the five operations -------------------------------------------------------------------------


def test_products_reflect_overrides(arun: Run, sandbox: SandboxServer) -> None:
    async def go() -> tuple[Any, Any]:
        async with (
            client_for(sandbox) as demo,
            client_for(sandbox, sandbox.api_keys["standard"]) as std,
        ):
            return await demo.list_products(), await std.list_products()

    demo, standard = arun(go())
    demo_prices = {p.product_id: p.price for p in demo}
    std_prices = {p.product_id: p.price for p in standard}
    assert demo_prices["prod_standard"] == Decimal("2.95")
    assert std_prices["prod_standard"] == Decimal("3.50")
    assert demo_prices["prod_matte_black"] == std_prices["prod_matte_black"]
    premium = next(p for p in demo if p.product_id == "prod_premium_metal")
    assert (premium.min_quantity, premium.currency) == (10, "GBP")
    assert all(isinstance(p.price, Decimal) for p in demo)


def test_pricing_reflects_overrides(arun: Run, sandbox: SandboxServer) -> None:
    async def go() -> tuple[Any, Any]:
        async with (
            client_for(sandbox) as demo,
            client_for(sandbox, sandbox.api_keys["standard"]) as std,
        ):
            return await demo.get_pricing(), await std.get_pricing()

    demo, standard = arun(go())
    overridden = {p.product_id for p in demo if p.is_override}
    assert overridden == {"prod_standard", "prod_premium_metal", "prod_google_review"}
    entry = next(p for p in demo if p.product_id == "prod_premium_metal")
    assert (entry.price, entry.standard_price) == (Decimal("19.50"), Decimal("24.00"))
    assert not any(p.is_override for p in standard)
    assert all(p.price == p.standard_price for p in standard)


def test_create_then_get_then_list(arun: Run, sandbox: SandboxServer) -> None:
    async def go() -> tuple[Order, Order, Any]:
        async with client_for(sandbox, sandbox.api_keys["standard"]) as client:
            created = await client.create_order(
                order_in(
                    quantity=40,
                    customer_reference="REF-1",
                    shipping={**SHIPPING, "address_line2": "Floor 2"},
                )
            )
            fetched = await client.get_order(created.order_id)
            page = await client.list_orders()
            return created, fetched, page

    created, fetched, page = arun(go())
    assert created.status is OrderStatus.PENDING
    assert created.created_at.tzinfo is not None
    assert created.quantity == 40
    assert created.unit_price == Decimal("3.50")
    assert created.total == Decimal("140.00")
    assert created.customer_reference == "REF-1"
    assert created.shipping is not None
    assert created.shipping.address_line2 == "Floor 2"
    assert fetched.order_id == created.order_id
    assert fetched.total == created.total
    assert fetched.items
    assert fetched.items[0].line_total == Decimal("140.00")
    assert [o.order_id for o in page.orders] == [created.order_id]
    assert sandbox.order_count("standard") == 1


def test_status_advances_on_the_sandbox_clock(arun: Run, sandbox: SandboxServer) -> None:
    async def create() -> Order:
        async with client_for(sandbox) as client:
            return await client.create_order(order_in())

    async def get(order_id: str) -> Order:
        async with client_for(sandbox) as client:
            return await client.get_order(order_id)

    order = arun(create())
    sandbox.clock.advance(11 * 60)
    assert arun(get(order.order_id)).status is OrderStatus.PROCESSING
    sandbox.clock.advance(73 * 3600)
    done = arun(get(order.order_id))
    assert done.status is OrderStatus.DELIVERED
    assert done.status.is_final


# -- pagination and filters --------------------------------------------------------------------


def test_pagination(arun: Run, sandbox: SandboxServer) -> None:
    total = sandbox.order_count("demo")
    assert total > 20, "the demo account is seeded with order history"

    async def go() -> list[Any]:
        async with client_for(sandbox) as client:
            pages = []
            page = 1
            while True:
                result = await client.list_orders(page=page, per_page=15)
                pages.append(result)
                if not result.has_next:
                    break
                page += 1
            pages.append(await client.list_orders(page=page + 5, per_page=15))
            return pages

    *pages, past_end = arun(go())
    seen = [o.order_id for p in pages for o in p.orders]
    assert len(seen) == total
    assert len(set(seen)) == total, "no order on two pages"
    assert pages[0].pagination.total == total
    assert pages[0].pagination.total_pages == len(pages) == -(-total // 15)
    created = [o.created_at for p in pages for o in p.orders]
    assert created == sorted(created, reverse=True), "newest first"
    assert past_end.orders == []


def test_status_and_date_filters(arun: Run, sandbox: SandboxServer) -> None:
    async def go() -> tuple[Any, ...]:
        async with client_for(sandbox) as client:
            everything = await client.list_orders(per_page=100)
            day = everything.orders[len(everything.orders) // 2].created_at.date()
            status = everything.orders[0].status
            by_status = await client.list_orders(per_page=100, status=status)
            by_day = await client.list_orders(per_page=100, date_from=day, date_to=day)
            since = await client.list_orders(per_page=100, date_from=day)
            return everything, status, by_status, day, by_day, since

    everything, status, by_status, day, by_day, since = arun(go())
    assert by_status.orders
    assert all(o.status is status for o in by_status.orders)
    assert len(by_status.orders) == sum(o.status is status for o in everything.orders)
    assert by_day.orders
    assert all(o.created_at.date() == day for o in by_day.orders)
    assert all(o.created_at.date() >= day for o in since.orders)
    assert len(since.orders) == sum(o.created_at.date() >= day for o in everything.orders)


# -- error statuses ------------------------------------------------------------------------------


def test_400_from_the_server_for_per_page_101(arun: Run, sandbox: SandboxServer) -> None:
    # model_construct skips the client-side check, so the server's own answer is tested.
    query = OrderQuery.model_construct(
        page=1, per_page=101, status=None, date_from=None, date_to=None
    )

    async def go() -> Any:
        async with client_for(sandbox) as client:
            return await client.list_orders(query)

    with pytest.raises(BadRequestError) as info:
        arun(go())
    err = info.value
    assert (err.status, err.code, err.field) == (400, "VALIDATION_ERROR", "per_page")
    assert "per_page" in err.message
    assert (err.method, err.path) == ("GET", "/api/partner/orders")


def test_400_from_the_server_for_from_after_to(arun: Run, sandbox: SandboxServer) -> None:
    query = OrderQuery.model_construct(
        page=1, per_page=20, status=None, date_from=date(2026, 2, 1), date_to=date(2026, 1, 1)
    )

    async def go() -> Any:
        async with client_for(sandbox) as client:
            return await client.list_orders(query)

    with pytest.raises(BadRequestError) as info:
        arun(go())
    assert info.value.status == 400


@pytest.mark.parametrize(
    ("body", "field", "text"),
    [
        (order_in("prod_premium_metal", 5), "quantity", "at least 10"),
        (order_in("prod_nope", 5), "product_id", "prod_nope"),
        (
            OrderCreate.model_construct(
                product_id="prod_standard",
                quantity=5,
                customer_reference=None,
                shipping=ShippingInput.model_construct(
                    name="Jane Smith",
                    address_line1="12 Example Street",
                    address_line2=None,
                    city="London",
                    postcode="EC1A 1BB",
                    country="gb",
                ),
            ),
            "shipping.country",
            "country",
        ),
    ],
)
def test_400_field_errors(
    arun: Run, sandbox: SandboxServer, body: OrderCreate, field: str, text: str
) -> None:
    before = sandbox.order_count("demo")

    async def go() -> Any:
        async with client_for(sandbox) as client:
            return await client.create_order(body)

    with pytest.raises(BadRequestError) as info:
        arun(go())
    err = info.value
    assert (err.status, err.code, err.field) == (400, "VALIDATION_ERROR", field)
    assert text in err.message
    assert sandbox.order_count("demo") == before


def test_401_with_a_bad_key(arun: Run, sandbox: SandboxServer) -> None:
    async def go() -> Any:
        async with client_for(sandbox, "ntk_sandbox_not_a_key") as client:
            return await client.list_products()

    with pytest.raises(UnauthorizedError) as info:
        arun(go())
    assert (info.value.status, info.value.code) == (401, "UNAUTHORIZED")
    assert "ntk_sandbox_not_a_key" not in str(info.value)


def test_401_after_rotation_then_the_new_key_works(arun: Run, sandbox: SandboxServer) -> None:
    old = sandbox.demo_api_key

    async def go() -> tuple[UnauthorizedError, Any]:
        async with client_for(sandbox, old) as client:
            await client.list_products()
            new = sandbox.rotate_key("demo")
            try:
                await client.list_products()
            except UnauthorizedError as exc:
                rejected = exc
            else:  # pragma: no cover
                raise AssertionError("the old key still works")
            client.set_api_key(new)
            return rejected, await client.list_products()

    rejected, products = arun(go())
    assert rejected.status == 401
    assert old not in str(rejected)
    assert products


def test_403_readonly_key_cannot_order(arun: Run, sandbox: SandboxServer) -> None:
    before = sandbox.order_count("demo")

    async def go() -> tuple[Any, Any]:
        async with client_for(sandbox, sandbox.api_keys["readonly"]) as client:
            page = await client.list_orders()  # reading is allowed
            try:
                await client.create_order(order_in())
            except ForbiddenError as exc:
                return page, exc
            raise AssertionError("read-only key placed an order")  # pragma: no cover

    page, err = arun(go())
    assert page.orders, "staff keys see their company's orders"
    assert (err.status, err.code, err.method) == (403, "FORBIDDEN", "POST")
    assert sandbox.order_count("demo") == before


def test_404_unknown_order(arun: Run, sandbox: SandboxServer) -> None:
    async def go() -> Any:
        async with client_for(sandbox) as client:
            return await client.get_order("ord_does_not_exist")

    with pytest.raises(NotFoundError) as info:
        arun(go())
    err = info.value
    assert (err.status, err.code) == (404, "NOT_FOUND")
    assert "ord_does_not_exist" in err.message
    assert err.path == "/api/partner/orders/ord_does_not_exist"


def test_other_accounts_order_is_not_found(arun: Run, sandbox: SandboxServer) -> None:
    async def go() -> Any:
        async with client_for(sandbox) as demo:
            theirs = await demo.create_order(order_in())
        async with client_for(sandbox, sandbox.api_keys["standard"]) as std:
            return await std.get_order(theirs.order_id)

    with pytest.raises(NotFoundError):
        arun(go())


# -- idempotency ---------------------------------------------------------------------------------


def test_repeated_idempotency_key_places_one_order(arun: Run, sandbox: SandboxServer) -> None:
    before = sandbox.order_count("demo")

    async def go() -> list[Order]:
        async with client_for(sandbox) as client:
            return [
                await client.create_order(order_in(), idempotency_key="draft-7") for _ in range(3)
            ]

    orders = arun(go())
    assert len({o.order_id for o in orders}) == 1
    assert sandbox.order_count("demo") == before + 1


def test_409_same_key_different_body(arun: Run, sandbox: SandboxServer) -> None:
    async def go() -> Any:
        async with client_for(sandbox) as client:
            await client.create_order(order_in(quantity=50), idempotency_key="draft-8")
            return await client.create_order(order_in(quantity=60), idempotency_key="draft-8")

    before = sandbox.order_count("demo")
    with pytest.raises(ConflictError) as info:
        arun(go())
    assert (info.value.status, info.value.code) == (409, "IDEMPOTENCY_CONFLICT")
    assert sandbox.order_count("demo") == before + 1


def test_dropped_answer_is_not_resent_and_a_manual_resend_is_safe(
    arun: Run, sandbox: SandboxServer
) -> None:
    before = sandbox.order_count("demo")
    sandbox.faults.drop_after_commit()

    async def first() -> Any:
        async with client_for(sandbox) as client:
            return await client.create_order(order_in(), idempotency_key="draft-9")

    with pytest.raises(NetworkError) as info:
        arun(first())
    assert info.value.method == "POST"
    assert sandbox.order_count("demo") == before + 1, "committed once, not resent"
    resent = arun(first())
    assert resent.order_id
    assert sandbox.order_count("demo") == before + 1, "the resend replayed the order"


# -- rate limiting and server faults ---------------------------------------------------------


def test_429_retry_after_is_honoured_in_real_time(arun: Run, sandbox: SandboxServer) -> None:
    sandbox.faults.fail_next(429, "RATE_LIMITED", "Too many requests", retry_after=1)

    async def go() -> Any:
        async with client_for(sandbox) as client:
            return await client.list_products()

    started = time.monotonic()
    assert arun(go())
    assert time.monotonic() - started >= 0.95


def test_429_per_minute_limit_waits_and_succeeds(arun: Run, sandbox: SandboxServer) -> None:
    sandbox.set_rate_limits(per_minute=3)
    waits: list[float] = []

    async def window_passes(seconds: float) -> None:
        # Instead of really waiting up to a minute: record the wait, then start a new window.
        waits.append(seconds)
        sandbox.set_rate_limits(per_minute=3)

    async def go() -> list[Any]:
        # No time limit: the recorded wait (up to a minute) takes no real time here.
        async with client_for(sandbox, sleep=window_passes, time_limit=None) as client:
            return [await client.list_products() for _ in range(4)]

    results = arun(go())
    assert len(results) == 4
    assert len(waits) == 1
    assert 1 <= waits[0] <= 60


def test_429_without_retries_surfaces_retry_after(arun: Run, sandbox: SandboxServer) -> None:
    sandbox.set_rate_limits(per_minute=2)

    async def go() -> Any:
        async with client_for(sandbox, retry=RetryPolicy(max_rate_limit_retries=0)) as client:
            for _ in range(3):
                await client.list_products()
            return client.rate_limit

    with pytest.raises(RateLimitedError) as info:
        arun(go())
    err = info.value
    assert (err.status, err.code) == (429, "RATE_LIMITED")
    assert err.retry_after is not None
    assert 1 <= err.retry_after <= 60


def test_daily_order_limit(arun: Run, sandbox: SandboxServer) -> None:
    sandbox.set_rate_limits(orders_per_day=1)

    async def go() -> Any:
        async with client_for(sandbox, sandbox.api_keys["standard"]) as client:
            await client.create_order(order_in())
            return await client.create_order(order_in())

    with pytest.raises(RateLimitedError) as info:
        arun(go())
    assert info.value.code == "DAILY_ORDER_LIMIT"
    assert info.value.retry_after is not None
    assert info.value.retry_after > 60, "until midnight UTC: surfaced, not waited for"
    assert sandbox.order_count("standard") == 1


def test_rate_limit_headers_are_tracked(arun: Run, sandbox: SandboxServer) -> None:
    async def go() -> Any:
        async with client_for(sandbox) as client:
            await client.list_products()
            return client.rate_limit

    state = arun(go())
    assert state is not None
    assert state.limit == 60
    assert state.remaining == 59


def test_get_retried_after_injected_503(arun: Run, sandbox: SandboxServer) -> None:
    sandbox.faults.fail_next(503, "UNAVAILABLE", count=2, path_prefix="/api/partner/pricing")
    waits: list[float] = []

    async def record(seconds: float) -> None:
        waits.append(seconds)

    async def go() -> Any:
        async with client_for(sandbox, sleep=record) as client:
            return await client.get_pricing()

    assert arun(go())
    assert waits == [0.5, 1.0]


def test_post_not_retried_after_injected_500(arun: Run, sandbox: SandboxServer) -> None:
    sandbox.faults.fail_next(500, "INTERNAL_ERROR", "boom", method="POST")
    before = sandbox.order_count("demo")

    async def go() -> Any:
        async with client_for(sandbox) as client:
            return await client.create_order(order_in())

    with pytest.raises(ServerError) as info:
        arun(go())
    assert (info.value.status, info.value.code, info.value.message) == (
        500,
        "INTERNAL_ERROR",
        "boom",
    )
    assert sandbox.order_count("demo") == before


def test_connection_refused_is_a_network_error(arun: Run, sandbox: SandboxServer) -> None:
    url = sandbox.base_url
    sandbox.stop()

    async def go() -> Any:
        async with PartnerClient(url, "k", retry=NO_RETRY) as client:
            return await client.list_products()

    with pytest.raises(NetworkError) as info:
        arun(go())
    assert info.value.code == "CONNECTION_REFUSED"
    assert "refused the connection" in info.value.message
