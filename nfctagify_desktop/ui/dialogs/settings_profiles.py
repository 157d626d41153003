"""The Settings dialog's body: the profile list, the selected profile's form, preferences.

Non-modal (``show()``, never ``exec()``). All keyring and network work runs as
app-owned tasks through the account service; the dialog only shows fields and results.
The API key is shown masked (a Show/Hide toggle reveals it) and is only ever stored in the
keyring, or in memory for this session when no keyring exists; never in settings.json.
"""

from __future__ import annotations

import functools

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from nfctagify_desktop.api.errors import ConfigurationError
from nfctagify_desktop.redaction import looks_like_key
from nfctagify_desktop.services.accounts import AccountService, error_text
from nfctagify_desktop.store.secrets import (
    NO_KEYRING_MESSAGE,
    KeyringUnavailableError,
)
from nfctagify_desktop.store.settings import (
    Profile,
    SettingsError,
    validate_base_url,
)
from nfctagify_desktop.ui import theme
from nfctagify_desktop.ui.dialogs.api_key_prompt import NOTE_SHAPE, KeyField
from nfctagify_desktop.ui.dialogs.settings_widgets import (
    ERROR_ROLE,
    MUTED_ROLE,
    NAME_ROLE,
    PreferencesBox,
    build_profile_form,
)
from nfctagify_desktop.ui.file_dialogs import CERTIFICATES, start_in
from nfctagify_desktop.ui.geometry import fit_on_show, scroll_area


