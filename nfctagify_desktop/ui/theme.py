"""Colour roles: every colour the app draws, by name, with a light and a dark value.

Widgets, models and delegates never spell a colour: they ask for a role by name, and the role
answers for the palette in use (the application's, unless one is passed), so a switch between
light and dark (the OS, or the Theme setting) needs no code of its own in them. Each value was
chosen for contrast against its own background, or against the palette's base and window
colours where a role has no background; ``tests/test_ui_contrast.py`` checks every pair.

    from nfctagify_desktop.ui import theme
    theme.fg("hint")                      # QColor for hint text
    theme.bg("row.custom_price")          # QColor for a highlighted row
    theme.css("banner.error", "#errorBanner")   # a style sheet rule with fg, bg and border
    theme.use(label, "text.error")        # a widget coloured by a role, following switches
    theme.keep_styled(w, lambda: ...)     # any style sheet built from roles, kept up to date
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Literal

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QWidget

from nfctagify_desktop.order_status import OrderStatus

#: What a role's text sits on when the role has no background of its own.
Surface = Literal["base", "window"]


@dataclass(frozen=True)
class Swatch:
    """One theme's colours for a role: text, and optionally a background and a border."""

    fg: str
    bg: str | None = None
    border: str | None = None


@dataclass(frozen=True)
class Role:
    """A named use of colour. ``large``: bold or large text, for which 3:1 contrast suffices."""

    name: str
    light: Swatch
    dark: Swatch
    surface: Surface = "base"
    large: bool = False
    doc: str = ""


def _role(
    name: str,
    light: Swatch,
    dark: Swatch,
    *,
    surface: Surface = "base",
    large: bool = False,
    doc: str = "",
) -> Role:
    return Role(name, light, dark, surface, large, doc)


# Badges carry their own background, so one value serves both themes.
_BADGES: dict[OrderStatus, Swatch] = {
    OrderStatus.PENDING: Swatch("#3D2E00", "#F6C445"),
    OrderStatus.PROCESSING: Swatch("#FFFFFF", "#2F6BC4"),
    OrderStatus.DISPATCHED: Swatch("#FFFFFF", "#7A4CC2"),
    OrderStatus.DELIVERED: Swatch("#FFFFFF", "#1F7A45"),
    OrderStatus.CANCELLED: Swatch("#FFFFFF", "#6B6F75"),
    OrderStatus.UNKNOWN: Swatch("#FFFFFF", "#B3261E"),
}

