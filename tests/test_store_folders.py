"""Where file dialogs start (store.folders): last folder per job, else Documents."""

from __future__ import annotations

import json
from pathlib import Path

import platformdirs
import pytest

from nfctagify_desktop.store.folders import RecentFolders, documents_dir


@pytest.fixture
def documents(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    docs = tmp_path / "Documents"
    docs.mkdir()
    monkeypatch.setattr(platformdirs, "user_documents_path", lambda: docs)
    return docs


def test_a_job_never_used_starts_in_documents(documents: Path) -> None:
    assert RecentFolders().start_dir("import") == documents


def test_documents_missing_falls_back_to_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(platformdirs, "user_documents_path", lambda: tmp_path / "gone")
    monkeypatch.setattr(Path, "home", lambda: tmp_path)
    assert documents_dir() == tmp_path


def test_the_chosen_files_folder_is_remembered_per_job_across_runs(
    tmp_path: Path, documents: Path
) -> None:
    csv_folder = tmp_path / "orders"
    csv_folder.mkdir()
    RecentFolders().remember("import", csv_folder / "june.csv")  # a file not yet existing
    again = RecentFolders()  # a new run reads the file
    assert again.start_dir("import") == csv_folder.resolve()
    assert again.start_dir("export") == documents  # another job keeps its own folder


def test_a_chosen_folder_is_remembered_as_is(tmp_path: Path, documents: Path) -> None:
    RecentFolders().remember("export", tmp_path)
    assert RecentFolders().start_dir("export") == tmp_path.resolve()


def test_a_deleted_folder_falls_back_to_documents(tmp_path: Path, documents: Path) -> None:
    old = tmp_path / "old"
    old.mkdir()
    RecentFolders().remember("import", old / "a.csv")
    old.rmdir()
    assert RecentFolders().start_dir("import") == documents


@pytest.mark.parametrize("content", ["not json", "[1, 2]", '{"import": 3}'])
def test_a_damaged_file_is_ignored(content: str, documents: Path) -> None:
    folders = RecentFolders()
    folders.path.parent.mkdir(parents=True, exist_ok=True)
    folders.path.write_text(content, encoding="utf-8")
    assert RecentFolders().start_dir("import") == documents


def test_the_file_is_plain_json_of_folders(tmp_path: Path, documents: Path) -> None:
    folders = RecentFolders()
    folders.remember("import", tmp_path / "x.csv")
    assert json.loads(folders.path.read_text(encoding="utf-8")) == {
        "import": str(tmp_path.resolve())
    }


def test_an_unwritable_config_folder_does_not_raise(tmp_path: Path, documents: Path) -> None:
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x", encoding="utf-8")
    folders = RecentFolders(blocker / "recent-folders.json")
    folders.remember("import", tmp_path / "a.csv")  # logs a warning, keeps it for this run
    assert folders.start_dir("import") == tmp_path.resolve()
