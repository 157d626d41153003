"""Order files made the way Excel, LibreOffice and Google Sheets export them (bytes, built here).

- Excel "CSV UTF-8 (Comma delimited)": UTF-8 with a BOM, CRLF, ``,``.
- Excel "CSV (Comma delimited)" on a German/French Windows: Windows-1252, ``;``, CRLF.
- Excel "Unicode Text (*.txt)": UTF-16 LE with a BOM, tab separated, CRLF.
- LibreOffice Calc "Text CSV" defaults: UTF-8 without a BOM, ``,``, LF, text quoted.
- Google Sheets "Download → CSV": UTF-8 without a BOM, ``,``, CRLF, no trailing newline.
- An .xlsx (openpyxl): numbers stored as floats (50.0), a numeric postcode, an extra column,
  and a second sheet.
"""

from __future__ import annotations

import io
from typing import Final

HEADERS: Final = [
    "Product",
    "Qty",
    "Reference",
    "Name",
    "Address Line 1",
    "Address 2",
    "Town",
    "Post Code",
    "Country",
]
ROWS: Final = [
    [
        "prod_standard",
        "50",
        "PO-1001",
        "Zoë Brontë",
        "12 Example Street",
        "",
        "London",
        "EC1A 1BB",
        "GB",
    ],
    [
        "NFC Business Card — Standard",
        "25",
        "PO-1002",
        "François Müller",
        "Rue de l'Église 3",
        "2e étage",
        "Paris",
        "75001",
        "FR",
    ],
    [
        "prod_standard",
        "100",
        "PO-1003",
        "Café £ Ltd",
        "Unit 4, Riverside Park",
        "Mill Lane",
        "Manchester",
        "M1 1AE",
        "GB",
    ],
]


def _csv(rows: list[list[str]], sep: str, eol: str, quote_all: bool = False) -> str:
    def cell(c: str) -> str:
        if quote_all or sep in c or '"' in c or "\n" in c:
            return '"' + c.replace('"', '""') + '"'
        return c

    return eol.join(sep.join(cell(c) for c in r) for r in rows)


def excel_utf8_bom() -> bytes:
    return b"\xef\xbb\xbf" + (_csv([HEADERS, *ROWS], ",", "\r\n") + "\r\n").encode("utf-8")


def excel_cp1252_semicolon() -> bytes:
    return (_csv([HEADERS, *ROWS], ";", "\r\n") + "\r\n").encode("cp1252")


def excel_utf16_tab() -> bytes:
    return (_csv([HEADERS, *ROWS], "\t", "\r\n") + "\r\n").encode("utf-16")


def libreoffice_csv() -> bytes:
    return (_csv([HEADERS, *ROWS], ",", "\n", quote_all=True) + "\n").encode("utf-8")


def google_sheets_csv() -> bytes:
    return _csv([HEADERS, *ROWS], ",", "\r\n").encode("utf-8")


def xlsx_floats_extra_column() -> bytes:
    """Quantities as floats, a German postcode as a number, an extra "Notes" column."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Orders"
    sheet.append(
        ["SKU", "Quantity", "PO", "Recipient", "Street", "City", "ZIP", "Country", "Notes"]
    )
    sheet.append(
        [
            "prod_standard",
            50.0,
            "PO-2001",
            "Jane Smith",
            "12 Example Street",
            "London",
            "EC1A 1BB",
            "GB",
            "rush",
        ]
    )
    sheet.append(
        [
            "prod_premium_metal",
            10.0,
            "PO-2002",
            "Jörg Schmidt",
            "Hauptstraße 5",
            "Berlin",
            10115,
            "DE",
            None,
        ]
    )
    sheet.append([None] * 9)
    sheet.append(
        [
            "prod_standard",
            12.5,
            "PO-2003",
            "Al Brown",
            "3 Road",
            "Bath",
            "BA1 1AA",
            "GB",
            '=HYPERLINK("http://example.com","x")',
        ]
    )
    other = book.create_sheet("Archive")
    other.append(["Product", "Qty"])
    other.append(["prod_standard", 1])
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()
