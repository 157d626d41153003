"""OrderSync: the account's mirror filled in the background, changes signalled, per account."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from nfctagify_desktop.order_status import OrderStatus
from nfctagify_desktop.ordering.pacing import RatePacer
from nfctagify_desktop.services.container import Services, build_services
from nfctagify_desktop.store.mirror import MirrorQuery

WAIT = 20_000


@pytest.fixture
def services(sandbox: Any, sandbox_connection: Any, arun: Callable[..., Any]) -> Iterator[Services]:
    sandbox.set_rate_limits(per_minute=0)
    built = build_services(sandbox_connection)
    built.order_sync.engine.pacer = RatePacer(per_minute=100_000)  # no limit, no headers
    yield built
    arun(built.aclose())


def test_background_sync_fills_the_mirror_and_reports_changes(
    services: Services, sandbox: Any, qtbot: Any
) -> None:
    sync = services.order_sync
    sync.set_interval_minutes(0)  # one pass and the back-fill, then stop
    with qtbot.waitSignal(sync.sig_progress, timeout=WAIT, check_params_cb=lambda p: not p.busy):
        sync.start()
    qtbot.waitUntil(lambda: not sync.running, timeout=WAIT)
    assert sync.mirror.count() == sandbox.order_count()
    assert sync.mirror.page(MirrorQuery()).complete
    assert sync.last_progress is not None
    assert sync.last_progress.text.startswith(f"synced {sandbox.order_count()} of")
    pending = {r.order_id for r in sync.mirror.page(MirrorQuery(status="pending")).rows}
    assert pending

    sandbox.clock.advance(11 * 60)
    with qtbot.waitSignal(sync.sig_status_changed, timeout=WAIT) as changed:
        sync.sync_now()
    got = {c.order_id: c.new for c in changed.args[0]}
    assert pending <= set(got) and {got[i] for i in pending} == {OrderStatus.PROCESSING}
    qtbot.waitUntil(lambda: not sync.running, timeout=WAIT)
    assert sync.mirror.page(MirrorQuery(status="pending")).total == 0


def test_each_account_has_its_own_mirror(services: Services) -> None:
    first = services.order_sync.mirror
    assert first.account_key == services.ctx.account.key
    assert services.order_sync.mirror is first  # opened once


def test_orders_fetched_for_another_account_never_reach_the_one_in_use(
    services: Services, qtbot: Any, arun: Callable[..., Any]
) -> None:
    """A fetch that outlives an account switch (an export) stores its pages in its own
    account's mirror, says nothing, and the account in use never shows them."""
    from nfctagify_desktop.store.account import AccountId

    sync = services.order_sync
    page = arun(services.ctx.client.list_orders())
    assert page.orders
    other = AccountId("Elsewhere", "https://api.example")
    with qtbot.assertNotEmitted(sync.sig_mirror_changed):
        assert sync.ingest(page.orders, other) == []
    assert sync.mirror.count() == 0
    assert sync.mirror_for(other).count() == len(page.orders)
    assert sync.mirror_for(other) is not sync.mirror
    # Stored for the account in use, they are.
    with qtbot.waitSignal(sync.sig_mirror_changed, timeout=WAIT):
        sync.ingest(page.orders, services.ctx.account)
    assert sync.mirror.count() == len(page.orders)
