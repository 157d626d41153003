"""Narrow windows: the order's detail pane fits its width instead of scrolling sideways."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLabel

from nfctagify_desktop.api.models import Order
from nfctagify_desktop.ui.widgets.order_detail import OrderDetail

ORDER = {
    "order_id": "ord_jufcoy7ahggd",
    "status": "pending",
    "product_id": "prod_premium_metal",
    "product_name": "NFC Business Card — Premium Metal",
    "quantity": 55,
    "unit_price": "19.50",
    "total": "1072.50",
    "currency": "GBP",
    "created_at": "2026-11-29T10:15:00Z",
    "customer_reference": "PO-UX-1",
    "shipping": {
        "name": "Ada Lovelace",
        "address_line1": "1 High Street",
        "city": "London",
        "postcode": "SW1A 1AA",
        "country": "GB",
    },
    "items": [
        {
            "product_id": "prod_premium_metal",
            "product_name": "NFC Business Card — Premium Metal",
            "quantity": 55,
            "line_total": "1072.50",
        }
    ],
}


def test_the_detail_of_an_order_fits_a_pane_of_an_800_pixel_window(qtbot: Any) -> None:
    detail = OrderDetail()
    qtbot.addWidget(detail)
    detail.set_order(Order.model_validate(ORDER))
    detail.show()
    # The pane beside the orders list of an 800×600 window is about 230 pixels wide.
    assert detail.minimumSizeHint().width() <= 230
    detail.resize(230, 700)
    qtbot.waitUntil(lambda: detail.width() == 230)
    # The status badge stays whole; the id is shortened with its whole text as a tooltip.
    assert detail.badge.geometry().right() < detail.width()
    assert detail.title.is_elided() and detail.title.toolTip() == ORDER["order_id"]
    product = detail.fields["product"]
    assert product.geometry().right() < detail.width()
    assert product.geometry().width() >= product.minimumSizeHint().width()
    detail.resize(500, 700)
    qtbot.waitUntil(lambda: not detail.title.is_elided())
    assert isinstance(detail.title, QLabel) and detail.title.text() == ORDER["order_id"]


def test_product_names_stay_whole_in_a_1024_window(main_window: Any, qtbot: Any) -> None:
    """At 1024 pixels the long description gives up width, not the product's name."""
    tab = main_window.products_tab
    main_window.tabs.setCurrentWidget(tab)
    main_window.resize(1024, 640)
    main_window.load_all()
    qtbot.waitUntil(lambda: tab.model.rowCount() > 0, timeout=10_000)
    fit = tab.view.column_fit
    qtbot.waitUntil(lambda: not fit.pending, timeout=10_000)
    header = tab.view.horizontalHeader()
    assert not header.isSectionHidden(4)  # the description is still there, shortened
    assert header.sectionSize(0) >= tab.view.sizeHintForColumn(0)
