"""The FastAPI app: the five Partner API endpoints (the gate in front of them is in
:mod:`~nfctagify_desktop.sandbox.gate`, the hidden admin endpoints in
:mod:`~nfctagify_desktop.sandbox.admin`)."""

from __future__ import annotations

import hashlib
import json
import math
from datetime import date, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, FastAPI, Header, Query, Request, Response
from fastapi.openapi.utils import get_openapi
from starlette.types import Receive, Scope, Send

from nfctagify_desktop.sandbox.admin import admin_router
from nfctagify_desktop.sandbox.db import Account, NewOrder
from nfctagify_desktop.sandbox.errors import (
    ApiError,
    install_error_handlers,
    respond,
    strip_default_422,
)
from nfctagify_desktop.sandbox.gate import gate, sandbox_state, writer
from nfctagify_desktop.sandbox.schemas import (
    OrderEnvelope,
    OrderIn,
    OrderListEnvelope,
    PricingEnvelope,
    ProductsEnvelope,
    StatusName,
    error_responses,
)
from nfctagify_desktop.sandbox.state import SandboxState
from nfctagify_desktop.sandbox.validation import check_address
from nfctagify_desktop.sandbox.wire import order_json, price_json, product_json


class DroppedResponse(Response):
    """Starts a response and never finishes it: the client sees a broken connection.

    Models a network failure after the server committed the order, the case the app's
    "was my order placed?" logic exists for.
    """

    def __init__(self) -> None:
        super().__init__(status_code=201)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send(
            {
                "type": "http.response.start",
                "status": 201,
                "headers": [(b"content-type", b"application/json"), (b"content-length", b"4096")],
            }
        )
        await send(
            {"type": "http.response.body", "body": b'{"success": true, "da', "more_body": True}
        )
        # Returning without the rest makes uvicorn close the socket mid-body.


