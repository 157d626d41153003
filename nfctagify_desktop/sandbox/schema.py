"""The sandbox database's tables, the column order of an order row, and its ids."""

from __future__ import annotations

import base64
import random
import secrets
import sqlite3

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

ORDER_COLUMNS = (
    "order_id, account_id, status, created_at, updated_at, product_id, product_name, quantity, "
    "customer_reference, currency, unit_price_pence, total_pence, ship_name, ship_line1, "
    "ship_line2, ship_city, ship_postcode, ship_country, item_id, ship_region"
)
INSERT_ORDER = f"INSERT INTO orders ({ORDER_COLUMNS}) VALUES ({', '.join('?' * 20)})"


def migrate(conn: sqlite3.Connection) -> None:
    """Create missing tables; bring a database written by an older sandbox up to date."""
    conn.executescript(SCHEMA)
    columns = {r[1] for r in conn.execute("PRAGMA table_info(orders)")}
    if "ship_region" not in columns:  # written before regions existed
        conn.execute("ALTER TABLE orders ADD COLUMN ship_region TEXT")


def new_id(prefix: str, rng: random.Random | None = None) -> str:
    """``prefix_`` + 12 lower-case base32 characters (60 random bits)."""
    raw = rng.randbytes(8) if rng is not None else secrets.token_bytes(8)
    return prefix + "_" + base64.b32encode(raw).decode("ascii")[:12].lower()
