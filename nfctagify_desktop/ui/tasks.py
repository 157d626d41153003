"""App-owned async tasks: supersede, busy state, clean cancellation (PITFALLS Q3/Q4).

qasync's asyncSlot keeps no strong reference to its task (fixed only after 0.28.0), so every
piece of async UI work goes through a TaskRunner that owns its tasks. A new task under the same
key cancels the one it replaces: a refresh supersedes the refresh in flight.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal

log = logging.getLogger("nfctagify.ui.tasks")

T = TypeVar("T")


class TaskRunner(QObject):
    """Runs coroutines on the qasync loop on behalf of views.

    Signals:
        sig_busy_changed(int): number of tasks in flight.
        sig_error(str, object): a task failed with an exception (key, exception).
    """

    sig_busy_changed = Signal(int)
    sig_error = Signal(str, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tasks: dict[str, asyncio.Task[Any]] = {}
        self._closed = False

    @property
    def busy_count(self) -> int:
        return len(self._tasks)

    def is_running(self, key: str) -> bool:
        task = self._tasks.get(key)
        return task is not None and not task.done()

    def run(
        self,
        key: str,
        coro: Coroutine[Any, Any, T],
        on_success: Callable[[T], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> asyncio.Task[T] | None:
        """Start ``coro`` under ``key``, cancelling the task it supersedes."""
        if self._closed:
            coro.close()
            return None
        previous = self._tasks.pop(key, None)
        if previous is not None and not previous.done():
            previous.cancel()
        task = asyncio.get_event_loop().create_task(coro)
        self._tasks[key] = task
        self.sig_busy_changed.emit(len(self._tasks))

        def done(t: asyncio.Task[T]) -> None:
            if self._tasks.get(key) is t:
                del self._tasks[key]
                self.sig_busy_changed.emit(len(self._tasks))
            if t.cancelled():
                return
            exc = t.exception()
            if exc is not None:
                if on_error is not None:
                    on_error(exc)
                else:
                    log.error("task %s failed", key, exc_info=exc)
                    self.sig_error.emit(key, exc)
            elif on_success is not None:
                on_success(t.result())

        task.add_done_callback(done)
        return task

    def cancel(self, key: str) -> None:
        task = self._tasks.get(key)
        if task is not None:
            task.cancel()

    async def shutdown(self, grace: float = 2.0) -> None:
        """Cancel everything and wait (bounded) so nothing is destroyed while pending."""
        self._closed = True
        tasks = [t for t in self._tasks.values() if not t.done()]
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.wait(tasks, timeout=grace)
        self._tasks.clear()
