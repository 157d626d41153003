"""A non-modal progress dialog for a CSV export, with Cancel (never ``exec()``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from nfctagify_desktop.api.models import Order, OrderQuery
from nfctagify_desktop.services.context import AppContext
from nfctagify_desktop.services.export import export_cached, export_orders
from nfctagify_desktop.ui.errors import describe
from nfctagify_desktop.ui.geometry import fit_on_show

TASK_KEY = "orders-export"


class ExportDialog(QDialog):
    """Runs one export and shows its progress.

    Signals:
        sig_finished(int): the file is written (rows).
        sig_failed(object): the export failed (the exception); nothing was written.
        sig_cancelled(): the user cancelled; nothing was written.
    """

    sig_finished = Signal(int)
    sig_failed = Signal(object)
    sig_cancelled = Signal()

    def __init__(
        self,
        ctx: AppContext,
        path: Path,
        *,
        query: OrderQuery | None = None,
        cached: list[Order] | None = None,
        description: str = "",
        on_page: Callable[[list[Order]], object] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.path = path
        self.query = query
        self.cached = cached
        self.on_page = on_page
        self.rows = 0
        self.done_ok = False
        self.setWindowTitle("Export orders")
        self.setObjectName("exportDialog")
        self.setMinimumWidth(420)
        fit_on_show(self)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        self.label = QLabel(f"Exporting {description or 'orders'} to\n{path}")
        self.label.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.setAccessibleName("Export progress")
        self.bar.setRange(0, 0)
        self.count_label = QLabel("Starting…")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.rejected.connect(self.cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.count_label)
        layout.addWidget(self.buttons)

    def start(self) -> None:
        """Show the dialog and begin; the result arrives through the signals."""
        self.open()
        if self.cached is not None:
            rows = export_cached(self.cached, self.path)
            self._finished(rows)
            return
        assert self.query is not None
        self.ctx.run(
            TASK_KEY,
            export_orders(
                self.ctx.client,
                self.query,
                self.path,
                progress=self._progress,
                on_page=self.on_page,
            ),
            self._finished,
            self._failed,
        )

    def _progress(self, done: int, total: int | None) -> None:
        self.rows = done
        if total:
            self.bar.setRange(0, total)
            self.bar.setValue(min(done, total))
            self.count_label.setText(f"{done:,} of {total:,} orders")
        else:
            self.count_label.setText(f"{done:,} orders")

    def _finished(self, rows: int) -> None:
        self.rows = rows
        self.done_ok = True
        self.bar.setRange(0, max(1, rows))
        self.bar.setValue(max(1, rows))
        self.ctx.status(f"Exported {rows:,} orders to {self.path}", 8000)
        self.sig_finished.emit(rows)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.bar.setRange(0, 1)
        self.bar.setValue(0)
        self.count_label.setText(f"Export failed: {describe(exc).text}")
        self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Close)
        self.sig_failed.emit(exc)

    def cancel(self) -> None:
        self.reject()

    def reject(self) -> None:
        # Cancel button, Esc and the window's close button all end here.
        if self.ctx.tasks.is_running(TASK_KEY):
            self.ctx.tasks.cancel(TASK_KEY)
            self.ctx.status("Export cancelled; no file was written", 5000)
            self.sig_cancelled.emit()
        super().reject()


__all__ = ["ExportDialog"]
