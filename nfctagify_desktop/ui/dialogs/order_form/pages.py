"""The two pages of the order form, built onto the form: the fields, and the confirmation."""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, Final

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from nfctagify_desktop.ordering.countries import COUNTRIES
from nfctagify_desktop.ordering.fields import FIELDS
from nfctagify_desktop.ui import theme
from nfctagify_desktop.ui.fonts import make_heading
from nfctagify_desktop.ui.geometry import scroll_area
from nfctagify_desktop.ui.widgets.order_placed import OrderPlacedPanel
from nfctagify_desktop.ui.widgets.quantity_edit import QuantityEdit

if TYPE_CHECKING:
    from nfctagify_desktop.ui.dialogs.order_form.base import OrderFormBase

_STYLE: Final = """
QLineEdit[error="true"], QComboBox[error="true"] {{
    border: 2px solid {field.border}; border-radius: 3px;
    background: {field.bg}; color: {field.fg}; }}
QLabel[role="fieldError"] {{ color: {error}; }}
QLabel[role="fieldWarning"] {{ color: {warning}; font-weight: 600; }}
QLabel#formTotal {{ font-weight: 600; }}
QLabel#formPrice[custom="true"] {{ color: {ok}; }}
"""

#: Letters the form's fixed labels and buttons use as Alt+ mnemonics; a label that changes
#: with the country (State, Province, ZIP code…) takes its first letter not in this set.
FIXED_MNEMONICS: Final = frozenset("pqfn12tycrs")


def mnemonic(label: str, taken: frozenset[str] = FIXED_MNEMONICS) -> str:
    """``label`` with ``&`` before its first letter no other control uses."""
    for index, char in enumerate(label):
        if char.isalnum() and char.lower() not in taken:
            return f"{label[:index]}&{label[index:]}"
    return label


def form_style() -> str:
    """The form's style sheet in the theme in use (invalid fields, errors, warnings)."""
    return _STYLE.format(
        field=theme.swatch("field.error"),
        error=theme.swatch("text.error").fg,
        warning=theme.swatch("text.warning").fg,
        ok=theme.swatch("text.ok").fg,
    )


def line_edit(key: str) -> QLineEdit:
    """The input of order field ``key``, named and limited as the field table says."""
    field = FIELDS[key]
    edit = QLineEdit()
    edit.setAccessibleName(field.label)
    if field.max_length is not None:  # longer than allowed: the message says by how much
        edit.setMaxLength(field.max_length * 2)
    edit.setPlaceholderText(field.hint)
    return edit


