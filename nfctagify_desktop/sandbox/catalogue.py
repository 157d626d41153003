"""Seed data: the product catalogue, the demo account's price overrides, and demo customers.

Prices are integer pence: money is never a float anywhere in the sandbox.
"""

from __future__ import annotations

from dataclasses import dataclass

from nfctagify_desktop.sandbox.accounts import DEMO_ACCOUNT_ID


@dataclass(frozen=True, slots=True)
class ProductSpec:
    product_id: str
    name: str
    description: str
    price_pence: int
    min_quantity: int
    currency: str = "GBP"


PRODUCTS: tuple[ProductSpec, ...] = (
    ProductSpec(
        "prod_standard",
        "NFC Business Card — Standard",
        "85.6 × 54 mm PVC card with NTAG216 NFC chip, full-colour print on both sides",
        350,
        1,
    ),
    ProductSpec(
        "prod_matte_black",
        "NFC Business Card — Matte Black",
        "Soft-touch matte black PVC card with NFC chip and spot-UV logo",
        550,
        1,
    ),
    ProductSpec(
        "prod_premium_metal",
        "NFC Business Card — Premium Metal",
        "Brushed stainless-steel card, laser engraved, with a hidden NFC inlay",
        2400,
        10,
    ),
    ProductSpec(
        "prod_bamboo",
        "NFC Business Card — Bamboo",
        "Sustainable bamboo card, laser engraved, with embedded NFC chip",
        850,
        5,
    ),
    ProductSpec(
        "prod_key_fob",
        "NFC Key Fob",
        "Durable epoxy key fob with NFC chip, printed logo, split ring included",
        425,
        10,
    ),
    ProductSpec(
        "prod_sticker_pack",
        "NFC Sticker Pack (10)",
        "Ten 30 mm round NFC stickers for counters, menus and windows",
        1200,
        1,
    ),
    ProductSpec(
        "prod_google_review",
        "Google Review Card",
        "PVC card with NFC and QR code that opens your Google review page",
        695,
        1,
    ),
)

#: Custom partner prices (account_id, product_id, price_pence), on SOME products only.
OVERRIDES: tuple[tuple[str, str, int], ...] = (
    (DEMO_ACCOUNT_ID, "prod_standard", 295),
    (DEMO_ACCOUNT_ID, "prod_premium_metal", 1950),
    (DEMO_ACCOUNT_ID, "prod_google_review", 595),
)

#: (name, address_line1, address_line2, city, postcode) for realistic demo orders.
CUSTOMERS: tuple[tuple[str, str, str | None, str, str], ...] = (
    ("Olivia Bennett", "14 Albion Street", None, "Leeds", "LS1 6HX"),
    ("Harry Whitfield", "Flat 3, 27 Marchmont Road", None, "Edinburgh", "EH9 1HY"),
    ("Amelia Clarke", "Unit 5 Riverside Business Park", "Station Road", "Bristol", "BS1 6QY"),
    ("George Patel", "82 Deansgate", "Suite 410", "Manchester", "M3 2ER"),
    ("Isla Robertson", "9 Queen Street", None, "Glasgow", "G1 3DX"),
    ("Jack Thompson", "The Old Forge", "High Street", "Ludlow", "SY8 1BS"),
    ("Sophie Evans", "41 Cathedral Road", None, "Cardiff", "CF11 9HB"),
    ("Noah Hughes", "2 Castle Mews", None, "Belfast", "BT1 5GS"),
    ("Emily Shah", "118 Bold Street", None, "Liverpool", "L1 4HY"),
    ("Oscar Davies", "7 Broad Street", "Second Floor", "Oxford", "OX1 3AJ"),
    ("Grace O'Connor", "63 Mill Road", None, "Cambridge", "CB1 2AW"),
    ("Thomas Reid", "Studio 12, Baltic Triangle", "Jamaica Street", "Liverpool", "L1 0AH"),
    ("Charlotte Moore", "25 Westgate Road", None, "Newcastle upon Tyne", "NE1 1SS"),
    ("William Turner", "150 Colmore Row", None, "Birmingham", "B3 3AG"),
)

#: Partner-side references, formatted as a partner's back office would.
REFERENCE_PREFIXES: tuple[str, ...] = ("PO", "SHOP", "INV", "WEB", "CRM")
