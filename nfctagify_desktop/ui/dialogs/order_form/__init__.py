"""The order form (a package: pages, fields, content, the dialog's flow, the open forms)."""

from __future__ import annotations

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
from nfctagify_desktop.ui.dialogs.order_form.open_forms import OrderForms

__all__ = [
    "AUTOSAVE_MS",
    "OrderFormDialog",
    "OrderForms",
    "OrderRequest",
    "fields_from_order",
    "product_text",
    "summary_html",
]
