"""The Orders tab over its browser state: page size and sort remembered, profile switch resets."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt

from nfctagify_desktop.api.models import OrderStatus
from nfctagify_desktop.services.container import Services, build_services
from nfctagify_desktop.services.orders_browser import OrdersQuery, Sort, SortField
from nfctagify_desktop.store.settings import Profile, SettingsStore
from nfctagify_desktop.ui.main_window import MainWindow
from nfctagify_desktop.ui.tabs.orders_tab import SORT_COLUMNS

WAIT = 10_000


@pytest.fixture
def make_window(
    qtbot: Any, aloop: Any, arun: Callable[..., Any], sandbox_connection: Any
) -> Iterator[Callable[[], MainWindow]]:
    """Windows built as app.py builds them, each on the settings file as it is then."""
    made: list[Services] = []

    def make() -> MainWindow:
        services = build_services(sandbox_connection)
        made.append(services)
        window = MainWindow(services)
        qtbot.addWidget(window)
        window.show()
        return window

    yield make
    for services in made:
        arun(services.aclose())


def first_page(window: MainWindow, qtbot: Any) -> None:
    with qtbot.waitSignal(window.orders_tab.sig_page_loaded, timeout=WAIT):
        window.orders_tab.refresh()


def test_the_per_page_setting_is_used_at_start_up(
    make_window: Callable[[], MainWindow], qtbot: Any, sandbox: Any, sandbox_connection: Any
) -> None:
    SettingsStore().update(orders_per_page=20)  # not the default (50)
    sandbox.seed_orders("demo", 30)
    window = make_window()
    tab = window.orders_tab
    assert tab.per_page_combo.currentData() == 20
    first_page(window, qtbot)
    request = sandbox_connection.transport.last("/orders")
    assert request.url.params["per_page"] == "20"
    assert tab.model.rowCount() == 20


def test_a_page_size_chosen_in_the_tab_is_remembered(
    make_window: Callable[[], MainWindow], qtbot: Any, sandbox_connection: Any
) -> None:
    window = make_window()
    tab = window.orders_tab
    first_page(window, qtbot)
    with qtbot.waitSignal(tab.sig_page_loaded, timeout=WAIT):
        tab.per_page_combo.setCurrentIndex(tab.per_page_combo.findData(100))
    assert SettingsStore().load().orders_per_page == 100
    again = make_window()
    assert again.orders_tab.per_page_combo.currentData() == 100
    first_page(again, qtbot)
    assert sandbox_connection.transport.last("/orders").url.params["per_page"] == "100"


def test_a_page_size_saved_in_settings_applies_at_once(
    make_window: Callable[[], MainWindow], qtbot: Any, sandbox_connection: Any
) -> None:
    window = make_window()
    first_page(window, qtbot)
    with qtbot.waitSignal(window.orders_tab.sig_page_loaded, timeout=WAIT):
        window.services.accounts.save_preferences(orders_per_page=20)  # the Settings dialog
    assert window.orders_tab.per_page_combo.currentData() == 20
    assert sandbox_connection.transport.last("/orders").url.params["per_page"] == "20"


def test_the_sort_order_is_remembered(make_window: Callable[[], MainWindow], qtbot: Any) -> None:
    window = make_window()
    first_page(window, qtbot)
    header = window.orders_tab.view.horizontalHeader()
    total_column = SORT_COLUMNS.index(SortField.TOTAL)
    header.setSortIndicator(total_column, Qt.SortOrder.AscendingOrder)  # a header click
    assert SettingsStore().load().orders_sort == "total:asc"
    totals = [o.total for o in window.orders_tab.model.rows]
    assert totals == sorted(totals)
    window.close()  # saves the window state too: the remembered sort still wins
    again = make_window()
    assert again.orders_tab.browser.query.sort == Sort(SortField.TOTAL, descending=False)
    header = again.orders_tab.view.horizontalHeader()
    assert header.sortIndicatorSection() == total_column
    assert header.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder


def test_switching_profile_resets_the_page_and_the_filters(
    make_window: Callable[[], MainWindow], qtbot: Any, sandbox: Any, sandbox_connection: Any
) -> None:
    sandbox.seed_orders("demo", 80)
    SettingsStore().update(orders_per_page=20)
    window = make_window()
    services, tab = window.services, window.orders_tab
    services.settings.add_profile(Profile(name="Second", base_url=sandbox.base_url, kind="account"))
    services.keys.set("Second", sandbox.demo_api_key)
    first_page(window, qtbot)
    assert tab.last_page is not None
    everything = tab.last_page.pagination.total
    with qtbot.waitSignal(tab.sig_page_loaded, timeout=WAIT):
        tab.set_status_filter(OrderStatus.DELIVERED)
    with qtbot.waitSignal(tab.sig_page_loaded, timeout=WAIT):
        tab.go_to(2)
    assert tab.page == 2 and tab.browser.query.status is OrderStatus.DELIVERED
    tab.search("ref")
    assert tab.searching

    with qtbot.waitSignal(tab.sig_page_loaded, timeout=WAIT):  # every tab reloads
        services.accounts.switch_profile("Second")
    assert window.ctx.connection.profile == "Second"
    assert tab.browser.query == OrdersQuery(
        per_page=tab.browser.query.per_page, sort=tab.browser.query.sort
    )
    assert tab.page == 1
    assert tab.status_combo.currentData() is None
    assert tab.from_filter.value() is None and tab.to_filter.value() is None
    assert tab.search_edit.text() == ""
    page = tab.last_page
    assert page is not None
    assert page.pagination.page == 1
    assert page.pagination.total == everything  # no status filter carried over
