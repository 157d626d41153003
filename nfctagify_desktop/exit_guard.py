"""A bounded end of the process: once the app has closed its files, teardown may not hang.

When ``run_app`` returns, everything the app owns is closed: the outbox, the mirrors, the
settings, the HTTP client and the sandbox. What is left is the interpreter's own teardown:
closing the event loop, joining worker threads, destroying Qt's objects. Some of it waits with
no limit: asyncio's IOCP proactor (Windows) closes only once every cancelled socket operation has
reported back, and the interpreter joins every worker thread. Under Wine, the Windows build once
logged its clean close and then did not end within four minutes. The user would see the window
gone and a process that never ends (and an update would find the app's files in use).

So a daemon timer ends the process if the teardown outlasts a grace period, after writing every
thread's stack to the log: the exit code is the app's own, because its work was done.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import traceback

log = logging.getLogger("nfctagify.exit")

# The teardown takes ~0.1 s on Linux and ~1.5 s under Wine; ten seconds is a hang.
EXIT_GRACE_S = 10.0


def thread_stacks() -> str:
    """Every live thread's name and stack, newest frame last (for the log)."""
    frames = sys._current_frames()
    parts: list[str] = []
    for thread in threading.enumerate():
        frame = frames.get(thread.ident or -1)
        kind = "daemon" if thread.daemon else "non-daemon"
        stack = "".join(traceback.format_stack(frame)) if frame is not None else "  (no frame)\n"
        parts.append(f"thread {thread.name} ({kind}):\n{stack}")
    return "\n".join(parts)


def _expire(rc: int, grace_s: float) -> None:
    try:
        log.warning(
            "teardown still running after %.0f s; ending the process\n%s", grace_s, thread_stacks()
        )
        for handler in logging.getLogger().handlers:
            handler.flush()
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        os._exit(rc)


def bound_teardown(rc: int, grace_s: float = EXIT_GRACE_S) -> threading.Timer:
    """End the process with ``rc`` if it is still running ``grace_s`` seconds from now."""
    timer = threading.Timer(grace_s, _expire, args=(rc, grace_s))
    timer.name = "exit-guard"
    timer.daemon = True  # a normal exit never waits for it
    timer.start()
    return timer
