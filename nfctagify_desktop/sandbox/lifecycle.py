"""How a sandbox order moves through its statuses as the sandbox clock runs."""

from __future__ import annotations

MINUTE_MS = 60_000
HOUR_MS = 60 * MINUTE_MS
DAY_MS = 24 * HOUR_MS
#: Status progression on the sandbox clock: (status, age at which an order reaches it).
PROGRESSION: tuple[tuple[str, int], ...] = (
    ("delivered", 72 * HOUR_MS),
    ("dispatched", 24 * HOUR_MS),
    ("processing", 10 * MINUTE_MS),
)
#: The statuses an order leaves when it reaches the key's status (cancelled ones stay).
EARLIER: dict[str, tuple[str, ...]] = {
    "delivered": ("pending", "processing", "dispatched"),
    "dispatched": ("pending", "processing"),
    "processing": ("pending",),
}


def status_for_age(age_ms: int) -> str:
    for status, threshold in PROGRESSION:
        if age_ms >= threshold:
            return status
    return "pending"


def status_since(status: str, created_ms: int) -> int:
    """When an order reached ``status`` (its ``updated_at``)."""
    for name, threshold in PROGRESSION:
        if name == status:
            return created_ms + threshold
    return created_ms
