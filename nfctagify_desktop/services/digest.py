"""'Since you last looked': what changed on the account between two sessions.

After the first sync pass of an account in a session, the account's order mirror is compared
with the look recorded when the user last looked (the end of their previous session, or when
they marked the digest seen): orders that moved to another status, and orders created after the
newest one known then. Closing the app records a new look. Everything is per account (each has
its own mirror), so switching profile never shows another account's changes.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal

from nfctagify_desktop.services.context import AppContext
from nfctagify_desktop.services.order_sync import OrderSync
from nfctagify_desktop.store.account import AccountId
from nfctagify_desktop.store.last_look import Digest, LastLook
from nfctagify_desktop.store.mirror import OrderMirror

log = logging.getLogger("nfctagify.services.digest")


def compare(look_store: LastLook, account: AccountId, mirror: OrderMirror) -> Digest | None:
    """The account's digest from its mirror; None before its first look."""
    look = look_store.look(account.key)
    if look is None:
        return None
    # A look recorded before heads were kept: its newest order still in the mirror stands in.
    head = look.head or mirror.newest(look.statuses)
    new = mirror.created_after(head) if head or not look.statuses else {}
    return look.compare(mirror.statuses(look.statuses), new)


def record(look_store: LastLook, account: AccountId, mirror: OrderMirror) -> None:
    """The account as it is now becomes its last look."""
    look_store.record(account.key, mirror.open_statuses().items(), head=mirror.newest())


class DigestService(QObject):
    """Signals:
    sig_digest(object): a Digest with changes, once per account per session.
    """

    sig_digest = Signal(object)

    def __init__(
        self,
        ctx: AppContext,
        sync: OrderSync,
        last_look: LastLook | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent if parent is not None else ctx)
        self.ctx = ctx
        self.sync = sync
        self.store = last_look if last_look is not None else LastLook()
        #: Accounts whose digest this session has already offered (or that had none).
        self._offered: set[AccountId] = set()

    def current(self) -> Digest | None:
        """The digest of the account in use right now; None before its first look."""
        return compare(self.store, self.ctx.account, self.sync.mirror)

    def synced(self) -> None:
        """After a sync: offer the digest once per account and session (or make the first look)."""
        account = self.ctx.account
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
        record(self.store, self.ctx.account, self.sync.mirror)

    def close(self) -> None:
        """Session end: every account looked at this session is remembered as it is now."""
        try:
            for account in self._offered:
                try:
                    record(self.store, account, self.sync.mirror_for(account))
                except Exception:  # one account's mirror must not cost the others' looks
                    log.exception("could not record the last look of %s", account)
        finally:
            self.store.close()


__all__ = ["DigestService", "compare", "record"]
