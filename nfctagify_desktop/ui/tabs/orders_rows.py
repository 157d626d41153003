"""The Orders tab's table and detail pane: rows, selection, "seen" highlights, an order's detail.

:class:`OrdersRows` holds the tab's widgets (built by ``orders_widgets``) and what happens when
a row is selected; :class:`OrdersTab` adds the query, its sources and the paging.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Signal
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

from nfctagify_desktop.api.models import Order
from nfctagify_desktop.services.container import Services
from nfctagify_desktop.ui.models.orders_model import OrdersModel
from nfctagify_desktop.ui.tabs.orders_widgets import build_widgets
from nfctagify_desktop.ui.widgets.banner import ErrorBanner
from nfctagify_desktop.ui.widgets.date_filter import DateFilter
from nfctagify_desktop.ui.widgets.order_detail import OrderDetail
from nfctagify_desktop.ui.widgets.overview_strip import OverviewStrip
from nfctagify_desktop.ui.widgets.table_view import TableView


class OrdersRows(QWidget):
    """Signals:
    sig_detail_loaded(object): an Order's detail was shown.
    """

    sig_detail_loaded = Signal(object)

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
        self.services = services
        self.ctx = services.ctx
        #: The account's local mirror and its sync: every order fetched is stored there.
        self.sync = services.order_sync
        self._pending_select: str | None = None
        self._programmatic = False
        build_widgets(self)
        self.detail.sig_reorder_requested.connect(self.ctx.sig_new_order_requested)
        self.view.selectionModel().currentRowChanged.connect(self._current_changed)
        self.view.activated.connect(self._activated)
        # A click on the row already current changes no selection but is still "seen".
        self.view.clicked.connect(self._clicked)

    @property
    def account_key(self) -> str:
        """The key of the account in use (profile + server, never a name alone)."""
        return self.ctx.account.key

    def _unseen(self) -> set[str]:
        """Orders whose status changed since the user last looked at them."""
        return self.sync.unseen()

    def _select_row(self, row: int) -> None:
        """Select without counting it as the user looking at the order."""
        self._programmatic = True
        try:
            self.view.selectRow(row)
        finally:
            self._programmatic = False

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        order = self.model.order(current.row()) if current.isValid() else None
        if order is None:
            return
        if not self._programmatic and order.order_id in self.model.highlighted:
            self.mark_seen(order.order_id)
        shown = self.detail.order
        if self._programmatic and shown is not None and shown.order_id == order.order_id:
            # The rows were re-read (the mirror changed, often by this very detail's fetch)
            # and the same order re-selected: show the stored copy, never fetch it again.
            if order.status != shown.status:
                self.detail.set_order(self.sync.get(order.order_id) or order)
            return
        self.load_detail(order.order_id)

    def mark_seen(self, order_id: str) -> None:
        """The user looked at this order: its change is no longer highlighted."""
        self.sync.mark_seen([order_id])
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
        cached = self.sync.get(order_id)
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
        self.sync.ingest([order])
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
