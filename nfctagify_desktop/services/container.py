"""The composition root's product: every service of one window, built once, passed in.

Nothing looks services up by name and nothing creates a second ``Outbox``, ``OrderSync`` or
``SettingsStore`` behind the caller's back: views receive this container (or the one service
they need) from whoever builds them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from nfctagify_desktop.ordering.outbox import Outbox
from nfctagify_desktop.services.accounts import AccountService
from nfctagify_desktop.services.connection import Connection
from nfctagify_desktop.services.context import AppContext
from nfctagify_desktop.services.digest import DigestService
from nfctagify_desktop.services.native_notifications import NativeNotifications
from nfctagify_desktop.services.order_sync import OrderSync
from nfctagify_desktop.services.ordering import OrderingService
from nfctagify_desktop.services.sandbox_watch import SandboxWatch
from nfctagify_desktop.store.legacy import discard_old_order_cache
from nfctagify_desktop.store.secrets import KeyStore
from nfctagify_desktop.store.settings import SettingsStore

log = logging.getLogger("nfctagify.services")


@dataclass(frozen=True)
class Services:
    """The services of one window (all share ``ctx``: connection, tasks, signals)."""

    ctx: AppContext
    settings: SettingsStore
    keys: KeyStore
    accounts: AccountService
    ordering: OrderingService
    #: The account's local order mirror (the one order store) and its background sync.
    order_sync: OrderSync
    #: "Since you last looked", per account.
    digest: DigestService
    #: The OS's own notifications; None = the tray or the status bar only (tests, no desktop).
    notifications: NativeNotifications | None = None
    #: Restarts the built-in sandbox's child process if it dies.
    sandbox_watch: SandboxWatch | None = None

    @property
    def outbox(self) -> Outbox:
        return self.ordering.outbox

    async def aclose(self) -> None:
        """Cancel pending work, then close what holds files or a sandbox (never raising)."""
        try:
            await self.ctx.tasks.shutdown()
            # After the tasks: a cancelled send records `unknown` before the outbox closes.
            self.ordering.close()
            self.digest.close()  # reads the mirrors: before they close
            await self.order_sync.aclose()
            await self.accounts.aclose()
        except Exception:
            log.exception("error while closing the services")


def build_services(
    connection: Connection,
    *,
    settings: SettingsStore | None = None,
    keys: KeyStore | None = None,
    outbox: Outbox | None = None,
    notifications: NativeNotifications | None = None,
) -> Services:
    """Create every service once, on the user's files unless others are given (tests)."""
    ctx = AppContext(connection)
    settings = settings if settings is not None else SettingsStore()
    keys = keys if keys is not None else KeyStore()
    discard_old_order_cache()
    order_sync = OrderSync(ctx, settings.settings.auto_refresh_minutes)
    digest = DigestService(ctx, order_sync)
    order_sync.sig_synced.connect(lambda _report: digest.synced())
    return Services(
        ctx=ctx,
        settings=settings,
        keys=keys,
        accounts=AccountService(ctx, settings, keys),
        ordering=OrderingService(ctx, outbox if outbox is not None else Outbox()),
        order_sync=order_sync,
        digest=digest,
        notifications=notifications,
        sandbox_watch=SandboxWatch(ctx),
    )


__all__ = ["Services", "build_services"]
