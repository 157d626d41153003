"""Saved views: a named filter + search + sort + columns, kept in the settings, one key away."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtWidgets import QMenu

from nfctagify_desktop.api.models import OrderStatus
from nfctagify_desktop.services.orders_browser import Sort, SortField
from nfctagify_desktop.store.settings import SettingsStore
from nfctagify_desktop.ui.tabs.saved_views import SavedViewsMenu

WAIT = 10_000


def test_a_saved_view_comes_back_exactly(main_window: Any, qtbot: Any) -> None:
    tab = main_window.orders_tab
    with qtbot.waitSignal(tab.sig_page_loaded, timeout=WAIT):
        tab.refresh()
    menu = main_window.findChild(QMenu, "savedViewsMenu")
    assert isinstance(menu, SavedViewsMenu)

    # Dispatched orders, total descending, with the Reference column hidden.
    with qtbot.waitSignal(tab.sig_page_loaded, timeout=WAIT):
        tab.set_status_filter(OrderStatus.DISPATCHED)
    tab.browser.set_sort(Sort(SortField.TOTAL, True))
    tab.apply_sort()
    hidden = 2
    tab.view.setColumnHidden(hidden, True)
    view = menu.save_as("  Shipped, biggest first ")
    assert view is not None and view.name == "Shipped, biggest first"
    saved = SettingsStore().load().saved_views  # on disk, not only in memory
    assert [v.name for v in saved] == ["Shipped, biggest first"]
    assert saved[0].status == "dispatched" and saved[0].sort == "total:desc"

    # Something else entirely…
    tab.view.setColumnHidden(hidden, False)
    tab.browser.set_sort(Sort(SortField.CREATED, True))
    tab.apply_sort()
    with qtbot.waitSignal(tab.sig_page_loaded, timeout=WAIT):
        tab.set_status_filter(None)
    tab.from_filter.set_value(None)

    # …then Ctrl+Alt+1 brings the view back.
    shortcut = next(a for a in menu.view_actions if a.shortcut().toString() == "Ctrl+Alt+1")
    with qtbot.waitSignal(tab.sig_page_loaded, timeout=WAIT):
        shortcut.trigger()
    query = tab.browser.query
    assert query.status is OrderStatus.DISPATCHED
    assert query.sort == Sort(SortField.TOTAL, True)
    assert tab.view.isColumnHidden(hidden)
    assert tab.status_combo.currentData() == "dispatched"
    assert all(
        tab.model.order(r).status is OrderStatus.DISPATCHED for r in range(tab.model.rowCount())
    )

    # Saving under the same name replaces it; deleting removes it from the menu.
    menu.save_as("shipped, BIGGEST first")
    assert len(menu.views) == 1
    menu.delete("Shipped, biggest first")
    assert menu.views == [] and menu.view_actions == []


def test_a_view_with_dates_and_search(main_window: Any, qtbot: Any) -> None:
    from PySide6.QtCore import QDate

    tab = main_window.orders_tab
    with qtbot.waitSignal(tab.sig_page_loaded, timeout=WAIT):
        tab.refresh()
    menu = main_window.findChild(QMenu, "savedViewsMenu")
    name = tab.model.order(0).shipping.name
    tab.from_filter.set_value(QDate(2026, 1, 1))
    tab.search(name)
    menu.save_as("One customer this year")
    tab.search("")
    tab.from_filter.set_value(None)
    menu.open_view(menu.views[0])
    assert tab.browser.query.date_from == date(2026, 1, 1)
    assert tab.search_edit.text() == name
    qtbot.waitUntil(lambda: tab.model.rowCount() > 0, timeout=WAIT)
    for row in range(tab.model.rowCount()):
        assert tab.model.order(row).shipping.name == name
