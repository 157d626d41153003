"""Bulk import from files (``ordering/bulk``): parse + check speed, and a send's total time.

1. **Parse and check 50,000 rows** (target < 2 s): a Windows-1252, semicolon-separated file as
   Excel writes it (so encoding detection runs), read, mapped and every row checked with the
   catalogue (the shared ``validate_order``, per-country rules included). Median of 3 runs, with
   a same-run floor: ``csv.reader`` alone over the decoded text.
2. **Send 300 rows at 60 requests per minute** (target: within 5 % of the theoretical minimum).
   Everything an import does, through :class:`ImportSession` against the real sandbox over
   loopback: three reads (catalogue, prices, today's orders), then 300 POSTs. The server's
   limit is a fixed one-minute window, so ``R`` requests at ``L`` per minute cannot finish
   sooner than ``((R - 1) // L) * 60`` s after the first one starts (the first ``L`` go at
   once, each further ``L`` wait for a new window). To keep the benchmark short the sandbox's
   rate-limit minute runs ``--time-scale`` times faster than real time (default 20: a minute
   is 3 s) and the client paces on the same fast clock (``fast_clock_pacer``), so all
   arithmetic is that of a real-time send; the elapsed time is reported in those fast seconds
   (real seconds x scale). ``--time-scale 1`` runs it in real time (about 5 minutes).
   Also reports the plan's estimate against the real time, 429s on the wire (must be 0),
   and a second import of the same file (must place nothing).

Run ``python benchmarks/bench_bulk.py [--rows 50000] [--send 300] [--time-scale 20]``.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import emit
from nfctagify_desktop.api.client import PartnerClient
from nfctagify_desktop.api.models import Product
from nfctagify_desktop.ordering.bulk import Outcome, check_rows, guess_mapping, read_bytes
from nfctagify_desktop.ordering.bulk.session import ImportSession
from nfctagify_desktop.ordering.outbox import Outbox
from nfctagify_desktop.sandbox.server import SandboxServer
from nfctagify_desktop.store.account import AccountId

POSTCODES = ("EC1A 1BB", "M1 1AE", "B33 8TH", "LS1 4AP", "SW1A 2AA")
CATALOGUE = [
    Product(product_id="prod_standard", name="NFC Business Card — Standard", price=3.5),  # type: ignore[arg-type]
    Product(product_id="prod_premium_metal", name="Metal", price=24, min_quantity=10),  # type: ignore[arg-type]
]


def excel_file(rows: int, prefix: str = "PO") -> bytes:
    """``rows`` orders as Excel's plain "CSV" on a European Windows machine writes them."""
    lines = ["Product;Qty;Reference;Name;Address Line 1;Town;Post Code;Country"]
    for i in range(rows):
        lines.append(
            f"prod_standard;{10 + i % 240};{prefix}-{i:06d};Zoë Brontë {i};{i + 1} High Street;"
            f"London;{POSTCODES[i % len(POSTCODES)]};GB"
        )
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


def parse_check(rows: int, runs: int = 3) -> dict[str, Any]:
    data = excel_file(rows)
    times, cpus, floors = [], [], []
    ready = 0
    for _ in range(runs):
        started, cpu = time.perf_counter(), time.process_time()
        table = read_bytes(data, name="bench.csv")
        checked = check_rows(
            table, guess_mapping(table.headers), profile="bench", catalogue=CATALOGUE
        )
        times.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu)
        ready = sum(1 for r in checked if not r.errors)
        started = time.perf_counter()
        text = data.decode("cp1252")
        sum(1 for _ in csv.reader(io.StringIO(text, newline=""), delimiter=";"))
        floors.append(time.perf_counter() - started)
    median, floor = statistics.median(times), statistics.median(floors)
    return {
        "rows": rows,
        "bytes": len(data),
        "encoding": table.encoding,
        "ready_rows": ready,
        "parse_check_s": round(median, 3),
        # CPU time of this process: what the code costs, whatever else the machine is doing.
        "parse_check_cpu_s": round(statistics.median(cpus), 3),
        "csv_reader_floor_s": round(floor, 3),
        "ratio_to_floor": round(median / floor, 1),
    }


class Counting(httpx.AsyncBaseTransport):
    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.requests = 0
        self.status_429 = 0
        self.first_at: float | None = None

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.first_at is None:
            self.first_at = time.perf_counter()
        response = await self.inner.handle_async_request(request)
        self.requests += 1
        self.status_429 += response.status_code == 429
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


async def _import(
    server: SandboxServer, outbox: Outbox, path: Path, scale: float, transport: Counting
) -> tuple[Any, Any, float]:
    account = AccountId("bench", server.base_url)
    async with PartnerClient(server.base_url, server.demo_api_key, transport=transport) as client:
        session = ImportSession(client, outbox, account, time_scale=scale)
        session.read(path)
        await session.load_account()
        session.check()
        plan = session.plan()
        summary = await session.send()
        return plan, summary, time.perf_counter()


def send(rows: int, per_minute: int, scale: float) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="nfctagify-bench-bulk-") as tmp:
        path = Path(tmp) / "orders.csv"
        path.write_bytes(excel_file(rows, prefix="SEND"))
        server = SandboxServer(
            Path(tmp) / "sb.sqlite3",
            rate_limit_per_minute=per_minute,
            orders_per_day=rows * 2,
            time_scale=scale,
        )
        server.start()
        outbox = Outbox(Path(tmp) / "outbox.sqlite3")
        try:
            before = server.order_count()
            transport = Counting()
            plan, summary, ended = asyncio.run(_import(server, outbox, path, scale, transport))
            assert transport.first_at is not None
            elapsed = (ended - transport.first_at) * scale
            requests = transport.requests
            again = Counting()
            _plan2, summary2, _ = asyncio.run(_import(server, outbox, path, scale, again))
            created = server.order_count() - before
        finally:
            outbox.close()
            server.close()
    floor = ((requests - 1) // per_minute) * 60.0
    return {
        "rows": rows,
        "per_minute": per_minute,
        "time_scale": scale,
        "requests": requests,
        "elapsed_s": round(elapsed, 2),
        "theoretical_min_s": floor,
        "ratio": round(elapsed / floor, 4) if floor else None,
        "plan_estimate_s": round(plan.eta_seconds, 1),
        "placed": summary.count(Outcome.PLACED),
        "status_429": transport.status_429,
        "reimport_placed": summary2.count(Outcome.PLACED),
        "reimport_already_placed": summary2.count(Outcome.ALREADY_PLACED),
        "orders_created": created,
    }


def run(
    rows: int = 50_000, send_rows: int = 300, per_minute: int = 60, scale: float = 20.0
) -> dict[str, Any]:
    return {"parse_check": parse_check(rows), "send": send(send_rows, per_minute, scale)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--send", type=int, default=300)
    parser.add_argument("--per-minute", type=int, default=60)
    parser.add_argument("--time-scale", type=float, default=20.0)
    parser.add_argument("--json", action="store_true", help="one line of JSON (for the runner)")
    args = parser.parse_args()
    emit(run(args.rows, args.send, args.per_minute, args.time_scale), args.json)


if __name__ == "__main__":
    main()
