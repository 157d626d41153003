"""The sync engine: keeps an account's order mirror fresh within the rate limit (Qt-free).

One pass (:meth:`SyncEngine.sync_once`) does what the user is waiting for:

1. **head**: the newest orders, page by page (100 each), until it meets an order at or
   below the mirror's ``head`` (every order after that is already mirrored);
2. **open orders**: each non-final status listed with the API's status filter; a mirrored
   open order that none of those lists returned has changed status (or vanished) and is
   fetched on its own.

Between passes :meth:`SyncEngine.backfill_page` walks the rest of the history, oldest last,
one page at a time, until the first order is mirrored. Every request goes through a
:class:`RatePacer` that sees the server's limit minus a reserve, so what the user clicks
meanwhile never meets a 429. Pages are stored from a worker thread (SQLite releases the GIL),
so the event loop keeps painting while 100,000 orders arrive.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Protocol, TypeVar

from nfctagify_desktop.api.client import RateLimitState
from nfctagify_desktop.api.errors import NotFoundError
from nfctagify_desktop.api.models import Order, OrderPage, OrderQuery
from nfctagify_desktop.order_status import OPEN_STATUSES
from nfctagify_desktop.ordering.pacing import DEFAULT_PER_MINUTE, RatePacer
from nfctagify_desktop.store.mirror import OrderMirror, StatusChange, SyncState
from nfctagify_desktop.store.mirror.records import records_of
from nfctagify_desktop.store.mirror.schema import from_ts, ts

log = logging.getLogger("nfctagify.sync")

T = TypeVar("T")
PER_PAGE = 100
#: Requests per minute left to the user's own clicks in every rate-limit window.
RESERVE = 10


class OrdersSource(Protocol):
    """What the engine needs of :class:`~nfctagify_desktop.api.client.PartnerClient`."""

    rate_limit: RateLimitState | None

    async def list_orders(self, query: OrderQuery | None = None) -> OrderPage: ...

    async def get_order(self, order_id: str) -> Order: ...


@dataclass(frozen=True, slots=True)
class SyncProgress:
    """Where the mirror stands, for "synced N of M orders · updated HH:MM"."""

    mirrored: int
    state: SyncState
    #: True while a pass or a back-fill page is under way.
    busy: bool = False

    @property
    def text(self) -> str:
        return self.state.progress_text(self.mirrored)


@dataclass
class SyncReport:
    """What one pass did."""

    changes: list[StatusChange] = field(default_factory=list)
    requests: int = 0
    fetched: int = 0
    #: Orders per status on the server (``pagination.total`` of the status lists).
    counts: dict[str, int] = field(default_factory=dict)


def reserved(state: RateLimitState | None, reserve: int) -> RateLimitState | None:
    """The server's rate-limit state as a background job must see it: ``reserve`` smaller."""
    if state is None:
        return None
    limit = None if state.limit is None else max(1, state.limit - reserve)
    remaining = None if state.remaining is None else max(0, state.remaining - reserve)
    return replace(state, limit=limit, remaining=remaining)


