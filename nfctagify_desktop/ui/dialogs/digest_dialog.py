"""'Since you last looked': the changes between sessions, each a link to the filtered list."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QSize, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
)

from nfctagify_desktop.order_status import OrderStatus
from nfctagify_desktop.store.last_look import COUNTED, Digest
from nfctagify_desktop.ui.format import ago, local_time
from nfctagify_desktop.ui.geometry import fit_on_show
from nfctagify_desktop.ui.menu_slots import MenuSlot

if TYPE_CHECKING:
    from nfctagify_desktop.ui.main_window import MainWindow

_WORDS = {"dispatched": "dispatched", "delivered": "delivered", "cancelled": "cancelled"}


def _orders(n: int) -> str:
    return f"{n} order" + ("" if n == 1 else "s")


class DigestDialog(QDialog):
    """Non-modal: the window stays usable while it is open.

    Each line is a button: it shows those orders on the Orders tab (by status, or placed since
    the last look for new orders). "Mark as seen" makes now the last look.
    """

    def __init__(self, window: MainWindow, digest: Digest) -> None:
        super().__init__(window)
        self.window_ = window
        self.digest = digest
        self.setWindowTitle("Since you last looked")
        account = window.services.ctx.account.profile
        heading = QLabel(
            f"<b>{account}</b>: what changed since {local_time(digest.since)} ({ago(digest.since)})"
        )
        heading.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        self.buttons: dict[str, QPushButton] = {}
        lines: list[tuple[str, str, Callable[[], None]]] = []
        for status in COUNTED:
            n = digest.count(status)
            if n:
                lines.append((status, f"{_orders(n)} {_WORDS[status]}", self._status(status)))
        for status, ids in sorted(digest.moved.items()):
            if status not in COUNTED and ids:
                lines.append((status, f"{_orders(len(ids))} now {status}", self._status(status)))
        if digest.new:
            n = len(digest.new)
            lines.append(("new", f"{n} new order{'' if n == 1 else 's'}", self._new_orders))
        for key, text, slot in lines:
            button = QPushButton(text)
            button.setAccessibleName(f"Show the {text}")
            button.setStyleSheet("text-align: left; padding: 6px 10px;")
            button.clicked.connect(slot)
            self.buttons[key] = button
            layout.addWidget(button)
        if not lines:
            layout.addWidget(QLabel("Nothing changed."))
        layout.addStretch(1)  # spare height below the lines, not between the heading's lines
        box = QDialogButtonBox()
        self.seen_button = box.addButton("&Mark as seen", QDialogButtonBox.ButtonRole.AcceptRole)
        self.later_button = box.addButton("&Later", QDialogButtonBox.ButtonRole.RejectRole)
        box.accepted.connect(self._seen)
        box.rejected.connect(self.reject)
        layout.addWidget(box)
        fit_on_show(self, QSize(380, 200))

    def _status(self, status: str) -> Callable[[], None]:
        def show() -> None:
            tab = self.window_.orders_tab
            self.window_.tabs.setCurrentWidget(tab)
            tab.set_status_filter(OrderStatus(status))

        return show

    def _new_orders(self) -> None:
        tab = self.window_.orders_tab
        self.window_.tabs.setCurrentWidget(tab)
        tab.set_status_filter(None)
        since: date = self.digest.since.astimezone().date()
        tab.from_filter.set_value(QDate(since.year, since.month, since.day))

    def _seen(self) -> None:
        self.window_.services.digest.mark_looked()
        self.accept()


def show_digest(window: MainWindow, digest: Digest, *, activate: bool = True) -> DigestDialog:
    """``activate=False`` when it comes by itself after a sync: it must not take the keys
    from what the user is typing (it is raised, and a click or Alt+Tab reaches it)."""
    dialog = DigestDialog(window, digest)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating, not activate)
    dialog.show()
    return dialog


def digest_on_demand(window: MainWindow) -> DigestDialog | None:
    """View > Since you last looked: the digest now, or a line saying there is nothing."""
    digest = window.services.digest.current()
    if digest is None or digest.empty:
        when = f" ({ago(digest.since)})" if digest is not None else ""
        window.ctx.status(f"Nothing changed since you last looked{when}", 6000)
        return None
    return show_digest(window, digest)


def install_digest(window: MainWindow) -> None:
    """Offer the digest after the first sync, and on demand from the View menu."""
    window.services.digest.sig_digest.connect(
        lambda digest: show_digest(window, digest, activate=False)
    )
    window.add_action(
        MenuSlot.VIEW_SECTIONS,
        window.new_action(
            "Since you &last looked…", lambda: digest_on_demand(window), "Ctrl+Shift+L"
        ),
    )


__all__ = ["DigestDialog", "digest_on_demand", "install_digest", "show_digest"]
