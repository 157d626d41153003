"""Async client of the NFC Tagify Partner API (Qt-free).

One ``httpx.AsyncClient`` per PartnerClient (its connection pool is reused across calls);
:mod:`~nfctagify_desktop.api.responses` turns every answer into data or a typed
:mod:`~nfctagify_desktop.api.errors` exception. Retries follow docs/api-assumptions.md:
429 honours Retry-After for any method, GETs back off on transient failures, and order creation
is never resent once it may have reached the server.
"""

from __future__ import annotations

import asyncio
import logging
import ssl
import time
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import quote

import httpx
from pydantic import TypeAdapter, ValidationError

from nfctagify_desktop import __version__
from nfctagify_desktop.api import errors
from nfctagify_desktop.api.diagnosis import network_error, will_not_change
from nfctagify_desktop.api.models import (
    Order,
    OrderCreate,
    OrderPage,
    OrderQuery,
    OrderStatus,
    Pagination,
    PriceEntry,
    Product,
)
from nfctagify_desktop.api.responses import first_error, first_loc, parse, parse_one, unwrap
from nfctagify_desktop.api.retry import RetryPolicy, parse_retry_after
from nfctagify_desktop.api.tls import default_ssl_context
from nfctagify_desktop.api.urls import API_PREFIX, normalize_base_url
from nfctagify_desktop.redaction import InvalidApiKeyError, clean_api_key, register_secret

log = logging.getLogger("nfctagify.api")

DEFAULT_TIMEOUT = httpx.Timeout(15.0, connect=5.0)
#: One call, retries and waits included, gives up after this many seconds (settings can change it).
DEFAULT_TIME_LIMIT = 20.0
_TRANSIENT_STATUSES = frozenset({502, 503, 504})
_PRODUCTS = TypeAdapter(list[Product])
_PRICES = TypeAdapter(list[PriceEntry])
_ORDERS = TypeAdapter(list[Order])

Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True)
class Placement:
    """The answer to ``POST /orders``: the order, and whether it was placed by an earlier
    request with the same idempotency key (the server replayed it) rather than by this one."""

    order: Order
    replayed: bool = False


@dataclass(frozen=True)
class RateLimitState:
    """The last X-RateLimit-* headers seen; used to pace bulk imports."""

    limit: int | None
    remaining: int | None
    reset_seconds: float | None
    observed_at: float  # time.monotonic()

    def seconds_until_reset(self) -> float:
        if self.reset_seconds is None:
            return 0.0
        return max(0.0, self.reset_seconds - (time.monotonic() - self.observed_at))


def _int_header(headers: httpx.Headers, name: str) -> int | None:
    try:
        return int(headers[name])
    except (KeyError, ValueError):
        return None


