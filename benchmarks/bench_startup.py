"""Cold start to a window with data: frozen one-folder build vs source, against a PySide6 floor.

Each case is a whole process, run N=5 times (after one untimed warm-up so the page cache holds the
files, as on a desktop that has launched the app before); the medians are reported:

- ``floor``:  ``python -c "import PySide6.QtWidgets"`` (what any PySide6 app pays);
- ``source``: ``python main.py --self-test``;
- ``frozen``: ``dist/nfctagify-desktop/nfctagify-desktop --self-test`` (skipped if not built).

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
from pathlib import Path

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


def _env(home: str) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["NFCTAGIFY_HOME"] = home  # never touch the user's settings or caches
    env.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
    return env


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
    match = SELF_TEST_RE.search(proc.stdout + proc.stderr)
    return wall, float(match.group(1)) if match else None


def measure(cmd: list[str], runs: int = RUNS) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="nfc-bench-") as home:
        env = _env(home)
        _once(cmd, env)  # warm-up: page cache, first-run directories and databases
        samples = [_once(cmd, env) for _ in range(runs)]
    walls = [w for w, _ in samples]
    reported = [r for _, r in samples if r is not None]
    ready = reported if len(reported) == len(samples) else walls
    return {
        "cmd": " ".join(cmd),
        "runs": runs,
        "ready_ms": round(statistics.median(ready), 1),
        "ready_source": "self-test line" if ready is reported else "wall time",
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


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
