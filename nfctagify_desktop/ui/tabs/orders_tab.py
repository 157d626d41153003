"""Orders tab: the account's order mirror, the server's pages, search, overview and export.

The tab renders an :class:`OrdersBrowser` (the query, where the rows came from, the totals)
and turns its controls into the browser's intents. When the account's local mirror holds every
order the view could show, the view is answered from it at once (see ``orders_mirror``);
otherwise filters and paging are the API's own query parameters: every change sends a new
``GET /orders`` (superseding the one in flight), never a slice of a page already fetched.
Every page and detail fetched is also stored in the mirror, which gives the tab three more
things:

* on start it shows the last known orders at once, marked "updated N min ago", while the
  network answers (and again when the API cannot be reached);
* the search box looks through every mirrored order (id, reference, recipient, product, city,
  postcode), offline too; while it holds text the table shows the matches, paged locally;
* status changes found by any fetch are highlighted until the user selects the order.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QWidget

from nfctagify_desktop.api.errors import NetworkError
from nfctagify_desktop.api.models import Order
from nfctagify_desktop.services.container import Services
from nfctagify_desktop.services.mirror_source import MirrorSource
from nfctagify_desktop.services.orders_browser import (
    DEFAULT_SORT,
    LiveSource,
    OrdersAnswer,
    Source,
)
from nfctagify_desktop.ui.dialogs.export_dialog import ExportDialog
from nfctagify_desktop.ui.format import ago
from nfctagify_desktop.ui.tabs import orders_export as export_ops
from nfctagify_desktop.ui.tabs import orders_mirror as mirror_ops
from nfctagify_desktop.ui.tabs.orders_query import SORT_COLUMNS, OrdersQueryBar
from nfctagify_desktop.ui.tabs.orders_widgets import PER_PAGE_CHOICES
from nfctagify_desktop.ui.widgets.date_filter import DateFilter
from nfctagify_desktop.ui.widgets.table_view import NOT_LOADED

#: Where the rows on screen came from (the browser's Source, by their old names).
SOURCE_NONE = Source.NONE
SOURCE_SERVER = Source.LIVE
SOURCE_CACHE = Source.CACHE
SOURCE_SEARCH = Source.SEARCH
SEARCH_DELAY_MS = 200
FRESHNESS_TICK_MS = 30_000


class OrdersTab(OrdersQueryBar):
    """Signals:
    sig_page_loaded(object): an OrderPage from the server was shown.
    sig_cached_shown(int): saved rows from the mirror were shown (start-up or offline).
    sig_search_done(int): a search over the mirror finished (number of matches).
    """

    sig_page_loaded = Signal(object)
    sig_cached_shown = Signal(int)
    sig_search_done = Signal(int)

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(services, parent)
        self.live_source = LiveSource(lambda: self.ctx.client)
        self.mirror_source = MirrorSource(self.sync)
        self.export_dialog: ExportDialog | None = None

        self.export_button.clicked.connect(self.choose_export_file)
        self.new_button.clicked.connect(lambda: self.ctx.sig_new_order_requested.emit(None))

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._search_changed)
        self._freshness_timer = QTimer(self)
        self._freshness_timer.setInterval(FRESHNESS_TICK_MS)
        self._freshness_timer.timeout.connect(self.update_freshness)
        self._freshness_timer.start()
        self._mirror_timer = QTimer(self)
        self._mirror_timer.setSingleShot(True)
        self._mirror_timer.setInterval(mirror_ops.MIRROR_SETTLE_MS)
        self._mirror_timer.timeout.connect(lambda: mirror_ops.mirror_changed(self))

        self.search_edit.textChanged.connect(lambda _text: self._search_timer.start())
        self.search_edit.returnPressed.connect(self._search_now)
        self.refresh_button.clicked.connect(self.refresh)
        self.ctx.sig_order_created.connect(lambda order: self.show_order_first(order))
        self.ctx.sig_orders_changed.connect(self.refresh)
        self.ctx.sig_connection_changed.connect(self.show_cached)
        self.sync.sig_mirror_changed.connect(self._mirror_timer.start)
        self.sync.sig_synced.connect(lambda _report: self._mirror_timer.start())
        self.sync.sig_status_changed.connect(lambda c: mirror_ops.status_changed(self, c))
        self.sync.sig_failed.connect(lambda _exc: self.update_freshness())
        self._update_paging()
        self.view.set_placeholder(NOT_LOADED)
        self.show_cached()

    def clear_for_account(self) -> None:
        """Another account is in use: drop every row, count and detail of the previous one at
        once, and its page, filters and search; its own saved orders (if any) are shown next
        (on ``sig_connection_changed``), then fresh ones."""
        for key in ("orders", "order-detail"):
            self.ctx.tasks.cancel(key)
        self.browser.reset()
        for widget in (self.status_combo, self.search_edit):
            widget.blockSignals(True)
        self.status_combo.setCurrentIndex(0)
        self.search_edit.clear()
        for widget in (self.status_combo, self.search_edit):
            widget.blockSignals(False)
        self._search_timer.stop()
        self.from_filter.set_value(None)
        self.to_filter.set_value(None)
        self.overview.set_current(None)
        self.banner.clear()
        self.model.set_highlighted(set())
        self.model.set_rows([])
        self.detail.clear(NOT_LOADED)
        self.overview.set_counts({}, None, source=NOT_LOADED.lower())
        self.view.set_placeholder(NOT_LOADED)
        self._update_paging()
        self.page_label.setText(NOT_LOADED)
        self.freshness_label.setText("")

    # -- answers -----------------------------------------------------------------------------

    def refresh(self) -> None:
        if self._valid_query() is None:
            return
        if mirror_ops.show_from_mirror(self):
            # At once from the mirror; a view the API can answer is confirmed by the server.
            if not self.searching and self.browser.query.sort == DEFAULT_SORT:
                query = self.browser.query
                self.ctx.run("orders", self.live_source.answer(query), self._loaded, self._failed)
            return
        if self.searching:
            # Search results come from the mirror; F5 also asks the sync for fresh data.
            self.run_search()
            self.sync.sync_now()
            return
        query = self.browser.query
        self.page_label.setText(f"Loading page {query.page}…")
        self.ctx.run("orders", self.live_source.answer(query), self._loaded, self._failed)
        self.update_freshness()

    def _loaded(self, answer: OrdersAnswer) -> None:
        self.banner.clear()
        self.sync.ingest(answer.orders)
        if self.source is Source.MIRROR and mirror_ops.complete(self):
            # The mirror's view stays; the page just stored refreshes it (statuses included).
            self.browser.live = answer
            self.browser.offline = False
            mirror_ops.show_from_mirror(self)
            self.sig_page_loaded.emit(answer.api_page)
            return
        if self.searching:  # the user started a search meanwhile: keep its results
            self.browser.live = answer
            self.browser.offline = False
            self.update_freshness()
            return
        self.browser.show(answer)
        self.view.set_placeholder("No orders match these filters")
        self._show_rows(answer.orders, empty_text="No orders match these filters")
        self._update_paging()
        self.update_freshness()
        self.sig_page_loaded.emit(answer.api_page)

    def _failed(self, exc: BaseException) -> None:
        self.browser.failed(offline=isinstance(exc, NetworkError))
        if self.offline and self.source != Source.LIVE and not self.searching:
            # Offline: the last known orders for these filters beat an empty table.
            self.show_cached()
        self._update_paging()
        self.update_freshness()
        self.banner.show_error(exc, retry=self.refresh)

    def show_cached(self) -> int:
        """Show the mirror's orders for the current filters at once (start-up, offline)."""
        if self._valid_query() is None:
            return 0
        if mirror_ops.show_from_mirror(self):
            shown = self.model.rowCount()
        elif (shown := mirror_ops.show_saved(self)) == 0:
            return 0
        self.sig_cached_shown.emit(shown)
        return shown

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

    def _update_paging(self) -> None:
        paging = self.browser.paging()
        self.first_button.setEnabled(paging.first)
        self.prev_button.setEnabled(paging.previous)
        self.next_button.setEnabled(paging.next)
        self.last_button.setEnabled(paging.last)
        self.page_label.setText(paging.label)

    # -- the mirror --------------------------------------------------------------------------

    def update_overview(self) -> None:
        mirror_ops.update_overview(self)

    def update_freshness(self) -> None:
        mirror_ops.update_freshness(self)

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
        self.browser.set_search(self.search_edit.text())
        if self.searching:
            self.ctx.tasks.cancel("orders")  # a page arriving later must not replace results
            self.run_search()
            return
        # Back to the server's list: show the last page at once, then refresh it.
        live = self.browser.live
        if live is not None:
            self.browser.show(live)
            self._show_rows(live.orders)
        else:
            self.browser.answer = None
        self._update_paging()
        self.update_freshness()
        self.refresh()

    def run_search(self) -> int:
        """Show the current page of mirrored orders matching the text and the filters."""
        if self._valid_query() is None or not self.searching:
            return 0
        if mirror_ops.show_from_mirror(self):
            return self.browser.answer.total or 0 if self.browser.answer else 0
        # The history is still syncing: search what is mirrored so far (and say so).
        answer = self.mirror_source.answer_now(self.browser.query)
        self.browser.show(answer)
        self._show_rows(answer.orders, empty_text=f"No saved order matches “{self.search_text}”")
        self._update_paging()
        self.update_freshness()
        total = answer.total or 0
        self.sig_search_done.emit(total)
        return total

    # -- detail ------------------------------------------------------------------------------

    def show_order_first(self, order: Order) -> None:
        """After an order is placed: show the newest page with it selected."""
        self.sync.ingest([order])
        self._pending_select = order.order_id
        self.browser.first_page()
        if self.searching:
            self.search_edit.blockSignals(True)
            self.search_edit.clear()
            self.search_edit.blockSignals(False)
            self.browser.set_search("")
        self.refresh()

    # -- export ------------------------------------------------------------------------------

    def choose_export_file(self) -> None:
        export_ops.choose_export_file(self)

    def export_to(self, path: Path) -> ExportDialog | None:
        return export_ops.export_to(self, path)


__all__ = [
    "PER_PAGE_CHOICES",
    "SORT_COLUMNS",
    "SOURCE_CACHE",
    "SOURCE_NONE",
    "SOURCE_SEARCH",
    "SOURCE_SERVER",
    "DateFilter",
    "OrdersTab",
    "ago",
]
