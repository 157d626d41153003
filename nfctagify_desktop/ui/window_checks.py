"""What --self-test and --screenshots do with the window: wait for real data, grab each tab."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from nfctagify_desktop.ui.main_window import MainWindow


async def wait_loaded(window: MainWindow, t0: float, limit: float = 30.0) -> float:
    """Wait until all three tabs and one order's detail have loaded; returns ms since ``t0``."""
    import asyncio

    loop = asyncio.get_running_loop()
    waits = {
        "products": loop.create_future(),
        "pricing": loop.create_future(),
        "orders": loop.create_future(),
        "detail": loop.create_future(),
    }

    def done(name: str) -> None:
        if not waits[name].done():
            waits[name].set_result(True)

    window.products_tab.sig_loaded.connect(lambda n: done("products") if n else None)
    window.pricing_tab.sig_loaded.connect(lambda n: done("pricing") if n else None)
    window.orders_tab.sig_page_loaded.connect(lambda p: done("orders") if p.orders else None)
    window.orders_tab.sig_detail_loaded.connect(lambda _order: done("detail"))

    def failed(exc: BaseException) -> None:
        for fut in waits.values():
            if not fut.done():
                fut.set_exception(RuntimeError(f"API call failed: {exc}"))

    window.ctx.sig_api_error.connect(failed)
    await asyncio.wait_for(asyncio.gather(*waits.values()), limit)
    return (time.perf_counter() - t0) * 1000


async def screenshots(
    window: MainWindow,
    folder: Path,
    names: Sequence[str] = ("products", "pricing", "orders"),
    suffix: str = "",
) -> None:
    """A PNG of each tab named, in the theme and at the scale this run uses."""
    import asyncio

    folder.mkdir(parents=True, exist_ok=True)  # noqa: ASYNC240 - once, tiny
    # One sync pass first, so the list and its chips come from the mirror, as they do in use.
    try:
        await asyncio.wait_for(window.services.order_sync.pass_once(), 10)
    except Exception as exc:  # the shots still show what there is
        print(f"sync before the screenshots failed: {exc}", flush=True)
    tabs: dict[str, QWidget] = {
        "products": window.products_tab,
        "pricing": window.pricing_tab,
        "orders": window.orders_tab,
    }
    for name in names:
        window.tabs.setCurrentWidget(tabs[name])
        for _ in range(5):  # awaiting lets the loop (Qt's) lay out and paint the section
            await asyncio.sleep(0.05)
        window.grab().save(str(folder / f"{name}{suffix}.png"))


def report_live(t0: float, first_paint_ms: float, *, exit_now: bool = False) -> None:
    """Say when the server's orders were on screen (``--exit-after-live``); ``exit_now``: end
    the process at once, as ``--exit-after-paint`` does (the page is already stored)."""
    live = (time.perf_counter() - t0) * 1000
    print(
        f"live orders after {live:.0f} ms (first paint after {first_paint_ms:.0f} ms)", flush=True
    )
    if exit_now:
        import logging
        import os

        logging.shutdown()
        os._exit(0)


def exit_after_live(window: MainWindow, t0: float, first_paint_ms: float) -> None:
    """Close the window once the server's first page of orders is on screen, saying when."""

    def loaded(_page: object) -> None:
        if not window.isVisible():
            return
        report_live(t0, first_paint_ms)
        window.close()

    window.orders_tab.sig_page_loaded.connect(loaded)
