"""What every view and service shares: the connection, the task runner, app-wide signals.

Views never touch httpx: they ask ``ctx.client`` (the typed Partner API client) through
``ctx.tasks`` and bind the results to models.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal

from nfctagify_desktop.api.client import PartnerClient
from nfctagify_desktop.services.connection import Connection
from nfctagify_desktop.services.tasks import TaskRunner

T = TypeVar("T")


class AppContext(QObject):
    """Shared state of one window.

    Signals:
        sig_connection_changed(): a different account is in use; every tab reloads.
        sig_api_error(object): an ApiError any view hit (central 401/403 handling listens).
        sig_status_message(str, int): text for the status bar and its timeout in ms.
        sig_order_created(object): an order was placed (Orders tab refreshes).
        sig_orders_changed(): orders were placed in bulk (CSV import): the Orders tab reloads.
        sig_new_order_requested(object): open the order form (a Product, an Order or None).
    """

    sig_connection_changed = Signal()
    sig_api_error = Signal(object)
    sig_status_message = Signal(str, int)
    sig_order_created = Signal(object)
    sig_orders_changed = Signal()
    sig_new_order_requested = Signal(object)

    def __init__(self, connection: Connection, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.connection = connection
        self.tasks = TaskRunner(self)

    @property
    def client(self) -> PartnerClient:
        return self.connection.client

    def set_connection(self, connection: Connection) -> None:
        self.connection = connection
        self.sig_connection_changed.emit()

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

        self.tasks.run(key, coro, on_success, failed, owner=owner)

    def status(self, text: str, timeout_ms: int = 5000) -> None:
        self.sig_status_message.emit(text, timeout_ms)
