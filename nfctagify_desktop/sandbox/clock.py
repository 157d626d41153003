"""The sandbox clock: real UTC time plus an offset that tests can push forward."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta


class SandboxClock:
    """Real UTC now + offset, so order statuses can progress without waiting days."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._offset = timedelta()

    def now(self) -> datetime:
        with self._lock:
            offset = self._offset
        return datetime.now(UTC) + offset

    def now_ms(self) -> int:
        """Now as integer epoch milliseconds, the database's time unit."""
        return to_ms(self.now())

    def advance(self, seconds: float | timedelta) -> None:
        delta = seconds if isinstance(seconds, timedelta) else timedelta(seconds=seconds)
        if delta < timedelta():
            raise ValueError("the sandbox clock only moves forward")
        with self._lock:
            self._offset += delta

    @property
    def offset(self) -> timedelta:
        with self._lock:
            return self._offset


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def to_ms(moment: datetime) -> int:
    return (moment - _EPOCH) // timedelta(milliseconds=1)


def from_ms(ms: int) -> datetime:
    return _EPOCH + timedelta(milliseconds=ms)


def iso_z(ms: int) -> str:
    """ISO 8601 UTC with ``Z``, to the second, as the contract shows."""
    return from_ms(ms).strftime("%Y-%m-%dT%H:%M:%SZ")
