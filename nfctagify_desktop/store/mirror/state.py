"""What the mirror knows about its own completeness, kept beside the orders.

The sync engine walks the order list newest first, so the mirror holds one contiguous span
of history: every order created after ``tail`` up to ``head`` (as of ``last_synced``). Orders
outside the span may be present too (fetched for a detail or a status list) but the span is
what a view can rely on. ``history_complete`` means the back-fill reached the first order.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from nfctagify_desktop.store.mirror.query import MirrorQuery
from nfctagify_desktop.store.mirror.schema import day_start, from_ts

_KEYS = ("head", "tail", "history_complete", "server_total", "last_synced")


@dataclass(frozen=True, slots=True)
class SyncState:
    #: ``created_at`` (mirror text) of the newest order of the contiguous span.
    head: str | None = None
    #: The span holds every order created strictly after this instant.
    tail: str | None = None
    history_complete: bool = False
    #: The server's number of orders (``pagination.total`` of the unfiltered list).
    server_total: int | None = None
    #: When a sync last finished (mirror text).
    last_synced: str | None = None

    @classmethod
    def from_meta(cls, meta: dict[str, Any]) -> SyncState:
        total = meta.get("server_total")
        return cls(
            head=meta.get("head") or None,
            tail=meta.get("tail") or None,
            history_complete=meta.get("history_complete") == "1",
            server_total=int(total) if total not in (None, "") else None,
            last_synced=meta.get("last_synced") or None,
        )

    def to_meta(self) -> list[tuple[str, str]]:
        values = {
            "head": self.head or "",
            "tail": self.tail or "",
            "history_complete": "1" if self.history_complete else "0",
            "server_total": "" if self.server_total is None else str(self.server_total),
            "last_synced": self.last_synced or "",
        }
        return [(k, values[k]) for k in _KEYS]

    def with_(self, **changes: Any) -> SyncState:
        return replace(self, **changes)

    @property
    def last_synced_at(self) -> datetime | None:
        return from_ts(self.last_synced) if self.last_synced else None

    def covers(self, query: MirrorQuery) -> bool:
        """True when every order the query could show is in the mirror (freshness aside)."""
        if self.history_complete:
            return True
        if self.head is None or self.tail is None:
            return False
        return query.date_from is not None and day_start(query.date_from) > self.tail

    def progress_text(self, mirrored: int) -> str:
        """ "synced N of M orders · updated HH:MM" (local time), for the status line."""
        total = self.server_total
        if total is None:
            text = f"synced {mirrored:,} orders"
        else:
            # Orders never leave the account, so holding more than the last count means the
            # server has at least those (one just placed): never "synced 40 of 40" beside 41.
            text = f"synced {mirrored:,} of {max(mirrored, total):,} orders"
        when = self.last_synced_at
        if when is not None:
            text += f" · updated {when.astimezone().strftime('%H:%M')}"
        return text


__all__ = ["SyncState"]
