"""parse_feed on RSS 0.91/1.0/2.0, Atom and JSON Feed fixtures; HTML cleaning; readable failures."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from tui.core.feeds.parse import FeedError, clean_html, parse_feed

FEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "feeds"


def parse(name: str, url: str = "https://feeds.example.com/feed") -> object:
    return parse_feed((FEEDS / name).read_bytes(), url=url)


def test_rss_091_with_latin1_encoding() -> None:
    feed = parse("rss091.xml")
    assert feed.kind == "rss"
    assert feed.title == "Harbour Town Gazette"
    assert feed.site_url == "http://gazette.example.org/"
    assert [e.title for e in feed.entries] == [
        "Ferry timetable changes for the winter",
        "Lighthouse open day draws a crowd",
    ]
    first = feed.entries[0]
    assert "Café opens earlier" in first.summary
    # No guid: the link identifies the entry.
    assert first.guid == first.link == "http://gazette.example.org/news/ferry-winter"
    assert feed.warning is None


def test_rss_10_rdf_with_dublin_core() -> None:
    feed = parse("rss10.rdf")
    assert feed.kind == "rss" and feed.title == "The Field Almanac"
    frost = feed.entries[0]
    assert frost.author == "M. Okafor"
    assert frost.updated == datetime(2024, 10, 3, 4, 30, tzinfo=UTC)


def test_rss_20_fields_links_dates_and_dedup() -> None:
    feed = parse("rss20.xml", url="https://riverside.example.com/news/feed.xml")
    assert feed.ttl == 90
    assert feed.site_url == "https://riverside.example.com/"
    titles = [e.title for e in feed.entries]
    # The third item repeats the first item's guid and is dropped.
    assert titles == [
        "Council approves new footbridge",
        "Library extends weekend hours",
        "Market day moved",
        "Bad date, still an entry",
    ]
    bridge = feed.entries[0]
    assert bridge.guid == "riverside-1001"
    assert bridge.link == "https://riverside.example.com/2024/05/footbridge"
    assert bridge.author == "Ada Lindqvist"
    assert bridge.published == datetime(2024, 5, 14, 7, 0, tzinfo=UTC)
    assert bridge.published.tzinfo is UTC
    assert bridge.summary == "<p>The vote passed <b>seven to two</b>.</p>"


def test_rss_20_content_is_cleaned_and_links_resolved() -> None:
    bridge = parse("rss20.xml", url="https://riverside.example.com/news/feed.xml").entries[0]
    html = bridge.content
    for bad in ("<script", "document.write", "<style", "color: red", "<iframe", "onclick", "onerror",
                "javascript:", "data:text"):
        assert bad not in html
    assert "The footbridge will link the market to the park." in html
    assert 'href="https://riverside.example.com/plans/footbridge.pdf"' in html
    assert 'src="https://riverside.example.com/news/images/bridge.jpg"' in html
    assert 'alt="Bridge drawing"' in html


def test_far_future_and_invalid_dates_become_none() -> None:
    feed = parse("rss20.xml")
    market = next(e for e in feed.entries if e.title == "Market day moved")
    bad = next(e for e in feed.entries if e.title.startswith("Bad date"))
    assert market.published is None
    assert bad.published is None


def test_entry_without_id_or_link_is_identified_by_content_hash() -> None:
    bad = next(e for e in parse("rss20.xml").entries if e.title.startswith("Bad date"))
    assert bad.link is None
    assert bad.guid == bad.content_hash and len(bad.content_hash) == 40


def test_atom_xml_base_titles_and_plain_text_content() -> None:
    feed = parse("atom.xml")
    assert feed.kind == "atom"
    assert feed.title == "Workshop Notebook"  # type="html" title, tags stripped
    assert feed.site_url == "https://notebook.example.com/blog/"
    chisels, dovetail = feed.entries
    assert chisels.link == "https://notebook.example.com/blog/posts/chisels"
    assert chisels.published == datetime(2024, 6, 1, 13, 0, tzinfo=UTC)
    assert chisels.updated == datetime(2024, 6, 2, 10, 0, tzinfo=UTC)
    assert chisels.summary == "Flattening the back comes first."
    assert 'href="https://notebook.example.com/blog/posts/stones"' in chisels.content
    assert 'src="https://notebook.example.com/img/chisel.png"' in chisels.content
    assert "javascript" not in chisels.content and "chisel-2x.png 2x" in chisels.content
    assert dovetail.title == "A dovetail jig"  # xhtml title as text
    assert dovetail.content == "<p>Plain text body.</p><p>Second paragraph with &lt;angle brackets&gt;.</p>"


def test_json_feed_10() -> None:
    feed = parse("jsonfeed10.json", url="https://orbit.example.org/feed.json")
    assert feed.kind == "json" and feed.title == "Orbit Notes"
    assert feed.site_url == "https://orbit.example.org/"
    sail, comet = feed.entries
    assert sail.guid == "2"  # numeric id in 1.0 becomes a string
    assert sail.link == "https://orbit.example.org/posts/solar-sail"
    assert sail.author == "Priya Raman"  # feed-level author
    assert sail.published == datetime(2024, 3, 10, 13, 0, tzinfo=UTC)
    assert sail.updated == datetime(2024, 3, 11, 8, 0, tzinfo=UTC)
    assert sail.summary == "Why sunlight can push a spacecraft."
    assert "<script" not in sail.content
    assert 'href="https://orbit.example.org/diagrams/sail"' in sail.content
    assert comet.link == "https://elsewhere.example.com/comet"  # external_url when no url
    assert comet.published is None
    assert comet.content == "<p>Look low in the west after sunset.</p><p>Binoculars help.</p>"


def test_json_feed_11_authors_dedup_and_unsafe_links() -> None:
    feed = parse("jsonfeed11.json", url="https://ledger.example.com/feed.json")
    assert [e.guid for e in feed.entries] == ["bread-101", "soup"]
    bread, soup = feed.entries
    assert bread.author == "Lee Park, Sam Ortiz"
    assert soup.author == "Sam Ortiz"
    assert soup.link is None


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "empty response"),
        (b"  \n\t ", "empty response"),
        (b"<!DOCTYPE html><html><head><title>Home</title></head><body>Hi</body></html>",
         "not a feed: got an HTML page"),
        (b"<html><body><p>Moved</p></body></html>", "not a feed: got an HTML page"),
        (b'<?xml version="1.0"?>\n<rss version="2.0">\n<<channel>>>\n', "not a feed: malformed XML (line 3)"),
        (b'{"name": "not a feed"}', "not a feed: JSON that is not a JSON Feed"),
        (b'{"version": "https://jsonfeed.org/version/1.1", "items": [', "not a feed: malformed JSON (line 1)"),
        (b'<?xml version="1.0"?><urlset><url><loc>https://x/</loc></url></urlset>',
         "not a feed: no RSS or Atom document found"),
    ],
)
def test_readable_errors(body: bytes, message: str) -> None:
    with pytest.raises(FeedError) as info:
        parse_feed(body, url="https://example.com/feed")
    assert str(info.value) == message


def test_damaged_xml_that_still_has_items_is_read_with_a_warning() -> None:
    body = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>Damaged</title>'
        b"<item><title>One & two</title><link>https://d.example/1</link></item>"
        b"</channel></rss>"
    )
    feed = parse_feed(body, url="https://d.example/feed")
    assert [e.title for e in feed.entries] == ["One & two"]
    assert feed.warning and "malformed XML" in feed.warning


def test_control_characters_never_leave_the_parser() -> None:
    rss = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Zero\u200bwidth feed</title>'
        "<item><title>Bidi \u202etrick</title><link>https://e.example/1</link>"
        "<description>Body\u200b text</description></item></channel></rss>"
    ).encode()
    feed = parse_feed(rss, url="https://e.example/feed")
    assert feed.title == "Zerowidth feed"
    assert feed.entries[0].title == "Bidi trick"
    assert feed.entries[0].summary == "Body text"
    doc = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Escape\u001b]0;owned\u0007 feed",
        "items": [{"id": "1", "title": "Red \u001b[31malert\u009b", "content_html": "<p>x\u001b[2Jy</p>",
                   "authors": [{"name": "Eve\u0000"}]}],
    }
    feed = parse_feed(json.dumps(doc).encode(), url="https://e.example/feed.json")
    entry = feed.entries[0]
    assert feed.title == "Escape feed"
    assert entry.title == "Red alert"
    assert entry.content == "<p>xy</p>"
    assert entry.author == "Eve"


def test_json_feed_far_future_date_is_dropped() -> None:
    soon = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    later = (datetime.now(UTC) + timedelta(days=30)).isoformat()
    doc = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Dates",
        "items": [
            {"id": "a", "title": "Tomorrow", "content_text": "x", "date_published": soon},
            {"id": "b", "title": "Next month", "content_text": "y", "date_published": later},
        ],
    }
    a, b = parse_feed(json.dumps(doc).encode(), url="https://j.example/feed.json").entries
    assert a.published is not None and b.published is None


@pytest.mark.parametrize(
    ("dirty", "clean"),
    [
        ('<p>Hi<script>alert(1)</script></p>', "<p>Hi</p>"),
        ('<p onmouseover="x()">Hi</p>', "<p>Hi</p>"),
        ('<a href="  JaVa\tScRiPt:alert(1)">x</a>', "<a>x</a>"),
        ('<a href="&#106;avascript:alert(1)">x</a>', "<a>x</a>"),
        ('<img src="data:image/png;base64,AAAA" alt="a">', '<img alt="a">'),
        ('<img/src="/a.png"/onerror=alert(1)>', '<img src="https://s.example/a.png">'),
        ('<p>a</p><iframe src="https://ads.example/"></iframe><p>b</p>', "<p>a</p><p>b</p>"),
        ('<p style="color:red">styled</p><style>p{}</style>', '<p style="color:red">styled</p>'),
        ('<a href="../up">up</a>', '<a href="https://s.example/up">up</a>'),
        ('<a href="#note">n</a>', '<a href="#note">n</a>'),
        ("plain text, no tags", "plain text, no tags"),
        ('<a href="https://ok.example/x">fine</a>', '<a href="https://ok.example/x">fine</a>'),
    ],
)
def test_clean_html(dirty: str, clean: str) -> None:
    assert clean_html(dirty, "https://s.example/dir/page") == clean


def test_each_atom_entry_keeps_its_own_content_type_and_base() -> None:
    # feedparser copies one set of content parameters per element; none may leak to the next.
    doc = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://quay.example.net/">
  <title>Quay Notes</title><id>urn:quay</id><updated>2024-06-01T00:00:00Z</updated>
  <entry><id>urn:quay:1</id><title>Tides</title><updated>2024-06-01T00:00:00Z</updated>
    <content type="html" xml:base="https://quay.example.net/tides/">&lt;a href="chart.html"&gt;chart&lt;/a&gt;</content>
  </entry>
  <entry><id>urn:quay:2</id><title>Nets</title><updated>2024-06-01T00:00:00Z</updated>
    <content type="text">mend &lt;b&gt; nets</content>
  </entry>
  <entry><id>urn:quay:3</id><title>Boats</title><updated>2024-06-01T00:00:00Z</updated>
    <content type="html" xml:base="https://boats.example.org/yard/">&lt;a href="list.html"&gt;list&lt;/a&gt;</content>
  </entry>
</feed>"""
    tides, nets, boats = parse_feed(doc, url="https://quay.example.net/atom").entries
    assert 'href="https://quay.example.net/tides/chart.html"' in tides.content
    assert nets.content == "<p>mend &lt;b&gt; nets</p>"
    assert 'href="https://boats.example.org/yard/list.html"' in boats.content


@pytest.mark.parametrize(
    ("link", "stored"),
    [
        ("https://news.example.com/2024/05/story-1", "https://news.example.com/2024/05/story-1"),
        ("http://Example.COM/a/../b", "http://Example.COM/a/../b"),  # kept as written, not normalised
        ("https://e.com/a?", "https://e.com/a"),
        ("https://e.com/a#", "https://e.com/a"),
        ("https://e.com/a;p?q=1#f", "https://e.com/a;p?q=1#f"),
        ("https:///x", "https://feeds.example.org/x"),  # no host: the feed's
        ("/relative/path", "https://feeds.example.org/relative/path"),
        (" https://e.com/x ", "https://e.com/x"),
        ("javascript:alert(1)", None),
    ],
)
def test_entry_links_are_stored_absolute_and_otherwise_as_given(link: str, stored: str | None) -> None:
    body = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>T</title>'
        f"<item><title>A</title><link>{escape(link)}</link><guid>g</guid></item></channel></rss>"
    ).encode()
    [entry] = parse_feed(body, url="https://feeds.example.org/feed.xml").entries
    assert entry.link == stored
