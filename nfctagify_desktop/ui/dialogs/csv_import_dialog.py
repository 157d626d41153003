"""Bulk orders from a CSV file: preview every row with its problems, then import the good ones.

Rows go through the outbox like any order (draft first, stable idempotency key derived from
the file), paced under the account's rate limit, so a long import shows no 429 and a second
import of the same file creates nothing new. Non-modal; file dialogs use ``open()`` (PITFALLS Q5).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Final

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from nfctagify_desktop.api import errors
from nfctagify_desktop.ordering.csv_import import (
    COLUMNS,
    CsvFormatError,
    CsvRow,
    RowResult,
    RowStatus,
    describe_errors,
    import_rows,
    parse_csv,
    write_template,
)
from nfctagify_desktop.ordering.validation import API_FIELD
from nfctagify_desktop.services.container import Services
from nfctagify_desktop.services.context import AppContext
from nfctagify_desktop.services.ordering import OrderingService
from nfctagify_desktop.ui import theme
from nfctagify_desktop.ui.file_dialogs import IMPORT, start_in
from nfctagify_desktop.ui.geometry import fit_on_show
from nfctagify_desktop.ui.models.table import (
    ALIGN_LEFT,
    ALIGN_RIGHT,
    BACKGROUND_ROLE,
    DISPLAY_ROLE,
    FOREGROUND_ROLE,
    TOOLTIP_ROLE,
    Column,
    Index,
    ListTableModel,
    role_colour,
)
from nfctagify_desktop.ui.widgets.banner import ErrorBanner
from nfctagify_desktop.ui.widgets.table_view import TableView

CSV_FILTER: Final = "CSV files (*.csv *.txt);;All files (*)"
_TASK_KEY: Final = "csv-import"

#: Table column -> API field of the error it shows ("" = row-level problems).
_FIELD_COLUMNS: Final[tuple[tuple[str, str, str], ...]] = tuple(
    (c, API_FIELD.get(c, c), c) for c in COLUMNS
)
_TITLES: Final = {
    "product_id": "Product",
    "quantity": "Qty",
    "customer_reference": "Reference",
    "name": "Name",
    "address_line1": "Address 1",
    "address_line2": "Address 2",
    "city": "City",
    "postcode": "Postcode",
    "country": "Country",
    "region": "Region",
}


class PreviewRow:
    """A parsed row and, once imported, what happened to it."""

    __slots__ = ("result", "row")

    def __init__(self, row: CsvRow) -> None:
        self.row = row
        self.result: RowResult | None = None

    def status_text(self) -> str:
        if self.result is not None:
            return result_text(self.result)
        if not self.row.ok:
            return "✗ " + describe_errors(self.row.errors)
        return "Ready"


def result_text(result: RowResult) -> str:
    if result.status is RowStatus.SUBMITTED:
        return f"✓ Created {result.order_id}" + (
            " (found existing)" if result.found_existing else ""
        )
    if result.status is RowStatus.ALREADY_IMPORTED:
        return f"✓ Already imported ({result.order_id})"
    if result.status is RowStatus.INVALID:
        return "✗ Not sent: " + result.message
    if result.status is RowStatus.FAILED:
        return "✗ Failed: " + result.message
    if result.status is RowStatus.UNKNOWN:
        return "? Unknown: " + result.message
    return "Not sent: " + result.message


def _field_column(attr: str, key: str) -> Column:
    def display(p: PreviewRow) -> str:
        return str(getattr(p.row.fields, attr))

    def tip(p: PreviewRow) -> str:
        return p.row.errors.get(key, "")

    return Column(
        _TITLES[attr],
        display,
        align=ALIGN_RIGHT if attr == "quantity" else ALIGN_LEFT,
        tooltip=tip,
        extra=_coloured(lambda p: _cell_role(p, key)),
    )


def _coloured(pick: Callable[[PreviewRow], str | None]) -> dict[int, Callable[[Any], Any]]:
    """Background and text colour of a cell from one colour role (they always go together)."""
    return {
        BACKGROUND_ROLE: lambda p: role_colour(pick(p), BACKGROUND_ROLE),
        FOREGROUND_ROLE: lambda p: role_colour(pick(p), FOREGROUND_ROLE),
    }


def _cell_role(p: PreviewRow, key: str) -> str | None:
    """The cell at fault in strong red, the rest of a row with problems in a light tint."""
    if key in p.row.errors:
        return "cell.error"
    return "row.error" if not p.row.ok else None


def _result_role(p: PreviewRow) -> str | None:
    if p.result is not None:
        if p.result.status in (RowStatus.SUBMITTED, RowStatus.ALREADY_IMPORTED):
            return "row.done"
        if p.result.status is RowStatus.UNKNOWN or p.result.status is RowStatus.NOT_SENT:
            return "row.warning"
        return "cell.error"
    return "cell.error" if not p.row.ok else None


class CsvRowsModel(ListTableModel):
    """One row per CSV data row; a cell with a problem is red and says why in its tooltip."""

    columns = (
        Column(
            "Line",
            lambda p: str(p.row.line),
            sort_key=lambda p: p.row.line,
            align=ALIGN_RIGHT,
            tooltip=lambda p: p.row.errors.get("", ""),
            extra=_coloured(lambda p: _cell_role(p, "")),
        ),
        *(_field_column(attr, key) for attr, key, _ in _FIELD_COLUMNS),
        Column(
            "Result",
            lambda p: p.status_text(),
            tooltip=lambda p: p.status_text(),
            extra=_coloured(_result_role),
        ),
    )
    RESULT_COLUMN: Final = len(COLUMNS) + 1

    def row_data(self, item: PreviewRow, role: int) -> object:
        return role_colour(None if item.row.ok else "row.error", role)

    def data(self, index: Index, role: int = DISPLAY_ROLE) -> object:
        value = super().data(index, role)
        if role == TOOLTIP_ROLE and value == "":
            return None
        return value

    def set_result(self, result: RowResult) -> None:
        row = self.row_of(lambda p: p.row.line == result.line)
        if row < 0:
            return
        self._rows[row].result = result
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.columns) - 1))


class CsvImportDialog(QDialog):
    """Signals:
    sig_loaded(int): a file was parsed (number of data rows).
    sig_import_finished(object): the list of RowResult of an import that ran to the end.
    """

    sig_loaded = Signal(int)
    sig_import_finished = Signal(object)

    def __init__(
        self, ctx: AppContext, service: OrderingService, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.service = service
        self.setObjectName("csvImportDialog")
        self.setWindowTitle("Import orders from CSV")
        self.setAccessibleName("Import orders from CSV")
        self.setModal(False)
        fit_on_show(self, QSize(1100, 560))
        self.path: Path | None = None
        self.rows: list[CsvRow] = []
        self.results: list[RowResult] = []
        self._file_dialog: QFileDialog | None = None

        self.file_label = QLabel("No file chosen")
        self.file_label.setAccessibleName("Chosen file")
        self.file_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.choose_button = QPushButton("&Choose file…")
        self.choose_button.setAccessibleName("Choose a CSV file")
        self.choose_button.clicked.connect(self.choose_file)
        self.template_button = QPushButton("Save &template…")
        self.template_button.setAccessibleName("Save a CSV template")
        self.template_button.setAutoDefault(False)
        self.template_button.clicked.connect(lambda: save_template_dialog(self))
        top = QHBoxLayout()
        top.addWidget(self.choose_button)
        top.addWidget(self.file_label, 1)
        top.addWidget(self.template_button)
        help_label = QLabel(
            "Columns (header row first): "
            + ", ".join(COLUMNS)
            + ". customer_reference and address_line2 may be empty. Rows with problems are "
            "highlighted; hover a red cell to see why. Importing the same file again is safe."
        )
        help_label.setWordWrap(True)
        theme.use(help_label, "hint")

        self.banner = ErrorBanner()
        self.model = CsvRowsModel(self)
        self.view = TableView("csvPreviewTable")
        self.view.setModel(self.model)
        self.view.setAccessibleName("Rows of the file")
        self.view.setSortingEnabled(False)
        self.counts_label = QLabel("")
        self.counts_label.setAccessibleName("Row counts")
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Import progress")
        self.progress.setFormat("%v of %m rows")
        self.progress.hide()

        self.import_button = QPushButton("&Import valid rows")
        self.import_button.setAccessibleName("Import the valid rows")
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.start_import)
        self.cancel_button = QPushButton("Cancel import")
        self.cancel_button.setAccessibleName("Cancel the import (rows not sent stay as drafts)")
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel_import)
        self.close_button = QPushButton("Close")
        self.close_button.setAccessibleName("Close")
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.counts_label, 1)
        bottom.addWidget(self.progress, 1)
        bottom.addWidget(self.import_button)
        bottom.addWidget(self.cancel_button)
        bottom.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(help_label)
        layout.addWidget(self.banner)
        layout.addWidget(self.view, 1)
        layout.addLayout(bottom)
        for first, second in (
            (self.choose_button, self.template_button),
            (self.template_button, self.view),
            (self.view, self.import_button),
            (self.import_button, self.cancel_button),
            (self.cancel_button, self.close_button),
        ):
            QWidget.setTabOrder(first, second)

    # -- file --------------------------------------------------------------------------------

    def choose_file(self) -> None:
        dialog = start_in(QFileDialog(self, "Choose a CSV file of orders", "", CSV_FILTER), IMPORT)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
        dialog.fileSelected.connect(lambda path: self.load_file(Path(path)))
        self._file_dialog = dialog
        dialog.open()  # never exec() (PITFALLS Q5)

    def load_file(self, path: Path) -> None:
        """Parse ``path`` (after loading the catalogue, to check product ids and minimums)."""
        self.path = path
        self.file_label.setText(str(path))
        self.counts_label.setText("Reading…")
        self.banner.clear()
        self.ctx.run(
            "csv-products",
            self.service.load_products(),
            lambda _p: self._parse(),
            lambda _e: self._parse(),
        )

    def _parse(self) -> None:
        if self.path is None:
            return
        products = self.service.products if self.service.products_loaded else None
        try:
            rows = parse_csv(self.path, products)
        except (CsvFormatError, OSError) as exc:
            self.rows = []
            self.model.set_rows([])
            self.counts_label.setText("")
            self.import_button.setEnabled(False)
            message = str(exc) if isinstance(exc, CsvFormatError) else f"Cannot read: {exc}"
            self.banner.show_error(errors.ApiError(message, code="CSV"))
            self.sig_loaded.emit(0)
            return
        self.rows = rows
        self.results = []
        self.model.set_rows([PreviewRow(r) for r in rows])
        self.view.resizeColumnsToContents()
        self._update_counts()
        if products is None:
            self.counts_label.setText(
                self.counts_label.text() + " (catalogue not loaded: product ids not checked)"
            )
        self.sig_loaded.emit(len(rows))

    def valid_rows(self) -> list[CsvRow]:
        return [r for r in self.rows if r.ok]

    def _update_counts(self) -> None:
        good = len(self.valid_rows())
        bad = len(self.rows) - good
        text = f"{good} valid, {bad} with errors" if self.rows else "The file has no data rows"
        self.counts_label.setText(text)
        self.import_button.setEnabled(good > 0 and not self.importing)

    # -- import ------------------------------------------------------------------------------

    @property
    def importing(self) -> bool:
        return self.ctx.tasks.is_running(_TASK_KEY)

    def start_import(self) -> None:
        if self.importing or self.path is None or not self.valid_rows():
            return
        self.banner.clear()
        for preview in self.model.rows:
            preview.result = None
        self.progress.setRange(0, len(self.rows))
        self.progress.setValue(0)
        self.progress.show()
        self.import_button.setEnabled(False)
        self.choose_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.cancel_button.setFocus()
        self.ctx.status(f"Importing {len(self.valid_rows())} orders…", 5000)
        self.ctx.run(
            _TASK_KEY,
            import_rows(
                self.rows,
                self.service.submitter,
                self.service.outbox,
                self.service.pacer,
                self.service.profile,
                self.path.name,
                self._progress,
            ),
            self._finished,
            self._failed,
        )
        self.service.sig_drafts_changed.emit()

    def _progress(self, done: int, total: int, result: RowResult) -> None:
        self.progress.setMaximum(total)
        self.progress.setValue(done)
        self.model.set_result(result)

    def _finished(self, results: list[RowResult]) -> None:
        self.results = results
        for result in results:
            self.model.set_result(result)
        self._end_import()
        counts = summarize(results)
        self.counts_label.setText(counts)
        self.ctx.status(f"CSV import finished: {counts}", 10000)
        if any(r.status is RowStatus.SUBMITTED for r in results):
            self.ctx.sig_orders_changed.emit()
        self.sig_import_finished.emit(results)

    def _failed(self, exc: BaseException) -> None:
        self._end_import()
        self.banner.show_error(exc)

    def cancel_import(self) -> None:
        if not self.importing:
            return
        self.ctx.tasks.cancel(_TASK_KEY)
        self._end_import()
        self.counts_label.setText(
            "Import cancelled: rows not sent yet are kept as drafts in the Outbox"
        )

    def _end_import(self) -> None:
        self.cancel_button.setEnabled(False)
        self.choose_button.setEnabled(True)
        self.import_button.setEnabled(bool(self.valid_rows()))
        self.service.sig_drafts_changed.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self.importing:
            self.cancel_import()
            return
        super().keyPressEvent(event)


def summarize(results: list[RowResult]) -> str:
    counts = {status: 0 for status in RowStatus}
    for r in results:
        counts[r.status] += 1
    parts = [
        f"{counts[RowStatus.SUBMITTED]} created",
        f"{counts[RowStatus.ALREADY_IMPORTED]} already imported",
    ]
    for status, label in (
        (RowStatus.INVALID, "with errors (not sent)"),
        (RowStatus.FAILED, "refused"),
        (RowStatus.UNKNOWN, "unknown (in the Outbox)"),
        (RowStatus.NOT_SENT, "not sent (in the Outbox)"),
    ):
        if counts[status]:
            parts.append(f"{counts[status]} {label}")
    return ", ".join(parts)


def save_template_dialog(
    parent: QWidget, on_saved: Callable[[Path], None] | None = None
) -> QFileDialog:
    """Ask where to save the CSV template (non-blocking) and write it there."""
    dialog = QFileDialog(parent, "Save CSV template", "", CSV_FILTER)
    start_in(dialog, IMPORT, "orders-template.csv")
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setDefaultSuffix("csv")

    def chosen(path: str) -> None:
        target = Path(path)
        try:
            write_template(target)
        except OSError as exc:
            if isinstance(parent, CsvImportDialog):
                parent.banner.show_error(errors.ApiError(f"Could not save: {exc}"))
            return
        if on_saved is not None:
            on_saved(target)

    dialog.fileSelected.connect(chosen)
    dialog.finished.connect(lambda _c: dialog.deleteLater())
    dialog.open()
    return dialog


def open_csv_import(services: Services, parent: QWidget | None = None) -> CsvImportDialog:
    """Show the (single, non-modal) CSV import dialog of these services."""
    for existing in QApplication.topLevelWidgets():
        if isinstance(existing, CsvImportDialog) and existing.service is services.ordering:
            existing.show()
            existing.raise_()
            existing.activateWindow()
            return existing
    dialog = CsvImportDialog(services.ctx, services.ordering, parent)
    dialog.show()
    return dialog


__all__ = [
    "CsvImportDialog",
    "CsvRowsModel",
    "open_csv_import",
    "result_text",
    "save_template_dialog",
    "summarize",
]
