"""401 → non-modal key prompt → retried action, first-run key flow, 403, support details."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import keyring
import keyring.backends.fail
import pytest
from PySide6.QtGui import QGuiApplication, QPainter, QPixmap
from PySide6.QtWidgets import QApplication

from nfctagify_desktop.api.errors import ForbiddenError
from nfctagify_desktop.api.models import OrderCreate
from nfctagify_desktop.sandbox.server import SandboxServer
from nfctagify_desktop.services.accounts import FORBIDDEN_STATUS
from nfctagify_desktop.services.connection import connect
from nfctagify_desktop.services.container import build_services
from nfctagify_desktop.store.secrets import DEFAULT_SERVICE, KeyStore
from nfctagify_desktop.store.settings import Profile, SettingsStore, sandbox_profile
from nfctagify_desktop.ui.account_controller import AccountController
from nfctagify_desktop.ui.dialogs.api_key_prompt import ApiKeyPrompt
from nfctagify_desktop.ui.errors import describe
from nfctagify_desktop.ui.main_window import MainWindow

WAIT = 8000
# Tests write their screenshots to a temp folder; set NFCTAGIFY_SCREENSHOTS=docs/screenshots
# to refresh the committed ones.
SCREENSHOTS_ENV = os.environ.get("NFCTAGIFY_SCREENSHOTS")
SHIPPING = {
    "name": "Jane Recipient",
    "address_line1": "1 Private Lane",
    "city": "London",
    "postcode": "SW1A 1AA",
    "country": "GB",
}


def build(conn: Any, arun: Callable[..., Any]) -> SimpleNamespace:
    services = build_services(conn)
    ctx = services.ctx
    window = MainWindow(
        services
    )  # closed by the fixture (qtbot.addWidget would delete it too early)
    accounts = AccountController(services.accounts, window)
    window.show()  # banners report isVisible() only in a shown window
    return SimpleNamespace(ctx=ctx, window=window, accounts=accounts)


def teardown(ui: SimpleNamespace, arun: Callable[..., Any]) -> None:
    arun(ui.ctx.tasks.shutdown())
    arun(ui.accounts.aclose())
    arun(ui.ctx.connection.client.aclose())
    ui.window.close()
    ui.window.deleteLater()


@pytest.fixture
def account_ui(sandbox: SandboxServer, arun: Callable[..., Any]) -> Iterator[SimpleNamespace]:
    """The window on an "account" profile that points at the sandbox, demo key in the keyring."""
    profile = Profile(
        name="Production", base_url=sandbox.base_url, kind="account", account_id="demo"
    )
    SettingsStore().add_profile(profile)
    KeyStore().set("Production", sandbox.demo_api_key)
    conn = arun(connect(profile, keys=KeyStore()))
    ui = build(conn, arun)
    ui.sandbox = sandbox
    yield ui
    teardown(ui, arun)


def prompts() -> list[ApiKeyPrompt]:
    return [
        w for w in QApplication.topLevelWidgets() if isinstance(w, ApiKeyPrompt) and w.isVisible()
    ]


def products_loaded(ui: SimpleNamespace) -> bool:
    return (
        ui.window.products_tab.model.rowCount() > 0
        and not ui.window.products_tab.banner.isVisible()
    )


def test_401_prompts_once_then_new_key_retries_and_succeeds(
    account_ui: SimpleNamespace, qtbot: Any, memory_keyring: Any
) -> None:
    ui = account_ui
    ui.window.load_all()
    qtbot.waitUntil(lambda: products_loaded(ui), timeout=WAIT)
    new_key = ui.sandbox.rotate_key("demo")

    ui.window.load_all()  # three calls, three 401s
    qtbot.waitUntil(lambda: ui.window.products_tab.banner.isVisible(), timeout=WAIT)
    qtbot.waitUntil(lambda: ui.ctx.tasks.busy_count == 0, timeout=WAIT)
    assert ui.window.orders_tab.banner.error is not None  # the hidden tab failed too
    assert len(prompts()) == 1, "one prompt per burst of 401s"
    prompt = ui.accounts.prompt
    assert prompt is not None and not prompt.isModal()
    assert prompt.profile == "Production"
    assert "HTTP 401" in prompt.reason_label.text()
    assert "HTTP 401" in ui.window.products_tab.banner.text
    assert ui.window.products_tab.banner.key_button.isVisible()

    qtbot.keyClicks(prompt.key_field.edit, new_key)
    with qtbot.waitSignals(
        [ui.window.products_tab.sig_loaded, ui.window.pricing_tab.sig_loaded], timeout=WAIT
    ):
        prompt.save_button.click()
    qtbot.waitUntil(lambda: products_loaded(ui), timeout=WAIT)
    assert not prompt.isVisible()
    assert memory_keyring.store[(DEFAULT_SERVICE, "Production")] == new_key
    assert new_key in ui.ctx.connection.secrets
    qtbot.waitUntil(lambda: ui.window.orders_tab.banner.error is None, timeout=WAIT)
    assert prompts() == []


def test_banner_enter_new_key_button_opens_the_prompt(
    account_ui: SimpleNamespace, qtbot: Any
) -> None:
    ui = account_ui
    ui.sandbox.rotate_key("demo")
    ui.window.products_tab.refresh()
    qtbot.waitUntil(lambda: ui.accounts.prompt is not None, timeout=WAIT)
    assert ui.accounts.prompt is not None
    ui.accounts.prompt.reject()
    assert prompts() == []
    ui.window.products_tab.banner.key_button.click()
    assert len(prompts()) == 1


def test_wrong_new_key_keeps_prompting(account_ui: SimpleNamespace, qtbot: Any) -> None:
    ui = account_ui
    ui.sandbox.rotate_key("demo")
    ui.window.products_tab.refresh()
    qtbot.waitUntil(lambda: ui.accounts.prompt is not None, timeout=WAIT)
    prompt = ui.accounts.prompt
    assert prompt is not None
    prompt.key_field.setText("ntk_still_the_wrong_key")
    prompt.save_button.click()
    # saved, retried, rejected again: a prompt is shown again for the next key
    qtbot.waitUntil(lambda: len(prompts()) == 1 and ui.ctx.tasks.busy_count == 0, timeout=WAIT)
    qtbot.waitUntil(lambda: ui.window.products_tab.banner.isVisible(), timeout=WAIT)


def test_first_run_profile_without_key_asks_then_switches(
    sandbox: SandboxServer, arun: Callable[..., Any], qtbot: Any, memory_keyring: Any
) -> None:
    SettingsStore().add_profile(
        Profile(name="Production", base_url=sandbox.base_url, kind="account")
    )
    ui = build(arun(connect(sandbox_profile(), sandbox=sandbox)), arun)
    try:
        ui.accounts.service.switch_profile("Production")
        qtbot.waitUntil(lambda: len(prompts()) == 1, timeout=WAIT)
        prompt = ui.accounts.prompt
        assert prompt is not None
        assert "No API key is stored" in prompt.reason_label.text()
        assert ui.ctx.connection.is_sandbox  # nothing switched yet
        prompt.key_field.setText(sandbox.demo_api_key)
        with qtbot.waitSignal(ui.window.products_tab.sig_loaded, timeout=WAIT):
            prompt.save_button.click()
        assert ui.ctx.connection.profile == "Production"
        assert memory_keyring.store[(DEFAULT_SERVICE, "Production")] == sandbox.demo_api_key
        assert SettingsStore().load().active_profile == "Production"
    finally:
        teardown(ui, arun)


def test_no_keyring_prompt_keeps_the_key_for_the_session(
    account_ui: SimpleNamespace, qtbot: Any
) -> None:
    ui = account_ui
    keyring.set_keyring(keyring.backends.fail.Keyring())  # type: ignore[no-untyped-call]
    new_key = ui.sandbox.rotate_key("demo")
    ui.window.products_tab.refresh()
    qtbot.waitUntil(lambda: ui.accounts.prompt is not None, timeout=WAIT)
    prompt = ui.accounts.prompt
    assert prompt is not None
    assert prompt.keyring_note.isVisible()
    assert "No system keyring is available" in prompt.keyring_note.text()
    assert prompt.session_check.isChecked() and not prompt.session_check.isEnabled()
    prompt.key_field.setText(new_key)
    with qtbot.waitSignal(ui.window.products_tab.sig_loaded, timeout=WAIT):
        prompt.save_button.click()
    assert ui.accounts.service.keys.is_session_only("Production")


def test_403_says_the_account_lacks_permission(
    sandbox: SandboxServer, arun: Callable[..., Any], qtbot: Any
) -> None:
    profile = Profile(name="Readonly", base_url=sandbox.base_url, kind="account")
    conn = arun(connect(profile, api_key=sandbox.api_keys["readonly"]))
    ui = build(conn, arun)
    try:
        order = OrderCreate.model_validate(
            {"product_id": "prod_standard", "quantity": 50, "shipping": SHIPPING}
        )
        errors: list[BaseException] = []
        with qtbot.waitSignal(ui.ctx.sig_api_error, timeout=WAIT):
            ui.ctx.run("create", ui.ctx.client.create_order(order), on_error=errors.append)
        assert isinstance(errors[0], ForbiddenError)
        assert "does not have permission" in describe(errors[0]).text
        assert ui.window.statusBar().currentMessage() == FORBIDDEN_STATUS
        assert ui.accounts.prompt is None  # a 403 is not a key problem
        details = ui.accounts.service.support_text(errors[0])
        assert "HTTP status: 403" in details
        assert "Jane Recipient" not in details and "1 Private Lane" not in details
        assert sandbox.api_keys["readonly"] not in details
    finally:
        teardown(ui, arun)


def test_support_details_on_a_500_banner(
    account_ui: SimpleNamespace, qtbot: Any, tmp_path: Path
) -> None:
    ui = account_ui
    ui.window.resize(1000, 560)
    ui.window.show()
    qtbot.waitExposed(ui.window)
    ui.window.load_all()
    qtbot.waitUntil(lambda: products_loaded(ui), timeout=WAIT)
    ui.sandbox.faults.fail_next(
        500,
        "INTERNAL_ERROR",
        "Something broke on our side",
        count=10,
        path_prefix="/api/partner/products",
    )
    ui.window.products_tab.refresh()
    banner = ui.window.products_tab.banner
    qtbot.waitUntil(banner.isVisible, timeout=WAIT)
    assert "HTTP 500" in banner.text
    assert banner.copy_button.isVisible()
    banner.copy_button.click()
    copied = QGuiApplication.clipboard().text()
    for expected in (
        "Partner account ID: demo",
        "Endpoint: GET " + ui.sandbox.base_url + "/api/partner/products",
        "HTTP status: 500",
        "Error code: INTERNAL_ERROR",
        "Timestamp (UTC): ",
        "Response body:",
    ):
        assert expected in copied, expected
    assert ui.sandbox.demo_api_key not in copied
    dialog = ui.accounts.show_support_details()
    assert dialog.text_edit.toPlainText() == copied
    dialog.resize(620, 420)
    qtbot.waitExposed(dialog)
    qtbot.wait(50)  # let the layout settle before grabbing (not an assertion wait)

    shot = ui.window.grab()
    panel = dialog.grab()
    canvas = QPixmap(shot.width(), shot.height() + panel.height() + 12)
    canvas.fill(ui.window.palette().window().color())
    painter = QPainter(canvas)
    painter.drawPixmap(0, 0, shot)
    painter.drawPixmap((shot.width() - panel.width()) // 2, shot.height() + 12, panel)
    painter.end()
    shots = Path(SCREENSHOTS_ENV) if SCREENSHOTS_ENV else tmp_path
    shots.mkdir(parents=True, exist_ok=True)
    assert canvas.save(str(shots / "support-details.png"))
    dialog.close()
