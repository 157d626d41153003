"""The pacer, on a fake clock: sliding window, learning the limit, trusting Remaining."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nfctagify_desktop.api.client import RateLimitState
from nfctagify_desktop.ordering.pacing import RatePacer

Run = Callable[..., Any]


class FakeTime:
    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def pacer(
    t: FakeTime, source: Callable[[], RateLimitState | None] | None = None, **kw: Any
) -> RatePacer:
    return RatePacer(source, clock=t.clock, sleep=t.sleep, margin=0.0, **kw)


def test_sliding_window_spaces_requests(arun: Run) -> None:
    t = FakeTime()
    p = pacer(t, per_minute=3)

    async def go() -> list[float]:
        starts = []
        for _ in range(7):
            await p.acquire()
            starts.append(t.now - 1000.0)
        return starts

    assert arun(go()) == [0, 0, 0, 60, 60, 60, 120]
    # No 60 s span ever holds more than 3 starts.


def test_learns_limit_from_headers(arun: Run) -> None:
    t = FakeTime()
    state = RateLimitState(limit=2, remaining=50, reset_seconds=60, observed_at=t.now)
    p = pacer(t, lambda: state, per_minute=60)

    async def go() -> None:
        for _ in range(3):
            await p.acquire()

    arun(go())
    assert p.per_minute == 2
    assert t.sleeps == [60.0]


def test_waits_for_reset_when_server_says_none_remaining(arun: Run) -> None:
    t = FakeTime()
    # Other parts of the app used the window up: the server says 0 left, reset in 12 s.
    state = RateLimitState(limit=60, remaining=0, reset_seconds=12, observed_at=t.now - 2)
    p = pacer(t, lambda: state)
    arun(p.acquire())
    assert t.sleeps == [10.0]
    assert p.waited == 10.0


def test_counts_own_requests_since_last_observation(arun: Run) -> None:
    t = FakeTime()
    state = RateLimitState(limit=60, remaining=2, reset_seconds=30, observed_at=t.now)
    p = pacer(t, lambda: state)
    t.now += 0.001

    async def go() -> None:
        for _ in range(3):
            await p.acquire()

    arun(go())
    assert len(t.sleeps) == 1
    assert abs(t.sleeps[0] - 29.999) < 1e-6


def test_no_wait_when_plenty_remaining(arun: Run) -> None:
    t = FakeTime()
    state = RateLimitState(limit=60, remaining=59, reset_seconds=59, observed_at=t.now)
    p = pacer(t, lambda: state)

    async def go() -> None:
        for _ in range(10):
            await p.acquire()

    arun(go())
    assert t.sleeps == []


def test_margin_added(arun: Run) -> None:
    t = FakeTime()
    p = RatePacer(per_minute=1, clock=t.clock, sleep=t.sleep, margin=0.5)

    async def go() -> None:
        await p.acquire()
        await p.acquire()

    arun(go())
    assert t.sleeps == [60.5]
