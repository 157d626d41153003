"""Send the ready rows of an import: paced, pausable, idempotent, never silent.

Every ready row is saved in the outbox (with its content-derived idempotency key) before the
first request, so cancelling, a crash or the daily limit leaves the rest as drafts to send
later, and importing the same file again finds each placed row instead of placing it twice.
Waits for the rate limit are announced with the time sending resumes; Pause, Resume and Cancel
act between orders (an order in flight is always finished, so none is left in doubt).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Final

from nfctagify_desktop.api.client import PartnerClient, RateLimitState
from nfctagify_desktop.ordering.bulk.plan import DEFAULT_LATENCY, duration, finish_in
from nfctagify_desktop.ordering.bulk.rows import CheckedRow, Verdict
from nfctagify_desktop.ordering.outbox import Draft, DraftState, Outbox
from nfctagify_desktop.ordering.pacing import RatePacer
from nfctagify_desktop.ordering.submit import OrderSubmitter, SubmitResult
from nfctagify_desktop.store.account import AccountId

#: Stop after this many orders in a row whose fate is unknown (the server is not answering).
MAX_UNKNOWN_STREAK: Final = 3
#: Per order, how often to wait and resend after a 429 the client's own retries did not absorb.
MAX_RATE_LIMIT_ROUNDS: Final = 5
#: Waits shorter than this are not announced (they are the normal spacing of requests).
ANNOUNCE_WAIT: Final = 0.5


class Outcome(StrEnum):
    PLACED = "placed"
    ALREADY_PLACED = "already_placed"
    REFUSED = "refused"
    INVALID = "invalid"
    UNKNOWN = "unknown"
    NOT_SENT = "not_sent"


@dataclass(frozen=True, slots=True)
class RowOutcome:
    row: CheckedRow
    outcome: Outcome
    message: str
    order_id: str | None = None

    @property
    def rejected(self) -> bool:
        """The row needs fixing (or sending later) and belongs in the rejected-rows file."""
        return self.outcome not in (Outcome.PLACED, Outcome.ALREADY_PLACED)


@dataclass(frozen=True, slots=True)
class Progress:
    """One moment of a send, for a progress bar and its status line.

    Attributes:
        waiting_until: local time sending resumes, while waiting for the rate limit.
    """

    done: int
    total: int
    placed: int
    refused: int
    eta_seconds: float
    waiting_until: datetime | None = None
    paused: bool = False
    #: The row just finished, if this moment is the end of one.
    outcome: RowOutcome | None = None

    def text(self) -> str:
        head = f"{self.done:,} of {self.total:,} sent · {self.placed:,} placed"
        if self.refused:
            head += f" · {self.refused:,} refused"
        if self.paused:
            return head + " · paused"
        if self.waiting_until is not None:
            return (
                f"{head} · waiting for the rate limit — resumes at {self.waiting_until:%H:%M:%S}"
                f" · about {duration(self.eta_seconds)} left"
            )
        if self.done >= self.total:
            return head
        return f"{head} · about {duration(self.eta_seconds)} left"


@dataclass(frozen=True)
class Summary:
    outcomes: list[RowOutcome]
    cancelled: bool
    stop_reason: str | None
    elapsed: float

    def count(self, outcome: Outcome) -> int:
        return sum(1 for o in self.outcomes if o.outcome is outcome)

    @property
    def rejected(self) -> list[RowOutcome]:
        return [o for o in self.outcomes if o.rejected]

    def lines(self) -> list[str]:
        out = [f"{self.count(Outcome.PLACED):,} order(s) placed in {duration(self.elapsed)}"]
        if n := self.count(Outcome.ALREADY_PLACED):
            out.append(f"{n:,} were already placed by an earlier import (nothing sent)")
        if n := self.count(Outcome.REFUSED):
            out.append(f"{n:,} refused by the server")
        if n := self.count(Outcome.INVALID):
            out.append(f"{n:,} not sent: problems in the file")
        if n := self.count(Outcome.UNKNOWN):
            out.append(f"{n:,} in doubt: kept in the Outbox, where sending again is safe")
        if n := self.count(Outcome.NOT_SENT):
            why = "cancelled" if self.cancelled else (self.stop_reason or "not sent")
            out.append(f"{n:,} not sent ({why}): kept in the Outbox as drafts")
        return out


ProgressCallback = Callable[[Progress], None]


class BulkSender:
    """Sends checked rows through an :class:`OrderSubmitter` and a :class:`RatePacer`.

    Args:
        time_scale: > 1 only against a fast-clock sandbox (tests, benchmarks): the pacer then
            counts in fast seconds, and real waits are that much shorter.
    """

    def __init__(
        self,
        submitter: OrderSubmitter,
        outbox: Outbox,
        pacer: RatePacer,
        account: AccountId,
        *,
        on_progress: ProgressCallback | None = None,
        time_scale: float = 1.0,
    ) -> None:
        self.submitter = submitter
        self.outbox = outbox
        self.pacer = pacer
        self.account = account
        self.on_progress = on_progress
        self.time_scale = time_scale
        self._running = asyncio.Event()
        self._running.set()
        self._wake = asyncio.Event()
        self._cancelled = False
        self._latency = DEFAULT_LATENCY * time_scale
        self._done = self._total = self._placed = self._refused = 0

    # -- control (from the UI or a signal handler) ------------------------------------------

    def pause(self) -> None:
        self._running.clear()
        self._wake.set()

    def resume(self) -> None:
        self._running.set()
        self._wake.set()

    def cancel(self) -> None:
        """Stop before the next order; the order in flight, if any, is finished first."""
        self._cancelled = True
        self._running.set()
        self._wake.set()

    @property
    def paused(self) -> bool:
        return not self._running.is_set()

    # -- sending -----------------------------------------------------------------------------

    async def send(self, rows: Sequence[CheckedRow], *, limit: int | None = None) -> Summary:
        """Send every ready row; one :class:`RowOutcome` per row, in file order.

        ``limit``: send at most this many (what fits today's order limit); the rest are saved
        in the outbox as drafts and reported as not sent.
        """
        started = time.monotonic()
        outcomes: dict[int, RowOutcome] = {}
        queue: list[tuple[int, CheckedRow, Draft]] = []
        for i, row in enumerate(rows):
            if row.verdict is Verdict.INVALID:
                outcomes[i] = RowOutcome(row, Outcome.INVALID, row.message)
            elif row.placed is not None:
                outcomes[i] = RowOutcome(
                    row, Outcome.ALREADY_PLACED, row.message, row.placed.order_id
                )
            else:
                queue.append((i, row, self._stage(row)))
        self._total = len(queue) if limit is None else min(len(queue), max(0, limit))
        self._emit()
        stop_reason: str | None = None
        unknown_streak = 0
        for i, row, draft in queue:
            if stop_reason is None and limit is not None and self._done >= limit:
                stop_reason = "does not fit today's order limit; send it after midnight UTC"
            if stop_reason is None:
                await self._gate()
            if stop_reason is not None or self._cancelled:
                why = "cancelled" if self._cancelled else stop_reason
                outcomes[i] = RowOutcome(row, Outcome.NOT_SENT, f"Not sent ({why}); in the Outbox")
                continue
            res = await self._submit(draft)
            code = res.draft.error_code
            if res.state is DraftState.DRAFT and code == "DAILY_ORDER_LIMIT":
                stop_reason = "the daily order limit is reached"
                outcomes[i] = RowOutcome(row, Outcome.NOT_SENT, f"Not sent ({stop_reason})")
                continue
            outcome = _outcome(row, res)
            outcomes[i] = outcome
            self._done += 1
            self._placed += outcome.outcome is Outcome.PLACED
            self._refused += outcome.outcome is Outcome.REFUSED
            unknown_streak = unknown_streak + 1 if outcome.outcome is Outcome.UNKNOWN else 0
            if res.state is DraftState.FAILED and code in ("UNAUTHORIZED", "FORBIDDEN"):
                stop_reason = res.draft.last_error or code.lower()
            elif unknown_streak >= MAX_UNKNOWN_STREAK:
                stop_reason = "the server is not answering"
            self._emit(outcome=outcome)
        return Summary(
            [outcomes[i] for i in range(len(rows))],
            self._cancelled,
            stop_reason,
            time.monotonic() - started,
        )

    def _stage(self, row: CheckedRow) -> Draft:
        """The row's draft, saved before anything is sent (an earlier attempt's is reused)."""
        existing = self.outbox.find_by_source(self.account.profile, row.source)
        for d in existing:
            if d.idempotency_key == row.key and d.state is not DraftState.SUBMITTED:
                return d
        return self.outbox.save(
            Draft(
                profile=self.account.profile,
                base_url=self.account.base_url,
                fields=row.fields,
                idempotency_key=row.key,
                source=row.source,
            )
        )

    async def _submit(self, draft: Draft) -> SubmitResult:
        began = time.monotonic()
        res = await self.submitter.submit(draft.id, pacer=self.pacer)
        rounds = 0
        while (
            res.state is DraftState.DRAFT
            and res.draft.error_code == "RATE_LIMITED"
            and rounds < MAX_RATE_LIMIT_ROUNDS
        ):
            rounds += 1
            self._wake.clear()
            await self._wait(res.retry_after or 1.0)
            res = await self.submitter.submit(draft.id, pacer=self.pacer)
        spent = (time.monotonic() - began) * self.time_scale
        self._latency = 0.7 * self._latency + 0.3 * min(spent, 5.0 * self.time_scale)
        return res

    async def _gate(self) -> None:
        """Hold the next order while paused or while the rate limit says wait, visibly.

        Returns at once when cancelled; the caller checks.
        """
        while True:
            self._wake.clear()  # before announcing: a callback may pause or cancel at once
            if self._cancelled:
                return
            if not self._running.is_set():
                self._emit(paused=True)
                if not self._running.is_set() and not self._cancelled:
                    await self._wake.wait()
                continue
            delay = self.pacer.delay()
            if delay <= 0:
                return
            if delay >= ANNOUNCE_WAIT * self.time_scale:
                real = delay / self.time_scale
                self._emit(waiting_until=datetime.now().astimezone() + timedelta(seconds=real))
            await self._wait(delay)

    async def _wait(self, seconds: float) -> None:
        """Sleep ``seconds`` (pacer time), waking early for Pause or Cancel."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), timeout=seconds / self.time_scale)

    def _emit(
        self,
        *,
        waiting_until: datetime | None = None,
        paused: bool = False,
        outcome: RowOutcome | None = None,
    ) -> None:
        if self.on_progress is None:
            return
        left = self._total - self._done
        eta = finish_in(
            left,
            per_minute=self.pacer.per_minute,
            window=self.pacer.window,
            margin=self.pacer.margin,
            latency=self._latency,
            starts_ago=self.pacer.starts_ago(),
            blocked_for=self.pacer.delay(),
        )
        self.on_progress(
            Progress(
                self._done,
                self._total,
                self._placed,
                self._refused,
                eta / self.time_scale,
                waiting_until,
                paused,
                outcome,
            )
        )


