"""File dialogs that open where the user looks: the folder last used for the same job, else
Documents (never the program folder, the working directory of a Start-menu launch)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog

from nfctagify_desktop.store.folders import RecentFolders

#: Jobs with a folder of their own: CSV files of orders (import and template), exports, and
#: CA certificates.
IMPORT, EXPORT, CERTIFICATES = "import", "export", "certificates"


def start_in(
    dialog: QFileDialog, job: str, name: str = "", folders: RecentFolders | None = None
) -> QFileDialog:
    """Point ``dialog`` at ``job``'s folder (pre-filling ``name``) and remember the choice."""
    folders = folders if folders is not None else RecentFolders()
    start = folders.start_dir(job)
    dialog.setDirectory(str(start))
    if name:
        dialog.selectFile(str(start / name))
    dialog.fileSelected.connect(lambda path: folders.remember(job, Path(path)))
    return dialog
