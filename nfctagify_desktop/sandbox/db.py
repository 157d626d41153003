"""The sandbox's SQLite store: every query, behind one lock.

One connection (``check_same_thread=False``) serves the server loop thread and the Python-side
control methods called from test threads; an ``RLock`` keeps each operation atomic. Every call
is short, so doing it directly on the event loop is fine. The tables are in
:mod:`~nfctagify_desktop.sandbox.schema`, the made-up orders in
:mod:`~nfctagify_desktop.sandbox.seed`.
"""

from __future__ import annotations

import sqlite3
import threading
import weakref
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from nfctagify_desktop import sqlite_util
from nfctagify_desktop.sandbox.accounts import ACCOUNTS, hash_key
from nfctagify_desktop.sandbox.catalogue import OVERRIDES, PRODUCTS
from nfctagify_desktop.sandbox.clock import from_ms, to_ms
from nfctagify_desktop.sandbox.lifecycle import DAY_MS, EARLIER, PROGRESSION
from nfctagify_desktop.sandbox.schema import INSERT_ORDER, migrate, new_id
from nfctagify_desktop.sandbox.seed import demo_orders, random_orders

IDEMPOTENCY_TTL_MS = DAY_MS


@dataclass(frozen=True, slots=True)
class Account:
    """Who a key is: ``account_id`` is whose data it reads and writes."""

    account_id: str
    key_id: str
    name: str
    can_write: bool


@dataclass(frozen=True, slots=True)
class NewOrder:
    """A validated order request, ready to store."""

    product_id: str
    quantity: int
    customer_reference: str | None
    ship_name: str
    ship_line1: str
    ship_line2: str | None
    ship_city: str
    ship_postcode: str
    ship_country: str
    ship_region: str | None = None


@dataclass(frozen=True, slots=True)
class CreateResult:
    order: sqlite3.Row | None = None
    replayed: bool = False
    conflict: bool = False
    daily_limited: bool = False


