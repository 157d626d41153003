"""What every command shares: exit codes, one-line errors, validation, the Result of a command.

Stdlib only (argparse) plus pydantic; no Qt. A command module adds its sub-command parsers in
``register(commands)`` and sets ``prepare`` on each: ``prepare(args)`` validates the arguments
(raising :class:`UsageError` before anything is sent) and returns the coroutine function that
talks to the API.
"""

from __future__ import annotations

import argparse
import json
import re
import shlex
import sys
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, NoReturn, TypeAlias, TypeVar

from pydantic import BaseModel, ValidationError

from nfctagify_desktop.api import ApiError, PartnerClient
from nfctagify_desktop.ordering.fields import FIELDS
from nfctagify_desktop.redaction import redact

EXIT_OK = 0
EXIT_API_ERROR = 1
EXIT_USAGE = 2
#: The order may have been placed: the answer was lost (rerun the command to check).
EXIT_OUTCOME_UNKNOWN = 3
EXIT_INTERRUPTED = 130

ENV_BASE_URL = "NFCTAGIFY_BASE_URL"
ENV_API_KEY = "NFCTAGIFY_API_KEY"

M = TypeVar("M", bound=BaseModel)

#: Model field locations -> the option a user typed, so messages name what they can fix.
OPTION_FOR_FIELD = {
    "page": "--page",
    "per_page": "--per-page",
    "status": "--status",
    "date_from": "--from",
    "date_to": "--to",
    **{field.api: field.option for field in FIELDS.values()},
}
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class UsageError(Exception):
    """A request refused before anything was sent (exit 2)."""


class OutcomeUnknownError(Exception):
    """A create whose answer was lost: the order may have been placed (exit 3)."""

    def __init__(self, cause: ApiError, idempotency_key: str) -> None:
        super().__init__(str(cause))
        self.cause = cause
        self.idempotency_key = idempotency_key


class CliParser(argparse.ArgumentParser):
    """argparse that raises instead of printing usage and exiting, so errors stay one line."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see '{self.prog} --help')")


@dataclass(frozen=True)
class Result:
    """What a command got: the API's data (for ``--json``) and how to print it as text."""

    payload: Any
    render: Callable[[], str]


#: Sends the validated request with the client; returns what to print.
Send = Callable[[PartnerClient], Awaitable[Result]]
#: Validates ``args`` (raising UsageError) and returns the request to send.
Prepare = Callable[[argparse.Namespace], Send]
#: The ``add_subparsers`` object command modules add their parsers to.
Commands: TypeAlias = "argparse._SubParsersAction[Any]"


def iso_date(value: str) -> date:
    """``YYYY-MM-DD`` only: pydantic would also take a number as a Unix time."""
    try:
        if not ISO_DATE.match(value):
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from None


def validation_message(exc: ValidationError) -> str:
    err = exc.errors()[0]
    loc = ".".join(str(p) for p in err.get("loc", ()))
    msg = str(err.get("msg", "invalid value")).removeprefix("Value error, ")
    option = OPTION_FOR_FIELD.get(loc, loc)
    if loc == "shipping.country":
        msg = "must be a two-letter ISO 3166 country code, e.g. GB"
    return f"{option}: {msg}" if option else msg


def validated(model: type[M], data: dict[str, Any]) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise UsageError(validation_message(exc)) from None


def stored_api_key() -> str | None:
    """The key the desktop app keeps in the OS keyring for its active profile, if any.

    Imported lazily: the store pulls in keyring (and D-Bus on Linux), which a user passing the
    key another way should not pay for, and a missing or broken keyring must not stop them.
    """
    try:
        from nfctagify_desktop.store.secrets import KeyStore
        from nfctagify_desktop.store.settings import SettingsStore
    except ImportError:
        return None
    try:
        profile = SettingsStore().load().active()
        key = KeyStore().get(profile.name)
    except Exception:
        return None
    return key if key and key.strip() else None


def dump(value: BaseModel) -> Any:
    return value.model_dump(mode="json", by_alias=True)


def print_json(value: Any) -> None:
    print(json.dumps(value, indent=2, ensure_ascii=False))


def fail(message: str, api_key: str | None, *advice: str) -> None:
    """One line on stderr (then any advice lines); the key is scrubbed in case a server or
    library echoed it."""
    line = " ".join(redact(message, (api_key,)).split())
    print(f"error: {line}", file=sys.stderr)
    for text in advice:
        print(redact(text, (api_key,)), file=sys.stderr)


def resend_command(argv: Sequence[str], key: str) -> str:
    """The command as typed, without the API key, with ``--idempotency-key key``."""
    kept: list[str] = []
    skip = False
    for arg in argv:
        if skip:
            skip = False
            continue
        name = arg.split("=", 1)[0]
        if name in ("--api-key", "--idempotency-key"):
            skip = "=" not in arg
            continue
        kept.append(arg)
    return shlex.join(["nfctagify", *kept, "--idempotency-key", key])
