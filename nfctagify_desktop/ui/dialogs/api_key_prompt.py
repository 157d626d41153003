"""Asking for an API key: after a 401 (rotated key) or on first use of a profile.

Non-modal (never ``exec()`` inside a qasync task): the prompt emits
``sig_submitted`` and the account controller saves the key off the GUI thread, then calls
:meth:`ApiKeyPrompt.succeeded` or :meth:`ApiKeyPrompt.failed`.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from nfctagify_desktop.ui import theme
from nfctagify_desktop.ui.geometry import fit_on_show

#: The shape of a note box; its colours come from the ``banner.note`` role.
NOTE_SHAPE = "border-radius: 4px; padding: 4px 6px;"


class KeyField(QWidget):
    """A masked API-key field with a Show/Hide toggle.

    Signals:
        textChanged(str): the key text changed (masked or not).
    """

    textChanged = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit()
        self.edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.edit.setPlaceholderText("ntk_…")
        self.edit.setAccessibleName("API key")
        # Never let the platform input method learn or predict the key.
        self.edit.setInputMethodHints(
            Qt.InputMethodHint.ImhHiddenText
            | Qt.InputMethodHint.ImhSensitiveData
            | Qt.InputMethodHint.ImhNoPredictiveText
        )
        self.edit.textChanged.connect(self.textChanged)
        self.toggle = QPushButton("Show")
        self.toggle.setCheckable(True)
        self.toggle.setAccessibleName("Show or hide the API key")
        self.toggle.setToolTip("Show or hide the key")
        self.toggle.toggled.connect(self.set_revealed)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.toggle)
        self.setFocusProxy(self.edit)  # a label's Alt+letter lands in the key itself

    def set_revealed(self, revealed: bool) -> None:
        self.edit.setEchoMode(
            QLineEdit.EchoMode.Normal if revealed else QLineEdit.EchoMode.Password
        )
        self.toggle.setText("Hide" if revealed else "Show")
        if self.toggle.isChecked() != revealed:
            self.toggle.setChecked(revealed)

    @property
    def revealed(self) -> bool:
        return self.edit.echoMode() == QLineEdit.EchoMode.Normal

    def text(self) -> str:
        return self.edit.text().strip()

    def setText(self, text: str) -> None:
        self.edit.setText(text)

    def clear(self) -> None:
        self.edit.clear()
        self.set_revealed(False)

    def setPlaceholderText(self, text: str) -> None:
        self.edit.setPlaceholderText(text)


class ApiKeyPrompt(QDialog):
    """A small non-modal window to paste a (rotated) key for one profile.

    Signals:
        sig_submitted(str, bool): the key and "session only"; the controller saves it.
    """

    sig_submitted = Signal(str, bool)

    def __init__(
        self,
        profile: str,
        *,
        reason: str = "",
        keyring_available: bool = True,
        keyring_message: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.profile = profile
        self.setObjectName("apiKeyPrompt")
        self.setWindowTitle(f"API key for {profile}")
        self.setModal(False)
        self.setWindowModality(Qt.WindowModality.NonModal)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        self.setMinimumWidth(460)
        fit_on_show(self)

        self.reason_label = QLabel()
        self.reason_label.setWordWrap(True)
        self.reason_label.setTextFormat(Qt.TextFormat.PlainText)
        self.key_field = KeyField()
        self.keyring_note = QLabel()
        self.keyring_note.setWordWrap(True)
        theme.use(self.keyring_note, "banner.note", extra=NOTE_SHAPE)
        self.session_check = QCheckBox("Keep the key for this session only (not saved)")
        self.session_check.setAccessibleName("Keep the key for this session only")
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        theme.use(self.error_label, "text.error")
        self.error_label.setAccessibleName("Problem saving the key")
        self.error_label.hide()

        self.buttons = QDialogButtonBox()
        self.save_button = self.buttons.addButton(
            "Save and retry", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.save_button.setDefault(True)
        self.save_button.setEnabled(False)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.save_button.clicked.connect(self._submit)
        self.cancel_button.clicked.connect(self.reject)
        self.key_field.textChanged.connect(
            lambda text: self.save_button.setEnabled(bool(text.strip()))
        )
        self.key_field.edit.returnPressed.connect(self._submit)

        layout = QVBoxLayout(self)
        layout.addWidget(self.reason_label)
        layout.addWidget(QLabel(f"New API key for the profile “{profile}”:"))
        layout.addWidget(self.key_field)
        layout.addWidget(self.keyring_note)
        layout.addWidget(self.session_check)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.set_reason(reason)
        self.set_keyring_available(keyring_available, keyring_message)

    def set_reason(self, reason: str) -> None:
        self.reason_label.setText(
            reason
            or "The Partner API rejected the API key (HTTP 401). If it was rotated in the "
            "Partner Portal, paste the new key; the failed request is then retried."
        )

    def set_keyring_available(self, available: bool, message: str = "") -> None:
        """Without a keyring the key can only be kept for this session: say so plainly."""
        if available:
            self.keyring_note.hide()
            self.session_check.setEnabled(True)
        else:
            self.keyring_note.setText(
                (message or "No system keyring is available on this machine")
                + ". The key will be kept in memory for this session only and asked for "
                "again next time; it is never written to a file."
            )
            self.keyring_note.show()
            self.session_check.setChecked(True)
            self.session_check.setEnabled(False)

    def _submit(self) -> None:
        key = self.key_field.text()
        if not key or not self.save_button.isEnabled():
            return
        self.error_label.hide()
        self.save_button.setEnabled(False)
        self.save_button.setText("Saving…")
        self.sig_submitted.emit(key, self.session_check.isChecked())

    def failed(self, message: str) -> None:
        """Saving or using the key failed: show why and let the user try again."""
        self.error_label.setText(message)
        self.error_label.show()
        self.save_button.setText("Save and retry")
        self.save_button.setEnabled(bool(self.key_field.text()))

    def succeeded(self) -> None:
        self.key_field.clear()
        self.accept()
