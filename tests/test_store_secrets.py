"""KeyStore: per-profile keyring entries, the no-backend path, async wrappers, env override."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import keyring
import keyring.backends.fail
import keyring.backends.null
import keyring.errors
import pytest

from nfctagify_desktop.log import redact, unregister_all_secrets
from nfctagify_desktop.store.secrets import (
    API_KEY_ENV,
    DEFAULT_SERVICE,
    KeyringUnavailableError,
    KeyStore,
    KeyStoreError,
    resolve_api_key,
)
from nfctagify_desktop.store.settings import SANDBOX_PROFILE_NAME

KEY = "ntk_live_0123456789abcdef"
OTHER = "ntk_live_fedcba9876543210"


@pytest.fixture(autouse=True)
def _forget_secrets() -> None:
    unregister_all_secrets()


@pytest.fixture
def no_keyring() -> None:
    """No usable backend, as on headless Linux; memory_keyring restores it."""
    keyring.set_keyring(keyring.backends.fail.Keyring())  # type: ignore[no-untyped-call]


def test_set_get_delete_per_profile(memory_keyring: Any) -> None:
    ks = KeyStore()
    assert ks.backend_available()
    assert ks.get("Acme") is None
    ks.set("Acme", f"  {KEY}\n")
    ks.set("Beta", OTHER)
    assert ks.get("Acme") == KEY
    assert ks.get("Beta") == OTHER
    assert memory_keyring.store[(DEFAULT_SERVICE, "Acme")] == KEY
    assert not ks.is_session_only("Acme")
    ks.delete("Acme")
    ks.delete("Acme")  # missing is fine
    assert ks.get("Acme") is None
    assert ks.get("Beta") == OTHER


def test_rename(memory_keyring: Any) -> None:
    ks = KeyStore()
    ks.set("Acme", KEY)
    ks.rename("Acme", "Acme Ltd")
    assert ks.get("Acme") is None
    assert ks.get("Acme Ltd") == KEY
    assert (DEFAULT_SERVICE, "Acme") not in memory_keyring.store
    ks.rename("Missing", "Whatever")  # nothing to move
    assert ks.get("Whatever") is None


def test_sandbox_key_is_not_stored(memory_keyring: Any) -> None:
    ks = KeyStore()
    assert ks.get(SANDBOX_PROFILE_NAME) is None
    with pytest.raises(KeyStoreError):
        ks.set(SANDBOX_PROFILE_NAME, KEY)
    ks.delete(SANDBOX_PROFILE_NAME)
    assert memory_keyring.store == {}


def test_empty_key_refused() -> None:
    with pytest.raises(ValueError, match="empty"):
        KeyStore().set("Acme", "   ")


def test_custom_service(memory_keyring: Any) -> None:
    KeyStore(service="other-app").set("Acme", KEY)
    assert memory_keyring.store == {("other-app", "Acme"): KEY}
    assert KeyStore().get("Acme") is None


def test_no_backend_raises_clear_error(no_keyring: None) -> None:
    ks = KeyStore()
    assert not ks.backend_available()
    assert "fail" in ks.backend_name().lower()
    with pytest.raises(KeyringUnavailableError) as info:
        ks.get("Acme")
    assert "No system keyring is available" in str(info.value)
    assert "session only" in str(info.value)
    with pytest.raises(KeyringUnavailableError):
        ks.set("Acme", KEY)
    with pytest.raises(KeyringUnavailableError):
        ks.rename("Acme", "B")
    ks.delete("Acme")  # nothing can have been stored: fine
    assert isinstance(info.value, KeyStoreError)
    assert isinstance(info.value.__cause__, keyring.errors.NoKeyringError)


def test_null_backend_is_not_usable() -> None:
    keyring.set_keyring(keyring.backends.null.Keyring())  # type: ignore[no-untyped-call]
    ks = KeyStore()
    assert not ks.backend_available()
    with pytest.raises(KeyringUnavailableError):  # null would silently forget the key
        ks.set("Acme", KEY)


def test_session_only_fallback_writes_nothing(
    no_keyring: None, app_dirs: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    ks = KeyStore()
    ks.set("Acme", KEY, session_only=True)
    assert ks.get("Acme") == KEY
    assert ks.is_session_only("Acme")
    ks.rename("Acme", "Acme Ltd")
    assert ks.get("Acme Ltd") == KEY
    assert KeyStore().is_session_only("Acme Ltd") is False  # per process object, not global
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert KEY.encode() not in path.read_bytes(), path
    assert KEY not in caplog.text
    ks.delete("Acme Ltd")
    with pytest.raises(KeyringUnavailableError):
        ks.get("Acme Ltd")


def test_session_key_shadows_until_saved(memory_keyring: Any) -> None:
    ks = KeyStore()
    ks.set("Acme", KEY)
    ks.set("Acme", OTHER, session_only=True)
    assert ks.get("Acme") == OTHER
    assert memory_keyring.store[(DEFAULT_SERVICE, "Acme")] == KEY
    ks.set("Acme", OTHER)  # saving for good drops the session copy
    assert not ks.is_session_only("Acme")
    assert ks.get("Acme") == OTHER


def test_other_keyring_errors_are_typed(monkeypatch: pytest.MonkeyPatch) -> None:
    def locked(*args: object) -> None:
        raise keyring.errors.KeyringLocked("collection is locked")

    monkeypatch.setattr(keyring, "get_password", locked)
    with pytest.raises(KeyStoreError, match="locked") as info:
        KeyStore().get("Acme")
    assert not isinstance(info.value, KeyringUnavailableError)


def test_keys_are_registered_for_redaction() -> None:
    ks = KeyStore()
    ks.set("Acme", "custom-format-secret-42")
    assert "custom-format-secret-42" not in redact("oops custom-format-secret-42 leaked")


def test_resolve_api_key_env_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    ks = KeyStore()
    ks.set("Acme", KEY)
    assert resolve_api_key("Acme", ks) == KEY
    assert resolve_api_key("Acme") == KEY
    assert resolve_api_key("Nobody", ks) is None
    assert resolve_api_key(SANDBOX_PROFILE_NAME, ks) is None
    monkeypatch.setenv(API_KEY_ENV, f" {OTHER} ")
    assert resolve_api_key("Acme", ks) == OTHER
    assert resolve_api_key(SANDBOX_PROFILE_NAME, ks) == OTHER
    monkeypatch.setenv(API_KEY_ENV, "")
    assert resolve_api_key("Acme", ks) == KEY


def test_async_wrappers_run_off_the_loop_thread(
    arun: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    ks = KeyStore()
    threads: list[str] = []
    real_set = keyring.set_password

    def spy_set(service: str, user: str, password: str) -> None:
        threads.append(threading.current_thread().name)
        real_set(service, user, password)

    monkeypatch.setattr(keyring, "set_password", spy_set)

    async def scenario() -> tuple[str | None, str | None, str | None]:
        await ks.aset("Acme", KEY)
        got = await ks.aget("Acme")
        await ks.aset("Beta", OTHER, session_only=True)
        session = await ks.aget("Beta")
        await ks.arename("Acme", "Acme Ltd")
        await ks.adelete("Beta")
        return got, session, await ks.aget("Acme Ltd")

    assert arun(scenario()) == (KEY, OTHER, KEY)
    assert ks.get("Beta") is None
    assert threads
    assert all(name.startswith("keyring") for name in threads)


def test_async_no_backend_error_propagates(arun: Callable[..., Any], no_keyring: None) -> None:
    ks = KeyStore()

    async def scenario() -> str | None:
        try:
            return await ks.aget("Acme")
        except KeyringUnavailableError:
            await ks.aset("Acme", KEY, session_only=True)
            return await ks.aget("Acme")

    assert arun(scenario()) == KEY
