"""The import dialog on real widgets against the sandbox: preview, mapping, confirm, send."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from nfctagify_desktop.ordering.bulk import Outcome, Summary, Verdict
from nfctagify_desktop.ordering.outbox import Outbox
from nfctagify_desktop.sandbox.server import SandboxServer
from nfctagify_desktop.ui.dialogs.bulk_import import BulkImportDialog, open_bulk_import
from nfctagify_desktop.ui.models.table import BACKGROUND_ROLE, TOOLTIP_ROLE
from tests import bulk_corpus as corpus

WAIT = 20_000
Run = Callable[..., Any]


@pytest.fixture
def services(
    qtbot: Any, aloop: Any, arun: Run, sandbox: SandboxServer, tmp_path: Path
) -> Iterator[Any]:
    from nfctagify_desktop.services.connection import connect
    from nfctagify_desktop.services.container import build_services
    from nfctagify_desktop.store.settings import sandbox_profile

    connection = arun(connect(sandbox_profile(), sandbox=sandbox))
    built = build_services(connection, outbox=Outbox(tmp_path / "outbox.sqlite3"))
    yield built
    arun(built.aclose())
    arun(connection.client.aclose())


def excel_file(tmp_path: Path) -> Path:
    """cp1252 with semicolons, a misspelt column, one bad row."""
    headers = [*corpus.HEADERS, "Notes", "Quantiy"]
    rows = [[*r, "", ""] for r in corpus.ROWS]
    rows.append(["prod_standard", "ten", "PO-9", "Al", "1 Road", "", "Leeds", "LS1 4AP", "GB",
                 "", ""])  # fmt: skip
    path = tmp_path / "Bestellungen.csv"
    text = "\r\n".join(";".join(r) for r in [headers, *rows]) + "\r\n"
    path.write_bytes(text.encode("cp1252"))
    return path


def load(services: Any, qtbot: Any, path: Path, **kw: Any) -> BulkImportDialog:
    dialog = open_bulk_import(services)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.sig_checked, timeout=WAIT):
        dialog.load_file(path, **kw)
    return dialog


def test_preview_mapping_and_problems(services: Any, qtbot: Any, qtmodeltester: Any,
                                      tmp_path: Path) -> None:  # fmt: skip
    dialog = load(services, qtbot, excel_file(tmp_path))
    qtmodeltester.check(dialog.model)
    assert dialog.encoding_combo.isVisibleTo(dialog)
    assert dialog.encoding_combo.currentData() == "cp1252"
    assert "Windows-1252 (Western) (detected) · semicolon-separated" in dialog.info_label.text()
    notes = [n.text() for n in dialog.mapping_editor.notes]
    assert notes[-2:] == ["ignored", "ignored: did you mean Quantity?"]
    # Each field chosen is readable whole in its combo ("Customer reference", not "Customer refer").
    for combo in dialog.mapping_editor.combos:
        wanted = combo.fontMetrics().horizontalAdvance(combo.currentText())
        assert combo.minimumSizeHint().width() > wanted, combo.currentText()
    assert dialog.model.rowCount() == 4
    assert dialog.check_panel.counts.text().startswith("3 ready to send · 1 with problems")
    col = dialog.model.FIELD_COLUMNS
    bad = dialog.model.index(3, col["quantity"])
    assert dialog.model.data(bad) == "ten"
    assert dialog.model.data(bad, TOOLTIP_ROLE) == "Quantity must be a whole number"
    assert dialog.model.data(bad, BACKGROUND_ROLE) is not None
    assert (
        dialog.model.data(dialog.model.index(1, col["product_id"])) == "prod_standard"
    )  # named by its name
    assert dialog.model.data(dialog.model.index(0, col["name"])) == "Zoë Brontë"

    # Unmapping the quantity column makes every row lack it; mapping it back restores them.
    with qtbot.waitSignal(dialog.sig_checked, timeout=WAIT):
        dialog.mapping_editor.choose(1, None)
    assert dialog.model.counts()[Verdict.INVALID] == 4
    assert "Quantity" in dialog.mapping_editor.missing_label.text()
    with qtbot.waitSignal(dialog.sig_checked, timeout=WAIT):
        dialog.mapping_editor.choose(1, "quantity")
    assert dialog.model.counts()[Verdict.READY] == 3

    # Choosing another encoding re-reads the file: é and £ are not UTF-8, and the rows say so.
    dialog.encoding_combo.setCurrentIndex(dialog.encoding_combo.findData("utf-8"))
    with qtbot.waitSignal(dialog.sig_checked, timeout=WAIT):
        dialog.encoding_combo.activated.emit(dialog.encoding_combo.currentIndex())
    assert dialog.model.counts()[Verdict.INVALID] >= 2

    saved = tmp_path / "rejects.csv"
    assert dialog.write_rejected(saved) >= 2
    with saved.open(encoding="utf-8-sig", newline="") as fh:
        assert next(csv.reader(fh))[-1] == "Problem"


def test_a_file_without_a_country_column_says_where_rows_ship(
    services: Any, qtbot: Any, tmp_path: Path
) -> None:
    path = tmp_path / "no-country.csv"
    path.write_text(
        "Product,Qty,Name,Address 1,Town,Post Code\n"
        "prod_standard,50,Ann Lee,1 High St,Leeds,LS1 4AP\n",
        encoding="utf-8",
    )
    dialog = load(services, qtbot, path)
    note = dialog.mapping_editor.missing_label
    assert note.isVisibleTo(dialog)
    assert note.text() == "No Country column: every row ships to the United Kingdom (GB)."
    assert dialog.model.data(dialog.model.index(0, dialog.model.FIELD_COLUMNS["country"])) == "GB"
    # A file that names the country says nothing of it.
    assert (
        "Country"
        not in load(services, qtbot, excel_file(tmp_path)).mapping_editor.missing_label.text()
    )


def test_confirm_send_and_reimport(services: Any, qtbot: Any, sandbox: SandboxServer,
                                   tmp_path: Path) -> None:  # fmt: skip
    path = excel_file(tmp_path)
    dialog = load(services, qtbot, path)
    before = sandbox.order_count()
    dialog.check_panel.review_button.click()
    assert dialog.stack.currentWidget() is dialog.confirm_panel
    assert dialog.confirm_panel.title.text() == "Send 3 order(s) to Sandbox?"
    details = dialog.confirm_panel.details.text()
    assert "Total at your prices: £" in details and "(at standard prices: £" in details
    assert "Sending takes about" in details
    assert sandbox.order_count() == before  # nothing sent before confirming

    with qtbot.waitSignal(dialog.sig_finished, timeout=WAIT) as blocker:
        dialog.confirm_panel.send_button.click()
    summary: Summary = blocker.args[0]
    assert summary.count(Outcome.PLACED) == 3 and summary.count(Outcome.INVALID) == 1
    assert sandbox.order_count() == before + 3
    assert dialog.stack.currentWidget() is dialog.done_panel
    assert "3 order(s) placed" in dialog.done_panel.summary.text()
    assert dialog.done_panel.rejects_button.isEnabled()
    status = dialog.model.index(0, dialog.model.STATUS_COLUMN)
    assert dialog.model.data(status).startswith("✓ Placed ord_")
    assert dialog.write_rejected(tmp_path / "r.csv") == 1

    again = load(services, qtbot, path)
    assert again is dialog  # one dialog per window
    assert dialog.model.counts()[Verdict.PLACED] == 3
    assert not dialog.check_panel.review_button.isEnabled()  # nothing left to send
    assert sandbox.order_count() == before + 3


def test_unreadable_file_shows_one_message(services: Any, qtbot: Any, tmp_path: Path) -> None:
    path = tmp_path / "photo.csv"
    path.write_bytes(bytes(range(256)) * 64)
    dialog = open_bulk_import(services)
    qtbot.addWidget(dialog)
    dialog.load_file(path)
    qtbot.waitUntil(lambda: dialog.banner.isVisibleTo(dialog), timeout=WAIT)
    assert "binary data" in dialog.banner.text
    assert dialog.model.rowCount() == 0


def test_spreadsheet_sheet_choice(services: Any, qtbot: Any, tmp_path: Path) -> None:
    path = tmp_path / "orders.xlsx"
    path.write_bytes(corpus.xlsx_floats_extra_column())
    dialog = load(services, qtbot, path)
    assert dialog.sheet_combo.isVisibleTo(dialog) and not dialog.encoding_combo.isVisibleTo(dialog)
    assert [dialog.sheet_combo.itemText(i) for i in range(2)] == ["Orders", "Archive"]
    assert dialog.model.rowCount() == 3
    dialog.sheet_combo.setCurrentIndex(1)
    with qtbot.waitSignal(dialog.sig_checked, timeout=WAIT):
        dialog.sheet_combo.activated.emit(1)
    assert dialog.model.rowCount() == 1 and "Archive" in dialog.info_label.text()


def test_repeat_of_a_cached_order_is_held_back_unless_allowed(
    services: Any, qtbot: Any, arun: Run, tmp_path: Path
) -> None:
    from nfctagify_desktop.ordering.validation import OrderFields, to_order_create

    row = corpus.ROWS[0]
    fields = OrderFields(
        product_id=row[0],
        quantity=row[1],
        customer_reference=row[2],
        name=row[3],
        address_line1=row[4],
        city=row[6],
        postcode=row[7],
    )
    placed = arun(services.ctx.client.create_order(to_order_create(fields)))
    services.order_sync.ingest([placed])  # as the Orders tab does with what it fetches

    dialog = load(services, qtbot, excel_file(tmp_path))
    first = dialog.model.rows[0]
    assert first.row.verdict is Verdict.INVALID
    assert f"repeat of order {placed.order_id}" in first.status()
    with qtbot.waitSignal(dialog.sig_checked, timeout=WAIT):
        dialog.check_panel.repeats.setChecked(True)
    assert dialog.model.rows[0].row.verdict is Verdict.READY
    assert "repeat" in dialog.model.rows[0].status()
