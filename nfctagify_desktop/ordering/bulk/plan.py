"""The sending plan shown before anything is sent: how many, what it costs, how long it takes.

The time estimate replays the client's own pacing (a sliding window of ``per_minute`` request
starts plus a safety margin; see ``ordering/pacing.py``) over the rows, starting from what the
server last said about the current window, so the estimate and the real send agree.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Final

from nfctagify_desktop.api.models import PriceEntry
from nfctagify_desktop.ordering.bulk.rows import CheckedRow, Verdict
from nfctagify_desktop.ordering.pacing import DEFAULT_PER_MINUTE, SAFETY_MARGIN, WINDOW_SECONDS
from nfctagify_desktop.ordering.validation import parse_quantity

#: The documented default of orders per UTC day (docs/api-assumptions.md point 4).
DEFAULT_PER_DAY: Final = 500
#: Assumed time of one POST on a normal connection, until the sender measures its own.
DEFAULT_LATENCY: Final = 0.15
_SYMBOLS: Final = {"GBP": "£", "EUR": "€", "USD": "$"}


@dataclass(frozen=True, slots=True)
class Limits:
    """The account's limits and what is already used of them.

    Attributes:
        remaining_now: ``X-RateLimit-Remaining`` from the last response, if any.
        reset_in: ``X-RateLimit-Reset`` (seconds until the server's window resets), if any.
        used_today: orders already placed today (UTC), if known.
    """

    per_minute: int = DEFAULT_PER_MINUTE
    per_day: int = DEFAULT_PER_DAY
    remaining_now: int | None = None
    reset_in: float | None = None
    used_today: int | None = None
    window: float = WINDOW_SECONDS
    margin: float = SAFETY_MARGIN


def finish_in(
    n: int,
    *,
    per_minute: int,
    window: float = WINDOW_SECONDS,
    margin: float = SAFETY_MARGIN,
    latency: float = DEFAULT_LATENCY,
    starts_ago: Iterable[float] = (),
    blocked_for: float = 0.0,
) -> float:
    """Seconds until ``n`` more requests have finished, paced as ``RatePacer`` paces them.

    Args:
        starts_ago: how long ago each request still inside the window started.
        blocked_for: a wait already known before the first one may start.
    """
    if n <= 0:
        return 0.0
    per_minute = max(1, per_minute)
    starts = sorted(-a for a in starts_ago)[-per_minute:]
    t = max(0.0, blocked_for)
    for _ in range(n):
        if len(starts) >= per_minute:
            t = max(t, starts[-per_minute] + window + margin)
        starts.append(t)
        t += latency
    return t


def _starts_from_server(limits: Limits) -> list[float]:
    """Requests the server already counted in its current window, as if made at its start."""
    if limits.remaining_now is None or limits.reset_in is None:
        return []
    used = max(0, limits.per_minute - limits.remaining_now)
    return [max(0.0, limits.window - limits.reset_in)] * used


@dataclass(frozen=True)
class SendPlan:
    """What confirming will do.

    Attributes:
        totals / standard_totals: currency -> amount at the account's and the published prices.
        unpriced: rows whose product has no known price (left out of the totals).
        fit_today: how many orders the daily limit still allows today; ``later`` the rest.
        eta_seconds: time to send the ``fit_today`` orders.
        next_day: when the daily limit resets (midnight UTC).
    """

    count: int
    cards: int
    totals: dict[str, Decimal]
    standard_totals: dict[str, Decimal]
    unpriced: int
    fit_today: int
    later: int
    eta_seconds: float
    limits: Limits
    next_day: datetime
    skipped: dict[Verdict, int] = field(default_factory=dict)

    @property
    def standard_differs(self) -> bool:
        return self.standard_totals != self.totals

    def lines(self) -> list[str]:
        """The plan in words, the same in the dialog and on the command line."""
        out = [f"{self.count:,} order(s), {self.cards:,} cards"]
        if self.totals:
            total = ", ".join(money(v, c) for c, v in sorted(self.totals.items()))
            line = f"Total at your prices: {total}"
            if self.standard_differs:
                std = ", ".join(money(v, c) for c, v in sorted(self.standard_totals.items()))
                line += f" (at standard prices: {std})"
            out.append(line)
        if self.unpriced:
            out.append(f"{self.unpriced} order(s) have no known price and are not in the total")
        lim = self.limits
        out.append(
            f"Sending takes about {duration(self.eta_seconds)} "
            f"(limit: {lim.per_minute} requests per minute, {lim.per_day} orders per day)"
        )
        if self.later:
            used = f", {lim.used_today} already placed today" if lim.used_today else ""
            local = self.next_day.astimezone().strftime("%H:%M")
            out.append(
                f"Only {self.fit_today:,} fit today's limit{used}: the other {self.later:,} "
                f"stay in the Outbox, to send after midnight UTC ({local} your time)"
            )
        return out


def money(amount: Decimal, currency: str) -> str:
    symbol = _SYMBOLS.get(currency)
    text = f"{amount:,.2f}"
    return f"{symbol}{text}" if symbol else f"{text} {currency}"


def duration(seconds: float) -> str:
    """``"4 min 5 s"``, ``"12 s"``, ``"1 h 2 min"``: an estimate, so no false precision."""
    s = max(0, math.ceil(seconds))
    if s < 60:
        return f"{s} s"
    if s < 3600:
        return f"{s // 60} min {s % 60} s" if s % 60 else f"{s // 60} min"
    return f"{s // 3600} h {s % 3600 // 60} min"


def make_plan(
    rows: Sequence[CheckedRow],
    prices: Mapping[str, PriceEntry],
    limits: Limits,
    *,
    now: datetime | None = None,
    latency: float = DEFAULT_LATENCY,
) -> SendPlan:
    """The plan for the ``ready`` rows of ``rows``."""
    now = (now or datetime.now(UTC)).astimezone(UTC)
    ready = [r for r in rows if r.verdict is Verdict.READY]
    skipped = {v: sum(1 for r in rows if r.verdict is v) for v in (Verdict.INVALID, Verdict.PLACED)}
    totals: dict[str, Decimal] = {}
    standard: dict[str, Decimal] = {}
    unpriced = 0
    cards = 0
    for r in ready:
        qty = parse_quantity(r.fields.quantity) or 0
        cards += qty
        entry = prices.get(r.fields.product_id)
        if entry is None:
            unpriced += 1
            continue
        totals[entry.currency] = totals.get(entry.currency, Decimal(0)) + entry.price * qty
        std = entry.standard_price if entry.standard_price is not None else entry.price
        standard[entry.currency] = standard.get(entry.currency, Decimal(0)) + std * qty
    left_today = limits.per_day - (limits.used_today or 0)
    fit = max(0, min(len(ready), left_today))
    eta = finish_in(
        fit,
        per_minute=limits.per_minute,
        window=limits.window,
        margin=limits.margin,
        latency=latency,
        starts_ago=_starts_from_server(limits),
    )
    midnight = datetime(now.year, now.month, now.day, tzinfo=UTC) + timedelta(days=1)
    return SendPlan(
        count=len(ready),
        cards=cards,
        totals=totals,
        standard_totals=standard,
        unpriced=unpriced,
        fit_today=fit,
        later=len(ready) - fit,
        eta_seconds=eta,
        limits=limits,
        next_day=midnight,
        skipped=skipped,
    )
