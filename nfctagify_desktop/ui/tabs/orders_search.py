"""The Orders tab's search: every cached order by id, reference or recipient, paged locally."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from nfctagify_desktop.ui.tabs.orders_cache import (
    SOURCE_NONE,
    SOURCE_SEARCH,
    SOURCE_SERVER,
    cache_filters,
)

if TYPE_CHECKING:
    from nfctagify_desktop.ui.tabs.orders_tab import OrdersTab


def search_changed(tab: OrdersTab) -> None:
    tab.page = 1
    if tab.searching:
        tab.ctx.tasks.cancel("orders")  # a page arriving later must not replace results
        tab.run_search()
        return
    # Back to the server's list: show the last page at once, then refresh it.
    tab.source = SOURCE_NONE
    if tab.last_page is not None:
        tab.source = SOURCE_SERVER
        tab._show_rows(tab.last_page.orders)
        tab.page = tab.last_page.pagination.page
        tab.total_pages = tab.last_page.pagination.total_pages
    tab._update_paging()
    tab.update_freshness()
    tab.refresh()


def run_search(tab: OrdersTab) -> int:
    """Show the current page of cached orders matching the text and the filters."""
    query = tab._valid_query()
    text = tab.search_text
    if query is None or not text:
        return 0
    profile = tab.account_key
    filters = cache_filters(query)
    tab.search_total = tab.cache.count(profile, text=text, **filters)
    tab.total_pages = max(1, math.ceil(tab.search_total / query.per_page))
    tab.page = min(tab.page, tab.total_pages)
    orders = tab.cache.query(
        profile,
        text=text,
        **filters,
        limit=query.per_page,
        offset=(tab.page - 1) * query.per_page,
    )
    tab.source = SOURCE_SEARCH
    tab._show_rows(orders, empty_text=f"No saved order matches “{text}”")
    tab._update_paging()
    tab.update_freshness()
    tab.sig_search_done.emit(tab.search_total)
    return tab.search_total
