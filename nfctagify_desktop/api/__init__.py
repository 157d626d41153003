"""The Partner API client. Nothing in this package imports Qt.

Names are loaded on first use: ``nfctagify_desktop.api.urls`` (or the status enum) must not
pull in httpx and pydantic for code that paints before the network stack is loaded.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from nfctagify_desktop.api.client import PartnerClient, RateLimitState
    from nfctagify_desktop.api.errors import (
        ApiError,
        ApiStatusError,
        BadRequestError,
        CancelledByUserError,
        ConfigurationError,
        ConflictError,
        ForbiddenError,
        InvalidResponseError,
        NetworkError,
        NotFoundError,
        RateLimitedError,
        RequestTimeoutError,
        ServerError,
        UnauthorizedError,
    )
    from nfctagify_desktop.api.models import (
        KNOWN_STATUSES,
        LineItem,
        Order,
        OrderCreate,
        OrderPage,
        OrderQuery,
        OrderStatus,
        Pagination,
        PriceEntry,
        Product,
        ShippingAddress,
        ShippingInput,
    )
    from nfctagify_desktop.api.retry import NO_RETRY, RetryPolicy

_LAZY = {
    "PartnerClient": "nfctagify_desktop.api.client",
    "RateLimitState": "nfctagify_desktop.api.client",
    "ApiError": "nfctagify_desktop.api.errors",
    "ApiStatusError": "nfctagify_desktop.api.errors",
    "BadRequestError": "nfctagify_desktop.api.errors",
    "CancelledByUserError": "nfctagify_desktop.api.errors",
    "ConfigurationError": "nfctagify_desktop.api.errors",
    "ConflictError": "nfctagify_desktop.api.errors",
    "ForbiddenError": "nfctagify_desktop.api.errors",
    "InvalidResponseError": "nfctagify_desktop.api.errors",
    "NetworkError": "nfctagify_desktop.api.errors",
    "NotFoundError": "nfctagify_desktop.api.errors",
    "RateLimitedError": "nfctagify_desktop.api.errors",
    "RequestTimeoutError": "nfctagify_desktop.api.errors",
    "ServerError": "nfctagify_desktop.api.errors",
    "UnauthorizedError": "nfctagify_desktop.api.errors",
    "KNOWN_STATUSES": "nfctagify_desktop.api.models",
    "LineItem": "nfctagify_desktop.api.models",
    "Order": "nfctagify_desktop.api.models",
    "OrderCreate": "nfctagify_desktop.api.models",
    "OrderPage": "nfctagify_desktop.api.models",
    "OrderQuery": "nfctagify_desktop.api.models",
    "OrderStatus": "nfctagify_desktop.api.models",
    "Pagination": "nfctagify_desktop.api.models",
    "PriceEntry": "nfctagify_desktop.api.models",
    "Product": "nfctagify_desktop.api.models",
    "ShippingAddress": "nfctagify_desktop.api.models",
    "ShippingInput": "nfctagify_desktop.api.models",
    "NO_RETRY": "nfctagify_desktop.api.retry",
    "RetryPolicy": "nfctagify_desktop.api.retry",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


__all__ = [
    "KNOWN_STATUSES",
    "NO_RETRY",
    "ApiError",
    "ApiStatusError",
    "BadRequestError",
    "CancelledByUserError",
    "ConfigurationError",
    "ConflictError",
    "ForbiddenError",
    "InvalidResponseError",
    "LineItem",
    "NetworkError",
    "NotFoundError",
    "Order",
    "OrderCreate",
    "OrderPage",
    "OrderQuery",
    "OrderStatus",
    "Pagination",
    "PartnerClient",
    "PriceEntry",
    "Product",
    "RateLimitState",
    "RateLimitedError",
    "RequestTimeoutError",
    "RetryPolicy",
    "ServerError",
    "ShippingAddress",
    "ShippingInput",
    "UnauthorizedError",
]
