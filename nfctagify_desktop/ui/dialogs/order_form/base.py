"""The order form's fields: what is typed in, the product list, and messages next to fields.

:class:`OrderFormBase` holds the widgets (built by ``pages``) and moves data in and out of
them; the dialog subclass adds the draft, the autosave and the review-and-place flow.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Final

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from nfctagify_desktop.api import errors
from nfctagify_desktop.api.models import Product
from nfctagify_desktop.ordering.address import address_format, normalize_region
from nfctagify_desktop.ordering.countries import normalize_country
from nfctagify_desktop.ordering.validation import OrderFields
from nfctagify_desktop.services.ordering import OrderingService
from nfctagify_desktop.ui import theme
from nfctagify_desktop.ui.dialogs.order_form.content import product_text
from nfctagify_desktop.ui.dialogs.order_form.pages import (
    build_confirm_page,
    build_form_page,
    build_placed_page,
    form_style,
    mnemonic,
)
from nfctagify_desktop.ui.geometry import fit_on_show
from nfctagify_desktop.ui.price_text import price_line, total_line
from nfctagify_desktop.ui.widgets.banner import ErrorBanner
from nfctagify_desktop.ui.widgets.order_placed import OrderPlacedPanel
from nfctagify_desktop.ui.widgets.quantity_edit import QuantityEdit

_CODE_IN_TEXT = re.compile(r"\(([A-Za-z]{2})\)\s*$")


class OrderFormBase(QDialog):
    """The form's widgets and the fields they hold (no draft, no sending)."""

    FORM_PAGE: Final = 0
    CONFIRM_PAGE: Final = 1
    PLACED_PAGE: Final = 2

    # Built by pages.build_form_page / build_confirm_page / build_placed_page.
    product_combo: QComboBox
    quantity_edit: QuantityEdit
    total_label: QLabel
    price_label: QLabel
    reference_edit: QLineEdit
    reference_warning: QLabel
    fields_scroll: QScrollArea
    name_edit: QLineEdit
    line1_edit: QLineEdit
    line2_edit: QLineEdit
    city_edit: QLineEdit
    postcode_edit: QLineEdit
    region_combo: QComboBox
    country_combo: QComboBox
    inputs: dict[str, QWidget]
    error_labels: dict[str, QLabel]
    field_labels: dict[str, QLabel]
    form_grid: QFormLayout
    region_row: int
    save_button: QPushButton
    cancel_button: QPushButton
    review_button: QPushButton
    summary_label: QLabel
    sending_label: QLabel
    back_button: QPushButton
    place_button: QPushButton
    placed_panel: OrderPlacedPanel

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
        #: Opened to order a given product: the quantity is what is typed first.
        self.quantity_first = False
        self._focus_placed = False

        self.banner = ErrorBanner()
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setAccessibleName("Note about this draft")
        theme.use(self.note, "banner.note", extra=theme.NOTE_BOX)
        self.note.hide()

        self.pages = QStackedWidget()
        self.pages.addWidget(build_form_page(self))
        self.pages.addWidget(build_confirm_page(self))
        self.pages.addWidget(build_placed_page(self))
        self._region_country = ""

        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.note)
        layout.addWidget(self.pages, 1)
        self.product_combo.currentIndexChanged.connect(self._product_changed)
        self.quantity_edit.textChanged.connect(self._update_total)
        self.country_combo.currentIndexChanged.connect(self._country_changed)
        self.country_combo.editTextChanged.connect(self._country_changed)
        self._country_changed()

    # -- focus -------------------------------------------------------------------------------

    def first_field(self) -> QWidget:
        """Where typing starts: the quantity of a chosen product, else the first empty field
        a person fills in (product, quantity, reference, name, address, postcode)."""
        if self.quantity_first and self.product() is not None:
            return self.quantity_edit
        optional = {"shipping.address_line2", "shipping.region", "shipping.country"}
        for key, widget in self.inputs.items():
            if key in optional:
                continue
            if key == "product_id":
                empty = not self.product_id()
            else:
                empty = isinstance(widget, QLineEdit) and not widget.text().strip()
            if empty:
                return widget
        return self.review_button

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._focus_placed or self.pages.currentIndex() != self.FORM_PAGE:
            return
        self._focus_placed = True
        if self.field_errors:  # a refused draft: its first field at fault
            first = next(k for k in self.inputs if k in self.field_errors)
            self.inputs[first].setFocus(Qt.FocusReason.OtherFocusReason)
            return
        widget = self.first_field()
        widget.setFocus(Qt.FocusReason.OtherFocusReason)
        if isinstance(widget, QLineEdit):
            widget.selectAll()

    # -- fields in ---------------------------------------------------------------------------

    def set_fields(self, fields: OrderFields) -> None:
        """Put the fields (as typed, valid or not) into the widgets."""
        was = self._loading_fields
        self._loading_fields = True
        try:
            self._select_product(fields.product_id)
            self.quantity_edit.setText(fields.quantity)
            self.reference_edit.setText(fields.customer_reference)
            self.name_edit.setText(fields.name)
            self.line1_edit.setText(fields.address_line1)
            self.line2_edit.setText(fields.address_line2)
            self.city_edit.setText(fields.city)
            self.postcode_edit.setText(fields.postcode)
            self._set_country(fields.country)
            self._country_changed()
            self._set_region(fields.region)
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

    def _set_region(self, value: str) -> None:
        index = self.region_combo.findData(normalize_region(self.country_code(), value))
        if value.strip() and index >= 0:
            self.region_combo.setCurrentIndex(index)
        else:
            self.region_combo.setCurrentIndex(-1)
            self.region_combo.setEditText(value)

    def _country_changed(self, *_args: object) -> None:
        """Name the postcode and region as the country does; ask for a region only if used."""
        code = self.country_code()
        if code == self._region_country:
            return
        self._region_country = code
        fmt = address_format(code)
        typed = self.region_text()
        self.region_combo.blockSignals(True)
        try:
            self.region_combo.clear()
            for key, name in fmt.region_choices if fmt is not None else ():
                self.region_combo.addItem(name if name == key else f"{name} ({key})", key)
            self._set_region(typed)
        finally:
            self.region_combo.blockSignals(False)
        region_word = fmt.region_label if fmt is not None else "Region"
        postcode_word = fmt.postcode_label if fmt is not None else "Postcode"
        self.field_labels["shipping.region"].setText(mnemonic(f"{region_word}:"))
        self.region_combo.setAccessibleName(region_word)
        self.field_labels["shipping.postcode"].setText(_with_c(f"{postcode_word}:"))
        self.postcode_edit.setAccessibleName(postcode_word)
        examples = fmt.postcode_examples if fmt is not None else ()
        self.postcode_edit.setPlaceholderText(f"e.g. {examples[0]}" if examples else "")
        show_region = fmt is None or fmt.has_regions
        self.form_grid.setRowVisible(self.region_row, show_region)
        region_edit = self.region_combo.lineEdit()
        if region_edit is not None:
            region_edit.setPlaceholderText("" if fmt is None or fmt.region_required else "Optional")
        if fmt is not None and not fmt.postcode_required:
            self.postcode_edit.setPlaceholderText(
                f"Optional{', e.g. ' + examples[0] if examples else ''}"
            )

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
        self.quantity_edit.setMinimum(minimum)
        self.quantity_edit.setToolTip(
            f"At least {minimum} for {product.name}, at most {self.quantity_edit.maximum():,}"
            if product is not None
            else ""
        )
        self._update_total()

    def _update_total(self, *_args: object) -> None:
        """The total, and the unit price beside the standard one when it is a custom price."""
        product = self.product()
        if product is None:
            self.total_label.setText("")
            self.price_label.setText("")
            self.price_label.hide()  # an empty line would push the quantity's message down
            return
        price = Decimal(product.price)
        quantity = self.quantity_edit.value()
        entry = self.service.prices.get(product.product_id)
        standard = entry.standard_price if entry is not None and entry.is_override else None
        self.total_label.setText(total_line(price, quantity, product.currency))
        self.price_label.setText(price_line(price, quantity, product.currency, standard))
        self.price_label.setVisible(bool(self.price_label.text()))
        self.price_label.setProperty("custom", standard is not None)
        self.price_label.style().unpolish(self.price_label)
        self.price_label.style().polish(self.price_label)

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

    def region_text(self) -> str:
        """The region's value to send (the key of a chosen entry) or the text as typed."""
        text = self.region_combo.currentText().strip()
        index = self.region_combo.findText(text, Qt.MatchFlag.MatchFixedString)
        if text and index >= 0:
            return str(self.region_combo.itemData(index))
        return text

    def fields(self) -> OrderFields:
        return OrderFields(
            product_id=self.product_id(),
            quantity=self.quantity_edit.text(),
            customer_reference=self.reference_edit.text(),
            name=self.name_edit.text(),
            address_line1=self.line1_edit.text(),
            address_line2=self.line2_edit.text(),
            city=self.city_edit.text(),
            postcode=self.postcode_edit.text(),
            country=self.country_code(),
            region=self.region_text(),
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
                f.region,
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

    def show_errors(self, problems: dict[str, str], *, focus: bool = True) -> None:
        """A message under each field with a problem, the field outlined; others cleared.

        ``focus``: move to the first field at fault (not while the user is typing).
        """
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
        if not focus:
            return
        for key in self.inputs:
            if key in self.field_errors:
                self.inputs[key].setFocus()
                break


def _with_c(label: str) -> str:
    """The postcode's label keeps Alt+C whatever the country calls it (ZIP code, Eircode…)."""
    index = label.lower().find("c")
    return f"{label[:index]}&{label[index:]}" if index >= 0 else label
