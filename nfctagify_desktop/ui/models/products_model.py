"""Products and pricing tables."""

from __future__ import annotations

from PySide6.QtGui import QFont

from nfctagify_desktop.api.models import PriceEntry, Product
from nfctagify_desktop.ui.format import money
from nfctagify_desktop.ui.models.table import (
    ALIGN_CENTER,
    ALIGN_RIGHT,
    FONT_ROLE,
    Column,
    ListTableModel,
    role_colour,
)

# Columns both catalogue tables show the same way (a Product and a PriceEntry share the fields).
_MIN_QUANTITY = Column(
    "Min. quantity",
    lambda p: str(p.min_quantity),
    sort_key=lambda p: p.min_quantity,
    align=ALIGN_RIGHT,
)
_PRODUCT_ID = Column("Product ID", lambda p: p.product_id)


class ProductsModel(ListTableModel):
    columns = (
        Column("Product", lambda p: p.name, tooltip=lambda p: p.product_id),
        Column(
            "Your price",
            lambda p: money(p.price, p.currency),
            sort_key=lambda p: p.price,
            align=ALIGN_RIGHT,
        ),
        _MIN_QUANTITY,
        _PRODUCT_ID,
        Column("Description", lambda p: p.description, tooltip=lambda p: p.description),
    )

    def product(self, row: int) -> Product | None:
        item = self.row_at(row)
        return item if isinstance(item, Product) else None


_BOLD = QFont()
_BOLD.setBold(True)


def _saving(p: PriceEntry) -> str:
    if p.standard_price is None or p.standard_price == 0 or p.standard_price == p.price:
        return ""
    pct = (p.standard_price - p.price) / p.standard_price * 100
    return f"{pct:+.0f}%" if pct < 0 else f"−{pct:.0f}%"


class PricingModel(ListTableModel):
    columns = (
        Column("Product", lambda p: p.name or p.product_id, tooltip=lambda p: p.product_id),
        Column(
            "Your price",
            lambda p: money(p.price, p.currency),
            sort_key=lambda p: p.price,
            align=ALIGN_RIGHT,
            extra={FONT_ROLE: lambda p: _BOLD if p.is_override else None},
        ),
        Column(
            "Standard price",
            lambda p: money(p.standard_price, p.currency),
            sort_key=lambda p: p.standard_price,
            align=ALIGN_RIGHT,
        ),
        Column(
            "Difference",
            _saving,
            sort_key=lambda p: p.price - (p.standard_price or p.price),
            align=ALIGN_RIGHT,
        ),
        Column(
            "Pricing",
            lambda p: "Custom price" if p.is_override else "Standard",
            sort_key=lambda p: not p.is_override,
            align=ALIGN_CENTER,
            tooltip=lambda p: (
                "A custom price NFC Tagify configured for your account"
                if p.is_override
                else "The published price"
            ),
        ),
        _MIN_QUANTITY,
        _PRODUCT_ID,
    )

    def row_data(self, item: PriceEntry, role: int) -> object:
        return role_colour("row.custom_price" if item.is_override else None, role)
