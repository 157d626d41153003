"""Base-URL rules: an origin, HTTPS unless the host is loopback (the local sandbox)."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from nfctagify_desktop.api.errors import ConfigurationError

API_PREFIX = "/api/partner"


def is_loopback_host(host: str) -> bool:
    """127.0.0.0/8, ::1 and ``localhost`` exactly.

    Not ``*.localhost``: resolvers, proxies and hosts files may send such a name anywhere, and
    plain http there would put the key on the network.
    """
    host = host.strip("[]").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def normalize_base_url(url: str) -> str:
    """Return ``scheme://host[:port]``; refuse plain http to a non-loopback host.

    A trailing ``/api/partner`` (a common paste) is accepted and dropped.
    """
    raw = url.strip()
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigurationError(f"Not a valid API address: {raw!r} (expected https://host)")
    if parts.scheme == "http" and not is_loopback_host(parts.hostname):
        raise ConfigurationError(
            f"Refusing plain http to {parts.hostname}: the Partner API requires HTTPS "
            "(http is allowed only for the local sandbox on loopback)",
            code="HTTPS_REQUIRED",
        )
    path = parts.path.rstrip("/")
    if path not in ("", API_PREFIX):
        raise ConfigurationError(
            f"The API address should be an origin like https://host, not {raw!r}"
        )
    if parts.query or parts.fragment or parts.username or parts.password:
        raise ConfigurationError("The API address must not contain a query, fragment or login")
    netloc = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    if parts.port is not None:
        netloc += f":{parts.port}"
    return f"{parts.scheme}://{netloc}"
