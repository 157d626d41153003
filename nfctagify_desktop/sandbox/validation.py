"""Address rules of ``POST /orders`` beyond the schema: the same ones the client checks.

The sandbox uses the app's own rules (Google's address data through ``ordering.address``), so
what the form, the CSV import and the command line accept is exactly what it accepts.
"""

from __future__ import annotations

from nfctagify_desktop.ordering.address import address_errors
from nfctagify_desktop.ordering.countries import COUNTRY_CODES
from nfctagify_desktop.sandbox.errors import ApiError
from nfctagify_desktop.sandbox.schemas import ShippingIn


def check_address(ship: ShippingIn) -> None:
    """Raise a 400 naming the first bad field: unknown country, postcode or region."""
    if ship.country not in COUNTRY_CODES:
        raise ApiError(
            400,
            "VALIDATION_ERROR",
            f"shipping.country {ship.country!r} is not an ISO 3166-1 country",
            field="shipping.country",
        )
    problems = address_errors(ship.country, ship.region or "", ship.postcode or "")
    if problems:
        first = problems[0]
        required = first.message.endswith(" is required")
        message = f"{first.field} is required" if required else f"{first.field}: {first.message}"
        raise ApiError(400, "VALIDATION_ERROR", message, field=first.field)
