"""The order field table: complete, consistent with the API models, and what every view uses."""

from __future__ import annotations

from typing import Any

import pytest

from nfctagify_desktop.api.models import OrderCreate, ShippingInput
from nfctagify_desktop.cli import build_parser
from nfctagify_desktop.cli.common import OPTION_FOR_FIELD
from nfctagify_desktop.ordering.fields import FIELDS, by_api, cli_help
from nfctagify_desktop.ordering.validation import OrderFields, validate_order


def test_every_field_of_the_form_and_of_the_api_is_declared_once() -> None:
    assert set(FIELDS) == set(OrderFields.model_fields)
    api_fields = {n for n in OrderCreate.model_fields if n != "shipping"} | {
        f"shipping.{n}" for n in ShippingInput.model_fields
    }
    assert {f.api for f in FIELDS.values()} == api_fields
    assert len({f.option for f in FIELDS.values()}) == len(FIELDS)


def test_limits_come_from_the_api_models() -> None:
    assert FIELDS["name"].max_length == 100 and FIELDS["name"].required
    assert FIELDS["postcode"].max_length == 16 and not FIELDS["postcode"].required
    assert (FIELDS["quantity"].minimum, FIELDS["quantity"].maximum) == (1, 10_000)
    assert FIELDS["customer_reference"].limits_text() == "optional, at most 64 characters"
    assert by_api("shipping.city") is FIELDS["city"]
    assert by_api("nonsense") is None


def test_form_labels_have_one_distinct_mnemonic_each() -> None:
    keys = []
    for field in FIELDS.values():
        assert field.form_label.count("&") == 1, field.form_label
        keys.append(field.form_label[field.form_label.index("&") + 1].lower())
    assert len(set(keys)) == len(keys), keys


@pytest.mark.parametrize("key", ["name", "city", "customer_reference", "region"])
def test_validation_uses_the_declared_label_and_limit(key: str) -> None:
    field = FIELDS[key]
    assert field.max_length is not None
    fields = OrderFields(**{key: "x" * (field.max_length + 1)})
    messages = {e.field: e.message for e in validate_order(fields)}
    assert messages[field.api].startswith(f"{field.label} must be at most {field.max_length}")


def test_cli_help_and_messages_name_the_declared_options() -> None:
    assert {OPTION_FOR_FIELD[f.api] for f in FIELDS.values()} == {f.option for f in FIELDS.values()}
    parser = build_parser()
    subparsers: Any = parser._subparsers._group_actions[0]  # type: ignore[union-attr]
    orders = subparsers.choices["orders"]
    create = orders._subparsers._group_actions[0].choices["create"]
    text = " ".join(create.format_help().split())
    for key in ("name", "address_line1", "city"):
        assert cli_help(key) in text
    assert "name (required, at most 100 characters)" in text


def test_the_order_form_and_the_csv_preview_use_the_table(qtbot: Any) -> None:
    from nfctagify_desktop.ordering.bulk import FIELDS as IMPORT_FIELDS
    from nfctagify_desktop.ui.dialogs.bulk_import.model import BulkRowsModel
    from nfctagify_desktop.ui.dialogs.order_form.pages import line_edit

    edit = line_edit("city")
    qtbot.addWidget(edit)
    assert edit.accessibleName() == "Town or city"
    assert edit.maxLength() == 2 * 60  # room to type too much and be told by how much
    titles = [c.title for c in BulkRowsModel.columns]
    assert FIELDS["address_line1"].short in titles and FIELDS["quantity"].short in titles
    assert IMPORT_FIELDS["city"] == FIELDS["city"].label
