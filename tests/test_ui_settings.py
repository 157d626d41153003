"""The Settings dialog against the real sandbox: profiles, keyring per profile, test, switching."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import keyring
import keyring.backends.fail
import pytest
from PySide6.QtWidgets import QLineEdit

from nfctagify_desktop.sandbox.server import SandboxServer
from nfctagify_desktop.services.connection import connect
from nfctagify_desktop.services.container import build_services
from nfctagify_desktop.store.secrets import DEFAULT_SERVICE
from nfctagify_desktop.store.settings import SANDBOX_PROFILE_NAME, sandbox_profile
from nfctagify_desktop.ui.account_controller import AccountController
from nfctagify_desktop.ui.dialogs.settings_dialog import SettingsDialog
from nfctagify_desktop.ui.main_window import MainWindow

WAIT = 8000
# Tests write their screenshots to a temp folder; set NFCTAGIFY_SCREENSHOTS=docs/screenshots
# to refresh the committed ones.
SCREENSHOTS_ENV = os.environ.get("NFCTAGIFY_SCREENSHOTS")


@pytest.fixture
def ui(sandbox: SandboxServer, arun: Callable[..., Any], qtbot: Any) -> Iterator[SimpleNamespace]:
    """A main window on the sandbox profile with its account controller attached."""
    conn = arun(connect(sandbox_profile(), sandbox=sandbox))
    services = build_services(conn)
    ctx = services.ctx
    window = MainWindow(services)  # not qtbot.addWidget: pytest-qt deletes it before teardown
    accounts = AccountController(services.accounts, window)
    yield SimpleNamespace(ctx=ctx, window=window, accounts=accounts, sandbox=sandbox)
    arun(ctx.tasks.shutdown())
    arun(accounts.aclose())
    arun(ctx.connection.client.aclose())
    window.close()
    window.deleteLater()


def open_dialog(ui: SimpleNamespace, qtbot: Any) -> SettingsDialog:
    dialog: SettingsDialog = ui.accounts.open_settings()
    qtbot.waitUntil(dialog.isVisible, timeout=WAIT)
    assert not dialog.isModal()
    return dialog


def fill_new_profile(
    dialog: SettingsDialog, name: str, url: str, key: str, account_id: str = ""
) -> None:
    dialog.add_profile()
    dialog.name_edit.setText(name)
    dialog.url_edit.setText(url)
    dialog.account_edit.setText(account_id)
    dialog.key_field.setText(key)


def save(dialog: SettingsDialog, qtbot: Any) -> None:
    with qtbot.waitSignal(dialog.sig_saved, timeout=WAIT):
        dialog.save_button.click()


def test_sandbox_is_built_in_and_cannot_be_removed(ui: SimpleNamespace, qtbot: Any) -> None:
    dialog = open_dialog(ui, qtbot)
    assert dialog.editing == SANDBOX_PROFILE_NAME
    assert dialog.sandbox_note.isVisible()
    assert "demo data" in dialog.sandbox_note.text()
    assert not dialog.remove_button.isEnabled()
    assert not dialog.key_field.isEnabled()
    dialog.remove_current(confirmed=True)
    assert [p.name for p in ui.accounts.service.settings.profiles] == [SANDBOX_PROFILE_NAME]
    assert dialog.url_edit.placeholderText() == "https://…"


def test_key_save_load_delete_per_profile(
    ui: SimpleNamespace, qtbot: Any, memory_keyring: Any, app_dirs: Path
) -> None:
    dialog = open_dialog(ui, qtbot)
    demo, standard = ui.sandbox.api_keys["demo"], ui.sandbox.api_keys["standard"]
    fill_new_profile(dialog, "Production", ui.sandbox.base_url, demo, "acc_demo")
    assert dialog.key_field.edit.echoMode() == QLineEdit.EchoMode.Password
    save(dialog, qtbot)
    fill_new_profile(dialog, "Staging", ui.sandbox.base_url, standard)
    save(dialog, qtbot)
    # one keyring entry per profile, under our service
    assert memory_keyring.store[(DEFAULT_SERVICE, "Production")] == demo
    assert memory_keyring.store[(DEFAULT_SERVICE, "Staging")] == standard
    assert "stored in the system keyring" in dialog.save_result.text()
    # never in the settings file
    settings_text = (app_dirs / "config" / "settings.json").read_text()
    assert demo not in settings_text and standard not in settings_text
    saved = json.loads(settings_text)
    assert {p["name"] for p in saved["profiles"]} == {"Sandbox", "Production", "Staging"}
    assert next(p for p in saved["profiles"] if p["name"] == "Production")["account_id"] == (
        "acc_demo"
    )

    # load: selecting a profile reads its key back, masked; Show reveals it
    with qtbot.waitSignal(dialog.sig_key_loaded, timeout=WAIT) as blocker:
        dialog.select_profile("Production")
    assert "keyring" in blocker.args[0]
    assert dialog.key_field.text() == demo
    assert dialog.key_field.edit.echoMode() == QLineEdit.EchoMode.Password
    dialog.key_field.toggle.click()
    assert dialog.key_field.revealed and dialog.key_field.toggle.text() == "Hide"
    dialog.key_field.toggle.click()
    assert not dialog.key_field.revealed

    # delete one profile's key: the other stays
    with qtbot.waitSignal(dialog.sig_key_loaded, timeout=WAIT):
        dialog.forget_button.click()
    assert (DEFAULT_SERVICE, "Production") not in memory_keyring.store
    assert memory_keyring.store[(DEFAULT_SERVICE, "Staging")] == standard

    # removing a profile removes its key too
    dialog.select_profile("Staging")
    with qtbot.waitSignal(dialog.sig_removed, timeout=WAIT):
        dialog.remove_current(confirmed=True)
    assert (DEFAULT_SERVICE, "Staging") not in memory_keyring.store
    assert "Staging" not in {p.name for p in ui.accounts.service.settings.profiles}


def test_rename_moves_the_key(ui: SimpleNamespace, qtbot: Any, memory_keyring: Any) -> None:
    dialog = open_dialog(ui, qtbot)
    key = ui.sandbox.api_keys["standard"]
    fill_new_profile(dialog, "Prod", ui.sandbox.base_url, key)
    save(dialog, qtbot)
    with qtbot.waitSignal(dialog.sig_key_loaded, timeout=WAIT):
        dialog.select_profile("Prod")
    dialog.name_edit.setText("Production")
    save(dialog, qtbot)
    assert memory_keyring.store[(DEFAULT_SERVICE, "Production")] == key
    assert (DEFAULT_SERVICE, "Prod") not in memory_keyring.store


def test_test_connection_reports_success_and_the_exact_error(
    ui: SimpleNamespace, qtbot: Any
) -> None:
    dialog = open_dialog(ui, qtbot)
    fill_new_profile(dialog, "Production", ui.sandbox.base_url, ui.sandbox.demo_api_key)
    with qtbot.waitSignal(dialog.sig_tested, timeout=WAIT) as blocker:
        dialog.test_button.click()
    assert blocker.args[0].startswith("✓ Connected: ")
    assert blocker.args[0].endswith(" products")
    assert dialog.test_result.isVisible()

    dialog.key_field.setText("ntk_wrong_key_123456")
    with qtbot.waitSignal(dialog.sig_tested, timeout=WAIT) as blocker:
        dialog.test_button.click()
    assert blocker.args[0].startswith("✗ ")
    assert "HTTP 401" in blocker.args[0]
    assert "ntk_wrong_key_123456" not in blocker.args[0]
    # a test never changes the window's connection nor opens the 401 prompt
    assert ui.accounts.prompt is None
    assert ui.ctx.connection.profile == SANDBOX_PROFILE_NAME

    dialog.select_profile(SANDBOX_PROFILE_NAME)
    with qtbot.waitSignal(dialog.sig_tested, timeout=WAIT) as blocker:
        dialog.test_button.click()
    assert blocker.args[0].startswith("✓ Connected: ")


def test_plain_http_to_a_remote_host_is_refused_next_to_the_field(
    ui: SimpleNamespace, qtbot: Any, app_dirs: Path
) -> None:
    dialog = open_dialog(ui, qtbot)
    fill_new_profile(dialog, "Production", "", "ntk_some_key_value")
    qtbot.keyClicks(dialog.url_edit, "http://api.example.com")
    assert dialog.url_error.isVisible()
    assert "requires HTTPS" in dialog.url_error.text()
    dialog.save_button.click()
    assert "requires HTTPS" in dialog.save_result.text()
    assert "Production" not in {p.name for p in ui.accounts.service.settings.profiles}
    dialog.test_button.click()
    assert "HTTPS_REQUIRED" in dialog.test_result.text()
    # fixing the scheme clears the message
    dialog.url_edit.clear()
    qtbot.keyClicks(dialog.url_edit, "https://api.example.com")
    assert not dialog.url_error.isVisible()


def test_no_keyring_backend_offers_session_only(
    ui: SimpleNamespace, qtbot: Any, app_dirs: Path
) -> None:
    keyring.set_keyring(keyring.backends.fail.Keyring())  # type: ignore[no-untyped-call]
    dialog = open_dialog(ui, qtbot)
    dialog.add_profile()
    assert dialog.keyring_note.isVisible()
    assert "No system keyring is available" in dialog.keyring_note.text()
    assert "No system keyring" in dialog.keyring_label.text()
    assert not dialog.keyring_label.isVisible()  # said once, beside the key
    key = ui.sandbox.demo_api_key
    fill_new_profile(dialog, "Production", ui.sandbox.base_url, key)
    dialog.save_button.click()
    qtbot.waitUntil(lambda: "not its key" in dialog.save_result.text(), timeout=WAIT)
    assert dialog.session_check.isChecked()
    # the profile is saved, the key is not (anywhere)
    assert "Production" in {p.name for p in ui.accounts.service.settings.profiles}
    dialog.select_profile("Production")
    qtbot.waitUntil(lambda: "No system keyring" in dialog.key_status.text(), timeout=WAIT)
    dialog.key_field.setText(key)
    dialog.session_check.setChecked(True)
    save(dialog, qtbot)
    assert "session only" in dialog.save_result.text()
    assert ui.accounts.service.keys.is_session_only("Production")
    assert ui.accounts.service.keys.get("Production") == key
    for path in app_dirs.rglob("*"):
        if path.is_file():
            assert key not in path.read_text(errors="replace"), path
    # and the session key works: switch to the profile
    ui.accounts.service.switch_profile("Production")
    qtbot.waitUntil(lambda: ui.ctx.connection.profile == "Production", timeout=WAIT)


def test_switching_profile_reloads_every_tab_and_closes_the_old_client(
    ui: SimpleNamespace, qtbot: Any
) -> None:
    window = ui.window
    window.load_all()
    qtbot.waitUntil(lambda: window.products_tab.model.rowCount() > 0, timeout=WAIT)
    old_client = ui.ctx.client
    dialog = open_dialog(ui, qtbot)
    fill_new_profile(dialog, "Production", ui.sandbox.base_url, ui.sandbox.demo_api_key, "demo")
    save(dialog, qtbot)
    assert dialog.use_button.isEnabled()
    loaded = [window.products_tab.sig_loaded, window.pricing_tab.sig_loaded]
    with qtbot.waitSignals(loaded, timeout=WAIT):
        dialog.use_button.click()
    qtbot.waitUntil(lambda: old_client._http.is_closed, timeout=WAIT)
    assert ui.ctx.connection.profile == "Production"
    assert not ui.ctx.connection.is_sandbox
    assert ui.ctx.connection.account_id == "demo"
    assert not window.sandbox_badge.isVisible()
    server = window.status_widgets.connection_label
    assert not server.isHidden() and server.full_text() == ui.sandbox.base_url
    assert ui.accounts.service.settings.active_profile == "Production"
    assert ui.accounts.profile_combo is not None
    assert ui.accounts.profile_combo.currentText() == "Production"
    # Its name is never squeezed off by a long status message next to it.
    switcher = ui.accounts.profile_combo
    assert switcher.minimumWidth() >= switcher.sizeHint().width() > 0
    assert "Production" in window.windowTitle()
    # and back through the status-bar switcher: the sandbox server is reused
    combo = ui.accounts.profile_combo
    with qtbot.waitSignal(window.products_tab.sig_loaded, timeout=WAIT):
        combo.setCurrentIndex(combo.findText(SANDBOX_PROFILE_NAME))
        combo.activated.emit(combo.currentIndex())
    assert ui.ctx.connection.is_sandbox
    assert ui.ctx.connection.sandbox is ui.sandbox


def test_menus_and_preferences(ui: SimpleNamespace, qtbot: Any) -> None:
    window = ui.window
    assert ui.accounts.settings_action.shortcut().toString() == "Ctrl+,"
    assert ui.accounts.settings_action in window.file_menu.actions()
    assert ui.accounts.open_log_action in window.help_menu.actions()
    ui.accounts.settings_action.trigger()
    dialog = ui.accounts.settings_dialog
    assert dialog is not None and dialog.isVisible()
    dialog.refresh_spin.setValue(15)
    dialog.page_combo.setCurrentIndex(dialog.page_combo.findData(100))
    dialog.notify_check.setChecked(False)
    settings = ui.accounts.service.store.load()
    assert settings.auto_refresh_minutes == 15
    assert settings.orders_per_page == 100
    assert settings.notify_status_changes is False
    dialog.refresh_spin.setValue(0)
    assert dialog.refresh_spin.text() == "Off"
    limit = dialog.preferences.time_limit_spin
    assert (limit.minimum(), limit.maximum(), limit.value()) == (5, 300, 20)
    limit.setValue(45)
    assert ui.accounts.service.store.load().request_time_limit_seconds == 45
    assert ui.ctx.client.time_limit == 45.0  # the next call uses it, no reconnect


def test_screenshot_settings_dialog(ui: SimpleNamespace, qtbot: Any, tmp_path: Path) -> None:
    dialog = open_dialog(ui, qtbot)
    dialog.set_welcome(True)
    fill_new_profile(dialog, "Production", ui.sandbox.base_url, ui.sandbox.demo_api_key, "acc_4711")
    save(dialog, qtbot)
    with qtbot.waitSignal(dialog.sig_key_loaded, timeout=WAIT):
        dialog.select_profile("Production")
    with qtbot.waitSignal(dialog.sig_tested, timeout=WAIT):
        dialog.test_button.click()
    dialog.set_welcome(False)
    dialog.resize(900, 640)
    qtbot.wait(50)  # let the layout settle before grabbing (not an assertion wait)
    shots = Path(SCREENSHOTS_ENV) if SCREENSHOTS_ENV else tmp_path
    shots.mkdir(parents=True, exist_ok=True)
    assert dialog.grab().save(str(shots / "settings.png"))


def test_theme_setting_applies_at_once_and_is_saved(ui: SimpleNamespace, qtbot: Any) -> None:
    from PySide6.QtWidgets import QApplication

    from nfctagify_desktop.ui import theme
    from nfctagify_desktop.ui.appearance import install_appearance, theme_follower

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    appearance = install_appearance(app, "system")
    ui.accounts.service.sig_settings_changed.connect(theme_follower(app, "system"))
    dialog = open_dialog(ui, qtbot)
    combo = dialog.preferences.theme_combo
    assert combo.currentData() == "system"
    try:
        with qtbot.waitSignal(appearance.sig_changed, timeout=WAIT):
            combo.setCurrentIndex(combo.findData("dark"))
        assert theme.is_dark()
        assert ui.accounts.service.store.load().theme == "dark"
        # Other preferences saved later keep the chosen theme.
        dialog.notify_check.setChecked(not dialog.notify_check.isChecked())
        assert theme.is_dark()
        combo.setCurrentIndex(combo.findData("light"))
        assert not theme.is_dark()
        assert ui.accounts.service.store.load().theme == "light"
    finally:
        appearance.apply("system")


def test_preferences_take_their_words_from_the_settings_model(
    ui: SimpleNamespace, qtbot: Any
) -> None:
    from PySide6.QtWidgets import QLabel

    from nfctagify_desktop.store.settings import Settings

    dialog = open_dialog(ui, qtbot)
    box = dialog.preferences
    model = Settings.model_fields
    assert box.page_combo.toolTip() == model["orders_per_page"].description
    assert box.refresh_spin.toolTip() == model["auto_refresh_minutes"].description
    assert box.notify_check.text().replace("&", "") == model["notify_status_changes"].title
    captions = {label.buddy(): label.text().replace("&", "") for label in box.findChildren(QLabel)}
    assert captions[box.refresh_spin] == f"{model['auto_refresh_minutes'].title}:"
    assert captions[box.theme_combo] == f"{model['theme'].title}:"


def test_a_key_typed_in_the_account_id_field_is_never_saved(
    ui: SimpleNamespace, qtbot: Any, app_dirs: Path
) -> None:
    """One Tab too many puts the key in "Partner account ID", which goes to settings.json."""
    dialog = open_dialog(ui, qtbot)
    key = ui.sandbox.demo_api_key
    fill_new_profile(dialog, "Production", "https://api.example.com", "", account_id=key)
    dialog.save_button.click()
    assert dialog.save_result.isVisible()
    assert "looks like an API key" in dialog.save_result.text()
    assert "Production" not in {p.name for p in ui.accounts.service.settings.profiles}
    for path in app_dirs.rglob("*.json"):
        assert key not in path.read_text(encoding="utf-8")
    # A real account id is kept as typed.
    dialog.account_edit.setText("acc_123")
    with qtbot.waitSignal(dialog.sig_saved, timeout=WAIT):
        dialog.save_button.click()
    assert ui.accounts.service.settings.profile("Production").account_id == "acc_123"
