"""Logging: the file handler, warning capture, and secrets masked in every line."""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from nfctagify_desktop.log import (
    LOG_BACKUP_COUNT,
    LOG_MAX_BYTES,
    REDACTED,
    RedactingFilter,
    redact,
    register_secret,
    setup_logging,
    teardown_logging,
    unregister_all_secrets,
)

KEY = "ntk_live_SuperSecret_0123456789"
CUSTOM = "plain-secret-without-prefix-77"


@pytest.fixture(autouse=True)
def _clean_logging() -> Iterator[None]:
    root = logging.getLogger()
    level = root.level
    unregister_all_secrets()
    yield
    teardown_logging()  # closes the file handler (filterwarnings=error: no ResourceWarning)
    root.setLevel(level)
    unregister_all_secrets()


def read_log(path: Path) -> str:
    for handler in logging.getLogger().handlers:
        handler.flush()
    return path.read_text(encoding="utf-8")


def test_default_location_and_rotation(app_dirs: Path) -> None:
    path = setup_logging()
    assert path == app_dirs / "log" / "nfctagify-desktop.log"
    ours = [h for h in logging.getLogger().handlers if getattr(h, "_nfctagify_handler", False)]
    files = [h for h in ours if isinstance(h, logging.handlers.RotatingFileHandler)]
    assert len(files) == 1
    assert (files[0].maxBytes, files[0].backupCount) == (LOG_MAX_BYTES, LOG_BACKUP_COUNT)
    assert all(any(isinstance(f, RedactingFilter) for f in h.filters) for h in ours)
    logging.getLogger("nfctagify_desktop.test").info("hello")
    assert "hello" in read_log(path)


def test_setup_twice_does_not_duplicate(tmp_path: Path) -> None:
    path = setup_logging(log_file=tmp_path / "a.log")
    setup_logging(log_file=path)
    logging.getLogger("x").warning("once")
    assert read_log(path).count("once") == 1


def test_file_has_no_secrets(tmp_path: Path) -> None:
    path = setup_logging(level=logging.DEBUG, log_file=tmp_path / "app.log")
    register_secret(CUSTOM)
    logger = logging.getLogger("nfctagify_desktop.api")
    logger.debug("sending headers %s", {"Authorization": f"Bearer {KEY}"})
    logger.info("key is %s and custom %s", KEY, CUSTOM)
    logger.info("curl -H 'X-API-Key: abc123def456' -H 'authorization: Bearer eyJhbGciOi.x.y'")
    try:
        raise RuntimeError(f"failed with {KEY} / {CUSTOM}")
    except RuntimeError:
        logger.exception("request failed")
    logger.info("stack here %s", KEY, stack_info=True)
    text = read_log(path)
    for secret in (KEY, CUSTOM, "abc123def456", "eyJhbGciOi", "SuperSecret"):
        assert secret not in text, secret
    assert "ntk_" + REDACTED in text
    assert "Bearer " + REDACTED in text
    assert "Traceback" in text
    assert "request failed" in text


def test_warnings_are_captured(tmp_path: Path) -> None:
    path = setup_logging(log_file=tmp_path / "app.log")
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        warnings.warn(f"deprecated thing {KEY}", UserWarning, stacklevel=1)
    text = read_log(path)
    assert "deprecated thing" in text
    assert KEY not in text


def test_redact_pure_function() -> None:
    register_secret(CUSTOM)
    register_secret("short")  # too short to register: would mask ordinary words
    register_secret(None)
    text = f"key={KEY} other {CUSTOM} Authorization: Bearer abc.def-ghi_jkl~ short ok"
    out = redact(text)
    assert KEY not in out
    assert CUSTOM not in out
    assert "abc.def" not in out
    assert "short ok" in out
    assert redact("nothing to hide: order ord_123 for REF-9") == (
        "nothing to hide: order ord_123 for REF-9"
    )
    assert redact('{"api_key": "zzz-secret-zzz"}') == '{"api_key": "' + REDACTED + '"}'


def test_bad_format_args_do_not_break_the_filter() -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "%d items", ("x",), None)
    assert RedactingFilter().filter(record) is True
