"""The Orders tab on the local mirror: sort, search and chips over every order; fresh statuses."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from PySide6.QtCore import Qt

from nfctagify_desktop.api.models import OrderQuery, OrderStatus
from nfctagify_desktop.order_status import KNOWN_STATUSES
from nfctagify_desktop.ordering.pacing import RatePacer
from nfctagify_desktop.services.orders_browser import Source
from nfctagify_desktop.ui.tabs.orders_mirror import STILL_SYNCING

WAIT = 20_000
TOTAL_COLUMN = 5


def all_server_orders(client: Any, arun: Any, **filters: Any) -> list[Any]:
    orders: list[Any] = []
    page = 1
    while True:
        got = arun(client.list_orders(OrderQuery(page=page, per_page=100, **filters)))
        orders += got.orders
        if not got.has_next:
            return orders
        page += 1


def sync_all(window: Any, qtbot: Any, *, backfill: bool = True) -> Any:
    sync = window.services.order_sync
    sync.engine.pacer = RatePacer(per_minute=100_000)  # the sandbox here sends no limit
    if backfill:
        sync.set_interval_minutes(0)  # a pass, the whole history, then stop
        sync.start()
        qtbot.waitUntil(lambda: not sync.running, timeout=WAIT)
    return sync


@pytest.fixture
def big(sandbox: Any) -> Any:
    sandbox.set_rate_limits(per_minute=0)
    sandbox.seed_orders("demo", 260, days=90)
    return sandbox


def test_sort_search_and_chips_cover_orders_never_shown(
    main_window: Any, big: Any, qtbot: Any, arun: Any, sandbox_connection: Any
) -> None:
    tab = main_window.orders_tab
    sync_all(main_window, qtbot)
    tab.refresh()
    assert tab.source is Source.MIRROR
    shown = {tab.model.order(r).order_id for r in range(tab.model.rowCount())}
    everything = all_server_orders(sandbox_connection.client, arun)
    assert len(everything) == 300
    assert f"Page 1 of {300 // tab.browser.query.per_page} · 300 orders" == tab.page_label.text()
    assert tab.freshness_label.text().startswith("synced 300 of 300 orders · updated ")

    # Sorting by Total sorts all 300 orders, not the 20 on screen.
    tab.view.horizontalHeader().setSortIndicator(TOTAL_COLUMN, Qt.SortOrder.DescendingOrder)
    top = max(o.total or Decimal(0) for o in everything)
    assert tab.model.order(0).total == top
    shown |= {tab.model.order(r).order_id for r in range(tab.model.rowCount())}

    # Search finds an order that was never on a page the user saw.
    unseen = min((o for o in everything if o.order_id not in shown), key=lambda o: o.created_at)
    tab.search(unseen.order_id)
    assert [tab.model.order(r).order_id for r in range(tab.model.rowCount())] == [unseen.order_id]
    tab.search("")

    # Every chip is the total the list shows once it is chosen (and the server's count).
    for status in KNOWN_STATUSES:
        tab.set_status_filter(status)
        chip = tab.overview.counts.get(status, 0)
        assert tab.browser.answer is not None and tab.browser.answer.total == chip
        assert chip == len([o for o in everything if o.status is status])
    tab.set_status_filter(None)
    assert sum(tab.overview.counts.values()) == tab.browser.answer.total == 300


def test_a_status_change_reaches_the_view_within_one_sync(
    main_window: Any, big: Any, qtbot: Any
) -> None:
    tab = main_window.orders_tab
    sync = sync_all(main_window, qtbot)
    tab.set_status_filter(OrderStatus.PENDING)
    pending = {tab.model.order(r).order_id for r in range(tab.model.rowCount())}
    assert pending and tab.source is Source.MIRROR

    big.clock.advance(11 * 60)  # pending -> processing
    sync.start()  # one pass
    qtbot.waitUntil(lambda: tab.overview.counts.get(OrderStatus.PENDING, 0) == 0, timeout=WAIT)
    qtbot.waitUntil(lambda: tab.model.rowCount() == 0, timeout=WAIT)  # none pending now
    tab.set_status_filter(OrderStatus.PROCESSING)
    shown = {tab.model.order(r).order_id for r in range(tab.model.rowCount())}
    assert pending <= shown
    assert pending <= tab.model.highlighted  # changed, not looked at yet


def test_an_incomplete_mirror_says_so_and_pages_from_the_server(
    main_window: Any, big: Any, qtbot: Any, arun: Any
) -> None:
    tab = main_window.orders_tab
    sync = sync_all(main_window, qtbot, backfill=False)
    arun(sync.engine.sync_once())  # the newest page and the open orders, not the history
    assert not tab.mirror_source.complete(tab.browser.query)
    with qtbot.waitSignal(tab.sig_page_loaded, timeout=WAIT):
        tab.refresh()
    assert tab.source is Source.LIVE
    assert STILL_SYNCING in tab.freshness_label.text()
    assert "of 300 orders" in tab.freshness_label.text()


def test_the_selected_order_is_fetched_once_not_again_when_the_mirror_rereads(
    main_window: Any, big: Any, qtbot: Any
) -> None:
    """Its detail is stored in the mirror; the re-read that follows must not fetch it again."""
    tab = main_window.orders_tab
    sync_all(main_window, qtbot)
    tab.refresh()
    assert tab.source is Source.MIRROR
    loaded: list[str] = []
    tab.sig_detail_loaded.connect(lambda order: loaded.append(order.order_id))
    reread: list[None] = []
    tab.sync.sig_mirror_changed.connect(lambda: reread.append(None))
    tab.view.selectRow(3)
    chosen = tab.model.order(3).order_id
    qtbot.waitUntil(lambda: loaded == [chosen], timeout=WAIT)
    # The detail's copy went to the mirror, and the list re-read it (and re-selected the row).
    qtbot.waitUntil(lambda: len(reread) >= 1, timeout=WAIT)
    qtbot.wait(1_500)  # several of the list's re-reads would have come and gone by now
    assert loaded == [chosen]
    assert tab.selected_order() is not None and tab.selected_order().order_id == chosen


def test_the_first_sync_turns_the_servers_page_into_the_mirrors(
    main_window: Any, sandbox: Any, qtbot: Any
) -> None:
    """A fresh account shows the server's page; once synced, the same view is the mirror's."""
    sandbox.set_rate_limits(per_minute=0)
    tab = main_window.orders_tab
    with qtbot.waitSignal(tab.sig_page_loaded, timeout=WAIT):
        tab.refresh()
    assert tab.source is Source.LIVE
    assert tab.freshness_label.text().startswith("Updated ")
    shown = [tab.model.order(r).order_id for r in range(tab.model.rowCount())]
    sync_all(main_window, qtbot)
    qtbot.waitUntil(lambda: tab.source is Source.MIRROR, timeout=WAIT)
    assert [tab.model.order(r).order_id for r in range(tab.model.rowCount())] == shown
    assert tab.freshness_label.text().startswith("synced 40 of 40 orders · updated ")
