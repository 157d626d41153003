"""The import dialog's service: one :class:`ImportSession` driven from Qt, never blocking it.

Reading a file and checking its rows run in a worker thread (50,000 rows take about a second);
account reads and sending run as tasks on the app's loop through ``ctx.tasks``; results come
back as signals. Sending uses the ordering service's pacer, so orders placed from the form or
the Outbox at the same time count against the same rate limit.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Final

from PySide6.QtCore import QObject, Signal

from nfctagify_desktop.api.models import Order
from nfctagify_desktop.ordering.bulk import (
    CheckedRow,
    Mapping,
    MappingMemory,
    SendPlan,
    Summary,
    Table,
    read_file,
)
from nfctagify_desktop.ordering.bulk.session import ImportSession
from nfctagify_desktop.services.context import AppContext
from nfctagify_desktop.services.order_sync import OrderSync
from nfctagify_desktop.services.ordering import OrderingService
from nfctagify_desktop.store.mirror import MirrorQuery, OrderMirror

log = logging.getLogger("nfctagify.services.bulk_import")
#: How far back, and how many, cached orders are compared with the rows (repeats).
HISTORY_DAYS: Final = 180
HISTORY_LIMIT: Final = 20_000

READ_TASK: Final = "bulk-import-read"
CHECK_TASK: Final = "bulk-import-check"
SEND_TASK: Final = "bulk-import-send"


class BulkImportService(QObject):
    """Signals:
    sig_read(object): a :class:`Table` was read (then the rows are checked).
    sig_checked(object): the checked rows (list of :class:`CheckedRow`).
    sig_failed(object): an exception of any step; the view shows it (BulkFileError: a sentence).
    sig_progress(object): a :class:`Progress` while sending.
    sig_finished(object): the :class:`Summary` of a send.
    """

    sig_read = Signal(object)
    sig_checked = Signal(object)
    sig_failed = Signal(object)
    sig_progress = Signal(object)
    sig_finished = Signal(object)

    def __init__(
        self,
        ctx: AppContext,
        ordering: OrderingService,
        memory: MappingMemory | None = None,
        order_sync: OrderSync | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ordering = ordering
        self.order_sync = order_sync
        self.memory = memory if memory is not None else MappingMemory()
        self.session = self._new_session()
        self.path: Path | None = None
        self._account_loaded = False

    def _new_session(self) -> ImportSession:
        return ImportSession(
            self.ctx.client,
            self.ordering.outbox,
            self.ctx.account,
            memory=self.memory,
            pacer=self.ordering.pacer,
        )

    def _mirror(self) -> OrderMirror | None:
        """The account's order mirror (on the loop's thread), or None without one."""
        if self.order_sync is None:
            return None
        try:
            return self.order_sync.mirror
        except Exception as exc:  # the mirror is a convenience: never a reason to fail
            log.warning("import: order history not read: %s", exc)
            return None

    @staticmethod
    def _recent_orders(mirror: OrderMirror | None) -> list[Order]:
        """Mirrored orders of the last months, to flag rows that repeat one (worker thread)."""
        if mirror is None:
            return []
        since = datetime.now(UTC).date() - timedelta(days=HISTORY_DAYS)
        try:
            texts = mirror.page_json(MirrorQuery(date_from=since, per_page=HISTORY_LIMIT))
            return [Order.model_validate_json(text) for text in texts]
        except Exception as exc:  # the mirror is a convenience: never a reason to fail
            log.warning("import: order history not read: %s", exc)
            return []

    @property
    def table(self) -> Table | None:
        return self.session.table

    @property
    def mapping(self) -> Mapping | None:
        return self.session.mapping

    @property
    def rows(self) -> list[CheckedRow]:
        return self.session.rows

    @property
    def sending(self) -> bool:
        return self.ctx.tasks.is_running(SEND_TASK)

    # -- steps --------------------------------------------------------------------------------

    def open(self, path: Path, *, encoding: str | None = None, sheet: str | None = None) -> None:
        """Read ``path`` in a worker thread, fetch the account's data once, check every row."""
        self.path = path
        if self.session.client is not self.ctx.client:
            self.session = self._new_session()
            self._account_loaded = False

        async def work() -> Table:
            table = await asyncio.to_thread(read_file, path, encoding=encoding, sheet=sheet)
            if not self._account_loaded:
                await self.session.load_account()
                mirror = self._mirror()
                self.session.history_orders = await asyncio.to_thread(self._recent_orders, mirror)
                self._account_loaded = True
            return table

        def done(table: Table) -> None:
            self.session.adopt(table)
            self.sig_read.emit(table)
            self.check()

        self.ctx.tasks.run(READ_TASK, work(), done, self.sig_failed.emit, owner=self)

    def check(self, mapping: Mapping | None = None, *, allow_repeats: bool | None = None) -> None:
        """Check every row again (an edited mapping, or repeats allowed or not)."""
        if self.session.table is None:
            return
        if allow_repeats is not None:
            self.session.allow_repeats = allow_repeats
        self.ctx.tasks.run(
            CHECK_TASK,
            asyncio.to_thread(self.session.check, mapping),
            self.sig_checked.emit,
            self.sig_failed.emit,
            owner=self,
        )

    def plan(self) -> SendPlan:
        return self.session.plan()

    def send(self) -> None:
        """Send the ready rows; progress and the summary come as signals. No owner: a send
        that started must finish its order in flight even if the dialog closes."""

        def finished(summary: Summary) -> None:
            self.ordering.sig_drafts_changed.emit()
            if any(o.order_id for o in summary.outcomes):
                self.ctx.sig_orders_changed.emit()
            self.sig_finished.emit(summary)

        self.session.sender_for(self.sig_progress.emit)
        self.ctx.tasks.run(SEND_TASK, self.session.send(), finished, self.sig_failed.emit)
        self.ordering.sig_drafts_changed.emit()

    def pause(self) -> None:
        if self.session.sender is not None:
            self.session.sender.pause()

    def resume(self) -> None:
        if self.session.sender is not None:
            self.session.sender.resume()

    def cancel(self) -> None:
        """Stop after the order in flight; the rest stay in the Outbox."""
        if self.session.sender is not None:
            self.session.sender.cancel()

    @property
    def paused(self) -> bool:
        return self.session.sender is not None and self.session.sender.paused
