"""Order statuses, importable without pydantic or httpx (the first paint reads them).

The API documents five statuses; any other text survives as ``OrderStatus.UNKNOWN`` (the raw
text is kept by whoever holds the order).
"""

from __future__ import annotations

import enum


class OrderStatus(enum.StrEnum):
    PENDING = "pending"
    PROCESSING = "processing"
    DISPATCHED = "dispatched"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"
    UNKNOWN = "unknown"

    @classmethod
    def _missing_(cls, value: object) -> OrderStatus:
        if isinstance(value, str):
            lowered = value.strip().lower()
            for member in cls:
                if member.value == lowered:
                    return member
        return cls.UNKNOWN

    @property
    def is_final(self) -> bool:
        return self in (OrderStatus.DELIVERED, OrderStatus.CANCELLED)


#: The statuses the help page documents, in lifecycle order (UNKNOWN excluded).
KNOWN_STATUSES: tuple[OrderStatus, ...] = (
    OrderStatus.PENDING,
    OrderStatus.PROCESSING,
    OrderStatus.DISPATCHED,
    OrderStatus.DELIVERED,
    OrderStatus.CANCELLED,
)

#: Statuses an order can still leave: the sync engine re-checks these.
OPEN_STATUSES: tuple[OrderStatus, ...] = tuple(s for s in KNOWN_STATUSES if not s.is_final)

__all__ = ["KNOWN_STATUSES", "OPEN_STATUSES", "OrderStatus"]
