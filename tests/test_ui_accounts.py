"""Accounts you can trust, through the real window: two real sandboxes (two accounts) and
profiles that cannot be reached (DNS failure, refused connection, untrusted certificate).

After a switch no row, price or product of the other account may be in any tab, model or the
order form's product list; a never-loaded account shows empty tables marked "Not loaded yet";
"Connected" appears only after a call succeeded, otherwise "Not connected — <plain reason>";
a draft written under one account is never sent to the other.
"""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import shiboken6
import trustme

from nfctagify_desktop.api import PartnerClient
from nfctagify_desktop.api.models import OrderCreate
from nfctagify_desktop.ordering.outbox import DraftState, Outbox
from nfctagify_desktop.ordering.submit import WrongAccountError
from nfctagify_desktop.sandbox.accounts import DEMO_API_KEY, STANDARD_API_KEY
from nfctagify_desktop.sandbox.server import SandboxServer
from nfctagify_desktop.services.connection import connect
from nfctagify_desktop.services.container import build_services
from nfctagify_desktop.services.link import LinkState
from nfctagify_desktop.store.secrets import KeyStore
from nfctagify_desktop.store.settings import Profile, SettingsStore
from nfctagify_desktop.ui.account_controller import AccountController
from nfctagify_desktop.ui.main_window import MainWindow
from nfctagify_desktop.ui.widgets.table_view import NOT_LOADED
from tests.fault_servers import TlsServer
from tests.widget_text import all_visible_text, model_texts

WAIT = 15_000
Run = Callable[..., Any]
SHIPPING = {
    "name": "Jane Recipient",
    "address_line1": "1 Private Lane",
    "city": "London",
    "postcode": "SW1A 1AA",
    "country": "GB",
}


@dataclass
class Account:
    """One account as the test sees it, fetched straight from its server."""

    name: str
    server: SandboxServer
    key: str
    marker: str  # a customer reference only this account's orders have
    product_ids: list[str]
    prices: list[tuple[str, str]]
    order_ids: set[str]


def seed(server: SandboxServer, key: str, marker: str, name: str, arun: Run) -> Account:
    async def go() -> Account:
        async with PartnerClient(server.base_url, key) as client:
            body = OrderCreate.model_validate(
                {
                    "product_id": "prod_standard",
                    "quantity": 50,
                    "customer_reference": marker,
                    "shipping": SHIPPING,
                }
            )
            await client.create_order(body)
            products = await client.list_products()
            prices = await client.get_pricing()
            page = await client.list_orders(per_page=100)
        return Account(
            name,
            server,
            key,
            marker,
            [p.product_id for p in products],
            [(p.product_id, str(p.price)) for p in prices],
            {o.order_id for o in page.orders},
        )

    return arun(go())  # type: ignore[no-any-return]


def add_profile(name: str, url: str, key: str, store: SettingsStore | None = None) -> None:
    (store or SettingsStore()).add_profile(Profile(name=name, base_url=url, kind="account"))
    KeyStore().set(name, key)


@pytest.fixture
def two_accounts(tmp_path: Path, arun: Run) -> Iterator[tuple[Account, Account]]:
    a = SandboxServer(tmp_path / "alpha.sqlite3")
    b = SandboxServer(tmp_path / "beta.sqlite3")
    a.start()
    b.start()
    b.seed_orders("standard", 12)
    try:
        alpha = seed(a, DEMO_API_KEY, "ONLY-IN-ALPHA", "Alpha", arun)
        beta = seed(b, STANDARD_API_KEY, "ONLY-IN-BETA", "Beta", arun)
        add_profile("Alpha", a.base_url, DEMO_API_KEY)
        add_profile("Beta", b.base_url, STANDARD_API_KEY)
        yield alpha, beta
    finally:
        a.stop()
        b.stop()


@pytest.fixture
def ui(
    two_accounts: tuple[Account, Account], tmp_path: Path, arun: Run, qtbot: Any
) -> Iterator[SimpleNamespace]:
    alpha, _ = two_accounts
    profile = SettingsStore().load().profile("Alpha")
    conn = arun(connect(profile, keys=KeyStore()))
    services = build_services(conn, outbox=Outbox(tmp_path / "outbox.sqlite3"))
    window = MainWindow(services)
    accounts = AccountController(services.accounts, window)
    window.show()
    window.load_all()
    ns = SimpleNamespace(services=services, window=window, accounts=accounts, ctx=services.ctx)
    wait_loaded(ns, qtbot, alpha)
    yield ns
    for form in window.order_forms.forms:
        form.hide()
    arun(services.aclose())  # tasks first, then every file the services hold (the digest's too)
    arun(accounts.aclose())
    arun(services.ctx.connection.client.aclose())
    window.close()
    window.deleteLater()


