"""The order mirror of the account in use, kept fresh in the background (Qt signals, no widgets).

:class:`OrderSync` owns one :class:`OrderMirror` per account (opened on first use, closed at
the end) and runs the Qt-free :class:`SyncEngine` against the connection's client: a pass at
start, then every ``interval_minutes``, with the history back-filled in between. It runs as its
own task, not through the task runner: a back-fill of a big account lasts minutes and must not
keep the window's "Loading…" indicator on.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from nfctagify_desktop.api.models import Order
from nfctagify_desktop.ordering.sync import SyncEngine, SyncProgress, SyncReport
from nfctagify_desktop.services.context import AppContext
from nfctagify_desktop.store.account import AccountId
from nfctagify_desktop.store.mirror import MirrorQuery, OrderMirror, StatusChange, open_mirror
from nfctagify_desktop.store.mirror.records import records_of

log = logging.getLogger("nfctagify.services.order_sync")

DEFAULT_INTERVAL_MINUTES = 5
#: The first pass at start-up waits this long: the tabs' own first loads go first.
START_DELAY_S = 2.0


class OrderSync(QObject):
    """Signals:
    sig_progress(object): a SyncProgress after every stored page ("synced N of M orders").
    sig_status_changed(list): StatusChange items, whoever fetched them (each reported once:
        the next copy stored has the same status). A first sync into an empty mirror finds
        only new orders, so it reports none.
    sig_mirror_changed(): orders were written: views showing the mirror re-read it.
    sig_synced(object): a pass (newest orders and every open order) finished: its SyncReport.
    sig_failed(object): a pass failed (the exception); the next one runs as planned.
    """

    sig_progress = Signal(object)
    sig_status_changed = Signal(list)
    sig_mirror_changed = Signal()
    sig_synced = Signal(object)
    sig_failed = Signal(object)

    def __init__(
        self,
        ctx: AppContext,
        interval_minutes: int = DEFAULT_INTERVAL_MINUTES,
        *,
        directory: Path | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent if parent is not None else ctx)
        self.ctx = ctx
        self.interval_minutes = max(0, interval_minutes)
        self._directory = directory
        self._mirrors: dict[AccountId, OrderMirror] = {}
        self._task: asyncio.Task[None] | None = None
        #: Set when the interval changes: a waiting loop re-reads it.
        self._wake = asyncio.Event()
        self.last_error: BaseException | None = None
        self.last_progress: SyncProgress | None = None
        self.last_report: SyncReport | None = None
        self.engine = self._new_engine()
        ctx.sig_connection_changed.connect(self._connection_changed)

    # -- the mirror --------------------------------------------------------------------------

    @property
    def account(self) -> AccountId:
        return self.ctx.account

    @property
    def mirror(self) -> OrderMirror:
        """The mirror of the account in use (another account's is never returned)."""
        return self.mirror_for(self.account)

    def mirror_for(self, account: AccountId) -> OrderMirror:
        """The mirror of ``account`` (opened on first use, kept until :meth:`aclose`)."""
        mirror = self._mirrors.get(account)
        if mirror is None:
            mirror = open_mirror(account.slug, account.key, self._directory)
            self._mirrors[account] = mirror
        return mirror

    def get(self, order_id: str) -> Order | None:
        """The order as last stored, for a detail shown before (or without) the network."""
        try:
            text = self.mirror.get_json(order_id)
        except Exception:
            log.exception("could not read order %s from the mirror", order_id)
            return None
        return Order.model_validate_json(text) if text is not None else None

    def orders(self, query: MirrorQuery) -> list[Order]:
        """The orders of one mirror page (filters, search and sort as the list shows them)."""
        return [Order.model_validate_json(t) for t in self.mirror.page_json(query)]

    def _new_engine(self) -> SyncEngine:
        return SyncEngine(
            self.mirror,
            self.ctx.client,
            on_changes=self._changes,
            on_progress=self._progress,
        )

    def _changes(self, changes: list[StatusChange]) -> None:
        self.sig_status_changed.emit(changes)

    def _progress(self, progress: SyncProgress) -> None:
        self.last_progress = progress
        self.sig_progress.emit(progress)
        self.sig_mirror_changed.emit()

    def ingest(self, orders: list[Order], account: AccountId | None = None) -> list[StatusChange]:
        """Store orders a view fetched itself (a page, a detail, a placed order).

        One page at a time, on the caller's thread: a few milliseconds, and the next read sees
        it. A mirror problem never fails the view that fetched them. ``account`` is the one they
        were fetched for, when a fetch may outlive an account switch (an export): they go to
        that account's own mirror, silently, never to the one in use.
        """
        if not orders:
            return []
        if account is not None and account != self.account:
            try:
                self.mirror_for(account).upsert(records_of(orders))
            except Exception:
                log.exception("could not store %d orders in their account's mirror", len(orders))
            return []
        try:
            changes = self.mirror.upsert(records_of(orders))
        except Exception:
            log.exception("could not store %d orders in the mirror", len(orders))
            return []
        if changes:
            self.sig_status_changed.emit(changes)
        self.sig_mirror_changed.emit()
        return changes

    def stored_elsewhere(self, account: AccountId, changes: list[StatusChange]) -> None:
        """Orders another writer (the start-up request) stored in ``account``'s mirror: tell
        the views, and report the status changes it found (nothing for another account)."""
        if account != self.account:
            return
        if changes:
            self.sig_status_changed.emit(changes)
        self.sig_mirror_changed.emit()

    def mark_seen(self, order_ids: list[str]) -> None:
        try:
            self.mirror.mark_seen(order_ids)
        except Exception:
            log.exception("could not mark orders seen in the mirror")

    def unseen(self) -> set[str]:
        try:
            return self.mirror.unseen()
        except Exception:
            return set()

    def progress(self) -> SyncProgress:
        return self.engine.progress()

    # -- running -----------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    async def pass_once(self) -> SyncReport:
        """One pass (newest orders, then every open order's status), then ``sig_synced``."""
        report = await self.engine.sync_once()
        self.last_report = report
        self.last_error = None
        self.sig_synced.emit(report)
        return report

    def start(self, delay: float = 0.0) -> None:
        """A pass after ``delay`` seconds, then every ``interval_minutes`` (0: only this pass
        and the back-fill)."""
        self.stop()
        self._task = asyncio.get_event_loop().create_task(self._run(self.engine, delay))
        self._task.add_done_callback(self._ended)

    def sync_now(self) -> None:
        """Start over with a pass at once (F5, a placed order)."""
        self.start()

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self._task = None

    def set_interval_minutes(self, minutes: int) -> None:
        """Passes every ``minutes`` from now on; 0 stops them after the running one (and the
        back-fill)."""
        self.interval_minutes = max(0, minutes)
        self._wake.set()

    def _next_pass(self, started: float) -> float:
        """When the pass after one that started at ``started`` is due (loop time)."""
        interval = self.interval_minutes * 60.0
        return started + interval if interval else float("inf")

    async def _run(self, engine: SyncEngine, delay: float = 0.0) -> None:
        loop = asyncio.get_running_loop()
        if delay > 0:
            await asyncio.sleep(delay)
        while True:
            started = loop.time()
            try:
                await self.pass_once()
                while loop.time() < self._next_pass(started) and not await engine.backfill_page():
                    pass
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("order sync failed: %s", exc)
                self.last_error = exc
                self.sig_failed.emit(exc)
            # Wait for the next pass; a changed interval is taken into account at once.
            while self.interval_minutes and (left := self._next_pass(started) - loop.time()) > 0:
                self._wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), left)
            if not self.interval_minutes:
                return

    def _ended(self, task: asyncio.Task[None]) -> None:
        if not task.cancelled() and task.exception() is not None:
            log.error("order sync stopped: %s", task.exception())

    def _connection_changed(self) -> None:
        """Another account, or the same one through a new client: a new engine, same plan."""
        was_running = self.running
        self.stop()
        old = self.engine
        self.engine = self._new_engine()
        old.close()
        self.last_progress = None
        self.sig_mirror_changed.emit()
        if was_running:
            self.start()

    async def aclose(self) -> None:
        """Stop syncing and close every mirror (after the running write finished)."""
        task = self._task
        self.stop()
        if task is not None:
            await asyncio.gather(task, return_exceptions=True)
        await asyncio.get_running_loop().run_in_executor(None, self.engine.close)
        for mirror in self._mirrors.values():
            mirror.close()
        self._mirrors.clear()


__all__ = ["DEFAULT_INTERVAL_MINUTES", "START_DELAY_S", "OrderSync"]