_ROLE_LIST: tuple[Role, ...] = (
    *(
        _role(f"status.{s.value}", b, b, large=True, doc=f"the {s.value} status badge and chip")
        for s, b in _BADGES.items()
    ),
    _role(
        "status.all",
        Swatch("#FFFFFF", "#4F5663"),
        Swatch("#FFFFFF", "#4F5663"),
        large=True,
        doc="the overview strip's 'All' chip",
    ),
    _role(
        "badge.sandbox",
        Swatch("#2B1B00", "#F5A623"),
        Swatch("#2B1B00", "#F5A623"),
        large=True,
        doc="the SANDBOX badge in the status bar",
    ),
    # Table rows that stand out: the text colour is explicit, never the palette's (which
    # would be white on a pale background in a dark theme).
    _role(
        "row.custom_price",
        Swatch("#0F2E1B", "#E3F2E9"),
        Swatch("#DDF2E4", "#1D3A2A"),
        doc="a price configured for this account (Pricing)",
    ),
    _role(
        "row.changed",
        Swatch("#3D2E00", "#FFF4C2"),
        Swatch("#FFF0C2", "#453A10"),
        doc="an order whose status changed since it was last seen (Orders)",
    ),
    _role(
        "row.error",
        Swatch("#611A15", "#FDECEA"),
        Swatch("#FAD7D3", "#45201D"),
        doc="a row with an error (CSV preview, failed draft in the Outbox)",
    ),
    _role(
        "cell.error",
        Swatch("#5A130E", "#F9D6D2"),
        Swatch("#FFE2DE", "#6A2620"),
        doc="the cell that holds the error within an error row",
    ),
    _role(
        "row.warning",
        Swatch("#5C3D00", "#FFF4D6"),
        Swatch("#F8E6B4", "#42350F"),
        doc="a row needing attention (unknown outcome, a warning in the CSV preview)",
    ),
    _role(
        "row.done",
        Swatch("#0F2E1B", "#E3F2E9"),
        Swatch("#DDF2E4", "#1D3A2A"),
        doc="a row that was sent successfully (CSV import results)",
    ),
    _role(
        "row.busy",
        Swatch("#0B2A5B", "#E8F0FE"),
        Swatch("#DCE7FB", "#1C2F4D"),
        doc="a row being sent right now (Outbox)",
    ),
    _role(
        "banner.error",
        Swatch("#611A15", "#FDECEA", "#F5C2BC"),
        Swatch("#FAD7D3", "#3E1D1A", "#7A3530"),
        doc="the error banner above a view",
    ),
    _role(
        "banner.note",
        Swatch("#5C3D00", "#FFF4D6", "#F0D48A"),
        Swatch("#F8E6B4", "#3A3013", "#7A6322"),
        doc="an informative note or warning box (welcome, keyring, Outbox, order form)",
    ),
    _role(
        "hint",
        Swatch("#555B63"),
        Swatch("#A9AFB7"),
        surface="window",
        doc="secondary text: hints, 'updated 2 min ago', field explanations",
    ),
    _role(
        "text.error",
        Swatch("#A8221A"),
        Swatch("#FF9A8F"),
        surface="window",
        doc="an error next to a field",
    ),
    _role(
        "text.warning",
        Swatch("#7A4A00"),
        Swatch("#F2C46D"),
        surface="window",
        doc="a warning next to a field (e.g. a duplicate reference)",
    ),
    _role(
        "text.ok",
        Swatch("#1B5E20"),
        Swatch("#8FD19E"),
        surface="window",
        doc="a success message (e.g. 'Connected')",
    ),
    _role(
        "field.error",
        Swatch("#1C1B1F", "#FFF5F4", "#B3261E"),
        Swatch("#F2E8E7", "#3A2120", "#FF8A80"),
        doc="an input whose value is invalid: its text, fill and border",
    ),
)

ROLES: dict[str, Role] = {r.name: r for r in _ROLE_LIST}

#: The shape of a note or warning box (``banner.note``); its colours come from the role.
NOTE_BOX = "border-radius: 6px; padding: 6px;"

#: Opacity of a status colour behind an unselected chip the mouse is over.
CHIP_HOVER_ALPHA = 0.2


def _app_palette() -> QPalette:
    return QGuiApplication.palette()


_DARK_BY_KEY: dict[int, bool] = {}


def is_dark(palette: QPalette | None = None) -> bool:
    """Whether ``palette`` (default: the application's) draws light text on a dark window."""
    pal = palette or _app_palette()
    key = pal.cacheKey()  # models ask on every paint: answer from a cache per palette
    known = _DARK_BY_KEY.get(key)
    if known is None:
        window = pal.color(QPalette.ColorRole.Window)
        text = pal.color(QPalette.ColorRole.WindowText)
        known = window.lightness() < text.lightness()
        if len(_DARK_BY_KEY) > 64:
            _DARK_BY_KEY.clear()
        _DARK_BY_KEY[key] = known
    return known


@cache
def _colour(value: str) -> QColor:
    return QColor(value)


def role(name: str) -> Role:
    try:
        return ROLES[name]
    except KeyError:
        raise KeyError(f"no colour role {name!r}; known: {', '.join(sorted(ROLES))}") from None


def swatch(name: str, palette: QPalette | None = None) -> Swatch:
    """The role's colours for ``palette`` (default: the application's)."""
    r = role(name)
    return r.dark if is_dark(palette) else r.light


def fg(name: str, palette: QPalette | None = None) -> QColor:
    """The role's text colour (shared: copy it before changing it)."""
    return _colour(swatch(name, palette).fg)


