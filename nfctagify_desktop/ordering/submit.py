"""Safe order submission: every POST is backed by the outbox, and a draft places one order.

The flow:

1. The draft is already in the outbox, with an idempotency key fixed for its life.
2. ``sending`` is recorded, then ``POST /orders`` carries that key.
3. Success -> ``submitted``. A 4xx -> ``failed`` with the server's message and field.
4. An ambiguous failure (timeout, dropped connection, 5xx, unreadable 2xx) -> *check*: the same
   body is sent again with the same key. The server answers with the order an earlier attempt
   placed (a replay), or places it now, once. Still no answer -> ``unknown``, checked the same
   way on the next send or start-up.
5. Only when the key is too old for the server to remember it (keys are kept 24 hours) are the
   account's orders searched instead, and then strictly: an order counts only if it was created
   at or after this draft's first send, matches it field by field, and is not already the order
   of another draft. An identical order placed a moment earlier, by anyone, is never claimed.

Every result says what happened as a typed :class:`Outcome`, never as text to parse.
"""

from __future__ import annotations

import asyncio
import enum
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Final, Protocol

from pydantic import ValidationError

from nfctagify_desktop.api import errors
from nfctagify_desktop.api.client import PartnerClient
from nfctagify_desktop.api.models import Order, OrderCreate
from nfctagify_desktop.ordering.outbox import Draft, DraftState, Outbox
from nfctagify_desktop.ordering.validation import OrderFields, to_order_create, validate_order
from nfctagify_desktop.store.account import AccountId

log = logging.getLogger("nfctagify.ordering")

#: How long the server remembers an idempotency key (docs/api-assumptions.md).
KEY_RETENTION: Final = timedelta(hours=24)
#: Resend by key only while comfortably inside the retention (clocks differ a little).
KEY_SAFE_FOR: Final = KEY_RETENTION - timedelta(hours=1)
MATCH_PAGES: Final = 3
MATCH_PER_PAGE: Final = 100

UNKNOWN_MESSAGE: Final = (
    "No answer from the server after the order was sent, so it may or may not have been "
    "placed. Sending again is safe: it reuses this order's idempotency key, so the server "
    "returns the order if it exists and places it only if it does not."
)
EXPIRED_MESSAGE: Final = (
    "This order's first attempt is more than a day old, so the server no longer recognises "
    "its idempotency key, and no order created since then matches it. Check the Orders tab; "
    "sending again would place it as a new order."
)

#: Errors after which the POST may have been processed; an unreadable 2xx counts too.
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


class Outcome(enum.StrEnum):
    """What one submit did, for the caller to word (never parsed from a message)."""

    #: This request placed the order.
    PLACED = "placed"
    #: An earlier attempt had placed it; the server returned that order for the same key.
    REPLAYED = "replayed"
    #: The key had expired; the order was found among orders created since the first send.
    MATCHED = "matched"
    #: The draft was submitted already; nothing was sent.
    ALREADY_SUBMITTED = "already_submitted"
    #: The form does not pass validation; nothing was sent.
    INVALID = "invalid"
    #: The server refused it (4xx); nothing was placed.
    REFUSED = "refused"
    #: Rate limited: nothing was processed; a plain draft again, to send later.
    RATE_LIMITED = "rate_limited"
    #: Still not known whether it was placed; the next send checks again (same key).
    UNKNOWN = "unknown"

    @property
    def placed(self) -> bool:
        return self in _PLACED

    @property
    def found_existing(self) -> bool:
        """The order existed before this call (an earlier attempt had gone through)."""
        return self in (Outcome.REPLAYED, Outcome.MATCHED)


_PLACED: Final = frozenset(
    {Outcome.PLACED, Outcome.REPLAYED, Outcome.MATCHED, Outcome.ALREADY_SUBMITTED}
)


class Pacer(Protocol):
    """Anything that can hold a request back to stay within the rate limit."""

    async def acquire(self) -> None: ...


