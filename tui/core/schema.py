"""Every JSON shape Newswire prints, saves or caches, in one place: the field names are defined here only.

Shapes printed by the CLI (stable: tests, scripts and benchmarks rely on them):

- `feed_record`:    `newswire feeds --json`, one object per subscription
- `entry_record`:   `newswire list --json`, one object per entry
- `query_feed_record`: `newswire queries --json`, one object per query feed
- `clean_record`:   `newswire clean --format json|jsonl`
- `extract_record`: `newswire extract --format json|jsonl` (quotes and places with offsets into `text`)
- `sync_record`:    `newswire sync --json`, what one sync did
- `story_record`:   `newswire stories --json`, one object per story (its entries, outlets, first/last seen)
- `diff_record`:    `newswire diff --json`, what one copy or version changed against another

Shapes written to files:

- `saved_metadata`: the front matter of a saved Markdown file, and the head of a saved JSON file
- `saved_json`:     a saved JSON file

And the store's reading cache (`reading_to_json` / `reading_from_json`), which round-trips every
field of a Reading so a cached article shows exactly as a freshly cleaned one.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from tui.core.models import Article, Block, Enclosure, Entry, Feed, Place, Quote, Reading

if TYPE_CHECKING:
    from tui.core.feeds.sync.base import SyncReport
    from tui.core.filters import QueryFeed
    from tui.core.prefetch import PrefetchReport

__all__ = [
    "JSON",
    "article_from_dict",
    "article_to_dict",
    "clean_record",
    "diff_record",
    "entry_record",
    "extract_record",
    "feed_record",
    "place_record",
    "prefetch_record",
    "query_feed_record",
    "quote_record",
    "reading_from_json",
    "reading_to_json",
    "saved_json",
    "saved_metadata",
    "story_record",
    "sync_record",
    "when",
]

JSON = dict[str, Any]


def when(value: datetime | None) -> str | None:
    """A timestamp as ISO 8601, or None."""
    return value.isoformat() if value else None


# -- what the CLI prints ---------------------------------------------------------------------------


def feed_record(feed: Feed) -> JSON:
    return {
        "id": feed.id,
        "url": feed.url,
        "title": feed.title,
        "tags": list(feed.tags),
        "status": feed.status,
        "last_checked": when(feed.last_checked),
        "last_success": when(feed.last_success),
        "last_error": feed.last_error,
        "unread": feed.unread,
        "total": feed.total,
        "synced": feed.synced,
    }


def sync_record(report: SyncReport) -> JSON:
    return {
        "feeds": report.feeds,
        "received": report.received,
        "new": report.new,
        "updated": report.updated,
        "states": report.states,
        "sent": report.sent,
        "kept_local": report.kept_local,
        "kept_remote": report.kept_remote,
        "unsubscribed": report.unsubscribed,
        "elapsed": round(report.elapsed, 3),
    }


def prefetch_record(report: PrefetchReport) -> JSON:
    """What the pass after a refresh or sync did: full text fetched, and entries placed in stories."""
    return {
        "full_text": {"fetched": report.fetched, "failed": report.failed, "skipped": report.skipped,
                      "stopped": report.stopped},
        "stories": {"placed": report.grouped, "joined": report.joined},
    }


def entry_record(entry: Entry) -> JSON:
    return {
        "id": entry.id,
        "feed": entry.feed_title,
        "feed_url": entry.feed_url,
        "title": entry.title,
        "link": entry.link,
        "published": when(entry.published),
        "read": entry.read,
        "starred": entry.starred,
    }


def query_feed_record(query: QueryFeed) -> JSON:
    return {
        "name": query.name, "filter": query.filter, "unread": query.unread, "total": query.total,
        "error": query.error,
    }


def clean_record(source: str, article: Article) -> JSON:
    from tui.core.article.export import article_markdown

    return {
        "source": source,
        "url": article.url,
        "title": article.title,
        "byline": article.byline,
        "published": when(article.published),
        "text": article.text,
        "markdown": article_markdown(article),
    }


def quote_record(quote: Quote) -> JSON:
    return {"text": quote.text, "speaker": quote.speaker, "start": quote.start, "end": quote.end}


def place_record(place: Place) -> JSON:
    return {
        "name": place.name,
        "kind": place.kind,
        "country": place.country,
        "lat": place.lat,
        "lon": place.lon,
        "mentions": place.mentions,
        "surfaces": list(place.surfaces),
    }


def extract_record(source: str, reading: Reading) -> JSON:
    return {
        "source": source,
        "title": reading.article.title,
        "quotes": [quote_record(q) for q in reading.quotes],
        "places": [place_record(p) for p in reading.places],
    }


# -- what `save` writes ----------------------------------------------------------------------------


def saved_metadata(
    reading: Reading, *, entry: Entry | None = None, saved_at: datetime | None = None, enclosures: Sequence[Enclosure] = ()
) -> JSON:
    """The front matter of a saved article (the article already carries the entry's fallbacks), with
    the entry's enclosures when it has any (a podcast episode's file, as newsboat saves it)."""
    article = reading.article
    meta: JSON = {
        "title": article.title,
        "url": article.url,
        "feed": entry.feed_title if entry else article.site_name,
        "byline": article.byline,
        "published": when(article.published),
        "saved_at": (saved_at or datetime.now(UTC)).isoformat(timespec="seconds"),
        "quotes": [{"text": q.text, "speaker": q.speaker} for q in reading.quotes],
        "places": [
            {"name": p.name, "kind": p.kind, "country": p.country, "lat": p.lat, "lon": p.lon}
            for p in reading.places
        ],
    }
    if enclosures:
        meta["enclosures"] = [{"url": e.url, "type": e.type} for e in enclosures]
    return meta


def saved_json(reading: Reading, meta: Mapping[str, Any]) -> JSON:
    """A saved JSON file: the front matter's fields, then the text, Markdown and blocks."""
    from tui.core.article.export import body_markdown

    article = reading.article
    data = dict(meta)
    data["standfirst"] = article.standfirst
    data["text"] = article.text
    data["markdown"] = body_markdown(article)
    data["blocks"] = [asdict(b) for b in article.blocks]
    return data


