"""What every view and service shares: the connection, the task runner, app-wide signals.

Views never touch httpx: they ask ``ctx.client`` (the typed Partner API client) through
``ctx.tasks`` and bind the results to models.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QObject, Signal

from nfctagify_desktop.api.client import PartnerClient
from nfctagify_desktop.api.errors import CancelledByUserError
from nfctagify_desktop.services.connection import Connection
from nfctagify_desktop.services.link import LinkStatus
from nfctagify_desktop.services.tasks import TaskRunner
from nfctagify_desktop.store.account import AccountId

T = TypeVar("T")


class AppContext(QObject):
    """Shared state of one window.

    Signals:
        sig_connection_changed(): a different account is in use; every tab reloads.
        sig_account_changed(object): the AccountId in use changed (emitted first, so views
            clear the previous account's data before anything reloads).
        sig_api_error(object): an ApiError any view hit (central 401/403 handling listens).
        sig_status_message(str, int): text for the status bar and its timeout in ms.
        sig_order_created(object): an order was placed (Orders tab refreshes).
        sig_orders_changed(): orders were placed in bulk (CSV import): the Orders tab reloads.
        sig_new_order_requested(object): open the order form (a Product, an Order or None).
        sig_show_order_requested(str): bring the Orders tab forward with this order selected.
    """

    sig_connection_changed = Signal()
    sig_account_changed = Signal(object)
    sig_api_error = Signal(object)
    sig_status_message = Signal(str, int)
    sig_order_created = Signal(object)
    sig_orders_changed = Signal()
    sig_new_order_requested = Signal(object)
    sig_show_order_requested = Signal(str)

    def __init__(self, connection: Connection, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.connection = connection
        self.tasks = TaskRunner(self)
        #: Whether the account answers (truthfully) and which calls are waiting.
        self.link = LinkStatus(connection.account, self)

    @property
    def client(self) -> PartnerClient:
        return self.connection.client

    @property
    def account(self) -> AccountId:
        return self.connection.account

    def set_connection(self, connection: Connection) -> None:
        changed = connection.account != self.account
        self.connection = connection
        if changed:
            self.link.begin(connection.account)
            self.sig_account_changed.emit(connection.account)
        self.sig_connection_changed.emit()

    def call(
        self,
        key: str,
        coro: Coroutine[Any, Any, T],
        on_success: Callable[[T], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        *,
        owner: QObject | None = None,
        drop_stale: bool = True,
        proves: Callable[[T], bool] | None = None,
    ) -> asyncio.Task[T] | None:
        """Start one API call for the account in use: tracked for the connection state and
        the waiting notice, cancellable by the user, and its result dropped if the account
        changed meanwhile (another account's rows must never reach a view). ``drop_stale``
        False keeps the callbacks (an order placement reports its outcome to its own form);
        ``proves`` tells which results show the server answered (default: any)."""
        account = self.account

        def current() -> bool:
            return not drop_stale or self.account == account

        failed = (lambda exc: on_error(exc) if current() else None) if on_error else None
        task = self.tasks.run(
            key,
            coro,
            (lambda value: on_success(value) if current() else None) if on_success else None,
            failed,
            owner=owner,
        )
        if task is None:
            return None

        def cancelled_by_user(t: asyncio.Task[T]) -> None:
            # The runner drops cancelled tasks silently; the user's Cancel deserves an answer.
            alive = owner is None or shiboken6.isValid(owner)
            if t.cancelled() and alive and self.link.was_cancelled_by_user(t):
                error = CancelledByUserError("Cancelled", code="CANCELLED")
                if failed is not None:
                    failed(error)
                else:
                    self.status("Cancelled", 5000)

        task.add_done_callback(cancelled_by_user)  # before track(): it forgets the cancel
        self.link.track(task, account, proves)
        return task

    def run(
        self,
        key: str,
        coro: Coroutine[Any, Any, T],
        on_success: Callable[[T], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        *,
        owner: QObject | None = None,
    ) -> None:
        """Run an API call through ``tasks.run``; a failure also goes to ``sig_api_error``
        (central 401/403 handling), and to the status bar when ``on_error`` is None."""

        def failed(exc: BaseException) -> None:
            self.sig_api_error.emit(exc)
            if on_error is not None:
                on_error(exc)
            else:
                self.tasks.report(key, exc)

        self.call(key, coro, on_success, failed, owner=owner)

    def status(self, text: str, timeout_ms: int = 5000) -> None:
        self.sig_status_message.emit(text, timeout_ms)
