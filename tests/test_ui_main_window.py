"""The main window against the real sandbox over loopback HTTP (pytest-qt, offscreen)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import QDate, Qt, QTimer

from nfctagify_desktop.api.models import OrderStatus
from nfctagify_desktop.ui.models.orders_model import OrdersModel
from nfctagify_desktop.ui.models.products_model import PricingModel, ProductsModel

WAIT = 8000


def loaded(window: Any, qtbot: Any) -> None:
    """Load every tab and wait until each one shows rows."""
    window.load_all()
    qtbot.waitUntil(lambda: window.products_tab.model.rowCount() > 0, timeout=WAIT)
    qtbot.waitUntil(lambda: window.pricing_tab.model.rowCount() > 0, timeout=WAIT)
    qtbot.waitUntil(lambda: window.orders_tab.model.rowCount() > 0, timeout=WAIT)
    qtbot.waitUntil(lambda: window.ctx.tasks.busy_count == 0, timeout=WAIT)


def test_every_tab_loads_real_data(main_window: Any, qtbot: Any, qtmodeltester: Any) -> None:
    loaded(main_window, qtbot)
    products = main_window.products_tab.model
    assert isinstance(products, ProductsModel)
    names = {products.product(r).name for r in range(products.rowCount())}
    assert any("NFC Business Card" in n for n in names)
    pricing = main_window.pricing_tab.model
    assert isinstance(pricing, PricingModel)
    assert any(row.is_override for row in pricing.rows), "demo account has custom prices"
    assert "custom" in main_window.pricing_tab.info_label.text()
    orders = main_window.orders_tab.model
    assert isinstance(orders, OrdersModel)
    total = main_window.orders_tab.last_page.pagination.total
    assert orders.rowCount() == min(50, total)  # the "Orders per page" setting's default
    assert main_window.orders_tab.page_label.text().startswith("Page 1 of ")
    for model in (products, pricing, orders):
        qtmodeltester.check(model)
    assert main_window.sandbox_badge.isVisible()
    # The badge stands for the sandbox; its loopback address is not shown beside it.
    assert not main_window.status_widgets.connection_label.isVisible()


def test_product_filter_and_sort(main_window: Any, qtbot: Any) -> None:
    loaded(main_window, qtbot)
    tab = main_window.products_tab
    total = tab.proxy.rowCount()
    tab.filter_edit.setText("metal")
    assert 0 < tab.proxy.rowCount() < total
    tab.filter_edit.clear()
    tab.view.sortByColumn(1, Qt.SortOrder.DescendingOrder)  # price
    prices = [
        tab.model.row_at(tab.proxy.mapToSource(tab.proxy.index(r, 0)).row()).price
        for r in range(tab.proxy.rowCount())
    ]
    assert prices == sorted(prices, reverse=True)


def test_status_filter_is_a_server_query(
    main_window: Any, qtbot: Any, sandbox_connection: Any
) -> None:
    loaded(main_window, qtbot)
    tab = main_window.orders_tab
    with qtbot.waitSignal(tab.sig_page_loaded, timeout=WAIT):
        tab.set_status_filter(OrderStatus.DELIVERED)
    request = sandbox_connection.transport.last("/orders")
    assert request.url.params["status"] == "delivered"
    assert request.url.params["page"] == "1"
    assert tab.model.rowCount() > 0
    assert {o.status for o in tab.model.rows} == {OrderStatus.DELIVERED}


def test_date_range_sends_from_and_to(
    main_window: Any, qtbot: Any, sandbox_connection: Any
) -> None:
    loaded(main_window, qtbot)
    tab = main_window.orders_tab
    everything = tab.last_page.pagination.total
    today = date.today()
    start = QDate(today.year, today.month, today.day).addDays(-10)
    with qtbot.waitSignal(tab.sig_page_loaded, timeout=WAIT):
        tab.from_filter.edit.setDate(start)
        tab.from_filter.check.setChecked(True)
    request = sandbox_connection.transport.last("/orders")
    assert request.url.params["from"] == start.toString("yyyy-MM-dd")
    assert "to" not in request.url.params
    assert tab.last_page.pagination.total < everything
    first = start.toPython()
    assert all(o.created_at.date() >= first for o in tab.model.rows)
    with qtbot.waitSignal(tab.sig_page_loaded, timeout=WAIT):
        tab.to_filter.edit.setDate(start.addDays(5))
        tab.to_filter.check.setChecked(True)
    request = sandbox_connection.transport.last("/orders")
    assert request.url.params["to"] == start.addDays(5).toString("yyyy-MM-dd")
    # Clearing the range asks for everything again.
    with qtbot.waitSignal(tab.sig_page_loaded, timeout=WAIT):
        tab.from_filter.check.setChecked(False)
    with qtbot.waitSignal(tab.sig_page_loaded, timeout=WAIT):
        tab.to_filter.check.setChecked(False)
    request = sandbox_connection.transport.last("/orders")
    assert "from" not in request.url.params and "to" not in request.url.params
    assert tab.last_page.pagination.total == everything


def test_paging_controls(
    main_window: Any, qtbot: Any, sandbox: Any, sandbox_connection: Any
) -> None:
    sandbox.seed_orders("demo", 130)
    loaded(main_window, qtbot)
    tab = main_window.orders_tab
    total = tab.last_page.pagination.total
    assert total >= 130
    with qtbot.waitSignal(tab.sig_page_loaded, timeout=WAIT):
        tab.per_page_combo.setCurrentIndex(tab.per_page_combo.findData(20))
    pages = -(-total // 20)
    assert tab.page_label.text() == f"Page 1 of {pages} · {total:,} orders"
    first_ids = [o.order_id for o in tab.model.rows]
    assert not tab.prev_button.isEnabled() and tab.next_button.isEnabled()
    with qtbot.waitSignal(tab.sig_page_loaded, timeout=WAIT):
        tab.next_button.click()
    request = sandbox_connection.transport.last("/orders")
    assert request.url.params["page"] == "2" and request.url.params["per_page"] == "20"
    assert not set(first_ids) & {o.order_id for o in tab.model.rows}
    with qtbot.waitSignal(tab.sig_page_loaded, timeout=WAIT):
        tab.last_button.click()
    assert tab.page == pages
    assert tab.model.rowCount() == total - 20 * (pages - 1)
    assert not tab.next_button.isEnabled() and not tab.last_button.isEnabled()
    with qtbot.waitSignal(tab.sig_page_loaded, timeout=WAIT):
        tab.first_button.click()
    assert [o.order_id for o in tab.model.rows] == first_ids


def test_order_detail_shows_line_items(main_window: Any, qtbot: Any, qtmodeltester: Any) -> None:
    loaded(main_window, qtbot)
    tab = main_window.orders_tab
    with qtbot.waitSignal(tab.sig_detail_loaded, timeout=WAIT) as blocker:
        tab.view.selectRow(3)
    order = blocker.args[0]
    assert order.order_id == tab.model.order(3).order_id
    assert tab.detail.title.text() == order.order_id
    assert tab.detail.items_model.rowCount() == len(order.items) >= 1
    ship_to = tab.detail.fields["ship_to"].text().splitlines()
    assert ship_to[0] == order.shipping.name
    assert ship_to[-1] == "United Kingdom"  # spelt out, as on the printed confirmation
    qtmodeltester.check(tab.detail.items_model)


@pytest.mark.parametrize(
    ("status", "code", "expected", "button"),
    [
        (500, "INTERNAL_ERROR", "had a problem on its side", "retry_button"),
        (401, "UNAUTHORIZED", "The API key was rejected", "key_button"),
        (403, "FORBIDDEN", "does not have permission", None),
    ],
)
def test_errors_show_message_and_ui_stays_usable(
    main_window: Any,
    qtbot: Any,
    sandbox: Any,
    status: int,
    code: str,
    expected: str,
    button: str | None,
) -> None:
    loaded(main_window, qtbot)
    tab = main_window.products_tab
    sandbox.faults.fail_next(
        status, code, message="Injected failure", count=10, path_prefix="/api/partner/products"
    )
    tab.refresh()
    qtbot.waitUntil(lambda: not tab.banner.isHidden(), timeout=WAIT)
    text = tab.banner.text
    assert expected in text and code in text and "Injected failure" in text
    if button:
        assert getattr(tab.banner, button).isVisibleTo(tab.banner)
    # The rows already shown stay, and the rest of the window still works.
    assert tab.model.rowCount() > 0
    sandbox.faults.clear()
    with qtbot.waitSignal(main_window.orders_tab.sig_page_loaded, timeout=WAIT):
        main_window.orders_tab.refresh()
    if button == "retry_button":
        with qtbot.waitSignal(tab.sig_loaded, timeout=WAIT):
            tab.banner.retry_button.click()
        assert tab.banner.isHidden()


def test_rate_limit_says_when_it_retries(main_window: Any, qtbot: Any, sandbox: Any) -> None:
    loaded(main_window, qtbot)
    tab = main_window.pricing_tab
    # More 429s than the client retries: the banner says when the app will try again.
    sandbox.faults.fail_next(
        429,
        "RATE_LIMITED",
        message="Slow down",
        count=4,
        path_prefix="/api/partner/pricing",
        retry_after=1,
    )
    tab.refresh()
    qtbot.waitUntil(lambda: not tab.banner.isHidden(), timeout=WAIT)
    assert "Retrying automatically in 1 s" in tab.banner.text
    assert "RATE_LIMITED" in tab.banner.text
    # ...and it does, by itself.
    qtbot.waitUntil(tab.banner.isHidden, timeout=WAIT)
    qtbot.waitUntil(
        lambda: tab.info_label.text().startswith(f"{tab.model.rowCount()} prices"), timeout=WAIT
    )


def test_network_error_offers_retry(main_window: Any, qtbot: Any, sandbox: Any) -> None:
    loaded(main_window, qtbot)
    sandbox.stop()
    tab = main_window.orders_tab
    tab.refresh()
    qtbot.waitUntil(lambda: not tab.banner.isHidden(), timeout=15000)
    assert "Could not reach the Partner API" in tab.banner.text
    assert tab.banner.retry_button.isVisibleTo(tab.banner)


def test_timer_keeps_ticking_during_a_slow_request(
    main_window: Any, qtbot: Any, sandbox: Any
) -> None:
    """The window never freezes: a 1 ms QTimer ticks while a slow request is in flight."""
    loaded(main_window, qtbot)
    sandbox.faults.delay_seconds = 1.0
    ticks: list[int] = []
    timer = QTimer()
    timer.setInterval(1)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start()
    tab = main_window.products_tab
    with qtbot.waitSignal(tab.sig_loaded, timeout=WAIT):
        tab.refresh()
        qtbot.waitUntil(lambda: main_window.busy_bar.isVisible(), timeout=WAIT)
    timer.stop()
    # A frozen loop would tick a handful of times at most during the 1 s wait.
    assert len(ticks) > 100


def test_refresh_supersedes_the_call_in_flight(main_window: Any, qtbot: Any, sandbox: Any) -> None:
    loaded(main_window, qtbot)
    sandbox.faults.delay_seconds = 0.5
    tab = main_window.orders_tab
    pages: list[Any] = []
    tab.sig_page_loaded.connect(pages.append)
    tab.refresh()
    tab.refresh()
    tab.refresh()
    qtbot.waitUntil(lambda: len(pages) >= 1 and main_window.ctx.tasks.busy_count == 0, timeout=WAIT)
    assert len(pages) == 1


def test_keyboard_shortcuts(main_window: Any, qtbot: Any) -> None:
    loaded(main_window, qtbot)
    main_window.activateWindow()
    for n, tab in (
        (3, main_window.orders_tab),
        (2, main_window.pricing_tab),
        (1, main_window.products_tab),
    ):
        qtbot.keyClick(main_window, Qt.Key(Qt.Key.Key_0 + n), Qt.KeyboardModifier.ControlModifier)
        assert main_window.tabs.currentWidget() is tab
    main_window.focus_filter()
    assert main_window.products_tab.filter_edit.hasFocus() or not main_window.isActiveWindow()


def test_every_interactive_widget_has_an_accessible_name(main_window: Any, qtbot: Any) -> None:
    from PySide6.QtCore import Qt as QtNs
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractItemView,
        QAbstractSpinBox,
        QComboBox,
        QLineEdit,
        QTabBar,
    )

    loaded(main_window, qtbot)
    interactive = (QAbstractButton, QComboBox, QLineEdit, QAbstractSpinBox, QAbstractItemView)
    # Qt's own sub-widgets (a combo's popup list, a table's header, a date edit's line edit,
    # the tab bar's scroll arrows) are named through their owner.
    composite = (QComboBox, QAbstractSpinBox, QAbstractItemView, QTabBar)

    def internal(widget: Any) -> bool:
        parent = widget.parentWidget()
        while parent is not None and parent is not main_window:
            name = type(parent).__name__
            if isinstance(parent, composite) or name.startswith("QComboBoxPrivate"):
                return True
            parent = parent.parentWidget()
        return False

    missing = []
    for kind in interactive:
        for widget in main_window.findChildren(kind):
            if internal(widget) or widget.focusPolicy() == QtNs.FocusPolicy.NoFocus:
                continue
            if not widget.accessibleName():
                missing.append(f"{type(widget).__name__} {widget.objectName()!r}")
    assert not missing, missing


def test_window_state_is_restored(main_window: Any, qtbot: Any, sandbox_connection: Any) -> None:
    from nfctagify_desktop.services.container import build_services
    from nfctagify_desktop.ui.main_window import MainWindow

    height = max(main_window.minimumSizeHint().height(), 560)
    main_window.resize(main_window.minimumSizeHint().width(), height)
    main_window.tabs.setCurrentIndex(2)
    main_window.orders_tab.splitter.setSizes([650, 150])
    main_window.save_state()
    again = MainWindow(build_services(sandbox_connection))
    qtbot.addWidget(again)
    assert again.tabs.currentIndex() == 2
    # The offscreen screen is only 800x600 wide, so width may be clamped; height is not.
    assert again.size().height() == main_window.size().height() == height

    def share(window: Any) -> float:
        left, right = window.orders_tab.splitter.sizes()
        return float(left / (left + right))

    assert share(again) == pytest.approx(share(main_window), abs=0.05)
    assert share(again) > 0.7  # not the default 2:1


def test_restored_geometry_is_clamped_to_the_screen(
    main_window: Any, qtbot: Any, sandbox_connection: Any
) -> None:
    """Saved on a big monitor (or at a lower scale), reopened on a small screen: all on it."""
    from nfctagify_desktop.services.container import build_services
    from nfctagify_desktop.ui.geometry import fits_screen
    from nfctagify_desktop.ui.main_window import MainWindow

    screen = main_window.screen().availableGeometry()
    main_window.setMinimumSize(0, 0)
    main_window.resize(screen.width() + 900, screen.height() + 500)
    main_window.move(screen.right() - 100, screen.bottom() - 100)
    qtbot.waitUntil(lambda: main_window.width() > screen.width())
    main_window.save_state()
    again = MainWindow(build_services(sandbox_connection))
    qtbot.addWidget(again)
    again.show()
    qtbot.waitExposed(again)
    assert fits_screen(again), (again.frameGeometry(), screen)
    assert again.width() <= screen.width()


def test_closing_with_a_request_in_flight_exits_cleanly(tmp_path: Any) -> None:
    """The whole app in a subprocess: close while a slow call is pending; exit 0, no warnings."""
    script = textwrap.dedent(
        """
        import asyncio, os, sys
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        from PySide6.QtWidgets import QApplication
        import qasync
        from nfctagify_desktop import app as app_mod
        from nfctagify_desktop.services.connection import connect, start_sandbox
        from nfctagify_desktop.store.settings import sandbox_profile
        from nfctagify_desktop.services.container import build_services
        from nfctagify_desktop.ui.main_window import MainWindow

        async def main(qapp):
            server = await start_sandbox()
            server.faults.delay_seconds = 5
            conn = await connect(sandbox_profile(), sandbox=server)
            services = build_services(conn)
            ctx = services.ctx
            window = MainWindow(services)
            window.show()
            window.load_all()
            await asyncio.sleep(0.3)
            assert ctx.tasks.busy_count == 3, ctx.tasks.busy_count
            window.close()
            await app_mod.shutdown(services)
            leftover = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            print("leftover", len(leftover))

        qapp = QApplication(sys.argv[:1])
        qapp.setQuitOnLastWindowClosed(False)
        with asyncio.Runner(loop_factory=qasync.QEventLoop) as runner:
            runner.run(main(qapp))
        print("clean exit")
        """
    )
    # Every warning is an error, as in pyproject's filterwarnings (3.11.0rc1's cancel(msg) aside).
    warnings = "error,ignore:Passing 'msg' argument to:DeprecationWarning"
    env = {**__import__("os").environ, "NFCTAGIFY_HOME": str(tmp_path), "PYTHONWARNINGS": warnings}
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, env=env
    )
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output
    assert "leftover 0" in proc.stdout and "clean exit" in proc.stdout
    for bad in ("Task was destroyed", "was never awaited", "Traceback", "Event loop stopped"):
        assert bad not in output, output


def test_self_test_command(tmp_path: Any) -> None:
    env = {
        **__import__("os").environ,
        "NFCTAGIFY_HOME": str(tmp_path),
        "QT_QPA_PLATFORM": "offscreen",
    }
    proc = subprocess.run(
        [sys.executable, "main.py", "--self-test"],
        capture_output=True,
        text=True,
        timeout=90,
        env=env,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "self-test: window with data after" in proc.stdout
    # Where keys, data and logs go: the packaged builds check their keyring backend with it.
    report = next(line for line in proc.stdout.splitlines() if "self-test: keyring" in line)
    assert f"data {tmp_path / 'data'}" in report
    assert f"logs {tmp_path / 'log'}" in report


def test_self_test_without_a_console(tmp_path: Any) -> None:
    """A windowed Windows build has sys.stdout and sys.stderr set to None: the self-test must
    still run, exit 0, and leave its result in the log file."""
    env = {
        **__import__("os").environ,
        "NFCTAGIFY_HOME": str(tmp_path),
        "QT_QPA_PLATFORM": "offscreen",
    }
    code = (
        "import sys; sys.stdout = None; sys.stderr = None; "
        "from nfctagify_desktop.app import main; main(['--self-test'])"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=90, env=env
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout == ""
    log_text = (tmp_path / "log" / "nfctagify-desktop.log").read_text(encoding="utf-8")
    assert "self-test: keyring" in log_text
    assert "self-test: window with data after" in log_text
    assert "closed (exit code 0)" in log_text


def test_bulk_orders_reload_the_orders_tab(main_window: Any, qtbot: Any, sandbox: Any) -> None:
    loaded(main_window, qtbot)
    tab = main_window.orders_tab
    before = tab.last_page.pagination.total
    sandbox.seed_orders("demo", 3, days=1)  # orders placed elsewhere (e.g. a CSV import)
    with qtbot.waitSignal(tab.sig_page_loaded, timeout=WAIT):
        main_window.ctx.sig_orders_changed.emit()
    assert tab.last_page.pagination.total == before + 3


def test_enter_opens_the_selected_order(main_window: Any, qtbot: Any) -> None:
    loaded(main_window, qtbot)
    main_window.tabs.setCurrentWidget(main_window.orders_tab)
    tab = main_window.orders_tab
    qtbot.waitUntil(lambda: tab.detail.order is not None, timeout=WAIT)
    tab.view.setFocus()
    # Move to the third order with the keyboard, then Enter: its detail is fetched and shown.
    with qtbot.waitSignal(tab.sig_detail_loaded, timeout=WAIT):
        qtbot.keyClick(tab.view, Qt.Key.Key_Down)
        qtbot.keyClick(tab.view, Qt.Key.Key_Down)
    third = tab.model.order(tab.view.currentIndex().row())
    with qtbot.waitSignal(tab.sig_detail_loaded, timeout=WAIT) as blocker:
        qtbot.keyClick(tab.view, Qt.Key.Key_Return)
    assert blocker.args[0].order_id == third.order_id
    assert tab.detail.title.text() == third.order_id


def test_tab_key_reaches_every_control_of_the_orders_tab(
    main_window: Any, qtbot: Any, sandbox: Any
) -> None:
    from PySide6.QtWidgets import QApplication

    sandbox.seed_orders("demo", 30)  # more than one page, so "Next" is enabled
    loaded(main_window, qtbot)
    main_window.tabs.setCurrentWidget(main_window.orders_tab)
    main_window.activateWindow()
    qtbot.waitUntil(main_window.isActiveWindow, timeout=WAIT)
    tab = main_window.orders_tab
    tab.status_combo.setFocus()
    reached = set()
    for _ in range(60):
        widget = QApplication.focusWidget()
        if widget is not None:
            reached.add(widget)
        qtbot.keyClick(widget or main_window, Qt.Key.Key_Tab)
    expected = [
        tab.status_combo,
        tab.from_filter.check,
        tab.to_filter.check,
        tab.per_page_combo,
        tab.refresh_button,
        tab.new_button,
        tab.view,
        tab.next_button,
    ]
    missing = [w.accessibleName() or type(w).__name__ for w in expected if w not in reached]
    assert not missing, missing


def test_order_status_is_painted_as_a_coloured_badge(main_window: Any, qtbot: Any) -> None:
    from nfctagify_desktop.ui.format import status_colours

    loaded(main_window, qtbot)
    main_window.tabs.setCurrentWidget(main_window.orders_tab)
    tab = main_window.orders_tab
    row = tab.model.row_of(lambda o: o.status is OrderStatus.DELIVERED)
    assert row >= 0
    rect = tab.view.visualRect(tab.model.index(row, OrdersModel.STATUS_COLUMN))
    image = tab.view.viewport().grab().toImage()
    badge, _text = status_colours(OrderStatus.DELIVERED)
    hits = sum(
        1
        for x in range(rect.left(), rect.right())
        for y in range(rect.top(), rect.bottom())
        if image.pixelColor(x, y).rgb() == badge.rgb()
    )
    assert hits > 100, "the Delivered cell shows no green badge"


@pytest.mark.parametrize("signame", ["SIGTERM", "SIGINT"])
def test_signal_closes_the_app_cleanly(tmp_path: Any, signame: str) -> None:
    """Ctrl+C in a terminal or SIGTERM at log-out: the window closes, exit 0, no traceback."""
    import os
    import signal as signal_module
    import time

    env = {**os.environ, "NFCTAGIFY_HOME": str(tmp_path), "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.Popen(
        [sys.executable, "main.py", "--sandbox"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    log = tmp_path / "log" / "nfctagify-desktop.log"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if log.exists() and "GET /api/partner/orders -> 200" in log.read_text(encoding="utf-8"):
            break
        time.sleep(0.1)
    else:
        proc.kill()
        raise AssertionError("the app never loaded its orders")
    proc.send_signal(getattr(signal_module, signame))
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert "Traceback" not in out + err
