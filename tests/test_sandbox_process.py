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


def _kill_and_wait(process: SandboxProcess) -> None:
    process._proc.kill()
    process._proc.wait(10)
    assert not process.running


def test_a_killed_child_is_restarted_at_the_same_address(child: SandboxProcess, arun: Any) -> None:
    import os

    child.wait_ready()
    base_url, pid = child.base_url, child.pid

    async def products() -> int:
        async with PartnerClient(child.base_url, child.demo_api_key) as client:
            return len(await client.list_products())

    count = arun(products())
    assert child.ensure_running() is False  # alive: nothing to do
    _kill_and_wait(child)
    assert child.ensure_running() is True
    assert child.running
    assert child.pid != pid
    assert child.base_url == base_url  # the app's client keeps working unchanged
    assert child.restarts == 1
    assert arun(products()) == count  # same database, same data
    assert os.path.exists(child.db_path)


def test_a_child_that_cannot_start_again_says_how_to_recover(
    child: SandboxProcess, monkeypatch: pytest.MonkeyPatch
) -> None:
    from nfctagify_desktop.sandbox import process as process_module

    child.wait_ready()
    _kill_and_wait(child)
    monkeypatch.setattr(
        process_module,
        "sandbox_command",
        lambda *a, **k: [sys.executable, "-c", "raise SystemExit(3)"],
    )
    with pytest.raises(process_module.SandboxUnavailableError) as info:
        child.ensure_running(timeout=20)
    message = str(info.value)
    assert "could not be restarted" in message
    assert "Restart the app" in message
    assert str(child.db_path) in message


def test_restarts_stop_after_repeated_deaths(
    child: SandboxProcess, monkeypatch: pytest.MonkeyPatch
) -> None:
    from nfctagify_desktop.sandbox import process as process_module

    child.wait_ready()
    monkeypatch.setattr(process_module, "MAX_RESTARTS", 1)
    _kill_and_wait(child)
    assert child.ensure_running() is True
    _kill_and_wait(child)
    with pytest.raises(
        process_module.SandboxUnavailableError, match="stopped 2 times within a minute"
    ):
        child.ensure_running()


def test_the_child_does_not_inherit_the_api_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NFCTAGIFY_API_KEY", "ntk_live_must_not_leak_123")
    process = SandboxProcess(tmp_path / "s.sqlite3")
    try:
        process.wait_ready()
        environ = Path(f"/proc/{process.pid}/environ")
        if not environ.exists():  # pragma: no cover - not Linux
            pytest.skip("no /proc")
        data = environ.read_bytes()
        assert b"NFCTAGIFY_API_KEY" not in data
        assert b"must_not_leak" not in data
    finally:
        process.stop()
