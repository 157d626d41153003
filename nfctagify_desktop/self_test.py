"""What the self-test reports: one line per result, printed and logged, and where this run keeps
its keys, data and logs and how it notifies (so a packaged build proves what it carries)."""

from __future__ import annotations

import logging
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nfctagify_desktop.services.container import Services
    from nfctagify_desktop.ui.main_window import MainWindow

log = logging.getLogger("nfctagify.app")


def report(line: str, *, error: bool = False) -> None:
    """A self-test result: printed, and logged too, because a windowed Windows build has no
    console (sys.stdout is None there and print() is silently dropped)."""
    print(line, file=sys.stderr if error else sys.stdout, flush=True)
    (log.error if error else log.info)("%s", line)


def where_things_are(services: Services, window: MainWindow) -> str:
    """Which keyring backend, per-user folders and notification channel this run uses: a
    packaged build proves with it that the OS keyring backend (Credential Manager on Windows),
    platformdirs, desktop-notifier's OS backend and the system tray were bundled and found."""
    from nfctagify_desktop.paths import data_dir, log_dir

    keys = services.keys
    usable = "usable" if keys.backend_available() else "NOT usable"
    where = f"data {data_dir()}; logs {log_dir()}"
    fallback = "system tray" if window.notifier.tray is not None else "status bar"
    notices = f"{_notification_backend_name()}, else {fallback}"
    return f"self-test: keyring {keys.backend_name()} ({usable}); {where}; notifications: {notices}"


def _notification_backend_name() -> str:
    """desktop-notifier's backend for this OS (imported, not started: no notification shown)."""
    try:
        from desktop_notifier.main import get_backend_class

        return get_backend_class().__name__
    except Exception as exc:  # a missing platform module in a packaged build
        return f"no native notifications ({type(exc).__name__}: {exc})"
