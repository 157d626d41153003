"""The TLS context of every request the app makes (standard library and truststore only).

Kept apart from the client so that the start-up request (``api.first_page``), made before
httpx is loaded, verifies servers exactly as :class:`~nfctagify_desktop.api.client.PartnerClient`
does.
"""

from __future__ import annotations

import ssl


def default_ssl_context() -> ssl.SSLContext:
    """The OS trust store (corporate CAs work), else certifi's bundle."""
    try:
        import truststore

        ctx: ssl.SSLContext = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        return ctx
    except Exception:  # pragma: no cover - truststore unsupported on this platform
        import certifi

        return ssl.create_default_context(cafile=certifi.where())


__all__ = ["default_ssl_context"]
