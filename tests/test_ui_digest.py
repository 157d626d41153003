"""'Since you last looked': counts match what changed on the sandbox between two sessions."""

from __future__ import annotations

import sqlite3
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from nfctagify_desktop.api.models import OrderStatus
from nfctagify_desktop.ordering.validation import OrderFields, to_order_create
from nfctagify_desktop.services.digest import DigestService
from nfctagify_desktop.store.last_look import Digest, LastLook
from nfctagify_desktop.ui.dialogs.digest_dialog import DigestDialog, digest_on_demand, show_digest

WAIT = 10_000


def synced(window: Any, qtbot: Any) -> None:
    sync = window.services.order_sync
    with qtbot.waitSignal(sync.sig_synced, timeout=WAIT):
        sync.sync_now()


async def all_orders(client: Any) -> dict[str, str]:
    out: dict[str, str] = {}
    page = 1
    while True:
        result = await client.list_orders(page=page, per_page=100)
        out.update({o.order_id: o.status_raw for o in result.orders})
        if not result.has_next:
            return out
        page += 1


def new_order(arun: Any, client: Any, name: str) -> str:
    fields = OrderFields(
        product_id="prod_standard",
        quantity="50",
        name=name,
        address_line1="1 High Street",
        city="Leeds",
        postcode="LS1 1AA",
        country="GB",
    )
    return str(arun(client.create_order(to_order_create(fields))).order_id)


def test_digest_counts_match_the_sandbox_clock(
    main_window: Any, qtbot: Any, sandbox: Any, arun: Any
) -> None:
    services = main_window.services
    client = services.ctx.connection.client
    # Session 1: the first sync of a new account only makes the first look.
    with qtbot.assertNotEmitted(services.digest.sig_digest):
        synced(main_window, qtbot)
    before = arun(all_orders(client))
    assert services.digest.current() is not None and services.digest.current().empty
    services.digest.close()  # the session ends

    # Between sessions: 25 hours pass on the sandbox clock and two orders are placed.
    sandbox.clock.advance(25 * 3600)
    placed = {new_order(arun, client, "Ann Lee"), new_order(arun, client, "Bo Chan")}
    now = arun(all_orders(client))
    expected = Counter(now[i] for i in before if now[i] != before[i])
    assert expected["dispatched"] > 0

    # Session 2: a fresh service on the same files offers the digest after its first sync.
    second = DigestService(services.ctx, services.order_sync, LastLook())
    synced(main_window, qtbot)
    with qtbot.waitSignal(second.sig_digest, timeout=WAIT) as offered:
        second.synced()
    digest: Digest = offered.args[0]
    assert set(digest.new) == placed
    assert {s: len(ids) for s, ids in digest.moved.items()} == dict(expected)
    assert f"{expected['dispatched']} dispatched" in digest.summary()
    assert "2 new orders" in digest.summary()
    # Once per session and account.
    with qtbot.assertNotEmitted(second.sig_digest):
        second.synced()
    second.close()

    # "N new orders" opens the list of orders placed since that look, the new ones among them.
    dialog = show_digest(main_window, digest)
    tab = main_window.orders_tab
    dialog.buttons["new"].click()
    qtbot.waitUntil(lambda: placed <= {o.order_id for o in tab.model.rows}, timeout=WAIT)
    assert main_window.tabs.currentWidget() is tab
    assert tab.browser.query.status is None
    assert tab.browser.query.date_from == digest.since.astimezone().date()
    dialog.close()


def test_digest_lines_open_the_filtered_list_and_mark_as_seen(
    main_window: Any, qtbot: Any, sandbox: Any
) -> None:
    services = main_window.services
    synced(main_window, qtbot)  # first look
    assert digest_on_demand(main_window) is None
    assert "Nothing changed" in main_window.statusBar().currentMessage()
    sandbox.clock.advance(25 * 3600)
    synced(main_window, qtbot)
    digest = services.digest.current()
    assert digest is not None and digest.count("dispatched")
    dialog = show_digest(main_window, digest)
    assert isinstance(dialog, DigestDialog)
    tab = main_window.orders_tab
    with qtbot.waitSignal(tab.sig_page_loaded, timeout=WAIT):
        dialog.buttons["dispatched"].click()
    assert main_window.tabs.currentWidget() is tab
    assert tab.browser.query.status is OrderStatus.DISPATCHED
    dialog.seen_button.click()
    after = services.digest.current()
    assert after is not None and after.empty


