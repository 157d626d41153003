"""The Orders tab and the account's order mirror: pages, sort, search and chips without waiting.

The mirror is the one local store of the account's orders: the sync fills it, and every page
or detail the tab fetches is stored in it too. When it holds every order a view could show,
the tab answers from it at once (any sort, any search, counts equal to the list's totals) and,
for a view the API can answer too, still asks the server for that page and merges it. When it
does not (the history is still syncing), the page comes from the server as before and the
freshness line says so; offline, the mirror's rows are shown as the last known ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from nfctagify_desktop.order_status import KNOWN_STATUSES, OrderStatus
from nfctagify_desktop.services.mirror_source import week_start
from nfctagify_desktop.services.orders_browser import Source
from nfctagify_desktop.store.mirror import MirrorQuery, StatusChange
from nfctagify_desktop.ui.format import ago

if TYPE_CHECKING:
    from nfctagify_desktop.ui.tabs.orders_tab import OrdersTab

#: Re-reading the mirror after a sync wrote to it waits this long (sync pages come in bursts).
MIRROR_SETTLE_MS = 200
STILL_SYNCING = "older orders still syncing: sort, search and counts cover the synced ones"


def complete(tab: OrdersTab) -> bool:
    try:
        return tab.mirror_source.complete(tab.browser.query)
    except Exception:  # a mirror problem: the server still answers
        return False


def show_from_mirror(tab: OrdersTab) -> bool:
    """Answer the current view from the mirror if it is complete for it; True if shown."""
    if not complete(tab):
        return False
    query = tab.browser.query
    answer = tab.mirror_source.answer_now(query)
    tab.browser.show(answer)
    empty = f"No order matches “{tab.search_text}”" if tab.searching else "No orders match"
    tab.view.set_placeholder(empty)
    tab._show_rows(answer.orders, empty_text=empty)
    tab._update_paging()
    update_overview(tab)
    tab.update_freshness()
    if tab.searching:
        tab.sig_search_done.emit(answer.total or 0)
    return True


def show_saved(tab: OrdersTab) -> int:
    """The mirror's orders for the current filters, as the last known ones (the mirror is not
    complete for them: start-up before the server answers, or offline); the number shown."""
    query = replace(tab.browser.query, search="")
    try:
        if tab.mirror_source.count(query) == 0:
            update_overview(tab)
            return 0
        answer = tab.mirror_source.answer_now(query, Source.CACHE)
    except Exception:  # a mirror problem: an empty table beats a traceback
        return 0
    tab.browser.show(answer)
    tab._show_rows(answer.orders)
    tab._update_paging()
    update_overview(tab)
    tab.update_freshness()
    return len(answer.orders)


def mirror_changed(tab: OrdersTab) -> None:
    """The mirror was written (a sync page, a pass, a fetched page): re-read what shows it.

    A server page gives way to the mirror as soon as the mirror is complete for the view (the
    first sync of an account): the same page, now sortable and searchable as a whole.
    """
    tab.model.set_highlighted(tab._unseen())
    if tab.source is not Source.NONE and show_from_mirror(tab):
        return
    if tab.source is Source.SEARCH:
        tab.run_search()
        return
    if tab.source is Source.CACHE:
        show_saved(tab)
        return
    update_overview(tab)
    tab.update_freshness()


def status_changed(tab: OrdersTab, changes: Sequence[StatusChange]) -> None:
    """Show the new statuses in a server page on screen, highlighted until seen (views read
    from the mirror re-read it anyway)."""
    tab.model.set_highlighted(tab._unseen())
    if tab.source is not Source.LIVE:
        return
    changed = {c.order_id for c in changes}
    rows = tab.model.rows
    if not any(o.order_id in changed for o in rows):
        return
    fresh = [(tab.sync.get(o.order_id) if o.order_id in changed else None) or o for o in rows]
    tab._show_rows(fresh)


def update_overview(tab: OrdersTab) -> bool:
    """The status chips from the mirror, for the list's own dates and search; True if shown.

    When the mirror is complete for the list, each chip is exactly the total the list shows once
    that status is chosen; while the history syncs, they count the synced orders (and say so).
    """
    query = tab.browser.query
    try:
        state = tab.sync.mirror.state()
        if state.head is None:
            return False  # never synced: nothing to count yet
        whole = tab.mirror_source.complete(query)
        counts = tab.mirror_source.counts(query)
        this_week = tab.sync.mirror.total(MirrorQuery(date_from=week_start()))
    except Exception:
        return False
    shown: dict[OrderStatus, int] = {s: counts.get(s.value, 0) for s in KNOWN_STATUSES}
    unknown = sum(n for status, n in counts.items() if OrderStatus(status) is OrderStatus.UNKNOWN)
    if unknown:
        shown[OrderStatus.UNKNOWN] = unknown
    when = state.last_synced_at
    if not whole:
        label = "orders synced so far"
    elif when is not None:
        label = f"synced, {when.astimezone().strftime('%H:%M')}"
    else:
        label = "synced orders"
    tab.overview.set_counts(shown, this_week, source=label)
    return True


def freshness_text(tab: OrdersTab) -> str:
    """Where the rows come from and how old they are."""
    try:
        progress = tab.sync.progress()
    except Exception:
        progress = None
    whole = complete(tab)
    offline = " · offline" if tab.offline else ""
    if progress is not None and whole and tab.source in (Source.MIRROR, Source.SEARCH):
        return progress.text + offline
    if tab.source is Source.SEARCH:
        mirrored = progress.mirrored if progress is not None else 0
        return f"Searching {mirrored:,} saved orders{offline} · {STILL_SYNCING}"
    if tab.source is Source.CACHE:
        state = "offline" if tab.offline else "refreshing…"
        if not tab.offline and not tab.ctx.tasks.is_running("orders"):
            state = "saved copy"
        return f"Saved orders, updated {ago(tab.updated_at)} · {state}"
    text = f"Updated {ago(tab.updated_at)}{offline}" if tab.updated_at is not None else ""
    if progress is not None and progress.state.head is not None and not whole:
        synced = f"{progress.text} · {STILL_SYNCING}"
        text = f"{text} · {synced}" if text else synced
    return text


def update_freshness(tab: OrdersTab) -> None:
    """The line saying where the rows come from and how old they are."""
    text = freshness_text(tab)
    if tab.sync.last_error is not None and text:
        text += " · auto-refresh failed"
    tab.freshness_label.setText(text)
    minutes = tab.sync.interval_minutes
    tab.freshness_label.setToolTip(
        f"New orders and open orders' statuses are synced every {minutes} min"
        if minutes
        else "Auto-refresh is off (Settings)"
    )


__all__ = [
    "MIRROR_SETTLE_MS",
    "STILL_SYNCING",
    "complete",
    "freshness_text",
    "mirror_changed",
    "show_from_mirror",
    "show_saved",
    "status_changed",
    "update_freshness",
    "update_overview",
]
