"""The order form: fill, review, place; every order is an outbox draft before it is sent.

Non-modal (opened with ``show()``, PITFALLS Q5). Two pages in one dialog: the form, with
validation messages next to each field, and a confirmation page with the order and its total.
The draft is saved to the outbox as the user types (debounced), before any network call, and
again when the form closes, so nothing typed is ever lost; the submitter owns the draft's state
from the moment it is sent.
"""

from __future__ import annotations

import html
import itertools
import re
from decimal import Decimal
from typing import Final

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from nfctagify_desktop.api import errors
from nfctagify_desktop.api.models import Order, Product
from nfctagify_desktop.ordering.countries import COUNTRIES, country_name, normalize_country
from nfctagify_desktop.ordering.outbox import Draft, DraftState
from nfctagify_desktop.ordering.submit import SubmitResult
from nfctagify_desktop.ordering.validation import (
    MAX_QUANTITY,
    OrderFields,
    parse_quantity,
    to_order_create,
    validate_order,
)
from nfctagify_desktop.ui.context import AppContext
from nfctagify_desktop.ui.format import money
from nfctagify_desktop.ui.ordering_service import OrderingService, ordering_service
from nfctagify_desktop.ui.widgets.banner import ErrorBanner

AUTOSAVE_MS: Final = 800
_ERROR_COLOUR: Final = "#B3261E"
_WARN_COLOUR: Final = "#8A5300"
_STYLE: Final = f"""
QLineEdit[error="true"], QComboBox[error="true"], QSpinBox[error="true"] {{
    border: 2px solid {_ERROR_COLOUR}; border-radius: 3px; background: #FFF5F4; }}
QLabel[role="fieldError"] {{ color: {_ERROR_COLOUR}; }}
QLabel[role="fieldWarning"] {{ color: {_WARN_COLOUR}; font-weight: 600; }}
QLabel#formTotal {{ font-weight: 600; }}
"""
_CODE_IN_TEXT = re.compile(r"\(([A-Za-z]{2})\)\s*$")

OrderRequest = Product | Order | Draft | None


