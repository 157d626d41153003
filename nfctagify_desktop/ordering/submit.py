"""Safe order submission: every POST is backed by the outbox and never resent blindly.

The flow (STYLE.md pitfall "Blind POST retries"):

1. The draft is already in the outbox, with an idempotency key fixed for its life.
2. ``sending`` is recorded, then ``POST /orders`` carries that key.
3. Success -> ``submitted``. A 4xx -> ``failed`` with the server's message and field.
4. An ambiguous failure (timeout, dropped connection, 5xx, garbled 2xx) -> *reconcile*: look
   for the order among the account's recent orders; found -> ``submitted``, else ``unknown``.
5. Sending an ``unknown`` draft again reconciles first, then POSTs with the *same* key, so even
   if reconciliation missed the order the server replays it instead of creating a second one.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Final, Protocol

from pydantic import ValidationError

from nfctagify_desktop.api import errors
from nfctagify_desktop.api.client import PartnerClient
from nfctagify_desktop.api.models import Order
from nfctagify_desktop.ordering.outbox import Draft, DraftState, Outbox
from nfctagify_desktop.ordering.validation import OrderFields, to_order_create, validate_order
from nfctagify_desktop.store.account import AccountId

log = logging.getLogger("nfctagify.ordering")

#: Orders created this long before the first send still count (clock skew; second-granular
#: server timestamps).
RECONCILE_MARGIN: Final = timedelta(minutes=10)
RECONCILE_PAGES: Final = 3
RECONCILE_PER_PAGE: Final = 100

UNKNOWN_MESSAGE: Final = (
    "The connection failed after the order was sent, and it was not found among your recent "
    "orders yet. Sending again is safe: it is checked first and reuses the same idempotency key."
)

#: Errors after which the POST may have been processed; a garbled 2xx counts too.
_AMBIGUOUS: tuple[type[errors.ApiError], ...] = (
    *errors.AMBIGUOUS_ERRORS,
    errors.InvalidResponseError,
)


class WrongAccountError(Exception):
    """A draft was offered to a submitter of another account; nothing was sent or changed."""

    def __init__(self, draft: Draft, current: str) -> None:
        written_for = str(draft.account) if draft.account else draft.profile
        super().__init__(
            f"This order was written for {written_for} and was not sent to {current}. "
            f"Switch to the profile {draft.profile!r} to send it; it stays in its Outbox."
        )
        self.draft = draft


class Pacer(Protocol):
    """Anything that can hold a request back to stay within the rate limit."""

    async def acquire(self) -> None: ...


@dataclass(frozen=True)
class SubmitResult:
    """Outcome of one submit; ``draft`` is the outbox row afterwards.

    Attributes:
        reconciled: the order was found among existing orders rather than created by this call.
        retry_after: for a rate-limited draft (state ``draft``), seconds the server asked to wait.
    """

    draft: Draft
    order: Order | None = None
    reconciled: bool = False
    retry_after: float | None = None

    @property
    def state(self) -> DraftState:
        return self.draft.state

    @property
    def ok(self) -> bool:
        return self.draft.state is DraftState.SUBMITTED

    @property
    def message(self) -> str | None:
        return self.draft.last_error


class OrderSubmitter:
    """Sends outbox drafts of one profile through a PartnerClient, safely.

    Args:
        client: the profile's API client.
        outbox: where drafts live; every state change is written there first.
        profile: the profile (account) whose drafts this submitter sends.
        pacer: optional; acquired before every request this class makes.
        account: the account the client talks to; drafts written for another account are
            refused (:class:`WrongAccountError`) and drafts created here are bound to it.
    """

    def __init__(
        self,
        client: PartnerClient,
        outbox: Outbox,
        profile: str,
        *,
        pacer: Pacer | None = None,
        account: AccountId | None = None,
    ) -> None:
        if account is not None and account.profile != profile:
            raise ValueError("the account's profile and the submitter's profile differ")
        self.client = client
        self.outbox = outbox
        self.profile = profile
        self.account = account
        self.pacer = pacer
        self._in_flight: set[str] = set()

    async def submit(self, draft_id: str, *, pacer: Pacer | None = None) -> SubmitResult:
        """Send one draft (reconciling first if an earlier attempt may have landed).

        Raises ``KeyError`` for an unknown draft id and :class:`WrongAccountError` for a draft
        of another account (left as it was). Never raises for API failures: they are
        recorded on the draft. Cancellation while the POST is in flight leaves it ``unknown``.
        """
        pacer = pacer or self.pacer
        draft = self._get(draft_id)
        self.check_account(draft)
        if draft.state is DraftState.SUBMITTED:
            return SubmitResult(draft)
        if draft_id in self._in_flight:
            raise RuntimeError(f"draft {draft_id} is already being sent")
        self._in_flight.add(draft_id)
        try:
            return await self._submit(draft, pacer)
        finally:
            self._in_flight.discard(draft_id)

    async def recover(self, profile: str | None = None) -> list[SubmitResult]:
        """On start: reconcile every draft a previous run left ``sending`` or ``unknown``.

        Found orders become ``submitted``; the rest stay ``unknown`` for the user to resend.
        One listing serves all drafts.
        """
        profile = profile or self.profile
        pending = [
            d
            for d in self.outbox.in_state(profile, DraftState.SENDING, DraftState.UNKNOWN)
            if d.id not in self._in_flight and (self.account is None or d.belongs_to(self.account))
        ]
        if not pending:
            return []
        for d in pending:
            if d.state is DraftState.SENDING:
                self.outbox.mark_unknown(d.id, UNKNOWN_MESSAGE, "INTERRUPTED")
        try:
            recent = await self._recent_orders(pending, self.pacer)
        except errors.ApiError as exc:
            log.warning("recovery could not list orders: %s", exc)
            return [SubmitResult(self._get(d.id)) for d in pending]
        results = []
        claimed = self.outbox.order_ids(profile)
        for d in pending:
            match = _find_match(d, recent, claimed)
            if match is not None:
                claimed.add(match.order_id)
                draft = self.outbox.mark_submitted(d.id, match.order_id)
                results.append(SubmitResult(draft, match, reconciled=True))
            else:
                results.append(SubmitResult(self._get(d.id)))
        return results

    def check_account(self, draft: Draft) -> None:
        """Refuse a draft of another account (raises :class:`WrongAccountError`)."""
        current = self.account or AccountId(self.profile, self.client.base_url)
        if self.account is not None:
            ok = draft.belongs_to(self.account)
        else:
            ok = draft.profile == self.profile
        if not ok:
            raise WrongAccountError(draft, str(current))

    async def reconcile(self, draft_id: str, *, pacer: Pacer | None = None) -> Order | None:
        """Look for this draft's order among recent orders; mark it submitted when found."""
        draft = self._get(draft_id)
        self.check_account(draft)
        if draft.state is DraftState.SUBMITTED:
            return None
        recent = await self._recent_orders([draft], pacer or self.pacer)
        match = _find_match(draft, recent, self.outbox.order_ids(draft.profile))
        if match is not None:
            self.outbox.mark_submitted(draft.id, match.order_id)
        return match

    # -- internals -------------------------------------------------------------------------

    async def _submit(self, draft: Draft, pacer: Pacer | None) -> SubmitResult:
        if draft.state in (DraftState.UNKNOWN, DraftState.SENDING):
            # An earlier attempt may have landed: look before sending again. (A ``failed``
            # draft was refused outright, so there is nothing to find.)
            reconciled = await self._try_reconcile(draft, pacer)
            if reconciled is not None:
                return reconciled

        problems = [(p.field, p.message) for p in validate_order(draft.fields)]
        try:
            order_body = to_order_create(draft.fields)
        except (ValidationError, ValueError) as exc:
            problems = problems or [("", str(exc))]
        if problems:
            key, message = problems[0]
            failed = self.outbox.mark_failed(draft.id, message, "CLIENT_VALIDATION", key or None)
            return SubmitResult(failed)

        if pacer is not None:
            await pacer.acquire()
        self.outbox.mark_sending(draft.id)
        try:
            order = await self.client.create_order(
                order_body, idempotency_key=draft.idempotency_key
            )
        except asyncio.CancelledError:
            self.outbox.mark_unknown(
                draft.id,
                "Sending was cancelled; the order may or may not have been placed.",
                "CANCELLED",
            )
            raise
        except errors.RateLimitedError as exc:
            # A 429 means nothing was processed: back to a plain draft to send later.
            wait = f" in {exc.retry_after:.0f} s" if exc.retry_after else " later"
            note = f"Rate limited by the server ({exc.message}); will retry{wait}."
            back = self.outbox.mark_draft(draft.id, note, exc.code or "RATE_LIMITED")
            return SubmitResult(back, retry_after=exc.retry_after)
        except _AMBIGUOUS as exc:
            return await self._after_ambiguous(draft, exc, pacer)
        except errors.ApiError as exc:  # 4xx and configuration problems: nothing was created
            failed = self.outbox.mark_failed(draft.id, exc.message, exc.code, exc.field)
            return SubmitResult(failed)
        done = self.outbox.mark_submitted(draft.id, order.order_id)
        return SubmitResult(done, order)

    async def _try_reconcile(self, draft: Draft, pacer: Pacer | None) -> SubmitResult | None:
        """The result for a draft whose order is found among recent orders, else None.

        A failed look-up is not an error here: the caller then resends with the same
        idempotency key, or records the draft as unknown.
        """
        try:
            found = await self.reconcile(draft.id, pacer=pacer)
        except errors.ApiError as exc:
            log.warning("order %s: could not reconcile: %s", draft.id, exc)
            return None
        if found is None:
            return None
        return SubmitResult(self._get(draft.id), found, reconciled=True)

    async def _after_ambiguous(
        self, draft: Draft, exc: errors.ApiError, pacer: Pacer | None
    ) -> SubmitResult:
        log.warning("order %s: ambiguous failure %s; reconciling", draft.id, exc)
        reconciled = await self._try_reconcile(draft, pacer)
        if reconciled is not None:
            return reconciled
        detail = f" ({exc.message})" if exc.message else ""
        unknown = self.outbox.mark_unknown(draft.id, UNKNOWN_MESSAGE + detail, exc.code)
        return SubmitResult(unknown)

    async def _recent_orders(self, drafts: Sequence[Draft], pacer: Pacer | None) -> list[Order]:
        """The first pages of orders since the earliest send (minus margin and a day of slack)."""
        starts = [d.first_sent_at or d.created_at for d in drafts]
        since = min(starts) - RECONCILE_MARGIN
        date_from = min(since, datetime.now(UTC) - timedelta(days=1)).date()
        orders: list[Order] = []
        for page in range(1, RECONCILE_PAGES + 1):
            if pacer is not None:
                await pacer.acquire()
            result = await self.client.list_orders(
                page=page, per_page=RECONCILE_PER_PAGE, date_from=date_from
            )
            orders.extend(result.orders)
            if not result.has_next or not result.orders:
                break
        return orders

    def _get(self, draft_id: str) -> Draft:
        draft = self.outbox.get(draft_id)
        if draft is None:
            raise KeyError(draft_id)
        return draft


