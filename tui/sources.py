"""What the entry list shows: a typed source (all, starred, a feed, a search, a query feed, a filter), not strings."""

from __future__ import annotations

from tui.core.records import Record, record

__all__ = [
    "ALL", "STARRED", "AllEntries", "BaseSource", "FeedSource", "Filtered", "Query", "Search", "Source", "Starred",
]


@record
class AllEntries(Record):
    """Every stored entry."""

    label = "All articles"


@record
class Starred(Record):
    """Starred entries."""

    label = "Starred"


@record
class FeedSource(Record):
    """One feed's entries."""

    feed_id: int


@record
class Search(Record):
    """Entries matching words in their title or text (of one feed when started in it, as newsboat's `/`)."""

    query: str
    feed_id: int | None = None


@record
class Query(Record):
    """A query feed (`[[query]]`): the entries matching a filter expression, under a name."""

    name: str
    expression: str


BaseSource = AllEntries | Starred | FeedSource | Search | Query


@record
class Filtered(Record):
    """The entries of `inner` that match a filter expression (the `F` prompt); never nested."""

    inner: BaseSource
    expression: str


Source = BaseSource | Filtered

ALL = AllEntries()
STARRED = Starred()
