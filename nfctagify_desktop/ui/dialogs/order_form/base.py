"""The order form's fields: what is typed in, the product list, and messages next to fields.

:class:`OrderFormBase` holds the widgets (built by ``pages``) and moves data in and out of
them; the dialog subclass adds the draft, the autosave and the review-and-place flow.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Final

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from nfctagify_desktop.api import errors
from nfctagify_desktop.api.models import Product
from nfctagify_desktop.ordering.countries import normalize_country
from nfctagify_desktop.ordering.validation import OrderFields, parse_quantity
from nfctagify_desktop.services.ordering import OrderingService
from nfctagify_desktop.ui import theme
from nfctagify_desktop.ui.dialogs.order_form.content import product_text
from nfctagify_desktop.ui.dialogs.order_form.pages import (
    build_confirm_page,
    build_form_page,
    form_style,
)
from nfctagify_desktop.ui.format import money
from nfctagify_desktop.ui.geometry import fit_on_show
from nfctagify_desktop.ui.widgets.banner import ErrorBanner

_CODE_IN_TEXT = re.compile(r"\(([A-Za-z]{2})\)\s*$")


class OrderFormBase(QDialog):
    """The form's widgets and the fields they hold (no draft, no sending)."""

    FORM_PAGE: Final = 0
    CONFIRM_PAGE: Final = 1

    # Built by pages.build_form_page / build_confirm_page.
    product_combo: QComboBox
    quantity_spin: QSpinBox
    total_label: QLabel
    reference_edit: QLineEdit
    reference_warning: QLabel
    fields_scroll: QScrollArea
    name_edit: QLineEdit
    line1_edit: QLineEdit
    line2_edit: QLineEdit
    city_edit: QLineEdit
    postcode_edit: QLineEdit
    country_combo: QComboBox
    inputs: dict[str, QWidget]
    error_labels: dict[str, QLabel]
    save_button: QPushButton
    cancel_button: QPushButton
    review_button: QPushButton
    summary_label: QLabel
    sending_label: QLabel
    back_button: QPushButton
    place_button: QPushButton

    def __init__(self, service: OrderingService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.setObjectName("orderForm")
        self.setModal(False)
        self.setWindowTitle("New order")
        self.setAccessibleName("Order form")
        theme.keep_styled(self, form_style)
        self.setMinimumWidth(560)
        fit_on_show(self)
        self._loading_fields = False
        self.field_errors: dict[str, str] = {}
        #: Products known from the request before the catalogue has loaded.
        self._extra_products: dict[str, Product] = {}

        self.banner = ErrorBanner()
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setAccessibleName("Note about this draft")
        theme.use(self.note, "banner.note", extra=theme.NOTE_BOX)
        self.note.hide()

        self.pages = QStackedWidget()
        self.pages.addWidget(build_form_page(self))
        self.pages.addWidget(build_confirm_page(self))

        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.note)
        layout.addWidget(self.pages, 1)
        self.product_combo.currentIndexChanged.connect(self._product_changed)
        self.quantity_spin.valueChanged.connect(self._update_total)

    # -- fields in ---------------------------------------------------------------------------

    def set_fields(self, fields: OrderFields) -> None:
        """Put the fields (as typed, valid or not) into the widgets."""
        was = self._loading_fields
        self._loading_fields = True
        try:
            self._select_product(fields.product_id)
            qty = parse_quantity(fields.quantity)
            if qty is not None:
                self.quantity_spin.setValue(qty)
            self.reference_edit.setText(fields.customer_reference)
            self.name_edit.setText(fields.name)
            self.line1_edit.setText(fields.address_line1)
            self.line2_edit.setText(fields.address_line2)
            self.city_edit.setText(fields.city)
            self.postcode_edit.setText(fields.postcode)
            self._set_country(fields.country)
        finally:
            self._loading_fields = was

    def _select_product(self, product_id: str) -> None:
        pid = product_id.strip()
        index = self.product_combo.findData(pid) if pid else -1
        if index < 0 and pid:
            self.product_combo.addItem(pid, pid)
            index = self.product_combo.count() - 1
        self.product_combo.setCurrentIndex(index)

    def _set_country(self, value: str) -> None:
        code = normalize_country(value) if value.strip() else None
        index = self.country_combo.findData(code) if code else -1
        if index >= 0:
            self.country_combo.setCurrentIndex(index)
        else:
            self.country_combo.setCurrentIndex(-1)
            self.country_combo.setEditText(value)

    # -- products ----------------------------------------------------------------------------

    def _fill_products(self) -> None:
        current = self.product_id()
        was = self._loading_fields
        self._loading_fields = True
        self.product_combo.blockSignals(True)
        try:
            self.product_combo.clear()
            known = {**self._extra_products, **self.service.products}
            for product in sorted(known.values(), key=lambda p: p.name.casefold()):
                self.product_combo.addItem(product_text(product), product.product_id)
            self._select_product(current)
        finally:
            self.product_combo.blockSignals(False)
            self._loading_fields = was
        self._product_changed()

    def product_id(self) -> str:
        data = self.product_combo.currentData()
        return str(data) if data is not None else self.product_combo.currentText().strip()

    def product(self) -> Product | None:
        pid = self.product_id()
        return self.service.products.get(pid) or self._extra_products.get(pid)

    def _product_changed(self, *_args: object) -> None:
        product = self.product()
        minimum = max(1, product.min_quantity) if product is not None else 1
        self.quantity_spin.setMinimum(minimum)
        self.quantity_spin.setToolTip(
            f"At least {minimum} for {product.name}" if product is not None else ""
        )
        self._update_total()

    def _update_total(self, *_args: object) -> None:
        product = self.product()
        if product is None:
            self.total_label.setText("")
            return
        total = Decimal(product.price) * self.quantity_spin.value()
        self.total_label.setText(
            f"Total {money(total, product.currency)}  "
            f"({money(Decimal(product.price), product.currency)} each)"
        )

    # -- fields out --------------------------------------------------------------------------

    def country_code(self) -> str:
        text = self.country_combo.currentText().strip()
        index = self.country_combo.findText(text, Qt.MatchFlag.MatchFixedString)
        if index >= 0:
            return str(self.country_combo.itemData(index))
        match = _CODE_IN_TEXT.search(text)
        if match and normalize_country(match.group(1)):
            return match.group(1).upper()
        return normalize_country(text) or text

    def fields(self) -> OrderFields:
        return OrderFields(
            product_id=self.product_id(),
            quantity=str(self.quantity_spin.value()),
            customer_reference=self.reference_edit.text(),
            name=self.name_edit.text(),
            address_line1=self.line1_edit.text(),
            address_line2=self.line2_edit.text(),
            city=self.city_edit.text(),
            postcode=self.postcode_edit.text(),
            country=self.country_code(),
        )

    def has_content(self) -> bool:
        f = self.fields()
        return any(
            v.strip()
            for v in (
                f.customer_reference,
                f.name,
                f.address_line1,
                f.address_line2,
                f.city,
                f.postcode,
            )
        )

    # -- messages next to fields ---------------------------------------------------------------

    def _field_key(self, name: str | None) -> str | None:
        if not name:
            return None
        if name in self.inputs:
            return name
        if f"shipping.{name}" in self.inputs:
            return f"shipping.{name}"
        tail = name.rsplit(".", 1)[-1]
        for key in self.inputs:
            if key.endswith(f".{tail}") or key == tail:
                return key
        return None

    def show_errors(self, problems: dict[str, str]) -> None:
        """A message under each field with a problem, the field outlined; others cleared."""
        self.field_errors = {}
        for key, message in problems.items():
            mapped = self._field_key(key)
            if mapped is not None:
                self.field_errors[mapped] = message
        for key, widget in self.inputs.items():
            message = self.field_errors.get(key, "")
            label = self.error_labels[key]
            label.setText(message)
            label.setVisible(bool(message))
            widget.setProperty("error", bool(message))
            widget.setAccessibleDescription(message)
            widget.style().unpolish(widget)
            widget.style().polish(widget)
        unmapped = [m for k, m in problems.items() if self._field_key(k) is None]
        if unmapped:
            self.banner.show_error(errors.ApiError("; ".join(unmapped)))
        for key in self.inputs:
            if key in self.field_errors:
                self.inputs[key].setFocus()
                break
