"""The process ends after the app has closed, even when the teardown would wait forever."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# A non-daemon thread that never ends: the interpreter's exit waits for it without end, as it
# does for a socket operation Windows never reports back.
STUCK = textwrap.dedent(
    """
    import logging, sys, threading
    logging.basicConfig(stream=sys.stderr, level=logging.INFO)
    from nfctagify_desktop.exit_guard import bound_teardown
    never = threading.Event()
    threading.Thread(target=never.wait, name="stuck-worker").start()
    bound_teardown({rc}, grace_s={grace})
    sys.exit(0)
    """
)


def run(script: str, timeout: float) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def test_a_hanging_teardown_ends_with_the_apps_exit_code_and_the_stacks_in_the_log() -> None:
    proc = run(STUCK.format(rc=3, grace=0.5), timeout=60)
    assert proc.returncode == 3
    assert "teardown still running after" in proc.stderr
    # Which thread held the exit, with its stack: the next hang is diagnosed from the log.
    assert "thread stuck-worker (non-daemon)" in proc.stderr
    assert "never.wait" in proc.stderr or "in wait" in proc.stderr


def test_a_normal_exit_is_neither_held_nor_changed_by_the_guard() -> None:
    script = textwrap.dedent(
        """
        import sys
        from nfctagify_desktop.exit_guard import bound_teardown
        bound_teardown(7, grace_s=120)
        print("bye", flush=True)
        sys.exit(0)
        """
    )
    # Were the timer to keep the process alive, this would time out (the grace is 120 s).
    proc = run(script, timeout=60)
    assert proc.returncode == 0
    assert proc.stdout == "bye\n"
    assert "teardown" not in proc.stderr
