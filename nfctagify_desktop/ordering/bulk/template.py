"""A starting file for bulk orders, with the headers people write (any synonym works too)."""

from __future__ import annotations

from pathlib import Path
from typing import Final

TEMPLATE_CSV: Final = (
    "Product,Qty,Reference,Name,Address line 1,Address line 2,Town/City,Postcode,Region,Country\n"
    "prod_standard,50,PO-1001,Jane Smith,12 Example Street,,London,EC1A 1BB,,GB\n"
    'prod_premium_metal,10,PO-1002,Acme Ltd,"Unit 4, Riverside Park",Mill Lane,Manchester,'
    "M1 1AE,,GB\n"
    "prod_standard,25,PO-1003,Ann Lee,1 Market St,,San Francisco,94105,CA,US\n"
)


def write_template(path: Path | str) -> None:
    """Save :data:`TEMPLATE_CSV` as UTF-8 with a BOM, so Excel shows accents right."""
    Path(path).write_text(TEMPLATE_CSV, encoding="utf-8-sig", newline="")
