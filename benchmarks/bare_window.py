"""A yardstick for start-up: the least a PySide6 app does to paint a window with a table.

``python benchmarks/bare_window.py`` creates the QApplication, a main window with a tab holding
a 20 x 8 table of text, shows it and exits at once after the table's first paint, as
``--exit-after-paint`` does. Whatever the app costs beyond this is its own.
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


def main() -> None:
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
