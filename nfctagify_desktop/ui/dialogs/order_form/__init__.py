"""The order form (a package: pages, fields, content, the dialog's flow)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from nfctagify_desktop.ordering.outbox import Draft
from nfctagify_desktop.services.container import Services
from nfctagify_desktop.ui.dialogs.order_form.content import (
    fields_from_order,
    product_text,
    summary_html,
)
from nfctagify_desktop.ui.dialogs.order_form.dialog import (
    AUTOSAVE_MS,
    OrderFormDialog,
    OrderRequest,
)


def open_order_form(
    services: Services, request: OrderRequest = None, parent: QWidget | None = None
) -> OrderFormDialog:
    """Show a (non-modal) order form; a draft already open in a form is raised instead."""
    ctx, service = services.ctx, services.ordering
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


__all__ = [
    "AUTOSAVE_MS",
    "OrderFormDialog",
    "OrderRequest",
    "fields_from_order",
    "open_order_form",
    "product_text",
    "summary_html",
]
