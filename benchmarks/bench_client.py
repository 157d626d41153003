"""Client overhead: requests per second through PartnerClient vs plain httpx + json parsing.

Both sides send the same sequential requests to the same sandbox (a separate process, rate
limit off) in the same run, alternating in rounds so that load on the machine hits both
alike; the median round is reported. ``ratio`` = plain httpx req/s / PartnerClient req/s
(1.0 = no overhead; the target is <= 1.2).

Run ``python -m benchmarks.bench_client [--requests 60] [--rounds 5]``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from benchmarks import emit, sandbox_process, seed_database

Op = Callable[[], Awaitable[Any]]


async def _rate(op: Op, requests: int) -> tuple[float, float]:
    """(requests per second, client-process CPU microseconds per request)."""
    started = time.perf_counter()
    cpu = time.process_time()
    for _ in range(requests):
        await op()
    cpu_us = (time.process_time() - cpu) / requests * 1e6
    return requests / (time.perf_counter() - started), cpu_us


async def _measure(base_url: str, api_key: str, requests: int, rounds: int) -> dict[str, Any]:
    import httpx

    from nfctagify_desktop.api.client import PartnerClient
    from nfctagify_desktop.api.urls import API_PREFIX

    headers = {"Authorization": f"Bearer {api_key}", "Accept": "application/json"}
    async with (
        PartnerClient(base_url, api_key) as client,
        httpx.AsyncClient(base_url=base_url + API_PREFIX, headers=headers) as plain,
    ):
        first = await client.list_orders(per_page=100)
        order_id = first.orders[0].order_id

        async def app_list() -> Any:
            return await client.list_orders(per_page=100)

        async def app_get() -> Any:
            return await client.get_order(order_id)

        async def plain_list() -> Any:
            response = await plain.get("/orders", params={"page": "1", "per_page": "100"})
            response.raise_for_status()
            return json.loads(response.content)

        async def plain_get() -> Any:
            response = await plain.get(f"/orders/{order_id}")
            response.raise_for_status()
            return json.loads(response.content)

        cases: dict[str, tuple[Op, Op]] = {
            "list_orders_100": (app_list, plain_list),
            "get_order": (app_get, plain_get),
        }
        out: dict[str, Any] = {}
        for name, (app_op, plain_op) in cases.items():
            await app_op()  # warm-up: connections and lazy imports
            await plain_op()
            app_runs: list[tuple[float, float]] = []
            plain_runs: list[tuple[float, float]] = []
            for _ in range(rounds):
                plain_runs.append(await _rate(plain_op, requests))
                app_runs.append(await _rate(app_op, requests))
            app_rps = statistics.median(r for r, _ in app_runs)
            plain_rps = statistics.median(r for r, _ in plain_runs)
            app_cpu = statistics.median(c for _, c in app_runs)
            plain_cpu = statistics.median(c for _, c in plain_runs)
            out[name] = {
                "app_rps": round(app_rps, 1),
                "httpx_rps": round(plain_rps, 1),
                "ratio": round(plain_rps / app_rps, 3),
                # The client process's own CPU per request: the overhead without the server.
                "app_cpu_us": round(app_cpu),
                "httpx_cpu_us": round(plain_cpu),
                "cpu_ratio": round(app_cpu / plain_cpu, 3),
            }
        return out


def run(requests: int = 60, rounds: int = 5, orders: int = 2000) -> dict[str, Any]:
    """Measure both operations; the sandbox runs in its own process."""
    import logging

    # INFO logs per request are the app's real behaviour; nothing is configured here, so
    # (as in the app before setup_logging) they go nowhere: the same for both sides.
    logging.getLogger("nfctagify").setLevel(logging.INFO)
    with tempfile.TemporaryDirectory(prefix="nfc-bench-client-") as tmp:
        db = Path(tmp) / "sandbox.sqlite3"
        seed_database(db, orders)
        with sandbox_process(db) as sandbox:
            cases = asyncio.run(_measure(sandbox.base_url, sandbox.api_key, requests, rounds))
    worst = max(case["ratio"] for case in cases.values())
    worst_cpu = max(case["cpu_ratio"] for case in cases.values())
    return {
        "requests": requests,
        "rounds": rounds,
        **cases,
        "worst_ratio": worst,
        "worst_cpu_ratio": worst_cpu,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--requests", type=int, default=150, help="per round and side")
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--orders", type=int, default=2000, help="orders in the sandbox")
    parser.add_argument("--json", action="store_true", help="one JSON line (for the runner)")
    args = parser.parse_args()
    emit(run(args.requests, args.rounds, args.orders), args.json)


if __name__ == "__main__":
    main()
