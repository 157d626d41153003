"""Saved views of the orders list, in the View menu: a name for a filter, search, sort and columns.

A view holds no orders, only how to look at them, so one view serves every account. The first
nine views get Ctrl+Alt+1…9.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QDate
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QInputDialog, QLineEdit, QMenu

from nfctagify_desktop.order_status import OrderStatus
from nfctagify_desktop.services.orders_browser import Sort
from nfctagify_desktop.store.saved_views import SavedView, with_view, without_view
from nfctagify_desktop.ui.menu_slots import MenuSlot

if TYPE_CHECKING:
    from nfctagify_desktop.ui.main_window import MainWindow
    from nfctagify_desktop.ui.tabs.orders_tab import OrdersTab


def capture(tab: OrdersTab, name: str) -> SavedView:
    """The Orders tab as it is now, under ``name``."""
    query = tab.browser.query
    state = tab.view.horizontalHeader().saveState()
    return SavedView(
        name=name,
        status=query.status.value if query.status else None,
        date_from=query.date_from,
        date_to=query.date_to,
        search=query.search,
        sort=query.sort.text(),
        columns=bytes(state.toBase64().data()).decode("ascii"),
    )


def _qdate(value: date | None) -> QDate | None:
    return QDate(value.year, value.month, value.day) if value else None


def apply_view(tab: OrdersTab, view: SavedView) -> None:
    """Show ``view`` on the Orders tab with one reload, whatever was shown before."""
    if view.columns:
        tab.view.horizontalHeader().restoreState(QByteArray.fromBase64(view.columns.encode()))
    status = OrderStatus(view.status) if view.status else None
    widgets = (tab.status_combo, tab.from_filter, tab.to_filter)
    for widget in widgets:
        widget.blockSignals(True)
    try:
        tab.status_combo.setCurrentIndex(
            max(0, tab.status_combo.findData(status.value if status else None))
        )
        tab.overview.set_current(status)
        tab.from_filter.set_value(_qdate(view.date_from))
        tab.to_filter.set_value(_qdate(view.date_to))
    finally:
        for widget in widgets:
            widget.blockSignals(False)
    tab.browser.set_sort(Sort.parse(view.sort))
    tab.apply_sort()
    tab.browser.set_status(status)
    tab.browser.set_dates(view.date_from, view.date_to)
    tab.search(view.search)  # searches, or reloads the server's list


class SavedViewsMenu(QMenu):
    """View > Saved views: save the current view, open one, delete one."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__("Saved &views", window)
        self.window_ = window
        self.setObjectName("savedViewsMenu")
        self.save_action = QAction("&Save the current view…", self)
        self.save_action.setShortcut(QKeySequence("Ctrl+Alt+S"))
        self.save_action.triggered.connect(self.ask_name)
        window.addAction(self.save_action)
        self.delete_menu = QMenu("&Delete a view", self)
        self.view_actions: list[QAction] = []
        window.services.accounts.sig_settings_changed.connect(lambda _new: self.rebuild())
        self.rebuild()

    @property
    def views(self) -> list[SavedView]:
        return list(self.window_.services.settings.settings.saved_views)

    def rebuild(self) -> None:
        for action in self.view_actions:
            self.window_.removeAction(action)
        self.clear()
        self.delete_menu.clear()
        self.addAction(self.save_action)
        self.addSeparator()
        self.view_actions = []
        for n, view in enumerate(self.views, start=1):
            action = QAction(view.name.replace("&", "&&"), self)
            if n <= 9:
                action.setShortcut(QKeySequence(f"Ctrl+Alt+{n}"))
                self.window_.addAction(action)
            action.triggered.connect(lambda _=False, v=view: self.open_view(v))
            self.addAction(action)
            self.view_actions.append(action)
            gone = self.delete_menu.addAction(view.name.replace("&", "&&"))
            gone.triggered.connect(lambda _=False, name=view.name: self.delete(name))
        if not self.view_actions:
            empty = self.addAction("No saved views yet")
            empty.setEnabled(False)
        self.addSeparator()
        self.delete_menu.setEnabled(bool(self.view_actions))
        self.addMenu(self.delete_menu)

    def ask_name(self) -> QInputDialog:
        dialog = QInputDialog(self.window_)
        dialog.setWindowTitle("Save the current view")
        dialog.setLabelText("Name of this view (its filter, search, sort and columns):")
        dialog.setTextEchoMode(QLineEdit.EchoMode.Normal)
        dialog.textValueSelected.connect(self.save_as)
        dialog.open()
        return dialog

    def save_as(self, name: str) -> SavedView | None:
        name = name.strip()
        if not name:
            return None
        view = capture(self.window_.orders_tab, name[:60])
        self.window_.services.accounts.save_preferences(
            saved_views=[v.model_dump() for v in with_view(self.views, view)]
        )
        self.window_.ctx.status(f"Saved the view “{view.name}”", 5000)
        return view

    def open_view(self, view: SavedView) -> None:
        tab = self.window_.orders_tab
        self.window_.tabs.setCurrentWidget(tab)
        apply_view(tab, view)
        self.window_.ctx.status(f"View: {view.name}", 4000)

    def delete(self, name: str) -> None:
        self.window_.services.accounts.save_preferences(
            saved_views=[v.model_dump() for v in without_view(self.views, name)]
        )


def install_saved_views(window: MainWindow) -> SavedViewsMenu:
    menu = SavedViewsMenu(window)
    window.add_menu(MenuSlot.VIEW_SECTIONS, menu)
    return menu


__all__ = ["SavedViewsMenu", "apply_view", "capture", "install_saved_views"]
