"""``nfctagify orders import``: dry run, a real import against the sandbox, a re-import.

The command runs in its own process, as a user runs it; the sandbox is the in-process fixture so
the tests can count the orders it holds.
"""

from __future__ import annotations

import csv
from pathlib import Path

from nfctagify_desktop.sandbox.server import SandboxServer
from tests import bulk_corpus as corpus
from tests.test_cli import assert_clean_failure, run


def _file(tmp_path: Path) -> Path:
    """Excel's plain CSV from a European Windows machine: cp1252, semicolons; one bad row."""
    path = tmp_path / "Bestellungen.csv"
    bad = ["prod_standard", "ten", "PO-9", "Al", "1 Road", "", "Leeds", "LS1 4AP", "GB"]
    rows = [corpus.HEADERS, *corpus.ROWS, bad]
    path.write_bytes(("\r\n".join(";".join(r) for r in rows) + "\r\n").encode("cp1252"))
    return path


def test_dry_run_json_verdicts_place_nothing(sandbox: SandboxServer, tmp_path: Path) -> None:
    path = _file(tmp_path)
    before = sandbox.order_count("demo")
    r = run("--json", "orders", "import", str(path), "--dry-run", home=tmp_path,
            key=sandbox.demo_api_key, base_url=sandbox.base_url)  # fmt: skip
    assert r.code == 0, r.err
    data = r.json()
    assert (data["total"], data["valid"], data["invalid"]) == (4, 3, 1)
    assert all(isinstance(data[k], int) for k in ("total", "valid", "invalid"))
    assert data["encoding"] == "cp1252" and data["delimiter"] == ";"
    assert {"column": "Qty", "field": "quantity", "note": "→ Quantity"} in data["mapping"]
    verdicts = [(row["row"], row["verdict"]) for row in data["rows"]]
    assert verdicts == [(2, "ready"), (3, "ready"), (4, "ready"), (5, "invalid")]
    assert data["rows"][3]["errors"]["quantity"] == "Quantity must be a whole number"
    assert data["rows"][0]["fields"]["name"] == "Zoë Brontë"
    assert data["plan"]["count"] == 3 and data["plan"]["totals"]
    assert sandbox.order_count("demo") == before


def test_import_places_valid_rows_then_reimport_places_nothing(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    path = _file(tmp_path)
    before = sandbox.order_count("demo")
    args = ("--json", "orders", "import", str(path))
    first = run(*args, home=tmp_path, key=sandbox.demo_api_key, base_url=sandbox.base_url)
    assert first.code == 0, first.err
    data = first.json()
    assert (data["placed"], data["invalid"], data["valid"]) == (3, 1, 3)
    assert sandbox.order_count("demo") == before + 3
    assert [o["order_id"] is not None for o in data["rows"]] == [True, True, True, False]
    rejects = Path(data["rejected_csv"])
    assert rejects == tmp_path / "Bestellungen-rejected.csv"
    with rejects.open(encoding="utf-8-sig", newline="") as fh:
        back = list(csv.reader(fh))
    assert back[0] == [*corpus.HEADERS, "Problem"] and back[1][1] == "ten"

    second = run(*args, home=tmp_path, key=sandbox.demo_api_key, base_url=sandbox.base_url)
    assert second.code == 0, second.err
    again = second.json()
    assert again["placed"] == 0 and again["already_placed"] == 3
    assert sandbox.order_count("demo") == before + 3

    text = run("orders", "import", str(path), home=tmp_path, key=sandbox.demo_api_key,
               base_url=sandbox.base_url)  # fmt: skip
    assert text.code == 0, text.err
    assert "3 were already placed by an earlier import (nothing sent)" in text.out
    assert sandbox.order_count("demo") == before + 3


def test_unreadable_file_is_one_line_before_sending(sandbox: SandboxServer, tmp_path: Path) -> None:
    path = tmp_path / "photo.csv"
    path.write_bytes(bytes(range(256)) * 100)
    r = run("orders", "import", str(path), home=tmp_path, key=sandbox.demo_api_key,
            base_url="http://127.0.0.1:9")  # fmt: skip
    line = assert_clean_failure(r, 2, sandbox.demo_api_key)
    assert "binary data" in line


def test_sheet_and_encoding_options(sandbox: SandboxServer, tmp_path: Path) -> None:
    book = tmp_path / "orders.xlsx"
    book.write_bytes(corpus.xlsx_floats_extra_column())
    r = run("--json", "orders", "import", str(book), "--dry-run", "--sheet", "Nope",
            home=tmp_path, key=sandbox.demo_api_key, base_url=sandbox.base_url)  # fmt: skip
    assert "no sheet 'Nope'; its sheets are: Orders, Archive" in assert_clean_failure(r, 2)
    ok = run("--json", "orders", "import", str(book), "--dry-run", home=tmp_path,
             key=sandbox.demo_api_key, base_url=sandbox.base_url)  # fmt: skip
    assert ok.code == 0, ok.err
    data = ok.json()
    assert data["sheet"] == "Orders" and (data["valid"], data["invalid"]) == (2, 1)
    assert {"column": "Notes", "field": None, "note": "ignored"} in data["mapping"]
    wrong = run("--json", "orders", "import", str(_file(tmp_path)), "--dry-run", "--encoding",
                "utf-8", home=tmp_path, key=sandbox.demo_api_key,
                base_url=sandbox.base_url)  # fmt: skip
    assert wrong.code == 0 and wrong.json()["encoding"] == "utf-8"
    assert wrong.json()["invalid"] >= 2  # é and £ cannot be read as UTF-8: those rows say so