class SyncEngine:
    """Fills and refreshes one account's :class:`OrderMirror` from its API client.

    Args:
        mirror: the account's mirror (the client must be the same account's).
        client: the API client (or anything with its ``list_orders``/``get_order``).
        reserve: requests per window left for the user.
        pacer: injectable (benchmarks drive it on a model clock); by default one that
            follows the client's X-RateLimit-* headers minus ``reserve``.
        on_changes: called on the loop with each batch of status changes.
        on_progress: called on the loop after every stored page.
    """

    def __init__(
        self,
        mirror: OrderMirror,
        client: OrdersSource,
        *,
        reserve: int = RESERVE,
        pacer: RatePacer | None = None,
        on_changes: Callable[[list[StatusChange]], None] | None = None,
        on_progress: Callable[[SyncProgress], None] | None = None,
    ) -> None:
        self.mirror = mirror
        self.client = client
        self.reserve = reserve
        self.pacer = pacer or RatePacer(
            lambda: reserved(client.rate_limit, reserve),
            per_minute=max(1, DEFAULT_PER_MINUTE - reserve),
        )
        self.on_changes = on_changes
        self.on_progress = on_progress
        self.requests = 0
        self._backfill_to: str | None = None
        self._backfill_page = 1
        self._server_total: int | None = None
        self._lock = asyncio.Lock()
        # One writer thread: SQLite releases the GIL while it updates the indexes, so the loop
        # keeps running. It is not given a lower priority: whenever it holds the GIL (between
        # SQLite calls), the loop waits for it, and a niced thread that the OS leaves waiting
        # for a CPU made the loop wait with it (25-30 ms stalls on a busy machine).
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mirror-writer")

    # -- plumbing ----------------------------------------------------------------------------

    async def _off_loop(self, func: Callable[[], T]) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._writer, func)

    def close(self) -> None:
        """Let the writer thread finish what it is doing, then end it."""
        self._writer.shutdown(wait=True)

    async def _call(self, make: Callable[[], Awaitable[T]]) -> T:
        await self.pacer.acquire()
        self.requests += 1
        return await make()

    async def _list(self, query: OrderQuery) -> OrderPage:
        return await self._call(lambda: self.client.list_orders(query))

    async def _get(self, order_id: str) -> Order:
        return await self._call(lambda: self.client.get_order(order_id))

    async def _store(
        self, orders: list[Order], state: SyncState | None = None
    ) -> list[StatusChange]:
        """Write orders (and the new state) off the loop; report changes and progress.

        The records are made here, on the loop (a few milliseconds a page): Python work in the
        writer thread would hold the GIL the loop needs.
        """
        mirror = self.mirror
        records = records_of(orders)

        def write() -> tuple[list[StatusChange], int]:
            changes = mirror.upsert(records) if records else []
            if state is not None:
                mirror.save_state(state)
            return changes, mirror.count()

        changes, mirrored = await self._off_loop(write)
        if changes and self.on_changes is not None:
            self.on_changes(changes)
        if self.on_progress is not None:
            self.on_progress(SyncProgress(mirrored, state or mirror.state(), busy=True))
        return changes

    def progress(self) -> SyncProgress:
        return SyncProgress(self.mirror.count(), self.mirror.state(), busy=self._lock.locked())

    # -- one pass ----------------------------------------------------------------------------

    async def sync_once(self) -> SyncReport:
        """The newest orders, then every open order's status; returns what changed."""
        async with self._lock:
            report = SyncReport()
            start = self.requests
            await self._head(report)
            await self._recheck_open(report)
            state = replace(self.mirror.state(), last_synced=ts(datetime.now(UTC)))
            await self._store([], state)
            report.requests = self.requests - start
            if self.on_progress is not None:
                self.on_progress(SyncProgress(self.mirror.count(), state, busy=False))
            return report

    async def _head(self, report: SyncReport) -> None:
        state = self.mirror.state()
        page_no = 1
        newest: str | None = None
        oldest: str | None = None
        while True:
            page = await self._list(OrderQuery(page=page_no, per_page=PER_PAGE))
            if page_no == 1:
                self._server_total = page.pagination.total
            stamps = [ts(o.created_at) for o in page.orders]
            if stamps:
                newest = max(newest or stamps[0], *stamps)
                oldest = min(oldest or stamps[0], *stamps)
            last = not page.has_next or not page.orders
            first_sync = state.head is None
            met = state.head is not None and any(s <= state.head for s in stamps)
            done = first_sync or met or last
            if first_sync:
                # This page is the span; the back-fill does the rest of the history.
                state = replace(state, head=newest, tail=oldest, history_complete=last)
            elif done:
                state = replace(state, head=max(state.head or "", newest or ""))
                if last and not met:  # the whole list walked: every order is mirrored
                    state = replace(state, tail=oldest, history_complete=True)
            if done:
                state = replace(state, server_total=self._server_total)
            report.fetched += len(page.orders)
            report.changes += await self._store(page.orders, state if done else None)
            if done:
                return
            page_no += 1

    async def _recheck_open(self, report: SyncReport) -> None:
        open_before = await self._off_loop(self.mirror.open_orders)
        seen: set[str] = set()
        for status in OPEN_STATUSES:
            page_no = 1
            while True:
                query = OrderQuery(page=page_no, per_page=PER_PAGE, status=status)
                page = await self._list(query)
                if page_no == 1 and page.pagination.total is not None:
                    report.counts[status.value] = page.pagination.total
                seen.update(o.order_id for o in page.orders)
                report.fetched += len(page.orders)
                report.changes += await self._store(page.orders)
                if not page.has_next or not page.orders:
                    break
                page_no += 1
        for order_id, _created in open_before:
            if order_id in seen:
                continue
            try:
                fresh = await self._get(order_id)
            except NotFoundError:
                log.info("order %s is no longer on the server", order_id)
                continue
            report.fetched += 1
            report.changes += await self._store([fresh])

    # -- history -----------------------------------------------------------------------------

    async def backfill_page(self) -> bool:
        """Mirror one more page of older history; True once the first order is mirrored."""
        async with self._lock:
            state = self.mirror.state()
            if state.history_complete:
                return True
            if state.tail is None:
                return False  # nothing to extend yet: a pass comes first
            if self._backfill_to is None:
                self._backfill_to = state.tail
                self._backfill_page = 1
            day = from_ts(self._backfill_to).date()
            query = OrderQuery(page=self._backfill_page, per_page=PER_PAGE, date_to=day)
            page = await self._list(query)
            stamps = [ts(o.created_at) for o in page.orders]
            tail = min([state.tail, *stamps])
            done = not page.has_next or not page.orders
            state = replace(self.mirror.state(), tail=tail, history_complete=done)
            await self._store(page.orders, state)
            self._backfill_page += 1
            if done:
                self._backfill_to = None
            return done

    async def run(self, interval: float, *, on_error: Callable[[BaseException], None]) -> None:
        """Passes every ``interval`` seconds, back-filling history in between; never returns.

        A failed request is reported through ``on_error`` and retried at the next pass.
        """
        loop = asyncio.get_running_loop()
        while True:
            deadline = loop.time() + interval
            try:
                await self.sync_once()
                while loop.time() < deadline and not await self.backfill_page():
                    pass
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("order sync failed: %s", exc)
                on_error(exc)
            await asyncio.sleep(max(0.0, deadline - loop.time()))


__all__ = ["PER_PAGE", "RESERVE", "SyncEngine", "SyncProgress", "SyncReport", "reserved"]
