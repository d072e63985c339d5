"""What the entry list shows: a typed source (all, starred, one feed, a search) instead of strings."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ALL", "STARRED", "AllEntries", "FeedSource", "Search", "Source", "Starred"]


@dataclass(frozen=True, slots=True)
class AllEntries:
    """Every stored entry."""

    label = "All articles"


@dataclass(frozen=True, slots=True)
class Starred:
    """Starred entries."""

    label = "Starred"


@dataclass(frozen=True, slots=True)
class FeedSource:
    """One feed's entries."""

    feed_id: int


@dataclass(frozen=True, slots=True)
class Search:
    """Entries matching words in their title or text."""

    query: str


Source = AllEntries | Starred | FeedSource | Search

ALL = AllEntries()
STARRED = Starred()
