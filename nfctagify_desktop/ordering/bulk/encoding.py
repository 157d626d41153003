"""Which text encoding a CSV file is in: a guess the user sees and can change.

Order of evidence: a byte-order mark; valid UTF-8; UTF-16 without a mark (a NUL in every other
byte); otherwise charset-normalizer's best match on a sample. Among single-byte Western
encodings, which are indistinguishable on most real files, Windows-1252 wins: it is what Excel
writes as plain "CSV" on a Western European or American Windows machine.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from typing import Final

from charset_normalizer import from_bytes

#: Bytes given to charset-normalizer; enough for any real header and many rows, and bounded so
#: a large file never makes detection slow.
SAMPLE_BYTES: Final = 256 * 1024

#: What the encoding chooser offers (Python codec names), most likely first.
CHOICES: Final[tuple[str, ...]] = (
    "utf-8",
    "utf-8-sig",
    "utf-16",
    "cp1252",
    "latin-1",
    "iso8859-15",
    "cp1250",
    "mac-roman",
)

_LABELS: Final[dict[str, str]] = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 with BOM",
    "utf-16": "UTF-16",
    "utf-16-le": "UTF-16 LE",
    "utf-16-be": "UTF-16 BE",
    "cp1252": "Windows-1252 (Western)",
    "latin-1": "Latin-1 (ISO 8859-1)",
    "iso8859-1": "Latin-1 (ISO 8859-1)",
    "iso8859-15": "Latin-9 (ISO 8859-15)",
    "cp1250": "Windows-1250 (Central European)",
    "mac-roman": "Mac Roman",
}
_WESTERN_SINGLE_BYTE: Final = frozenset(
    {"cp1252", "latin-1", "iso8859-1", "iso8859-15", "cp1257", "cp775", "cp1250", "mac-roman"}
    | {f"iso8859-{n}" for n in (2, 3, 4, 9, 10, 13, 14, 16)}
    | {"cp850", "cp437", "cp858", "mac-latin2", "cp1254"}
)
#: Bytes Windows-1252 leaves undefined: a file with them is not Windows-1252.
_CP1252_UNDEFINED: Final = (b"\x81", b"\x8d", b"\x8f", b"\x90", b"\x9d")


class UnknownEncodingError(ValueError):
    """A user-typed encoding name Python does not know."""


@dataclass(frozen=True, slots=True)
class EncodingGuess:
    """The encoding to read with, and how it was chosen (shown next to the chooser).

    Attributes:
        encoding: a Python codec name, normalised (``"cp1252"``, ``"utf-8-sig"``).
        reason: ``"bom"``, ``"utf-8"``, ``"utf-16"``, ``"detected"``, ``"fallback"`` or
            ``"chosen"`` (the user's choice).
    """

    encoding: str
    reason: str

    @property
    def label(self) -> str:
        return label(self.encoding)


def canonical(name: str) -> str:
    """The codec's own name (``"CP-1252"`` -> ``"cp1252"``); raises UnknownEncodingError."""
    try:
        info = codecs.lookup(name.strip())
    except LookupError:
        raise UnknownEncodingError(f"Unknown encoding {name.strip()!r}") from None
    return {"iso8859-1": "latin-1", "mac-roman": "mac-roman"}.get(info.name, info.name)


def label(encoding: str) -> str:
    """A human name for the chooser: ``"cp1252"`` -> ``"Windows-1252 (Western)"``."""
    return _LABELS.get(encoding, encoding.upper())


def _looks_utf16(data: bytes) -> str | None:
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def detect(data: bytes) -> EncodingGuess:
    """The most likely encoding of ``data``; never raises (falls back to Windows-1252)."""
    if data.startswith(codecs.BOM_UTF8):
        return EncodingGuess("utf-8-sig", "bom")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return EncodingGuess("utf-16", "bom")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return EncodingGuess("utf-8", "utf-8")
    utf16 = _looks_utf16(data)
    if utf16 is not None:
        return EncodingGuess(utf16, "utf-16")
    best = from_bytes(data[:SAMPLE_BYTES]).best()
    found = canonical(best.encoding) if best is not None else None
    cp1252_fits = not any(b in data for b in _CP1252_UNDEFINED)
    if cp1252_fits and (found is None or found in _WESTERN_SINGLE_BYTE):
        return EncodingGuess("cp1252", "detected" if found else "fallback")
    if found is not None:
        return EncodingGuess(found, "detected")
    return EncodingGuess("latin-1", "fallback")  # decodes any byte; bad rows are flagged


def decode(data: bytes, encoding: str) -> str:
    """``data`` as text; undecodable bytes become U+FFFD (flagged per row by the reader)."""
    text = data.decode(encoding, errors="replace")
    return text[1:] if text.startswith("\ufeff") else text
