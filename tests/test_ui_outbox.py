"""The Outbox tab: unsent drafts listed, sent, discarded, and recovered on start-up."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox

from nfctagify_desktop.ordering.outbox import Draft, DraftState, Outbox
from nfctagify_desktop.ordering.validation import OrderFields, to_order_create
from nfctagify_desktop.sandbox.server import SandboxServer

WAIT = 10_000
Run = Callable[..., Any]
PROFILE = "Sandbox"


def fields(**kw: str) -> OrderFields:
    base = {
        "product_id": "prod_standard",
        "quantity": "25",
        "customer_reference": "PO-OUT-1",
        "name": "Jane Smith",
        "address_line1": "12 Example Street",
        "city": "London",
        "postcode": "EC1A 1BB",
        "country": "GB",
    }
    return OrderFields(**{**base, **kw})


@pytest.fixture
def outbox_path(tmp_path: Path) -> Path:
    return tmp_path / "outbox.sqlite3"


@pytest.fixture
def make_window(
    qtbot: Any, aloop: Any, arun: Run, sandbox: SandboxServer, outbox_path: Path
) -> Iterator[Callable[[], Any]]:
    """Build the window as app.py does (outbox first), on demand, so a test can seed the file."""
    from nfctagify_desktop.services.connection import connect
    from nfctagify_desktop.services.container import build_services
    from nfctagify_desktop.store.settings import sandbox_profile
    from nfctagify_desktop.ui.main_window import MainWindow

    made: list[Any] = []

    def make() -> Any:
        connection = arun(connect(sandbox_profile(), sandbox=sandbox))
        win = MainWindow(build_services(connection, outbox=Outbox(outbox_path)))
        qtbot.addWidget(win)
        win.show()
        made.append(win)
        return win

    yield make
    for win in made:
        arun(win.services.aclose())
        arun(win.ctx.connection.client.aclose())


def seed(outbox_path: Path, *drafts: Draft) -> None:
    with Outbox(outbox_path) as box:
        for d in drafts:
            box.save(d)


def test_unsent_drafts_listed_with_count_and_sent(
    make_window: Callable[[], Any],
    qtbot: Any,
    qtmodeltester: Any,
    sandbox: SandboxServer,
    outbox_path: Path,
) -> None:
    seed(
        outbox_path,
        Draft(profile=PROFILE, fields=fields()),
        Draft(profile=PROFILE, fields=fields(customer_reference="PO-OUT-2", name="Bob")),
    )
    window = make_window()
    tab = window.outbox_tab
    assert tab.model.rowCount() == 2
    qtmodeltester.check(tab.model)
    assert window.tabs.tabText(window.tabs.indexOf(tab)) == "Outbo&x (2)"
    assert window.tabs.indexOf(tab) == window.tabs.indexOf(window.orders_tab) + 1
    before = sandbox.order_count()
    with qtbot.waitSignal(window.ctx.sig_order_created, timeout=WAIT):
        tab.view.selectRow(0)
        tab.send_selected()
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1, timeout=WAIT)
    assert window.tabs.tabText(window.tabs.indexOf(tab)) == "Outbo&x (1)"
    tab.send_all()
    qtbot.waitUntil(lambda: tab.model.rowCount() == 0, timeout=WAIT)
    assert sandbox.order_count() == before + 2
    assert window.tabs.tabText(window.tabs.indexOf(tab)) == "Outbo&x"


def test_discard_asks_first(make_window: Callable[[], Any], qtbot: Any, outbox_path: Path) -> None:
    seed(outbox_path, Draft(profile=PROFILE, fields=fields()))
    window = make_window()
    tab = window.outbox_tab
    tab.view.selectRow(0)
    tab.discard_selected()
    box = tab._confirm
    assert isinstance(box, QMessageBox) and box.isVisible()
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert tab.model.rowCount() == 1
    tab.discard_selected()
    tab._confirm.button(QMessageBox.StandardButton.Discard).click()
    qtbot.waitUntil(lambda: tab.model.rowCount() == 0, timeout=WAIT)


def test_failed_draft_explained_and_editable(
    make_window: Callable[[], Any], qtbot: Any, outbox_path: Path
) -> None:
    draft = Draft(profile=PROFILE, fields=fields())
    seed(outbox_path, draft)
    with Outbox(outbox_path) as box:
        box.mark_failed(
            draft.id,
            "shipping.postcode is not deliverable",
            "VALIDATION_ERROR",
            "shipping.postcode",
        )
    window = make_window()
    tab = window.outbox_tab
    tab.view.selectRow(0)
    assert "Refused" in tab.note.text()
    tab.edit_selected()
    form = window.order_forms.forms[-1]
    assert form.draft.id == draft.id
    assert "not deliverable" in form.error_labels["shipping.postcode"].text()


def test_startup_recovers_an_interrupted_send(
    make_window: Callable[[], Any],
    qtbot: Any,
    arun: Run,
    sandbox: SandboxServer,
    outbox_path: Path,
) -> None:
    """A crash with two orders in flight, one landed: on start both are checked by their own
    idempotency key, so the landed one comes back and the other is placed, once each."""
    from nfctagify_desktop.api.client import PartnerClient

    placed = Draft(profile=PROFILE, fields=fields(customer_reference="PO-LANDED"))
    lost = Draft(profile=PROFILE, fields=fields(customer_reference="PO-NEVER-SENT"))
    seed(outbox_path, placed, lost)
    with Outbox(outbox_path) as box:
        box.mark_sending(placed.id)
        box.mark_sending(lost.id)

    async def post() -> None:
        async with PartnerClient(sandbox.base_url, sandbox.demo_api_key) as client:
            await client.create_order(
                to_order_create(placed.fields), idempotency_key=placed.idempotency_key
            )

    arun(post())
    before = sandbox.order_count()
    window = make_window()
    tab = window.outbox_tab
    # Opening the outbox turned both into "unknown": listed, explained.
    assert {d.state for d in tab.model.rows} == {DraftState.UNKNOWN}
    tab.view.selectRow(0)
    assert "check" in tab.note.text().lower() or "look for" in tab.note.text()
    window.services.ordering.start_recovery()
    qtbot.waitUntil(lambda: tab.model.rowCount() == 0, timeout=WAIT)
    with Outbox(outbox_path) as box:
        got = {d.id: d for d in box.in_state(PROFILE, DraftState.SUBMITTED)}
    assert set(got) == {placed.id, lost.id}
    assert got[placed.id].order_id != got[lost.id].order_id
    assert sandbox.order_count() == before + 1


def test_a_send_that_fails_outright_is_reported_in_the_status_bar(
    make_window: Callable[[], Any], qtbot: Any, outbox_path: Path, sandbox: SandboxServer
) -> None:
    """Not only in the log: the user sees why nothing happened."""
    draft = Draft(profile=PROFILE, fields=fields())
    seed(outbox_path, draft)
    window = make_window()
    tab = window.outbox_tab
    assert tab.model.rowCount() == 1
    with Outbox(outbox_path) as other:  # e.g. a second window discarded it meanwhile
        other.discard(draft.id)
    before = sandbox.order_count()
    tab.view.selectRow(0)
    tab.send_selected()
    qtbot.waitUntil(lambda: draft.id in window.statusBar().currentMessage(), timeout=WAIT)
    assert sandbox.order_count() == before
