"""The operating system's own notifications: Windows toasts, macOS Notification Center, D-Bus.

desktop-notifier does the platform work. It never raises when the OS refuses (no session bus, a
headless box, notifications turned off): it logs and moves on. So a notification counts as shown
only when the library reports it dispatched, and the caller falls back to the tray or the status
bar otherwise. The library is imported on first use, so start-up does not pay for it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

log = logging.getLogger("nfctagify.services.native_notifications")


class NativeNotifications(Protocol):
    """What the notifier needs from a platform backend (tests pass a fake)."""

    async def show(self, title: str, body: str, on_clicked: Callable[[], None]) -> bool:
        """Show one notification; True when the OS accepted it."""
        ...


class DesktopNotifierBackend:
    """desktop-notifier as :class:`NativeNotifications`; after a refusal it stops trying."""

    def __init__(self, app_name: str, icon: Path | None = None) -> None:
        self.app_name = app_name
        self.icon = icon if icon is not None and icon.is_file() else None
        self._notifier: Any = None
        #: False once the OS refused: later changes go straight to the fallback.
        self.available = True

    def _make(self) -> Any:
        from desktop_notifier import DesktopNotifier, Icon

        icon = Icon(path=self.icon) if self.icon is not None else None
        return DesktopNotifier(app_name=self.app_name, app_icon=icon)

    async def show(self, title: str, body: str, on_clicked: Callable[[], None]) -> bool:
        if not self.available:
            return False
        dispatched = False

        def mark_dispatched() -> None:
            nonlocal dispatched
            dispatched = True

        try:
            if self._notifier is None:
                self._notifier = self._make()
            await self._notifier.send(
                title=title, message=body, on_clicked=on_clicked, on_dispatched=mark_dispatched
            )
        except Exception as exc:  # an import or platform failure must not cost the change
            log.info("native notifications unavailable: %s", type(exc).__name__)
            dispatched = False
        if not dispatched:
            self.available = False
        return dispatched


__all__ = ["DesktopNotifierBackend", "NativeNotifications"]
