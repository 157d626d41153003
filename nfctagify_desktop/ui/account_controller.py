"""Accounts: profile switching, the API key flows (first run, 401 → new key → retry), settings.

One :class:`AccountController` per window, created in app.py. It owns the Settings dialog and
the key prompt (both non-modal, PITFALLS Q5), adds its menu items and the profile switcher to
the window, and listens to ``ctx.sig_api_error`` for 401s anywhere. Keyring calls go through the
``KeyStore.a*`` wrappers (a worker thread); keys are never logged nor shown unmasked unless the
user presses "Show".
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QObject, Qt, QUrl, Signal
from PySide6.QtGui import QAction, QActionGroup, QDesktopServices, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMainWindow,
    QMenu,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from nfctagify_desktop.api import errors
from nfctagify_desktop.api.client import PartnerClient
from nfctagify_desktop.api.retry import NO_RETRY
from nfctagify_desktop.connection import (
    Connection,
    MissingApiKeyError,
    connect,
    ssl_context_for,
    start_sandbox,
)
from nfctagify_desktop.log import register_secret
from nfctagify_desktop.paths import log_dir
from nfctagify_desktop.store.secrets import (
    NO_KEYRING_MESSAGE,
    KeyringUnavailableError,
    KeyStore,
    KeyStoreError,
)
from nfctagify_desktop.store.settings import Profile, Settings, SettingsStore
from nfctagify_desktop.support import support_details
from nfctagify_desktop.ui.context import AppContext
from nfctagify_desktop.ui.dialogs.api_key_prompt import ApiKeyPrompt
from nfctagify_desktop.ui.widgets.banner import ErrorBanner

if TYPE_CHECKING:
    from nfctagify_desktop.connection import SandboxHandle
    from nfctagify_desktop.ui.dialogs.settings_dialog import SettingsDialog

log = logging.getLogger("nfctagify.ui.accounts")

FORBIDDEN_STATUS = "Your account does not have permission for this action (HTTP 403)."


def error_text(exc: BaseException) -> str:
    """One line for a label: the message, and the HTTP status and code when there are some."""
    if isinstance(exc, errors.ApiError):
        bits = [f"HTTP {exc.status}" if exc.status is not None else "", exc.code or ""]
        tail = ", ".join(b for b in bits if b)
        return f"{exc.message.rstrip('.')}" + (f" ({tail})" if tail else "")
    if isinstance(exc, KeyStoreError):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


class SupportDetailsDialog(QDialog):
    """Shows exactly what "Copy support details" copies, so the partner sees what is sent."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("supportDetailsDialog")
        self.setWindowTitle("Support details")
        self.setModal(False)
        self.resize(640, 460)
        note = QLabel(
            "Send this to NFC Tagify support with a short description of what you were doing. "
            "The API key and the card recipient's personal data are already removed."
        )
        note.setWordWrap(True)
        self.text_edit = QPlainTextEdit(text)
        self.text_edit.setReadOnly(True)
        self.text_edit.setAccessibleName("Support details")
        self.text_edit.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = buttons.addButton("Copy", QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(
            lambda: QGuiApplication.clipboard().setText(self.text_edit.toPlainText())
        )
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.text_edit, 1)
        layout.addWidget(buttons)


