"""Where the keyboard lands when a form opens: on the first field to type in, never nowhere."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QScrollArea

from nfctagify_desktop.ui.geometry import scroll_area
from tests import test_ui_order_form as form_tests
from tests.test_ui_order_form import new_form

# The same fixtures as the order form's other tests: the window on an outbox file.
outbox_path = form_tests.outbox_path
window = form_tests.window


def test_a_new_order_form_opens_with_the_product_focused(window: Any, qtbot: Any) -> None:
    form = new_form(window, qtbot)
    qtbot.waitUntil(form.isVisible)
    # The fields sit in a scroll area: it must not take the focus itself.
    for area in form.findChildren(QScrollArea):
        assert area.focusPolicy() == Qt.FocusPolicy.NoFocus
    assert form.focusWidget() is form.product_combo


def test_ordering_a_product_starts_at_its_quantity(window: Any, qtbot: Any, arun: Any) -> None:
    products = arun(window.services.ordering.load_products(force=True))
    product = products["prod_standard"]
    form = new_form(window, qtbot, product)
    assert form.focusWidget() is form.quantity_edit
    assert form.quantity_edit.selectedText() == form.quantity_edit.text() != ""


def test_the_first_empty_field_gets_the_focus(window: Any, qtbot: Any) -> None:
    form = new_form(window, qtbot)
    form_tests.fill(form, reference="")
    form._focus_placed = False
    form.hide()
    form.show()
    assert form.focusWidget() is form.reference_edit


def test_no_empty_line_between_the_quantity_and_its_message(window: Any, qtbot: Any) -> None:
    form = new_form(window, qtbot)
    form.review()
    assert form.error_labels["quantity"].isVisible()
    assert not form.price_label.isVisible()  # no product chosen: nothing to say
    form.product_combo.setCurrentIndex(form.product_combo.findData("prod_standard"))
    form.quantity_edit.setText("25")
    assert form.price_label.isVisible() and form.price_label.text()


def test_plain_scroll_areas_do_not_take_the_focus(qtbot: Any) -> None:
    from PySide6.QtWidgets import QWidget

    for grow in (False, True):
        area = scroll_area(QWidget(), grow=grow)
        qtbot.addWidget(area)
        assert area.focusPolicy() == Qt.FocusPolicy.NoFocus
