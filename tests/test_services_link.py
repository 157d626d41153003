"""LinkStatus: "Connected" only after a call succeeded; waiting calls noticed and cancellable."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest

from nfctagify_desktop.api import errors
from nfctagify_desktop.services.link import (
    WAIT_NOTICE_MS,
    WAITING_TEXT,
    LinkState,
    LinkStatus,
    breaks_the_link,
)
from nfctagify_desktop.store.account import AccountId

A = AccountId("Production", "https://api.example.com")
B = AccountId("Sandbox", "sandbox://local")


async def ok() -> int:
    return 1


async def boom(exc: BaseException) -> None:
    raise exc


def settle(arun: Callable[..., Any], task: asyncio.Task[Any]) -> None:
    async def wait() -> None:
        await asyncio.wait([task])

    arun(wait())


def test_connected_only_after_a_successful_call(
    qtbot: Any, arun: Callable[..., Any], aloop: asyncio.AbstractEventLoop
) -> None:
    link = LinkStatus(A)
    assert link.view.state is LinkState.CONNECTING
    assert link.view.text == "Connecting to Production…"
    task = aloop.create_task(boom(errors.NetworkError("x", code="DNS_ERROR")))
    link.track(task, A)
    settle(arun, task)
    assert link.view.state is LinkState.NOT_CONNECTED
    assert link.view.text.startswith("Not connected — x")
    assert "Check the API address" in link.view.action
    with qtbot.waitSignal(link.sig_changed) as blocker:
        task = aloop.create_task(ok())
        link.track(task, A)
        settle(arun, task)
    assert blocker.args[0].text == "Connected — Production"
    assert link.connected


def test_refusals_do_not_break_the_link_and_other_accounts_are_ignored(
    arun: Callable[..., Any], aloop: asyncio.AbstractEventLoop
) -> None:
    link = LinkStatus(A)
    task = aloop.create_task(ok())
    link.track(task, A)
    settle(arun, task)
    for exc in (errors.NotFoundError("no", status=404), errors.ForbiddenError("no", status=403),
                errors.BadRequestError("bad", status=400)):  # fmt: skip
        task = aloop.create_task(boom(exc))
        link.track(task, A)
        settle(arun, task)
        assert link.connected
    task = aloop.create_task(boom(errors.NetworkError("gone", code="CONNECTION_REFUSED")))
    link.track(task, B)  # a late answer for the account switched away from
    settle(arun, task)
    assert link.connected
    link.begin(B)
    assert link.view.text == "Connecting to Sandbox…"


@pytest.mark.parametrize(
    ("exc", "breaks"),
    [
        (errors.UnauthorizedError("k", status=401), True),
        (errors.ServerError("s", status=500), True),
        (errors.RequestTimeoutError("t", code="TOTAL_TIMEOUT"), True),
        (errors.RateLimitedError("r", status=429), False),
        (errors.CancelledByUserError("c"), False),
    ],
)
def test_which_failures_mean_not_connected(exc: BaseException, breaks: bool) -> None:
    assert breaks_the_link(exc) is breaks


def test_a_waiting_call_is_noticed_and_cancelled(
    qtbot: Any, arun: Callable[..., Any], aloop: asyncio.AbstractEventLoop
) -> None:
    assert WAIT_NOTICE_MS <= 2000  # the notice shows within 2 s
    assert WAITING_TEXT == "Waiting for the Partner API…"
    link = LinkStatus(A)
    never = asyncio.Event()
    task = aloop.create_task(never.wait())
    with qtbot.waitSignal(link.sig_waiting_changed, timeout=10_000) as blocker:
        link.track(task, A)
    assert blocker.args == [True]
    assert link.waiting
    with qtbot.waitSignal(link.sig_waiting_changed, timeout=10_000) as blocker:
        assert link.cancel_waiting() == 1
        assert link.was_cancelled_by_user(task)
    assert blocker.args == [False]
    assert task.cancelled()
    assert link.view.state is LinkState.CONNECTING  # a cancel says nothing about the server
