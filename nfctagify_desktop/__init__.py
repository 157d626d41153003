"""NFC Tagify Desktop: order NFC business cards and follow them through the Partner API."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("nfctagify-desktop")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.1.0"

APP_NAME = "NFC Tagify Desktop"
APP_ID = "nfctagify-desktop"
