"""Orders tab: server-side filtering and paging, the local cache, search, overview and export.

Filters and paging are the API's own query parameters: every change sends a new
``GET /orders`` (superseding the one in flight), never a slice of a page already fetched.
Every page and detail fetched is also written to the local order cache (issue #8), which
gives the tab three more things:

* on start it shows the last known orders at once, marked "updated N min ago", while the
  network answers (and again when the API cannot be reached);
* the search box looks through every cached order (id, customer reference, recipient),
  offline too; while it holds text the table shows cache results, paged locally;
* status changes found by any fetch are highlighted until the user selects the order.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QStandardPaths, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from nfctagify_desktop.api.errors import NetworkError
from nfctagify_desktop.api.models import KNOWN_STATUSES, Order, OrderPage, OrderQuery, OrderStatus
from nfctagify_desktop.store.order_cache import StatusChange
from nfctagify_desktop.ui.context import AppContext
from nfctagify_desktop.ui.dialogs.export_dialog import ExportDialog
from nfctagify_desktop.ui.format import ago, status_label
from nfctagify_desktop.ui.models.orders_model import OrdersModel
from nfctagify_desktop.ui.order_watch import SyncResult, order_services, week_start
from nfctagify_desktop.ui.widgets.banner import ErrorBanner
from nfctagify_desktop.ui.widgets.date_filter import DateFilter
from nfctagify_desktop.ui.widgets.order_detail import OrderDetail
from nfctagify_desktop.ui.widgets.overview_strip import OverviewStrip
from nfctagify_desktop.ui.widgets.status_badge import StatusBadgeDelegate
from nfctagify_desktop.ui.widgets.table_view import TableView

PER_PAGE_CHOICES = (20, 50, 100)
SEARCH_DELAY_MS = 200
FRESHNESS_TICK_MS = 30_000

#: Where the rows on screen came from.
SOURCE_NONE = "none"
SOURCE_SERVER = "server"
SOURCE_CACHE = "cache"
SOURCE_SEARCH = "search"


def _cache_filters(query: OrderQuery) -> dict[str, Any]:
    """The API query's filters as OrderCache keyword arguments (same meaning, inclusive dates)."""
    return {"status": query.status, "date_from": query.date_from, "date_to": query.date_to}


