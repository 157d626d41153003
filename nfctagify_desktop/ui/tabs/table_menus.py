"""Right-click menus of the Products, Pricing and Outbox tables (the Orders table has its own).

Each menu offers what the tab's buttons and keys already do, for the row under the pointer;
every table also has Copy (see TableView).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import QPushButton, QWidget

if TYPE_CHECKING:
    from nfctagify_desktop.ui.main_window import MainWindow
    from nfctagify_desktop.ui.tabs.catalogue_tab import CatalogueTab
    from nfctagify_desktop.ui.tabs.outbox_tab import OutboxTab


def _action(parent: QWidget, text: str, slot: Callable[[], None], name: str) -> QAction:
    action = QAction(text, parent)
    action.setObjectName(name)
    action.triggered.connect(slot)
    return action


def _like(button: QPushButton, parent: QWidget, name: str) -> QAction:
    """An action that does what ``button`` does, enabled when it is."""
    action = _action(parent, button.text(), button.click, name)
    action.setEnabled(button.isEnabled())
    return action


def catalogue_actions(
    tab: CatalogueTab, rows: list[int], order: Callable[[], None] | None
) -> list[QAction | None]:
    row = tab.selected_row()
    product_id = getattr(row, "product_id", None)
    if not product_id or len(rows) != 1:
        return []
    actions: list[QAction | None] = []
    if order is not None:
        actions.append(_action(tab.view, "&Order this product…", order, "orderProduct"))
    actions.append(
        _action(
            tab.view,
            "Copy product &ID",
            lambda: QGuiApplication.clipboard().setText(str(product_id)),
            "copyProductId",
        )
    )
    return actions


def outbox_actions(tab: OutboxTab, rows: list[int]) -> list[QAction | None]:
    if len(rows) != 1:
        return []
    return [
        _like(tab.edit_button, tab.view, "editDraft"),
        _like(tab.send_button, tab.view, "sendDraft"),
        None,
        _like(tab.discard_button, tab.view, "discardDraft"),
    ]


def install_table_menus(window: MainWindow) -> None:
    products, pricing, outbox = window.products_tab, window.pricing_tab, window.outbox_tab
    products.view.menu_actions = lambda rows: catalogue_actions(
        products, rows, products.order_selected
    )
    pricing.view.menu_actions = lambda rows: catalogue_actions(pricing, rows, None)
    outbox.view.menu_actions = lambda rows: outbox_actions(outbox, rows)


__all__ = ["catalogue_actions", "install_table_menus", "outbox_actions"]
