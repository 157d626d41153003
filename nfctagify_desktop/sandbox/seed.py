"""The sandbox's made-up orders: the demo account's first forty, and bulk data for tests.

Rows are tuples in :data:`~nfctagify_desktop.sandbox.schema.ORDER_COLUMNS` order.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

from nfctagify_desktop.sandbox.accounts import DEMO_ACCOUNT_ID
from nfctagify_desktop.sandbox.catalogue import (
    CUSTOMERS,
    OVERRIDES,
    PRODUCTS,
    REFERENCE_PREFIXES,
)
from nfctagify_desktop.sandbox.clock import from_ms
from nfctagify_desktop.sandbox.lifecycle import (
    DAY_MS,
    HOUR_MS,
    MINUTE_MS,
    status_for_age,
    status_since,
)
from nfctagify_desktop.sandbox.schema import new_id

Row = tuple[Any, ...]


def demo_orders(now_ms: int) -> list[Row]:
    """~40 realistic orders over the last 60 days, in all five statuses (the same every time)."""
    rng = random.Random(20260525)
    ages = [rng.randint(4 * DAY_MS, 60 * DAY_MS) for _ in range(30)]
    ages += [rng.randint(25 * HOUR_MS, 70 * HOUR_MS) for _ in range(4)]  # dispatched
    ages += [rng.randint(20 * MINUTE_MS, 20 * HOUR_MS) for _ in range(3)]  # processing
    ages += [rng.randint(1 * MINUTE_MS, 5 * MINUTE_MS) for _ in range(3)]  # pending
    cancelled = set(rng.sample(range(30), 4))
    rows = []
    for index, age in enumerate(sorted(ages, reverse=True)):
        created = now_ms - age
        status = "cancelled" if index in cancelled else status_for_age(age)
        updated = (
            created + rng.randint(HOUR_MS, 6 * HOUR_MS)
            if status == "cancelled"
            else status_since(status, created)
        )
        rows.append(_row(rng, DEMO_ACCOUNT_ID, created, updated, status, index))
    return rows


def random_orders(account_id: str, count: int, now_ms: int, days: int) -> Iterator[Row]:
    """``count`` orders created at random over the last ``days`` days (5 % cancelled)."""
    rng = random.Random()
    span = max(1, days * DAY_MS)
    for index in range(count):
        created = now_ms - rng.randrange(span)
        status = "cancelled" if rng.random() < 0.05 else status_for_age(now_ms - created)
        updated = created if status == "cancelled" else status_since(status, created)
        yield _row(rng, account_id, created, updated, status, index)


def _row(
    rng: random.Random,
    account_id: str,
    created: int,
    updated: int,
    status: str,
    index: int,
) -> Row:
    product = rng.choice(PRODUCTS)
    price = dict(((a, p), v) for a, p, v in OVERRIDES).get(
        (account_id, product.product_id), product.price_pence
    )
    quantity = max(product.min_quantity, rng.choice((1, 5, 10, 25, 50, 100, 250)))
    name, line1, line2, city, postcode = rng.choice(CUSTOMERS)
    year = from_ms(created).year
    reference = (
        None
        if rng.random() < 0.15
        else f"{rng.choice(REFERENCE_PREFIXES)}-{year}-{1000 + index:04d}"
    )
    return (
        new_id("ord", rng),
        account_id,
        status,
        created,
        updated,
        product.product_id,
        product.name,
        quantity,
        reference,
        product.currency,
        price,
        price * quantity,
        name,
        line1,
        line2,
        city,
        postcode,
        "GB",
        new_id("itm", rng),
        None,
    )
