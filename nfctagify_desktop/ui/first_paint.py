"""The Orders page of the very first paint: the mirror's newest orders, before any network code.

Shown inside the main window while the network stack (httpx, pydantic, qasync, keyring, the
sandbox) loads right after it; the window then puts the full Orders tab in its place. Nothing
imported here loads those packages (a test checks ``sys.modules`` at the paint).
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

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
from nfctagify_desktop.store.mirror import (
    MirrorPage,
    MirrorQuery,
    OrderMirror,
    StatusChange,
    mirror_path,
    open_mirror,
)
from nfctagify_desktop.ui import theme
from nfctagify_desktop.ui.models.mirror_orders_model import MirrorOrdersModel
from nfctagify_desktop.ui.widgets.date_filter import DateFilter
from nfctagify_desktop.ui.widgets.elided_label import ElidedLabel
from nfctagify_desktop.ui.widgets.overview_strip import OverviewStrip
from nfctagify_desktop.ui.widgets.status_badge import StatusBadgeDelegate
from nfctagify_desktop.ui.widgets.table_view import TableView

if TYPE_CHECKING:
    from nfctagify_desktop.api.first_page import FirstPageFetch
    from nfctagify_desktop.services.order_sync import OrderSync
    from nfctagify_desktop.ui.main_window import MainWindow

log = logging.getLogger("nfctagify.first_paint")

#: The Orders tab's defaults: newest first, 20 a page (the saved choice is passed in).
FIRST_PAGE = MirrorQuery(per_page=20)
#: How long after its first paint the window waits for the start-up request's page before the
#: network stack loads (the window stays responsive meanwhile; a later page is still shown).
LIVE_WAIT_MS = 150


def read_first_page(
    account: AccountId | None,
    query: MirrorQuery = FIRST_PAGE,
    *,
    opened: list[OrderMirror] | None = None,
) -> tuple[MirrorPage | None, str]:
    """The newest orders of ``account`` and its "synced N of M" line; (None, "") if none.

    Never creates a mirror file: an account never synced has nothing to show yet. With
    ``opened``, the mirror is left open and put there: closing it checkpoints the file, a few
    milliseconds better spent after the paint.
    """
    if account is None:
        return None, ""
    try:
        if not mirror_path(account.slug).exists():
            return None, ""
        mirror = open_mirror(account.slug, account.key)
        try:
            page = mirror.page(query)
            text = mirror.state().progress_text(mirror.count())
        finally:
            if opened is None:
                mirror.close()
            else:
                opened.append(mirror)
    except Exception:  # the mirror is a convenience: the window opens anyway
        log.exception("could not read the order mirror for the first paint")
        return None, ""
    return page, text


class LivePage(QObject):
    """The start-up request's page (``api.first_page``), stored in its account's mirror.

    The page goes only to the mirror of the account it was asked for. Its status changes are
    kept in ``changes`` for the services, which start after it.

    Signals:
        sig_finished(bool): the answer was handled; True if it was stored.
    """

    sig_finished = Signal(bool)
    _sig_arrived = Signal()

    def __init__(self, fetch: FirstPageFetch, account: AccountId, parent: QObject | None = None):
        super().__init__(parent)
        self.fetch = fetch
        self.account = account
        self.merged = False
        self.finished = False
        self.changes: list[StatusChange] = []
        # Called from the request's thread: the signal takes the answer to this thread.
        self._sig_arrived.connect(self._arrived, Qt.ConnectionType.QueuedConnection)
        fetch.on_done(self._sig_arrived.emit)

    def _arrived(self) -> None:
        from nfctagify_desktop.store.mirror.json_records import records_from_json

        orders = self.fetch.orders
        records = None if orders is None else records_from_json(orders)
        if records:
            try:
                with open_mirror(self.account.slug, self.account.key) as mirror:
                    self.changes = mirror.upsert(records)
                self.merged = True
            except Exception:  # the mirror is a convenience: the client loads the page
                log.exception("could not store the start-up page of orders")
        self.finished = True
        self.sig_finished.emit(self.merged)

    def hand_to(self, sync: OrderSync) -> None:
        """Once stored, the running services learn of it (views re-read, changes reported)."""

        def give(merged: bool) -> None:
            if merged:
                sync.stored_elsewhere(self.account, self.changes)

        if self.finished:
            give(self.merged)
        else:
            self.sig_finished.connect(give)


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
        *,
        keep_open: bool = False,
    ) -> None:
        """``keep_open``: leave the mirror open until :meth:`close_mirror` (after the paint)."""
        super().__init__(parent)
        self.setObjectName("firstPaintOrders")
        self.account = account
        self.query = query
        self._opened: list[OrderMirror] = []
        page, progress = read_first_page(account, query, opened=self._opened if keep_open else None)
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
            MirrorOrdersModel.COLUMN_PRIORITIES, elastic=MirrorOrdersModel.ELASTIC_COLUMNS
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
        self.live_shown = False
        self.live: LivePage | None = None
        #: perf_counter() when the window had painted (set by ``paint_window``).
        self.painted_at = 0.0
        if page is not None:
            self._show(page, progress)
        self._lay_out()
        self._painted = False
        self.view.viewport().installEventFilter(self)

    def _show(self, page: MirrorPage, progress: str) -> None:
        self.page = page
        self.model.set_rows(page.rows)
        counts = {s: page.counts.get(s.value, 0) for s in KNOWN_STATUSES}
        self.overview.set_counts(counts, None, source="synced orders")
        self.page_label.setText(f"Page 1 of {page.pages:,} · {page.total:,} orders")
        if progress:
            self.progress_label.setText(progress)

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

    def follow(self, live: LivePage) -> None:
        """Show the server's page once it is in the mirror (if it is this account's)."""
        if live.account != self.account:
            return
        # A bound method: Qt drops the connection if this view is gone (replaced by the tab).
        live.sig_finished.connect(self._live_finished)
        if live.merged:
            self.reload()

    def _live_finished(self, merged: bool) -> None:
        if merged:
            self.reload()

    def close_mirror(self) -> None:
        """Close the mirror the first paint read (once the window is on screen)."""
        while self._opened:
            self._opened.pop().close()

    def reload(self) -> None:
        """Read the page again from the mirror and paint it at once."""
        page, progress = read_first_page(self.account, self.query)
        if page is None:
            return
        self._show(page, progress)
        self.view.viewport().repaint()
        self.live_shown = True

    @property
    def rows_shown(self) -> int:
        return self.model.rowCount()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self._painted and event.type() == QEvent.Type.Paint:
            self._painted = True
            # After this paint event has drawn: the signal goes out on the next turn.
            QTimer.singleShot(0, self.sig_painted.emit)
        return False


def paint_window(
    account: AccountId | None,
    query: MirrorQuery,
    *,
    show_orders: bool = False,
    early: FirstPageFetch | None = None,
    live_wait_ms: int = LIVE_WAIT_MS,
) -> tuple[MainWindow, FirstPaintOrders]:
    """Show the main window with the mirror's newest orders and wait until it has painted;
    then, with ``early``, until the server's page is shown too (at most ``live_wait_ms``)."""
    from PySide6.QtCore import QEventLoop
    from PySide6.QtWidgets import QApplication

    from nfctagify_desktop.ui.main_window import MainWindow

    orders = FirstPaintOrders(account, query, keep_open=True)
    window = MainWindow(first_paint=orders, show_orders=show_orders)
    waiting = QEventLoop()
    window.sig_first_painted.connect(waiting.quit)
    QTimer.singleShot(5000, waiting.quit)  # a platform that never paints must not hang us
    window.show()
    waiting.exec()
    orders.painted_at = time.perf_counter()
    if early is not None and account is not None:
        if not early.started:  # a keyring look-up first: only now that the window is up
            early.start()
        live = LivePage(early, account, QApplication.instance())
        orders.live = live
        orders.follow(live)
        if not live.finished:
            waiting = QEventLoop()
            live.sig_finished.connect(waiting.quit)
            QTimer.singleShot(live_wait_ms, waiting.quit)
            waiting.exec()
    if not show_orders:  # --exit-after-paint ends the process now: nothing to tidy
        orders.close_mirror()
    return window, orders


__all__ = ["FIRST_PAGE", "FirstPaintOrders", "LivePage", "paint_window", "read_first_page"]
