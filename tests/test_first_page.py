"""The start-up request: the newest orders asked for before the network stack loads.

Real HTTP against the sandbox over loopback; small fault servers for a refused key, a dead
port and an untrusted certificate.
"""

from __future__ import annotations

import copy
import json
import logging
import socket
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import trustme

from nfctagify_desktop import redaction
from nfctagify_desktop.api.client import PartnerClient
from nfctagify_desktop.api.first_page import FirstPageFetch, proxy_configured
from nfctagify_desktop.api.models import Order
from nfctagify_desktop.sandbox.server import SandboxServer
from nfctagify_desktop.store.account import SANDBOX_ORIGIN, AccountId
from nfctagify_desktop.store.mirror import MirrorQuery, mirror_path, open_mirror
from nfctagify_desktop.store.mirror.json_records import records_from_json
from nfctagify_desktop.store.mirror.records import record_of
from nfctagify_desktop.store.startup import early_orders
from tests.fault_servers import EchoKeyServer, TlsServer, running
from tests.test_first_paint import run_probe

ROOT = Path(__file__).resolve().parent.parent


def fetched(base_url: str, key: str, per_page: int = 20) -> FirstPageFetch:
    fetch = FirstPageFetch(base_url, key, per_page)
    fetch.start()
    assert fetch.done.wait(15)
    return fetch


def good_order() -> dict[str, Any]:
    return {
        "order_id": "ord_1",
        "status": "processing",
        "created_at": "2026-03-01T10:00:00+02:00",
        "updated_at": "2026-03-02T10:00:00Z",
        "product_name": "NFC Business Card",
        "quantity": 50,
        "customer_reference": "PO-1",
        "currency": "GBP",
        "total": "147.50",
        "shipping": {
            "name": "Jane Smith",
            "address_line1": "1 High St",
            "city": "London",
            "postcode": "EC1A 1BB",
            "country": "GB",
        },
        "items": [{"product_id": "p1", "name": "Card", "quantity": 50, "unit_price": "2.95"}],
        "vendor_extra": {"kept": True},
    }


def test_the_early_page_reads_as_the_client_reads_it(
    sandbox: SandboxServer, arun: Callable[..., Any]
) -> None:
    fetch = fetched(sandbox.base_url, sandbox.demo_api_key)
    assert fetch.orders is not None
    records = records_from_json(fetch.orders)
    assert records is not None and len(records) == 20

    async def client_page() -> list[Order]:
        async with PartnerClient(sandbox.base_url, sandbox.demo_api_key) as client:
            return (await client.list_orders(per_page=20)).orders

    orders = arun(client_page())
    assert [r[:-1] for r in records] == [record_of(o)[:-1] for o in orders]
    # What is kept reads back through the model like any other mirrored order.
    assert [Order.model_validate_json(r.data) for r in records] == orders


def test_a_plain_order_is_taken_as_the_model_takes_it() -> None:
    (record,) = records_from_json([good_order()]) or []
    assert record[:-1] == record_of(Order.model_validate(good_order()))[:-1]
    assert record.created_at == "2026-03-01T08:00:00.000000Z"  # UTC, like the model's
    bare = {"order_id": "o", "created_at": "2026-03-01T10:00:00", "status": None}
    (plain,) = records_from_json([bare]) or []
    assert plain[:-1] == record_of(Order.model_validate(bare))[:-1]


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("quantity",), True),
        (("quantity",), "5"),
        (("created_at",), None),
        (("created_at",), "yesterday"),
        (("created_at",), 1_700_000_000),
        (("updated_at",), "2026-03-02"),
        (("total",), "abc"),
        (("status",), 5),
        (("order_id",), 17),
        (("shipping", "city"), None),
        (("shipping",), "London"),
        (("items",), [{"quantity": "many"}]),
    ],
)
def test_one_order_off_the_plain_path_refuses_the_whole_page(
    path: tuple[str, ...], value: object
) -> None:
    order = copy.deepcopy(good_order())
    target = order
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    assert records_from_json([good_order(), order]) is None
    assert records_from_json([good_order(), "not an order"]) is None


def test_a_refused_key_or_a_dead_port_gives_no_page_and_no_key_in_the_log(
    caplog: pytest.LogCaptureFixture,
) -> None:
    key = "ntk_early_secret_0123456789"
    caplog.set_level(logging.DEBUG)
    with running(EchoKeyServer(401)) as server:
        assert fetched(server.base_url, key).orders is None
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    assert fetched(f"http://127.0.0.1:{port}", key).orders is None
    assert "early orders request" in caplog.text
    assert key not in caplog.text


def test_an_untrusted_certificate_gives_no_page() -> None:
    with running(TlsServer(trustme.CA())) as server:
        fetch = fetched(server.base_url, "ntk_early_secret_0123456789")
    assert fetch.orders is None


def test_early_orders_only_where_the_client_would_connect_the_same_way(
    sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch, app_dirs: Path
) -> None:
    account = AccountId("Command line", sandbox.base_url)
    assert early_orders(account, per_page=20) is None  # no key in the environment
    monkeypatch.setattr(redaction, "_env_key", sandbox.demo_api_key)
    assert early_orders(None, per_page=20) is None
    assert early_orders(AccountId("Sandbox", SANDBOX_ORIGIN), per_page=20) is None
    settings = app_dirs / "config" / "settings.json"
    settings.parent.mkdir(exist_ok=True)
    shop = {"name": "Shop", "kind": "account", "base_url": sandbox.base_url}
    settings.write_text(json.dumps({"profiles": [{**shop, "ca_bundle": "/etc/corp.pem"}]}))
    assert early_orders(AccountId("Shop", sandbox.base_url), per_page=20) is None
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    assert proxy_configured()
    assert early_orders(account, per_page=20) is None
    monkeypatch.delenv("HTTPS_PROXY")
    fetch = early_orders(account, per_page=5)
    assert fetch is not None and fetch.done.wait(15)
    assert fetch.orders is not None and len(fetch.orders) == 5


