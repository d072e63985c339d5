"""The config's arrays of tables: `[[query]]`, `[[ignore]]` and `[[feed]]`.

Import them from `tui.core.config`, which loads this module when one is first used: a config
without such tables (and the app's first frame) never makes these classes (~0.3 ms of CPU each).
"""

from __future__ import annotations

from tui.core.records import Record, record

__all__ = ["FeedConfig", "IgnoreConfig", "QueryConfig"]


@record
class QueryConfig(Record):
    """`[[query]]`: a virtual feed of the entries that match `filter`."""

    name: str
    filter: str


@record
class IgnoreConfig(Record):
    """`[[ignore]]`: a kill rule; entries of `feed` ("*": every feed) matching `filter` are hidden."""

    filter: str
    feed: str = "*"


@record
class FeedConfig(Record):
    """`[[feed]]`: settings for the feed at `url`, or for every feed tagged `tag`; None: not set."""

    url: str | None = None
    tag: str | None = None
    refresh_interval: int | None = None  # seconds
    full_text: bool | None = None
    prefetch: bool | None = None
    user_agent: str | None = None
    headers: tuple[tuple[str, str], ...] = ()
    title: str | None = None
    hidden: bool | None = None
