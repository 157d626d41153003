"""The detail of one order: status, times, product, shipping and line items."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from nfctagify_desktop.api.models import Order
from nfctagify_desktop.api.tracking import Shipment, shipments_of
from nfctagify_desktop.ui import theme
from nfctagify_desktop.ui.documents import address_lines
from nfctagify_desktop.ui.fonts import make_heading
from nfctagify_desktop.ui.format import local_time, money, status_label
from nfctagify_desktop.ui.models.orders_model import LineItemsModel
from nfctagify_desktop.ui.widgets.elided_label import ElidedLabel
from nfctagify_desktop.ui.widgets.status_badge import StatusBadgeDelegate
from nfctagify_desktop.ui.widgets.table_view import TableView


def tracking_html(shipments: list[Shipment]) -> str:
    """One line per parcel; the number links to the carrier's page where there is one."""
    lines = []
    for shipment in shipments:
        label = html.escape(shipment.label)
        if shipment.tracking_url:
            href = html.escape(shipment.tracking_url, quote=True)
            lines.append(f'<a href="{href}">{label}</a>')
        else:
            lines.append(label)
    return "<br>".join(lines)


class OrderDetail(QWidget):
    """Signals:
    sig_reorder_requested(object): the user wants a new order like this one (an Order).
    """

    sig_reorder_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Order detail")
        self.order: Order | None = None
        self.shipments: list[Shipment] = []
        # Shortened with "…" in a narrow pane (whole in its tooltip; Copy order ID copies it),
        # so the status badge beside it stays whole and the pane never scrolls sideways.
        self.title = ElidedLabel("Select an order to see its detail")
        self.title.setObjectName("detailTitle")
        make_heading(self.title)
        self.badge = QLabel()
        self.badge.setAccessibleName("Order status")
        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(self.badge)

        self.fields: dict[str, QLabel] = {}
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        # In a narrow pane a long value (a product id) goes under its label, not off the edge.
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        for key, label in (
            ("created", "Created"),
            ("updated", "Last update"),
            ("product", "Product"),
            ("quantity", "Quantity"),
            ("unit_price", "Unit price"),
            ("total", "Total"),
            ("reference", "Your reference"),
            ("ship_to", "Ship to"),
            ("tracking", "Tracking"),
        ):
            value = QLabel()
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setAccessibleName(label)
            self.fields[key] = value
            form.addRow(label + ":", value)
        self.form = form
        tracking = self.fields["tracking"]
        tracking.setTextFormat(Qt.TextFormat.RichText)
        tracking.setOpenExternalLinks(True)
        tracking.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        )

        self.items_model = LineItemsModel(self)
        self.items_view = TableView("lineItemsTable")
        self.items_view.set_column_priorities({0: 0, 3: 0, 4: 1, 1: 1, 2: 2})
        self.items_view.setModel(self.items_model)
        self.items_view.setItemDelegateForColumn(4, StatusBadgeDelegate(self.items_view))
        self.items_view.setAccessibleName("Line items")
        self.items_view.setMinimumHeight(90)

        self.copy_button = QPushButton("Copy order ID")
        self.copy_button.setAccessibleName("Copy the order ID")
        self.copy_button.clicked.connect(self._copy_id)
        self.reorder_button = QPushButton("Reorder…")
        self.reorder_button.setAccessibleName("Order again with these details")
        self.reorder_button.clicked.connect(
            lambda: self.order and self.sig_reorder_requested.emit(self.order)
        )
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.copy_button)
        buttons.addWidget(self.reorder_button)

        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addLayout(form)
        layout.addWidget(QLabel("Line items:"))
        layout.addWidget(self.items_view, 1)
        layout.addLayout(buttons)
        self.clear()

    def clear(self, message: str = "Select an order to see its detail") -> None:
        self.order = None
        self.title.setText(message)
        self.badge.hide()
        for value in self.fields.values():
            value.setText("")
        self.shipments = []
        self.form.setRowVisible(self.fields["tracking"], False)
        self.items_model.set_items([], None)
        self.copy_button.setEnabled(False)
        self.reorder_button.setEnabled(False)

    def set_loading(self, order_id: str) -> None:
        self.title.setText(f"Loading {order_id}…")

    def set_order(self, order: Order) -> None:
        self.order = order
        self.title.setText(order.order_id)
        self.badge.setText(f"  {status_label(order.status)}  ")
        role = theme.status_role(order.status)
        theme.keep_styled(
            self.badge,
            lambda: theme.css(
                role, extra="border-radius: 9px; padding: 2px 6px; font-weight: 600;"
            ),
        )
        self.badge.show()
        product = order.product_name or order.product_id or ""
        if order.product_name and order.product_id:
            product = f"{order.product_name} ({order.product_id})"
        ship_to = "\n".join(address_lines(order))  # as the printed confirmation spells it
        values = {
            "created": local_time(order.created_at),
            "updated": local_time(order.updated_at),
            "product": product,
            "quantity": "" if order.quantity is None else str(order.quantity),
            "unit_price": money(order.unit_price, order.currency),
            "total": money(order.total, order.currency),
            "reference": order.customer_reference or "—",
            "ship_to": ship_to,
        }
        for key, text in values.items():
            self.fields[key].setText(text)
        self.shipments = shipments_of(order.model_dump(mode="json", by_alias=True))
        self.fields["tracking"].setText(tracking_html(self.shipments))
        self.form.setRowVisible(self.fields["tracking"], bool(self.shipments))
        self.items_model.set_items(order.items, order.currency)
        self.items_view.resizeColumnsToContents()
        self.copy_button.setEnabled(True)
        self.reorder_button.setEnabled(True)

    def _copy_id(self) -> None:
        if self.order is not None:
            QGuiApplication.clipboard().setText(self.order.order_id)
