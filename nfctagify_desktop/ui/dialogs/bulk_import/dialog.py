"""Import orders from a file: choose, check the mapping and every row, confirm the total, send.

Non-modal and single per window. The preview stays visible throughout; the bottom panel moves
from checking to a priced confirmation (with the time the rate limits allow), to sending (with
progress, the rate-limit wait, Pause/Resume and Cancel), to a summary with the rejected rows
to save, fix and import again. File dialogs use ``open()``, never ``exec()``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from nfctagify_desktop.api import errors
from nfctagify_desktop.ordering.bulk import (
    ENCODING_CHOICES,
    BulkFileError,
    CheckedRow,
    Mapping,
    Outcome,
    Progress,
    RowOutcome,
    Summary,
    Table,
    Verdict,
    encoding_label,
    write_rejected,
)
from nfctagify_desktop.services.bulk_import import BulkImportService
from nfctagify_desktop.services.container import Services
from nfctagify_desktop.ui.dialogs.bulk_import.mapping_editor import MappingEditor
from nfctagify_desktop.ui.dialogs.bulk_import.model import BulkRowsModel
from nfctagify_desktop.ui.dialogs.bulk_import.panels import (
    CheckPanel,
    ConfirmPanel,
    DonePanel,
    SendPanel,
)
from nfctagify_desktop.ui.file_dialogs import IMPORT, start_in
from nfctagify_desktop.ui.geometry import fit_on_show
from nfctagify_desktop.ui.widgets.banner import ErrorBanner
from nfctagify_desktop.ui.widgets.table_view import TableView

FILE_FILTER: Final = (
    "Order files (*.csv *.tsv *.txt *.xlsx *.xlsm *.xls *.ods);;CSV files (*.csv *.tsv *.txt);;"
    "Spreadsheets (*.xlsx *.xlsm *.xls *.ods);;All files (*)"
)
_SEPARATORS: Final = {",": "comma", ";": "semicolon", "\t": "tab"}
_OPTIONAL: Final = frozenset({"customer_reference", "address_line2", "region"})


class BulkImportDialog(QDialog):
    """Signals:
    sig_checked(int): the rows were (re)checked; the number of rows.
    sig_finished(object): the :class:`Summary` of a send.
    """

    sig_checked = Signal(int)
    sig_finished = Signal(object)

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.service = BulkImportService(
            services.ctx, services.ordering, order_sync=services.order_sync, parent=self
        )
        self.setObjectName("bulkImportDialog")
        self.setWindowTitle("Import orders from a file")
        self.setAccessibleName("Import orders from a file")
        self.setModal(False)
        fit_on_show(self, QSize(1180, 640))
        self.summary: Summary | None = None
        self._file_dialog: QFileDialog | None = None

        self.choose_button = QPushButton("&Choose file…")
        self.choose_button.setAccessibleName("Choose a file of orders")
        self.choose_button.clicked.connect(self.choose_file)
        self.file_label = QLabel("No file chosen")
        self.file_label.setAccessibleName("Chosen file")
        self.encoding_combo = QComboBox()
        self.encoding_combo.setAccessibleName("Text encoding of the file")
        for codec in ENCODING_CHOICES:
            self.encoding_combo.addItem(encoding_label(codec), codec)
        self.encoding_combo.activated.connect(self._encoding_chosen)
        self.encoding_label = QLabel("&Encoding:")
        self.encoding_label.setBuddy(self.encoding_combo)
        self.sheet_combo = QComboBox()
        self.sheet_combo.setAccessibleName("Sheet to import")
        self.sheet_combo.activated.connect(self._sheet_chosen)
        self.sheet_label = QLabel("S&heet:")
        self.sheet_label.setBuddy(self.sheet_combo)
        self.info_label = QLabel("")
        self.info_label.setObjectName("bulkFileInfo")
        top = QHBoxLayout()
        top.addWidget(self.choose_button)
        top.addWidget(self.file_label, 1)
        for w in (self.encoding_label, self.encoding_combo, self.sheet_label, self.sheet_combo):
            top.addWidget(w)
            w.hide()

        self.mapping_editor = MappingEditor()
        self.mapping_editor.sig_changed.connect(self._mapping_edited)
        self.mapping_editor.hide()
        self.banner = ErrorBanner()
        self.model = BulkRowsModel(self)
        self.view = TableView("bulkPreviewTable")
        self.view.setModel(self.model)
        self.view.setAccessibleName("Rows of the file as they would be sent")
        # File order first (Qt's default indicator would sort the last row first).
        self.view.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        self.view.setSortingEnabled(True)

        self.check_panel = CheckPanel()
        self.confirm_panel = ConfirmPanel()
        self.send_panel = SendPanel()
        self.done_panel = DonePanel()
        self.stack = QStackedWidget()
        for panel in (self.check_panel, self.confirm_panel, self.send_panel, self.done_panel):
            self.stack.addWidget(panel)
        self.close_button = QPushButton("Close")
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.close)
        bottom = QHBoxLayout()
        bottom.addWidget(self.stack, 1)
        bottom.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.info_label)
        layout.addWidget(self.mapping_editor)
        layout.addWidget(self.mapping_editor.missing_label)
        layout.addWidget(self.banner)
        layout.addWidget(self.view, 1)
        layout.addLayout(bottom)
        self.mapping_editor.missing_label.hide()

        self._show_panel(self.check_panel)
        self.check_panel.review_button.clicked.connect(self.review)
        self.check_panel.rejects_button.clicked.connect(self.save_rejected)
        self.check_panel.repeats.toggled.connect(lambda on: self.service.check(allow_repeats=on))
        self.confirm_panel.back_button.clicked.connect(lambda: self._show_panel(self.check_panel))
        self.confirm_panel.send_button.clicked.connect(self.send)
        self.send_panel.pause_button.clicked.connect(self.toggle_pause)
        self.send_panel.cancel_button.clicked.connect(self.cancel_send)
        self.done_panel.rejects_button.clicked.connect(self.save_rejected)
        self.done_panel.again_button.clicked.connect(self.choose_file)

        self.service.sig_read.connect(self._read)
        self.service.sig_checked.connect(self._checked)
        self.service.sig_failed.connect(self._failed)
        self.service.sig_progress.connect(self._progress)
        self.service.sig_finished.connect(self._finished)

    # -- reading and checking -------------------------------------------------------------

    def choose_file(self) -> None:
        dialog = start_in(QFileDialog(self, "Choose a file of orders", "", FILE_FILTER), IMPORT)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
        dialog.fileSelected.connect(lambda path: self.load_file(Path(path)))
        self._file_dialog = dialog
        dialog.open()

    def load_file(
        self, path: Path, *, encoding: str | None = None, sheet: str | None = None
    ) -> None:
        """Read ``path`` (in the background), then check every row."""
        if self.service.sending:
            return
        self.summary = None
        self.file_label.setText(str(path))
        self.banner.clear()
        self.check_panel.counts.setText("Reading…")
        self.check_panel.review_button.setEnabled(False)
        self._show_panel(self.check_panel)
        self.service.open(path, encoding=encoding, sheet=sheet)

    def _read(self, table: Table) -> None:
        is_csv = table.kind == "csv"
        for w in (self.encoding_label, self.encoding_combo):
            w.setVisible(is_csv)
        for w in (self.sheet_label, self.sheet_combo):
            w.setVisible(not is_csv and len(table.sheets) > 1)
        if is_csv and table.encoding:
            index = self.encoding_combo.findData(table.encoding)
            if index < 0:
                self.encoding_combo.addItem(encoding_label(table.encoding), table.encoding)
                index = self.encoding_combo.count() - 1
            self.encoding_combo.setCurrentIndex(index)
        self.sheet_combo.clear()
        self.sheet_combo.addItems(list(table.sheets))
        if table.sheet:
            self.sheet_combo.setCurrentText(table.sheet)
        self.info_label.setText(_describe(table))
        if self.service.mapping is not None:
            self.mapping_editor.set_mapping(self.service.mapping)
            self.mapping_editor.show()
        self.check_panel.counts.setText("Checking every row…")

    def _encoding_chosen(self, _index: int) -> None:
        if self.service.path is not None:
            self.load_file(self.service.path, encoding=self.encoding_combo.currentData())

    def _sheet_chosen(self, _index: int) -> None:
        if self.service.path is not None:
            self.load_file(self.service.path, sheet=self.sheet_combo.currentText())

    def _mapping_edited(self, mapping: Mapping) -> None:
        self.check_panel.counts.setText("Checking every row…")
        self.service.check(mapping)

    def _checked(self, rows: list[CheckedRow]) -> None:
        self.model.set_checked(rows)
        mapped = self.service.mapping.fields if self.service.mapping is not None else {}
        for field, column in self.model.FIELD_COLUMNS.items():
            # Optional fields no column gives are hidden; required ones show what is missing.
            self.view.setColumnHidden(column, field not in mapped and field in _OPTIONAL)
        self.view.resizeColumnsToContents()
        status = self.model.STATUS_COLUMN
        self.view.setColumnWidth(status, min(self.view.columnWidth(status), 420))
        tally = self.model.counts()
        ready, bad, placed = tally[Verdict.READY], tally[Verdict.INVALID], tally[Verdict.PLACED]
        parts = [f"{ready:,} ready to send", f"{bad:,} with problems (hover a red cell)"]
        if placed:
            parts.append(f"{placed:,} already placed")
        self.check_panel.counts.setText(" · ".join(parts) if rows else "No data rows")
        self.check_panel.review_button.setEnabled(ready > 0)
        self.check_panel.rejects_button.setEnabled(bad > 0)
        self.sig_checked.emit(len(rows))

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, BulkFileError):
            self.model.set_checked([])
            self.mapping_editor.hide()
            self.check_panel.counts.setText("")
            exc = errors.ApiError(str(exc), code="FILE")
        elif self.service.sending or self.stack.currentWidget() is self.send_panel:
            self._show_panel(self.done_panel)
        else:
            self.check_panel.counts.setText("")
        self.banner.show_error(exc)

    # -- confirming and sending -----------------------------------------------------------

    def review(self) -> None:
        """The priced confirmation with the time the rate limits allow."""
        account = str(self.services.ctx.connection.profile)
        self.confirm_panel.show_plan(self.service.plan(), account)
        self._show_panel(self.confirm_panel)
        self.confirm_panel.send_button.setFocus()

    def send(self) -> None:
        self._set_inputs_enabled(False)
        self.send_panel.line.setText("Starting…")
        self._show_panel(self.send_panel)
        self.send_panel.pause_button.setFocus()
        self.service.send()

    def toggle_pause(self) -> None:
        if self.service.paused:
            self.service.resume()
            self.send_panel.pause_button.setText("&Pause")
        else:
            self.service.pause()

    def cancel_send(self) -> None:
        self.service.cancel()
        self.send_panel.cancel_button.setEnabled(False)
        self.send_panel.line.setText("Cancelling after the order in flight…")

    def _progress(self, p: Progress) -> None:
        self.send_panel.show_progress(p)
        if p.outcome is not None:
            self.model.set_outcomes([p.outcome])

    def _finished(self, summary: Summary) -> None:
        self.summary = summary
        self.model.set_outcomes(summary.outcomes)
        self.done_panel.show_summary(summary)
        self._show_panel(self.done_panel)
        self._set_inputs_enabled(True)
        self.send_panel.cancel_button.setEnabled(True)
        self.services.ctx.status("Import finished: " + summary.lines()[0], 10000)
        self.sig_finished.emit(summary)

    def _show_panel(self, panel: QWidget) -> None:
        """Show ``panel``; the stack takes only its height, not the tallest panel's."""
        for page in (self.check_panel, self.confirm_panel, self.send_panel, self.done_panel):
            policy = QSizePolicy.Policy.Preferred if page is panel else QSizePolicy.Policy.Ignored
            page.setSizePolicy(QSizePolicy.Policy.Expanding, policy)
        self.stack.setCurrentWidget(panel)
        self.stack.updateGeometry()

    def _set_inputs_enabled(self, on: bool) -> None:
        for w in (self.choose_button, self.encoding_combo, self.sheet_combo, self.mapping_editor):
            w.setEnabled(on)

    # -- rejected rows --------------------------------------------------------------------

    def rejected_rows(self) -> list[RowOutcome]:
        if self.summary is not None:
            return self.summary.rejected
        return [
            RowOutcome(r, Outcome.INVALID, r.message)
            for r in self.service.rows
            if r.verdict is Verdict.INVALID
        ]

    def save_rejected(self) -> None:
        table = self.service.table
        if table is None:
            return
        stem = Path(table.name).stem
        dialog = QFileDialog(self, "Save the rejected rows", "", "CSV (*.csv)")
        start_in(dialog, IMPORT, f"{stem}-rejected.csv")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("csv")
        dialog.fileSelected.connect(lambda path: self.write_rejected(Path(path)))
        self._file_dialog = dialog
        dialog.open()

    def write_rejected(self, path: Path) -> int:
        table = self.service.table
        if table is None:
            return 0
        try:
            n = write_rejected(path, table, self.rejected_rows())
        except OSError as exc:
            self.banner.show_error(errors.ApiError(f"Could not save {path.name}: {exc}"))
            return 0
        self.services.ctx.status(f"{n} rejected row(s) saved to {path}", 8000)
        return n


def _describe(table: Table) -> str:
    rows = f"{len(table.rows):,} row(s)"
    notes = "".join(f" · {n}" for n in table.notes)
    if table.kind == "csv":
        how = (
            "detected"
            if table.encoding_reason in ("bom", "utf-8", "utf-16", "detected")
            else (table.encoding_reason or "")
        )
        sep = _SEPARATORS.get(table.delimiter or ",", "comma")
        enc = encoding_label(table.encoding or "utf-8")
        return f"{rows} · {enc} ({how}) · {sep}-separated{notes}"
    return f"{rows} · {table.kind.upper()} sheet “{table.sheet}”{notes}"


def open_bulk_import(services: Services, parent: QWidget | None = None) -> BulkImportDialog:
    """Show the (single, non-modal) import dialog of these services."""
    for existing in QApplication.topLevelWidgets():
        if isinstance(existing, BulkImportDialog) and existing.services is services:
            existing.show()
            existing.raise_()
            existing.activateWindow()
            return existing
    dialog = BulkImportDialog(services, parent)
    dialog.show()
    return dialog
