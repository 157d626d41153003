"""A yardstick for start-up: the least a PySide6 app does to paint a window with a table.

``python benchmarks/bare_window.py`` creates the QApplication, a main window with a tab holding
a 20 x 8 table of text, shows it and exits at once after the table's first paint, as
``--exit-after-paint`` does. Whatever the app costs beyond this is its own.

``--app-imports`` first imports the modules the app's first paint imports (and nothing else of
the app), which splits the app's cost in two: its imports, and building and painting its window.
"""

from __future__ import annotations

import os
import sys

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QTableWidget, QTableWidgetItem, QTabWidget


class _ExitOnPaint(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, lambda: os._exit(0))
        return False


#: What ``app.main`` imports before its first paint (``tests/test_first_paint.py`` checks that
#: the network stack is not among them).
APP_PAINT_MODULES = (
    "nfctagify_desktop.app",
    "nfctagify_desktop.log",
    "nfctagify_desktop.store.startup",
    "nfctagify_desktop.ui.appearance",
    "nfctagify_desktop.ui.first_paint",
    "nfctagify_desktop.ui.main_window",
)


def main() -> None:
    if "--app-imports" in sys.argv[1:]:
        import importlib

        sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        for name in APP_PAINT_MODULES:
            importlib.import_module(name)
    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    tabs = QTabWidget()
    window.setCentralWidget(tabs)
    table = QTableWidget(20, 8)
    tabs.addTab(table, "Orders")
    for row in range(20):
        for column in range(8):
            table.setItem(row, column, QTableWidgetItem(f"cell {row} {column}"))
    window.resize(1320, 800)
    watcher = _ExitOnPaint()
    table.viewport().installEventFilter(watcher)
    window.show()
    app.exec()


if __name__ == "__main__":
    main()
