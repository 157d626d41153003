"""``python -m benchmarks``: run every benchmark, print a table, write results/latest.json.

Each benchmark runs in its own process (a fresh interpreter: honest RSS, one QApplication):

- start-up (``bench_startup``): floor ``python -c "import PySide6.QtWidgets"`` vs
  ``python main.py --self-test`` (and the frozen build if present), medians of 5;
- the Orders tab on a big history (``bench_orders``): first page, next page, status filter,
  sort, RSS after paging;
- the local mirror (``bench_mirror``): a full sync (modelled rate limit) with the loop's gaps,
  then page/sort/filter/search painted from 100,000 mirrored orders;
- event-loop gaps (``bench_loop``) during 50 concurrent calls and a bulk import;
- client overhead (``bench_client``): PartnerClient vs plain httpx;
- bulk orders from files (``bench_bulk``), unless ``--skip-import``: parse + check 50,000
  rows; 300 rows at 60/min against the fixed-window minimum, on the sandbox's fast clock.

Options: ``--quick`` (smaller sizes, 3 start-up runs), ``--orders N``, ``--pages N``,
``--skip-startup``, ``--skip-import``, ``--only NAME[,NAME]``, ``--output PATH``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks import RESULTS_DIR, machine_info, run_module

BENCHES = ("startup", "orders", "mirror", "loop", "client", "bulk")


@dataclass(frozen=True)
class Check:
    """One line of the table: a measured value against its target."""

    name: str
    target: str
    value: float | None
    limit: float
    unit: str = "ms"

    @property
    def met(self) -> bool | None:
        return None if self.value is None else self.value <= self.limit

    def row(self) -> tuple[str, str, str, str]:
        if self.value is None:
            return self.name, self.target, "n/a", "-"
        shown = f"{self.value:g}{'' if self.unit == 'x' else ' '}{self.unit}"
        return self.name, self.target, shown, "met" if self.met else "MISSED"


def _get(data: dict[str, Any], *path: str) -> Any:
    for key in path:
        if not isinstance(data, dict) or key not in data:
            return None
        data = data[key]
    return data


def checks(results: dict[str, Any]) -> list[Check]:
    """The issue's targets, from whatever results are present."""
    s = results.get("startup") or {}
    o = results.get("orders") or {}
    lp = results.get("loop") or {}
    mi = results.get("mirror") or {}
    c = results.get("client") or {}
    b = results.get("bulk") or {}
    out: list[Check] = []
    if s:
        out.append(
            Check(
                "start-up, source (wall / floor)",
                "<= 1.5x",
                _get(s, "source_vs_floor_wall"),
                1.5,
                "x",
            )
        )
        out.append(
            Check(
                "start-up, source (window with data / floor)",
                "<= 1.5x",
                _get(s, "source_ready_vs_floor_wall"),
                1.5,
                "x",
            )
        )
        out.append(
            Check(
                "first paint, source, whole process (--exit-after-paint / floor)",
                "<= 1.5x",
                _get(s, "paint_source_vs_floor_wall"),
                1.5,
                "x",
            )
        )
        if isinstance(s.get("paint_frozen"), dict):
            out.append(
                Check(
                    "first paint, frozen, whole process (--exit-after-paint / floor)",
                    "<= 1.5x",
                    _get(s, "paint_frozen_vs_floor_wall"),
                    1.5,
                    "x",
                )
            )
        out.append(
            Check(
                "live data / (first paint + round trip + 50 ms)",
                "<= 1.0x",
                _get(s, "live", "live_vs_budget"),
                1.0,
                "x",
            )
        )
        if isinstance(s.get("frozen"), dict):
            out.append(
                Check(
                    "start-up, frozen (wall / floor)",
                    "<= 1.5x",
                    _get(s, "frozen_vs_floor_wall"),
                    1.5,
                    "x",
                )
            )
    if o:
        n = o.get("orders_on_server")
        out += [
            Check(
                f"first page of {n:,} orders".replace(",", " "),
                "<= 100 ms",
                o.get("first_page_ms"),
                100,
            ),
            Check("next page (median of pages)", "<= 100 ms", o.get("next_page_median_ms"), 100),
            Check("next page (worst)", "<= 100 ms", o.get("next_page_max_ms"), 100),
            Check(
                "next page, painted (median)",
                "<= 100 ms",
                o.get("next_page_painted_median_ms"),
                100,
            ),
            Check("status filter", "<= 100 ms", o.get("status_filter_ms"), 100),
            Check("sort a page (slowest column)", "<= 100 ms", o.get("sort_max_ms"), 100),
            Check(
                f"RSS after {o.get('pages_paged')} pages",
                "<= 200 MB",
                o.get("rss_after_pages_mib"),
                200,
                "MiB",
            ),
            Check(
                "loop max gap while paging",
                "<= 50 ms",
                _get(o, "loop_while_paging", "max_gap_ms"),
                50,
            ),
        ]
    if mi:
        n = _get(mi, "sync", "orders") or 0
        for action, label in (
            ("next_page", "page change"),
            ("sort", "sort by any column"),
            ("status_filter", "status filter"),
            ("search", "search"),
        ):
            out.append(
                Check(
                    f"mirror {label}, painted, median ({n:,} orders)".replace(",", " "),
                    "<= 16 ms",
                    _get(mi, "actions", action, "median_ms"),
                    16,
                )
            )
            out.append(
                Check(
                    f"mirror {label}, painted, worst",
                    "<= 50 ms",
                    _get(mi, "actions", action, "max_ms"),
                    50,
                )
            )
        out.append(
            Check(
                "loop max gap while syncing", "<= 25 ms", _get(mi, "sync", "loop", "max_gap_ms"), 25
            )
        )
        if _get(mi, "sync", "loop", "max_gap_without_os_wait_ms") is not None:
            out.append(
                Check(
                    "  the same, less the OS's waits for a CPU (Linux)",
                    "<= 25 ms",
                    _get(mi, "sync", "loop", "max_gap_without_os_wait_ms"),
                    25,
                )
            )
        out.append(
            Check(
                f"full sync of {n:,} orders / rate-limit minimum".replace(",", " "),
                "<= 1.05x",
                _get(mi, "sync", "vs_minimum"),
                1.05,
                "x",
            )
        )
    if lp:
        for phase, label in (
            ("concurrent_calls", "50 concurrent calls"),
            ("bulk_import", "bulk import"),
        ):
            out.append(
                Check(f"loop max gap, {label}", "<= 50 ms", _get(lp, phase, "max_gap_ms"), 50)
            )
            out.append(
                Check(f"loop p99 gap, {label}", "<= 16 ms", _get(lp, phase, "p99_gap_ms"), 16)
            )
    if c:
        for case in ("list_orders_100", "get_order"):
            out.append(
                Check(
                    f"client req/s, {case} (httpx / app)",
                    "<= 1.2x",
                    _get(c, case, "ratio"),
                    1.2,
                    "x",
                )
            )
            out.append(
                Check(
                    f"client CPU/request, {case} (app / httpx)",
                    "<= 1.2x",
                    _get(c, case, "cpu_ratio"),
                    1.2,
                    "x",
                )
            )
    if b:
        n = _get(b, "parse_check", "rows") or 0
        out.append(
            Check(
                f"parse + check {n:,} rows (CPU)".replace(",", " "),
                "< 2 s",
                _get(b, "parse_check", "parse_check_cpu_s"),
                2.0,
                "s",
            )
        )
        if isinstance(b.get("send"), dict):
            send = b["send"]
            out.append(
                Check(
                    f"send {send['rows']} rows at {send['per_minute']}/min (total / minimum)",
                    "<= 1.05x",
                    send.get("ratio"),
                    1.05,
                    "x",
                )
            )
    return out


