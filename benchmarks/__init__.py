"""Benchmarks of NFC Tagify Desktop: start-up, big order histories, a responsive window.

``python -m benchmarks`` runs them all (see ``benchmarks/__main__.py`` and docs/performance.md).
This module holds what the benchmark modules share: a sandbox in its own *process* (so its CPU
never shares the GIL with the loop being measured), an offscreen QApplication on a qasync loop,
a 1 ms QTimer tick recorder, RSS and percentiles.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
import os
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = Path(__file__).resolve().parent / "results"

if str(ROOT) not in sys.path:  # runnable from a source checkout without installing
    sys.path.insert(0, str(ROOT))


# -- numbers ---------------------------------------------------------------------------------


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (``pct`` in 0..100); 0.0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def rss_mib() -> float:
    """Resident set size of this process (VmRSS), in MiB; 0.0 where /proc is missing."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return 0.0


def ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def machine_info() -> dict[str, Any]:
    import platform

    info: dict[str, Any] = {
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
    }
    with contextlib.suppress(OSError, ValueError):
        info["loadavg_1min"] = round(os.getloadavg()[0], 2)
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
    with contextlib.suppress(Exception):
        from importlib.metadata import version

        for dist in ("PySide6-Essentials", "qasync", "httpx", "pydantic"):
            info[dist] = version(dist)
    return info


# -- a sandbox in its own process ------------------------------------------------------------


@dataclass(frozen=True)
class BenchSandbox:
    base_url: str
    api_key: str
    pid: int


def seed_database(db: Path, orders: int) -> None:
    """Create a sandbox database whose demo account holds ``orders`` extra orders."""
    from nfctagify_desktop.sandbox.accounts import DEMO_ACCOUNT_ID
    from nfctagify_desktop.sandbox.server import SandboxServer

    server = SandboxServer(db)  # never started: only its database is used
    try:
        if orders > 0:
            server.seed_orders(DEMO_ACCOUNT_ID, orders)
    finally:
        server.close()


@contextlib.contextmanager
def sandbox_process(
    db: Path, *, rate_limit: int = 0, orders_per_day: int = 0, timeout: float = 60.0
) -> Iterator[BenchSandbox]:
    """The sandbox in a child process (the app's own ``SandboxProcess``); stopped on exit."""
    from nfctagify_desktop.sandbox.process import SandboxProcess

    child = SandboxProcess(
        db,
        extra_args=["--rate-limit", str(rate_limit), "--orders-per-day", str(orders_per_day)],
    )
    try:
        child.wait_ready(timeout)
        yield BenchSandbox(child.base_url, child.demo_api_key, child.pid)
    finally:
        child.stop(timeout=15)


# -- Qt ----------------------------------------------------------------------------------------


_T = TypeVar("_T")


def run_qt(main: Callable[[], Awaitable[_T]]) -> _T:
    """Run ``main()`` on a qasync loop over an offscreen QApplication (one per process)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("QT_API", "pyside6")
    from concurrent.futures import ThreadPoolExecutor

    import qasync
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    app.setQuitOnLastWindowClosed(False)

    async def wrapped() -> _T:
        # Plain Python threads: qasync's QThreadExecutor aborts at exit (see app.py).
        asyncio.get_running_loop().set_default_executor(ThreadPoolExecutor(max_workers=4))
        return await main()

    with asyncio.Runner(loop_factory=qasync.QEventLoop) as runner:
        return runner.run(wrapped())


def _runqueue_ms() -> float | None:
    """Milliseconds this thread has spent runnable but waiting for a CPU (Linux), else None."""
    try:
        with open("/proc/thread-self/schedstat", encoding="ascii") as f:
            return int(f.read().split()[1]) / 1e6
    except (OSError, ValueError, IndexError):
        return None


class TickRecorder:
    """Records the gaps between the ticks of a 1 ms precise QTimer on the running loop.

    Where Linux tells (``/proc/thread-self/schedstat``), each gap is split into the time the
    GUI thread was runnable but left waiting for a CPU by the OS (other processes on a busy
    machine) and the rest: the loop's own work, or waiting for the GIL our threads held.
    """

    def __init__(self, interval_ms: int = 1) -> None:
        from PySide6.QtCore import Qt, QTimer

        self._timer = QTimer()
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._tick)
        self._last = 0.0
        self._last_wait: float | None = None
        self.gaps: list[float] = []
        #: Per gap, the part that was not the OS's run-queue wait (None where unknown).
        self.own: list[float] = []

    def _tick(self) -> None:
        now = time.perf_counter()
        wait = _runqueue_ms()
        if self._last:
            gap = (now - self._last) * 1000
            self.gaps.append(gap)
            if wait is not None and self._last_wait is not None:
                self.own.append(max(0.0, gap - (wait - self._last_wait)))
        self._last = now
        self._last_wait = wait

    def __enter__(self) -> TickRecorder:
        self.gaps = []
        self.own = []
        self._last = 0.0
        self._last_wait = None
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.stop()

    def summary(self) -> dict[str, float]:
        out = {
            "ticks": len(self.gaps),
            "max_gap_ms": round(max(self.gaps, default=0.0), 1),
            "p99_gap_ms": round(percentile(self.gaps, 99), 1),
            "median_gap_ms": round(percentile(self.gaps, 50), 2),
        }
        if self.own:
            # Not waiting for a CPU: the loop's own work or a wait for the GIL.
            out["max_gap_without_os_wait_ms"] = round(max(self.own), 1)
        return out


# -- child processes -------------------------------------------------------------------------


def run_module(module: str, args: list[str], timeout: float = 900) -> dict[str, Any]:
    """Run ``python -m benchmarks.<module> --json ARGS`` in a fresh process; its JSON result.

    Every in-process benchmark runs in its own process: a fresh interpreter (RSS is the app's,
    not the runner's) and one QApplication each.
    """
    proc = subprocess.run(
        [sys.executable, "-m", f"benchmarks.{module}", "--json", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        env={**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")},
    )
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if proc.returncode != 0 or not lines:
        tail = (proc.stdout + proc.stderr)[-3000:]
        raise RuntimeError(f"benchmarks.{module} exited {proc.returncode}:\n{tail}")
    result: dict[str, Any] = json.loads(lines[-1])
    return result


def emit(result: dict[str, Any], as_json: bool) -> None:
    """A module's result: one JSON line (for the runner) or indented JSON (for people)."""
    print(json.dumps(result) if as_json else json.dumps(result, indent=2), flush=True)


__all__ = [
    "RESULTS_DIR",
    "ROOT",
    "BenchSandbox",
    "TickRecorder",
    "emit",
    "machine_info",
    "ms",
    "percentile",
    "rss_mib",
    "run_module",
    "run_qt",
    "sandbox_process",
    "seed_database",
]
