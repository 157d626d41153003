"""Start-up: logging, QApplication, the first paint, then the qasync loop and the services.

The window is painted first, with the last known orders from the account's local mirror,
before httpx, pydantic, qasync, keyring or the sandbox are imported (``FirstPaintOrders``);
they load right after it. Tasks are created inside ``run_app``, where the loop is running
(qasync sets the running loop only once it runs: ``create_task`` before that raises); the loop
is started with ``asyncio.Runner(loop_factory=QEventLoop)``, which works on 3.11 as on 3.12+.
"""

from __future__ import annotations

import argparse
import gc
import logging
import os
import sys
import time
from typing import TYPE_CHECKING

from nfctagify_desktop import APP_NAME
from nfctagify_desktop.app_args import RUN_SANDBOX_ARG, parse_args, refused_arguments
from nfctagify_desktop.self_test import report, where_things_are

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from nfctagify_desktop.services.connection import Connection, SandboxHandle
    from nfctagify_desktop.services.container import Services
    from nfctagify_desktop.services.context import AppContext
    from nfctagify_desktop.services.native_notifications import NativeNotifications
    from nfctagify_desktop.store.account import AccountId
    from nfctagify_desktop.store.settings import Settings
    from nfctagify_desktop.ui.main_window import MainWindow

log = logging.getLogger("nfctagify.app")
_T0 = time.perf_counter()


async def _wait_loaded(window: MainWindow, limit: float = 30.0) -> float:
    """Until every tab and one order's detail have loaded; ms since the process started."""
    from nfctagify_desktop.ui.window_checks import wait_loaded

    return await wait_loaded(window, _T0, limit)


async def _resolve_connection(args: argparse.Namespace) -> tuple[Connection, str | None]:
    """The connection to open, and the profile whose key must be asked for first (if any).

    A profile without a usable key opens on the Sandbox and returns that profile's name: the
    account controller then asks for the key (non-modal) and switches once it is saved.
    """
    from nfctagify_desktop.services.connection import MissingApiKeyError, connect
    from nfctagify_desktop.store.secrets import KeyringUnavailableError
    from nfctagify_desktop.store.settings import Profile, SettingsStore, sandbox_profile

    settings = SettingsStore().load()
    limit = settings.request_time_limit_seconds
    if args.sandbox or args.self_test or args.screenshots:
        sandbox = _sandbox_child(args)
        return await connect(sandbox_profile(), sandbox=sandbox, time_limit=limit), None
    if args.base_url:
        profile = Profile(name="Command line", base_url=args.base_url, kind="account")
    elif args.profile:
        profile = settings.profile(args.profile)
    else:
        profile = settings.active()
    if profile.is_sandbox:
        return await connect(profile, sandbox=_sandbox_child(args), time_limit=limit), None
    try:
        return await connect(profile, time_limit=limit), None
    except (MissingApiKeyError, KeyringUnavailableError):
        if profile.name not in {p.name for p in settings.profiles}:
            raise  # --base-url with no NFCTAGIFY_API_KEY: nothing to ask the key for
        return await connect(sandbox_profile()), profile.name


def _apply_preferences(window: MainWindow, settings: Settings) -> None:
    """Settings the user changes take effect at once: refresh interval, notifications."""
    window.services.order_sync.set_interval_minutes(settings.auto_refresh_minutes)
    window.notifier.set_enabled(settings.notify_status_changes)


