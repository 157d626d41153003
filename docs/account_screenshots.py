"""Screenshots of switching to an account that has never loaded (called by make_screenshots.py).

1. ``account-fresh.png``: right after switching to a new "Production" profile: every table
   is empty and says "Not loaded yet", the status bar says "Connecting to Production…" (never
   the previous account's rows under the new name);
2. ``account-not-connected.png``: its address cannot be found: "Not connected — <plain
   reason>" in the status bar with Details…, the plain reason and what to do in the banner.

Last of all shots: it leaves the window on another account.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from nfctagify_desktop.ui.main_window import MainWindow

PROFILE = "Production"
UNREACHABLE = "https://api.nfctagify-unreachable.invalid"


async def account_shots(
    window: MainWindow,
    out: Path,
    *,
    settle: Callable[..., Awaitable[None]],
    wait_until: Callable[..., Awaitable[None]],
    save: Callable[[QWidget, Path], None],
) -> None:
    from nfctagify_desktop.services.link import LinkState
    from nfctagify_desktop.store.settings import Profile

    services: Any = window.services
    if any(p.name == PROFILE for p in services.settings.settings.profiles):
        services.settings.remove_profile(PROFILE)  # the Settings shot saved one of that name
    services.settings.add_profile(Profile(name=PROFILE, base_url=UNREACHABLE, kind="account"))
    # Kept for this run only: the screenshot machine may have no keyring.
    services.keys.set(PROFILE, "ntk_live_screenshot_0001", session_only=True)
    window.tabs.setCurrentIndex(window.tabs.indexOf(window.products_tab))
    # Switch without letting the first calls answer yet: the moment the user sees first.
    await services.accounts.aswitch_profile(PROFILE)
    window.statusBar().clearMessage()
    await settle(2)
    save(window, out / "account-fresh.png")
    link = services.ctx.link
    await wait_until("the failed connection", lambda: link.view.state is LinkState.NOT_CONNECTED)
    await wait_until(
        "every tab to give up",
        lambda: (
            not any(services.ctx.tasks.is_running(k) for k in ("products", "pricing", "orders"))
        ),
    )
    window.statusBar().clearMessage()
    await settle()
    save(window, out / "account-not-connected.png")
