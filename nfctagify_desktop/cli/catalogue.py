"""``nfctagify products`` and ``nfctagify pricing``: what the account can order, at what price."""

from __future__ import annotations

import argparse

from nfctagify_desktop.api import PartnerClient
from nfctagify_desktop.cli.common import Commands, Result, Send, dump
from nfctagify_desktop.cli.render import pricing_table, products_table


def register(commands: Commands) -> None:
    products = commands.add_parser("products", help="list the products available to the account")
    products.set_defaults(prepare=_products)
    pricing = commands.add_parser("pricing", help="show the account's prices, overrides included")
    pricing.set_defaults(prepare=_pricing)


def _products(_args: argparse.Namespace) -> Send:
    async def send(client: PartnerClient) -> Result:
        products = await client.list_products()
        return Result([dump(p) for p in products], lambda: products_table(products))

    return send


def _pricing(_args: argparse.Namespace) -> Send:
    async def send(client: PartnerClient) -> Result:
        prices = await client.get_pricing()
        return Result([dump(p) for p in prices], lambda: pricing_table(prices))

    return send
