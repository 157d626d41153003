"""``nfctagify orders list|show|create``: the order history, one order, placing an order."""

from __future__ import annotations

import argparse
import sys

from nfctagify_desktop.api import KNOWN_STATUSES, OrderCreate, OrderQuery, PartnerClient, errors
from nfctagify_desktop.api.diagnosis import NEVER_SENT_CODES
from nfctagify_desktop.api.urls import normalize_base_url
from nfctagify_desktop.cli import orders_import
from nfctagify_desktop.cli.common import (
    OPTION_FOR_FIELD,
    Commands,
    OutcomeUnknownError,
    Result,
    Send,
    UsageError,
    dump,
    iso_date,
    validated,
)
from nfctagify_desktop.cli.render import order_detail, orders_table
from nfctagify_desktop.ordering.fields import cli_help
from nfctagify_desktop.ordering.validation import OrderFields, to_order_create, validate_order
from nfctagify_desktop.store.create_journal import CreateJournal, fingerprint

#: After these, the order may have been placed: the answer was lost or unreadable.
_AMBIGUOUS: tuple[type[errors.ApiError], ...] = (
    *errors.AMBIGUOUS_ERRORS,
    errors.InvalidResponseError,
)


def register(commands: Commands) -> None:
    orders = commands.add_parser("orders", help="list, show or create orders")
    actions = orders.add_subparsers(dest="orders_command", metavar="ACTION", required=True)

    listing = actions.add_parser("list", help="one page of the order history, newest first")
    listing.add_argument("--page", type=int, default=1)
    listing.add_argument("--per-page", type=int, default=20, help="1-100 (default 20)")
    listing.add_argument(
        "--status", default=None, help="one of " + ", ".join(s.value for s in KNOWN_STATUSES)
    )
    listing.add_argument("--from", dest="date_from", type=iso_date, metavar="YYYY-MM-DD")
    listing.add_argument("--to", dest="date_to", type=iso_date, metavar="YYYY-MM-DD")
    listing.set_defaults(prepare=_list)

    show = actions.add_parser("show", help="one order with its line items")
    show.add_argument("order_id", metavar="ORDER_ID")
    show.set_defaults(prepare=_show)

    create = actions.add_parser("create", help="place an order")
    create.add_argument("--product", required=True, metavar="ID", help=cli_help("product_id"))
    create.add_argument(
        "--quantity", required=True, metavar="N", help=cli_help("quantity", "at least the minimum")
    )
    create.add_argument(
        "--reference", default=None, metavar="REF", help=cli_help("customer_reference")
    )
    create.add_argument("--name", required=True, help=cli_help("name"))
    create.add_argument("--address1", required=True, metavar="LINE", help=cli_help("address_line1"))
    create.add_argument("--address2", default=None, metavar="LINE", help=cli_help("address_line2"))
    create.add_argument("--city", required=True, help=cli_help("city"))
    create.add_argument(
        "--postcode",
        default="",
        metavar="CODE",
        help=cli_help("postcode", "required where the country has postcodes"),
    )
    create.add_argument(
        "--country",
        required=True,
        metavar="CC",
        help=cli_help("country", "ISO 3166 code or name, e.g. GB"),
    )
    create.add_argument(
        "--region",
        default="",
        metavar="REGION",
        help=cli_help(
            "region", "state, province, county… where the country needs one (US CA, Canada ON, …)"
        ),
    )
    create.add_argument(
        "--idempotency-key",
        default=None,
        metavar="K",
        help=(
            "reuse the same key to resend an order safely (it is placed at most once); without "
            "it, rerunning the identical command within 23 hours reuses the key of an attempt "
            "whose outcome is not known"
        ),
    )
    create.set_defaults(prepare=_create)

    orders_import.register_action(actions)


def order_query(args: argparse.Namespace) -> OrderQuery:
    return validated(
        OrderQuery,
        {
            "page": args.page,
            "per_page": args.per_page,
            "status": args.status,
            "date_from": args.date_from,
            "date_to": args.date_to,
        },
    )


def order_fields(args: argparse.Namespace) -> OrderFields:
    """The order as typed, for the same validation as the order form and the CSV import."""
    return OrderFields(
        product_id=args.product,
        quantity=args.quantity,
        customer_reference=args.reference or "",
        name=args.name,
        address_line1=args.address1,
        address_line2=args.address2 or "",
        city=args.city,
        postcode=args.postcode or "",
        country=args.country,
        region=args.region or "",
    )


def order_create(args: argparse.Namespace) -> OrderCreate:
    """The request body, or UsageError naming every option at fault (nothing sent)."""
    fields = order_fields(args)
    problems = validate_order(fields)
    if problems:
        raise UsageError(
            "; ".join(f"{OPTION_FOR_FIELD.get(p.field, p.field)}: {p.message}" for p in problems)
        )
    try:
        return to_order_create(fields)
    except ValueError as exc:  # the wire model's own limits; validate_order covers them
        raise UsageError(str(exc)) from None


def _list(args: argparse.Namespace) -> Send:
    query = order_query(args)

    async def send(client: PartnerClient) -> Result:
        page = await client.list_orders(query)
        payload = {"data": [dump(o) for o in page.orders], "pagination": dump(page.pagination)}
        return Result(payload, lambda: orders_table(page))

    return send


def _show(args: argparse.Namespace) -> Send:
    async def send(client: PartnerClient) -> Result:
        order = await client.get_order(args.order_id)
        return Result(dump(order), lambda: order_detail(order))

    return send


def _note(text: str) -> None:
    print(f"note: {text}", file=sys.stderr)


def _create(args: argparse.Namespace) -> Send:
    """Validate, choose the idempotency key (journalled before sending), send once."""
    order_in = order_create(args)
    journal: CreateJournal | None = None
    fp = ""
    if args.idempotency_key:
        key: str = args.idempotency_key
    else:
        journal = CreateJournal()
        fp = fingerprint(normalize_base_url(args.base_url), order_in.body())
        key, earlier = journal.key_for(fp)
        if earlier is not None:
            when = earlier.first_attempt.astimezone().strftime("%Y-%m-%d %H:%M")
            _note(
                f"the same order was sent at {when} without a confirmed answer; reusing its "
                f"idempotency key {key}, so it cannot be placed twice"
            )
    args.idempotency_key = key

    async def send(client: PartnerClient) -> Result:
        try:
            placement = await client.place_order(order_in, idempotency_key=key)
        except _AMBIGUOUS as exc:
            if exc.code in NEVER_SENT_CODES:
                raise  # never reached the server: nothing can have been placed
            raise OutcomeUnknownError(exc, key) from None
        except errors.BadRequestError:
            if journal is not None:
                journal.confirm(fp)  # refused as invalid: this body never placed anything
            raise
        if journal is not None:
            journal.confirm(fp)
        order = placement.order
        if placement.replayed:
            _note(
                f"order {order.order_id} had already been placed by an earlier attempt with "
                "this idempotency key; nothing new was placed"
            )
        return Result(dump(order), lambda: order_detail(order))

    return send
