"""Why a call failed, in plain words, and what the partner can do about it (Qt-free).

httpx reports a DNS failure as "[Errno -2] Name or service not known" and a refused connection
as "All connection attempts failed". Here the cause chain is read once, the failure gets a
code, a sentence naming the host, and an action; the raw text stays on the error for
"Copy support details".
"""

from __future__ import annotations

import socket
import ssl
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx

from nfctagify_desktop.api import errors

#: Network failures after which the request certainly never reached the server.
NEVER_SENT_CODES = frozenset(
    {"DNS_ERROR", "CONNECTION_REFUSED", "CONNECT_ERROR", "CONNECT_TIMEOUT", "TLS_ERROR"}
)


def _causes(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _where(request: httpx.Request | None) -> str:
    if request is None:
        return "the server"
    return request.url.host or "the server"


def network_error(
    exc: httpx.TransportError, ctx: dict[str, Any], *, limit: float | None = None
) -> errors.NetworkError:
    """The typed error for a transport failure: which host, what went wrong, in plain words."""
    try:
        request: httpx.Request | None = exc.request
    except RuntimeError:  # an httpx error raised without a request attached
        request = None
    host = _where(request)
    raw = " ← ".join(f"{type(c).__name__}: {c}" for c in _causes(exc) if str(c))
    kw: dict[str, Any] = {**ctx, "response_body": raw or type(exc).__name__}
    if isinstance(exc, httpx.ConnectTimeout):
        return errors.RequestTimeoutError(
            f"{host} did not accept the connection in time", code="CONNECT_TIMEOUT", **kw
        )
    if isinstance(exc, httpx.TimeoutException):
        return errors.RequestTimeoutError(f"{host} did not answer in time", code="TIMEOUT", **kw)
    for cause in _causes(exc):
        if isinstance(cause, ssl.SSLCertVerificationError):
            what = cause.verify_message or cause.reason or "it could not be verified"
            return errors.NetworkError(
                f"The TLS certificate of {host} is not trusted: {what}", code="TLS_ERROR", **kw
            )
        if isinstance(cause, ssl.SSLError):
            what = cause.reason or str(cause)
            return errors.NetworkError(
                f"The secure (TLS) connection to {host} failed: {what}", code="TLS_ERROR", **kw
            )
        if isinstance(cause, socket.gaierror):
            return errors.NetworkError(
                f"The address {host} could not be found (DNS lookup failed)",
                code="DNS_ERROR",
                **kw,
            )
        if isinstance(cause, ConnectionRefusedError):
            return errors.NetworkError(
                f"{host} refused the connection", code="CONNECTION_REFUSED", **kw
            )
    if isinstance(exc, httpx.ConnectError):
        return errors.NetworkError(f"Could not connect to {host}", code="CONNECT_ERROR", **kw)
    return errors.NetworkError(
        f"The connection to {host} broke before a complete answer",
        code="CONNECTION_LOST",
        **kw,
    )


def will_not_change(exc: BaseException) -> bool:
    """A connection failure that a retry seconds later cannot fix: an untrusted certificate,
    or a host name the DNS says does not exist (not a temporary DNS failure)."""
    for cause in _causes(exc):
        if isinstance(cause, ssl.SSLCertVerificationError):
            return True
        if isinstance(cause, socket.gaierror):
            return cause.errno in (socket.EAI_NONAME, getattr(socket, "EAI_NODATA", None))
    return False


@dataclass(frozen=True)
class Diagnosis:
    """A failure for a person: ``reason`` (what happened) and ``action`` (what to do)."""

    reason: str
    action: str


_ACTIONS: dict[str, str] = {
    "DNS_ERROR": "Check the API address in Settings (Ctrl+,) and your internet connection.",
    "CONNECTION_REFUSED": "Check the API address and port in Settings (Ctrl+,); if it is "
    "right, the service may be down: try again later.",
    "CONNECT_ERROR": "Check your internet connection and the API address in Settings (Ctrl+,).",
    "CONNECT_TIMEOUT": "Check your internet connection, proxy or firewall, then try again.",
    "TIMEOUT": "The Partner API is slow or not answering; try again in a moment.",
    "TOTAL_TIMEOUT": "The Partner API is slow or not answering; try again in a moment, or "
    "raise the time limit in Settings (Ctrl+,).",
    "TLS_ERROR": "If your company inspects HTTPS traffic, add its CA certificate to the "
    "profile in Settings (Ctrl+,); otherwise check the API address, or contact NFC Tagify.",
    "CONNECTION_LOST": "Check your connection and try again.",
    "INVALID_API_KEY": "Paste the key again in Settings (Ctrl+,).",
    "HTTPS_REQUIRED": "Use the https:// address from the Partner Portal.",
}


def diagnose(exc: BaseException) -> Diagnosis:
    """Plain words for any failure the app may show; the key is never in them."""
    if isinstance(exc, errors.UnauthorizedError):
        return Diagnosis(
            "The API key was not accepted (HTTP 401)",
            "Enter the current key from the Partner Portal in Settings (Ctrl+,); keys change "
            "when they are rotated.",
        )
    if isinstance(exc, errors.ForbiddenError):
        return Diagnosis(
            "This account is not allowed to do that (HTTP 403)",
            "Ask the account's administrator for access, or use a key with more rights.",
        )
    if isinstance(exc, errors.CancelledByUserError):
        return Diagnosis("Cancelled", "Press Refresh (F5) to try again.")
    if isinstance(exc, errors.ServerError):
        return Diagnosis(
            f"The Partner API had a problem (HTTP {exc.status})",
            "Try again in a moment; if it persists, use Copy support details.",
        )
    if isinstance(exc, errors.ApiError):
        action = _ACTIONS.get(exc.code or "", "Use Copy support details if it persists.")
        return Diagnosis(exc.message.rstrip("."), action)
    from nfctagify_desktop.redaction import redact

    return Diagnosis(redact(str(exc)) or type(exc).__name__, "Try again.")
