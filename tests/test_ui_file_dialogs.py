"""File dialogs start in the last folder used for the same job, else Documents."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import platformdirs
import pytest
from PySide6.QtWidgets import QFileDialog

from nfctagify_desktop.ui.file_dialogs import EXPORT, IMPORT, start_in


@pytest.fixture
def documents(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    docs = tmp_path / "Documents"
    docs.mkdir()
    monkeypatch.setattr(platformdirs, "user_documents_path", lambda: docs)
    return docs


def _folder(dialog: QFileDialog) -> Path:
    return Path(dialog.directory().absolutePath()).resolve()


def test_first_dialog_opens_in_documents_with_the_name_filled_in(
    qtbot: Any, documents: Path
) -> None:
    dialog = start_in(QFileDialog(), EXPORT, "orders-2026-01-02.csv")
    qtbot.addWidget(dialog)
    assert _folder(dialog) == documents.resolve()
    assert dialog.selectedFiles() == [str(documents / "orders-2026-01-02.csv")]


def test_the_next_dialog_for_the_job_opens_where_the_user_went(
    qtbot: Any, tmp_path: Path, documents: Path
) -> None:
    shared = tmp_path / "shared" / "orders"
    shared.mkdir(parents=True)
    first = start_in(QFileDialog(), IMPORT)
    qtbot.addWidget(first)
    first.fileSelected.emit(str(shared / "june.csv"))  # what accepting the dialog emits

    again = start_in(QFileDialog(), IMPORT)
    qtbot.addWidget(again)
    assert _folder(again) == shared.resolve()
    other = start_in(QFileDialog(), EXPORT)  # exports keep their own folder
    qtbot.addWidget(other)
    assert _folder(other) == documents.resolve()


def test_import_dialog_starts_in_documents(qtbot: Any, documents: Path, main_window: Any) -> None:
    from nfctagify_desktop.ui.dialogs.bulk_import import open_bulk_import

    dialog = open_bulk_import(main_window.services, main_window)
    dialog.choose_file()
    file_dialog = dialog._file_dialog
    assert file_dialog is not None
    assert _folder(file_dialog) == documents.resolve()
    file_dialog.reject()
