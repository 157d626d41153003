"""Products and Pricing tabs: a filterable, sortable list fetched in one call."""

from __future__ import annotations

from collections.abc import Coroutine, Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import QEvent, QObject, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from nfctagify_desktop.api.models import PriceEntry, Product
from nfctagify_desktop.services.context import AppContext
from nfctagify_desktop.ui import theme
from nfctagify_desktop.ui.models.products_model import PricingModel, ProductsModel
from nfctagify_desktop.ui.models.table import SORT_ROLE, ListTableModel
from nfctagify_desktop.ui.widgets.banner import ErrorBanner
from nfctagify_desktop.ui.widgets.table_view import NOT_LOADED, TableView


class CatalogueTab(QWidget):
    """Base of the Products and Pricing tabs.

    Signals:
        sig_loaded(int): rows shown after a successful load.
    """

    sig_loaded = Signal(int)
    task_key = ""
    noun = "items"

    def __init__(self, ctx: AppContext, model: ListTableModel, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.model = model
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(model)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(-1)

        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText(f"Filter {self.noun}…  (Ctrl+F)")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setAccessibleName(f"Filter {self.noun}")
        self.filter_edit.textChanged.connect(self.proxy.setFilterFixedString)
        self.filter_edit.installEventFilter(self)
        self.refresh_button = QPushButton("Refresh")
        self.refresh_button.setToolTip("Reload from the Partner API (F5)")
        self.refresh_button.setAccessibleName(f"Refresh {self.noun}")
        self.refresh_button.clicked.connect(self.refresh)
        self.info_label = QLabel()
        self.info_label.setAccessibleName(f"{self.noun.capitalize()} summary")

        self.toolbar = QHBoxLayout()
        self.toolbar.addWidget(self.filter_edit, 1)
        self.toolbar.addWidget(self.refresh_button)

        self.banner = ErrorBanner()
        self.view = TableView(f"{self.task_key}Table")
        self.view.setModel(self.proxy)
        self.view.setAccessibleName(f"{self.noun.capitalize()} table")
        self.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)

        self.main_layout = QVBoxLayout(self)
        self.main_layout.addLayout(self.toolbar)
        self.main_layout.addWidget(self.banner)
        self.main_layout.addWidget(self.view, 1)
        self.main_layout.addWidget(self.info_label)
        self.loaded_at: datetime | None = None
        self.view.set_placeholder(NOT_LOADED)

    def fetch(self) -> Coroutine[Any, Any, Sequence[Any]]:
        raise NotImplementedError

    def clear_for_account(self) -> None:
        """Another account is in use: drop every row of the previous one at once."""
        self.ctx.tasks.cancel(self.task_key)
        self.banner.clear()
        self.model.set_rows([])
        self.loaded_at = None
        self.info_label.setText(NOT_LOADED)
        self.view.set_placeholder(NOT_LOADED)

    def refresh(self) -> None:
        loading = f"Loading {self.noun}…"
        self.info_label.setText(
            f"{NOT_LOADED} — {loading.lower()}" if self.loaded_at is None else loading
        )
        self.ctx.run(self.task_key, self.fetch(), self._loaded, self._failed)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """In the filter: Down moves into the rows, Enter acts on the selected one (type a few
        letters, then Enter orders the product found)."""
        if watched is self.filter_edit and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_PageDown):
                self._into_rows()
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.proxy.rowCount() > 0:
                self._into_rows()
                self.enter_pressed()
                return True
        return super().eventFilter(watched, event)

    def _into_rows(self) -> None:
        if self.proxy.rowCount() == 0:
            return
        if not self.view.currentIndex().isValid():
            self.view.selectRow(0)
        self.view.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def enter_pressed(self) -> None:
        """Enter in the filter, on the selected row (nothing more to do for a price)."""

    def focus_filter(self) -> None:
        self.filter_edit.setFocus()
        self.filter_edit.selectAll()

    def summary(self, rows: Sequence[Any]) -> str:
        return f"{len(rows)} {self.noun}"

    def _loaded(self, rows: Sequence[Any]) -> None:
        self.banner.clear()
        self.view.set_placeholder(f"No {self.noun}")
        self.model.set_rows(rows)
        self.loaded_at = datetime.now()
        self.info_label.setText(f"{self.summary(rows)} · updated {self.loaded_at:%H:%M:%S}")
        if self.view.currentIndex().row() < 0 and self.proxy.rowCount() > 0:
            self.view.selectRow(0)
        self.sig_loaded.emit(len(rows))

    def _failed(self, exc: BaseException) -> None:
        if self.loaded_at is None:
            self.info_label.setText(f"{NOT_LOADED} — could not load {self.noun}")
        else:
            self.info_label.setText(f"Could not load {self.noun}; showing what was loaded before")
        self.banner.show_error(exc, retry=self.refresh)

    def selected_row(self) -> Any:
        index = self.view.currentIndex()
        if not index.isValid():
            return None
        return self.model.row_at(self.proxy.mapToSource(index).row())


