"""The Help menu: keyboard shortcuts, our reading of the API, the vendor's help, and About.

The shortcuts list is read from the window's own actions, so it can never disagree with what
the keys really do.
"""

from __future__ import annotations

import platform
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QSize, Qt, QUrl, qVersion
from PySide6.QtGui import QAction, QDesktopServices, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from nfctagify_desktop import APP_NAME
from nfctagify_desktop.paths import data_dir, log_dir, resource_path
from nfctagify_desktop.ui.geometry import fit_on_show
from nfctagify_desktop.ui.menu_slots import MenuSlot

if TYPE_CHECKING:
    from nfctagify_desktop.ui.main_window import MainWindow

#: The vendor's public help page for the Partner API.
VENDOR_HELP_URL = "https://nfctagify.com/help-center/partner-api"

#: Keys that are not menu actions but work everywhere they make sense.
FIXED_KEYS = [
    ("Enter", "Open the selected order's detail, or order the selected product"),
    ("Menu key / Shift+F10", "The selected rows' menu: copy, reorder, print"),
    ("Ctrl+C", "Copy the selected rows (tab-separated, pastes into a spreadsheet)"),
    ("Ctrl+Click / Shift+Click", "Select several orders (reorder or print them together)"),
    ("Esc", "Close the order form (what was typed stays as a draft)"),
]


def _plain(text: str) -> str:
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…").strip()


def shortcut_rows(window: QWidget) -> list[tuple[str, str]]:
    """(keys, what they do) for every action of the window that has a shortcut."""
    rows: dict[str, str] = {}
    for action in window.findChildren(QAction):
        keys = [
            s.toString(QKeySequence.SequenceFormat.NativeText)
            for s in action.shortcuts()
            if not s.isEmpty()
        ]
        text = _plain(action.text())
        if keys and text:
            rows.setdefault(" / ".join(keys), text)
    listed = sorted(rows.items(), key=lambda kv: (kv[1].casefold(), kv[0]))
    # A key that is also an action (Ctrl+C) is listed once, with the longer explanation.
    fixed = dict(FIXED_KEYS)
    listed = [(keys, text) for keys, text in listed if keys not in fixed]
    return listed + FIXED_KEYS


class ShortcutsDialog(QDialog):
    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setWindowTitle("Keyboard shortcuts")
        rows = shortcut_rows(window)
        self.table = QTableWidget(len(rows), 2, self)
        self.table.setAccessibleName("Keyboard shortcuts")
        self.table.setHorizontalHeaderLabels(["Keys", "Does"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, (keys, text) in enumerate(rows):
            self.table.setItem(row, 0, QTableWidgetItem(keys))
            self.table.setItem(row, 1, QTableWidgetItem(text))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        # One line per key, every row the same height (a wrapped row was three lines tall).
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        for row, (_keys, text) in enumerate(rows):
            item = self.table.item(row, 1)
            if item is not None:
                item.setToolTip(text)
        # Tall enough for every row where the screen allows (fit_on_show clamps it).
        rows_height = self.table.verticalHeader().defaultSectionSize() * len(rows)
        height = rows_height + header.sizeHint().height() + buttons.sizeHint().height() + 48
        fit_on_show(self, QSize(640, max(460, height)))


def assumptions_path() -> Path:
    """docs/api-assumptions.md: bundled under resources/ when frozen, in docs/ from source."""
    bundled = resource_path("docs/api-assumptions.md")
    if bundled.is_file():
        return bundled
    return Path(__file__).resolve().parents[2] / "docs" / "api-assumptions.md"


class AssumptionsDialog(QDialog):
    """Our reading of the points the vendor's help page leaves open."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle("How this app reads the Partner API")
        self.browser = QTextBrowser(self)
        self.browser.setOpenExternalLinks(True)
        self.browser.setAccessibleName("API assumptions")
        path = assumptions_path()
        try:
            self.browser.setMarkdown(path.read_text(encoding="utf-8"))
        except OSError:
            self.browser.setPlainText(f"The document is missing from this installation ({path}).")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        fit_on_show(self, QSize(900, 720))  # a long document: as much of it as fits


def about_text() -> str:
    """Versions and folders, as plain text for a support e-mail."""
    from nfctagify_desktop import __version__

    return "\n".join(
        [
            f"{APP_NAME} {__version__}",
            f"Qt {qVersion()} · PySide6 {pyside_version} · Python {platform.python_version()}",
            f"System: {platform.platform()}"
            + (" (packaged)" if getattr(sys, "frozen", False) else ""),
            f"Data folder: {data_dir()}",
            f"Log folder: {log_dir()}",
        ]
    )


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"About {APP_NAME}")
        heading = QLabel(
            f"<b style='font-size: 14pt'>{APP_NAME}</b><br>"
            "Order NFC business cards and follow your orders through the NFC Tagify Partner API."
        )
        heading.setWordWrap(True)
        self.details = QLabel(about_text())
        self.details.setAccessibleName("Version and folders")
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.copy_button = QPushButton("&Copy for support")
        self.copy_button.clicked.connect(self.copy)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.details)
        layout.addWidget(buttons)
        fit_on_show(self, QSize(520, 220))

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.details.text())
        self.copy_button.setText("Copied")


def _show(dialog: QDialog) -> QDialog:
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()  # never exec(): a nested loop inside a running asyncio task is refused
    return dialog


def install_help(window: MainWindow) -> None:
    """Fill the Help menu (About stays last)."""
    keys = window.new_action(
        "&Keyboard shortcuts…", lambda: _show(ShortcutsDialog(window)), "Ctrl+/"
    )
    keys.setShortcuts([QKeySequence("Ctrl+/"), QKeySequence("F1")])
    window.add_action(MenuSlot.HELP, keys)
    window.add_action(
        MenuSlot.HELP,
        window.new_action("How this app reads the &API…", lambda: _show(AssumptionsDialog(window))),
    )
    window.add_action(
        MenuSlot.HELP,
        window.new_action(
            "Partner API &help (NFC Tagify website)",
            lambda: QDesktopServices.openUrl(QUrl(VENDOR_HELP_URL)),
        ),
    )


__all__ = [
    "AboutDialog",
    "AssumptionsDialog",
    "ShortcutsDialog",
    "about_text",
    "install_help",
    "shortcut_rows",
]