class OrderFormDialog(QDialog):
    """One order, from typing to placed.

    Signals:
        sig_order_placed(object): the Order the API returned (or found when reconciling).
    """

    sig_order_placed = Signal(object)

    FORM_PAGE: Final = 0
    CONFIRM_PAGE: Final = 1

    def __init__(
        self,
        ctx: AppContext,
        service: OrderingService,
        request: OrderRequest = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.service = service
        self.setObjectName("orderForm")
        self.setModal(False)
        self.setWindowTitle("New order")
        self.setAccessibleName("Order form")
        self.setStyleSheet(_STYLE)
        self.setMinimumWidth(560)
        self._dirty = False
        self._placed: Order | None = None
        self._sending = False
        self._ack_reference: str | None = None
        self._loading_fields = False
        self.field_errors: dict[str, str] = {}
        #: Products known from the request before the catalogue has loaded.
        self._extra_products: dict[str, Product] = {}

        self.banner = ErrorBanner()
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setAccessibleName("Note about this draft")
        self.note.setStyleSheet(
            "background: #FFF4D6; border: 1px solid #F0D48A; border-radius: 6px; padding: 6px;"
        )
        self.note.hide()

        self.pages = QStackedWidget()
        self.pages.addWidget(self._build_form_page())
        self.pages.addWidget(self._build_confirm_page())

        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.note)
        layout.addWidget(self.pages, 1)

        self._autosave = QTimer(self)
        self._autosave.setSingleShot(True)
        self._autosave.setInterval(AUTOSAVE_MS)
        self._autosave.timeout.connect(self._autosave_now)

        self.draft = self._start(request)
        self._fill_products()
        self._update_total()
        self._load_products()

    # -- building ----------------------------------------------------------------------------

    def _line(self, name: str, max_len: int, placeholder: str = "") -> QLineEdit:
        edit = QLineEdit()
        edit.setAccessibleName(name)
        edit.setMaxLength(max_len * 2)  # longer than allowed: the message says by how much
        edit.setPlaceholderText(placeholder)
        edit.textEdited.connect(self._edited)
        return edit

    def _build_form_page(self) -> QWidget:
        page = QWidget()
        self.product_combo = QComboBox()
        self.product_combo.setAccessibleName("Product")
        self.product_combo.setMinimumContentsLength(30)
        self.product_combo.setPlaceholderText("Choose a product…")
        self.product_combo.activated.connect(self._edited)
        self.product_combo.currentIndexChanged.connect(self._product_changed)

        self.quantity_spin = QSpinBox()
        self.quantity_spin.setRange(1, MAX_QUANTITY)
        self.quantity_spin.setAccessibleName("Quantity")
        self.quantity_spin.setGroupSeparatorShown(True)
        self.quantity_spin.valueChanged.connect(self._update_total)
        self.quantity_spin.valueChanged.connect(lambda _v: self._edited())
        self.total_label = QLabel()
        self.total_label.setObjectName("formTotal")
        self.total_label.setAccessibleName("Order total")

        self.reference_edit = self._line("Customer reference", 64, "Your PO or job number")
        self.reference_edit.textEdited.connect(self._reference_edited)
        self.name_edit = self._line("Recipient name", 100, "Person or company")
        self.line1_edit = self._line("Address line 1", 100)
        self.line2_edit = self._line("Address line 2", 100, "Optional")
        self.city_edit = self._line("Town or city", 60)
        self.postcode_edit = self._line("Postcode", 16, "e.g. EC1A 1BB")

        self.country_combo = QComboBox()
        self.country_combo.setEditable(True)
        self.country_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.country_combo.setAccessibleName("Country")
        for code, name in COUNTRIES:
            self.country_combo.addItem(f"{name} ({code})", code)
        completer = self.country_combo.completer()
        if completer is not None:  # type-to-search anywhere in the name or code
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.country_combo.activated.connect(self._edited)
        self.country_combo.editTextChanged.connect(self._country_edited)

        #: API field -> (input widget, its error label).
        self.inputs: dict[str, QWidget] = {
            "product_id": self.product_combo,
            "quantity": self.quantity_spin,
            "customer_reference": self.reference_edit,
            "shipping.name": self.name_edit,
            "shipping.address_line1": self.line1_edit,
            "shipping.address_line2": self.line2_edit,
            "shipping.city": self.city_edit,
            "shipping.postcode": self.postcode_edit,
            "shipping.country": self.country_combo,
        }
        self.error_labels: dict[str, QLabel] = {}
        labels = {
            "product_id": "&Product:",
            "quantity": "&Quantity:",
            "customer_reference": "&Reference:",
            "shipping.name": "&Name:",
            "shipping.address_line1": "Address line &1:",
            "shipping.address_line2": "Address line &2:",
            "shipping.city": "&Town or city:",
            "shipping.postcode": "Post&code:",
            "shipping.country": "Countr&y:",
        }
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.reference_warning = QLabel()
        self.reference_warning.setProperty("role", "fieldWarning")
        self.reference_warning.setWordWrap(True)
        self.reference_warning.setAccessibleName("Customer reference warning")
        self.reference_warning.hide()
        for key, widget in self.inputs.items():
            error = QLabel()
            error.setProperty("role", "fieldError")
            error.setWordWrap(True)
            error.setAccessibleName(f"{widget.accessibleName()} error")
            error.hide()
            self.error_labels[key] = error
            cell = QVBoxLayout()
            cell.setSpacing(2)
            if key == "quantity":
                row = QHBoxLayout()
                row.addWidget(self.quantity_spin)
                row.addSpacing(12)
                row.addWidget(self.total_label, 1)
                cell.addLayout(row)
            else:
                cell.addWidget(widget)
            cell.addWidget(error)
            if key == "customer_reference":
                cell.addWidget(self.reference_warning)
            label = QLabel(labels[key])
            label.setBuddy(widget)
            form.addRow(label, cell)

        self.save_button = QPushButton("Save draft")
        self.save_button.setAccessibleName("Save as a draft and close")
        self.save_button.setToolTip("Keep this order in the Outbox to finish later")
        self.save_button.setAutoDefault(False)
        self.save_button.clicked.connect(self.save_and_close)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setAccessibleName("Close the form (the draft is kept)")
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.clicked.connect(self.reject)
        self.review_button = QPushButton("&Review order…")
        self.review_button.setAccessibleName("Review the order before placing it")
        self.review_button.clicked.connect(self.review)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.review_button)

        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addLayout(buttons)

        order = [
            self.product_combo,
            self.quantity_spin,
            self.reference_edit,
            self.name_edit,
            self.line1_edit,
            self.line2_edit,
            self.city_edit,
            self.postcode_edit,
            self.country_combo,
            self.review_button,
            self.cancel_button,
            self.save_button,
        ]
        for first, second in itertools.pairwise(order):
            QWidget.setTabOrder(first, second)
        return page

    def _build_confirm_page(self) -> QWidget:
        page = QWidget()
        heading = QLabel("Check the order, then place it")
        heading.setStyleSheet("font-size: 15px; font-weight: 600;")
        self.summary_label = QLabel()
        self.summary_label.setObjectName("orderSummary")
        self.summary_label.setAccessibleName("Order summary")
        self.summary_label.setTextFormat(Qt.TextFormat.RichText)
        self.summary_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.sending_label = QLabel()
        self.sending_label.setAccessibleName("Sending status")
        self.back_button = QPushButton("&Back")
        self.back_button.setAccessibleName("Back to the form")
        self.back_button.setAutoDefault(False)
        self.back_button.clicked.connect(self.back)
        self.place_button = QPushButton("&Place order")
        self.place_button.setAccessibleName("Place the order")
        self.place_button.clicked.connect(self.place_order)
        buttons = QHBoxLayout()
        buttons.addWidget(self.sending_label, 1)
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.place_button)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(heading)
        layout.addWidget(self.summary_label, 1)
        layout.addLayout(buttons)
        QWidget.setTabOrder(self.place_button, self.back_button)
        return page

    # -- state in ----------------------------------------------------------------------------

    def _start(self, request: OrderRequest) -> Draft:
        """The draft this form edits: an existing one, or a new one (not saved until typed in)."""
        self._loading_fields = True
        try:
            if isinstance(request, Draft):
                draft = self.service.get(request.id) or request
                self.set_fields(draft.fields)
                self.setWindowTitle("Edit draft order")
                self._show_draft_state(draft)
                return draft
            if isinstance(request, Order):
                fields = fields_from_order(request)
                self.set_fields(fields)
                self.setWindowTitle(f"Reorder {request.order_id}")
                if request.customer_reference:
                    self.reference_edit.setPlaceholderText(
                        f"Previous order: {request.customer_reference}"
                    )
                self._dirty = True  # prefilled data is worth keeping if the form is closed
                return self.service.new_draft(fields)
            fields = OrderFields(product_id=request.product_id if request else "")
            if request is not None:
                self._extra_products[request.product_id] = request
                fields = fields.model_copy(update={"quantity": str(request.min_quantity)})
            self.set_fields(fields)
            return self.service.new_draft(fields)
        finally:
            self._loading_fields = False

    def _show_draft_state(self, draft: Draft) -> None:
        if draft.state is DraftState.UNKNOWN:
            self.note.setText(
                "This order may already have been placed (the app was closed or the connection "
                "failed while it was being sent). Before sending again the app checks your "
                "recent orders, and the resend reuses the same idempotency key, so it cannot be "
                "placed twice."
            )
            self.note.show()
        if draft.last_error and draft.state in (DraftState.FAILED, DraftState.DRAFT):
            key = self._field_key(draft.error_field)
            if key is not None:
                self.show_errors({key: draft.last_error})
            else:
                self.banner.show_error(errors.ApiError(draft.last_error, code=draft.error_code))

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

    def _load_products(self) -> None:
        if self.service.products_loaded:
            return
        self.ctx.run(
            f"order-form-products:{id(self)}",
            self.service.load_products(force=True),
            lambda _p: self._fill_products(),
            self._products_failed,
        )

    def _products_failed(self, exc: BaseException) -> None:
        self.banner.show_error(exc, retry=self._load_products)

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

    # -- state out ---------------------------------------------------------------------------

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

    # -- editing -----------------------------------------------------------------------------

    def _edited(self, *_args: object) -> None:
        if self._loading_fields:
            return
        self._dirty = True
        self._autosave.start()

    def _country_edited(self, _text: str) -> None:
        if self.country_combo.hasFocus():
            self._edited()

    def _reference_edited(self, _text: str) -> None:
        self.reference_warning.hide()

    def _autosave_now(self) -> None:
        if self._dirty and self.has_content() and not self._sending and self._placed is None:
            self.save_draft()

    def save_draft(self) -> Draft:
        """Write the fields to the outbox (never over a draft being sent or already placed)."""
        self._autosave.stop()
        current = self.service.get(self.draft.id)
        if current is not None and (
            current.state in (DraftState.SENDING, DraftState.SUBMITTED)
            or self.service.is_sending(current.id)
        ):
            self.draft = current
            return current
        fields = self.fields()
        base = current or self.draft
        if current is None or current.fields != fields:
            self.draft = self.service.save(base.with_fields(fields))
        else:
            self.draft = current
        self._dirty = False
        return self.draft

    def save_and_close(self) -> None:
        self.save_draft()
        self.ctx.status("Draft saved in the Outbox", 5000)
        self._close_form()

    # -- validation --------------------------------------------------------------------------

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

    def validate(self) -> dict[str, str]:
        fields = self.fields()
        problems = {e.field: e.message for e in validate_order(fields, self.product())}
        pid = fields.product_id.strip()
        if pid and self.service.products_loaded and pid not in self.service.products:
            problems.setdefault("product_id", f"Unknown product {pid!r}")
        return problems

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

    # -- flow --------------------------------------------------------------------------------

    def review(self) -> bool:
        """Validate, warn about a reused reference, save the draft, show the summary."""
        self.banner.clear()
        problems = self.validate()
        self.show_errors(problems)
        if problems:
            return False
        reference = self.reference_edit.text().strip()
        used = self.service.reference_used(reference, exclude_draft=self.draft.id)
        if used and self._ack_reference != reference.casefold():
            self._ack_reference = reference.casefold()
            self.reference_warning.setText(
                f"“{reference}” was already used for {used}. Press Review again to use it "
                "anyway, or change the reference."
            )
            self.reference_warning.show()
            self.reference_edit.setFocus()
            return False
        self.save_draft()
        self.summary_label.setText(self.summary_html())
        self.sending_label.setText("")
        self.pages.setCurrentIndex(self.CONFIRM_PAGE)
        self.place_button.setFocus()
        return True

    def summary_html(self) -> str:
        fields = self.fields()
        body = to_order_create(fields)
        product = self.product()
        esc = html.escape
        rows: list[tuple[str, str]] = []
        name = f"{product.name} ({body.product_id})" if product else body.product_id
        rows.append(("Product", esc(name)))
        rows.append(("Quantity", f"{body.quantity:,}"))
        if product is not None:
            total = Decimal(product.price) * body.quantity
            rows.append(("Unit price", esc(money(Decimal(product.price), product.currency))))
            rows.append(("Total", f"<b>{esc(money(total, product.currency))}</b>"))
        rows.append(("Reference", esc(body.customer_reference or "—")))
        ship = body.shipping
        lines = [
            ship.name,
            ship.address_line1,
            ship.address_line2 or "",
            f"{ship.city} {ship.postcode}",
            country_name(ship.country) or ship.country,
        ]
        rows.append(("Ship to", "<br>".join(esc(line) for line in lines if line)))
        cells = "".join(
            f"<tr><td style='padding:3px 14px 3px 0; color:palette(mid)'>{k}</td>"
            f"<td style='padding:3px 0'>{v}</td></tr>"
            for k, v in rows
        )
        return f"<table>{cells}</table>"

    def back(self) -> None:
        if self._sending:
            return
        self.pages.setCurrentIndex(self.FORM_PAGE)
        self.review_button.setFocus()

    def place_order(self) -> None:
        """Save the draft, then send it; the outbox has it before the first byte leaves."""
        if self._sending or self._placed is not None:
            return
        draft = self.save_draft()
        if draft.state is DraftState.SUBMITTED:
            return
        self._set_sending(True)
        self.service.send(draft.id, self._sent, self._send_failed)

    def _set_sending(self, sending: bool) -> None:
        self._sending = sending
        self.place_button.setEnabled(not sending)
        self.back_button.setEnabled(not sending)
        self.sending_label.setText("Placing the order…" if sending else "")

    def _sent(self, result: SubmitResult) -> None:
        self._set_sending(False)
        self.draft = result.draft
        if result.ok:
            if not self.isVisible():
                self._forget()
            order = result.order
            self._placed = order
            order_id = order.order_id if order else result.draft.order_id
            found = " (it had already been placed)" if result.reconciled else ""
            total = f", total {money(order.total, order.currency)}" if order and order.total else ""
            self.ctx.status(f"Order {order_id} placed{total}{found}", 8000)
            if order is not None:
                self.sig_order_created_emit(order)
            self._close_form()
            return
        draft = result.draft
        message = draft.last_error or "The order was not placed"
        if draft.state is DraftState.FAILED:
            key = self._field_key(draft.error_field)
            self.pages.setCurrentIndex(self.FORM_PAGE)
            if key is not None:
                self.show_errors({key: message})
            else:
                self.show_errors({})
                self.banner.show_error(errors.ApiError(message, code=draft.error_code))
            self.ctx.status("The order was not placed; it is kept as a draft to fix", 8000)
            if not self.isVisible():
                self._forget()
            return
        self.banner.show_error(errors.ApiError(message, code=draft.error_code))
        if draft.state is DraftState.UNKNOWN:
            self.place_button.setText("Check and send &again")
            self._show_draft_state(draft)
        self.sending_label.setText("Kept in the Outbox")
        if not self.isVisible():
            self._forget()

    def _forget(self) -> None:
        if self in self.service.forms:
            self.service.forms.remove(self)
        self.deleteLater()

    def sig_order_created_emit(self, order: Order) -> None:
        self.sig_order_placed.emit(order)
        self.ctx.sig_order_created.emit(order)

    def _send_failed(self, exc: BaseException) -> None:
        self._set_sending(False)
        self.banner.show_error(exc)

    # -- closing -----------------------------------------------------------------------------

    def _keep_draft(self) -> None:
        if self._placed is not None or self._sending:
            return
        existing = self.service.get(self.draft.id)
        if existing is not None or (self._dirty and self.has_content()):
            self.save_draft()
            self.ctx.status("Kept as a draft in the Outbox", 5000)

    def _close_form(self) -> None:
        self._autosave.stop()
        self.hide()
        self.done(QDialog.DialogCode.Accepted if self._placed else QDialog.DialogCode.Rejected)

    def reject(self) -> None:
        """Esc / Cancel / the window's close button: close, keeping what was typed."""
        self._keep_draft()
        self._close_form()

    def closeEvent(self, event: QCloseEvent) -> None:
        self._keep_draft()
        self._autosave.stop()
        super().closeEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter reviews on the form page and places the order on the confirmation page."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self.pages.currentIndex() == self.FORM_PAGE:
                self.review()
            elif self.place_button.isEnabled():
                self.place_order()
            return
        super().keyPressEvent(event)

    @property
    def is_sending(self) -> bool:
        return self._sending


