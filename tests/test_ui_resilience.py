"""The window when the server misbehaves: a stalling server (waiting notice, Cancel, the total
time limit, a responsive window), a killed sandbox child (restarted, the next refresh works),
and a server that echoes the API key in its errors and headers (shown, stored, logged nowhere).
"""

from __future__ import annotations

import json
import logging
import os
import signal
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import quote

import pytest
from PySide6.QtCore import QTimer

from nfctagify_desktop.api import ApiError
from nfctagify_desktop.log import setup_logging, teardown_logging
from nfctagify_desktop.ordering.outbox import Draft, DraftState, Outbox
from nfctagify_desktop.redaction import unregister_all_secrets
from nfctagify_desktop.sandbox.process import SandboxProcess
from nfctagify_desktop.sandbox.server import SandboxServer
from nfctagify_desktop.services.connection import connect
from nfctagify_desktop.services.container import build_services
from nfctagify_desktop.services.link import WAITING_TEXT, LinkState
from nfctagify_desktop.services.sandbox_watch import RESTARTED_MESSAGE
from nfctagify_desktop.store.secrets import KeyStore
from nfctagify_desktop.store.settings import Profile, sandbox_profile
from nfctagify_desktop.ui.account_controller import AccountController
from nfctagify_desktop.ui.main_window import MainWindow
from tests.fault_servers import EchoKeyServer, StallingServer, running
from tests.test_ui_outbox import fields
from tests.widget_text import all_visible_text

WAIT = 15_000
Run = Callable[..., Any]


def build(conn: Any, tmp_path: Path) -> SimpleNamespace:
    services = build_services(conn, outbox=Outbox(tmp_path / "outbox.sqlite3"))
    window = MainWindow(services)
    accounts = AccountController(services.accounts, window)
    window.show()
    return SimpleNamespace(services=services, window=window, accounts=accounts, ctx=services.ctx)


def teardown(ui: SimpleNamespace, arun: Run) -> None:
    for form in ui.window.order_forms.forms:
        form.hide()
    arun(ui.services.aclose())  # tasks first, then every file the services hold
    arun(ui.accounts.aclose())
    arun(ui.ctx.connection.client.aclose())
    ui.window.close()
    ui.window.deleteLater()


@pytest.fixture
def ui(sandbox: SandboxServer, tmp_path: Path, arun: Run) -> Iterator[SimpleNamespace]:
    ns = build(arun(connect(sandbox_profile(), sandbox=sandbox)), tmp_path)
    yield ns
    teardown(ns, arun)


def saved_draft(ui: SimpleNamespace, reference: str) -> Draft:
    """An order for the account in use, saved in its Outbox (not sent)."""
    ordering = ui.services.ordering
    return ordering.save(ordering.new_draft(fields(customer_reference=reference)))


def add_profile(ui: SimpleNamespace, name: str, url: str, key: str) -> None:
    ui.services.settings.add_profile(Profile(name=name, base_url=url, kind="account"))
    KeyStore().set(name, key)


# -- a server that stops answering ---------------------------------------------------------------


def test_a_stalling_server_is_visible_cancellable_and_bounded(
    ui: SimpleNamespace, qtbot: Any, arun: Run
) -> None:
    w, link = ui.window, ui.ctx.link
    ui.services.settings.update(request_time_limit_seconds=5)
    with running(StallingServer()) as server:
        add_profile(ui, "Stalled", server.base_url, "ntk_live_stalled_0001")
        assert arun(ui.services.accounts.aswitch_profile("Stalled"))
        with qtbot.waitSignal(link.sig_waiting_changed, timeout=WAIT) as shown:
            pass  # the switch reloads every tab; nothing answers
        assert shown.args == [True]
        indicator = w.link_indicator
        assert indicator.waiting_label.isVisibleTo(w)
        assert indicator.waiting_label.text() == WAITING_TEXT
        assert indicator.cancel_button.isVisibleTo(w)
        assert link.view.state is LinkState.CONNECTING  # never "Connected" while waiting

        # Responsive while waiting: timers fire, tabs switch, the filter takes typing.
        ticked: list[bool] = []
        QTimer.singleShot(0, lambda: ticked.append(True))
        qtbot.waitUntil(lambda: ticked == [True], timeout=WAIT)
        w.tabs.setCurrentWidget(w.pricing_tab)
        qtbot.keyClicks(w.pricing_tab.filter_edit, "std")
        assert w.pricing_tab.filter_edit.text() == "std"

        # Cancel ends every waiting call at once, and says so.
        with qtbot.waitSignal(link.sig_waiting_changed, timeout=WAIT) as hidden:
            indicator.cancel_button.click()
        assert hidden.args == [False]
        qtbot.waitUntil(lambda: not ui.ctx.tasks.is_running("products"), timeout=WAIT)
        assert w.products_tab.banner.text.startswith("Cancelled")
        assert not indicator.cancel_button.isVisibleTo(w)

        # Left alone, the time limit ends it with a clear message.
        w.products_tab.refresh()
        qtbot.waitUntil(lambda: link.waiting, timeout=WAIT)
        # The task ends first, then its failure callback writes the banner: wait for the text.
        qtbot.waitUntil(
            lambda: (
                "No complete answer from the Partner API within 5 s" in w.products_tab.banner.text
            ),
            timeout=WAIT,
        )
        assert not ui.ctx.tasks.is_running("products")
        qtbot.waitUntil(lambda: link.view.state is LinkState.NOT_CONNECTED, timeout=WAIT)
        assert indicator.state_label.text() == (
            "Not connected — No complete answer from the Partner API within 5 s"
        )
        server.release()


