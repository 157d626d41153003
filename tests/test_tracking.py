"""Tracking on dispatched orders: read from any shape the API may send, shown as a link."""

from __future__ import annotations

from typing import Any

import pytest

from nfctagify_desktop.api.tracking import Shipment, safe_url, shipments_of


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        (
            {"carrier": "DPD", "tracking_number": "15501234", "tracking_url": "https://dpd.co/t/1"},
            [Shipment("DPD", "15501234", "https://dpd.co/t/1")],
        ),
        (
            {"tracking": {"carrier": "UPS", "number": "1Z999", "url": "https://ups.com/1Z999"}},
            [Shipment("UPS", "1Z999", "https://ups.com/1Z999")],
        ),
        (
            {
                "shipments": [
                    {"courier": "Evri", "tracking_code": "H01"},
                    {
                        "carrier": "Evri",
                        "tracking": {"number": "H02", "link": "http://evri.com/H02"},
                    },
                ]
            },
            [Shipment("Evri", "H01", None), Shipment(None, "H02", "http://evri.com/H02")],
        ),
        (
            {
                "items": [
                    {"tracking_number": "A1", "carrier": "DHL"},
                    {"tracking_number": "A1", "carrier": "DHL"},
                ]
            },
            [Shipment("DHL", "A1", None)],
        ),
        ({"status": "dispatched"}, []),
        ({"tracking": "garbage", "shipments": [1, None, "x"], "carrier": "DHL"}, []),
    ],
)
def test_shipments_from_every_shape(order: dict[str, Any], expected: list[Shipment]) -> None:
    assert shipments_of(order) == expected


def test_only_web_links_are_clickable() -> None:
    assert safe_url("javascript:alert(1)") is None
    assert safe_url("file:///etc/passwd") is None
    assert safe_url("https://") is None
    assert safe_url(" https://track.example/x ") == "https://track.example/x"
    assert shipments_of({"tracking_number": "X", "tracking_url": "javascript:x"}) == [
        Shipment(None, "X", None)
    ]


def test_sandbox_adds_tracking_on_dispatch(
    sandbox: Any, sandbox_connection: Any, arun: Any
) -> None:
    client = sandbox_connection.client
    page = arun(client.list_orders(status="dispatched"))
    assert page.orders, "the demo data has dispatched orders"
    order = arun(client.get_order(page.orders[0].order_id))
    [shipment] = shipments_of(order.model_dump(mode="json", by_alias=True))
    assert shipment.carrier == "Royal Mail"
    assert shipment.tracking_number and shipment.tracking_url
    assert shipment.tracking_number in shipment.tracking_url
    pending = arun(client.list_orders(status="pending"))
    assert all(shipments_of(o.model_dump(mode="json", by_alias=True)) == [] for o in pending.orders)


def test_detail_pane_links_to_tracking(main_window: Any, qtbot: Any, arun: Any) -> None:
    tab = main_window.orders_tab
    client = main_window.services.ctx.connection.client
    dispatched = arun(client.list_orders(status="dispatched")).orders[0]
    with qtbot.waitSignal(tab.sig_detail_loaded, timeout=10_000):
        main_window.show_order(dispatched.order_id)
    label = tab.detail.fields["tracking"]
    assert tab.detail.form.isRowVisible(label)
    assert "Royal Mail" in label.text()
    assert '<a href="https://www.royalmail.com/' in label.text()
    assert label.openExternalLinks()
