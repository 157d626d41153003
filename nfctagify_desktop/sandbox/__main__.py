"""``nfctagify-sandbox``: run the local Partner API sandbox until Ctrl+C or SIGTERM."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from types import FrameType


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="nfctagify-sandbox",
        description="A local NFC Tagify Partner API for trying the app and for tests.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="bind address (loopback only)")
    parser.add_argument("--port", type=int, default=8765, help="port (0 = any free port)")
    parser.add_argument(
        "--db",
        type=Path,
        default=Path("nfctagify-sandbox.sqlite3"),
        help="SQLite file holding the sandbox state (created and seeded if new)",
    )
    parser.add_argument("--api-key", default=None, help="the demo account's API key")
    parser.add_argument(
        "--rate-limit", type=int, default=60, help="requests per minute per key (0 = unlimited)"
    )
    parser.add_argument(
        "--orders-per-day",
        type=int,
        default=500,
        help="orders per UTC day per account (0 = unlimited)",
    )
    parser.add_argument(
        "--exit-with-parent",
        action="store_true",
        help="stop when standard input closes (the app that started us has gone)",
    )
    parser.add_argument(
        "--allow-remote",
        action="store_true",
        help="allow a non-loopback --host (the sandbox has no TLS)",
    )
    return parser


def _stop_at_eof(stop: threading.Event) -> None:
    # os.read on the raw descriptor: a daemon thread blocked in sys.stdin's buffered reader
    # would abort the interpreter at exit ("could not acquire lock for <stdin>").
    try:
        while os.read(0, 4096):
            pass
    except OSError:
        pass
    stop.set()


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    # Imported late so --help stays fast.
    from nfctagify_desktop.sandbox.server import SandboxServer, is_loopback

    if not is_loopback(args.host) and not args.allow_remote:
        print(
            f"refusing to listen on non-loopback host {args.host!r} "
            "(plain HTTP; pass --allow-remote to insist)",
            file=sys.stderr,
        )
        return 2
    if args.rate_limit < 0 or args.orders_per_day < 0:
        print("limits must be >= 0", file=sys.stderr)
        return 2
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    if args.exit_with_parent:
        # A crashed parent never sends SIGTERM, but its end of our stdin pipe always closes.
        threading.Thread(
            target=_stop_at_eof, args=(stop,), name="parent-watch", daemon=True
        ).start()
    server = SandboxServer(
        args.db,
        host=args.host,
        port=args.port,
        demo_api_key=args.api_key,
        rate_limit_per_minute=args.rate_limit,
        orders_per_day=args.orders_per_day,
    )
    try:
        server.start()
    except OSError as exc:
        print(f"cannot start the sandbox: {exc}", file=sys.stderr)
        return 1
    try:
        print(f"NFC Tagify sandbox listening on {server.base_url}")
        print(f"base_url={server.base_url}")
        print(f"api_key={server.demo_api_key}")
        for account_id, key in server.api_keys.items():
            print(f"key[{account_id}]={key}")
        print("Press Ctrl+C to stop.", flush=True)
        while not stop.wait(0.5):
            pass
    finally:
        server.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
