"""Regenerate docs/screenshots: DISPLAY=:99 NFCTAGIFY_HOME=$(mktemp -d) .venv/bin/python docs/make_screenshots.py [--out docs/screenshots].

Then the variants, each in its own process (the scale is fixed when Qt starts): Orders, Pricing
and the order form in the dark theme (*-dark.png), the main window at 1024×640 and at 200 %.
One combination: --theme dark|light, --size WxH, --only NAMES, --suffix TEXT, QT_SCALE_FACTOR=2.
"""  # noqa: E501

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication, QWidget

    from nfctagify_desktop.sandbox.server import SandboxServer
    from nfctagify_desktop.ui.account_controller import AccountController
    from nfctagify_desktop.ui.main_window import MainWindow

sys.path.insert(0, str(Path(__file__).resolve().parent))
log = logging.getLogger("nfctagify.screenshots")
WAIT = 20.0  # seconds for any one step against the local sandbox
SHOTS = (
    "main",
    "products",
    "pricing",
    "orders",
    "overview",
    "support",
    "order-form",
    "order-placed",
    "outbox",
)
SHOTS += ("bulk", "settings", "dashboard", "accounts")


async def settle(rounds: int = 6) -> None:
    """Let layouts, repaints and queued callbacks run before a grab.

    Only by awaiting: the loop is Qt's, so it handles them meanwhile. ``processEvents()`` here
    would run other tasks' steps inside this one, which asyncio refuses ("Cannot enter into
    task"): the refused step is lost, and the request it belonged to never ends.
    """
    for _ in range(rounds):
        await asyncio.sleep(0.05)


async def wait_until(what: str, predicate: Callable[[], object], limit: float = WAIT) -> None:
    deadline = time.monotonic() + limit
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)


async def wait_signal(what: str, signal: Any, action: Callable[[], object]) -> tuple[Any, ...]:
    """Connect to ``signal``, run ``action``, return the signal's arguments."""
    future: asyncio.Future[tuple[Any, ...]] = asyncio.get_running_loop().create_future()

    def fired(*args: Any) -> None:
        if not future.done():
            future.set_result(args)

    signal.connect(fired)
    try:
        action()
        return await asyncio.wait_for(future, WAIT)
    except TimeoutError:
        raise TimeoutError(f"timed out waiting for {what}") from None
    finally:
        signal.disconnect(fired)


def save(widget: QWidget, path: Path) -> None:
    if not widget.grab().save(str(path)):
        raise OSError(f"could not write {path}")
    log.info("wrote %s", path)


async def overview_shot(window: MainWindow, server: SandboxServer, out: Path) -> None:
    """Orders tab after a second sync that saw pending orders move on: rows highlighted."""
    window.tabs.setCurrentIndex(window.tabs.indexOf(window.orders_tab))
    sync = window.services.order_sync  # app._screenshots has already synced once
    if sync.last_report is None:
        await wait_signal("the first orders sync", sync.sig_synced, sync.sync_now)
    server.clock.advance(11 * 60)  # pending -> processing after 10 minutes
    (result,) = await wait_signal("the second orders sync", sync.sig_synced, sync.sync_now)
    if not result.changes:
        raise RuntimeError("the second sync saw no status change to highlight")
    # The "N orders changed status" note is too long for the status bar next to the
    # connection label (cut mid-word); the strip and the highlighted rows show the change.
    window.statusBar().clearMessage()
    await settle()
    save(window, out / "orders-overview.png")


async def order_form_shot(window: MainWindow, out: Path) -> None:
    form = window.order_forms.open(None)
    try:
        await wait_until("the products", lambda: window.services.ordering.products_loaded)
        # The standard price beside the custom one comes from /pricing, loaded just after.
        await wait_until("the prices", lambda: bool(window.services.ordering.prices))
        await wait_until(
            "the product list", lambda: form.product_combo.findData("prod_premium_metal") >= 0
        )
        form.product_combo.setCurrentIndex(form.product_combo.findData("prod_premium_metal"))
        form.quantity_edit.setText("25")
        for edit, text in (
            (form.reference_edit, "PO-2231"),
            (form.name_edit, "Jane Smith"),
            (form.line1_edit, "12 Example Street"),
            (form.line2_edit, ""),
            (form.city_edit, "London"),
            (form.postcode_edit, "EC1A XYZ"),
        ):
            edit.setText(text)
        form.country_combo.setCurrentIndex(form.country_combo.findData("GB"))
        form._edited()
        problems = form.validate()
        if [k.rsplit(".", 1)[-1] for k in problems] != ["postcode"]:
            raise RuntimeError(f"expected only a postcode error, got {problems}")
        form.show_errors(problems)
        form.adjustSize()
        await settle()
        save(form, out / f"order-form{SUFFIX[0]}.png")
    finally:
        form.hide()  # not close(): that would ask about the draft


