"""Where file dialogs start: the folder last used for the same job, else Documents.

A dialog given no folder opens in the working directory, which for a Start-menu launch on
Windows is the program folder; a folder remembered from last week may have been deleted since.
So each job ("import", "export", ...) remembers its own last folder in a small JSON file next to
the settings, and falls back to the user's Documents folder (then the home folder). Qt-free.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from pathlib import Path

from nfctagify_desktop.paths import config_dir

log = logging.getLogger(__name__)

FOLDERS_FILE_NAME = "recent-folders.json"


def documents_dir() -> Path:
    """The user's Documents folder (the Known Folder on Windows), or home if it is missing."""
    import platformdirs

    docs = platformdirs.user_documents_path()
    return docs if docs.is_dir() else Path.home()


class RecentFolders:
    """The last folder used per job, persisted across runs."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path if path is not None else config_dir() / FOLDERS_FILE_NAME
        self._folders = self._load()

    def _load(self) -> dict[str, str]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:  # unreadable or not JSON: start afresh
            log.warning("ignoring %s: %s", self.path, exc)
            return {}
        if not isinstance(data, dict):
            return {}
        return {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, str)}

    def start_dir(self, job: str) -> Path:
        """The folder a dialog for ``job`` should open in; always an existing folder."""
        last = self._folders.get(job)
        if last and Path(last).is_dir():
            return Path(last)
        return documents_dir()

    def remember(self, job: str, chosen: Path) -> None:
        """Note the folder of ``chosen`` (a file or a folder) for the next dialog of ``job``."""
        folder = chosen if chosen.is_dir() else chosen.parent
        folder = folder.resolve()
        if self._folders.get(job) == str(folder):
            return
        self._folders[job] = str(folder)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".folders-", suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(self._folders, fh, indent=2)
            os.replace(tmp, self.path)
        except OSError as exc:  # remembering is a convenience: never fail the user's action
            log.warning("could not save %s: %s", self.path, exc)
