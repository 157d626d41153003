"""Following orders without asking: auto-refresh of open orders into the local cache.

Every sync lists the orders in each open status (pending, processing, dispatched) with the
API's status filter, 100 a page, so one request covers up to 100 orders instead of one
``GET /orders/{id}`` each. A cached open order that none of those lists returned has left the
open statuses (delivered or cancelled): only those are fetched one by one. Requests are paced
by a :class:`RatePacer` that keeps a reserve of the per-minute limit for what the user does
meanwhile, so a background sync never makes the visible tabs meet a 429 (issue #8).

The cache reports each status change once (the next upsert has the same status), so a change
is notified once whichever fetch found it: the watcher, the Orders tab's pages or a detail.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta

from PySide6.QtCore import QObject, QTimer, Signal

from nfctagify_desktop.api.client import RateLimitState
from nfctagify_desktop.api.errors import ApiError, NotFoundError
from nfctagify_desktop.api.models import KNOWN_STATUSES, Order, OrderQuery, OrderStatus
from nfctagify_desktop.ordering.pacing import RatePacer
from nfctagify_desktop.services.context import AppContext
from nfctagify_desktop.store.order_cache import OrderCache, StatusChange

log = logging.getLogger("nfctagify.services.order_watch")

TASK_KEY = "order-watch"
PER_PAGE = 100
OPEN_STATUSES: tuple[OrderStatus, ...] = tuple(s for s in KNOWN_STATUSES if not s.is_final)
#: Requests per minute a background sync may use at most, whatever the account's limit.
WATCH_PER_MINUTE = 20
#: Requests per minute left to the user's own clicks: the sync waits rather than use them.
RESERVE = 10
#: Pages per status per sync; an account with more open orders is followed by its newest ones.
MAX_PAGES_PER_STATUS = 20
#: Orders fetched one by one per sync (those that left the open statuses); the rest next time.
MAX_SINGLE_FETCHES = 30
#: Delay of the first sync after start, so it does not compete with the tabs' first loads.
FIRST_SYNC_DELAY_MS = 3000


@dataclass
class SyncResult:
    """What one sync found."""

    changes: list[StatusChange] = field(default_factory=list)
    fetched: int = 0
    requests: int = 0
    #: Orders per status on the server (``pagination.total``), when the API says.
    counts: dict[OrderStatus, int] = field(default_factory=dict)
    #: Orders created since the start of this week (server count), when known.
    this_week: int | None = None
    finished_at: datetime = field(default_factory=lambda: datetime.now(UTC))


def week_start(today: date | None = None) -> date:
    """Monday of the current week (local calendar)."""
    day = today or date.today()
    return day - timedelta(days=day.weekday())


def _reserved(state: RateLimitState | None, budget: int) -> RateLimitState | None:
    """The client's rate-limit state as the watcher should see it: smaller, with a reserve."""
    if state is None:
        return None
    limit = min(budget, state.limit) if state.limit else budget
    remaining = None if state.remaining is None else max(0, state.remaining - RESERVE)
    return replace(state, limit=limit, remaining=remaining)


