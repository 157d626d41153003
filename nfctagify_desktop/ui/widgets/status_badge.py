"""Paints an order status as a coloured, rounded badge."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from nfctagify_desktop.order_status import OrderStatus
from nfctagify_desktop.ui.format import status_colours, status_label
from nfctagify_desktop.ui.models.table import STATUS_ROLE


class StatusBadgeDelegate(QStyledItemDelegate):
    #: Horizontal room the badge needs beyond its text (its rounded padding and a margin).
    PADDING = 26

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        hint = super().sizeHint(option, index)
        text = index.data(Qt.ItemDataRole.DisplayRole)
        if isinstance(text, str) and text:
            font = QFont(option.font)
            font.setBold(True)
            extra = QFontMetrics(font).horizontalAdvance(
                text
            ) - option.fontMetrics.horizontalAdvance(text)
            return QSize(hint.width() + max(0, extra) + self.PADDING, hint.height())
        return QSize(hint.width() + self.PADDING, hint.height())

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        value = index.data(STATUS_ROLE)
        # A StrEnum crosses QVariant as a plain str: turn it back into the status.
        if not isinstance(value, str) or not value:
            super().paint(painter, option, index)
            return
        status = OrderStatus(value)
        style = option.widget.style() if option.widget else None
        if style is not None:
            # Selection/focus background first, so the badge sits on the row colour.
            opt = QStyleOptionViewItem(option)
            self.initStyleOption(opt, index)
            opt.text = ""
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, option.widget)
        bg, fg = status_colours(status)
        text = status_label(status)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        font = QFont(option.font)
        font.setBold(True)  # bold badge text: legible on every badge colour (3:1 or better)
        painter.setFont(font)
        metrics = QFontMetrics(font)
        rect = option.rect
        width = metrics.horizontalAdvance(text) + 16
        height = min(rect.height() - 6, metrics.height() + 4)
        badge = QRectF(
            rect.x() + (rect.width() - width) / 2,
            rect.y() + (rect.height() - height) / 2,
            width,
            height,
        )
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(bg)
        painter.drawRoundedRect(badge, height / 2, height / 2)
        painter.setPen(fg)
        painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, text)
        painter.restore()