def wait_loaded(ui: SimpleNamespace, qtbot: Any, account: Account) -> None:
    w = ui.window
    qtbot.waitUntil(
        lambda: (
            [p.product_id for p in w.products_tab.model.rows] == account.product_ids
            and len(w.pricing_tab.model.rows) == len(account.prices)
            and w.orders_tab.model.rowCount() > 0
            and ui.ctx.link.view.state is LinkState.CONNECTED
        ),
        timeout=WAIT,
    )


def switch(ui: SimpleNamespace, name: str, arun: Run) -> None:
    assert arun(ui.services.accounts.aswitch_profile(name)) is True
    assert ui.ctx.connection.profile == name


def everything_shown(ui: SimpleNamespace) -> str:
    """Every widget's text, plus every model the window's views use (shown or not)."""
    w = ui.window
    models = [w.products_tab.model, w.pricing_tab.model, w.orders_tab.model, w.outbox_tab.model]
    return all_visible_text() + "\n".join(t for m in models for t in model_texts(m))


def assert_shows_only(ui: SimpleNamespace, mine: Account, other: Account) -> None:
    w = ui.window
    assert [p.product_id for p in w.products_tab.model.rows] == mine.product_ids
    assert [(p.product_id, str(p.price)) for p in w.pricing_tab.model.rows] == mine.prices
    shown_orders = {o.order_id for o in w.orders_tab.model.rows}
    assert shown_orders <= mine.order_ids
    text = everything_shown(ui)
    assert other.marker not in text
    assert mine.marker in text
    for order_id in other.order_ids - mine.order_ids:
        assert order_id not in text
    assert other.server.base_url not in text


def test_a_switch_shows_only_the_new_accounts_data(
    ui: SimpleNamespace, two_accounts: tuple[Account, Account], qtbot: Any, arun: Run
) -> None:
    alpha, beta = two_accounts
    assert alpha.prices != beta.prices  # custom prices: the two accounts really differ
    assert_shows_only(ui, alpha, beta)
    assert ui.window.link_indicator.state_label.text() == "Connected — Alpha"

    switch(ui, "Beta", arun)
    wait_loaded(ui, qtbot, beta)
    assert_shows_only(ui, beta, alpha)
    assert ui.window.link_indicator.state_label.text() == "Connected — Beta"

    form = ui.window.order_forms.open(None)
    qtbot.waitUntil(lambda: ui.services.ordering.products_loaded, timeout=WAIT)
    combo = form.product_combo
    qtbot.waitUntil(lambda: combo.count() >= len(beta.product_ids), timeout=WAIT)
    listed = [combo.itemData(i) for i in range(combo.count()) if combo.itemData(i)]
    assert sorted(listed) == sorted(beta.product_ids)
    form.hide()

    switch(ui, "Alpha", arun)
    wait_loaded(ui, qtbot, alpha)
    assert_shows_only(ui, alpha, beta)


def test_a_never_loaded_account_shows_empty_tables_not_another_accounts(
    ui: SimpleNamespace, two_accounts: tuple[Account, Account], qtbot: Any, arun: Run
) -> None:
    alpha, beta = two_accounts
    add_profile(
        "Production",
        "https://nfctagify-unreachable.invalid",
        "ntk_live_unreachable_1",
        ui.services.settings,
    )
    switch(ui, "Production", arun)
    w = ui.window
    # At once, before any answer: nothing of Alpha remains.
    for tab in (w.products_tab, w.pricing_tab):
        assert tab.model.rowCount() == 0
        assert tab.view.placeholder_text == NOT_LOADED
    assert w.orders_tab.model.rowCount() == 0
    qtbot.waitUntil(lambda: ui.ctx.link.view.state is LinkState.NOT_CONNECTED, timeout=WAIT)
    qtbot.waitUntil(
        lambda: not any(ui.ctx.tasks.is_running(k) for k in ("products", "pricing", "orders")),
        timeout=WAIT,
    )
    text = everything_shown(ui)
    for other in (alpha, beta):
        assert other.marker not in text
        assert all(order_id not in text for order_id in other.order_ids)
    for tab in (w.products_tab, w.pricing_tab):
        assert tab.model.rowCount() == 0
        assert tab.info_label.text().startswith(NOT_LOADED)
    assert w.orders_tab.model.rowCount() == 0
    assert w.orders_tab.view.placeholder_text == NOT_LOADED
    assert w.outbox_tab.model.rowCount() == 0
    label = w.link_indicator.state_label.text()
    assert label == (
        "Not connected — The address nfctagify-unreachable.invalid could not be found "
        "(DNS lookup failed)"
    )
    assert "Connected —" not in w.statusBar().currentMessage()
    assert "Check the API address" in w.link_indicator.state_label.toolTip()
    assert w.link_indicator.details_button.isVisibleTo(w)


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.parametrize("fault", ["refused", "bad-certificate"])
def test_not_connected_says_why_in_plain_words(
    ui: SimpleNamespace, qtbot: Any, arun: Run, fault: str, tmp_path: Path
) -> None:
    tls: TlsServer | None = None
    if fault == "refused":
        url = f"https://127.0.0.1:{closed_port()}"
        add_profile("Production", url, "ntk_live_x_0001", ui.services.settings)
        expected = "Not connected — 127.0.0.1 refused the connection"
    else:
        tls = TlsServer(trustme.CA()).start()  # signed by a CA nobody trusts
        add_profile("Production", tls.base_url, "ntk_live_x_0001", ui.services.settings)
        expected = "Not connected — The TLS certificate of localhost is not trusted: "
    try:
        switch(ui, "Production", arun)
        indicator = ui.window.link_indicator
        qtbot.waitUntil(lambda: ui.ctx.link.view.state is LinkState.NOT_CONNECTED, timeout=WAIT)
        assert indicator.state_label.text().startswith(expected)
        assert ui.window.products_tab.model.rowCount() == 0
        indicator.details_button.click()  # "Details…" next to "Not connected — …"
        details = ui.accounts.details_dialog
        assert details is not None and details.isVisible()
        raw = details.text_edit.toPlainText()
        qtbot.waitUntil(
            lambda: not any(ui.ctx.tasks.is_running(k) for k in ("products", "pricing")),
            timeout=WAIT,
        )
        assert ("ConnectionRefusedError" if fault == "refused" else "SSLCertVerificationError") in (
            raw
        )
    finally:
        if tls is not None:
            tls.stop()


