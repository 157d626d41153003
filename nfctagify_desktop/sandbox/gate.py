"""What every sandbox request passes first: delay, injected faults, the key, the rate limit."""

from __future__ import annotations

import asyncio
import math
from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from nfctagify_desktop.sandbox.accounts import hash_key
from nfctagify_desktop.sandbox.db import Account
from nfctagify_desktop.sandbox.errors import ApiError
from nfctagify_desktop.sandbox.state import SandboxState

_bearer = HTTPBearer(auto_error=False, description="Partner API key: `Bearer <key>`")


def sandbox_state(request: Request) -> SandboxState:
    state: SandboxState = request.app.state.sandbox
    return state


async def gate(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Security(_bearer)],
) -> Account:
    """Delay, injected faults, bearer auth and the per-key rate limit, in that order."""
    state = sandbox_state(request)
    delay = state.faults.delay_seconds
    if delay > 0:
        # Sleep in slices so that stopping the server does not have to cancel handlers
        # mid-sleep (uvicorn would log each cancellation as an ASGI error).
        deadline = asyncio.get_running_loop().time() + delay
        while not state.stopping.is_set():
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                break
            await asyncio.sleep(min(0.05, remaining))
        if state.stopping.is_set():
            raise ApiError(503, "SANDBOX_STOPPING", "the sandbox is shutting down")
    fault = state.faults.take_failure(request.method, request.url.path)
    if fault is not None:
        raise ApiError(fault.status, fault.code, fault.message, retry_after=fault.retry_after)
    account = None if credentials is None else state.db.account_for_key(credentials.credentials)
    if credentials is None or account is None:
        raise ApiError(401, "UNAUTHORIZED", "missing or invalid API key")
    decision = state.limiter.hit(hash_key(credentials.credentials))
    if decision is not None:
        request.state.rate_headers = decision.headers()
        if not decision.allowed:
            raise ApiError(
                429,
                "RATE_LIMITED",
                f"rate limit of {decision.limit} requests per minute exceeded",
                # Real seconds, whatever the limiter's time scale: any client sleeps on it.
                retry_after=max(1, math.ceil(decision.reset_seconds / state.limiter.time_scale)),
            )
    return account


async def writer(account: Annotated[Account, Depends(gate)]) -> Account:
    """Only accounts that may write can place orders (read-only staff keys get 403)."""
    if not account.can_write:
        raise ApiError(403, "FORBIDDEN", "this API key is read-only and cannot place orders")
    return account


async def admin_gate(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Security(_bearer)],
) -> None:
    """Admin calls need any valid sandbox key; they skip faults and rate limits."""
    if (
        credentials is None
        or sandbox_state(request).db.account_for_key(credentials.credentials) is None
    ):
        raise ApiError(401, "UNAUTHORIZED", "missing or invalid API key")