async def order_placed_shot(window: MainWindow, out: Path) -> None:
    """A US order placed: the confirmation that stays, with the id to copy."""
    form = window.order_forms.open(None)
    try:
        await wait_until(
            "the product list", lambda: form.product_combo.findData("prod_standard") >= 0
        )
        form.product_combo.setCurrentIndex(form.product_combo.findData("prod_standard"))
        form.quantity_edit.setText("50")
        form.country_combo.setCurrentIndex(form.country_combo.findData("US"))
        for edit, text in (
            (form.reference_edit, "PO-2232"),
            (form.name_edit, "Ann Lee"),
            (form.line1_edit, "1 Market St"),
            (form.city_edit, "San Francisco"),
            (form.postcode_edit, "94105"),
        ):
            edit.setText(text)
        form.region_combo.setCurrentIndex(form.region_combo.findData("CA"))
        form._edited()
        if not form.review():
            raise RuntimeError(f"the US order does not pass: {form.field_errors}")
        form.place_order()
        await wait_until("the order", lambda: form.pages.currentIndex() == form.PLACED_PAGE)
        form.adjustSize()
        await settle()
        save(form, out / f"order-placed{SUFFIX[0]}.png")
    finally:
        form.hide()


async def outbox_shot(window: MainWindow, server: SandboxServer, out: Path) -> None:
    """The Outbox tab with a draft being typed and one the API refused (a real 400)."""
    from nfctagify_desktop.ordering.validation import OrderFields

    service = window.services.ordering
    typed = OrderFields(
        product_id="prod_standard",
        quantity="100",
        customer_reference="PO-2240",
        name="Sam Patel",
        address_line1="3 Canal Street",
        city="Manchester",
        postcode="M1 3HE",
        country="GB",
    )
    service.save(service.new_draft(typed))
    refused = service.save(
        service.new_draft(
            typed.model_copy(
                update={
                    "customer_reference": "PO-2241",
                    "name": "Ella Brooks",
                    "address_line1": "8 Harbour Road",
                    "city": "Bristol",
                    "postcode": "BS1 5TT",
                }
            )
        )
    )
    server.faults.fail_next(
        400,
        "VALIDATION_ERROR",
        message="shipping.postcode is not deliverable",
        method="POST",
        path_prefix="/api/partner/orders",
    )
    await service.submit(refused.id)
    server.faults.clear()
    service.sig_drafts_changed.emit()
    outbox = next(
        (
            window.tabs.widget(i)
            for i in range(window.tabs.count())
            if window.tabs.tabText(i).replace("&", "").startswith("Outbox")
        ),
        None,
    )
    if outbox is None:
        raise RuntimeError("no Outbox tab")
    window.tabs.setCurrentWidget(outbox)
    window.statusBar().clearMessage()
    await settle()
    save(window, out / "outbox.png")


async def settings_shot(accounts: AccountController, out: Path) -> None:
    dialog = accounts.open_settings()
    try:
        await wait_until("the Settings dialog", dialog.isVisible)
        dialog.add_profile()
        dialog.name_edit.setText("Production")
        dialog.url_edit.setText("https://api.example-partner.test")
        dialog.account_edit.setText("acc_4711")
        dialog.key_field.setText("ntk_live_" + "7Qh2c9XkLmP4rT8vW1yZ3nB6")  # made up, masked
        # Under Xvfb there is no OS keyring: the dialog says so, the key is kept in memory.
        if not accounts.service.keyring_available():
            dialog.session_check.setChecked(True)
        await wait_signal("the profile to save", dialog.sig_saved, dialog.save_button.click)
        await wait_signal(
            "the key to load", dialog.sig_key_loaded, lambda: dialog.select_profile("Production")
        )
        dialog.resize(900, 640)
        await settle()
        save(dialog, out / "settings.png")
    finally:
        dialog.close()


