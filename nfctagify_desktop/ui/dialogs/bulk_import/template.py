"""File → Save order file template…: a starting CSV with every column, ready for Excel."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from nfctagify_desktop.ordering.bulk.template import write_template
from nfctagify_desktop.ui.file_dialogs import IMPORT, start_in


def save_template_dialog(
    parent: QWidget, on_saved: Callable[[Path], None] | None = None
) -> QFileDialog:
    """Ask where to save the template (non-blocking) and write it there."""
    dialog = QFileDialog(parent, "Save order file template", "", "CSV (*.csv)")
    start_in(dialog, IMPORT, "orders-template.csv")
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setDefaultSuffix("csv")

    def chosen(path: str) -> None:
        target = Path(path)
        try:
            write_template(target)
        except OSError as exc:
            box = QMessageBox(
                QMessageBox.Icon.Warning, "Not saved", f"Could not save {target.name}: {exc}",
                parent=parent,
            )  # fmt: skip
            box.open()
            return
        if on_saved is not None:
            on_saved(target)

    dialog.fileSelected.connect(chosen)
    dialog.finished.connect(lambda _c: dialog.deleteLater())
    dialog.open()
    return dialog
