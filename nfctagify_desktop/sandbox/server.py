"""SandboxServer: the sandbox app on uvicorn, in a daemon thread with its own event loop.

The caller's thread (a test, or the GUI thread running qasync) never runs server code, so a
slow or faulty sandbox can never block the app that talks to it.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import threading
import time
from datetime import timedelta
from pathlib import Path
from types import TracebackType

import uvicorn

from nfctagify_desktop.sandbox.accounts import DEMO_ACCOUNT_ID
from nfctagify_desktop.sandbox.app import create_app
from nfctagify_desktop.sandbox.clock import SandboxClock
from nfctagify_desktop.sandbox.faults import Faults
from nfctagify_desktop.sandbox.state import SandboxState


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class SandboxServer:
    """A real Partner API server on loopback, backed by a SQLite file; see docs/sandbox."""

    def __init__(
        self,
        db_path: str | Path,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        demo_api_key: str | None = None,
        rate_limit_per_minute: int = 60,
        orders_per_day: int = 500,
        time_scale: float = 1.0,
    ) -> None:
        self.host = host
        self.port = port
        self._state = SandboxState(
            db_path,
            demo_api_key=demo_api_key,
            rate_limit_per_minute=rate_limit_per_minute,
            orders_per_day=orders_per_day,
            time_scale=time_scale,
        )
        self.app = create_app(self._state)
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._sock: socket.socket | None = None
        self._error: BaseException | None = None

    # ----- state passthroughs --------------------------------------------------------------

    @property
    def clock(self) -> SandboxClock:
        return self._state.clock

    @property
    def faults(self) -> Faults:
        return self._state.faults

    @property
    def api_keys(self) -> dict[str, str]:
        """account_id -> current key (demo, standard, readonly)."""
        return self._state.api_keys

    @property
    def demo_api_key(self) -> str:
        return self._state.api_keys[DEMO_ACCOUNT_ID]

    @property
    def base_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def rotate_key(self, account_id: str = DEMO_ACCOUNT_ID) -> str:
        return self._state.rotate_key(account_id)

    def set_rate_limits(
        self, *, per_minute: int | None = None, orders_per_day: int | None = None
    ) -> None:
        """Change limits at runtime; 0 means unlimited. Resets the per-minute windows."""
        self._state.set_rate_limits(per_minute=per_minute, orders_per_day=orders_per_day)

    def seed_orders(self, account_id: str, count: int, *, days: int = 365) -> None:
        """Bulk-insert orders for benchmarks (one transaction; 100k in a few seconds)."""
        self._state.db.seed_orders(account_id, count, self.clock.now_ms(), days)

    def order_count(self, account_id: str = DEMO_ACCOUNT_ID) -> int:
        return self._state.db.order_count(account_id)

    def advance_clock(self, seconds: float | timedelta) -> None:
        self.clock.advance(seconds)

    # ----- lifecycle -----------------------------------------------------------------------

    def start(self, timeout: float = 10.0) -> None:
        """Bind, serve in a daemon thread, and return once connections are accepted."""
        if self._thread is not None:
            return
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        # proto=IPPROTO_TCP matters: asyncio sets TCP_NODELAY only on sockets that say so, and
        # accepted sockets copy it; with proto 0, Nagle + delayed ACK added ~40 ms per response.
        sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((self.host, self.port))
        except OSError:
            sock.close()
            raise
        sock.listen(128)
        sock.setblocking(False)
        self._sock = sock
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(
            self.app,
            log_config=None,
            log_level="warning",
            access_log=False,
            lifespan="off",
            timeout_graceful_shutdown=2,
        )
        self._server = uvicorn.Server(config)
        self._state.stopping.clear()
        self._error = None
        self._thread = threading.Thread(target=self._run, name=f"sandbox-{self.port}", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if self._error is not None or not self._thread.is_alive():
                self.stop()
                raise RuntimeError(f"sandbox failed to start: {self._error!r}")
            if time.monotonic() > deadline:
                self.stop()
                raise TimeoutError(f"sandbox did not start within {timeout} s")
            time.sleep(0.01)

    def _run(self) -> None:
        assert self._server is not None
        assert self._sock is not None
        try:
            # An explicit selector loop: never whatever policy the host app (qasync) installed.
            with asyncio.Runner(loop_factory=asyncio.SelectorEventLoop) as runner:
                runner.run(self._server.serve(sockets=[self._sock]))
        except BaseException as exc:
            self._error = exc

    def stop(self) -> None:
        """Shut down cleanly and join the thread; safe to call twice."""
        thread, server = self._thread, self._server
        if thread is not None and server is not None:
            self._state.stopping.set()
            server.should_exit = True
            thread.join(timeout=10)
        self._thread = None
        self._server = None
        if self._sock is not None:
            self._sock.close()
            self._sock = None

    def close(self) -> None:
        """Stop and release the database (the server cannot be restarted afterwards)."""
        self.stop()
        self._state.close()

    def __enter__(self) -> SandboxServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
