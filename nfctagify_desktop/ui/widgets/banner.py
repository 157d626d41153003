"""An inline error banner: the server's words, and what the user can do about them."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QDateTime, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from nfctagify_desktop.ui import theme
from nfctagify_desktop.ui.errors import describe


class ErrorBanner(QFrame):
    """Shows one error at a time above a view.

    Signals:
        sig_key_requested(): the user wants to enter a new API key (after a 401).
    """

    sig_key_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("errorBanner")
        self.setAccessibleName("Error message")
        theme.keep_styled(
            self,
            lambda: (
                theme.css("banner.error", "#errorBanner", extra="border-radius: 6px;")
                + f"#errorBanner QLabel {{ color: {theme.swatch('banner.error').fg}; }}"
            ),
        )
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.label, 1)
        self.retry_button = QPushButton("Retry")
        self.retry_button.setAccessibleName("Retry the failed request")
        self.key_button = QPushButton("Enter new key…")
        self.key_button.setAccessibleName("Enter a new API key")
        self.copy_button = QPushButton("Copy support details")
        self.copy_button.setAccessibleName("Copy support details to the clipboard")
        self.close_button = QPushButton("✕")
        self.close_button.setFlat(True)
        self.close_button.setFixedWidth(28)
        self.close_button.setAccessibleName("Dismiss the error")
        for button in (self.retry_button, self.key_button, self.copy_button, self.close_button):
            layout.addWidget(button)
        self.retry_button.clicked.connect(self._retry)
        self.key_button.clicked.connect(self.sig_key_requested)
        self.copy_button.clicked.connect(self._copy)
        self.close_button.clicked.connect(self.clear)
        self._retry_cb: Callable[[], None] | None = None
        self._details: Callable[[BaseException], str] | None = None
        self.error: BaseException | None = None
        self._auto_retry = QTimer(self)
        self._auto_retry.setSingleShot(True)
        self._auto_retry.timeout.connect(self._retry)
        self.hide()

    def set_details_provider(self, provider: Callable[[BaseException], str]) -> None:
        self._details = provider

    def show_error(self, err: BaseException, retry: Callable[[], None] | None = None) -> None:
        view = describe(err)
        self.error = err
        self._retry_cb = retry
        text = view.text
        self._auto_retry.stop()
        if view.action == "wait" and retry is not None and view.retry_after is not None:
            at = QDateTime.currentDateTime().addSecs(int(view.retry_after) + 1)
            text += f" (at {at.toString('HH:mm:ss')})"
            self._auto_retry.start(int((view.retry_after + 0.5) * 1000))
        self.label.setText(text)
        self.retry_button.setVisible(retry is not None and view.action in ("retry", "wait", ""))
        self.key_button.setVisible(view.action == "key")
        self.copy_button.setVisible(self._details is not None)
        self.show()

    def clear(self) -> None:
        self._auto_retry.stop()
        self.error = None
        self._retry_cb = None
        self.hide()

    @property
    def text(self) -> str:
        return "" if self.isHidden() else self.label.text()

    def _retry(self) -> None:
        callback = self._retry_cb
        self.clear()
        if callback is not None:
            callback()

    def _copy(self) -> None:
        if self.error is not None and self._details is not None:
            QGuiApplication.clipboard().setText(self._details(self.error))
            self.copy_button.setText("Copied ✓")
            # With the button as context: the timer dies with it (no call on a deleted widget).
            QTimer.singleShot(
                2000, self.copy_button, lambda: self.copy_button.setText("Copy support details")
            )
