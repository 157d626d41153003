"""Status changes found by the order sync: notified once, shown and highlighted; the interval;
users upgrading from the old order cache."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from nfctagify_desktop.api.models import OrderStatus
from nfctagify_desktop.store.mirror import StatusChange
from nfctagify_desktop.ui.models.table import BACKGROUND_ROLE
from nfctagify_desktop.ui.notifier import message_for

WAIT = 20_000


def synced(sync: Any, qtbot: Any) -> Any:
    """One pass of the background sync (newest orders, every open order); its report."""
    with qtbot.waitSignal(sync.sig_synced, timeout=WAIT) as blocker:
        sync.sync_now()
    return blocker.args[0]


def test_status_change_is_detected_notified_once_and_highlighted(
    main_window: Any, qtbot: Any, sandbox: Any, qtmodeltester: Any
) -> None:
    tab = main_window.orders_tab
    sync = main_window.services.order_sync
    notifier = main_window.notifier
    with qtbot.waitSignal(tab.sig_page_loaded, timeout=WAIT):
        tab.refresh()
    first = synced(sync, qtbot)
    assert first.changes == []  # the page the tab stored has the same statuses: nothing new
    assert notifier.notified_count == 0
    pending = {o.order_id for o in tab.model.rows if o.status is OrderStatus.PENDING}
    assert pending, "the demo data has orders a few minutes old"

    sandbox.clock.advance(11 * 60)  # pending -> processing after 10 min
    with qtbot.waitSignal(notifier.sig_notified, timeout=WAIT) as note:
        result = synced(sync, qtbot)
    changed = {c.order_id: c for c in result.changes}
    assert pending <= set(changed)
    assert all(changed[i].new is OrderStatus.PROCESSING for i in pending)
    assert notifier.notified_count == len(result.changes)
    title, text = note.args
    assert "is now Processing" in text
    assert "changed status" in title
    # Offscreen there is no tray: the status bar says it instead.
    assert "is now Processing" in main_window.statusBar().currentMessage()

    # Within that one sync, the rows on screen show the new status, highlighted.
    qtbot.waitUntil(lambda: pending <= tab.model.highlighted, timeout=WAIT)
    for order_id in pending:
        row = tab.model.row_of(lambda o, i=order_id: o.order_id == i)
        assert tab.model.order(row).status is OrderStatus.PROCESSING
        assert tab.model.data(tab.model.index(row, 0), BACKGROUND_ROLE) is not None
    qtmodeltester.check(tab.model)

    # Once: neither the next sync nor the tab's own refresh announces it again.
    synced(sync, qtbot)
    with qtbot.waitSignal(tab.sig_page_loaded, timeout=WAIT):
        tab.refresh()
    assert notifier.notified_count == len(result.changes)

    # Selecting the order marks the change seen: no more highlight, also in the mirror.
    seen = next(iter(pending))
    assert tab.select_order(seen)
    assert seen not in tab.model.highlighted
    assert seen not in sync.unseen()
    assert pending - {seen} <= tab.model.highlighted


def test_an_old_order_cache_is_removed_and_the_first_sync_notifies_nothing(
    qtbot: Any,
    app_dirs: Path,
    sandbox: Any,
    sandbox_connection: Any,
    arun: Callable[..., Any],
) -> None:
    """Upgrading: the single order-cache file of earlier versions is left on disk, corrupt or
    not; start-up goes on, the file goes, and the new mirror's first sync announces nothing."""
    from nfctagify_desktop.services.container import build_services
    from nfctagify_desktop.ui.main_window import MainWindow

    data = app_dirs / "data"
    data.mkdir(exist_ok=True)
    old = [data / "orders.sqlite3", data / "orders.sqlite3-wal", data / "orders.sqlite3.bad"]
    for path in old:
        path.write_bytes(b"an order cache of an earlier version" * 50)
    services = build_services(sandbox_connection)
    window = MainWindow(services)
    qtbot.addWidget(window)
    try:
        assert not any(path.exists() for path in old)
        window.show()
        report = synced(services.order_sync, qtbot)
        assert report.fetched >= sandbox.order_count()
        assert report.changes == []
        assert window.notifier.notified_count == 0
        assert services.order_sync.mirror.count() == sandbox.order_count()
    finally:
        arun(services.aclose())


def test_auto_refresh_follows_the_interval_setting(main_window: Any, qtbot: Any) -> None:
    sync = main_window.services.order_sync
    sync.set_interval_minutes(0)  # off: the pass and the history, then nothing
    synced(sync, qtbot)
    qtbot.waitUntil(lambda: not sync.running, timeout=WAIT)
    sync.set_interval_minutes(2)
    synced(sync, qtbot)
    assert sync.running  # waiting for the next pass
    sync.set_interval_minutes(0)  # turned off meanwhile: the wait ends, no more passes
    qtbot.waitUntil(lambda: not sync.running, timeout=WAIT)


def test_many_changes_make_one_message() -> None:
    changes = [
        StatusChange(f"ord_{n}", OrderStatus.PENDING, OrderStatus.PROCESSING, f"REF-{n}")
        for n in range(6)
    ]
    title, text = message_for(changes)
    assert title == "6 orders changed status"
    assert "ord_0 is now Processing (ref REF-0)" in text
    assert text.endswith("…and 2 more")
