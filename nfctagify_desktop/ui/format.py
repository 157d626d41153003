"""Display formatting shared by models and views: money, local times, statuses."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from functools import cache

from PySide6.QtCore import QDateTime, QLocale, QTimeZone
from PySide6.QtGui import QColor

from nfctagify_desktop.order_status import OrderStatus
from nfctagify_desktop.ui import theme

_SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "$", "AUD": "A$", "CAD": "C$", "NZD": "NZ$"}


def _locale() -> QLocale:
    """The user's locale; the bare "C" locale (no LANG) would print 5.95£, so use en_GB."""
    locale = QLocale()
    if locale.language() in (QLocale.Language.C, QLocale.Language.AnyLanguage):
        return QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom)
    return locale


def money(amount: Decimal | None, currency: str | None) -> str:
    """Locale-formatted money; Decimal stays exact up to display (2 places)."""
    if amount is None:
        return ""
    symbol = _SYMBOLS.get((currency or "").upper(), f"{currency} " if currency else "")
    return _locale().toCurrencyString(float(amount.quantize(Decimal("0.01"))), symbol, 2)


@cache
def _system_zone() -> QTimeZone:
    # QTimeZone.systemTimeZone() costs ~0.1 ms a call: 13 ms for one page of 100 orders.
    return QTimeZone.systemTimeZone()


def local_time(value: datetime | None) -> str:
    """A UTC timestamp shown in the user's local time zone."""
    if value is None:
        return ""
    qdt = QDateTime.fromSecsSinceEpoch(int(value.timestamp()), _system_zone())
    return _locale().toString(qdt, "yyyy-MM-dd HH:mm")


def status_label(status: OrderStatus) -> str:
    return status.value.capitalize()


def status_colours(status: OrderStatus) -> tuple[QColor, QColor]:
    """(background, text) of a status badge: the theme's ``status.*`` roles."""
    return theme.status_colours(status)


def ago(when: datetime | None, now: datetime | None = None) -> str:
    """'just now', '4 min ago', '3 h ago', '2 days ago' or 'never'."""
    if when is None:
        return "never"
    seconds = ((now or datetime.now(UTC)) - when).total_seconds()
    if seconds < 60:
        return "just now"
    minutes = int(seconds // 60)
    if minutes < 60:
        return f"{minutes} min ago"
    hours = minutes // 60
    if hours < 48:
        return f"{hours} h ago"
    return f"{hours // 24} days ago"