async def run_app(app: QApplication, args: argparse.Namespace, window: MainWindow) -> int:
    """Connect, build the services and attach them to the window painted at start-up."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from nfctagify_desktop.exit_guard import bound_teardown
    from nfctagify_desktop.services.container import build_services
    from nfctagify_desktop.store.settings import SettingsStore
    from nfctagify_desktop.ui import window_checks
    from nfctagify_desktop.ui.account_controller import AccountController
    from nfctagify_desktop.ui.appearance import install_appearance, theme_follower
    from nfctagify_desktop.ui.window_hooks import close_on_signals, install_excepthook

    # Blocking work (sandbox start/stop, keyring) goes to plain Python threads: qasync's
    # default QThreadExecutor aborts the process at exit if the loop is not closed first.
    asyncio.get_running_loop().set_default_executor(
        ThreadPoolExecutor(max_workers=4, thread_name_prefix="nfctagify-io")
    )
    try:
        settings = SettingsStore()
        first_run = not settings.path.exists()
        connection, key_for = await _resolve_connection(args)
    except Exception as exc:  # a bad profile or URL: say so, never a traceback
        log.exception("could not open a connection")
        print(f"error: could not connect: {exc}", file=sys.stderr)
        window.close()
        return 1
    # The composition root: every service once (the outbox exists before any order form).
    services = build_services(connection, settings=settings, notifications=_native_notifications())
    ctx = services.ctx
    # Colours before any window exists, so nothing is drawn twice.
    saved_theme = services.settings.settings.theme
    install_appearance(app, args.theme or saved_theme)
    services.accounts.sig_settings_changed.connect(theme_follower(app, saved_theme))
    window.attach(services)
    if args.live_page is not None:  # the start-up request's page, if it was stored
        args.live_page.hand_to(services.order_sync)
    accounts = AccountController(services.accounts, window)
    _apply_preferences(window, services.settings.settings)
    services.accounts.sig_settings_changed.connect(lambda new: _apply_preferences(window, new))
    install_excepthook(lambda: window)
    close_on_signals(window)
    closed = asyncio.Event()
    window.sig_closed.connect(closed.set)
    app.aboutToQuit.connect(closed.set)
    window.show()
    if key_for:  # the saved profile has no key (yet): ask for it, switch once saved
        accounts.request_key(
            key_for,
            reason=f"No API key is stored for the profile “{key_for}”. Paste the key from the "
            "NFC Tagify Partner Portal; until then the Sandbox (demo data) is shown.",
            switch=True,
        )
    elif first_run and not (args.sandbox or args.self_test or args.screenshots or args.base_url):
        accounts.open_settings(welcome=True)
        # Welcome once: the defaults are saved, so closing the dialog does not bring it back.
        services.settings.save(services.settings.settings)
    await _sandbox_ready(ctx)  # the window is up (cached orders shown) while the child starts
    window.load_all()
    if args.exit_after_live:
        window_checks.exit_after_live(window, _T0, args.first_paint_ms)
    if not (args.self_test or args.screenshots):
        from nfctagify_desktop.services.order_sync import START_DELAY_S

        # The local mirror: newest orders, open ones, then the history (after the first loads).
        services.order_sync.start(START_DELAY_S)
    services.ordering.start_recovery()  # drafts a crash left `sending`: checked before any resend
    # Everything built so far lives as long as the app: out of the collector's sight, a full
    # collection no longer walks Qt's and pydantic's objects (~30 ms stalls of the loop).
    gc.freeze()
    gc.enable()  # off since start-up (main)
    rc = 0
    if args.self_test or args.screenshots:
        try:
            from nfctagify_desktop.ordering.address import data_check

            report(where_things_are(services, window))
            report(data_check())  # the address data a packaged build must carry
            elapsed = await _wait_loaded(window)
            if window.orders_tab.detail.order is not None:
                from nfctagify_desktop.ui.printing import print_check

                report(print_check(window.orders_tab.detail.order))
            if args.screenshots:
                await window_checks.screenshots(window, args.screenshots)
            report(f"self-test: window with data after {elapsed:.0f} ms")
        except Exception as exc:
            report(f"self-test FAILED: {exc}", error=True)
            rc = 1
        window.close()
    await closed.wait()
    accounts.close_windows()
    await shutdown(services)
    log.info("closed (exit code %d)", rc)  # the Windows build's close check looks for it
    # From here on only the loop, threads and Qt tear down: they may not keep the process alive.
    bound_teardown(rc)
    return rc


async def shutdown(services: Services) -> None:
    """Cancel pending work, close the HTTP client, stop the sandbox (bounded, never raising)."""
    import asyncio

    from nfctagify_desktop.sandbox.process import SandboxProcess

    ctx = services.ctx
    try:
        await services.aclose()
        await ctx.connection.client.aclose()
        if ctx.connection.sandbox is not None:
            loop = asyncio.get_running_loop()
            sandbox = ctx.connection.sandbox
            if isinstance(sandbox, SandboxProcess):
                sandbox.stop(timeout=0)  # it closes its database by itself; no need to wait
            else:
                await loop.run_in_executor(None, sandbox.stop)
    except Exception:
        log.exception("error during shutdown")


def _startup_account(args: argparse.Namespace) -> AccountId | None:
    """The account this run opens, read without pydantic or the keyring (for the first paint)."""
    from nfctagify_desktop.store.startup import startup_account

    try:
        return startup_account(
            sandbox=bool(args.sandbox or args.self_test or args.screenshots),
            profile=args.profile,
            base_url=args.base_url,
        )
    except Exception:  # a bad settings file is reported later, where it is read for real
        log.exception("could not tell the start-up account")
        return None


def _spawn_sandbox(args: argparse.Namespace, account: AccountId | None) -> None:
    """Start the sandbox child before Qt loads, so it boots on the other core meanwhile.

    Frozen, a second copy of the bundle boots in ~220 ms (runtime hooks) versus ~90 ms for
    `python -m`: there the in-process sandbox reaches data sooner (docs/performance.md).
    """
    args.sandbox_process = None
    if args.exit_after_paint or account is None or not account.is_sandbox:
        return
    if getattr(sys, "frozen", False):
        return
    from nfctagify_desktop.paths import data_dir, log_dir
    from nfctagify_desktop.sandbox.process import SandboxProcess

    try:
        args.sandbox_process = SandboxProcess(
            data_dir() / "sandbox.sqlite3", log_path=log_dir() / "sandbox.log"
        )
    except OSError as exc:  # fall back to the in-process sandbox
        log.warning("could not spawn the sandbox process: %s", exc)


def _load_network_stack(args: argparse.Namespace) -> None:
    """After the first paint: httpx, pydantic, keyring (and fastapi/uvicorn for a sandbox here).

    httpx's optional command-line client (rich, click: ~100 ms) is never used by the app, so it
    is not imported at all.
    """
    # A None entry makes `import httpx._main` fail, so httpx falls back to its stub main().
    sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
    import nfctagify_desktop.services.connection  # noqa: F401 - httpx, pydantic, keyring


def _first_paint(args: argparse.Namespace, account: AccountId | None) -> MainWindow:
    """The window with the mirror's newest orders, painted; then the server's, if asked early."""
    from nfctagify_desktop.store.mirror import MirrorQuery
    from nfctagify_desktop.ui.first_paint import LIVE_WAIT_MS, paint_window

    per_page, sort, descending = args.orders_view
    query = MirrorQuery(sort=sort, descending=descending, per_page=per_page)
    early, wait = args.early_orders, LIVE_WAIT_MS
    if early is not None and args.exit_after_live:
        from nfctagify_desktop.api.first_page import TIMEOUT_S

        # As long as the start-up request runs (the app shows its page at the loop's next
        # turn anyway; it waits only a moment before loading the rest).
        wait = int(TIMEOUT_S * 1000)
    window, orders = paint_window(
        account, query, show_orders=args.exit_after_paint, early=early, live_wait_ms=wait
    )
    args.first_paint_ms = elapsed = (orders.painted_at - _T0) * 1000
    if args.exit_after_paint:
        print(
            f"first paint after {elapsed:.0f} ms with {orders.rows_shown} saved orders shown",
            flush=True,
        )
    args.live_page = orders.live
    if args.exit_after_live and orders.live_shown:
        from nfctagify_desktop.ui.window_checks import report_live

        report_live(_T0, args.first_paint_ms, exit_now=True)
    return window


def _sandbox_child(args: argparse.Namespace) -> SandboxHandle | None:
    """The child sandbox spawned at start-up (maybe still starting); None: start one here."""
    process: SandboxHandle | None = getattr(args, "sandbox_process", None)
    return process


async def _sandbox_ready(ctx: AppContext) -> None:
    """Wait (off the GUI thread) for a child sandbox to listen; if it fails, run one here."""
    import asyncio

    from nfctagify_desktop.sandbox.process import SandboxProcess
    from nfctagify_desktop.services.connection import connect
    from nfctagify_desktop.store.settings import sandbox_profile

    process = ctx.connection.sandbox
    if not isinstance(process, SandboxProcess) or process.ready:
        return
    try:
        await asyncio.get_running_loop().run_in_executor(None, process.wait_ready)
    except Exception as exc:
        log.warning("the sandbox process failed (%s); starting it in-process", exc)
        process.stop()
        old = ctx.connection.client
        ctx.set_connection(await connect(sandbox_profile()))  # every tab reloads
        await old.aclose()


def _native_notifications() -> NativeNotifications:
    from nfctagify_desktop.paths import resource_path
    from nfctagify_desktop.services.native_notifications import DesktopNotifierBackend

    return DesktopNotifierBackend(APP_NAME, resource_path("icons/nfctagify-128.png"))


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == [RUN_SANDBOX_ARG]:  # a frozen app starting its own sandbox child
        from nfctagify_desktop.sandbox.__main__ import main as sandbox_main

        sys.exit(sandbox_main(argv[1:]))
    args = parse_args(argv)
    problem = refused_arguments(args)
    if problem:  # one clear line, no traceback, before anything starts
        print(f"nfctagify-desktop: error: {problem}", file=sys.stderr)
        sys.exit(2)
    # Start-up allocates much and frees little: the collector would walk the new objects some
    # twenty times (~20-30 ms) before the window is painted. It runs again once the services
    # are built and frozen (run_app).
    gc.disable()
    from nfctagify_desktop.redaction import take_env_key

    take_env_key()  # no child process (sandbox, file manager, helpers) inherits the key
    os.environ.setdefault("QT_API", "pyside6")  # qasync would otherwise try the PyQt bindings first
    if args.self_test and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from nfctagify_desktop.log import setup_logging

    setup_logging(logging.DEBUG if args.debug else logging.INFO)
    account = _startup_account(args)
    _spawn_sandbox(args, account)
    from nfctagify_desktop.store.startup import early_orders, startup_orders_view

    args.orders_view = startup_orders_view()
    args.early_orders = None
    if not (args.exit_after_paint or args.self_test or args.screenshots):
        # The newest orders asked for now, in a thread, while Qt loads and the window paints.
        args.early_orders = early_orders(account, per_page=args.orders_view[0])

    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName("NFC Tagify")
    app.setDesktopFileName("nfctagify-desktop")
    # We close the window ourselves, then shut down; Qt must not stop the loop first.
    app.setQuitOnLastWindowClosed(False)
    from nfctagify_desktop.paths import resource_path

    icon = QIcon()
    for size in (16, 24, 32, 48, 64, 128, 256):
        path = resource_path(f"icons/nfctagify-{size}.png")
        if path.exists():
            icon.addFile(str(path))
    app.setWindowIcon(icon)

    from nfctagify_desktop.store.startup import startup_theme
    from nfctagify_desktop.ui.appearance import install_appearance

    # Colours before the first paint, so nothing is drawn twice.
    install_appearance(app, args.theme or startup_theme())
    window = _first_paint(args, account)
    if args.exit_after_paint:
        # At once: a benchmark measures the paint, not Qt's and Python's tear-down (~80 ms).
        logging.shutdown()
        sys.stdout.flush()
        os._exit(0)
    from nfctagify_desktop import __version__

    app.setApplicationVersion(__version__)
    _load_network_stack(args)
    import asyncio

    import qasync

    with asyncio.Runner(loop_factory=qasync.QEventLoop) as runner:
        rc = runner.run(run_app(app, args, window))
    sys.exit(rc)
