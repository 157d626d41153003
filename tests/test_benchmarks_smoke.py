"""The benchmark runner and its modules run end to end at tiny sizes (no timing asserted)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _run(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "NFCTAGIFY_HOME": str(tmp_path / "home"),
        "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring",
    }
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )


def test_percentile_and_table() -> None:
    from benchmarks import percentile
    from benchmarks.__main__ import Check, table

    assert percentile([], 99) == 0.0
    assert percentile([1.0, 2.0, 3.0, 4.0], 50) == 2.0
    assert percentile(list(map(float, range(1, 101))), 99) == 99.0
    text = table([Check("x", "<= 1 ms", 2.0, 1.0), Check("y", "<= 1 ms", None, 1.0)])
    assert "MISSED" in text
    assert "n/a" in text


def test_runner_tiny(tmp_path: Path) -> None:
    out = tmp_path / "latest.json"
    proc = _run(
        [
            "-m",
            "benchmarks",
            "--quick",
            "--skip-startup",
            "--skip-import",
            "--orders",
            "300",
            "--pages",
            "2",
            "--output",
            str(out),
        ],
        tmp_path,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    data = json.loads(out.read_text())
    for name in ("orders", "mirror", "loop", "client"):
        assert "error" not in data[name], data[name]
    assert data["orders"]["rows_per_page"] == 100
    assert data["orders"]["last_page_reached"] == 3
    assert data["loop"]["concurrent_calls"]["ticks"] > 0
    assert data["loop"]["bulk_import"]["submitted"] == data["loop"]["rows"]
    assert data["client"]["get_order"]["app_rps"] > 0
    assert data["mirror"]["sync"]["mirrored"] == data["mirror"]["sync"]["orders"] == 340
    assert data["mirror"]["actions"]["sort"]["n"] == 32
    assert data["table"] and "measure" in proc.stdout


@pytest.mark.skipif(sys.platform == "win32", reason="uses /proc and POSIX paths")
def test_startup_measure_runs(tmp_path: Path) -> None:
    from benchmarks import bench_startup

    result = bench_startup.measure([sys.executable, "-c", "pass"], runs=1)
    assert result["runs"] == 1
    assert float(str(result["wall_ms"])) > 0
