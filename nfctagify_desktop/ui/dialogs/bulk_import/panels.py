"""The bottom panels of the import dialog: check, confirm (priced, with the time), send, done.

Plain widgets; the dialog switches between them and wires their buttons.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from nfctagify_desktop.ordering.bulk import Progress, SendPlan, Summary
from nfctagify_desktop.ui import theme


def _button(text: str, name: str, *, default: bool = False) -> QPushButton:
    button = QPushButton(text)
    button.setAccessibleName(name)
    button.setAutoDefault(default)
    button.setDefault(default)
    return button


class CheckPanel(QWidget):
    """Counts, "send repeats anyway", and the way on to the confirmation."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.counts = QLabel("Choose a file of orders: CSV, TSV, .xlsx, .xls or .ods.")
        self.counts.setAccessibleName("Row counts")
        self.counts.setWordWrap(True)
        self.repeats = QCheckBox("Send &repeats of earlier orders")
        self.repeats.setToolTip(
            "Rows that look like an order already placed (same product, quantity, reference "
            "and recipient) are held back unless this is ticked."
        )
        self.rejects_button = _button("Save &rejected rows…", "Save the rejected rows as CSV")
        self.review_button = _button("Re&view and send…", "Review the total and send", default=True)
        self.review_button.setEnabled(False)
        self.rejects_button.setEnabled(False)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.counts, 1)
        row.addWidget(self.repeats)
        row.addWidget(self.rejects_button)
        row.addWidget(self.review_button)


class ConfirmPanel(QWidget):
    """What sending will do, in words and money, before anything is sent."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("bulkConfirm")
        self.title = QLabel("")
        self.title.setObjectName("bulkConfirmTitle")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.title.setFont(font)
        self.details = QLabel("")
        self.details.setObjectName("bulkConfirmDetails")
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.later = QLabel("")
        self.later.setWordWrap(True)
        theme.use(self.later, "text.warning")
        self.back_button = _button("&Back", "Back to the rows")
        self.send_button = _button("&Send", "Send the orders", default=True)
        text = QVBoxLayout()
        text.setContentsMargins(0, 0, 0, 0)
        text.addWidget(self.title)
        text.addWidget(self.details)
        text.addWidget(self.later)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(text, 1)
        layout.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignBottom)
        layout.addWidget(self.send_button, 0, Qt.AlignmentFlag.AlignBottom)

    def show_plan(self, plan: SendPlan, account: str) -> None:
        lines = plan.lines()
        count = plan.fit_today
        self.title.setText(f"Send {count:,} order(s) to {account}?")
        self.details.setText("\n".join(lines[1:-1] if plan.later else lines[1:]))
        self.later.setText(lines[-1] if plan.later else "")
        self.later.setVisible(bool(plan.later))
        self.send_button.setText(f"&Send {count:,} order(s)")
        self.send_button.setEnabled(count > 0)


class SendPanel(QWidget):
    """Progress with the time left, the rate-limit wait, Pause/Resume and Cancel."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bar = QProgressBar()
        self.bar.setAccessibleName("Sending progress")
        self.bar.setFormat("%v of %m")
        self.line = QLabel("Starting…")
        self.line.setObjectName("bulkProgressLine")
        self.line.setAccessibleName("Sending status")
        self.pause_button = _button("&Pause", "Pause sending")
        self.cancel_button = _button("&Cancel", "Cancel: orders not sent stay in the Outbox")
        row = QHBoxLayout()
        row.addWidget(self.bar, 1)
        row.addWidget(self.pause_button)
        row.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.line)

    def show_progress(self, p: Progress) -> None:
        self.bar.setMaximum(max(1, p.total))
        self.bar.setValue(p.done)
        self.line.setText(p.text())
        theme.use(self.line, "text.warning" if p.waiting_until or p.paused else "hint")
        self.pause_button.setText("&Resume" if p.paused else "&Pause")
        self.pause_button.setAccessibleName("Resume sending" if p.paused else "Pause sending")


class DonePanel(QWidget):
    """The summary, the rejected rows to save, and Close."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = QLabel("")
        self.summary.setObjectName("bulkSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.rejects_button = _button("Save &rejected rows…", "Save the rejected rows as CSV")
        self.again_button = _button("Import &another file…", "Import another file")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.summary, 1)
        row.addWidget(self.rejects_button)
        row.addWidget(self.again_button)

    def show_summary(self, summary: Summary) -> None:
        self.summary.setText("\n".join(summary.lines()))
        self.rejects_button.setEnabled(bool(summary.rejected))
