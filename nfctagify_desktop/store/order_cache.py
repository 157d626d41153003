"""Local SQLite cache of orders, per profile: instant start, offline browsing, change detection.

Each order's full JSON is kept beside indexed columns for filtering and sorting, so the orders
table can page through 100k orders without loading them. It is a cache: a file that is corrupt
or from another schema version is moved aside / rebuilt rather than failing the app.

One connection per store, guarded by a lock, with ``check_same_thread=False``: the UI calls it
through ``run_in_executor`` from whatever worker thread is free.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from nfctagify_desktop import sqlite_util
from nfctagify_desktop.api.models import KNOWN_STATUSES, Order, OrderStatus
from nfctagify_desktop.paths import data_dir

log = logging.getLogger(__name__)

DB_FILE_NAME = "orders.sqlite3"
SCHEMA_VERSION = 1
DEFAULT_PAGE_SIZE = 50
#: Below SQLite's default limit of 999 host parameters, for old builds.
_CHUNK = 500
_FINAL = tuple(s.value for s in OrderStatus if s.is_final)
_SEP = "\x1f"  # separates fields in the search column; never typed by a user

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS orders (
    profile TEXT NOT NULL,
    order_id TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT,
    customer_reference TEXT,
    recipient TEXT,
    product_id TEXT,
    fetched_at TEXT NOT NULL,
    unseen_change INTEGER NOT NULL DEFAULT 0,
    search TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (profile, order_id)
);
CREATE INDEX IF NOT EXISTS orders_by_created
    ON orders (profile, created_at DESC, order_id DESC);
CREATE INDEX IF NOT EXISTS orders_by_status
    ON orders (profile, status, created_at DESC, order_id DESC);
CREATE INDEX IF NOT EXISTS orders_unseen
    ON orders (profile) WHERE unseen_change = 1;
CREATE TABLE IF NOT EXISTS sync_state (
    profile TEXT PRIMARY KEY,
    last_synced TEXT
);
PRAGMA user_version = {SCHEMA_VERSION};
"""


@dataclass(frozen=True, slots=True)
class StatusChange:
    """An order whose status differs from the cached one (for notifications)."""

    order_id: str
    old: OrderStatus
    new: OrderStatus
    customer_reference: str | None


