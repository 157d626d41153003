"""The desktop app's command line: its options, and why a combination cannot be used.

Qt-free and quick to import: the arguments are read before anything heavy is loaded.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from nfctagify_desktop import APP_NAME

#: The first argument with which a frozen app runs as its own sandbox child (read before
#: anything else; ``sandbox.process`` starts the child with it).
RUN_SANDBOX_ARG = "--run-sandbox"


class _VersionAction(argparse.Action):
    """``--version``, reading the package metadata only when asked (it costs ~80 ms)."""

    def __call__(self, parser: argparse.ArgumentParser, *_args: object) -> None:
        from nfctagify_desktop import __version__

        sys.stdout.write(f"{APP_NAME} {__version__}\n")  # stdout, as argparse's own action
        parser.exit()


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="nfctagify-desktop", description=APP_NAME)
    parser.add_argument("--version", action=_VersionAction, nargs=0, help="show the version")
    parser.add_argument("--sandbox", action="store_true", help="use the built-in local sandbox")
    parser.add_argument("--profile", help="use this saved profile instead of the active one")
    parser.add_argument(
        "--base-url",
        default=os.environ.get("NFCTAGIFY_BASE_URL"),
        help="Partner API address for this run (key from NFCTAGIFY_API_KEY or the keyring)",
    )
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="start the sandbox, load every tab and one order over real HTTP; exit 0 if all worked",
    )
    parser.add_argument(
        "--theme",
        choices=("system", "light", "dark"),
        help="colours for this run: follow the OS (system), light or dark; "
        "the Theme setting is left as it is",
    )
    parser.add_argument(
        "--screenshots",
        type=Path,
        help="save a PNG of each tab there and exit (honours --theme and QT_SCALE_FACTOR)",
    )
    parser.add_argument(
        "--exit-after-live",
        action="store_true",
        help="exit 0 once the server's first page of orders is on screen (prints how long after "
        "the start and after the first paint; for benchmarks)",
    )
    parser.add_argument(
        "--exit-after-paint",
        action="store_true",
        help="exit 0 right after the first paint of the main window with the saved orders "
        "shown, before any network code loads (for start-up benchmarks)",
    )
    parser.add_argument("--debug", action="store_true", help="verbose logging")
    return parser.parse_args(argv)


def refused_arguments(args: argparse.Namespace) -> str | None:
    """Why these command-line arguments cannot be used, in one line (never echoing a key)."""
    from nfctagify_desktop.api.errors import ConfigurationError
    from nfctagify_desktop.api.urls import normalize_base_url
    from nfctagify_desktop.redaction import InvalidApiKeyError, clean_api_key

    try:
        key = clean_api_key(os.environ.get("NFCTAGIFY_API_KEY", ""))
    except InvalidApiKeyError as exc:
        return f"NFCTAGIFY_API_KEY: {exc}"
    if args.base_url:
        try:
            normalize_base_url(args.base_url)
        except ConfigurationError as exc:
            return f"--base-url: {exc.message}"
        if not key and not (args.sandbox or args.self_test or args.screenshots):
            return "--base-url needs the API key in the NFCTAGIFY_API_KEY environment variable"
    return None
