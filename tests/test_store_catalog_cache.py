"""The small catalogue JSON cache: products and pricing per profile, corrupt files ignored."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from nfctagify_desktop.api.models import PriceEntry, Product
from nfctagify_desktop.store.catalog_cache import CatalogCache

P = "Acme"


def test_catalog_cache_round_trip(app_dirs: Path) -> None:
    cat = CatalogCache()
    assert cat.load_products(P) is None
    products = [Product(product_id="prod_basic", name="Basic", price=Decimal("3.50"))]
    pricing = [
        PriceEntry(product_id="prod_basic", price=Decimal("3.00"), standard_price=Decimal("3.50"))
    ]
    cat.save_products(P, products)
    cat.save_pricing("We/ird:name?", pricing)
    loaded = cat.load_products(P)
    assert loaded is not None
    assert loaded[0] == products
    assert loaded[0][0].price == Decimal("3.50")
    assert loaded[1].tzinfo is not None
    got_pricing = cat.load_pricing("We/ird:name?")
    assert got_pricing is not None
    assert got_pricing[0][0].is_override
    assert cat.load_pricing(P) is None
    assert cat.load_products("Other") is None
    cat.clear(P)
    assert cat.load_products(P) is None


def test_catalog_cache_corrupt_file_is_ignored(tmp_path: Path) -> None:
    cat = CatalogCache(tmp_path)
    cat.save_products(P, [Product(product_id="x", name="X", price=Decimal(1))])
    for path in tmp_path.glob("products-*.json"):
        path.write_text("{broken", encoding="utf-8")
    assert cat.load_products(P) is None