def test_a_draft_of_one_account_is_never_sent_to_another(
    ui: SimpleNamespace, two_accounts: tuple[Account, Account], qtbot: Any, arun: Run
) -> None:
    alpha, beta = two_accounts
    from tests.test_ui_order_form import fill

    form = ui.window.order_forms.open(None)
    qtbot.waitUntil(lambda: form.product_combo.findData("prod_standard") >= 0, timeout=WAIT)
    fill(form, reference="WRITTEN-FOR-ALPHA")
    draft = form.save_draft()
    assert (draft.profile, draft.base_url) == ("Alpha", alpha.server.base_url)
    counts = (alpha.server.order_count("demo"), beta.server.order_count("standard"))

    switch(ui, "Beta", arun)
    wait_loaded(ui, qtbot, beta)
    # The form of the other account was closed (and deleted); its draft is kept.
    assert not shiboken6.isValid(form) or not form.isVisible()
    assert ui.window.order_forms.forms == []
    assert "draft of the previous account" in ui.window.statusBar().currentMessage()
    kept = ui.services.outbox.get(draft.id)
    assert kept is not None and kept.fields.customer_reference == "WRITTEN-FOR-ALPHA"
    assert all(d.id != draft.id for d in ui.window.outbox_tab.model.rows)  # not Beta's outbox
    assert "WRITTEN-FOR-ALPHA" not in everything_shown(ui)

    with pytest.raises(WrongAccountError, match="written for Alpha"):
        arun(ui.services.ordering.submit(draft.id))
    after = ui.services.outbox.get(draft.id)
    assert after is not None
    assert (after.profile, after.base_url, after.state) == (
        "Alpha",
        alpha.server.base_url,
        DraftState.DRAFT,
    )
    assert (alpha.server.order_count("demo"), beta.server.order_count("standard")) == counts

    switch(ui, "Alpha", arun)  # back home, the draft is in Alpha's outbox again
    qtbot.waitUntil(
        lambda: any(d.id == draft.id for d in ui.window.outbox_tab.model.rows), timeout=WAIT
    )


@pytest.mark.parametrize("pasted", ["Zq9-secret\x07part-two", "Zq9-secret part-two"])
def test_a_key_with_an_inner_control_character_is_refused_without_echo(
    ui: SimpleNamespace, qtbot: Any, pasted: str
) -> None:
    prompt = ui.accounts.request_key("Alpha")
    prompt.key_field.setText(pasted)
    prompt.save_button.click()
    qtbot.waitUntil(lambda: prompt.error_label.isVisibleTo(prompt), timeout=WAIT)
    assert "character no key has" in prompt.error_label.text()
    text = everything_shown(ui).replace(prompt.key_field.text(), "")  # the field itself
    for part in ("Zq9", "secret", "part-two"):
        assert part not in text
    assert KeyStore().get("Alpha") == DEMO_API_KEY  # the good key is kept
    prompt.close()


def test_a_pasted_key_with_a_trailing_cr_works(
    ui: SimpleNamespace, two_accounts: tuple[Account, Account], qtbot: Any
) -> None:
    alpha, _ = two_accounts
    prompt = ui.accounts.request_key("Alpha")
    prompt.key_field.setText(DEMO_API_KEY + "\r\n")
    prompt.save_button.click()
    qtbot.waitUntil(lambda: not prompt.isVisible(), timeout=WAIT)
    assert KeyStore().get("Alpha") == DEMO_API_KEY
    ui.window.load_all()
    wait_loaded(ui, qtbot, alpha)
