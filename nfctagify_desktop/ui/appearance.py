"""The Theme setting: follow the OS (Qt's colour scheme), or force Light or Dark.

Qt 6.8+ asks the platform for a colour scheme (``QStyleHints.setColorScheme``); Windows 11,
macOS and some Linux desktops then switch their own palette. Where the platform cannot (an
older Windows style, a bare X11 session, the offscreen platform), the app falls back to the
Fusion style with a palette of its own, so "Dark" always means dark.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from nfctagify_desktop.ui import theme
from nfctagify_desktop.ui.fusion_style import FramedIndicatorsStyle

if TYPE_CHECKING:
    from nfctagify_desktop.store.settings import Settings

log = logging.getLogger(__name__)


class ThemeChoice(StrEnum):
    SYSTEM = "system"
    LIGHT = "light"
    DARK = "dark"


THEME_LABELS: dict[ThemeChoice, str] = {
    ThemeChoice.SYSTEM: "System (follow the OS)",
    ThemeChoice.LIGHT: "Light",
    ThemeChoice.DARK: "Dark",
}

_R = QPalette.ColorRole
_G = QPalette.ColorGroup

_DARK: dict[QPalette.ColorRole, str] = {
    _R.Window: "#202326",
    _R.WindowText: "#E6E8EA",
    _R.Base: "#17191C",
    _R.AlternateBase: "#1F2225",
    _R.Text: "#E6E8EA",
    _R.Button: "#2B2F33",
    _R.ButtonText: "#E6E8EA",
    _R.BrightText: "#FFFFFF",
    _R.Highlight: "#2F6BC4",
    _R.HighlightedText: "#FFFFFF",
    _R.ToolTipBase: "#2B2F33",
    _R.ToolTipText: "#E6E8EA",
    _R.PlaceholderText: "#8E959D",
    _R.Link: "#8AB4F8",
    _R.LinkVisited: "#C58AF9",
    _R.Light: "#454A50",
    _R.Midlight: "#363A3F",
    _R.Mid: "#5A6068",
    _R.Dark: "#121416",
    _R.Shadow: "#000000",
}
_DARK_DISABLED: dict[QPalette.ColorRole, str] = {
    _R.WindowText: "#7D838A",
    _R.Text: "#7D838A",
    _R.ButtonText: "#7D838A",
    _R.Base: "#1C1F22",
    _R.Button: "#25292D",
    _R.Highlight: "#3A3F45",
    _R.HighlightedText: "#B0B5BA",
}


def dark_palette() -> QPalette:
    """A dark palette for Fusion: text and placeholder colours chosen for contrast."""
    palette = QPalette()
    for role, colour in _DARK.items():
        palette.setColor(role, QColor(colour))
    for role, colour in _DARK_DISABLED.items():
        palette.setColor(_G.Disabled, role, QColor(colour))
    return palette


def light_palette() -> QPalette:
    """Fusion's own light palette, used when the platform's is dark but Light was chosen."""
    from PySide6.QtWidgets import QStyleFactory

    fusion = QStyleFactory.create("Fusion")
    palette = fusion.standardPalette()
    if theme.is_dark(palette):  # a Fusion that follows a dark platform: spell it out
        palette = QPalette(QColor("#EFEFEF"), QColor("#EFEFEF"))
        palette.setColor(_R.Base, QColor("#FFFFFF"))
        palette.setColor(_R.Text, QColor("#000000"))
        palette.setColor(_R.WindowText, QColor("#000000"))
        palette.setColor(_R.ButtonText, QColor("#000000"))
    # Fusion's own selection blue carries white text at only 3.7:1, its placeholder 4:1.
    palette.setColor(_R.PlaceholderText, QColor("#6B6F75"))
    palette.setColor(_G.Active, _R.Highlight, QColor("#2F6BC4"))
    palette.setColor(_G.Inactive, _R.Highlight, QColor("#2F6BC4"))
    return palette


def parse_choice(value: str | None) -> ThemeChoice:
    """A stored or typed theme name; anything unknown means System."""
    try:
        return ThemeChoice((value or "").strip().lower())
    except ValueError:
        return ThemeChoice.SYSTEM


class Appearance(QObject):
    """Applies the Theme setting to the application and keeps it right when the OS switches.

    Signals:
        sig_changed(bool): the palette in use changed; True when it is dark.
    """

    sig_changed = Signal(bool)

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self._app = app
        self._native_style = app.style().name()
        self._fallback = False
        self.choice = ThemeChoice.SYSTEM
        app.styleHints().colorSchemeChanged.connect(self._scheme_changed)

    @property
    def using_fallback(self) -> bool:
        """True while the app's own Fusion palette stands in for the platform's."""
        return self._fallback

    def wants_dark(self) -> bool:
        if self.choice is ThemeChoice.DARK:
            return True
        if self.choice is ThemeChoice.LIGHT:
            return False
        return bool(self._app.styleHints().colorScheme() == Qt.ColorScheme.Dark)

    def apply(self, choice: ThemeChoice | str) -> None:
        """Switch to ``choice`` now; every role-styled widget follows through palette events."""
        self.choice = parse_choice(str(choice))
        hints = self._app.styleHints()
        if self.choice is ThemeChoice.SYSTEM:
            hints.unsetColorScheme()
        else:
            hints.setColorScheme(
                Qt.ColorScheme.Dark if self.choice is ThemeChoice.DARK else Qt.ColorScheme.Light
            )
        self._ensure_palette()

    def _scheme_changed(self, _scheme: Qt.ColorScheme) -> None:
        # The platform may update its palette just after announcing the scheme: look then.
        QTimer.singleShot(0, self._follow_system)

    def _follow_system(self) -> None:
        if self.choice is ThemeChoice.SYSTEM:
            self._ensure_palette(force_notify=True)

    def _ensure_palette(self, *, force_notify: bool = False) -> None:
        want = self.wants_dark()
        was_dark = theme.is_dark()
        if self._fallback:  # give the platform a chance first (it may honour the scheme now)
            self._app.setStyle(self._native_style)
            self._app.setPalette(QPalette())
            self._fallback = False
        if theme.is_dark() != want:
            log.info("platform palette is not %s: using Fusion", "dark" if want else "light")
            self._app.setStyle(FramedIndicatorsStyle())
            self._app.setPalette(dark_palette() if want else light_palette())
            self._fallback = True
        if theme.is_dark() != was_dark or force_notify:
            theme.events().notify()
        if theme.is_dark() != was_dark:
            self.sig_changed.emit(theme.is_dark())


def theme_follower(app: QApplication, saved: str) -> Callable[[Settings], None]:
    """A slot for "settings changed" that applies the Theme setting when the user changes it.

    Only a change counts: saving other preferences keeps a ``--theme`` given for this run.
    """
    last = [saved]

    def changed(settings: Settings) -> None:
        if settings.theme != last[0]:
            last[0] = settings.theme
            install_appearance(app, settings.theme)

    return changed


def install_appearance(app: QApplication, choice: ThemeChoice | str) -> Appearance:
    """Create the application's one Appearance (or reuse it) and apply ``choice``."""
    existing = app.findChild(Appearance)
    appearance = existing if isinstance(existing, Appearance) else Appearance(app)
    appearance.apply(choice)
    return appearance


__all__ = [
    "THEME_LABELS",
    "Appearance",
    "ThemeChoice",
    "dark_palette",
    "install_appearance",
    "light_palette",
    "parse_choice",
    "theme_follower",
]
