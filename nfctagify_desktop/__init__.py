"""NFC Tagify Desktop: order NFC business cards and follow them through the Partner API."""

from __future__ import annotations

APP_NAME = "NFC Tagify Desktop"
APP_ID = "nfctagify-desktop"


def __getattr__(name: str) -> str:
    """``__version__`` on first use: importlib.metadata costs ~80 ms, not worth the first paint."""
    if name != "__version__":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        value = version("nfctagify-desktop")
    except PackageNotFoundError:  # running from a source tree that was never installed
        value = "0.1.0"
    globals()["__version__"] = value
    return value
