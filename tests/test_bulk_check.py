"""Mapping headers to fields, checking rows like the order form, and the sending plan."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from nfctagify_desktop.api.models import PriceEntry, Product
from nfctagify_desktop.ordering.bulk import (
    Limits,
    MappingMemory,
    Verdict,
    check_rows,
    count,
    guess_mapping,
    make_plan,
    mapping_for,
    read_bytes,
)
from nfctagify_desktop.ordering.bulk.plan import finish_in
from nfctagify_desktop.ordering.outbox import Draft, DraftState
from nfctagify_desktop.ordering.validation import OrderFields
from tests import bulk_corpus as corpus

CATALOGUE = [
    Product(product_id="prod_standard", name="NFC Business Card — Standard", price=Decimal("3.50")),
    Product(product_id="prod_premium_metal", name="Metal", price=Decimal("24"), min_quantity=10),
]
PRICES = {
    "prod_standard": PriceEntry(
        product_id="prod_standard", price=Decimal("3.00"), standard_price=Decimal("3.50")
    ),
    "prod_premium_metal": PriceEntry(product_id="prod_premium_metal", price=Decimal("24.00")),
}


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Qty", "quantity"),
        ("Quantity", "quantity"),
        ("Amount", "quantity"),
        ("Post Code", "postcode"),
        ("Postcode", "postcode"),
        ("ZIP", "postcode"),
        ("Postal code", "postcode"),
        ("Town", "city"),
        ("City", "city"),
        ("Product", "product_id"),
        ("Product ID", "product_id"),
        ("SKU", "product_id"),
        ("Reference", "customer_reference"),
        ("PO", "customer_reference"),
        ("Order ref", "customer_reference"),
        ("Address 1", "address_line1"),
        ("Address Line 1", "address_line1"),
        ("Street", "address_line1"),
        ("shipping.address_line2", "address_line2"),
        ("COUNTRY", "country"),
    ],
)
def test_synonyms(header: str, field: str) -> None:
    assert guess_mapping([header]).columns[0].field == field


def test_unknown_ignored_and_misspelling_flagged_not_mapped() -> None:
    mapping = guess_mapping(["Qty", "Quantiy", "Notes", "Postcde", "Qty"])
    notes = [c.note for c in mapping.columns]
    assert notes == [
        "→ Quantity",
        "ignored: did you mean Quantity?",
        "ignored",
        "ignored: did you mean Postcode?",
        "ignored: Quantity already comes from column 1",
    ]
    assert "city" in mapping.missing and "quantity" not in mapping.missing


def test_edited_mapping_is_remembered_per_header_set(tmp_path: Path) -> None:
    memory = MappingMemory(tmp_path / "m.json")
    headers = ["Item", "Pieces", "Who"]
    guessed = mapping_for(headers, memory)
    assert guessed.assignment == ("product_id", None, None)
    edited = guessed.with_field(1, "quantity").with_field(2, "name")
    memory.remember(edited)
    assert mapping_for(headers, memory).assignment == ("product_id", "quantity", "name")
    assert mapping_for(["Item", "Pieces"], memory).assignment == ("product_id", None)
    (tmp_path / "m.json").write_text("{not json")
    assert mapping_for(headers, memory).assignment == ("product_id", None, None)
    # Taking a field for one column releases it from another.
    assert edited.with_field(0, "name").assignment == ("name", "quantity", None)


def _rows(data: bytes, **kw: object) -> list:  # type: ignore[type-arg]
    table = read_bytes(data, name="orders.csv")
    return check_rows(table, guess_mapping(table.headers), profile="p", catalogue=CATALOGUE, **kw)  # type: ignore[arg-type]


def test_corpus_rows_check_like_the_order_form() -> None:
    rows = _rows(corpus.excel_cp1252_semicolon())
    assert [r.verdict for r in rows] == [Verdict.READY, Verdict.READY, Verdict.READY]
    by_name = rows[1]
    assert by_name.fields.product_id == "prod_standard"  # given by its exact name
    assert by_name.fields.postcode == "75001" and by_name.fields.country == "FR"


def test_xlsx_float_quantities_and_problems() -> None:
    table = read_bytes(corpus.xlsx_floats_extra_column(), name="orders.xlsx")
    rows = check_rows(table, guess_mapping(table.headers), profile="p", catalogue=CATALOGUE)
    assert [r.verdict for r in rows] == [Verdict.READY, Verdict.READY, Verdict.INVALID]
    assert rows[0].fields.quantity == "50"
    assert rows[2].errors["quantity"] == "Quantity must be a whole number"


def test_invalid_rows_get_every_problem() -> None:
    data = (
        b"Product,Qty,Name,Address,Town,Postcode,Country\n"
        b"prod_nope,0,,1 Road,Leeds,NOPE,GB\n"
        b"prod_premium_metal,5,Al,1 Road,Leeds,LS1 4AP,XX\n"
    )
    first, second = _rows(data)
    assert set(first.errors) >= {"product_id", "quantity", "shipping.name", "shipping.postcode"}
    assert "No product with id or name 'prod_nope'" in first.message
    assert second.errors["quantity"] == "Quantity must be at least 10 for Metal"
    assert "shipping.country" in second.errors


def test_missing_column_and_default_country() -> None:
    rows = _rows(b"Product,Qty,Name,Town,Postcode\nprod_standard,5,Al,Leeds,LS1 4AP\n")
    assert rows[0].errors == {"shipping.address_line1": "No column is mapped to Address line 1"}
    assert rows[0].fields.country == "GB"


def test_duplicates_in_file_and_against_history() -> None:
    data = (
        b"Product,Qty,Ref,Name,Address,Town,Postcode\n"
        b"prod_standard,5,PO-1,Al,1 Road,Leeds,LS1 4AP\n"
        b"prod_standard,5,po-1,AL,1  Road,Leeds,ls14ap\n"
        b"prod_standard,6,PO-2,Bo,2 Road,York,YO1 7HH\n"
    )
    table = read_bytes(data, name="dup.csv")
    mapping = guess_mapping(table.headers)
    from nfctagify_desktop.ordering.bulk.rows import history_fingerprint

    history = {history_fingerprint("prod_standard", "6", "PO-2", "bo", "YO17HH"): "order ord_1"}
    rows = check_rows(table, mapping, profile="p", history=history)
    assert rows[1].errors[""] == "Same order as row 2"
    assert "repeat of order ord_1" in rows[2].errors[""]
    allowed = check_rows(table, mapping, profile="p", history=history, allow_repeats=True)
    assert allowed[2].verdict is Verdict.READY and "repeat" in allowed[2].warnings[0]


def test_rows_already_placed_are_found_by_their_key() -> None:
    data = b"Product,Qty,Name,Address,Town,Postcode\nprod_standard,5,Al,1 Road,Leeds,LS1 4AP\n"
    table = read_bytes(data, name="a.csv")
    first = check_rows(table, guess_mapping(table.headers), profile="p")[0]
    again = check_rows(table, guess_mapping(table.headers), profile="p")[0]
    assert first.key == again.key and first.source == again.source
    other_profile = check_rows(table, guess_mapping(table.headers), profile="q")[0]
    assert other_profile.key != first.key
    done = Draft(
        profile="p",
        fields=OrderFields(),
        state=DraftState.SUBMITTED,
        order_id="ord_9",
        source=first.source,
        idempotency_key=first.key,
    )
    placed = check_rows(
        table, guess_mapping(table.headers), profile="p", placed={first.source: done}
    )[0]
    assert placed.verdict is Verdict.PLACED and placed.message == "Already placed (ord_9)"
    assert count([first, placed]).total == 2


def test_plan_totals_eta_and_daily_limit() -> None:
    data = "Product,Qty,Name,Address,Town,Postcode\n" + "".join(
        f"prod_standard,10,N{i},{i} Road,Leeds,LS1 4AP\n" for i in range(300)
    )
    rows = _rows(data.encode())
    now = datetime(2026, 11, 29, 22, 0, tzinfo=UTC)
    plan = make_plan(rows, PRICES, Limits(per_minute=60, per_day=500, used_today=0), now=now)
    assert plan.count == 300 and plan.cards == 3000
    assert plan.totals == {"GBP": Decimal("9000.00")}
    assert plan.standard_totals == {"GBP": Decimal("10500.00")}
    # 300 requests at 60 per minute: four full waits of a window (plus margin) and 60 quick ones.
    assert 240 < plan.eta_seconds < 260
    text = "\n".join(plan.lines())
    assert "Total at your prices: £9,000.00 (at standard prices: £10,500.00)" in text
    assert "Sending takes about 4 min" in text
    tight = make_plan(rows, PRICES, Limits(per_day=500, used_today=380), now=now)
    assert (tight.fit_today, tight.later) == (120, 180)
    assert "Only 120 fit today's limit, 380 already placed today: the other 180" in "\n".join(
        tight.lines()
    )


def test_finish_in_follows_the_pacer() -> None:
    assert finish_in(0, per_minute=60) == 0
    assert finish_in(10, per_minute=60, latency=0.1) == pytest.approx(1.0)
    # Sixty started 10 s ago: the next may start 50.25 s from now.
    assert finish_in(1, per_minute=60, latency=0.1, starts_ago=[10.0] * 60) == pytest.approx(50.35)


def test_address_rules_are_computed_once_per_region() -> None:
    from nfctagify_desktop.ordering import address

    address._rules_for.cache_clear()
    first = address.address_errors("US", "CA", "10001")
    misses = address._rules_for.cache_info().misses
    for _ in range(3):
        assert address.address_errors("US", "CA", "10001") == first
    assert address._rules_for.cache_info().misses == misses  # no file read after the first
    assert [p.field for p in first] == ["shipping.postcode"]  # a New York ZIP in California
    assert address.address_errors("US", "NY", "10001") == []


def test_template_checks_clean(tmp_path: Path) -> None:
    from nfctagify_desktop.ordering.bulk.template import write_template

    path = tmp_path / "template.csv"
    write_template(path)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    table = read_bytes(path.read_bytes(), name=path.name)
    mapping = guess_mapping(table.headers)
    assert not mapping.ignored and not mapping.missing
    rows = check_rows(table, mapping, profile="p", catalogue=CATALOGUE)
    assert [r.errors for r in rows] == [{}, {}, {}]
    assert rows[1].fields.address_line1 == "Unit 4, Riverside Park"


def test_a_german_export_maps_every_column() -> None:
    """An Excel export from a German, French or Dutch office: its headers are not English."""
    headers = ["Produkt", "Menge", "Referenz", "Empfänger", "Straße", "Ort", "PLZ", "Land"]
    mapping = guess_mapping(headers)
    assert [c.field for c in mapping.columns] == [
        "product_id",
        "quantity",
        "customer_reference",
        "name",
        "address_line1",
        "city",
        "postcode",
        "country",
    ]
    assert mapping.missing == []
    french = guess_mapping(
        ["Produit", "Quantité", "Nom", "Adresse", "Ville", "Code postal", "Pays"]
    )
    assert french.missing == []
    assert french.columns[5].field == "postcode" and french.columns[6].field == "country"
