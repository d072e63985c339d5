"""Frozen dataclasses shared by every layer: feeds, entries, articles, quotes, places, fetch results.

Feed and Entry, which the first frame lists, are defined here; the others (what reading an
article and refreshing a feed make) in `tui.core.documents`, imported from here on first use:
each dataclass costs ~0.3 ms of CPU to create, and the first frame needs none of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from tui.core.lazy import exports
from tui.core.records import Record

if TYPE_CHECKING:
    from tui.core.documents import (
        Article,
        Block,
        BlockKind,
        Enclosure,
        FetchResult,
        ParsedEntry,
        ParsedFeed,
        Place,
        Quote,
        Reading,
    )

__all__ = [
    "Article", "Block", "BlockKind", "Enclosure", "Entry", "Feed", "FetchResult", "ParsedEntry", "ParsedFeed", "Place",
    "Quote", "Reading",
]


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Feed(Record):
    """A subscription and its last refresh state."""

    id: int
    url: str
    title: str = ""
    site_url: str | None = None
    tags: tuple[str, ...] = ()
    status: str = "new"  # new | ok | error | gone
    last_error: str | None = None
    last_checked: datetime | None = None
    last_success: datetime | None = None
    next_due: datetime | None = None
    etag: str | None = None
    last_modified: str | None = None
    unread: int = 0
    total: int = 0
    synced: bool = False  # kept by the sync server (which fetches it), not refreshed locally

    @property
    def display_title(self) -> str:
        return self.title or self.url


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Entry(Record):
    """One stored feed item."""

    id: int
    feed_id: int
    guid: str
    title: str
    link: str | None = None
    author: str | None = None
    published: datetime | None = None
    updated: datetime | None = None
    summary: str = ""
    content: str = ""  # the feed's own HTML (content:encoded / Atom content), may be empty
    read: bool = False
    starred: bool = False
    feed_title: str = ""
    feed_url: str = ""


__getattr__ = exports("tui.core", dict.fromkeys(
    ("Article", "Block", "BlockKind", "Enclosure", "FetchResult", "ParsedEntry", "ParsedFeed", "Place", "Quote", "Reading"),
    "documents",
))
