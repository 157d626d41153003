"""Retry policy: honour 429 Retry-After, back off on transient GET failures."""

from __future__ import annotations

import email.utils
from dataclasses import dataclass
from datetime import UTC, datetime


@dataclass(frozen=True)
class RetryPolicy:
    #: Extra attempts after a 429 (any method: a 429 means nothing was processed).
    max_rate_limit_retries: int = 3
    #: Never wait longer than this for one Retry-After; longer waits surface as RateLimitedError.
    max_retry_after: float = 60.0
    #: Extra attempts for GETs after a network error, timeout or 502/503/504.
    max_transient_retries: int = 3
    backoff_base: float = 0.5
    backoff_max: float = 8.0

    def backoff(self, attempt: int) -> float:
        """Exponential backoff for the n-th (0-based) transient retry."""
        return float(min(self.backoff_max, self.backoff_base * (2**attempt)))


NO_RETRY = RetryPolicy(max_rate_limit_retries=0, max_transient_retries=0)


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP date."""
    if value is None:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())
