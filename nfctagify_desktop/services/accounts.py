"""Accounts without widgets: switch profile, apply a key, test a connection, save/remove profiles.

One :class:`AccountService` per window, built in app.py. It listens to ``ctx.sig_api_error``
for 401/403 anywhere; when it needs a key typed it emits ``sig_key_needed`` and the UI (the
account controller in ``ui/``) opens the prompt. Keyring calls go through the ``KeyStore.a*``
wrappers (a worker thread); keys are never logged.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from nfctagify_desktop.api import errors
from nfctagify_desktop.api.client import PartnerClient
from nfctagify_desktop.api.retry import NO_RETRY
from nfctagify_desktop.log import register_secret
from nfctagify_desktop.redaction import redact
from nfctagify_desktop.services.connection import (
    Connection,
    MissingApiKeyError,
    connect,
    ssl_context_for,
    start_sandbox,
)
from nfctagify_desktop.services.context import AppContext
from nfctagify_desktop.store.secrets import (
    NO_KEYRING_MESSAGE,
    KeyringUnavailableError,
    KeyStore,
    KeyStoreError,
)
from nfctagify_desktop.store.settings import (
    SANDBOX_PROFILE_NAME,
    Profile,
    Settings,
    SettingsStore,
)
from nfctagify_desktop.support import support_details

if TYPE_CHECKING:
    from nfctagify_desktop.services.connection import SandboxHandle

log = logging.getLogger("nfctagify.services.accounts")

FORBIDDEN_STATUS = "Your account does not have permission for this action (HTTP 403)."


def error_text(exc: BaseException) -> str:
    """One line for a label: the message, and the HTTP status and code when there are some."""
    if isinstance(exc, errors.ApiError):
        bits = [f"HTTP {exc.status}" if exc.status is not None else "", exc.code or ""]
        tail = ", ".join(b for b in bits if b)
        return f"{exc.message.rstrip('.')}" + (f" ({tail})" if tail else "")
    if isinstance(exc, KeyStoreError | ValueError):
        return redact(str(exc))
    return redact(f"{type(exc).__name__}: {exc}")


class AccountService(QObject):
    """Profiles and keys for one window.

    Signals:
        sig_profiles_changed(): profiles or the active one changed (switcher, menus).
        sig_settings_changed(object): preferences were saved (the new Settings).
        sig_key_saved(str): a profile's key was saved (profile name).
        sig_switch_failed(str, object): switching to a profile failed (name, exception).
        sig_key_needed(str, str): a key must be typed for a profile (name, reason); the UI asks.
    """

    sig_profiles_changed = Signal()
    sig_settings_changed = Signal(object)
    sig_key_saved = Signal(str)
    sig_switch_failed = Signal(str, object)
    sig_key_needed = Signal(str, str)

    def __init__(
        self,
        ctx: AppContext,
        store: SettingsStore,
        keys: KeyStore,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent or ctx)
        self.ctx = ctx
        self.store = store
        self.keys = keys
        self.last_error: BaseException | None = None
        self._sandbox: SandboxHandle | None = ctx.connection.sandbox
        #: The profile to switch to once its key is saved (set when a switch needed a key).
        self.switch_after_key: str | None = None
        ctx.sig_api_error.connect(self._api_error)

    # -- state -------------------------------------------------------------------------------

    @property
    def settings(self) -> Settings:
        return self.store.settings

    def keyring_available(self) -> bool:
        return self.keys.backend_available()

    def keyring_status(self) -> str:
        if self.keyring_available():
            return f"Keys are stored in the system keyring ({self.keys.backend_name()})."
        return NO_KEYRING_MESSAGE + "."

    def support_text(self, error: BaseException) -> str:
        conn = self.ctx.connection
        if not isinstance(error, errors.ApiError):
            return redact(f"{type(error).__name__}: {error}", conn.secrets)
        return support_details(
            error, account_id=conn.account_id, base_url=conn.base_url, secrets=conn.secrets
        )

    def save_preferences(self, **changes: Any) -> Settings:
        new = self.store.update(**changes)
        # The next call already uses a new time limit; no reconnect needed.
        self.ctx.client.time_limit = float(new.request_time_limit_seconds)
        self.sig_settings_changed.emit(new)
        return new

    def need_key(
        self, profile: str | None = None, *, reason: str = "", switch: bool = False
    ) -> None:
        """Ask the UI for a key for ``profile`` (default: the one in use)."""
        name = profile or self.ctx.connection.profile
        if switch:
            self.switch_after_key = name
        self.sig_key_needed.emit(name, reason)

    # -- switching ---------------------------------------------------------------------------

    def switch_profile(self, name: str) -> None:
        """Connect with profile ``name`` and reload every tab (asks for a key if it has none)."""
        self.ctx.tasks.run(
            "accounts:switch",
            self.aswitch_profile(name),
            on_error=lambda exc: self._switch_failed(name, exc),
        )

    async def aswitch_profile(self, name: str) -> bool:
        """True if the window now uses ``name``; False if a key must be entered first."""
        profile = self.settings.profile(name)
        try:
            conn = await connect(
                profile,
                keys=self.keys,
                sandbox=self._sandbox,
                time_limit=self.settings.request_time_limit_seconds,
            )
        except MissingApiKeyError:
            self.need_key(
                name,
                reason=f"No API key is stored for the profile “{name}” yet. Paste the key "
                "from the NFC Tagify Partner Portal (Settings → API keys).",
                switch=True,
            )
            self.sig_profiles_changed.emit()
            return False
        except KeyringUnavailableError:
            self.need_key(
                name,
                reason=f"The key for “{name}” cannot be read: no system keyring is available. "
                "Paste the key to use it for this session.",
                switch=True,
            )
            self.sig_profiles_changed.emit()
            return False
        await self._use(conn)
        return True

    async def _use(self, conn: Connection) -> None:
        if conn.sandbox is not None:
            self._sandbox = conn.sandbox
        old = self.ctx.connection
        try:
            self.store.set_active(conn.profile)
        except (KeyError, OSError) as exc:  # e.g. a --base-url profile not in the file
            log.info("active profile not saved: %s", exc)
        # Not "Connected": that is said only once a call on this account succeeded. Said
        # first, so that what the switch itself reports (a closed order form) stays visible.
        self.ctx.status(f"Switched to the profile “{conn.profile}”")
        self.ctx.set_connection(conn)
        log.info("switched to profile %r (%s)", conn.profile, conn.base_url)
        self.sig_profiles_changed.emit()
        if old.client is not conn.client:
            try:
                await old.client.aclose()
            except Exception:
                log.exception("closing the previous client failed")

    def _switch_failed(self, name: str, exc: BaseException) -> None:
        log.warning("switching to profile %r failed: %s", name, error_text(exc))
        self.sig_profiles_changed.emit()
        self.ctx.status(f"Could not switch to “{name}”: {error_text(exc)}", 15000)
        self.sig_switch_failed.emit(name, exc)

    async def aclose(self) -> None:
        """Stop a sandbox started earlier that the current connection no longer uses."""
        server = self._sandbox
        if server is not None and server is not self.ctx.connection.sandbox:
            self._sandbox = None
            await asyncio.get_running_loop().run_in_executor(None, server.stop)

    # -- 401 / 403 ---------------------------------------------------------------------------

    def _api_error(self, exc: object) -> None:
        if not isinstance(exc, BaseException):
            return
        self.last_error = exc
        if isinstance(exc, errors.UnauthorizedError):
            if self.ctx.connection.is_sandbox:
                self._refresh_sandbox_key()
            else:
                self.need_key()
        elif isinstance(exc, errors.ForbiddenError):
            self.ctx.status(FORBIDDEN_STATUS, 15000)

    def _refresh_sandbox_key(self) -> None:
        # The embedded sandbox rotated its demo key: we can read the new one ourselves.
        conn = self.ctx.connection
        if conn.sandbox is None:
            return
        key = conn.sandbox.demo_api_key
        if key in conn.secrets:
            return
        register_secret(key)
        conn.client.set_api_key(key)
        conn.secrets = (*conn.secrets, key)
        self.ctx.set_connection(conn)

    # -- keys --------------------------------------------------------------------------------

    async def apply_key(self, profile: str, key: str, *, session_only: bool = False) -> bool:
        """Save ``key`` for ``profile``; if it is in use, use it and retry (reload every tab)."""
        await self.keys.aset(profile, key, session_only=session_only)
        key = key.strip()
        self.sig_key_saved.emit(profile)
        conn = self.ctx.connection
        if self.switch_after_key == profile:
            self.switch_after_key = None
            return await self.aswitch_profile(profile)
        if conn.profile == profile and not conn.is_sandbox:
            conn.client.set_api_key(key)
            conn.secrets = (*conn.secrets, key)
            # The retry: every tab reloads, so the call that got the 401 runs again.
            self.ctx.set_connection(conn)
        return True

    async def forget_key(self, name: str) -> None:
        await self.keys.adelete(name)

    # -- profiles ----------------------------------------------------------------------------

    async def store_profile(self, old: str | None, profile: Profile) -> None:
        """Add ``profile`` (``old`` None) or replace ``old`` with it, moving its key on rename."""
        if old is None:
            self.store.add_profile(profile)
        else:
            self.store.update_profile(old, profile)
            if old != profile.name:
                await self.keys.arename(old, profile.name)
        self.sig_profiles_changed.emit()

    async def store_key(self, name: str, key: str, *, session_only: bool) -> str:
        """Save the key of a saved profile; the sentence telling where it is kept."""
        await self.keys.aset(name, key, session_only=session_only)
        self.sig_key_saved.emit(name)
        if session_only:
            return " The key is kept for this session only."
        return " The key is stored in the system keyring."

    async def reconnect_if_in_use(self, names: tuple[str | None, ...]) -> None:
        """The profile in use was edited: reconnect with it (every tab reloads)."""
        if self.ctx.connection.profile in names and names[-1] is not None:
            await self.aswitch_profile(names[-1])

    async def remove_profile(self, name: str) -> None:
        """Remove ``name`` and its key; the window falls back to the Sandbox if it used it."""
        self.store.remove_profile(name)
        await self.keys.adelete(name)
        if self.ctx.connection.profile == name:
            await self.aswitch_profile(SANDBOX_PROFILE_NAME)
        self.sig_profiles_changed.emit()

    # -- test connection ---------------------------------------------------------------------

    async def test_connection(self, profile: Profile, key: str | None) -> str:
        """Call the API with these settings (not the window's connection); a line for the UI.

        Raises:
            ApiError: the exact error (ConfigurationError, NetworkError TLS_ERROR, 401...).
            MissingApiKeyError: an account profile with no key.
        """
        if profile.is_sandbox:
            if self._sandbox is None:
                self._sandbox = await start_sandbox()
            url, key = self._sandbox.base_url, self._sandbox.demo_api_key
            verify = None
        else:
            if not key:
                key = await self.keys.aget(profile.name)
            if not key:
                raise MissingApiKeyError(profile.name)
            url, verify = profile.base_url, ssl_context_for(profile)
        register_secret(key)
        client = PartnerClient(url, key, verify=verify, retry=NO_RETRY)
        try:
            products = await client.list_products()
        finally:
            await client.aclose()
        return f"Connected: {len(products)} products"


__all__ = ["FORBIDDEN_STATUS", "AccountService", "error_text"]
