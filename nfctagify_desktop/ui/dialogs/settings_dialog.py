"""Settings: connection profiles (address, API key, CA bundle, test) and general preferences.

Non-modal (``show()``, never ``exec()``). All keyring and network work runs as
app-owned tasks through the account service; the dialog only shows fields and results.
The API key is shown masked (a Show/Hide toggle reveals it) and is only ever stored in the
keyring, or in memory for this session when no keyring exists; never in settings.json.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QMessageBox,
    QWidget,
)

from nfctagify_desktop.api.errors import ConfigurationError
from nfctagify_desktop.services.accounts import AccountService, error_text
from nfctagify_desktop.store.secrets import (
    NO_KEYRING_MESSAGE,
    KeyringUnavailableError,
    KeyStoreError,
)
from nfctagify_desktop.store.settings import (
    SANDBOX_PROFILE_NAME,
    Profile,
)
from nfctagify_desktop.ui.dialogs.settings_profiles import ProfilesDialogBase
from nfctagify_desktop.ui.dialogs.settings_widgets import (
    ERROR_ROLE,
    MUTED_ROLE,
    OK_ROLE,
)


class SettingsDialog(ProfilesDialogBase):
    """Profiles on the left, the selected profile on the right, preferences below; the
    buttons' actions run as app-owned tasks through the account service."""

    def __init__(self, accounts: AccountService, parent: QWidget | None = None) -> None:
        super().__init__(accounts, parent)
        self.add_button.clicked.connect(self.add_profile)
        self.remove_button.clicked.connect(lambda: self.remove_current())
        self.forget_button.clicked.connect(self.forget_key)
        self.test_button.clicked.connect(self.test_connection)
        self.save_button.clicked.connect(self.save_profile)
        self.use_button.clicked.connect(self.use_profile)

    # -- actions -----------------------------------------------------------------------------

    def add_profile(self) -> None:
        self.profile_list.blockSignals(True)
        self.profile_list.clearSelection()
        self.profile_list.setCurrentRow(-1)
        self.profile_list.blockSignals(False)
        self._load(None)
        self.url_edit.setFocus()

    def test_connection(self) -> None:
        self.test_result.hide()
        try:
            profile = self.form_profile()
        except (ConfigurationError, ValueError) as exc:
            self._tested(error_text(exc), ok=False)
            return
        key = None if profile.is_sandbox else (self.key_field.text() or None)
        self.test_button.setEnabled(False)
        self._show(self.test_result, "Testing…", MUTED_ROLE)
        self.ctx.tasks.run(
            "settings:test",
            self.accounts.test_connection(profile, key),
            self._test_ok,
            self._test_failed,
            owner=self,
        )

    def _test_ok(self, text: str) -> None:
        self._tested(text, ok=True)

    def _test_failed(self, exc: BaseException) -> None:
        self._tested(error_text(exc), ok=False)

    def _tested(self, text: str, *, ok: bool) -> None:
        self.test_button.setEnabled(True)
        self._show(self.test_result, ("✓ " if ok else "✗ ") + text, OK_ROLE if ok else ERROR_ROLE)
        self.sig_tested.emit(self.test_result.text())

    def save_profile(self) -> None:
        self.save_result.hide()
        try:
            profile = self.form_profile()
        except (ConfigurationError, ValueError) as exc:
            self._saved(error_text(exc), ok=False)
            return
        if profile.is_sandbox:
            return
        key = self.key_field.text()
        session_only = self.session_check.isChecked()
        self.save_button.setEnabled(False)
        self.ctx.tasks.run(
            "settings:save",
            self._save(self.editing, profile, key, session_only),
            lambda text: self._saved(text, ok=True, name=profile.name),
            lambda exc: self._saved(error_text(exc), ok=False, exc=exc),
            owner=self,
        )

    async def _save(self, old: str | None, profile: Profile, key: str, session_only: bool) -> str:
        accounts = self.accounts
        await accounts.store_profile(old, profile)
        self.editing = profile.name
        note = ""
        changed = key != self._loaded_key or session_only != accounts.keys.is_session_only(
            profile.name
        )
        if key and changed:
            note = await accounts.store_key(profile.name, key, session_only=session_only)
            self._loaded_key = key
        elif not key and not self._loaded_key:
            note = " No API key yet: paste it before using the profile."
        if key:
            await accounts.reconnect_if_in_use((old, profile.name))
        return "Saved." + note

    def _saved(
        self, text: str, *, ok: bool, name: str | None = None, exc: BaseException | None = None
    ) -> None:
        self.save_button.setEnabled(True)
        if isinstance(exc, KeyringUnavailableError):
            self.session_check.setChecked(True)
            self._update_keyring_state()
            text = (
                "The profile was saved, but not its key: " + NO_KEYRING_MESSAGE + ". "
                "“Keep the key for this session only” is now ticked: press Save again to use it."
            )
        elif isinstance(exc, KeyStoreError):
            text = f"The key was not saved: {text}"
        self._show(self.save_result, text, OK_ROLE if ok else ERROR_ROLE)
        if not ok and self.editing is not None:
            self._fill_list(self.editing)  # the profile itself may have been saved
        if ok and name is not None:
            self.reload(select=name)
            self._show(self.save_result, text, OK_ROLE)
            self.sig_saved.emit(name)

    def use_profile(self) -> None:
        if self.editing is not None:
            self.accounts.switch_profile(self.editing)
            self.use_button.setEnabled(False)

    def forget_key(self) -> None:
        name = self.editing
        if name is None:
            return

        def done(_: object) -> None:
            if self.editing == name:
                self.key_field.clear()
                self._loaded_key = ""
                self.key_status.setText("Key deleted from the keyring.")
                self.sig_key_loaded.emit(self.key_status.text())

        self.ctx.tasks.run(
            "settings:forget", self.accounts.forget_key(name), done, self._forget_failed, owner=self
        )

    def _forget_failed(self, exc: BaseException) -> None:
        self.key_status.setText(f"The key could not be deleted: {error_text(exc)}")

    def remove_current(self, *, confirmed: bool = False) -> None:
        name = self.editing
        if name is None or name == SANDBOX_PROFILE_NAME:
            return
        if not confirmed:
            box = QMessageBox(
                QMessageBox.Icon.Question,
                "Remove profile",
                f"Remove the profile “{name}” and delete its API key from the keyring?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                self,
            )
            box.finished.connect(
                lambda result: (
                    self.remove_current(confirmed=True)
                    if result == QMessageBox.StandardButton.Yes
                    else None
                )
            )
            box.open()  # never exec(): a nested event loop inside a running task
            return

        def done(_: object) -> None:
            self.editing = None
            self.reload(select=self.ctx.connection.profile)
            self.sig_removed.emit(name)

        self.ctx.tasks.run(
            "settings:remove",
            self.accounts.remove_profile(name),
            done,
            lambda exc: self._show(self.save_result, error_text(exc), ERROR_ROLE),
            owner=self,
        )


__all__ = ["SettingsDialog"]