def _body_hash(raw: bytes) -> str:
    canonical = json.dumps(json.loads(raw), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _seconds_to_midnight(now: datetime) -> int:
    midnight = datetime(now.year, now.month, now.day, tzinfo=now.tzinfo) + timedelta(days=1)
    return max(1, math.ceil((midnight - now).total_seconds()))


def partner_router() -> APIRouter:
    router = APIRouter(prefix="/api/partner", responses=error_responses(401, 429))

    @router.get("/products", response_model=ProductsEnvelope, summary="List products")
    async def list_products(
        request: Request, account: Annotated[Account, Depends(gate)]
    ) -> Response:
        rows = sandbox_state(request).db.pricing(account.account_id)
        return respond(request, {"success": True, "data": [product_json(r) for r in rows]})

    @router.get("/pricing", response_model=PricingEnvelope, summary="Get pricing")
    async def get_pricing(request: Request, account: Annotated[Account, Depends(gate)]) -> Response:
        rows = sandbox_state(request).db.pricing(account.account_id)
        return respond(request, {"success": True, "data": [price_json(r) for r in rows]})

    @router.post(
        "/orders",
        status_code=201,
        response_model=OrderEnvelope,
        summary="Create order",
        responses={
            200: {"model": OrderEnvelope, "description": "Idempotent replay of an earlier order"},
            **error_responses(400, 403, 409),
        },
    )
    async def create_order(
        request: Request,
        account: Annotated[Account, Depends(writer)],
        order: Annotated[OrderIn, Body()],
        idempotency_key: Annotated[
            str | None, Header(alias="Idempotency-Key", min_length=1, max_length=255)
        ] = None,
    ) -> Response:
        state = sandbox_state(request)
        price = state.db.price_of(account.account_id, order.product_id)
        if price is None:
            raise ApiError(
                400,
                "VALIDATION_ERROR",
                f"unknown product_id: {order.product_id}",
                field="product_id",
            )
        if order.quantity < price["min_quantity"]:
            raise ApiError(
                400,
                "VALIDATION_ERROR",
                f"quantity must be at least {price['min_quantity']} for {order.product_id}",
                field="quantity",
            )
        now = state.clock.now()
        ship = order.shipping
        check_address(ship)
        result = state.db.create_order(
            account.account_id,
            NewOrder(
                order.product_id,
                order.quantity,
                order.customer_reference,
                ship.name,
                ship.address_line1,
                ship.address_line2,
                ship.city,
                ship.postcode or "",
                ship.country,
                ship.region,
            ),
            unit_pence=price["price_pence"],
            product_name=price["name"],
            currency=price["currency"],
            now_ms=state.clock.now_ms(),
            idempotency_key=idempotency_key,
            body_hash=_body_hash(await request.body()),
            orders_per_day=state.orders_per_day,
        )
        if result.conflict:
            raise ApiError(
                409,
                "IDEMPOTENCY_CONFLICT",
                "Idempotency-Key was already used with a different request body",
            )
        if result.daily_limited:
            raise ApiError(
                429,
                "DAILY_ORDER_LIMIT",
                f"daily limit of {state.orders_per_day} orders reached (UTC day)",
                retry_after=_seconds_to_midnight(now),
            )
        assert result.order is not None
        body = {"success": True, "data": order_json(result.order)}
        if result.replayed:
            return respond(request, body, 200, {"Idempotent-Replayed": "true"})
        if state.faults.take_drop():
            return DroppedResponse()
        garbled = state.faults.take_garbled()
        if garbled is not None:
            return Response(garbled, 201, media_type="application/json")
        return respond(request, body, 201)

    @router.get(
        "/orders/{order_id}",
        response_model=OrderEnvelope,
        summary="Get order status",
        responses=error_responses(404),
    )
    async def get_order(
        request: Request, order_id: str, account: Annotated[Account, Depends(gate)]
    ) -> Response:
        state = sandbox_state(request)
        state.db.advance_statuses(account.account_id, state.clock.now_ms())
        row = state.db.get_order(account.account_id, order_id)
        if row is None:
            raise ApiError(404, "NOT_FOUND", f"order {order_id} not found")
        return respond(request, {"success": True, "data": order_json(row)})

    @router.get(
        "/orders",
        response_model=OrderListEnvelope,
        summary="List orders",
        responses=error_responses(400),
    )
    async def list_orders(
        request: Request,
        account: Annotated[Account, Depends(gate)],
        page: Annotated[int, Query(ge=1)] = 1,
        per_page: Annotated[int, Query(ge=1, le=100)] = 20,
        status: Annotated[StatusName | None, Query()] = None,
        date_from: Annotated[date | None, Query(alias="from")] = None,
        date_to: Annotated[date | None, Query(alias="to")] = None,
    ) -> Response:
        if date_from is not None and date_to is not None and date_from > date_to:
            raise ApiError(400, "VALIDATION_ERROR", "'from' date is after 'to' date", field="from")
        state = sandbox_state(request)
        state.db.advance_statuses(account.account_id, state.clock.now_ms())
        rows, total = state.db.list_orders(
            account.account_id,
            page=page,
            per_page=per_page,
            status=status,
            date_from=date_from,
            date_to=date_to,
        )
        return respond(
            request,
            {
                "success": True,
                "data": [order_json(r) for r in rows],
                "pagination": {
                    "page": page,
                    "per_page": per_page,
                    "total": total,
                    "total_pages": math.ceil(total / per_page),
                },
            },
        )

    return router


def create_app(state: SandboxState) -> FastAPI:
    """The ASGI app over one sandbox state (no docs UI: this is an API, not a website)."""
    app = FastAPI(
        title="NFC Tagify Partner API (local sandbox)",
        version="1.0.0",
        description="Implements docs/api-assumptions.md. Money: JSON numbers, two decimals.",
        docs_url=None,
        redoc_url=None,
    )
    app.state.sandbox = state
    install_error_handlers(app)
    app.include_router(partner_router())
    app.include_router(admin_router())

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = strip_default_422(
                get_openapi(
                    title=app.title,
                    version=app.version,
                    description=app.description,
                    routes=app.routes,
                )
            )
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app
