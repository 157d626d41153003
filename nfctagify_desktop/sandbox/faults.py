"""Injected failures, so client retry and error handling can be tested against a real server."""

from __future__ import annotations

import threading
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FaultSpec:
    """One queued failure: the response a matching request gets instead of the real one."""

    status: int
    code: str
    message: str
    path_prefix: str | None = None
    method: str | None = None
    retry_after: int | None = None

    def matches(self, method: str, path: str) -> bool:
        if self.method is not None and self.method.upper() != method.upper():
            return False
        return self.path_prefix is None or path.startswith(self.path_prefix)


class Faults:
    """Thread-safe fault switches, set from tests (any thread) and read by the server loop."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._delay = 0.0
        self._failures: list[FaultSpec] = []
        self._drops = 0
        self._garbled: list[bytes] = []

    @property
    def delay_seconds(self) -> float:
        """Every API response is delayed this long (asyncio.sleep: the loop keeps serving)."""
        with self._lock:
            return self._delay

    @delay_seconds.setter
    def delay_seconds(self, value: float) -> None:
        if value < 0:
            raise ValueError("delay_seconds must be >= 0")
        with self._lock:
            self._delay = float(value)

    def fail_next(
        self,
        status: int,
        code: str,
        message: str = "Injected failure",
        count: int = 1,
        path_prefix: str | None = None,
        method: str | None = None,
        retry_after: int | None = None,
    ) -> None:
        """The next ``count`` matching requests get this error envelope (and Retry-After)."""
        spec = FaultSpec(status, code, message, path_prefix, method, retry_after)
        with self._lock:
            self._failures.extend([spec] * count)

    def take_failure(self, method: str, path: str) -> FaultSpec | None:
        """Consume and return the first queued failure matching this request."""
        with self._lock:
            for index, spec in enumerate(self._failures):
                if spec.matches(method, path):
                    del self._failures[index]
                    return spec
        return None

    def drop_after_commit(self, count: int = 1) -> None:
        """The next ``count`` POST /orders commit, then the connection drops mid-response."""
        with self._lock:
            self._drops += count

    def take_drop(self) -> bool:
        with self._lock:
            if self._drops > 0:
                self._drops -= 1
                return True
            return False

    def garble_after_commit(self, body: bytes = b'{"success": tru', count: int = 1) -> None:
        """The next ``count`` POST /orders commit, then answer 201 with this unreadable body.

        Models a proxy or server bug that mangles a success: the order exists, the client
        cannot read which one (``b""``, ``b"[]"`` or a wrong shape work too).
        """
        with self._lock:
            self._garbled.extend([body] * count)

    def take_garbled(self) -> bytes | None:
        with self._lock:
            return self._garbled.pop(0) if self._garbled else None

    def clear(self) -> None:
        with self._lock:
            self._delay = 0.0
            self._failures.clear()
            self._drops = 0
            self._garbled.clear()

    def snapshot(self) -> dict[str, object]:
        with self._lock:
            return {
                "delay_seconds": self._delay,
                "pending_failures": len(self._failures),
                "pending_drops": self._drops,
                "pending_garbled": len(self._garbled),
            }
