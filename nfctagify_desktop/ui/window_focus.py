"""Keyboard focus follows the section shown: Ctrl+1…4 land in that section's table.

Without this, switching sections left the focus on a widget of the hidden section (or on none),
so the arrow keys and Enter did nothing until the user clicked or tabbed into the table.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QWidget

if TYPE_CHECKING:
    from nfctagify_desktop.ui.main_window import MainWindow


def section_view(section: QWidget | None) -> QAbstractItemView | None:
    """The section's main table (its ``view``), if it has one."""
    view = getattr(section, "view", None)
    return view if isinstance(view, QAbstractItemView) else None


def focus_section(window: MainWindow, *, only_if_lost: bool = False) -> None:
    """Put the focus in the shown section's table (Ctrl+F still goes to its filter).

    ``only_if_lost``: leave a focus the window already has where it is.
    """
    section = window.tabs.currentWidget()
    view = section_view(section)
    if section is None or view is None:
        return
    focused = window.focusWidget()
    if only_if_lost and focused is not None and focused.isVisible():
        return
    view.setFocus(Qt.FocusReason.OtherFocusReason)


def install_section_focus(window: MainWindow) -> None:
    window.tabs.currentChanged.connect(lambda _index: focus_section(window))
    focus_section(window, only_if_lost=True)


__all__ = ["focus_section", "install_section_focus", "section_view"]
