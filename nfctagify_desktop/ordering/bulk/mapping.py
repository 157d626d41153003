"""Which column holds which order field: guessed from the header words partners really use.

"Qty", "Post Code", "Address Line 1", "Town", "SKU", "PO" all find their field. A header that
matches nothing is ignored and shown as such; one that is a likely misspelling of a known
header ("Quantiy") is flagged with its suggestion but not mapped, so a guess never moves data
into the wrong field silently. The user's corrections are remembered per header set.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from nfctagify_desktop.ordering.fields import FIELDS as ORDER_FIELDS
from nfctagify_desktop.paths import data_dir

#: Order fields a column can fill, in the order the preview shows them, with their labels.
FIELDS: Final[dict[str, str]] = {
    key: ORDER_FIELDS[key].label
    for key in (
        "product_id",
        "quantity",
        "customer_reference",
        "name",
        "address_line1",
        "address_line2",
        "city",
        "postcode",
        "region",
        "country",
    )
}
#: Always required; the postcode and region are required where the country's rules say so.
REQUIRED: Final = frozenset({"product_id", "quantity", "name", "address_line1", "city"})

_SYNONYMS: Final[dict[str, tuple[str, ...]]] = {
    "product_id": (
        "product",
        "product id",
        "productid",
        "product code",
        "product name",
        "sku",
        "item",
        "item code",
        "card",
        "card type",
        "product_id",
    ),
    "quantity": ("qty", "quantity", "amount", "count", "cards", "number of cards", "units", "qnty"),
    "customer_reference": (
        "reference",
        "ref",
        "po",
        "po number",
        "purchase order",
        "order ref",
        "order reference",
        "customer reference",
        "customer ref",
        "your reference",
        "customer_reference",
    ),
    "name": (
        "name",
        "full name",
        "recipient",
        "recipient name",
        "contact",
        "contact name",
        "customer",
        "customer name",
        "ship to",
        "ship to name",
        "deliver to",
        "attention",
    ),
    "address_line1": (
        "address",
        "address 1",
        "address line 1",
        "address1",
        "street",
        "street address",
        "addr1",
        "line 1",
        "address_line1",
        "shipping address",
    ),
    "address_line2": (
        "address 2",
        "address line 2",
        "address2",
        "addr2",
        "line 2",
        "street 2",
        "address_line2",
        "apartment",
        "suite",
    ),
    "city": ("town", "city", "town/city", "town city", "locality", "post town"),
    "postcode": ("post code", "postcode", "zip", "zip code", "postal code", "postcode/zip", "plz"),
    "region": ("region", "state", "county", "province", "state/province", "prefecture"),
    "country": ("country", "country code", "country iso", "nation"),
}


#: The same headers as spreadsheets in German, French, Spanish and Dutch name them.
_TRANSLATED: Final[dict[str, tuple[str, ...]]] = {
    "product_id": ("produkt", "artikel", "artikelnummer", "produit", "producto", "artikelnr"),
    "quantity": ("menge", "anzahl", "stückzahl", "quantité", "cantidad", "aantal"),
    "customer_reference": ("referenz", "bestellnummer", "référence", "referencia", "referentie"),
    "name": ("empfänger", "nom", "destinataire", "nombre", "naam"),
    "address_line1": ("straße", "strasse", "adresse", "anschrift", "dirección", "adres"),
    "address_line2": ("adresszusatz", "complément d'adresse"),
    "city": ("ort", "stadt", "ville", "ciudad", "plaats", "woonplaats"),
    "postcode": ("postleitzahl", "code postal", "código postal", "codigo postal"),
    "region": ("bundesland", "région", "provincia"),
    "country": ("land", "pays", "país", "pais"),
}


def normalize_header(text: str) -> str:
    """``" Post-Code "`` -> ``"postcode"``; ``"shipping.city"`` -> ``"city"``."""
    folded = text.strip().casefold().removeprefix("shipping.")
    return re.sub(r"[^0-9a-z]+", "", folded)


_LOOKUP: Final[dict[str, str]] = {
    normalize_header(word): field
    for table in (_SYNONYMS, _TRANSLATED)
    for field, words in table.items()
    for word in words
}


@dataclass(frozen=True, slots=True)
class ColumnInfo:
    """One column of the file and what the mapping does with it.

    Attributes:
        field: the order field it fills, or None (ignored).
        suggestion: for an ignored column, the field its header is probably a misspelling of.
        duplicate_of: for an ignored column, the column that already fills the same field.
    """

    index: int
    header: str
    field: str | None
    suggestion: str | None = None
    duplicate_of: int | None = None

    @property
    def note(self) -> str:
        """What the preview says about the column."""
        if self.field is not None:
            return f"→ {FIELDS[self.field]}"
        if self.duplicate_of is not None and self.suggestion is not None:
            return (
                f"ignored: {FIELDS[self.suggestion]} already comes from "
                f"column {self.duplicate_of + 1}"
            )
        if self.suggestion is not None:
            return f"ignored: did you mean {FIELDS[self.suggestion]}?"
        return "ignored"


@dataclass(frozen=True)
class Mapping:
    """Column index -> field (None = ignored), plus the remarks shown with it."""

    columns: tuple[ColumnInfo, ...]

    @property
    def fields(self) -> dict[str, int]:
        """Field -> the column that fills it."""
        return {c.field: c.index for c in self.columns if c.field is not None}

    @property
    def missing(self) -> list[str]:
        """Required fields no column fills (every row then lacks them)."""
        have = self.fields
        return [f for f in FIELDS if f in REQUIRED and f not in have]

    @property
    def ignored(self) -> list[ColumnInfo]:
        return [c for c in self.columns if c.field is None and c.header]

    @property
    def assignment(self) -> tuple[str | None, ...]:
        return tuple(c.field for c in self.columns)

    def with_field(self, index: int, field: str | None) -> Mapping:
        """The mapping with column ``index`` set to ``field`` (another column holding that
        field is released), as the user edits it in the preview."""
        fields = list(self.assignment)
        if field is not None:
            fields = [None if f == field else f for f in fields]
        fields[index] = field
        return build_mapping([c.header for c in self.columns], fields)


def _suggest(key: str) -> str | None:
    if len(key) < 3:
        return None
    close = difflib.get_close_matches(key, _LOOKUP.keys(), n=1, cutoff=0.8)
    return _LOOKUP[close[0]] if close else None


def guess_mapping(headers: Sequence[str]) -> Mapping:
    """Map each header through the synonym table; the first column wins a contested field."""
    return build_mapping(headers, [_LOOKUP.get(normalize_header(h)) for h in headers])


def build_mapping(headers: Sequence[str], fields: Sequence[str | None]) -> Mapping:
    """A :class:`Mapping` from a chosen field per column (None = ignored), with its notes."""
    taken: dict[str, int] = {}
    columns: list[ColumnInfo] = []
    for index, header in enumerate(headers):
        field = fields[index] if index < len(fields) else None
        if field is not None and field not in FIELDS:
            field = None
        if field is not None and field in taken:
            columns.append(ColumnInfo(index, header, None, field, taken[field]))
            continue
        if field is not None:
            taken[field] = index
            columns.append(ColumnInfo(index, header, field))
            continue
        key = normalize_header(header)
        suggestion = None if key in _LOOKUP else _suggest(key)
        columns.append(ColumnInfo(index, header, None, suggestion))
    return Mapping(tuple(columns))


class MappingMemory:
    """The last mapping the user confirmed, per header set, in a small JSON file.

    A missing or damaged file is an empty memory: remembering is a convenience, never a reason
    to refuse an import.
    """

    def __init__(self, path: Path | str | None = None) -> None:
        self.path = Path(path) if path is not None else data_dir() / "import-mappings.json"

    @staticmethod
    def key(headers: Sequence[str]) -> str:
        joined = "\x1f".join(normalize_header(h) for h in headers)
        return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:32]

    def _load(self) -> dict[str, list[str | None]]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def recall(self, headers: Sequence[str]) -> Mapping | None:
        fields = self._load().get(self.key(headers))
        if not isinstance(fields, list) or len(fields) != len(headers):
            return None
        clean = [f if isinstance(f, str) and f in FIELDS else None for f in fields]
        return build_mapping(headers, clean)

    def remember(self, mapping: Mapping) -> None:
        data = self._load()
        data[self.key([c.header for c in mapping.columns])] = list(mapping.assignment)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text(json.dumps(data, indent=1), encoding="utf-8")
            tmp.replace(self.path)
        except OSError:
            pass


def mapping_for(headers: Sequence[str], memory: MappingMemory | None) -> Mapping:
    """The remembered mapping for these headers, else the guessed one."""
    recalled = memory.recall(headers) if memory is not None else None
    return recalled if recalled is not None else guess_mapping(headers)
