"""The Orders page of the very first paint: the mirror's newest orders, before any network code.

Shown inside the main window while the network stack (httpx, pydantic, qasync, keyring, the
sandbox) loads right after it; the window then puts the full Orders tab in its place. Nothing
imported here loads those packages (a test checks ``sys.modules`` at the paint).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from nfctagify_desktop.order_status import KNOWN_STATUSES
from nfctagify_desktop.store.account import AccountId
from nfctagify_desktop.store.mirror import MirrorPage, MirrorQuery, mirror_path, open_mirror
from nfctagify_desktop.ui import theme
from nfctagify_desktop.ui.models.mirror_orders_model import MirrorOrdersModel
from nfctagify_desktop.ui.widgets.date_filter import DateFilter
from nfctagify_desktop.ui.widgets.elided_label import ElidedLabel
from nfctagify_desktop.ui.widgets.overview_strip import OverviewStrip
from nfctagify_desktop.ui.widgets.status_badge import StatusBadgeDelegate
from nfctagify_desktop.ui.widgets.table_view import TableView

log = logging.getLogger("nfctagify.first_paint")

#: The Orders tab's defaults: newest first, 20 a page (the saved choice is passed in).
FIRST_PAGE = MirrorQuery(per_page=20)


def read_first_page(
    account: AccountId | None, query: MirrorQuery = FIRST_PAGE
) -> tuple[MirrorPage | None, str]:
    """The newest orders of ``account`` and its "synced N of M" line; (None, "") if none.

    Never creates a mirror file: an account never synced has nothing to show yet.
    """
    if account is None:
        return None, ""
    try:
        if not mirror_path(account.slug).exists():
            return None, ""
        with open_mirror(account.slug, account.key) as mirror:
            page = mirror.page(query)
            text = mirror.state().progress_text(mirror.count())
    except Exception:  # the mirror is a convenience: the window opens anyway
        log.exception("could not read the order mirror for the first paint")
        return None, ""
    return page, text


class FirstPaintOrders(QWidget):
    """The newest mirrored orders of the account the app is opening, laid out like the Orders
    tab (chips, filter bar, table and detail, paging line), so that nothing jumps when the
    full tab takes its place. The controls are disabled until then.

    Signals:
        sig_painted(): the table was painted once (the window is on screen with data).
    """

    sig_painted = Signal()

    def __init__(
        self,
        account: AccountId | None,
        query: MirrorQuery = FIRST_PAGE,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("firstPaintOrders")
        self.account = account
        self.query = query
        page, progress = read_first_page(account, query)
        self.page = page
        self.model = MirrorOrdersModel(self)
        self.view = TableView("ordersTable")
        self.view.setModel(self.model)
        self.view.setAccessibleName("Orders table")
        self.view.setItemDelegateForColumn(
            MirrorOrdersModel.STATUS_COLUMN, StatusBadgeDelegate(self.view)
        )
        column = MirrorOrdersModel.SORT_KEYS.index(query.sort)
        order = Qt.SortOrder.DescendingOrder if query.descending else Qt.SortOrder.AscendingOrder
        self.view.horizontalHeader().setSortIndicator(column, order)
        self.view.set_column_priorities(
            {0: 0, 2: 0, 5: 0, 4: 1, 1: 2, 3: 3, 6: 4, 7: 5}, elastic={3: 130}
        )
        self.overview = OverviewStrip()
        self.progress_label = ElidedLabel(progress or "Loading orders…")
        self.progress_label.setObjectName("freshnessLabel")
        self.progress_label.setAccessibleName("Orders sync progress")
        self.progress_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        theme.use(self.progress_label, "hint", selector="#freshnessLabel")
        self.page_label = QLabel("")
        self.page_label.setMinimumWidth(160)
        self.page_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        if page is not None:
            self.model.set_rows(page.rows)
            counts = {s: page.counts.get(s.value, 0) for s in KNOWN_STATUSES}
            self.overview.set_counts(counts, None, source="synced orders")
            self.page_label.setText(f"Page 1 of {page.pages:,} · {page.total:,} orders")
        self._lay_out()
        self._painted = False
        self.view.viewport().installEventFilter(self)

    def _lay_out(self) -> None:
        """The Orders tab's rows of controls, inert: the real ones arrive with the tab."""
        search = QLineEdit()
        search.setPlaceholderText("Search id, reference, recipient (Ctrl+F)")
        search.setMinimumWidth(200)
        search.setMaximumWidth(320)
        top = QHBoxLayout()
        top.addWidget(self.overview, 1)
        top.addWidget(search, 0, Qt.AlignmentFlag.AlignTop)
        status = QComboBox()
        status.addItem("All statuses")
        per_page = QComboBox()
        per_page.addItem(f"{self.query.per_page} per page")
        filters = QHBoxLayout()
        filters.addWidget(QLabel("Status:"))
        filters.addWidget(status)
        filters.addSpacing(8)
        filters.addWidget(DateFilter("From"))
        filters.addWidget(DateFilter("To"))
        filters.addSpacing(8)
        filters.addWidget(per_page)
        filters.addStretch(1)
        filters.addWidget(QPushButton("Refresh"))
        filters.addWidget(QPushButton("New order…"))
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.view)
        splitter.addWidget(QWidget())
        splitter.setStretchFactor(0, 5)
        splitter.setStretchFactor(1, 2)
        paging = QHBoxLayout()
        paging.addWidget(self.progress_label, 1)
        paging.addWidget(self.page_label)
        paging.addStretch(1)
        paging.addWidget(QPushButton("Export CSV…"))
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)
        layout.addLayout(paging)
        for widget in (search, status, per_page, *self.findChildren(QPushButton)):
            widget.setEnabled(False)
        self.overview.setEnabled(False)

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
