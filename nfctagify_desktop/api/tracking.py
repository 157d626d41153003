"""Tracking of dispatched orders, read tolerantly from whatever shape the API sends.

The help page does not document tracking, so every shape seen from fulfilment APIs is accepted
(docs/api-assumptions.md): flat ``tracking_number``/``carrier``/``tracking_url`` on the order, a
``tracking`` object or list, ``shipments`` per order, and the same fields per line item. Works on
plain dicts, so the order mirror's stored JSON and pydantic models (``model_dump``) both fit.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

_NUMBER_KEYS = ("tracking_number", "tracking_code", "tracking_id", "number", "code")
_CARRIER_KEYS = ("carrier", "carrier_name", "courier", "service")
_URL_KEYS = ("tracking_url", "tracking_link", "url", "link")


@dataclass(frozen=True)
class Shipment:
    """One parcel's tracking; any part may be unknown."""

    carrier: str | None = None
    tracking_number: str | None = None
    #: Only http(s) addresses survive: a link the user clicks must not run anything else.
    tracking_url: str | None = None

    @property
    def label(self) -> str:
        """'Royal Mail · RM123456785GB' for people."""
        parts = [p for p in (self.carrier, self.tracking_number) if p]
        return " · ".join(parts) if parts else "Tracking link"


def _text(value: Any) -> str | None:
    if isinstance(value, str | int) and not isinstance(value, bool):
        text = str(value).strip()
        return text or None
    return None


def _first(data: Mapping[str, Any], keys: Iterable[str]) -> str | None:
    for key in keys:
        text = _text(data.get(key))
        if text is not None:
            return text
    return None


def safe_url(value: Any) -> str | None:
    """The address if it is an absolute http(s) URL, else None."""
    text = _text(value)
    if text is None:
        return None
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    return text if parts.scheme in ("http", "https") and parts.netloc else None


def _shipment(data: Mapping[str, Any], *, bare_keys: bool) -> Shipment | None:
    """A shipment from a dict; ``bare_keys`` also reads 'number'/'url' (in a tracking object)."""
    numbers = _NUMBER_KEYS if bare_keys else _NUMBER_KEYS[:3]
    urls = _URL_KEYS if bare_keys else _URL_KEYS[:2]
    carriers = _CARRIER_KEYS if bare_keys else _CARRIER_KEYS[:3]
    number = _first(data, numbers)
    url = safe_url(_first(data, urls))
    carrier = _first(data, carriers)
    if number is None and url is None:
        return None
    return Shipment(carrier=carrier, tracking_number=number, tracking_url=url)


def _nested(value: Any) -> list[Mapping[str, Any]]:
    if isinstance(value, Mapping):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, Mapping)]
    return []


def shipments_of(order: Mapping[str, Any]) -> list[Shipment]:
    """Every distinct shipment the order carries, in the order the API lists them."""
    found: list[Shipment] = []

    def add(shipment: Shipment | None) -> None:
        if shipment is not None and shipment not in found:
            found.append(shipment)

    add(_shipment(order, bare_keys=False))
    for key in ("tracking", "shipments", "fulfillments", "fulfilments"):
        for entry in _nested(order.get(key)):
            add(_shipment(entry, bare_keys=True))
            for inner in _nested(entry.get("tracking")):
                add(_shipment(inner, bare_keys=True))
    for item in _nested(order.get("items")):
        add(_shipment(item, bare_keys=False))
        for entry in _nested(item.get("tracking")) + _nested(item.get("shipments")):
            add(_shipment(entry, bare_keys=True))
    return found


__all__ = ["Shipment", "safe_url", "shipments_of"]
