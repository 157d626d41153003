"""Where other parts of the UI may add menu items (the main window's extension points)."""

from __future__ import annotations

from enum import Enum


class MenuSlot(Enum):
    """Where other parts of the UI may add menu items (see :meth:`MainWindow.add_action`)."""

    #: File menu, right after "New order…" (creating orders: CSV import, templates).
    FILE_CREATE = "file-create"
    #: File menu, after the creating items (printing, PDFs, exports).
    FILE_OUTPUT = "file-output"
    #: File menu, before "Quit" (settings, profiles).
    FILE_ACCOUNT = "file-account"
    #: View menu, after the tabs' Ctrl+N items, before Refresh.
    VIEW_SECTIONS = "view-sections"
    #: Help menu, before "About".
    HELP = "help"


__all__ = ["MenuSlot"]
