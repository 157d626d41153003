"""The SQLite set-up every store here shares: one connection used from several threads.

Each store (sandbox DB, outbox, order mirror) keeps one connection guarded by its own lock;
``isolation_level=None`` because we issue BEGIN/COMMIT ourselves, and WAL so readers never
wait for the writer.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def connect(path: str | Path) -> sqlite3.Connection:
    """A connection usable from any thread (callers serialise with a lock), WAL mode."""
    conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None, timeout=10.0)
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
    except BaseException:
        conn.close()
        raise
    return conn


@contextmanager
def transaction(
    conn: sqlite3.Connection, lock: threading.Lock | threading.RLock
) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE … COMMIT under ``lock``; ROLLBACK on any exception."""
    with lock:
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