async def support_shot(
    window: MainWindow, accounts: AccountController, server: SandboxServer, out: Path
) -> None:
    from PySide6.QtGui import QPainter, QPixmap

    tab = window.products_tab
    window.tabs.setCurrentIndex(window.tabs.indexOf(tab))
    window.resize(1000, 560)
    window.statusBar().clearMessage()  # the orders note from the overview shot is stale here
    server.faults.fail_next(
        500,
        "INTERNAL_ERROR",
        message="Something broke on our side",
        count=10,  # the client retries a 500: every attempt fails
        path_prefix="/api/partner/products",
    )
    tab.refresh()
    await wait_until("the error banner", tab.banner.isVisible)
    await wait_until("the retries to finish", lambda: "HTTP 500" in tab.banner.text)
    server.faults.clear()  # unused failures would hit the order form's product list next
    dialog = accounts.show_support_details()
    try:
        dialog.resize(620, 420)
        await settle()
        shot = window.grab()
        panel = dialog.grab()
        canvas = QPixmap(shot.width(), shot.height() + panel.height() + 12)
        canvas.fill(window.palette().window().color())
        painter = QPainter(canvas)
        painter.drawPixmap(0, 0, shot)
        painter.drawPixmap((shot.width() - panel.width()) // 2, shot.height() + 12, panel)
        painter.end()
        path = out / "support-details.png"
        if not canvas.save(str(path)):
            raise OSError(f"could not write {path}")
        log.info("wrote %s", path)
    finally:
        dialog.close()


#: File name suffix of this run's variant (e.g. "-dark"), set from --suffix.
SUFFIX = [""]


async def shoot(app: QApplication, out: Path, only: set[str], size: str | None = None) -> int:
    from account_screenshots import account_shots  # beside this file
    from bulk_screenshots import bulk_shots
    from dashboard_screenshots import dashboard_shots
    from screenshot_variants import main_shot

    from nfctagify_desktop import app as app_module
    from nfctagify_desktop.services.connection import connect, start_sandbox
    from nfctagify_desktop.services.container import build_services
    from nfctagify_desktop.store.settings import sandbox_profile
    from nfctagify_desktop.ui import window_checks
    from nfctagify_desktop.ui.account_controller import AccountController
    from nfctagify_desktop.ui.main_window import MainWindow

    # As app.py: blocking work on Python threads, not qasync's QThreadExecutor.
    asyncio.get_running_loop().set_default_executor(
        ThreadPoolExecutor(max_workers=4, thread_name_prefix="screenshots-io")
    )
    with tempfile.TemporaryDirectory(prefix="nfctagify-shots-") as tmpdir:
        tmp = Path(tmpdir)
        server = await start_sandbox(tmp / "sandbox.sqlite3")
        connection = await connect(sandbox_profile(), sandbox=server)
        services = build_services(connection)
        window = MainWindow(services)
        accounts = AccountController(services.accounts, window)
        app_module._apply_preferences(window, services.settings.settings)
        window.show()
        window.load_all()
        rc = 0
        try:
            await app_module._wait_loaded(window)
            # As app.py --screenshots: one orders sync (the strip's counts), then each tab.
            tabs = [n for n in ("products", "pricing", "orders") if n in only]
            await window_checks.screenshots(window, out, tabs, suffix=SUFFIX[0])
            if "main" in only:
                await main_shot(window, out / f"main{SUFFIX[0]}.png", size)
            if "overview" in only:
                await overview_shot(window, server, out)
            # Before the order form: its autosaved draft would show as "Outbox (1)" here.
            if "support" in only:
                await support_shot(window, accounts, server, out)
            if "order-form" in only:
                await order_form_shot(window, out)
            if "order-placed" in only:
                await order_placed_shot(window, out)
            if "outbox" in only:
                await outbox_shot(window, server, out)
            if "bulk" in only:
                await bulk_shots(
                    window, server, tmp, out,
                    settle=settle, wait_signal=wait_signal, wait_until=wait_until, save=save,
                )  # fmt: skip
            if "settings" in only:
                await settings_shot(accounts, out)
            if "dashboard" in only:  # last: it moves the sandbox clock by a day
                await dashboard_shots(
                    window, server, out, settle=settle, wait_signal=wait_signal, save=save
                )
            if "accounts" in only:  # very last: it leaves the window on another account
                await account_shots(window, out, settle=settle, wait_until=wait_until, save=save)
        except Exception:
            log.exception("screenshots failed")
            rc = 1
        finally:
            window.close()
            await settle(2)
            await app_module.shutdown(services)  # stops the sandbox too
        app.processEvents()
    return rc


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "screenshots")
    parser.add_argument("--theme", choices=("system", "light", "dark"), default="light")
    parser.add_argument("--size", help="main window size for the 'main' shot, e.g. 1024x640")
    parser.add_argument("--only", help=f"comma-separated shots (default: all): {','.join(SHOTS)}")
    parser.add_argument("--suffix", default="", help="added to every file name, e.g. -dark")
    args = parser.parse_args(argv)
    SUFFIX[0] = args.suffix
    if not os.environ.get("NFCTAGIFY_HOME"):
        parser.error("set NFCTAGIFY_HOME to an empty temp folder (keeps your settings untouched)")
    if not os.environ.get("DISPLAY"):
        parser.error("set DISPLAY to an X server (e.g. Xvfb :99)")
    os.environ.setdefault("QT_API", "pyside6")  # qasync would otherwise prefer PyQt
    os.environ.pop("NFCTAGIFY_BASE_URL", None)
    os.environ.pop("NFCTAGIFY_API_KEY", None)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")

    import qasync
    from PySide6.QtWidgets import QApplication

    from nfctagify_desktop import APP_NAME, __version__

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName("NFC Tagify")
    app.setApplicationVersion(__version__)
    app.setQuitOnLastWindowClosed(False)
    from screenshot_variants import run_variants  # beside this file

    from nfctagify_desktop.ui.appearance import install_appearance

    install_appearance(app, args.theme)
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    only = set(args.only.split(",")) if args.only else set(SHOTS) - {"main"}
    with asyncio.Runner(loop_factory=qasync.QEventLoop) as runner:
        rc = runner.run(shoot(app, out, only, args.size))
    if rc or args.only:
        return rc
    return run_variants(__file__, out)  # dark, 1024×640, 200 %: each in a fresh process


if __name__ == "__main__":
    sys.exit(main())
