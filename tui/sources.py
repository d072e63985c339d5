"""What the entry list shows: a typed source (all, starred, a feed, a search, a query feed, a filter), not strings."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "ALL", "STARRED", "AllEntries", "BaseSource", "FeedSource", "Filtered", "Query", "Search", "Source", "Starred",
]


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


@dataclass(frozen=True, slots=True)
class Query:
    """A query feed (`[[query]]`): the entries matching a filter expression, under a name."""

    name: str
    expression: str


BaseSource = AllEntries | Starred | FeedSource | Search | Query


@dataclass(frozen=True, slots=True)
class Filtered:
    """The entries of `inner` that match a filter expression (the `F` prompt); never nested."""

    inner: BaseSource
    expression: str


Source = BaseSource | Filtered

ALL = AllEntries()
STARRED = Starred()
