"""The app's sandbox child process: address known up front, real HTTP, clean stop."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

import pytest

from nfctagify_desktop.api import PartnerClient
from nfctagify_desktop.sandbox import DEMO_API_KEY
from nfctagify_desktop.sandbox.process import RUN_SANDBOX_ARG, SandboxProcess, sandbox_command


@pytest.fixture
def child(tmp_path: Path) -> Any:
    process = SandboxProcess(tmp_path / "sandbox.sqlite3", log_path=tmp_path / "sandbox.log")
    yield process
    process.stop()


def test_child_serves_the_api_at_the_address_chosen_up_front(
    child: SandboxProcess, arun: Any
) -> None:
    base_url = child.base_url
    assert base_url.startswith("http://127.0.0.1:")
    assert child.demo_api_key == DEMO_API_KEY
    child.wait_ready()
    assert child.ready
    assert child.base_url == base_url  # the child listens where the app already points

    async def products() -> int:
        async with PartnerClient(child.base_url, child.demo_api_key) as client:
            return len(await client.list_products())

    assert arun(products()) > 0
    child.stop()
    assert not child.running
    assert child._proc.returncode == 0  # SIGTERM is a clean shutdown


def test_child_exits_when_the_parent_goes(child: SandboxProcess) -> None:
    child.wait_ready()
    assert child._proc.stdin is not None
    child._proc.stdin.close()  # what the OS does when the app dies
    deadline = time.monotonic() + 10
    while child.running and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not child.running
    assert child._proc.returncode == 0


def test_frozen_app_runs_itself_as_the_sandbox(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    command = sandbox_command(Path("/tmp/db.sqlite3"), 4321)
    assert command[:2] == [sys.executable, RUN_SANDBOX_ARG]
    assert "--exit-with-parent" in command
    assert command[command.index("--port") + 1] == "4321"


def test_app_entry_point_dispatches_to_the_sandbox() -> None:
    import subprocess

    proc = subprocess.run(
        [sys.executable, "main.py", RUN_SANDBOX_ARG, "--help"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert "nfctagify-sandbox" in proc.stdout