class PartnerClient:
    """Typed async access to the five Partner API operations.

    Args:
        base_url: origin such as ``https://api.nfctagify.com`` (paths start at /api/partner/).
        api_key: the partner's bearer key; never logged nor put in exception text.
        transport: injected httpx transport (tests use MockTransport for faults the sandbox
            cannot produce).
        verify: an ``ssl.SSLContext`` (e.g. truststore's, or one trusting a custom CA); None
            means the OS trust store via truststore, falling back to certifi.
        retry: retry policy; ``api.retry.NO_RETRY`` disables retries.
        sleep: injectable for tests; waits are cancellable either way.
        time_limit: seconds after which one call gives up, retries and waits included
            (None: no overall limit, only httpx's per-phase timeouts).

    Raises:
        ConfigurationError: a refused address, or a key with a character no key has.
    """

    def __init__(
        self,
        base_url: str,
        api_key: str,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        verify: ssl.SSLContext | None = None,
        timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
        sleep: Sleep = asyncio.sleep,
        time_limit: float | None = DEFAULT_TIME_LIMIT,
    ) -> None:
        self._base_url = normalize_base_url(base_url)
        self._api_key = _checked_key(api_key)
        self.time_limit = time_limit
        self.retry = retry or RetryPolicy()
        self._sleep = sleep
        self.rate_limit: RateLimitState | None = None
        self._http = httpx.AsyncClient(
            base_url=self._base_url + API_PREFIX,
            transport=transport,
            verify=verify if verify is not None else default_ssl_context(),
            timeout=timeout,
            headers={
                "Accept": "application/json",
                "User-Agent": f"nfctagify-desktop/{__version__}",
            },
            follow_redirects=False,
        )

    @property
    def base_url(self) -> str:
        return self._base_url

    def set_api_key(self, api_key: str) -> None:
        """Use a new key from the next request on (after a rotation)."""
        self._api_key = _checked_key(api_key)

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> PartnerClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    # -- the five operations ---------------------------------------------------------------

    async def list_products(self) -> list[Product]:
        data, _, _ = await self._exchange("GET", "/products")
        return parse(_PRODUCTS, data, "GET", "/products")

    async def get_pricing(self) -> list[PriceEntry]:
        data, _, _ = await self._exchange("GET", "/pricing")
        if isinstance(data, dict):  # tolerate {"prices": [...]} / {"products": [...]}
            data = data.get("prices", data.get("products", data.get("items", data)))
        return parse(_PRICES, data, "GET", "/pricing")

    async def create_order(
        self, order: OrderCreate, *, idempotency_key: str | None = None
    ) -> Order:
        """Place an order. Never resent after it may have reached the server.

        Pass the draft's own ``idempotency_key`` so that a manual resend cannot double it.
        """
        return (await self.place_order(order, idempotency_key=idempotency_key)).order

    async def place_order(
        self, order: OrderCreate, *, idempotency_key: str | None = None
    ) -> Placement:
        """:meth:`create_order`, also telling whether the server replayed an earlier order.

        A replay (``Idempotent-Replayed: true``) means an earlier request with this key had
        already placed the order: the answer to "did my lost request go through?".
        """
        key = idempotency_key or str(uuid.uuid4())
        data, _, headers = await self._exchange(
            "POST", "/orders", body=order.body(), headers={"Idempotency-Key": key}
        )
        replayed = headers.get("Idempotent-Replayed", "").strip().lower() == "true"
        return Placement(parse_one(Order, data, "POST", "/orders"), replayed)

    async def get_order(self, order_id: str) -> Order:
        order_id = order_id.strip()
        if not order_id or "/" in order_id or order_id in (".", ".."):
            raise errors.BadRequestError(f"Not an order id: {order_id!r}", code="INVALID_ORDER_ID")
        # Quoted: a "?" or "#" in a pasted id must not turn into a query or fragment.
        path = f"/orders/{quote(order_id, safe='')}"
        data, _, _ = await self._exchange("GET", path)
        return parse_one(Order, data, "GET", path)

    async def list_orders(
        self,
        query: OrderQuery | None = None,
        *,
        page: int = 1,
        per_page: int = 20,
        status: OrderStatus | str | None = None,
        date_from: date | None = None,
        date_to: date | None = None,
    ) -> OrderPage:
        if query is None:
            try:
                query = OrderQuery(
                    page=page,
                    per_page=per_page,
                    status=OrderStatus(status) if status else None,
                    date_from=date_from,
                    date_to=date_to,
                )
            except ValidationError as exc:
                raise errors.BadRequestError(
                    first_error(exc), code="INVALID_QUERY", field=first_loc(exc)
                ) from None
        data, payload, _ = await self._exchange("GET", "/orders", params=query.params())
        orders = parse(_ORDERS, data, "GET", "/orders")
        raw = payload.get("pagination") or payload.get("meta") or {}
        try:
            pagination = Pagination.model_validate(raw if isinstance(raw, dict) else {})
        except ValidationError:
            pagination = Pagination()
        if not raw:
            pagination = Pagination(page=query.page, per_page=query.per_page)
        # Both parts are validated already: model_construct skips running 100 orders again.
        return OrderPage.model_construct(orders=orders, pagination=pagination)

    # -- plumbing --------------------------------------------------------------------------

    async def _exchange(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        body: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> tuple[Any, dict[str, Any], httpx.Headers]:
        """Send with retries; return (``data``, whole payload, headers) or raise a typed error.

        The whole exchange, retries and their waits included, ends after ``time_limit``.
        """
        if self.time_limit is None:
            return await self._attempts(method, path, params=params, body=body, headers=headers)
        deadline = asyncio.get_running_loop().time() + self.time_limit
        try:
            async with asyncio.timeout_at(deadline):
                return await self._attempts(
                    method, path, params=params, body=body, headers=headers, deadline=deadline
                )
        except TimeoutError:
            raise errors.RequestTimeoutError(
                f"No complete answer from the Partner API within {self.time_limit:g} s",
                code="TOTAL_TIMEOUT",
                method=method,
                path=API_PREFIX + path,
                request_body=body,
            ) from None

    async def _attempts(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None,
        body: Any,
        headers: Mapping[str, str] | None,
        deadline: float | None = None,
    ) -> tuple[Any, dict[str, Any], httpx.Headers]:
        """``deadline`` (loop time): a rate-limit wait that would end after it is not waited
        out; the 429 is raised at once, so the user reads "too many requests, N s", not a
        time-out blamed on a slow server."""
        idempotent = method in ("GET", "HEAD")
        rate_retries = transient_retries = 0
        ctx = {"method": method, "path": API_PREFIX + path, "request_body": body}
        while True:
            started = time.perf_counter()
            try:
                response = await self._http.request(
                    method,
                    path,
                    params=params,
                    json=body,
                    headers={**(headers or {}), "Authorization": f"Bearer {self._api_key}"},
                )
            except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
                # Never reached the server: safe to retry, even a POST; but an untrusted
                # certificate or an unknown host name will not change in a few seconds.
                if transient_retries < self.retry.max_transient_retries and not will_not_change(
                    exc
                ):
                    await self._sleep(self.retry.backoff(transient_retries))
                    transient_retries += 1
                    continue
                raise network_error(exc, ctx) from None
            except httpx.TransportError as exc:
                if idempotent and transient_retries < self.retry.max_transient_retries:
                    await self._sleep(self.retry.backoff(transient_retries))
                    transient_retries += 1
                    continue
                raise network_error(exc, ctx) from None
            log.info(
                "%s %s -> %s in %.0f ms",
                method,
                ctx["path"],
                response.status_code,
                (time.perf_counter() - started) * 1000,
            )
            self._note_rate_limit(response.headers)
            status = response.status_code
            if status == 429:
                wait = parse_retry_after(response.headers.get("Retry-After"))
                wait = 1.0 if wait is None else wait
                in_time = deadline is None or asyncio.get_running_loop().time() + wait < deadline
                if (
                    rate_retries < self.retry.max_rate_limit_retries
                    and wait <= self.retry.max_retry_after
                    and in_time
                ):
                    log.warning("rate limited on %s %s; retrying in %.1f s", method, path, wait)
                    await self._sleep(wait)
                    rate_retries += 1
                    continue
            elif (
                status in _TRANSIENT_STATUSES
                and idempotent
                and transient_retries < self.retry.max_transient_retries
            ):
                await self._sleep(self.retry.backoff(transient_retries))
                transient_retries += 1
                continue
            data, payload = unwrap(response, ctx)
            return data, payload, response.headers

    def _note_rate_limit(self, headers: httpx.Headers) -> None:
        limit = _int_header(headers, "X-RateLimit-Limit")
        remaining = _int_header(headers, "X-RateLimit-Remaining")
        if limit is None and remaining is None:
            return
        reset = _int_header(headers, "X-RateLimit-Reset")
        self.rate_limit = RateLimitState(
            limit, remaining, float(reset) if reset is not None else None, time.monotonic()
        )


def _checked_key(api_key: str) -> str:
    """The key stripped of surrounding whitespace and registered for redaction."""
    try:
        key = clean_api_key(api_key)
    except InvalidApiKeyError as exc:
        raise errors.ConfigurationError(str(exc), code="INVALID_API_KEY") from None
    register_secret(key)
    return key
