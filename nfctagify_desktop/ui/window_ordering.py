"""Ordering in the main window: the Outbox tab after Orders (Ctrl+4), file import and its
template in the File menu, and the order forms opened from anywhere in the window."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nfctagify_desktop.ui.dialogs.bulk_import import open_bulk_import
from nfctagify_desktop.ui.dialogs.bulk_import.template import save_template_dialog
from nfctagify_desktop.ui.menu_slots import MenuSlot
from nfctagify_desktop.ui.tabs.outbox_tab import OutboxTab

if TYPE_CHECKING:
    from nfctagify_desktop.ui.main_window import MainWindow

OUTBOX_TITLE = "Outbo&x"


def install_ordering(window: MainWindow) -> OutboxTab:
    services, tabs = window.services, window.tabs
    tab = OutboxTab(services)
    index = tabs.insertTab(tabs.indexOf(window.orders_tab) + 1, tab, OUTBOX_TITLE)

    def count_changed(n: int) -> None:
        tabs.setTabText(tabs.indexOf(tab), f"{OUTBOX_TITLE} ({n})" if n else OUTBOX_TITLE)

    tab.sig_count_changed.connect(count_changed)
    count_changed(tab.model.rowCount())
    tabs.setTabToolTip(index, "Orders not placed yet (Ctrl+4)")
    show_outbox = window.new_action("Outbox", lambda: tabs.setCurrentWidget(tab), "Ctrl+4")
    window.add_action(MenuSlot.VIEW_SECTIONS, show_outbox)
    window.add_action(
        MenuSlot.FILE_CREATE,
        window.new_action(
            "&Import orders from a file…", lambda: open_bulk_import(services, window), "Ctrl+I"
        ),
    )
    window.add_action(
        MenuSlot.FILE_CREATE,
        window.new_action("Save order file &template…", lambda: save_template_dialog(window)),
    )
    services.ctx.sig_show_order_requested.connect(window.show_order)
    services.ctx.sig_new_order_requested.connect(window.order_forms.open)
    window.orders_tab.sig_page_loaded.connect(
        lambda page: services.ordering.note_orders(page.orders)
    )
    return tab