class ProfilesDialogBase(QDialog):
    """The Settings dialog's widgets and how a profile is shown and read back (no actions).

    Signals:
        sig_saved(str): a profile (name) and its key were saved.
        sig_tested(str): "Test connection" finished (the text shown next to the button).
        sig_key_loaded(str): the key state of the selected profile was read (status text).
        sig_removed(str): a profile was removed.
    """

    sig_saved = Signal(str)
    sig_tested = Signal(str)
    sig_key_loaded = Signal(str)
    sig_removed = Signal(str)

    # Built by settings_widgets.build_profile_form.
    sandbox_note: QLabel
    name_edit: QLineEdit
    url_edit: QLineEdit
    url_error: QLabel
    account_edit: QLineEdit
    key_field: KeyField
    key_status: QLabel
    keyring_note: QLabel
    session_check: QCheckBox
    forget_button: QPushButton
    ca_edit: QLineEdit
    ca_browse: QPushButton
    form: QFormLayout
    test_button: QPushButton
    test_result: QLabel
    save_button: QPushButton
    use_button: QPushButton
    save_result: QLabel

    def __init__(self, accounts: AccountService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.accounts = accounts
        self.ctx = accounts.ctx
        self.setObjectName("settingsDialog")
        self.setWindowTitle("Settings")
        self.setModal(False)
        self.setWindowModality(Qt.WindowModality.NonModal)
        #: Name of the profile in the form; None while adding a new one.
        self.editing: str | None = None
        self._loaded_key = ""

        self.welcome_label = QLabel(
            "Welcome! You are using the built-in Sandbox (demo data). To order for real, add "
            "a profile for your partner account with the API address and the API key from "
            "the NFC Tagify Partner Portal."
        )
        self.welcome_label.setWordWrap(True)
        theme.use(self.welcome_label, "banner.note", extra=NOTE_SHAPE)
        self.welcome_label.hide()

        # -- profiles list -------------------------------------------------------------------
        self.profile_list = QListWidget()
        self.profile_list.setAccessibleName("Profiles")
        self.profile_list.setMinimumWidth(190)
        self.profile_list.currentItemChanged.connect(self._selection_changed)
        self.add_button = QPushButton("&Add…")
        self.add_button.setAccessibleName("Add a profile")
        self.remove_button = QPushButton("R&emove")
        self.remove_button.setAccessibleName("Remove the selected profile")
        list_buttons = QHBoxLayout()
        list_buttons.addWidget(self.add_button)
        list_buttons.addWidget(self.remove_button)
        left = QVBoxLayout()
        left.addWidget(QLabel("Profiles"))
        left.addWidget(self.profile_list, 1)
        left.addLayout(list_buttons)

        test_row, save_row = build_profile_form(self)
        self.url_edit.textEdited.connect(self._check_url)
        self.ca_browse.clicked.connect(self._browse_ca)

        profile_box = QGroupBox("Profile")
        right = QVBoxLayout(profile_box)
        right.addWidget(self.sandbox_note)
        right.addLayout(self.form)
        right.addLayout(test_row)
        right.addStretch(1)
        right.addLayout(save_row)

        top = QHBoxLayout()
        top.addLayout(left)
        top.addWidget(profile_box, 1)

        self.preferences = PreferencesBox(accounts)
        self.preferences.sig_failed.connect(
            lambda text: self._show(self.save_result, text, ERROR_ROLE)
        )
        self.refresh_spin = self.preferences.refresh_spin
        self.page_combo = self.preferences.page_combo
        self.notify_check = self.preferences.notify_check

        self.keyring_label = QLabel()
        self.keyring_label.setWordWrap(True)
        theme.use(self.keyring_label, MUTED_ROLE)
        self.keyring_label.setAccessibleName("Keyring status")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        bottom = QHBoxLayout()
        bottom.addWidget(self.keyring_label, 1)
        bottom.addWidget(buttons)

        # The body scrolls on a small screen (a laptop at 200 %); Close always stays in view.
        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.addWidget(self.welcome_label)
        body_layout.addLayout(top, 1)
        body_layout.addWidget(self.preferences)
        self.body_scroll = scroll_area(body)
        self.body_scroll.setObjectName("settingsScroll")
        layout = QVBoxLayout(self)
        layout.addWidget(self.body_scroll, 1)
        layout.addLayout(bottom)
        fit_on_show(self, QSize(860, 760))  # smaller screens: clamped, the body scrolls
        self.reload()

    @staticmethod
    def _show(label: QLabel, text: str, role: str) -> None:
        theme.use(label, role)
        label.setText(text)
        label.setVisible(bool(text))

    # -- loading -----------------------------------------------------------------------------

    def set_welcome(self, welcome: bool) -> None:
        self.welcome_label.setVisible(welcome)

    def reload(self, select: str | None = None) -> None:
        """Re-read settings into the list and the preferences; select ``select``."""
        settings = self.accounts.settings
        keep = select or self.editing or self.ctx.connection.profile
        self._fill_list()
        self.preferences.reload()
        self._update_keyring_state()
        self.select_profile(keep if keep in {p.name for p in settings.profiles} else None)

    def _fill_list(self, current: str | None = None) -> None:
        """Re-read the profile names into the list (marking ``current``), form untouched."""
        self.profile_list.blockSignals(True)
        self.profile_list.clear()
        for profile in self.accounts.settings.profiles:
            label = profile.name
            if profile.is_sandbox:
                label += "  (built in, demo data)"
            if profile.name == self.ctx.connection.profile:
                label += "  ●"
            item = QListWidgetItem(label)
            item.setData(NAME_ROLE, profile.name)
            self.profile_list.addItem(item)
            if profile.name == current:
                self.profile_list.setCurrentItem(item)
        self.profile_list.blockSignals(False)

    def select_profile(self, name: str | None) -> None:
        for row in range(self.profile_list.count()):
            item = self.profile_list.item(row)
            if name is None or item.data(NAME_ROLE) == name:
                self.profile_list.setCurrentRow(row)
                self._load(item.data(NAME_ROLE))
                return

    def _selection_changed(self, current: QListWidgetItem | None, _prev: object) -> None:
        if current is not None:
            self._load(current.data(NAME_ROLE))

    def _update_keyring_state(self) -> None:
        available = self.accounts.keyring_available()
        self.keyring_label.setText(self.accounts.keyring_status())
        # Without a keyring the note beside the key says it all: not twice.
        self.keyring_label.setVisible(available)
        if available:
            self.keyring_note.hide()
            self.session_check.setEnabled(True)
        else:
            self.keyring_note.setText(
                NO_KEYRING_MESSAGE + ". Tick “Keep the key for this session only” to use it "
                "until the app closes; it is never written to a file."
            )
            self.keyring_note.show()

    def _load(self, name: str | None) -> None:
        """Fill the form from profile ``name`` (None: a new, empty profile)."""
        self.editing = name
        for label in (self.url_error, self.test_result, self.save_result):
            label.hide()
        profile = self.accounts.settings.profile(name) if name is not None else None
        sandbox = profile is not None and profile.is_sandbox
        self.sandbox_note.setVisible(sandbox)
        self.name_edit.setText(profile.name if profile else self._new_name())
        self.url_edit.setText(profile.base_url if profile else "")
        self.account_edit.setText((profile.account_id or "") if profile else "")
        self.ca_edit.setText((profile.ca_bundle or "") if profile else "")
        self.key_field.clear()
        self._loaded_key = ""
        self.session_check.setChecked(False)
        for widget in (
            self.name_edit,
            self.url_edit,
            self.account_edit,
            self.key_field,
            self.ca_edit,
            self.ca_browse,
            self.session_check,
            self.forget_button,
        ):
            widget.setEnabled(not sandbox)
        self.remove_button.setEnabled(not sandbox and name is not None)
        self.save_button.setEnabled(not sandbox)
        self.use_button.setEnabled(name is not None and name != self.ctx.connection.profile)
        if sandbox:
            self.key_field.setPlaceholderText("the sandbox's demo key is used")
            self.key_status.setText("")
        else:
            self.key_field.setPlaceholderText("ntk_…  (from the Partner Portal)")
            self._update_keyring_state()
        if name is not None and not sandbox:
            self.key_status.setText("Reading the keyring…")
            self.ctx.tasks.run(
                "settings:load-key",
                self.accounts.keys.aget(name),
                functools.partial(self._key_loaded, name),
                functools.partial(self._key_load_failed, name),
                owner=self,
            )
        elif not sandbox:
            self.key_status.setText("Paste the API key from the Partner Portal.")

    def _new_name(self) -> str:
        names = {p.name.casefold() for p in self.accounts.settings.profiles}
        if "production" not in names:
            return "Production"
        n = 2
        while f"profile {n}" in names:
            n += 1
        return f"Profile {n}"

    def _key_loaded(self, name: str, key: str | None) -> None:
        if name != self.editing:
            return
        self._loaded_key = key or ""
        self.key_field.setText(self._loaded_key)
        if not key:
            text = "No key stored for this profile yet."
        elif self.accounts.keys.is_session_only(name):
            text = "Kept in memory for this session only (not saved)."
            self.session_check.setChecked(True)
        else:
            text = f"Stored in the system keyring ({self.accounts.keys.backend_name()})."
        self.key_status.setText(text)
        self.sig_key_loaded.emit(text)

    def _key_load_failed(self, name: str, exc: BaseException) -> None:
        if name != self.editing:
            return
        if isinstance(exc, KeyringUnavailableError):
            text = "No system keyring: the key is not stored. Paste it to use it this session."
            self.session_check.setChecked(True)
        else:
            text = f"The keyring could not be read: {error_text(exc)}"
        self.key_status.setText(text)
        self.sig_key_loaded.emit(text)

    # -- form → profile ----------------------------------------------------------------------

    def _check_url(self) -> bool:
        url = self.url_edit.text().strip()
        if not url:
            self._show(self.url_error, "", ERROR_ROLE)
            return False
        try:
            validate_base_url(url)
        except ConfigurationError as exc:
            self._show(self.url_error, exc.message, ERROR_ROLE)
            return False
        self._show(self.url_error, "", ERROR_ROLE)
        return True

    def form_profile(self) -> Profile:
        """The profile described by the form.

        Raises:
            ConfigurationError: the API address is missing or not allowed (shown by the field).
            ValueError: another field is invalid.
        """
        if self.editing is not None and self.accounts.settings.profile(self.editing).is_sandbox:
            return self.accounts.settings.profile(self.editing)
        name = self.name_edit.text().strip()
        if not name:
            raise SettingsError("The profile needs a name")
        url = self.url_edit.text().strip()
        if not url:
            self._show(self.url_error, "Enter the API address (https://…)", ERROR_ROLE)
            raise ConfigurationError("Enter the API address (https://…)", code="NO_ADDRESS")
        try:
            url = validate_base_url(url)
        except ConfigurationError as exc:
            self._show(self.url_error, exc.message, ERROR_ROLE)
            raise
        self._show(self.url_error, "", ERROR_ROLE)
        if looks_like_key(self.account_edit.text()):
            # Saved as is, it would put the key in the settings file.
            self.account_edit.setFocus()
            raise SettingsError(
                "The Partner account ID looks like an API key: paste the key in the API key "
                "field (it is kept in the system keyring, never in a file)"
            )
        return Profile(
            name=name,
            base_url=url,
            kind="account",
            account_id=self.account_edit.text().strip() or None,
            ca_bundle=self.ca_edit.text().strip() or None,
        )

    def _browse_ca(self) -> None:
        dialog = start_in(QFileDialog(self, "Choose a CA bundle (PEM)"), CERTIFICATES)
        dialog.setNameFilters(["Certificates (*.pem *.crt *.cer)", "All files (*)"])
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(self.ca_edit.setText)
        dialog.open()  # never exec(): a nested event loop inside a running task
