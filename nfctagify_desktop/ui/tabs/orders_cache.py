"""The Orders tab and the order cache: highlighted changes, the overview, the freshness line."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from nfctagify_desktop.api.models import Order
from nfctagify_desktop.services.order_watch import SyncResult, week_start
from nfctagify_desktop.services.orders_browser import Source
from nfctagify_desktop.store.mirror import StatusChange as MirrorChange
from nfctagify_desktop.store.order_cache import StatusChange
from nfctagify_desktop.ui.format import ago
from nfctagify_desktop.ui.tabs import orders_mirror as mirror_ops

if TYPE_CHECKING:
    from nfctagify_desktop.ui.tabs.orders_rows import OrdersRows
    from nfctagify_desktop.ui.tabs.orders_tab import OrdersTab

#: A status change found by the watcher (cache) or the sync (mirror).
Changed = StatusChange | MirrorChange


def unseen(tab: OrdersRows) -> set[str]:
    """Orders whose status changed since the user last looked (the cache's and the mirror's)."""
    try:
        found = tab.cache.unseen_changes(tab.account_key)
    except Exception:  # never let a cache problem break the list
        found = set()
    return found | tab.sync.unseen()


def status_changed(tab: OrdersTab, changes: Sequence[Changed]) -> None:
    """Show the new statuses in the rows on screen, highlighted until seen."""
    tab.model.set_highlighted(tab._unseen())
    if tab.searching:
        tab.run_search()
        return
    changed = {c.order_id for c in changes}
    rows = tab.model.rows
    if not any(o.order_id in changed for o in rows):
        return
    fresh = []
    key = tab.account_key
    for order in rows:
        newer = None
        if order.order_id in changed:
            newer = tab.cache.get(key, order.order_id)
            text = None if newer is not None else tab.sync.mirror.get_json(order.order_id)
            newer = Order.model_validate_json(text) if text else newer
        fresh.append(newer or order)
    tab._show_rows(fresh)


def synced(tab: OrdersTab, result: SyncResult) -> None:
    tab.model.set_highlighted(tab._unseen())
    tab.update_overview()
    tab.update_freshness()


def update_overview(tab: OrdersTab) -> None:
    """Counts per status: the mirror's for the list's filters when it holds every order, else
    the server's from the last sync, else the saved orders'."""
    if mirror_ops.update_overview(tab):
        return
    result = tab.watch.last_result
    if result is not None and result.counts:
        tab.overview.set_counts(
            result.counts,
            result.this_week,
            source=f"server, {result.finished_at.astimezone().strftime('%H:%M')}",
        )
        return
    profile = tab.account_key
    try:
        counts = tab.cache.status_counts(profile)
        monday = week_start()
        since = datetime(monday.year, monday.month, monday.day).astimezone(UTC)
        week = tab.cache.orders_since(profile, since)
    except Exception:
        return
    tab.overview.set_counts(counts, week, source="saved orders")


def update_freshness(tab: OrdersTab) -> None:
    """The line saying where the rows come from and how old they are."""
    if tab.source is Source.SEARCH:
        total = tab.cache.count(tab.account_key)
        text = f"Searching {total:,} cached orders"
        if tab.offline:
            text += " · offline"
    elif tab.source is Source.CACHE:
        state = "offline" if tab.offline else "refreshing…"
        if not tab.offline and not tab.ctx.tasks.is_running("orders"):
            state = "saved copy"
        text = f"Saved orders, updated {ago(tab.updated_at)} · {state}"
    elif tab.updated_at is not None:
        text = f"Updated {ago(tab.updated_at)}"
        if tab.offline:
            text += " · offline"
    else:
        text = ""
    if tab.watch.is_syncing():
        text += " · checking for changes…"
    elif tab.watch.last_error is not None and text:
        text += " · auto-refresh failed"
    synced = mirror_ops.freshness(tab)
    if synced is not None and tab.source in (Source.MIRROR, Source.SEARCH):
        text = synced  # the mirror's own line
    elif synced is not None:
        text = f"{text} · {synced}" if text else synced
    tab.freshness_label.setText(text)
    minutes = tab.watch.interval_minutes
    tab.freshness_label.setToolTip(
        f"Open orders are checked every {minutes} min"
        if minutes
        else "Auto-refresh is off (Settings)"
    )
