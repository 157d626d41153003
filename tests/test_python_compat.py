"""The supported Pythons (3.11 and newer) with the PySide6 each one gets."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

import PySide6
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

ROOT = Path(__file__).resolve().parent.parent


def _project() -> dict[str, object]:
    with (ROOT / "pyproject.toml").open("rb") as f:
        project: dict[str, object] = tomllib.load(f)["project"]
    return project


def _pyside_requirements() -> list[Requirement]:
    deps = _project()["dependencies"]
    assert isinstance(deps, list)
    return [r for r in map(Requirement, deps) if r.name == "pyside6-essentials"]


def test_pyside_refcount_regression() -> None:
    """PySide6 6.12 on CPython 3.11 drops a reference to None for every call that returns
    nothing and one to True for every no-argument disconnect(), until the interpreter aborts
    (none_dealloc/bool_dealloc). qasync does both for every socket it watches."""
    script = textwrap.dedent(
        """
        import os
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        from PySide6.QtCore import QCoreApplication, QTimer
        app = QCoreApplication([])
        timer = QTimer()
        def slot():
            pass
        for _ in range(5000):
            timer.timeout.connect(slot)
            timer.timeout.disconnect(slot)
        for _ in range(5000):
            timer.timeout.connect(slot)
            timer.timeout.disconnect()
        for i in range(20000):
            timer.setInterval(i % 7)
        print("ok")
        """
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0 and "ok" in proc.stdout, (proc.returncode, proc.stderr)


def test_installed_pyside_is_the_one_pinned_for_this_python() -> None:
    """Exactly one PySide6 requirement applies to each Python, and the venv has that one."""
    reqs = _pyside_requirements()
    applying = [r for r in reqs if r.marker is None or r.marker.evaluate()]
    assert len(applying) == 1, [str(r) for r in reqs]
    assert applying[0].specifier.contains(PySide6.__version__), (
        PySide6.__version__,
        str(applying[0]),
    )


def test_python_311_is_kept_off_pyside_612() -> None:
    """Whatever Python runs the suite, the pins must never give 3.11 a PySide6 6.12."""
    for python in ("3.11", "3.12", "3.13", "3.14"):
        env = {"python_version": python, "python_full_version": f"{python}.0"}
        specs = [
            r.specifier
            for r in _pyside_requirements()
            if r.marker is None or Marker(str(r.marker)).evaluate(env)
        ]
        assert len(specs) == 1, python
        takes_612 = specs[0].contains("6.12.0")
        assert takes_612 == (python != "3.11"), (python, str(specs[0]))


def test_requires_python_admits_this_interpreter_and_311() -> None:
    spec = SpecifierSet(str(_project()["requires-python"]))
    here = "{}.{}.{}".format(*sys.version_info[:3])
    assert spec.contains(here)
    assert spec.contains("3.11.0")
    assert not spec.contains("3.10.12")
