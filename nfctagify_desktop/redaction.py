"""The one place that removes API keys from text, and decides what a usable key looks like.

Every text that comes from a server or an exception passes :func:`redact` before it reaches a
banner, a dialog, the outbox, the log, support details or an exception's str/repr. A server or
proxy that echoes the key may do so as-is, JSON-escaped, Python-repr'd, URL-encoded or
HTML-escaped, so each registered key is masked in all of those forms. Pure Python, no Qt.
"""

from __future__ import annotations

import html
import json
import os
import re
import threading
from collections.abc import Iterable
from urllib.parse import quote, quote_plus

REDACTED = "…redacted"
#: Shorter strings are not registered: masking "abc" everywhere would wreck every text.
MIN_SECRET_LENGTH = 6

_lock = threading.Lock()
_secrets: set[str] = set()
_pattern: re.Pattern[str] | None = None

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


class InvalidApiKeyError(ValueError):
    """The key cannot be sent as typed. The message never contains the key."""


#: Shown for any refused key; deliberately says nothing about the key's content.
INVALID_KEY_MESSAGE = (
    "The API key contains a character no key has (a line break, tab, space, or an invisible "
    "or non-ASCII character inside it). Copy the key again from the Partner Portal and paste it."
)


def looks_like_key(text: str) -> bool:
    """Whether ``text`` is shaped like a partner API key (e.g. typed in the wrong field)."""
    return _API_KEY_RE.fullmatch(text.strip()) is not None


def clean_api_key(raw: str) -> str:
    """The key without surrounding whitespace (a pasted CR/LF/TAB); refuse anything else odd.

    Keys are printable ASCII without spaces: an inner control character would corrupt the
    Authorization header, and httpx's error for it would quote the key.

    Raises:
        InvalidApiKeyError: with :data:`INVALID_KEY_MESSAGE`, never the key.
    """
    key = raw.strip()
    if any(not ("\x21" <= ch <= "\x7e") for ch in key):
        raise InvalidApiKeyError(INVALID_KEY_MESSAGE)
    return key


def _forms(secret: str) -> set[str]:
    """The ways a secret may be written inside another text."""
    json_escaped = json.dumps(secret, ensure_ascii=False)[1:-1]
    forms = {
        secret,
        json_escaped,
        json.dumps(json_escaped, ensure_ascii=False)[1:-1],  # JSON inside JSON
        json.dumps(secret)[1:-1],
        repr(secret)[1:-1],
        secret.encode("unicode_escape").decode("ascii"),
        quote(secret, safe=""),
        quote_plus(secret, safe=""),
        quote(secret),
        html.escape(secret),
    }
    return {f for f in forms if len(f) >= MIN_SECRET_LENGTH}


def _compile(secrets: Iterable[str]) -> re.Pattern[str] | None:
    forms: set[str] = set()
    for secret in secrets:
        forms |= _forms(secret)
    if not forms:
        return None
    # Longest first: one form may contain another. IGNORECASE covers %2f vs %2F.
    alternatives = sorted(forms, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, alternatives)), re.IGNORECASE)


def register_secret(value: str | None) -> None:
    """Mask ``value`` (in all its written forms) in every :func:`redact` from now on."""
    global _pattern
    if value is None:
        return
    value = value.strip()
    if len(value) < MIN_SECRET_LENGTH:
        return
    with _lock:
        if value in _secrets:
            return
        _secrets.add(value)
        _pattern = _compile(_secrets)


def unregister_all_secrets() -> None:
    """Forget registered secrets (tests)."""
    global _pattern
    with _lock:
        _secrets.clear()
        _pattern = None


#: The key the app was started with in $NFCTAGIFY_API_KEY, once taken out of the environment.
_env_key: str | None = None


def take_env_key(name: str = "NFCTAGIFY_API_KEY") -> None:
    """Move the key out of this process's environment into memory (and into the redaction).

    Whatever the app starts later (the sandbox, a file manager for "Open log folder", a
    notification helper) inherits the environment; the key must not go with it. Kept here,
    beside the redaction, because the first-paint path may import nothing heavier.
    """
    global _env_key
    value = os.environ.pop(name, None)
    if value is not None:
        _env_key = value
        register_secret(value)


def taken_env_key() -> str | None:
    return _env_key


def redact(text: str, extra: Iterable[str | None] = ()) -> str:
    """``text`` with registered and ``extra`` secrets, bearer tokens and key-like strings masked."""
    with _lock:
        pattern = _pattern
    more = [s.strip() for s in extra if s and len(s.strip()) >= MIN_SECRET_LENGTH]
    if more:
        extra_pattern = _compile(more)
        if extra_pattern is not None:
            text = extra_pattern.sub(REDACTED, text)
    if pattern is not None:
        text = pattern.sub(REDACTED, text)
    text = _BEARER_RE.sub(lambda m: f"{m.group(1)}{m.group(2)}{REDACTED}", text)
    text = _HEADER_RE.sub(lambda m: f"{m.group(1)}{m.group(2)}{REDACTED}", text)
    return _API_KEY_RE.sub("ntk_" + REDACTED, text)


def redact_optional(text: str | None) -> str | None:
    """:func:`redact` for fields that may be empty."""
    return None if text is None else redact(text)
