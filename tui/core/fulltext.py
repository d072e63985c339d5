"""An entry's cleaned article: from the cache, the feed's own HTML, or the linked page fetched in full."""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace

from tui.core.article.locate import extract_article, extract_fragment, is_summary
from tui.core.article.export import article_from_dict, article_to_dict
from tui.core.models import Article, Block, Entry
from tui.core.feeds.parse import html_to_text
from tui.core.store import Store
from tui.core.text import clean_line

# Bump when cleaning rules change, so cached articles are cleaned again.
ARTICLE_VERSION = 2


def _with_entry_metadata(article: Article, entry: Entry) -> Article:
    return replace(
        article,
        title=article.title or clean_line(entry.title),
        byline=article.byline or (clean_line(entry.author) or None),
        published=article.published or entry.published,
        url=article.url or entry.link,
        site_name=article.site_name or clean_line(entry.feed_title) or None,
    )


async def load_article(store: Store, fetcher: object | None, entry: Entry, *, full_text: bool = True) -> Article:
    """The cleaned article for `entry`, cleaned once and then read from the store's cache.

    When the feed carries only a summary, the linked page is fetched through the core fetcher and
    extracted. When that fails, the summary is shown with the reason, and nothing is cached so the
    next open tries again.
    """
    cached = await asyncio.to_thread(store.get_article, entry.id, ARTICLE_VERSION)
    if cached:
        try:
            return article_from_dict(json.loads(cached))
        except (ValueError, TypeError, KeyError):
            pass  # an unreadable cache row is cleaned again below
    if not entry.content and not entry.summary:
        full = await asyncio.to_thread(store.entry, entry.id)
        entry = full or entry
    html = entry.content or entry.summary
    note: str | None = None
    article: Article | None = None
    if full_text and fetcher is not None and entry.link and (not html or is_summary(html)):
        result = await fetcher.fetch(entry.link)  # type: ignore[attr-defined]
        if result.ok and result.body:
            page = await asyncio.to_thread(
                extract_article, result.body, result.final_url or entry.link, title_hint=entry.title
            )
            if not page.is_empty:
                article = page
            else:
                note = f"the linked page has no article text ({page.reason or 'nothing found'})"
        else:
            note = f"the full article could not be fetched: {result.error or 'empty response'}"
    if article is None:
        article = await asyncio.to_thread(extract_fragment, html or "", title=entry.title, url=entry.link)
        if note and article.is_empty and html:
            # A teaser can look like junk (it repeats the headline); shown as a fallback, it is all
            # there is, so it stays whole.
            article = replace(article, blocks=(Block("paragraph", html_to_text(html)),))
        if note:
            article = replace(article, reason=f"Showing the feed's summary: {note}.")
    article = _with_entry_metadata(article, entry)
    if note is None and not article.is_empty:
        data = json.dumps(article_to_dict(article), ensure_ascii=False)
        await asyncio.to_thread(store.put_article, entry.id, ARTICLE_VERSION, data, article.text)
    return article
