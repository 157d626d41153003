"""Opens the main window and every dialog, and reports controls that lie off-screen.

Run by tests/test_ui_fit_screen.py in a child process, because the screen and the scale factor
are fixed when a QApplication starts, e.g.::

    QT_SCALE_FACTOR=2 QT_QPA_PLATFORM=offscreen:configfile=screen.json python tests/fit_probe.py

Prints one JSON object: the screen's logical size, the windows checked, and every offender.
A control counts as reachable when it lies on the screen and is not cut off by its parents,
or when it sits inside a scroll area that is itself reachable (it can be scrolled to). A label
must show all of its text: wrapped in the height it needs, or elided with the whole text in
its tooltip.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QMenuBar,
    QTabBar,
    QWidget,
)

INTERACTIVE = (
    QAbstractButton,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QAbstractSlider,
    QComboBox,
    QLineEdit,
    QMenuBar,
    QTabBar,
)
WAIT = 30.0


def describe(widget: QWidget) -> str:
    name = widget.objectName() or widget.accessibleName()
    text = getattr(widget, "text", None)
    label = text() if callable(text) else ""
    bits = [type(widget).__name__, name, repr(label) if label else ""]
    return " ".join(b for b in bits if b)


def _global_rect(widget: QWidget) -> QRect:
    return QRect(widget.mapToGlobal(widget.rect().topLeft()), widget.size())


def _scroll_ancestor(widget: QWidget, top: QWidget) -> QAbstractScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None and parent is not top:
        if isinstance(parent, QAbstractScrollArea) and parent.viewport().isAncestorOf(widget):
            return parent
        parent = parent.parentWidget()
    return None


def _on_screen(widget: QWidget, screen: QRect) -> str:
    """Empty when the whole widget can be seen; else why not."""
    rect = _global_rect(widget)
    if not screen.contains(rect):
        return f"at {rect.getRect()} outside the screen {screen.getRect()}"
    parent = widget.parentWidget()
    while parent is not None and not parent.isWindow():
        inside = QRect(widget.mapTo(parent, QPoint(0, 0)), widget.size())
        if not parent.rect().contains(inside):
            shown = parent.rect().intersected(inside).size().toTuple()
            return f"cut to {shown} of {widget.size().toTuple()} by {describe(parent)}"
        parent = parent.parentWidget()
    return ""


def clipped_text(label: QLabel) -> str:
    """Empty when the label shows all of its text (wrapped, or elided with a tooltip)."""
    from nfctagify_desktop.ui.widgets.elided_label import ElidedLabel

    if not label.text() or label.width() <= 0:
        return ""
    if isinstance(label, ElidedLabel):
        tip = label.toolTip()
        return "" if not label.is_elided() or label.full_text() in tip else "elided, no tooltip"
    if label.wordWrap():
        needed = label.heightForWidth(label.width())
        if needed > label.height() + 1:
            return f"wrapped text needs {needed} px, has {label.height()}"
        return ""
    hint = label.sizeHint()
    if hint.width() > label.width() + 1 and label.pixmap().isNull():
        return f"text needs {hint.width()} px, has {label.width()}"
    return ""


def offenders(top: QWidget) -> list[str]:
    """Every visible control of ``top`` that cannot be seen or scrolled to."""
    screen = top.screen().availableGeometry()
    found: list[str] = []
    frame = top.frameGeometry()
    if not screen.contains(frame):
        found.append(f"window frame {frame.getRect()} outside the screen {screen.getRect()}")
    for widget in top.findChildren(QWidget):
        if not widget.isVisibleTo(top):
            continue
        if isinstance(widget, QLabel) and widget.window() is top:
            cut = clipped_text(widget)
            if cut:
                found.append(f"{describe(widget)}: {cut}")
            continue
        if not isinstance(widget, INTERACTIVE):
            continue
        if widget.window() is not top or widget.width() <= 0:
            continue
        holder: QWidget = widget
        area = _scroll_ancestor(widget, top)
        while area is not None:  # reachable by scrolling: the outermost area must be visible
            holder = area
            area = _scroll_ancestor(area, top)
        problem = _on_screen(holder, screen)
        if problem:
            where = "" if holder is widget else f" (in {describe(holder)})"
            found.append(f"{describe(widget)}{where}: {problem}")
    return found


async def settle(rounds: int = 8) -> None:
    """Let layouts and queued callbacks run (the qasync loop processes Qt's events)."""
    for _ in range(rounds):
        await asyncio.sleep(0.03)


async def wait_until(what: str, predicate: Callable[[], object]) -> None:
    deadline = time.monotonic() + WAIT
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)


