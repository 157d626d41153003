"""The address table through the core validation and the CSV import: the same verdicts."""

from __future__ import annotations

import csv
import io

import pytest

from nfctagify_desktop.ordering.bulk import check_rows, guess_mapping, read_bytes
from nfctagify_desktop.ordering.validation import OrderFields, errors_by_field, validate_order
from tests.address_table import BASE, CASES, Case, first_fault


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_core_validation(case: Case) -> None:
    fields = OrderFields(**BASE, country=case.country, region=case.region, postcode=case.postcode)
    assert first_fault(errors_by_field(validate_order(fields))) == case.fault


def test_csv_import_gives_the_same_verdicts() -> None:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([*BASE, "country", "region", "postcode"])
    for case in CASES:
        writer.writerow([*BASE.values(), case.country, case.region, case.postcode])
    table = read_bytes(out.getvalue().encode("utf-8"), name="addresses.csv")
    rows = check_rows(table, guess_mapping(table.headers), profile="demo")
    assert len(rows) == len(CASES)
    got = {case.id: first_fault(row.errors) for case, row in zip(CASES, rows, strict=True)}
    assert got == {case.id: case.fault for case in CASES}


def cli_verdict(case: Case) -> str | None:
    """What ``nfctagify orders create`` decides before sending (exit 2 names the option)."""
    from nfctagify_desktop.cli import build_parser
    from nfctagify_desktop.cli.common import OPTION_FOR_FIELD, UsageError

    argv = [
        "--base-url", "http://127.0.0.1:9", "orders", "create",
        "--product", BASE["product_id"], "--quantity", BASE["quantity"],
        "--reference", BASE["customer_reference"], "--name", BASE["name"],
        "--address1", BASE["address_line1"], "--city", BASE["city"],
        "--country", case.country, "--region", case.region, "--postcode", case.postcode,
        "--idempotency-key", "address-table",  # no journal entry for a dry check
    ]  # fmt: skip
    args = build_parser().parse_args(argv)
    try:
        args.prepare(args)
    except UsageError as exc:
        refused = str(exc)
    else:
        return None
    named = [f for f, o in OPTION_FOR_FIELD.items() if refused.startswith(f"{o}:")]
    assert len(named) == 1, refused
    return named[0]


def test_command_line_gives_the_same_verdicts() -> None:
    got = {case.id: cli_verdict(case) for case in CASES}
    assert got == {case.id: case.fault for case in CASES}
