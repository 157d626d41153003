"""What the main window remembers between runs: geometry, open section, splitter, columns.

Kept in an INI file beside settings.json (never the API key). A file of another layout
version is ignored rather than half applied.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings

from nfctagify_desktop.paths import config_dir

if TYPE_CHECKING:
    from nfctagify_desktop.ui.main_window import MainWindow
    from nfctagify_desktop.ui.widgets.table_view import TableView

SETTINGS_VERSION = 1


def window_settings() -> QSettings:
    return QSettings(str(config_dir() / "window.ini"), QSettings.Format.IniFormat)


def restore_geometry(window: MainWindow) -> QSettings | None:
    """Put the window where it was; the saved settings, or None if there are none of ours."""
    settings = window_settings()
    if int(settings.value("version", 0, int)) != SETTINGS_VERSION:  # type: ignore[call-overload]
        return None
    geometry = settings.value("geometry")
    if geometry is not None:
        window.restoreGeometry(geometry)
    return settings


def restore_state(window: MainWindow) -> None:
    """Geometry, the orders splitter, every table's columns and the section left open."""
    settings = restore_geometry(window)
    if settings is None:
        return
    splitter = settings.value("orders_splitter")
    if splitter is not None:
        window.orders_tab.splitter.restoreState(splitter)
    for view in _views(window):
        view.restore_state(settings)
    window.orders_tab.apply_sort()  # the remembered sort wins over the header's saved state
    tab = int(settings.value("tab", 0, int))  # type: ignore[call-overload]
    if 0 <= tab < window.tabs.count():
        window.tabs.setCurrentIndex(tab)


def save_state(window: MainWindow) -> None:
    settings = window_settings()
    settings.setValue("version", SETTINGS_VERSION)
    settings.setValue("geometry", window.saveGeometry())
    settings.setValue("orders_splitter", window.orders_tab.splitter.saveState())
    settings.setValue("tab", window.tabs.currentIndex())
    for view in _views(window):
        view.save_state(settings)
    settings.sync()


def _views(window: MainWindow) -> list[TableView]:
    return [window.products_tab.view, window.pricing_tab.view, window.orders_tab.view]
