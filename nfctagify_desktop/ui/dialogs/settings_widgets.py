"""The Settings dialog's widgets: the profile form, and the general preferences box."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from nfctagify_desktop.services.accounts import AccountService
from nfctagify_desktop.store.settings import (
    AUTO_REFRESH_MAX_MINUTES,
    ORDERS_PER_PAGE_CHOICES,
    TIME_LIMIT_RANGE,
    Settings,
)
from nfctagify_desktop.ui import theme
from nfctagify_desktop.ui.appearance import THEME_LABELS, ThemeChoice
from nfctagify_desktop.ui.dialogs.api_key_prompt import NOTE_SHAPE, KeyField
from nfctagify_desktop.ui.mnemonics import with_mnemonic

if TYPE_CHECKING:
    from nfctagify_desktop.ui.dialogs.settings_profiles import ProfilesDialogBase

#: Colour roles of the dialog's one-line messages.
OK_ROLE = "text.ok"
ERROR_ROLE = "text.error"
MUTED_ROLE = "hint"
NAME_ROLE = Qt.ItemDataRole.UserRole
#: Alt+letters of the preferences: none of the profile form's (a, b, c, d, e, f, k, n, s, t,
#: u, v, w), so every Alt+letter in the dialog reaches exactly one control.
PREFERENCE_KEYS = {
    "auto_refresh_minutes": "r",
    "orders_per_page": "o",
    "request_time_limit_seconds": "i",
    "theme": "h",
    "business_details": "y",
}
SANDBOX_NOTE = (
    "Built in: a sandbox server on this computer with demo data and its own demo key. "
    "Nothing is really ordered or charged. It cannot be removed."
)


def message_label(name: str) -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setAccessibleName(name)
    label.hide()
    return label


def build_profile_form(dialog: ProfilesDialogBase) -> tuple[QHBoxLayout, QHBoxLayout]:
    """The selected profile's fields (as attributes of ``dialog``); the test and save rows."""
    # -- profile form --------------------------------------------------------------------
    dialog.sandbox_note = QLabel(SANDBOX_NOTE)
    dialog.sandbox_note.setWordWrap(True)
    theme.use(dialog.sandbox_note, "banner.note", extra=NOTE_SHAPE)
    dialog.name_edit = QLineEdit()
    dialog.name_edit.setAccessibleName("Profile name")
    dialog.name_edit.setPlaceholderText("Production")
    dialog.url_edit = QLineEdit()
    dialog.url_edit.setAccessibleName("API address")
    dialog.url_edit.setPlaceholderText("https://…")
    dialog.url_error = message_label("Problem with the API address")
    dialog.account_edit = QLineEdit()
    dialog.account_edit.setAccessibleName("Partner account ID")
    dialog.account_edit.setPlaceholderText("optional, e.g. acc_123 (Partner Portal)")
    dialog.key_field = KeyField()
    dialog.key_status = QLabel()
    dialog.key_status.setWordWrap(True)
    theme.use(dialog.key_status, MUTED_ROLE)
    dialog.key_status.setAccessibleName("API key storage")
    dialog.keyring_note = QLabel()
    dialog.keyring_note.setWordWrap(True)
    theme.use(dialog.keyring_note, "banner.note", extra=NOTE_SHAPE)
    dialog.keyring_note.hide()
    dialog.session_check = QCheckBox("Keep the key for this &session only (not saved)")
    dialog.session_check.setAccessibleName("Keep the key for this session only")
    dialog.forget_button = QPushButton("&Forget key")
    dialog.forget_button.setAccessibleName("Delete the stored API key of this profile")
    key_row = QHBoxLayout()
    key_row.addWidget(dialog.session_check, 1)
    key_row.addWidget(dialog.forget_button)
    dialog.ca_edit = QLineEdit()
    dialog.ca_edit.setAccessibleName("CA bundle file")
    dialog.ca_edit.setPlaceholderText("optional: PEM file of a corporate CA")
    dialog.ca_edit.setToolTip(
        "Trusted in addition to the system's certificates, e.g. for a TLS-inspecting "
        "corporate proxy. Certificates are always verified."
    )
    dialog.ca_browse = QPushButton("Bro&wse…")
    dialog.ca_browse.setAccessibleName("Choose a CA bundle file")
    ca_row = QHBoxLayout()
    ca_row.addWidget(dialog.ca_edit, 1)
    ca_row.addWidget(dialog.ca_browse)

    dialog.form = QFormLayout()
    dialog.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
    dialog.form.addRow("&Name:", dialog.name_edit)
    dialog.form.addRow("API a&ddress:", dialog.url_edit)
    dialog.form.addRow("", dialog.url_error)
    dialog.form.addRow("Partner a&ccount ID:", dialog.account_edit)
    key_label = QLabel("API &key:")
    key_label.setBuddy(dialog.key_field.edit)  # a buddy without focus of its own is skipped
    dialog.form.addRow(key_label, dialog.key_field)
    dialog.form.addRow("", dialog.key_status)
    dialog.form.addRow("", dialog.keyring_note)
    dialog.form.addRow("", key_row)
    ca_label = QLabel("CA &bundle:")
    ca_label.setBuddy(dialog.ca_edit)
    dialog.form.addRow(ca_label, ca_row)

    dialog.test_button = QPushButton("&Test connection")
    dialog.test_button.setAccessibleName("Test the connection with these settings")
    dialog.test_result = message_label("Connection test result")
    dialog.test_result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    test_row = QHBoxLayout()
    test_row.addWidget(dialog.test_button)
    test_row.addWidget(dialog.test_result, 1)
    test_row.addStretch()

    dialog.save_button = QPushButton("Sa&ve profile")
    dialog.save_button.setAccessibleName("Save this profile and its key")
    dialog.use_button = QPushButton("&Use this profile")
    dialog.use_button.setAccessibleName("Switch the window to this profile")
    dialog.save_result = message_label("Save result")
    save_row = QHBoxLayout()
    save_row.addWidget(dialog.save_button)
    save_row.addWidget(dialog.use_button)
    save_row.addWidget(dialog.save_result, 1)
    save_row.addStretch()
    return test_row, save_row


