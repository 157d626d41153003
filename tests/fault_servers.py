"""Small real HTTP servers on loopback for faults the sandbox cannot produce.

- :class:`EchoKeyServer` answers every request with an error that quotes the caller's key in
  every way a careless server or proxy might: as-is, JSON-escaped, repr'd, URL-encoded, and in
  response headers.
- :class:`StallingServer` accepts connections and never answers until released.
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import quote


class _EchoHandler(BaseHTTPRequestHandler):
    server: _EchoHTTPServer

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        auth = self.headers.get("Authorization", "")
        key = auth.removeprefix("Bearer ")
        message = (
            f"Invalid key {key} (escaped {json.dumps(key)[1:-1]}, repr {key!r}, "
            f"url {quote(key, safe='')}), header was {auth}"
        )
        body = json.dumps({"success": False, "error": message, "code": f"BAD_{key}"})
        # The raw text also carries the key inside a JSON string inside JSON.
        body = body[:-1] + f', "debug": {json.dumps(json.dumps({"key": key}))}' + "}"
        data = body.encode()
        self.send_response(self.server.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("X-Echo-Key", key)
        self.send_header("WWW-Authenticate", f'Bearer error="invalid_token", token="{key}"')
        self.end_headers()
        self.wfile.write(data)

    do_GET = _answer
    do_POST = _answer

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _EchoHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    status = 500


class EchoKeyServer:
    """Every request gets ``status`` and an error text full of the caller's key."""

    def __init__(self, status: int = 500) -> None:
        self._server = _EchoHTTPServer(("127.0.0.1", 0), _EchoHandler)
        self._server.status = status
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def set_status(self, status: int) -> None:
        self._server.status = status

    def start(self) -> EchoKeyServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)


class StallingServer:
    """Accepts connections, reads the request, and answers nothing until :meth:`release`."""

    def __init__(self) -> None:
        self._sock = socket.create_server(("127.0.0.1", 0))
        self._sock.settimeout(0.2)
        self._stop = threading.Event()
        self._conns: list[socket.socket] = []
        self.accepted = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._sock.getsockname()[1]}"

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self._conns.append(conn)
            self.accepted.set()

    def start(self) -> StallingServer:
        self._thread.start()
        return self

    def release(self) -> None:
        """Close every held connection (the client then sees the connection drop)."""
        for conn in self._conns:
            conn.close()
        self._conns.clear()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)
        self.release()
        self._sock.close()


@contextmanager
def running(server: Any) -> Iterator[Any]:
    server.start()
    try:
        yield server
    finally:
        server.stop()


class TlsServer:
    """HTTPS on loopback with a certificate from ``ca`` (trustme): trusted only by who trusts it.

    Answers every request with an empty product list, so a client that trusts the CA succeeds.
    """

    def __init__(self, ca: Any, hostname: str = "localhost") -> None:
        import ssl

        self.hostname = hostname
        self._server = _EchoHTTPServer(("127.0.0.1", 0), _OkHandler)
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ca.issue_cert(hostname, "127.0.0.1").configure_cert(ctx)
        # The handshake happens in the handler thread, not in accept(): a client that stalls or
        # drops mid-handshake must not block the server loop (nor its shutdown).
        self._server.socket = ctx.wrap_socket(
            self._server.socket, server_side=True, do_handshake_on_connect=False
        )
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"https://{self.hostname}:{self._server.server_address[1]}"

    def start(self) -> TlsServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)


class _OkHandler(BaseHTTPRequestHandler):
    timeout = 5  # a client that never finishes its handshake frees the thread

    def do_GET(self) -> None:
        data = b'{"success": true, "data": []}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        pass
