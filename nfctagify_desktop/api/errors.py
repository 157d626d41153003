"""Typed errors of the Partner API client.

Every error carries what support needs (method, path, HTTP status, the server's ``error`` text
and ``code``, the response body, the redacted request body, a UTC timestamp) and never the API
key: requests' headers are not kept, and the server's texts are redacted on the way in (a
server or proxy may echo the key) and again on the way out (str/repr).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from nfctagify_desktop.redaction import redact, redact_optional


class ApiError(Exception):
    """Base of every client failure."""

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        status: int | None = None,
        method: str | None = None,
        path: str | None = None,
        field: str | None = None,
        request_body: Any = None,
        response_body: str | None = None,
    ) -> None:
        message = redact(message)
        super().__init__(message)
        self.message = message
        self.code = redact_optional(code)
        self.status = status
        self.method = method
        self.path = path
        #: The request field a 400 names, where the server says (``field`` or parsed from text).
        self.field = field
        self.request_body = request_body
        self.response_body = redact_optional(response_body)
        self.timestamp = datetime.now(UTC)

    def __repr__(self) -> str:
        return redact(
            f"{type(self).__name__}({self.message!r}, code={self.code!r}, status={self.status!r})"
        )

    def __str__(self) -> str:
        return redact(self._describe())

    def _describe(self) -> str:
        parts = [self.message]
        if self.code:
            parts.append(f"[{self.code}]")
        if self.status is not None or self.path:
            where = " ".join(p for p in (self.method, self.path) if p)
            status = f"HTTP {self.status}" if self.status is not None else ""
            # "(HTTP 400 POST /api/partner/orders)": the form support asks for, no comma.
            parts.append(f"({' '.join(p for p in (status, where) if p)})")
        return " ".join(parts)


class ConfigurationError(ApiError):
    """The client was set up wrongly (e.g. plain http to a non-loopback host)."""


class ApiStatusError(ApiError):
    """The server answered with an error status."""


class BadRequestError(ApiStatusError):
    """400: the body or query is invalid; ``field`` names the culprit where known."""


class UnauthorizedError(ApiStatusError):
    """401: the API key is missing, invalid or was rotated."""


class ForbiddenError(ApiStatusError):
    """403: the account may not do this."""


class NotFoundError(ApiStatusError):
    """404: no such resource (e.g. an unknown order id)."""


class ConflictError(ApiStatusError):
    """409: e.g. an Idempotency-Key reused with a different body."""


class RateLimitedError(ApiStatusError):
    """429: too many requests; ``retry_after`` is in seconds."""

    def __init__(self, message: str, *, retry_after: float | None = None, **kw: Any) -> None:
        super().__init__(message, **kw)
        self.retry_after = retry_after


class ServerError(ApiStatusError):
    """5xx: something failed on the NFC Tagify side."""


class NetworkError(ApiError):
    """No usable answer: connection refused or dropped, TLS failure."""


class RequestTimeoutError(NetworkError):
    """The request timed out; for a POST the order's fate is unknown."""


class CancelledByUserError(ApiError):
    """The user pressed Cancel; for a POST the order's fate is unknown (it is checked)."""


class InvalidResponseError(ApiError):
    """A 2xx whose body is not the documented shape."""


#: Errors after which a POST may or may not have reached the server.
AMBIGUOUS_ERRORS: tuple[type[ApiError], ...] = (NetworkError, ServerError)

_BY_STATUS: dict[int, type[ApiStatusError]] = {
    400: BadRequestError,
    401: UnauthorizedError,
    403: ForbiddenError,
    404: NotFoundError,
    409: ConflictError,
    422: BadRequestError,
    429: RateLimitedError,
}


def error_class_for(status: int) -> type[ApiStatusError]:
    if status in _BY_STATUS:
        return _BY_STATUS[status]
    if status >= 500:
        return ServerError
    if status >= 400:
        return BadRequestError
    return ApiStatusError
