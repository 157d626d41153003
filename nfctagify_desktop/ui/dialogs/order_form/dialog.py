"""The order form: fill, review, place; every order is an outbox draft before it is sent.

Non-modal (opened with ``show()``: ``exec()`` would nest an event loop inside a running task).
Two pages in one dialog: the form, with validation messages next to each field, and a
confirmation page with the order and its total.
The draft is saved to the outbox as the user types (debounced), before any network call, and
again when the form closes, so nothing typed is ever lost; the submitter owns the draft's state
from the moment it is sent.
"""

from __future__ import annotations

import asyncio
from typing import Any, Final

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import QDialog, QWidget

from nfctagify_desktop.api import errors
from nfctagify_desktop.api.models import Order, Product
from nfctagify_desktop.ordering.outbox import Draft, DraftState
from nfctagify_desktop.ordering.submit import SubmitResult
from nfctagify_desktop.ordering.validation import OrderFields, validate_order
from nfctagify_desktop.services.context import AppContext
from nfctagify_desktop.services.ordering import OrderingService
from nfctagify_desktop.ui.dialogs.order_form.base import OrderFormBase
from nfctagify_desktop.ui.dialogs.order_form.content import fields_from_order, summary_html
from nfctagify_desktop.ui.format import money

#: Drafts are written this long after the last keystroke: a crash loses at most that much.
AUTOSAVE_MS: Final = 300

OrderRequest = Product | Order | Draft | None


