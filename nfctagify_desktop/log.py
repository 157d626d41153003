"""Logging set-up: a rotating log file, warnings captured, and secrets masked everywhere.

Qt-free: the app installs its Qt message handler itself. Every handler installed here gets a
:class:`RedactingFilter`, so an API key that slips into a message, an exception text or a
traceback never reaches the disk. ``redact()`` is the same masking as a pure function, for the
"Copy support details" feature.
"""

from __future__ import annotations

import logging
import logging.handlers
import re
import sys
import threading
from pathlib import Path

from nfctagify_desktop.paths import log_dir

LOG_FILE_NAME = "nfctagify-desktop.log"
LOG_MAX_BYTES = 1_000_000
LOG_BACKUP_COUNT = 3
LOG_FORMAT = "%(asctime)s %(levelname)-7s %(name)s [%(threadName)s] %(message)s"

REDACTED = "…redacted"
#: Shorter strings are not registered: masking "abc" everywhere would wreck the log.
MIN_SECRET_LENGTH = 6

_secrets: set[str] = set()
_secrets_lock = threading.Lock()

# Partner keys look like ntk_<...> (the sandbox uses ntk_sandbox_<hex>).
_API_KEY_RE = re.compile(r"ntk_[A-Za-z0-9_]+")
_BEARER_RE = re.compile(r"(?i)\b(bearer)(\s+)[A-Za-z0-9\-._~+/]+=*")
# "X-API-Key: abc", "api_key=abc", '"authorization": "Basic abc"' and the like.
_HEADER_RE = re.compile(
    r"""(?ix)
    \b(x-api-key|api[_-]?key|authorization|access[_-]?token|password)
    (["']?\s*[:=]\s*["']?)
    (?!bearer\b)(?:basic\s+)?
    ([^\s"',;}&]+)
    """
)
# Marks handlers installed by setup_logging, so a second call replaces rather than doubles them.
_OUR_HANDLER = "_nfctagify_handler"


def register_secret(value: str | None) -> None:
    """Mask ``value`` in every log line from now on (the app calls this with each API key)."""
    if value is None:
        return
    value = value.strip()
    if len(value) >= MIN_SECRET_LENGTH:
        with _secrets_lock:
            _secrets.add(value)


def unregister_all_secrets() -> None:
    """Forget registered secrets (tests)."""
    with _secrets_lock:
        _secrets.clear()


def redact(text: str) -> str:
    """``text`` with registered secrets, bearer tokens and API-key-like strings masked."""
    with _secrets_lock:
        known = sorted(_secrets, key=len, reverse=True)
    for secret in known:  # longest first: one secret may contain another
        if secret in text:
            text = text.replace(secret, REDACTED)
    text = _BEARER_RE.sub(lambda m: f"{m.group(1)}{m.group(2)}{REDACTED}", text)
    text = _HEADER_RE.sub(lambda m: f"{m.group(1)}{m.group(2)}{REDACTED}", text)
    return _API_KEY_RE.sub("ntk_" + REDACTED, text)


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
