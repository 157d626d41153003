"""The sync engine against the real sandbox over loopback HTTP: fill, refresh, back-fill, pace."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from nfctagify_desktop.api import PartnerClient, RetryPolicy
from nfctagify_desktop.api.client import RateLimitState
from nfctagify_desktop.api.models import OrderCreate, OrderQuery, OrderStatus, ShippingInput
from nfctagify_desktop.ordering.pacing import RatePacer
from nfctagify_desktop.ordering.sync import SyncEngine, SyncProgress, reserved
from nfctagify_desktop.store.mirror import MirrorQuery, OrderMirror
from tests.conftest import RecordingTransport

Run = Callable[..., Any]


@pytest.fixture
def client(sandbox: Any, arun: Run) -> Iterator[PartnerClient]:
    sandbox.set_rate_limits(per_minute=0)
    c = PartnerClient(
        sandbox.base_url,
        sandbox.demo_api_key,
        transport=RecordingTransport(),
        retry=RetryPolicy(max_retry_after=5, backoff_base=0.05),
    )
    yield c
    arun(c.aclose())


@pytest.fixture
def mirror(tmp_path: Path) -> Iterator[OrderMirror]:
    m = OrderMirror(tmp_path / "mirror.sqlite3", "1:S@sandbox://local")
    yield m
    m.close()


def engine_for(mirror: OrderMirror, client: PartnerClient, **kw: Any) -> SyncEngine:
    """The sandbox here has no rate limit (so no headers): pace as if it allowed plenty."""
    return SyncEngine(mirror, client, pacer=RatePacer(per_minute=100_000), **kw)


def requests(client: PartnerClient) -> list[str]:
    transport = client._http._transport  # the RecordingTransport given above
    assert isinstance(transport, RecordingTransport)
    return [f"{r.url.path}?{r.url.query.decode()}" for r in transport.requests]


def server_ids(client: PartnerClient, arun: Run, **filters: Any) -> list[str]:
    ids: list[str] = []
    page = 1
    while True:
        got = arun(client.list_orders(OrderQuery(page=page, per_page=100, **filters)))
        ids += [o.order_id for o in got.orders]
        if not got.has_next:
            return ids
        page += 1


def newest_first(client: PartnerClient, arun: Run, **filters: Any) -> list[tuple[str, ...]]:
    """The server's list as runs of one second each: the API orders orders of the same second
    as it likes, and a tie that straddles two pages cannot be told from the pages alone."""
    runs: dict[datetime, list[str]] = {}
    page = 1
    while True:
        got = arun(client.list_orders(OrderQuery(page=page, per_page=100, **filters)))
        for o in got.orders:
            runs.setdefault(o.created_at, []).append(o.order_id)
        if not got.has_next:
            return [tuple(sorted(ids)) for ids in runs.values()]
        page += 1


def mirrored_runs(rows: list[Any]) -> list[tuple[str, ...]]:
    runs: dict[str, list[str]] = {}
    for r in rows:
        runs.setdefault(r.created_at, []).append(r.order_id)
    return [tuple(sorted(ids)) for ids in runs.values()]


def full_sync(engine: SyncEngine, arun: Run) -> None:
    arun(engine.sync_once())
    while not arun(engine.backfill_page()):
        pass


def test_full_sync_mirrors_every_order_and_answers_what_the_server_cannot(
    sandbox: Any, client: PartnerClient, mirror: OrderMirror, arun: Run
) -> None:
    sandbox.seed_orders("demo", 430, days=40)
    progress: list[SyncProgress] = []
    engine = engine_for(mirror, client, on_progress=progress.append)
    arun(engine.sync_once())
    first = mirror.page(MirrorQuery())
    assert not first.complete  # only the newest page so far: the view must say so
    assert "of 470 orders" in progress[-1].text and "updated" in progress[-1].text
    while not arun(engine.backfill_page()):
        pass
    assert mirror.count() == sandbox.order_count() == 470
    whole = mirror.page(MirrorQuery(per_page=1000))
    assert whole.complete
    # The mirror's newest-first list is the server's, order for order (second by second).
    assert mirrored_runs(whole.rows) == newest_first(client, arun)
    # Filters mean what the API's mean, and the chips are the server's own totals.
    for status in ("pending", "dispatched", "delivered", "cancelled"):
        got = mirror.page(MirrorQuery(status=status, per_page=1000))
        assert mirrored_runs(got.rows) == newest_first(client, arun, status=status)
    # Sort and search reach orders that were never on any page the user saw.
    by_total = mirror.page(MirrorQuery(sort="total", descending=True, per_page=1))
    top = max(
        (arun(client.get_order(i)) for i in server_ids(client, arun)[-60:]),
        key=lambda o: o.total or 0,
    )
    assert by_total.rows[0].total is not None
    assert float(by_total.rows[0].total) >= float(top.total or 0)
    oldest = server_ids(client, arun)[-1]
    found = mirror.page(MirrorQuery(search=oldest))
    assert [r.order_id for r in found.rows] == [oldest]
    assert progress[-1].text.startswith("synced 470 of 470 orders")


def test_orders_of_the_same_second_keep_the_servers_order(
    sandbox: Any, client: PartnerClient, mirror: OrderMirror, arun: Run
) -> None:
    sandbox.seed_orders("demo", 6, days=0)  # six orders created in the same millisecond
    full_sync(engine_for(mirror, client), arun)
    rows = mirror.page(MirrorQuery(per_page=1000)).rows
    assert len({r.created_at for r in rows[:6]}) == 1
    assert [r.order_id for r in rows] == server_ids(client, arun)


def test_status_change_on_the_server_reaches_the_mirror_within_one_sync(
    sandbox: Any, client: PartnerClient, mirror: OrderMirror, arun: Run
) -> None:
    seen: list[Any] = []
    engine = engine_for(mirror, client, on_changes=seen.extend)
    full_sync(engine, arun)
    pending = {r.order_id for r in mirror.page(MirrorQuery(status="pending")).rows}
    assert pending, "the demo data has orders a few minutes old"

    sandbox.clock.advance(11 * 60)  # pending -> processing after 10 minutes
    report = arun(engine.sync_once())
    changed = {c.order_id: c for c in report.changes}
    assert pending <= set(changed)
    assert all(changed[i].new is OrderStatus.PROCESSING for i in pending)
    assert {c.order_id for c in seen} == set(changed)
    assert mirror.page(MirrorQuery(status="pending")).total == 0
    assert {r.order_id for r in mirror.page(MirrorQuery(status="processing")).rows} >= pending
    assert arun(engine.sync_once()).changes == []  # reported once


def test_an_order_that_left_the_open_lists_is_fetched(
    sandbox: Any, client: PartnerClient, mirror: OrderMirror, arun: Run
) -> None:
    sandbox.seed_orders("demo", 150, days=2)  # open orders beyond the newest page
    engine = engine_for(mirror, client)
    full_sync(engine, arun)
    newest_page = set(server_ids(client, arun)[:100])  # the pass's first request sees these
    open_ids = {oid for oid, _ in mirror.open_orders()} - newest_page
    assert len(open_ids) > 10
    sandbox.clock.advance(73 * 3600)  # every open order is delivered now
    before = len(requests(client))
    report = arun(engine.sync_once())
    fetched = {
        p.rsplit("/", 1)[1].rstrip("?") for p in requests(client)[before:] if "/orders/" in p
    }
    assert fetched == open_ids  # exactly those, one GET each
    assert {c.order_id for c in report.changes} >= open_ids
    assert mirror.open_orders() == []


def test_newest_first_until_it_meets_known_orders(
    sandbox: Any, client: PartnerClient, mirror: OrderMirror, arun: Run
) -> None:
    sandbox.seed_orders("demo", 300, days=30)
    engine = engine_for(mirror, client)
    full_sync(engine, arun)
    shipping = ShippingInput(
        name="Ada Lovelace",
        address_line1="1 Main St",
        city="Leeds",
        postcode="LS1 1AA",
        country="GB",
    )
    new = [
        arun(
            client.create_order(
                OrderCreate(product_id="prod_standard", quantity=50, shipping=shipping)
            )
        )
        for _ in range(3)
    ]
    before = len(requests(client))
    arun(engine.sync_once())
    unfiltered = [p for p in requests(client)[before:] if "/orders?" in p and "status=" not in p]
    assert len(unfiltered) == 1  # one page of the newest orders met the known ones
    for order in new:
        row = mirror.get_row(order.order_id)
        assert row is not None and row.recipient == "Ada Lovelace"
    assert mirror.count() == sandbox.order_count()
    found = mirror.page(MirrorQuery(search="lovelace leeds"))
    assert {r.order_id for r in found.rows} == {o.order_id for o in new}


def test_background_sync_keeps_the_users_reserve() -> None:
    state = RateLimitState(limit=60, remaining=12, reset_seconds=30, observed_at=0.0)
    seen = reserved(state, 10)
    assert seen is not None and (seen.limit, seen.remaining) == (50, 2)
    drained = reserved(RateLimitState(60, 8, 30, 0.0), 10)
    assert drained is not None and drained.remaining == 0  # the sync waits for the reset
    now = [0.0]
    pacer = RatePacer(lambda: drained, clock=lambda: now[0], margin=0.0)
    assert pacer.delay() == 30.0
