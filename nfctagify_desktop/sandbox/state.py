"""Everything one running sandbox owns, shared by the HTTP app and the Python control API."""

from __future__ import annotations

import threading
from pathlib import Path

from nfctagify_desktop.sandbox.accounts import ACCOUNTS, DEMO_ACCOUNT_ID, new_key
from nfctagify_desktop.sandbox.clock import SandboxClock
from nfctagify_desktop.sandbox.db import SandboxDB
from nfctagify_desktop.sandbox.faults import Faults
from nfctagify_desktop.sandbox.ratelimit import RateLimiter


class SandboxState:
    """DB, clock, faults and limits; keys are reset to the configured ones on every start.

    Only key hashes are stored, so a key rotated in an earlier run cannot be shown again:
    starting the sandbox puts the deterministic (or given) keys back.
    """

    def __init__(
        self,
        db_path: str | Path,
        *,
        demo_api_key: str | None = None,
        rate_limit_per_minute: int = 60,
        orders_per_day: int = 500,
        time_scale: float = 1.0,
    ) -> None:
        if rate_limit_per_minute < 0 or orders_per_day < 0:
            raise ValueError("limits must be >= 0 (0 = unlimited)")
        self._lock = threading.Lock()
        self.clock = SandboxClock()
        self.faults = Faults()
        #: Set by SandboxServer.stop(): injected delays end early so shutdown is clean.
        self.stopping = threading.Event()
        self.limiter = RateLimiter(rate_limit_per_minute, time_scale=time_scale)
        self._orders_per_day = orders_per_day
        self.api_keys: dict[str, str] = {spec.account_id: spec.default_key for spec in ACCOUNTS}
        if demo_api_key:
            self.api_keys[DEMO_ACCOUNT_ID] = demo_api_key
        self.db = SandboxDB(db_path)
        self.db.ensure_seeded(self.clock.now(), self.api_keys)

    @property
    def orders_per_day(self) -> int:
        with self._lock:
            return self._orders_per_day

    def set_rate_limits(
        self, *, per_minute: int | None = None, orders_per_day: int | None = None
    ) -> None:
        if per_minute is not None:
            self.limiter.per_minute = per_minute
        if orders_per_day is not None:
            if orders_per_day < 0:
                raise ValueError("orders_per_day must be >= 0")
            with self._lock:
                self._orders_per_day = orders_per_day

    def rotate_key(self, account_id: str = DEMO_ACCOUNT_ID) -> str:
        """A new key for the account; the old one answers 401 from now on."""
        if account_id not in self.api_keys:
            raise KeyError(account_id)
        key = new_key()
        self.db.set_key(account_id, key)
        self.api_keys[account_id] = key
        return key

    def close(self) -> None:
        self.db.close()
