"""The hidden ``/_sandbox/`` endpoints: clock, keys, faults and limits of a running sandbox."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, Field

from nfctagify_desktop.sandbox.errors import ApiError, respond
from nfctagify_desktop.sandbox.gate import admin_gate, sandbox_state


class _Advance(BaseModel):
    seconds: float = Field(ge=0)


class _Rotate(BaseModel):
    account_id: str = "demo"


class _FailNext(BaseModel):
    status: int = Field(ge=400, le=599)
    code: str
    message: str = "Injected failure"
    count: int = Field(default=1, ge=1)
    path_prefix: str | None = None
    method: str | None = None
    retry_after: int | None = None


class _FaultsIn(BaseModel):
    delay_seconds: float | None = Field(default=None, ge=0)
    fail_next: _FailNext | None = None
    drop_after_commit: int | None = Field(default=None, ge=0)


class _Limits(BaseModel):
    per_minute: int | None = Field(default=None, ge=0)
    orders_per_day: int | None = Field(default=None, ge=0)


def admin_router() -> APIRouter:
    """Controls for a sandbox started from the command line (tests use Python instead)."""
    router = APIRouter(
        prefix="/_sandbox", include_in_schema=False, dependencies=[Depends(admin_gate)]
    )

    def _status(request: Request) -> dict[str, Any]:
        state = sandbox_state(request)
        return {
            "now": state.clock.now().isoformat().replace("+00:00", "Z"),
            "clock_offset_seconds": state.clock.offset.total_seconds(),
            "faults": state.faults.snapshot(),
            "rate_limit_per_minute": state.limiter.per_minute,
            "orders_per_day": state.orders_per_day,
        }

    @router.get("/state")
    async def show(request: Request) -> Response:
        return respond(request, {"success": True, "data": _status(request)})

    @router.post("/clock/advance")
    async def advance(request: Request, body: _Advance) -> Response:
        sandbox_state(request).clock.advance(body.seconds)
        return respond(request, {"success": True, "data": _status(request)})

    @router.post("/keys/rotate")
    async def rotate(request: Request, body: _Rotate) -> Response:
        try:
            key = sandbox_state(request).rotate_key(body.account_id)
        except KeyError:
            raise ApiError(404, "NOT_FOUND", f"no account {body.account_id}") from None
        return respond(
            request, {"success": True, "data": {"account_id": body.account_id, "api_key": key}}
        )

    @router.post("/faults")
    async def set_faults(request: Request, body: _FaultsIn) -> Response:
        faults = sandbox_state(request).faults
        if body.delay_seconds is not None:
            faults.delay_seconds = body.delay_seconds
        if body.fail_next is not None:
            faults.fail_next(**body.fail_next.model_dump())
        if body.drop_after_commit:
            faults.drop_after_commit(body.drop_after_commit)
        return respond(request, {"success": True, "data": _status(request)})

    @router.delete("/faults")
    async def clear_faults(request: Request) -> Response:
        sandbox_state(request).faults.clear()
        return respond(request, {"success": True, "data": _status(request)})

    @router.post("/limits")
    async def set_limits(request: Request, body: _Limits) -> Response:
        sandbox_state(request).set_rate_limits(
            per_minute=body.per_minute, orders_per_day=body.orders_per_day
        )
        return respond(request, {"success": True, "data": _status(request)})

    return router
