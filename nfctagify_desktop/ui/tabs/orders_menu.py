"""What can be done with selected orders: the right-click menu, and the window's print actions.

Open, copy id/reference/address, reorder (one into the form, several straight into drafts),
print or save as PDF (a confirmation for one order, a summary for several or for the filter).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import QAbstractItemView

from nfctagify_desktop.api.models import Order
from nfctagify_desktop.services.mirror_source import mirror_query
from nfctagify_desktop.ui.documents import Letterhead, address_lines
from nfctagify_desktop.ui.menu_slots import MenuSlot
from nfctagify_desktop.ui.printing import Printable, open_print_dialog, open_save_pdf_dialog

if TYPE_CHECKING:
    from nfctagify_desktop.ui.main_window import MainWindow
    from nfctagify_desktop.ui.tabs.orders_tab import OrdersTab

log = logging.getLogger("nfctagify.ui.orders_menu")

#: Most orders one summary lists (the filter may match far more).
SUMMARY_LIMIT = 1000


def letterhead(tab: OrdersTab) -> Letterhead:
    """The partner's business details from the settings, and the account the orders came from."""
    settings = tab.services.settings.settings
    return Letterhead(settings.business_details, tab.ctx.account.profile)


def filtered_orders(tab: OrdersTab) -> tuple[list[Order], str]:
    """Every saved order the current filters and search match (not only this page), in the
    list's order, and a sentence saying which orders those are."""
    query = replace(tab.browser.query, page=1, per_page=SUMMARY_LIMIT)
    try:
        orders = tab.sync.orders(mirror_query(query))
    except Exception:  # the mirror is unreadable: say there is nothing rather than fail
        log.exception("could not read the orders for a summary")
        orders = []
    parts = []
    if query.status is not None:
        parts.append(f"status {query.status.value}")
    if query.date_from or query.date_to:
        parts.append(f"placed {query.date_from or '…'} to {query.date_to or '…'}")
    if query.searching:
        parts.append(f'matching "{query.search}"')
    return orders, ("Orders " + ", ".join(parts)) if parts else "All orders"


def printable_for(tab: OrdersTab, orders: list[Order], scope: str = "") -> Printable:
    if len(orders) == 1 and not scope:
        return Printable.confirmation(orders[0], letterhead(tab))
    return Printable.summary(orders, letterhead(tab), scope or "Selected orders")


def print_orders(tab: OrdersTab, orders: list[Order], scope: str = "") -> None:
    if orders:
        open_print_dialog(printable_for(tab, orders, scope), tab)


def save_orders_pdf(tab: OrdersTab, orders: list[Order], scope: str = "") -> None:
    if orders:
        open_save_pdf_dialog(printable_for(tab, orders, scope), tab, lambda path: saved(tab, path))


def saved(tab: OrdersTab, path: Path) -> None:
    tab.ctx.status(f"Saved {path.name} in {path.parent}", 8000)


def copy_text(tab: OrdersTab, text: str, what: str) -> None:
    QGuiApplication.clipboard().setText(text)
    tab.ctx.status(f"Copied {what}", 3000)


def reorder(tab: OrdersTab, orders: list[Order]) -> None:
    """One order opens the form; several become drafts in the Outbox, to check and send."""
    if len(orders) == 1:
        tab.ctx.sig_new_order_requested.emit(orders[0])
        return
    drafts = tab.services.ordering.reorder_as_drafts(orders)
    tab.ctx.status(
        f"{len(drafts)} drafts are in the Outbox: check each (the reference is left empty) "
        "and send them",
        10_000,
    )


def _action(tab: OrdersTab, text: str, slot: Callable[[], None], name: str) -> QAction:
    action = QAction(text, tab.view)
    action.setObjectName(name)
    action.triggered.connect(slot)
    return action


def menu_actions(tab: OrdersTab, rows: list[int]) -> list[QAction | None]:
    orders = [o for o in (tab.model.order(r) for r in rows) if o is not None]
    if not orders:
        return []
    n = len(orders)
    one = orders[0]
    ids = "\n".join(o.order_id for o in orders)
    refs = "\n".join(o.customer_reference or "" for o in orders)
    addresses = "\n\n".join("\n".join(address_lines(o)) for o in orders)
    plural = "s" if n > 1 else ""
    actions: list[QAction | None] = []
    if n == 1:
        actions.append(_action(tab, "&Open", lambda: tab.load_detail(one.order_id), "openOrder"))
        actions.append(None)
    actions += [
        _action(tab, f"Copy order &ID{plural}", lambda: copy_text(tab, ids, "order IDs"), "copyId"),
        _action(
            tab, f"Copy &reference{plural}", lambda: copy_text(tab, refs, "references"), "copyRef"
        ),
        _action(
            tab,
            f"Copy &address{'es' if n > 1 else ''}",
            lambda: copy_text(tab, addresses, "addresses"),
            "copyAddress",
        ),
        None,
        _action(
            tab,
            "R&eorder…" if n == 1 else f"R&eorder {n} orders as drafts",
            lambda: reorder(tab, orders),
            "reorder",
        ),
        None,
        _action(
            tab,
            "&Print confirmation…" if n == 1 else f"&Print summary of {n} orders…",
            lambda: print_orders(tab, orders),
            "print",
        ),
        _action(tab, "Save as P&DF…", lambda: save_orders_pdf(tab, orders), "savePdf"),
    ]
    return actions


def selected_orders(tab: OrdersTab) -> list[Order]:
    """The selected rows' orders; else the order shown in the detail pane."""
    orders = [o for o in (tab.model.order(r) for r in tab.view.selected_rows()) if o is not None]
    if not orders and tab.detail.order is not None:
        orders = [tab.detail.order]
    return orders


def _with_selection(window: MainWindow, act: Callable[[OrdersTab, list[Order]], None]) -> None:
    tab = window.orders_tab
    orders = selected_orders(tab)
    if not orders:
        tab.ctx.status("Select one or more orders on the Orders tab first", 5000)
        return
    act(tab, orders)


def _summary(window: MainWindow, act: Callable[[OrdersTab, list[Order], str], None]) -> None:
    tab = window.orders_tab
    orders, scope = filtered_orders(tab)
    if not orders:
        tab.ctx.status("No saved orders match the current filters", 5000)
        return
    act(tab, orders, scope)


def install_order_output(window: MainWindow) -> None:
    """Several orders can be selected; the row menu and the File menu print and reorder them."""
    tab = window.orders_tab
    tab.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    tab.view.menu_actions = lambda rows: menu_actions(tab, rows)
    actions = (
        ("&Print…", lambda: _with_selection(window, print_orders), "Ctrl+P"),
        ("Save as P&DF…", lambda: _with_selection(window, save_orders_pdf), "Ctrl+Shift+P"),
        ("Print a &summary of the list…", lambda: _summary(window, print_orders), None),
        ("Save the list's summary as PDF…", lambda: _summary(window, save_orders_pdf), None),
    )
    for text, slot, keys in actions:
        window.add_action(MenuSlot.FILE_OUTPUT, window.new_action(text, slot, keys))


__all__ = [
    "filtered_orders",
    "install_order_output",
    "letterhead",
    "menu_actions",
    "print_orders",
    "reorder",
    "save_orders_pdf",
    "selected_orders",
]