class OrdersTab(QWidget):
    """Signals:
    sig_page_loaded(object): an OrderPage from the server was shown.
    sig_detail_loaded(object): an Order's detail was shown.
    sig_cached_shown(int): rows from the cache were shown (start-up or offline).
    sig_search_done(int): a search over the cache finished (number of matches).
    """

    sig_page_loaded = Signal(object)
    sig_detail_loaded = Signal(object)
    sig_cached_shown = Signal(int)
    sig_search_done = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.cache, self.watch = order_services(ctx)
        self.page = 1
        self.total_pages: int | None = None
        self.last_page: OrderPage | None = None
        self.source = SOURCE_NONE
        #: Matches of the current search (search mode only).
        self.search_total = 0
        #: When the rows on screen were fetched from the server.
        self.updated_at: datetime | None = None
        self.offline = False
        self.export_dialog: ExportDialog | None = None
        self._pending_select: str | None = None
        self._programmatic = False

        # -- filter bar
        self.status_combo = QComboBox()
        self.status_combo.setAccessibleName("Status filter")
        self.status_combo.addItem("All statuses", None)
        for status in KNOWN_STATUSES:
            self.status_combo.addItem(status_label(status), status.value)
        self.from_filter = DateFilter("From")
        self.to_filter = DateFilter("To")
        self.per_page_combo = QComboBox()
        self.per_page_combo.setAccessibleName("Orders per page")
        for n in PER_PAGE_CHOICES:
            self.per_page_combo.addItem(f"{n} per page", n)
        self.per_page_combo.setCurrentIndex(0)
        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("orderSearch")
        self.search_edit.setPlaceholderText("Search id, reference, recipient (Ctrl+F)")
        self.search_edit.setAccessibleName("Search saved orders")
        self.search_edit.setToolTip(
            "Finds orders by order id, customer reference or recipient among every order this "
            "app has seen, also offline"
        )
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMinimumWidth(200)
        self.search_edit.setMaximumWidth(320)
        self.refresh_button = QPushButton("Refresh")
        self.refresh_button.setToolTip("Reload orders (F5)")
        self.refresh_button.setAccessibleName("Refresh orders")
        self.export_button = QPushButton("Export CSV…")
        self.export_button.setToolTip("Export every order matching the filters to a CSV file")
        self.export_button.setAccessibleName("Export orders to CSV")
        self.export_button.clicked.connect(self.choose_export_file)
        self.new_button = QPushButton("New order…")
        self.new_button.setToolTip("Place a new order (Ctrl+N)")
        self.new_button.setAccessibleName("New order")
        self.new_button.clicked.connect(lambda: self.ctx.sig_new_order_requested.emit(None))

        self.filter_bar = QHBoxLayout()
        status_label_widget = QLabel("&Status:")
        status_label_widget.setBuddy(self.status_combo)
        self.filter_bar.addWidget(status_label_widget)
        self.filter_bar.addWidget(self.status_combo)
        self.filter_bar.addSpacing(8)
        self.filter_bar.addWidget(self.from_filter)
        self.filter_bar.addWidget(self.to_filter)
        self.filter_bar.addSpacing(8)
        self.filter_bar.addWidget(self.per_page_combo)
        self.filter_bar.addStretch(1)
        self.filter_bar.addWidget(self.refresh_button)
        self.filter_bar.addWidget(self.new_button)

        # -- overview strip and freshness
        self.overview = OverviewStrip()
        self.freshness_label = QLabel("")
        self.freshness_label.setObjectName("freshnessLabel")
        self.freshness_label.setAccessibleName("Orders data freshness")
        self.freshness_label.setStyleSheet("#freshnessLabel { color: #5F6670; }")
        # Never widens the window; the full text is also in the tooltip.
        self.freshness_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        # Scrolls sideways rather than widening the window when the counts are long.
        self.overview_scroll = QScrollArea()
        self.overview_scroll.setObjectName("overviewScroll")
        self.overview_scroll.setWidget(self.overview)
        self.overview_scroll.setWidgetResizable(True)
        self.overview_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.overview_scroll.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.overview_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.overview_scroll.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.overview_scroll.setFixedHeight(self.overview.sizeHint().height() + 4)
        overview_row = QHBoxLayout()
        overview_row.addWidget(self.overview_scroll, 1)
        overview_row.addWidget(self.search_edit)

        # -- table and detail
        self.banner = ErrorBanner()
        self.model = OrdersModel(self)
        self.view = TableView("ordersTable")
        self.view.setModel(self.model)
        self.view.setAccessibleName("Orders table")
        self.view.setItemDelegateForColumn(
            OrdersModel.STATUS_COLUMN, StatusBadgeDelegate(self.view)
        )
        self.view.horizontalHeader().setSortIndicator(1, Qt.SortOrder.DescendingOrder)
        self.detail = OrderDetail()
        self.detail.sig_reorder_requested.connect(self.ctx.sig_new_order_requested)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("ordersSplitter")
        self.splitter.addWidget(self.view)
        # The detail scrolls in a short window instead of raising the window's minimum height.
        self.detail_scroll = QScrollArea()
        self.detail_scroll.setObjectName("orderDetailScroll")
        self.detail_scroll.setWidget(self.detail)
        self.detail_scroll.setWidgetResizable(True)
        self.detail_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.detail_scroll.setMinimumHeight(200)
        self.splitter.addWidget(self.detail_scroll)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)

        # -- paging bar
        self.first_button = self._page_button("« First", "First page", lambda: self.go_to(1))
        self.prev_button = self._page_button(
            "‹ Previous", "Previous page", lambda: self.go_to(self.page - 1)
        )
        self.next_button = self._page_button(
            "Next ›", "Next page", lambda: self.go_to(self.page + 1)
        )
        self.last_button = self._page_button(
            "Last »", "Last page", lambda: self.go_to(self.total_pages or self.page)
        )
        self.page_label = QLabel("")
        self.page_label.setAccessibleName("Page position")
        self.page_label.setMinimumWidth(220)
        self.page_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        paging = QHBoxLayout()
        paging.addWidget(self.freshness_label, 1)
        paging.addWidget(self.first_button)
        paging.addWidget(self.prev_button)
        paging.addWidget(self.page_label)
        paging.addWidget(self.next_button)
        paging.addWidget(self.last_button)
        paging.addStretch(1)
        paging.addWidget(self.export_button)
        # Keeps the page buttons centred: the freshness label on the left is balanced here.
        paging.setStretch(0, 1)

        layout = QVBoxLayout(self)
        layout.addLayout(overview_row)
        layout.addLayout(self.filter_bar)
        layout.addWidget(self.banner)
        layout.addWidget(self.splitter, 1)
        layout.addLayout(paging)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._search_changed)
        self._overview_timer = QTimer(self)
        self._overview_timer.setSingleShot(True)
        self._overview_timer.setInterval(150)
        self._overview_timer.timeout.connect(self.update_overview)
        self._freshness_timer = QTimer(self)
        self._freshness_timer.setInterval(FRESHNESS_TICK_MS)
        self._freshness_timer.timeout.connect(self.update_freshness)
        self._freshness_timer.start()

        self.status_combo.currentIndexChanged.connect(self._status_combo_changed)
        self.from_filter.changed.connect(self.apply_filters)
        self.to_filter.changed.connect(self.apply_filters)
        self.per_page_combo.currentIndexChanged.connect(self.apply_filters)
        self.search_edit.textChanged.connect(lambda _text: self._search_timer.start())
        self.search_edit.returnPressed.connect(self._search_now)
        self.overview.sig_status_clicked.connect(self.set_status_filter)
        self.refresh_button.clicked.connect(self.refresh)
        self.view.selectionModel().currentRowChanged.connect(self._current_changed)
        self.view.activated.connect(self._activated)
        # A click on the row already current changes no selection but is still "seen".
        self.view.clicked.connect(self._clicked)
        self.ctx.sig_order_created.connect(lambda order: self.show_order_first(order))
        self.ctx.sig_orders_changed.connect(self.refresh)
        self.ctx.sig_connection_changed.connect(self.show_cached)
        self.watch.sig_status_changed.connect(self._status_changed)
        self.watch.sig_cache_updated.connect(self._overview_timer.start)
        self.watch.sig_sync_started.connect(self.update_freshness)
        self.watch.sig_synced.connect(self._synced)
        self.watch.sig_sync_failed.connect(lambda _exc: self.update_freshness())
        self._update_paging()
        self.show_cached()

    def _page_button(self, text: str, name: str, slot: object) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setToolTip(name)
        button.setAccessibleName(name)
        button.clicked.connect(slot)
        button.setAutoRaise(False)
        return button

    @property
    def profile(self) -> str:
        return self.ctx.connection.profile

    @property
    def search_text(self) -> str:
        return self.search_edit.text().strip()

    @property
    def searching(self) -> bool:
        return bool(self.search_text)

    # -- query -------------------------------------------------------------------------------

    def query(self) -> OrderQuery:
        status = self.status_combo.currentData()
        date_from = self.from_filter.value()
        date_to = self.to_filter.value()
        return OrderQuery(
            page=self.page,
            per_page=int(self.per_page_combo.currentData()),
            status=OrderStatus(status) if status else None,
            date_from=date_from.toPython() if date_from else None,
            date_to=date_to.toPython() if date_to else None,
        )

    def set_status_filter(self, status: OrderStatus | None) -> None:
        index = self.status_combo.findData(status.value if status else None)
        self.status_combo.setCurrentIndex(max(0, index))

    def _status_combo_changed(self) -> None:
        status = self.status_combo.currentData()
        self.overview.set_current(OrderStatus(status) if status else None)
        self.apply_filters()

    def apply_filters(self) -> None:
        self.page = 1
        self.refresh()

    def go_to(self, page: int) -> None:
        if page < 1 or (self.total_pages is not None and page > max(1, self.total_pages)):
            return
        self.page = page
        self.refresh()

    def _valid_query(self) -> OrderQuery | None:
        try:
            return self.query()
        except ValueError as exc:  # e.g. 'from' after 'to'
            message = str(exc).splitlines()[-1] if str(exc) else "invalid filter"
            self.page_label.setText("Check the date range: 'From' is after 'To'")
            self.ctx.status(f"Orders filter: {message}")
            return None

    def refresh(self) -> None:
        if self.searching:
            # Search results come from the cache; F5 also asks the watcher for fresh data.
            self.run_search()
            self.watch.sync_now()
            return
        query = self._valid_query()
        if query is None:
            return
        self.page_label.setText(f"Loading page {query.page}…")
        self.ctx.run("orders", self.ctx.client.list_orders(query), self._loaded, self._failed)
        self.update_freshness()

    def _loaded(self, page: OrderPage) -> None:
        self.banner.clear()
        self.offline = False
        self.last_page = page
        self.updated_at = datetime.now(UTC)
        self.watch.ingest(page.orders)
        self.cache.set_last_synced(self.profile, self.updated_at)
        if self.searching:  # the user started a search meanwhile: keep its results
            self.update_freshness()
            return
        self.source = SOURCE_SERVER
        self.page = page.pagination.page
        self.total_pages = page.pagination.total_pages
        self._show_rows(page.orders, empty_text="No orders match these filters")
        self._update_paging()
        self.update_freshness()
        self.sig_page_loaded.emit(page)

    def _failed(self, exc: BaseException) -> None:
        self.offline = isinstance(exc, NetworkError)
        if self.offline and self.source != SOURCE_SERVER and not self.searching:
            # Offline: the saved orders for these filters are better than an empty table.
            self.show_cached()
        self._update_paging()
        self.update_freshness()
        self.banner.show_error(exc, retry=self.refresh)

    def _show_rows(self, orders: list[Order], empty_text: str = "") -> None:
        selected = self._pending_select or (
            self.detail.order.order_id if self.detail.order else None
        )
        self._pending_select = None
        self.model.set_highlighted(self._unseen())
        self.model.set_rows(orders)
        row = self.model.row_of(lambda o: o.order_id == selected) if selected else -1
        if row < 0 and self.model.rowCount() > 0:
            row = 0
        if row >= 0:
            self._select_row(row)
        else:
            self.detail.clear(empty_text if self.page == 1 else "")

    def _select_row(self, row: int) -> None:
        """Select without counting it as the user looking at the order."""
        self._programmatic = True
        try:
            self.view.selectRow(row)
        finally:
            self._programmatic = False

    def _update_paging(self) -> None:
        known = self.total_pages is not None
        self.first_button.setEnabled(self.page > 1)
        self.prev_button.setEnabled(self.page > 1)
        if self.source == SOURCE_SEARCH:
            has_next = self.page < (self.total_pages or 1)
        else:
            has_next = self.last_page.has_next if self.last_page else False
        self.next_button.setEnabled(has_next)
        self.last_button.setEnabled(known and self.page < (self.total_pages or 0))
        pages = max(1, self.total_pages or 1)
        if self.source == SOURCE_SEARCH:
            noun = "match" if self.search_total == 1 else "matches"
            self.page_label.setText(f"Page {self.page} of {pages} · {self.search_total:,} {noun}")
            return
        if self.source == SOURCE_CACHE:
            self.page_label.setText(f"Page {self.page} of {pages} · saved orders")
            return
        p = self.last_page.pagination if self.last_page else None
        if p is None:
            self.page_label.setText("")
        elif known:
            total = f" · {p.total:,} orders" if p.total is not None else ""
            self.page_label.setText(f"Page {self.page} of {pages}{total}")
        else:
            self.page_label.setText(f"Page {self.page}")

    # -- the cache ---------------------------------------------------------------------------

    def _unseen(self) -> set[str]:
        try:
            return self.cache.unseen_changes(self.profile)
        except Exception:  # never let a cache problem break the list
            return set()

    def show_cached(self) -> int:
        """Show the saved orders for the current filters at once (start-up, offline)."""
        query = self._valid_query()
        if query is None:
            return 0
        profile = self.profile
        filters = _cache_filters(query)
        count = self.cache.count(profile, **filters)
        if count == 0:
            self.update_overview()
            return 0
        orders = self.cache.query(
            profile, **filters, limit=query.per_page, offset=(query.page - 1) * query.per_page
        )
        self.source = SOURCE_CACHE
        self.total_pages = math.ceil(count / query.per_page)
        self.updated_at = self.cache.last_synced(profile)
        self._show_rows(orders)
        self._update_paging()
        self.update_overview()
        self.update_freshness()
        self.sig_cached_shown.emit(len(orders))
        return len(orders)

    def _status_changed(self, changes: list[StatusChange]) -> None:
        """Show the new statuses in the rows on screen, highlighted until seen."""
        self.model.set_highlighted(self._unseen())
        if self.searching:
            self.run_search()
            return
        changed = {c.order_id for c in changes}
        rows = self.model.rows
        if not any(o.order_id in changed for o in rows):
            return
        fresh = []
        for order in rows:
            newer = (
                self.cache.get(self.profile, order.order_id) if order.order_id in changed else None
            )
            fresh.append(newer or order)
        self._show_rows(fresh)

    def _synced(self, result: SyncResult) -> None:
        self.model.set_highlighted(self._unseen())
        self.update_overview()
        self.update_freshness()

    def update_overview(self) -> None:
        """Counts per status: the server's from the last sync, else the saved orders'."""
        result = self.watch.last_result
        if result is not None and result.counts:
            self.overview.set_counts(
                result.counts,
                result.this_week,
                source=f"server, {result.finished_at.astimezone().strftime('%H:%M')}",
            )
            return
        profile = self.profile
        try:
            counts = self.cache.status_counts(profile)
            monday = week_start()
            since = datetime(monday.year, monday.month, monday.day).astimezone(UTC)
            week = self.cache.orders_since(profile, since)
        except Exception:
            return
        self.overview.set_counts(counts, week, source="saved orders")

    def update_freshness(self) -> None:
        """The line saying where the rows come from and how old they are."""
        if self.source == SOURCE_SEARCH:
            total = self.cache.count(self.profile)
            text = f"Searching {total:,} cached orders"
            if self.offline:
                text += " · offline"
        elif self.source == SOURCE_CACHE:
            state = "offline" if self.offline else "refreshing…"
            if not self.offline and not self.ctx.tasks.is_running("orders"):
                state = "saved copy"
            text = f"Saved orders, updated {ago(self.updated_at)} · {state}"
        elif self.updated_at is not None:
            text = f"Updated {ago(self.updated_at)}"
            if self.offline:
                text += " · offline"
        else:
            text = ""
        if self.watch.is_syncing():
            text += " · checking for changes…"
        elif self.watch.last_error is not None and text:
            text += " · auto-refresh failed"
        self.freshness_label.setText(text)
        minutes = self.watch.interval_minutes
        self.freshness_label.setToolTip(
            f"Open orders are checked every {minutes} min"
            if minutes
            else "Auto-refresh is off (Settings)"
        )

    # -- search ------------------------------------------------------------------------------

    def focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def search(self, text: str) -> None:
        """Set the search text and search at once (no typing delay)."""
        self.search_edit.setText(text)
        self._search_now()

    def _search_now(self) -> None:
        self._search_timer.stop()
        self._search_changed()

    def _search_changed(self) -> None:
        self.page = 1
        if self.searching:
            self.ctx.tasks.cancel("orders")  # a page arriving later must not replace results
            self.run_search()
            return
        # Back to the server's list: show the last page at once, then refresh it.
        self.source = SOURCE_NONE
        if self.last_page is not None:
            self.source = SOURCE_SERVER
            self._show_rows(self.last_page.orders)
            self.page = self.last_page.pagination.page
            self.total_pages = self.last_page.pagination.total_pages
        self._update_paging()
        self.update_freshness()
        self.refresh()

    def run_search(self) -> int:
        """Show the current page of cached orders matching the text and the filters."""
        query = self._valid_query()
        text = self.search_text
        if query is None or not text:
            return 0
        profile = self.profile
        filters = _cache_filters(query)
        self.search_total = self.cache.count(profile, text=text, **filters)
        self.total_pages = max(1, math.ceil(self.search_total / query.per_page))
        self.page = min(self.page, self.total_pages)
        orders = self.cache.query(
            profile,
            text=text,
            **filters,
            limit=query.per_page,
            offset=(self.page - 1) * query.per_page,
        )
        self.source = SOURCE_SEARCH
        self._show_rows(orders, empty_text=f"No saved order matches “{text}”")
        self._update_paging()
        self.update_freshness()
        self.sig_search_done.emit(self.search_total)
        return self.search_total

    # -- detail ------------------------------------------------------------------------------

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        order = self.model.order(current.row()) if current.isValid() else None
        if order is None:
            return
        if not self._programmatic and order.order_id in self.model.highlighted:
            self.mark_seen(order.order_id)
        self.load_detail(order.order_id)

    def mark_seen(self, order_id: str) -> None:
        """The user looked at this order: its change is no longer highlighted."""
        self.cache.mark_seen(self.profile, [order_id])
        self.model.set_highlighted(self._unseen())

    def _clicked(self, index: QModelIndex) -> None:
        order = self.model.order(index.row())
        if order is not None and order.order_id in self.model.highlighted:
            self.mark_seen(order.order_id)

    def _activated(self, index: QModelIndex) -> None:
        order = self.model.order(index.row())
        if order is not None:
            self.mark_seen(order.order_id)
            self.load_detail(order.order_id)
            self.detail.setFocus()

    def load_detail(self, order_id: str) -> None:
        cached = self.cache.get(self.profile, order_id)
        if cached is not None:
            self.detail.set_order(cached)  # at once, and offline; the fetch below updates it
        else:
            self.detail.set_loading(order_id)
        self.ctx.run(
            "order-detail",
            self.ctx.client.get_order(order_id),
            self._detail_loaded,
            self._detail_failed,
        )

    def _detail_loaded(self, order: Order) -> None:
        self.watch.ingest([order])
        self.detail.set_order(order)
        self.sig_detail_loaded.emit(order)

    def _detail_failed(self, exc: BaseException) -> None:
        if self.detail.order is None:
            self.detail.clear("Could not load this order")
        self.banner.show_error(exc, retry=self._retry_detail)

    def _retry_detail(self) -> None:
        order = self.model.order(self.view.currentIndex().row())
        if order is not None:
            self.load_detail(order.order_id)

    def show_order_first(self, order: Order) -> None:
        """After an order is placed: show the newest page with it selected."""
        self.watch.ingest([order])
        self._pending_select = order.order_id
        self.page = 1
        if self.searching:
            self.search_edit.blockSignals(True)
            self.search_edit.clear()
            self.search_edit.blockSignals(False)
        self.refresh()

    def select_order(self, order_id: str) -> bool:
        """Select an order shown in the table (e.g. from a notification); marks it seen."""
        row = self.model.row_of(lambda o: o.order_id == order_id)
        if row < 0:
            return False
        self.view.selectRow(row)
        self.view.setFocus()
        self.mark_seen(order_id)
        return True

    def selected_order(self) -> Order | None:
        return self.model.order(self.view.currentIndex().row())

    # -- export ------------------------------------------------------------------------------

    def choose_export_file(self) -> None:
        """Ask where to save (non-modal: PITFALLS Q5), then export there."""
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        name = f"orders-{datetime.now().strftime('%Y-%m-%d')}.csv"
        dialog = QFileDialog(self, "Export orders to CSV", str(Path(folder) / name))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilter("CSV files (*.csv)")
        dialog.setDefaultSuffix("csv")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(lambda path: self.export_to(Path(path)))
        dialog.open()

    def export_to(self, path: Path) -> ExportDialog | None:
        """Export the current filtered list, all pages (or every search match) to ``path``."""
        query = self._valid_query()
        if query is None:
            return None
        if self.searching:
            filters = _cache_filters(query)
            text = self.search_text
            total = self.cache.count(self.profile, text=text, **filters)
            cached = self.cache.query(self.profile, text=text, **filters, limit=total)
            dialog = ExportDialog(
                self.ctx, path, cached=cached, description=f"{total:,} saved orders", parent=self
            )
        else:
            described = status_label(query.status).lower() + " orders" if query.status else ""
            dialog = ExportDialog(
                self.ctx,
                path,
                query=query,
                description=described or "all orders",
                on_page=self.watch.ingest,
                parent=self,
            )
        self.export_dialog = dialog
        dialog.start()
        return dialog


__all__ = ["PER_PAGE_CHOICES", "DateFilter", "OrdersTab", "ago"]
