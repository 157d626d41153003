"""API keys in the OS keyring, one entry per profile, with a session-only fallback.

Headless Linux often has no Secret Service: keyring then uses its ``fail`` backend and every
call raises ``NoKeyringError`` (PITFALLS K1). We turn that into :class:`KeyringUnavailableError`
with a message the UI can show, and offer ``set(..., session_only=True)``, which keeps the key
in this process's memory only (PITFALLS K2: never plaintext on disk). Keys are never logged;
every key that passes through here is registered with ``log.register_secret`` so that a slip
elsewhere is masked too.

Keyring calls may block on D-Bus or an unlock prompt: the UI uses the ``a*`` wrappers, which
run them in a dedicated worker thread via ``loop.run_in_executor``.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import functools
import logging
import os
import threading
from collections.abc import Callable
from typing import TypeVar

import keyring
import keyring.errors

from nfctagify_desktop.redaction import clean_api_key, register_secret, taken_env_key
from nfctagify_desktop.store.settings import SANDBOX_PROFILE_NAME

log = logging.getLogger(__name__)

T = TypeVar("T")

DEFAULT_SERVICE = "nfctagify-desktop"
API_KEY_ENV = "NFCTAGIFY_API_KEY"

NO_KEYRING_MESSAGE = (
    "No system keyring is available on this machine (e.g. no Secret Service on a headless "
    "Linux); the key can be kept for this session only"
)

# Backends that cannot keep a key: `fail` raises, `null` silently forgets (PITFALLS K3).
_UNUSABLE_BACKENDS = ("keyring.backends.fail.Keyring", "keyring.backends.null.Keyring")


# Our own single worker rather than the loop's default executor (None): under qasync the
# default is a QThreadExecutor that is only shut down by loop.close(); a QThread still
# running at exit aborts the process ("QThread: Destroyed while thread is still running",
# exit 134). One worker also serialises keyring calls, so at most one unlock prompt shows.
_keyring_executor = concurrent.futures.ThreadPoolExecutor(
    max_workers=1, thread_name_prefix="keyring"
)


class KeyStoreError(Exception):
    """The keyring refused or failed (locked, prompt dismissed, D-Bus error...)."""


class KeyringUnavailableError(KeyStoreError):
    """There is no usable keyring backend; offer ``session_only=True`` instead."""

    def __init__(self, message: str = NO_KEYRING_MESSAGE) -> None:
        super().__init__(message)


class _MissingEntry(KeyStoreError):
    """Internal: delete_password found nothing to delete."""


def _backend_id(backend: object) -> str:
    cls = type(backend)
    return f"{cls.__module__}.{cls.__qualname__}"


class KeyStore:
    """One keyring entry per profile: service ``service``, user name = profile name.

    The built-in Sandbox profile uses the sandbox's demo key, which is never stored: ``get``
    returns None for it and ``set`` refuses it.
    """

    def __init__(self, service: str = DEFAULT_SERVICE) -> None:
        self.service = service
        self._session: dict[str, str] = {}
        self._lock = threading.Lock()  # the a* wrappers call us from executor threads

    # -- backend ---------------------------------------------------------------------------

    def backend_available(self) -> bool:
        """True if keys can be kept between runs (a real backend, not fail/null)."""
        try:
            backend = keyring.get_keyring()
        except keyring.errors.KeyringError:
            return False
        if _backend_id(backend) in _UNUSABLE_BACKENDS:
            return False
        # A chainer with no viable backends is as good as none.
        backends = getattr(backend, "backends", None)
        return not (isinstance(backends, list) and not backends)

    def backend_name(self) -> str:
        """Human-readable backend name for the settings dialog and support details."""
        try:
            backend = keyring.get_keyring()
        except keyring.errors.KeyringError:
            return "none"
        name = getattr(backend, "name", None)
        return name if isinstance(name, str) and name else _backend_id(backend)

    def is_session_only(self, profile: str) -> bool:
        with self._lock:
            return profile in self._session

    # -- blocking API ----------------------------------------------------------------------

    def get(self, profile: str) -> str | None:
        """The profile's key: session memory first, then the keyring; None if there is none.

        Raises:
            KeyringUnavailableError: no backend, and no session key for this profile.
            KeyStoreError: the keyring failed otherwise.
        """
        if profile == SANDBOX_PROFILE_NAME:
            return None
        with self._lock:
            key = self._session.get(profile)
        if key is None:
            key = self._call(keyring.get_password, self.service, profile)
        if key:
            key = key.strip()
            register_secret(key)
        return key or None

    def set(self, profile: str, key: str, *, session_only: bool = False) -> None:
        """Store ``key`` for ``profile``; ``session_only`` keeps it in memory for this run only.

        Raises:
            InvalidApiKeyError: the key has a control or other character no key has.
        """
        key = clean_api_key(key)
        if not key:
            raise ValueError("The API key is empty")
        if profile == SANDBOX_PROFILE_NAME:
            raise KeyStoreError("The Sandbox profile uses the sandbox's demo key; it is not stored")
        register_secret(key)
        if session_only:
            with self._lock:
                self._session[profile] = key
            log.info("API key for profile %r kept for this session only", profile)
            return
        if not self.backend_available():
            # The null backend would "succeed" and silently forget the key.
            raise KeyringUnavailableError()
        self._call(keyring.set_password, self.service, profile, key)
        with self._lock:
            self._session.pop(profile, None)  # the stored key must not be shadowed
        log.info("API key for profile %r saved in the keyring", profile)

    def delete(self, profile: str) -> None:
        """Forget the profile's key (session and keyring). A missing key or keyring is fine."""
        with self._lock:
            self._session.pop(profile, None)
        if profile == SANDBOX_PROFILE_NAME:
            return
        # No entry, or no keyring at all (then nothing can have been stored): both fine.
        with contextlib.suppress(_MissingEntry, KeyringUnavailableError):
            self._call(keyring.delete_password, self.service, profile)

    def rename(self, old: str, new: str) -> None:
        """Move the key of profile ``old`` to ``new`` (after a profile rename)."""
        if old == new:
            return
        with self._lock:
            session_key = self._session.pop(old, None)
            if session_key is not None:
                self._session[new] = session_key
        if session_key is not None:
            return
        key = self._call(keyring.get_password, self.service, old)
        if key is None:
            return
        register_secret(key)
        # Write the new entry before deleting the old one: a failure must not lose the key.
        self._call(keyring.set_password, self.service, new, key)
        with contextlib.suppress(_MissingEntry):
            self._call(keyring.delete_password, self.service, old)

    # -- async wrappers (keep D-Bus and unlock prompts off the GUI thread) ------------------

    async def aget(self, profile: str) -> str | None:
        return await self._in_executor(self.get, profile)

    async def aset(self, profile: str, key: str, *, session_only: bool = False) -> None:
        await self._in_executor(
            functools.partial(self.set, session_only=session_only), profile, key
        )

    async def adelete(self, profile: str) -> None:
        await self._in_executor(self.delete, profile)

    async def arename(self, old: str, new: str) -> None:
        await self._in_executor(self.rename, old, new)

    @staticmethod
    async def _in_executor(func: Callable[..., T], *args: object) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(_keyring_executor, functools.partial(func, *args))

    # -- internals ---------------------------------------------------------------------------

    def _call(self, func: Callable[..., T], *args: str) -> T:
        """Run a keyring call and translate its errors. The key is never put in a message."""
        try:
            return func(*args)
        except keyring.errors.PasswordDeleteError as exc:
            raise _MissingEntry from exc
        except keyring.errors.NoKeyringError as exc:
            raise KeyringUnavailableError() from exc
        except keyring.errors.KeyringError as exc:
            if not self.backend_available():
                raise KeyringUnavailableError() from exc
            # Backend messages name the service/user at most, never the password.
            raise KeyStoreError(f"The system keyring failed: {exc}") from exc


def resolve_api_key(profile: str, store: KeyStore | None = None) -> str | None:
    """The key to use for ``profile``: ``$NFCTAGIFY_API_KEY`` if set (CLI, scripting), else the
    key store. None means no key is configured (for Sandbox: use the sandbox's demo key).

    Raises:
        KeyringUnavailableError / KeyStoreError: as :meth:`KeyStore.get`.
        InvalidApiKeyError: the environment's key has a character no key has.
    """
    env_key = clean_api_key(os.environ.get(API_KEY_ENV) or taken_env_key() or "")
    if env_key:
        register_secret(env_key)
        return env_key
    return (store if store is not None else KeyStore()).get(profile)


def key_from_keyring(profile: str) -> str | None:
    """:func:`resolve_api_key` from any thread, through the keyring's one worker (queued with
    the client's look-ups: a locked keyring asks once)."""
    return _keyring_executor.submit(resolve_api_key, profile).result()


async def aresolve_api_key(profile: str, store: KeyStore | None = None) -> str | None:
    """:func:`resolve_api_key` on the keyring worker (never qasync's default executor)."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(
        _keyring_executor, functools.partial(resolve_api_key, profile, store)
    )
