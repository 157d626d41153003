"""What the Orders tab shows, without Qt: the query, where the rows came from, the totals.

:class:`OrdersBrowser` is the state; the tab renders it and turns clicks into its intents
(``set_status``, ``go_to``…), each of which says whether a new fetch is needed. The query
(:class:`OrdersQuery`) describes *what* is wanted; an :class:`OrderSource` answers it. The
sources are the Partner API (filters and paging, no search, no sort across pages) and the local
order mirror (``services/mirror_source.py``: everything, offline, sorted and searched across
pages). A profile switch calls :meth:`OrdersBrowser.reset`: another account's page number,
filters or search never carry over.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any, Protocol

from nfctagify_desktop.api.client import PartnerClient
from nfctagify_desktop.api.models import Order, OrderPage, OrderQuery, OrderStatus

PER_PAGE_CHOICES: tuple[int, ...] = (20, 50, 100)
DEFAULT_PER_PAGE = PER_PAGE_CHOICES[0]


class SortField(StrEnum):
    """The orders table's columns, by what they sort on."""

    ORDER_ID = "order_id"
    CREATED = "created"
    STATUS = "status"
    PRODUCT = "product"
    QUANTITY = "quantity"
    TOTAL = "total"
    REFERENCE = "reference"
    RECIPIENT = "recipient"


@dataclass(frozen=True)
class Sort:
    field: SortField = SortField.CREATED
    descending: bool = True

    def text(self) -> str:
        """``created:desc``: how the sort is remembered in the settings file."""
        return f"{self.field.value}:{'desc' if self.descending else 'asc'}"

    @classmethod
    def parse(cls, text: str | None) -> Sort:
        """A remembered sort; anything unreadable is the default (newest first)."""
        name, _, direction = (text or "").partition(":")
        try:
            return cls(SortField(name), direction != "asc")
        except ValueError:
            return cls()


DEFAULT_SORT = Sort()


class Source(StrEnum):
    """Where the rows on screen came from."""

    NONE = "none"
    LIVE = "server"
    #: The mirror's rows for a view it is not complete for: the last known ones (start-up,
    #: offline), not live.
    CACHE = "cache"
    SEARCH = "search"
    #: The account's local mirror, complete for the query (sorts and searches everything).
    MIRROR = "mirror"


@dataclass(frozen=True)
class OrdersQuery:
    """Everything the user chose: filters, search text, page, page size, sort."""

    status: OrderStatus | None = None
    date_from: date | None = None
    date_to: date | None = None
    search: str = ""
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE
    sort: Sort = DEFAULT_SORT

    @property
    def searching(self) -> bool:
        return bool(self.search.strip())

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page

    def api_query(self) -> OrderQuery:
        """The Partner API's query (filters and page).

        Raises:
            ValueError: the filters cannot be sent (e.g. 'from' after 'to').
        """
        return OrderQuery(
            page=self.page,
            per_page=self.per_page,
            status=self.status,
            date_from=self.date_from,
            date_to=self.date_to,
        )


@dataclass(frozen=True)
class OrdersAnswer:
    """One page of orders from a source, with what it knows of the totals."""

    orders: list[Order]
    source: Source
    page: int = 1
    total: int | None = None
    total_pages: int | None = None
    has_next: bool = False
    fetched_at: datetime | None = None
    #: The API's own page (live answers), for the views that need its pagination.
    api_page: OrderPage | None = None


class OrderSource(Protocol):
    """Answers an :class:`OrdersQuery` (the API, or the account's local mirror)."""

    #: Whether this source honours ``query.search`` and sorts across pages.
    searches: bool

    async def answer(self, query: OrdersQuery) -> OrdersAnswer: ...


class LiveSource:
    """The Partner API: filters and paging; no text search, sorting only within a page."""

    searches = False

    def __init__(self, client: Callable[[], PartnerClient]) -> None:
        self._client = client

    async def answer(self, query: OrdersQuery) -> OrdersAnswer:
        page = await self._client().list_orders(query.api_query())
        p = page.pagination
        return OrdersAnswer(
            page.orders,
            Source.LIVE,
            page=p.page,
            total=p.total,
            total_pages=p.total_pages,
            has_next=page.has_next,
            fetched_at=datetime.now(UTC),
            api_page=page,
        )


