"""The main window: Products, Pricing and Orders tabs, status bar, menus and shortcuts.

Built in two steps so that it can be on screen before the network stack is loaded: the
window first shows the mirror's orders (:class:`~nfctagify_desktop.ui.first_paint.
FirstPaintOrders`) in its place; :meth:`MainWindow.attach` then builds the real tabs, menus and
services around it. Nothing this module imports at the top loads httpx or pydantic.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QPaintEvent
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMenu,
    QProgressBar,
    QTabWidget,
    QWidget,
)

from nfctagify_desktop import APP_NAME
from nfctagify_desktop.paths import config_dir
from nfctagify_desktop.redaction import redact
from nfctagify_desktop.ui import theme
from nfctagify_desktop.ui.geometry import fit_on_show, fit_window
from nfctagify_desktop.ui.menu_slots import MenuSlot as MenuSlot
from nfctagify_desktop.ui.widgets.elided_label import ElidedLabel
from nfctagify_desktop.ui.widgets.table_view import TableView

if TYPE_CHECKING:
    from nfctagify_desktop.services.container import Services
    from nfctagify_desktop.ui.tabs.outbox_tab import OutboxTab

SETTINGS_VERSION = 1


def window_settings() -> QSettings:
    """Geometry and column state, in an INI file beside settings.json (never the API key)."""
    return QSettings(str(config_dir() / "window.ini"), QSettings.Format.IniFormat)


#: Status-bar time of an unhandled background failure.
TASK_ERROR_MS = 15_000


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
        self._build_status_bar()
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
            saved = self._restore_geometry()
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
        from nfctagify_desktop.ui.help_menu import install_help
        from nfctagify_desktop.ui.notifier import install_notifier
        from nfctagify_desktop.ui.tabs.catalogue_tab import PricingTab, ProductsTab
        from nfctagify_desktop.ui.tabs.orders_menu import install_order_output
        from nfctagify_desktop.ui.tabs.orders_tab import OrdersTab
        from nfctagify_desktop.ui.tabs.saved_views import install_saved_views
        from nfctagify_desktop.ui.tabs.table_menus import install_table_menus
        from nfctagify_desktop.ui.widgets.link_indicator import LinkIndicator

        self.services = services
        self.ctx = ctx = services.ctx
        # Between the busy bar and the account: whether the last call reached the server.
        self.link_indicator = LinkIndicator(ctx.link)
        self.statusBar().insertPermanentWidget(2, self.link_indicator)
        self.products_tab = ProductsTab(ctx)
        self.pricing_tab = PricingTab(ctx)
        self.orders_tab = OrdersTab(services)
        placeholders = [self.tabs.widget(i) for i in range(self.tabs.count())]
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
        self._build_menus()
        self.outbox_tab = self._install_ordering()
        self.notifier = install_notifier(self, services)
        install_help(self)
        install_order_output(self)
        install_digest(self)
        install_saved_views(self)
        install_table_menus(self)
        self.notifier.sig_order_activated.connect(self.show_order)
        ctx.tasks.sig_busy_changed.connect(self._busy_changed)
        ctx.tasks.sig_error.connect(self.show_task_error)
        ctx.sig_status_message.connect(self.statusBar().showMessage)
        ctx.sig_account_changed.connect(self._account_changed)
        ctx.sig_connection_changed.connect(self._connection_changed)
        self.attached = True
        self._connection_changed(reload=False)
        self.restore_state()
        self._fit_to_screen()

    # -- building ----------------------------------------------------------------------------

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.busy_bar = QProgressBar()
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setMaximumWidth(110)
        self.busy_bar.setMaximumHeight(14)
        self.busy_bar.setTextVisible(False)
        self.busy_bar.setAccessibleName("Working")
        self.busy_bar.hide()
        self.busy_label = QLabel("")
        # Elided in a narrow window (the whole text is its tooltip), never cut mid-letter.
        self.connection_label = ElidedLabel(mode=Qt.TextElideMode.ElideMiddle)
        self.connection_label.setAccessibleName("Connected account")
        self.sandbox_badge = QLabel(" SANDBOX ")
        self.sandbox_badge.setObjectName("sandboxBadge")
        self.sandbox_badge.setAccessibleName("Sandbox mode")
        self.sandbox_badge.setToolTip(
            "Using the built-in local sandbox: demo data, nothing is really ordered"
        )
        theme.use(
            self.sandbox_badge,
            "badge.sandbox",
            selector="#sandboxBadge",
            extra="font-weight: 700; border-radius: 4px; padding: 1px 6px;",
        )
        bar.addPermanentWidget(self.busy_label)
        bar.addPermanentWidget(self.busy_bar)
        bar.addPermanentWidget(self.connection_label)
        bar.addPermanentWidget(self.sandbox_badge)

    def _action(
        self,
        text: str,
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None,
        slot: object,
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_menus(self) -> None:
        menu = self.menuBar()
        file_menu = menu.addMenu("&File")
        self.new_order_action = self._action(
            "&New order…", QKeySequence.StandardKey.New, self._new_order
        )
        file_menu.addAction(self.new_order_action)
        self.file_menu = file_menu
        # Each slot is a separator: added items go just before it (Qt hides doubled ones).
        self._slots: dict[MenuSlot, tuple[QMenu, QAction]] = {}
        self._slots[MenuSlot.FILE_CREATE] = (file_menu, file_menu.addSeparator())
        self._slots[MenuSlot.FILE_OUTPUT] = (file_menu, file_menu.addSeparator())
        self._slots[MenuSlot.FILE_ACCOUNT] = (file_menu, file_menu.addSeparator())
        self.quit_action = self._action("&Quit", QKeySequence.StandardKey.Quit, self.close)
        file_menu.addAction(self.quit_action)

        view_menu = menu.addMenu("&View")
        for n, (label, tab) in enumerate(
            (
                ("Products", self.products_tab),
                ("Pricing", self.pricing_tab),
                ("Orders", self.orders_tab),
            ),
            start=1,
        ):
            view_menu.addAction(
                self._action(
                    f"{label}", f"Ctrl+{n}", lambda _=False, t=tab: self.tabs.setCurrentWidget(t)
                )
            )
        self._slots[MenuSlot.VIEW_SECTIONS] = (view_menu, view_menu.addSeparator())
        self.refresh_action = self._action(
            "&Refresh", QKeySequence.StandardKey.Refresh, self.refresh_current
        )
        self.refresh_action.setShortcuts([QKeySequence("F5"), QKeySequence("Ctrl+R")])
        view_menu.addAction(self.refresh_action)
        self.find_action = self._action(
            "&Filter…", QKeySequence.StandardKey.Find, self.focus_filter
        )
        view_menu.addAction(self.find_action)
        self.view_menu = view_menu

        help_menu = menu.addMenu("&Help")
        self._slots[MenuSlot.HELP] = (help_menu, help_menu.addSeparator())
        help_menu.addAction(self._action(f"&About {APP_NAME}", None, self.show_about))
        self.help_menu = help_menu

    # -- extension API -----------------------------------------------------------------------

    def add_action(self, slot: MenuSlot, action: QAction) -> QAction:
        """Put ``action`` in the menu at ``slot``; its shortcut works anywhere in the window."""
        menu, anchor = self._slots[slot]
        menu.insertAction(anchor, action)
        if not action.shortcut().isEmpty():
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.addAction(action)
        return action

    def add_menu(self, slot: MenuSlot, submenu: QMenu) -> None:
        """Put a submenu in the menu at ``slot``."""
        menu, anchor = self._slots[slot]
        menu.insertMenu(anchor, submenu)

    def new_action(
        self, text: str, slot: Callable[[], object], shortcut: str | None = None
    ) -> QAction:
        """A window-wide action (shortcut active in every tab), not yet in any menu."""
        action = QAction(text, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        return action

    def _install_ordering(self) -> OutboxTab:
        """The Outbox tab after Orders (Ctrl+4), CSV import/template in File, the order form."""
        from nfctagify_desktop.ui.dialogs.bulk_import import open_bulk_import
        from nfctagify_desktop.ui.dialogs.bulk_import.template import save_template_dialog
        from nfctagify_desktop.ui.dialogs.order_form import open_order_form
        from nfctagify_desktop.ui.tabs.outbox_tab import OutboxTab

        services = self.services
        tab = OutboxTab(services)
        tabs = self.tabs
        index = tabs.insertTab(tabs.indexOf(self.orders_tab) + 1, tab, "Outbo&x")

        def count_changed(n: int) -> None:
            tabs.setTabText(tabs.indexOf(tab), f"Outbo&x ({n})" if n else "Outbo&x")

        tab.sig_count_changed.connect(count_changed)
        count_changed(tab.model.rowCount())
        tabs.setTabToolTip(index, "Orders not placed yet (Ctrl+4)")
        show_outbox = self.new_action("Outbox", lambda: tabs.setCurrentWidget(tab), "Ctrl+4")
        self.add_action(MenuSlot.VIEW_SECTIONS, show_outbox)
        self.import_csv_action = self.add_action(
            MenuSlot.FILE_CREATE,
            self.new_action(
                "&Import orders from a file…", lambda: open_bulk_import(services, self), "Ctrl+I"
            ),
        )
        self.csv_template_action = self.add_action(
            MenuSlot.FILE_CREATE,
            self.new_action("Save order file &template…", lambda: save_template_dialog(self)),
        )
        self.ctx.sig_show_order_requested.connect(self.show_order)
        self.ctx.sig_new_order_requested.connect(
            lambda request: open_order_form(services, request, self)
        )
        self.orders_tab.sig_page_loaded.connect(
            lambda page: services.ordering.note_orders(page.orders)
        )
        return tab

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

    def _new_order(self) -> None:
        product = None
        if self.tabs.currentWidget() is self.products_tab:
            product = self.products_tab.selected_product()
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

    def _busy_changed(self, count: int) -> None:
        self.busy_bar.setVisible(count > 0)
        self.busy_label.setText("Loading…" if count > 0 else "")

    def _account_changed(self) -> None:
        """Another account: nothing of the previous one may stay on screen, not for a moment."""
        self.products_tab.clear_for_account()
        self.pricing_tab.clear_for_account()
        self.orders_tab.clear_for_account()

    def _connection_changed(self, reload: bool = True) -> None:
        conn = self.ctx.connection
        self.setWindowTitle(f"{APP_NAME} — {conn.profile}")
        self.connection_label.setText(f"{conn.profile} · {conn.base_url}")
        self.sandbox_badge.setVisible(conn.is_sandbox)
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

    def _restore_geometry(self) -> QSettings | None:
        settings = window_settings()
        if int(settings.value("version", 0, int)) != SETTINGS_VERSION:  # type: ignore[call-overload]
            return None
        geometry = settings.value("geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        return settings

    def restore_state(self) -> None:
        settings = self._restore_geometry()
        if settings is None:
            return
        splitter = settings.value("orders_splitter")
        if splitter is not None:
            self.orders_tab.splitter.restoreState(splitter)
        for view in self._views():
            view.restore_state(settings)
        self.orders_tab.apply_sort()  # the remembered sort wins over the header's saved state
        tab = int(settings.value("tab", 0, int))  # type: ignore[call-overload]
        if 0 <= tab < self.tabs.count():
            self.tabs.setCurrentIndex(tab)

    def _fit_to_screen(self) -> None:
        """The default or restored size, within the screen: a window saved on a large monitor
        (or at a lower scale) must not open with its controls off-screen."""
        fit_window(self)
        fit_on_show(self, center=False)

    def save_state(self) -> None:
        settings = window_settings()
        settings.setValue("version", SETTINGS_VERSION)
        settings.setValue("geometry", self.saveGeometry())
        settings.setValue("orders_splitter", self.orders_tab.splitter.saveState())
        settings.setValue("tab", self.tabs.currentIndex())
        for view in self._views():
            view.save_state(settings)
        settings.sync()

    def _views(self) -> list[TableView]:
        return [self.products_tab.view, self.pricing_tab.view, self.orders_tab.view]

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
