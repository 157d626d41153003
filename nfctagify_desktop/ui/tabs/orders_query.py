"""The Orders tab's query: filters, page size, sort and paging, as intents on its browser.

:class:`OrdersQueryBar` turns the filter bar, the column headers, the status chips and the paging
buttons into :class:`OrdersBrowser` intents, and exposes the browser's state by the names the
views and tests use. Each intent that changes what is shown calls :meth:`refresh`, which
:class:`~nfctagify_desktop.ui.tabs.orders_tab.OrdersTab` implements (mirror or server).
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from nfctagify_desktop.api.models import OrderPage, OrderQuery, OrderStatus
from nfctagify_desktop.services.container import Services
from nfctagify_desktop.services.orders_browser import (
    OrdersBrowser,
    OrdersQuery,
    Sort,
    SortField,
    Source,
)
from nfctagify_desktop.ui.tabs.orders_rows import OrdersRows

#: What each column of the orders table sorts on.
SORT_COLUMNS: tuple[SortField, ...] = (
    SortField.ORDER_ID,
    SortField.CREATED,
    SortField.STATUS,
    SortField.PRODUCT,
    SortField.QUANTITY,
    SortField.TOTAL,
    SortField.REFERENCE,
    SortField.RECIPIENT,
)


class OrdersQueryBar(OrdersRows):
    """The query controls of the Orders tab (the rows and detail come from :class:`OrdersRows`)."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(services, parent)
        settings = services.settings.settings
        self.browser = OrdersBrowser(
            OrdersQuery(per_page=settings.orders_per_page, sort=Sort.parse(settings.orders_sort))
        )
        self.per_page_combo.setCurrentIndex(
            max(0, self.per_page_combo.findData(self.browser.query.per_page))
        )
        self.apply_sort()
        self.first_button.clicked.connect(lambda: self.go_to(1))
        self.prev_button.clicked.connect(lambda: self.go_to(self.page - 1))
        self.next_button.clicked.connect(lambda: self.go_to(self.page + 1))
        self.last_button.clicked.connect(lambda: self.go_to(self.total_pages or self.page))
        self.status_combo.currentIndexChanged.connect(self._status_combo_changed)
        self.from_filter.changed.connect(self.apply_filters)
        self.to_filter.changed.connect(self.apply_filters)
        self.per_page_combo.currentIndexChanged.connect(self._per_page_chosen)
        self.view.horizontalHeader().sortIndicatorChanged.connect(self._sort_chosen)
        self.overview.sig_status_clicked.connect(self.set_status_filter)
        services.accounts.sig_settings_changed.connect(
            lambda new: self.set_per_page(new.orders_per_page)
        )

    def refresh(self) -> None:
        """Show the rows of the current query (the tab answers it from the mirror or server)."""
        raise NotImplementedError

    # -- the browser's state, by the names views and tests use --------------------------------

    @property
    def search_text(self) -> str:
        return self.browser.query.search

    @property
    def searching(self) -> bool:
        return self.browser.query.searching

    @property
    def page(self) -> int:
        return self.browser.page

    @property
    def total_pages(self) -> int | None:
        return self.browser.total_pages

    @property
    def source(self) -> Source:
        return self.browser.source

    @property
    def offline(self) -> bool:
        return self.browser.offline

    @property
    def updated_at(self) -> datetime | None:
        return self.browser.updated_at

    @property
    def last_page(self) -> OrderPage | None:
        """The last page the API sent."""
        return self.browser.live.api_page if self.browser.live is not None else None

    # -- intents -----------------------------------------------------------------------------

    def set_status_filter(self, status: OrderStatus | None) -> None:
        index = self.status_combo.findData(status.value if status else None)
        self.status_combo.setCurrentIndex(max(0, index))

    def _status_combo_changed(self) -> None:
        status = self.status_combo.currentData()
        self.overview.set_current(OrderStatus(status) if status else None)
        self.apply_filters()

    def apply_filters(self) -> None:
        """The filter widgets changed: back to page 1 of the new selection."""
        status = self.status_combo.currentData()
        self.browser.set_status(OrderStatus(status) if status else None)
        self.browser.set_dates(self.from_filter.date(), self.to_filter.date())
        self.refresh()

    def _per_page_chosen(self) -> None:
        per_page = int(self.per_page_combo.currentData())
        self.set_per_page(per_page)
        if per_page != self.services.settings.settings.orders_per_page:
            self.services.accounts.save_preferences(orders_per_page=per_page)  # remembered

    def set_per_page(self, per_page: int) -> None:
        """Show ``per_page`` orders a page (the combo, or the setting changed elsewhere)."""
        if self.per_page_combo.currentData() != per_page:
            self.per_page_combo.blockSignals(True)
            self.per_page_combo.setCurrentIndex(max(0, self.per_page_combo.findData(per_page)))
            self.per_page_combo.blockSignals(False)
        if self.browser.set_per_page(per_page):
            self.refresh()

    def apply_sort(self) -> None:
        """Show the browser's sort in the header (which sorts the rows on screen)."""
        sort = self.browser.query.sort
        order = Qt.SortOrder.DescendingOrder if sort.descending else Qt.SortOrder.AscendingOrder
        self.view.horizontalHeader().setSortIndicator(SORT_COLUMNS.index(sort.field), order)

    def _sort_chosen(self, column: int, order: Qt.SortOrder) -> None:
        if not 0 <= column < len(SORT_COLUMNS):
            return
        sort = Sort(SORT_COLUMNS[column], order == Qt.SortOrder.DescendingOrder)
        refetch = self.browser.set_sort(sort)
        if sort.text() != self.services.settings.settings.orders_sort:
            self.services.accounts.save_preferences(orders_sort=sort.text())  # remembered
        if refetch:
            self.refresh()

    def go_to(self, page: int) -> None:
        if self.browser.go_to(page):
            self.refresh()

    def _valid_query(self) -> OrderQuery | None:
        try:
            return self.browser.query.api_query()
        except ValueError as exc:  # e.g. 'from' after 'to'
            message = str(exc).splitlines()[-1] if str(exc) else "invalid filter"
            self.page_label.setText("Check the date range: 'From' is after 'To'")
            self.ctx.status(f"Orders filter: {message}")
            return None


__all__ = ["SORT_COLUMNS", "OrdersQueryBar"]
