"""The main window's permanent status-bar widgets: busy indicator, account, sandbox badge."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QLabel, QProgressBar, QStatusBar

from nfctagify_desktop.ui import theme
from nfctagify_desktop.ui.widgets.elided_label import ElidedLabel

#: Status-bar time of an unhandled background failure.
TASK_ERROR_MS = 15_000


class StatusWidgets(QObject):
    """Adds its widgets to ``bar``, right-aligned: busy text and bar, account, badge.

    A QObject of the bar, so that signals connected to it end with the window.
    """

    def __init__(self, bar: QStatusBar) -> None:
        super().__init__(bar)
        self.busy_bar = QProgressBar()
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setMaximumWidth(110)
        self.busy_bar.setMaximumHeight(14)
        self.busy_bar.setTextVisible(False)
        self.busy_bar.setAccessibleName("Working")
        self.busy_bar.hide()
        self.busy_label = QLabel("")
        # Elided in a narrow window (the whole text is its tooltip), never cut mid-letter.
        self.connection_label = ElidedLabel(mode=Qt.TextElideMode.ElideMiddle)
        self.connection_label.setAccessibleName("Connected account")
        self.sandbox_badge = QLabel(" SANDBOX ")
        self.sandbox_badge.setObjectName("sandboxBadge")
        self.sandbox_badge.setAccessibleName("Sandbox mode")
        self.sandbox_badge.setToolTip(
            "Using the built-in local sandbox: demo data, nothing is really ordered"
        )
        theme.use(
            self.sandbox_badge,
            "badge.sandbox",
            selector="#sandboxBadge",
            extra="font-weight: 700; border-radius: 4px; padding: 1px 6px;",
        )
        for widget in (self.busy_label, self.busy_bar, self.connection_label, self.sandbox_badge):
            bar.addPermanentWidget(widget)

    def set_busy(self, count: int) -> None:
        self.busy_bar.setVisible(count > 0)
        self.busy_label.setText("Loading…" if count > 0 else "")

    def show_account(self, profile: str, base_url: str, *, sandbox: bool) -> None:
        """The server the profile talks to. The profile's name is already beside it (the
        link's "Connected — name" and the switcher), and the sandbox's loopback address says
        nothing a user needs: its badge stands for it."""
        self.connection_label.setText(base_url)
        self.connection_label.setToolTip(f"{profile} · {base_url}")
        self.connection_label.setVisible(not sandbox)
        self.sandbox_badge.setVisible(sandbox)
