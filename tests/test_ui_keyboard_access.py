"""Every Alt+letter reaches one control, and Help lists each key once and whole."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from nfctagify_desktop.ui.geometry import available_client_rect
from nfctagify_desktop.ui.help_menu import ShortcutsDialog, shortcut_rows
from nfctagify_desktop.ui.mnemonics import mnemonic_of, mnemonics, with_mnemonic
from tests import test_ui_settings as settings_tests

ui = settings_tests.ui


def test_mnemonic_helpers() -> None:
    assert with_mnemonic("Auto-refresh every:", "r") == "Auto-&refresh every:"
    assert with_mnemonic("Theme:", "H") == "T&heme:"
    assert with_mnemonic("Theme:", "z") == "Theme:"
    assert mnemonic_of("Save && &close") == "c"
    assert mnemonic_of("Fish && chips") is None


def test_settings_alt_letters_are_unique_and_reach_a_field(ui: SimpleNamespace, qtbot: Any) -> None:
    dialog = settings_tests.open_dialog(ui, qtbot)
    for state in ("sandbox", "new profile"):
        if state == "new profile":
            dialog.add_profile()
        used = mnemonics(dialog)
        assert {k: n for k, n in used.items() if n > 1} == {}, state
        # The profile form's fields and buttons are all reachable (not just the preferences).
        assert {"a", "n", "d", "k", "t", "v"} <= set(used), state
    for label in dialog.findChildren(QLabel):
        if mnemonic_of(label.text()) is not None:
            # Qt moves the focus to a buddy only if the buddy itself takes focus.
            buddy = label.buddy()
            assert buddy is not None, label.text()
            assert buddy.focusPolicy() != Qt.FocusPolicy.NoFocus, label.text()
    assert dialog.add_button.text() == "&Add…"
    # Alt+K lands in the key itself, not the row around it.
    key_label = next(lb for lb in dialog.findChildren(QLabel) if lb.text() == "API &key:")
    assert key_label.buddy() is dialog.key_field.edit


def test_each_key_is_listed_once(main_window: Any, qtbot: Any) -> None:
    rows = shortcut_rows(main_window)
    keys = [k for k, _ in rows]
    assert len(keys) == len(set(keys)), keys
    assert dict(rows)["Ctrl+C"].startswith("Copy the selected rows")


def test_shortcuts_fit_without_scrolling_while_the_screen_has_room(
    main_window: Any, qtbot: Any
) -> None:
    dialog = ShortcutsDialog(main_window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(dialog.isVisible)
    room = available_client_rect(dialog).height()
    scrolls = dialog.table.verticalScrollBar().maximum() > 0
    assert not scrolls or dialog.height() >= room - 1


def test_each_section_shortcut_puts_the_keys_in_its_table(main_window: Any, qtbot: Any) -> None:
    window = main_window
    window.activateWindow()
    for tab in (window.pricing_tab, window.orders_tab, window.outbox_tab, window.products_tab):
        window.tabs.setCurrentWidget(tab)
        assert window.focusWidget() is tab.view, tab


def test_filter_then_down_or_enter_reaches_the_product(main_window: Any, qtbot: Any) -> None:
    tab = main_window.products_tab
    main_window.tabs.setCurrentWidget(tab)
    main_window.load_all()
    qtbot.waitUntil(lambda: tab.model.rowCount() > 0, timeout=10_000)
    tab.focus_filter()
    qtbot.keyClicks(tab.filter_edit, "bamboo")
    assert tab.proxy.rowCount() == 1
    qtbot.keyClick(tab.filter_edit, Qt.Key.Key_Down)
    assert main_window.focusWidget() is tab.view
    assert tab.selected_product() is not None
    assert tab.selected_product().product_id == "prod_bamboo"
    tab.focus_filter()
    with qtbot.waitSignal(main_window.ctx.sig_new_order_requested) as asked:
        qtbot.keyClick(tab.filter_edit, Qt.Key.Key_Return)
    assert asked.args[0].product_id == "prod_bamboo"
    for form in main_window.order_forms.forms:
        form.hide()


def test_shortcut_rows_are_one_line_each(main_window: Any, qtbot: Any) -> None:
    dialog = ShortcutsDialog(main_window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(dialog.isVisible)
    heights = {dialog.table.rowHeight(r) for r in range(dialog.table.rowCount())}
    assert len(heights) == 1, heights


def test_ordering_from_pricing_starts_with_that_product(main_window: Any, qtbot: Any) -> None:
    """Ctrl+N or Enter on a price opens the form for that product, as on Products."""
    window = main_window
    window.load_all()
    tab = window.pricing_tab
    qtbot.waitUntil(lambda: tab.model.rowCount() > 0, timeout=10_000)
    qtbot.waitUntil(lambda: window.products_tab.model.rowCount() > 0, timeout=10_000)
    window.tabs.setCurrentWidget(tab)
    row = next(
        r
        for r in range(tab.proxy.rowCount())
        if "bamboo" in str(tab.proxy.index(r, 0).data()).lower()
    )
    tab.view.selectRow(row)
    with qtbot.waitSignal(window.ctx.sig_new_order_requested) as asked:
        window.new_order()
    assert asked.args[0] is not None and asked.args[0].product_id == "prod_bamboo"
    with qtbot.waitSignal(window.ctx.sig_new_order_requested) as asked:
        qtbot.keyClick(tab.view, Qt.Key.Key_Return)
    assert asked.args[0].product_id == "prod_bamboo"
    for form in window.order_forms.forms:
        form.hide()
