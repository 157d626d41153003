"""A saved view of the orders list: a name for a filter, a search, a sort and the columns."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

#: Most views a user keeps (the first nine get Ctrl+Alt+1…9).
MAX_SAVED_VIEWS = 30


class SavedView(BaseModel):
    """Stored in the settings file; applies to whichever account is in use."""

    model_config = ConfigDict(extra="ignore", frozen=True, str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=60, title="Name")
    status: str | None = Field(default=None, title="Status filter")
    date_from: date | None = Field(default=None, title="Placed on or after")
    date_to: date | None = Field(default=None, title="Placed on or before")
    search: str = Field(default="", max_length=200, title="Search text")
    sort: str = Field(default="created:desc", title="Sort", description="e.g. 'total:desc'")
    #: The table header's saved state (column order, widths, hidden columns), base64.
    columns: str = Field(default="", title="Columns")


def with_view(views: list[SavedView], view: SavedView) -> list[SavedView]:
    """``views`` with ``view`` added, replacing one of the same name (case-insensitive)."""
    key = view.name.casefold()
    kept = [v for v in views if v.name.casefold() != key]
    return [*kept, view][-MAX_SAVED_VIEWS:]


def without_view(views: list[SavedView], name: str) -> list[SavedView]:
    key = name.casefold()
    return [v for v in views if v.name.casefold() != key]


__all__ = ["MAX_SAVED_VIEWS", "SavedView", "with_view", "without_view"]
