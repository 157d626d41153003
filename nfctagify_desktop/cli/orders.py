"""``nfctagify orders list|show|create``: the order history, one order, placing an order."""

from __future__ import annotations

import argparse
import uuid

from nfctagify_desktop.api import KNOWN_STATUSES, OrderCreate, OrderQuery, PartnerClient
from nfctagify_desktop.cli.common import Commands, Result, Send, dump, iso_date, validated
from nfctagify_desktop.cli.render import order_detail, orders_table


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
    create.set_defaults(prepare=_create)


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


def order_create(args: argparse.Namespace) -> OrderCreate:
    return validated(
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


def _create(args: argparse.Namespace) -> Send:
    order_in = order_create(args)
    # Ours, not the client's, so a failure message can tell how to resend safely.
    args.idempotency_key = args.idempotency_key or str(uuid.uuid4())
    key: str = args.idempotency_key

    async def send(client: PartnerClient) -> Result:
        order = await client.create_order(order_in, idempotency_key=key)
        return Result(dump(order), lambda: order_detail(order))

    return send
