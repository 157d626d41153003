"""Following orders: the watcher detects status changes on the sandbox clock (issue 8)."""

from __future__ import annotations

from typing import Any

from nfctagify_desktop.api.client import RateLimitState
from nfctagify_desktop.api.models import OrderStatus
from nfctagify_desktop.services.order_watch import RESERVE, WATCH_PER_MINUTE, _reserved
from nfctagify_desktop.ui.models.table import BACKGROUND_ROLE
from nfctagify_desktop.ui.notifier import message_for

WAIT = 10_000


def synced(watch: Any, qtbot: Any) -> Any:
    with qtbot.waitSignal(watch.sig_synced, timeout=WAIT) as blocker:
        watch.sync_now()
    return blocker.args[0]


def test_status_change_is_detected_notified_once_and_highlighted(
    main_window: Any, qtbot: Any, sandbox: Any, qtmodeltester: Any
) -> None:
    tab = main_window.orders_tab
    watch = tab.watch
    notifier = main_window.notifier
    with qtbot.waitSignal(tab.sig_page_loaded, timeout=WAIT):
        tab.refresh()
    first = synced(watch, qtbot)
    assert first.changes == []  # everything is new on the first sync: nothing to announce
    assert notifier.notified_count == 0
    pending = {o.order_id for o in tab.model.rows if o.status is OrderStatus.PENDING}
    assert pending, "the demo data has orders a few minutes old"

    sandbox.clock.advance(11 * 60)  # pending -> processing after 10 min
    with qtbot.waitSignal(notifier.sig_notified, timeout=WAIT) as note:
        result = synced(watch, qtbot)
    changed = {c.order_id: c for c in result.changes}
    assert pending <= set(changed)
    assert all(changed[i].new is OrderStatus.PROCESSING for i in pending)
    assert notifier.notified_count == len(result.changes)
    title, text = note.args
    assert "is now Processing" in text
    assert "changed status" in title
    # Offscreen there is no tray: the status bar says it instead.
    assert "is now Processing" in main_window.statusBar().currentMessage()

    # The rows on screen show the new status, highlighted.
    assert pending <= tab.model.highlighted
    for order_id in pending:
        row = tab.model.row_of(lambda o, i=order_id: o.order_id == i)
        assert tab.model.order(row).status is OrderStatus.PROCESSING
        assert tab.model.data(tab.model.index(row, 0), BACKGROUND_ROLE) is not None
    qtmodeltester.check(tab.model)

    # Once: neither the next sync nor the tab's own refresh announces it again.
    synced(watch, qtbot)
    with qtbot.waitSignal(tab.sig_page_loaded, timeout=WAIT):
        tab.refresh()
    assert notifier.notified_count == len(result.changes)

    # Selecting the order marks the change seen: no more highlight, also in the cache.
    seen = next(iter(pending))
    assert tab.select_order(seen)
    assert seen not in tab.model.highlighted
    assert seen not in tab.cache.unseen_changes(tab.account_key)
    assert pending - {seen} <= tab.model.highlighted


def test_orders_leaving_the_open_statuses_are_fetched_one_by_one(
    main_window: Any, qtbot: Any, sandbox: Any, sandbox_connection: Any
) -> None:
    tab = main_window.orders_tab
    watch = tab.watch
    watch.set_per_minute(45)  # ~16 orders are fetched one by one below: no pacing wait
    synced(watch, qtbot)
    key = tab.account_key
    dispatched = {
        o.order_id for o in tab.cache.open_orders(key) if o.status is OrderStatus.DISPATCHED
    }
    assert dispatched
    sandbox.clock.advance(73 * 3600)  # everything open is delivered now
    before = len(sandbox_connection.transport.requests)
    result = synced(watch, qtbot)
    sent = sandbox_connection.transport.requests[before:]
    singles = {r.url.path.rsplit("/", 1)[-1] for r in sent if "/orders/" in r.url.path}
    assert dispatched <= singles
    assert {c.order_id for c in result.changes if c.new is OrderStatus.DELIVERED} >= dispatched
    assert tab.cache.open_orders(tab.account_key) == []
    # Status lists, not one request per order: 3 open lists + the singles + 3 counts.
    assert result.requests == len(sent) == 3 + len(singles) + 3
    assert result.counts[OrderStatus.PENDING] == 0
    assert result.counts[OrderStatus.DELIVERED] >= len(dispatched)
    assert result.this_week is not None
    assert main_window.notifier.notified_count == len(result.changes)


def test_auto_refresh_follows_the_interval_setting(main_window: Any, qtbot: Any) -> None:
    watch = main_window.orders_tab.watch
    watch.set_interval_minutes(0)
    watch.start(first_delay_ms=0)
    assert not watch.active  # 0 = off
    watch.set_interval_minutes(2)
    assert watch.active
    assert watch._timer.interval() == 2 * 60_000
    watch.stop()
    watch.start(first_delay_ms=0)
    with qtbot.waitSignal(watch.sig_synced, timeout=WAIT):
        pass  # the first sync starts by itself
    watch.stop()
    assert not watch.active


def test_sync_keeps_a_reserve_of_the_rate_limit() -> None:
    state = RateLimitState(limit=60, remaining=RESERVE, reset_seconds=30, observed_at=0.0)
    seen = _reserved(state, WATCH_PER_MINUTE)
    assert seen is not None
    assert seen.limit == WATCH_PER_MINUTE
    assert seen.remaining == 0  # the last RESERVE requests are left to the user
    assert _reserved(None, WATCH_PER_MINUTE) is None


def test_many_changes_make_one_message() -> None:
    from nfctagify_desktop.store.order_cache import StatusChange

    changes = [
        StatusChange(f"ord_{n}", OrderStatus.PENDING, OrderStatus.PROCESSING, f"REF-{n}")
        for n in range(6)
    ]
    title, text = message_for(changes)
    assert title == "6 orders changed status"
    assert "ord_0 is now Processing (ref REF-0)" in text
    assert text.endswith("…and 2 more")
