"""Logging set-up: a rotating log file, warnings captured, and secrets masked everywhere.

Qt-free: the app installs its Qt message handler itself. Every handler installed here gets a
:class:`RedactingFilter`, so an API key that slips into a message, an exception text or a
traceback never reaches the disk. The masking itself is :func:`nfctagify_desktop.redaction.redact`,
the same function every banner, dialog and support text goes through.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
from pathlib import Path

from nfctagify_desktop.paths import log_dir
from nfctagify_desktop.redaction import (
    MIN_SECRET_LENGTH,
    REDACTED,
    redact,
    register_secret,
    unregister_all_secrets,
)

__all__ = [
    "MIN_SECRET_LENGTH",
    "REDACTED",
    "RedactingFilter",
    "redact",
    "register_secret",
    "setup_logging",
    "teardown_logging",
    "unregister_all_secrets",
]

LOG_FILE_NAME = "nfctagify-desktop.log"
LOG_MAX_BYTES = 1_000_000
LOG_BACKUP_COUNT = 3
LOG_FORMAT = "%(asctime)s %(levelname)-7s %(name)s [%(threadName)s] %(message)s"

# Marks handlers installed by setup_logging, so a second call replaces rather than doubles them.
_OUR_HANDLER = "_nfctagify_handler"


class RedactingFilter(logging.Filter):
    """Rewrites each record's message, exception text and stack with :func:`redact`.

    Attached to handlers (not loggers) so records propagated from any logger are covered.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad %-format: let the handler report it as usual
            return True
        clean = redact(message)
        if clean != message:
            record.msg = clean
            record.args = None
        if record.exc_info and not record.exc_text:
            # Format the traceback now so the formatter uses our redacted copy (exc_text).
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


def setup_logging(level: int = logging.INFO, log_file: Path | None = None) -> Path:
    """Log to a rotating file (1 MB × 3) and stderr when there is one; returns the file's path.

    Safe to call twice: handlers from an earlier call are closed and replaced.
    """
    path = log_file if log_file is not None else log_dir() / LOG_FILE_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    root = logging.getLogger()
    teardown_logging()

    formatter = logging.Formatter(LOG_FORMAT)
    handlers: list[logging.Handler] = [
        logging.handlers.RotatingFileHandler(
            path, maxBytes=LOG_MAX_BYTES, backupCount=LOG_BACKUP_COUNT, encoding="utf-8"
        )
    ]
    # A windowed PyInstaller build has no stderr (sys.stderr is None).
    if sys.stderr is not None:
        console = logging.StreamHandler(sys.stderr)
        # The console is for problems; the file keeps the full story.
        console.setLevel(level if level <= logging.DEBUG else logging.WARNING)
        handlers.append(console)
    for handler in handlers:
        handler.setFormatter(formatter)
        handler.addFilter(RedactingFilter())
        setattr(handler, _OUR_HANDLER, True)
        root.addHandler(handler)
    root.setLevel(level)
    # httpx logs every request at INFO; our client logs them once, with timings.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.captureWarnings(True)
    return path


def teardown_logging() -> None:
    """Close and remove the handlers ``setup_logging`` installed; stop capturing warnings."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, _OUR_HANDLER, False):
            root.removeHandler(handler)
            handler.close()
    logging.captureWarnings(False)