async def probe(app: QApplication) -> dict[str, Any]:
    from nfctagify_desktop import app as app_module
    from nfctagify_desktop.services.connection import connect, start_sandbox
    from nfctagify_desktop.services.container import build_services
    from nfctagify_desktop.store.settings import sandbox_profile
    from nfctagify_desktop.ui.account_controller import AccountController
    from nfctagify_desktop.ui.main_window import MainWindow

    screen = app.primaryScreen()
    report: dict[str, Any] = {
        "screen": screen.availableGeometry().size().toTuple(),
        "scale": screen.devicePixelRatio(),
        "checked": [],
        "offenders": {},
    }
    with tempfile.TemporaryDirectory(prefix="fit-probe-") as tmpdir:
        tmp = Path(tmpdir)
        server = await start_sandbox(tmp / "sandbox.sqlite3")
        services = build_services(await connect(sandbox_profile(), sandbox=server))
        window = MainWindow(services)
        accounts = AccountController(services.accounts, window)
        window.show()
        window.load_all()

        shots = os.environ.get("FIT_PROBE_SHOTS")  # a folder: also save what was checked

        async def check(name: str, top: QWidget) -> None:
            await settle()
            report["checked"].append(name)
            if shots:
                safe = "".join(c if c.isalnum() else "-" for c in name).strip("-")
                top.grab().save(str(Path(shots) / f"{safe}.png"))
            bad = offenders(top)
            if bad:
                report["offenders"][name] = bad

        try:
            await app_module._wait_loaded(window)
            for index in range(window.tabs.count()):
                window.tabs.setCurrentIndex(index)
                label = window.tabs.tabText(index).replace("&", "")
                await check(f"main window: {label}", window)
            # What a narrow window shows of the orders: the visible columns, any side-scrolling.
            window.tabs.setCurrentWidget(window.orders_tab)
            await settle()
            view = window.orders_tab.view
            header = view.horizontalHeader()
            report["orders_columns"] = [
                view.model().headerData(c, Qt.Orientation.Horizontal)
                for c in range(header.count())
                if not header.isSectionHidden(c)
            ]
            report["orders_side_scroll"] = view.horizontalScrollBar().isVisible()
            for name, opener in dialogs(window, accounts, tmp).items():
                top = await opener()
                try:
                    await check(name, top)
                finally:
                    top.hide()
        finally:
            window.close()
            await settle(2)
            await app_module.shutdown(services)
    return report


