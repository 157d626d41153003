"""Pydantic models of the wire contract: the order request, and the response shapes that
exist so /openapi.json describes the real responses (bodies are written by ``wire.py``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from nfctagify_desktop.sandbox.catalogue import PRODUCTS

StatusName = Literal["pending", "processing", "dispatched", "delivered", "cancelled"]
STATUSES: tuple[str, ...] = ("pending", "processing", "dispatched", "delivered", "cancelled")


class ShippingIn(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=100)
    address_line1: str = Field(min_length=1, max_length=100)
    address_line2: str | None = Field(default=None, max_length=100)
    city: str = Field(min_length=1, max_length=60)
    postcode: str | None = Field(
        default=None,
        min_length=1,
        max_length=16,
        description="Required where the country's addresses have postcodes",
    )
    country: str = Field(pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2, upper case")
    region: str | None = Field(
        default=None,
        min_length=1,
        max_length=60,
        description="State, province… as the country's post writes it; required for US, CA, AU…",
    )


class OrderIn(BaseModel):
    """Body of POST /orders; unknown fields are rejected so a typo cannot drop data."""

    model_config = ConfigDict(extra="forbid", strict=True, str_strip_whitespace=True)

    product_id: str = Field(
        min_length=1,
        max_length=64,
        # Documented as the sandbox's catalogue so generated requests can succeed; any other
        # id is still validated by hand and answered 400 "unknown product_id".
        json_schema_extra={"examples": ["prod_standard"], "enum": [p.product_id for p in PRODUCTS]},
    )
    quantity: int = Field(ge=1, le=10000, description="At least the product's min_quantity")
    customer_reference: str | None = Field(default=None, max_length=64)
    shipping: ShippingIn


# Money is a JSON number with two decimals; ``float`` here only shapes the schema.


class ProductOut(BaseModel):
    product_id: str
    name: str
    description: str
    price: float
    currency: str
    min_quantity: int


class PriceOut(BaseModel):
    product_id: str
    name: str
    currency: str
    price: float
    standard_price: float
    is_override: bool
    min_quantity: int


class ShippingOut(BaseModel):
    name: str
    address_line1: str
    address_line2: str | None = None
    city: str
    postcode: str
    country: str
    region: str | None = None


class LineItemOut(BaseModel):
    item_id: str
    product_id: str
    name: str
    quantity: int
    unit_price: float
    line_total: float
    status: StatusName


class OrderOut(BaseModel):
    order_id: str
    status: StatusName
    created_at: datetime
    updated_at: datetime
    product_id: str
    product_name: str
    quantity: int
    customer_reference: str | None
    currency: str
    unit_price: float
    total: float
    shipping: ShippingOut
    items: list[LineItemOut]


class PaginationOut(BaseModel):
    page: int
    per_page: int
    total: int
    total_pages: int


class ProductsEnvelope(BaseModel):
    success: Literal[True]
    data: list[ProductOut]


class PricingEnvelope(BaseModel):
    success: Literal[True]
    data: list[PriceOut]


class OrderEnvelope(BaseModel):
    success: Literal[True]
    data: OrderOut


class OrderListEnvelope(BaseModel):
    success: Literal[True]
    data: list[OrderOut]
    pagination: PaginationOut


class ErrorEnvelope(BaseModel):
    success: Literal[False]
    error: str
    code: str
    field: str | None = None


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries: the error envelope for each status."""
    text = {
        400: "Invalid JSON, or a missing or invalid field (`field` names it)",
        401: "Missing or invalid API key",
        403: "The key may not do this (read-only)",
        404: "No such order",
        409: "Idempotency-Key reused with a different body",
        429: "Rate limit or daily order limit; see Retry-After",
        500: "Server error",
    }
    return {s: {"model": ErrorEnvelope, "description": text[s]} for s in statuses}