def test_the_page_goes_to_its_own_accounts_mirror_and_view(
    sandbox: SandboxServer, qtbot: Any
) -> None:
    from nfctagify_desktop.ui.first_paint import FirstPaintOrders, LivePage

    mine = AccountId("Command line", sandbox.base_url)
    other = AccountId("Other", "https://api.example.com")
    view = FirstPaintOrders(mine, MirrorQuery(per_page=20))
    elsewhere = FirstPaintOrders(other, MirrorQuery(per_page=20))
    qtbot.addWidget(view)
    qtbot.addWidget(elsewhere)
    assert view.rows_shown == 0  # never synced: nothing to show yet
    live = LivePage(FirstPageFetch(sandbox.base_url, sandbox.demo_api_key, 20), mine)
    view.follow(live)
    elsewhere.follow(live)
    live.fetch.start()
    qtbot.waitUntil(lambda: live.finished, timeout=15000)
    assert live.merged and view.live_shown and view.rows_shown == 20
    with open_mirror(mine.slug, mine.key) as mirror:
        assert mirror.count() == 20
        newest = [row.order_id for row in mirror.rows(MirrorQuery(per_page=20))]
    assert [getattr(view.model.order_row(n), "order_id", None) for n in range(20)] == newest
    assert elsewhere.rows_shown == 0 and not elsewhere.live_shown
    assert not mirror_path(other.slug).exists()


def test_the_app_shows_the_servers_orders_before_loading_the_network_stack(
    sandbox: SandboxServer, app_dirs: Path
) -> None:
    probe = (
        "import os, sys\n"
        "real_exit = os._exit\n"
        "def report(code):\n"
        "    heavy = {'httpx', 'pydantic', 'qasync', 'keyring'}\n"
        "    print('LOADED', sorted({m.split('.')[0] for m in sys.modules} & heavy), flush=True)\n"
        "    real_exit(code)\n"
        "os._exit = report\n"
        "from nfctagify_desktop.app import main\n"
        f"main(['--base-url', {sandbox.base_url!r}, '--exit-after-live'])\n"
    )
    proc = run_probe(app_dirs, probe, NFCTAGIFY_API_KEY=sandbox.demo_api_key)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "live orders after" in proc.stdout
    assert "LOADED []" in proc.stdout
    account = AccountId("Command line", sandbox.base_url)
    with open_mirror(account.slug, account.key, app_dirs / "data" / "mirror") as mirror:
        assert mirror.count() == 20


def test_a_saved_profile_looks_its_key_up_in_the_keyring_after_the_paint(
    sandbox: SandboxServer, app_dirs: Path, memory_keyring: Any
) -> None:
    settings = app_dirs / "config" / "settings.json"
    settings.parent.mkdir(exist_ok=True)
    shop = {"name": "Shop", "kind": "account", "base_url": sandbox.base_url}
    settings.write_text(json.dumps({"active_profile": "Shop", "profiles": [shop]}))
    account = AccountId("Shop", sandbox.base_url)
    fetch = early_orders(account, per_page=3)
    assert fetch is not None and fetch.looks_up_key and not fetch.started  # not before the paint
    fetch.start()
    assert fetch.done.wait(15) and fetch.orders is None  # no key stored: no request
    memory_keyring.set_password("nfctagify-desktop", "Shop", sandbox.demo_api_key)
    again = early_orders(account, per_page=3)
    assert again is not None
    again.start()
    assert again.done.wait(15)
    assert again.orders is not None and len(again.orders) == 3


def test_a_page_that_arrives_after_the_first_paint_view_is_gone_is_still_stored(
    sandbox: SandboxServer, qtbot: Any
) -> None:
    from PySide6.QtCore import QObject

    from nfctagify_desktop.ui.first_paint import FirstPaintOrders, LivePage

    mine = AccountId("Command line", sandbox.base_url)
    view = FirstPaintOrders(mine, MirrorQuery(per_page=20))
    live = LivePage(FirstPageFetch(sandbox.base_url, sandbox.demo_api_key, 20), mine)
    view.follow(live)
    gone: list[QObject] = []
    view.destroyed.connect(lambda: gone.append(view))
    view.deleteLater()  # the full Orders tab took its place
    qtbot.waitUntil(lambda: bool(gone))
    live.fetch.start()
    qtbot.waitUntil(lambda: live.finished, timeout=15000)
    assert live.merged
    with open_mirror(mine.slug, mine.key) as mirror:
        assert mirror.count() == 20


def test_an_unexpected_error_never_shows_a_key_in_the_status_bar(qtbot: Any) -> None:
    from PySide6.QtWidgets import QMainWindow

    from nfctagify_desktop.ui.window_hooks import install_excepthook

    key = "ntk_status_secret_0123456789"  # the shape of a partner key: masked as such
    window = QMainWindow()
    qtbot.addWidget(window)
    previous = sys.excepthook
    try:
        install_excepthook(lambda: window)
        try:
            raise ValueError(f"server said: bad key {key}")
        except ValueError as exc:
            sys.excepthook(type(exc), exc, exc.__traceback__)
    finally:
        sys.excepthook = previous
    shown = window.statusBar().currentMessage()
    assert "ValueError: server said: bad key" in shown and key not in shown
