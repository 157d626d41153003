"""Order confirmations and summaries: real PDFs written by Qt, read back as text."""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any

from pypdf import PdfReader

from nfctagify_desktop.api.models import OrderStatus
from nfctagify_desktop.ui.documents import Letterhead
from nfctagify_desktop.ui.format import money
from nfctagify_desktop.ui.geometry import available_client_rect
from nfctagify_desktop.ui.printing import PRINT_DIALOG_WIDTH, Printable, open_print_dialog
from nfctagify_desktop.ui.tabs.orders_menu import filtered_orders, letterhead, printable_for

WAIT = 10_000


def pdf_text(path: Path) -> str:
    reader = PdfReader(str(path))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def flat(text: str) -> str:
    """Ligatures (ﬁ) undone and all whitespace dropped: PDF text extraction guesses word gaps
    from glyph positions, so spaces are unreliable while the characters are not."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def has(text: str, *needles: str) -> bool:
    return all(flat(n) in text for n in needles)


def loaded(window: Any, qtbot: Any) -> Any:
    tab = window.orders_tab
    with qtbot.waitSignal(tab.sig_page_loaded, timeout=WAIT):
        tab.refresh()
    return tab


def test_confirmation_pdf_has_the_order_the_partner_and_the_total(
    main_window: Any, qtbot: Any, arun: Any, tmp_path: Path
) -> None:
    client = main_window.services.ctx.connection.client
    listed = arun(client.list_orders(status="dispatched")).orders[0]
    order = arun(client.get_order(listed.order_id))
    main_window.services.accounts.save_preferences(
        business_details="Acme Cards Ltd\n1 High Street, Leeds LS1 1AA\nVAT GB123456789"
    )
    doc = printable_for(main_window.orders_tab, [order])
    path = doc.save_pdf(tmp_path / doc.file_name)
    reader = PdfReader(str(path))
    assert reader.metadata is not None and reader.metadata.title == doc.title
    text = flat(pdf_text(path))
    assert order.shipping is not None
    assert has(text, order.order_id, money(order.total, order.currency), order.shipping.name)
    assert has(text, "Acme Cards Ltd", "VAT GB123456789", "Order confirmation")
    assert has(text, "Royal Mail")  # dispatched: tracking is on the document


def test_summary_pdf_lists_every_filtered_order_with_the_total(
    main_window: Any, qtbot: Any, tmp_path: Path
) -> None:
    tab = loaded(main_window, qtbot)
    with qtbot.waitSignal(tab.sig_page_loaded, timeout=WAIT):
        tab.set_status_filter(OrderStatus.DELIVERED)
    orders, scope = filtered_orders(tab)
    assert orders and all(o.status is OrderStatus.DELIVERED for o in orders)
    assert "delivered" in scope
    path = printable_for(tab, orders, scope).save_pdf(tmp_path / "summary.pdf")
    text = flat(pdf_text(path))
    assert has(text, *(o.order_id for o in orders))
    total = sum((o.total for o in orders if o.total is not None), start=orders[0].total * 0)
    assert has(text, money(total, orders[0].currency), f"{len(orders)} orders")


def test_letterhead_falls_back_to_the_profile() -> None:
    html = Letterhead("", "Production").html()
    assert "Production" in html
    html = Letterhead("Acme <b>Ltd</b>", "Production").html()
    assert "&lt;b&gt;" in html  # the partner's text is text, never markup


def test_print_opens_the_system_dialog_for_the_selection(
    main_window: Any, qtbot: Any, tmp_path: Path
) -> None:
    """File > Print opens the print dialog for the selected order; accepting prints it."""
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    tab = loaded(main_window, qtbot)
    tab.view.selectRow(0)
    order = tab.model.order(0)
    printing = next(a for a in main_window.actions() if a.text() == "&Print…")
    printing.trigger()
    dialog = next(w for w in main_window.findChildren(QPrintDialog) if w.isVisible())
    assert order.order_id in dialog.windowTitle()
    # Not opened at its bare minimum: the PDF's file name is readable (on a wide enough screen).
    room = available_client_rect(dialog).width()
    assert dialog.width() >= min(PRINT_DIALOG_WIDTH, room)
    dialog.reject()

    out = tmp_path / "printed.pdf"
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(out))
    dialog = open_print_dialog(printable_for(tab, [order]), main_window, printer)
    dialog.accept()
    assert has(flat(pdf_text(out)), order.order_id, "Order confirmation")


def test_summary_of_a_single_selected_order_is_a_confirmation(main_window: Any) -> None:
    tab = main_window.orders_tab
    assert letterhead(tab).account == main_window.services.ctx.account.profile
    assert isinstance(Printable, type)
