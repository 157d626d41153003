"""The status bar's connection state and waiting notice, as the LinkStatus service tells them.

"Connected — Production" in green only after a call succeeded; "Not connected — <reason>" in
red with what to do in its tooltip and a "Details…" button for support; "Waiting for the
Partner API…" with Cancel while a call has been pending for a moment.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QToolButton, QWidget

from nfctagify_desktop.services.link import WAITING_TEXT, LinkState, LinkStatus, LinkView
from nfctagify_desktop.ui import theme
from nfctagify_desktop.ui.widgets.elided_label import ElidedLabel

_ROLE = {
    LinkState.CONNECTED: "text.ok",
    LinkState.CONNECTING: "hint",
    LinkState.NOT_CONNECTED: "text.error",
}


class LinkIndicator(QWidget):
    """One line in the status bar; never claims more than the last call showed.

    Signals:
        sig_details_requested(object): "Details…" was pressed (the error to explain).
    """

    sig_details_requested = Signal(object)

    def __init__(self, link: LinkStatus, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("linkIndicator")
        self.link = link
        # Elided when the window is narrow: the whole sentence stays in its tooltip.
        self.state_label = ElidedLabel()
        self.state_label.setObjectName("linkState")
        self.state_label.setAccessibleName("Connection")
        self.state_label.setMaximumWidth(560)
        self.details_button = QToolButton()
        self.details_button.setText("Details…")
        self.details_button.setAccessibleName("Connection problem details")
        self.details_button.setToolTip("What went wrong, to copy for NFC Tagify support")
        self.details_button.clicked.connect(self._details)
        self.waiting_label = QLabel(WAITING_TEXT)
        self.waiting_label.setObjectName("linkWaiting")
        self.waiting_label.setAccessibleName("Waiting")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setAccessibleName("Cancel waiting requests")
        self.cancel_button.setToolTip("Stop waiting for the Partner API")
        self.cancel_button.clicked.connect(self.link.cancel_waiting)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.waiting_label)
        layout.addWidget(self.cancel_button)
        layout.addWidget(self.state_label)
        layout.addWidget(self.details_button)
        link.sig_changed.connect(self.show_view)
        link.sig_waiting_changed.connect(self.show_waiting)
        self.show_view(link.view)
        self.show_waiting(link.waiting)

    def show_view(self, view: LinkView) -> None:
        self.state_label.setText(view.text)
        tip = view.action if view.state is LinkState.NOT_CONNECTED else str(view.account)
        self.state_label.setToolTip(tip)
        theme.use(self.state_label, _ROLE[view.state], selector="#linkState")
        self.details_button.setVisible(view.error is not None)

    def show_waiting(self, waiting: bool) -> None:
        self.waiting_label.setVisible(waiting)
        self.cancel_button.setVisible(waiting)

    def _details(self) -> None:
        error = self.link.view.error
        if error is not None:
            self.sig_details_requested.emit(error)
