"""``nfctagify``: the Partner API operations from a terminal, on the app's own client.

Stdlib only (argparse, asyncio) over :class:`~nfctagify_desktop.api.PartnerClient`, and no Qt,
so scripts and support staff get exactly the behaviour of the desktop app. Arguments are
validated with the same rules as the app *before* anything is sent. Every failure ends as one
line on stderr and an exit code (2: refused before sending, 1: API or network error, 3: an order
may have been placed but the answer was lost, with the command that checks it, 130:
interrupted); never a traceback, never the API key.

Each group of commands is a module here with a ``register(commands)`` function (see
``common``); adding a command is adding a module to ``COMMAND_GROUPS``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Callable
from datetime import UTC, datetime

from nfctagify_desktop import __version__
from nfctagify_desktop.api import (
    ApiError,
    ConfigurationError,
    PartnerClient,
)
from nfctagify_desktop.api.urls import normalize_base_url
from nfctagify_desktop.cli import catalogue, orders
from nfctagify_desktop.cli.common import (
    ENV_API_KEY,
    ENV_BASE_URL,
    EXIT_API_ERROR,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_OUTCOME_UNKNOWN,
    EXIT_USAGE,
    CliParser,
    Commands,
    OutcomeUnknownError,
    Prepare,
    Send,
    UsageError,
    fail,
    print_json,
    resend_command,
    stored_api_key,
)
from nfctagify_desktop.redaction import InvalidApiKeyError, clean_api_key, register_secret

#: The command modules, in the order ``--help`` lists them.
COMMAND_GROUPS: tuple[Callable[[Commands], None], ...] = (catalogue.register, orders.register)


def build_parser() -> argparse.ArgumentParser:
    parser = CliParser(
        prog="nfctagify",
        description="Order NFC business cards through the NFC Tagify Partner API.",
        epilog=(
            f"The API key is read from --api-key, else ${ENV_API_KEY}, else the key the desktop "
            "app stored in the OS keyring. Prefer the environment variable: command-line "
            "arguments are visible to other users of this machine."
        ),
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--base-url",
        default=os.environ.get(ENV_BASE_URL),
        help=f"API origin, e.g. https://api.example.com (default: ${ENV_BASE_URL})",
    )
    parser.add_argument(
        "--api-key", default=None, help=f"partner API key (default: ${ENV_API_KEY})"
    )
    parser.add_argument(
        "--json", action="store_true", help="print the API's data as JSON instead of a table"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for register in COMMAND_GROUPS:
        register(commands)
    return parser


async def _run(send: Send, base_url: str, api_key: str, *, as_json: bool) -> None:
    """Send the validated request, print the answer."""
    async with PartnerClient(base_url, api_key) as client:
        result = await send(client)
    if as_json:
        print_json(result.payload)
    else:
        print(result.render())


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``nfctagify`` console script; returns the exit code."""
    api_key: str | None = None
    try:
        try:
            args = build_parser().parse_args(argv)
        except SystemExit as exc:  # --help / --version
            return exc.code if isinstance(exc.code, int) else EXIT_OK
        if not args.base_url:
            raise UsageError(
                f"no API address: pass --base-url (or set ${ENV_BASE_URL}); to try things "
                "locally, start `nfctagify-sandbox` and use the address it prints"
            )
        base_url = normalize_base_url(args.base_url)
        raw_key = args.api_key or os.environ.get(ENV_API_KEY) or stored_api_key() or ""
        api_key = raw_key  # redacted from any message, even if it is refused below
        register_secret(raw_key)
        try:
            api_key = clean_api_key(raw_key)
        except InvalidApiKeyError as exc:
            raise UsageError(str(exc)) from None
        if not api_key:
            raise UsageError(
                f"no API key: pass --api-key, set ${ENV_API_KEY}, or save one in the desktop app"
            )
        prepare: Prepare = args.prepare
        send = prepare(args)  # validated before anything is sent
        asyncio.run(_run(send, base_url, api_key, as_json=args.json))
        return EXIT_OK
    except UsageError as exc:
        fail(str(exc), api_key)
        return EXIT_USAGE
    except ConfigurationError as exc:
        fail(str(exc), api_key)
        return EXIT_USAGE
    except ApiError as exc:
        message = str(exc)
        if exc.status is None and exc.method is None:
            # Refused by the client itself (e.g. an order id with a slash): nothing was sent.
            fail(message, api_key)
            return EXIT_USAGE
        fail(message, api_key)
        return EXIT_API_ERROR
    except OutcomeUnknownError as exc:
        today = datetime.now(UTC).date().isoformat()
        fail(
            str(exc),
            api_key,
            "The order may have been placed: the answer was lost. To check, run the same "
            "command again; it reuses the idempotency key, so the server returns the order if "
            "it was placed and places it only if it was not:",
            "  " + resend_command(sys.argv[1:] if argv is None else argv, exc.idempotency_key),
            f"To look for it first: nfctagify orders list --from {today}",
        )
        return EXIT_OUTCOME_UNKNOWN
    except KeyboardInterrupt:
        fail("interrupted", api_key)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # `nfctagify orders list | head`: the reader left; nothing to report.
        return EXIT_API_ERROR
    except Exception as exc:  # never a traceback for a user
        fail(f"unexpected failure: {type(exc).__name__}: {exc}", api_key)
        return EXIT_API_ERROR


__all__ = [
    "EXIT_API_ERROR",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_OUTCOME_UNKNOWN",
    "EXIT_USAGE",
    "build_parser",
    "main",
]
