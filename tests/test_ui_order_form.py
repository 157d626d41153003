"""The order form against the real sandbox: place, validate, server 400, crash, dropped reply."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from nfctagify_desktop.ordering.outbox import DraftState, Outbox
from nfctagify_desktop.sandbox.server import SandboxServer
from nfctagify_desktop.ui.dialogs.order_form import OrderFormDialog

WAIT = 10_000
Run = Callable[..., Any]


@pytest.fixture
def outbox_path(tmp_path: Path) -> Path:
    return tmp_path / "outbox.sqlite3"


@pytest.fixture
def window(
    qtbot: Any, aloop: Any, arun: Run, sandbox: SandboxServer, outbox_path: Path
) -> Iterator[Any]:
    """The MainWindow wired as app.py does: ordering service on an outbox file, then window."""
    from nfctagify_desktop.services.connection import connect
    from nfctagify_desktop.services.container import build_services
    from nfctagify_desktop.store.settings import sandbox_profile
    from nfctagify_desktop.ui.main_window import MainWindow

    connection = arun(connect(sandbox_profile(), sandbox=sandbox))
    services = build_services(connection, outbox=Outbox(outbox_path))
    win = MainWindow(services)
    qtbot.addWidget(win)
    win.show()
    yield win
    for form in win.order_forms.forms:
        form.hide()
    arun(services.aclose())
    arun(connection.client.aclose())


def new_form(window: Any, qtbot: Any, request: object = None) -> OrderFormDialog:
    form = window.order_forms.open(request)
    qtbot.waitUntil(lambda: window.services.ordering.products_loaded, timeout=WAIT)
    qtbot.waitUntil(lambda: form.product_combo.findData("prod_standard") >= 0, timeout=WAIT)
    return form


def fill(form: OrderFormDialog, **overrides: str) -> None:
    values = {
        "product": "prod_standard",
        "quantity": "25",
        "reference": "PO-UI-1",
        "name": "Jane Smith",
        "line1": "12 Example Street",
        "line2": "",
        "city": "London",
        "postcode": "EC1A 1BB",
        "country": "GB",
        **overrides,
    }
    form.product_combo.setCurrentIndex(form.product_combo.findData(values["product"]))
    form.quantity_edit.setText(values["quantity"])
    for edit, key in (
        (form.reference_edit, "reference"),
        (form.name_edit, "name"),
        (form.line1_edit, "line1"),
        (form.line2_edit, "line2"),
        (form.city_edit, "city"),
        (form.postcode_edit, "postcode"),
    ):
        edit.setText(values[key])
    form.country_combo.setCurrentIndex(form.country_combo.findData(values["country"]))
    form._edited()


def outbox(window: Any) -> Outbox:
    return window.services.ordering.outbox  # type: ignore[no-any-return]


def test_fill_review_place_shows_order_selected_in_orders_tab(
    window: Any, qtbot: Any, sandbox: SandboxServer
) -> None:
    before = sandbox.order_count()
    form = new_form(window, qtbot)
    assert form.country_combo.itemData(0) == "GB"  # GB first
    fill(form)
    product = form.product()
    assert product is not None
    assert form.quantity_edit.minimum() == max(1, product.min_quantity)
    assert "Total" in form.total_label.text()
    assert form.review()
    assert form.pages.currentIndex() == form.CONFIRM_PAGE
    assert "PO-UI-1" in form.summary_label.text()
    # Saved as a draft before any network call.
    assert [d.state for d in outbox(window).unsent("Sandbox")] == [DraftState.DRAFT]
    assert sandbox.order_count() == before
    with qtbot.waitSignal(window.ctx.sig_order_created, timeout=WAIT) as placed:
        form.place_order()
    order = placed.args[0]
    assert order.customer_reference == "PO-UI-1"
    assert sandbox.order_count() == before + 1
    assert outbox(window).unsent("Sandbox") == []
    orders = window.orders_tab
    qtbot.waitUntil(
        lambda: (sel := orders.selected_order()) is not None and sel.order_id == order.order_id,
        timeout=WAIT,
    )
    assert order.order_id in window.statusBar().currentMessage()
    # The confirmation stays: the id to copy, Show in Orders, until the user closes it.
    assert form.isVisible()
    assert form.pages.currentIndex() == form.PLACED_PAGE
    panel = form.placed_panel
    assert panel.id_edit.text() == order.order_id
    assert panel.heading.text() == "✓ Order placed"
    panel.copy_button.click()
    assert QGuiApplication.clipboard().text() == order.order_id
    window.tabs.setCurrentWidget(window.outbox_tab)
    panel.show_button.click()
    assert window.tabs.currentWidget() is orders
    assert orders.selected_order().order_id == order.order_id
    qtbot.keyClick(form, Qt.Key.Key_Return)  # Enter on the confirmation closes it
    assert not form.isVisible()


def test_invalid_input_shows_field_errors_and_sends_nothing(
    window: Any, qtbot: Any, sandbox: SandboxServer
) -> None:
    before = sandbox.order_count()
    form = new_form(window, qtbot)
    fill(form, name="", postcode="NOT A POSTCODE", city="x" * 70)
    assert not form.review()
    assert form.pages.currentIndex() == form.FORM_PAGE
    assert set(form.field_errors) == {"shipping.name", "shipping.postcode", "shipping.city"}
    label = form.error_labels["shipping.postcode"]
    assert not label.isHidden() and "postcode for United Kingdom" in label.text()
    assert form.postcode_edit.property("error") is True
    assert form.name_edit.accessibleDescription() == "Name is required"
    qtbot.keyClick(form, Qt.Key.Key_Return)  # Enter reviews again: still refused
    assert form.pages.currentIndex() == form.FORM_PAGE
    assert sandbox.order_count() == before
    # Fixing the fields clears the messages.
    fill(form, reference="PO-UI-2")
    assert form.review()
    assert form.field_errors == {}
    assert form.error_labels["shipping.postcode"].isHidden()


def test_server_400_keeps_draft_with_message_next_to_postcode(
    window: Any, qtbot: Any, sandbox: SandboxServer
) -> None:
    before = sandbox.order_count()
    form = new_form(window, qtbot)
    fill(form, reference="PO-UI-400")
    assert form.review()
    sandbox.faults.fail_next(
        400, "VALIDATION_ERROR", message="shipping.postcode is not deliverable", method="POST"
    )
    form.place_order()
    qtbot.waitUntil(lambda: not form.is_sending, timeout=WAIT)
    assert sandbox.order_count() == before
    assert form.isVisible()
    assert form.pages.currentIndex() == form.FORM_PAGE
    label = form.error_labels["shipping.postcode"]
    assert "not deliverable" in label.text() and not label.isHidden()
    [draft] = outbox(window).unsent("Sandbox")
    assert draft.state is DraftState.FAILED
    assert draft.error_field == "shipping.postcode"
    # Fix and resend: the same draft becomes the order.
    form.postcode_edit.setText("M1 1AE")
    assert form.review()
    with qtbot.waitSignal(window.ctx.sig_order_created, timeout=WAIT):
        form.place_order()
    assert sandbox.order_count() == before + 1
    assert outbox(window).get(draft.id).state is DraftState.SUBMITTED  # type: ignore[union-attr]


def test_closing_the_form_keeps_typed_data_as_a_draft(window: Any, qtbot: Any) -> None:
    form = new_form(window, qtbot)
    fill(form, reference="PO-KEEP", postcode="")
    qtbot.keyClick(form, Qt.Key.Key_Escape)
    assert not form.isVisible()
    [draft] = outbox(window).unsent("Sandbox")
    assert draft.fields.customer_reference == "PO-KEEP"
    assert window.tabs.tabText(window.tabs.indexOf(window.outbox_tab)) == "Outbo&x (1)"
    # Edit from the Outbox reopens the same draft, with the same idempotency key.
    window.outbox_tab.view.selectRow(0)
    window.outbox_tab.edit_selected()
    reopened = window.order_forms.forms[-1]
    assert reopened.draft.id == draft.id
    assert reopened.reference_edit.text() == "PO-KEEP"
    assert reopened.draft.idempotency_key == draft.idempotency_key


def test_a_draft_is_open_in_one_form_at_most(window: Any, qtbot: Any) -> None:
    """Opening a draft that a form already shows brings that form back, not a second one."""
    form = new_form(window, qtbot)
    fill(form, reference="PO-ONCE")
    draft = form.save_draft()
    other = new_form(window, qtbot)  # a new order: a form of its own
    assert window.order_forms.open(draft) is form
    assert window.order_forms.forms == [form, other]
    form.reject()  # closed: let go, its draft kept
    assert window.order_forms.forms == [other]
    kept = outbox(window).get(draft.id)
    assert kept is not None
    reopened = window.order_forms.open(kept)
    assert reopened is not form and reopened.draft.id == draft.id
    assert window.order_forms.forms == [other, reopened]


def test_reused_reference_needs_a_second_confirmation(
    window: Any, qtbot: Any, sandbox: SandboxServer
) -> None:
    form = new_form(window, qtbot)
    fill(form, reference="PO-TWICE")
    assert form.review()
    with qtbot.waitSignal(window.ctx.sig_order_created, timeout=WAIT):
        form.place_order()
    second = new_form(window, qtbot)
    fill(second, reference="po-twice")
    assert not second.review()
    assert not second.reference_warning.isHidden()
    assert "already used" in second.reference_warning.text()
    assert second.review()  # the second press confirms


def test_reorder_prefills_from_the_order(window: Any, qtbot: Any, arun: Run) -> None:
    page = arun(window.ctx.client.list_orders(per_page=1))
    order = page.orders[0]
    window.ctx.sig_new_order_requested.emit(order)
    form = window.order_forms.forms[-1]
    assert form.windowTitle() == f"Reorder {order.order_id}"
    assert form.name_edit.text() == order.shipping.name
    assert form.product_id() == order.product_id
    assert form.reference_edit.text() == ""


def test_closing_the_app_mid_submit_leaves_the_draft_in_the_outbox(
    window: Any, qtbot: Any, arun: Run, sandbox: SandboxServer, outbox_path: Path
) -> None:
    form = new_form(window, qtbot)
    fill(form, reference="PO-CRASH")
    assert form.review()
    sandbox.faults.delay_seconds = 2
    form.place_order()
    service = window.services.ordering
    qtbot.waitUntil(
        lambda: service.outbox.in_state("Sandbox", DraftState.SENDING) != [], timeout=WAIT
    )
    window.close()
    arun(window.ctx.tasks.shutdown())  # what app.py's shutdown does
    service.close()
    sandbox.faults.delay_seconds = 0
    # Next start: a new outbox on the same file still has the order, to check and resend.
    with Outbox(outbox_path) as again:
        [draft] = again.unsent("Sandbox")
        assert draft.fields.customer_reference == "PO-CRASH"
        assert draft.state is DraftState.UNKNOWN


def test_dropped_connection_after_commit_recovers_exactly_one_order(
    window: Any, qtbot: Any, arun: Run, sandbox: SandboxServer
) -> None:
    before = sandbox.order_count()
    form = new_form(window, qtbot)
    fill(form, reference="PO-DROP")
    assert form.review()
    sandbox.faults.drop_after_commit()
    with qtbot.waitSignal(window.ctx.sig_order_created, timeout=WAIT):
        form.place_order()  # reconciled: found among the recent orders
    service = window.services.ordering
    arun(service.recover())
    assert sandbox.order_count() == before + 1
    assert service.outbox.unsent("Sandbox") == []


def test_keyboard_order_and_accessible_names(window: Any, qtbot: Any) -> None:
    form = new_form(window, qtbot)
    for widget in (*form.inputs.values(), form.review_button, form.cancel_button):
        assert widget.accessibleName(), widget
    chain = [form.product_combo]
    widget = form.product_combo
    for _ in range(8):
        widget = widget.nextInFocusChain()
        while not widget.focusPolicy() & Qt.FocusPolicy.TabFocus or widget.isHidden():
            widget = widget.nextInFocusChain()
        chain.append(widget)
    assert chain[1] is form.quantity_edit


def test_closing_the_form_while_the_catalogue_loads_is_clean(
    window: Any, qtbot: Any, sandbox: SandboxServer, aloop: Any
) -> None:
    """The form owns its catalogue call: closing it cancels the call and drops the callback."""
    loop_errors: list[dict[str, Any]] = []
    previous = aloop.get_exception_handler()
    aloop.set_exception_handler(lambda _loop, context: loop_errors.append(context))
    sandbox.faults.delay_seconds = 3
    try:
        service = window.services.ordering
        assert not service.products_loaded
        form = window.order_forms.open(None)
        key = f"order-form-products:{id(form)}"
        tasks = window.ctx.tasks
        task = tasks.task(key)
        assert task is not None and not task.done()
        assert tasks.has_callbacks_for(form)
        form.reject()  # Esc: closed, then deleted (deleteLater)
        qtbot.waitUntil(lambda: not shiboken6.isValid(form), timeout=WAIT)
        assert not tasks.is_running(key)
        qtbot.waitUntil(task.done, timeout=WAIT)
        assert task.cancelled()
        qtbot.waitUntil(lambda: tasks.busy_count == 0, timeout=WAIT)
        assert window.order_forms.forms == []
        assert loop_errors == []  # the deleted combo box was never called back
        assert not service.products_loaded
    finally:
        sandbox.faults.delay_seconds = 0
        aloop.set_exception_handler(previous)