class AccountController(QObject):
    """Profiles, keys and the dialogs around them for one window.

    Signals:
        sig_profiles_changed(): profiles or the active one changed (switcher, menus).
        sig_settings_changed(object): preferences were saved (the new Settings).
        sig_key_saved(str): a profile's key was saved (profile name).
        sig_switch_failed(str, object): switching to a profile failed (name, exception).
    """

    sig_profiles_changed = Signal()
    sig_settings_changed = Signal(object)
    sig_key_saved = Signal(str)
    sig_switch_failed = Signal(str, object)

    def __init__(
        self,
        ctx: AppContext,
        *,
        store: SettingsStore | None = None,
        keys: KeyStore | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent or ctx)
        self.ctx = ctx
        self.store = store if store is not None else SettingsStore()
        self.keys = keys if keys is not None else KeyStore()
        self.window: QMainWindow | None = None
        self.prompt: ApiKeyPrompt | None = None
        self.settings_dialog: SettingsDialog | None = None
        self.details_dialog: SupportDetailsDialog | None = None
        self.last_error: BaseException | None = None
        self.profile_combo: QComboBox | None = None
        self.profile_menu: QMenu | None = None
        self._sandbox: SandboxHandle | None = ctx.connection.sandbox
        self._switch_after_key: str | None = None
        ctx.services["accounts"] = self
        ctx.services["settings_store"] = self.store
        ctx.sig_api_error.connect(self._api_error)
        ctx.sig_connection_changed.connect(self._connection_changed)

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

    # -- window integration ------------------------------------------------------------------

    def attach(self, window: QMainWindow) -> None:
        """Add File → Settings… / Switch profile, Help → Open log folder / Support details,
        and a profile switcher in the status bar."""
        self.window = window
        file_menu: QMenu | None = getattr(window, "file_menu", None)
        help_menu: QMenu | None = getattr(window, "help_menu", None)
        before: QAction | None = getattr(window, "quit_action", None)

        self.settings_action = QAction("&Settings…", window)
        preferences = QKeySequence.keyBindings(QKeySequence.StandardKey.Preferences)
        self.settings_action.setShortcuts(
            [QKeySequence("Ctrl+,"), *[k for k in preferences if k != QKeySequence("Ctrl+,")]]
        )
        self.settings_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.settings_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.settings_action.triggered.connect(lambda: self.open_settings())
        window.addAction(self.settings_action)
        self.profile_menu = QMenu("Switch &profile", window)
        self.profile_menu.aboutToShow.connect(self._fill_profile_menu)
        if file_menu is not None:
            if before is not None:
                file_menu.insertAction(before, self.settings_action)
                file_menu.insertMenu(before, self.profile_menu)
                file_menu.insertSeparator(before)
            else:
                file_menu.addAction(self.settings_action)
                file_menu.addMenu(self.profile_menu)

        self.open_log_action = QAction("Open &log folder", window)
        self.open_log_action.triggered.connect(self.open_log_folder)
        self.details_action = QAction("Support &details of the last error…", window)
        self.details_action.triggered.connect(lambda: self.show_support_details())
        if help_menu is not None:
            if help_menu.actions():
                first = help_menu.actions()[0]
                help_menu.insertAction(first, self.open_log_action)
                help_menu.insertAction(first, self.details_action)
                help_menu.insertSeparator(first)
            else:
                help_menu.addAction(self.open_log_action)
                help_menu.addAction(self.details_action)

        self.profile_combo = QComboBox()
        self.profile_combo.setObjectName("profileSwitcher")
        self.profile_combo.setAccessibleName("Profile")
        self.profile_combo.setToolTip("Switch profile (reloads every tab)")
        self.profile_combo.activated.connect(self._combo_activated)
        window.statusBar().addPermanentWidget(self.profile_combo)
        self.sig_profiles_changed.connect(self._fill_combo)
        self._fill_combo()
        self.wire_banners()

    def wire_banners(self) -> None:
        """Every error banner in the window gets "Copy support details" and "Enter new key…"."""
        if self.window is None:
            return
        for banner in self.window.findChildren(ErrorBanner):
            if banner.property("accountsWired"):
                continue
            banner.setProperty("accountsWired", True)
            if getattr(banner, "_details", None) is None:
                banner.set_details_provider(self.support_text)
            banner.sig_key_requested.connect(lambda: self.request_key())

    def support_text(self, error: BaseException) -> str:
        conn = self.ctx.connection
        if not isinstance(error, errors.ApiError):
            return f"{type(error).__name__}: {error}"
        return support_details(
            error, account_id=conn.account_id, base_url=conn.base_url, secrets=conn.secrets
        )

    def _fill_combo(self) -> None:
        combo = self.profile_combo
        if combo is None:
            return
        combo.blockSignals(True)
        combo.clear()
        names = [p.name for p in self.settings.profiles]
        current = self.ctx.connection.profile
        if current not in names:
            names.append(current)
        combo.addItems(names)
        combo.setCurrentText(current)
        combo.blockSignals(False)

    def _combo_activated(self, index: int) -> None:
        assert self.profile_combo is not None
        name = self.profile_combo.itemText(index)
        if name != self.ctx.connection.profile:
            self.switch_profile(name)

    def _fill_profile_menu(self) -> None:
        menu = self.profile_menu
        assert menu is not None
        menu.clear()
        group = QActionGroup(menu)
        for profile in self.settings.profiles:
            action = menu.addAction(profile.name)
            action.setCheckable(True)
            action.setChecked(profile.name == self.ctx.connection.profile)
            group.addAction(action)
            action.triggered.connect(lambda _=False, n=profile.name: self.switch_profile(n))

    def _connection_changed(self) -> None:
        self._fill_combo()
        self.wire_banners()

    def open_log_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(log_dir())))

    def show_support_details(self, error: BaseException | None = None) -> SupportDetailsDialog:
        error = error or self.last_error
        text = self.support_text(error) if error is not None else "No API error so far."
        if self.details_dialog is None:
            self.details_dialog = SupportDetailsDialog(text, self.window)
        else:
            self.details_dialog.text_edit.setPlainText(text)
        self.details_dialog.show()
        self.details_dialog.raise_()
        return self.details_dialog

    # -- settings dialog ---------------------------------------------------------------------

    def open_settings(self, *, welcome: bool = False, profile: str | None = None) -> SettingsDialog:
        from nfctagify_desktop.ui.dialogs.settings_dialog import SettingsDialog

        if self.settings_dialog is None:
            self.settings_dialog = SettingsDialog(self, self.window)
        dialog = self.settings_dialog
        dialog.reload(select=profile or self.ctx.connection.profile)
        dialog.set_welcome(welcome)
        dialog.show()  # non-modal: the main window stays usable (PITFALLS Q5)
        dialog.raise_()
        dialog.activateWindow()
        return dialog

    def save_preferences(self, **changes: Any) -> Settings:
        new = self.store.update(**changes)
        self.sig_settings_changed.emit(new)
        return new

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
            conn = await connect(profile, keys=self.keys, sandbox=self._sandbox)
        except MissingApiKeyError:
            self.request_key(
                name,
                reason=f"No API key is stored for the profile “{name}” yet. Paste the key "
                "from the NFC Tagify Partner Portal (Settings → API keys).",
                switch=True,
            )
            self._fill_combo()
            return False
        except KeyringUnavailableError:
            self.request_key(
                name,
                reason=f"The key for “{name}” cannot be read: no system keyring is available. "
                "Paste the key to use it for this session.",
                switch=True,
            )
            self._fill_combo()
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
        self.ctx.set_connection(conn)
        self.ctx.status(f"Connected with the profile “{conn.profile}”")
        log.info("switched to profile %r (%s)", conn.profile, conn.base_url)
        self.sig_profiles_changed.emit()
        if old.client is not conn.client:
            try:
                await old.client.aclose()
            except Exception:
                log.exception("closing the previous client failed")

    def _switch_failed(self, name: str, exc: BaseException) -> None:
        log.warning("switching to profile %r failed: %s", name, error_text(exc))
        self._fill_combo()
        self.ctx.status(f"Could not switch to “{name}”: {error_text(exc)}", 15000)
        self.sig_switch_failed.emit(name, exc)

    async def aclose(self) -> None:
        """Stop a sandbox started earlier that the current connection no longer uses."""
        import asyncio

        server = self._sandbox
        if server is not None and server is not self.ctx.connection.sandbox:
            self._sandbox = None
            await asyncio.get_running_loop().run_in_executor(None, server.stop)
        for widget in (self.prompt, self.settings_dialog, self.details_dialog):
            if widget is not None and shiboken6.isValid(widget):
                widget.close()

    # -- 401 / 403 ---------------------------------------------------------------------------

    def _api_error(self, exc: object) -> None:
        if not isinstance(exc, BaseException):
            return
        self.last_error = exc
        if isinstance(exc, errors.UnauthorizedError):
            if self.ctx.connection.is_sandbox:
                self._refresh_sandbox_key()
            else:
                self.request_key()
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

    def request_key(
        self, profile: str | None = None, *, reason: str = "", switch: bool = False
    ) -> ApiKeyPrompt:
        """Open (or raise) the non-modal key prompt; one prompt per burst of 401s."""
        name = profile or self.ctx.connection.profile
        if switch:
            self._switch_after_key = name
        prompt = self.prompt
        if prompt is not None and prompt.isVisible() and prompt.profile == name:
            prompt.raise_()
            return prompt
        if prompt is not None:
            prompt.close()
            prompt.deleteLater()
        prompt = ApiKeyPrompt(
            name,
            reason=reason,
            keyring_available=self.keyring_available(),
            keyring_message=NO_KEYRING_MESSAGE,
            parent=self.window,
        )
        prompt.setWindowFlag(Qt.WindowType.Window, True)
        prompt.sig_submitted.connect(
            lambda key, session_only, p=prompt: self._submit_key(p, key, session_only)
        )
        prompt.rejected.connect(lambda: setattr(self, "_switch_after_key", None))
        self.prompt = prompt
        prompt.show()
        prompt.raise_()
        return prompt

    def _submit_key(self, prompt: ApiKeyPrompt, key: str, session_only: bool) -> None:
        self.ctx.tasks.run(
            "accounts:key",
            self.apply_key(prompt.profile, key, session_only=session_only),
            on_success=lambda _ok: prompt.succeeded(),
            on_error=lambda exc: self._key_failed(prompt, exc),
        )

    def _key_failed(self, prompt: ApiKeyPrompt, exc: BaseException) -> None:
        if isinstance(exc, KeyringUnavailableError):
            prompt.set_keyring_available(False, NO_KEYRING_MESSAGE)
            prompt.failed(
                "The key was not saved. Press “Save and retry” to keep it for this session."
            )
        else:
            prompt.failed(f"The key was not saved: {error_text(exc)}")

    async def apply_key(self, profile: str, key: str, *, session_only: bool = False) -> bool:
        """Save ``key`` for ``profile``; if it is in use, use it and retry (reload every tab)."""
        await self.keys.aset(profile, key, session_only=session_only)
        key = key.strip()
        self.sig_key_saved.emit(profile)
        conn = self.ctx.connection
        if self._switch_after_key == profile:
            self._switch_after_key = None
            return await self.aswitch_profile(profile)
        if conn.profile == profile and not conn.is_sandbox:
            conn.client.set_api_key(key)
            conn.secrets = (*conn.secrets, key)
            # The retry: every tab reloads, so the call that got the 401 runs again.
            self.ctx.set_connection(conn)
        return True

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
