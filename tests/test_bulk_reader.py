"""Reading real exports and hostile files: per-row problems or one BulkFileError, never a crash."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nfctagify_desktop.ordering.bulk import BulkFileError, guess_mapping, read_bytes, read_file
from nfctagify_desktop.ordering.bulk.table import MAX_CELL_CHARS, ROW
from tests import bulk_corpus as corpus

CSV_EXPORTS: list[tuple[str, Callable[[], bytes], str, str]] = [
    ("excel-utf8-bom", corpus.excel_utf8_bom, "utf-8-sig", ","),
    ("excel-cp1252-semicolon", corpus.excel_cp1252_semicolon, "cp1252", ";"),
    ("excel-utf16-tab", corpus.excel_utf16_tab, "utf-16", "\t"),
    ("libreoffice", corpus.libreoffice_csv, "utf-8", ","),
    ("google-sheets", corpus.google_sheets_csv, "utf-8", ","),
]


@pytest.mark.parametrize(("name", "make", "encoding", "delimiter"), CSV_EXPORTS)
def test_csv_exports_read_alike(
    name: str, make: Callable[[], bytes], encoding: str, delimiter: str
) -> None:
    table = read_bytes(make(), name=f"{name}.csv")
    assert table.encoding == encoding
    assert table.delimiter == delimiter
    assert table.headers == corpus.HEADERS
    assert [r.cells for r in table.rows] == corpus.ROWS
    assert [r.line for r in table.rows] == [2, 3, 4]
    assert all(not r.problems for r in table.rows)


def test_cp1252_guess_can_be_overridden() -> None:
    data = corpus.excel_cp1252_semicolon()
    wrong = read_bytes(data, name="x.csv", encoding="utf-8")
    assert wrong.encoding == "utf-8" and wrong.encoding_reason == "chosen"
    # Undecodable bytes are flagged on their rows instead of failing the file.
    assert any("encoding" in m for r in wrong.rows for m in r.problems.values())
    right = read_bytes(data, name="x.csv", encoding="Windows-1252")
    assert right.rows[0].cells[3] == "Zoë Brontë"


def test_unknown_encoding_name_is_a_file_error() -> None:
    with pytest.raises(BulkFileError, match="Unknown encoding 'klingon'"):
        read_bytes(corpus.google_sheets_csv(), encoding="klingon")


def test_xlsx_floats_become_quantities_and_postcodes_text(tmp_path: Path) -> None:
    path = tmp_path / "orders.xlsx"
    path.write_bytes(corpus.xlsx_floats_extra_column())
    table = read_file(path)
    assert table.kind == "xlsx"
    assert table.sheets == ("Orders", "Archive") and table.sheet == "Orders"
    assert table.headers[-1] == "Notes"
    first, second, third = table.rows
    assert first.cells[1] == "50" and second.cells[1] == "10"
    assert second.cells[6] == "10115"  # a number in the sheet, text for us
    assert third.line == 5  # the blank row 4 is skipped, numbering follows the sheet
    assert third.cells[1] == "12.5"
    assert table.notes == ("1 blank row(s) skipped",)
    mapping = guess_mapping(table.headers)
    assert [c.header for c in mapping.ignored] == ["Notes"]
    archive = read_file(path, sheet="Archive")
    assert archive.headers == ["Product", "Qty"] and archive.rows[0].cells == ["prod_standard", "1"]
    with pytest.raises(BulkFileError, match="no sheet 'Nope'; its sheets are: Orders, Archive"):
        read_file(path, sheet="Nope")


def test_huge_cell_flags_its_row_only() -> None:
    huge = "x" * (MAX_CELL_CHARS + 10)
    data = f"Name,City\nAl,{huge}\nBo,York\n".encode()
    table = read_bytes(data)
    assert len(table.rows) == 2
    assert "characters long" in table.rows[0].problems[1]
    assert len(table.rows[0].cells[1]) < 1000
    assert table.rows[1].cells == ["Bo", "York"] and not table.rows[1].problems


def test_unterminated_quote_never_merges_rows_silently() -> None:
    data = (
        b"Product,Qty,Name,City\n"
        b'prod_standard,5,"Al,Leeds\n'
        b"prod_standard,6,Bo,York\n"
        b"prod_standard,7,Cy,Bath\n"
    )
    table = read_bytes(data)
    assert len(table.rows) == 1
    problem = table.rows[0].problems[ROW]
    assert "not closed" in problem and "lines 2–4" in problem


def test_nul_and_control_characters_are_flagged() -> None:
    table = read_bytes(b"Name,City\nA\x00l,Leeds\nBo,Yo\x07rk\n")
    assert "U+0000" in table.rows[0].problems[0]
    assert "U+0007" in table.rows[1].problems[1]


def test_formula_cells_are_flagged_not_evaluated() -> None:
    table = read_bytes(
        b'Name,Qty,Ref\n"=HYPERLINK(""http://evil"",""x"")",+50,-3\n@SUM(1),5,+cmd\n'
    )
    first, second = table.rows
    assert first.cells[0] == '=HYPERLINK("http://evil","x")'
    assert "formula" in first.problems[0]
    assert 1 not in first.problems and 2 not in first.problems  # +50 and -3 are numbers
    assert "formula" in second.problems[0] and "formula" in second.problems[2]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "is empty"),
        (b"\n\n  \n", "is empty"),
        (bytes(range(256)) * 64, "binary data"),
        (b"%PDF-1.7\n" + bytes(range(256)) * 16, "binary data"),
        (b"PK\x03\x04not really a zip", "cannot be read as a spreadsheet"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1garbage", "cannot be read as a spreadsheet"),
    ],
)
def test_file_level_errors(data: bytes, message: str) -> None:
    with pytest.raises(BulkFileError, match=message):
        read_bytes(data, name="orders.csv")


def test_fifty_thousand_rows_read() -> None:
    lines = ["Product,Qty,Name,Address,Town,Postcode"]
    lines += [f"prod_standard,{i % 90 + 10},N{i},{i} Road,Leeds,LS1 4AP" for i in range(50_000)]
    table = read_bytes("\n".join(lines).encode())
    assert len(table.rows) == 50_000 and table.rows[-1].line == 50_001


def test_unreadable_path_is_a_file_error(tmp_path: Path) -> None:
    with pytest.raises(BulkFileError, match=r"Cannot open missing\.csv"):
        read_file(tmp_path / "missing.csv")


_PIECES = st.sampled_from(
    [
        ",",
        ";",
        "\t",
        '"',
        "\n",
        "\r\n",
        "\r",
        "\x00",
        "=",
        "+",
        "Qty",
        "Post Code",
        "é",
        "£",
        "\ufeff",
        "\xff\xfe",
        "PK\x03\x04",
        "50.0",
        " ",
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        st.binary(max_size=2048),
        st.lists(_PIECES, max_size=80).map(lambda p: "".join(p).encode("utf-8", "surrogatepass")),
        st.text(max_size=500).map(lambda t: t.encode("utf-16")),
        st.text(max_size=500).map(lambda t: t.encode("cp1252", "ignore")),
    ),
    st.sampled_from([None, "utf-8", "cp1252", "utf-16", "latin-1"]),
)
def test_fuzz_only_the_documented_error(data: bytes, encoding: str | None) -> None:
    try:
        table = read_bytes(data, name="fuzz.csv", encoding=encoding)
    except BulkFileError as exc:
        message = str(exc)
        assert message, "the file-level error always says why"
        return
    width = len(table.headers)
    for row in table.rows:
        assert len(row.cells) == width
        assert all(isinstance(c, str) for c in row.cells)
    guess_mapping(table.headers)
