"""Orders tab: server-side filtering and paging, with the selected order's detail beside it.

Filters and paging are the API's own query parameters: every change sends a new
``GET /orders`` (superseding the one in flight), never a slice of a page already fetched.
"""

from __future__ import annotations

from PySide6.QtCore import QDate, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from nfctagify_desktop.api.models import KNOWN_STATUSES, Order, OrderPage, OrderQuery, OrderStatus
from nfctagify_desktop.ui.context import AppContext
from nfctagify_desktop.ui.format import status_label
from nfctagify_desktop.ui.models.orders_model import OrdersModel
from nfctagify_desktop.ui.widgets.banner import ErrorBanner
from nfctagify_desktop.ui.widgets.order_detail import OrderDetail
from nfctagify_desktop.ui.widgets.status_badge import StatusBadgeDelegate
from nfctagify_desktop.ui.widgets.table_view import TableView

PER_PAGE_CHOICES = (20, 50, 100)


class DateFilter(QWidget):
    """An optional date: a checkbox turns it on, the date edit has a calendar pop-up."""

    changed = Signal()

    def __init__(self, label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.check = QCheckBox(label)
        self.check.setAccessibleName(f"Filter by {label.lower()} date")
        self.edit = QDateEdit(QDate.currentDate())
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat("yyyy-MM-dd")
        self.edit.setEnabled(False)
        self.edit.setAccessibleName(f"{label} date")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.check)
        layout.addWidget(self.edit)
        self.check.toggled.connect(self.edit.setEnabled)
        self.check.toggled.connect(lambda _: self.changed.emit())
        self.edit.dateChanged.connect(self._date_changed)

    def _date_changed(self) -> None:
        if self.check.isChecked():
            self.changed.emit()

    def value(self) -> QDate | None:
        return self.edit.date() if self.check.isChecked() else None

    def set_value(self, value: QDate | None) -> None:
        self.blockSignals(True)
        if value is not None:
            self.edit.setDate(value)
        self.check.setChecked(value is not None)
        self.blockSignals(False)
        self.changed.emit()


