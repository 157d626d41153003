"""The error envelope for every failure, including FastAPI's own 422/404/405 and crashes."""

from __future__ import annotations

import json
import logging
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from nfctagify_desktop.sandbox.wire import dumps

log = logging.getLogger(__name__)

_CODES = {
    400: "VALIDATION_ERROR",
    401: "UNAUTHORIZED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    409: "IDEMPOTENCY_CONFLICT",
    429: "RATE_LIMITED",
    500: "INTERNAL_ERROR",
}


class ApiError(Exception):
    """Raised anywhere in a handler; becomes the contract's error envelope."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        field: str | None = None,
        retry_after: int | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.retry_after = retry_after


def respond(
    request: Request, payload: Any, status: int = 200, headers: dict[str, str] | None = None
) -> Response:
    """A JSON response with exact money, plus the rate-limit headers of this request."""
    merged = dict(getattr(request.state, "rate_headers", None) or {})
    merged.update(headers or {})
    return Response(
        dumps(payload), status_code=status, media_type="application/json", headers=merged
    )


def error_response(request: Request, error: ApiError) -> Response:
    body: dict[str, Any] = {"success": False, "error": error.message, "code": error.code}
    if error.field is not None:
        body["field"] = error.field
    headers = {}
    if error.retry_after is not None:
        headers["Retry-After"] = str(max(1, error.retry_after))
    return respond(request, body, error.status, headers)


def _field_name(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc[1:]) if len(loc) > 1 else ""


def describe(error: dict[str, Any]) -> ApiError:
    """One pydantic error as a 400 whose message names the field, e.g. ``x is required``."""
    kind = str(error.get("type", ""))
    field = _field_name(tuple(error.get("loc", ())))
    ctx = error.get("ctx") or {}
    if kind == "json_invalid":
        return ApiError(400, "INVALID_JSON", "request body is not valid JSON")
    if not field:
        if kind == "missing":
            return ApiError(400, "INVALID_JSON", "request body is required (a JSON object)")
        return ApiError(400, "VALIDATION_ERROR", "request body must be a JSON object")
    if kind == "missing":
        message = f"{field} is required"
    elif kind == "extra_forbidden":
        message = f"unknown field: {field}"
    elif kind == "string_too_short":
        message = f"{field} must not be empty"
    elif kind == "string_too_long":
        message = f"{field} must be at most {ctx.get('max_length')} characters"
    elif kind == "string_pattern_mismatch" and field.endswith("country"):
        message = f"{field} must be an ISO 3166-1 alpha-2 country code in upper case, e.g. GB"
    elif kind == "string_pattern_mismatch":
        message = f"{field} has an invalid format"
    elif kind in ("int_type", "int_parsing", "int_from_float"):
        message = f"{field} must be an integer"
    elif kind == "string_type":
        message = f"{field} must be a string"
    elif kind in ("model_type", "dict_type", "model_attributes_type"):
        message = f"{field} must be an object"
    elif kind == "greater_than_equal":
        message = f"{field} must be at least {ctx.get('ge')}"
    elif kind == "less_than_equal":
        message = f"{field} must be at most {ctx.get('le')}"
    elif kind.startswith("date") or kind.startswith("datetime"):
        message = f"{field} must be a date in the form YYYY-MM-DD"
    elif kind in ("literal_error", "enum"):
        message = f"{field} must be one of {ctx.get('expected')}"
    else:
        message = f"{field}: {error.get('msg', 'invalid value')}"
    return ApiError(400, "VALIDATION_ERROR", message, field=field)


def install_error_handlers(app: FastAPI) -> None:
    async def on_api_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ApiError)
        return error_response(request, exc)

    async def on_validation(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        errors = list(exc.errors())
        # A JSON syntax error beats everything else in the list.
        first = next((e for e in errors if e.get("type") == "json_invalid"), errors[0])
        if tuple(first.get("loc", ())) == ("body",) and first.get("type") != "missing":
            # FastAPI parses JSON only for JSON content types; judge the bytes ourselves.
            raw = await request.body()
            try:
                json.loads(raw)
            except ValueError:
                return error_response(
                    request, ApiError(400, "INVALID_JSON", "request body is not valid JSON")
                )
        return error_response(request, describe(dict(first)))

    async def on_http(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        code = _CODES.get(exc.status_code, "HTTP_ERROR")
        if exc.status_code == 404:
            message = f"not found: {request.url.path}"
        elif exc.status_code == 405:
            message = f"method {request.method} not allowed on {request.url.path}"
        else:
            message = str(exc.detail)
        response = error_response(request, ApiError(exc.status_code, code, message))
        for name, value in (exc.headers or {}).items():
            response.headers[name] = value
        return response

    async def on_crash(request: Request, exc: Exception) -> Response:
        log.exception("sandbox handler crashed", exc_info=exc)
        return error_response(request, ApiError(500, "INTERNAL_ERROR", "internal error"))

    app.add_exception_handler(ApiError, on_api_error)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(Exception, on_crash)


def strip_default_422(schema: dict[str, Any]) -> dict[str, Any]:
    """FastAPI documents a 422 it never sends here (we answer 400); drop it from /openapi.json."""
    for path_item in schema.get("paths", {}).values():
        for operation in path_item.values():
            if isinstance(operation, dict):
                operation.get("responses", {}).pop("422", None)
    components = schema.get("components", {}).get("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):
        components.pop(name, None)
    # Round-trip to make sure the result is plain JSON.
    result: dict[str, Any] = json.loads(json.dumps(schema))
    return result
