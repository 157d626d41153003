"""The Orders tab and the account's order mirror: pages, sort, search and chips without waiting.

When the mirror holds every order a view could show, the tab answers from it at once (any
sort, any search, counts equal to the list's totals) and, for a view the API can answer too,
still asks the server for that page and merges it. When it does not (the history is still
syncing), the page comes from the server as before and the freshness line says so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nfctagify_desktop.order_status import KNOWN_STATUSES, OrderStatus
from nfctagify_desktop.services.order_watch import week_start
from nfctagify_desktop.services.orders_browser import Source
from nfctagify_desktop.store.mirror import MirrorQuery

if TYPE_CHECKING:
    from nfctagify_desktop.ui.tabs.orders_tab import OrdersTab

#: Re-reading the mirror after a sync wrote to it waits this long (sync pages come in bursts).
MIRROR_SETTLE_MS = 200
STILL_SYNCING = "older orders still syncing: sort, search and counts cover the synced ones"


def complete(tab: OrdersTab) -> bool:
    try:
        return tab.mirror_source.complete(tab.browser.query)
    except Exception:  # a mirror problem: the server and the cache still work
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


def mirror_changed(tab: OrdersTab) -> None:
    """A sync stored orders: a view answered by the mirror shows them (statuses included)."""
    tab.model.set_highlighted(tab._unseen())
    if tab.source in (Source.MIRROR, Source.SEARCH) and show_from_mirror(tab):
        return
    if tab.source is Source.SEARCH:
        tab.run_search()
        return
    update_overview(tab)
    tab.update_freshness()


def update_overview(tab: OrdersTab) -> bool:
    """The status chips from the mirror, for the list's own dates and search; True if shown.

    Each chip is then exactly the total the list shows once that status is chosen.
    """
    query = tab.browser.query
    try:
        if not tab.mirror_source.complete(query):
            return False
        counts = tab.mirror_source.counts(query)
        this_week = tab.sync.mirror.total(MirrorQuery(date_from=week_start()))
    except Exception:
        return False
    shown: dict[OrderStatus, int] = {s: counts.get(s.value, 0) for s in KNOWN_STATUSES}
    unknown = sum(n for status, n in counts.items() if OrderStatus(status) is OrderStatus.UNKNOWN)
    if unknown:
        shown[OrderStatus.UNKNOWN] = unknown
    progress = tab.sync.last_progress
    when = progress.state.last_synced_at if progress is not None else None
    when = when or tab.sync.mirror.state().last_synced_at
    label = f"synced, {when.astimezone().strftime('%H:%M')}" if when else "synced orders"
    tab.overview.set_counts(shown, this_week, source=label)
    return True


def freshness(tab: OrdersTab) -> str | None:
    """The freshness line for a mirror view ("synced N of M orders · updated HH:MM"), or the
    note to add to a server view whose history is still syncing; None when neither applies."""
    try:
        progress = tab.sync.progress()
    except Exception:
        return None
    if tab.source in (Source.MIRROR, Source.SEARCH) and complete(tab):
        text = progress.text
        if tab.offline:
            text += " · offline"
        return text
    if progress.state.head is None:
        return None
    return f"{progress.text} · {STILL_SYNCING}"


__all__ = [
    "MIRROR_SETTLE_MS",
    "STILL_SYNCING",
    "complete",
    "freshness",
    "mirror_changed",
    "show_from_mirror",
    "update_overview",
]
