"""Desktop notifications of order status changes: the OS's own, else the tray, else the status bar.

Each change (order id + new status) is announced once per run, whichever fetch found it.
Several changes at once make one message rather than a burst of pop-ups. The OS's notification
centre is tried first (clicking opens the order); where it refuses, the system tray shows it, and
where there is no tray (offscreen, some Linux desktops), the status bar does.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMainWindow, QSystemTrayIcon

from nfctagify_desktop import APP_NAME
from nfctagify_desktop.services.container import Services
from nfctagify_desktop.services.context import AppContext
from nfctagify_desktop.services.native_notifications import NativeNotifications
from nfctagify_desktop.store.mirror import StatusChange
from nfctagify_desktop.ui.format import status_label

log = logging.getLogger("nfctagify.ui.notifier")

#: Up to this many changes are listed one per line; more are summarised.
MAX_LISTED = 4
MESSAGE_MS = 10_000


def change_text(change: StatusChange) -> str:
    """'ord_… is now Dispatched (ref ACME-12)'."""
    ref = f" (ref {change.customer_reference})" if change.customer_reference else ""
    return f"{change.order_id} is now {status_label(change.new)}{ref}"


def message_for(changes: list[StatusChange]) -> tuple[str, str]:
    """Title and body of one notification about ``changes`` (at least one)."""
    if len(changes) == 1:
        return "Order status changed", change_text(changes[0])
    lines = [change_text(c) for c in changes[:MAX_LISTED]]
    if len(changes) > MAX_LISTED:
        lines.append(f"…and {len(changes) - MAX_LISTED} more")
    return f"{len(changes)} orders changed status", "\n".join(lines)


class Notifier(QObject):
    """Announces status changes.

    Args:
        ctx: for the status-bar fallback (``ctx.status``).
        enabled: the ``notify_status_changes`` setting.
        use_tray: None = use the tray when the platform has one; False forces the fallback.

    Signals:
        sig_notified(str, str): a notification was shown (title, text), tray or status bar.
        sig_order_activated(str): the user clicked a notification about this order.
    """

    sig_notified = Signal(str, str)
    sig_order_activated = Signal(str)

    def __init__(
        self,
        ctx: AppContext,
        *,
        enabled: bool = True,
        use_tray: bool | None = None,
        native: NativeNotifications | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent if parent is not None else ctx)
        self.ctx = ctx
        self.enabled = enabled
        self.native = native
        self._sent = 0
        #: Changes announced so far, (order id, new status): a change is notified once.
        self.announced: set[tuple[str, str]] = set()
        #: Number of changes announced (a test and diagnostics counter).
        self.notified_count = 0
        self._last_order: str | None = None
        self.tray: QSystemTrayIcon | None = None
        if use_tray is None:
            use_tray = QSystemTrayIcon.isSystemTrayAvailable()
        if use_tray:
            self.tray = QSystemTrayIcon(self._icon(), self)
            self.tray.setToolTip(APP_NAME)
            self.tray.messageClicked.connect(self._clicked)
            self.tray.show()

    @staticmethod
    def _icon() -> QIcon:
        app = QApplication.instance()
        return app.windowIcon() if isinstance(app, QApplication) else QIcon()

    @property
    def uses_tray(self) -> bool:
        return self.tray is not None

    def set_enabled(self, enabled: bool) -> None:
        self.enabled = enabled

    def notify(self, changes: list[StatusChange]) -> None:
        """Announce the changes not announced before (slot for ``sig_status_changed``)."""
        fresh: list[StatusChange] = []
        for change in changes:
            key = (change.order_id, change.new.value)
            if key in self.announced:
                continue
            self.announced.add(key)
            fresh.append(change)
        if not fresh or not self.enabled:
            return
        title, text = message_for(fresh)
        self.notified_count += len(fresh)
        order_id = fresh[0].order_id
        self._last_order = order_id
        if self.native is None:
            self._fallback(title, text)
            return
        self._sent += 1

        def shown(ok: bool) -> None:
            if ok:
                self._announced(title, text)
            else:
                self._fallback(title, text)

        self.ctx.tasks.run(
            f"notify:{self._sent}",
            self.native.show(title, text, lambda: self.sig_order_activated.emit(order_id)),
            shown,
            lambda _exc: self._fallback(title, text),
            owner=self,
        )

    def _fallback(self, title: str, text: str) -> None:
        if self.tray is not None:
            self.tray.showMessage(title, text, QSystemTrayIcon.MessageIcon.Information, MESSAGE_MS)
        else:
            self.ctx.status(f"{title}: {text.replace(chr(10), '; ')}", MESSAGE_MS)
        self._announced(title, text)

    def _announced(self, title: str, text: str) -> None:
        log.info("notified: %s", text.replace("\n", "; "))
        self.sig_notified.emit(title, text)

    def _clicked(self) -> None:
        if self._last_order is not None:
            self.sig_order_activated.emit(self._last_order)


def install_notifier(window: QMainWindow, services: Services) -> Notifier:
    """Status-change notifications from the order sync (and every page the views fetch), on
    the window's preference."""
    notifier = Notifier(
        services.ctx,
        enabled=services.settings.settings.notify_status_changes,
        native=services.notifications,
        parent=window,
    )
    services.order_sync.sig_status_changed.connect(notifier.notify)
    return notifier


__all__ = ["Notifier", "change_text", "install_notifier", "message_for"]
