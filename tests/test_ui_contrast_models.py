"""Contrast of what the app's models and delegates really return, in the light and dark theme.

Every cell of every table model is read as a view reads it: the text colour is the model's
ForegroundRole or else the palette's text, the background its BackgroundRole or else the
palette's base. Rows are made to show each highlight the app has (custom price, changed order,
CSV errors and warnings, each draft state).
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtGui import QBrush, QColor, QPalette
from PySide6.QtWidgets import QApplication

from nfctagify_desktop.api.models import PriceEntry
from nfctagify_desktop.ui import theme
from nfctagify_desktop.ui.appearance import Appearance, ThemeChoice, install_appearance
from nfctagify_desktop.ui.contrast import TEXT_MIN, contrast_ratio
from nfctagify_desktop.ui.models.products_model import PricingModel

_R = QPalette.ColorRole


@pytest.fixture(params=[ThemeChoice.LIGHT, ThemeChoice.DARK], ids=["light", "dark"])
def themed(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[Appearance]:
    appearance = install_appearance(qapp, request.param)
    assert theme.is_dark() is (request.param is ThemeChoice.DARK)
    yield appearance
    appearance.apply(ThemeChoice.SYSTEM)


def _colour(value: object) -> QColor | None:
    if isinstance(value, QBrush):
        return value.color()
    if isinstance(value, QColor):
        return value
    return None


def low_contrast_cells(model: QAbstractItemModel, what: str) -> list[str]:
    palette = QApplication.palette()
    failures: list[str] = []
    for row in range(model.rowCount()):
        for column in range(model.columnCount()):
            index = model.index(row, column)
            text = index.data(Qt.ItemDataRole.DisplayRole)
            if not text:
                continue
            base = palette.color(_R.AlternateBase if row % 2 else _R.Base)
            bg = _colour(index.data(Qt.ItemDataRole.BackgroundRole)) or base
            fg = _colour(index.data(Qt.ItemDataRole.ForegroundRole)) or palette.color(_R.Text)
            ratio = contrast_ratio(fg.name(), bg.name())
            if ratio < TEXT_MIN:
                header = model.headerData(column, Qt.Orientation.Horizontal)
                failures.append(
                    f"{what} row {row} {header} {text!r}: {fg.name()} on {bg.name()} = {ratio:.2f}"
                )
    return failures


def test_pricing_rows_including_custom_prices(themed: Appearance) -> None:
    model = PricingModel()
    model.set_rows(
        [
            PriceEntry(product_id="prod_a", name="Standard card", price=Decimal("2.95")),
            PriceEntry(
                product_id="prod_b",
                name="Premium metal",
                price=Decimal("17.50"),
                standard_price=Decimal("19.50"),
            ),
        ]
    )
    assert model.index(1, 0).data(Qt.ItemDataRole.BackgroundRole) is not None  # highlighted
    failures = low_contrast_cells(model, "Pricing")
    assert not failures, "\n".join(failures)