def bg(name: str, palette: QPalette | None = None) -> QColor | None:
    """The role's background, or None when it draws on the palette's own (shared, as fg)."""
    value = swatch(name, palette).bg
    return _colour(value) if value else None


def status_role(status: OrderStatus | str) -> str:
    """The role name of a status badge; statuses the app does not know share one colour."""
    try:
        known = OrderStatus(status)
    except ValueError:
        known = OrderStatus.UNKNOWN
    name = f"status.{known.value}"
    return name if name in ROLES else "status.unknown"


def status_colours(status: OrderStatus | str) -> tuple[QColor, QColor]:
    """(background, text) of a status badge."""
    s = swatch(status_role(status))
    assert s.bg is not None
    return QColor(s.bg), QColor(s.fg)


def css(name: str, selector: str = "", *, extra: str = "", palette: QPalette | None = None) -> str:
    """A style sheet rule giving ``selector`` the role's text, background and border colours.

    Without a selector the declarations alone are returned (for a widget's own style sheet).
    """
    s = swatch(name, palette)
    parts = [f"color: {s.fg};"]
    if s.bg:
        parts.append(f"background: {s.bg};")
    if s.border:
        parts.append(f"border: 1px solid {s.border};")
    if extra:
        parts.append(extra)
    body = " ".join(parts)
    return f"{selector} {{ {body} }}" if selector else body


class ThemeEvents(QObject):
    """Tells role users that the palette changed (Theme setting, OS switch to dark or light).

    ``Appearance`` calls :meth:`notify` after every change it makes or sees; an event filter on
    the application would hear it too, but would run Python for every event the app handles.

    Signals:
        sig_palette_changed(): roles may now answer differently; re-read them.
    """

    sig_palette_changed = Signal()

    def notify(self) -> None:
        self.sig_palette_changed.emit()


def events() -> ThemeEvents:
    """The application's one ThemeEvents (created on first use)."""
    app = QGuiApplication.instance()
    assert app is not None, "create the QApplication first"
    found = app.findChild(ThemeEvents)
    if isinstance(found, ThemeEvents):
        return found
    return ThemeEvents(app)


class _Restyler(QObject):
    """Re-applies a widget's style sheet when the palette changes (OS switch, Theme setting)."""

    def __init__(self, widget: QWidget, build: Callable[[], str]) -> None:
        super().__init__(widget)
        self._widget = widget
        self.build = build
        events().sig_palette_changed.connect(self.apply)
        self.apply()

    def apply(self) -> None:
        sheet = self.build()
        if sheet != self._widget.styleSheet():  # setStyleSheet repolishes: only when needed
            self._widget.setStyleSheet(sheet)


def keep_styled(widget: QWidget, build: Callable[[], str]) -> None:
    """Set ``widget``'s style sheet from ``build()`` now and again whenever the palette changes.

    ``build`` reads roles (``css``, ``fg``...), so the sheet always matches the theme in use.
    """
    for child in widget.children():  # one per widget: a new build replaces the old one
        if isinstance(child, _Restyler):
            child.build = build
            child.apply()
            return
    _Restyler(widget, build)


def use(widget: QWidget, name: str, *, selector: str = "", extra: str = "") -> None:
    """Colour ``widget`` with role ``name`` (text, background, border), following theme switches.

    ``selector`` scopes the rule (e.g. ``"#errorBanner"``) so children keep their own look;
    ``extra`` adds declarations such as ``"border-radius: 6px; padding: 6px;"``.
    """
    keep_styled(widget, lambda: css(name, selector, extra=extra))


__all__ = [
    "CHIP_HOVER_ALPHA",
    "NOTE_BOX",
    "ROLES",
    "Role",
    "Swatch",
    "ThemeEvents",
    "bg",
    "css",
    "events",
    "fg",
    "is_dark",
    "keep_styled",
    "role",
    "status_colours",
    "status_role",
    "swatch",
    "use",
]
