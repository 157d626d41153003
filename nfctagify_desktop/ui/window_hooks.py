"""Process-wide hooks around the main window: unexpected errors and closing signals."""

from __future__ import annotations

import logging
import signal
import sys
import traceback
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING

from nfctagify_desktop.redaction import redact

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMainWindow, QWidget

log = logging.getLogger("nfctagify.app")


def install_excepthook(window_getter: Callable[[], QMainWindow | None]) -> None:
    """qasync sends the errors of async slots to sys.excepthook: log, tell, carry on."""

    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        log.error("unhandled error:\n%s", "".join(traceback.format_exception(exc_type, exc, tb)))
        window = window_getter()
        if window is not None:
            # The log is masked by its filter; the status bar is masked here.
            text = redact(f"Unexpected error: {exc_type.__name__}: {exc}")
            window.statusBar().showMessage(f"{text} (details in the log file)", 15000)

    sys.excepthook = hook


def close_on_signals(window: QWidget) -> None:
    """Ctrl+C in a terminal or SIGTERM (log-out) closes the window cleanly, like the close box:
    pending work is cancelled and drafts are already in the outbox. A 250 ms no-op timer lets
    Python run the handler while Qt's loop is idle."""
    from PySide6.QtCore import QTimer

    def handler(signum: int, frame: object) -> None:
        QTimer.singleShot(0, window.close)

    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, handler)
    wake = QTimer(window)
    wake.timeout.connect(lambda: None)
    wake.start(250)


__all__ = ["close_on_signals", "install_excepthook"]
