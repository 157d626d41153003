"""Cheap checks of the packaging inputs; the real build runs in CI (packaging/ci_smoke.sh)."""

from __future__ import annotations

import ast
import configparser
import struct
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "packaging" / "nfctagify-desktop.spec"
ICONS = ROOT / "resources" / "icons"
DESKTOP = ROOT / "resources" / "nfctagify-desktop.desktop"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def _pyproject_version() -> str:
    with (ROOT / "pyproject.toml").open("rb") as fh:
        return str(tomllib.load(fh)["project"]["version"])


def test_spec_compiles_and_builds_one_folder() -> None:
    source = SPEC.read_text(encoding="utf-8")
    compile(source, str(SPEC), "exec")
    calls = {
        node.func.id
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    }
    assert {"Analysis", "PYZ", "EXE", "COLLECT"} <= calls
    assert '"resources"' in source  # the resources/ tree is bundled where resource_path looks


def test_spec_version_comes_from_pyproject() -> None:
    """The spec reads [project].version from pyproject.toml; run exactly that code."""
    source = SPEC.read_text(encoding="utf-8")
    tree = ast.parse(source)
    # Execute only the imports it needs and the statements up to VERSION, with SPECPATH set
    # the way PyInstaller sets it.
    body: list[ast.stmt] = []
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module == "PyInstaller.utils.hooks":
            continue
        body.append(node)
        if isinstance(node, ast.With):
            break
    namespace: dict[str, object] = {"SPECPATH": str(SPEC.parent)}
    exec(compile(ast.Module(body=body, type_ignores=[]), str(SPEC), "exec"), namespace)
    assert namespace["VERSION"] == _pyproject_version()


def test_package_version_matches_pyproject() -> None:
    import nfctagify_desktop

    assert nfctagify_desktop.__version__ == _pyproject_version()