class OrderFormDialog(OrderFormBase):
    """One order, from typing to placed.

    Signals:
        sig_order_placed(object): the Order the API returned (or found when reconciling).
        sig_released(): the form is closed and its send is over (it may be deleted).
    """

    sig_order_placed = Signal(object)
    sig_released = Signal()

    def __init__(
        self,
        ctx: AppContext,
        service: OrderingService,
        request: OrderRequest = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(service, parent)
        self.ctx = ctx
        self._dirty = False
        self._placed: Order | None = None
        self._sending = False
        #: The placement in flight, so that Esc can stop waiting for it.
        self._send_task: asyncio.Task[Any] | None = None
        self._ack_reference: str | None = None
        self._connect_editing()

        self._autosave = QTimer(self)
        self._autosave.setSingleShot(True)
        self._autosave.setInterval(AUTOSAVE_MS)
        self._autosave.timeout.connect(self._autosave_now)

        self.draft = self._start(request)
        self._fill_products()
        self._update_total()
        self._load_products()

    def _connect_editing(self) -> None:
        self.product_combo.activated.connect(self._edited)
        self.quantity_edit.textEdited.connect(self._edited)
        for edit in (
            self.reference_edit,
            self.name_edit,
            self.line1_edit,
            self.line2_edit,
            self.city_edit,
            self.postcode_edit,
        ):
            edit.textEdited.connect(self._edited)
        self.reference_edit.textEdited.connect(self._reference_edited)
        self.country_combo.activated.connect(self._edited)
        self.country_combo.editTextChanged.connect(self._country_edited)
        self.region_combo.activated.connect(self._edited)
        self.region_combo.editTextChanged.connect(self._region_edited)
        self.placed_panel.sig_show_in_orders.connect(self.ctx.sig_show_order_requested)
        self.placed_panel.sig_new_order.connect(self._another_order)
        self.placed_panel.sig_close.connect(self._close_form)
        self.save_button.clicked.connect(self.save_and_close)
        self.cancel_button.clicked.connect(self.reject)
        self.review_button.clicked.connect(self.review)
        self.back_button.clicked.connect(self.back)
        self.place_button.clicked.connect(self.place_order)

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
                if not self.field_errors and draft.state is DraftState.DRAFT:
                    # The Outbox said what is missing: the form points at the same fields.
                    self.show_errors(self.validate(), focus=False)
                return draft
            if isinstance(request, Order):
                fields = fields_from_order(request)
                self.set_fields(fields)
                self.setWindowTitle(f"Reorder {request.order_id}")
                if request.customer_reference:
                    self.reference_edit.setPlaceholderText(
                        f"Previous order: {request.customer_reference}"
                    )
                # Not dirty: closing an untouched reorder leaves no draft behind.
                return self.service.new_draft(fields)
            fields = OrderFields(product_id=request.product_id if request else "")
            if request is not None:
                self._extra_products[request.product_id] = request
                self.quantity_first = True
                fields = fields.model_copy(update={"quantity": str(request.min_quantity)})
            self.set_fields(fields)
            return self.service.new_draft(fields)
        finally:
            self._loading_fields = False

    def _show_draft_state(self, draft: Draft) -> None:
        if draft.state is DraftState.UNKNOWN:
            self.note.setText(
                "This order may already have been placed (the app was closed or the connection "
                "failed while it was being sent). Sending again checks it: the resend reuses "
                "the same idempotency key, so the server returns the order if it exists and "
                "places it only if it does not."
            )
            self.note.show()
        if draft.last_error and draft.state in (DraftState.FAILED, DraftState.DRAFT):
            key = self._field_key(draft.error_field)
            if key is not None:
                self.show_errors({key: draft.last_error})
            else:
                self.banner.show_error(errors.ApiError(draft.last_error, code=draft.error_code))

    # -- products ----------------------------------------------------------------------------

    def _load_products(self) -> None:
        if self.service.products_loaded:
            return
        self.ctx.run(
            f"order-form-products:{id(self)}",
            self.service.load_products(force=True),
            lambda _p: self._fill_products(),
            self._products_failed,
            owner=self,
        )

    def _products_failed(self, exc: BaseException) -> None:
        self.banner.show_error(exc, retry=self._load_products)

    # -- editing -----------------------------------------------------------------------------

    def _edited(self, *_args: object) -> None:
        if self._loading_fields:
            return
        self._dirty = True
        self._autosave.start()
        self._recheck()

    def _recheck(self) -> None:
        """Messages follow the typing: one clears as soon as its field is valid, and a
        quantity out of range says so at once (the value stays as typed)."""
        problems = self.validate()
        live = {k: m for k, m in problems.items() if self._field_key(k) in self.field_errors}
        if "quantity" in problems and self.quantity_edit.text().strip():
            live["quantity"] = problems["quantity"]
        if live != self.field_errors:
            self.show_errors(live, focus=False)

    def _country_edited(self, _text: str) -> None:
        if self.country_combo.hasFocus():
            self._edited()

    def _region_edited(self, _text: str) -> None:
        if self.region_combo.hasFocus():
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

    # -- flow --------------------------------------------------------------------------------

    def validate(self) -> dict[str, str]:
        fields = self.fields()
        problems = {e.field: e.message for e in validate_order(fields, self.product())}
        pid = fields.product_id.strip()
        if pid and self.service.products_loaded and pid not in self.service.products:
            problems.setdefault("product_id", f"Unknown product {pid!r}")
        return problems

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
        product = self.product()
        entry = self.service.prices.get(product.product_id) if product is not None else None
        standard = entry.standard_price if entry is not None and entry.is_override else None
        self.summary_label.setText(summary_html(self.fields(), product, standard))
        self.sending_label.setText("")
        self.pages.setCurrentIndex(self.CONFIRM_PAGE)
        self.place_button.setFocus()
        return True

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
        self._send_task = self.service.send(draft.id, self._sent, self._send_failed)

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
            order_id = (order.order_id if order else result.draft.order_id) or ""
            earlier = result.outcome.found_existing
            found = " (it had already been placed)" if earlier else ""
            total = f", total {money(order.total, order.currency)}" if order and order.total else ""
            self.ctx.status(f"Order {order_id} placed{total}{found}", 8000)
            if order is not None:
                self.placed_panel.show_order(order, earlier=earlier)
                self.sig_order_created_emit(order)
            else:
                self.placed_panel.show_order_id(order_id)
            self.setWindowTitle(f"Order {order_id} placed")
            self.pages.setCurrentIndex(self.PLACED_PAGE)
            self.placed_panel.close_button.setFocus()
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

    def _another_order(self) -> None:
        self.ctx.sig_new_order_requested.emit(None)
        self._close_form()

    def _forget(self) -> None:
        """Closed and its send is over: whoever opened it may let it go."""
        self.sig_released.emit()

    def sig_order_created_emit(self, order: Order) -> None:
        self.sig_order_placed.emit(order)
        # The Orders tab shows it first, unless the user has switched to another account since.
        if self.draft.belongs_to(self.ctx.account):
            self.ctx.sig_order_created.emit(order)

    def _send_failed(self, exc: BaseException) -> None:
        self._set_sending(False)
        if isinstance(exc, errors.CancelledByUserError):
            current = self.service.get(self.draft.id)
            if current is not None:
                self.draft = current
                self._show_draft_state(current)
            self.place_button.setText("Check and send &again")
            self.banner.show_error(
                errors.ApiError(
                    "Sending was cancelled: the order may or may not have been placed. It is "
                    "kept in the Outbox as “Outcome unknown — will be checked”; sending again "
                    "checks first and can never double it.",
                    code="CANCELLED",
                )
            )
            return
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
        """Esc / Cancel / the window's close button: close, keeping what was typed. While the
        order is being placed, Esc stops waiting instead (the form stays to tell the outcome)."""
        task = self._send_task
        if self._sending and task is not None and self.ctx.link.cancel(task):
            return
        self._keep_draft()
        self._close_form()

    def closeEvent(self, event: QCloseEvent) -> None:
        self._keep_draft()
        self._autosave.stop()
        super().closeEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter reviews on the form page and places the order on the confirmation page."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self.pages.currentIndex() == self.PLACED_PAGE:
                self._close_form()
            elif self.pages.currentIndex() == self.FORM_PAGE:
                self.review()
            elif self.place_button.isEnabled():
                self.place_order()
            return
        super().keyPressEvent(event)

    @property
    def is_sending(self) -> bool:
        return self._sending
