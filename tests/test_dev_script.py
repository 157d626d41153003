"""./dev's set-up as a newcomer meets it: which Python, which system packages, when root is asked.

apt-get, apt-cache, sudo and ldconfig are replaced by recording stand-ins on the PATH, so these
tests show what ./dev would run without running it; the venv is the one running the tests.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT / "dev"
VENV = Path(sys.prefix)
BASH = shutil.which("bash") or "bash"

pytestmark = [
    pytest.mark.skipif(sys.platform != "linux", reason="./dev's system set-up is for Linux"),
    pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash"),
]

RECORDER = """#!/bin/sh
echo "$(basename "$0") DEBIAN_FRONTEND=${DEBIAN_FRONTEND:-} $*" >> "$DEV_TEST_LOG"
"""


def _venv_is_set_up() -> bool:
    stamp = VENV / ".installed"
    return stamp.is_file() and stamp.stat().st_mtime >= (ROOT / "pyproject.toml").stat().st_mtime


def _fake_bin(tmp_path: Path, **scripts: str) -> Path:
    """Recording stand-ins, each named after the command it replaces (``apt_get`` = apt-get)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name, body in scripts.items():
        path = bin_dir / name.replace("_", "-")
        path.write_text(RECORDER + body + "\n", encoding="utf-8")
        path.chmod(0o755)
    return bin_dir


