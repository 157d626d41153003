"""HTTPS rules and certificate checks: https required off loopback, trustme CA per profile.

The sandbox app is served over TLS by uvicorn (``ssl_certfile``/``ssl_keyfile``) on 127.0.0.1
with a certificate from a throw-away ``trustme`` CA. Loopback is only what a test can reach;
what matters in real life is that non-loopback hosts get the same verification.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import trustme
import uvicorn

from nfctagify_desktop.api.client import PartnerClient
from nfctagify_desktop.api.errors import ConfigurationError, NetworkError
from nfctagify_desktop.sandbox.server import SandboxServer
from nfctagify_desktop.services.connection import connect, ssl_context_for
from nfctagify_desktop.store.settings import Profile, SettingsStore


class HttpsSandbox:
    """The sandbox app on uvicorn with TLS, in a daemon thread (like SandboxServer)."""

    def __init__(self, db: Path, certfile: Path, keyfile: Path) -> None:
        self.sandbox = SandboxServer(db)
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        sock.listen(16)
        sock.setblocking(False)
        self.sock = sock
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(
            self.sandbox.app,
            log_config=None,
            log_level="warning",
            access_log=False,
            lifespan="off",
            ssl_certfile=str(certfile),
            ssl_keyfile=str(keyfile),
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        with asyncio.Runner(loop_factory=asyncio.SelectorEventLoop) as runner:
            runner.run(self.server.serve(sockets=[self.sock]))

    def start(self) -> None:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            assert time.monotonic() < deadline and self.thread.is_alive()
            time.sleep(0.01)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)
        self.sock.close()
        self.sandbox.close()

    @property
    def base_url(self) -> str:
        return f"https://localhost:{self.port}"


@pytest.fixture
def ca(tmp_path: Path) -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def ca_pem(ca: trustme.CA, tmp_path: Path) -> Path:
    path = tmp_path / "corporate-ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return path


@pytest.fixture
def https_sandbox(ca: trustme.CA, tmp_path: Path) -> Iterator[HttpsSandbox]:
    cert = ca.issue_cert("localhost", "127.0.0.1")
    certfile, keyfile = tmp_path / "server.pem", tmp_path / "server.key"
    cert.cert_chain_pems[0].write_to_path(str(certfile))
    for extra in cert.cert_chain_pems[1:]:
        extra.write_to_path(str(certfile), append=True)
    cert.private_key_pem.write_to_path(str(keyfile))
    server = HttpsSandbox(tmp_path / "tls.sqlite3", certfile, keyfile)
    server.start()
    yield server
    server.stop()


def profile_for(url: str, ca_bundle: Path | None = None) -> Profile:
    return Profile(
        name="Production",
        base_url=url,
        kind="account",
        ca_bundle=str(ca_bundle) if ca_bundle else None,
    )


async def products_via(profile: Profile, key: str) -> int:
    conn = await connect(profile, api_key=key)
    try:
        return len(await conn.client.list_products())
    finally:
        await conn.client.aclose()


# -- https required off loopback -----------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["http://api.nfctagify.com", "http://10.0.0.5:8080", "http://example.com/api/partner"]
)
def test_plain_http_to_a_remote_host_is_refused(url: str) -> None:
    with pytest.raises(ConfigurationError) as info:
        PartnerClient(url, "ntk_irrelevant_key")
    assert info.value.code == "HTTPS_REQUIRED"
    assert "requires HTTPS" in info.value.message
    with pytest.raises(ValueError, match="requires HTTPS"):
        profile_for(url)
    with pytest.raises(ConfigurationError):
        SettingsStore().add_profile(Profile.model_construct(name="X", base_url=url, kind="account"))


@pytest.mark.parametrize("url", ["http://127.0.0.1:8000", "http://localhost:1", "http://[::1]:9"])
def test_plain_http_is_allowed_on_loopback(url: str) -> None:
    assert profile_for(url).base_url.startswith("http://")


# -- certificate verification --------------------------------------------------------------------


def test_https_sandbox_is_accepted_with_its_ca_configured(
    https_sandbox: HttpsSandbox, ca_pem: Path, arun: Callable[..., Any]
) -> None:
    profile = profile_for(https_sandbox.base_url, ca_pem)
    assert arun(products_via(profile, https_sandbox.sandbox.demo_api_key)) > 0


def test_https_sandbox_is_rejected_without_the_ca(
    https_sandbox: HttpsSandbox, arun: Callable[..., Any]
) -> None:
    profile = profile_for(https_sandbox.base_url)
    with pytest.raises(NetworkError) as info:
        arun(products_via(profile, https_sandbox.sandbox.demo_api_key))
    assert info.value.code == "TLS_ERROR"
    host = httpx.URL(https_sandbox.base_url).host
    assert f"The TLS certificate of {host} is not trusted: " in info.value.message


def test_https_sandbox_is_rejected_with_another_ca(
    https_sandbox: HttpsSandbox, tmp_path: Path, arun: Callable[..., Any]
) -> None:
    other = tmp_path / "other-ca.pem"
    trustme.CA().cert_pem.write_to_path(str(other))
    profile = profile_for(https_sandbox.base_url, other)
    with pytest.raises(NetworkError) as info:
        arun(products_via(profile, https_sandbox.sandbox.demo_api_key))
    assert info.value.code == "TLS_ERROR"


def test_missing_or_bad_ca_bundle_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="does not exist") as info:
        ssl_context_for(profile_for("https://api.example.com", tmp_path / "nope.pem"))
    assert info.value.code == "CA_BUNDLE"
    junk = tmp_path / "junk.pem"
    junk.write_text("not a certificate")
    with pytest.raises(ConfigurationError, match="could not be read"):
        ssl_context_for(profile_for("https://api.example.com", junk))


def test_settings_dialog_test_connection_over_tls(
    https_sandbox: HttpsSandbox, ca_pem: Path, qtbot: Any, arun: Callable[..., Any]
) -> None:
    """The dialog reports the TLS error, and success once the CA bundle is set."""
    from nfctagify_desktop.services.container import build_services
    from nfctagify_desktop.store.settings import sandbox_profile
    from nfctagify_desktop.ui.account_controller import AccountController
    from nfctagify_desktop.ui.main_window import MainWindow

    sandbox = https_sandbox.sandbox
    sandbox.start()  # plain-http loopback sandbox for the window's own connection
    services = build_services(arun(connect(sandbox_profile(), sandbox=sandbox)))
    ctx = services.ctx
    window = MainWindow(services)
    accounts = AccountController(services.accounts, window)
    dialog = accounts.open_settings()
    try:
        dialog.add_profile()
        dialog.name_edit.setText("Production")
        dialog.url_edit.setText(https_sandbox.base_url)
        dialog.key_field.setText(sandbox.demo_api_key)
        with qtbot.waitSignal(dialog.sig_tested, timeout=8000) as blocker:
            dialog.test_button.click()
        assert "TLS certificate of localhost is not trusted: " in blocker.args[0]
        assert "TLS_ERROR" in blocker.args[0]
        dialog.ca_edit.setText(str(ca_pem))
        with qtbot.waitSignal(dialog.sig_tested, timeout=8000) as blocker:
            dialog.test_button.click()
        assert blocker.args[0].startswith("✓ Connected: ")
    finally:
        accounts.close_windows()
        arun(services.aclose())
        arun(ctx.connection.client.aclose())
        window.close()
        window.deleteLater()
        sandbox.stop()
