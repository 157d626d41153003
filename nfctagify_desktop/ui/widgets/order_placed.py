"""The confirmation that an order was placed: it stays until the user moves on.

A status-bar flash is gone before anyone copies the order id into their own system; this panel
keeps the id on screen with a Copy button and a way to find the order in the Orders tab.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from nfctagify_desktop.api.models import Order
from nfctagify_desktop.ui import theme
from nfctagify_desktop.ui.fonts import make_heading
from nfctagify_desktop.ui.format import money


class OrderPlacedPanel(QWidget):
    """ "Order ord_… placed", the id to copy, and buttons to go on.

    Signals:
        sig_show_in_orders(str): the order id to show in the Orders tab.
        sig_new_order(): the user wants to write another order.
        sig_close(): done.
    """

    sig_show_in_orders = Signal(str)
    sig_new_order = Signal()
    sig_close = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("orderPlaced")
        self.order_id = ""
        self.heading = QLabel()
        self.heading.setObjectName("orderPlacedHeading")
        theme.use(self.heading, "text.ok")
        make_heading(self.heading, 1.33)
        self.heading.setAccessibleName("Order placed")
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setAccessibleName("Placed order details")
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.id_edit = QLineEdit()
        self.id_edit.setReadOnly(True)
        self.id_edit.setAccessibleName("Order ID")
        self.copy_button = QPushButton("&Copy order ID")
        self.copy_button.setAccessibleName("Copy the order ID")
        self.copy_button.setAutoDefault(False)
        self.copy_button.clicked.connect(self.copy_id)
        id_row = QHBoxLayout()
        id_row.addWidget(QLabel("Order ID:"))
        id_row.addWidget(self.id_edit, 1)
        id_row.addWidget(self.copy_button)

        self.show_button = QPushButton("&Show in Orders")
        self.show_button.setAccessibleName("Show this order in the Orders tab")
        self.show_button.setAutoDefault(False)
        self.show_button.clicked.connect(lambda: self.sig_show_in_orders.emit(self.order_id))
        self.new_button = QPushButton("&New order")
        self.new_button.setAccessibleName("Write another order")
        self.new_button.setAutoDefault(False)
        self.new_button.clicked.connect(self.sig_new_order)
        self.close_button = QPushButton("Close")
        self.close_button.setAccessibleName("Close the order form")
        self.close_button.setDefault(True)
        self.close_button.clicked.connect(self.sig_close)
        buttons = QHBoxLayout()
        buttons.addWidget(self.show_button)
        buttons.addWidget(self.new_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addLayout(id_row)
        layout.addWidget(self.detail)
        layout.addStretch(1)
        layout.addLayout(buttons)

    def show_order(self, order: Order, *, earlier: bool = False) -> None:
        """Fill the panel; ``earlier``: an earlier attempt had placed it (a replay)."""
        self.order_id = order.order_id
        self.heading.setText(
            "✓ This order had already been placed" if earlier else "✓ Order placed"
        )
        self.id_edit.setText(order.order_id)
        self.copy_button.setText("&Copy order ID")
        bits = []
        if order.quantity is not None:
            bits.append(f"{order.quantity} × {order.product_name or order.product_id or ''}")
        if order.total is not None:
            bits.append(f"total {money(order.total, order.currency)}")
        if order.shipping is not None:
            bits.append(f"to {order.shipping.name}, {order.shipping.city}")
        if order.customer_reference:
            bits.append(f"reference {order.customer_reference}")
        status = f"Status: {order.status_raw}." if order.status_raw else ""
        self.detail.setText(("; ".join(bits) + ". " if bits else "") + status)

    def show_order_id(self, order_id: str) -> None:
        """Only the id is known (the draft was placed before): still copyable and findable."""
        self.order_id = order_id
        self.heading.setText("✓ Order placed")
        self.id_edit.setText(order_id)
        self.copy_button.setText("&Copy order ID")
        self.detail.setText("")

    def copy_id(self) -> None:
        QGuiApplication.clipboard().setText(self.order_id)
        self.copy_button.setText("Copied ✓")
        QTimer.singleShot(2000, self, lambda: self.copy_button.setText("&Copy order ID"))
