"""The lxml fast path: same results as feedparser for what it accepts, declines everything else."""

from __future__ import annotations

import calendar
import io
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tui.core.feeds import fastparse, parse
from tui.core.feeds.parse import parse_feed

ROOT = Path(__file__).resolve().parents[2]
FEEDS = ROOT / "tests" / "fixtures" / "feeds"
HOSTILE = ROOT / "tests" / "fixtures" / "hostile"
XML = {"content-type": "application/xml"}
URL = "https://feeds.example.com/feed"
_get = dict.get


def _projection(entry: Any) -> dict[str, Any]:
    """What a user sees of an entry, from feedparser's result shape (either reader's)."""
    links = _get(entry, "links")
    if links is not None:
        enclosures = [link for link in links if _get(link, "rel") == "enclosure"]
    else:
        enclosures = _get(entry, "enclosures") or []
    stamp = lambda key: calendar.timegm(_get(entry, key)) if _get(entry, key) else None  # noqa: E731
    return {
        "id": _get(entry, "id"),
        "title": (_get(entry, "title"), _get(_get(entry, "title_detail") or {}, "type")),
        "link": _get(entry, "link"),
        "published": stamp("published_parsed"),
        "updated": stamp("updated_parsed"),
        "author": _get(_get(entry, "author_detail") or {}, "name") or _get(entry, "author"),
        "content": [(_get(c, "type"), _get(c, "value")) for c in _get(entry, "content") or []],
        "summary": tuple((_get(entry, "summary_detail") or {}).get(k) for k in ("type", "value")),
        "enclosures": [(_get(x, "href"), _get(x, "type"), _get(x, "length")) for x in enclosures],
        "tags": [(_get(t, "term"), _get(t, "scheme"), _get(t, "label")) for t in _get(entry, "tags") or []],
        "media": [sorted(m.items()) for m in _get(entry, "media_content") or []],
        "duration": _get(entry, "itunes_duration"),
    }


def _feedparser(body: bytes) -> Any:
    import feedparser

    parse.install()
    return feedparser.parse(io.BytesIO(body), response_headers=dict(XML), sanitize_html=False,
                            resolve_relative_uris=False)


@pytest.mark.parametrize("name", ["fast-rss20.xml", "fast-atom10.xml", "rss20.xml"])
def test_fast_path_reads_well_formed_feeds_exactly_as_feedparser(name: str) -> None:
    body = (FEEDS / name).read_bytes()
    raw = fastparse.read(body, XML)
    assert raw is not None, fastparse.why_declined(body, XML)
    oracle = _feedparser(body)
    assert raw.version == oracle["version"]
    ours = [_projection(e) for e in raw.entries]
    theirs = [_projection(e) for e in oracle["entries"]]
    assert ours == theirs
    # And what gets stored is the same, field for field.
    fast = parse_feed(body, url=URL, headers=XML)
    slow = parse.parse_with_feedparser(body, url=URL, headers=XML)
    assert fast == slow


def test_fast_path_keeps_what_users_see() -> None:
    raw = fastparse.read((FEEDS / "fast-rss20.xml").read_bytes(), XML)
    assert raw is not None
    ferry, podcast, _market = raw.entries
    assert ferry["link"] == "https://gazette.example.org/2026/11/ferry-timetable?ref=rss&src=feed"
    assert ferry["tags"] == [
        {"term": "Transport", "scheme": None, "label": None},
        {"term": "ferries", "scheme": "https://gazette.example.org/tags", "label": None},
    ]
    assert podcast["links"] == [{"href": "https://cdn.example.org/audio/ep17.mp3", "length": "28311552",
                                 "type": "audio/mpeg", "rel": "enclosure"}]
    # A permalink guid stands in for the missing <link>; HTML in an RSS title is recognised.
    assert podcast["link"] == "https://gazette.example.org/podcast/17"
    assert podcast["title_detail"]["type"] == "text/html"
    feed = parse_feed((FEEDS / "fast-rss20.xml").read_bytes(), url=URL, headers=XML)
    assert feed.title == "Harbour Gazette & Almanac" and feed.ttl == 45
    assert feed.entries[1].title == "Podcast: the lighthouse keepers live"
    assert feed.entries[0].published == datetime(2026, 11, 30, 7, 15, tzinfo=UTC)
    assert feed.entries[0].author == "Ines Okafor"
    # A relative link in the content is resolved against the feed's own address.
    assert 'href="https://feeds.example.com/timetable"' in feed.entries[0].content
    # dc:date alone dates the entry (issue 12: no blank dates).
    assert feed.entries[2].published == datetime(2026, 11, 28, 9, 30, tzinfo=UTC)


