"""Files of earlier versions: the old single-file order cache goes, whatever state it is in."""

from __future__ import annotations

from pathlib import Path

from nfctagify_desktop.store.legacy import OLD_ORDER_CACHE, discard_old_order_cache


def test_the_old_order_cache_and_its_companions_are_removed(tmp_path: Path) -> None:
    names = [OLD_ORDER_CACHE + s for s in ("", "-wal", "-shm", ".bad")]
    for name in names:
        (tmp_path / name).write_bytes(b"\0" * 64)
    (tmp_path / "outbox.sqlite3").write_bytes(b"keep")
    removed = discard_old_order_cache(tmp_path)
    assert sorted(p.name for p in removed) == sorted(names)
    assert not any((tmp_path / name).exists() for name in names)
    assert (tmp_path / "outbox.sqlite3").read_bytes() == b"keep"  # only the old cache goes
    assert discard_old_order_cache(tmp_path) == []  # nothing left: nothing to do


def test_a_cache_that_cannot_be_removed_is_left_and_start_up_goes_on(tmp_path: Path) -> None:
    """Held by something else (on Windows, an older copy of the app still running): it stays
    until a later start, and nothing fails."""
    stuck = tmp_path / OLD_ORDER_CACHE
    stuck.mkdir()  # unlink() refuses a directory, as Windows refuses an open file
    (tmp_path / (OLD_ORDER_CACHE + "-wal")).write_bytes(b"x")
    removed = discard_old_order_cache(tmp_path)
    assert [p.name for p in removed] == [OLD_ORDER_CACHE + "-wal"]
    assert stuck.exists()
