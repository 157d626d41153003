"""Event-loop responsiveness: gaps between 1 ms QTimer ticks while the app's client works.

On an offscreen QApplication with the app's qasync loop, a precise 1 ms QTimer records the time
between its ticks (a gap is how long the window could not repaint or react) in three phases:

- ``idle``: nothing else running (the floor of this loop on this machine);
- ``concurrent_calls``: ``--calls`` API calls at once through the app's PartnerClient (half
  ``list_orders(per_page=100)``, half ``get_order``), awaited with ``asyncio.gather``;
- ``bulk_import``: the ordering package's bulk import (``ImportSession``: read, check, send through
  the outbox, OrderSubmitter and RatePacer) of ``--rows`` rows.

The sandbox is a separate process (its CPU never shares this process's GIL), with the rate
limit and the daily order cap off. Targets: max gap <= 50 ms, p99 <= 16 ms.

Run ``python -m benchmarks.bench_loop [--calls 50] [--rows 50]``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks import TickRecorder, emit, ms, run_qt, sandbox_process, seed_database
from benchmarks.bench_bulk import excel_file


async def _measure(base_url: str, api_key: str, calls: int, rows: int, tmp: Path) -> dict[str, Any]:
    from nfctagify_desktop.api.client import PartnerClient
    from nfctagify_desktop.ordering.bulk import Outcome
    from nfctagify_desktop.ordering.bulk.session import ImportSession
    from nfctagify_desktop.ordering.outbox import Outbox
    from nfctagify_desktop.store.account import AccountId

    recorder = TickRecorder()
    out: dict[str, Any] = {}
    async with PartnerClient(base_url, api_key) as client:
        first = await client.list_orders(per_page=100)  # warm-up: connection, lazy imports
        order_id = first.orders[0].order_id

        with recorder:
            await asyncio.sleep(0.5)
        out["idle"] = recorder.summary()

        def call(i: int) -> Any:
            return client.list_orders(per_page=100) if i % 2 else client.get_order(order_id)

        with recorder:
            await asyncio.sleep(0.05)
            started = time.perf_counter()
            await asyncio.gather(*(call(i) for i in range(calls)))
            elapsed = time.perf_counter() - started
        out["concurrent_calls"] = {"calls": calls, "elapsed_ms": ms(elapsed), **recorder.summary()}

        csv_path = tmp / "bulk.csv"
        csv_path.write_bytes(excel_file(rows, prefix="LOOP"))
        outbox = Outbox(tmp / "outbox.sqlite3")
        try:
            with recorder:
                await asyncio.sleep(0.05)
                started = time.perf_counter()
                session = ImportSession(client, outbox, AccountId("bench", base_url))
                session.read(csv_path)
                await session.load_account()
                session.check()
                summary = await session.send()
                elapsed = time.perf_counter() - started
        finally:
            outbox.close()
        submitted = summary.count(Outcome.PLACED)
        out["bulk_import"] = {
            "rows": rows,
            "submitted": submitted,
            "elapsed_ms": ms(elapsed),
            **recorder.summary(),
        }
    phases = ("concurrent_calls", "bulk_import")
    out["worst_max_gap_ms"] = max(out[p]["max_gap_ms"] for p in phases)
    out["worst_p99_gap_ms"] = max(out[p]["p99_gap_ms"] for p in phases)
    return out


def run(calls: int = 50, rows: int = 50, orders: int = 1000) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="nfc-bench-loop-") as tmp:
        tmp_path = Path(tmp)
        os.environ["NFCTAGIFY_HOME"] = str(tmp_path / "home")
        db = tmp_path / "sandbox.sqlite3"
        seed_database(db, orders)
        with sandbox_process(db, rate_limit=0, orders_per_day=0) as sandbox:
            result = run_qt(
                lambda: _measure(sandbox.base_url, sandbox.api_key, calls, rows, tmp_path)
            )
    return {"calls": calls, "rows": rows, **result}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--calls", type=int, default=50)
    parser.add_argument("--rows", type=int, default=50)
    parser.add_argument("--json", action="store_true", help="one JSON line (for the runner)")
    args = parser.parse_args()
    emit(run(args.calls, args.rows), args.json)


if __name__ == "__main__":
    main()