def table(rows: list[Check]) -> str:
    header = ("measure", "target", "measured", "result")
    cells = [header, *(r.row() for r in rows)]
    widths = [max(len(row[i]) for row in cells) for i in range(4)]
    lines = [" | ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)) for row in cells]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    return "\n".join(lines)


def _startup(runs: int) -> dict[str, Any]:
    from benchmarks import bench_startup

    result = bench_startup.run(runs)
    try:
        result["live"] = bench_startup.live(runs)
    except Exception as exc:  # reported as n/a, the other start-up numbers still count
        result["live"] = {"error": str(exc)[-2000:]}
    source, floor = result.get("source"), result.get("floor")
    if isinstance(source, dict) and isinstance(floor, dict):
        # The app's own "window with data" time against the floor's whole process.
        result["source_ready_vs_floor_wall"] = round(
            float(source["ready_ms"]) / float(floor["wall_ms"]), 2
        )
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller sizes, fewer runs")
    parser.add_argument("--orders", type=int, help="orders in the big-history sandbox")
    parser.add_argument("--pages", type=int, help="pages to go through")
    parser.add_argument("--skip-startup", action="store_true")
    parser.add_argument("--skip-import", action="store_true", help="skip the rate-limited import")
    parser.add_argument("--only", help=f"comma-separated subset of {','.join(BENCHES)}")
    parser.add_argument("--output", type=Path, default=RESULTS_DIR / "latest.json")
    args = parser.parse_args(argv)

    quick = args.quick
    orders = args.orders or (20_000 if quick else 100_000)
    pages = args.pages or (10 if quick else 50)
    wanted = set(args.only.split(",")) if args.only else set(BENCHES)
    if args.skip_startup:
        wanted.discard("startup")
    if args.skip_import:
        wanted.discard("bulk")

    jobs: dict[str, Callable[[], dict[str, Any]]] = {
        "startup": lambda: _startup(3 if quick else 5),
        "orders": lambda: run_module(
            "bench_orders", ["--orders", str(orders), "--pages", str(pages)]
        ),
        "mirror": lambda: run_module("bench_mirror", ["--orders", str(orders)], timeout=1800),
        "loop": lambda: run_module(
            "bench_loop", ["--calls", "50", "--rows", "20" if quick else "50"]
        ),
        "client": lambda: run_module(
            "bench_client",
            ["--requests", "20" if quick else "150", "--rounds", "3" if quick else "9"],
        ),
        "bulk": lambda: run_module(
            "bench_bulk",
            ["--rows", "10000" if quick else "50000", "--send", "60" if quick else "300"],
        ),
    }
    results: dict[str, Any] = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine_info(),
        "options": {"quick": quick, "orders": orders, "pages": pages},
    }
    for name in BENCHES:
        if name not in wanted:
            continue
        print(f"running {name}…", file=sys.stderr, flush=True)
        started = time.perf_counter()
        try:
            results[name] = jobs[name]()
        except Exception as exc:  # one failing benchmark must not hide the others
            results[name] = {"error": str(exc)[-2000:]}
            print(f"  {name} failed: {exc}", file=sys.stderr)
        print(f"  {name}: {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
    rows = checks({k: v for k, v in results.items() if isinstance(v, dict) and "error" not in v})
    results["table"] = [
        {"measure": r.name, "target": r.target, "measured": r.value, "unit": r.unit, "met": r.met}
        for r in rows
    ]
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(table(rows))
    send = (results.get("bulk") or {}).get("send")
    if isinstance(send, dict):
        print(
            f"\nbulk send, {send.get('rows')} rows at {send.get('per_minute')}/min: "
            f"{send.get('elapsed_s')} s vs {send.get('theoretical_min_s')} s minimum, "
            f"429s {send.get('status_429')}, re-import placed {send.get('reimport_placed')}"
        )
    print(f"\nwritten to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
