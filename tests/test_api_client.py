"""PartnerClient over httpx.MockTransport: faults a real server cannot easily produce.

Covers the retry policy of docs/api-assumptions.md (429 Retry-After for any method, backoff for
GETs, no resend of a POST that may have reached the server), error mapping, tolerance of
envelope-less and any-2xx answers, base-URL rules and that the key never leaks into errors.
"""

from __future__ import annotations

import email.utils
import json
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from nfctagify_desktop.api import (
    ApiError,
    ApiStatusError,
    BadRequestError,
    ConfigurationError,
    ConflictError,
    ForbiddenError,
    InvalidResponseError,
    NetworkError,
    NotFoundError,
    OrderCreate,
    PartnerClient,
    RateLimitedError,
    RequestTimeoutError,
    RetryPolicy,
    ServerError,
    UnauthorizedError,
)

KEY = "sk_live_SECRET_do_not_leak_9f8e7d"
ORDER = {
    "order_id": "ord_1",
    "status": "pending",
    "created_at": "2026-05-25T09:00:00Z",
    "product_id": "prod_standard",
    "quantity": 50,
    "currency": "GBP",
    "unit_price": 3.50,
    "total": 175.00,
}
PRODUCTS = [{"product_id": "prod_standard", "name": "Standard", "price": 3.50}]

Handler = Callable[[httpx.Request], httpx.Response]


def ok(data: Any, status: int = 200, **extra: Any) -> httpx.Response:
    return httpx.Response(status, json={"success": True, "data": data, **extra})


def fail(status: int, error: str, code: str, **extra: Any) -> httpx.Response:
    headers = {}
    if "retry_after" in extra:
        headers["Retry-After"] = str(extra.pop("retry_after"))
    return httpx.Response(
        status, json={"success": False, "error": error, "code": code, **extra}, headers=headers
    )


class Script:
    """A MockTransport handler that answers from a script and records every request.

    Each step is a Response or an exception class to raise (httpx errors need the request).
    Running off the end of the script fails the test: an unexpected request was made.
    """

    def __init__(self, *steps: httpx.Response | type[Exception]) -> None:
        self.steps = list(steps)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if not self.steps:
            raise AssertionError(f"unexpected request {request.method} {request.url}")
        step = self.steps.pop(0)
        if isinstance(step, type):
            raise step("injected", request=request)  # type: ignore[call-arg]
        return step


def make(
    handler: Handler, *, retry: RetryPolicy | None = None, base_url: str = "https://api.test"
) -> tuple[PartnerClient, list[float]]:
    waits: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        waits.append(seconds)

    client = PartnerClient(
        base_url, KEY, transport=httpx.MockTransport(handler), retry=retry, sleep=fake_sleep
    )
    return client, waits


def new_order() -> OrderCreate:
    return OrderCreate.model_validate(
        {
            "product_id": "prod_standard",
            "quantity": 50,
            "shipping": {
                "name": "Jane Smith",
                "address_line1": "12 Example Street",
                "city": "London",
                "postcode": "EC1A 1BB",
                "country": "GB",
            },
        }
    )


async def products(client: PartnerClient) -> Any:
    async with client:
        return await client.list_products()


async def create(client: PartnerClient, key: str | None = None) -> Any:
    async with client:
        return await client.create_order(new_order(), idempotency_key=key)


# -- 429 and Retry-After -------------------------------------------------------------------------


def test_429_retry_after_seconds_is_honoured(arun: Callable[..., Any]) -> None:
    script = Script(
        fail(429, "slow down", "RATE_LIMITED", retry_after=2),
        fail(429, "slow down", "RATE_LIMITED", retry_after=1),
        ok(PRODUCTS),
    )
    client, waits = make(script)
    result = arun(products(client))
    assert [p.product_id for p in result] == ["prod_standard"]
    assert waits == [2.0, 1.0]
    assert len(script.requests) == 3


