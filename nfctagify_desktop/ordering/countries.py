"""ISO 3166-1 countries from pycountry (the Debian iso-codes data), for choosing and reading.

GB comes first because nearly every order ships within the UK; the rest are sorted by name so
a combo box reads naturally. Names are the short everyday ones ("Bolivia", not "Bolivia,
Plurinational State of") where the data has one.

pycountry's data file is read directly: importing the package costs about 50 ms (it asks
``importlib.metadata`` for its version) on the app's start-up path, reading the file about 2.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import unicodedata
from pathlib import Path
from typing import Any

# Common ways people type a country in a spreadsheet that ISO does not list.
_ALIASES: dict[str, str] = {
    "uk": "GB",
    "great britain": "GB",
    "britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "usa": "US",
    "united states of america": "US",
}


def _sort_key(name: str) -> str:
    """Accents ignored, so "Åland Islands" sorts under A as people expect."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@functools.cache
def _records() -> tuple[dict[str, Any], ...]:
    """pycountry's ISO 3166-1 records (alpha_2, alpha_3, name, common_name, official_name)."""
    spec = importlib.util.find_spec("pycountry")
    for base in (spec.submodule_search_locations or []) if spec is not None else []:
        path = Path(base) / "databases" / "iso3166-1.json"
        if path.is_file():
            return tuple(json.loads(path.read_text(encoding="utf-8"))["3166-1"])
    import pycountry  # the data moved: ask the package itself  # pragma: no cover

    return tuple(  # pragma: no cover
        {a: getattr(c, a) for a in ("alpha_2", "alpha_3", "name", "common_name") if hasattr(c, a)}
        for c in pycountry.countries
    )


@functools.cache
def _names() -> dict[str, str]:
    return {str(c["alpha_2"]): str(c.get("common_name") or c["name"]) for c in _records()}


@functools.cache
def _by_name() -> dict[str, str]:
    out: dict[str, str] = {}
    for c in _records():
        for attr in ("name", "common_name", "official_name", "alpha_3"):
            value = c.get(attr)
            if value:
                out.setdefault(str(value).casefold(), str(c["alpha_2"]))
    return out


def _countries() -> list[tuple[str, str]]:
    names = _names()
    rest = sorted(((c, n) for c, n in names.items() if c != "GB"), key=lambda p: _sort_key(p[1]))
    return [("GB", names["GB"]), *rest]


#: (code, name) pairs: GB first, then every other country sorted by name.
COUNTRIES: list[tuple[str, str]] = _countries()

#: Every assigned alpha-2 code.
COUNTRY_CODES: frozenset[str] = frozenset(_names())


def country_name(code: str) -> str | None:
    """The display name of an alpha-2 code, or None when the code is not assigned."""
    return _names().get(code.strip().upper())


def normalize_country(value: str) -> str | None:
    """An alpha-2 code from a code, an ISO name or alpha-3 code, or a common alias ("UK")."""
    text = value.strip()
    if len(text) == 2 and text.upper() in COUNTRY_CODES:
        return text.upper()
    folded = text.casefold()
    return _ALIASES.get(folded) or _by_name().get(folded)
