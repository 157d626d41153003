"""A crash loses at most the last keystrokes: kill -9 within a second of typing keeps the text."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.crash_child import TEXT

CHILD = Path(__file__).with_name("crash_child.py")
#: The longest a user may wait between the last keystroke and a crash for the text to survive.
CRASH_WITHIN_S = 1.0


def saved_names(outbox: Path) -> list[str]:
    """Names in the outbox file as another process sees it (read-only, no locks taken)."""
    if not outbox.exists():
        return []
    conn = sqlite3.connect(f"file:{outbox}?mode=ro", uri=True)
    try:
        rows = conn.execute("SELECT fields FROM drafts").fetchall()
    except sqlite3.OperationalError:  # the table is not created yet
        return []
    finally:
        conn.close()
    return [json.loads(r[0]).get("name", "") for r in rows]


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_kill_9_within_a_second_of_typing_keeps_the_text(tmp_path: Path) -> None:
    outbox = tmp_path / "outbox.sqlite3"
    env = {k: v for k, v in os.environ.items() if not k.startswith("NFCTAGIFY_")}
    env.update(QT_QPA_PLATFORM="offscreen", NFCTAGIFY_HOME=str(tmp_path / "home"))
    env["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(CHILD.parent.parent), env.get("PYTHONPATH")])
    )
    proc = subprocess.Popen(
        [sys.executable, str(CHILD), str(outbox), str(tmp_path / "sandbox.sqlite3")],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()  # blocks until the child has typed (or died)
        assert line.strip() == "TYPED", f"the child did not start (exit {proc.poll()})"
        typed = time.monotonic()
        # The crash comes at most a second after the last keystroke: sooner if the draft is
        # already on disk, so the test does not wait longer than it must.
        while time.monotonic() - typed < CRASH_WITHIN_S and TEXT not in saved_names(outbox):
            time.sleep(0.02)
    finally:
        proc.kill()  # SIGKILL: no close event, no flush, no atexit
        proc.wait(timeout=30)
        if proc.stdout is not None:
            proc.stdout.close()
    assert proc.returncode == -9
    assert saved_names(outbox) == [TEXT]
