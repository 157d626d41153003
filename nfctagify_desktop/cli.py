"""``nfctagify``: the five Partner API operations from a terminal, on the app's own client.

Stdlib only (argparse, asyncio) over :class:`~nfctagify_desktop.api.PartnerClient`, and no Qt,
so scripts and support staff get exactly the behaviour of the desktop app. Arguments are
validated with the same pydantic models as the app *before* anything is sent. Every failure
ends as one line on stderr and an exit code (2: refused before sending, 1: API or network error,
130: interrupted); never a traceback, never the API key.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import sys
import uuid
from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any, NoReturn, TypeVar

from pydantic import BaseModel, ValidationError

from nfctagify_desktop import __version__
from nfctagify_desktop.api import (
    KNOWN_STATUSES,
    ApiError,
    ConfigurationError,
    NetworkError,
    Order,
    OrderCreate,
    OrderPage,
    OrderQuery,
    PartnerClient,
    PriceEntry,
    Product,
    ServerError,
)
from nfctagify_desktop.api.diagnosis import NEVER_SENT_CODES
from nfctagify_desktop.api.urls import normalize_base_url
from nfctagify_desktop.redaction import (
    InvalidApiKeyError,
    clean_api_key,
    redact,
    register_secret,
)

EXIT_OK = 0
EXIT_API_ERROR = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130

ENV_BASE_URL = "NFCTAGIFY_BASE_URL"
ENV_API_KEY = "NFCTAGIFY_API_KEY"

#: Model field locations -> the option a user typed, so messages name what they can fix.
_OPTION_FOR_FIELD = {
    "page": "--page",
    "per_page": "--per-page",
    "status": "--status",
    "date_from": "--from",
    "date_to": "--to",
    "product_id": "--product",
    "quantity": "--quantity",
    "customer_reference": "--reference",
    "shipping.name": "--name",
    "shipping.address_line1": "--address1",
    "shipping.address_line2": "--address2",
    "shipping.city": "--city",
    "shipping.postcode": "--postcode",
    "shipping.country": "--country",
}
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class UsageError(Exception):
    """A request refused before anything was sent (exit 2)."""


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of printing usage and exiting, so errors stay one line."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see '{self.prog} --help')")


def _iso_date(value: str) -> date:
    """``YYYY-MM-DD`` only: pydantic would also take a number as a Unix time."""
    try:
        if not _ISO_DATE.match(value):
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from None


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
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
    commands.add_parser("products", help="list the products available to the account")
    commands.add_parser("pricing", help="show the account's prices, overrides included")

    orders = commands.add_parser("orders", help="list, show or create orders")
    orders_cmd = orders.add_subparsers(dest="orders_command", metavar="ACTION", required=True)

    listing = orders_cmd.add_parser("list", help="one page of the order history, newest first")
    listing.add_argument("--page", type=int, default=1)
    listing.add_argument("--per-page", type=int, default=20, help="1-100 (default 20)")
    listing.add_argument(
        "--status", default=None, help="one of " + ", ".join(s.value for s in KNOWN_STATUSES)
    )
    listing.add_argument("--from", dest="date_from", type=_iso_date, metavar="YYYY-MM-DD")
    listing.add_argument("--to", dest="date_to", type=_iso_date, metavar="YYYY-MM-DD")

    show = orders_cmd.add_parser("show", help="one order with its line items")
    show.add_argument("order_id", metavar="ORDER_ID")

    create = orders_cmd.add_parser("create", help="place an order")
    create.add_argument("--product", required=True, metavar="ID")
    create.add_argument("--quantity", required=True, type=int, metavar="N")
    create.add_argument("--reference", default=None, metavar="REF")
    create.add_argument("--name", required=True)
    create.add_argument("--address1", required=True, metavar="LINE")
    create.add_argument("--address2", default=None, metavar="LINE")
    create.add_argument("--city", required=True)
    create.add_argument("--postcode", required=True, metavar="CODE")
    create.add_argument("--country", required=True, metavar="CC", help="ISO 3166 code, e.g. GB")
    create.add_argument(
        "--idempotency-key",
        default=None,
        metavar="K",
        help="reuse the same key to resend an order safely (it is placed at most once)",
    )
    return parser


# -- validation (before anything is sent) ---------------------------------------------------


def _validation_message(exc: ValidationError) -> str:
    err = exc.errors()[0]
    loc = ".".join(str(p) for p in err.get("loc", ()))
    msg = str(err.get("msg", "invalid value")).removeprefix("Value error, ")
    option = _OPTION_FOR_FIELD.get(loc, loc)
    if loc == "shipping.country":
        msg = "must be a two-letter ISO 3166 country code, e.g. GB"
    return f"{option}: {msg}" if option else msg


_M = TypeVar("_M", bound=BaseModel)


def _validated(model: type[_M], data: dict[str, Any]) -> _M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise UsageError(_validation_message(exc)) from None


def _order_query(args: argparse.Namespace) -> OrderQuery:
    return _validated(
        OrderQuery,
        {
            "page": args.page,
            "per_page": args.per_page,
            "status": args.status,
            "date_from": args.date_from,
            "date_to": args.date_to,
        },
    )


def _order_create(args: argparse.Namespace) -> OrderCreate:
    return _validated(
        OrderCreate,
        {
            "product_id": args.product,
            "quantity": args.quantity,
            "customer_reference": args.reference,
            "shipping": {
                "name": args.name,
                "address_line1": args.address1,
                "address_line2": args.address2,
                "city": args.city,
                "postcode": args.postcode,
                # Friendly to "gb"; "GBR" or "G" are still refused by the model.
                "country": args.country.strip().upper(),
            },
        },
    )


def _stored_api_key() -> str | None:
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


# -- output -----------------------------------------------------------------------------------


def _money(amount: Decimal | None, currency: str | None) -> str:
    if amount is None:
        return "-"
    return f"{amount:.2f} {currency or ''}".rstrip()


def _when(value: datetime | None) -> str:
    return "-" if value is None else value.strftime("%Y-%m-%d %H:%M %Z").rstrip()


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]], right: set[int]) -> str:
    """A plain aligned table; numeric columns (``right``) are right-aligned."""
    if not rows:
        return "(none)"
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]

    def line(cells: Sequence[str]) -> str:
        out = [
            c.rjust(widths[i]) if i in right else c.ljust(widths[i]) for i, c in enumerate(cells)
        ]
        return "  ".join(out).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths]), *map(line, rows)])


def _products_table(products: list[Product]) -> str:
    rows = [
        [p.product_id, p.name, _money(p.price, p.currency), str(p.min_quantity), p.description]
        for p in products
    ]
    return _table(["PRODUCT", "NAME", "PRICE", "MIN QTY", "DESCRIPTION"], rows, {2, 3})


def _pricing_table(prices: list[PriceEntry]) -> str:
    rows = [
        [
            p.product_id,
            p.name,
            _money(p.price, p.currency),
            _money(p.standard_price, p.currency),
            "custom" if p.is_override else "",
            str(p.min_quantity),
        ]
        for p in prices
    ]
    return _table(
        ["PRODUCT", "NAME", "YOUR PRICE", "STANDARD", "OVERRIDE", "MIN QTY"], rows, {2, 3, 5}
    )


def _orders_table(page: OrderPage) -> str:
    rows = [
        [
            o.order_id,
            o.status_raw,
            _when(o.created_at),
            o.product_name or o.product_id or "-",
            "-" if o.quantity is None else str(o.quantity),
            _money(o.total, o.currency),
            o.customer_reference or "",
        ]
        for o in page.orders
    ]
    table = _table(
        ["ORDER", "STATUS", "CREATED", "PRODUCT", "QTY", "TOTAL", "REFERENCE"], rows, {4, 5}
    )
    p = page.pagination
    footer = f"page {p.page}"
    if p.total_pages is not None:
        footer += f" of {p.total_pages}"
    if p.total is not None:
        footer += f" ({p.total} orders)"
    return f"{table}\n{footer}"


def _order_detail(order: Order) -> str:
    fields: list[tuple[str, str]] = [
        ("Order", order.order_id),
        ("Status", order.status_raw),
        ("Created", _when(order.created_at)),
        ("Updated", _when(order.updated_at)),
        ("Product", " ".join(x for x in (order.product_id, order.product_name) if x) or "-"),
        ("Quantity", "-" if order.quantity is None else str(order.quantity)),
        ("Unit price", _money(order.unit_price, order.currency)),
        ("Total", _money(order.total, order.currency)),
        ("Reference", order.customer_reference or "-"),
    ]
    if order.shipping is not None:
        s = order.shipping
        parts = [s.name, s.address_line1, s.address_line2, s.city, s.postcode, s.country]
        fields.append(("Ship to", ", ".join(p for p in parts if p)))
    width = max(len(k) for k, _ in fields)
    lines = [f"{k.ljust(width)}  {v}" for k, v in fields]
    if order.items:
        rows = [
            [
                i.item_id,
                i.name or i.product_id,
                str(i.quantity),
                _money(i.unit_price, order.currency),
                _money(i.line_total, order.currency),
                i.status_raw or "-",
            ]
            for i in order.items
        ]
        lines += [
            "",
            _table(["ITEM", "NAME", "QTY", "UNIT", "LINE TOTAL", "STATUS"], rows, {2, 3, 4}),
        ]
    return "\n".join(lines)


def _dump(value: BaseModel) -> Any:
    return value.model_dump(mode="json", by_alias=True)


def _print_json(value: Any) -> None:
    print(json.dumps(value, indent=2, ensure_ascii=False))


# -- running ----------------------------------------------------------------------------------


async def _run(args: argparse.Namespace, base_url: str, api_key: str) -> None:
    """Build the request (validated), send it, print the answer."""
    render: Callable[[], str]
    action = args.orders_command if args.command == "orders" else None
    query = _order_query(args) if action == "list" else None
    order_in = _order_create(args) if action == "create" else None

    async with PartnerClient(base_url, api_key) as client:
        if args.command == "products":
            products = await client.list_products()
            payload: Any = [_dump(p) for p in products]
            render = lambda: _products_table(products)  # noqa: E731
        elif args.command == "pricing":
            prices = await client.get_pricing()
            payload = [_dump(p) for p in prices]
            render = lambda: _pricing_table(prices)  # noqa: E731
        elif query is not None:
            page = await client.list_orders(query)
            payload = {
                "data": [_dump(o) for o in page.orders],
                "pagination": _dump(page.pagination),
            }
            render = lambda: _orders_table(page)  # noqa: E731
        else:
            if order_in is None:
                order = await client.get_order(args.order_id)
            else:
                order = await client.create_order(order_in, idempotency_key=args.idempotency_key)
            payload = _dump(order)
            render = lambda: _order_detail(order)  # noqa: E731
    if args.json:
        _print_json(payload)
    else:
        print(render())


def _fail(message: str, api_key: str | None) -> None:
    """One line on stderr; the key is scrubbed in case a server or library echoed it."""
    line = " ".join(redact(message, (api_key,)).split())
    print(f"error: {line}", file=sys.stderr)


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
        raw_key = args.api_key or os.environ.get(ENV_API_KEY) or _stored_api_key() or ""
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
        if args.command == "orders" and args.orders_command == "create":
            # Ours, not the client's, so a failure message can tell how to resend safely.
            args.idempotency_key = args.idempotency_key or str(uuid.uuid4())
        asyncio.run(_run(args, base_url, api_key))
        return EXIT_OK
    except UsageError as exc:
        _fail(str(exc), api_key)
        return EXIT_USAGE
    except ConfigurationError as exc:
        _fail(str(exc), api_key)
        return EXIT_USAGE
    except ApiError as exc:
        message = str(exc)
        if exc.status is None and exc.method is None:
            # Refused by the client itself (e.g. an order id with a slash): nothing was sent.
            _fail(message, api_key)
            return EXIT_USAGE
        never_sent = exc.code in NEVER_SENT_CODES
        if exc.method == "POST" and isinstance(exc, NetworkError | ServerError) and not never_sent:
            message += (
                "; the order may or may not have been placed: check `nfctagify orders list`"
                f" or resend with --idempotency-key {args.idempotency_key}"
            )
        _fail(message, api_key)
        return EXIT_API_ERROR
    except KeyboardInterrupt:
        _fail("interrupted", api_key)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # `nfctagify orders list | head`: the reader left; nothing to report.
        return EXIT_API_ERROR
    except Exception as exc:  # never a traceback for a user
        _fail(f"unexpected failure: {type(exc).__name__}: {exc}", api_key)
        return EXIT_API_ERROR


if __name__ == "__main__":
    raise SystemExit(main())