def test_a_look_recorded_by_an_earlier_version_counts_only_real_changes(
    main_window: Any, qtbot: Any, sandbox: Any, arun: Any
) -> None:
    """Upgrading: the last look an earlier version recorded (the orders its cache held, no
    newest order) is compared with the new mirror: older orders synced since are not "new"."""
    services = main_window.services
    client = services.ctx.connection.client
    newest_first = list(arun(all_orders(client)).items())
    assert len(newest_first) > 10
    before = dict(newest_first[:10])  # the old cache held the first page the user saw
    old = LastLook()
    old._conn().execute("DROP TABLE looked")
    old._conn().execute("CREATE TABLE looked (account TEXT PRIMARY KEY, looked_at TEXT NOT NULL)")
    old.close()
    db = sqlite3.connect(old.path)
    with db:
        db.executemany(
            "INSERT INTO looks (account, order_id, status) VALUES (?, ?, ?)",
            ((services.ctx.account.key, i, s) for i, s in before.items()),
        )
        db.execute(
            "INSERT INTO looked (account, looked_at) VALUES (?, ?)",
            (services.ctx.account.key, "2026-01-01T00:00:00+00:00"),
        )
    db.close()

    sandbox.clock.advance(25 * 3600)
    placed = new_order(arun, client, "Cy Dee")
    now = arun(all_orders(client))
    expected = Counter(now[i] for i in before if now[i] != before[i])
    second = DigestService(services.ctx, services.order_sync, LastLook())
    synced(main_window, qtbot)
    with qtbot.waitSignal(second.sig_digest, timeout=WAIT) as offered:
        second.synced()
    digest: Digest = offered.args[0]
    assert digest.new == [placed]
    assert {s: len(ids) for s, ids in digest.moved.items()} == dict(expected)
    second.close()


def test_digest_dialog_reads_as_a_sentence_with_the_heading_on_top(
    main_window: Any, qtbot: Any
) -> None:
    since = datetime.now(UTC) - timedelta(minutes=5)
    one = show_digest(main_window, Digest(since=since, new=["ord_a"]))
    qtbot.waitUntil(one.isVisible)
    assert one.buttons["new"].text() == "1 new order"
    two = show_digest(main_window, Digest(since=since, new=["ord_a", "ord_b"]))
    qtbot.waitUntil(two.isVisible)
    assert two.buttons["new"].text() == "2 new orders"
    # The spare height goes below the lines: the heading is not pushed apart from them.
    heading = two.findChildren(QLabel)[0]
    gap = two.buttons["new"].geometry().top() - heading.geometry().bottom()
    assert gap < 3 * two.layout().spacing() + heading.fontMetrics().height()
    one.close()
    two.close()


def test_the_digest_offered_after_a_sync_does_not_take_the_keys(
    main_window: Any, qtbot: Any
) -> None:
    """It comes by itself while the user may be typing: shown, but the keys stay put."""
    digest = Digest(since=datetime.now(UTC) - timedelta(hours=1), new=["ord_a"])
    before = {id(w) for w in main_window.findChildren(DigestDialog)}
    main_window.services.digest.sig_digest.emit(digest)
    offered = [w for w in main_window.findChildren(DigestDialog) if id(w) not in before]
    assert len(offered) == 1 and offered[0].isVisible()
    assert offered[0].testAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
    # Asked for (Ctrl+Shift+L), it takes the keys as any dialog does.
    asked = show_digest(main_window, digest)
    assert not asked.testAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
    offered[0].close()
    asked.close()
