"""WCAG contrast of every colour the app draws, in the light and the dark theme.

Text needs 4.5:1 against what it is drawn on; bold badge and chip text needs 3:1. Roles without
a background of their own are checked against the surfaces they can land on: the app's own
palettes and the ones Windows 11 and macOS use, light and dark.
"""

from __future__ import annotations

import pytest
from PySide6.QtGui import QPalette

from nfctagify_desktop.ui import theme
from nfctagify_desktop.ui.appearance import dark_palette, light_palette
from nfctagify_desktop.ui.contrast import (
    LARGE_TEXT_MIN,
    TEXT_MIN,
    blend,
    contrast_ratio,
    minimum_for,
    parse_hex,
)

_R = QPalette.ColorRole

# Window and base colours a role without its own background may sit on.
_LIGHT_SURFACES = ("#FFFFFF", "#EFEFEF", "#F3F3F3", "#ECECEC")  # Fusion, Windows 11, macOS
_DARK_SURFACES = ("#17191C", "#202326", "#202020", "#2B2B2B", "#1E1E1E", "#323232")


def _hex(palette: QPalette, role: QPalette.ColorRole) -> str:
    colour = palette.color(role)
    if colour.alpha() < 255:  # e.g. a translucent placeholder: as it lands on the base
        return blend(colour.name(), palette.color(_R.Base).name(), colour.alphaF())
    return colour.name()


def _themes() -> list[tuple[str, QPalette]]:
    return [("light", light_palette()), ("dark", dark_palette())]


def test_wcag_formula_matches_known_values() -> None:
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast_ratio("#FFFFFF", "#FFFFFF") == pytest.approx(1.0)
    # The WCAG reference grey: #767676 on white is just above 4.5:1, #777777 just below.
    assert contrast_ratio("#767676", "#FFFFFF") == pytest.approx(4.54, abs=0.01)
    assert contrast_ratio("#777777", "#FFFFFF") < TEXT_MIN
    assert contrast_ratio("#FFF", "#000") == contrast_ratio("#000000", "#FFFFFF")
    assert blend("#FFFFFF", "#000000", 0.5) == "#808080"
    assert minimum_for(large=True) == LARGE_TEXT_MIN
    with pytest.raises(ValueError):
        parse_hex("not a colour")


def _pairs(palette: QPalette) -> list[tuple[str, str, str, float]]:
    """(what, fg, bg, minimum) for every role as ``palette`` shows it."""
    dark = theme.is_dark(palette)
    surfaces = _DARK_SURFACES if dark else _LIGHT_SURFACES
    pairs: list[tuple[str, str, str, float]] = []
    for name, r in theme.ROLES.items():
        s = theme.swatch(name, palette)
        least = minimum_for(large=r.large)
        if s.bg:
            pairs.append((name, s.fg, s.bg, least))
        else:
            pairs.extend((f"{name} on {surface}", s.fg, surface, least) for surface in surfaces)
        if name.startswith("status."):
            # An unchecked chip: palette text on the status colour faded into the base.
            assert s.bg is not None
            base = _hex(palette, _R.Base)
            hover = blend(s.bg, base, theme.CHIP_HOVER_ALPHA)
            pairs.append((f"{name} chip hover", _hex(palette, _R.Text), hover, TEXT_MIN))
    return pairs


@pytest.mark.parametrize(("label", "palette"), _themes(), ids=["light", "dark"])
def test_every_role_has_enough_contrast(label: str, palette: QPalette) -> None:
    failures = [
        f"{what}: {fg} on {bg} = {contrast_ratio(fg, bg):.2f} < {least}"
        for what, fg, bg, least in _pairs(palette)
        if contrast_ratio(fg, bg) < least
    ]
    assert not failures, f"{label} theme:\n" + "\n".join(failures)


@pytest.mark.parametrize(("label", "palette"), _themes(), ids=["light", "dark"])
def test_the_palettes_own_text_has_enough_contrast(label: str, palette: QPalette) -> None:
    pairs = [
        ("text", _R.Text, _R.Base),
        ("alternate rows", _R.Text, _R.AlternateBase),
        ("window text", _R.WindowText, _R.Window),
        ("buttons", _R.ButtonText, _R.Button),
        ("selection", _R.HighlightedText, _R.Highlight),
        ("tooltips", _R.ToolTipText, _R.ToolTipBase),
        ("links", _R.Link, _R.Base),
        ("placeholders", _R.PlaceholderText, _R.Base),
    ]
    failures = []
    for what, fg_role, bg_role in pairs:
        fg, bg = _hex(palette, fg_role), _hex(palette, bg_role)
        if contrast_ratio(fg, bg) < TEXT_MIN:
            failures.append(f"{what}: {fg} on {bg} = {contrast_ratio(fg, bg):.2f}")
    assert not failures, f"{label} palette:\n" + "\n".join(failures)


def test_roles_answer_for_the_palette_they_are_given() -> None:
    light, dark = light_palette(), dark_palette()
    assert not theme.is_dark(light)
    assert theme.is_dark(dark)
    role = theme.role("row.custom_price")
    assert theme.swatch("row.custom_price", light) == role.light
    assert theme.swatch("row.custom_price", dark) == role.dark
    assert theme.fg("hint", dark).name().upper() == role_fg("hint", dark=True)
    with pytest.raises(KeyError, match="no colour role"):
        theme.role("no.such.role")


def role_fg(name: str, *, dark: bool) -> str:
    r = theme.role(name)
    return (r.dark if dark else r.light).fg.upper()


def test_unknown_statuses_get_the_unknown_badge() -> None:
    assert theme.status_role("delivered") == "status.delivered"
    assert theme.status_role("lost_in_space") == "status.unknown"
    bg, fg = theme.status_colours("lost_in_space")
    unknown = theme.role("status.unknown").light
    assert (bg.name().upper(), fg.name().upper()) == (unknown.bg, unknown.fg)


def test_no_colour_is_written_outside_the_theme() -> None:
    """Every colour comes from a role: a literal elsewhere would escape the contrast checks."""
    import re
    from pathlib import Path

    ui = Path(__file__).resolve().parent.parent / "nfctagify_desktop" / "ui"
    # Printed pages are on white paper whatever the screen's theme: their ink is checked below.
    printed = ui / "documents.py"
    allowed = {ui / "theme.py", ui / "appearance.py", printed}
    literal = re.compile(
        r"#[0-9A-Fa-f]{6}\b|#[0-9A-Fa-f]{3}\b(?![-\w])|QColor\(\s*['\"]|Qt\.GlobalColor|"
        r"\b(?:color|background)\s*:\s*(?:white|black|red|green|blue|grey|gray|orange)\b|"
        r"palette\(mid\)",
    )
    found = [
        f"{path.relative_to(ui)}:{n}: {line.strip()}"
        for path in sorted(ui.rglob("*.py"))
        if path not in allowed
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if literal.search(line) and not line.lstrip().startswith("#")
    ]
    assert not found, "use a role from ui/theme.py instead:\n" + "\n".join(found)
    if printed.exists():
        from nfctagify_desktop.ui import documents

        for name in ("_INK", "_MUTED"):
            ink = getattr(documents, name, None)
            if isinstance(ink, str):
                for paper in ("#FFFFFF", getattr(documents, "_HEAD_BG", "#FFFFFF")):
                    assert contrast_ratio(ink, paper) >= TEXT_MIN, (name, ink, paper)