def dialogs(window: Any, accounts: Any, tmp: Path) -> dict[str, Callable[[], Awaitable[QWidget]]]:
    """Each dialog the app can show, opened as a user would open it."""
    from nfctagify_desktop.ui.dialogs.bulk_import import open_bulk_import

    services = window.services

    async def settings_first_run() -> QWidget:
        return accounts.open_settings(welcome=True)  # type: ignore[no-any-return]

    async def order_form() -> QWidget:
        form = window.order_forms.open(None)
        await wait_until("the products", lambda: services.ordering.products_loaded)
        form.show_errors(form.validate())
        return form

    async def order_form_every_message() -> QWidget:
        """The tallest the form gets: an API error, the resend note, a reused reference."""
        from nfctagify_desktop.api.errors import ApiError

        form = window.order_forms.open(None)
        await wait_until("the products", lambda: services.ordering.products_loaded)
        form.banner.show_error(ApiError("shipping.postcode is not deliverable", status=400))
        form.note.setText(
            "This order may already have been placed (the app was closed or the connection "
            "failed while it was being sent). Before sending again the app checks your "
            "recent orders, and the resend reuses the same idempotency key, so it cannot be "
            "placed twice."
        )
        form.note.show()
        form.reference_warning.setText(
            "“PO-2231” was already used for order ord_8f2k1 on 2026-11-28. Press Review again "
            "to use it anyway, or change the reference."
        )
        form.reference_warning.show()
        form.show_errors(form.validate())
        return form

    async def csv_import() -> QWidget:
        path = tmp / "orders.csv"
        path.write_text(
            "product_id,quantity,name,address_line1,city,postcode,country\n"
            "prod_standard,50,Jane Smith,12 Example Street,London,EC1A 1BB,GB\n"
            "prod_nope,5,,1 High St,Leeds,NOPE,GB\n",
            encoding="utf-8",
        )
        dialog = open_bulk_import(services, window)
        dialog.load_file(path)
        await wait_until("the import preview", lambda: dialog.model.rowCount() > 0)
        return dialog  # type: ignore[no-any-return]

    async def support_details() -> QWidget:
        return accounts.show_support_details()  # type: ignore[no-any-return]

    async def key_prompt() -> QWidget:
        return accounts.request_key(  # type: ignore[no-any-return]
            "Sandbox", reason="The key was refused (HTTP 401). Paste a new one.", switch=False
        )

    async def export() -> QWidget:
        dialog = window.orders_tab.export_to(tmp / "orders-export.csv")
        assert dialog is not None
        return dialog  # type: ignore[no-any-return]

    async def discard_draft() -> QWidget:
        """The Outbox's confirmation (the order forms above left drafts there)."""
        from PySide6.QtWidgets import QMessageBox

        from nfctagify_desktop.ordering.validation import OrderFields

        typed = OrderFields(product_id="prod_standard", quantity="50", name="Sam Patel")
        services.ordering.save(services.ordering.new_draft(typed))
        outbox = window.outbox_tab
        window.tabs.setCurrentWidget(outbox)
        await wait_until("a draft in the Outbox", lambda: outbox.model.rowCount() > 0)
        outbox.view.selectRow(0)
        outbox.discard_selected()
        boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]
        return [b for b in boxes if b.isVisible()][-1]

    async def about() -> QWidget:
        window.show_about()
        from nfctagify_desktop.ui.help_menu import AboutDialog

        boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, AboutDialog)]
        return boxes[-1]

    async def shortcuts() -> QWidget:
        from nfctagify_desktop.ui.help_menu import ShortcutsDialog

        dialog = ShortcutsDialog(window)
        dialog.show()
        return dialog

    async def assumptions() -> QWidget:
        from nfctagify_desktop.ui.help_menu import AssumptionsDialog

        dialog = AssumptionsDialog(window)
        dialog.show()
        return dialog

    return {
        "settings (first run)": settings_first_run,
        "order form with errors": order_form,
        "order form, every message": order_form_every_message,
        "Import orders": csv_import,
        "support details": support_details,
        "API key prompt": key_prompt,
        "export": export,
        "discard a draft": discard_draft,
        "about": about,
        "keyboard shortcuts": shortcuts,
        "API assumptions": assumptions,
    }


def main() -> int:
    os.environ.setdefault("QT_API", "pyside6")
    import qasync

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setQuitOnLastWindowClosed(False)
    theme = os.environ.get("FIT_PROBE_THEME")
    if theme:
        from nfctagify_desktop.ui.appearance import install_appearance

        install_appearance(app, theme)
    with asyncio.Runner(loop_factory=qasync.QEventLoop) as runner:
        report = runner.run(probe(app))
    sys.stdout.write(json.dumps(report) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
