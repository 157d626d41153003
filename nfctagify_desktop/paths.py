"""Per-user directories, overridable with NFCTAGIFY_HOME (tests, portable installs)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from nfctagify_desktop import APP_ID


def _root() -> Path | None:
    home = os.environ.get("NFCTAGIFY_HOME")
    return Path(home) if home else None


def _dir(kind: str) -> Path:
    root = _root()
    if root is not None:
        path = root / kind
    else:
        import platformdirs

        getter = {
            "config": platformdirs.user_config_path,
            "data": platformdirs.user_data_path,
            "cache": platformdirs.user_cache_path,
            "log": platformdirs.user_log_path,
        }[kind]
        path = getter(APP_ID, appauthor=False)
    path.mkdir(parents=True, exist_ok=True)
    return path


def config_dir() -> Path:
    return _dir("config")


def data_dir() -> Path:
    return _dir("data")


def cache_dir() -> Path:
    return _dir("cache")


def log_dir() -> Path:
    return _dir("log")


def resource_path(name: str) -> Path:
    """A file under resources/, in a source tree and inside a PyInstaller bundle."""
    base = getattr(sys, "_MEIPASS", None)
    if base:
        return Path(base) / "resources" / name
    return Path(__file__).resolve().parent.parent / "resources" / name
