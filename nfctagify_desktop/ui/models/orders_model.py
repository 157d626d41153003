"""Orders and line-item tables."""

from __future__ import annotations

from dataclasses import dataclass

from nfctagify_desktop.api.models import LineItem, Order
from nfctagify_desktop.store.mirror.records import product_of
from nfctagify_desktop.ui.format import local_time, money, status_label
from nfctagify_desktop.ui.models.table import (
    ALIGN_CENTER,
    ALIGN_RIGHT,
    STATUS_ROLE,
    Column,
    ListTableModel,
    role_colour,
)


def _recipient(o: Order) -> str:
    return o.shipping.name if o.shipping else ""


class OrdersModel(ListTableModel):
    STATUS_COLUMN = 2

    columns = (
        Column("Order", lambda o: o.order_id),
        Column(
            "Created",
            lambda o: local_time(o.created_at),
            sort_key=lambda o: o.created_at,
        ),
        Column(
            "Status",
            lambda o: status_label(o.status),
            sort_key=lambda o: o.status_raw,
            align=ALIGN_CENTER,
            extra={STATUS_ROLE: lambda o: o.status},
        ),
        Column("Product", product_of, tooltip=product_of),  # elided in a narrow window
        Column(
            "Qty",
            lambda o: "" if o.quantity is None else str(o.quantity),
            sort_key=lambda o: o.quantity,
            align=ALIGN_RIGHT,
        ),
        Column(
            "Total",
            lambda o: money(o.total, o.currency),
            sort_key=lambda o: o.total,
            align=ALIGN_RIGHT,
        ),
        Column("Reference", lambda o: o.customer_reference or ""),
        Column("Recipient", _recipient),
    )

    def __init__(self, parent: object = None) -> None:
        super().__init__(parent)
        #: Orders whose status changed since the user last looked (highlighted).
        self.highlighted: set[str] = set()

    def order(self, row: int) -> Order | None:
        item = self.row_at(row)
        return item if isinstance(item, Order) else None

    def set_highlighted(self, order_ids: set[str]) -> None:
        self.highlighted = set(order_ids)
        if self._rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._rows) - 1, len(self.columns) - 1)
            )

    def row_data(self, item: Order, role: int) -> object:
        return role_colour("row.changed" if item.order_id in self.highlighted else None, role)


@dataclass(frozen=True)
class _Line:
    """A line item with its order's currency (line items do not carry one)."""

    item: LineItem
    currency: str | None


class LineItemsModel(ListTableModel):
    columns = (
        Column(
            "Item", lambda r: r.item.name or r.item.product_id, tooltip=lambda r: r.item.item_id
        ),
        Column(
            "Qty",
            lambda r: str(r.item.quantity),
            sort_key=lambda r: r.item.quantity,
            align=ALIGN_RIGHT,
        ),
        Column(
            "Unit price",
            lambda r: money(r.item.unit_price, r.currency),
            sort_key=lambda r: r.item.unit_price,
            align=ALIGN_RIGHT,
        ),
        Column(
            "Line total",
            lambda r: money(r.item.line_total, r.currency),
            sort_key=lambda r: r.item.line_total,
            align=ALIGN_RIGHT,
        ),
        Column(
            "Status",
            lambda r: status_label(r.item.status) if r.item.status_raw else "",
            align=ALIGN_CENTER,
            extra={STATUS_ROLE: lambda r: r.item.status if r.item.status_raw else None},
        ),
    )

    def set_items(self, items: list[LineItem], currency: str | None) -> None:
        self.set_rows([_Line(item, currency) for item in items])


__all__ = ["STATUS_ROLE", "LineItemsModel", "OrdersModel"]
