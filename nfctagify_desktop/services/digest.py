"""'Since you last looked': what changed on the account between two sessions.

After the first sync of an account in a session, the orders known now are compared with the
snapshot taken when the user last looked (the end of their previous session, or when they
marked the digest seen). Closing the app takes a new snapshot. Everything is per account, so
switching profile never shows another account's changes.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from nfctagify_desktop.services.context import AppContext
from nfctagify_desktop.store.last_look import Digest, LastLook
from nfctagify_desktop.store.order_cache import OrderCache


class DigestService(QObject):
    """Signals:
    sig_digest(object): a Digest with changes, once per account per session.
    """

    sig_digest = Signal(object)

    def __init__(
        self,
        ctx: AppContext,
        cache: OrderCache,
        last_look: LastLook | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent if parent is not None else ctx)
        self.ctx = ctx
        self.cache = cache
        self.store = last_look if last_look is not None else LastLook()
        #: Accounts whose digest this session has already offered (or that had none).
        self._offered: set[str] = set()

    @property
    def account(self) -> str:
        return self.ctx.account.key

    def current(self) -> Digest | None:
        """The digest of the account in use right now; None before its first look."""
        return self.store.digest(self.account, self.cache.statuses(self.account))

    def synced(self) -> None:
        """After a sync: offer the digest once per account and session (or make the first look)."""
        account = self.account
        if account in self._offered:
            return
        self._offered.add(account)
        digest = self.current()
        if digest is None:
            self.mark_looked()  # the first session of this account: start from here
        elif not digest.empty:
            self.sig_digest.emit(digest)

    def mark_looked(self) -> None:
        """The user has seen the account as it is now."""
        account = self.account
        self.store.record(account, self.cache.statuses(account).items())

    def close(self) -> None:
        """Session end: every account looked at this session is remembered as it is now."""
        try:
            for account in self._offered:
                self.store.record(account, self.cache.statuses(account).items())
        finally:
            self.store.close()


__all__ = ["DigestService"]
