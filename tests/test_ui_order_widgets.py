"""The order form's parts on their own: the quantity field, the price line, the confirmation."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from nfctagify_desktop.api.models import Order
from nfctagify_desktop.ui.price_text import price_line, total_line
from nfctagify_desktop.ui.widgets.order_placed import OrderPlacedPanel
from nfctagify_desktop.ui.widgets.quantity_edit import QuantityEdit


@pytest.mark.parametrize("typed", ["5", "99999999", "abc", "12.5", ""])
def test_quantity_keeps_whatever_was_typed(qtbot: Any, typed: str) -> None:
    edit = QuantityEdit()
    qtbot.addWidget(edit)
    edit.setMinimum(10)
    qtbot.keyClicks(edit, typed)
    assert edit.text() == typed  # no clamping, no reverting


def test_quantity_arrow_keys_step_within_the_limits(qtbot: Any) -> None:
    edit = QuantityEdit()
    qtbot.addWidget(edit)
    edit.setMinimum(10)
    edited: list[str] = []
    edit.textEdited.connect(edited.append)
    edit.setText("3")
    qtbot.keyClick(edit, Qt.Key.Key_Up)
    assert edit.value() == 10  # below the minimum: up goes to the minimum
    qtbot.keyClick(edit, Qt.Key.Key_PageUp)
    assert edit.value() == 20
    qtbot.keyClick(edit, Qt.Key.Key_Down)
    assert edit.value() == 19
    qtbot.keyClick(edit, Qt.Key.Key_PageDown)
    qtbot.keyClick(edit, Qt.Key.Key_PageDown)
    assert edit.value() == 10
    edit.setValue(10_000)
    qtbot.keyClick(edit, Qt.Key.Key_Up)
    assert edit.value() == 10_000
    assert edited[-1] == "10000"  # stepping counts as an edit: the form re-checks


def test_price_line_with_a_custom_price() -> None:
    assert (
        price_line(Decimal("19.50"), 25, "GBP", Decimal("24.00"))
        == "£19.50 each — standard £24.00, you save £112.50"
    )
    assert price_line(Decimal("19.50"), 25, "GBP") == "£19.50 each"
    assert price_line(Decimal("24.00"), 25, "GBP", Decimal("24.00")) == "£24.00 each"
    assert price_line(Decimal("30"), 2, "GBP", Decimal("24")) == (
        "£30.00 each — standard £24.00, £12.00 more"
    )
    assert price_line(Decimal("19.50"), None, "GBP", Decimal("24")) == (
        "£19.50 each — standard £24.00"
    )
    assert total_line(Decimal("19.50"), 25, "GBP") == "Total £487.50"
    assert total_line(Decimal("19.50"), None, "GBP") == ""


def test_order_placed_panel_stays_and_copies(qtbot: Any) -> None:
    panel = OrderPlacedPanel()
    qtbot.addWidget(panel)
    order = Order.model_validate(
        {
            "order_id": "ord_abc123",
            "status": "pending",
            "created_at": "2026-05-25T09:00:00Z",
            "product_name": "Metal",
            "quantity": 25,
            "total": "487.50",
            "currency": "GBP",
            "customer_reference": "PO-9",
            "shipping": {
                "name": "Jane Smith",
                "address_line1": "1 St",
                "city": "London",
                "postcode": "EC1A 1BB",
                "country": "GB",
            },
        }
    )
    panel.show_order(order)
    assert panel.heading.text() == "✓ Order placed"
    assert panel.id_edit.text() == "ord_abc123"
    assert "25 × Metal" in panel.detail.text()
    assert "£487.50" in panel.detail.text()
    panel.copy_button.click()
    assert QGuiApplication.clipboard().text() == "ord_abc123"
    assert panel.copy_button.text() == "Copied ✓"
    with qtbot.waitSignal(panel.sig_show_in_orders) as shown:
        panel.show_button.click()
    assert shown.args == ["ord_abc123"]
    panel.show_order(order, earlier=True)
    assert "already been placed" in panel.heading.text()
