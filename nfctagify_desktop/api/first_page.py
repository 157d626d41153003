"""The newest orders, asked for with the standard library while the window paints.

The app's client (httpx, pydantic) loads only after the first paint, and then the tabs are
built: about a third of a second before its first request. So start-up makes that one request
earlier, in a thread (its socket waits release the GIL), with ``http.client``, and the window
shows the answer as soon as it has painted.

It is the same request under the same rules as :class:`~nfctagify_desktop.api.client.PartnerClient`:
the same URL and headers, the TLS context of :mod:`nfctagify_desktop.api.tls` (hostname and
certificate checked), no redirects followed, only a 2xx JSON answer whose ``success`` is not
false counts. It is made only where the client would connect directly (no proxy set in the
environment: httpx would use it; ``http.client`` would not). Anything else (an error, a
timeout, an answer of another shape) means no early page: the normal path loads the orders
as before. The key is sent in the Authorization header only; nothing here logs or raises text
that could hold it.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode, urlsplit

from nfctagify_desktop.api.urls import API_PREFIX

if TYPE_CHECKING:
    import http.client

log = logging.getLogger("nfctagify.api.first_page")

#: Seconds before the early request gives up (the normal path then answers).
TIMEOUT_S = 10.0
_PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy")


def proxy_configured(environ: dict[str, str] | os._Environ[str] | None = None) -> bool:
    """True if the environment names a proxy (httpx honours it; the early request would not)."""
    names = {name.lower() for name, value in (environ or os.environ).items() if value}
    return any(name in names for name in _PROXY_VARIABLES)


class FirstPageFetch:
    """One ``GET /orders?page=1&per_page=N`` in a daemon thread.

    ``orders`` is the answer's list of order objects (JSON numbers as ``Decimal``, as the
    client reads them) once ``done`` is set, or None if there is no usable answer.
    ``on_done`` (set before or after :meth:`start`) is called once, from the worker thread.
    ``api_key`` is the key, or a function the thread calls for it first (a keyring look-up,
    which must not run before the window has painted); no key means no request.
    """

    def __init__(
        self, base_url: str, api_key: str | Callable[[], str | None], per_page: int = 20
    ) -> None:
        self.base_url = base_url
        self._api_key = api_key
        self.per_page = per_page
        #: The key must be looked up (in the keyring) by the thread: start it after the paint.
        self.looks_up_key = callable(api_key)
        self.started = False
        self.orders: list[Any] | None = None
        self.done = threading.Event()
        self._on_done: Callable[[], None] | None = None
        self._lock = threading.Lock()

    def start(self) -> None:
        self.started = True
        threading.Thread(target=self._run, name="first-page", daemon=True).start()

    def on_done(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` once the answer is in (at once if it already is)."""
        with self._lock:
            if not self.done.is_set():
                self._on_done = callback
                return
        callback()

    def _run(self) -> None:
        try:
            self.orders = self._fetch()
        except Exception as exc:  # any failure: the normal path loads the page
            # The type only: an exception's text may quote a header.
            log.info("early orders request failed (%s); the client will ask", type(exc).__name__)
        finally:
            self._api_key = ""  # nothing keeps the key once the request is made
            with self._lock:
                self.done.set()
                callback = self._on_done
            if callback is not None:
                callback()

    def _fetch(self) -> list[Any] | None:
        # Imported here, in the thread: http.client and decimal stay off the paint's path.
        import http.client
        from decimal import Decimal

        key = self._api_key() if callable(self._api_key) else self._api_key
        if not key:
            return None
        url = urlsplit(self.base_url)
        host = url.hostname or ""
        connection: http.client.HTTPConnection
        if url.scheme == "https":
            from nfctagify_desktop.api.tls import default_ssl_context

            connection = http.client.HTTPSConnection(
                host, url.port, timeout=TIMEOUT_S, context=default_ssl_context()
            )
        elif url.scheme == "http":
            connection = http.client.HTTPConnection(host, url.port, timeout=TIMEOUT_S)
        else:
            return None
        query = urlencode({"page": 1, "per_page": self.per_page})
        try:
            connection.request(
                "GET",
                f"{API_PREFIX}/orders?{query}",
                headers={
                    "Accept": "application/json",
                    "User-Agent": "nfctagify-desktop",
                    "Authorization": f"Bearer {key}",
                },
            )
            response = connection.getresponse()
            body = response.read()
        finally:
            connection.close()
        if not 200 <= response.status < 300:
            log.info("early orders request answered %d; the client will ask", response.status)
            return None
        payload = json.loads(body, parse_float=Decimal)
        if not isinstance(payload, dict) or payload.get("success") is False:
            return None
        orders = payload.get("data", payload)
        return orders if isinstance(orders, list) else None


__all__ = ["TIMEOUT_S", "FirstPageFetch", "proxy_configured"]
