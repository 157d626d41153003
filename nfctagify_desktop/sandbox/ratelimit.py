"""Per-key fixed-window request limiting on real monotonic time, so Retry-After is honest."""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass

WINDOW_SECONDS = 60.0


@dataclass(frozen=True, slots=True)
class RateDecision:
    allowed: bool
    limit: int
    remaining: int
    reset_seconds: int

    def headers(self) -> dict[str, str]:
        return {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(self.remaining),
            "X-RateLimit-Reset": str(self.reset_seconds),
        }


class RateLimiter:
    """``per_minute`` requests per key per fixed one-minute window; 0 means unlimited.

    ``time_scale`` > 1 runs the limiter's minute faster than real time (20: a "minute" of 3 real
    seconds), so tests and benchmarks can exercise many windows quickly. Its headers then count
    in those fast seconds; a client paces with the same scale (see the bulk sender's
    ``fast_clock_pacer``).
    """

    def __init__(self, per_minute: int, *, time_scale: float = 1.0) -> None:
        if time_scale <= 0:
            raise ValueError("time_scale must be > 0")
        self.time_scale = time_scale
        self._lock = threading.Lock()
        self._per_minute = per_minute
        self._windows: dict[str, tuple[float, int]] = {}

    @property
    def per_minute(self) -> int:
        with self._lock:
            return self._per_minute

    @per_minute.setter
    def per_minute(self, value: int) -> None:
        if value < 0:
            raise ValueError("per_minute must be >= 0")
        with self._lock:
            self._per_minute = value
            self._windows.clear()

    def hit(self, key: str) -> RateDecision | None:
        """Count one request; None when unlimited (then no rate headers are sent)."""
        now = time.monotonic() * self.time_scale
        with self._lock:
            limit = self._per_minute
            if limit <= 0:
                return None
            start, used = self._windows.get(key, (now, 0))
            if now - start >= WINDOW_SECONDS:
                start, used = now, 0
            reset = max(1, math.ceil(round(start + WINDOW_SECONDS - now, 3)))
            if used >= limit:
                self._windows[key] = (start, used)
                return RateDecision(False, limit, 0, reset)
            used += 1
            self._windows[key] = (start, used)
            return RateDecision(True, limit, limit - used, reset)
