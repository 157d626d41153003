"""What each account's orders looked like when the user last looked, for "since you last looked".

One small SQLite file for all accounts, keyed by ``AccountId.key`` (profile + server, never the
API key). A look is a snapshot of every known order's status; the digest compares the orders
known now against it. The first session of an account has nothing to compare with: it only
records.
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


class LastLook:
    """The snapshot per account; cheap enough to record on every close."""

    def __init__(self, path: Path | str | None = None) -> None:
        self.path = Path(path) if path is not None else data_dir() / "last-look.sqlite3"
        self._db: sqlite3.Connection | None = None

    def _conn(self) -> sqlite3.Connection:
        if self._db is None:
            self._db = connect(self.path)
            self._db.executescript(_SCHEMA)
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

    def digest(self, account: str, now: Mapping[str, str]) -> Digest | None:
        """Compare ``now`` (order id -> status) with the last look; None if never looked."""
        since = self.looked_at(account)
        if since is None:
            return None
        before = dict(
            self._conn().execute("SELECT order_id, status FROM looks WHERE account = ?", (account,))
        )
        new: list[str] = []
        moved: dict[str, list[str]] = {}
        for order_id, status in now.items():
            was = before.get(order_id)
            if was is None:
                new.append(order_id)
            elif was != status:
                moved.setdefault(status, []).append(order_id)
        return Digest(since, sorted(new), {s: sorted(ids) for s, ids in moved.items()})

    def record(
        self, account: str, now: Iterable[tuple[str, str]], when: datetime | None = None
    ) -> None:
        """Make ``now`` (order id, status) the account's last look."""
        stamp = (when or datetime.now(UTC)).isoformat()
        db = self._conn()
        with db:
            db.execute("DELETE FROM looks WHERE account = ?", (account,))
            db.executemany(
                "INSERT INTO looks (account, order_id, status) VALUES (?, ?, ?)",
                ((account, order_id, status) for order_id, status in now),
            )
            db.execute(
                "INSERT INTO looked (account, looked_at) VALUES (?, ?) "
                "ON CONFLICT (account) DO UPDATE SET looked_at = excluded.looked_at",
                (account, stamp),
            )


__all__ = ["COUNTED", "Digest", "LastLook"]
