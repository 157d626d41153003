""" "Copy support details": what the help page asks partners to send, with secrets removed.

The help page lists: partner account ID, the endpoint, the request body (sensitive data
removed), the response body and HTTP status, and a timestamp. The recipient's personal data
(name, address lines, postcode) and anything key-like are redacted.
"""

from __future__ import annotations

import contextlib
import json
from typing import Any

from nfctagify_desktop import __version__
from nfctagify_desktop.api.errors import ApiError
from nfctagify_desktop.redaction import redact

REDACTED = "[redacted]"
#: Personal data of the card recipient; city and country stay (they help support, identify nobody).
PERSONAL_FIELDS = frozenset(
    {"name", "address_line1", "address_line2", "postcode", "email", "phone"}
)


def redact_text(text: str, secrets: tuple[str, ...] = ()) -> str:
    """The one key redaction (every written form of each key), plus ``secrets``."""
    return redact(text, secrets)


def redact_body(body: Any) -> Any:
    """A copy of a JSON body with the recipient's personal fields replaced."""
    if isinstance(body, dict):
        return {
            k: (REDACTED if k in PERSONAL_FIELDS and v not in (None, "") else redact_body(v))
            for k, v in body.items()
        }
    if isinstance(body, list):
        return [redact_body(v) for v in body]
    return body


def support_details(
    error: ApiError,
    *,
    account_id: str | None = None,
    base_url: str | None = None,
    secrets: tuple[str, ...] = (),
) -> str:
    """Plain text to paste into a support request."""
    response: Any = error.response_body
    if response:
        with contextlib.suppress(TypeError, ValueError):
            response = json.dumps(redact_body(json.loads(response)), indent=2)
    lines = [
        "NFC Tagify Partner API — support details",
        f"Partner account ID: {account_id or 'unknown (see the Partner Portal)'}",
        f"Endpoint: {error.method or '?'} {(base_url or '')}{error.path or ''}",
        f"Timestamp (UTC): {error.timestamp.strftime('%Y-%m-%dT%H:%M:%SZ')}",
        f"HTTP status: {error.status if error.status is not None else 'no response'}",
        f"Error code: {error.code or '-'}",
        f"Error message: {error.message}",
        "Request body:",
        json.dumps(redact_body(error.request_body), indent=2)
        if error.request_body is not None
        else "(none)",
        "Response body:",
        str(response) if response else "(none)",
        f"App: NFC Tagify Desktop {__version__}",
    ]
    return redact_text("\n".join(lines), secrets)
