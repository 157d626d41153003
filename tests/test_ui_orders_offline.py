"""The Orders tab on the account's mirror: instant start, offline rows and search, the chips."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from PySide6.QtCore import Qt

from nfctagify_desktop.api.models import OrderStatus
from nfctagify_desktop.services.orders_browser import OrdersQuery
from nfctagify_desktop.ui.format import ago
from nfctagify_desktop.ui.tabs.orders_tab import SOURCE_CACHE, SOURCE_SEARCH, SOURCE_SERVER

WAIT = 10_000


def first_load(window: Any, qtbot: Any) -> None:
    tab = window.orders_tab
    with qtbot.waitSignal(tab.sig_page_loaded, timeout=WAIT):
        tab.refresh()
    qtbot.waitUntil(lambda: window.ctx.tasks.busy_count == 0, timeout=WAIT)


def test_cached_orders_show_before_the_network_answers(
    main_window: Any,
    qtbot: Any,
    sandbox: Any,
    sandbox_connection: Any,
    arun: Callable[..., Any],
    qtmodeltester: Any,
) -> None:
    from nfctagify_desktop.services.container import build_services
    from nfctagify_desktop.ui.main_window import MainWindow

    first_load(main_window, qtbot)
    shown = [o.order_id for o in main_window.orders_tab.model.rows]
    assert shown

    # The next start, against a slow server: last known orders at once, then the refresh.
    # Never synced in full, the mirror holds them as the last known ones, not as the list.
    sandbox.faults.delay_seconds = 3
    services = build_services(sandbox_connection)
    ctx = services.ctx
    again = MainWindow(services)
    qtbot.addWidget(again)
    try:
        tab = again.orders_tab
        assert tab.source == SOURCE_CACHE
        assert [o.order_id for o in tab.model.rows] == shown
        assert tab.page_label.text().endswith("saved orders")
        qtmodeltester.check(tab.model)
        again.show()
        tab.refresh()
        assert ctx.tasks.is_running("orders")
        assert [o.order_id for o in tab.model.rows] == shown  # still there, while in flight
        assert tab.freshness_label.text().startswith("Saved orders, updated just now")
        assert "refreshing" in tab.freshness_label.text()
        with qtbot.waitSignal(tab.sig_page_loaded, timeout=WAIT):
            pass
        assert tab.source == SOURCE_SERVER
        assert tab.freshness_label.text().startswith("Updated just now")
    finally:
        sandbox.faults.delay_seconds = 0
        arun(services.aclose())


def test_offline_the_last_known_orders_show_and_say_they_are_not_live(
    main_window: Any, qtbot: Any, sandbox: Any, sandbox_connection: Any, arun: Callable[..., Any]
) -> None:
    from nfctagify_desktop.services.container import build_services
    from nfctagify_desktop.ui.main_window import MainWindow

    tab = main_window.orders_tab
    sync = main_window.services.order_sync
    with qtbot.waitSignal(sync.sig_synced, timeout=WAIT):
        sync.sync_now()  # the whole (small) history: the mirror answers every view
    first_load(main_window, qtbot)
    shown = [o.order_id for o in tab.model.rows]
    assert shown

    sandbox.stop()
    tab.refresh()
    # The list's own request failed (the detail's may fail first, with the same banner).
    qtbot.waitUntil(lambda: tab.offline and not tab.banner.isHidden(), timeout=WAIT)
    assert "Could not reach the Partner API" in tab.banner.text
    assert [o.order_id for o in tab.model.rows] == shown  # still there
    assert tab.freshness_label.text().endswith("· offline")
    assert tab.freshness_label.text().startswith(f"synced {len(shown)}")

    # The next start, still offline: the same orders at once, marked as not live.
    services = build_services(sandbox_connection)
    again = MainWindow(services)
    qtbot.addWidget(again)
    try:
        other = again.orders_tab
        assert [o.order_id for o in other.model.rows] == shown
        again.show()
        other.refresh()
        qtbot.waitUntil(lambda: other.offline and not other.banner.isHidden(), timeout=WAIT)
        assert [o.order_id for o in other.model.rows] == shown
        assert other.freshness_label.text().endswith("· offline")
    finally:
        arun(services.aclose())


def test_freshness_says_how_old() -> None:
    now = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
    assert ago(None, now) == "never"
    assert ago(now - timedelta(seconds=20), now) == "just now"
    assert ago(now - timedelta(minutes=7), now) == "7 min ago"
    assert ago(now - timedelta(hours=5), now) == "5 h ago"
    assert ago(now - timedelta(days=3), now) == "3 days ago"


def test_search_finds_orders_offline(main_window: Any, qtbot: Any, sandbox: Any) -> None:
    tab = main_window.orders_tab
    sandbox.seed_orders("demo", 30)  # two pages
    first_load(main_window, qtbot)
    # Page 2 too, so the search covers orders not on the page shown.
    with qtbot.waitSignal(tab.sig_page_loaded, timeout=WAIT):
        tab.go_to(2)
    target = next(
        o
        for o in tab.model.rows
        if o.customer_reference
        and o.shipping
        # a reference no other saved order contains
        and tab.mirror_source.count(OrdersQuery(search=o.customer_reference.lower())) == 1
    )
    with qtbot.waitSignal(tab.sig_page_loaded, timeout=WAIT):
        tab.go_to(1)
    assert target.order_id not in {o.order_id for o in tab.model.rows}
    cached_total = tab.sync.mirror.count()

    sandbox.stop()
    tab.refresh()
    qtbot.waitUntil(lambda: not tab.banner.isHidden(), timeout=WAIT)
    assert "Could not reach the Partner API" in tab.banner.text

    assert target.customer_reference is not None and target.shipping is not None
    with qtbot.waitSignal(tab.sig_search_done, timeout=WAIT) as done:
        tab.search(target.customer_reference.lower())
    assert done.args == [1]
    assert tab.source == SOURCE_SEARCH
    assert [o.order_id for o in tab.model.rows] == [target.order_id]
    assert tab.freshness_label.text().startswith(f"Searching {cached_total:,} saved orders")
    assert tab.page_label.text() == "Page 1 of 1 · 1 match"
    # The detail comes from the mirror too.
    assert tab.detail.order is not None and tab.detail.order.order_id == target.order_id

    # By order id fragment and by recipient (case-insensitive), through the typing delay.
    tab.search_edit.setText(target.order_id[-6:].upper())
    qtbot.waitUntil(lambda: [o.order_id for o in tab.model.rows] == [target.order_id], timeout=WAIT)
    tab.search(target.shipping.name.upper())
    assert target.order_id in {o.order_id for o in tab.model.rows}
    assert all(
        target.shipping.name.casefold() in (o.shipping.name.casefold() if o.shipping else "")
        for o in tab.model.rows
    )

    # Clearing the search goes back to the server's list (last page at once; offline banner).
    tab.search("")
    assert tab.source == SOURCE_SERVER
    assert target.order_id not in {o.order_id for o in tab.model.rows}
    qtbot.waitUntil(lambda: not tab.banner.isHidden(), timeout=WAIT)


def test_ctrl_f_focuses_the_search_on_the_orders_tab(main_window: Any, qtbot: Any) -> None:
    main_window.tabs.setCurrentWidget(main_window.orders_tab)
    main_window.activateWindow()
    main_window.focus_filter()
    assert main_window.orders_tab.search_edit.hasFocus() or not main_window.isActiveWindow()
    assert main_window.find_action.shortcut().matches(main_window.find_action.shortcut())


def test_overview_strip_counts_and_filters(main_window: Any, qtbot: Any, sandbox: Any) -> None:
    tab = main_window.orders_tab
    sync = main_window.services.order_sync
    first_load(main_window, qtbot)
    strip = tab.overview
    with qtbot.waitSignal(sync.sig_synced, timeout=WAIT) as blocker:
        sync.sync_now()
    report = blocker.args[0]
    # After a sync: every order of every status, the open ones as the server counts them.
    qtbot.waitUntil(lambda: sum(strip.counts.values()) == sandbox.order_count(), timeout=WAIT)
    for status in (OrderStatus.PENDING, OrderStatus.PROCESSING, OrderStatus.DISPATCHED):
        assert strip.counts[status] == report.counts[status.value]
    delivered = strip.counts[OrderStatus.DELIVERED]
    assert strip.chip_for(OrderStatus.DELIVERED).text() == f"Delivered {delivered:,}"
    assert strip.this_week is not None
    assert "this week" in strip.week_label.text()

    with qtbot.waitSignal(tab.sig_page_loaded, timeout=WAIT) as page:
        qtbot.mouseClick(strip.chip_for(OrderStatus.DELIVERED), Qt.MouseButton.LeftButton)
    assert tab.status_combo.currentData() == "delivered"
    assert {o.status for o in tab.model.rows} == {OrderStatus.DELIVERED}
    assert page.args[0].pagination.total == delivered
    assert tab.browser.answer is not None and tab.browser.answer.total == delivered
    assert strip.chip_for(OrderStatus.DELIVERED).isChecked()
    # And the combo drives the chips.
    with qtbot.waitSignal(tab.sig_page_loaded, timeout=WAIT):
        tab.set_status_filter(None)
    assert strip.chip_for(None).isChecked()
