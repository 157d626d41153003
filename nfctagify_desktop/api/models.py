"""Wire models of the Partner API.

Tolerant by design (docs/api-assumptions.md): unknown fields are kept, optional fields may be
absent, money is Decimal, timestamps are timezone-aware, and an order status the client does not
know survives as ``OrderStatus.UNKNOWN`` with the raw text kept in ``status_raw``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

# Re-exported: the wire models are where most code looks for them.
from nfctagify_desktop.order_status import KNOWN_STATUSES as KNOWN_STATUSES
from nfctagify_desktop.order_status import OrderStatus as OrderStatus


def _aware(value: datetime) -> datetime:
    """Naive timestamps are taken as UTC: the API documents `Z` times."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


AwareDatetime = Annotated[datetime, AfterValidator(_aware)]


class ApiModel(BaseModel):
    """Base of every response model: keep unknown fields, never fail on them."""

    model_config = ConfigDict(extra="allow", populate_by_name=True, frozen=False)


class Product(ApiModel):
    product_id: str
    name: str
    description: str = ""
    price: Decimal
    currency: str = "GBP"
    min_quantity: int = 1


class PriceEntry(ApiModel):
    """One row of the account's pricing schedule."""

    product_id: str
    name: str = ""
    currency: str = "GBP"
    price: Decimal
    #: The published price, where the API gives it beside the partner's own.
    standard_price: Decimal | None = None
    #: True when NFC Tagify configured a custom price for this partner and product.
    is_override: bool = False
    min_quantity: int = 1

    @model_validator(mode="after")
    def _derive_override(self) -> PriceEntry:
        # Tolerate servers that send only the two prices and no flag.
        if not self.is_override and self.standard_price is not None:
            self.is_override = self.standard_price != self.price
        return self


class ShippingAddress(ApiModel):
    name: str
    address_line1: str
    address_line2: str | None = None
    city: str
    postcode: str = ""
    country: str
    region: str | None = None

    @field_validator("postcode", mode="before")
    @classmethod
    def _no_postcode(cls, value: Any) -> Any:
        return "" if value is None else value


class LineItem(ApiModel):
    item_id: str = ""
    product_id: str = ""
    name: str = ""
    quantity: int = 0
    unit_price: Decimal | None = None
    line_total: Decimal | None = None
    status_raw: str | None = Field(default=None, alias="status")

    @property
    def status(self) -> OrderStatus:
        return OrderStatus(self.status_raw or "unknown")


class Order(ApiModel):
    """An order as returned by create, get and list (list and create may omit the detail)."""

    order_id: str
    status_raw: str = Field(default="unknown", alias="status")
    created_at: datetime
    updated_at: datetime | None = None
    product_id: str | None = None
    product_name: str | None = None
    quantity: int | None = None
    customer_reference: str | None = None
    currency: str | None = None
    unit_price: Decimal | None = None
    total: Decimal | None = None
    shipping: ShippingAddress | None = None
    items: list[LineItem] = Field(default_factory=list)

    @field_validator("status_raw", mode="plain")
    @classmethod
    def _status_text(cls, value: Any) -> str:
        return value if type(value) is str else "unknown" if value is None else str(value)

    @model_validator(mode="after")
    def _utc_times(self) -> Order:
        # One Python call per order (not one per timestamp field): a page of 100 orders is
        # validated on every list call (docs/performance.md, client overhead).
        if self.created_at.tzinfo is None:
            self.created_at = self.created_at.replace(tzinfo=UTC)
        if self.updated_at is not None and self.updated_at.tzinfo is None:
            self.updated_at = self.updated_at.replace(tzinfo=UTC)
        return self

    @property
    def status(self) -> OrderStatus:
        return OrderStatus(self.status_raw)


class Pagination(ApiModel):
    page: int = 1
    per_page: int = 20
    total: int | None = None
    total_pages: int | None = None


class OrderPage(ApiModel):
    """One page of ``GET /orders``; ``total``/``total_pages`` may be unknown."""

    orders: list[Order]
    pagination: Pagination

    @property
    def has_next(self) -> bool:
        p = self.pagination
        if p.total_pages is not None:
            return p.page < p.total_pages
        return len(self.orders) >= p.per_page


class OrderQuery(BaseModel):
    """The query of ``GET /orders``; validated before anything is sent."""

    model_config = ConfigDict(frozen=True)

    page: int = Field(default=1, ge=1)
    per_page: int = Field(default=20, ge=1, le=100)
    status: OrderStatus | None = None
    date_from: date | None = None
    date_to: date | None = None

    @field_validator("status")
    @classmethod
    def _known_status(cls, value: OrderStatus | None) -> OrderStatus | None:
        if value is OrderStatus.UNKNOWN:
            raise ValueError("status must be one of " + ", ".join(KNOWN_STATUSES))
        return value

    @model_validator(mode="after")
    def _ordered_range(self) -> OrderQuery:
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise ValueError("'from' date is after 'to' date")
        return self

    def params(self) -> dict[str, str]:
        """Query parameters as the API spells them."""
        out = {"page": str(self.page), "per_page": str(self.per_page)}
        if self.status is not None:
            out["status"] = self.status.value
        if self.date_from is not None:
            out["from"] = self.date_from.isoformat()
        if self.date_to is not None:
            out["to"] = self.date_to.isoformat()
        return out


class ShippingInput(BaseModel):
    """Shipping details of a new order; limits mirror docs/api-assumptions.md."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=100)
    address_line1: str = Field(min_length=1, max_length=100)
    address_line2: str | None = Field(default=None, max_length=100)
    city: str = Field(min_length=1, max_length=60)
    #: Omitted where the country has no postcodes (Hong Kong, the UAE…).
    postcode: str | None = Field(default=None, min_length=1, max_length=16)
    country: str = Field(pattern=r"^[A-Z]{2}$")
    #: State, province, county… as the country's post writes it (US "CA", CA "ON", AU "NSW").
    region: str | None = Field(default=None, min_length=1, max_length=60)


class OrderCreate(BaseModel):
    """Body of ``POST /orders``."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    product_id: str = Field(min_length=1, max_length=64)
    quantity: int = Field(ge=1, le=10000)
    customer_reference: str | None = Field(default=None, max_length=64)
    shipping: ShippingInput

    def body(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_none=True)
