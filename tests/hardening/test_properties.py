"""Properties over any input: text hygiene, display formatting, feed parsing, article cleaning, file names."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui import display
from tui.core.article import extract_article, extract_fragment
from tui.core.article.export import safe_stem
from tui.core.feeds.parse import FeedError, clean_html, parse_feed
from tui.core.models import Article, Block, Entry, Feed, Place, Quote
from tui.core.text import clean_line, clean_paragraph, truncate

# What must never reach a terminal: C0/C1 controls (tab and newline aside), bidi overrides and
# isolates, zero-width characters that hide text.
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200b\u200c\u2060\ufeff]")
FAST = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text that leans on what hurts: escapes, controls, bidi, zero-width, markup, entities, tags.
NASTY = st.sampled_from([
    "\x1b[31m", "\x1b]0;title\x07", "\x1b]8;;http://x/\x1b\\", "\x9b", "\x00", "\x07", "\r", "\u202e",
    "\u2066", "\u200b", "\ufeff", "\u00ad", "[bold]", "[/]", "[/oops]", "[link=x]", "&#x1b;", "&#27;",
    "&#x202e;", "&amp;", "<b>", "</p>", "<script>", "]]>", "<!--", "$var", "{x}", "e\u0301", "🔥",
])
TEXT = st.lists(st.one_of(st.text(max_size=8), NASTY), max_size=12).map("".join)


def clean(value: object) -> bool:
    return not isinstance(value, str) or not FORBIDDEN.search(value)


@FAST
@given(TEXT, st.integers(min_value=0, max_value=40))
def test_hygiene_is_idempotent_and_leaves_nothing_forbidden(text: str, width: int) -> None:
    line = clean_line(text)
    assert clean(line) and "\n" not in line and clean_line(line) == line
    para = clean_paragraph(text)
    assert clean(para) and clean_paragraph(para) == para
    assert len(truncate(line, width)) <= width


@FAST
@given(TEXT, TEXT, TEXT)
def test_display_shows_feed_text_literally_and_clean(title: str, error: str, body: str) -> None:
    when = datetime(2024, 6, 3, 10, tzinfo=UTC)
    feed = Feed(id=1, url="http://x/", title=title, status="error", last_error=error, tags=(title,), unread=3)
    entry = Entry(id=1, feed_id=1, guid="g", title=title, feed_title=title, published=when)
    article = Article(title=title, blocks=(Block("paragraph", body), Block("list_item", body, level=2)),
                      byline=error, site_name=title, url=error)
    quote = Quote(text=body, speaker=title or None, start=0, end=0)
    place = Place(name=title, kind="city", country="FR", country_name=error, lat=1.0, lon=2.0)
    pieces = [display.plain(title), display.paragraph(body), display.feed_prompt(feed), display.feed_status(feed),
              display.headline(article, entry), display.meta_line(article, entry), display.quote_prompt(quote),
              display.place_prompt(place), display.place_detail(place)]
    pieces += [display.block_content(b, m) for b, m in zip(article.blocks, display.list_markers(article.blocks), strict=False)]
    pieces += list(display.entry_cells(entry))
    for piece in pieces:
        assert clean(piece.plain)
    assert clean(display.message(body))
    # Markup is text: what is shown is exactly the cleaned title, brackets and all.
    assert display.plain(title).plain == clean_line(title)


def _assert_parsed_clean(parsed: object) -> None:
    for name in ("title", "site_url", "warning"):
        assert clean(getattr(parsed, name))
    for entry in parsed.entries:
        for name in ("guid", "title", "link", "author", "summary", "content"):
            assert clean(getattr(entry, name)), (name, getattr(entry, name))
        assert entry.link is None or entry.link.startswith(("http://", "https://"))


@SLOW
@given(st.binary(max_size=2000))
def test_parse_feed_on_any_bytes_fails_cleanly_or_gives_clean_strings(body: bytes) -> None:
    try:
        parsed = parse_feed(body, url="http://feed.example/rss")
    except FeedError as exc:
        assert str(exc) and clean(str(exc))
    else:
        _assert_parsed_clean(parsed)


@SLOW
@given(st.lists(st.tuples(TEXT, TEXT, TEXT), min_size=1, max_size=4), TEXT, st.booleans())
def test_generated_feeds_with_any_text_parse_to_clean_strings(items: list, channel: str, cdata: bool) -> None:
    def xml(text: str) -> str:
        # Characters XML 1.0 forbids make the document malformed: the lenient reader takes over.
        return html.escape(text, quote=False)

    def content(text: str) -> str:
        return f"<![CDATA[{text.replace(']]>', '')}]]>" if cdata else xml(text)

    body = "".join(
        f"<item><title>{xml(t)}</title><link>{xml(link)}</link><description>{content(d)}</description>"
        f"<guid>{xml(t)}</guid></item>" for t, link, d in items
    )
    doc = f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{xml(channel)}</title>{body}</channel></rss>'
    try:
        parsed = parse_feed(doc.encode("utf-8", "surrogatepass"), url="http://feed.example/rss")
    except FeedError as exc:
        assert clean(str(exc))
    else:
        _assert_parsed_clean(parsed)


HTMLISH = st.lists(st.one_of(TEXT, st.sampled_from([
    "<p>", "</p>", "<div class='share'>", "</div>", "<h2>", "</h2>", "<li>", "<ul>", "<ol>", "<blockquote>",
    "<pre>", "</pre>", "<a href='javascript:alert(1)'>", "</a>", "<img src=x onerror=alert(1)>", "<br>",
    "<script>alert(1)</script>", "<style>p{}</style>", "<iframe src='http://x/'></iframe>", "<table><tr><td>",
    "<figure><figcaption>", "<html><head><title>", "</title></head><body>", "<meta charset='utf-16'>",
    "The council met on Tuesday and agreed to repair the old bridge before winter. ",
])), max_size=25).map("".join)


def _assert_article_clean(article: Article) -> None:
    for value in (article.title, article.standfirst, article.byline, article.url, article.site_name, article.reason):
        assert clean(value)
    for block in article.blocks:
        assert clean(block.text) and block.text.strip()
    assert clean(article.text)


@SLOW
@given(HTMLISH, TEXT)
def test_cleaning_any_html_never_raises_and_gives_clean_text(markup: str, title: str) -> None:
    _assert_article_clean(extract_fragment(markup, title=title))
    _assert_article_clean(extract_article(markup, "http://page.example/a"))
    _assert_article_clean(extract_article(markup.encode("utf-8", "surrogatepass"), title_hint=title))
    assert clean(clean_html(markup, "http://page.example/"))


@FAST
@given(TEXT)
def test_any_title_gives_a_safe_file_stem(title: str) -> None:
    stem = safe_stem(title)
    assert re.fullmatch(r"[^\W_][\w-]*", stem) and len(stem) <= 80
    assert stem not in {"con", "prn", "aux", "nul"} | {f"{d}{i}" for d in ("com", "lpt") for i in range(10)}
