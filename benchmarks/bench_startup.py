"""Cold start to a window with data: frozen one-folder build vs source, against a PySide6 floor.

Each case is a whole process, run N=5 times (after one untimed warm-up so the page cache holds the
files, as on a desktop that has launched the app before); the medians are reported:

- ``floor``:  ``python -c "import PySide6.QtWidgets"`` (what any PySide6 app pays);
- ``source``: ``python main.py --self-test``;
- ``frozen``: ``dist/nfctagify-desktop/nfctagify-desktop --self-test`` (skipped if not built);
- ``paint_source`` / ``paint_frozen``: ``--exit-after-paint`` (the process exits right after the
  window's first paint, with the first page of 1,000 orders already in the account's mirror);
- ``bare_window`` (a yardstick, not a target): ``benchmarks/bare_window.py``, a bare PySide6
  window with a 20 x 8 table, exiting after its first paint; ``bare_window_app_imports``, the
  same after the modules the app's first paint imports (what those imports cost);
- ``live`` (``live()``): against a sandbox already running in its own process, with
  ``--base-url URL --exit-after-live``: when the server's first page of orders is on screen,
  against the first paint of the same run plus one measured round trip plus 50 ms.

The app's ``--self-test`` prints ``self-test: window with data after N ms``; when present that N is
the "to window with data" time, otherwise the wall time of the process is used. Wall times to
exit are reported too. Run ``python benchmarks/bench_startup.py`` (prints JSON).
"""

from __future__ import annotations

import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FROZEN = (
    ROOT
    / "dist"
    / "nfctagify-desktop"
    / ("nfctagify-desktop.exe" if sys.platform == "win32" else "nfctagify-desktop")
)
RUNS = 5
TIMEOUT_S = 120
SELF_TEST_RE = re.compile(r"self-test: window with data after (\d+(?:\.\d+)?) ms")


#: Compiled bytecode for every child (floor and app alike), kept outside the source tree: an
#: installed app has its .pyc files, so a run from source must not compile the package each
#: time (PYTHONDONTWRITEBYTECODE, set in some environments, would make it: ~30 ms).
PYCACHE = Path(tempfile.gettempdir()) / "nfc-bench-pycache"


def _env(home: str) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["NFCTAGIFY_HOME"] = home  # never touch the user's settings or caches
    env.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
    return env


PAINT_RE = re.compile(r"first paint after (\d+(?:\.\d+)?) ms with (\d+) saved orders shown")
LIVE_RE = re.compile(r"live orders after (\d+) ms \(first paint after (\d+) ms\)")
MIRRORED = 1000


def fill_mirror(home: Path, base_url: str | None = None, orders: int = MIRRORED) -> None:
    """Give the start-up account (the sandbox, or ``base_url``) a mirror of ``orders`` orders."""
    from nfctagify_desktop.store.mirror import MirrorRecord, open_mirror
    from nfctagify_desktop.store.startup import startup_account

    account = startup_account(sandbox=base_url is None, base_url=base_url)
    assert account is not None
    records = [
        MirrorRecord(
            f"ord_{n:08d}",
            ("pending", "processing", "dispatched", "delivered", "delivered")[n % 5],
            f"2026-{1 + n % 12:02d}-{1 + n % 28:02d}T10:{n % 60:02d}:00.000000Z",
            None,
            "NFC Business Card — Standard",
            10 + n % 200,
            f"{(10 + n % 200) * 2.95:.2f}",
            (10 + n % 200) * 2.95,
            "GBP",
            f"PO-{n}",
            "Jane Smith",
            "London",
            "EC1A 1BB",
            "{}",
        )
        for n in range(orders)
    ]
    with open_mirror(account.slug, account.key, home / "data" / "mirror") as mirror:
        mirror.upsert(records)


def _once(cmd: list[str], env: dict[str, str]) -> tuple[float, float | None]:
    """One process: (wall ms to exit, self-reported ms to window with data or None)."""
    started = time.perf_counter()
    proc = subprocess.run(
        cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=TIMEOUT_S, check=False
    )
    wall = (time.perf_counter() - started) * 1000
    if proc.returncode != 0:
        tail = (proc.stdout + proc.stderr)[-2000:]
        raise RuntimeError(f"{cmd} exited {proc.returncode}:\n{tail}")
    text = proc.stdout + proc.stderr
    paint = PAINT_RE.search(text)
    if paint is not None and int(paint.group(2)) == 0:
        raise RuntimeError(f"{cmd}: the first paint showed no saved orders")
    match = SELF_TEST_RE.search(text) or paint
    return wall, float(match.group(1)) if match else None


def measure(
    cmd: list[str], runs: int = RUNS, prepare: Callable[[Path], None] | None = None
) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="nfc-bench-") as home:
        env = _env(home)
        if prepare is not None:
            prepare(Path(home))
        _once(cmd, env)  # warm-up: page cache, first-run directories and databases
        samples = [_once(cmd, env) for _ in range(runs)]
    walls = [w for w, _ in samples]
    reported = [r for _, r in samples if r is not None]
    ready = reported if len(reported) == len(samples) else walls
    return {
        "cmd": " ".join(cmd),
        "runs": runs,
        "ready_ms": round(statistics.median(ready), 1),
        "ready_source": "the app's own line" if ready is reported else "wall time",
        "wall_ms": round(statistics.median(walls), 1),
        "wall_ms_all": [round(w, 1) for w in walls],
    }


