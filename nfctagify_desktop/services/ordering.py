"""A small QObject facade over the outbox and the safe submitter, for the order UI.

Created once by ``build_services`` (app.py). Views never hold an
``Outbox`` or an ``OrderSubmitter`` themselves: they ask this service, which re-creates the
submitter when the connection (profile, client) changes and tells every view when the set of
unsent drafts changed.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from nfctagify_desktop.api import errors
from nfctagify_desktop.api.models import Order, PriceEntry, Product
from nfctagify_desktop.ordering.outbox import Draft, DraftState, Outbox
from nfctagify_desktop.ordering.pacing import RatePacer
from nfctagify_desktop.ordering.reorder import fields_from_order
from nfctagify_desktop.ordering.submit import OrderSubmitter, Outcome, SubmitResult
from nfctagify_desktop.ordering.validation import OrderFields
from nfctagify_desktop.services.context import AppContext

log = logging.getLogger("nfctagify.services.ordering")

#: When an "outcome unknown" draft is checked again by itself (seconds after each attempt).
CHECK_DELAYS_S: tuple[float, ...] = (15, 60, 300, 900)


class OrderingService(QObject):
    """Drafts, sending and recovery for the current connection's profile.

    Signals:
        sig_drafts_changed(): a draft was saved, sent, recovered or discarded.
        sig_draft_sent(object): a SubmitResult after any send (form, outbox or recovery).
    """

    sig_drafts_changed = Signal()
    sig_draft_sent = Signal(object)

    def __init__(self, ctx: AppContext, outbox: Outbox, parent: QObject | None = None) -> None:
        super().__init__(parent or ctx)
        self.ctx = ctx
        self.outbox = outbox
        self._submitter: OrderSubmitter | None = None
        self._pacer: RatePacer | None = None
        self._client_id = 0
        #: Products by id, once loaded (for min_quantity, prices, CSV checks).
        self.products: dict[str, Product] = {}
        #: Price entries by product id (standard price and whether ours is custom), if loaded.
        self.prices: dict[str, PriceEntry] = {}
        self.products_loaded = False
        #: Customer references seen on listed orders (reference -> order id), casefolded.
        self._seen_references: dict[str, str] = {}
        #: Seconds before each automatic check of an "outcome unknown" draft (same key).
        self.check_delays: tuple[float, ...] = CHECK_DELAYS_S
        self._checks: dict[str, tuple[QTimer, int]] = {}
        self._closed = False
        ctx.sig_connection_changed.connect(self._connection_changed)

    # -- plumbing ----------------------------------------------------------------------------

    @property
    def profile(self) -> str:
        return self.ctx.connection.profile

    @property
    def pacer(self) -> RatePacer:
        """One pacer per client, shared by the form, the outbox and CSV imports."""
        self._ensure_current()
        assert self._pacer is not None
        return self._pacer

    @property
    def submitter(self) -> OrderSubmitter:
        self._ensure_current()
        assert self._submitter is not None
        return self._submitter

    def _ensure_current(self) -> None:
        client = self.ctx.client
        if self._submitter is None or self._client_id != id(client):
            self._pacer = RatePacer.for_client(client)
            self._submitter = OrderSubmitter(
                client, self.outbox, self.profile, pacer=self._pacer, account=self.ctx.account
            )
            self._client_id = id(client)

    def _connection_changed(self) -> None:
        self._submitter = None
        self.products = {}
        self.prices = {}
        self.products_loaded = False
        self._seen_references.clear()
        self.sig_drafts_changed.emit()

    # -- drafts ------------------------------------------------------------------------------

    def new_draft(self, fields: OrderFields) -> Draft:
        """A draft bound to the account in use: it can only ever be sent there."""
        return Draft(profile=self.profile, fields=fields, base_url=self.ctx.account.base_url)

    def reorder_as_drafts(self, orders: Iterable[Order]) -> list[Draft]:
        """One draft per order, like it, for the account in use; they wait in the Outbox."""
        drafts = [
            self.outbox.save(
                replace(self.new_draft(fields_from_order(o)), source=f"reorder:{o.order_id}")
            )
            for o in orders
        ]
        if drafts:
            self.sig_drafts_changed.emit()
        return drafts

    def save(self, draft: Draft) -> Draft:
        """Write the draft (before any network call); views refresh."""
        saved = self.outbox.save(draft)
        self.sig_drafts_changed.emit()
        return saved

    def get(self, draft_id: str) -> Draft | None:
        return self.outbox.get(draft_id)

    def unsent(self) -> list[Draft]:
        """The drafts of the account in use (never another account's, even of the same name)."""
        account = self.ctx.account
        return [d for d in self.outbox.unsent(self.profile) if d.belongs_to(account)]

    def unsent_count(self) -> int:
        return len(self.unsent())

    def discard(self, draft_id: str) -> bool:
        gone = self.outbox.discard(draft_id)
        self.sig_drafts_changed.emit()
        return gone

    def is_sending(self, draft_id: str) -> bool:
        return self.ctx.tasks.is_running(f"submit:{draft_id}")

    # -- references --------------------------------------------------------------------------

    def note_orders(self, orders: Iterable[Order]) -> None:
        """Remember the references of listed orders (for the 'used before' warning)."""
        for order in orders:
            ref = (order.customer_reference or "").strip().casefold()
            if ref:
                self._seen_references.setdefault(ref, order.order_id)

    def reference_used(self, reference: str, *, exclude_draft: str | None = None) -> str | None:
        """Where this customer reference was used before (a description), or None."""
        wanted = reference.strip().casefold()
        if not wanted:
            return None
        for d in self.outbox.in_state(self.profile, DraftState.SUBMITTED):
            if d.id != exclude_draft and d.fields.customer_reference.strip().casefold() == wanted:
                return f"order {d.order_id}" if d.order_id else "an earlier order"
        order_id = self._seen_references.get(wanted)
        if order_id is not None:
            return f"order {order_id}"
        return None

    # -- network -----------------------------------------------------------------------------

    async def load_products(self, *, force: bool = False) -> dict[str, Product]:
        if self.products and not force:
            return self.products
        products = await self.ctx.client.list_products()
        self.products = {p.product_id: p for p in products}
        self.products_loaded = True
        try:
            prices = await self.ctx.client.get_pricing()
        except errors.ApiError as exc:  # only the standard-price comparison is missing then
            log.warning("pricing not loaded: %s", exc)
        else:
            self.prices = {p.product_id: p for p in prices}
        return self.products

    async def submit(self, draft_id: str) -> SubmitResult:
        """Send one draft safely; the outbox records every step."""
        try:
            result = await self.submitter.submit(draft_id)
        finally:
            self.sig_drafts_changed.emit()
        self.sig_draft_sent.emit(result)
        if result.ok and result.order is not None:
            self.note_orders([result.order])
        self._schedule_check(result)
        return result

    # -- checking "outcome unknown" drafts ---------------------------------------------------

    def _schedule_check(self, result: SubmitResult) -> None:
        """An unknown outcome is checked again by itself, a little later each time.

        The check is the same send (same idempotency key): the server returns the order if
        it was placed and places it only if it was not. A draft whose key the server has
        forgotten is left for the user (it would be a new order).
        """
        draft_id = result.draft.id
        timer, done = self._checks.pop(draft_id, (None, 0))
        if timer is not None:
            timer.stop()
            timer.deleteLater()
        if (
            self._closed
            or result.outcome is not Outcome.UNKNOWN
            or result.draft.error_code in ("KEY_EXPIRED", "CANCELLED")
            or done >= len(self.check_delays)
        ):
            return
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setInterval(int(self.check_delays[done] * 1000))
        timer.timeout.connect(lambda: self._check(draft_id))
        self._checks[draft_id] = (timer, done + 1)
        timer.start()

    def _check(self, draft_id: str) -> None:
        if self._closed or self.is_sending(draft_id):
            return
        draft = self.outbox.get(draft_id)
        mine = {d.id for d in self.unsent()}
        if draft is None or draft.state is not DraftState.UNKNOWN or draft_id not in mine:
            return
        log.info("checking order %s (outcome unknown) with its idempotency key", draft_id)
        self.send(draft_id, self._checked)

    def _checked(self, result: SubmitResult) -> None:
        if not result.ok:
            return
        order_id = result.draft.order_id
        how = "had been placed" if result.outcome.found_existing else "is placed now"
        self.ctx.status(f"Checked: order {order_id} {how}", 10000)
        if result.order is not None and result.draft.belongs_to(self.ctx.account):
            self.ctx.sig_order_created.emit(result.order)  # (another account's: not shown)

    def send(
        self,
        draft_id: str,
        on_done: Callable[[SubmitResult], object] | None = None,
        on_error: Callable[[BaseException], object] | None = None,
    ) -> asyncio.Task[Any] | None:
        """Start sending under the task key ``submit:<id>`` (app-owned, cancelled on quit).

        Views are told again once the task has ended, success or not, so no row can stay
        "Sending…" after its send is over.
        """

        def done(result: SubmitResult) -> None:
            self.sig_drafts_changed.emit()
            if on_done is not None:
                on_done(result)

        def failed(exc: BaseException) -> None:
            self.sig_drafts_changed.emit()
            if on_error is not None:
                on_error(exc)
            else:  # logged with its traceback and shown in the status bar
                self.ctx.tasks.report(f"submit:{draft_id}", exc)

        task = self.ctx.call(
            f"submit:{draft_id}",
            self.submit(draft_id),
            done,
            failed,
            drop_stale=False,
            proves=lambda result: result.ok,  # a kept draft is no proof the server is well
        )
        self.sig_drafts_changed.emit()
        return task

    async def recover(self) -> list[SubmitResult]:
        """Check drafts a previous run left ``sending``/``unknown``, each by its own key."""
        try:
            results = await self.submitter.recover(self.profile)
        finally:
            self.sig_drafts_changed.emit()
        for result in results:
            if result.ok:
                self.sig_draft_sent.emit(result)
        return results

    def start_recovery(self) -> None:
        """On start-up: check interrupted sends in the background, then tell the user."""
        self.ctx.call(
            "ordering-recover",
            self.recover(),
            self._recovered,
            lambda _e: None,
            proves=lambda results: any(r.ok for r in results),
        )

    def _recovered(self, results: list[SubmitResult]) -> None:
        found = sum(1 for r in results if r.outcome.found_existing)
        placed = sum(1 for r in results if r.outcome is Outcome.PLACED)
        open_ = sum(1 for r in results if not r.ok)
        bits = []
        if found:
            bits.append(f"{found} interrupted order(s) had been placed")
        if placed:
            bits.append(f"{placed} interrupted order(s) were placed now")
        if open_:
            bits.append(f"{open_} interrupted order(s) could not be checked: see the Outbox")
        if bits:
            self.ctx.status("; ".join(bits), 15000)

    def close(self) -> None:
        """Close the outbox (after the task runner has shut down)."""
        self._closed = True
        for timer, _done in self._checks.values():
            timer.stop()
        self._checks.clear()
        self.outbox.close()


__all__ = ["OrderingService"]
