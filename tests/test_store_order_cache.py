"""OrderCache (SQLite): upsert and status changes, search and escaping, counts, paging, scale.

Also the small catalogue JSON cache.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from nfctagify_desktop.api.models import Order, OrderStatus, PriceEntry, Product
from nfctagify_desktop.store.catalog_cache import CatalogCache
from nfctagify_desktop.store.order_cache import OrderCache, StatusChange

P = "Acme"
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday


def make_order(
    n: int,
    status: str = "pending",
    *,
    created: datetime | None = None,
    updated: datetime | None = None,
    ref: str | None = None,
    name: str = "Jane Doe",
) -> Order:
    created = created or T0 + timedelta(minutes=n)
    data: dict[str, Any] = {
        "order_id": f"ord_{n:06d}",
        "status": status,
        "created_at": created.isoformat(),
        "updated_at": (updated or created).isoformat(),
        "product_id": "prod_basic",
        "product_name": "Basic card",
        "quantity": 10,
        "customer_reference": ref if ref is not None else f"REF-{n}",
        "currency": "GBP",
        "unit_price": "3.50",
        "total": "35.00",
        "shipping": {
            "name": name,
            "address_line1": "1 High St",
            "city": "London",
            "postcode": "N1 1AA",
            "country": "GB",
        },
        "items": [{"item_id": f"it_{n}", "status": status, "quantity": 10}],
        "vendor_extra": {"kept": True},
    }
    return Order.model_validate(data)


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[OrderCache]:
    store = OrderCache(tmp_path / "orders.sqlite3")
    yield store
    store.close()


def test_default_path_and_wal(app_dirs: Path) -> None:
    with OrderCache() as store:
        assert store.path == app_dirs / "data" / "orders.sqlite3"
        mode = store._fetchall("PRAGMA journal_mode")[0][0]
        assert mode == "wal"


def test_upsert_round_trip_keeps_everything(cache: OrderCache) -> None:
    order = make_order(1)
    assert cache.upsert(P, [order]) == []  # new orders are not changes
    got = cache.get(P, "ord_000001")
    assert got == order
    assert got is not None
    assert got.total == Decimal("35.00")
    assert got.model_extra == {"vendor_extra": {"kept": True}}
    assert cache.get(P, "missing") is None
    assert cache.get("Other", "ord_000001") is None  # per profile


def test_status_changes_and_unseen(cache: OrderCache) -> None:
    cache.upsert(P, [make_order(1), make_order(2), make_order(3)])
    later = T0 + timedelta(hours=1)
    changes = cache.upsert(
        P,
        [
            make_order(1, "processing", updated=later),
            make_order(2, "pending", updated=later),
            make_order(4),
        ],
    )
    assert changes == [
        StatusChange("ord_000001", OrderStatus.PENDING, OrderStatus.PROCESSING, "REF-1")
    ]
    assert cache.unseen_changes(P) == {"ord_000001"}
    # an unchanged refresh keeps the unseen flag
    cache.upsert(P, [make_order(1, "processing", updated=later)])
    assert cache.unseen_changes(P) == {"ord_000001"}
    cache.mark_seen(P, ["ord_000001", "nope"])
    assert cache.unseen_changes(P) == set()
    assert cache.unseen_changes("Other") == set()


def test_stale_copy_does_not_undo_newer(cache: OrderCache) -> None:
    later = T0 + timedelta(hours=2)
    cache.upsert(P, [make_order(1, "dispatched", updated=later)])
    assert cache.upsert(P, [make_order(1, "pending", updated=T0)]) == []
    got = cache.get(P, "ord_000001")
    assert got is not None
    assert got.status is OrderStatus.DISPATCHED


def test_unknown_status_survives(cache: OrderCache) -> None:
    cache.upsert(P, [make_order(1, "on_hold")])
    got = cache.get(P, "ord_000001")
    assert got is not None
    assert got.status is OrderStatus.UNKNOWN
    assert got.status_raw == "on_hold"
    assert cache.status_counts(P)[OrderStatus.UNKNOWN] == 1
    assert [o.order_id for o in cache.open_orders(P)] == ["ord_000001"]


def test_query_filters_and_paging(cache: OrderCache) -> None:
    statuses = ["pending", "processing", "dispatched", "delivered", "cancelled"]
    orders = [
        make_order(n, statuses[n % 5], created=T0 + timedelta(days=n // 10, minutes=n))
        for n in range(50)
    ]
    cache.upsert(P, orders)
    page1 = cache.query(P, limit=20)
    page3 = cache.query(P, limit=20, offset=40)
    assert [o.order_id for o in page1] == [f"ord_{n:06d}" for n in range(49, 29, -1)]
    assert len(page3) == 10
    assert cache.count(P) == 50
    assert cache.count(P, status=OrderStatus.DELIVERED) == 10
    assert all(
        o.status is OrderStatus.DELIVERED for o in cache.query(P, status=OrderStatus.DELIVERED)
    )
    # dates are inclusive UTC days of created_at: days 1..2 → orders 10..29
    day1 = (T0 + timedelta(days=1)).date()
    got = cache.query(P, date_from=day1, date_to=day1 + timedelta(days=1), limit=100)
    assert sorted(o.order_id for o in got) == [f"ord_{n:06d}" for n in range(10, 30)]
    assert cache.count(P, date_from=day1, date_to=day1) == 10
    assert cache.count(P, date_to=date(2026, 1, 1)) == 0
    counts = cache.status_counts(P)
    assert counts == {s: 10 for s in OrderStatus if s is not OrderStatus.UNKNOWN}
    assert cache.status_counts("Other")[OrderStatus.PENDING] == 0
    assert len(cache.open_orders(P)) == 30
    assert cache.orders_since(P, T0 + timedelta(days=4)) == 10


def test_text_search_case_insensitive_and_escaped(cache: OrderCache) -> None:
    cache.upsert(
        P,
        [
            make_order(1, ref="50% off", name="Zoë Ångström"),
            make_order(2, ref="5000 cards", name="Bob"),
            make_order(3, ref="A_B", name="Carol"),
            make_order(4, ref="AXB", name="Dan"),
            make_order(5, ref="back\\slash", name="Eve"),
        ],
    )

    def ids(text: str) -> list[str]:
        return sorted(o.order_id[-1] for o in cache.query(P, text=text))

    assert ids("50%") == ["1"]  # % is literal, not a wildcard
    assert ids("a_b") == ["3"]  # _ is literal too
    assert ids("\\") == ["5"]
    assert ids("ZOË") == ["1"]  # Unicode case-insensitive
    assert ids("ångström") == ["1"]
    assert ids("ORD_000002") == ["2"]
    assert ids("ref") == []
    assert ids("  ") == ["1", "2", "3", "4", "5"]  # blank means no filter
    assert cache.count(P, text="cards") == 1


def test_last_synced(cache: OrderCache) -> None:
    assert cache.last_synced(P) is None
    when = datetime(2026, 3, 2, 10, 30, 15, 123456, tzinfo=UTC)
    cache.set_last_synced(P, when)
    assert cache.last_synced(P) == when
    assert cache.last_synced("Other") is None


def test_clear_and_rename_profile(cache: OrderCache) -> None:
    cache.upsert(P, [make_order(1)])
    cache.set_last_synced(P)
    cache.rename_profile(P, "Acme Ltd")
    assert cache.count(P) == 0
    assert cache.count("Acme Ltd") == 1
    assert cache.last_synced("Acme Ltd") is not None
    cache.clear("Acme Ltd")
    assert cache.count("Acme Ltd") == 0
    assert cache.last_synced("Acme Ltd") is None


def test_duplicate_ids_in_one_batch_last_wins(cache: OrderCache) -> None:
    cache.upsert(P, [make_order(1, "pending"), make_order(1, "processing")])
    got = cache.get(P, "ord_000001")
    assert got is not None
    assert got.status is OrderStatus.PROCESSING


def test_corrupt_file_is_rebuilt(tmp_path: Path) -> None:
    path = tmp_path / "orders.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    with OrderCache(path) as store:
        store.upsert(P, [make_order(1)])
        assert store.count(P) == 1
    assert (tmp_path / "orders.sqlite3.bad").exists()


def test_persists_across_instances(tmp_path: Path) -> None:
    path = tmp_path / "orders.sqlite3"
    with OrderCache(path) as store:
        store.upsert(P, [make_order(1)])
    with OrderCache(path) as store:
        assert store.count(P) == 1


def test_100k_orders(cache: OrderCache) -> None:
    template = make_order(0)
    orders = [  # model_copy: building 100k through validation would dominate the test
        template.model_copy(
            update={
                "order_id": f"ord_{n:06d}",
                "created_at": T0 + timedelta(seconds=n),
                "updated_at": T0 + timedelta(seconds=n),
                "customer_reference": f"REF-{n}",
            }
        )
        for n in range(100_000)
    ]
    start = time.perf_counter()
    for i in range(0, len(orders), 100):  # as the sync does: one transaction per API page
        cache.upsert(P, orders[i : i + 100])
    upsert_s = time.perf_counter() - start

    start = time.perf_counter()
    page = cache.query(P, limit=50, offset=50_000)
    total = cache.count(P)
    hits = cache.count(P, text="ref-9999")
    first = cache.query(P, limit=50)
    query_s = time.perf_counter() - start

    assert total == 100_000
    assert page[0].order_id == "ord_049999"
    assert first[0].order_id == "ord_099999"
    assert hits == 11  # REF-9999 and REF-99990..REF-99999
    assert upsert_s < 20, upsert_s
    assert query_s < 2, query_s


# -- catalogue cache ---------------------------------------------------------------------------


def test_catalog_cache_round_trip(app_dirs: Path) -> None:
    cat = CatalogCache()
    assert cat.load_products(P) is None
    products = [Product(product_id="prod_basic", name="Basic", price=Decimal("3.50"))]
    pricing = [
        PriceEntry(product_id="prod_basic", price=Decimal("3.00"), standard_price=Decimal("3.50"))
    ]
    cat.save_products(P, products)
    cat.save_pricing("We/ird:name?", pricing)
    loaded = cat.load_products(P)
    assert loaded is not None
    assert loaded[0] == products
    assert loaded[0][0].price == Decimal("3.50")
    assert loaded[1].tzinfo is not None
    got_pricing = cat.load_pricing("We/ird:name?")
    assert got_pricing is not None
    assert got_pricing[0][0].is_override
    assert cat.load_pricing(P) is None
    assert cat.load_products("Other") is None
    cat.clear(P)
    assert cat.load_products(P) is None


def test_catalog_cache_corrupt_file_is_ignored(tmp_path: Path) -> None:
    cat = CatalogCache(tmp_path)
    cat.save_products(P, [Product(product_id="x", name="X", price=Decimal(1))])
    for path in tmp_path.glob("products-*.json"):
        path.write_text("{broken", encoding="utf-8")
    assert cat.load_products(P) is None
