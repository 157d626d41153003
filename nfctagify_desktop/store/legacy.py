"""Files earlier versions left in the data folder that nothing reads any more.

Versions before the per-account order mirror kept every profile's orders in one
``orders.sqlite3``. The mirror replaced it; the file can be large, so it is removed at start-up
rather than left behind. Its orders come back with the first sync, which reports no status
changes for them (a new mirror has nothing to compare with).
"""

from __future__ import annotations

import logging
from pathlib import Path

log = logging.getLogger(__name__)

OLD_ORDER_CACHE = "orders.sqlite3"
_SUFFIXES = ("", "-wal", "-shm", ".bad", "-wal.bad", "-shm.bad")


def discard_old_order_cache(directory: Path | None = None) -> list[Path]:
    """Remove the old order cache (and its WAL files) from ``directory`` (default: the data
    folder); return what was removed. A file another process holds stays until next time."""
    if directory is None:
        from nfctagify_desktop.paths import data_dir

        directory = data_dir()
    removed: list[Path] = []
    for suffix in _SUFFIXES:
        path = directory / (OLD_ORDER_CACHE + suffix)
        try:
            path.unlink()
        except FileNotFoundError:
            continue
        except OSError as exc:  # e.g. still open in an older copy of the app (Windows)
            log.info("old order cache %s not removed: %s", path.name, exc)
            continue
        removed.append(path)
    if removed:
        log.info("removed the old order cache (%d files)", len(removed))
    return removed


__all__ = ["OLD_ORDER_CACHE", "discard_old_order_cache"]
