"""What a view asks the mirror, and the SQL that answers it.

The same :func:`where` builds the list's rows, its total and the per-status counts, so the
status chips can never disagree with the list: a chip's number is the list's total once that
chip is chosen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, NamedTuple

from nfctagify_desktop.store.mirror.schema import (
    SORT_COLUMNS,
    day_end_exclusive,
    day_start,
)

DEFAULT_SORT = "created_at"
#: FTS5's trigram tokenizer needs three characters; shorter words are matched with LIKE.
_TRIGRAM = 3
_WORD = re.compile(r"\S+")
#: Fields a one- or two-character word matches the start of (each has a NOCASE index).
_PREFIX_COLUMNS = ("reference", "recipient", "product", "city", "postcode")


@dataclass(frozen=True, slots=True)
class MirrorQuery:
    """Filters, search, sort and page of the orders list.

    ``status`` is the API's status text (or None for all); dates are inclusive UTC dates of
    ``created_at``, as the API's ``from``/``to``; ``search`` is words that must each occur
    (case-insensitive substring) in the order id, reference, recipient, product, city or
    postcode (a word of one or two characters: at the start of a text field); ``sort`` is a
    key of :data:`SORT_COLUMNS`.
    """

    status: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    search: str = ""
    sort: str = DEFAULT_SORT
    descending: bool = True
    page: int = 1
    per_page: int = 50

    def __post_init__(self) -> None:
        if self.sort not in SORT_COLUMNS:
            raise ValueError(f"cannot sort by {self.sort!r}")
        if self.page < 1 or self.per_page < 1:
            raise ValueError("page and per_page start at 1")

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page

    @property
    def server_can_answer(self) -> bool:
        """True when the API's own query means the same (no search, newest first)."""
        return not self.search.strip() and self.sort == DEFAULT_SORT and self.descending

    def filters_key(self) -> tuple[object, ...]:
        """What the counts depend on (not the status, sort or page)."""
        return (self.date_from, self.date_to, self.search.strip().casefold())

    def with_(self, **changes: Any) -> MirrorQuery:
        return replace(self, **changes)


class OrderRow(NamedTuple):
    """One order as the list shows it: plain values, no pydantic (first paint)."""

    order_id: str
    created_at: str
    status: str
    product: str
    quantity: int | None
    total: str | None
    currency: str | None
    reference: str
    recipient: str
    city: str
    postcode: str
    updated_at: str | None
    unseen: int


@dataclass(frozen=True, slots=True)
class MirrorPage:
    """A page of rows, the list's total, and the per-status counts for the same filters."""

    rows: list[OrderRow]
    total: int
    counts: dict[str, int]
    query: MirrorQuery
    #: False when the mirror does not hold every order this view could show (still syncing).
    complete: bool

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.query.per_page))


def _phrase(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def _like(word: str) -> str:
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"{escaped}%"


def where(query: MirrorQuery, *, with_status: bool = True) -> tuple[str, list[Any]]:
    """The WHERE clause (over ``orders``) of the query's filters and search."""
    clauses: list[str] = []
    params: list[Any] = []
    if with_status and query.status is not None:
        clauses.append("status = ?")
        params.append(query.status)
    if query.date_from is not None:
        clauses.append("created_at >= ?")
        params.append(day_start(query.date_from))
    if query.date_to is not None:
        clauses.append("created_at < ?")
        params.append(day_end_exclusive(query.date_to))
    words = _WORD.findall(query.search)
    long_words = [w for w in words if len(w) >= _TRIGRAM]
    if long_words:
        clauses.append("rid IN (SELECT rowid FROM orders_fts WHERE orders_fts MATCH ?)")
        params.append(" AND ".join(_phrase(w) for w in long_words))
    for word in (w for w in words if len(w) < _TRIGRAM):
        # Too short for trigrams: the start of a text field, through its NOCASE index.
        ors = " OR ".join(f"{c} LIKE ? ESCAPE '\\'" for c in _PREFIX_COLUMNS)
        clauses.append(f"rid IN (SELECT rid FROM orders WHERE {ors})")
        params.extend([_like(word)] * len(_PREFIX_COLUMNS))
    return (" AND ".join(clauses) or "1"), params


#: From this many matches on, a search walks the sort index (a page fills within a few hundred
#: entries) instead of sorting every match (30 ms for 16,000 of them).
BROAD_MATCHES = 2000


def _sorts_matches(query: MirrorQuery, matches: int | None) -> bool:
    return bool(query.search.strip()) and (matches is None or matches < BROAD_MATCHES)


def index_hint(query: MirrorQuery, matches: int | None = None) -> str:
    """Walk the sort column's index (the planner would sort a status's rows instead)."""
    if _sorts_matches(query, matches):
        return ""  # few matches: found through FTS5, then sorted
    if query.sort == "status":
        return "INDEXED BY by_status"
    if query.sort == "created_at":
        return ""
    return f"INDEXED BY by_{query.sort}"


def order_by(query: MirrorQuery, matches: int | None = None) -> str:
    """ORDER BY that an index walk satisfies (no sort step), or, for a search, a plain sort.

    A search with few matches (or an unknown number) sorts them: that beats walking 100,000
    index entries to test each (``+column`` keeps the planner off the index). With many, the
    walk finds a page after a few hundred entries.
    """
    d = "DESC" if query.descending else "ASC"
    p = "+" if _sorts_matches(query, matches) else ""
    column = SORT_COLUMNS[query.sort]
    if column in ("created_at", "status"):
        head = "" if column == "created_at" else f"{p}status {d}, "
        return f"{head}{p}created_at {d}, rid {d}"
    # A trailing rowid would make SQLite sort the ties of a DESC walk: the index's own order
    # (ending in the rowid) already breaks them.
    return f"{p}{column} {d}, {p}created_at {d}, {p}status {d}"


__all__ = [
    "DEFAULT_SORT",
    "MirrorPage",
    "MirrorQuery",
    "OrderRow",
    "index_hint",
    "order_by",
    "where",
]