def build_form_page(form: OrderFormBase) -> QWidget:
    page = QWidget()
    form.product_combo = QComboBox()
    form.product_combo.setAccessibleName(FIELDS["product_id"].label)
    form.product_combo.setMinimumContentsLength(30)
    form.product_combo.setPlaceholderText("Choose a product…")

    form.quantity_edit = QuantityEdit()
    form.quantity_edit.setAccessibleName(FIELDS["quantity"].label)
    form.total_label = QLabel()
    form.total_label.setObjectName("formTotal")
    form.total_label.setAccessibleName("Order total")
    form.price_label = QLabel()
    form.price_label.setObjectName("formPrice")
    form.price_label.setAccessibleName("Unit price")
    form.price_label.setWordWrap(True)

    form.reference_edit = line_edit("customer_reference")
    form.name_edit = line_edit("name")
    form.line1_edit = line_edit("address_line1")
    form.line2_edit = line_edit("address_line2")
    form.city_edit = line_edit("city")
    form.postcode_edit = line_edit("postcode")
    form.region_combo = QComboBox()
    form.region_combo.setEditable(True)
    form.region_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    form.region_combo.setAccessibleName(FIELDS["region"].label)
    region_completer = form.region_combo.completer()
    if region_completer is not None:
        region_completer.setFilterMode(Qt.MatchFlag.MatchContains)
        region_completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

    form.country_combo = QComboBox()
    form.country_combo.setEditable(True)
    form.country_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    form.country_combo.setAccessibleName(FIELDS["country"].label)
    for code, name in COUNTRIES:
        form.country_combo.addItem(f"{name} ({code})", code)
    completer = form.country_combo.completer()
    if completer is not None:  # type-to-search anywhere in the name or code
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

    #: API field -> (input widget, its error label).
    form.inputs = {
        "product_id": form.product_combo,
        "quantity": form.quantity_edit,
        "customer_reference": form.reference_edit,
        "shipping.name": form.name_edit,
        "shipping.address_line1": form.line1_edit,
        "shipping.address_line2": form.line2_edit,
        "shipping.city": form.city_edit,
        # Country first: choosing it decides what the next two are called, and whether a
        # region is asked for at all.
        "shipping.country": form.country_combo,
        "shipping.region": form.region_combo,
        "shipping.postcode": form.postcode_edit,
    }
    form.error_labels = {}
    labels = {f.api: f.form_label for f in FIELDS.values()}
    form.field_labels = {}
    grid = QFormLayout()
    grid.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    grid.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
    form.reference_warning = QLabel()
    form.reference_warning.setProperty("role", "fieldWarning")
    form.reference_warning.setWordWrap(True)
    form.reference_warning.setAccessibleName("Customer reference warning")
    form.reference_warning.hide()
    for key, widget in form.inputs.items():
        error = QLabel()
        error.setProperty("role", "fieldError")
        error.setWordWrap(True)
        error.setAccessibleName(f"{widget.accessibleName()} error")
        error.hide()
        form.error_labels[key] = error
        cell = QVBoxLayout()
        cell.setSpacing(2)
        if key == "quantity":
            row = QHBoxLayout()
            row.addWidget(form.quantity_edit)
            row.addSpacing(12)
            row.addWidget(form.total_label)
            row.addStretch(1)
            cell.addLayout(row)
            cell.addWidget(form.price_label)
        else:
            cell.addWidget(widget)
        cell.addWidget(error)
        if key == "customer_reference":
            cell.addWidget(form.reference_warning)
        label = QLabel(labels[key])
        label.setBuddy(widget)
        form.field_labels[key] = label
        grid.addRow(label, cell)
        if key == "shipping.region":
            form.region_row = grid.rowCount() - 1
    form.form_grid = grid

    form.save_button = QPushButton("&Save draft")
    form.save_button.setAccessibleName("Save as a draft and close")
    form.save_button.setToolTip("Keep this order in the Outbox to finish later")
    form.save_button.setAutoDefault(False)
    form.cancel_button = QPushButton("Cancel")
    form.cancel_button.setAccessibleName("Close the form (the draft is kept)")
    form.cancel_button.setAutoDefault(False)
    form.review_button = QPushButton("&Review order…")
    form.review_button.setAccessibleName("Review the order before placing it")
    buttons = QHBoxLayout()
    buttons.addWidget(form.save_button)
    buttons.addStretch(1)
    buttons.addWidget(form.cancel_button)
    buttons.addWidget(form.review_button)

    # The fields scroll on a short screen (200 %); the buttons always stay in view.
    fields = QWidget()
    fields_layout = QVBoxLayout(fields)
    fields_layout.setContentsMargins(0, 0, 0, 0)
    fields_layout.addLayout(grid)
    fields_layout.addStretch(1)
    form.fields_scroll = scroll_area(fields, grow=True)
    form.fields_scroll.setObjectName("orderFieldsScroll")
    layout = QVBoxLayout(page)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(form.fields_scroll, 1)
    layout.addLayout(buttons)

    order = [
        form.product_combo,
        form.quantity_edit,
        form.reference_edit,
        form.name_edit,
        form.line1_edit,
        form.line2_edit,
        form.city_edit,
        form.country_combo,
        form.region_combo,
        form.postcode_edit,
        form.review_button,
        form.cancel_button,
        form.save_button,
    ]
    for first, second in itertools.pairwise(order):
        QWidget.setTabOrder(first, second)
    return page


def build_confirm_page(form: OrderFormBase) -> QWidget:
    page = QWidget()
    heading = QLabel("Check the order, then place it")
    make_heading(heading)
    form.summary_label = QLabel()
    form.summary_label.setObjectName("orderSummary")
    form.summary_label.setAccessibleName("Order summary")
    form.summary_label.setTextFormat(Qt.TextFormat.RichText)
    form.summary_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    form.summary_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
    form.sending_label = QLabel()
    form.sending_label.setAccessibleName("Sending status")
    form.back_button = QPushButton("&Back")
    form.back_button.setAccessibleName("Back to the form")
    form.back_button.setAutoDefault(False)
    form.place_button = QPushButton("&Place order")
    form.place_button.setAccessibleName("Place the order")
    buttons = QHBoxLayout()
    buttons.addWidget(form.sending_label, 1)
    buttons.addWidget(form.back_button)
    buttons.addWidget(form.place_button)
    layout = QVBoxLayout(page)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(heading)
    layout.addWidget(form.summary_label, 1)
    layout.addLayout(buttons)
    QWidget.setTabOrder(form.place_button, form.back_button)
    return page


def build_placed_page(form: OrderFormBase) -> QWidget:
    """After placing: the order id to copy, and ways on (stays until closed)."""
    form.placed_panel = OrderPlacedPanel()
    return form.placed_panel
