"""The order forms open in a window: one form per draft, kept alive while open or placing.

A form is non-modal and not deleted when it closes while its order is still being placed (it
reports the outcome); it is let go once both are over. When the account changes, every form
written for the previous account closes (its draft stays that account's, in its Outbox),
except one still placing its order.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from nfctagify_desktop.ordering.outbox import Draft
from nfctagify_desktop.services.container import Services
from nfctagify_desktop.store.account import AccountId
from nfctagify_desktop.ui.dialogs.order_form.dialog import OrderFormDialog, OrderRequest

#: Status-bar time of the note that forms were closed by an account switch.
CLOSED_NOTE_MS = 15_000


class OrderForms(QObject):
    """Opens order forms over ``window`` and keeps the list of those still open."""

    def __init__(self, services: Services, window: QWidget) -> None:
        super().__init__(window)
        self._services = services
        self._window = window
        self._forms: list[OrderFormDialog] = []
        services.ctx.sig_account_changed.connect(self._account_changed)

    @property
    def forms(self) -> list[OrderFormDialog]:
        """The open forms (and closed ones still placing their order), oldest first."""
        return list(self._forms)

    def form_of(self, draft_id: str) -> OrderFormDialog | None:
        return next((f for f in self._forms if f.draft.id == draft_id), None)

    def open(self, request: OrderRequest = None) -> OrderFormDialog:
        """Show a form for ``request``; a draft already open in a form raises that form."""
        form = self.form_of(request.id) if isinstance(request, Draft) else None
        if form is None:
            form = OrderFormDialog(
                self._services.ctx, self._services.ordering, request, self._window
            )
            self._forms.append(form)
            form.finished.connect(lambda _code, f=form: self._finished(f))
            form.sig_released.connect(lambda f=form: self._release(f))
        form.show()
        form.raise_()
        form.activateWindow()
        return form

    def _finished(self, form: OrderFormDialog) -> None:
        if not form.is_sending:  # else it is let go once the outcome is known
            self._release(form)

    def _release(self, form: OrderFormDialog) -> None:
        if form in self._forms:
            self._forms.remove(form)
            form.deleteLater()

    def _account_changed(self, account: AccountId) -> None:
        closing = [f for f in self._forms if not f.is_sending]
        for form in closing:
            form.reject()
        if closing:
            self._services.ctx.status(
                f"The order form was closed because the account changed to {account.profile}; "
                "what was typed is kept as a draft of the previous account.",
                CLOSED_NOTE_MS,
            )
