"""One import from start to finish, the same for the dialog and the command line.

It owns the order of things: read the file; fetch what checking needs from the account
(catalogue, prices, orders placed today) once; map and check; plan; send. Each step can be
repeated on its own (another encoding, another sheet, an edited mapping) without refetching.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from nfctagify_desktop.api.client import PartnerClient
from nfctagify_desktop.api.errors import ApiError
from nfctagify_desktop.api.models import Order, PriceEntry, Product
from nfctagify_desktop.ordering.bulk.mapping import Mapping, MappingMemory, mapping_for
from nfctagify_desktop.ordering.bulk.plan import DEFAULT_PER_DAY, Limits, SendPlan, make_plan
from nfctagify_desktop.ordering.bulk.reader import read_file
from nfctagify_desktop.ordering.bulk.rows import (
    CheckedRow,
    check_rows,
    history_index,
    source_prefix,
)
from nfctagify_desktop.ordering.bulk.sender import (
    BulkSender,
    ProgressCallback,
    Summary,
    fast_clock_pacer,
)
from nfctagify_desktop.ordering.bulk.table import Table
from nfctagify_desktop.ordering.outbox import Draft, DraftState, Outbox
from nfctagify_desktop.ordering.pacing import DEFAULT_PER_MINUTE, RatePacer
from nfctagify_desktop.ordering.submit import OrderSubmitter
from nfctagify_desktop.store.account import AccountId

log = logging.getLogger("nfctagify.ordering.bulk")


def _price_of(product: Product) -> PriceEntry:
    return PriceEntry(
        product_id=product.product_id,
        name=product.name,
        currency=product.currency,
        price=product.price,
        min_quantity=product.min_quantity,
    )


class ImportSession:
    """An import of one file into one account.

    Args:
        account: the account the orders are for; drafts are bound to it and the idempotency
            keys derive from it, so the same file imported into another account is new there.
        memory: where confirmed mappings are remembered; None remembers nothing.
        per_day: the account's daily order limit (the API does not state it in headers).
        time_scale: > 1 only against a fast-clock sandbox (tests, benchmarks).
        pacer: the app's pacer for this client, shared with other sends; default a new one.
    """

    def __init__(
        self,
        client: PartnerClient,
        outbox: Outbox,
        account: AccountId,
        *,
        memory: MappingMemory | None = None,
        per_day: int = DEFAULT_PER_DAY,
        allow_repeats: bool = False,
        time_scale: float = 1.0,
        pacer: RatePacer | None = None,
    ) -> None:
        self.client = client
        self.outbox = outbox
        self.account = account
        self.memory = memory
        self.per_day = per_day
        self.allow_repeats = allow_repeats
        self.time_scale = time_scale
        self.table: Table | None = None
        self.mapping: Mapping | None = None
        self.rows: list[CheckedRow] = []
        self.catalogue: list[Product] | None = None
        self.prices: dict[str, PriceEntry] = {}
        self.used_today: int | None = None
        #: Orders placed before (e.g. from the account's order mirror), to flag repeats.
        self.history_orders: Sequence[Order] = ()
        self.sender: BulkSender | None = None
        self._pacer: RatePacer | None = pacer

    # -- steps --------------------------------------------------------------------------------

    def read(
        self, path: Path | str, *, encoding: str | None = None, sheet: str | None = None
    ) -> Table:
        """Read (or re-read with another encoding or sheet); raises BulkFileError."""
        return self.adopt(read_file(path, encoding=encoding, sheet=sheet))

    def adopt(self, table: Table) -> Table:
        """Use a table read elsewhere (e.g. in a worker thread); its mapping is recalled."""
        self.table = table
        self.mapping = mapping_for(table.headers, self.memory)
        return table

    async def load_account(self) -> None:
        """The catalogue, prices and today's order count (three requests, once, paced like
        the orders so a second import right after a large one waits instead of meeting 429s)."""
        pacer = self.pacer()
        await pacer.acquire()
        self.catalogue = await self.client.list_products()
        await pacer.acquire()
        try:
            self.prices = {p.product_id: p for p in await self.client.get_pricing()}
        except ApiError as exc:  # the totals then use the catalogue's prices
            log.warning("import: pricing not loaded: %s", exc)
            self.prices = {p.product_id: _price_of(p) for p in self.catalogue}
        today = datetime.now(UTC).date()
        await pacer.acquire()
        try:
            page = await self.client.list_orders(date_from=today, date_to=today, per_page=1)
        except ApiError as exc:  # only the "fits today" line needs it
            log.warning("import: today's orders not counted: %s", exc)
            self.used_today = None
        else:
            self.used_today = page.pagination.total

    def check(self, mapping: Mapping | None = None) -> list[CheckedRow]:
        """Check every row (with ``mapping`` when the user edited it)."""
        if self.table is None:
            raise RuntimeError("read a file first")
        if mapping is not None:
            self.mapping = mapping
        assert self.mapping is not None
        drafts = [
            d
            for d in self.outbox.in_state(self.account.profile, DraftState.SUBMITTED)
            if d.belongs_to(self.account)
        ]
        self.rows = check_rows(
            self.table,
            self.mapping,
            profile=self.account.key,
            catalogue=self.catalogue,
            placed=self._placed(self.table.name),
            history=history_index(self.history_orders, drafts),
            allow_repeats=self.allow_repeats,
        )
        return self.rows

    def limits(self) -> Limits:
        state = self.client.rate_limit
        return Limits(
            per_minute=(state.limit if state and state.limit else DEFAULT_PER_MINUTE),
            per_day=self.per_day,
            remaining_now=state.remaining if state else None,
            reset_in=state.seconds_until_reset() * self.time_scale if state else None,
            used_today=self.used_today,
        )

    def plan(self) -> SendPlan:
        return make_plan(self.rows, self.prices, self.limits())

    def sender_for(self, on_progress: ProgressCallback | None = None) -> BulkSender:
        """The sender for :meth:`send`; made first so a UI can pause or cancel it."""
        self.sender = BulkSender(
            OrderSubmitter(self.client, self.outbox, self.account.profile, account=self.account),
            self.outbox,
            self.pacer(),
            self.account,
            on_progress=on_progress,
            time_scale=self.time_scale,
        )
        return self.sender

    def pacer(self) -> RatePacer:
        """One pacer for every request of the session."""
        if self._pacer is None:
            self._pacer = (
                fast_clock_pacer(self.client, self.time_scale)
                if self.time_scale != 1.0
                else RatePacer.for_client(self.client)
            )
        return self._pacer

    async def send(self, on_progress: ProgressCallback | None = None) -> Summary:
        """Send the ready rows (only those that fit today), remembering the mapping used."""
        if self.memory is not None and self.mapping is not None:
            self.memory.remember(self.mapping)
        sender = self.sender if self.sender is not None else self.sender_for(on_progress)
        if on_progress is not None:
            sender.on_progress = on_progress
        return await sender.send(self.rows, limit=self.plan().fit_today)

    def _placed(self, file_name: str) -> dict[str, Draft]:
        found = self.outbox.by_source_prefix(self.account.profile, source_prefix(file_name))
        return {s: d for s, d in found.items() if d.belongs_to(self.account)}