def test_429_retry_after_http_date_is_honoured(arun: Callable[..., Any]) -> None:
    when = email.utils.format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    script = Script(
        httpx.Response(429, json={"success": False}, headers={"Retry-After": when}), ok(PRODUCTS)
    )
    client, waits = make(script)
    client.time_limit = 60.0  # the 30 s wait fits the call's limit, so it is waited out
    arun(products(client))
    assert len(waits) == 1
    assert 25.0 <= waits[0] <= 30.0


def test_429_without_retry_after_waits_a_second(arun: Callable[..., Any]) -> None:
    client, waits = make(Script(httpx.Response(429), ok(PRODUCTS)))
    arun(products(client))
    assert waits == [1.0]


def test_429_retries_are_capped(arun: Callable[..., Any]) -> None:
    script = Script(*[fail(429, "slow down", "RATE_LIMITED", retry_after=1)] * 4)
    client, waits = make(script)
    with pytest.raises(RateLimitedError) as info:
        arun(products(client))
    assert waits == [1.0, 1.0, 1.0]
    assert len(script.requests) == 4
    assert info.value.retry_after == 1.0
    assert info.value.code == "RATE_LIMITED"


def test_429_with_a_too_long_wait_surfaces_at_once(arun: Callable[..., Any]) -> None:
    script = Script(fail(429, "daily limit", "DAILY_ORDER_LIMIT", retry_after=3600))
    client, waits = make(script)
    with pytest.raises(RateLimitedError) as info:
        arun(create(client))
    assert waits == []
    assert info.value.retry_after == 3600.0
    assert str(info.value).startswith("daily limit [DAILY_ORDER_LIMIT] (HTTP 429 POST")


def test_post_retried_after_429_with_the_same_idempotency_key(arun: Callable[..., Any]) -> None:
    script = Script(fail(429, "slow down", "RATE_LIMITED", retry_after=1), ok(ORDER, 201))
    client, waits = make(script)
    order = arun(create(client))
    assert order.order_id == "ord_1"
    keys = [r.headers["Idempotency-Key"] for r in script.requests]
    assert len(keys) == 2
    assert keys[0] == keys[1]
    uuid.UUID(keys[0])  # a fresh UUID when the caller gave none
    assert waits == [1.0]


def test_explicit_idempotency_key_is_sent(arun: Callable[..., Any]) -> None:
    script = Script(ok(ORDER, 201))
    arun(create(make(script)[0], key="draft-42"))
    assert script.requests[0].headers["Idempotency-Key"] == "draft-42"


def test_each_order_gets_its_own_key(arun: Callable[..., Any]) -> None:
    script = Script(ok(ORDER, 201), ok(ORDER, 201))
    client, _ = make(script)

    async def twice() -> None:
        async with client:
            await client.create_order(new_order())
            await client.create_order(new_order())

    arun(twice())
    assert (
        script.requests[0].headers["Idempotency-Key"]
        != script.requests[1].headers["Idempotency-Key"]
    )


# -- transient failures: GET backs off, POST is never resent once it may have arrived -------------


@pytest.mark.parametrize(
    "fault",
    [httpx.ConnectError, httpx.ConnectTimeout, httpx.ReadTimeout, httpx.ReadError, 503, 502, 504],
)
def test_get_retried_with_backoff(arun: Callable[..., Any], fault: Any) -> None:
    step = httpx.Response(fault) if isinstance(fault, int) else fault
    script = Script(step, step, ok(PRODUCTS))
    client, waits = make(script)
    assert len(arun(products(client))) == 1
    assert waits == [0.5, 1.0]
    assert len(script.requests) == 3


