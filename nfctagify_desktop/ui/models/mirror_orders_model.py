"""The orders list over mirror rows (plain tuples): no pydantic on the first paint.

Sorting is not done here: a click on a header asks the mirror for the page in that order
(``SORT_KEYS`` maps each column to the mirror's sort key), so a sort covers every order,
not just the rows on screen.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import ClassVar

from nfctagify_desktop.order_status import OrderStatus
from nfctagify_desktop.store.mirror import OrderRow
from nfctagify_desktop.ui.format import local_time, money, status_label
from nfctagify_desktop.ui.models.table import (
    ALIGN_CENTER,
    ALIGN_RIGHT,
    STATUS_ROLE,
    Column,
    ListTableModel,
    role_colour,
)


def _when(text: str) -> str:
    return local_time(datetime.fromisoformat(text))


def _money(row: OrderRow) -> str:
    try:
        return money(Decimal(row.total), row.currency) if row.total is not None else ""
    except InvalidOperation:
        return row.total or ""


class MirrorOrdersModel(ListTableModel):
    """Rows of :class:`OrderRow`; the header's sort is the mirror's (see ``SORT_KEYS``).

    The Orders tab's server-paged table (``OrdersModel``) has the same columns.
    """

    STATUS_COLUMN = 2
    #: Mirror sort key of each column, in column order.
    SORT_KEYS = (
        "order_id",
        "created_at",
        "status",
        "product",
        "quantity",
        "total",
        "reference",
        "recipient",
    )

    #: Narrow window: order, status and money stay; recipient, reference, product go first
    #: (column -> priority for ``TableView.set_column_priorities``). Product elides.
    COLUMN_PRIORITIES: ClassVar[Mapping[int, int]] = {
        0: 0,
        2: 0,
        5: 0,
        4: 1,
        1: 2,
        3: 3,
        6: 4,
        7: 5,
    }
    ELASTIC_COLUMNS: ClassVar[Mapping[int, int]] = {3: 130}

    columns = (
        Column("Order", lambda r: r.order_id),
        Column("Created", lambda r: _when(r.created_at)),
        Column(
            "Status",
            lambda r: status_label(OrderStatus(r.status)),
            align=ALIGN_CENTER,
            extra={STATUS_ROLE: lambda r: OrderStatus(r.status)},
        ),
        Column("Product", lambda r: r.product),
        Column("Qty", lambda r: "" if r.quantity is None else str(r.quantity), align=ALIGN_RIGHT),
        Column("Total", _money, align=ALIGN_RIGHT),
        Column("Reference", lambda r: r.reference),
        Column("Recipient", lambda r: r.recipient),
    )

    def __init__(self, parent: object = None) -> None:
        super().__init__(parent)
        self.highlighted: set[str] = set()

    def order_row(self, row: int) -> OrderRow | None:
        item = self.row_at(row)
        return item if isinstance(item, OrderRow) else None

    def row_data(self, item: OrderRow, role: int) -> object:
        changed = item.unseen or item.order_id in self.highlighted
        return role_colour("row.changed" if changed else None, role)

    def sort(self, column: int, order: object = None) -> None:
        """Rows arrive sorted by the mirror; a local re-sort would show a different order."""


__all__ = ["STATUS_ROLE", "MirrorOrdersModel"]