def product_text(product: Product) -> str:
    minimum = f", min. {product.min_quantity}" if product.min_quantity > 1 else ""
    return f"{product.name} — {money(Decimal(product.price), product.currency)} each{minimum}"


def fields_from_order(order: Order) -> OrderFields:
    """A new order like ``order`` (reorder): same product, quantity and address; new reference."""
    ship = order.shipping
    product_id = order.product_id or (order.items[0].product_id if order.items else "")
    quantity = order.quantity or (order.items[0].quantity if order.items else None)
    return OrderFields(
        product_id=product_id or "",
        quantity=str(quantity) if quantity else "",
        customer_reference="",
        name=ship.name if ship else "",
        address_line1=ship.address_line1 if ship else "",
        address_line2=(ship.address_line2 or "") if ship else "",
        city=ship.city if ship else "",
        postcode=ship.postcode if ship else "",
        country=ship.country if ship else "GB",
    )


def open_order_form(
    ctx: AppContext, request: OrderRequest = None, parent: QWidget | None = None
) -> OrderFormDialog:
    """Show a (non-modal) order form; a draft already open in a form is raised instead."""
    service = ordering_service(ctx)
    if isinstance(request, Draft):
        for form in service.forms:
            if isinstance(form, OrderFormDialog) and form.draft.id == request.id:
                form.show()
                form.raise_()
                form.activateWindow()
                return form
    form = OrderFormDialog(ctx, service, request, parent)
    service.forms.append(form)

    def finished(_code: int) -> None:
        if form.is_sending:
            return
        if form in service.forms:
            service.forms.remove(form)
        form.deleteLater()

    form.finished.connect(finished)
    form.show()
    form.raise_()
    form.activateWindow()
    return form


__all__ = ["OrderFormDialog", "fields_from_order", "open_order_form", "product_text"]
