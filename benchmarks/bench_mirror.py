"""The local mirror: a full sync of a big account, then the list's actions painted from it.

1. **Full sync** of ``--orders`` orders from the sandbox (a separate process, no rate limit) by
   the app's :class:`SyncEngine` on the app's qasync loop, while a 1 ms precise QTimer records
   the loop's gaps (the sync runs flat out here: the hardest case for the loop).
   The rate limiter is *modelled*: the engine's :class:`RatePacer` runs on a virtual clock
   that only its own waits move forward, with the limit ``--limit`` per minute minus the
   user's reserve (``RESERVE``). The modelled duration is the virtual time at which the last
   request may start. The minimum any client could reach is ``ceil(orders / 100)`` list
   requests (100 is the API's maximum page) at ``limit - reserve`` per minute:
   ``floor((requests - 1) / budget) * 60`` seconds. The ratio of the two is the target.
2. **Painted actions** on the mirror, with a real QTableView over ``MirrorOrdersModel``
   (offscreen): next page, sort by every column (both ways), every status filter and searches
   taken from the data (part of an order id, a reference, a surname, a city, a postcode's
   outward code, two words, a whole id). Each sample is ``mirror.page(query)`` +
   ``model.set_rows`` + the posted events (the view's layout and its paint): what the user
   waits for after a click.

Run ``python -m benchmarks.bench_mirror [--orders 100000] [--limit 60]``.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks import TickRecorder, emit, ms, run_qt, sandbox_process, seed_database

#: How many searches, drawn from the mirrored orders themselves (see ``_searches``).
SEARCH_SAMPLES = 7


class ModelClock:
    """Virtual seconds for the pacer: only its waits move time forward."""

    def __init__(self) -> None:
        self.now = 0.0

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds
        await asyncio.sleep(0)


def _painted(samples: list[float]) -> dict[str, float]:
    return {
        "n": len(samples),
        "median_ms": round(statistics.median(samples), 2),
        "max_ms": round(max(samples), 2),
    }


async def _sync(base_url: str, api_key: str, tmp: Path, limit: int) -> tuple[Any, dict[str, Any]]:
    import gc

    from nfctagify_desktop.api.client import PartnerClient
    from nfctagify_desktop.ordering.pacing import RatePacer
    from nfctagify_desktop.ordering.sync import PER_PAGE, RESERVE, SyncEngine
    from nfctagify_desktop.store.mirror import OrderMirror

    gc.freeze()  # as app.py does once the window and services are built
    model = ModelClock()
    budget = limit - RESERVE
    pacer = RatePacer(per_minute=budget, clock=model.clock, sleep=model.sleep)
    mirror = OrderMirror(tmp / "mirror.sqlite3", "bench")
    recorder = TickRecorder()
    async with PartnerClient(base_url, api_key) as client:
        engine = SyncEngine(mirror, client, pacer=pacer)
        with recorder:
            started = time.perf_counter()
            await engine.sync_once()
            while not await engine.backfill_page():
                pass
            wall = time.perf_counter() - started
        total = mirror.state().server_total or 0
    needed = math.ceil(total / PER_PAGE)
    minimum = math.floor((needed - 1) / budget) * 60.0
    modelled = model.now
    return mirror, {
        "orders": total,
        "mirrored": mirror.count(),
        "requests": engine.requests,
        "minimum_requests": needed,
        "limit_per_minute": limit,
        "reserve": RESERVE,
        "modelled_s": round(modelled, 1),
        "minimum_s": round(minimum, 1),
        "vs_minimum": round(modelled / minimum, 4) if minimum else None,
        "wall_s_unpaced": round(wall, 1),
        "loop": recorder.summary(),
    }


def _searches(mirror: Any) -> list[str]:
    """What people type to find an order: part of its id, its reference, the recipient's
    surname, a city, a postcode's outward code, and two words together; taken from orders
    spread over the whole history (so the terms exist, and vary with the data)."""
    from nfctagify_desktop.store.mirror import MirrorQuery

    total = mirror.total(MirrorQuery())
    picks = [
        mirror.rows(MirrorQuery(page=1 + n * max(1, total // SEARCH_SAMPLES) // 10, per_page=10))
        for n in range(SEARCH_SAMPLES)
    ]
    rows = [page[0] for page in picks if page]
    terms: list[str] = []
    for n, row in enumerate(rows):
        surname = row.recipient.split()[-1] if row.recipient else row.city
        choice = (
            row.order_id[-6:],
            row.reference or row.order_id,
            surname,
            row.city,
            row.postcode.split()[0] if row.postcode else row.city,
            f"{surname} {row.city}",
            row.order_id,
        )[n % 7]
        terms.append(choice)
    return terms


async def _actions(mirror: Any) -> dict[str, Any]:
    from PySide6.QtWidgets import QApplication, QTableView

    from nfctagify_desktop.order_status import KNOWN_STATUSES
    from nfctagify_desktop.store.mirror import MirrorQuery
    from nfctagify_desktop.ui.models.mirror_orders_model import MirrorOrdersModel

    model = MirrorOrdersModel()
    view = QTableView()
    view.setModel(model)
    view.resize(1100, 700)
    view.show()
    QApplication.processEvents()  # exposed: from now on a paint really draws

    def show(query: MirrorQuery) -> float:
        started = time.perf_counter()
        page = mirror.page(query)
        model.set_rows(page.rows)
        QApplication.processEvents()  # the view's layout and one paint, as the loop does
        return ms(time.perf_counter() - started)

    base = MirrorQuery(per_page=100)
    show(base)  # warm-up: first paint of the view, SQLite page cache
    out: dict[str, Any] = {}
    out["next_page"] = _painted([show(base.with_(page=p)) for p in range(2, 52)])
    out["sort"] = _painted(
        [
            show(base.with_(sort=key, descending=d, page=p))
            for key in MirrorOrdersModel.SORT_KEYS
            for d in (False, True)
            for p in (1, 7)
        ]
    )
    out["status_filter"] = _painted(
        [show(base.with_(status=s.value, page=p)) for s in KNOWN_STATUSES for p in (1, 3)]
    )
    terms = _searches(mirror)
    out["search_terms"] = terms
    out["search"] = _painted([show(base.with_(search=t)) for t in terms for _ in range(3)])
    every = [v for k in ("next_page", "sort", "status_filter", "search") for v in [out[k]]]
    out["all_median_ms"] = max(v["median_ms"] for v in every)
    out["all_max_ms"] = max(v["max_ms"] for v in every)
    view.close()
    return out


async def _measure(base_url: str, api_key: str, tmp: Path, limit: int) -> dict[str, Any]:
    mirror, sync = await _sync(base_url, api_key, tmp, limit)
    try:
        actions = await _actions(mirror)
    finally:
        mirror.close()
    return {"sync": sync, "actions": actions}


def run(orders: int, limit: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench-mirror-") as tmp_name:
        tmp = Path(tmp_name)
        db = tmp / "sandbox.sqlite3"
        seed_database(db, orders)
        with sandbox_process(db) as sb:
            return run_qt(lambda: _measure(sb.base_url, sb.api_key, tmp, limit))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--limit", type=int, default=60, help="modelled requests per minute")
    parser.add_argument("--json", action="store_true", help="one JSON line (for the runner)")
    args = parser.parse_args()
    emit(run(args.orders, args.limit), args.json)


if __name__ == "__main__":
    main()