def _title(name: str) -> str:
    return Settings.model_fields[name].title or name


def _description(name: str) -> str:
    return Settings.model_fields[name].description or ""


class PreferencesBox(QGroupBox):
    """General preferences, saved as soon as they change.

    Signals:
        sig_failed(str): the preferences could not be saved (a sentence for the dialog).
    """

    sig_failed = Signal(str)

    def __init__(self, accounts: AccountService, parent: QWidget | None = None) -> None:
        super().__init__("General", parent)
        self.accounts = accounts
        self.refresh_spin = QSpinBox()
        self.refresh_spin.setRange(0, AUTO_REFRESH_MAX_MINUTES)
        self.refresh_spin.setSuffix(" min")
        self.refresh_spin.setSpecialValueText("Off")
        self.refresh_spin.setAccessibleName("Auto-refresh interval in minutes")
        self.page_combo = QComboBox()
        self.page_combo.setAccessibleName("Orders per page")
        for size in ORDERS_PER_PAGE_CHOICES:
            self.page_combo.addItem(str(size), size)
        limit = Settings.model_fields["request_time_limit_seconds"]
        self.time_limit_spin = QSpinBox()
        self.time_limit_spin.setRange(*TIME_LIMIT_RANGE)
        self.time_limit_spin.setSuffix(" s")
        self.time_limit_spin.setAccessibleName(limit.title or "Time limit per action")
        self.time_limit_spin.setToolTip(limit.description or "")
        self.refresh_spin.setMinimumWidth(110)
        self.page_combo.setMinimumWidth(110)
        self.time_limit_spin.setMinimumWidth(110)
        self.notify_check = QCheckBox(with_mnemonic(_title("notify_status_changes"), "m"))
        self.notify_check.setAccessibleName("Notify status changes")
        self.theme_combo = QComboBox()
        self.theme_combo.setAccessibleName("Theme")
        for choice, label in THEME_LABELS.items():
            self.theme_combo.addItem(label, choice.value)
        self.theme_combo.setMinimumWidth(110)
        business = Settings.model_fields["business_details"]
        self.business_edit = QPlainTextEdit()
        self.business_edit.setAccessibleName(business.title or "Your business details")
        self.business_edit.setToolTip(business.description or "")
        self.business_edit.setPlaceholderText(
            "Acme Cards Ltd\n1 High Street, Leeds LS1 1AA\nVAT GB123"
        )
        self.business_edit.setTabChangesFocus(True)
        self.business_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 12)
        # Saved once typing pauses, not on every keystroke.
        self._business_timer = QTimer(self, singleShot=True, interval=600)
        self._business_timer.timeout.connect(self.save)
        self.business_edit.textChanged.connect(self._business_timer.start)
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        rows: tuple[tuple[str, QWidget], ...] = (
            ("auto_refresh_minutes", self.refresh_spin),
            ("orders_per_page", self.page_combo),
            ("request_time_limit_seconds", self.time_limit_spin),
            ("notify_status_changes", self.notify_check),
            ("theme", self.theme_combo),
            ("business_details", self.business_edit),
        )
        for name, widget in rows:
            # Words from the settings model, so the file and the dialog say the same.
            widget.setToolTip(_description(name))
            widget.setAccessibleDescription(_description(name))
            if widget is self.notify_check:
                form.addRow("", widget)
            else:
                caption = QLabel(with_mnemonic(f"{_title(name)}:", PREFERENCE_KEYS[name]))
                caption.setBuddy(widget)
                form.addRow(caption, widget)
        self.refresh_spin.valueChanged.connect(self.save)
        self.time_limit_spin.valueChanged.connect(self.save)
        self.theme_combo.currentIndexChanged.connect(self.save)
        self.page_combo.currentIndexChanged.connect(self.save)
        self.notify_check.toggled.connect(self.save)

    def reload(self) -> None:
        """Show the saved values (without saving them back)."""
        settings = self.accounts.settings
        widgets = (
            self.refresh_spin,
            self.page_combo,
            self.notify_check,
            self.theme_combo,
            self.time_limit_spin,
        )
        for widget in widgets:
            widget.blockSignals(True)
        self.refresh_spin.setValue(settings.auto_refresh_minutes)
        self.time_limit_spin.setValue(settings.request_time_limit_seconds)
        self.page_combo.setCurrentIndex(max(0, self.page_combo.findData(settings.orders_per_page)))
        self.notify_check.setChecked(settings.notify_status_changes)
        theme_index = self.theme_combo.findData(settings.theme)
        self.theme_combo.setCurrentIndex(max(0, theme_index))
        if self.business_edit.toPlainText() != settings.business_details:
            self.business_edit.blockSignals(True)
            self.business_edit.setPlainText(settings.business_details)
            self.business_edit.blockSignals(False)
        for widget in widgets:
            widget.blockSignals(False)

    def save(self) -> None:
        try:
            self.accounts.save_preferences(
                auto_refresh_minutes=self.refresh_spin.value(),
                request_time_limit_seconds=self.time_limit_spin.value(),
                orders_per_page=int(self.page_combo.currentData()),
                notify_status_changes=self.notify_check.isChecked(),
                theme=str(self.theme_combo.currentData() or ThemeChoice.SYSTEM.value),
                business_details=self.business_edit.toPlainText().strip(),
            )
        except (ValueError, OSError) as exc:
            self.sig_failed.emit(f"Preferences not saved: {exc}")