@pytest.mark.parametrize(
    ("fault", "error", "code"),
    [
        (httpx.ConnectError, NetworkError, "CONNECT_ERROR"),
        (httpx.ReadTimeout, RequestTimeoutError, "TIMEOUT"),
        (503, ServerError, None),
    ],
)
def test_get_gives_up_after_the_cap(
    arun: Callable[..., Any], fault: Any, error: type[ApiError], code: str | None
) -> None:
    step = httpx.Response(fault) if isinstance(fault, int) else fault
    script = Script(*[step] * 4)
    client, waits = make(script)
    with pytest.raises(error) as info:
        arun(products(client))
    assert waits == [0.5, 1.0, 2.0]
    assert len(script.requests) == 4
    assert info.value.code == code
    assert info.value.method == "GET"
    assert info.value.path == "/api/partner/products"


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        (httpx.ReadError, NetworkError),
        (httpx.ReadTimeout, RequestTimeoutError),
        (httpx.WriteTimeout, RequestTimeoutError),
        (httpx.RemoteProtocolError, NetworkError),
        (500, ServerError),
        (502, ServerError),
        (503, ServerError),
    ],
)
def test_post_not_retried_once_it_may_have_arrived(
    arun: Callable[..., Any], fault: Any, error: type[ApiError]
) -> None:
    step = httpx.Response(fault) if isinstance(fault, int) else fault
    script = Script(step)  # a second request would fail the test
    client, waits = make(script)
    with pytest.raises(error) as info:
        arun(create(client))
    assert len(script.requests) == 1, "exactly one POST reached the transport"
    assert waits == []
    assert info.value.method == "POST"


@pytest.mark.parametrize("fault", [httpx.ConnectError, httpx.ConnectTimeout])
def test_post_retried_when_it_never_reached_the_server(
    arun: Callable[..., Any], fault: type[Exception]
) -> None:
    script = Script(fault, ok(ORDER, 201))
    client, waits = make(script)
    assert arun(create(client)).order_id == "ord_1"
    assert len(script.requests) == 2
    assert (
        script.requests[0].headers["Idempotency-Key"]
        == script.requests[1].headers["Idempotency-Key"]
    )
    assert waits == [0.5]


def test_no_retry_policy(arun: Callable[..., Any]) -> None:
    script = Script(httpx.Response(503))
    client, waits = make(script, retry=RetryPolicy(max_transient_retries=0))
    with pytest.raises(ServerError):
        arun(products(client))
    assert waits == []


# -- error envelopes become typed errors ---------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (400, BadRequestError),
        (401, UnauthorizedError),
        (403, ForbiddenError),
        (404, NotFoundError),
        (409, ConflictError),
        (418, BadRequestError),
        (422, BadRequestError),
        (500, ServerError),
    ],
)
def test_error_envelope_maps_to_typed_error(
    arun: Callable[..., Any], status: int, error: type[ApiError]
) -> None:
    script = Script(fail(status, "Something specific", "SOME_CODE"))
    with pytest.raises(error) as info:
        arun(create(make(script)[0]))
    err = info.value
    assert isinstance(err, ApiStatusError)
    assert (err.message, err.code, err.status) == ("Something specific", "SOME_CODE", status)
    assert (err.method, err.path) == ("POST", "/api/partner/orders")
    assert str(err) == f"Something specific [SOME_CODE] (HTTP {status} POST /api/partner/orders)"
    assert err.request_body["quantity"] == 50
    assert json.loads(err.response_body or "")["code"] == "SOME_CODE"


def test_field_from_envelope_and_from_message(arun: Callable[..., Any]) -> None:
    script = Script(
        fail(400, "postcode is required", "VALIDATION_ERROR", field="shipping.postcode"),
        fail(400, "quantity must be at least 10 for prod_premium_metal", "VALIDATION_ERROR"),
    )
    client, _ = make(script)

    async def both() -> list[BadRequestError]:
        out = []
        async with client:
            for _ in range(2):
                try:
                    await client.create_order(new_order())
                except BadRequestError as exc:
                    out.append(exc)
        return out

    first, second = arun(both())
    assert first.field == "shipping.postcode"
    assert second.field == "quantity"


def test_nested_error_object_is_tolerated(arun: Callable[..., Any]) -> None:
    body = {"error": {"message": "No such order", "code": "NOT_FOUND"}}
    script = Script(httpx.Response(404, json=body))

    async def go() -> Any:
        async with make(script)[0] as client:
            return await client.get_order("ord_x")

    with pytest.raises(NotFoundError) as info:
        arun(go())
    assert (info.value.message, info.value.code) == ("No such order", "NOT_FOUND")


