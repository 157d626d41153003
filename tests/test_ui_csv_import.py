"""CSV import dialog against the sandbox: preview, import the good rows, re-import is a no-op."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from nfctagify_desktop.ordering.csv_import import TEMPLATE_CSV, RowStatus
from nfctagify_desktop.ordering.outbox import Outbox
from nfctagify_desktop.sandbox.server import SandboxServer
from nfctagify_desktop.ui.dialogs.csv_import_dialog import (
    CsvImportDialog,
    CsvRowsModel,
    open_csv_import,
)
from nfctagify_desktop.ui.models.table import BACKGROUND_ROLE, TOOLTIP_ROLE

WAIT = 20_000
Run = Callable[..., Any]

CSV = (
    "product_id,quantity,customer_reference,name,address_line1,address_line2,city,postcode,country\n"
    "prod_standard,50,PO-C1,Jane Smith,12 Example Street,,London,EC1A 1BB,GB\n"
    "prod_standard,20,PO-C2,Acme Ltd,Unit 4,Mill Lane,Manchester,M1 1AE,GB\n"
    "prod_standard,30,PO-C3,,1 High St,,Leeds,NOPE,GB\n"
    "prod_nope,30,PO-C4,Bob,1 High St,,Leeds,LS1 1AA,GB\n"
    "prod_standard,10,PO-C5,Anne,2 Rue X,,Paris,75001,FR\n"
)


@pytest.fixture
def ctx(qtbot: Any, aloop: Any, arun: Run, sandbox: SandboxServer, tmp_path: Path) -> Iterator[Any]:
    from nfctagify_desktop.services.connection import connect
    from nfctagify_desktop.services.container import build_services
    from nfctagify_desktop.store.settings import sandbox_profile

    connection = arun(connect(sandbox_profile(), sandbox=sandbox))
    services = build_services(connection, outbox=Outbox(tmp_path / "outbox.sqlite3"))
    yield services
    arun(services.aclose())
    arun(connection.client.aclose())


def load(ctx: Any, qtbot: Any, path: Path) -> CsvImportDialog:
    dialog = open_csv_import(ctx)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.sig_loaded, timeout=WAIT):
        dialog.load_file(path)
    return dialog


def test_preview_import_and_reimport(
    ctx: Any, qtbot: Any, qtmodeltester: Any, sandbox: SandboxServer, tmp_path: Path
) -> None:
    path = tmp_path / "orders.csv"
    path.write_text(CSV, encoding="utf-8")
    dialog = load(ctx, qtbot, path)
    model = dialog.model
    assert isinstance(model, CsvRowsModel)
    qtmodeltester.check(model)
    assert model.rowCount() == 5
    assert dialog.counts_label.text().startswith("3 valid, 2 with errors")
    # Row 3 (line 4): empty name and a bad postcode, highlighted per cell with the message.
    name_col = 1 + 3
    postcode_col = 1 + 7
    bad = model.index(2, postcode_col)
    assert model.data(bad, BACKGROUND_ROLE) is not None
    assert "postcode for United Kingdom" in model.data(bad, TOOLTIP_ROLE)
    assert "required" in model.data(model.index(2, name_col), TOOLTIP_ROLE)
    assert "Unknown product" in model.data(model.index(3, 1), TOOLTIP_ROLE)
    assert model.data(model.index(0, postcode_col), TOOLTIP_ROLE) is None

    before = sandbox.order_count()
    with (
        qtbot.waitSignal(ctx.ctx.sig_orders_changed, timeout=WAIT),  # the Orders tab reloads
        qtbot.waitSignal(dialog.sig_import_finished, timeout=WAIT) as finished,
    ):
        dialog.import_button.click()
    results = finished.args[0]
    statuses = [r.status for r in results]
    assert statuses.count(RowStatus.SUBMITTED) == 3
    assert statuses.count(RowStatus.INVALID) == 2
    assert sandbox.order_count() == before + 3
    assert dialog.progress.value() == dialog.progress.maximum() == 5
    result_col = CsvRowsModel.RESULT_COLUMN
    assert model.data(model.index(0, result_col)).startswith("✓ Created ord_")
    assert model.data(model.index(2, result_col)).startswith("✗")
    assert "3 created" in dialog.counts_label.text()

    # Same file again: nothing new.
    with qtbot.waitSignal(dialog.sig_loaded, timeout=WAIT):
        dialog.load_file(path)
    with (
        qtbot.assertNotEmitted(ctx.ctx.sig_orders_changed),  # nothing new: no reload
        qtbot.waitSignal(dialog.sig_import_finished, timeout=WAIT) as again,
    ):
        dialog.import_button.click()
    assert [r.status for r in again.args[0]].count(RowStatus.ALREADY_IMPORTED) == 3
    assert sandbox.order_count() == before + 3
    assert model.data(model.index(0, result_col)).startswith("✓ Already imported")


def test_bad_header_is_reported_not_raised(ctx: Any, qtbot: Any, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("product,qty\nx,1\n", encoding="utf-8")
    dialog = load(ctx, qtbot, path)
    assert dialog.model.rowCount() == 0
    assert "Unknown column" in dialog.banner.text
    assert not dialog.import_button.isEnabled()


def test_template_is_written(ctx: Any, qtbot: Any, tmp_path: Path) -> None:
    from nfctagify_desktop.ui.dialogs.csv_import_dialog import save_template_dialog

    dialog = open_csv_import(ctx)
    qtbot.addWidget(dialog)
    target = tmp_path / "template.csv"
    saved: list[Path] = []
    file_dialog = save_template_dialog(dialog, saved.append)
    file_dialog.fileSelected.emit(str(target))
    file_dialog.reject()
    assert saved == [target]
    assert target.read_text(encoding="utf-8-sig") == TEMPLATE_CSV
