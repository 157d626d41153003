"""The order form never changes a value behind the user's back, and says why, where."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget

from nfctagify_desktop.sandbox.server import SandboxServer
from tests import test_ui_order_form as form_tests
from tests.address_table import CASES
from tests.test_ui_order_form import WAIT, Run, fill, new_form, outbox

# The same fixtures as the order form's other tests: a window on the sandbox and an outbox.
window = form_tests.window
outbox_path = form_tests.outbox_path


def choose_product(form: Any, qtbot: Any, product_id: str) -> None:
    form.product_combo.setCurrentIndex(form.product_combo.findData(product_id))
    form._edited()


def test_quantity_below_minimum_says_why_blocks_review_and_keeps_the_value(
    window: Any, qtbot: Any
) -> None:
    form = new_form(window, qtbot)
    fill(form, product="prod_premium_metal", quantity="")
    form.quantity_edit.setFocus()
    qtbot.keyClicks(form.quantity_edit, "5")
    label = form.error_labels["quantity"]
    assert not label.isHidden()  # at once, while typing
    assert "at least 10" in label.text()
    assert form.quantity_edit.text() == "5"
    assert not form.review()
    assert form.pages.currentIndex() == form.FORM_PAGE
    assert form.quantity_edit.text() == "5"  # never reverted
    # Far too many: the same, never clamped to the maximum.
    form.quantity_edit.clear()
    qtbot.keyClicks(form.quantity_edit, "99999999")
    assert "at most 10,000" in label.text()
    assert not form.review()
    assert form.quantity_edit.text() == "99999999"
    # Fixed: the message goes as soon as the value is valid, before any review.
    form.quantity_edit.clear()
    qtbot.keyClicks(form.quantity_edit, "12")
    assert label.isHidden()
    assert "quantity" not in form.field_errors
    assert form.review()


def test_an_error_clears_as_soon_as_its_field_is_valid(window: Any, qtbot: Any) -> None:
    form = new_form(window, qtbot)
    fill(form, name="", postcode="NOPE")
    assert not form.review()
    assert set(form.field_errors) == {"shipping.name", "shipping.postcode"}
    form.name_edit.setFocus()
    qtbot.keyClicks(form.name_edit, "J")
    assert "shipping.name" not in form.field_errors
    assert form.error_labels["shipping.name"].isHidden()
    assert form.name_edit.property("error") is False
    # The other one stays until it is fixed too.
    assert not form.error_labels["shipping.postcode"].isHidden()
    form.postcode_edit.clear()
    qtbot.keyClicks(form.postcode_edit, "EC1A 1BB")
    assert form.field_errors == {}


def _mnemonics(root: QWidget) -> list[str]:
    letters = []
    for widget in root.findChildren(QWidget):
        if not widget.isVisibleTo(root):
            continue
        text = widget.text() if isinstance(widget, QLabel | QAbstractButton) else ""
        index = text.replace("&&", "").find("&")
        if index >= 0:
            letters.append(text.replace("&&", "")[index + 1].lower())
    return letters


def test_mnemonics_are_unique_on_every_page_and_country(window: Any, qtbot: Any) -> None:
    form = new_form(window, qtbot)
    for country in ("GB", "US", "CA", "IE", "JP", "IN", "HK"):
        form.country_combo.setCurrentIndex(form.country_combo.findData(country))
        letters = _mnemonics(form)
        assert len(letters) == len(set(letters)), (country, sorted(letters))
    # Alt+F reaches the reference, Alt+R reviews.
    assert "Re&ference" in form.field_labels["customer_reference"].text()
    assert form.review_button.text().startswith("&Review")
    # The confirmation page and the page after placing have their own, also unique.
    fill(form, reference="PO-KEYS")
    assert form.review()
    letters = _mnemonics(form)
    assert sorted(letters) == ["b", "p"], letters
    with qtbot.waitSignal(form.ctx.sig_order_created, timeout=WAIT):
        form.place_order()
    letters = _mnemonics(form)
    assert len(letters) == len(set(letters)) >= 3, letters


def test_custom_price_shows_the_standard_price_and_the_saving(window: Any, qtbot: Any) -> None:
    form = new_form(window, qtbot)
    qtbot.waitUntil(lambda: bool(window.services.ordering.prices), timeout=WAIT)
    fill(form, product="prod_premium_metal", quantity="25")
    assert form.price_label.text() == "£19.50 each — standard £24.00, you save £112.50"
    assert form.total_label.text() == "Total £487.50"
    assert form.review()
    assert "standard £24.00, you save £112.50" in form.summary_label.text()
    # A product at the standard price shows no comparison.
    form.back()
    fill(form, product="prod_eco_bamboo", quantity="25")
    assert "standard" not in form.price_label.text()


def test_region_follows_the_country(window: Any, qtbot: Any, sandbox: SandboxServer) -> None:
    form = new_form(window, qtbot)
    region_label = form.field_labels["shipping.region"]
    postcode_label = form.field_labels["shipping.postcode"]
    assert not form.region_combo.isVisibleTo(form)  # no regions in UK addresses
    form.country_combo.setCurrentIndex(form.country_combo.findData("US"))
    assert form.region_combo.isVisibleTo(form)
    assert region_label.text().replace("&", "") == "State:"
    assert postcode_label.text() == "ZIP &code:"
    assert form.region_combo.findData("CA") >= 0
    fill(form, country="US", postcode="94105", reference="PO-US-1")
    assert not form.review()
    assert form.field_errors == {"shipping.region": "State is required"}
    form.region_combo.setCurrentIndex(form.region_combo.findData("CA"))
    assert form.review()
    before = sandbox.order_count()
    with qtbot.waitSignal(window.ctx.sig_order_created, timeout=WAIT) as placed:
        form.place_order()
    assert placed.args[0].shipping.region == "CA"
    assert sandbox.order_count() == before + 1
    other = new_form(window, qtbot)
    other.country_combo.setCurrentIndex(other.country_combo.findData("CA"))
    assert other.field_labels["shipping.region"].text().replace("&", "") == "Province:"


def test_the_form_gives_the_address_table_its_verdicts(window: Any, qtbot: Any) -> None:
    form = new_form(window, qtbot)
    got, want = {}, {}
    for case in CASES:
        fill(form, reference="PO-ADDR", postcode=case.postcode, country="GB")
        index = form.country_combo.findData(case.country)
        if index >= 0:
            form.country_combo.setCurrentIndex(index)
        else:  # typed, as a user would type an unknown code
            form.country_combo.setCurrentIndex(-1)
            form.country_combo.setEditText(case.country)
        form._set_region(case.region)
        problems = form.validate()
        got[case.id] = sorted(problems)[0] if problems else None
        want[case.id] = case.fault
    assert got == want


def test_esc_on_an_untouched_reorder_leaves_no_draft(window: Any, qtbot: Any, arun: Run) -> None:
    order = arun(window.ctx.client.list_orders(per_page=1)).orders[0]
    window.ctx.sig_new_order_requested.emit(order)
    form = window.order_forms.forms[-1]
    qtbot.waitUntil(lambda: form.product_combo.count() > 1, timeout=WAIT)
    qtbot.keyClick(form, Qt.Key.Key_Escape)
    assert not form.isVisible()
    assert outbox(window).unsent("Sandbox") == []
    # Touched, it is kept.
    window.ctx.sig_new_order_requested.emit(order)
    form = window.order_forms.forms[-1]
    form.reference_edit.setFocus()
    qtbot.keyClicks(form.reference_edit, "PO-AGAIN")
    qtbot.keyClick(form, Qt.Key.Key_Escape)
    [draft] = outbox(window).unsent("Sandbox")
    assert draft.fields.customer_reference == "PO-AGAIN"


def test_typing_saves_the_draft_without_closing(window: Any, qtbot: Any) -> None:
    form = new_form(window, qtbot)
    form.name_edit.setFocus()
    qtbot.keyClicks(form.name_edit, "Saved As Typed")
    qtbot.waitUntil(
        lambda: [d.fields.name for d in outbox(window).unsent("Sandbox")] == ["Saved As Typed"],
        timeout=WAIT,
    )
    assert form.isVisible()