class OrdersTab(QWidget):
    """Signals:
    sig_page_loaded(object): an OrderPage was shown.
    sig_detail_loaded(object): an Order's detail was shown.
    """

    sig_page_loaded = Signal(object)
    sig_detail_loaded = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.page = 1
        self.total_pages: int | None = None
        self.last_page: OrderPage | None = None
        self._pending_select: str | None = None

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
        self.refresh_button = QPushButton("Refresh")
        self.refresh_button.setToolTip("Reload orders (F5)")
        self.refresh_button.setAccessibleName("Refresh orders")
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
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)

        # -- paging bar
        self.first_button = self._page_button("⏮", "First page", lambda: self.go_to(1))
        self.prev_button = self._page_button(
            "◀", "Previous page", lambda: self.go_to(self.page - 1)
        )
        self.next_button = self._page_button("▶", "Next page", lambda: self.go_to(self.page + 1))
        self.last_button = self._page_button(
            "⏭", "Last page", lambda: self.go_to(self.total_pages or self.page)
        )
        self.page_label = QLabel("")
        self.page_label.setAccessibleName("Page position")
        self.page_label.setMinimumWidth(220)
        self.page_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        paging = QHBoxLayout()
        paging.addStretch(1)
        paging.addWidget(self.first_button)
        paging.addWidget(self.prev_button)
        paging.addWidget(self.page_label)
        paging.addWidget(self.next_button)
        paging.addWidget(self.last_button)
        paging.addStretch(1)

        layout = QVBoxLayout(self)
        layout.addLayout(self.filter_bar)
        layout.addWidget(self.banner)
        layout.addWidget(self.splitter, 1)
        layout.addLayout(paging)

        self.status_combo.currentIndexChanged.connect(self.apply_filters)
        self.from_filter.changed.connect(self.apply_filters)
        self.to_filter.changed.connect(self.apply_filters)
        self.per_page_combo.currentIndexChanged.connect(self.apply_filters)
        self.refresh_button.clicked.connect(self.refresh)
        self.view.selectionModel().currentRowChanged.connect(self._current_changed)
        self.view.activated.connect(self._activated)
        self.ctx.sig_order_created.connect(lambda order: self.show_order_first(order))
        self._update_paging()

    def _page_button(self, text: str, name: str, slot: object) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setToolTip(name)
        button.setAccessibleName(name)
        button.clicked.connect(slot)
        button.setAutoRaise(False)
        return button

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

    def apply_filters(self) -> None:
        self.page = 1
        self.refresh()

    def go_to(self, page: int) -> None:
        if page < 1 or (self.total_pages is not None and page > max(1, self.total_pages)):
            return
        self.page = page
        self.refresh()

    def refresh(self) -> None:
        try:
            query = self.query()
        except ValueError as exc:  # e.g. 'from' after 'to'
            message = str(exc).splitlines()[-1] if str(exc) else "invalid filter"
            self.page_label.setText("Check the date range: 'From' is after 'To'")
            self.ctx.status(f"Orders filter: {message}")
            return
        self.page_label.setText(f"Loading page {query.page}…")
        self.ctx.run("orders", self.ctx.client.list_orders(query), self._loaded, self._failed)

    def _loaded(self, page: OrderPage) -> None:
        self.banner.clear()
        self.last_page = page
        self.page = page.pagination.page
        self.total_pages = page.pagination.total_pages
        selected = self._pending_select or (
            self.detail.order.order_id if self.detail.order else None
        )
        self._pending_select = None
        self.model.set_rows(page.orders)
        self._update_paging()
        row = self.model.row_of(lambda o: o.order_id == selected) if selected else -1
        if row < 0 and self.model.rowCount() > 0:
            row = 0
        if row >= 0:
            self.view.selectRow(row)
        else:
            self.detail.clear("No orders match these filters" if self.page == 1 else "")
        self.sig_page_loaded.emit(page)

    def _failed(self, exc: BaseException) -> None:
        self._update_paging()
        self.banner.show_error(exc, retry=self.refresh)

    def _update_paging(self) -> None:
        p = self.last_page.pagination if self.last_page else None
        known = self.total_pages is not None
        self.first_button.setEnabled(self.page > 1)
        self.prev_button.setEnabled(self.page > 1)
        has_next = self.last_page.has_next if self.last_page else False
        self.next_button.setEnabled(has_next)
        self.last_button.setEnabled(known and self.page < (self.total_pages or 0))
        if p is None:
            self.page_label.setText("")
        elif known:
            total = f" · {p.total:,} orders" if p.total is not None else ""
            pages = max(1, self.total_pages or 1)
            self.page_label.setText(f"Page {self.page} of {pages}{total}")
        else:
            self.page_label.setText(f"Page {self.page}")

    # -- detail ------------------------------------------------------------------------------

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        order = self.model.order(current.row()) if current.isValid() else None
        if order is None:
            return
        self.load_detail(order.order_id)

    def _activated(self, index: QModelIndex) -> None:
        order = self.model.order(index.row())
        if order is not None:
            self.load_detail(order.order_id)
            self.detail.setFocus()

    def load_detail(self, order_id: str) -> None:
        self.detail.set_loading(order_id)
        self.ctx.run(
            "order-detail",
            self.ctx.client.get_order(order_id),
            self._detail_loaded,
            self._detail_failed,
        )

    def _detail_loaded(self, order: Order) -> None:
        self.detail.set_order(order)
        self.sig_detail_loaded.emit(order)

    def _detail_failed(self, exc: BaseException) -> None:
        self.detail.clear("Could not load this order")
        self.banner.show_error(exc, retry=self._retry_detail)

    def _retry_detail(self) -> None:
        order = self.model.order(self.view.currentIndex().row())
        if order is not None:
            self.load_detail(order.order_id)

    def show_order_first(self, order: Order) -> None:
        """After an order is placed: show the newest page with it selected."""
        self._pending_select = order.order_id
        self.page = 1
        self.refresh()

    def selected_order(self) -> Order | None:
        return self.model.order(self.view.currentIndex().row())


__all__ = ["PER_PAGE_CHOICES", "DateFilter", "OrdersTab"]
