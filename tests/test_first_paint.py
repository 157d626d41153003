"""Start-up paints the mirror's orders before the network stack loads (--exit-after-paint)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from nfctagify_desktop.store.account import SANDBOX_ORIGIN, AccountId
from nfctagify_desktop.store.mirror import open_mirror
from nfctagify_desktop.store.mirror.records import record_of
from nfctagify_desktop.store.startup import startup_account
from tests.test_store_mirror import make_order

ROOT = Path(__file__).resolve().parent.parent
SANDBOX = AccountId("Sandbox", SANDBOX_ORIGIN)
NETWORK_STACK = ("httpx", "pydantic", "qasync", "keyring", "fastapi", "uvicorn")

#: Runs the app's own main() in a fresh interpreter; when it exits (right after the paint,
#: through os._exit) it prints which of the network-stack packages had been imported.
PROBE = f"""
import os, sys
heavy = {NETWORK_STACK!r}
real_exit = os._exit
def report_and_exit(code):
    loaded = sorted({{m.split('.')[0] for m in sys.modules}} & set(heavy))
    print('LOADED', ','.join(loaded), flush=True)
    real_exit(code)
os._exit = report_and_exit
from nfctagify_desktop.app import main
main(['--exit-after-paint'])
"""


def mirror_orders(account: AccountId, n: int) -> None:
    with open_mirror(account.slug, account.key) as mirror:
        mirror.upsert(
            record_of(make_order(i, "pending" if i % 2 else "delivered")) for i in range(n)
        )


def run_probe(home: Path, script: str = PROBE, **env_vars: str) -> subprocess.CompletedProcess[str]:
    """Run ``script`` (the app's main, with a probe) in a fresh interpreter, offscreen."""
    env = {**os.environ, "NFCTAGIFY_HOME": str(home), "QT_QPA_PLATFORM": "offscreen", **env_vars}
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_first_paint_shows_saved_orders_without_the_network_stack(app_dirs: Path) -> None:
    mirror_orders(SANDBOX, 70)
    proc = run_probe(app_dirs)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "with 20 saved orders shown" in proc.stdout  # the tab's first page (20 a page)
    loaded = [line for line in proc.stdout.splitlines() if line.startswith("LOADED")]
    assert loaded == ["LOADED "], f"imported before the paint: {loaded}"


def test_first_paint_of_an_account_never_synced_is_empty_not_an_error(app_dirs: Path) -> None:
    proc = run_probe(app_dirs)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "with 0 saved orders shown" in proc.stdout
    assert not list((app_dirs / "data").glob("mirror/*.sqlite3"))  # nothing created


def test_startup_account_follows_the_settings_file(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    assert startup_account(settings_path=path) == SANDBOX  # no file: the sandbox
    path.write_text(
        '{"active_profile": "Shop", "profiles": [{"name": "Sandbox", "kind": "sandbox"},'
        ' {"name": "Shop", "kind": "account", "base_url": "https://api.example.com/"}]}',
        encoding="utf-8",
    )
    shop = startup_account(settings_path=path)
    assert shop == AccountId("Shop", "https://api.example.com")
    assert startup_account(settings_path=path, profile="Sandbox") == SANDBOX
    assert startup_account(sandbox=True, settings_path=path) == SANDBOX
    path.write_text("{not json", encoding="utf-8")
    assert startup_account(settings_path=path) is None  # unknown: nothing painted from a mirror


def test_first_paint_uses_the_saved_page_size_and_sort(tmp_path: Path) -> None:
    from nfctagify_desktop.store.startup import startup_orders_view

    path = tmp_path / "settings.json"
    assert startup_orders_view(path) == (20, "created_at", True)
    path.write_text('{"orders_per_page": 50, "orders_sort": "total:asc"}', encoding="utf-8")
    assert startup_orders_view(path) == (50, "total", False)
    path.write_text('{"orders_per_page": 5000, "orders_sort": "data:desc"}', encoding="utf-8")
    assert startup_orders_view(path) == (20, "created_at", True)


def test_window_painted_first_then_attached(
    qtbot: Any, aloop: Any, arun: Any, sandbox_connection: Any, app_dirs: Path
) -> None:
    from nfctagify_desktop.services.container import build_services
    from nfctagify_desktop.ui.first_paint import FirstPaintOrders
    from nfctagify_desktop.ui.main_window import MainWindow

    mirror_orders(SANDBOX, 12)
    first = FirstPaintOrders(SANDBOX)
    window = MainWindow(first_paint=first)
    qtbot.addWidget(window)
    with qtbot.waitSignal(first.sig_painted, timeout=10_000):
        window.show()
    assert window.tabs.currentWidget() is first
    assert first.rows_shown == 12
    assert [window.tabs.tabText(i) for i in range(4)] == [
        "&Products",
        "P&ricing",
        "&Orders",
        "Outbo&x",
    ]
    services = build_services(sandbox_connection)
    try:
        window.attach(services)
        assert window.attached
        assert window.tabs.indexOf(window.orders_tab) == 2
        assert window.tabs.count() == 4 and window.tabs.indexOf(window.outbox_tab) == 3
        # Nothing saved yet: the section the first paint showed stays open (no jump).
        assert window.tabs.currentWidget() is window.orders_tab
    finally:
        window.close()
        arun(services.aclose())
