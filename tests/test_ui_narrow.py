"""Narrow windows: chips wrap, labels elide with the whole text as a tooltip, columns give way."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QTableView, QToolButton
from pytestqt.qtbot import QtBot

from nfctagify_desktop.ui.widgets.column_priority import ColumnPriorities
from nfctagify_desktop.ui.widgets.elided_label import ElidedLabel
from nfctagify_desktop.ui.widgets.flow_layout import flow_container


def test_flow_layout_wraps_onto_more_lines_when_narrow(qtbot: QtBot) -> None:
    box, layout = flow_container()
    qtbot.addWidget(box)
    chips = [QToolButton(text=f"Status {n} 1,234") for n in range(6)]
    for chip in chips:
        layout.addWidget(chip)
    wide = layout.sizeHint().width() + 10
    one_line = layout.heightForWidth(wide)
    box.resize(wide, one_line)
    box.show()
    qtbot.waitExposed(box)
    assert len({c.y() for c in chips}) == 1
    narrow = chips[0].sizeHint().width() * 2 + 20
    assert layout.heightForWidth(narrow) >= 3 * one_line
    box.resize(narrow, layout.heightForWidth(narrow))
    qtbot.waitUntil(lambda: len({c.y() for c in chips}) >= 3)
    for chip in chips:  # every chip whole and inside the box
        assert box.rect().contains(chip.geometry())
    assert layout.minimumSize().width() <= max(c.sizeHint().width() for c in chips)


def test_elided_label_shortens_and_tells_the_whole_text(qtbot: QtBot) -> None:
    text = "Sandbox · http://127.0.0.1:43117 (demo data, nothing is really ordered)"
    label = ElidedLabel(text)
    label.setToolTip("The account in use")
    qtbot.addWidget(label)
    label.resize(label.fontMetrics().horizontalAdvance(text) + 20, 20)
    label.show()
    qtbot.waitExposed(label)
    assert not label.is_elided()
    assert label.displayed_text() == text
    assert label.toolTip() == "The account in use"
    label.resize(120, 20)
    qtbot.waitUntil(label.is_elided)
    assert label.displayed_text().endswith("…")
    assert len(label.displayed_text()) < len(text)
    assert label.toolTip().startswith(text)
    assert label.minimumSizeHint().width() < 120
    assert label.full_text() == text


_ROOT = QModelIndex()


class _Model(QAbstractTableModel):
    HEADERS = ("Order", "Created", "Status", "Product", "Qty", "Total", "Reference")

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 3

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return len(self.HEADERS)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> object:
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{self.HEADERS[index.column()]} value {index.row()}"
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> object:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section]
        return None


def test_least_important_columns_hide_first_and_come_back(qtbot: QtBot) -> None:
    view = QTableView()
    qtbot.addWidget(view)
    model = _Model(view)
    view.setModel(model)
    view.horizontalHeader().setStretchLastSection(True)
    view.resizeColumnsToContents()
    # Order, Status, Total essential; then Qty, Created, Product, Reference.
    fit = ColumnPriorities(view, {0: 0, 2: 0, 5: 0, 4: 1, 1: 2, 3: 3, 6: 4})
    header = view.horizontalHeader()
    view.setColumnHidden(3, True)  # the user hid Product: it stays hidden whatever the width
    fit.auto_hidden.discard(3)
    total = sum(header.sectionSize(c) for c in range(model.columnCount())) + 80
    view.resize(total, 200)
    view.show()
    qtbot.waitExposed(view)
    qtbot.waitUntil(lambda: not fit.pending)
    assert [header.isSectionHidden(c) for c in range(7)] == [False] * 3 + [True] + [False] * 3
    essential = sum(header.sectionSize(c) for c in (0, 2, 5))
    view.resize(essential + header.sectionSize(4) + 30, 200)
    qtbot.waitUntil(lambda: header.isSectionHidden(6) and header.isSectionHidden(1))
    assert not any(header.isSectionHidden(c) for c in (0, 2, 5, 4))
    assert fit.auto_hidden == {1, 6}
    view.resize(total, 200)
    qtbot.waitUntil(lambda: not header.isSectionHidden(6))
    assert header.isSectionHidden(3)  # the user's choice was kept
    assert fit.auto_hidden == set()
    view.resize(60, 200)
    qtbot.waitUntil(lambda: header.isSectionHidden(4))
    assert not any(header.isSectionHidden(c) for c in (0, 2, 5))  # essential never hide
    fit.show_all()
    assert [c for c in range(7) if header.isSectionHidden(c)] == [3]


def test_an_elastic_column_gives_up_width_before_any_column_hides(qtbot: QtBot) -> None:
    view = QTableView()
    qtbot.addWidget(view)
    model = _Model(view)
    view.setModel(model)
    view.horizontalHeader().setStretchLastSection(True)
    view.resizeColumnsToContents()
    header = view.horizontalHeader()
    header.resizeSection(3, 220)  # Product, wide
    fit = ColumnPriorities(view, {0: 0, 2: 0, 5: 0, 4: 1, 1: 2, 3: 3, 6: 4}, elastic={3: 90})
    widths = {c: header.sectionSize(c) for c in range(model.columnCount())}
    total = sum(widths.values())
    view.resize(total + 60, 200)
    view.show()
    qtbot.waitExposed(view)
    qtbot.waitUntil(lambda: not fit.pending)
    assert header.sectionSize(3) == 220
    view.resize(total - 100 + view.width() - view.viewport().width(), 200)  # 100 px short
    qtbot.waitUntil(lambda: header.sectionSize(3) < 220)
    assert not any(header.isSectionHidden(c) for c in range(7))  # nothing hidden yet
    assert 90 <= header.sectionSize(3) <= 130
    view.resize(total + 60, 200)
    qtbot.waitUntil(lambda: header.sectionSize(3) == 220)  # the full width comes back
    fit.show_all()
    assert header.sectionSize(3) == 220
