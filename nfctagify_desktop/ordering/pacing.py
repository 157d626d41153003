"""Client-side pacing, so a bulk import stays under the rate limit instead of meeting 429s.

Two rules, both must allow a request:

* a sliding window: at most ``per_minute`` requests started in any ``window`` seconds (plus a
  small safety margin, because the server counts on arrival, not when we start);
* the server's word: when the last ``X-RateLimit-Remaining``, minus the requests we started
  since it was observed, is 0, wait ``X-RateLimit-Reset``. This is what accounts for the app's
  other requests (product lists, order refreshes) sharing the same key.

``per_minute`` follows ``X-RateLimit-Limit`` once the server has sent one.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Final

from nfctagify_desktop.api.client import PartnerClient, RateLimitState

DEFAULT_PER_MINUTE: Final = 60
WINDOW_SECONDS: Final = 60.0
#: Extra wait on top of every computed one: server-side arrival lags our start time.
SAFETY_MARGIN: Final = 0.25

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]
RateSource = Callable[[], RateLimitState | None]


class RatePacer:
    """Holds requests back just enough to stay within the limit.

    Args:
        rate_limit: returns the client's latest :class:`RateLimitState` (e.g.
            ``lambda: client.rate_limit``), or None before any response.
        per_minute: the assumed limit until the server states one.
        clock: monotonic seconds, the same clock ``RateLimitState.observed_at`` uses
            (``time.monotonic``); injectable for tests together with ``sleep``.
    """

    def __init__(
        self,
        rate_limit: RateSource | None = None,
        *,
        per_minute: int = DEFAULT_PER_MINUTE,
        window: float = WINDOW_SECONDS,
        margin: float = SAFETY_MARGIN,
        clock: Clock = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        if per_minute < 1:
            raise ValueError("per_minute must be at least 1")
        self._rate_limit = rate_limit or (lambda: None)
        self.per_minute = per_minute
        self.window = window
        self.margin = margin
        self._clock = clock
        self._sleep = sleep
        self._starts: deque[float] = deque()
        self._lock = asyncio.Lock()
        #: Total seconds spent waiting, for progress displays and benchmarks.
        self.waited = 0.0

    @classmethod
    def for_client(
        cls, client: PartnerClient, *, per_minute: int = DEFAULT_PER_MINUTE
    ) -> RatePacer:
        """A pacer that learns from ``client.rate_limit`` (the X-RateLimit-* headers)."""
        return cls(lambda: client.rate_limit, per_minute=per_minute)

    def delay(self) -> float:
        """Seconds to wait before the next request may start (0 when it may start now)."""
        now = self._clock()
        state = self._rate_limit()
        if state is not None and state.limit is not None and state.limit > 0:
            self.per_minute = state.limit
        while self._starts and self._starts[0] <= now - self.window - self.margin:
            self._starts.popleft()
        wait = 0.0
        if len(self._starts) >= self.per_minute:
            oldest = self._starts[len(self._starts) - self.per_minute]
            wait = oldest + self.window + self.margin - now
        if state is not None and state.remaining is not None:
            started_since = sum(1 for t in self._starts if t > state.observed_at)
            if state.remaining - started_since <= 0 and state.reset_seconds is not None:
                reset_at = state.observed_at + state.reset_seconds
                wait = max(wait, reset_at + self.margin - now)
        return max(0.0, wait)

    def starts_ago(self) -> list[float]:
        """How long ago each request still inside the window started (for time estimates)."""
        now = self._clock()
        return [now - t for t in self._starts if t > now - self.window - self.margin]

    async def acquire(self) -> None:
        """Wait until a request may start, then count it as started."""
        async with self._lock:
            while True:
                wait = self.delay()
                if wait <= 0:
                    break
                self.waited += wait
                await self._sleep(wait)
            self._starts.append(self._clock())
