"""The main window: Products, Pricing and Orders tabs, status bar, menus and shortcuts.

Built in two steps so that it can be on screen before the network stack is loaded: the
window first shows the mirror's orders (:class:`~nfctagify_desktop.ui.first_paint.
FirstPaintOrders`) in its place; :meth:`MainWindow.attach` then builds the real tabs, menus and
services around it. Nothing this module imports at the top loads httpx or pydantic.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QPaintEvent
from PySide6.QtWidgets import QLabel, QMainWindow, QMenu, QTabWidget, QWidget

from nfctagify_desktop import APP_NAME
from nfctagify_desktop.redaction import redact
from nfctagify_desktop.ui import window_state
from nfctagify_desktop.ui.geometry import fit_on_show, fit_window
from nfctagify_desktop.ui.menu_slots import MenuSlot as MenuSlot
from nfctagify_desktop.ui.widgets.table_view import TableView
from nfctagify_desktop.ui.window_status import TASK_ERROR_MS, StatusWidgets

if TYPE_CHECKING:
    from nfctagify_desktop.services.container import Services


def _loading(text: str) -> QLabel:
    """A section's place until its real tab is built (right after the first paint)."""
    label = QLabel(text)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    return label


class MainWindow(QMainWindow):
    """Signals:
    sig_closed(): the window closed; app.py then cancels work and shuts the client down.
    sig_first_painted(): the window was drawn on screen for the first time.
    """

    sig_closed = Signal()
    sig_first_painted = Signal()

    def __init__(
        self,
        services: Services | None = None,
        parent: QWidget | None = None,
        *,
        first_paint: QWidget | None = None,
        show_orders: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.resize(1320, 800)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.setAccessibleName("Sections")
        self.setCentralWidget(self.tabs)
        self.attached = False
        self._painted = False
        self.status_widgets = status = StatusWidgets(self.statusBar())
        self.busy_bar, self.sandbox_badge = status.busy_bar, status.sandbox_badge
        if first_paint is not None:
            # The same sections as the full window, the Orders one already showing data.
            for widget, title in (
                (_loading("Loading products…"), "&Products"),
                (_loading("Loading prices…"), "P&ricing"),
                (first_paint, "&Orders"),
                (_loading("Loading the outbox…"), "Outbo&x"),
            ):
                self.tabs.addTab(widget, title)
            self.tabs.setCurrentWidget(first_paint)
            # The menu titles now, so nothing moves when the menus are filled in.
            for title in ("&File", "&View", "&Help"):
                self.menuBar().addMenu(title)
            account = getattr(first_paint, "account", None)
            self.setWindowTitle(f"{APP_NAME} — {account.profile}" if account else APP_NAME)
            self.sandbox_badge.setVisible(bool(account and account.is_sandbox))
            saved = window_state.restore_geometry(self)
            # The section the user left open: the window must not jump when it fills in.
            tab = int(saved.value("tab", 2, int)) if saved is not None else 2  # type: ignore[call-overload]
            if not show_orders and 0 <= tab < self.tabs.count():
                self.tabs.setCurrentIndex(tab)
            view = getattr(first_paint, "view", None)
            if saved is not None and isinstance(view, TableView):
                view.restore_state(saved)  # the orders table's own column widths
            self._fit_to_screen()
        if services is not None:
            self.attach(services)

    def attach(self, services: Services) -> None:
        """Build the tabs, menus and services around the window (replacing the first paint)."""
        from nfctagify_desktop.ui.dialogs.digest_dialog import install_digest
        from nfctagify_desktop.ui.dialogs.order_form import OrderForms
        from nfctagify_desktop.ui.help_menu import install_help
        from nfctagify_desktop.ui.notifier import install_notifier
        from nfctagify_desktop.ui.tabs.catalogue_tab import PricingTab, ProductsTab
        from nfctagify_desktop.ui.tabs.orders_menu import install_order_output
        from nfctagify_desktop.ui.tabs.orders_tab import OrdersTab
        from nfctagify_desktop.ui.tabs.saved_views import install_saved_views
        from nfctagify_desktop.ui.tabs.table_menus import install_table_menus
        from nfctagify_desktop.ui.widgets.link_indicator import LinkIndicator
        from nfctagify_desktop.ui.window_focus import install_section_focus
        from nfctagify_desktop.ui.window_menus import build_menus
        from nfctagify_desktop.ui.window_ordering import install_ordering

        self.services = services
        self.ctx = ctx = services.ctx
        status = self.status_widgets
        # Between the busy bar and the account: whether the last call reached the server.
        self.link_indicator = LinkIndicator(ctx.link)
        self.statusBar().insertPermanentWidget(2, self.link_indicator)
        self.products_tab = ProductsTab(ctx)
        self.pricing_tab = PricingTab(ctx)
        self.orders_tab = OrdersTab(services)
        placeholders = [self.tabs.widget(i) for i in range(self.tabs.count())]
        shown = self.tabs.currentIndex()  # the first paint's section: the same one stays open
        self.tabs.clear()
        for widget in placeholders:
            if widget is not None:
                widget.deleteLater()
        self.tabs.addTab(self.products_tab, "&Products")
        self.tabs.addTab(self.pricing_tab, "P&ricing")
        self.tabs.addTab(self.orders_tab, "&Orders")

        for banner in (self.products_tab.banner, self.pricing_tab.banner, self.orders_tab.banner):
            banner.set_details_provider(self.support_text)

        self.menuBar().clear()
        menus = build_menus(self)
        self._slots = menus.slots
        self.file_menu, self.view_menu, self.help_menu = menus.file, menus.view, menus.help
        self.find_action, self.refresh_action = menus.find, menus.refresh
        #: The open order forms: one per draft, closed when the account changes.
        self.order_forms = OrderForms(services, self)
        self.outbox_tab = install_ordering(self)
        self.notifier = install_notifier(self, services)
        install_help(self)
        install_order_output(self)
        install_digest(self)
        install_saved_views(self)
        install_table_menus(self)
        self.notifier.sig_order_activated.connect(self.show_order)
        ctx.tasks.sig_busy_changed.connect(status.set_busy)
        ctx.tasks.sig_error.connect(self.show_task_error)
        ctx.sig_status_message.connect(self.statusBar().showMessage)
        ctx.sig_account_changed.connect(self._account_changed)
        ctx.sig_connection_changed.connect(self._connection_changed)
        self.attached = True
        self._connection_changed(reload=False)
        if 0 <= shown < self.tabs.count():
            self.tabs.setCurrentIndex(shown)
        self.restore_state()
        self._fit_to_screen()
        install_section_focus(self)
        # Enter on a price orders that product, as on Products.
        self.pricing_tab.view.activated.connect(lambda _index: self.new_order())

    # -- extension API -----------------------------------------------------------------------

    def add_action(self, slot: MenuSlot, action: QAction) -> QAction:
        """Put ``action`` in the menu at ``slot``; its shortcut works anywhere in the window."""
        self._slots.add_action(slot, action)
        self.addAction(action)
        return action

    def add_menu(self, slot: MenuSlot, submenu: QMenu) -> None:
        """Put a submenu in the menu at ``slot``."""
        self._slots.add_menu(slot, submenu)

    def new_action(
        self,
        text: str,
        slot: Callable[[], object],
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
    ) -> QAction:
        """A window-wide action (shortcut active in every tab), not yet in any menu."""
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        return action

    # -- behaviour ---------------------------------------------------------------------------

    def load_all(self) -> None:
        """First load of every tab: three concurrent calls, none blocking the window."""
        self.products_tab.refresh()
        self.pricing_tab.refresh()
        self.orders_tab.refresh()

    def refresh_current(self) -> None:
        from nfctagify_desktop.ui.tabs.catalogue_tab import CatalogueTab
        from nfctagify_desktop.ui.tabs.orders_tab import OrdersTab

        tab = self.tabs.currentWidget()
        if isinstance(tab, (CatalogueTab, OrdersTab)) or hasattr(tab, "refresh"):
            tab.refresh()

    def focus_filter(self) -> None:
        from nfctagify_desktop.ui.tabs.catalogue_tab import CatalogueTab
        from nfctagify_desktop.ui.tabs.orders_tab import OrdersTab

        tab = self.tabs.currentWidget()
        if isinstance(tab, CatalogueTab):
            tab.focus_filter()
        elif isinstance(tab, OrdersTab):
            tab.focus_search()
        elif hasattr(tab, "focus_filter"):
            tab.focus_filter()

    def new_order(self) -> None:
        """File > New order: for the product selected in Products or Pricing, if any."""
        product = None
        if self.tabs.currentWidget() is self.products_tab:
            product = self.products_tab.selected_product()
        elif self.tabs.currentWidget() is self.pricing_tab:
            product_id = self.pricing_tab.selected_product_id()
            product = self.products_tab.product_by_id(product_id) if product_id else None
        self.ctx.sig_new_order_requested.emit(product)

    def show_order(self, order_id: str) -> None:
        """Bring the window forward on the Orders tab with ``order_id`` selected."""
        self.showNormal()
        self.raise_()
        self.activateWindow()
        self.tabs.setCurrentWidget(self.orders_tab)
        if not self.orders_tab.select_order(order_id):
            # Not on the current page (a notification, the digest): show its detail anyway.
            self.orders_tab.load_detail(order_id)

    def show_task_error(self, key: str, exc: object) -> None:
        """A background failure no view handled: say it where the user looks."""
        from nfctagify_desktop.ui.errors import describe

        text = describe(exc).text if isinstance(exc, BaseException) else str(exc)
        self.statusBar().showMessage(f"{text} (details in the log file)", TASK_ERROR_MS)

    def _account_changed(self) -> None:
        """Another account: nothing of the previous one may stay on screen, not for a moment."""
        self.products_tab.clear_for_account()
        self.pricing_tab.clear_for_account()
        self.orders_tab.clear_for_account()

    def _connection_changed(self, reload: bool = True) -> None:
        conn = self.ctx.connection
        self.setWindowTitle(f"{APP_NAME} — {conn.profile}")
        self.status_widgets.show_account(conn.profile, conn.base_url, sandbox=conn.is_sandbox)
        if reload:
            self.load_all()

    def support_text(self, error: BaseException) -> str:
        from nfctagify_desktop.api.errors import ApiError
        from nfctagify_desktop.support import support_details

        if not isinstance(error, ApiError):
            return redact(f"{type(error).__name__}: {error}", self.ctx.connection.secrets)
        conn = self.ctx.connection
        return support_details(
            error, account_id=conn.account_id, base_url=conn.base_url, secrets=conn.secrets
        )

    def show_about(self) -> None:
        from nfctagify_desktop.ui.help_menu import AboutDialog

        dialog = AboutDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()  # never exec(): a nested loop inside a running asyncio task is refused

    # -- state -------------------------------------------------------------------------------

    def restore_state(self) -> None:
        window_state.restore_state(self)

    def save_state(self) -> None:
        window_state.save_state(self)

    def _fit_to_screen(self) -> None:
        """The default or restored size, within the screen: a window saved on a large monitor
        (or at a lower scale) must not open with its controls off-screen."""
        fit_window(self)
        fit_on_show(self, center=False)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            # The children are drawn in this same frame: tell once it has been flushed.
            QTimer.singleShot(0, self.sig_first_painted.emit)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.attached:
            self.save_state()
        super().closeEvent(event)
        QTimer.singleShot(0, self.sig_closed.emit)
