"""Sending an import to the real sandbox: paced, visible waits, pause/cancel, no double orders.

The sandbox runs its rate-limit minute 20 times faster than real time (``time_scale``), and the
sender paces on the same fast clock, so several full windows pass in a few seconds.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from nfctagify_desktop.api.client import PartnerClient
from nfctagify_desktop.ordering.bulk import (
    BulkSender,
    Outcome,
    Progress,
    Verdict,
    read_bytes,
    write_rejected,
)
from nfctagify_desktop.ordering.bulk.plan import SendPlan
from nfctagify_desktop.ordering.bulk.session import ImportSession
from nfctagify_desktop.ordering.outbox import DraftState, Outbox
from nfctagify_desktop.sandbox.server import SandboxServer
from nfctagify_desktop.store.account import AccountId

SCALE = 20.0
PROFILE = "demo"


@pytest.fixture
def fast_sandbox(tmp_path: Path) -> Iterator[SandboxServer]:
    server = SandboxServer(
        tmp_path / "sb.sqlite3", rate_limit_per_minute=10, orders_per_day=500, time_scale=SCALE
    )
    server.start()
    server.seeded = server.order_count()  # type: ignore[attr-defined]
    yield server
    server.close()


def placed_on_server(server: SandboxServer) -> int:
    """Orders created on the sandbox since the test began (it starts with demo orders)."""
    return server.order_count() - server.seeded  # type: ignore[attr-defined]


@pytest.fixture
def outbox(tmp_path: Path) -> Iterator[Outbox]:
    box = Outbox(tmp_path / "outbox.sqlite3")
    yield box
    box.close()


def make_file(n: int, bad: int = 0) -> bytes:
    lines = ["Product;Qty;Reference;Name;Address Line 1;Town;Post Code"]
    lines += [f"prod_standard;{10 + i};PO-{i};Jörg {i};{i} Road;Leeds;LS1 4AP" for i in range(n)]
    lines += [f"prod_standard;ten;BAD-{i};X;1 Road;Leeds;LS1 4AP" for i in range(bad)]
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


class Run:
    """One import of a file through ImportSession against the sandbox, collecting progress."""

    def __init__(self, server: SandboxServer, outbox: Outbox, tmp: Path) -> None:
        self.server = server
        self.outbox = outbox
        self.tmp = tmp
        self.progress: list[Progress] = []
        self.plan: SendPlan | None = None

    async def __call__(
        self,
        data: bytes,
        control: Callable[[BulkSender, Progress], None] | None = None,
        name: str = "orders.csv",
    ) -> Any:
        path = self.tmp / name
        path.write_bytes(data)
        account = AccountId(PROFILE, self.server.base_url)
        async with PartnerClient(self.server.base_url, self.server.demo_api_key) as client:
            session = ImportSession(client, self.outbox, account, time_scale=SCALE)
            session.read(path)
            await session.load_account()
            rows = session.check()
            self.plan = session.plan()
            sender = session.sender_for()

            def on_progress(p: Progress) -> None:
                self.progress.append(p)
                if control is not None:
                    control(sender, p)

            return rows, await session.send(on_progress)


def test_send_paced_with_visible_waits_then_reimport_places_nothing(
    fast_sandbox: SandboxServer, tmp_path: Path, outbox: Outbox, arun: Callable[..., Any]
) -> None:
    run = Run(fast_sandbox, outbox, tmp_path)
    rows, summary = arun(run(make_file(25, bad=2)), timeout=60)
    assert [r.verdict for r in rows].count(Verdict.READY) == 25
    assert run.plan is not None and run.plan.count == 25 and run.plan.later == 0
    # 25 at 10 per (fast) minute after the session's 3 reads: about three windows of 60 s.
    assert 120 < run.plan.eta_seconds < 200
    assert summary.count(Outcome.PLACED) == 25 and summary.count(Outcome.INVALID) == 2
    assert placed_on_server(fast_sandbox) == 25
    waits = [p for p in run.progress if p.waiting_until is not None]
    # 25 orders at 10 per (fast) minute: at least two waits for the window, each announced.
    assert len({p.done for p in waits}) >= 2
    assert "waiting for the rate limit — resumes at" in waits[0].text()
    assert run.progress[-1].done == 25 and run.progress[-1].placed == 25
    assert run.progress[0].eta_seconds > 0
    assert "25 order(s) placed" in summary.lines()[0]

    rejects = tmp_path / "rejected.csv"
    table = read_bytes(make_file(25, bad=2), name="orders.csv")
    assert write_rejected(rejects, table, summary.outcomes) == 2
    with rejects.open(encoding="utf-8-sig", newline="") as fh:
        back = list(csv.reader(fh))
    assert back[0][-1] == "Problem" and back[0][:2] == ["Product", "Qty"]
    assert back[1][1] == "ten" and "whole number" in back[1][-1]

    # The same file again: every row is found as placed; nothing is sent.
    again = Run(fast_sandbox, outbox, tmp_path)
    rows2, summary2 = arun(again(make_file(25, bad=2)), timeout=30)
    assert [r.verdict for r in rows2].count(Verdict.PLACED) == 25
    assert summary2.count(Outcome.ALREADY_PLACED) == 25 and summary2.count(Outcome.PLACED) == 0
    assert placed_on_server(fast_sandbox) == 25


def test_outbox_lost_reimport_is_still_deduplicated_by_the_server(
    fast_sandbox: SandboxServer, tmp_path: Path, arun: Callable[..., Any]
) -> None:
    table = make_file(3)
    first = Outbox(tmp_path / "a.sqlite3")
    arun(Run(fast_sandbox, first, tmp_path)(table), timeout=30)
    # A fresh outbox (another machine, or a wiped profile): the same keys reach the server.
    second = Outbox(tmp_path / "b.sqlite3")
    _rows, summary = arun(Run(fast_sandbox, second, tmp_path)(table), timeout=30)
    assert summary.count(Outcome.PLACED) == 3
    assert placed_on_server(fast_sandbox) == 3
    first.close()
    second.close()
    first.close()
    second.close()


def test_pause_resume_and_cancel(
    fast_sandbox: SandboxServer, tmp_path: Path, outbox: Outbox, arun: Callable[..., Any]
) -> None:
    table = make_file(8)
    seen_pause = []

    def control(sender: BulkSender, p: Progress) -> None:
        if p.done == 2 and not sender.paused and not seen_pause:
            sender.pause()
        elif p.paused:
            seen_pause.append(p.done)
            sender.resume()
        elif p.done == 5:
            sender.cancel()

    run = Run(fast_sandbox, outbox, tmp_path)
    _rows, summary = arun(run(table, control), timeout=30)
    assert seen_pause == [2]
    assert summary.cancelled
    assert summary.count(Outcome.PLACED) == 5 and summary.count(Outcome.NOT_SENT) == 3
    assert placed_on_server(fast_sandbox) == 5
    left = [d for d in outbox.unsent(PROFILE) if d.state is DraftState.DRAFT]
    assert len(left) == 3  # kept to send later, never lost
    assert "3 not sent (cancelled)" in "\n".join(summary.lines())
    # Importing again sends exactly the three that were left.
    _rows, rest = arun(Run(fast_sandbox, outbox, tmp_path)(table), timeout=30)
    assert rest.count(Outcome.PLACED) == 3 and rest.count(Outcome.ALREADY_PLACED) == 5
    assert placed_on_server(fast_sandbox) == 8


def test_daily_limit_stops_and_keeps_the_rest(
    fast_sandbox: SandboxServer, tmp_path: Path, outbox: Outbox, arun: Callable[..., Any]
) -> None:
    fast_sandbox.set_rate_limits(orders_per_day=4)
    _rows, summary = arun(Run(fast_sandbox, outbox, tmp_path)(make_file(6)), timeout=30)
    assert summary.count(Outcome.PLACED) == 4 and summary.count(Outcome.NOT_SENT) == 2
    assert summary.stop_reason == "the daily order limit is reached"
    assert placed_on_server(fast_sandbox) == 4


def test_fixed_row_reimport_sends_only_that_row(
    fast_sandbox: SandboxServer, tmp_path: Path, outbox: Outbox, arun: Callable[..., Any]
) -> None:
    arun(Run(fast_sandbox, outbox, tmp_path)(make_file(4, bad=1)), timeout=30)
    assert placed_on_server(fast_sandbox) == 4
    fixed = make_file(4, bad=1).replace(b"prod_standard;ten;", b"prod_standard;10;")
    _rows, summary = arun(Run(fast_sandbox, outbox, tmp_path)(fixed), timeout=30)
    assert summary.count(Outcome.ALREADY_PLACED) == 4 and summary.count(Outcome.PLACED) == 1
    assert placed_on_server(fast_sandbox) == 5


def test_server_not_answering_stops_and_keeps_the_rest(
    fast_sandbox: SandboxServer, tmp_path: Path, outbox: Outbox, arun: Callable[..., Any]
) -> None:
    # Every POST fails ambiguously (503) and none is found afterwards: three in doubt, then stop.
    fast_sandbox.faults.fail_next(
        503, "UNAVAILABLE", count=100, path_prefix="/api/partner/orders", method="POST"
    )
    _rows, summary = arun(Run(fast_sandbox, outbox, tmp_path)(make_file(6)), timeout=60)
    assert summary.count(Outcome.UNKNOWN) == 3 and summary.count(Outcome.NOT_SENT) == 3
    assert summary.stop_reason == "the server is not answering"
    assert "in doubt: kept in the Outbox" in "\n".join(summary.lines())
    assert placed_on_server(fast_sandbox) == 0
