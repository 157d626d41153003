"""The order mirror (SQLite + FTS5): sort, filter, search, counts equal to totals, completeness."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nfctagify_desktop.api.models import Order
from nfctagify_desktop.order_status import KNOWN_STATUSES, OrderStatus
from nfctagify_desktop.store.mirror import (
    SORT_COLUMNS,
    MirrorQuery,
    OrderMirror,
    SyncState,
    open_mirror,
)
from nfctagify_desktop.store.mirror.records import record_of

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
NAMES = ["Jane Smith", "John Brown", "Zoë Müller", "Ali Khan", "Mary Jones"]
CITIES = ["London", "Leeds", "Bristol", "York"]
PRODUCTS = ["Standard card", "Premium metal", "Eco wood"]


def make_order(n: int, status: str = "pending", **over: Any) -> Order:
    rng = random.Random(n)
    created = over.pop("created", T0 + timedelta(hours=n))
    data: dict[str, Any] = {
        "order_id": f"ord_{n:06d}",
        "status": status,
        "created_at": created.isoformat(),
        "updated_at": over.pop("updated", created).isoformat(),
        "product_name": over.pop("product", rng.choice(PRODUCTS)),
        "quantity": over.pop("quantity", rng.randrange(10, 500)),
        "customer_reference": over.pop("ref", f"PO-{n}"),
        "currency": "GBP",
        "total": over.pop("total", f"{rng.randrange(1000, 90000) / 100:.2f}"),
        "shipping": {
            "name": over.pop("name", rng.choice(NAMES)),
            "address_line1": "1 High St",
            "city": over.pop("city", rng.choice(CITIES)),
            "postcode": over.pop("postcode", f"EC{n % 9}A {n % 7}BB"),
            "country": "GB",
        },
        "vendor_extra": {"kept": True},
    }
    assert not over, over
    return Order.model_validate(data)


@pytest.fixture
def mirror(tmp_path: Path) -> Iterator[OrderMirror]:
    store = OrderMirror(tmp_path / "m.sqlite3", "1:A@sandbox://local")
    yield store
    store.close()


@pytest.fixture(scope="module")
def shared_mirror(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OrderMirror]:
    """400 orders for the property test (built once: hypothesis runs it 40 times)."""
    store = OrderMirror(tmp_path_factory.mktemp("shared") / "m.sqlite3", "k")
    fill(store, 400)
    yield store
    store.close()


def fill(mirror: OrderMirror, n: int = 300) -> list[Order]:
    statuses = [s.value for s in KNOWN_STATUSES]
    orders = [make_order(i, statuses[i % len(statuses)]) for i in range(n)]
    mirror.upsert(record_of(o) for o in orders)
    return orders


def sort_value(o: Order, key: str) -> Any:
    ship = o.shipping
    assert ship is not None
    return {
        "order_id": o.order_id,
        "created_at": o.created_at,
        "status": o.status_raw,
        "product": (o.product_name or "").casefold(),
        "quantity": o.quantity,
        "total": o.total,
        "reference": (o.customer_reference or "").casefold(),
        "recipient": ship.name.casefold(),
        "city": ship.city.casefold(),
        "postcode": ship.postcode.casefold(),
    }[key]


@pytest.mark.parametrize("key", sorted(SORT_COLUMNS))
def test_sort_by_any_column_over_orders_never_shown(mirror: OrderMirror, key: str) -> None:
    orders = fill(mirror)
    by_id = {o.order_id: o for o in orders}
    for descending in (False, True):
        got: list[str] = []
        page = 1
        while True:  # every page, as the user would page through
            shown = mirror.page(
                MirrorQuery(sort=key, descending=descending, page=page, per_page=40)
            )
            got += [r.order_id for r in shown.rows]
            if page >= shown.pages:
                break
            page += 1
        assert sorted(got) == sorted(by_id)  # each order exactly once
        keys = [(sort_value(by_id[i], key), by_id[i].created_at) for i in got]
        assert keys == sorted(keys, reverse=descending)


def test_filters_and_counts_match_a_python_filter(mirror: OrderMirror) -> None:
    orders = fill(mirror)
    day_from, day_to = date(2026, 3, 4), date(2026, 3, 9)
    base = MirrorQuery(date_from=day_from, date_to=day_to, per_page=1000)
    inside = [o for o in orders if day_from <= o.created_at.date() <= day_to]
    assert 0 < len(inside) < len(orders)
    counts = mirror.counts(base)
    for status in KNOWN_STATUSES:
        expected = {o.order_id for o in inside if o.status_raw == status.value}
        page = mirror.page(base.with_(status=status.value))
        assert {r.order_id for r in page.rows} == expected
        assert page.total == len(expected) == counts.get(status.value, 0)
    assert mirror.page(base).total == len(inside) == sum(counts.values())


@settings(max_examples=40, deadline=None)
@given(
    status=st.sampled_from([None, *[s.value for s in KNOWN_STATUSES]]),
    days=st.tuples(st.integers(0, 15), st.integers(0, 15)),
    search=st.sampled_from(["", "smith", "PO-1", "lon", "EC3", "zo", "müller", "Jane Leeds"]),
    sort=st.sampled_from(sorted(SORT_COLUMNS)),
)
def test_chips_always_equal_the_list_total(
    shared_mirror: OrderMirror,
    status: str | None,
    days: tuple[int, int],
    search: str,
    sort: str,
) -> None:
    mirror = shared_mirror
    lo, hi = sorted(days)
    query = MirrorQuery(
        status=status,
        date_from=date(2026, 3, 2) + timedelta(days=lo),
        date_to=date(2026, 3, 2) + timedelta(days=hi),
        search=search,
        sort=sort,
        per_page=25,
    )
    page = mirror.page(query)
    chip = page.counts.get(status, 0) if status else sum(page.counts.values())
    assert page.total == chip
    # and the total is the number of rows the list really has, page by page
    seen = 0
    for n in range(1, page.pages + 1):
        seen += len(mirror.rows(query.with_(page=n)))
    assert seen == page.total


def test_search_covers_every_field_case_and_accents(mirror: OrderMirror) -> None:
    mirror.upsert(
        [
            record_of(make_order(1, name="Zoë Müller", city="Leeds", postcode="LS1 4AP")),
            record_of(make_order(2, name="John Brown", ref="ACME-77", product="Premium metal")),
            record_of(make_order(3, name="Jane Smith", city="York", postcode="YO1 7HH")),
        ]
    )

    def ids(text: str) -> list[str]:
        return sorted(r.order_id for r in mirror.page(MirrorQuery(search=text)).rows)

    assert ids("ord_000002") == ["ord_000002"]  # order id
    assert ids("acme-7") == ["ord_000002"]  # reference, any case
    assert ids("MÜLLER") == ["ord_000001"]  # recipient, non-ASCII case folding
    assert ids("premium") == ["ord_000002"]  # product
    assert ids("york") == ["ord_000003"]  # city
    assert ids("ls1 4ap") == ["ord_000001"]  # postcode (both words)
    assert ids("jane york") == ["ord_000003"]  # every word must match
    assert ids("jane leeds") == []
    assert ids("Jo") == ["ord_000002"]  # a short word: the start of a field
    assert ids('"; DROP TABLE orders; --') == []  # quotes and SQL are only text
    assert ids("50%") == []
    assert mirror.count() == 3


def test_status_change_is_reported_once_and_stale_copies_ignored(mirror: OrderMirror) -> None:
    first = make_order(1, "pending")
    assert mirror.upsert([record_of(first)]) == []
    later = make_order(1, "processing", updated=T0 + timedelta(days=1), created=first.created_at)
    (change,) = mirror.upsert([record_of(later)])
    assert (change.old, change.new) == (OrderStatus.PENDING, OrderStatus.PROCESSING)
    assert mirror.unseen() == {"ord_000001"}
    assert mirror.upsert([record_of(later)]) == []
    assert mirror.upsert([record_of(first)]) == []  # older copy: ignored
    row = mirror.get_row("ord_000001")
    assert row is not None and row.status == "processing"
    mirror.mark_seen(["ord_000001"])
    assert mirror.unseen() == set()
    data = mirror.get_json("ord_000001")
    assert data is not None and Order.model_validate_json(data).model_extra == {
        "vendor_extra": {"kept": True}
    }


def test_page_json_is_the_page_as_the_api_sent_it(mirror: OrderMirror) -> None:
    orders = fill(mirror, 30)
    query = MirrorQuery(sort="total", descending=True, page=2, per_page=7)
    rows = mirror.rows(query)
    full = [Order.model_validate_json(text) for text in mirror.page_json(query)]
    assert [o.order_id for o in full] == [r.order_id for r in rows]
    by_id = {o.order_id: o for o in orders}
    assert all(o == by_id[o.order_id] for o in full)


def test_an_incomplete_mirror_says_so(mirror: OrderMirror) -> None:
    fill(mirror, 50)
    query = MirrorQuery()
    assert not mirror.page(query).complete  # never synced: it cannot know what it lacks
    mirror.save_state(
        SyncState(head="2026-03-04T00:00:00.000000Z", tail="2026-03-03T00:00:00.000000Z")
    )
    assert not mirror.page(query).complete
    assert not mirror.page(query.with_(date_from=date(2026, 3, 2))).complete
    assert mirror.page(query.with_(date_from=date(2026, 3, 4))).complete  # inside the span
    mirror.save_state(mirror.state().with_(history_complete=True))
    assert mirror.page(query).complete


def test_progress_text() -> None:
    state = SyncState(server_total=100_000, last_synced="2026-03-02T09:05:00.000000Z")
    when = datetime(2026, 3, 2, 9, 5, tzinfo=UTC).astimezone().strftime("%H:%M")
    assert state.progress_text(2_500) == f"synced 2,500 of 100,000 orders · updated {when}"
    # An order placed since the last count is mirrored at once: the count grows with it.
    assert state.progress_text(100_001).startswith("synced 100,001 of 100,001 orders")


def test_one_file_per_account_and_never_another_accounts_data(tmp_path: Path) -> None:
    with open_mirror("a-1", "1:A@x", tmp_path) as a:
        a.upsert([record_of(make_order(1))])
    with open_mirror("b-2", "1:B@x", tmp_path) as b:
        assert b.count() == 0
    # A file that says it belongs to another account is emptied, not shown.
    with OrderMirror(tmp_path / "a-1.sqlite3", "1:B@x") as wrong:
        assert wrong.count() == 0


def test_corrupt_file_is_moved_aside(tmp_path: Path) -> None:
    path = tmp_path / "m.sqlite3"
    path.write_bytes(b"not a database" * 100)
    with OrderMirror(path, "k") as m:
        assert m.count() == 0
    assert (tmp_path / "m.sqlite3.bad").exists()


def test_bad_query_is_refused() -> None:
    with pytest.raises(ValueError):
        MirrorQuery(sort="data")
    with pytest.raises(ValueError):
        MirrorQuery(page=0)


@pytest.mark.parametrize("key", ["created_at", "total", "recipient", "status"])
def test_a_broad_search_walks_the_index_and_finds_the_same_page(
    mirror: OrderMirror, key: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from nfctagify_desktop.store.mirror import query as query_module

    fill(mirror, 300)
    asked = MirrorQuery(search="PO-", sort=key, descending=True, page=3, per_page=25)
    total = mirror.total(asked)
    assert total == 300
    sorted_plan = [r.order_id for r in mirror.rows(asked, total)]
    monkeypatch.setattr(query_module, "BROAD_MATCHES", 10)  # 300 matches are now "many"
    walked = [r.order_id for r in mirror.rows(asked, total)]
    assert walked == sorted_plan and len(walked) == 25


def test_unknown_statuses_and_duplicates_survive_and_persist(tmp_path: Path) -> None:
    """A status the help page does not list stays open; the last copy of a batch wins; the
    orders are there when the file is opened again (the next start)."""
    path = tmp_path / "m.sqlite3"
    with OrderMirror(path, "k") as m:
        m.upsert([record_of(make_order(1, "on_hold")), record_of(make_order(2, "pending"))])
        m.upsert([record_of(make_order(2, "pending")), record_of(make_order(2, "processing"))])
    with OrderMirror(path, "k") as m:
        assert m.count() == 2
        assert m.open_statuses() == {"ord_000001": "on_hold", "ord_000002": "processing"}
        assert m.counts(MirrorQuery()) == {"on_hold": 1, "processing": 1}
        data = m.get_json("ord_000001")
        assert data is not None and Order.model_validate_json(data).status_raw == "on_hold"


def test_what_the_digest_reads(mirror: OrderMirror) -> None:
    """Statuses of given orders, the open ones, the newest, and those created after it."""
    orders = fill(mirror, 12)
    ids = [o.order_id for o in orders]
    assert mirror.statuses([*ids[:3], "ord_missing"]) == {
        o.order_id: o.status_raw for o in orders[:3]
    }
    assert set(mirror.open_statuses()) == {o.order_id for o in orders if not o.status.is_final}
    newest = max(orders, key=lambda o: o.created_at)
    assert mirror.newest() == record_of(newest).created_at
    assert mirror.newest(ids[:3]) == record_of(orders[2]).created_at
    assert mirror.newest(["ord_missing"]) is None
    assert mirror.created_after(record_of(orders[9]).created_at) == {
        o.order_id: o.status_raw for o in orders[10:]
    }
    assert len(mirror.created_after(None)) == 12
