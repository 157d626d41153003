"""Keeps the built-in sandbox's child process alive, and says so when it had to restart it.

The sandbox runs as a child process (``SandboxProcess``). If it dies (killed, crashed, out of
memory) every call would fail with "refused". A cheap poll notices, the child is started again
on the same port and database (off the GUI thread), and the window reloads; if it cannot be
started, the status bar says how to recover.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from nfctagify_desktop.api.errors import NetworkError
from nfctagify_desktop.sandbox.process import SandboxProcess, SandboxUnavailableError

if TYPE_CHECKING:
    from nfctagify_desktop.services.context import AppContext

log = logging.getLogger("nfctagify.services.sandbox")

POLL_MS = 2000
RESTARTED_MESSAGE = "The built-in sandbox had stopped; it was restarted and its data is intact."


class SandboxWatch(QObject):
    """Polls the sandbox child of the connection in use; restarts it when it died.

    Signals:
        sig_restarted(): the child was started again (the window reloads).
        sig_failed(str): it could not be; the text says how to recover.
    """

    sig_restarted = Signal()
    sig_failed = Signal(str)

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent or ctx)
        self.ctx = ctx
        self._restarting = False
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.check)
        self.timer.start()
        ctx.sig_api_error.connect(self._api_error)

    def _api_error(self, exc: object) -> None:
        # A refused call is the first sign; do not wait for the next poll.
        if isinstance(exc, NetworkError) and exc.code == "CONNECTION_REFUSED":
            self.check()

    def _process(self) -> SandboxProcess | None:
        sandbox = self.ctx.connection.sandbox
        return sandbox if isinstance(sandbox, SandboxProcess) else None

    def check(self) -> bool:
        """Restart the child if it died (in the background); True if a restart started."""
        process = self._process()
        if (
            process is None
            or self._restarting
            or process.stopped
            or process.running
            or not process.ready
        ):
            return False
        self._restarting = True
        log.warning("the sandbox child (pid %s) stopped; restarting it", process.pid)
        self.ctx.status("The built-in sandbox stopped; restarting it…", 10_000)
        self.ctx.tasks.run(
            "sandbox:restart",
            self._restart(process),
            lambda _url: self._restarted(),
            self._failed,
        )
        return True

    async def _restart(self, process: SandboxProcess) -> str:
        loop = asyncio.get_running_loop()
        try:
            await loop.run_in_executor(None, process.ensure_running)
        finally:
            self._restarting = False
        return process.base_url

    def _restarted(self) -> None:
        process = self._process()
        conn = self.ctx.connection
        if process is not None and process.base_url != conn.base_url:
            # Another program took the port: the same data at a new address.
            from nfctagify_desktop.services.connection import connect
            from nfctagify_desktop.store.settings import sandbox_profile

            self.ctx.tasks.run(
                "sandbox:reconnect",
                connect(sandbox_profile(), sandbox=process),
                self._use,
                self._failed,
            )
            return
        self.ctx.status(RESTARTED_MESSAGE, 15_000)
        self.sig_restarted.emit()
        self.ctx.set_connection(conn)  # every view reloads

    def _use(self, conn: object) -> None:
        self.ctx.status(RESTARTED_MESSAGE, 15_000)
        self.sig_restarted.emit()
        self.ctx.set_connection(conn)  # type: ignore[arg-type]

    def _failed(self, exc: BaseException) -> None:
        text = (
            str(exc)
            if isinstance(exc, SandboxUnavailableError)
            else f"The built-in sandbox stopped and could not be restarted ({exc}). "
            "Restart the app."
        )
        log.error("sandbox restart failed: %s", exc)
        self.ctx.status(text, 0)
        self.sig_failed.emit(text)
