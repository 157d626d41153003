"""Which collected Qt files the NFC Tagify bundle leaves out; shared by the spec and build.py.

PyInstaller's PySide6 hooks collect every plugin of each used Qt module, and ``excludes`` only drop
Python modules. The spec filters ``Analysis.binaries``/``datas`` through
:func:`should_drop` (so one-file builds are trimmed too), and ``build.py`` applies it again to the
one-folder output, then removes Qt libraries that nothing left links against.
"""

from __future__ import annotations

import sys

# Platform plugins kept on Linux: X11, Wayland (3 MB, native HiDPI), and the headless pair used
# by --self-test and CI. eglfs/linuxfb/vnc/vkkhrdisplay/minimalegl serve embedded devices.
KEEP_PLATFORMS = frozenset({"xcb", "wayland", "offscreen", "minimal"})
# evdev/tuio input plugins and EGL device integrations only matter to eglfs/linuxfb.
DROP_PLUGIN_DIRS_LINUX = frozenset({"egldeviceintegrations", "generic"})
# Windows: the native platform plus the headless pair. qdirect2d is an alternative renderer
# nobody selects; the `generic` tuiotouch plugin is the only user of Qt6Network.dll there; the
# only icon engine is the SVG one.
KEEP_PLATFORMS_WINDOWS = frozenset({"windows", "offscreen", "minimal"})
DROP_PLUGIN_DIRS_WINDOWS = frozenset({"generic", "iconengines"})
# Mesa's software OpenGL (20 MB): Qt loads it only when the GPU driver lacks OpenGL 2 and the
# app asks for OpenGL, which a widgets app never does.
DROP_FILES_WINDOWS = frozenset({"opengl32sw.dll"})
# The Windows bundle also leaves out every picture format but the built-in PNG, and SVG icons:
# the app shows no pictures but its own PNG icons (Qt6Svg.dll then goes as an orphan).
DROP_IMAGEFORMATS_WINDOWS = frozenset({"jpeg", "webp", "gif", "svg"})
# Not Qt, but the same kind of dead weight: tables of libraries the app never reads (pycountry
# reads each table on first use; the app uses its country table only), and the macOS icon
# outside macOS.
DROP_DATA = frozenset(
    {
        "pycountry/databases/iso639-3.json",
        "pycountry/databases/iso639-5.json",
        "pycountry/databases/iso15924.json",
    }
)
MAC_ONLY_DATA = frozenset({"resources/icons/nfctagify.icns"})
# Image formats nobody feeds the app; png is built into QtGui; jpeg/webp/gif stay for product art.
DROP_IMAGEFORMATS = frozenset({"tga", "tiff", "wbmp"})


def _qt_relative(path: str) -> str | None:
    """The part after ``PySide6/Qt/`` (or ``PySide6/``'s Qt dirs on Windows), or None."""
    p = path.replace("\\", "/")
    for marker in ("PySide6/Qt/", "PySide6/"):
        i = p.find(marker)
        if i >= 0:
            return p[i + len(marker) :]
    return None


def should_drop(path: str, platform: str = sys.platform) -> bool:
    """True for a bundled file (destination path) that the app does not need."""
    posix = path.replace("\\", "/")
    if any(posix.endswith(name) for name in DROP_DATA):
        return True
    if platform != "darwin" and any(posix.endswith(name) for name in MAC_ONLY_DATA):
        return True
    rel = _qt_relative(path)
    if rel is None:
        return False
    parts = rel.split("/")
    if parts[0] == "translations":
        return True
    if platform == "win32" and len(parts) == 1 and parts[0].lower() in DROP_FILES_WINDOWS:
        return True
    if parts[0] != "plugins" or len(parts) < 3:
        return False
    group, name = parts[1], parts[-1]
    stem = name.split(".")[0].removeprefix("lib")
    if group == "imageformats":
        drop = set(DROP_IMAGEFORMATS) | ({"icns"} if platform != "darwin" else set())
        if platform == "win32":
            drop |= DROP_IMAGEFORMATS_WINDOWS
        return stem.removeprefix("q").removesuffix("d") in drop
    if platform.startswith("linux"):
        if group in DROP_PLUGIN_DIRS_LINUX:
            return True
        if group == "platforms":
            return stem.removeprefix("q") not in KEEP_PLATFORMS
    if platform == "win32":
        if group in DROP_PLUGIN_DIRS_WINDOWS:
            return True
        if group == "platforms":
            return stem.removeprefix("q") not in KEEP_PLATFORMS_WINDOWS
    return False