def test_non_json_error_uses_the_reason_phrase(arun: Callable[..., Any]) -> None:
    script = Script(httpx.Response(502, text="<html>Bad gateway</html>"))
    with pytest.raises(ServerError) as info:
        arun(create(make(script)[0]))
    assert info.value.message == "Bad Gateway"
    assert info.value.status == 502
    assert "<html>" in (info.value.response_body or "")


def test_success_false_in_a_2xx_is_an_error(arun: Callable[..., Any]) -> None:
    script = Script(httpx.Response(200, json={"success": False, "error": "nope", "code": "X"}))
    with pytest.raises(ApiStatusError) as info:
        arun(products(make(script)[0]))
    assert (info.value.message, info.value.code) == ("nope", "X")


# -- tolerant success handling -----------------------------------------------------------------


def test_non_json_2xx_is_invalid_response(arun: Callable[..., Any]) -> None:
    script = Script(httpx.Response(200, text="<html>maintenance</html>"))
    with pytest.raises(InvalidResponseError) as info:
        arun(products(make(script)[0]))
    assert info.value.status == 200
    assert info.value.code == "INVALID_RESPONSE"


def test_empty_2xx_is_invalid_response(arun: Callable[..., Any]) -> None:
    with pytest.raises(InvalidResponseError):
        arun(products(make(Script(httpx.Response(204)))[0]))


@pytest.mark.parametrize("status", [200, 201, 202, 203])
def test_any_2xx_is_success(arun: Callable[..., Any], status: int) -> None:
    assert arun(create(make(Script(ok(ORDER, status)))[0])).order_id == "ord_1"


def test_bare_bodies_without_envelope(arun: Callable[..., Any]) -> None:
    script = Script(
        httpx.Response(200, json=PRODUCTS),
        httpx.Response(201, json=ORDER),
        httpx.Response(200, json={"prices": [{"product_id": "p", "price": 1.25}]}),
        httpx.Response(200, json=[ORDER]),
    )
    client, _ = make(script)

    async def go() -> tuple[Any, ...]:
        async with client:
            return (
                await client.list_products(),
                await client.create_order(new_order()),
                await client.get_pricing(),
                await client.list_orders(page=2, per_page=5),
            )

    prods, order, prices, page = arun(go())
    assert prods[0].name == "Standard"
    assert order.order_id == "ord_1"
    assert str(prices[0].price) == "1.25"
    assert len(page.orders) == 1
    assert (page.pagination.page, page.pagination.per_page) == (2, 5), "taken from the query"


def test_list_orders_sends_query_and_reads_pagination(arun: Callable[..., Any]) -> None:
    pagination = {"page": 2, "per_page": 1, "total": 3, "total_pages": 3}
    script = Script(ok([ORDER], pagination=pagination))
    client, _ = make(script)

    async def go() -> Any:
        async with client:
            return await client.list_orders(page=2, per_page=1, status="dispatched")

    page = arun(go())
    params = dict(script.requests[0].url.params)
    assert params == {"page": "2", "per_page": "1", "status": "dispatched"}
    assert page.pagination.total == 3
    assert page.has_next


@pytest.mark.parametrize("kwargs", [{"per_page": 101}, {"page": 0}, {"status": "lost"}])
def test_list_orders_refuses_bad_queries_before_sending(
    arun: Callable[..., Any], kwargs: dict[str, Any]
) -> None:
    script = Script()

    async def go() -> Any:
        async with make(script)[0] as client:
            return await client.list_orders(**kwargs)

    with pytest.raises(BadRequestError) as info:
        arun(go())
    assert info.value.status is None
    assert script.requests == []


@pytest.mark.parametrize("bad", ["", "  ", "a/b", "..", "."])
def test_get_order_refuses_non_ids_before_sending(arun: Callable[..., Any], bad: str) -> None:
    script = Script()

    async def go() -> Any:
        async with make(script)[0] as client:
            return await client.get_order(bad)

    with pytest.raises(BadRequestError):
        arun(go())
    assert script.requests == []


