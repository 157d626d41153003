"""The package keeps its layers; and the checker of the layers does catch a break."""

from __future__ import annotations

import textwrap
from pathlib import Path

from tests.layering import check, imports_of, modules_of

PACKAGE = Path(__file__).resolve().parent.parent / "nfctagify_desktop"


def test_the_package_keeps_its_layers() -> None:
    problems = check(PACKAGE)
    assert not problems, "\n".join(map(str, problems))


def test_the_checker_reads_the_real_imports() -> None:
    """Guards the test above against passing because it sees nothing."""
    modules = modules_of(PACKAGE)
    known = set(modules)
    tab = "nfctagify_desktop.ui.tabs.orders_tab"
    imported = imports_of(tab, modules[tab], known)
    assert "nfctagify_desktop.services.orders_browser" in imported
    assert "PySide6.QtWidgets" in imported
    tasks = imports_of(
        "nfctagify_desktop.services.tasks", modules["nfctagify_desktop.services.tasks"], known
    )
    assert "PySide6.QtCore" in tasks


def make_package(root: Path, files: dict[str, str]) -> Path:
    package = root / "pkg"
    for name, source in {"__init__.py": "", **files}.items():
        path = package / name
        path.parent.mkdir(parents=True, exist_ok=True)
        for parent in path.relative_to(package).parents:
            init = package / parent / "__init__.py"
            if not init.exists():
                init.write_text("", encoding="utf-8")
        path.write_text(textwrap.dedent(source), encoding="utf-8")
    return package


CLEAN = {
    "api/client.py": "import json\n",
    "services/tasks.py": "from PySide6.QtCore import QObject\nfrom pkg.api import client\n",
    "ui/window.py": "from PySide6.QtWidgets import QWidget\nfrom pkg.services import tasks\n",
    "app.py": "from pkg.ui import window\n",
}


def test_a_clean_temp_package_passes(tmp_path: Path) -> None:
    assert check(make_package(tmp_path, CLEAN)) == []


def test_services_importing_qtwidgets_fails(tmp_path: Path) -> None:
    package = make_package(
        tmp_path,
        {
            **CLEAN,
            "services/tasks.py": """\
                from PySide6.QtCore import QObject

                def later():
                    from PySide6.QtWidgets import QMessageBox  # even inside a function
            """,
        },
    )
    [problem] = check(package)
    assert problem.rule == "services import QtWidgets"
    assert problem.module == "pkg.services.tasks"
    assert problem.detail == "PySide6.QtWidgets"


def test_a_cycle_fails_unless_it_is_only_for_type_checking(tmp_path: Path) -> None:
    cyclic = {
        **CLEAN,
        "ordering/a.py": "from pkg.ordering import b\n",
        "ordering/b.py": "from . import c\n",
        "ordering/c.py": "import pkg.ordering.a\n",
    }
    [problem] = check(make_package(tmp_path / "one", cyclic))
    assert problem.rule == "import cycle"
    assert str(problem) == (
        "import cycle: pkg.ordering.a -> pkg.ordering.b -> pkg.ordering.c -> pkg.ordering.a"
    )
    typing_only = {
        **cyclic,
        "ordering/c.py": """\
            from typing import TYPE_CHECKING

            if TYPE_CHECKING:
                import pkg.ordering.a
        """,
    }
    assert check(make_package(tmp_path / "two", typing_only)) == []


def test_qt_in_a_core_layer_and_ui_from_outside_fail(tmp_path: Path) -> None:
    package = make_package(
        tmp_path,
        {
            **CLEAN,
            "store/cache.py": "import shiboken6\n",
            "ordering/form.py": "from pkg.ui.window import QWidget\n",
        },
    )
    rules = sorted((p.rule, p.module) for p in check(package))
    assert rules == [
        ("Qt-free layer imports Qt", "pkg.store.cache"),
        ("ui imported from outside ui", "pkg.ordering.form"),
    ]