@dataclass(frozen=True)
class SubmitResult:
    """Outcome of one submit; ``draft`` is the outbox row afterwards.

    Attributes:
        retry_after: for a rate-limited draft (state ``draft``), seconds the server asked to wait.
    """

    draft: Draft
    outcome: Outcome
    order: Order | None = None
    retry_after: float | None = None

    @property
    def state(self) -> DraftState:
        return self.draft.state

    @property
    def ok(self) -> bool:
        return self.draft.state is DraftState.SUBMITTED

    @property
    def reconciled(self) -> bool:
        """The order had been placed by an earlier attempt (see :attr:`Outcome.found_existing`)."""
        return self.outcome.found_existing

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
        """Send one draft; for an ``unknown`` one this *is* the check (same key).

        Raises ``KeyError`` for an unknown draft id and :class:`WrongAccountError` for a draft
        of another account (left as it was). Never raises for API failures: they are
        recorded on the draft. Cancellation while the POST is in flight leaves it ``unknown``.
        """
        pacer = pacer or self.pacer
        draft = self._get(draft_id)
        self.check_account(draft)
        if draft.state is DraftState.SUBMITTED:
            return SubmitResult(draft, Outcome.ALREADY_SUBMITTED)
        if draft_id in self._in_flight:
            raise RuntimeError(f"draft {draft_id} is already being sent")
        self._in_flight.add(draft_id)
        try:
            return await self._submit(draft, pacer)
        finally:
            self._in_flight.discard(draft_id)

    async def recover(self, profile: str | None = None) -> list[SubmitResult]:
        """On start: check every draft a previous run left ``sending`` or ``unknown``.

        Each is resent with its own key, so the server returns its order or places it once;
        one whose key has expired is only searched for (never resent without the user).
        """
        profile = profile or self.profile
        pending = [
            d
            for d in self.outbox.in_state(profile, DraftState.SENDING, DraftState.UNKNOWN)
            if d.id not in self._in_flight and (self.account is None or d.belongs_to(self.account))
        ]
        results = []
        for d in pending:
            if d.state is DraftState.SENDING:
                self.outbox.mark_unknown(d.id, UNKNOWN_MESSAGE, "INTERRUPTED")
            results.append(await self.submit(d.id))
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

    # -- internals -------------------------------------------------------------------------

    async def _submit(self, draft: Draft, pacer: Pacer | None) -> SubmitResult:
        problems = [(p.field, p.message) for p in validate_order(draft.fields)]
        try:
            body = to_order_create(draft.fields)
        except (ValidationError, ValueError) as exc:
            problems = problems or [("", str(exc))]
        if problems:
            key, message = problems[0]
            failed = self.outbox.mark_failed(draft.id, message, "CLIENT_VALIDATION", key or None)
            return SubmitResult(failed, Outcome.INVALID)

        if draft.state in (DraftState.UNKNOWN, DraftState.SENDING) and _key_expired(draft):
            return await self._search_expired(draft, body, pacer)

        result = await self._post(draft, body, pacer)
        if result.outcome is not Outcome.UNKNOWN:
            return result
        # Ambiguous: ask again with the same key. The server replays the order if the first
        # request went through, or places it now; it cannot place it twice.
        log.warning("order %s: outcome unknown; checking with the same idempotency key", draft.id)
        return await self._post(self._get(draft.id), body, pacer)

    async def _post(self, draft: Draft, body: OrderCreate, pacer: Pacer | None) -> SubmitResult:
        if pacer is not None:
            await pacer.acquire()
        self.outbox.mark_sending(draft.id)
        try:
            placement = await self.client.place_order(body, idempotency_key=draft.idempotency_key)
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
            return SubmitResult(back, Outcome.RATE_LIMITED, retry_after=exc.retry_after)
        except _AMBIGUOUS as exc:
            log.warning("order %s: ambiguous failure %s", draft.id, exc)
            detail = f" ({exc.message})" if exc.message else ""
            unknown = self.outbox.mark_unknown(draft.id, UNKNOWN_MESSAGE + detail, exc.code)
            return SubmitResult(unknown, Outcome.UNKNOWN)
        except errors.ApiError as exc:  # 4xx and configuration problems: nothing was created
            failed = self.outbox.mark_failed(draft.id, exc.message, exc.code, exc.field)
            return SubmitResult(failed, Outcome.REFUSED)
        done = self.outbox.mark_submitted(draft.id, placement.order.order_id)
        outcome = Outcome.REPLAYED if placement.replayed else Outcome.PLACED
        return SubmitResult(done, outcome, placement.order)

    async def _search_expired(
        self, draft: Draft, body: OrderCreate, pacer: Pacer | None
    ) -> SubmitResult:
        """The key is forgotten by now: look for the order, strictly; never resend blindly."""
        try:
            recent = await self._orders_since(draft, pacer)
        except errors.ApiError as exc:
            log.warning("order %s: could not search orders: %s", draft.id, exc)
            return SubmitResult(self._get(draft.id), Outcome.UNKNOWN)
        match = find_match(draft, recent, self.outbox.order_ids(draft.profile))
        if match is None:
            unknown = self.outbox.mark_unknown(draft.id, EXPIRED_MESSAGE, "KEY_EXPIRED")
            return SubmitResult(unknown, Outcome.UNKNOWN)
        done = self.outbox.mark_submitted(draft.id, match.order_id)
        return SubmitResult(done, Outcome.MATCHED, match)

    async def _orders_since(self, draft: Draft, pacer: Pacer | None) -> list[Order]:
        """The first pages of orders (newest first) from the UTC day of the first send."""
        since = draft.first_sent_at or draft.created_at
        orders: list[Order] = []
        for page in range(1, MATCH_PAGES + 1):
            if pacer is not None:
                await pacer.acquire()
            result = await self.client.list_orders(
                page=page, per_page=MATCH_PER_PAGE, date_from=since.astimezone(UTC).date()
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


def _key_expired(draft: Draft, now: datetime | None = None) -> bool:
    if draft.first_sent_at is None:
        return False
    return (now or datetime.now(UTC)) - draft.first_sent_at > KEY_SAFE_FOR


def _norm(text: str | None) -> str:
    return (text or "").strip().casefold()


def matches(fields: OrderFields, order: Order) -> bool:
    """Whether ``order`` carries everything these fields would send.

    Product, quantity and reference must be present and equal, and the shipping address
    (recipient, first line, postcode, country) too: an order missing any of them cannot be
    told apart from someone else's and never matches.
    """
    try:
        body = to_order_create(fields)
    except (ValidationError, ValueError):
        return False
    ship, theirs = body.shipping, order.shipping
    return (
        order.product_id == body.product_id
        and order.quantity == body.quantity
        and _norm(order.customer_reference) == _norm(body.customer_reference)
        and theirs is not None
        and _norm(theirs.name) == _norm(ship.name)
        and _norm(theirs.address_line1) == _norm(ship.address_line1)
        and _norm(theirs.postcode).replace(" ", "") == _norm(ship.postcode).replace(" ", "")
        and _norm(theirs.country) == _norm(ship.country)
    )


def find_match(draft: Draft, orders: Iterable[Order], claimed: set[str]) -> Order | None:
    """The oldest order created at or after the draft's first send that matches it.

    Orders already attached to another draft (``claimed``) are never taken, nor anything
    created before the first send: that order existed before this draft was ever sent.
    """
    if draft.first_sent_at is None:
        return None  # never sent: there is nothing to find
    candidates = [
        o
        for o in orders
        if o.order_id not in claimed
        and o.created_at >= draft.first_sent_at
        and matches(draft.fields, o)
    ]
    return min(candidates, key=lambda o: o.created_at) if candidates else None
