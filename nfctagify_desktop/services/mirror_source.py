"""The order mirror as an Orders-tab source: paging, sort by any column, filters, search, counts.

Answers an :class:`OrdersQuery` from the account's :class:`OrderMirror` without the network.
:meth:`MirrorSource.complete` says whether the mirror holds every order the query could show
(the history may still be syncing); when it does not, the tab pages from the server as before
and says that sort and search only cover the orders synced so far.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from nfctagify_desktop.api.models import Order
from nfctagify_desktop.services.order_sync import OrderSync
from nfctagify_desktop.services.orders_browser import OrdersAnswer, OrdersQuery, SortField, Source
from nfctagify_desktop.store.mirror import MirrorPage, MirrorQuery

#: The mirror's sort key of each orders-table column.
SORT_KEYS: dict[SortField, str] = {
    SortField.ORDER_ID: "order_id",
    SortField.CREATED: "created_at",
    SortField.STATUS: "status",
    SortField.PRODUCT: "product",
    SortField.QUANTITY: "quantity",
    SortField.TOTAL: "total",
    SortField.REFERENCE: "reference",
    SortField.RECIPIENT: "recipient",
}


def week_start(today: date | None = None) -> date:
    """Monday of the current week (local calendar), for "N orders this week"."""
    day = today or date.today()
    return day - timedelta(days=day.weekday())


def mirror_query(query: OrdersQuery) -> MirrorQuery:
    """The same question in the mirror's terms (status text, sort key)."""
    return MirrorQuery(
        status=query.status.value if query.status is not None else None,
        date_from=query.date_from,
        date_to=query.date_to,
        search=query.search,
        sort=SORT_KEYS[query.sort.field],
        descending=query.sort.descending,
        page=query.page,
        per_page=query.per_page,
    )


class MirrorSource:
    """Answers the Orders tab from the mirror of the account in use (``sync.mirror``)."""

    searches = True

    def __init__(self, sync: OrderSync) -> None:
        self.sync = sync

    def complete(self, query: OrdersQuery) -> bool:
        """Every order this query could show is mirrored (statuses as of the last pass)."""
        return self.sync.mirror.state().covers(mirror_query(query))

    def page(self, query: OrdersQuery) -> MirrorPage:
        return self.sync.mirror.page(mirror_query(query))

    def count(self, query: OrdersQuery) -> int:
        return self.sync.mirror.total(mirror_query(query))

    def counts(self, query: OrdersQuery) -> dict[str, int]:
        """Orders per status for the query's dates and search: the chips, equal to the totals."""
        return self.sync.mirror.counts(mirror_query(query))

    def answer_now(self, query: OrdersQuery, source: Source | None = None) -> OrdersAnswer:
        """One page (the last one if ``query.page`` is past the end), synchronously.

        ``source`` says what the rows stand for (default: the mirror's view, or search results);
        :attr:`Source.CACHE` when the mirror is not complete for the query and its rows are
        shown as the last known ones (start-up, offline).
        """
        mirror = self.sync.mirror
        asked = mirror_query(query)
        shown = mirror.page(asked)
        page = min(asked.page, shown.pages)
        if page != asked.page:
            asked = asked.with_(page=page)
        orders = [Order.model_validate_json(text) for text in mirror.page_json(asked, shown.total)]
        known = [mirror.state().last_synced_at]
        if source is Source.CACHE:  # "updated N min ago": a page may be newer than the sync
            known.append(mirror.last_fetched())  # (a scan: only for these views)
        stamps = [t for t in known if t is not None]
        return OrdersAnswer(
            orders,
            source or (Source.SEARCH if query.searching else Source.MIRROR),
            page=page,
            total=shown.total,
            total_pages=shown.pages,
            has_next=page < shown.pages,
            fetched_at=max(stamps) if stamps else datetime.now(UTC),
        )

    async def answer(self, query: OrdersQuery) -> OrdersAnswer:
        return self.answer_now(query)


__all__ = ["SORT_KEYS", "MirrorSource", "mirror_query", "week_start"]
