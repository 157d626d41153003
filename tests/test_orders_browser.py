"""The Orders tab's state without Qt or a server: intents, answers, paging, profile reset."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from nfctagify_desktop.api.models import OrderStatus
from nfctagify_desktop.services.mirror_source import MirrorSource
from nfctagify_desktop.services.orders_browser import (
    DEFAULT_SORT,
    OrdersAnswer,
    OrdersBrowser,
    OrderSource,
    OrdersQuery,
    Sort,
    SortField,
    Source,
)
from nfctagify_desktop.store.mirror import OrderMirror, open_mirror
from nfctagify_desktop.store.mirror.records import records_of
from tests.test_store_mirror import make_order


@pytest.fixture
def source(tmp_path: Path) -> Iterator[MirrorSource]:
    """The mirror of account "acme" (45 orders) beside another account's (one order)."""
    acme = open_mirror("acme", "Acme@https://api.example", tmp_path)
    acme.upsert(
        records_of([make_order(n, "delivered" if n % 3 == 0 else "pending") for n in range(45)])
    )
    other = open_mirror("other", "Other@https://api.example", tmp_path)
    other.upsert(records_of([make_order(1000)]))
    # MirrorSource reads ``sync.mirror``: the mirror of the account in use.
    yield MirrorSource(SimpleNamespace(mirror=acme))  # type: ignore[arg-type]
    for mirror in (acme, other):
        mirror.close()


def acme_mirror(source: MirrorSource) -> OrderMirror:
    mirror: OrderMirror = source.sync.mirror
    return mirror


