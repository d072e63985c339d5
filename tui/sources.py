"""What the entry list shows: a typed source (all, starred, a feed, a search, a query feed, a filter), not strings."""

from __future__ import annotations

from dataclasses import dataclass

from tui.core.records import Record

__all__ = [
    "ALL", "STARRED", "AllEntries", "BaseSource", "FeedSource", "Filtered", "Query", "Search", "Source", "Starred",
]


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class AllEntries(Record):
    """Every stored entry."""

    label = "All articles"


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Starred(Record):
    """Starred entries."""

    label = "Starred"


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class FeedSource(Record):
    """One feed's entries."""

    feed_id: int


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Search(Record):
    """Entries matching words in their title or text."""

    query: str


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Query(Record):
    """A query feed (`[[query]]`): the entries matching a filter expression, under a name."""

    name: str
    expression: str


BaseSource = AllEntries | Starred | FeedSource | Search | Query


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Filtered(Record):
    """The entries of `inner` that match a filter expression (the `F` prompt); never nested."""

    inner: BaseSource
    expression: str


Source = BaseSource | Filtered

ALL = AllEntries()
STARRED = Starred()
