"""Export the Orders tab's current filtered list to CSV: every page, not just the visible one.

Pages are fetched with the tab's own filters, 100 a page, paced within the rate limit, and
written as they arrive to a temporary file beside the target, which replaces the target only
when every page is in (a cancelled or failed export leaves no half file behind).
"""

from __future__ import annotations

import contextlib
import csv
import math
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from nfctagify_desktop.api.client import PartnerClient
from nfctagify_desktop.api.models import Order, OrderQuery
from nfctagify_desktop.ordering.pacing import RatePacer

PER_PAGE = 100
CSV_COLUMNS: tuple[str, ...] = (
    "order_id",
    "created_at",
    "status",
    "product_id",
    "product_name",
    "quantity",
    "customer_reference",
    "recipient_name",
    "city",
    "region",
    "postcode",
    "country",
    "currency",
    "total",
)
#: A cell starting with one of these is a formula to a spreadsheet (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

#: progress(done, total or None)
Progress = Callable[[int, int | None], None]


def _cell(value: object) -> str:
    if value is None:
        return ""
    text = str(value)
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text


def order_row(order: Order) -> list[str]:
    """One CSV row, in :data:`CSV_COLUMNS` order."""
    ship = order.shipping
    product_name = order.product_name or (order.items[0].name if order.items else None)
    return [
        _cell(order.order_id),
        order.created_at.isoformat(),
        order.status_raw,
        _cell(order.product_id),
        _cell(product_name),
        "" if order.quantity is None else str(order.quantity),
        _cell(order.customer_reference),
        _cell(ship.name if ship else None),
        _cell(ship.city if ship else None),
        _cell(ship.region if ship else None),
        _cell(ship.postcode if ship else None),
        _cell(ship.country if ship else None),
        _cell(order.currency),
        "" if order.total is None else f"{order.total:.2f}",
    ]


class CsvSink:
    """Rows go to a temp file; :meth:`commit` moves it over ``path``, :meth:`discard` drops it.

    As a context manager: committed when the block ends, discarded if it raises (or is
    cancelled), so ``path`` only ever holds a whole export.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".part", dir=path.parent)
        self.tmp = Path(tmp)
        # utf-8-sig: Excel opens it with the right encoding (names such as "Zoë").
        self._fh = os.fdopen(fd, "w", encoding="utf-8-sig", newline="")
        self._writer = csv.writer(self._fh)
        self._writer.writerow(CSV_COLUMNS)
        self.rows = 0

    def write(self, orders: Iterable[Order]) -> None:
        for order in orders:
            self._writer.writerow(order_row(order))
            self.rows += 1

    def commit(self) -> None:
        self._fh.close()
        os.replace(self.tmp, self.path)

    def discard(self) -> None:
        self._fh.close()
        with contextlib.suppress(OSError):
            self.tmp.unlink()

    def __enter__(self) -> CsvSink:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        if kind is None:
            self.commit()
        else:
            self.discard()


async def export_orders(
    client: PartnerClient,
    query: OrderQuery,
    path: Path,
    *,
    progress: Progress | None = None,
    on_page: Callable[[list[Order]], object] | None = None,
    pacer: RatePacer | None = None,
) -> int:
    """Fetch every page of ``query`` (its page/per_page are ignored) into ``path``.

    Returns the number of rows written. ``on_page`` sees each page (the app stores it).
    Cancellation (the dialog's Cancel) and errors leave ``path`` untouched.
    """
    pacer = pacer or RatePacer.for_client(client)
    with CsvSink(path) as sink:
        page_no = 1
        total: int | None = None
        seen: set[str] = set()
        while True:
            await pacer.acquire()
            page = await client.list_orders(
                query.model_copy(update={"page": page_no, "per_page": PER_PAGE})
            )
            if on_page is not None:
                on_page(page.orders)
            # A new order arriving mid-export shifts pages by one: skip the repeat it causes.
            fresh = [o for o in page.orders if o.order_id not in seen]
            seen.update(o.order_id for o in fresh)
            sink.write(fresh)
            if page.pagination.total is not None:
                total = page.pagination.total
            if progress is not None:
                progress(sink.rows, total)
            pages = (
                page.pagination.total_pages
                if page.pagination.total_pages is not None
                else (math.ceil(total / PER_PAGE) if total is not None else None)
            )
            more = page_no < pages if pages is not None else len(page.orders) >= PER_PAGE
            if not more or not page.orders:
                break
            page_no += 1
    return sink.rows


def export_cached(orders: Iterable[Order], path: Path) -> int:
    """Write already-known orders (a search over the mirror) to ``path``."""
    with CsvSink(path) as sink:
        sink.write(orders)
    return sink.rows


__all__ = ["CSV_COLUMNS", "export_cached", "export_orders", "order_row"]
