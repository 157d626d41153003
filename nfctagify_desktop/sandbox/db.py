"""The sandbox's SQLite store: schema, seed data and every query, behind one lock.

One connection (``check_same_thread=False``) serves the server loop thread and the Python-side
control methods called from test threads; an ``RLock`` keeps each operation atomic. Every call
is short, so doing it directly on the event loop is fine.
"""

from __future__ import annotations

import base64
import random
import secrets
import sqlite3
import threading
import weakref
from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from nfctagify_desktop import sqlite_util
from nfctagify_desktop.sandbox.accounts import ACCOUNTS, DEMO_ACCOUNT_ID, hash_key
from nfctagify_desktop.sandbox.catalogue import (
    CUSTOMERS,
    OVERRIDES,
    PRODUCTS,
    REFERENCE_PREFIXES,
)
from nfctagify_desktop.sandbox.clock import from_ms, to_ms

MINUTE_MS = 60_000
HOUR_MS = 60 * MINUTE_MS
DAY_MS = 24 * HOUR_MS
#: Status progression on the sandbox clock: (status, age at which an order reaches it).
PROGRESSION: tuple[tuple[str, int], ...] = (
    ("delivered", 72 * HOUR_MS),
    ("dispatched", 24 * HOUR_MS),
    ("processing", 10 * MINUTE_MS),
)
_EARLIER = {
    "delivered": ("pending", "processing", "dispatched"),
    "dispatched": ("pending", "processing"),
    "processing": ("pending",),
}
IDEMPOTENCY_TTL_MS = DAY_MS

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS accounts (
    account_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    key_hash TEXT NOT NULL UNIQUE,
    can_write INTEGER NOT NULL,
    data_account TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS products (
    product_id TEXT PRIMARY KEY,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    price_pence INTEGER NOT NULL,
    currency TEXT NOT NULL,
    min_quantity INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS price_overrides (
    account_id TEXT NOT NULL,
    product_id TEXT NOT NULL,
    price_pence INTEGER NOT NULL,
    PRIMARY KEY (account_id, product_id)
);
CREATE TABLE IF NOT EXISTS orders (
    seq INTEGER PRIMARY KEY,
    order_id TEXT NOT NULL UNIQUE,
    account_id TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    product_id TEXT NOT NULL,
    product_name TEXT NOT NULL,
    quantity INTEGER NOT NULL,
    customer_reference TEXT,
    currency TEXT NOT NULL,
    unit_price_pence INTEGER NOT NULL,
    total_pence INTEGER NOT NULL,
    ship_name TEXT NOT NULL,
    ship_line1 TEXT NOT NULL,
    ship_line2 TEXT,
    ship_city TEXT NOT NULL,
    ship_postcode TEXT NOT NULL,
    ship_country TEXT NOT NULL,
    item_id TEXT NOT NULL,
    ship_region TEXT
);
CREATE INDEX IF NOT EXISTS orders_account_created ON orders (account_id, created_at);
CREATE INDEX IF NOT EXISTS orders_account_status_created
    ON orders (account_id, status, created_at);
CREATE TABLE IF NOT EXISTS idempotency (
    account_id TEXT NOT NULL,
    key TEXT NOT NULL,
    body_hash TEXT NOT NULL,
    order_id TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (account_id, key)
);
CREATE TABLE IF NOT EXISTS daily_orders (
    account_id TEXT NOT NULL,
    day TEXT NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (account_id, day)
);
"""

_ORDER_COLUMNS = (
    "order_id, account_id, status, created_at, updated_at, product_id, product_name, quantity, "
    "customer_reference, currency, unit_price_pence, total_pence, ship_name, ship_line1, "
    "ship_line2, ship_city, ship_postcode, ship_country, item_id, ship_region"
)
_INSERT_ORDER = f"INSERT INTO orders ({_ORDER_COLUMNS}) VALUES ({', '.join('?' * 20)})"


def new_id(prefix: str, rng: random.Random | None = None) -> str:
    """``prefix_`` + 12 lower-case base32 characters (60 random bits)."""
    raw = rng.randbytes(8) if rng is not None else secrets.token_bytes(8)
    return prefix + "_" + base64.b32encode(raw).decode("ascii")[:12].lower()


def status_for_age(age_ms: int) -> str:
    for status, threshold in PROGRESSION:
        if age_ms >= threshold:
            return status
    return "pending"


def status_since(status: str, created_ms: int) -> int:
    """When an order reached ``status`` (its ``updated_at``)."""
    for name, threshold in PROGRESSION:
        if name == status:
            return created_ms + threshold
    return created_ms


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
        self._conn.executescript(SCHEMA)
        columns = {r[1] for r in self._conn.execute("PRAGMA table_info(orders)")}
        if "ship_region" not in columns:  # a database written before regions existed
            self._conn.execute("ALTER TABLE orders ADD COLUMN ship_region TEXT")
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
                conn.executemany(_INSERT_ORDER, self._demo_orders(to_ms(now)))
                conn.execute("INSERT INTO meta VALUES ('seeded', ?)", (now.isoformat(),))

    def _demo_orders(self, now_ms: int) -> list[tuple[Any, ...]]:
        """~40 realistic orders over the last 60 days, in all five statuses."""
        rng = random.Random(20260525)
        ages = [rng.randint(4 * DAY_MS, 60 * DAY_MS) for _ in range(30)]
        ages += [rng.randint(25 * HOUR_MS, 70 * HOUR_MS) for _ in range(4)]  # dispatched
        ages += [rng.randint(20 * MINUTE_MS, 20 * HOUR_MS) for _ in range(3)]  # processing
        ages += [rng.randint(1 * MINUTE_MS, 5 * MINUTE_MS) for _ in range(3)]  # pending
        cancelled = set(rng.sample(range(30), 4))
        rows = []
        for index, age in enumerate(sorted(ages, reverse=True)):
            created = now_ms - age
            status = "cancelled" if index in cancelled else status_for_age(age)
            updated = (
                created + rng.randint(HOUR_MS, 6 * HOUR_MS)
                if status == "cancelled"
                else status_since(status, created)
            )
            rows.append(self._seed_row(rng, DEMO_ACCOUNT_ID, created, updated, status, index))
        return rows

    def _seed_row(
        self,
        rng: random.Random,
        account_id: str,
        created: int,
        updated: int,
        status: str,
        index: int,
    ) -> tuple[Any, ...]:
        product = rng.choice(PRODUCTS)
        price = dict(((a, p), v) for a, p, v in OVERRIDES).get(
            (account_id, product.product_id), product.price_pence
        )
        quantity = max(product.min_quantity, rng.choice((1, 5, 10, 25, 50, 100, 250)))
        name, line1, line2, city, postcode = rng.choice(CUSTOMERS)
        year = from_ms(created).year
        reference = (
            None
            if rng.random() < 0.15
            else f"{rng.choice(REFERENCE_PREFIXES)}-{year}-{1000 + index:04d}"
        )
        return (
            new_id("ord", rng),
            account_id,
            status,
            created,
            updated,
            product.product_id,
            product.name,
            quantity,
            reference,
            product.currency,
            price,
            price * quantity,
            name,
            line1,
            line2,
            city,
            postcode,
            "GB",
            new_id("itm", rng),
            None,
        )

    def seed_orders(self, account_id: str, count: int, now_ms: int, days: int) -> None:
        """Bulk-insert ``count`` orders over the last ``days`` days, in one transaction."""
        rng = random.Random()
        span = max(1, days * DAY_MS)

        def rows() -> Iterator[tuple[Any, ...]]:
            for index in range(count):
                created = now_ms - rng.randrange(span)
                status = "cancelled" if rng.random() < 0.05 else status_for_age(now_ms - created)
                updated = created if status == "cancelled" else status_since(status, created)
                yield self._seed_row(rng, account_id, created, updated, status, index)

        with self._tx() as conn:
            conn.executemany(_INSERT_ORDER, rows())

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
                earlier = _EARLIER[status]
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
                _INSERT_ORDER,
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