class OrderWatch(QObject):
    """Keeps the order cache of the connected profile fresh and reports status changes.

    Args:
        ctx: the app context (client, profile, task runner).
        cache: the order cache all views share.
        interval_minutes: auto-refresh period; 0 turns auto-refresh off.
        per_minute: requests per minute a sync may use at most.

    Signals:
        sig_status_changed(list): StatusChange items found by any upsert (each reported once).
        sig_cache_updated(): orders were written to the cache (views re-read counts/rows).
        sig_sync_started(): a sync began.
        sig_synced(object): a sync finished (SyncResult).
        sig_sync_failed(object): a sync failed (the exception); the next one runs as planned.
    """

    sig_status_changed = Signal(list)
    sig_cache_updated = Signal()
    sig_sync_started = Signal()
    sig_synced = Signal(object)
    sig_sync_failed = Signal(object)

    def __init__(
        self,
        ctx: AppContext,
        cache: OrderCache,
        interval_minutes: int = 5,
        parent: QObject | None = None,
        *,
        per_minute: int = WATCH_PER_MINUTE,
    ) -> None:
        super().__init__(parent if parent is not None else ctx)
        self.ctx = ctx
        self.cache = cache
        self.interval_minutes = max(0, interval_minutes)
        #: Requests per minute a sync may use (never more than the account's limit - RESERVE).
        self.per_minute = per_minute
        self.last_result: SyncResult | None = None
        self.last_error: BaseException | None = None
        self._pacer = self._new_pacer()
        self._started = False
        self._timer = QTimer(self)
        self._timer.setObjectName("orderWatchTimer")
        self._timer.timeout.connect(self.sync_now)
        ctx.sig_connection_changed.connect(self._connection_changed)

    # -- settings and lifecycle ---------------------------------------------------------------

    @property
    def account_key(self) -> str:
        """The order cache's key of the account in use (profile + server, never a name alone)."""
        return self.ctx.account.key

    @property
    def active(self) -> bool:
        return self._timer.isActive()

    def _new_pacer(self) -> RatePacer:
        client = self.ctx.client
        return RatePacer(
            lambda: _reserved(client.rate_limit, self.per_minute), per_minute=self.per_minute
        )

    def set_per_minute(self, per_minute: int) -> None:
        """Change the request budget of a sync (from the next sync on)."""
        self.per_minute = max(1, per_minute)
        self._pacer = self._new_pacer()

    def set_interval_minutes(self, minutes: int) -> None:
        """Change the period (settings); 0 stops auto-refresh."""
        self.interval_minutes = max(0, minutes)
        if self.interval_minutes == 0:
            self._timer.stop()
        elif self._timer.isActive() or self._started:
            self._timer.start(self.interval_minutes * 60_000)

    def start(self, first_delay_ms: int = FIRST_SYNC_DELAY_MS) -> None:
        """Begin auto-refresh: a first sync soon (changes since last run), then periodically."""
        self._started = True
        if self.interval_minutes == 0:
            return
        self._timer.start(self.interval_minutes * 60_000)
        QTimer.singleShot(first_delay_ms, self, self._first_sync)

    def _first_sync(self) -> None:
        if self._started and self.interval_minutes:
            self.sync_now()

    def stop(self) -> None:
        self._started = False
        self._timer.stop()
        self.ctx.tasks.cancel(TASK_KEY)

    def is_syncing(self) -> bool:
        return self.ctx.tasks.is_running(TASK_KEY)

    def _connection_changed(self) -> None:
        self.ctx.tasks.cancel(TASK_KEY)
        self._pacer = self._new_pacer()
        self.last_result = None
        self.sig_cache_updated.emit()

    # -- the cache ------------------------------------------------------------------------------

    def ingest(self, orders: Iterable[Order], account_key: str | None = None) -> list[StatusChange]:
        """Upsert fetched orders under their account (default: the one in use); report their
        status changes. A sync passes the account it started on: never file them under another."""
        batch = list(orders)
        if not batch:
            return []
        key = account_key or self.account_key
        if key != self.account_key:
            return []  # fetched for an account no longer in use: not this view's business
        try:
            changes = self.cache.upsert(key, batch)
        except Exception:  # a cache is a cache: never fail the view that fetched these
            log.exception("could not write %d orders to the cache", len(batch))
            return []
        if changes:
            log.info("%d order status change(s) detected", len(changes))
            self.sig_status_changed.emit(changes)
        self.sig_cache_updated.emit()
        return changes

    # -- syncing ------------------------------------------------------------------------------

    def sync_now(self) -> None:
        """Start a sync unless one is running (a timer tick never piles up requests)."""
        if self.is_syncing():
            return
        self.sig_sync_started.emit()
        self.ctx.tasks.run(TASK_KEY, self.sync(), self._synced, self._failed)

    def _synced(self, result: SyncResult) -> None:
        self.last_result = result
        self.last_error = None
        self.sig_synced.emit(result)

    def _failed(self, exc: BaseException) -> None:
        log.warning("order auto-refresh failed: %s", exc)
        self.last_error = exc
        self.sig_sync_failed.emit(exc)

    async def _list(
        self, query: OrderQuery, result: SyncResult, account_key: str
    ) -> tuple[list[Order], int | None]:
        await self._pacer.acquire()
        page = await self.ctx.client.list_orders(query)
        result.requests += 1
        result.fetched += len(page.orders)
        result.changes += self.ingest(page.orders, account_key)
        return page.orders, page.pagination.total

    async def sync(self) -> SyncResult:
        """One pass over the open orders (and server-side counts); returns what it found."""
        profile = self.account_key
        result = SyncResult()
        open_before = {o.order_id: o for o in self.cache.open_orders(profile)}
        seen: set[str] = set()
        # Orders older than this may be open but were beyond the page cap: not inferred final.
        cutoff: datetime | None = None
        for status in OPEN_STATUSES:
            page_no = 1
            while True:
                orders, total = await self._list(
                    OrderQuery(page=page_no, per_page=PER_PAGE, status=status), result, profile
                )
                seen.update(o.order_id for o in orders)
                if page_no == 1 and total is not None:
                    result.counts[status] = total
                pages = math.ceil(total / PER_PAGE) if total is not None else None
                more = (page_no < pages) if pages is not None else len(orders) >= PER_PAGE
                if not more or not orders:
                    break
                if page_no >= MAX_PAGES_PER_STATUS:
                    oldest = min(o.created_at for o in orders)
                    cutoff = oldest if cutoff is None else max(cutoff, oldest)
                    break
                page_no += 1
        gone = [
            o
            for o in open_before.values()
            if o.order_id not in seen and (cutoff is None or o.created_at >= cutoff)
        ]
        # Oldest first: an order stuck for long is the one the user waits for.
        gone.sort(key=lambda o: o.created_at)
        for order in gone[:MAX_SINGLE_FETCHES]:
            await self._pacer.acquire()
            try:
                fresh = await self.ctx.client.get_order(order.order_id)
            except NotFoundError:
                log.info("order %s is no longer on the server", order.order_id)
                continue
            finally:
                result.requests += 1
            result.fetched += 1
            result.changes += self.ingest([fresh], profile)
        # Totals of the final statuses and of this week: one small request each.
        for status in (s for s in KNOWN_STATUSES if s.is_final):
            try:
                await self._pacer.acquire()
                page = await self.ctx.client.list_orders(
                    OrderQuery(page=1, per_page=1, status=status)
                )
                result.requests += 1
                if page.pagination.total is not None:
                    result.counts[status] = page.pagination.total
            except ApiError as exc:  # counts are a nicety; the sync itself succeeded
                log.info("could not count %s orders: %s", status.value, exc)
        try:
            await self._pacer.acquire()
            page = await self.ctx.client.list_orders(
                OrderQuery(page=1, per_page=1, date_from=week_start())
            )
            result.requests += 1
            result.this_week = page.pagination.total
        except ApiError as exc:
            log.info("could not count this week's orders: %s", exc)
        self.cache.set_last_synced(profile)
        result.finished_at = datetime.now(UTC)
        self.sig_cache_updated.emit()
        return result


__all__ = [
    "OPEN_STATUSES",
    "OrderWatch",
    "SyncResult",
    "week_start",
]