def live(page: int, total: int, per_page: int = 20) -> OrdersAnswer:
    pages = -(-total // per_page)
    orders = [make_order(n) for n in range(min(per_page, total - (page - 1) * per_page))]
    return OrdersAnswer(
        orders,
        Source.LIVE,
        page=page,
        total=total,
        total_pages=pages,
        has_next=page < pages,
        fetched_at=datetime.now(UTC),
    )


def test_a_filter_goes_back_to_page_one() -> None:
    browser = OrdersBrowser(OrdersQuery(page=3))
    assert browser.set_status(OrderStatus.PENDING)
    assert browser.query.page == 1 and browser.query.status is OrderStatus.PENDING
    browser.go_to(2)
    assert browser.set_dates(date(2026, 3, 1), None)
    assert browser.query.page == 1
    assert not browser.set_dates(date(2026, 3, 1), None)  # nothing new: no fetch


def test_per_page_is_one_of_the_choices_and_resets_the_page() -> None:
    browser = OrdersBrowser(OrdersQuery(page=4))
    assert browser.set_per_page(100)
    assert browser.query.per_page == 100 and browser.query.page == 1
    with pytest.raises(ValueError, match="per page"):
        browser.set_per_page(33)


def test_go_to_stays_within_known_pages() -> None:
    browser = OrdersBrowser()
    assert browser.go_to(5)  # nothing known yet: any page may exist
    browser.show(live(1, 45))
    assert browser.total_pages == 3
    assert not browser.go_to(4)
    assert not browser.go_to(0)
    assert browser.go_to(3)
    assert not browser.go_to(3)  # already there


def test_paging_bar_for_each_source(source: MirrorSource) -> None:
    browser = OrdersBrowser()
    assert browser.paging().label == ""
    browser.show(live(1, 45))
    bar = browser.paging()
    assert bar.label == "Page 1 of 3 · 45 orders"
    assert (bar.first, bar.previous, bar.next, bar.last) == (False, False, True, True)
    browser.show(live(3, 45))
    bar = browser.paging()
    assert (bar.first, bar.next, bar.last) == (True, False, False)

    # The mirror's rows shown as the last known ones (offline, still syncing).
    browser.show(source.answer_now(browser.query, Source.CACHE))
    assert browser.source is Source.CACHE
    assert browser.paging().label == "Page 3 of 3 · saved orders"
    browser.set_search("po-1")
    browser.show(source.answer_now(browser.query))
    assert browser.source is Source.SEARCH
    assert browser.paging().label.startswith("Page 1 of 1 · ")
    assert browser.paging().label.endswith("matches")


def test_mirror_source_answers_filters_search_and_pages_of_one_account(
    source: MirrorSource,
) -> None:
    answer = source.answer_now(OrdersQuery(per_page=20, page=3))
    assert answer.total == 45 and answer.total_pages == 3 and len(answer.orders) == 5
    assert not answer.has_next
    delivered = source.answer_now(OrdersQuery(status=OrderStatus.DELIVERED))
    assert delivered.total == 15
    assert {o.status for o in delivered.orders} == {OrderStatus.DELIVERED}
    found = source.answer_now(OrdersQuery(search="PO-44"))
    assert [o.order_id for o in found.orders] == ["ord_000044"]
    assert found.source is Source.SEARCH
    # A page past the end is clamped to the last one.
    assert source.answer_now(OrdersQuery(page=9)).page == 3
    # Another account's orders never answer for this one (each has its own mirror file).
    assert source.answer_now(OrdersQuery(search="PO-1000")).total == 0
    assert acme_mirror(source).get_json("ord_001000") is None
    # Shown as the last known orders: "updated" is when they were stored, not now.
    saved = source.answer_now(OrdersQuery(), Source.CACHE)
    stored = acme_mirror(source).last_fetched()
    assert stored is not None and saved.fetched_at == stored


def test_a_later_source_answers_the_same_query(arun: Any) -> None:
    """Any source plugs in by answering an OrdersQuery; the browser does not care."""

    class OtherSource:
        searches = True

        def __init__(self) -> None:
            self.seen: list[OrdersQuery] = []

        async def answer(self, query: OrdersQuery) -> OrdersAnswer:
            self.seen.append(query)
            return OrdersAnswer([make_order(7)], Source.CACHE, page=query.page, total=1)

    mirror: OrderSource = OtherSource()
    browser = OrdersBrowser()
    browser.set_search("acme")
    browser.set_sort(Sort(SortField.TOTAL, descending=False))
    answer = arun(mirror.answer(browser.query))
    browser.show(answer)
    assert isinstance(mirror, OtherSource)
    assert mirror.seen[0].sort == Sort(SortField.TOTAL, False)
    assert mirror.seen[0].search == "acme"
    assert browser.paging().label == "Page 1 of 1 · saved orders"


def test_sort_is_remembered_as_text_and_refetches_only_a_search() -> None:
    for sort in (Sort(SortField.TOTAL, False), Sort(SortField.CREATED, True)):
        assert Sort.parse(sort.text()) == sort
    assert Sort.parse("nonsense") == DEFAULT_SORT
    assert Sort.parse(None) == DEFAULT_SORT
    browser = OrdersBrowser()
    # The API cannot sort: the page on screen re-sorts, no new request.
    assert not browser.set_sort(Sort(SortField.STATUS, False))
    browser.set_search("x")
    assert browser.set_sort(Sort(SortField.TOTAL, True))  # the cache sorts the whole result


def test_profile_switch_resets_page_filters_and_search_but_not_preferences() -> None:
    browser = OrdersBrowser(OrdersQuery(per_page=100, sort=Sort(SortField.TOTAL, False)))
    browser.set_status(OrderStatus.DISPATCHED)
    browser.set_dates(date(2026, 1, 1), date(2026, 2, 1))
    browser.set_search("acme")
    browser.show(live(2, 300, per_page=100))
    browser.failed(offline=True)
    browser.reset()
    assert browser.query == OrdersQuery(per_page=100, sort=Sort(SortField.TOTAL, False))
    assert browser.answer is None and browser.live is None and not browser.offline
    assert browser.source is Source.NONE and browser.total_pages is None


def test_bad_date_range_is_refused_before_sending() -> None:
    query = OrdersQuery(date_from=date(2026, 3, 2), date_to=date(2026, 3, 1))
    with pytest.raises(ValueError, match="after"):
        query.api_query()
