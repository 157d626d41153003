"""The Outbox never wedges: what cannot be sent says why and stays editable; failures show."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from nfctagify_desktop.ordering.outbox import Draft, DraftState, Outbox
from nfctagify_desktop.sandbox.server import SandboxServer
from nfctagify_desktop.ui.tabs.outbox_tab import STATE_LABELS
from tests import test_ui_outbox as outbox_tests
from tests.test_ui_outbox import PROFILE, WAIT, fields, seed

# The same fixtures as the Outbox's other tests: an outbox file, then the window on it.
outbox_path = outbox_tests.outbox_path
make_window = outbox_tests.make_window


def column(tab: Any, title: str) -> int:
    model = tab.model
    horizontal = Qt.Orientation.Horizontal
    return next(c for c in range(model.columnCount()) if model.headerData(c, horizontal) == title)


def cell(tab: Any, row: int, title: str) -> str:
    return str(tab.model.index(row, column(tab, title)).data())


def test_a_draft_without_a_product_explains_itself_and_stays_editable(
    make_window: Callable[[], Any], qtbot: Any, outbox_path: Path, sandbox: SandboxServer
) -> None:
    draft = Draft(profile=PROFILE, fields=fields(product_id=""))
    seed(outbox_path, draft)
    window = make_window()
    tab = window.outbox_tab
    tab.view.selectRow(0)
    # Before any attempt: the row says it cannot be sent, and why.
    assert cell(tab, 0, "State") == "Incomplete"
    assert cell(tab, 0, "Product") == "(no product)"
    assert cell(tab, 0, "Problem") == "Choose a product"
    assert "Choose a product" in tab.note.text()
    assert tab.summary.text() == "1 unsent, 1 incomplete"
    before = sandbox.order_count()
    tab.send_selected()
    qtbot.waitUntil(lambda: not window.services.ordering.is_sending(draft.id), timeout=WAIT)
    qtbot.waitUntil(lambda: tab.edit_button.isEnabled(), timeout=WAIT)
    # Never left "Sending…": editable, sendable, discardable, and it says why in row and bar.
    assert cell(tab, 0, "State") == "Incomplete"
    assert cell(tab, 0, "Problem") == "Choose a product"
    assert tab.send_button.isEnabled() and tab.discard_button.isEnabled()
    assert "Choose a product" in window.statusBar().currentMessage()
    # Checked here, not refused by the server: the summary does not call it refused.
    assert tab.summary.text() == "1 unsent, 1 incomplete"
    assert sandbox.order_count() == before
    tab.edit_selected()
    form = window.order_forms.forms[-1]
    assert form.draft.id == draft.id
    assert form.error_labels["product_id"].text() == "Choose a product"


def test_a_send_failure_shows_in_its_row_and_the_status_bar(
    make_window: Callable[[], Any], qtbot: Any, outbox_path: Path, sandbox: SandboxServer
) -> None:
    draft = Draft(profile=PROFILE, fields=fields(product_id="prod_premium_metal", quantity="3"))
    seed(outbox_path, draft)
    window = make_window()
    tab = window.outbox_tab
    tab.view.selectRow(0)
    tab.send_selected()
    qtbot.waitUntil(lambda: cell(tab, 0, "State") == "Refused", timeout=WAIT)
    assert "at least 10" in cell(tab, 0, "Problem")
    assert "at least 10" in window.statusBar().currentMessage()
    assert tab.edit_button.isEnabled()
    # A failure with no answer at all (the server is down) shows the same way.
    with Outbox(outbox_path) as box:
        box.save(
            box.get(draft.id).with_fields(fields(product_id="prod_premium_metal", quantity="10"))
        )  # type: ignore[union-attr]
    sandbox.faults.fail_next(503, "UNAVAILABLE", method="POST", count=2)
    tab.reload()
    tab.view.selectRow(0)
    tab.send_selected()
    unknown = STATE_LABELS[DraftState.UNKNOWN]
    qtbot.waitUntil(lambda: cell(tab, 0, "State") == unknown, timeout=WAIT)
    assert "may or may not have been placed" in cell(tab, 0, "Problem")
    assert "Not placed" in window.statusBar().currentMessage()
    assert tab.send_button.isEnabled()
    service = window.services.ordering
    assert service.outbox.get(draft.id).state is DraftState.UNKNOWN  # type: ignore[union-attr]


def test_an_unknown_outcome_is_checked_by_itself(
    make_window: Callable[[], Any], qtbot: Any, outbox_path: Path, sandbox: SandboxServer
) -> None:
    """ "Will be checked": a little later the app resends with the same key, by itself."""
    draft = Draft(profile=PROFILE, fields=fields(customer_reference="PO-AUTO-CHECK"))
    seed(outbox_path, draft)
    window = make_window()
    service = window.services.ordering
    service.check_delays = (0.05, 0.05)
    tab = window.outbox_tab
    before = sandbox.order_count()
    sandbox.faults.drop_after_commit()  # placed, but the answer is lost…
    sandbox.faults.fail_next(503, "UNAVAILABLE", method="POST")  # …and so is the first check
    tab.view.selectRow(0)
    with qtbot.waitSignal(window.ctx.sig_order_created, timeout=WAIT) as placed:
        tab.send_selected()
    assert placed.args[0].customer_reference == "PO-AUTO-CHECK"
    qtbot.waitUntil(lambda: tab.model.rowCount() == 0, timeout=WAIT)
    assert sandbox.order_count() == before + 1
    assert service.outbox.get(draft.id).state is DraftState.SUBMITTED  # type: ignore[union-attr]


def test_editing_an_incomplete_draft_points_at_what_is_missing(
    make_window: Callable[[], Any], qtbot: Any, outbox_path: Path
) -> None:
    draft = Draft(profile=PROFILE, fields=fields(postcode="Leeds"))
    seed(outbox_path, draft)
    window = make_window()
    tab = window.outbox_tab
    tab.view.selectRow(0)
    assert cell(tab, 0, "State") == "Incomplete"
    tab.edit_selected()
    form = window.order_forms.forms[-1]
    qtbot.waitUntil(form.isVisible)
    # Before any Review: the message is under the postcode, and the keys are there.
    assert "postcode" in form.error_labels["shipping.postcode"].text().lower()
    assert form.error_labels["shipping.postcode"].isVisible()
    assert form.focusWidget() is form.postcode_edit
    form.hide()


def test_a_draft_with_several_problems_says_how_many(
    make_window: Callable[[], Any], qtbot: Any, outbox_path: Path
) -> None:
    draft = Draft(profile=PROFILE, fields=fields(name="", postcode="Leeds"))
    seed(outbox_path, draft)
    window = make_window()
    tab = window.outbox_tab
    tab.view.selectRow(0)
    assert cell(tab, 0, "State") == "Incomplete"
    assert cell(tab, 0, "Problem").endswith("(and 1 more)")
    assert "(and 1 more)" in tab.note.text()
