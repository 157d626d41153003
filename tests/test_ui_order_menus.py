"""Right-click menus and multi-selection: copy, reorder several into drafts, help and About."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelectionModel
from PySide6.QtGui import QContextMenuEvent, QGuiApplication
from PySide6.QtWidgets import QApplication

from nfctagify_desktop.ui.help_menu import AboutDialog, ShortcutsDialog, about_text, shortcut_rows

WAIT = 10_000


def loaded(window: Any, qtbot: Any) -> Any:
    tab = window.orders_tab
    with qtbot.waitSignal(tab.sig_page_loaded, timeout=WAIT):
        tab.refresh()
    return tab


def select_rows(view: Any, rows: list[int]) -> None:
    model = view.selectionModel()
    model.clearSelection()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for row in rows:
        model.select(view.model().index(row, 0), flags)


def right_click(view: Any, row: int) -> Any:
    rect = view.visualRect(view.model().index(row, 1))
    event = QContextMenuEvent(
        QContextMenuEvent.Reason.Mouse, rect.center(), view.viewport().mapToGlobal(rect.center())
    )
    QApplication.sendEvent(view.viewport(), event)
    menu = view.last_menu
    assert menu is not None
    return menu


def action(menu: Any, name: str) -> Any:
    return next(a for a in menu.actions() if a.objectName() == name)


def test_reordering_three_selected_orders_makes_three_drafts(main_window: Any, qtbot: Any) -> None:
    tab = loaded(main_window, qtbot)
    select_rows(tab.view, [0, 2, 4])
    menu = right_click(tab.view, 2)  # inside the selection: the selection stays
    picked = [tab.model.order(r) for r in (0, 2, 4)]
    reorder = action(menu, "reorder")
    assert "3 orders" in reorder.text()
    outbox = main_window.services.ordering
    before = {d.id for d in outbox.unsent()}
    reorder.trigger()
    menu.close()
    drafts = [d for d in outbox.unsent() if d.id not in before]
    assert len(drafts) == 3
    assert sorted(d.fields.name for d in drafts) == sorted(o.shipping.name for o in picked)
    assert sorted(d.fields.product_id for d in drafts) == sorted(o.product_id for o in picked)
    assert all(d.belongs_to(main_window.services.ctx.account) for d in drafts)
    assert "3 drafts" in main_window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: main_window.outbox_tab.model.rowCount() >= 3, timeout=WAIT)


def test_copy_actions_copy_what_they_say(main_window: Any, qtbot: Any) -> None:
    tab = loaded(main_window, qtbot)
    select_rows(tab.view, [1, 3])
    menu = right_click(tab.view, 1)
    ids = [tab.model.order(r).order_id for r in (1, 3)]
    action(menu, "copyId").trigger()
    assert QGuiApplication.clipboard().text().split("\n") == ids
    action(menu, "copyAddress").trigger()
    text = QGuiApplication.clipboard().text()
    for row in (1, 3):
        ship = tab.model.order(row).shipping
        assert ship.address_line1 in text and ship.postcode in text
    menu.close()
    # Right-click outside the selection selects that row alone; Copy gives a spreadsheet row.
    menu = right_click(tab.view, 5)
    assert tab.view.selected_rows() == [5]
    assert action(menu, "openOrder")
    tab.view.copy_action.trigger()
    head, row = QGuiApplication.clipboard().text().split("\n")
    assert "\t" in head and tab.model.order(5).order_id in row
    menu.close()


def test_every_table_has_a_copy_menu(main_window: Any, qtbot: Any) -> None:
    from nfctagify_desktop.ui.widgets.table_view import TableView

    tables = main_window.findChildren(TableView)
    assert len(tables) >= 4
    for table in tables:
        menu = table.build_menu()
        assert table.copy_action in menu.actions()
        menu.deleteLater()


def test_help_lists_the_real_shortcuts_and_about_is_copyable(main_window: Any, qtbot: Any) -> None:
    rows = dict(shortcut_rows(main_window))
    assert any("Print" in what for what in rows.values())
    assert any(what.startswith("New order") for what in rows.values())
    dialog = ShortcutsDialog(main_window)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == len(shortcut_rows(main_window))
    about = AboutDialog(main_window)
    qtbot.addWidget(about)
    about.copy_button.click()
    copied = QGuiApplication.clipboard().text()
    assert copied == about_text()
    assert "Qt " in copied and "Python " in copied and "Data folder:" in copied
    help_texts = [a.text() for a in main_window.help_menu.actions()]
    assert any("Keyboard shortcuts" in t for t in help_texts)
    assert any("API" in t for t in help_texts)


def test_products_and_outbox_menus_do_what_their_buttons_do(main_window: Any, qtbot: Any) -> None:
    products = main_window.products_tab
    with qtbot.waitSignal(products.sig_loaded, timeout=WAIT):
        products.refresh()
    products.view.selectRow(0)
    menu = products.view.build_menu()
    product = products.selected_product()
    action(menu, "copyProductId").trigger()
    assert QGuiApplication.clipboard().text() == product.product_id
    with qtbot.waitSignal(main_window.ctx.sig_new_order_requested, timeout=WAIT) as asked:
        action(menu, "orderProduct").trigger()
    assert asked.args[0].product_id == product.product_id
    menu.deleteLater()

    # Reorder two orders into drafts, then the Outbox menu edits, sends or discards the row.
    tab = loaded(main_window, qtbot)
    select_rows(tab.view, [0, 1])
    right_click(tab.view, 0)
    action(tab.view.last_menu, "reorder").trigger()
    tab.view.last_menu.close()
    outbox = main_window.outbox_tab
    qtbot.waitUntil(lambda: outbox.model.rowCount() >= 2, timeout=WAIT)
    outbox.view.selectRow(0)
    menu = outbox.view.build_menu()
    names = {a.objectName(): a for a in menu.actions()}
    assert {"editDraft", "sendDraft", "discardDraft"} <= set(names)
    assert names["sendDraft"].isEnabled() == outbox.send_button.isEnabled()
    menu.deleteLater()
