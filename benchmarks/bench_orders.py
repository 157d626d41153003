"""A big order history in the real Orders tab: first page, next page, status filter, sort, RSS.

The sandbox (a separate process) holds ``--orders`` orders (100,000 by default) for the demo
account. The real ``OrdersTab`` runs on an offscreen QApplication and a qasync loop, with its
real PartnerClient and order mirror (its sync not started). Each time is measured from the call
(``refresh()``, ``go_to()``, choosing a status) to the model being populated
(``sig_page_loaded``) and, separately, to the table having been painted (a synchronous
``repaint()`` of the view). Sorting is ``model.sort`` on each column of a 100-row page (the
slowest column is reported). RSS is VmRSS of this process after paging through ``--pages``
pages. The loop's 1 ms ticks are recorded while paging, as a stall check.

Run ``python -m benchmarks.bench_orders [--orders 100000] [--pages 50]``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks import ROOT, TickRecorder, emit, ms, rss_mib, run_qt, sandbox_process

PER_PAGE = 100


def seed_in_child(db: Path, orders: int) -> float:
    """Seed in a child process so the sandbox's modules never count in this process's RSS."""
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from benchmarks import seed_database; "
            "seed_database(__import__('pathlib').Path(sys.argv[1]), int(sys.argv[2]))",
            str(db),
            str(orders),
        ],
        cwd=ROOT,
        check=True,
    )
    return time.perf_counter() - started


async def _measure(base_url: str, api_key: str, pages: int) -> dict[str, Any]:
    from PySide6.QtWidgets import QApplication

    from nfctagify_desktop.api.client import PartnerClient
    from nfctagify_desktop.api.models import OrderStatus
    from nfctagify_desktop.services.connection import Connection
    from nfctagify_desktop.services.container import build_services
    from nfctagify_desktop.ui.tabs.orders_tab import OrdersTab

    client = PartnerClient(base_url, api_key)
    services = build_services(
        Connection("Sandbox", base_url, client, is_sandbox=True, account_id="demo")
    )
    ctx = services.ctx
    tab = OrdersTab(services)
    tab.resize(1180, 720)
    tab.show()
    QApplication.processEvents()
    rss_start = rss_mib()

    async def timed(action: Callable[[], None]) -> tuple[float, float]:
        """(ms to the model populated, ms to the view painted) for one user action."""
        loop = asyncio.get_running_loop()
        done: asyncio.Future[float] = loop.create_future()

        def loaded(_page: object) -> None:
            if not done.done():
                done.set_result(time.perf_counter())

        def failed(exc: BaseException) -> None:
            if not done.done():
                done.set_exception(RuntimeError(f"API call failed: {exc}"))

        tab.sig_page_loaded.connect(loaded)
        ctx.sig_api_error.connect(failed)
        try:
            started = time.perf_counter()
            action()
            populated = await asyncio.wait_for(done, 60)
            tab.view.viewport().repaint()
            painted = time.perf_counter()
        finally:
            tab.sig_page_loaded.disconnect(loaded)
            ctx.sig_api_error.disconnect(failed)
        return ms(populated - started), ms(painted - started)

    try:
        tab.browser.set_per_page(PER_PAGE)  # as the setting would, without saving it
        first = await timed(tab.refresh)
        total = tab.last_page.pagination.total if tab.last_page else None
        rows_shown = tab.model.rowCount()

        changes: list[tuple[float, float]] = []
        recorder = TickRecorder()
        with recorder:
            for _ in range(pages):
                changes.append(await timed(lambda: tab.go_to(tab.page + 1)))
        last_page_reached = tab.page
        rss_after = rss_mib()

        status = await timed(lambda: tab.set_status_filter(OrderStatus.DISPATCHED))
        filtered_total = tab.last_page.pagination.total if tab.last_page else None
        back = await timed(lambda: tab.set_status_filter(None))

        sorts: dict[str, float] = {}
        for column, spec in enumerate(tab.model.columns):
            started = time.perf_counter()
            tab.model.sort(column, _descending())
            tab.view.viewport().repaint()
            sorts[spec.title] = ms(time.perf_counter() - started)

        loaded = [c[0] for c in changes]
        painted = [c[1] for c in changes]
        return {
            "orders_on_server": total,
            "rows_per_page": rows_shown,
            "first_page_ms": first[0],
            "first_page_painted_ms": first[1],
            "next_page_median_ms": round(statistics.median(loaded), 1),
            "next_page_max_ms": max(loaded),
            "next_page_painted_median_ms": round(statistics.median(painted), 1),
            "next_page_painted_max_ms": max(painted),
            "pages_paged": pages,
            "last_page_reached": last_page_reached,
            "status_filter_ms": status[0],
            "status_filter_painted_ms": status[1],
            "status_filter_total": filtered_total,
            "clear_filter_ms": back[0],
            "sort_max_ms": max(sorts.values()),
            "sort_ms": sorts,
            "rss_start_mib": rss_start,
            "rss_after_pages_mib": rss_after,
            "loop_while_paging": recorder.summary(),
        }
    finally:
        await services.aclose()
        await client.aclose()
        tab.close()
        tab.deleteLater()


def _descending() -> Any:
    from PySide6.QtCore import Qt

    return Qt.SortOrder.DescendingOrder


def run(orders: int = 100_000, pages: int = 50) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="nfc-bench-orders-") as tmp:
        tmp_path = Path(tmp)
        os.environ["NFCTAGIFY_HOME"] = str(tmp_path / "home")  # a fresh order mirror
        os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
        db = tmp_path / "sandbox.sqlite3"
        seed_s = seed_in_child(db, orders)
        with sandbox_process(db) as sandbox:
            result = run_qt(lambda: _measure(sandbox.base_url, sandbox.api_key, pages))
    return {"orders": orders, "seed_s": round(seed_s, 1), **result}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--pages", type=int, default=50)
    parser.add_argument("--json", action="store_true", help="one JSON line (for the runner)")
    args = parser.parse_args()
    emit(run(args.orders, args.pages), args.json)


if __name__ == "__main__":
    main()
