"""Which account the window opens on, read before pydantic or the keyring is loaded.

The first paint shows the last known orders of the account the app is about to connect to.
This reads ``settings.json`` with the json module only (the full, validated settings are read
right after the paint); anything it cannot read means the built-in sandbox, as the real
loader does, or no account at all (nothing is painted from a mirror then).
"""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from nfctagify_desktop.store.account import SANDBOX_ORIGIN, AccountId

if TYPE_CHECKING:
    from nfctagify_desktop.api.first_page import FirstPageFetch

SANDBOX_NAME = "Sandbox"
SETTINGS_FILE_NAME = "settings.json"


def startup_account(
    *,
    sandbox: bool = False,
    profile: str | None = None,
    base_url: str | None = None,
    settings_path: Path | None = None,
) -> AccountId | None:
    """The account of this run, as the command line and the settings file say.

    None when it cannot be known without the full loader (e.g. a URL that needs checking).
    """
    if sandbox:
        return AccountId(SANDBOX_NAME, SANDBOX_ORIGIN)
    if base_url:
        return _account("Command line", base_url)
    if settings_path is None:
        from nfctagify_desktop.paths import config_dir

        settings_path = config_dir() / SETTINGS_FILE_NAME
    try:
        data = json.loads(settings_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return AccountId(SANDBOX_NAME, SANDBOX_ORIGIN)
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    name = profile or data.get("active_profile") or SANDBOX_NAME
    for entry in data.get("profiles") or []:
        if isinstance(entry, dict) and str(entry.get("name", "")).strip() == name:
            if entry.get("kind") == "sandbox":
                return AccountId(name, SANDBOX_ORIGIN)
            return _account(name, str(entry.get("base_url") or ""))
    return AccountId(SANDBOX_NAME, SANDBOX_ORIGIN) if name == SANDBOX_NAME else None


def _saved(name: str, settings_path: Path | None) -> object:
    """One top-level value of settings.json, or None (missing file, bad JSON, no such key)."""
    if settings_path is None:
        from nfctagify_desktop.paths import config_dir

        settings_path = config_dir() / SETTINGS_FILE_NAME
    try:
        data = json.loads(settings_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data.get(name) if isinstance(data, dict) else None


def startup_theme(settings_path: Path | None = None) -> str:
    """The saved Theme setting ("system" when unknown); the full loader checks it later."""
    value = _saved("theme", settings_path)
    return value if isinstance(value, str) and value else "system"


#: The orders table's remembered sort field (``Sort.text()``) as the mirror's sort key.
_SORT_KEYS = {"created": "created_at"}
_SORTABLE = {"order_id", "created", "status", "product", "quantity", "total", "reference"}


def startup_orders_view(settings_path: Path | None = None) -> tuple[int, str, bool]:
    """(orders per page, mirror sort key, descending) as the Orders tab will show them."""
    per_page = _saved("orders_per_page", settings_path)
    if not isinstance(per_page, int) or not 1 <= per_page <= 100:
        per_page = 20
    text = _saved("orders_sort", settings_path)
    name, _, direction = (text if isinstance(text, str) else "").partition(":")
    if name not in _SORTABLE | {"recipient"}:
        return per_page, "created_at", True
    return per_page, _SORT_KEYS.get(name, name), direction != "asc"


def _profile_entry(name: str, settings_path: Path | None) -> dict[str, object]:
    profiles = _saved("profiles", settings_path)
    for entry in profiles if isinstance(profiles, list) else []:
        if isinstance(entry, dict) and str(entry.get("name", "")).strip() == name:
            return entry
    return {}


def early_orders(
    account: AccountId | None, *, per_page: int, settings_path: Path | None = None
) -> FirstPageFetch | None:
    """The request for the account's newest orders, if it can be made as the client would.

    For a real account whose profile trusts no extra CA bundle, with no proxy set. With the
    key the app was given in its environment it is started at once; otherwise the request
    looks the profile's key up in the keyring first (through the keyring's one worker, so one
    unlock prompt serves both it and the client) and must be started after the paint.
    None means the client asks after the paint, as always.
    """
    from nfctagify_desktop.api.first_page import FirstPageFetch, proxy_configured
    from nfctagify_desktop.redaction import InvalidApiKeyError, clean_api_key, taken_env_key

    if account is None or account.is_sandbox or proxy_configured():
        return None
    entry = _profile_entry(account.profile, settings_path)
    if entry.get("ca_bundle"):
        return None
    try:
        key = clean_api_key(taken_env_key() or "")
    except InvalidApiKeyError:
        return None
    if key:
        fetch = FirstPageFetch(account.base_url, key, per_page)
        fetch.start()
        return fetch
    if not entry:  # --base-url without a key in the environment: nothing to look up
        return None
    return FirstPageFetch(account.base_url, partial(_keyring_key, account.profile), per_page)


def _keyring_key(profile: str) -> str | None:
    """The profile's key from the keyring, in the caller's thread (after the paint)."""
    from nfctagify_desktop.store.secrets import key_from_keyring

    return key_from_keyring(profile)


def _account(name: str, url: str) -> AccountId | None:
    from nfctagify_desktop.api.errors import ConfigurationError
    from nfctagify_desktop.api.urls import normalize_base_url

    try:
        return AccountId(name, normalize_base_url(url))
    except ConfigurationError:
        return None


__all__ = ["early_orders", "startup_account", "startup_orders_view", "startup_theme"]
