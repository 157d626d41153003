"""Whether the account in use is reachable, told truthfully, and which calls are waiting.

"Connected" is shown only after a call on that account succeeded; a failure that says the
account cannot be used (DNS, refused, TLS, timeout, 401, 5xx) turns it into "Not connected —
<plain reason>" with what to do. Every API call the window starts is tracked: when one has
been waiting for :data:`WAIT_NOTICE_MS`, ``sig_waiting_changed(True)`` lets the UI show
"Waiting for the Partner API…" with Cancel, and :meth:`LinkStatus.cancel_waiting` ends them.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from nfctagify_desktop.api import errors
from nfctagify_desktop.api.diagnosis import diagnose
from nfctagify_desktop.store.account import AccountId

#: A call still running after this long makes the waiting notice (and Cancel) appear.
WAIT_NOTICE_MS = 1500
WAITING_TEXT = "Waiting for the Partner API…"


class LinkState(StrEnum):
    CONNECTING = "connecting"
    CONNECTED = "connected"
    NOT_CONNECTED = "not-connected"


@dataclass(frozen=True)
class LinkView:
    """What the status bar shows for one account."""

    account: AccountId
    state: LinkState
    reason: str = ""
    action: str = ""
    error: BaseException | None = None

    @property
    def text(self) -> str:
        if self.state is LinkState.CONNECTED:
            return f"Connected — {self.account.profile}"
        if self.state is LinkState.CONNECTING:
            return f"Connecting to {self.account.profile}…"
        return f"Not connected — {self.reason}"


def breaks_the_link(exc: BaseException) -> bool:
    """Failures that mean this account cannot be used right now (not a refused request)."""
    return isinstance(
        exc,
        errors.NetworkError
        | errors.UnauthorizedError
        | errors.ServerError
        | errors.ConfigurationError
        | errors.InvalidResponseError,
    )


class LinkStatus(QObject):
    """The truth about the connection of one window, and its waiting calls.

    Signals:
        sig_changed(object): the LinkView to show.
        sig_waiting_changed(bool): a call has been waiting long (True) or none is (False).
    """

    sig_changed = Signal(object)
    sig_waiting_changed = Signal(bool)

    def __init__(self, account: AccountId, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.view = LinkView(account, LinkState.CONNECTING)
        self._calls: dict[asyncio.Task[Any], tuple[AccountId, float]] = {}
        self._cancelled: set[asyncio.Task[Any]] = set()
        self._proves: dict[asyncio.Task[Any], Callable[[Any], bool]] = {}
        self.waiting = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._check_waiting)

    @property
    def account(self) -> AccountId:
        return self.view.account

    @property
    def connected(self) -> bool:
        return self.view.state is LinkState.CONNECTED

    # -- account -----------------------------------------------------------------------------

    def begin(self, account: AccountId) -> None:
        """A new account is in use: nothing is known about it until a call returns."""
        self._set(LinkView(account, LinkState.CONNECTING))
        self._check_waiting()

    def succeeded(self, account: AccountId) -> None:
        if account == self.account and not self.connected:
            self._set(LinkView(account, LinkState.CONNECTED))

    def failed(self, account: AccountId, exc: BaseException) -> None:
        if account != self.account or not breaks_the_link(exc):
            return
        plain = diagnose(exc)
        self._set(LinkView(account, LinkState.NOT_CONNECTED, plain.reason, plain.action, exc))

    def _set(self, view: LinkView) -> None:
        if view != self.view:
            self.view = view
            self.sig_changed.emit(view)

    # -- calls -------------------------------------------------------------------------------

    def track(
        self,
        task: asyncio.Task[Any],
        account: AccountId,
        proves: Callable[[Any], bool] | None = None,
    ) -> None:
        """Follow one API call: its outcome updates the state, its duration the notice.

        ``proves`` says whether a result shows the server answered well (a send returns a
        result even when the server failed); without it any result does.
        """
        if proves is not None:
            self._proves[task] = proves
        self._calls[task] = (account, time.monotonic())
        task.add_done_callback(self._done)
        self._check_waiting()

    def was_cancelled_by_user(self, task: asyncio.Task[Any] | None) -> bool:
        return task is not None and task in self._cancelled

    def cancel(self, task: asyncio.Task[Any]) -> bool:
        """Cancel one call at the user's request (its on_error hears CancelledByUserError)."""
        if task.done() or task not in self._calls:
            return False
        self._cancelled.add(task)
        task.cancel()
        return True

    def cancel_waiting(self) -> int:
        """Cancel every call of the current account still running; how many were."""
        pending = [t for t, (a, _) in self._calls.items() if a == self.account and not t.done()]
        for task in pending:
            self._cancelled.add(task)
            task.cancel()
        return len(pending)

    def _done(self, task: asyncio.Task[Any]) -> None:
        account, _ = self._calls.pop(task, (None, 0.0))
        proves = self._proves.pop(task, None)
        self._cancelled.discard(task)
        if account is not None and not task.cancelled():
            exc = task.exception()
            if exc is None:
                if proves is None or proves(task.result()):
                    self.succeeded(account)
            else:
                self.failed(account, exc)
        self._check_waiting()

    def _check_waiting(self) -> None:
        """Waiting = a call of this account has run for the notice time; re-arm the timer."""
        now = time.monotonic()
        limit = WAIT_NOTICE_MS / 1000
        ages = [
            now - t0 for t, (a, t0) in self._calls.items() if a == self.account and not t.done()
        ]
        waiting = any(age >= limit for age in ages)
        younger = [limit - age for age in ages if age < limit]
        if younger:
            self._timer.start(max(1, int(min(younger) * 1000) + 1))
        else:
            self._timer.stop()
        if waiting != self.waiting:
            self.waiting = waiting
            self.sig_waiting_changed.emit(waiting)