class SandboxDB:
    def __init__(self, path: str | Path) -> None:
        self.lock = threading.RLock()
        self._conn = sqlite_util.connect(path)
        self._conn.row_factory = sqlite3.Row
        migrate(self._conn)
        # SandboxServer.stop() keeps the DB open for a restart; close it when the server goes.
        weakref.finalize(self, self._conn.close)

    def close(self) -> None:
        with self.lock:
            self._conn.close()

    def _tx(self) -> AbstractContextManager[sqlite3.Connection]:
        return sqlite_util.transaction(self._conn, self.lock)

    # ----- seeding -------------------------------------------------------------------------

    def ensure_seeded(self, now: datetime, keys: dict[str, str]) -> None:
        """Create catalogue, accounts and demo orders once; (re)set every account's key."""
        with self._tx() as conn:
            for position, p in enumerate(PRODUCTS):
                conn.execute(
                    "INSERT OR IGNORE INTO products VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        p.product_id,
                        position,
                        p.name,
                        p.description,
                        p.price_pence,
                        p.currency,
                        p.min_quantity,
                    ),
                )
            conn.executemany("INSERT OR IGNORE INTO price_overrides VALUES (?, ?, ?)", OVERRIDES)
            for spec in ACCOUNTS:
                key_hash = hash_key(keys[spec.account_id])
                conn.execute(
                    "INSERT INTO accounts VALUES (?, ?, ?, ?, ?) ON CONFLICT (account_id) "
                    "DO UPDATE SET key_hash = excluded.key_hash",
                    (spec.account_id, spec.name, key_hash, int(spec.can_write), spec.data_account),
                )
            seeded = conn.execute("SELECT 1 FROM meta WHERE key = 'seeded'").fetchone()
            if seeded is None:
                conn.executemany(INSERT_ORDER, demo_orders(to_ms(now)))
                conn.execute("INSERT INTO meta VALUES ('seeded', ?)", (now.isoformat(),))

    def seed_orders(self, account_id: str, count: int, now_ms: int, days: int) -> None:
        """Bulk-insert ``count`` orders over the last ``days`` days, in one transaction."""
        with self._tx() as conn:
            conn.executemany(INSERT_ORDER, random_orders(account_id, count, now_ms, days))

    # ----- accounts ------------------------------------------------------------------------

    def account_for_key(self, key: str) -> Account | None:
        with self.lock:
            row = self._conn.execute(
                "SELECT account_id, data_account, name, can_write FROM accounts WHERE key_hash = ?",
                (hash_key(key),),
            ).fetchone()
        if row is None:
            return None
        return Account(row["data_account"], row["account_id"], row["name"], bool(row["can_write"]))

    def set_key(self, account_id: str, key: str) -> None:
        with self._tx() as conn:
            cur = conn.execute(
                "UPDATE accounts SET key_hash = ? WHERE account_id = ?", (hash_key(key), account_id)
            )
            if cur.rowcount != 1:
                raise KeyError(account_id)

    # ----- catalogue -----------------------------------------------------------------------

    def pricing(self, account_id: str) -> list[sqlite3.Row]:
        """Every product with the account's price (override applied) and the standard price."""
        with self.lock:
            return self._conn.execute(
                "SELECT p.product_id, p.name, p.description, p.currency, p.min_quantity, "
                "COALESCE(o.price_pence, p.price_pence) AS price_pence, "
                "p.price_pence AS standard_pence, o.price_pence IS NOT NULL AS is_override "
                "FROM products p LEFT JOIN price_overrides o "
                "ON o.product_id = p.product_id AND o.account_id = ? ORDER BY p.position",
                (account_id,),
            ).fetchall()

    def price_of(self, account_id: str, product_id: str) -> sqlite3.Row | None:
        return next((r for r in self.pricing(account_id) if r["product_id"] == product_id), None)

    # ----- orders --------------------------------------------------------------------------

    def advance_statuses(self, account_id: str, now_ms: int) -> None:
        """Bring statuses up to the sandbox clock; indexed, so cheap even with 100k orders."""
        with self._tx() as conn:
            for status, threshold in PROGRESSION:
                earlier = EARLIER[status]
                marks = ", ".join("?" * len(earlier))
                conn.execute(
                    f"UPDATE orders SET status = ?, updated_at = created_at + ? "
                    f"WHERE account_id = ? AND status IN ({marks}) AND created_at <= ?",
                    (status, threshold, account_id, *earlier, now_ms - threshold),
                )

    def get_order(self, account_id: str, order_id: str) -> sqlite3.Row | None:
        with self.lock:
            row: sqlite3.Row | None = self._conn.execute(
                "SELECT * FROM orders WHERE order_id = ? AND account_id = ?",
                (order_id, account_id),
            ).fetchone()
            return row

    def list_orders(
        self,
        account_id: str,
        *,
        page: int,
        per_page: int,
        status: str | None,
        date_from: date | None,
        date_to: date | None,
    ) -> tuple[list[sqlite3.Row], int]:
        where = ["account_id = ?"]
        args: list[Any] = [account_id]
        if status is not None:
            where.append("status = ?")
            args.append(status)
        if date_from is not None:
            where.append("created_at >= ?")
            args.append(_day_start_ms(date_from))
        if date_to is not None:
            where.append("created_at < ?")
            args.append(_day_start_ms(date_to + timedelta(days=1)))
        clause = " AND ".join(where)
        with self.lock:
            total = int(
                self._conn.execute(f"SELECT COUNT(*) FROM orders WHERE {clause}", args).fetchone()[
                    0
                ]
            )
            offset = (page - 1) * per_page
            if offset >= total:
                # Past the end: an empty page (and no OFFSET too big for SQLite's integers).
                return [], total
            rows = self._conn.execute(
                f"SELECT * FROM orders WHERE {clause} ORDER BY created_at DESC, seq DESC "
                "LIMIT ? OFFSET ?",
                [*args, per_page, offset],
            ).fetchall()
        return rows, total

    def order_count(self, account_id: str) -> int:
        with self.lock:
            row = self._conn.execute(
                "SELECT COUNT(*) FROM orders WHERE account_id = ?", (account_id,)
            ).fetchone()
        return int(row[0])

    def create_order(
        self,
        account_id: str,
        order: NewOrder,
        *,
        unit_pence: int,
        product_name: str,
        currency: str,
        now_ms: int,
        idempotency_key: str | None,
        body_hash: str,
        orders_per_day: int,
    ) -> CreateResult:
        """Replay, conflict, limit or insert, all in one transaction so it cannot race."""
        day = from_ms(now_ms).date().isoformat()
        with self._tx() as conn:
            if idempotency_key is not None:
                conn.execute(
                    "DELETE FROM idempotency WHERE created_at < ?", (now_ms - IDEMPOTENCY_TTL_MS,)
                )
                seen = conn.execute(
                    "SELECT body_hash, order_id FROM idempotency WHERE account_id = ? AND key = ?",
                    (account_id, idempotency_key),
                ).fetchone()
                if seen is not None:
                    if seen["body_hash"] != body_hash:
                        return CreateResult(conflict=True)
                    row = conn.execute(
                        "SELECT * FROM orders WHERE order_id = ?", (seen["order_id"],)
                    ).fetchone()
                    return CreateResult(order=row, replayed=True)
            used = conn.execute(
                "SELECT count FROM daily_orders WHERE account_id = ? AND day = ?",
                (account_id, day),
            ).fetchone()
            if orders_per_day > 0 and used is not None and used["count"] >= orders_per_day:
                return CreateResult(daily_limited=True)
            order_id = new_id("ord")
            conn.execute(
                INSERT_ORDER,
                (
                    order_id,
                    account_id,
                    "pending",
                    now_ms,
                    now_ms,
                    order.product_id,
                    product_name,
                    order.quantity,
                    order.customer_reference,
                    currency,
                    unit_pence,
                    unit_pence * order.quantity,
                    order.ship_name,
                    order.ship_line1,
                    order.ship_line2,
                    order.ship_city,
                    order.ship_postcode,
                    order.ship_country,
                    new_id("itm"),
                    order.ship_region,
                ),
            )
            conn.execute(
                "INSERT INTO daily_orders VALUES (?, ?, 1) ON CONFLICT (account_id, day) "
                "DO UPDATE SET count = count + 1",
                (account_id, day),
            )
            if idempotency_key is not None:
                conn.execute(
                    "INSERT INTO idempotency VALUES (?, ?, ?, ?, ?)",
                    (account_id, idempotency_key, body_hash, order_id, now_ms),
                )
            row = conn.execute("SELECT * FROM orders WHERE order_id = ?", (order_id,)).fetchone()
            return CreateResult(order=row)


def _day_start_ms(day: date) -> int:
    return to_ms(datetime(day.year, day.month, day.day, tzinfo=from_ms(0).tzinfo))
