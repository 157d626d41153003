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


def test_orders_rows_including_changed_ones(themed: Appearance) -> None:
    from datetime import UTC, datetime

    from nfctagify_desktop.api.models import Order
    from nfctagify_desktop.ui.models.orders_model import OrdersModel

    model = OrdersModel()
    model.set_rows(
        [
            Order.model_validate(
                {
                    "order_id": f"ord_{n}",
                    "status": status,
                    "created_at": datetime(2026, 11, 1, tzinfo=UTC),
                    "product_name": "NFC Business Card",
                    "quantity": 50,
                    "currency": "GBP",
                    "total": "147.50",
                    "customer_reference": "PO-1",
                }
            )
            for n, status in enumerate(("pending", "processing", "delivered", "lost"))
        ]
    )
    model.set_highlighted({"ord_0", "ord_2"})
    assert model.index(0, 0).data(Qt.ItemDataRole.BackgroundRole) is not None
    failures = low_contrast_cells(model, "Orders")
    assert not failures, "\n".join(failures)


def test_outbox_rows_in_every_state(themed: Appearance) -> None:
    from nfctagify_desktop.ordering.outbox import Draft, DraftState
    from nfctagify_desktop.ordering.validation import OrderFields
    from nfctagify_desktop.ui.tabs.outbox_tab import DraftsModel

    fields = OrderFields(product_id="prod_standard", quantity="50", name="Jane Smith")
    model = DraftsModel()
    model.set_rows(
        [
            Draft(profile="Sandbox", fields=fields, state=state, last_error="x")
            for state in DraftState
        ]
    )
    coloured = [
        r for r in range(model.rowCount()) if model.index(r, 0).data(Qt.ItemDataRole.BackgroundRole)
    ]
    assert len(coloured) >= 3  # failed, unknown, sending
    failures = low_contrast_cells(model, "Outbox")
    assert not failures, "\n".join(failures)


def test_import_preview_errors_and_outcomes(themed: Appearance) -> None:
    from nfctagify_desktop.ordering.bulk import (
        Outcome,
        RowOutcome,
        check_rows,
        guess_mapping,
        read_bytes,
    )
    from nfctagify_desktop.ui.dialogs.bulk_import import BulkRowsModel

    table = read_bytes(
        (
            "product_id,quantity,name,address_line1,city,postcode,country\n"
            "prod_standard,50,Jane Smith,12 Example Street,London,EC1A 1BB,GB\n"
            "prod_standard,,,1 High St,Leeds,NOPE,GB\n"
            + "".join(
                f"prod_standard,{10 + n},Ann Lee,2 Rue X,Paris,75001,FR\n"
                for n in range(len(Outcome))
            )
        ).encode()
    )
    rows = check_rows(table, guess_mapping(table.headers), profile="p")
    model = BulkRowsModel()
    model.set_checked(rows)
    model.set_outcomes([RowOutcome(r, o, o.value) for r, o in zip(rows[2:], Outcome, strict=True)])
    assert rows[1].errors  # a row with errors is in the preview
    failures = low_contrast_cells(model, "Import preview")
    assert not failures, "\n".join(failures)


def test_status_badges_the_delegate_paints(themed: Appearance) -> None:
    from nfctagify_desktop.api.models import OrderStatus
    from nfctagify_desktop.ui.contrast import LARGE_TEXT_MIN
    from nfctagify_desktop.ui.format import status_colours

    for status in OrderStatus:
        bg, fg = status_colours(status)
        ratio = contrast_ratio(fg.name(), bg.name())
        assert ratio >= LARGE_TEXT_MIN, f"{status}: {fg.name()} on {bg.name()} = {ratio:.2f}"