# -- the sandbox child dies ------------------------------------------------------------------------


@pytest.fixture
def child_ui(tmp_path: Path, arun: Run) -> Iterator[tuple[SimpleNamespace, SandboxProcess]]:
    process = SandboxProcess(tmp_path / "sandbox.sqlite3", log_path=tmp_path / "sandbox.log")
    process.wait_ready()
    ns = build(arun(connect(sandbox_profile(), sandbox=process)), tmp_path)
    yield ns, process
    teardown(ns, arun)
    process.stop()


def test_a_killed_sandbox_child_is_restarted_and_the_next_refresh_works(
    child_ui: tuple[SimpleNamespace, SandboxProcess], qtbot: Any
) -> None:
    ui, process = child_ui
    tab = ui.window.products_tab
    with qtbot.waitSignal(tab.sig_loaded, timeout=WAIT) as first:
        tab.refresh()
    pid = process.pid
    os.kill(pid, signal.SIGKILL)
    watch = ui.services.sandbox_watch
    with qtbot.waitSignal(watch.sig_restarted, timeout=60_000):
        pass
    assert process.running and process.pid != pid
    assert RESTARTED_MESSAGE in ui.window.statusBar().currentMessage()
    with qtbot.waitSignal(tab.sig_loaded, timeout=WAIT) as again:
        tab.refresh()
    assert again.args == first.args
    assert ui.ctx.link.view.state is LinkState.CONNECTED


# -- a server that echoes the key ------------------------------------------------------------------

LEAKY_KEY = 'Zq9-leaky/"key"+with\\back&amp'


def key_forms(key: str) -> list[str]:
    return [key, json.dumps(key)[1:-1], repr(key)[1:-1], quote(key, safe=""), quote(key)]


def files_holding(root: Path, key: str) -> list[str]:
    found = []
    for path in root.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            if any(form.encode() in data for form in key_forms(key)):
                found.append(str(path))
    return found


def test_a_server_echoing_the_key_never_gets_it_shown_stored_or_logged(
    ui: SimpleNamespace, qtbot: Any, arun: Run, app_dirs: Path, tmp_path: Path
) -> None:
    unregister_all_secrets()  # nothing registered beforehand: the app must do it itself
    log_file = setup_logging(logging.DEBUG)
    try:
        with running(EchoKeyServer(500)) as echo:
            add_profile(ui, "Leaky", echo.base_url, LEAKY_KEY + "\r\n")  # a pasted CR/LF
            assert arun(ui.services.accounts.aswitch_profile("Leaky"))
            w = ui.window
            w.load_all()
            qtbot.waitUntil(lambda: w.products_tab.banner.isVisible(), timeout=WAIT)
            qtbot.waitUntil(lambda: ui.ctx.link.view.state is LinkState.NOT_CONNECTED, timeout=WAIT)
            qtbot.waitUntil(lambda: not ui.ctx.tasks.is_running("orders"), timeout=WAIT)
            assert "Invalid key" in w.products_tab.banner.text  # the echo did reach the app

            # An order sent to it: 500 with the key in the text -> kept, outcome unknown.
            ordering = ui.services.ordering
            draft = saved_draft(ui, "LEAK-1")
            done: list[Any] = []
            ordering.send(draft.id, done.append, done.append)
            qtbot.waitUntil(lambda: bool(done), timeout=30_000)
            stored = ordering.get(draft.id)
            assert stored is not None and stored.state is DraftState.UNKNOWN
            assert stored.last_error and "…redacted" in stored.last_error

            details = ui.accounts.show_support_details(ui.ctx.link.view.error)
            support = details.text_edit.toPlainText()
            assert "Invalid key" in support
            error = ui.ctx.link.view.error
            assert isinstance(error, ApiError), ui.ctx.link.view
            texts = [all_visible_text(), support, str(error), repr(error), str(error.args)]
            for text in texts:
                for form in key_forms(LEAKY_KEY):
                    assert form not in text, form
            # The outbox database (WAL included), settings, window state, log: no key.
            w.save_state()
            conn = sqlite3.connect(ui.services.outbox.path)
            dump = "\n".join(conn.iterdump())
            conn.close()
            assert all(form not in dump for form in key_forms(LEAKY_KEY))
            for handler in logging.getLogger().handlers:
                handler.flush()
            assert files_holding(app_dirs, LEAKY_KEY) == []
            assert files_holding(tmp_path, LEAKY_KEY) == []
            assert log_file.read_text(encoding="utf-8").count("500") > 0  # the log did log
    finally:
        teardown_logging()


def test_escape_stops_waiting_for_a_placement_and_keeps_the_draft_to_check(
    ui: SimpleNamespace, qtbot: Any, arun: Run
) -> None:
    from PySide6.QtCore import Qt

    with running(StallingServer()) as server:
        add_profile(ui, "Stalled", server.base_url, "ntk_live_stalled_0001")
        assert arun(ui.services.accounts.aswitch_profile("Stalled"))
        ordering = ui.services.ordering
        draft = saved_draft(ui, "STALL-1")
        form = ui.window.order_forms.open(draft)
        form.place_order()
        assert form.is_sending
        qtbot.waitUntil(server.accepted.is_set, timeout=WAIT)
        qtbot.keyClick(form, Qt.Key.Key_Escape)
        qtbot.waitUntil(lambda: not form.is_sending, timeout=WAIT)
        assert form.isVisible()  # it stays, to tell what happened
        assert "Sending was cancelled" in form.banner.text
        assert "Outcome unknown — will be checked" in form.banner.text
        kept = ordering.get(draft.id)
        assert kept is not None and kept.state is DraftState.UNKNOWN
        form.hide()
        server.release()