def folder_mib(path: Path) -> float:
    total = sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())
    return round(total / 2**20, 1)


def _ratio(a: dict[str, object], b: dict[str, object], key: str) -> float:
    return round(float(str(a[key])) / float(str(b[key])), 2)


def run(runs: int = RUNS) -> dict[str, object]:
    """Measure every available case; ratios are against the PySide6 import floor and source."""
    py = sys.executable
    results: dict[str, object] = {"runs": runs, "python": sys.version.split()[0]}
    floor = measure([py, "-c", "import PySide6.QtWidgets"], runs)
    source = measure([py, "main.py", "--self-test"], runs)
    results["floor"] = floor
    results["source"] = source
    results["source_vs_floor_wall"] = _ratio(source, floor, "wall_ms")
    paint = measure([py, "main.py", "--exit-after-paint"], runs, fill_mirror)
    results["paint_source"] = paint
    results["paint_source_vs_floor_wall"] = _ratio(paint, floor, "wall_ms")
    # Not a target: the least any PySide6 app pays to paint a window with a table.
    bare = measure([py, "benchmarks/bare_window.py"], runs)
    results["bare_window"] = bare
    results["bare_window_vs_floor_wall"] = _ratio(bare, floor, "wall_ms")
    results["paint_source_vs_bare_window_wall"] = _ratio(paint, bare, "wall_ms")
    # The same bare window after the first paint's imports: what the app's imports cost.
    bare_imports = measure([py, "benchmarks/bare_window.py", "--app-imports"], runs)
    results["bare_window_app_imports"] = bare_imports
    results["bare_window_app_imports_vs_floor_wall"] = _ratio(bare_imports, floor, "wall_ms")
    if FROZEN.exists():
        frozen_paint = measure([str(FROZEN), "--exit-after-paint"], runs, fill_mirror)
        results["paint_frozen"] = frozen_paint
        results["paint_frozen_vs_floor_wall"] = _ratio(frozen_paint, floor, "wall_ms")
    if FROZEN.exists():
        frozen = measure([str(FROZEN), "--self-test"], runs)
        results["frozen"] = frozen
        results["onedir_mib"] = folder_mib(FROZEN.parent)
        results["frozen_vs_source_ready"] = _ratio(frozen, source, "ready_ms")
        results["frozen_vs_source_wall"] = _ratio(frozen, source, "wall_ms")
        results["frozen_vs_floor_wall"] = _ratio(frozen, floor, "wall_ms")
    else:
        results["frozen"] = f"not built: run `python packaging/build.py` to create {FROZEN}"
    return results


def live(runs: int = RUNS) -> dict[str, Any]:
    """Live data against a running server: the app's own line, against paint + RTT + 50 ms."""
    import httpx

    from benchmarks import sandbox_process, seed_database

    with tempfile.TemporaryDirectory(prefix="nfc-bench-live-") as tmp:
        db = Path(tmp) / "sandbox.sqlite3"
        seed_database(db, MIRRORED)
        with sandbox_process(db) as sb:
            home = Path(tmp) / "home"
            home.mkdir()
            fill_mirror(home, sb.base_url)
            env = {**_env(str(home)), "NFCTAGIFY_API_KEY": sb.api_key}
            cmd = [sys.executable, "main.py", "--base-url", sb.base_url, "--exit-after-live"]
            rtts: list[float] = []
            with httpx.Client(base_url=sb.base_url) as client:
                headers = {"Authorization": f"Bearer {sb.api_key}"}
                for _ in range(21):
                    started = time.perf_counter()
                    client.get("/api/partner/orders", params={"per_page": 20}, headers=headers)
                    rtts.append((time.perf_counter() - started) * 1000)
            samples: list[tuple[float, float]] = []
            for n in range(runs + 1):
                proc = subprocess.run(
                    cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=TIMEOUT_S
                )
                match = LIVE_RE.search(proc.stdout)
                if proc.returncode != 0 or match is None:
                    raise RuntimeError(f"{cmd} exited {proc.returncode}: {proc.stderr[-2000:]}")
                if n:  # the first run is the warm-up
                    samples.append((float(match.group(1)), float(match.group(2))))
    live_ms = statistics.median(s[0] for s in samples)
    paint_ms = statistics.median(s[1] for s in samples)
    rtt = statistics.median(rtts[1:])
    budget = paint_ms + rtt + 50
    return {
        "runs": runs,
        "live_ms": round(live_ms, 1),
        "first_paint_ms": round(paint_ms, 1),
        "round_trip_ms": round(rtt, 1),
        "budget_ms": round(budget, 1),
        "live_vs_budget": round(live_ms / budget, 2),
    }


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
