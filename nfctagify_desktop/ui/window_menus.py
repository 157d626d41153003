"""The main window's menu bar: File, View and Help, and the named places others add to.

Each :class:`~nfctagify_desktop.ui.menu_slots.MenuSlot` is a separator: items added there go
just before it (Qt hides doubled separators), so the menus keep their order whatever is
installed first.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from nfctagify_desktop import APP_NAME
from nfctagify_desktop.ui.menu_slots import MenuSlot

if TYPE_CHECKING:
    from nfctagify_desktop.ui.main_window import MainWindow


class MenuSlots:
    """Where each slot is: its menu and the separator that items go before."""

    def __init__(self) -> None:
        self._anchors: dict[MenuSlot, tuple[QMenu, QAction]] = {}

    def mark(self, slot: MenuSlot, menu: QMenu) -> None:
        self._anchors[slot] = (menu, menu.addSeparator())

    def add_action(self, slot: MenuSlot, action: QAction) -> None:
        menu, anchor = self._anchors[slot]
        menu.insertAction(anchor, action)
        if not action.shortcut().isEmpty():
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)

    def add_menu(self, slot: MenuSlot, submenu: QMenu) -> None:
        menu, anchor = self._anchors[slot]
        menu.insertMenu(anchor, submenu)


@dataclass(frozen=True)
class WindowMenus:
    file: QMenu
    view: QMenu
    help: QMenu
    refresh: QAction
    find: QAction
    slots: MenuSlots


def build_menus(window: MainWindow) -> WindowMenus:
    """Fill the window's (empty) menu bar; shortcuts work anywhere in the window."""
    bar = window.menuBar()
    slots = MenuSlots()
    file_menu = bar.addMenu("&File")
    new_order = window.new_action("&New order…", window.new_order, QKeySequence.StandardKey.New)
    file_menu.addAction(new_order)
    for slot in (MenuSlot.FILE_CREATE, MenuSlot.FILE_OUTPUT, MenuSlot.FILE_ACCOUNT):
        slots.mark(slot, file_menu)
    file_menu.addAction(window.new_action("&Quit", window.close, QKeySequence.StandardKey.Quit))

    view_menu = bar.addMenu("&View")
    sections = (
        ("Products", window.products_tab),
        ("Pricing", window.pricing_tab),
        ("Orders", window.orders_tab),
    )
    for n, (label, tab) in enumerate(sections, start=1):
        view_menu.addAction(
            window.new_action(label, partial(window.tabs.setCurrentWidget, tab), f"Ctrl+{n}")
        )
    slots.mark(MenuSlot.VIEW_SECTIONS, view_menu)
    refresh = window.new_action(
        "&Refresh", window.refresh_current, QKeySequence.StandardKey.Refresh
    )
    refresh.setShortcuts([QKeySequence("F5"), QKeySequence("Ctrl+R")])
    view_menu.addAction(refresh)
    find = window.new_action("&Filter…", window.focus_filter, QKeySequence.StandardKey.Find)
    view_menu.addAction(find)

    help_menu = bar.addMenu("&Help")
    slots.mark(MenuSlot.HELP, help_menu)
    help_menu.addAction(window.new_action(f"&About {APP_NAME}", window.show_about))
    return WindowMenus(file_menu, view_menu, help_menu, refresh, find, slots)
