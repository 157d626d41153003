"""Native notifications of status changes: through the OS backend, clickable, with fallbacks."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from nfctagify_desktop.api.models import OrderStatus
from nfctagify_desktop.services.native_notifications import DesktopNotifierBackend

WAIT = 10_000


class FakeNotifications:
    """Records what the OS would have shown; ``accept`` False plays a refusing OS."""

    def __init__(self, accept: bool = True) -> None:
        self.accept = accept
        self.sent: list[tuple[str, str, Callable[[], None]]] = []

    async def show(self, title: str, body: str, on_clicked: Callable[[], None]) -> bool:
        self.sent.append((title, body, on_clicked))
        return self.accept


@pytest.fixture
def fake() -> FakeNotifications:
    return FakeNotifications()


@pytest.fixture
def window(
    qtbot: Any, aloop: Any, arun: Any, sandbox_connection: Any, fake: FakeNotifications
) -> Iterator[Any]:
    from nfctagify_desktop.services.container import build_services
    from nfctagify_desktop.ui.main_window import MainWindow

    services = build_services(sandbox_connection, notifications=fake)
    win = MainWindow(services)
    qtbot.addWidget(win)
    win.show()
    yield win
    arun(services.aclose())


def advance_until_changed(window: Any, qtbot: Any, sandbox: Any) -> set[str]:
    """Sync once, move the sandbox clock past pending -> processing, sync again."""
    sync = window.services.order_sync
    with qtbot.waitSignal(sync.sig_synced, timeout=WAIT):
        sync.sync_now()
    statuses = sync.mirror.open_statuses()
    pending = {i for i, status in statuses.items() if status == OrderStatus.PENDING.value}
    assert pending, "the demo data has orders a few minutes old"
    sandbox.clock.advance(11 * 60)
    with qtbot.waitSignal(window.notifier.sig_notified, timeout=WAIT):
        sync.sync_now()
    return pending


def test_a_status_change_goes_to_the_os_and_a_click_opens_the_order(
    window: Any, qtbot: Any, sandbox: Any, fake: FakeNotifications
) -> None:
    pending = advance_until_changed(window, qtbot, sandbox)
    [(title, body, on_clicked)] = fake.sent
    assert "changed status" in title
    named = [order_id for order_id in pending if order_id in body]
    assert named, body
    assert "is now Processing" in body
    # The OS took it: the status bar does not repeat it.
    assert "is now Processing" not in window.statusBar().currentMessage()

    window.tabs.setCurrentIndex(0)
    tab = window.orders_tab
    with qtbot.waitSignal(tab.sig_detail_loaded, timeout=WAIT) as shown:
        on_clicked()
    assert window.tabs.currentWidget() is tab
    assert shown.args[0].order_id in pending
    assert tab.detail.title.text() == shown.args[0].order_id


def test_a_refusing_os_falls_back_to_the_status_bar(
    window: Any, qtbot: Any, sandbox: Any, fake: FakeNotifications
) -> None:
    fake.accept = False
    advance_until_changed(window, qtbot, sandbox)
    assert len(fake.sent) == 1
    assert "is now Processing" in window.statusBar().currentMessage()


def test_the_setting_turns_notifications_off(
    window: Any, qtbot: Any, sandbox: Any, fake: FakeNotifications
) -> None:
    window.notifier.set_enabled(False)
    sync = window.services.order_sync
    with qtbot.waitSignal(sync.sig_synced, timeout=WAIT):
        sync.sync_now()
    sandbox.clock.advance(11 * 60)
    with qtbot.waitSignal(sync.sig_synced, timeout=WAIT) as synced:
        sync.sync_now()
    assert synced.args[0].changes, "statuses did change"
    assert fake.sent == []


def test_desktop_notifier_without_a_session_bus_reports_refusal(
    arun: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The real library on a machine with no D-Bus: refused, and not tried again."""
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")
    backend = DesktopNotifierBackend("NFC Tagify test")
    assert arun(backend.show("t", "b", lambda: None)) is False
    assert backend.available is False
    assert arun(backend.show("t", "b", lambda: None)) is False
