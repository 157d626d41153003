"""Connection failures in plain words, over real sockets: DNS, refused, bad certificate,
timeouts, 401/403; and one call ends after a bounded total time, retries included."""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
import trustme

from nfctagify_desktop.api import (
    ApiError,
    ForbiddenError,
    NetworkError,
    PartnerClient,
    RateLimitedError,
    RequestTimeoutError,
    RetryPolicy,
    UnauthorizedError,
)
from nfctagify_desktop.api.diagnosis import NEVER_SENT_CODES, diagnose
from nfctagify_desktop.api.retry import NO_RETRY
from nfctagify_desktop.sandbox.server import SandboxServer
from tests.fault_servers import StallingServer, TlsServer, running

Run = Callable[..., Any]


def fail(arun: Run, client: PartnerClient) -> ApiError:
    async def go() -> None:
        async with client:
            await client.list_products()

    with pytest.raises(ApiError) as info:
        arun(go())
    return info.value


@pytest.fixture
def tls_server() -> Iterator[tuple[TlsServer, trustme.CA]]:
    ca = trustme.CA()
    with running(TlsServer(ca)) as server:
        yield server, ca


def test_dns_failure(arun: Run) -> None:
    error = fail(arun, PartnerClient("https://no-such-host.invalid", "k-123456", retry=NO_RETRY))
    assert isinstance(error, NetworkError)
    assert error.code == "DNS_ERROR"
    assert error.message == (
        "The address no-such-host.invalid could not be found (DNS lookup failed)"
    )
    assert "gaierror" in (error.response_body or "")  # the raw text, for support details
    plain = diagnose(error)
    assert "Check the API address" in plain.action
    assert "Errno" not in plain.reason


def test_refused_connection(arun: Run, sandbox: SandboxServer) -> None:
    url = sandbox.base_url
    sandbox.stop()
    error = fail(arun, PartnerClient(url, "k-123456", retry=NO_RETRY))
    assert error.code == "CONNECTION_REFUSED"
    assert error.message == "127.0.0.1 refused the connection"
    assert "ConnectionRefusedError" in (error.response_body or "")
    assert error.code in NEVER_SENT_CODES


def test_untrusted_certificate_names_host_and_problem(
    arun: Run, tls_server: tuple[TlsServer, trustme.CA]
) -> None:
    server, _ = tls_server
    error = fail(arun, PartnerClient(server.base_url, "k-123456", retry=NO_RETRY))
    assert error.code == "TLS_ERROR"
    assert error.message.startswith("The TLS certificate of localhost is not trusted: ")
    assert "issuer" in error.message  # what is wrong: nobody we trust signed it
    assert "CA certificate" in diagnose(error).action


def test_the_same_server_works_once_its_ca_is_trusted(
    arun: Run, tls_server: tuple[TlsServer, trustme.CA]
) -> None:
    server, ca = tls_server
    ctx = ssl.create_default_context()
    ca.configure_trust(ctx)
    client = PartnerClient(server.base_url, "k-123456", retry=NO_RETRY, verify=ctx)

    async def count() -> int:
        async with client:
            return len(await client.list_products())

    assert arun(count()) == 0


def test_hostname_mismatch(arun: Run) -> None:
    ca = trustme.CA()
    server = TlsServer(ca, hostname="api.example.com")
    with running(server):
        ctx = ssl.create_default_context()
        ca.configure_trust(ctx)
        port = server._server.server_address[1]
        error = fail(arun, PartnerClient(f"https://localhost:{port}", "k-1234", retry=NO_RETRY,
                                         verify=ctx))  # fmt: skip
    assert error.code == "TLS_ERROR"
    assert "localhost" in error.message
    assert "mismatch" in error.message.lower() or "not valid" in error.message.lower()


def test_401_and_403_in_plain_words(arun: Run, sandbox: SandboxServer) -> None:
    error = fail(arun, PartnerClient(sandbox.base_url, "ntk_wrong_key_123", retry=NO_RETRY))
    assert isinstance(error, UnauthorizedError)
    assert "not accepted" in diagnose(error).reason
    assert "Settings" in diagnose(error).action
    assert "not allowed" in diagnose(ForbiddenError("no", status=403)).reason


def test_a_silent_server_ends_at_the_total_limit(arun: Run) -> None:
    """httpx's own read timeout is longer; retries would go on: the total limit ends it."""
    with running(StallingServer()) as server:
        client = PartnerClient(
            server.base_url,
            "k-123456",
            timeout=httpx.Timeout(60.0),
            retry=RetryPolicy(max_transient_retries=5),
            time_limit=1.0,
        )
        error = fail(arun, client)
    assert isinstance(error, RequestTimeoutError)
    assert error.code == "TOTAL_TIMEOUT"
    assert error.message == "No complete answer from the Partner API within 1 s"
    assert "time limit in Settings" in diagnose(error).action


def test_a_stalled_call_can_be_cancelled(arun: Run, aloop: asyncio.AbstractEventLoop) -> None:
    with running(StallingServer()) as server:
        client = PartnerClient(server.base_url, "k-123456", time_limit=None)
        task = aloop.create_task(client.list_products())

        async def cancel_once_accepted() -> bool:
            loop = asyncio.get_running_loop()
            await loop.run_in_executor(None, server.accepted.wait, 10)
            task.cancel()
            try:
                await task
            except asyncio.CancelledError:
                return True
            return False

        assert arun(cancel_once_accepted()) is True
        arun(client.aclose())


def test_a_certificate_or_unknown_host_is_not_retried(
    arun: Run, tls_server: tuple[TlsServer, trustme.CA]
) -> None:
    """Retrying cannot fix them; the user hears at once instead of after the backoffs."""
    waits: list[float] = []

    async def no_wait(seconds: float) -> None:
        waits.append(seconds)

    server, _ = tls_server
    for url in (server.base_url, "https://no-such-host.invalid"):
        fail(arun, PartnerClient(url, "k-123456", sleep=no_wait))
    assert waits == []
    with running(StallingServer()) as stalled:
        port = stalled.base_url.rsplit(":", 1)[1]
    fail(arun, PartnerClient(f"http://127.0.0.1:{port}", "k-123456", sleep=no_wait))
    assert waits == [0.5, 1.0, 2.0]  # refused may be a restart: retried


def test_a_rate_limit_wait_longer_than_the_time_limit_is_said_at_once(
    arun: Run, sandbox: SandboxServer
) -> None:
    """Waiting 49 s inside a 20 s limit ends in "no answer within 20 s": the server did answer
    (429, try again in 49 s), so that is what the user is told, without the wait."""
    sandbox.faults.fail_next(429, "RATE_LIMITED", retry_after=30)
    client = PartnerClient(
        sandbox.base_url,
        sandbox.demo_api_key,
        retry=RetryPolicy(max_retry_after=60),
        time_limit=2.0,
    )
    error = fail(arun, client)
    assert isinstance(error, RateLimitedError)
    assert error.retry_after == 30
    # A short wait that fits the limit is still waited out and retried.
    sandbox.faults.fail_next(429, "RATE_LIMITED", retry_after=1)
    client = PartnerClient(sandbox.base_url, sandbox.demo_api_key, time_limit=5.0)

    async def go() -> int:
        async with client:
            return len(await client.list_products())

    assert arun(go()) > 0
