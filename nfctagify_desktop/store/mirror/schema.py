"""The mirror's SQLite schema: one file per account, a column per sortable field, FTS5 search.

Every sortable column has an index ``(column, created_at, status)``, so a page in any order,
with or without a status filter, is an index walk, not a sort of 100,000 rows. Text columns
sort without case (``NOCASE``). The FTS5 table is an external-content index over the orders
table (kept in step by triggers) with the trigram tokenizer, so any three or more
characters find an order by substring, as people search ("PO-10", "smith", "EC1A").
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Final

SCHEMA_VERSION: Final = 1

#: Sort keys the views may ask for, and the SQL expression each sorts by.
SORT_COLUMNS: Final[dict[str, str]] = {
    "order_id": "order_id",
    "created_at": "created_at",
    "status": "status",
    "product": "product",
    "quantity": "quantity",
    "total": "total_num",
    "reference": "reference",
    "recipient": "recipient",
    "city": "city",
    "postcode": "postcode",
}

#: Columns of a row as the views get them (``OrderRow``), in this order.
ROW_COLUMNS: Final = (
    "order_id",
    "created_at",
    "status",
    "product",
    "quantity",
    "total",
    "currency",
    "reference",
    "recipient",
    "city",
    "postcode",
    "updated_at",
    "unseen",
)

#: Fields the search box looks through (the FTS5 table's columns).
SEARCH_COLUMNS: Final = ("order_id", "reference", "recipient", "product", "city", "postcode")

_INDEXES = "\n".join(
    # The status in the index lets a status filter be checked without reading the row.
    f"CREATE INDEX IF NOT EXISTS by_{key} ON orders ({col}, created_at, status);"
    for key, col in SORT_COLUMNS.items()
    if key not in ("created_at", "status")
)

SCHEMA: Final = f"""
CREATE TABLE IF NOT EXISTS orders (
    rid INTEGER PRIMARY KEY,
    order_id TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT,
    product TEXT NOT NULL DEFAULT '' COLLATE NOCASE,
    quantity INTEGER,
    total TEXT,
    total_num REAL,
    currency TEXT,
    reference TEXT NOT NULL DEFAULT '' COLLATE NOCASE,
    recipient TEXT NOT NULL DEFAULT '' COLLATE NOCASE,
    city TEXT NOT NULL DEFAULT '' COLLATE NOCASE,
    postcode TEXT NOT NULL DEFAULT '' COLLATE NOCASE,
    unseen INTEGER NOT NULL DEFAULT 0,
    fetched_at TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS by_created_at ON orders (created_at, status);
CREATE INDEX IF NOT EXISTS by_status ON orders (status, created_at);
CREATE INDEX IF NOT EXISTS unseen ON orders (rid) WHERE unseen = 1;
-- A search's counts look up each match's status and date: here, not in the wide rows (3x).
CREATE INDEX IF NOT EXISTS by_rid_status ON orders (rid, status, created_at);
{_INDEXES}
CREATE VIRTUAL TABLE IF NOT EXISTS orders_fts USING fts5(
    {", ".join(SEARCH_COLUMNS)}, content='orders', content_rowid='rid', tokenize='trigram'
);
CREATE TRIGGER IF NOT EXISTS orders_ai AFTER INSERT ON orders BEGIN
    INSERT INTO orders_fts (rowid, {", ".join(SEARCH_COLUMNS)})
    VALUES (new.rid, {", ".join("new." + c for c in SEARCH_COLUMNS)});
END;
CREATE TRIGGER IF NOT EXISTS orders_ad AFTER DELETE ON orders BEGIN
    INSERT INTO orders_fts (orders_fts, rowid, {", ".join(SEARCH_COLUMNS)})
    VALUES ('delete', old.rid, {", ".join("old." + c for c in SEARCH_COLUMNS)});
END;
CREATE TRIGGER IF NOT EXISTS orders_au AFTER UPDATE OF {", ".join(SEARCH_COLUMNS)} ON orders
BEGIN
    INSERT INTO orders_fts (orders_fts, rowid, {", ".join(SEARCH_COLUMNS)})
    VALUES ('delete', old.rid, {", ".join("old." + c for c in SEARCH_COLUMNS)});
    INSERT INTO orders_fts (rowid, {", ".join(SEARCH_COLUMNS)})
    VALUES (new.rid, {", ".join("new." + c for c in SEARCH_COLUMNS)});
END;
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
PRAGMA user_version = {SCHEMA_VERSION};
"""


def ts(value: datetime) -> str:
    """Fixed-width UTC text, so that string order is time order in SQL."""
    if value.tzinfo is not None and value.utcoffset():
        value = value.astimezone(UTC)
    return value.replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def from_ts(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


def day_start(value: date) -> str:
    """The first instant of a UTC day (the API's ``from``/``to`` are UTC dates)."""
    if isinstance(value, datetime):
        return ts(value)
    return ts(datetime(value.year, value.month, value.day, tzinfo=UTC))


def day_end_exclusive(value: date) -> str:
    """The first instant after a UTC day: ``to`` is inclusive, like the API's."""
    if isinstance(value, datetime):
        return ts(value + timedelta(microseconds=1))
    return ts(datetime(value.year, value.month, value.day, tzinfo=UTC) + timedelta(days=1))
