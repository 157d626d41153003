"""The one entry point for background work: keys supersede, owners cancel, failures are seen."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QObject

from nfctagify_desktop.services.tasks import TaskRunner

WAIT = 10_000


@pytest.fixture
def runner(aloop: asyncio.AbstractEventLoop, arun: Any) -> Iterator[TaskRunner]:
    tasks = TaskRunner()
    yield tasks
    arun(tasks.shutdown())


@pytest.fixture
def loop_errors(aloop: asyncio.AbstractEventLoop) -> Iterator[list[dict[str, Any]]]:
    """Whatever a done-callback raised (asyncio reports it to the loop's exception handler)."""
    seen: list[dict[str, Any]] = []
    previous = aloop.get_exception_handler()
    aloop.set_exception_handler(lambda _loop, context: seen.append(context))
    yield seen
    aloop.set_exception_handler(previous)


async def _wait_forever(gate: asyncio.Event) -> str:
    await gate.wait()
    return "done"


def test_same_key_supersedes(runner: TaskRunner, qtbot: Any) -> None:
    gate = asyncio.Event()
    results: list[str] = []
    first = runner.run("k", _wait_forever(gate), results.append)
    second = runner.run("k", _wait_forever(gate), results.append)
    assert first is not None and second is not None
    gate.set()
    qtbot.waitUntil(lambda: second.done() and runner.busy_count == 0, timeout=WAIT)
    assert first.cancelled()
    assert results == ["done"]


def test_destroying_the_owner_cancels_and_drops_callbacks(
    runner: TaskRunner, qtbot: Any, loop_errors: list[dict[str, Any]]
) -> None:
    owner = QObject()
    gate = asyncio.Event()
    called: list[object] = []
    task = runner.run("owned", _wait_forever(gate), called.append, called.append, owner=owner)
    assert task is not None
    assert runner.has_callbacks_for(owner)
    shiboken6.delete(owner)  # the C++ object goes, as a closed dialog's does
    qtbot.waitUntil(task.done, timeout=WAIT)
    assert task.cancelled()
    assert runner.busy_count == 0
    assert not runner.is_running("owned")
    assert called == []
    assert loop_errors == []


def test_an_owner_already_gone_runs_nothing(runner: TaskRunner) -> None:
    owner = QObject()
    shiboken6.delete(owner)
    ran: list[bool] = []

    async def work() -> None:
        ran.append(True)

    assert runner.run("late", work(), owner=owner) is None
    assert runner.busy_count == 0
    assert ran == []


def test_a_finished_task_lets_its_owner_go(runner: TaskRunner, qtbot: Any) -> None:
    owner = QObject()
    gate = asyncio.Event()
    gate.set()
    done: list[str] = []
    runner.run("quick", _wait_forever(gate), done.append, owner=owner)
    qtbot.waitUntil(lambda: done == ["done"], timeout=WAIT)
    assert not runner.has_callbacks_for(owner)
    shiboken6.delete(owner)  # nothing connected any more: no late slot call
    assert runner.busy_count == 0


def test_unhandled_failure_is_reported_handled_one_is_not(runner: TaskRunner, qtbot: Any) -> None:
    async def boom() -> None:
        raise ValueError("disk full")

    handled: list[BaseException] = []
    with qtbot.assertNotEmitted(runner.sig_error, wait=50):
        task = runner.run("handled", boom(), on_error=handled.append)
        assert task is not None
        qtbot.waitUntil(task.done, timeout=WAIT)
    assert [str(e) for e in handled] == ["disk full"]

    with qtbot.waitSignal(runner.sig_error, timeout=WAIT) as blocker:
        runner.run("unhandled", boom())
    key, exc = blocker.args
    assert key == "unhandled"
    assert isinstance(exc, ValueError)


def test_unhandled_task_failure_reaches_the_status_bar(main_window: Any, qtbot: Any) -> None:
    async def boom() -> None:
        raise RuntimeError("the printer is on fire")

    main_window.ctx.tasks.run("background-job", boom())
    qtbot.waitUntil(
        lambda: "the printer is on fire" in main_window.statusBar().currentMessage(),
        timeout=WAIT,
    )