def test_get_order_quotes_the_id(arun: Callable[..., Any]) -> None:
    script = Script(ok(ORDER))

    async def go() -> Any:
        async with make(script)[0] as client:
            return await client.get_order("ord 1?x#y")

    arun(go())
    assert script.requests[0].url.raw_path == b"/api/partner/orders/ord%201%3Fx%23y"


def test_bearer_key_and_rotation(arun: Callable[..., Any]) -> None:
    script = Script(ok(PRODUCTS), ok(PRODUCTS))
    client, _ = make(script)

    async def go() -> None:
        async with client:
            await client.list_products()
            client.set_api_key("sk_new")
            await client.list_products()

    arun(go())
    assert [r.headers["Authorization"] for r in script.requests] == [
        f"Bearer {KEY}",
        "Bearer sk_new",
    ]


def test_rate_limit_headers_are_noted(arun: Callable[..., Any]) -> None:
    headers = {"X-RateLimit-Limit": "60", "X-RateLimit-Remaining": "7", "X-RateLimit-Reset": "30"}
    response = httpx.Response(200, json={"success": True, "data": PRODUCTS}, headers=headers)
    client, _ = make(Script(response))
    arun(products(client))
    assert client.rate_limit is not None
    assert (client.rate_limit.limit, client.rate_limit.remaining) == (60, 7)
    assert 0 < client.rate_limit.seconds_until_reset() <= 30


# -- the key never leaks --------------------------------------------------------------------------


def _all_text(err: BaseException) -> str:
    return " ".join([str(err), repr(err), *(repr(v) for v in vars(err).values())])


@pytest.mark.parametrize(
    "step",
    [
        fail(401, f"bad key {KEY[:4]}", "UNAUTHORIZED"),
        fail(500, "boom", "INTERNAL_ERROR"),
        httpx.Response(200, text="not json"),
        httpx.Response(200, json={"success": True, "data": [{"oops": 1}]}),
        httpx.ConnectError,
        httpx.ReadTimeout,
        httpx.ReadError,
    ],
)
def test_key_never_in_errors(arun: Callable[..., Any], step: Any) -> None:
    script = Script(step)
    client, _ = make(script, retry=RetryPolicy(max_transient_retries=0))
    with pytest.raises(ApiError) as info:
        arun(create(client))
    assert script.requests[0].headers["Authorization"] == f"Bearer {KEY}"
    assert KEY not in _all_text(info.value)
    cause = info.value.__cause__
    assert cause is None, "no httpx exception (whose request holds the header) is chained"


# -- base URL rules ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://api.nfctagify.com", "https://api.nfctagify.com"),
        ("https://api.nfctagify.com/", "https://api.nfctagify.com"),
        ("https://api.nfctagify.com/api/partner", "https://api.nfctagify.com"),
        ("https://api.nfctagify.com/api/partner/", "https://api.nfctagify.com"),
        ("https://api.nfctagify.com:8443", "https://api.nfctagify.com:8443"),
        ("http://127.0.0.1:8765", "http://127.0.0.1:8765"),
        ("http://127.5.0.1", "http://127.5.0.1"),
        ("http://localhost:8765/api/partner", "http://localhost:8765"),
        ("http://[::1]:8765", "http://[::1]:8765"),
        ("  https://Example.COM  ", "https://example.com"),
    ],
)
def test_base_url_accepted(url: str, expected: str) -> None:
    client = PartnerClient(url, KEY, transport=httpx.MockTransport(Script()))
    assert client.base_url == expected


@pytest.mark.parametrize(
    "url",
    [
        "http://api.nfctagify.com",
        "http://192.168.1.10:8765",
        "http://[2001:db8::1]",
        "http://localhost.evil.com",
        "ftp://api.nfctagify.com",
        "api.nfctagify.com",
        "https://api.nfctagify.com/v2",
        "https://user:pw@api.nfctagify.com",
        "https://api.nfctagify.com?x=1",
        "",
    ],
)
def test_base_url_refused(url: str) -> None:
    with pytest.raises(ConfigurationError):
        PartnerClient(url, KEY, transport=httpx.MockTransport(Script()))
