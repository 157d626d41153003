"""WCAG 2.x contrast ratio of two colours, so colour choices are checked rather than eyeballed.

Pure functions on ``#RRGGBB`` strings (no Qt), shared by the theme and its tests.
"""

from __future__ import annotations

#: Normal text must reach 4.5:1 (WCAG 1.4.3, level AA).
TEXT_MIN = 4.5
#: Large or bold text (badges, chips, banners' headings) must reach 3:1.
LARGE_TEXT_MIN = 3.0


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def parse_hex(colour: str) -> tuple[int, int, int]:
    """``#RGB`` or ``#RRGGBB`` as an (r, g, b) tuple; anything else is a ValueError."""
    text = colour.strip().lstrip("#")
    if len(text) == 3:
        text = "".join(ch * 2 for ch in text)
    if len(text) != 6:
        raise ValueError(f"not a #RRGGBB colour: {colour!r}")
    return int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16)


def relative_luminance(colour: str) -> float:
    r, g, b = (_channel(v) for v in parse_hex(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(fg: str, bg: str) -> float:
    """From 1.0 (same colour) to 21.0 (black on white); symmetric in its arguments."""
    a, b = relative_luminance(fg), relative_luminance(bg)
    hi, lo = max(a, b), min(a, b)
    return (hi + 0.05) / (lo + 0.05)


def blend(top: str, under: str, alpha: float) -> str:
    """``top`` painted with opacity ``alpha`` over ``under`` (e.g. a translucent hover)."""
    t, u = parse_hex(top), parse_hex(under)
    mixed = (round(a * alpha + b * (1 - alpha)) for a, b in zip(t, u, strict=True))
    return "#{:02X}{:02X}{:02X}".format(*mixed)


def minimum_for(*, large: bool) -> float:
    return LARGE_TEXT_MIN if large else TEXT_MIN


__all__ = [
    "LARGE_TEXT_MIN",
    "TEXT_MIN",
    "blend",
    "contrast_ratio",
    "minimum_for",
    "parse_hex",
    "relative_luminance",
]
