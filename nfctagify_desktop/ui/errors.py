"""Turning client errors into words a partner can act on."""

from __future__ import annotations

from dataclasses import dataclass

from nfctagify_desktop.api import errors
from nfctagify_desktop.api.diagnosis import diagnose
from nfctagify_desktop.redaction import redact


@dataclass(frozen=True)
class ErrorView:
    text: str
    #: "retry" (network/server: offer Retry), "key" (401: ask for the new key),
    #: "wait" (429: retried automatically), or "" (nothing to do but read).
    action: str = ""
    retry_after: float | None = None


def _suffix(err: errors.ApiError) -> str:
    bits = []
    if err.status is not None:
        bits.append(f"HTTP {err.status}")
    if err.code:
        bits.append(err.code)
    return f" ({', '.join(bits)})" if bits else ""


def describe(err: BaseException) -> ErrorView:
    if not isinstance(err, errors.ApiError):
        return ErrorView(redact(f"Unexpected problem: {type(err).__name__}: {err}"), "retry")
    if isinstance(err, errors.CancelledByUserError):
        return ErrorView("Cancelled: nothing more was loaded.", "retry")
    msg = err.message.rstrip(".")
    tail = _suffix(err)
    if isinstance(err, errors.UnauthorizedError):
        return ErrorView(
            f"The API key was rejected: {msg}{tail}. If it was rotated in the Partner Portal, "
            "enter the new key.",
            "key",
        )
    if isinstance(err, errors.ForbiddenError):
        return ErrorView(f"Your account does not have permission for this: {msg}{tail}.")
    if isinstance(err, errors.ConflictError):
        return ErrorView(
            f"This order was already sent once with different details, so the API refused to "
            f"place it again: {msg}{tail}. Check the Orders tab before placing it as a new order."
        )
    if isinstance(err, errors.RateLimitedError):
        wait = err.retry_after if err.retry_after is not None else 60.0
        return ErrorView(
            f"Too many requests: {msg}{tail}. Retrying automatically in {wait:.0f} s.",
            "wait",
            wait,
        )
    if isinstance(err, errors.NetworkError):  # DNS, refused, TLS, timeouts: plain words
        plain = diagnose(err)
        lead = "" if isinstance(err, errors.RequestTimeoutError) else "Could not reach the "
        lead = f"{lead}Partner API: " if lead else ""
        return ErrorView(f"{lead}{plain.reason}. {plain.action}", "retry")
    if isinstance(err, errors.ServerError):
        return ErrorView(f"The Partner API had a problem on its side: {msg}{tail}.", "retry")
    if isinstance(err, errors.InvalidResponseError):
        return ErrorView(f"The Partner API sent an answer the app does not understand: {msg}.")
    return ErrorView(f"{msg}{tail}.")
