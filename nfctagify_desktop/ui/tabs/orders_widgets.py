"""The Orders tab's widgets and their layout (the tab itself holds the behaviour)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
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
)

from nfctagify_desktop.api.models import KNOWN_STATUSES
from nfctagify_desktop.ui import theme
from nfctagify_desktop.ui.format import status_label
from nfctagify_desktop.ui.models.mirror_orders_model import MirrorOrdersModel
from nfctagify_desktop.ui.models.orders_model import OrdersModel
from nfctagify_desktop.ui.widgets.banner import ErrorBanner
from nfctagify_desktop.ui.widgets.date_filter import DateFilter
from nfctagify_desktop.ui.widgets.elided_label import ElidedLabel
from nfctagify_desktop.ui.widgets.order_detail import OrderDetail
from nfctagify_desktop.ui.widgets.overview_strip import OverviewStrip
from nfctagify_desktop.ui.widgets.status_badge import StatusBadgeDelegate
from nfctagify_desktop.ui.widgets.table_view import TableView

if TYPE_CHECKING:
    from nfctagify_desktop.ui.tabs.orders_rows import OrdersRows

PER_PAGE_CHOICES = (20, 50, 100)


def page_button(text: str, name: str) -> QToolButton:
    button = QToolButton()
    button.setText(text)
    button.setToolTip(name)
    button.setAccessibleName(name)
    button.setAutoRaise(False)
    return button


def build_widgets(tab: OrdersRows) -> None:
    """Create the tab's widgets (as attributes of ``tab``) and lay them out."""
    # -- filter bar
    tab.status_combo = QComboBox()
    tab.status_combo.setAccessibleName("Status filter")
    tab.status_combo.addItem("All statuses", None)
    for status in KNOWN_STATUSES:
        tab.status_combo.addItem(status_label(status), status.value)
    tab.from_filter = DateFilter("From")
    tab.to_filter = DateFilter("To")
    tab.per_page_combo = QComboBox()
    tab.per_page_combo.setAccessibleName("Orders per page")
    for n in PER_PAGE_CHOICES:
        tab.per_page_combo.addItem(f"{n} per page", n)
    tab.per_page_combo.setCurrentIndex(0)
    tab.search_edit = QLineEdit()
    tab.search_edit.setObjectName("orderSearch")
    tab.search_edit.setPlaceholderText("Search id, reference, recipient (Ctrl+F)")
    tab.search_edit.setAccessibleName("Search saved orders")
    tab.search_edit.setToolTip(
        "Finds orders by order id, customer reference or recipient among every order this "
        "app has seen, also offline"
    )
    tab.search_edit.setClearButtonEnabled(True)
    tab.search_edit.setMinimumWidth(200)
    tab.search_edit.setMaximumWidth(320)
    tab.refresh_button = QPushButton("Refresh")
    tab.refresh_button.setToolTip("Reload orders (F5)")
    tab.refresh_button.setAccessibleName("Refresh orders")
    tab.export_button = QPushButton("Export CSV…")
    tab.export_button.setToolTip("Export every order matching the filters to a CSV file")
    tab.export_button.setAccessibleName("Export orders to CSV")
    tab.new_button = QPushButton("New order…")
    tab.new_button.setToolTip("Place a new order (Ctrl+N)")
    tab.new_button.setAccessibleName("New order")

    tab.filter_bar = QHBoxLayout()
    status_label_widget = QLabel("&Status:")
    status_label_widget.setBuddy(tab.status_combo)
    tab.filter_bar.addWidget(status_label_widget)
    tab.filter_bar.addWidget(tab.status_combo)
    tab.filter_bar.addSpacing(8)
    tab.filter_bar.addWidget(tab.from_filter)
    tab.filter_bar.addWidget(tab.to_filter)
    tab.filter_bar.addSpacing(8)
    tab.filter_bar.addWidget(tab.per_page_combo)
    tab.filter_bar.addStretch(1)
    tab.filter_bar.addWidget(tab.refresh_button)
    tab.filter_bar.addWidget(tab.new_button)

    # -- overview strip and freshness
    tab.overview = OverviewStrip()
    tab.freshness_label = ElidedLabel("")
    tab.freshness_label.setObjectName("freshnessLabel")
    tab.freshness_label.setAccessibleName("Orders data freshness")
    theme.use(tab.freshness_label, "hint", selector="#freshnessLabel")
    # Never widens the window: elided, with the whole text in the tooltip.
    tab.freshness_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
    # The chips wrap onto a second line in a narrow window (never cut, never scrolled).
    overview_row = QHBoxLayout()
    overview_row.addWidget(tab.overview, 1)
    overview_row.addWidget(tab.search_edit, 0, Qt.AlignmentFlag.AlignTop)

    # -- table and detail
    tab.banner = ErrorBanner()
    tab.model = OrdersModel(tab)
    tab.view = TableView("ordersTable")
    tab.view.setModel(tab.model)
    tab.view.setAccessibleName("Orders table")
    tab.view.setItemDelegateForColumn(OrdersModel.STATUS_COLUMN, StatusBadgeDelegate(tab.view))
    tab.view.horizontalHeader().setSortIndicator(1, Qt.SortOrder.DescendingOrder)
    tab.view.set_column_priorities(
        MirrorOrdersModel.COLUMN_PRIORITIES, elastic=MirrorOrdersModel.ELASTIC_COLUMNS
    )
    tab.detail = OrderDetail()
    tab.splitter = QSplitter(Qt.Orientation.Horizontal)
    tab.splitter.setObjectName("ordersSplitter")
    tab.splitter.addWidget(tab.view)
    # The detail scrolls in a short window instead of raising the window's minimum height.
    tab.detail_scroll = QScrollArea()
    tab.detail_scroll.setObjectName("orderDetailScroll")
    tab.detail_scroll.setWidget(tab.detail)
    tab.detail_scroll.setWidgetResizable(True)
    tab.detail_scroll.setFrameShape(QFrame.Shape.NoFrame)
    tab.detail_scroll.setMinimumHeight(200)
    tab.splitter.addWidget(tab.detail_scroll)
    tab.splitter.setStretchFactor(0, 5)  # the table gets most: every column fits at 1320 px
    tab.splitter.setStretchFactor(1, 2)
    tab.splitter.setChildrenCollapsible(False)

    # -- paging bar
    tab.first_button = page_button("« First", "First page")
    tab.prev_button = page_button("‹ Previous", "Previous page")
    tab.next_button = page_button("Next ›", "Next page")
    tab.last_button = page_button("Last »", "Last page")
    tab.page_label = QLabel("")
    tab.page_label.setAccessibleName("Page position")
    tab.page_label.setMinimumWidth(160)
    tab.page_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    paging = QHBoxLayout()
    paging.addWidget(tab.freshness_label, 1)
    paging.addWidget(tab.first_button)
    paging.addWidget(tab.prev_button)
    paging.addWidget(tab.page_label)
    paging.addWidget(tab.next_button)
    paging.addWidget(tab.last_button)
    paging.addStretch(1)
    paging.addWidget(tab.export_button)
    # Keeps the page buttons centred: the freshness label on the left is balanced here.
    paging.setStretch(0, 1)

    layout = QVBoxLayout(tab)
    layout.addLayout(overview_row)
    layout.addLayout(tab.filter_bar)
    layout.addWidget(tab.banner)
    layout.addWidget(tab.splitter, 1)
    layout.addLayout(paging)
