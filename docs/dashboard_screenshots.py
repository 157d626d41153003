"""Screenshots of the dashboard features (called by make_screenshots.py against its sandbox).

1. ``tracking.png``: a dispatched order's detail with its tracking link;
2. ``context-menu.png``: three orders selected, the right-click menu open;
3. ``digest.png``: "Since you last looked" after 25 hours on the sandbox clock;
4. ``order-confirmation-pdf.png``: the first page of an order confirmation PDF (pdftoppm).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from PySide6.QtCore import QRect
    from PySide6.QtWidgets import QWidget

    from nfctagify_desktop.sandbox.server import SandboxServer
    from nfctagify_desktop.ui.main_window import MainWindow


def grab_screen(area: QRect, path: Path) -> None:
    """Popups and dialogs are windows of their own: take them from the screen, as a user sees."""
    from PySide6.QtGui import QGuiApplication

    screen = QGuiApplication.primaryScreen()
    image = screen.grabWindow(0, area.x(), area.y(), area.width(), area.height())
    if not image.save(str(path)):
        raise OSError(f"could not write {path}")


def around(*widgets: QWidget) -> QRect:
    rect = widgets[0].frameGeometry()
    for widget in widgets[1:]:
        rect = rect.united(widget.frameGeometry())
    return rect.adjusted(-8, -8, 8, 8)


async def dashboard_shots(
    window: MainWindow,
    server: SandboxServer,
    out: Path,
    *,
    settle: Callable[..., Awaitable[None]],
    wait_signal: Callable[..., Awaitable[tuple[Any, ...]]],
    save: Callable[[Any, Path], None],
) -> None:
    from PySide6.QtCore import QItemSelectionModel, QPoint
    from PySide6.QtGui import QContextMenuEvent
    from PySide6.QtWidgets import QApplication

    from nfctagify_desktop.api.models import OrderStatus
    from nfctagify_desktop.ui.dialogs.digest_dialog import show_digest
    from nfctagify_desktop.ui.printing import Printable
    from nfctagify_desktop.ui.tabs.orders_menu import letterhead

    tab = window.orders_tab
    window.tabs.setCurrentWidget(tab)
    window.services.digest.synced()  # the first look of this fresh account
    await wait_signal("the orders page", tab.sig_page_loaded, tab.refresh)

    # 1. Tracking in the detail pane.
    dispatched = OrderStatus.DISPATCHED
    row = next(r for r in range(tab.model.rowCount()) if tab.model.order(r).status is dispatched)
    order_id = tab.model.order(row).order_id
    await wait_signal("the detail", tab.sig_detail_loaded, lambda: tab.view.selectRow(row))
    window.statusBar().clearMessage()
    await settle()
    save(window, out / "tracking.png")

    # 4. The confirmation as a PDF, its first page as a picture.
    order = tab.detail.order
    assert order is not None and order.order_id == order_id
    if shutil.which("pdftoppm"):
        with tempfile.TemporaryDirectory() as folder:
            pdf = Printable.confirmation(order, letterhead(tab)).save_pdf(Path(folder) / "c.pdf")
            prefix = Path(folder) / "page"
            subprocess.run(  # noqa: ASYNC221 (a one-off tool; the UI may wait for it)
                ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", pdf, prefix],
                check=True,
            )
            shutil.copy(prefix.with_suffix(".png"), out / "order-confirmation-pdf.png")

    # 2. Three orders selected, right-click.
    selection = tab.view.selectionModel()
    selection.clearSelection()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for r in (0, 2, 3):
        selection.select(tab.model.index(r, 0), flags)
    rect = tab.view.visualRect(tab.model.index(2, 1))
    where = rect.center() + QPoint(20, 0)
    QApplication.sendEvent(
        tab.view.viewport(),
        QContextMenuEvent(
            QContextMenuEvent.Reason.Mouse, where, tab.view.viewport().mapToGlobal(where)
        ),
    )
    await settle()
    menu = tab.view.last_menu
    assert menu is not None
    grab_screen(around(window, menu), out / "context-menu.png")
    menu.close()

    # 3. The digest, 25 hours later.
    server.clock.advance(25 * 3600)
    sync = window.services.order_sync
    await wait_signal("a sync", sync.sig_synced, sync.sync_now)
    digest = window.services.digest.current()
    assert digest is not None and not digest.empty
    dialog = show_digest(window, digest)
    await settle()
    grab_screen(around(window, dialog), out / "digest.png")
    dialog.close()