# -- the store's reading cache -----------------------------------------------------------------------


def article_to_dict(article: Article) -> JSON:
    data = asdict(article)
    data["published"] = when(article.published)
    data["blocks"] = [asdict(b) for b in article.blocks]
    data["removed"] = [list(r) for r in article.removed]
    return data


def article_from_dict(data: Mapping[str, Any]) -> Article:
    published = data.get("published")
    return Article(
        title=data.get("title") or "",
        blocks=tuple(Block(**b) for b in data.get("blocks") or ()),
        standfirst=data.get("standfirst"),
        byline=data.get("byline"),
        published=datetime.fromisoformat(published) if published else None,
        url=data.get("url"),
        site_name=data.get("site_name"),
        reason=data.get("reason"),
        removed=tuple((str(r[0]), str(r[1])) for r in data.get("removed") or ()),
    )


def reading_to_json(reading: Reading) -> str:
    quotes = [asdict(q) for q in reading.quotes]
    places = [asdict(p) for p in reading.places]
    return json.dumps(
        {"article": article_to_dict(reading.article), "quotes": quotes, "places": places}, ensure_ascii=False
    )


def reading_from_json(text: str) -> Reading:
    """A cached Reading; raises ValueError (or KeyError/TypeError) on a row it cannot read."""
    data = json.loads(text)
    return Reading(
        article=article_from_dict(data["article"]),
        quotes=tuple(Quote(**q) for q in data["quotes"]),
        places=tuple(
            Place(**{**p, "surfaces": tuple(p["surfaces"]), "spans": tuple(tuple(s) for s in p["spans"])})
            for p in data["places"]
        ),
    )


# -- stories (issue 14) ----------------------------------------------------------------------------


def story_record(story: Any) -> JSON:
    """A tui.core.stories.Story: its best copy first among equals, every entry oldest first."""
    best = story.best
    return {
        "id": story.id,
        "title": best.title,
        "best": best.id,
        "outlets": list(story.outlets),
        "first_seen": when(story.first_seen),
        "last_seen": when(story.last_seen),
        "unread": story.unread,
        "entries": [entry_record(c.entry) for c in story.copies],
    }


def diff_record(diff: Any, old: int | None = None, new: int | None = None, version: int | None = None) -> JSON:
    """A tui.core.stories.Diff: what `new` changed against `old` (two copies, or an entry's versions)."""
    return {
        "old": old,
        "new": new,
        "version": version,
        "title": {"old": diff.old_title, "new": diff.new_title, "changed": diff.title_changed},
        "changes": [
            {
                "kind": c.kind,
                "text": c.text,
                "old": c.old,
                "words": [{"op": op, "text": text} for op, text, _ in c.words],
            }
            for c in diff.changes
        ],
        "quotes_added": list(diff.quotes_added),
        "quotes_dropped": list(diff.quotes_dropped),
        "unchanged": diff.unchanged,
        "same": diff.same,
    }
