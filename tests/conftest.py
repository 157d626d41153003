"""Shared fixtures: offscreen Qt, one session-wide qasync loop, an in-memory keyring, sandboxes."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_API", "pyside6")

import httpx
import keyring
import pytest
from keyring.backend import KeyringBackend

from nfctagify_desktop.sandbox.server import SandboxServer

T = TypeVar("T")


class MemoryKeyring(KeyringBackend):
    """A dict-backed keyring so tests never touch the OS keyring."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        from keyring.errors import PasswordDeleteError

        if (service, username) not in self.store:
            raise PasswordDeleteError(username)
        del self.store[(service, username)]


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture(autouse=True)
def app_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point every per-user directory (config, data, cache, logs) at a fresh temp folder."""
    home = tmp_path / "appdirs"
    home.mkdir()
    monkeypatch.setenv("NFCTAGIFY_HOME", str(home))
    monkeypatch.delenv("NFCTAGIFY_BASE_URL", raising=False)
    monkeypatch.delenv("NFCTAGIFY_API_KEY", raising=False)
    return home


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[SandboxServer]:
    """A real Partner API server on a free loopback port, with a fresh SQLite file."""
    server = SandboxServer(tmp_path / "sandbox.sqlite3")
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def qloop(qapp: object) -> asyncio.AbstractEventLoop:
    """One qasync loop for the whole session, never stopped (a stopped one cannot run again)."""
    import qasync

    loop = qasync.QEventLoop(qapp, already_running=True)
    # qasync's default QThreadExecutor is only shut down by loop.close(), which this session
    # loop never gets: its QThreads would abort the process at exit. Python threads are joined.
    loop.set_default_executor(ThreadPoolExecutor(max_workers=4, thread_name_prefix="test-io"))
    asyncio.set_event_loop(loop)
    return loop


@pytest.fixture
def aloop(qloop: asyncio.AbstractEventLoop, qapp: object) -> Iterator[asyncio.AbstractEventLoop]:
    """Per test: the session loop, and afterwards cancel whatever the test left running."""
    yield qloop
    pending = [t for t in asyncio.all_tasks(qloop) if not t.done()]
    for task in pending:
        task.cancel()
    for _ in range(200):
        if all(t.done() for t in pending):
            break
        qapp.processEvents()  # type: ignore[attr-defined]


@pytest.fixture
def arun(aloop: asyncio.AbstractEventLoop, qtbot: object) -> Callable[..., Any]:
    """Run a coroutine to completion on the session qasync loop from a sync test.

    asyncio.run() cannot be used once the qasync loop is marked running, so every async
    test, Qt or not, goes through this.
    """

    def _run(coro: Coroutine[Any, Any, T], timeout: float = 15.0) -> T:
        task = aloop.create_task(coro)
        qtbot.waitUntil(task.done, timeout=int(timeout * 1000))  # type: ignore[attr-defined]
        return task.result()

    return _run


class RecordingTransport(httpx.AsyncBaseTransport):
    """Real HTTP (wraps httpx's transport) that remembers every request it sent."""

    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.requests: list[httpx.Request] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()

    def last(self, path_suffix: str) -> httpx.Request:
        for request in reversed(self.requests):
            if request.url.path.endswith(path_suffix):
                return request
        raise AssertionError(f"no request to {path_suffix}")


@pytest.fixture
def sandbox_connection(sandbox: SandboxServer, arun: Callable[..., Any]) -> Iterator[Any]:
    """A Connection to the sandbox whose client records every request (real HTTP)."""
    from nfctagify_desktop.api import PartnerClient, RetryPolicy
    from nfctagify_desktop.services.connection import Connection

    transport = RecordingTransport()
    client = PartnerClient(
        sandbox.base_url,
        sandbox.demo_api_key,
        transport=transport,
        retry=RetryPolicy(max_retry_after=5, backoff_base=0.05),
    )
    conn = Connection(
        "Sandbox",
        sandbox.base_url,
        client,
        is_sandbox=True,
        account_id="demo",
        sandbox=sandbox,
        secrets=(sandbox.demo_api_key,),
    )
    conn.transport = transport  # type: ignore[attr-defined]
    yield conn
    arun(client.aclose())


@pytest.fixture
def main_window(
    qtbot: Any, aloop: Any, arun: Callable[..., Any], sandbox_connection: Any
) -> Iterator[Any]:
    """The real MainWindow on the sandbox, shown offscreen; closed and shut down afterwards."""
    from nfctagify_desktop.services.container import build_services
    from nfctagify_desktop.ui.main_window import MainWindow

    services = build_services(sandbox_connection)
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.show()
    yield window
    arun(services.aclose())
