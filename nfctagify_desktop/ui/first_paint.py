"""The Orders page of the very first paint: the mirror's newest orders, before any network code.

Shown inside the main window while the network stack (httpx, pydantic, qasync, keyring, the
sandbox) loads right after it; the window then puts the full Orders tab in its place. Nothing
imported here loads those packages (a test checks ``sys.modules`` at the paint).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from nfctagify_desktop.store.account import AccountId
from nfctagify_desktop.store.mirror import MirrorPage, MirrorQuery, mirror_path, open_mirror
from nfctagify_desktop.ui.models.mirror_orders_model import MirrorOrdersModel
from nfctagify_desktop.ui.widgets.status_badge import StatusBadgeDelegate
from nfctagify_desktop.ui.widgets.table_view import TableView

log = logging.getLogger("nfctagify.first_paint")

FIRST_PAGE = MirrorQuery(per_page=50)


def read_first_page(account: AccountId | None) -> tuple[MirrorPage | None, str]:
    """The newest orders of ``account`` and its "synced N of M" line; (None, "") if none.

    Never creates a mirror file: an account never synced has nothing to show yet.
    """
    if account is None:
        return None, ""
    try:
        if not mirror_path(account.slug).exists():
            return None, ""
        with open_mirror(account.slug, account.key) as mirror:
            page = mirror.page(FIRST_PAGE)
            text = mirror.state().progress_text(mirror.count())
    except Exception:  # the mirror is a convenience: the window opens anyway
        log.exception("could not read the order mirror for the first paint")
        return None, ""
    return page, text


class FirstPaintOrders(QWidget):
    """The newest mirrored orders of the account the app is opening.

    Signals:
        sig_painted(): the table was painted once (the window is on screen with data).
    """

    sig_painted = Signal()

    def __init__(self, account: AccountId | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("firstPaintOrders")
        self.account = account
        page, progress = read_first_page(account)
        self.page = page
        self.progress_label = QLabel(progress or "Loading orders…")
        self.progress_label.setObjectName("syncProgress")
        self.progress_label.setAccessibleName("Orders sync progress")
        self.model = MirrorOrdersModel(self)
        self.view = TableView("ordersTable")
        self.view.setModel(self.model)
        self.view.setAccessibleName("Orders table")
        self.view.setItemDelegateForColumn(
            MirrorOrdersModel.STATUS_COLUMN, StatusBadgeDelegate(self.view)
        )
        self.view.horizontalHeader().setSortIndicator(1, Qt.SortOrder.DescendingOrder)
        if page is not None:
            self.model.set_rows(page.rows)
        layout = QVBoxLayout(self)
        layout.addWidget(self.progress_label)
        layout.addWidget(self.view, 1)
        self._painted = False
        self.view.viewport().installEventFilter(self)

    @property
    def rows_shown(self) -> int:
        return self.model.rowCount()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self._painted and event.type() == QEvent.Type.Paint:
            self._painted = True
            # After this paint event has drawn: the signal goes out on the next turn.
            QTimer.singleShot(0, self.sig_painted.emit)
        return False


__all__ = ["FIRST_PAGE", "FirstPaintOrders", "read_first_page"]
