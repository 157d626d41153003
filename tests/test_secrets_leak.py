"""The API key never reaches a file: log, settings.json, window.ini, support details.

One realistic session at DEBUG level: save a key through the Settings dialog, switch to the
profile, hit a 500 and a 401 (rotated key), paste the new key, place an order, copy support
details; then search every file under the NFCTAGIFY_HOME temp dir for both keys.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QGuiApplication

from nfctagify_desktop.api.models import OrderCreate
from nfctagify_desktop.log import setup_logging, teardown_logging
from nfctagify_desktop.sandbox.server import SandboxServer
from nfctagify_desktop.services.connection import connect
from nfctagify_desktop.services.container import build_services
from nfctagify_desktop.store.settings import sandbox_profile
from nfctagify_desktop.ui.account_controller import AccountController
from nfctagify_desktop.ui.main_window import MainWindow

WAIT = 8000
RECIPIENT = {
    "name": "Jane Recipient",
    "address_line1": "1 Private Lane",
    "city": "London",
    "postcode": "SW1A 1AA",
    "country": "GB",
}


@pytest.fixture
def log_file(app_dirs: Path) -> Iterator[Path]:
    path = setup_logging(logging.DEBUG)
    yield path
    teardown_logging()


def files_containing(root: Path, needle: str) -> list[Path]:
    found = []
    for path in root.rglob("*"):
        if path.is_file() and needle.encode() in path.read_bytes():
            found.append(path)
    return found


def test_keys_never_reach_any_file(
    sandbox: SandboxServer,
    arun: Callable[..., Any],
    qtbot: Any,
    app_dirs: Path,
    log_file: Path,
) -> None:
    assert log_file.is_relative_to(app_dirs)
    old_key = sandbox.demo_api_key
    services = build_services(arun(connect(sandbox_profile(), sandbox=sandbox)))
    ctx = services.ctx
    window = MainWindow(services)
    accounts = AccountController(services.accounts, window)
    window.show()
    try:
        # 1. a profile and its key through the Settings dialog
        dialog = accounts.open_settings()
        dialog.add_profile()
        dialog.name_edit.setText("Production")
        dialog.url_edit.setText(sandbox.base_url)
        dialog.account_edit.setText("demo")
        dialog.key_field.setText(old_key)
        dialog.key_field.toggle.click()  # shown on screen: still never written anywhere
        with qtbot.waitSignal(dialog.sig_saved, timeout=WAIT):
            dialog.save_button.click()
        with qtbot.waitSignal(window.products_tab.sig_loaded, timeout=WAIT):
            dialog.use_button.click()
        assert ctx.connection.profile == "Production"

        # 2. a 500 with support details copied
        sandbox.faults.fail_next(500, "INTERNAL_ERROR", path_prefix="/api/partner/products")
        window.products_tab.refresh()
        qtbot.waitUntil(window.products_tab.banner.isVisible, timeout=WAIT)
        window.products_tab.banner.copy_button.click()
        support_500 = QGuiApplication.clipboard().text()

        # 3. an order whose creation fails: request body with the recipient in it
        sandbox.faults.fail_next(
            500, "INTERNAL_ERROR", path_prefix="/api/partner/orders", method="POST"
        )
        order = OrderCreate.model_validate(
            {"product_id": "prod_standard", "quantity": 50, "shipping": RECIPIENT}
        )
        errors: list[BaseException] = []
        with qtbot.waitSignal(ctx.sig_api_error, timeout=WAIT):
            ctx.run("create", ctx.client.create_order(order), on_error=errors.append)
        support_order = accounts.service.support_text(errors[0])
        assert '"quantity": 50' in support_order
        for personal in ("Jane Recipient", "1 Private Lane", "SW1A 1AA"):
            assert personal not in support_order

        # 4. the key is rotated: 401, prompt, new key, retried
        new_key = sandbox.rotate_key("demo")
        window.load_all()
        qtbot.waitUntil(
            lambda: accounts.prompt is not None and accounts.prompt.isVisible(), timeout=WAIT
        )
        assert accounts.prompt is not None
        support_401 = accounts.service.support_text(accounts.service.last_error)  # type: ignore[arg-type]
        accounts.prompt.key_field.setText(new_key)
        with qtbot.waitSignal(window.products_tab.sig_loaded, timeout=WAIT):
            accounts.prompt.save_button.click()
        logging.getLogger("nfctagify.test").info(
            "a slip: Authorization: Bearer %s and key=%s", new_key, old_key
        )
        window.save_state()  # window.ini
    finally:
        arun(ctx.tasks.shutdown())
        arun(accounts.aclose())
        arun(ctx.connection.client.aclose())
        window.close()
        window.deleteLater()
    for handler in logging.getLogger().handlers:
        handler.flush()

    assert "Partner account ID: demo" in support_500
    assert (app_dirs / "config" / "settings.json").is_file()
    assert (app_dirs / "config" / "window.ini").is_file()
    log_text = log_file.read_text()
    assert "switched to profile 'Production'" in log_text
    assert "saved in the keyring" in log_text
    for key in (old_key, new_key):
        assert files_containing(app_dirs, key) == []
        for text in (support_500, support_order, support_401):
            assert key not in text
        assert key[-12:] not in log_text