RSS = b"""<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>T</title>
<link>https://example.com/</link>%s</channel></rss>"""
ATOM = b"""<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">
<title>T</title><id>urn:x</id><updated>2026-01-01T00:00:00Z</updated>%s</feed>"""

DECLINED = {
    "RSS 0.91": (FEEDS / "rss091.xml").read_bytes(),
    "RSS 1.0": (FEEDS / "rss10.rdf").read_bytes(),
    "xml:base": (FEEDS / "atom.xml").read_bytes(),
    "latin-1": RSS.replace(b"utf-8", b"iso-8859-1") % b"<item><title>Caf\xe9</title></item>",
    "undeclared entity": RSS % b"<item><title>a&nbsp;b</title></item>",
    "damaged XML": RSS % b"<item><title>open</item>",
    "DOCTYPE": b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x "y">]>' + RSS.split(b"?>", 1)[1] % b"",
    "markup inside a title": RSS % b"<item><title>a <b>b</b></title></item>",
    "e-mail author": RSS % b"<item><title>a</title><author>jo@example.com (Jo)</author></item>",
    "media:title": (RSS % b"<item><title>a</title><m:title xmlns:m='http://search.yahoo.com/mrss/'>b"
                    b"</m:title></item>"),
    "two descriptions": RSS % b"<item><description>a</description><description>b</description></item>",
    "xhtml content": ATOM % b"""<entry><id>e</id><title>t</title><content type="xhtml">
<div xmlns="http://www.w3.org/1999/xhtml"><p>x</p></div></content></entry>""",
    "content by reference": ATOM % b'<entry><id>e</id><title>t</title><content src="https://x/y"/></entry>',
    "Atom 0.3": b'<feed version="0.3" xmlns="http://purl.org/atom/ns#"><title>t</title></feed>',
    "JSON": b'{"version": "https://jsonfeed.org/version/1.1", "items": []}',
}


@pytest.mark.parametrize("case", sorted(DECLINED))
def test_fast_path_declines_what_it_cannot_read_exactly(case: str) -> None:
    body = DECLINED[case]
    assert fastparse.read(body, XML) is None
    assert fastparse.why_declined(body, XML)


@pytest.mark.parametrize("name", sorted(p.name for p in HOSTILE.glob("*.xml")))
def test_hostile_feeds_are_declined_or_read_identically(name: str) -> None:
    body = (HOSTILE / name).read_bytes()
    raw = fastparse.read(body, XML)
    if raw is None:
        return  # feedparser reads it, behind defuse_entities (tests/hardening)
    assert parse_feed(body, url=URL, headers=XML) == parse.parse_with_feedparser(body, url=URL, headers=XML)


def test_entity_expansion_never_reaches_the_fast_path() -> None:
    bomb = (HOSTILE / "billion-laughs.xml").read_bytes()
    assert fastparse.read(bomb, XML) is None
    assert "DOCTYPE" in (fastparse.why_declined(bomb, XML) or "")


def test_server_content_type_decides_like_feedparser() -> None:
    body = RSS % b"<item><title>Caf\xc3\xa9</title></item>"
    assert fastparse.read(body, {"content-type": "application/rss+xml"}) is not None
    assert fastparse.read(body, {"content-type": "application/rss+xml; charset=utf-8"}) is not None
    # text/xml without a charset is US-ASCII to feedparser; text/html is not XML at all (a warning).
    assert fastparse.read(body, {"content-type": "text/xml"}) is None
    assert fastparse.read(body, {"content-type": "text/html"}) is None
    assert parse_feed(body, url=URL, headers={"content-type": "text/html"}).warning


