"""The embedded sandbox as a child process, for the app.

Starting it in-process costs the GUI ~300 ms of fastapi/uvicorn imports and shares one GIL
with the window; as a child it is spawned before Qt is even imported and starts on the other
core (docs/performance.md). Tests keep using the in-process ``SandboxServer`` for its faults
and clock. This module imports neither Qt nor fastapi.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import IO

from nfctagify_desktop.app_args import RUN_SANDBOX_ARG
from nfctagify_desktop.sandbox.accounts import DEMO_API_KEY

#: More deaths than this within RESTART_WINDOW seconds: stop restarting, tell the user.
MAX_RESTARTS = 3
RESTART_WINDOW = 60.0


class SandboxUnavailableError(RuntimeError):
    """The sandbox child died and could not be started again; the message says what to do."""


def free_port() -> int:
    """A loopback port free right now (the child binds it with SO_REUSEADDR moments later)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


#: Never handed to a child: the sandbox has no use for the partner's key.
_SECRET_ENV = ("NFCTAGIFY_API_KEY",)


def child_environment() -> dict[str, str]:
    """This process's environment without the API key, for any child process."""
    env = {k: v for k, v in os.environ.items() if k not in _SECRET_ENV}
    env["PYTHONUNBUFFERED"] = "1"
    return env


def sandbox_command(db_path: Path, port: int, extra_args: Sequence[str] = ()) -> list[str]:
    """How to start the sandbox: ``python -m …`` from source, the app itself when frozen."""
    args = [
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--db",
        str(db_path),
        "--exit-with-parent",
        *extra_args,
    ]
    if getattr(sys, "frozen", False):
        return [sys.executable, RUN_SANDBOX_ARG, *args]
    return [sys.executable, "-m", "nfctagify_desktop.sandbox", *args]


class SandboxProcess:
    """A ``nfctagify-sandbox`` child: ``base_url``, ``demo_api_key``, ``stop()``.

    The address and key are known at once (the port is chosen here, the demo key is the
    sandbox's constant), so the window can be built while the child starts; call
    ``wait_ready()`` (off the GUI thread) before the first request.
    """

    def __init__(
        self,
        db_path: Path,
        log_path: Path | None = None,
        extra_args: Sequence[str] = (),
        *,
        port: int | None = None,
    ) -> None:
        self.db_path = db_path
        self.log_path = log_path
        self._extra_args = tuple(extra_args)
        self.demo_api_key = DEMO_API_KEY
        self.api_keys: dict[str, str] = {}
        #: How many times the child was started again after it died.
        self.restarts = 0
        #: True once stop() was called: a child stopped on purpose is never restarted.
        self.stopped = False
        self._restart_times: list[float] = []
        self._log: IO[bytes] | None = None
        self._spawn(port or free_port())

    def _spawn(self, port: int) -> None:
        self.port = port
        self.base_url = f"http://127.0.0.1:{port}"
        self.ready = False
        self.stopped = False
        if self._log is None and self.log_path is not None:
            self._log = open(self.log_path, "ab")  # noqa: SIM115
        flags = getattr(subprocess, "CREATE_NO_WINDOW", 0)  # no console flash on Windows
        self._proc = subprocess.Popen(
            sandbox_command(self.db_path, port, self._extra_args),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._log or subprocess.DEVNULL,
            env=child_environment(),
            creationflags=flags,
        )

    def wait_ready(self, timeout: float = 30.0) -> None:
        """Block until the child printed its address and keys (call it off the GUI thread)."""
        if self.ready:
            return
        assert self._proc.stdout is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            line = self._proc.stdout.readline().decode("utf-8", "replace").strip()
            if not line:
                if self._proc.poll() is not None:
                    raise RuntimeError(
                        f"the sandbox exited with code {self._proc.returncode} before it was ready"
                    )
                continue
            key, _, value = line.partition("=")
            if key == "base_url":
                self.base_url = value
            elif key == "api_key":
                self.demo_api_key = value
            elif key.startswith("key[") and key.endswith("]"):
                self.api_keys[key[4:-1]] = value
            elif line.startswith("Press Ctrl+C"):
                self.ready = True
                return
        self.stop()
        raise TimeoutError(f"the sandbox did not start within {timeout:.0f} s")

    def ensure_running(self, timeout: float = 30.0) -> bool:
        """Start the child again if it died; True when it was restarted (call it off the GUI).

        The same port is tried first so that clients keep their address; if another program
        took it, a new port is used and ``base_url`` changes. The data survives: the database
        file is the same.

        Raises:
            SandboxUnavailableError: it cannot be restarted; the message says how to recover.
        """
        if self.running or self.stopped:
            return False
        code = self._proc.returncode
        now = time.monotonic()
        self._restart_times = [t for t in self._restart_times if now - t < RESTART_WINDOW]
        if len(self._restart_times) >= MAX_RESTARTS:
            raise SandboxUnavailableError(
                self._recovery(f"it stopped {len(self._restart_times) + 1} times within a minute")
            )
        self._restart_times.append(now)
        self._close_pipes()
        last_error: Exception | None = None
        for port in (self.port, free_port()):
            self._spawn(port)
            try:
                self.wait_ready(timeout)
            except (RuntimeError, TimeoutError) as exc:
                last_error = exc
                self._close_pipes()
                continue
            self.restarts += 1
            return True
        raise SandboxUnavailableError(
            self._recovery(f"it exited with code {code} and {last_error}")
        )

    def _recovery(self, why: str) -> str:
        where = f" The sandbox's log is {self.log_path}." if self.log_path else ""
        return (
            f"The built-in sandbox stopped and could not be restarted ({why}). Restart the app;"
            f" if that does not help, close it and delete {self.db_path} to reset the sandbox's "
            f"demo data.{where}"
        )

    @property
    def pid(self) -> int:
        return self._proc.pid

    @property
    def running(self) -> bool:
        return self._proc.poll() is None

    def _close_pipes(self) -> None:
        for stream in (self._proc.stdin, self._proc.stdout):
            if stream is not None:
                stream.close()

    def stop(self, timeout: float = 5.0) -> None:
        """Ask it to stop (SIGTERM) and wait, then insist; safe to call twice.

        ``timeout=0`` only asks: the child shuts its server and database down on its own
        (about a second) while the app exits at once.
        """
        self.stopped = True
        if self._proc.poll() is None:
            self._proc.terminate()
            if timeout > 0:
                try:
                    self._proc.wait(timeout)
                except subprocess.TimeoutExpired:
                    self._proc.kill()
                    self._proc.wait(timeout)
        self._close_pipes()
        if self._log is not None:
            self._log.close()
            self._log = None