def _outcome(row: CheckedRow, res: SubmitResult) -> RowOutcome:
    d = res.draft
    if d.state is DraftState.SUBMITTED:
        how = " (found among existing orders)" if res.reconciled else ""
        return RowOutcome(row, Outcome.PLACED, f"Placed {d.order_id}{how}", d.order_id)
    if d.state is DraftState.FAILED:
        return RowOutcome(row, Outcome.REFUSED, d.last_error or "Refused by the server")
    if d.state is DraftState.UNKNOWN:
        return RowOutcome(row, Outcome.UNKNOWN, d.last_error or "In doubt")
    return RowOutcome(row, Outcome.NOT_SENT, d.last_error or "Not sent; kept as a draft")


def fast_clock_pacer(client: PartnerClient, time_scale: float) -> RatePacer:
    """A pacer for a sandbox whose rate-limit minute runs ``time_scale`` times faster.

    Everything the pacer sees (its clock, the server's X-RateLimit-* state) is in the same
    fast seconds, so its arithmetic is exactly that of a real-time send.
    """

    def state() -> RateLimitState | None:
        s = client.rate_limit
        if s is None:
            return None
        return RateLimitState(s.limit, s.remaining, s.reset_seconds, s.observed_at * time_scale)

    async def sleep(seconds: float) -> None:
        await asyncio.sleep(seconds / time_scale)

    return RatePacer(state, clock=lambda: time.monotonic() * time_scale, sleep=sleep)
