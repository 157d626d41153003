"""Print and save as PDF through Qt's print support: order confirmations and order summaries.

The dialogs are opened with ``open()`` rather than ``exec()``: a nested event loop inside a
running asyncio task is refused by qasync.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QMarginsF, QSize, Qt
from PySide6.QtGui import QPagedPaintDevice, QPageLayout, QPageSize, QPdfWriter, QTextDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QFileDialog, QWidget

from nfctagify_desktop import APP_NAME
from nfctagify_desktop.api.models import Order
from nfctagify_desktop.ui.documents import Letterhead, confirmation_html, summary_html
from nfctagify_desktop.ui.file_dialogs import start_in
from nfctagify_desktop.ui.geometry import fit_on_show

#: File dialogs for PDFs remember their own folder.
PDFS = "pdfs"
#: Wide enough for the printer and a PDF file name in the print dialog.
PRINT_DIALOG_WIDTH = 560


class Printable:
    """A document with a title, ready for a printer or a PDF file."""

    def __init__(self, title: str, html: str, file_name: str, *, landscape: bool = False) -> None:
        self.title = title
        self.html = html
        self.file_name = file_name
        #: Summaries are wide tables: landscape keeps ids and names on one line.
        self.landscape = landscape

    @classmethod
    def confirmation(cls, order: Order, letterhead: Letterhead) -> Printable:
        return cls(
            f"Order confirmation {order.order_id}",
            confirmation_html(order, letterhead),
            f"order-{order.order_id}.pdf",
        )

    @classmethod
    def summary(cls, orders: Sequence[Order], letterhead: Letterhead, scope: str) -> Printable:
        day = datetime.now().strftime("%Y-%m-%d")
        return cls(
            f"Order summary ({len(orders)} orders)",
            summary_html(orders, letterhead, scope),
            f"orders-summary-{day}.pdf",
            landscape=True,
        )

    def _render(self, device: QPagedPaintDevice) -> None:
        device.setPageLayout(
            QPageLayout(
                QPageSize(QPageSize.PageSizeId.A4),
                QPageLayout.Orientation.Landscape
                if self.landscape
                else QPageLayout.Orientation.Portrait,
                QMarginsF(15, 15, 15, 15),
                QPageLayout.Unit.Millimeter,
            )
        )
        document = QTextDocument()
        document.setDocumentMargin(0)
        document.setHtml(self.html)
        document.setMetaInformation(QTextDocument.MetaInformation.DocumentTitle, self.title)
        document.print_(device)

    def save_pdf(self, path: Path) -> Path:
        """Write the document as an A4 PDF (title and creator set, text kept as text)."""
        writer = QPdfWriter(str(path))
        writer.setTitle(self.title)
        writer.setCreator(APP_NAME)
        writer.setResolution(300)
        self._render(writer)
        del writer  # the file is complete once the writer is gone
        return path

    def print_to(self, printer: QPrinter) -> None:
        printer.setDocName(self.title)
        self._render(printer)


def print_check(order: Order) -> str:
    """Self-test: a confirmation written as a PDF proves print support and fonts are bundled."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="nfctagify-print-") as folder:
        path = Printable.confirmation(order, Letterhead("", "self-test")).save_pdf(
            Path(folder) / "confirmation.pdf"
        )
        size = path.stat().st_size
        if not path.read_bytes().startswith(b"%PDF") or size < 1000:
            raise RuntimeError(f"the printed PDF is broken ({size} bytes)")
    return f"self-test: printed an order confirmation as PDF ({size:,} bytes)"


def open_print_dialog(
    printable: Printable, parent: QWidget, printer: QPrinter | None = None
) -> QPrintDialog:
    """The system's print dialog; prints when the user accepts."""
    if printer is None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(printable.title)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(f"Print {printable.title}")
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.accepted.connect(lambda: printable.print_to(printer))
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    # Qt's own dialog (no native one on Linux) opens at its bare minimum, cutting the file name.
    hint = dialog.sizeHint()
    fit_on_show(dialog, QSize(max(PRINT_DIALOG_WIDTH, hint.width()), hint.height()))
    dialog.show()
    return dialog


def open_save_pdf_dialog(
    printable: Printable, parent: QWidget, on_saved: Callable[[Path], None]
) -> QFileDialog:
    """Ask where to save the PDF (Documents, or the folder used last), then write it."""
    dialog = start_in(
        QFileDialog(parent, f"Save {printable.title} as PDF"), PDFS, printable.file_name
    )
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setNameFilter("PDF documents (*.pdf)")
    dialog.setDefaultSuffix("pdf")
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.fileSelected.connect(lambda path: on_saved(printable.save_pdf(Path(path))))
    dialog.open()
    return dialog


__all__ = ["PDFS", "Printable", "open_print_dialog", "open_save_pdf_dialog", "print_check"]