@pytest.mark.parametrize("name", ["fast-rss20.xml", "fast-atom10.xml"])
def test_a_plain_feed_is_read_without_importing_feedparser(name: str) -> None:
    # The point of the fast path at small feed counts: feedparser's import (~60 ms CPU) is not paid.
    code = (
        "import sys; from tui.core.feeds.parse import parse_feed; "
        f"parse_feed(open({str(FEEDS / name)!r}, 'rb').read(), url='https://x/'); "
        "print('feedparser' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_html_guess_uses_feedparser_element_list() -> None:
    from feedparser.sanitizer import _HTMLSanitizer

    assert fastparse.HTML_ELEMENTS == _HTMLSanitizer.acceptable_elements


def test_podcast_enclosures_are_the_same_through_either_path() -> None:
    body = (FEEDS / "fast-rss20.xml").read_bytes()
    fast = parse_feed(body, url=URL, headers=XML)
    assert fast == parse.parse_with_feedparser(body, url=URL, headers=XML)
    podcast = fast.entries[1]
    assert [(e.url, e.type, e.length, e.duration) for e in podcast.enclosures] == [
        ("https://cdn.example.org/audio/ep17.mp3", "audio/mpeg", 28311552, 1770),
        ("https://cdn.example.org/video/ep17.mp4", "video/mp4", 1048576, 1770),
    ]


def _all_fixture_feeds() -> list[Path]:
    return sorted([*FEEDS.glob("*.xml"), *FEEDS.glob("*.atom"), *HOSTILE.glob("*.xml")])


@pytest.mark.parametrize("path", _all_fixture_feeds(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_direct_entries_are_the_ones_built_through_feedparsers_shape(path: Path) -> None:
    # A refresh builds entries straight from the fast path's walk; what is stored must be what
    # the converter of feedparser-shaped results makes of the same walk, with and without the
    # whitespace-only hygiene of plain ASCII documents.
    body = path.read_bytes()
    fast = fastparse.read_items(body, XML)
    raw = fastparse.read(body, XML)
    if fast is None:
        assert raw is None
        return
    assert raw is not None
    through_raw = parse._from_raw(raw.version, raw.feed, raw.entries, url=URL, warning=None)
    assert parse._from_fast(fast, url=URL) == through_raw
    fast.plain = False
    assert parse._from_fast(fast, url=URL) == through_raw
    assert parse_feed(body, url=URL, headers=XML) == through_raw


def test_plain_document_keeps_whitespace_hygiene() -> None:
    body = RSS % (
        b"<item><title>  Ferry\n\ttimes   change  </title><guid isPermaLink='false'> ferry \n 42 </guid>"
        b"<author>Jane\n   Doe</author><description>  Fares &lt;b&gt;rise&lt;/b&gt;  </description></item>"
        b"<item><title>Plain</title><link>https://gazette.example.org/a?b=1&amp;c=2</link></item>"
    )
    fast = fastparse.read_items(body, XML)
    assert fast is not None and fast.plain
    ferry, plain = parse_feed(body, url=URL, headers=XML).entries
    assert (ferry.title, ferry.guid, ferry.author, ferry.summary) == (
        "Ferry times change", "ferry 42", "Jane Doe", "Fares <b>rise</b>")
    assert plain.guid == plain.link == "https://gazette.example.org/a?b=1&c=2"


def test_character_references_still_get_full_hygiene() -> None:
    # &#x202e; (right-to-left override) and &#13; come only from references: such a document is
    # not plain, and its text is cleaned as feedparser's results are.
    body = RSS % (
        b"<item><title>Tide&#x202e; tables&#13;out</title><guid>t&#x200b;1</guid>"
        b"<author>Ana&#x85; Lima</author><description>caf&#xe9;&#x7f;s</description></item>"
    )
    fast = fastparse.read_items(body, XML)
    assert fast is not None and not fast.plain
    (entry,) = parse_feed(body, url=URL, headers=XML).entries
    assert entry.title == "Tide tables out"
    assert entry.guid == "t1"
    assert "\x85" not in (entry.author or "")
    assert entry.summary == "cafés"
