"""OrderMirror: one account's orders in SQLite, answering every list query locally.

Two connections to the same WAL file: the writer (sync engine, any thread) and the reader
(the views). WAL lets the reader see the last committed state while a write is under way,
so the list never waits for a sync page to be stored.

It is a mirror, not the truth: a file that is corrupt or from another schema version is
moved aside and rebuilt by the next sync rather than failing the app. Nothing here imports
pydantic or httpx: the first paint reads it before the network stack is loaded.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple

from nfctagify_desktop import sqlite_util
from nfctagify_desktop.order_status import OrderStatus
from nfctagify_desktop.store.mirror import schema
from nfctagify_desktop.store.mirror.query import (
    MirrorPage,
    MirrorQuery,
    OrderRow,
    index_hint,
    order_by,
    where,
)
from nfctagify_desktop.store.mirror.state import SyncState

log = logging.getLogger(__name__)

_CHUNK = 500
_ROW_SQL = ", ".join(schema.ROW_COLUMNS)


class MirrorRecord(NamedTuple):
    """An order flattened for the mirror (built by ``records.record_of`` from the API's model)."""

    order_id: str
    status: str
    created_at: str
    updated_at: str | None
    product: str
    quantity: int | None
    total: str | None
    total_num: float | None
    currency: str | None
    reference: str
    recipient: str
    city: str
    postcode: str
    data: str


@dataclass(frozen=True, slots=True)
class StatusChange:
    """An order whose status differs from the mirrored one (for highlights and notifications)."""

    order_id: str
    old: OrderStatus
    new: OrderStatus
    customer_reference: str | None


def _chunks(items: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


class OrderMirror:
    """The orders of one account (``key`` is its stable text key; stored and checked).

    Args:
        path: the SQLite file (one per account; see :func:`mirror_path`).
        account_key: the account's stable key; a file holding another account's key is
            emptied rather than shown under this one's name.
    """

    def __init__(self, path: Path, account_key: str) -> None:
        self.path = path
        self.account_key = account_key
        self._write_lock = threading.RLock()
        self._read_lock = threading.RLock()
        self._writer = self._open()
        self._reader = sqlite_util.connect(path)
        self._counts: dict[tuple[object, ...], tuple[int, dict[str, int]]] = {}

    # -- lifecycle ---------------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite_util.connect(self.path)
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version not in (0, schema.SCHEMA_VERSION):
                log.info("mirror schema %s != %s; rebuilding", version, schema.SCHEMA_VERSION)
                conn.executescript(
                    "DROP TABLE IF EXISTS orders_fts; DROP TABLE IF EXISTS orders; "
                    "DROP TABLE IF EXISTS meta;"
                )
            conn.executescript(schema.SCHEMA)
            row = conn.execute("SELECT value FROM meta WHERE key = 'account'").fetchone()
            if row is not None and row[0] != self.account_key:
                log.warning("mirror %s belonged to another account; emptied", self.path.name)
                conn.executescript("DELETE FROM orders; DELETE FROM meta;")
            conn.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('account', ?)",
                (self.account_key,),
            )
        except BaseException:
            conn.close()
            raise
        return conn

    def _open(self) -> sqlite3.Connection:
        try:
            return self._connect()
        except sqlite3.DatabaseError as exc:
            log.warning("mirror %s is unreadable (%s); starting a new one", self.path, exc)
            for suffix in ("", "-wal", "-shm"):
                src = Path(str(self.path) + suffix)
                if src.exists():
                    os.replace(src, Path(str(self.path) + suffix + ".bad"))
            return self._connect()

    def close(self) -> None:
        with self._write_lock:
            self._writer.close()
        with self._read_lock:
            self._reader.close()

    def __enter__(self) -> OrderMirror:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _read(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        with self._read_lock:
            return self._reader.execute(sql, params).fetchall()

    # -- writes ------------------------------------------------------------------------------

    def upsert(self, records: Iterable[MirrorRecord]) -> list[StatusChange]:
        """Store orders in one transaction; return their status changes (new orders are not).

        A copy older than the stored one (by ``updated_at``) is ignored, so a stale list page
        cannot undo a newer single-order fetch. Changed orders stay ``unseen`` until
        :meth:`mark_seen`. Records come newest first, as the API lists them; they are inserted
        oldest first so that orders created in the same second keep the server's order (the
        view breaks ``created_at`` ties by row id, newest row first).
        """
        latest = {r.order_id: r for r in records}
        if not latest:
            return []
        fetched_at = schema.ts(datetime.now(UTC))
        changes: list[StatusChange] = []
        params: list[tuple[Any, ...]] = []
        with sqlite_util.transaction(self._writer, self._write_lock) as conn:
            stored: dict[str, tuple[str, str | None]] = {}
            for chunk in _chunks(list(latest)):
                marks = ",".join("?" * len(chunk))
                rows = conn.execute(
                    f"SELECT order_id, status, updated_at FROM orders WHERE order_id IN ({marks})",
                    chunk,
                ).fetchall()
                stored.update({r[0]: (r[1], r[2]) for r in rows})
            for order_id, rec in latest.items():
                unseen = 0
                if order_id in stored:
                    old_status, old_updated = stored[order_id]
                    if rec.updated_at and old_updated and rec.updated_at < old_updated:
                        continue
                    if old_status != rec.status:
                        unseen = 1
                        changes.append(
                            StatusChange(
                                order_id,
                                OrderStatus(old_status),
                                OrderStatus(rec.status),
                                rec.reference or None,
                            )
                        )
                params.append((*rec, fetched_at, unseen))
            conn.executemany(
                """
                INSERT INTO orders (order_id, status, created_at, updated_at, product, quantity,
                    total, total_num, currency, reference, recipient, city, postcode, data,
                    fetched_at, unseen)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (order_id) DO UPDATE SET
                    status = excluded.status, created_at = excluded.created_at,
                    updated_at = excluded.updated_at, product = excluded.product,
                    quantity = excluded.quantity, total = excluded.total,
                    total_num = excluded.total_num, currency = excluded.currency,
                    reference = excluded.reference, recipient = excluded.recipient,
                    city = excluded.city, postcode = excluded.postcode, data = excluded.data,
                    fetched_at = excluded.fetched_at,
                    unseen = MAX(orders.unseen, excluded.unseen)
                """,
                params[::-1],
            )
        return changes

    def mark_seen(self, order_ids: Iterable[str]) -> None:
        ids = list(order_ids)
        with sqlite_util.transaction(self._writer, self._write_lock) as conn:
            for chunk in _chunks(ids):
                marks = ",".join("?" * len(chunk))
                conn.execute(
                    f"UPDATE orders SET unseen = 0 WHERE unseen = 1 AND order_id IN ({marks})",
                    chunk,
                )

    def clear(self) -> None:
        """Forget every order and the sync state (the account was removed or re-pointed)."""
        with sqlite_util.transaction(self._writer, self._write_lock) as conn:
            conn.execute("DELETE FROM orders")
            conn.execute("DELETE FROM meta WHERE key != 'account'")

    def save_state(self, state: SyncState) -> None:
        with sqlite_util.transaction(self._writer, self._write_lock) as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", state.to_meta()
            )

    # -- reads -------------------------------------------------------------------------------

    def state(self) -> SyncState:
        return SyncState.from_meta(dict(self._read("SELECT key, value FROM meta")))

    def _version(self) -> int:
        return int(self._read("PRAGMA data_version")[0][0])

    def counts(self, query: MirrorQuery) -> dict[str, int]:
        """Orders per status for the query's dates and search (its status ignored).

        Cached until the next write to the file: paging, sorting and choosing a status chip
        reuse it.
        """
        key = query.filters_key()
        version = self._version()
        hit = self._counts.get(key)
        if hit is not None and hit[0] == version:
            return dict(hit[1])
        clause, params = where(query, with_status=False)
        narrow = "INDEXED BY by_rid_status" if query.search.strip() else ""
        rows = self._read(
            f"SELECT status, COUNT(*) FROM orders {narrow} WHERE {clause} GROUP BY status", params
        )
        counts = {str(status): int(n) for status, n in rows}
        if len(self._counts) > 32:
            self._counts.clear()
        self._counts[key] = (version, counts)
        return dict(counts)

    def total(self, query: MirrorQuery) -> int:
        """The list's total: by construction the same number as the query's status chip."""
        counts = self.counts(query)
        if query.status is None:
            return sum(counts.values())
        return counts.get(query.status, 0)

    def rows(self, query: MirrorQuery, matches: int | None = None) -> list[OrderRow]:
        """One page of rows; ``matches`` (the query's total, if known) picks the faster plan."""
        clause, params = where(query)
        raw = self._read(
            f"SELECT {_ROW_SQL} FROM orders {index_hint(query, matches)} WHERE {clause} "
            f"ORDER BY {order_by(query, matches)} "
            "LIMIT ? OFFSET ?",
            (*params, query.per_page, query.offset),
        )
        return [OrderRow._make(r) for r in raw]

    def page(self, query: MirrorQuery) -> MirrorPage:
        """Everything one screen of the list needs, from one consistent snapshot."""
        with self._read_lock:
            self._reader.execute("BEGIN")
            try:
                counts = self.counts(query)
                total = (
                    sum(counts.values()) if query.status is None else counts.get(query.status, 0)
                )
                rows = self.rows(query, total)
            finally:
                self._reader.execute("COMMIT")
        return MirrorPage(rows, total, counts, query, self.state().covers(query))

    def page_json(self, query: MirrorQuery, matches: int | None = None) -> list[str]:
        """The page's orders as the API last sent them (JSON text), in the page's order."""
        clause, params = where(query)
        raw = self._read(
            f"SELECT data FROM orders {index_hint(query, matches)} WHERE {clause} "
            f"ORDER BY {order_by(query, matches)} LIMIT ? OFFSET ?",
            (*params, query.per_page, query.offset),
        )
        return [str(r[0]) for r in raw]

    def get_json(self, order_id: str) -> str | None:
        """The order as the API last sent it (JSON text), for the detail pane."""
        rows = self._read("SELECT data FROM orders WHERE order_id = ?", (order_id,))
        return str(rows[0][0]) if rows else None

    def get_row(self, order_id: str) -> OrderRow | None:
        rows = self._read(f"SELECT {_ROW_SQL} FROM orders WHERE order_id = ?", (order_id,))
        return OrderRow._make(rows[0]) if rows else None

    def open_orders(self) -> list[tuple[str, str]]:
        """``(order_id, created_at)`` of orders not yet delivered or cancelled, oldest first."""
        final = tuple(s.value for s in OrderStatus if s.is_final)
        marks = ",".join("?" * len(final))
        rows = self._read(
            f"SELECT order_id, created_at FROM orders WHERE status NOT IN ({marks}) "
            "ORDER BY created_at, rid",
            final,
        )
        return [(str(a), str(b)) for a, b in rows]

    def known(self, order_ids: Sequence[str]) -> set[str]:
        found: set[str] = set()
        for chunk in _chunks(list(order_ids)):
            marks = ",".join("?" * len(chunk))
            rows = self._read(f"SELECT order_id FROM orders WHERE order_id IN ({marks})", chunk)
            found.update(r[0] for r in rows)
        return found

    def statuses(self, order_ids: Iterable[str]) -> dict[str, str]:
        """The stored status of each of these orders that is mirrored (order id -> status)."""
        found: dict[str, str] = {}
        for chunk in _chunks(list(order_ids)):
            marks = ",".join("?" * len(chunk))
            rows = self._read(
                f"SELECT order_id, status FROM orders WHERE order_id IN ({marks})", chunk
            )
            found.update((str(a), str(b)) for a, b in rows)
        return found

    def open_statuses(self) -> dict[str, str]:
        """Status of every order that may still change (not delivered or cancelled)."""
        final = tuple(s.value for s in OrderStatus if s.is_final)
        marks = ",".join("?" * len(final))
        rows = self._read(
            f"SELECT order_id, status FROM orders WHERE status NOT IN ({marks})", final
        )
        return {str(a): str(b) for a, b in rows}

    def created_after(self, instant: str | None) -> dict[str, str]:
        """Orders created strictly after ``instant`` (mirror text; None: every order)."""
        if instant is None:
            rows = self._read("SELECT order_id, status FROM orders")
        else:
            rows = self._read(
                "SELECT order_id, status FROM orders WHERE created_at > ?", (instant,)
            )
        return {str(a): str(b) for a, b in rows}

    def newest(self, order_ids: Iterable[str] | None = None) -> str | None:
        """``created_at`` of the newest order (of these, if given) in the mirror."""
        if order_ids is None:
            top = self._read("SELECT MAX(created_at) FROM orders")[0][0]
            return None if top is None else str(top)
        newest: str | None = None
        for chunk in _chunks(list(order_ids)):
            marks = ",".join("?" * len(chunk))
            got = self._read(
                f"SELECT MAX(created_at) FROM orders WHERE order_id IN ({marks})", chunk
            )[0][0]
            if got is not None and (newest is None or got > newest):
                newest = str(got)
        return newest

    def last_fetched(self) -> datetime | None:
        """When an order was last stored (by a sync or a page a view fetched)."""
        top = self._read("SELECT MAX(fetched_at) FROM orders")[0][0]
        return None if top is None else schema.from_ts(str(top))

    def unseen(self) -> set[str]:
        return {r[0] for r in self._read("SELECT order_id FROM orders WHERE unseen = 1")}

    def count(self) -> int:
        return int(self._read("SELECT COUNT(*) FROM orders")[0][0])


__all__ = ["MirrorRecord", "OrderMirror", "StatusChange"]