def _run_dev(
    tmp_path: Path, bin_dir: Path, *args: str, path: str | None = None, **env: str
) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    log = tmp_path / "calls.log"
    full_env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{path if path is not None else os.environ['PATH']}",
        "DEV_TEST_LOG": str(log),
        "DEV_VENV": str(VENV),
        **env,
    }
    for name in ("DEV_PYTHON", "DEBIAN_FRONTEND"):
        full_env.pop(name, None)
    proc = subprocess.run(
        [BASH, str(DEV), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=full_env,
        stdin=subprocess.DEVNULL,
    )
    calls = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
    return proc, calls


def _ldconfig_without(*sonames: str) -> str:
    """An ``ldconfig -p`` that lists what the real one lists, less some libraries."""
    real = shutil.which("ldconfig") or "/sbin/ldconfig"
    out = subprocess.run([real, "-p"], capture_output=True, text=True, check=True).stdout
    kept = [line for line in out.splitlines() if line.split(" ", 1)[0].strip() not in sonames]
    return "cat <<'EOF'\n" + "\n".join(kept) + "\nEOF"


@pytest.mark.skipif(not _venv_is_set_up(), reason="the tests' venv was not made by ./dev")
def test_second_set_up_runs_no_apt_get_and_asks_no_sudo(tmp_path: Path) -> None:
    bin_dir = _fake_bin(tmp_path, apt_get="exit 1", apt_cache="exit 1", sudo="exit 1")
    proc, calls = _run_dev(tmp_path, bin_dir, "setup")
    assert proc.returncode == 0, proc.stderr
    assert calls == [], "everything is installed, yet ./dev called: " + "; ".join(calls)
    assert proc.stdout == ""


@pytest.mark.skipif(not _venv_is_set_up(), reason="the tests' venv was not made by ./dev")
def test_a_missing_library_is_installed_by_its_package_noninteractively(tmp_path: Path) -> None:
    """Only what is missing, the t64 name where apt has it, DEBIAN_FRONTEND kept through sudo."""
    bin_dir = _fake_bin(
        tmp_path,
        ldconfig=_ldconfig_without("libxcb-cursor.so.0", "libglib-2.0.so.0"),
        apt_cache='case "$*" in *libglib2.0-0t64*|*libxcb-cursor0*) exit 0 ;; esac; exit 100',
        apt_get="exit 0",
        sudo='[ "$1" = -n ] && shift; "$@"',
    )
    proc, calls = _run_dev(tmp_path, bin_dir, "setup")
    assert proc.returncode == 0, proc.stderr
    apt_calls = [c for c in calls if c.startswith("apt-get")]
    assert apt_calls == [
        "apt-get DEBIAN_FRONTEND=noninteractive -qq update",
        "apt-get DEBIAN_FRONTEND=noninteractive -qq install -y --no-install-recommends "
        "libglib2.0-0t64 libxcb-cursor0",
    ]
    assert "libglib2.0-0t64 libxcb-cursor0" in proc.stdout


@pytest.mark.skipif(not _venv_is_set_up(), reason="the tests' venv was not made by ./dev")
def test_without_sudo_it_prints_the_apt_line_and_carries_on(tmp_path: Path) -> None:
    """An ordinary user whom sudo refuses: one line for an administrator, then the rest runs."""
    bin_dir = _fake_bin(
        tmp_path,
        id='[ "$1" = -u ] && echo 1000',
        ldconfig=_ldconfig_without("libxcb-cursor.so.0", "libglib-2.0.so.0"),
        apt_cache='case "$*" in *libglib2.0-0t64*|*libxcb-cursor0*) exit 0 ;; esac; exit 100',
        apt_get="exit 1",
        sudo="exit 1",
    )
    proc, calls = _run_dev(tmp_path, bin_dir, "setup")
    assert proc.returncode == 0, proc.stderr
    assert [c for c in calls if c.startswith("apt-get")] == []
    # sudo was asked once, without a prompt (no terminal), and never to run anything
    assert [c for c in calls if c.startswith("sudo")] == ["sudo DEBIAN_FRONTEND= -n true"]
    assert "apt-get install -y --no-install-recommends libglib2.0-0t64 libxcb-cursor0" in (
        proc.stderr
    )
    assert "Carrying on" in proc.stderr


def _os_release(tmp_path: Path, text: str) -> str:
    path = tmp_path / "os-release"
    path.write_text(text, encoding="utf-8")
    return str(path)


def _no_python_path(tmp_path: Path, old_python: bool) -> str:
    """A PATH with the tools ./dev uses and, at most, a Python that is too old."""
    tools = tmp_path / "tools"
    tools.mkdir()
    for tool in ("dirname", "basename", "sed", "sort", "tail", "grep", "awk", "find", "uname"):
        found = shutil.which(tool)
        assert found, tool
        (tools / tool).symlink_to(found)
    if old_python:
        fake = tools / "python3"
        fake.write_text(
            '#!/bin/sh\ncase "$*" in *print*) echo 3.9.2 ;; *) exit 1 ;; esac\n', encoding="utf-8"
        )
        fake.chmod(0o755)
    return str(tools)


UPDATE = "sudo apt-get update"


@pytest.mark.parametrize(
    ("release", "command"),
    [
        ('ID=debian\nVERSION_ID="12"\n', f"{UPDATE} && sudo apt-get install python3 python3-venv"),
        (
            'ID=ubuntu\nVERSION_ID="22.04"\n',
            f"{UPDATE} && sudo apt-get install python3.11 python3.11-venv",
        ),
        ('ID=fedora\nVERSION_ID="41"\n', "sudo dnf install python3"),
    ],
)
def test_without_a_python_it_prints_the_commands_for_this_os(
    tmp_path: Path, release: str, command: str
) -> None:
    bin_dir = _fake_bin(tmp_path, apt_get="exit 1", sudo="exit 1")
    proc, calls = _run_dev(
        tmp_path,
        bin_dir,
        "setup",
        path=_no_python_path(tmp_path, old_python=True),
        DEV_VENV=str(tmp_path / "venv"),
        DEV_OS_RELEASE=_os_release(tmp_path, release),
        HOME=str(tmp_path),
        PYENV_ROOT=str(tmp_path / "pyenv"),
    )
    assert proc.returncode != 0
    assert "Python 3.11 or newer is needed" in proc.stderr
    assert "python3 (3.9.2): too old" in proc.stderr
    assert command in proc.stderr
    assert "uv python install" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert calls == []
    assert not (tmp_path / "venv").exists()