def _norm(text: str | None) -> str:
    return (text or "").strip().casefold()


def matches(fields: OrderFields, order: Order) -> bool:
    """Whether ``order`` looks like the one these fields would create.

    Same product, quantity and customer reference; where the order includes shipping, the same
    recipient and postcode too (drafts without a reference need that to tell orders apart).
    """
    try:
        body = to_order_create(fields)
    except (ValidationError, ValueError):
        return False
    if order.product_id is not None and order.product_id != body.product_id:
        return False
    if order.quantity is not None and order.quantity != body.quantity:
        return False
    if _norm(order.customer_reference) != _norm(body.customer_reference):
        return False
    if order.shipping is not None:
        ship = body.shipping
        if _norm(order.shipping.name) != _norm(ship.name):
            return False
        if _norm(order.shipping.postcode).replace(" ", "") != _norm(ship.postcode).replace(" ", ""):
            return False
    return order.product_id is not None or order.quantity is not None


def _find_match(draft: Draft, orders: Iterable[Order], claimed: set[str]) -> Order | None:
    """The oldest unclaimed order created after the draft was first sent that matches it."""
    since = (draft.first_sent_at or draft.created_at) - RECONCILE_MARGIN
    candidates = [
        o
        for o in orders
        if o.order_id not in claimed and o.created_at >= since and matches(draft.fields, o)
    ]
    return min(candidates, key=lambda o: o.created_at) if candidates else None
