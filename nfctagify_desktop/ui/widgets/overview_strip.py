"""The strip above the orders list: a clickable count per status and this week's orders."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QButtonGroup, QLabel, QSizePolicy, QToolButton, QWidget

from nfctagify_desktop.order_status import KNOWN_STATUSES, OrderStatus
from nfctagify_desktop.ui import theme
from nfctagify_desktop.ui.format import status_label
from nfctagify_desktop.ui.widgets.flow_layout import FlowLayout

_CHIP_STYLE = """
QToolButton#{name} {{
    border: 1px solid {bg}; border-radius: 11px; padding: 2px 10px;
    background: palette(base); color: palette(text);
}}
QToolButton#{name}:hover {{ background: {hover}; }}
QToolButton#{name}:checked {{ background: {bg}; color: {fg}; font-weight: 600; }}
"""


def _chip_style(name: str, role: str) -> str:
    s = theme.swatch(role)
    assert s.bg is not None
    hover = QColor(s.bg)
    hover.setAlphaF(theme.CHIP_HOVER_ALPHA)
    rgba = f"rgba({hover.red()}, {hover.green()}, {hover.blue()}, {hover.alpha()})"
    return _CHIP_STYLE.format(name=name, bg=s.bg, fg=s.fg, hover=rgba)


class OverviewStrip(QWidget):
    """Counts per status as chips; clicking one filters the list by that status.

    Signals:
        sig_status_clicked(object): an OrderStatus, or None for "All".
    """

    sig_status_clicked = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("overviewStrip")
        self.setAccessibleName("Orders overview")
        # Chips wrap onto a second line in a narrow window instead of being cut off.
        layout = FlowLayout(self, spacing=6)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.all_chip = self._chip("chipAll", "status.all")
        self.all_chip.clicked.connect(lambda: self.sig_status_clicked.emit(None))
        layout.addWidget(self.all_chip)
        self.chips: dict[OrderStatus, QToolButton] = {}
        for status in KNOWN_STATUSES:
            chip = self._chip(f"chip{status.value.capitalize()}", theme.status_role(status))
            chip.clicked.connect(lambda _=False, s=status: self.sig_status_clicked.emit(s))
            self.chips[status] = chip
            layout.addWidget(chip)
        self.week_label = QLabel()
        self.week_label.setObjectName("weekLabel")
        self.week_label.setAccessibleName("Orders this week")
        self.week_label.setContentsMargins(6, 0, 0, 0)
        self.week_label.setMinimumHeight(self.all_chip.sizeHint().height())
        layout.addWidget(self.week_label)
        self.counts: dict[OrderStatus, int] = {}
        self.this_week: int | None = None
        self.all_chip.setChecked(True)
        self.set_counts({}, None)

    def _chip(self, name: str, role: str) -> QToolButton:
        chip = QToolButton()
        chip.setObjectName(name)
        chip.setCheckable(True)
        chip.setAutoRaise(False)
        theme.keep_styled(chip, lambda: _chip_style(name, role))
        self.group.addButton(chip)
        return chip

    def set_counts(
        self,
        counts: dict[OrderStatus, int],
        this_week: int | None,
        *,
        source: str = "",
    ) -> None:
        """Show ``counts`` (missing statuses show 0); ``source`` goes in the tooltips."""
        self.counts = dict(counts)
        self.this_week = this_week
        total = sum(counts.get(s, 0) for s in KNOWN_STATUSES)
        tip = f" ({source})" if source else ""
        self.all_chip.setText(f"All {total:,}")
        self.all_chip.setToolTip(f"Show orders of every status{tip}")
        self.all_chip.setAccessibleName(f"All orders: {total}")
        for status, chip in self.chips.items():
            n = counts.get(status, 0)
            label = status_label(status)
            chip.setText(f"{label} {n:,}")
            chip.setToolTip(f"Show only {label.lower()} orders{tip}")
            chip.setAccessibleName(f"{label}: {n} orders")
        if this_week is None:
            self.week_label.setText("")
        else:
            noun = "order" if this_week == 1 else "orders"
            self.week_label.setText(f"<b>{this_week:,}</b> {noun} this week")
            self.week_label.setToolTip(f"Orders created since Monday{tip}")

    def set_current(self, status: OrderStatus | None) -> None:
        """Reflect the Orders tab's status filter (no signal)."""
        chip = self.all_chip if status is None else self.chips.get(status, self.all_chip)
        chip.setChecked(True)

    def chip_for(self, status: OrderStatus | None) -> QToolButton:
        return self.all_chip if status is None else self.chips[status]


__all__ = ["OverviewStrip"]
