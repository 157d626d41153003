"""Reading the Partner API's answers: the envelope, the data's shape, and every failure as a
typed :mod:`~nfctagify_desktop.api.errors` exception with its request and response attached."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any, TypeVar

import httpx
from pydantic import TypeAdapter, ValidationError

from nfctagify_desktop.api import errors
from nfctagify_desktop.api.models import Order
from nfctagify_desktop.api.retry import parse_retry_after
from nfctagify_desktop.api.urls import API_PREFIX

T = TypeVar("T")

# "quantity must be ..." / "shipping.postcode is required": the field a 400 message names.
_FIELD_IN_MESSAGE = re.compile(r"^'?([a-z_]+(?:\.[a-z_0-9]+)*)'?\b")


def unwrap(response: httpx.Response, ctx: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
    """(``data``, whole envelope) of a success; any other answer raises its typed error.

    Tolerant: a bare list or object without the envelope is the data itself.
    """
    content = response.content
    try:
        # parse_float=Decimal: money must not pass through float (12345678901234567.89
        # would come out as ...568). The body is decoded to text only for error reports.
        payload: Any = json.loads(content, parse_float=Decimal) if content.strip() else None
    except (json.JSONDecodeError, UnicodeDecodeError):
        payload = None
        if response.is_success:
            raise errors.InvalidResponseError(
                "The server answered with something that is not JSON",
                code="INVALID_RESPONSE",
                status=response.status_code,
                response_body=response.text[:2000],
                **ctx,
            ) from None
    envelope = payload if isinstance(payload, dict) else {}
    if response.is_success and envelope.get("success") is not False:
        data = envelope.get("data", payload)
        return data, envelope
    raise status_error(response, envelope, response.text, ctx)


def parse(adapter: TypeAdapter[T], data: Any, method: str, path: str) -> T:
    try:
        return adapter.validate_python(data)
    except ValidationError as exc:
        raise invalid_shape(exc, method, path, data) from None


def parse_one(model: type[Order], data: Any, method: str, path: str) -> Order:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise invalid_shape(exc, method, path, data) from None


def first_loc(exc: ValidationError) -> str | None:
    errs = exc.errors()
    if errs and errs[0].get("loc"):
        return ".".join(str(p) for p in errs[0]["loc"])
    return None


def first_error(exc: ValidationError) -> str:
    errs = exc.errors()
    if not errs:
        return str(exc)
    loc = first_loc(exc)
    msg = str(errs[0].get("msg", "invalid"))
    return f"{loc}: {msg}" if loc else msg


def invalid_shape(
    exc: ValidationError, method: str, path: str, data: Any
) -> errors.InvalidResponseError:
    return errors.InvalidResponseError(
        f"Unexpected response shape ({first_error(exc)})",
        code="INVALID_RESPONSE",
        method=method,
        path=API_PREFIX + path,
        response_body=json.dumps(data, default=str)[:2000],
    )


def status_error(
    response: httpx.Response, envelope: dict[str, Any], text: str, ctx: dict[str, Any]
) -> errors.ApiStatusError:
    status = response.status_code
    message = envelope.get("error")
    if isinstance(message, dict):  # tolerate {"error": {"message", "code"}}
        envelope = {**envelope, **message}
        message = message.get("message")
    if not isinstance(message, str) or not message:
        message = response.reason_phrase or f"HTTP {status}"
    code = envelope.get("code")
    field = envelope.get("field")
    if field is None and status in (400, 422):
        match = _FIELD_IN_MESSAGE.match(message)
        field = match.group(1) if match else None
    cls = errors.error_class_for(status)
    kw: dict[str, Any] = {
        "code": str(code) if code is not None else None,
        "status": status,
        "field": str(field) if field else None,
        "response_body": text[:2000],
        **ctx,
    }
    if cls is errors.RateLimitedError:
        return errors.RateLimitedError(
            message, retry_after=parse_retry_after(response.headers.get("Retry-After")), **kw
        )
    return cls(message, **kw)
