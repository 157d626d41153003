"""App-owned async tasks: one entry point for background work.

qasync's asyncSlot keeps no strong reference to its task (fixed only after 0.28.0), so every
piece of async UI work goes through :meth:`TaskRunner.run`, which owns its tasks:

- a **key**: a new task under the same key cancels the one it replaces (a refresh supersedes
  the refresh in flight);
- typed **success and failure callbacks**;
- an optional **owner** QObject (usually the widget that shows the result): when it is
  destroyed the task is cancelled and its callbacks are dropped, so a closed dialog is never
  called back into (no "Internal C++ object already deleted");
- a failure that no callback handles is logged *and* emitted as ``sig_error``, which the main
  window shows in its status bar: nothing fails silently.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QMetaObject, QObject, Signal

log = logging.getLogger("nfctagify.services.tasks")

T = TypeVar("T")


@dataclass
class _Job:
    task: asyncio.Task[Any]
    owner: QObject | None
    connection: QMetaObject.Connection | None = None
    #: False once the owner is gone: the callbacks must not run any more.
    live: bool = True


class TaskRunner(QObject):
    """Runs coroutines on the qasync loop on behalf of views and services.

    Signals:
        sig_busy_changed(int): number of tasks in flight.
        sig_error(str, object): a task failed and no failure callback took it (key, exception).
    """

    sig_busy_changed = Signal(int)
    sig_error = Signal(str, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._jobs: dict[str, _Job] = {}
        self._closed = False

    @property
    def busy_count(self) -> int:
        return len(self._jobs)

    def is_running(self, key: str) -> bool:
        job = self._jobs.get(key)
        return job is not None and not job.task.done()

    def task(self, key: str) -> asyncio.Task[Any] | None:
        """The task running under ``key``, if any."""
        job = self._jobs.get(key)
        return job.task if job is not None else None

    def has_callbacks_for(self, owner: QObject) -> bool:
        """Whether a live task would still call back into ``owner`` (tests, diagnostics)."""
        return any(j.live and j.owner is owner for j in self._jobs.values())

    def run(
        self,
        key: str,
        coro: Coroutine[Any, Any, T],
        on_success: Callable[[T], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        *,
        owner: QObject | None = None,
    ) -> asyncio.Task[T] | None:
        """Start ``coro`` under ``key``, cancelling the task it supersedes.

        ``on_error`` handles the failure; without it the failure is reported on ``sig_error``.
        With ``owner``, the task is cancelled and its callbacks dropped when ``owner`` dies.
        """
        if self._closed or (owner is not None and not shiboken6.isValid(owner)):
            coro.close()
            return None
        previous = self._jobs.pop(key, None)
        if previous is not None:
            self._drop(previous)
            previous.task.cancel()
        task = asyncio.get_event_loop().create_task(coro)
        job = _Job(task, owner)
        if owner is not None:
            job.connection = owner.destroyed.connect(lambda *_: self._owner_gone(key, job))
        self._jobs[key] = job
        self.sig_busy_changed.emit(len(self._jobs))

        def done(t: asyncio.Task[T]) -> None:
            if self._jobs.get(key) is job:
                del self._jobs[key]
                self.sig_busy_changed.emit(len(self._jobs))
            live = job.live and (owner is None or shiboken6.isValid(owner))
            self._drop(job)
            if t.cancelled() or not live:
                return
            exc = t.exception()
            if exc is not None:
                if on_error is not None:
                    on_error(exc)
                else:
                    self.report(key, exc)
            elif on_success is not None:
                on_success(t.result())

        task.add_done_callback(done)
        return task

    def report(self, key: str, exc: BaseException) -> None:
        """A failure nobody handled: log it and tell the window (status bar)."""
        log.error("task %s failed", key, exc_info=exc)
        self.sig_error.emit(key, exc)

    def _owner_gone(self, key: str, job: _Job) -> None:
        job.live = False
        job.connection = None  # the sender is being destroyed: Qt drops the connection itself
        job.task.cancel()
        if self._jobs.get(key) is job:
            del self._jobs[key]
            self.sig_busy_changed.emit(len(self._jobs))

    @staticmethod
    def _drop(job: _Job) -> None:
        """Forget the owner: disconnect from its ``destroyed`` so nothing keeps it alive."""
        job.live = False
        if job.connection is not None and job.owner is not None and shiboken6.isValid(job.owner):
            QObject.disconnect(job.connection)
        job.connection = None

    def cancel(self, key: str) -> None:
        job = self._jobs.get(key)
        if job is not None:
            job.task.cancel()

    async def shutdown(self, grace: float = 2.0) -> None:
        """Cancel everything and wait (bounded) so nothing is destroyed while pending."""
        self._closed = True
        tasks = [j.task for j in self._jobs.values() if not j.task.done()]
        for job in self._jobs.values():
            self._drop(job)
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.wait(tasks, timeout=grace)
        self._jobs.clear()
