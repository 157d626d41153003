"""Export from the Orders tab: every page of the filtered list (or every search match) to CSV."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from nfctagify_desktop.services.mirror_source import mirror_query
from nfctagify_desktop.ui.dialogs.export_dialog import ExportDialog
from nfctagify_desktop.ui.file_dialogs import EXPORT, start_in
from nfctagify_desktop.ui.format import status_label

if TYPE_CHECKING:
    from nfctagify_desktop.ui.tabs.orders_tab import OrdersTab


def choose_export_file(tab: OrdersTab) -> None:
    """Ask where to save (non-modal: the window stays usable), then export there."""
    name = f"orders-{datetime.now().strftime('%Y-%m-%d')}.csv"
    dialog = start_in(QFileDialog(tab, "Export orders to CSV"), EXPORT, name)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setNameFilter("CSV files (*.csv)")
    dialog.setDefaultSuffix("csv")
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.fileSelected.connect(lambda path: tab.export_to(Path(path)))
    dialog.open()


def export_to(tab: OrdersTab, path: Path) -> ExportDialog | None:
    """Export the current filtered list, all pages (or every search match) to ``path``."""
    query = tab._valid_query()
    if query is None:
        return None
    if tab.searching:
        # Every match, in the list's order: the search runs on the mirror, not the server.
        total = tab.mirror_source.count(tab.browser.query)
        everything = replace(tab.browser.query, page=1, per_page=max(1, total))
        cached = tab.sync.orders(mirror_query(everything))
        dialog = ExportDialog(
            tab.ctx, path, cached=cached, description=f"{total:,} saved orders", parent=tab
        )
    else:
        described = status_label(query.status).lower() + " orders" if query.status else ""
        dialog = ExportDialog(
            tab.ctx,
            path,
            query=query,
            description=described or "all orders",
            on_page=partial(tab.sync.ingest, account=tab.ctx.account),  # even after a switch
            parent=tab,
        )
    tab.export_dialog = dialog
    dialog.start()
    return dialog