@pytest.mark.parametrize("size", PNG_SIZES)
def test_png_icons_have_their_size(size: int) -> None:
    from PySide6.QtGui import QImage

    image = QImage(str(ICONS / f"nfctagify-{size}.png"))
    assert not image.isNull()
    assert (image.width(), image.height()) == (size, size)
    assert image.hasAlphaChannel()
    # Transparent corner (rounded card), opaque centre.
    assert image.pixelColor(0, 0).alpha() == 0
    assert image.pixelColor(size // 2, size // 2).alpha() == 255


def test_ico_holds_every_windows_size() -> None:
    data = (ICONS / "nfctagify.ico").read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", data, 0)
    assert (reserved, kind) == (0, 1)
    sizes = set()
    for i in range(count):
        width, height, *_rest, length, offset = struct.unpack_from("<BBBBHHII", data, 6 + 16 * i)
        assert width == height
        assert data[offset : offset + 8] == b"\x89PNG\r\n\x1a\n"
        assert offset + length <= len(data)
        sizes.add(width or 256)
    assert {16, 24, 32, 48, 256} <= sizes


def test_icns_is_well_formed() -> None:
    data = (ICONS / "nfctagify.icns").read_bytes()
    assert data[:4] == b"icns"
    assert struct.unpack_from(">I", data, 4)[0] == len(data)
    kinds, pos = set(), 8
    while pos < len(data):
        kind, length = data[pos : pos + 4], struct.unpack_from(">I", data, pos + 4)[0]
        assert length > 8
        kinds.add(kind)
        pos += length
    assert pos == len(data)
    assert {b"ic07", b"ic08", b"ic09", b"ic10"} & kinds


def test_desktop_entry_has_required_keys() -> None:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(DESKTOP, encoding="utf-8")
    entry = parser["Desktop Entry"]
    assert entry["Type"] == "Application"
    assert entry["Name"]
    assert entry["Comment"]
    assert entry["Exec"].split()[0] == "nfctagify-desktop"
    assert entry["Icon"] == "nfctagify-desktop"
    assert entry["Terminal"] == "false"
    assert entry["StartupWMClass"] == "nfctagify-desktop"
    categories = entry["Categories"].split(";")
    assert {"Office", "Business"} <= set(categories)
    assert entry["Categories"].endswith(";")


def test_build_script_is_importable() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("nfc_build", ROOT / "packaging" / "build.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.SPEC == SPEC
    assert {"xcb", "offscreen"} <= module.KEEP_PLATFORMS


@pytest.mark.parametrize(
    ("path", "platform", "dropped"),
    [
        ("_internal/PySide6/Qt/translations/qtbase_de.qm", "linux", True),
        ("PySide6/translations/qtbase_de.qm", "win32", True),
        ("_internal/PySide6/Qt/plugins/platforms/libqvnc.so", "linux", True),
        ("_internal/PySide6/Qt/plugins/platforms/libqeglfs.so", "linux", True),
        ("_internal/PySide6/Qt/plugins/platforms/libqxcb.so", "linux", False),
        ("_internal/PySide6/Qt/plugins/platforms/libqoffscreen.so", "linux", False),
        ("_internal/PySide6/Qt/plugins/platforms/libqwayland.so", "linux", False),
        ("PySide6/plugins/platforms/qwindows.dll", "win32", False),
        ("_internal/PySide6/plugins/platforms/qoffscreen.dll", "win32", False),
        ("_internal/PySide6/plugins/platforms/qdirect2d.dll", "win32", True),
        ("_internal/PySide6/plugins/generic/qtuiotouchplugin.dll", "win32", True),
        ("_internal/PySide6/opengl32sw.dll", "win32", True),
        ("_internal/PySide6/Qt6Widgets.dll", "win32", False),
        ("_internal/PySide6/plugins/styles/qmodernwindowsstyle.dll", "win32", False),
        ("_internal/PySide6/plugins/imageformats/qjpeg.dll", "win32", True),
        ("_internal/PySide6/plugins/imageformats/qsvg.dll", "win32", True),
        ("_internal/PySide6/plugins/iconengines/qsvgicon.dll", "win32", True),
        ("_internal/PySide6/plugins/imageformats/qico.dll", "win32", False),
        ("_internal/pycountry/databases/iso639-3.json", "win32", True),
        ("_internal/pycountry/databases/iso639-3.json", "linux", True),
        ("_internal/pycountry/databases/iso3166-1.json", "linux", False),
        ("_internal/pycountry/databases/iso3166-2.json", "win32", False),
        ("_internal/resources/icons/nfctagify.icns", "win32", True),
        ("_internal/resources/icons/nfctagify.icns", "darwin", False),
        ("_internal/resources/icons/nfctagify.ico", "win32", False),
        ("_internal/PySide6/Qt/plugins/generic/libqevdevmouseplugin.so", "linux", True),
        ("_internal/PySide6/Qt/plugins/imageformats/libqtiff.so", "linux", True),
        ("PySide6/plugins/imageformats/qtga.dll", "win32", True),
        ("_internal/PySide6/Qt/plugins/imageformats/libqico.so", "linux", False),
        ("_internal/PySide6/Qt/plugins/imageformats/libqsvg.so", "linux", False),
        ("_internal/PySide6/Qt/plugins/imageformats/libqicns.dylib", "darwin", False),
        ("_internal/PySide6/Qt/lib/libQt6Widgets.so.6", "linux", False),
        ("_internal/resources/icons/nfctagify-16.png", "linux", False),
    ],
)
def test_qt_prune_rules(path: str, platform: str, dropped: bool) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("qt_prune", ROOT / "packaging" / "qt_prune.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.should_drop(path, platform) is dropped


def _spec_excludes() -> set[str]:
    tree = ast.parse(SPEC.read_text(encoding="utf-8"))
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and isinstance(node.targets[0], ast.Name)
            and node.targets[0].id == "excludes"
        ):
            return set(ast.literal_eval(node.value))
    raise AssertionError("the spec has no `excludes = [...]`")


def _imported_top_level_modules(package: Path) -> dict[str, str]:
    """Top-level module name -> one file importing it (every import, lazy ones included)."""
    found: dict[str, str] = {}
    for path in sorted(package.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                found.setdefault(name.split(".")[0], str(path.relative_to(ROOT)))
                found.setdefault(name, str(path.relative_to(ROOT)))
    return found


def test_the_spec_excludes_nothing_the_app_imports() -> None:
    """An excluded module the app imports would only fail in the frozen build, at first use."""
    excludes = _spec_excludes()
    imported = _imported_top_level_modules(ROOT / "nfctagify_desktop")
    clashes = {name: imported[name] for name in excludes if name in imported}
    assert clashes == {}


def test_the_app_reads_no_pycountry_table_the_bundle_leaves_out() -> None:
    """qt_prune drops pycountry's language and script tables; reading one would fail frozen."""
    for path in (ROOT / "nfctagify_desktop").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for table in ("languages", "language_families", "scripts"):
            assert f"pycountry.{table}" not in text, path