def _ts(value: datetime) -> str:
    """Fixed-width UTC text, so that string order is time order in SQL."""
    if value.tzinfo is not None and value.utcoffset():
        value = value.astimezone(UTC)
    # isoformat(timespec=...) is fixed-width and much faster than strftime (100k-row syncs).
    return value.replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def _from_ts(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


def _lower_bound(value: date) -> str:
    if isinstance(value, datetime):
        return _ts(value)
    return _ts(datetime(value.year, value.month, value.day, tzinfo=UTC))


def _upper_bound_exclusive(value: date) -> str:
    """Dates are inclusive (like the API's ``to``); a datetime is an exact instant."""
    if isinstance(value, datetime):
        return _ts(value + timedelta(microseconds=1))
    return _ts(datetime(value.year, value.month, value.day, tzinfo=UTC) + timedelta(days=1))


def _search_text(*parts: str | None) -> str:
    # casefold in Python: SQLite's LIKE and lower() only fold ASCII ("Zoë" vs "ZOË").
    return _SEP.join((p or "").casefold() for p in parts)


def _like_pattern(text: str) -> str:
    needle = text.strip().replace(_SEP, "").casefold()
    needle = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{needle}%"


def _chunks(items: Sequence[str], size: int = _CHUNK) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class OrderCache:
    """The orders of every profile, keyed by ``(profile, order_id)``.

    Args:
        path: the SQLite file; default ``data_dir()/orders.sqlite3``. ``":memory:"`` works too.
    """

    def __init__(self, path: Path | str | None = None) -> None:
        self.path: Path | str = path if path is not None else data_dir() / DB_FILE_NAME
        self._lock = threading.RLock()
        self._conn = self._open()

    # -- lifecycle -------------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        # isolation_level=None: we issue BEGIN/COMMIT ourselves (one transaction per upsert).
        conn = sqlite_util.connect(self.path)
        try:
            conn.execute("PRAGMA foreign_keys=ON")
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version not in (0, SCHEMA_VERSION):
                # A cache from another version: cheaper to refetch than to migrate.
                log.info("Order cache schema %s != %s; rebuilding", version, SCHEMA_VERSION)
                conn.executescript("DROP TABLE IF EXISTS orders; DROP TABLE IF EXISTS sync_state;")
            conn.executescript(_SCHEMA)
        except BaseException:
            conn.close()
            raise
        return conn

    def _open(self) -> sqlite3.Connection:
        try:
            return self._connect()
        except sqlite3.DatabaseError as exc:
            if not isinstance(self.path, Path):
                raise
            log.warning("Order cache %s is unreadable (%s); starting a new one", self.path, exc)
            for suffix in ("", "-wal", "-shm"):
                src = Path(str(self.path) + suffix)
                if src.exists():
                    os.replace(src, Path(str(self.path) + suffix + ".bad"))
            return self._connect()

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> OrderCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        return sqlite_util.transaction(self._conn, self._lock)

    def _fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        with self._lock:
            return self._conn.execute(sql, params).fetchall()

    # -- writes ----------------------------------------------------------------------------

    def upsert(self, profile: str, orders: Iterable[Order]) -> list[StatusChange]:
        """Insert or update ``orders`` in one transaction; return their status changes.

        New orders are not changes. Changed orders are flagged unseen until :meth:`mark_seen`.
        A copy older than the cached one (by ``updated_at``) is ignored, so a stale list page
        cannot undo a newer single-order fetch.
        """
        latest: dict[str, Order] = {}
        for order in orders:
            latest[order.order_id] = order  # the last copy of a duplicate wins
        if not latest:
            return []
        fetched_at = _ts(datetime.now(UTC))
        changes: list[StatusChange] = []
        with self._transaction() as conn:
            cached: dict[str, tuple[str, str | None]] = {}
            for chunk in _chunks(list(latest)):
                marks = ",".join("?" * len(chunk))
                rows = conn.execute(
                    "SELECT order_id, status, updated_at FROM orders "
                    f"WHERE profile = ? AND order_id IN ({marks})",
                    (profile, *chunk),
                ).fetchall()
                cached.update({row[0]: (row[1], row[2]) for row in rows})
            params: list[tuple[Any, ...]] = []
            for order_id, order in latest.items():
                status = order.status
                updated_at = _ts(order.updated_at) if order.updated_at else None
                unseen = 0
                if order_id in cached:
                    old_status, old_updated = cached[order_id]
                    if updated_at and old_updated and updated_at < old_updated:
                        continue
                    if old_status != status.value:
                        unseen = 1
                        changes.append(
                            StatusChange(
                                order_id, OrderStatus(old_status), status, order.customer_reference
                            )
                        )
                recipient = order.shipping.name if order.shipping else None
                params.append(
                    (
                        profile,
                        order_id,
                        status.value,
                        _ts(order.created_at),
                        updated_at,
                        order.customer_reference,
                        recipient,
                        order.product_id,
                        fetched_at,
                        unseen,
                        _search_text(order_id, order.customer_reference, recipient),
                        # == json.dumps(model_dump(mode="json", by_alias=True)), in Rust.
                        order.model_dump_json(by_alias=True),
                    )
                )
            conn.executemany(
                """
                INSERT INTO orders (profile, order_id, status, created_at, updated_at,
                    customer_reference, recipient, product_id, fetched_at, unseen_change,
                    search, data)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (profile, order_id) DO UPDATE SET
                    status = excluded.status,
                    created_at = excluded.created_at,
                    updated_at = excluded.updated_at,
                    customer_reference = excluded.customer_reference,
                    recipient = excluded.recipient,
                    product_id = excluded.product_id,
                    fetched_at = excluded.fetched_at,
                    unseen_change = MAX(orders.unseen_change, excluded.unseen_change),
                    search = excluded.search,
                    data = excluded.data
                """,
                params,
            )
        return changes

    def mark_seen(self, profile: str, order_ids: Iterable[str]) -> None:
        ids = list(order_ids)
        with self._transaction() as conn:
            for chunk in _chunks(ids):
                marks = ",".join("?" * len(chunk))
                conn.execute(
                    "UPDATE orders SET unseen_change = 0 "
                    f"WHERE profile = ? AND unseen_change = 1 AND order_id IN ({marks})",
                    (profile, *chunk),
                )

    def unseen_changes(self, profile: str) -> set[str]:
        rows = self._fetchall(
            "SELECT order_id FROM orders WHERE profile = ? AND unseen_change = 1", (profile,)
        )
        return {row[0] for row in rows}

    def set_last_synced(self, profile: str, when: datetime | None = None) -> None:
        stamp = _ts(when if when is not None else datetime.now(UTC))
        with self._transaction() as conn:
            conn.execute(
                "INSERT INTO sync_state (profile, last_synced) VALUES (?, ?) "
                "ON CONFLICT (profile) DO UPDATE SET last_synced = excluded.last_synced",
                (profile, stamp),
            )

    def clear(self, profile: str) -> None:
        """Drop a profile's orders (profile removed, or pointed at another account)."""
        with self._transaction() as conn:
            conn.execute("DELETE FROM orders WHERE profile = ?", (profile,))
            conn.execute("DELETE FROM sync_state WHERE profile = ?", (profile,))

    def rename_profile(self, old: str, new: str) -> None:
        with self._transaction() as conn:
            conn.execute("DELETE FROM orders WHERE profile = ?", (new,))
            conn.execute("DELETE FROM sync_state WHERE profile = ?", (new,))
            conn.execute("UPDATE orders SET profile = ? WHERE profile = ?", (new, old))
            conn.execute("UPDATE sync_state SET profile = ? WHERE profile = ?", (new, old))

    # -- reads -----------------------------------------------------------------------------

    @staticmethod
    def _where(
        profile: str,
        status: OrderStatus | None,
        date_from: date | None,
        date_to: date | None,
        text: str | None,
    ) -> tuple[str, list[Any]]:
        clauses = ["profile = ?"]
        params: list[Any] = [profile]
        if status is not None:
            clauses.append("status = ?")
            params.append(OrderStatus(status).value)
        if date_from is not None:
            clauses.append("created_at >= ?")
            params.append(_lower_bound(date_from))
        if date_to is not None:
            clauses.append("created_at < ?")
            params.append(_upper_bound_exclusive(date_to))
        if text and text.strip():
            clauses.append("search LIKE ? ESCAPE '\\'")
            params.append(_like_pattern(text))
        return " AND ".join(clauses), params

    def query(
        self,
        profile: str,
        *,
        status: OrderStatus | None = None,
        date_from: date | None = None,
        date_to: date | None = None,
        text: str | None = None,
        limit: int = DEFAULT_PAGE_SIZE,
        offset: int = 0,
    ) -> list[Order]:
        """One page of orders, newest first.

        Dates are inclusive UTC dates of ``created_at`` (as the API's from/to); ``text`` is a
        case-insensitive substring of the order id, customer reference or recipient name.
        """
        where, params = self._where(profile, status, date_from, date_to, text)
        rows = self._fetchall(
            f"SELECT data FROM orders WHERE {where} "
            "ORDER BY created_at DESC, order_id DESC LIMIT ? OFFSET ?",
            (*params, max(0, limit), max(0, offset)),
        )
        return [Order.model_validate_json(row[0]) for row in rows]

    def count(
        self,
        profile: str,
        *,
        status: OrderStatus | None = None,
        date_from: date | None = None,
        date_to: date | None = None,
        text: str | None = None,
    ) -> int:
        where, params = self._where(profile, status, date_from, date_to, text)
        return int(self._fetchall(f"SELECT COUNT(*) FROM orders WHERE {where}", params)[0][0])

    def get(self, profile: str, order_id: str) -> Order | None:
        rows = self._fetchall(
            "SELECT data FROM orders WHERE profile = ? AND order_id = ?", (profile, order_id)
        )
        return Order.model_validate_json(rows[0][0]) if rows else None

    def open_orders(self, profile: str) -> list[Order]:
        """Orders not yet delivered or cancelled, newest first: what auto-refresh polls."""
        marks = ",".join("?" * len(_FINAL))
        rows = self._fetchall(
            f"SELECT data FROM orders WHERE profile = ? AND status NOT IN ({marks}) "
            "ORDER BY created_at DESC, order_id DESC",
            (profile, *_FINAL),
        )
        return [Order.model_validate_json(row[0]) for row in rows]

    def statuses(self, profile: str) -> dict[str, str]:
        """Every saved order's status text, by order id (for "since you last looked")."""
        rows = self._fetchall("SELECT order_id, status FROM orders WHERE profile = ?", (profile,))
        return {order_id: status for order_id, status in rows}

    def last_synced(self, profile: str) -> datetime | None:
        rows = self._fetchall("SELECT last_synced FROM sync_state WHERE profile = ?", (profile,))
        return _from_ts(rows[0][0]) if rows and rows[0][0] else None

    def status_counts(self, profile: str) -> dict[OrderStatus, int]:
        """Orders per status; every documented status is present (0 if none)."""
        counts: dict[OrderStatus, int] = dict.fromkeys(KNOWN_STATUSES, 0)
        rows = self._fetchall(
            "SELECT status, COUNT(*) FROM orders WHERE profile = ? GROUP BY status", (profile,)
        )
        for status_text, n in rows:
            status = OrderStatus(status_text)
            counts[status] = counts.get(status, 0) + int(n)
        return counts

    def orders_since(self, profile: str, since: datetime) -> int:
        """Orders created at or after ``since`` (e.g. "orders this week")."""
        rows = self._fetchall(
            "SELECT COUNT(*) FROM orders WHERE profile = ? AND created_at >= ?",
            (profile, _ts(since)),
        )
        return int(rows[0][0])
