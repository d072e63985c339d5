"""The models of what reading an article and refreshing a feed make: articles and their blocks,
quotes, places, readings, fetch results, parsed feeds and their enclosures.

Import them from `tui.core.models` (which loads this module on first use, after the first frame).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime
from operator import attrgetter
from typing import Any, Literal

from tui.core.records import Record

__all__ = [
    "Article", "Block", "BlockKind", "Enclosure", "FetchResult", "ParsedEntry", "ParsedFeed", "Place", "Quote", "Reading",
]

BlockKind = Literal["paragraph", "heading", "list_item", "blockquote", "code"]


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Block(Record):
    """One block of an article body."""

    kind: BlockKind
    text: str
    level: int = 0  # heading level (1-6); list nesting depth for list items
    ordered: bool = False  # list items: numbered list


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Article(Record):
    """A cleaned article: the story and nothing else.

    `text` (the standfirst and the body blocks joined by one blank line, without the title) is
    the string that quote and place offsets refer to; `block_starts` maps it back to blocks.
    """

    title: str
    blocks: tuple[Block, ...] = ()
    standfirst: str | None = None
    byline: str | None = None
    published: datetime | None = None
    url: str | None = None
    site_name: str | None = None
    reason: str | None = None  # why the article is empty, when it is
    removed: tuple[tuple[str, str], ...] = ()  # (category, text) of what cleaning dropped

    @property
    def text(self) -> str:
        parts = [self.standfirst] if self.standfirst else []
        parts.extend(b.text for b in self.blocks)
        return "\n\n".join(parts)

    def block_starts(self) -> tuple[int, list[int]]:
        """Offsets in `text` of the standfirst (-1 when none) and of each block."""
        at = 0
        standfirst = -1
        if self.standfirst:
            standfirst, at = 0, len(self.standfirst) + 2
        starts = []
        for block in self.blocks:
            starts.append(at)
            at += len(block.text) + 2
        return standfirst, starts

    @property
    def is_empty(self) -> bool:
        return not self.blocks


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Quote(Record):
    """A direct quotation: the words between the marks, who said them, where they are in `Article.text`."""

    text: str
    speaker: str | None
    start: int
    end: int
    partial: bool = False


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Place(Record):
    """A place the article mentions, resolved against the gazetteer."""

    name: str
    kind: str  # country | region | state | city | continent | other
    country: str | None  # ISO 3166-1 alpha-2 code, when known
    country_name: str | None = None
    lat: float | None = None
    lon: float | None = None
    mentions: int = 1
    surfaces: tuple[str, ...] = ()
    spans: tuple[tuple[int, int], ...] = ()  # offsets of each mention in `Article.text`


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Reading(Record):
    """What the reader shows for one article: the cleaned article, its quotes and its places.

    Offsets of quotes and places refer to `article.text`. Made by `tui.core.reading`, the one
    pipeline the app, the CLI and `save` share.
    """

    article: Article
    quotes: tuple[Quote, ...] = ()
    places: tuple[Place, ...] = ()


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class FetchResult(Record):
    """What one HTTP fetch produced: a body, a 304, or an error sentence."""

    url: str  # the URL asked for
    final_url: str | None = None
    status: int | None = None
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False
    permanent_redirect: str | None = None  # new URL to store after a 301/308
    gone: bool = False  # HTTP 410
    retry_after: float | None = None  # seconds
    max_age: float | None = None  # Cache-Control max-age, seconds
    error: str | None = None  # a readable sentence, e.g. "timed out after 20 s", "HTTP 404"
    elapsed: float = 0.0

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Enclosure(Record):
    """A file attached to an entry (a podcast episode, a video): RSS enclosure, Atom link, JSON attachment."""

    url: str
    type: str = ""  # MIME type as the feed gave it, "" when none
    length: int | None = None  # bytes, when the feed says
    duration: int | None = None  # seconds (itunes:duration, JSON duration_in_seconds)

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:  # (here `type` is the field)
        return Enclosure, _ENCLOSURE_FIELDS(self)


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class ParsedEntry(Record):
    """One item as parsed from a feed document, before it is stored."""

    guid: str  # the feed's id, else the link, else the content hash
    title: str
    link: str | None = None
    author: str | None = None
    published: datetime | None = None  # aware UTC
    updated: datetime | None = None  # aware UTC
    summary: str = ""  # HTML or text as the feed gave it
    content: str = ""  # full HTML (content:encoded, Atom content, JSON content_html)
    content_hash: str = ""  # hash of title + link + content, the last dedup key
    enclosures: tuple[Enclosure, ...] = ()

    # Pickled as the class and its fields' values, made again by the compiled __init__: a refresh's
    # writer process receives every parsed entry this way, and Record's generic state (a list made
    # and read back in Python) took twice as long both ways (30 -> 18 ms for 5,000 entries).
    def __reduce__(self) -> tuple[type[ParsedEntry], tuple[Any, ...]]:
        return ParsedEntry, _ENTRY_FIELDS(self)


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class ParsedFeed(Record):
    """A parsed feed document."""

    kind: str  # rss | atom | json
    title: str = ""
    site_url: str | None = None
    entries: tuple[ParsedEntry, ...] = ()
    ttl: int | None = None  # minutes, from <ttl>
    warning: str | None = None  # feedparser's bozo reason, kept as a warning

    def __reduce__(self) -> tuple[type[ParsedFeed], tuple[Any, ...]]:
        return ParsedFeed, _FEED_FIELDS(self)


def _fields_of(cls: type) -> attrgetter[Any]:
    return attrgetter(*(f.name for f in fields(cls)))


_ENCLOSURE_FIELDS = _fields_of(Enclosure)
_ENTRY_FIELDS = _fields_of(ParsedEntry)
_FEED_FIELDS = _fields_of(ParsedFeed)
