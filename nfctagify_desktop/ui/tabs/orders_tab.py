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

from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QToolButton,
    QWidget,
)

from nfctagify_desktop.api.errors import NetworkError
from nfctagify_desktop.api.models import Order, OrderPage, OrderQuery, OrderStatus
from nfctagify_desktop.services.container import Services
from nfctagify_desktop.services.order_watch import SyncResult
from nfctagify_desktop.store.order_cache import StatusChange
from nfctagify_desktop.ui.dialogs.export_dialog import ExportDialog
from nfctagify_desktop.ui.format import ago
from nfctagify_desktop.ui.models.orders_model import OrdersModel
from nfctagify_desktop.ui.tabs import orders_cache as cache_ops
from nfctagify_desktop.ui.tabs import orders_export as export_ops
from nfctagify_desktop.ui.tabs import orders_search as search_ops
from nfctagify_desktop.ui.tabs.orders_cache import (
    SOURCE_CACHE,
    SOURCE_NONE,
    SOURCE_SEARCH,
    SOURCE_SERVER,
)
from nfctagify_desktop.ui.tabs.orders_widgets import PER_PAGE_CHOICES, build_widgets
from nfctagify_desktop.ui.widgets.banner import ErrorBanner
from nfctagify_desktop.ui.widgets.date_filter import DateFilter
from nfctagify_desktop.ui.widgets.order_detail import OrderDetail
from nfctagify_desktop.ui.widgets.overview_strip import OverviewStrip
from nfctagify_desktop.ui.widgets.table_view import NOT_LOADED, TableView

SEARCH_DELAY_MS = 200
FRESHNESS_TICK_MS = 30_000


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

    # Built by orders_widgets.build_widgets.
    status_combo: QComboBox
    from_filter: DateFilter
    to_filter: DateFilter
    per_page_combo: QComboBox
    search_edit: QLineEdit
    refresh_button: QPushButton
    export_button: QPushButton
    new_button: QPushButton
    filter_bar: QHBoxLayout
    overview: OverviewStrip
    freshness_label: QLabel
    banner: ErrorBanner
    model: OrdersModel
    view: TableView
    detail: OrderDetail
    splitter: QSplitter
    detail_scroll: QScrollArea
    first_button: QToolButton
    prev_button: QToolButton
    next_button: QToolButton
    last_button: QToolButton
    page_label: QLabel

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = services.ctx
        self.cache, self.watch = services.order_cache, services.order_watch
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

        build_widgets(self)
        self.export_button.clicked.connect(self.choose_export_file)
        self.new_button.clicked.connect(lambda: self.ctx.sig_new_order_requested.emit(None))
        self.detail.sig_reorder_requested.connect(self.ctx.sig_new_order_requested)
        self.first_button.clicked.connect(lambda: self.go_to(1))
        self.prev_button.clicked.connect(lambda: self.go_to(self.page - 1))
        self.next_button.clicked.connect(lambda: self.go_to(self.page + 1))
        self.last_button.clicked.connect(lambda: self.go_to(self.total_pages or self.page))

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
        self.view.set_placeholder(NOT_LOADED)
        self.show_cached()

    @property
    def account_key(self) -> str:
        """The order cache's key of the account in use (profile + server, never a name alone)."""
        return self.ctx.account.key

    def clear_for_account(self) -> None:
        """Another account is in use: drop every row, count and detail of the previous one at
        once; its own saved orders (if any) are shown next, then fresh ones."""
        for key in ("orders", "order-detail"):
            self.ctx.tasks.cancel(key)
        self.banner.clear()
        self.model.set_highlighted(set())
        self.model.set_rows([])
        self.detail.clear(NOT_LOADED)
        self.page, self.total_pages, self.last_page = 1, None, None
        self.source, self.updated_at, self.offline = SOURCE_NONE, None, False
        self.search_total = 0
        self.overview.set_counts({}, None, source=NOT_LOADED.lower())
        self.view.set_placeholder(NOT_LOADED)
        self.page_label.setText(NOT_LOADED)
        self.freshness_label.setText("")
        self._update_paging()

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
        self.cache.set_last_synced(self.account_key, self.updated_at)
        if self.searching:  # the user started a search meanwhile: keep its results
            self.update_freshness()
            return
        self.source = SOURCE_SERVER
        self.page = page.pagination.page
        self.total_pages = page.pagination.total_pages
        self.view.set_placeholder("No orders match these filters")
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
        return cache_ops.unseen(self)

    def show_cached(self) -> int:
        return cache_ops.show_cached(self)

    def _status_changed(self, changes: list[StatusChange]) -> None:
        cache_ops.status_changed(self, changes)

    def _synced(self, result: SyncResult) -> None:
        cache_ops.synced(self, result)

    def update_overview(self) -> None:
        cache_ops.update_overview(self)

    def update_freshness(self) -> None:
        cache_ops.update_freshness(self)

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
        search_ops.search_changed(self)

    def run_search(self) -> int:
        return search_ops.run_search(self)

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
        self.cache.mark_seen(self.account_key, [order_id])
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
        cached = self.cache.get(self.account_key, order_id)
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
        export_ops.choose_export_file(self)

    def export_to(self, path: Path) -> ExportDialog | None:
        return export_ops.export_to(self, path)


__all__ = [
    "PER_PAGE_CHOICES",
    "SOURCE_CACHE",
    "SOURCE_NONE",
    "SOURCE_SEARCH",
    "SOURCE_SERVER",
    "DateFilter",
    "OrdersTab",
    "ago",
]
