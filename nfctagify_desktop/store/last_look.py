"""What each account's orders looked like when the user last looked, for "since you last looked".

One small SQLite file for all accounts, keyed by ``AccountId.key`` (profile + server, never the
API key). A look is the status of every order that could still change (delivered and cancelled
orders cannot), and the ``created_at`` of the newest order then known (``head``): an order
created after it is new. So the snapshot stays small however long the history, and orders the
mirror back-fills later (older than ``head``) are never taken for new ones. The first session of
an account has nothing to compare with: it only records.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from nfctagify_desktop.paths import data_dir
from nfctagify_desktop.sqlite_util import connect

_SCHEMA = """
CREATE TABLE IF NOT EXISTS looks (
    account TEXT NOT NULL,
    order_id TEXT NOT NULL,
    status TEXT NOT NULL,
    PRIMARY KEY (account, order_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS looked (
    account TEXT PRIMARY KEY,
    looked_at TEXT NOT NULL
);
"""
#: Added later: a look recorded before it has no head (see :meth:`LastLook.look`).
_HEAD_COLUMN = "ALTER TABLE looked ADD COLUMN head TEXT"

#: Statuses the digest counts one by one (anything else lands in ``other``).
COUNTED = ("dispatched", "delivered", "cancelled")


@dataclass(frozen=True)
class Digest:
    """Changes since ``since``: orders that are new, and orders per status they moved into."""

    since: datetime
    new: list[str] = field(default_factory=list)
    moved: dict[str, list[str]] = field(default_factory=dict)

    def count(self, status: str) -> int:
        return len(self.moved.get(status, []))

    @property
    def empty(self) -> bool:
        return not self.new and not any(self.moved.values())

    def summary(self) -> str:
        """'3 dispatched · 2 delivered · 1 new order', or 'Nothing changed'."""
        parts = [f"{self.count(s)} {s}" for s in COUNTED if self.count(s)]
        other = sum(len(ids) for s, ids in self.moved.items() if s not in COUNTED)
        if other:
            parts.append(f"{other} other status change" + ("s" if other > 1 else ""))
        if self.new:
            parts.append(f"{len(self.new)} new order" + ("s" if len(self.new) > 1 else ""))
        return " · ".join(parts) if parts else "Nothing changed"


@dataclass(frozen=True)
class Look:
    """The last look of one account: when, the statuses then, the newest order then."""

    since: datetime
    statuses: dict[str, str]
    #: ``created_at`` (mirror text) of the newest order known then; None if not recorded.
    head: str | None

    def compare(self, now: Mapping[str, str], new: Iterable[str]) -> Digest:
        """The digest from ``now`` (current status of the looked-at orders) and the ids of the
        orders created since."""
        moved: dict[str, list[str]] = {}
        for order_id, was in self.statuses.items():
            status = now.get(order_id)
            if status is not None and status != was:
                moved.setdefault(status, []).append(order_id)
        fresh = sorted(i for i in new if i not in self.statuses)
        return Digest(self.since, fresh, {s: sorted(ids) for s, ids in moved.items()})


class LastLook:
    """The snapshot per account; cheap enough to record on every close."""

    def __init__(self, path: Path | str | None = None) -> None:
        self.path = Path(path) if path is not None else data_dir() / "last-look.sqlite3"
        self._db: sqlite3.Connection | None = None

    def _conn(self) -> sqlite3.Connection:
        if self._db is None:
            self._db = connect(self.path)
            self._db.executescript(_SCHEMA)
            columns = {row[1] for row in self._db.execute("PRAGMA table_info(looked)")}
            if "head" not in columns:
                self._db.execute(_HEAD_COLUMN)
        return self._db

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def looked_at(self, account: str) -> datetime | None:
        row = (
            self._conn()
            .execute("SELECT looked_at FROM looked WHERE account = ?", (account,))
            .fetchone()
        )
        return datetime.fromisoformat(row[0]) if row else None

    def look(self, account: str) -> Look | None:
        """The account's last look; None if it was never looked at."""
        db = self._conn()
        row = db.execute("SELECT looked_at, head FROM looked WHERE account = ?", (account,))
        found = row.fetchone()
        if found is None:
            return None
        rows = db.execute("SELECT order_id, status FROM looks WHERE account = ?", (account,))
        return Look(datetime.fromisoformat(found[0]), dict(rows), found[1] or None)

    def record(
        self,
        account: str,
        now: Iterable[tuple[str, str]],
        when: datetime | None = None,
        *,
        head: str | None = None,
    ) -> None:
        """Make ``now`` (order id, status) and ``head`` the account's last look."""
        stamp = (when or datetime.now(UTC)).isoformat()
        db = self._conn()
        with db:
            db.execute("DELETE FROM looks WHERE account = ?", (account,))
            db.executemany(
                "INSERT INTO looks (account, order_id, status) VALUES (?, ?, ?)",
                ((account, order_id, status) for order_id, status in now),
            )
            db.execute(
                "INSERT INTO looked (account, looked_at, head) VALUES (?, ?, ?) "
                "ON CONFLICT (account) DO UPDATE SET looked_at = excluded.looked_at, "
                "head = excluded.head",
                (account, stamp, head),
            )


__all__ = ["COUNTED", "Digest", "LastLook", "Look"]
