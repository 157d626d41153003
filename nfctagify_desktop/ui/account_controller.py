"""Accounts in the window: the Settings dialog, the key prompt, the profile switcher, menus.

The logic (switching, keys, profiles, 401/403) is :class:`AccountService` in ``services/``;
this controller only shows it. Both dialogs are non-modal. Keys are never shown
unmasked unless the user presses "Show".
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QObject, QSize, Qt, QUrl
from PySide6.QtGui import QAction, QActionGroup, QDesktopServices, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMenu,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from nfctagify_desktop.paths import log_dir
from nfctagify_desktop.services.accounts import AccountService, error_text
from nfctagify_desktop.store.secrets import NO_KEYRING_MESSAGE, KeyringUnavailableError
from nfctagify_desktop.ui.dialogs.api_key_prompt import ApiKeyPrompt
from nfctagify_desktop.ui.dialogs.settings_dialog import SettingsDialog
from nfctagify_desktop.ui.geometry import fit_on_show
from nfctagify_desktop.ui.main_window import MainWindow
from nfctagify_desktop.ui.menu_slots import MenuSlot
from nfctagify_desktop.ui.widgets.banner import ErrorBanner


class SupportDetailsDialog(QDialog):
    """Shows exactly what "Copy support details" copies, so the partner sees what is sent."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("supportDetailsDialog")
        self.setWindowTitle("Support details")
        self.setModal(False)
        fit_on_show(self, QSize(640, 460))
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
    """The account widgets of one window, over its :class:`AccountService`."""

    def __init__(self, service: AccountService, window: MainWindow) -> None:
        super().__init__(window)
        self.service = service
        self.ctx = service.ctx
        self.window = window
        self.prompt: ApiKeyPrompt | None = None
        self.settings_dialog: SettingsDialog | None = None
        self.details_dialog: SupportDetailsDialog | None = None
        service.sig_key_needed.connect(lambda name, reason: self.request_key(name, reason=reason))
        service.sig_profiles_changed.connect(self._fill_combo)
        self.ctx.sig_connection_changed.connect(self._connection_changed)
        self._install(window)

    def _install(self, window: MainWindow) -> None:
        """File → Settings… / Switch profile, Help → Open log folder / Support details,
        and a profile switcher in the status bar."""
        self.settings_action = QAction("&Settings…", window)
        preferences = QKeySequence.keyBindings(QKeySequence.StandardKey.Preferences)
        self.settings_action.setShortcuts(
            [QKeySequence("Ctrl+,"), *[k for k in preferences if k != QKeySequence("Ctrl+,")]]
        )
        self.settings_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.settings_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.settings_action.triggered.connect(lambda: self.open_settings())
        window.add_action(MenuSlot.FILE_ACCOUNT, self.settings_action)
        self.profile_menu = QMenu("Switch &profile", window)
        self.profile_menu.aboutToShow.connect(self._fill_profile_menu)
        window.add_menu(MenuSlot.FILE_ACCOUNT, self.profile_menu)

        self.open_log_action = QAction("Open &log folder", window)
        self.open_log_action.triggered.connect(self.open_log_folder)
        window.add_action(MenuSlot.HELP, self.open_log_action)
        self.details_action = QAction("Support &details of the last error…", window)
        self.details_action.triggered.connect(lambda: self.show_support_details())
        window.add_action(MenuSlot.HELP, self.details_action)

        self.profile_combo = QComboBox()
        self.profile_combo.setObjectName("profileSwitcher")
        self.profile_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.profile_combo.setAccessibleName("Profile")
        self.profile_combo.setToolTip("Switch profile (reloads every tab)")
        self.profile_combo.activated.connect(self._combo_activated)
        window.statusBar().addPermanentWidget(self.profile_combo)
        # "Not connected — …  Details…": the raw error, as support needs it.
        window.link_indicator.sig_details_requested.connect(
            lambda error: self.show_support_details(error)
        )
        self._fill_combo()
        self.wire_banners()

    def wire_banners(self) -> None:
        """Every error banner in the window gets "Copy support details" and "Enter new key…"."""
        for banner in self.window.findChildren(ErrorBanner):
            if banner.property("accountsWired"):
                continue
            banner.setProperty("accountsWired", True)
            if getattr(banner, "_details", None) is None:
                banner.set_details_provider(self.service.support_text)
            banner.sig_key_requested.connect(lambda: self.request_key())

    def _fill_combo(self) -> None:
        combo = self.profile_combo
        combo.blockSignals(True)
        combo.clear()
        names = [p.name for p in self.service.settings.profiles]
        current = self.ctx.connection.profile
        if current not in names:
            names.append(current)
        combo.addItems(names)
        combo.setCurrentText(current)
        combo.blockSignals(False)
        # The status bar squeezes its permanent widgets when a long message shows: the switcher
        # keeps room for its names (a very long one is cut, the others' texts are elided).
        cap = combo.fontMetrics().horizontalAdvance("M" * 16)
        combo.setMinimumWidth(min(combo.sizeHint().width(), cap))

    def _combo_activated(self, index: int) -> None:
        name = self.profile_combo.itemText(index)
        if name != self.ctx.connection.profile:
            self.service.switch_profile(name)

    def _fill_profile_menu(self) -> None:
        menu = self.profile_menu
        menu.clear()
        group = QActionGroup(menu)
        for profile in self.service.settings.profiles:
            action = menu.addAction(profile.name)
            action.setCheckable(True)
            action.setChecked(profile.name == self.ctx.connection.profile)
            group.addAction(action)
            action.triggered.connect(lambda _=False, n=profile.name: self.service.switch_profile(n))

    def _connection_changed(self) -> None:
        self._fill_combo()
        self.wire_banners()

    def open_log_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(log_dir())))

    def show_support_details(self, error: BaseException | None = None) -> SupportDetailsDialog:
        error = error or self.service.last_error
        text = self.service.support_text(error) if error is not None else "No API error so far."
        if self.details_dialog is None:
            self.details_dialog = SupportDetailsDialog(text, self.window)
        else:
            self.details_dialog.text_edit.setPlainText(text)
        self.details_dialog.show()
        self.details_dialog.raise_()
        return self.details_dialog

    def open_settings(self, *, welcome: bool = False, profile: str | None = None) -> SettingsDialog:
        if self.settings_dialog is None:
            self.settings_dialog = SettingsDialog(self.service, self.window)
        dialog = self.settings_dialog
        dialog.reload(select=profile or self.ctx.connection.profile)
        dialog.set_welcome(welcome)
        dialog.show()  # non-modal: the main window stays usable
        dialog.raise_()
        dialog.activateWindow()
        return dialog

    def close_windows(self) -> None:
        for widget in (self.prompt, self.settings_dialog, self.details_dialog):
            if widget is not None and shiboken6.isValid(widget):
                widget.close()

    async def aclose(self) -> None:
        """Close the dialogs, then stop a sandbox the window no longer uses."""
        self.close_windows()
        await self.service.aclose()

    # -- the key prompt ----------------------------------------------------------------------

    def request_key(
        self, profile: str | None = None, *, reason: str = "", switch: bool = False
    ) -> ApiKeyPrompt:
        """Open (or raise) the non-modal key prompt; one prompt per burst of 401s."""
        name = profile or self.ctx.connection.profile
        if switch:
            self.service.switch_after_key = name
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
            keyring_available=self.service.keyring_available(),
            keyring_message=NO_KEYRING_MESSAGE,
            parent=self.window,
        )
        prompt.setWindowFlag(Qt.WindowType.Window, True)
        prompt.sig_submitted.connect(
            lambda key, session_only, p=prompt: self._submit_key(p, key, session_only)
        )
        prompt.rejected.connect(lambda: setattr(self.service, "switch_after_key", None))
        self.prompt = prompt
        prompt.show()
        prompt.raise_()
        return prompt

    def _submit_key(self, prompt: ApiKeyPrompt, key: str, session_only: bool) -> None:
        self.ctx.tasks.run(
            "accounts:key",
            self.service.apply_key(prompt.profile, key, session_only=session_only),
            on_success=lambda _ok: prompt.succeeded(),
            on_error=lambda exc: self._key_failed(prompt, exc),
            owner=prompt,
        )

    def _key_failed(self, prompt: ApiKeyPrompt, exc: BaseException) -> None:
        if isinstance(exc, KeyringUnavailableError):
            prompt.set_keyring_available(False, NO_KEYRING_MESSAGE)
            prompt.failed(
                "The key was not saved. Press “Save and retry” to keep it for this session."
            )
        else:
            prompt.failed(f"The key was not saved: {error_text(exc)}")


__all__ = ["AccountController", "SupportDetailsDialog"]
