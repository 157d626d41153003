"""Build the frozen NFC Tagify Desktop app with PyInstaller, then trim the one-folder output.

Usage (from anywhere; run it with the interpreter of the env that has the app and PyInstaller)::

    python packaging/build.py [--onefile] [--clean] [--no-prune] [--console|--windowed]
                              [--dist DIR] [--work DIR]

Output: ``dist/nfctagify-desktop/nfctagify-desktop[.exe]`` (one folder, the default and the one
to ship: a one-file build unpacks itself on every start) or
``dist/onefile/nfctagify-desktop[.exe]`` with ``--onefile`` (a folder of its own: on Linux the
file would collide with the one-folder directory); on macOS also
``dist/NFC Tagify.app``. ``--dist``/``--work`` move the output and PyInstaller's work folder
(the Windows build under Wine uses ``dist/windows`` and ``build/windows``, so it never mixes
with a Linux build of the same checkout). Prints the executable path and the output size.

Pruning (rules in ``qt_prune.py``; the spec already filters by them, this pass catches the rest)
removes what ``excludes`` cannot keep out (they drop Python modules, not the Qt plugins and
libraries that PySide6's hooks collect):

- Qt translations (the app ships no QTranslator);
- Linux platform plugins other than xcb, wayland, offscreen and minimal (eglfs, linuxfb, vnc, ...),
  their ``egldeviceintegrations`` and the evdev/tuio ``generic`` input plugins;
- image format plugins nobody feeds the app (tga, tiff, wbmp; icns off macOS);
- then any bundled ``libQt6*`` that no remaining ELF file in the bundle needs (``readelf -d``),
  e.g. libQt6Network (only vnc and tuiotouch used it) and the EglFS libraries;
- on Windows: ``opengl32sw.dll``, the ``qdirect2d`` platform and the ``generic`` input plugins,
  then any ``Qt6*.dll`` that no remaining DLL, .pyd or .exe imports (pefile), e.g. Qt6Network.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "packaging" / "nfctagify-desktop.spec"
DIST = ROOT / "dist"
WORK = ROOT / "build" / "pyinstaller"
APP_NAME = "nfctagify-desktop"
EXE_SUFFIX = ".exe" if sys.platform == "win32" else ""

sys.path.insert(0, str(ROOT / "packaging"))
from qt_prune import KEEP_PLATFORMS, should_drop  # noqa: E402

__all__ = ["KEEP_PLATFORMS", "main", "prune"]


def check_shared_libpython() -> None:
    """PyInstaller on Linux needs a shared libpython; fail early with the fix."""
    if not sys.platform.startswith("linux"):
        return
    if sysconfig.get_config_var("Py_ENABLE_SHARED"):
        return
    sys.exit(
        f"{sys.executable} was built without --enable-shared, so PyInstaller cannot bundle "
        "libpython. Use a Python that has it (distro, python.org, actions/setup-python, or "
        "pyenv: `PYTHON_CONFIGURE_OPTS=--enable-shared pyenv install 3.12`)."
    )


def dist_dir(base: Path, onefile: bool) -> Path:
    return base / "onefile" if onefile else base


def run_pyinstaller(
    *, onefile: bool, clean: bool, console: bool | None, dist: Path, work: Path
) -> None:
    env = dict(os.environ)
    env["NFCTAGIFY_ONEFILE"] = "1" if onefile else "0"
    if console is not None:
        env["NFCTAGIFY_CONSOLE"] = "1" if console else "0"
    cmd = [
        sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
        "--distpath", str(dist_dir(dist, onefile)),
        "--workpath", str(work / ("onefile" if onefile else "onedir")),
    ]  # fmt: skip
    if clean:
        cmd.append("--clean")
    cmd.append(str(SPEC))
    print("+", " ".join(cmd), flush=True)
    subprocess.run(cmd, cwd=ROOT, env=env, check=True)


def _rm(path: Path, removed: list[Path]) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()
    else:
        return
    removed.append(path)


def _needed(path: Path, readelf: str) -> set[str]:
    out = subprocess.run([readelf, "-d", str(path)], capture_output=True, text=True).stdout
    return set(re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", out))


def _is_elf(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            return fh.read(4) == b"\x7fELF"
    except OSError:
        return False


def prune_orphan_qt_libs(bundle: Path, removed: list[Path]) -> None:
    """Drop bundled libQt6* libraries that nothing left in the bundle links against (Linux)."""
    readelf = shutil.which("readelf")
    if readelf is None:
        print("readelf not found: skipping the orphan Qt library pass")
        return
    while True:
        elves = [p for p in bundle.rglob("*") if p.is_file() and not p.is_symlink() and _is_elf(p)]
        needed: set[str] = set()
        for p in elves:
            needed |= _needed(p, readelf)
        orphans = [
            p for p in elves if p.name.startswith("libQt6") and p.name not in needed
        ]  # Python extension modules (PySide6/*.so) keep the libraries they use.
        if not orphans:
            return
        for p in orphans:
            _rm(p, removed)


def _pe_imports(path: Path) -> set[str]:
    import pefile  # PyInstaller's own dependency on Windows

    pe = pefile.PE(str(path), fast_load=True)
    try:
        pe.parse_data_directories(
            directories=[pefile.DIRECTORY_ENTRY["IMAGE_DIRECTORY_ENTRY_IMPORT"]]
        )
        entries = getattr(pe, "DIRECTORY_ENTRY_IMPORT", [])
        return {e.dll.decode("ascii", "replace").lower() for e in entries}
    finally:
        pe.close()


def prune_orphan_qt_dlls(bundle: Path, removed: list[Path]) -> None:
    """Drop bundled Qt6*.dll that no remaining DLL, .pyd or .exe imports (Windows).

    Plugins are PE files too, so a library a kept plugin needs stays; Qt6Network.dll goes once
    the tuiotouch plugin is gone.
    """
    try:
        import pefile  # noqa: F401
    except ImportError:
        print("pefile not found: skipping the orphan Qt DLL pass")
        return
    suffixes = {".dll", ".pyd", ".exe"}
    while True:
        pes = [p for p in bundle.rglob("*") if p.is_file() and p.suffix.lower() in suffixes]
        needed: set[str] = set()
        for p in pes:
            needed |= _pe_imports(p)
        orphans = [
            p for p in pes if p.name.lower().startswith("qt6") and p.name.lower() not in needed
        ]
        if not orphans:
            return
        for p in orphans:
            _rm(p, removed)


def prune(bundle: Path) -> list[Path]:
    """Remove unneeded Qt files from a one-folder bundle (qt_prune.py); returns what was removed."""
    removed: list[Path] = []
    for path in sorted(bundle.rglob("*"), reverse=True):  # children before their folders
        if path.is_file() and should_drop(path.relative_to(bundle).as_posix()):
            _rm(path, removed)
        elif (
            path.is_dir()
            and "PySide6" in path.parts
            and not path.is_symlink()
            and not any(path.iterdir())
        ):
            path.rmdir()  # folders the spec or this pass emptied
    if sys.platform.startswith("linux"):
        prune_orphan_qt_libs(bundle, removed)
    elif sys.platform == "win32":
        prune_orphan_qt_dlls(bundle, removed)
    return removed


#: Run-time hooks the spec leaves out (see the spec for why): a PyInstaller upgrade that renames
#: or re-adds one must not slip by unnoticed.
UNWANTED_HOOKS = ("pyi_rth_multiprocessing",)


def check_runtime_hooks(exe: Path) -> list[str]:
    """The scripts the executable runs before main.py; exits if an unwanted hook is among them."""
    from PyInstaller.archive.readers import CArchiveReader

    toc = CArchiveReader(str(exe)).toc
    scripts = [name for name, entry in toc.items() if entry[-1] == "s"]
    unwanted = sorted(set(scripts) & set(UNWANTED_HOOKS))
    if unwanted:
        sys.exit(f"{exe} runs {', '.join(unwanted)} at start (the spec should leave it out)")
    return scripts


def folder_size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--onefile", action="store_true", help="one-file build (slow start)")
    parser.add_argument("--clean", action="store_true", help="clear PyInstaller's cache first")
    parser.add_argument("--no-prune", action="store_true", help="keep every collected Qt file")
    parser.add_argument(
        "--dist", type=Path, default=DIST, help="output folder (default: dist/ in the repo)"
    )
    parser.add_argument(
        "--work", type=Path, default=WORK, help="PyInstaller's work folder (default: build/)"
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--console", dest="console", action="store_true", default=None)
    mode.add_argument("--windowed", dest="console", action="store_false")
    args = parser.parse_args(argv)

    check_shared_libpython()
    if not (ROOT / "main.py").exists() and not os.environ.get("NFCTAGIFY_ENTRY"):
        sys.exit("main.py is missing at the repo root (or set NFCTAGIFY_ENTRY to an entry script)")

    started = time.perf_counter()
    dist = args.dist.resolve()
    if args.clean:
        target = dist_dir(dist, args.onefile) / APP_NAME
        if target.is_dir():
            shutil.rmtree(target)
    run_pyinstaller(
        onefile=args.onefile,
        clean=args.clean,
        console=args.console,
        dist=dist,
        work=args.work.resolve(),
    )

    if args.onefile:
        out = dist_dir(dist, True) / f"{APP_NAME}{EXE_SUFFIX}"
        exe = out
    else:
        out = dist / APP_NAME
        exe = out / f"{APP_NAME}{EXE_SUFFIX}"
        if not args.no_prune:
            before = folder_size(out)
            removed = prune(out)
            app_bundle = dist / "NFC Tagify.app"
            if app_bundle.is_dir():
                removed += prune(app_bundle)
            saved = (before - folder_size(out)) / 2**20
            print(f"pruned {len(removed)} Qt files/folders, {saved:.1f} MiB")
    if not exe.exists():
        sys.exit(f"build finished but {exe} is missing")
    print(f"start-up scripts: {', '.join(check_runtime_hooks(exe))}")
    size = folder_size(out) / 2**20
    print(f"built in {time.perf_counter() - started:.0f} s")
    print(f"executable: {exe}")
    print(f"size: {size:.1f} MiB ({'one file' if args.onefile else 'one folder'}: {out})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