@dataclass(frozen=True)
class Paging:
    """The paging bar: which buttons work, and the line between them."""

    first: bool
    previous: bool
    next: bool
    last: bool
    label: str


@dataclass
class OrdersBrowser:
    """The Orders tab's state. Intents return True when the rows must be fetched again."""

    query: OrdersQuery = field(default_factory=OrdersQuery)
    answer: OrdersAnswer | None = None
    #: The last page the API sent (kept while a search shows the mirror's matches).
    live: OrdersAnswer | None = None
    #: The last fetch from the API failed for want of a network.
    offline: bool = False

    # -- intents -----------------------------------------------------------------------------

    def _set(self, **changes: Any) -> bool:
        new = replace(self.query, **changes)
        changed = new != self.query
        self.query = new
        return changed

    def set_status(self, status: OrderStatus | None) -> bool:
        return self._set(status=status, page=1)

    def set_dates(self, date_from: date | None, date_to: date | None) -> bool:
        return self._set(date_from=date_from, date_to=date_to, page=1)

    def set_search(self, text: str) -> bool:
        return self._set(search=text.strip(), page=1)

    def set_per_page(self, per_page: int) -> bool:
        if per_page not in PER_PAGE_CHOICES:
            raise ValueError(f"per page must be one of {PER_PAGE_CHOICES}")
        return self._set(per_page=per_page, page=1)

    def set_sort(self, sort: Sort) -> bool:
        """A new sort; True only when the source sorts across pages (else the page re-sorts)."""
        changed = self._set(sort=sort)
        return changed and (self.query.searching or self.source is Source.MIRROR)

    def go_to(self, page: int) -> bool:
        """Move to ``page`` if it exists (as far as anyone knows)."""
        last = self.total_pages
        if page < 1 or (last is not None and page > max(1, last)):
            return False
        return self._set(page=page)

    def first_page(self) -> bool:
        return self._set(page=1)

    def reset(self, *, per_page: int | None = None, sort: Sort | None = None) -> None:
        """Another account: no filters, no search, page 1, nothing shown yet.

        Page size and sort are preferences, not data: they stay unless given.
        """
        self.query = OrdersQuery(
            per_page=per_page if per_page is not None else self.query.per_page,
            sort=sort if sort is not None else self.query.sort,
        )
        self.answer = None
        self.live = None
        self.offline = False

    # -- answers -----------------------------------------------------------------------------

    def show(self, answer: OrdersAnswer) -> None:
        """Rows arrived: they are what is on screen now."""
        self.answer = answer
        if answer.source is Source.LIVE:
            self.live = answer
            self.offline = False
        self.query = replace(self.query, page=answer.page)

    def failed(self, *, offline: bool) -> None:
        self.offline = offline

    # -- derived -----------------------------------------------------------------------------

    @property
    def source(self) -> Source:
        return self.answer.source if self.answer is not None else Source.NONE

    @property
    def page(self) -> int:
        return self.query.page

    @property
    def total_pages(self) -> int | None:
        return self.answer.total_pages if self.answer is not None else None

    @property
    def updated_at(self) -> datetime | None:
        return self.answer.fetched_at if self.answer is not None else None

    def paging(self) -> Paging:
        answer = self.answer
        page = self.query.page
        pages = self.total_pages
        known = pages is not None
        has_next = answer.has_next if answer is not None else False
        shown = max(1, pages or 1)
        if answer is None:
            label = ""
        elif answer.source is Source.SEARCH:
            matches = answer.total or 0
            noun = "match" if matches == 1 else "matches"
            label = f"Page {page} of {shown} · {matches:,} {noun}"
        elif answer.source is Source.CACHE:
            label = f"Page {page} of {shown} · saved orders"
        elif known:
            total = f" · {answer.total:,} orders" if answer.total is not None else ""
            label = f"Page {page} of {shown}{total}"
        else:
            label = f"Page {page}"
        return Paging(
            first=page > 1,
            previous=page > 1,
            next=has_next,
            last=known and page < (pages or 0),
            label=label,
        )


__all__ = [
    "DEFAULT_PER_PAGE",
    "DEFAULT_SORT",
    "PER_PAGE_CHOICES",
    "LiveSource",
    "OrderSource",
    "OrdersAnswer",
    "OrdersBrowser",
    "OrdersQuery",
    "Paging",
    "Sort",
    "SortField",
    "Source",
]