class ProductsTab(CatalogueTab):
    task_key = "products"
    noun = "products"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, ProductsModel(), parent)
        # Narrow window: name and price stay; the product ID goes first.
        # The description (last, stretched) gives up width before the product name does.
        self.view.set_column_priorities({0: 0, 1: 0, 2: 1, 4: 2, 3: 3}, elastic={0: 170, 4: 160})
        self.order_button = QPushButton("Order…")
        self.order_button.setToolTip("Order the selected product (Enter)")
        self.order_button.setAccessibleName("Order the selected product")
        self.order_button.setEnabled(False)
        self.order_button.clicked.connect(self.order_selected)
        self.toolbar.addWidget(self.order_button)
        self.view.selectionModel().currentRowChanged.connect(
            lambda *_: self.order_button.setEnabled(self.selected_product() is not None)
        )
        self.view.activated.connect(lambda *_: self.order_selected())

    def fetch(self) -> Coroutine[Any, Any, Sequence[Product]]:
        return self.ctx.client.list_products()

    def selected_product(self) -> Product | None:
        row = self.selected_row()
        return row if isinstance(row, Product) else None

    def enter_pressed(self) -> None:
        self.order_selected()

    def product_by_id(self, product_id: str) -> Product | None:
        """The catalogue's product with this id (None before the catalogue has loaded)."""
        row = self.model.row_of(lambda p: isinstance(p, Product) and p.product_id == product_id)
        item = self.model.row_at(row) if row >= 0 else None
        return item if isinstance(item, Product) else None

    def order_selected(self) -> None:
        product = self.selected_product()
        if product is not None:
            self.ctx.sig_new_order_requested.emit(product)


class PricingTab(CatalogueTab):
    task_key = "pricing"
    noun = "prices"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, PricingModel(), parent)
        self.view.set_column_priorities(
            {0: 0, 1: 0, 4: 1, 2: 1, 3: 2, 5: 3, 6: 4}, elastic={0: 170}
        )
        note = QLabel(
            "Custom prices are configured for your account by NFC Tagify and are highlighted. "
            "To review them, contact your NFC Tagify account manager."
        )
        note.setWordWrap(True)
        note.setObjectName("pricingHint")
        theme.use(note, "hint")
        self.main_layout.insertWidget(1, note)

    def fetch(self) -> Coroutine[Any, Any, Sequence[PriceEntry]]:
        return self.ctx.client.get_pricing()

    def selected_product_id(self) -> str | None:
        row = self.selected_row()
        return row.product_id if isinstance(row, PriceEntry) else None

    def enter_pressed(self) -> None:
        """Enter in the filter: as Enter on the row (orders that product)."""
        self.view.activated.emit(self.view.currentIndex())

    def summary(self, rows: Sequence[Any]) -> str:
        custom = sum(1 for r in rows if isinstance(r, PriceEntry) and r.is_override)
        return f"{len(rows)} prices, {custom} custom"


__all__ = ["CatalogueTab", "PricingTab", "ProductsTab"]
