"""The local mirror of an account's orders: paging, sorting, filters, counts and search.

Qt-free and pydantic-free (``records`` excepted, which the sync side uses): the first paint
reads the mirror before the network stack is imported.
"""

from __future__ import annotations

from pathlib import Path

from nfctagify_desktop.store.mirror.query import (
    DEFAULT_SORT,
    MirrorPage,
    MirrorQuery,
    OrderRow,
)
from nfctagify_desktop.store.mirror.schema import SORT_COLUMNS
from nfctagify_desktop.store.mirror.state import SyncState
from nfctagify_desktop.store.mirror.store import MirrorRecord, OrderMirror, StatusChange

MIRROR_DIR = "mirror"


def mirror_path(slug: str, directory: Path | None = None) -> Path:
    """Where an account's mirror lives: ``data_dir()/mirror/<slug>.sqlite3``."""
    if directory is None:
        from nfctagify_desktop.paths import data_dir

        directory = data_dir() / MIRROR_DIR
    directory.mkdir(parents=True, exist_ok=True)
    return directory / f"{slug}.sqlite3"


def open_mirror(slug: str, key: str, directory: Path | None = None) -> OrderMirror:
    """The mirror of the account with this ``slug``/``key`` (``AccountId.slug``/``.key``)."""
    return OrderMirror(mirror_path(slug, directory), key)


__all__ = [
    "DEFAULT_SORT",
    "SORT_COLUMNS",
    "MirrorPage",
    "MirrorQuery",
    "MirrorRecord",
    "OrderMirror",
    "OrderRow",
    "StatusChange",
    "SyncState",
    "mirror_path",
    "open_mirror",
]
