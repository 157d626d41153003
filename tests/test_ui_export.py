"""CSV export of the Orders tab's filtered list: every page, with progress, cancellable."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path
from typing import Any

from nfctagify_desktop.api.models import Order, OrderCreate, OrderQuery, OrderStatus, ShippingInput
from nfctagify_desktop.services.export import CSV_COLUMNS, export_orders, order_row
from nfctagify_desktop.store.mirror import MirrorQuery

WAIT = 15_000


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        assert tuple(reader.fieldnames or ()) == CSV_COLUMNS
        return list(reader)


def test_export_writes_every_matching_order_across_pages(
    main_window: Any, qtbot: Any, sandbox: Any, sandbox_connection: Any, tmp_path: Path
) -> None:
    sandbox.seed_orders("demo", 250)
    tab = main_window.orders_tab
    with qtbot.waitSignal(tab.sig_page_loaded, timeout=WAIT) as blocker:
        tab.set_status_filter(OrderStatus.DELIVERED)
    total = blocker.args[0].pagination.total
    assert total > 200  # several pages of 100
    assert tab.model.rowCount() == tab.browser.query.per_page < total  # one page only

    target = tmp_path / "delivered.csv"
    before = len(sandbox_connection.transport.requests)
    dialog = tab.export_to(target)
    assert dialog is not None and dialog.isVisible()
    with qtbot.waitSignal(dialog.sig_finished, timeout=WAIT) as done:
        pass
    assert done.args == [total]
    rows = read_csv(target)
    assert len(rows) == total
    assert len({r["order_id"] for r in rows}) == total
    assert {r["status"] for r in rows} == {"delivered"}
    assert dialog.bar.maximum() == total and dialog.bar.value() == total
    pages = [
        r for r in sandbox_connection.transport.requests[before:] if r.url.path.endswith("/orders")
    ]
    assert [r.url.params["page"] for r in pages] == [str(n) for n in range(1, len(pages) + 1)]
    assert {r.url.params["per_page"] for r in pages} == {"100"}
    assert {r.url.params["status"] for r in pages} == {"delivered"}
    assert len(pages) == -(-total // 100)
    # Every exported page went into the account's mirror too.
    assert tab.sync.mirror.total(MirrorQuery(status="delivered")) >= total
    assert not list(tmp_path.glob("*.part"))


def test_cancelled_export_leaves_no_file(
    main_window: Any, qtbot: Any, sandbox: Any, tmp_path: Path
) -> None:
    sandbox.seed_orders("demo", 250)
    tab = main_window.orders_tab
    sandbox.faults.delay_seconds = 1
    try:
        target = tmp_path / "all.csv"
        dialog = tab.export_to(target)
        assert dialog is not None
        qtbot.waitUntil(lambda: main_window.ctx.tasks.is_running("orders-export"), timeout=WAIT)
        with qtbot.waitSignal(dialog.sig_cancelled, timeout=WAIT):
            dialog.buttons.button(dialog.buttons.StandardButton.Cancel).click()
        qtbot.waitUntil(lambda: not main_window.ctx.tasks.is_running("orders-export"), timeout=WAIT)
        assert not dialog.isVisible()
        assert not target.exists()
        qtbot.waitUntil(lambda: not list(tmp_path.glob("*.part")), timeout=WAIT)
    finally:
        sandbox.faults.delay_seconds = 0


def test_export_while_searching_writes_the_cached_matches(
    main_window: Any, qtbot: Any, tmp_path: Path
) -> None:
    tab = main_window.orders_tab
    with qtbot.waitSignal(tab.sig_page_loaded, timeout=WAIT):
        tab.refresh()
    order = next(o for o in tab.model.rows if o.customer_reference)
    assert order.customer_reference is not None
    tab.search(order.customer_reference)
    dialog = tab.export_to(tmp_path / "found.csv")
    assert dialog is not None and dialog.done_ok
    rows = read_csv(tmp_path / "found.csv")
    assert [r["order_id"] for r in rows] == [o.order_id for o in tab.model.rows]
    assert rows[0]["customer_reference"] == order.customer_reference


def test_export_has_the_region_of_orders_placed_with_one(
    sandbox_connection: Any, arun: Any, tmp_path: Path
) -> None:
    client = sandbox_connection.client
    california = ShippingInput(
        name="Ann Lee",
        address_line1="1 Market St",
        city="San Francisco",
        postcode="94105",
        country="US",
        region="CA",
    )
    placed = arun(
        client.create_order(
            OrderCreate(product_id="prod_standard", quantity=25, shipping=california)
        )
    )
    target = tmp_path / "all.csv"
    written = arun(export_orders(client, OrderQuery(), target))
    rows = {r["order_id"]: r for r in read_csv(target)}
    assert len(rows) == written > 1
    mine = rows.pop(placed.order_id)
    assert (mine["city"], mine["region"], mine["postcode"], mine["country"]) == (
        "San Francisco",
        "CA",
        "94105",
        "US",
    )
    assert {r["region"] for r in rows.values()} == {""}  # the demo's British orders have none


def test_csv_row_columns_and_formula_guard() -> None:
    order = Order.model_validate(
        {
            "order_id": "ord_1",
            "status": "dispatched",
            "created_at": "2026-05-01T10:00:00Z",
            "product_id": "card-pvc",
            "product_name": "PVC card",
            "quantity": 50,
            "customer_reference": "=HYPERLINK(1)",
            "currency": "GBP",
            "total": "123.4",
            "shipping": {
                "name": "Zoë Ward",
                "address_line1": "1 High St",
                "city": "Leeds",
                "postcode": "LS1 1AA",
                "country": "GB",
            },
        }
    )
    row = dict(zip(CSV_COLUMNS, order_row(order), strict=True))
    assert row["customer_reference"] == "'=HYPERLINK(1)"  # not a formula in a spreadsheet
    assert row["recipient_name"] == "Zoë Ward"
    assert row["total"] == "123.40"
    assert row["created_at"] == "2026-05-01T10:00:00+00:00"
    assert (row["city"], row["postcode"], row["country"]) == ("Leeds", "LS1 1AA", "GB")
    assert row["region"] == ""  # none given
    assert Decimal(row["total"]) == Decimal("123.40")
