"""OPML 1.0/2.0 and newsboat urls import, OPML export round trips, import into a real store."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from tui.core.feeds.subscriptions import (
    Subscription,
    SubscriptionError,
    import_into,
    normalise_url,
    read_subscriptions,
    to_opml,
)
from tui.core.store import Store

FEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "feeds"


def test_opml_10_nested_outlines_become_tags_named_by_their_path() -> None:
    subs, warnings = read_subscriptions(FEEDS / "opml10.opml")
    assert warnings == []
    assert subs == [
        Subscription("http://gazette.example.org/rss.xml", "Harbour Town Gazette", ("News",)),
        Subscription("https://riverside.example.com/feed", "Riverside Daily", ("News/Local",)),
        Subscription("https://cafe.example.net/rss", "Café Culture", ()),
    ]


def test_opml_20_categories_duplicates_and_bad_urls() -> None:
    subs, warnings = read_subscriptions((FEEDS / "opml20.opml").read_bytes())
    by_url = {s.url: s for s in subs}
    assert len(subs) == 4  # the almanac appears twice and is merged; the ftp feed is skipped
    almanac = by_url["https://almanac.example.net/rss"]
    assert almanac.title == "The Field Almanac"
    assert set(almanac.tags) == {"Science/Earth", "weather", "farming/soil", "Hobbies"}
    assert by_url["https://notebook.example.com/blog/atom.xml"].title == "Workshop Notebook"
    assert by_url["https://ledger.example.com/feed.json"].tags == ()
    assert warnings == ["skipped Not a web feed: not an http(s) URL (ftp://files.example.com/feed.xml)"]


def test_newsboat_urls_file() -> None:
    subs, warnings = read_subscriptions(FEEDS / "urls")
    assert subs == [
        Subscription("https://riverside.example.com/feed", "", ("local", "news", "duplicate")),
        Subscription("https://orbit.example.org/feed.json", "Orbit Notes (JSON)", ("science", "space and sky")),
        Subscription("http://gazette.example.org/rss.xml", "Harbour Town Gazette", ("news",)),
        Subscription("https://notebook.example.com/blog/atom.xml", "", ("hobbies",)),
    ]
    assert warnings == [
        "line 7: skipped a newsboat query feed",
        "line 8: skipped an exec: feed (it runs a local command)",
        "line 9: skipped a filter: feed (it runs a local command)",
    ]


def test_urls_file_with_a_line_that_is_no_feed_url_is_refused_naming_the_line() -> None:
    # Issue 12 item 3: a line that is neither a feed URL, a query/exec/filter line nor a comment
    # means the file is not a urls file; refusing it whole beats subscribing its words as hosts.
    with pytest.raises(SubscriptionError, match=r"line 1 is not a feed URL \(mailto:someone@example.com\)"):
        read_subscriptions(b"mailto:someone@example.com\nhttps://ok.example/feed tag\n")
    with pytest.raises(SubscriptionError, match=r"line 2: not a valid URL"):
        read_subscriptions(b"https://ok.example/feed\nhttps://[oops/feed\n")


@pytest.mark.parametrize("name", ["opml10.opml", "opml20.opml", "urls"])
def test_export_import_round_trip(name: str) -> None:
    subs, _ = read_subscriptions(FEEDS / name)
    again, warnings = read_subscriptions(to_opml(subs).encode())
    assert warnings == []
    assert {(s.url, s.title, frozenset(s.tags)) for s in again} == {
        (s.url, s.title, frozenset(s.tags)) for s in subs
    }


def test_round_trip_keeps_tags_that_category_cannot_carry() -> None:
    subs = [
        Subscription("https://a.example/feed", "A & <B>", ("news", "tech/linux", "x,y")),
        Subscription("https://b.example/feed", "", ()),
    ]
    opml = to_opml(subs)
    again, _ = read_subscriptions(opml.encode())
    assert {(s.url, s.title, frozenset(s.tags)) for s in again} == {
        ("https://a.example/feed", "A & <B>", frozenset({"news", "tech/linux", "x,y"})),
        ("https://b.example/feed", "", frozenset()),
    }
    root = etree.fromstring(opml.encode())
    assert root.get("version") == "2.0"
    assert root.findtext("head/title") == "Newswire subscriptions"
    # Untitled feeds still have the required text attribute.
    assert root.find("body/outline[@xmlUrl='https://b.example/feed']").get("text") == "https://b.example/feed"


def test_entities_are_not_expanded() -> None:
    bomb = b"""<?xml version="1.0"?>
<!DOCTYPE opml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY ext SYSTEM "file:///etc/passwd">]>
<opml version="2.0"><body>
<outline text="&b;&ext;" title="&b;&ext;" xmlUrl="https://safe.example/feed"/>
</body></opml>"""
    subs, _ = read_subscriptions(bomb)
    assert [s.url for s in subs] == ["https://safe.example/feed"]
    assert "aaaaaaaaaa" not in subs[0].title and "root:" not in subs[0].title


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<rss version='2.0'><channel/></rss>", "not an OPML file (the document is <rss>)"),
        (b"<opml version='2.0'><head/></opml>", "not an OPML file (no <body>)"),
        (b"\xff\xfe\x00garbage", "neither OPML nor a urls file (not UTF-8 text)"),
    ],
)
def test_unreadable_files_raise_a_readable_error(data: bytes, message: str) -> None:
    with pytest.raises(SubscriptionError) as info:
        read_subscriptions(data)
    assert str(info.value) == message


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("HTTPS://Example.COM/Feed.xml", "https://example.com/Feed.xml"),
        ("feed://example.com/rss", "http://example.com/rss"),
        ("feed:https://example.com/rss", "https://example.com/rss"),
        ("example.com/rss", "https://example.com/rss"),
        ("  http://example.com:8080  ", "http://example.com:8080/"),
    ],
)
def test_normalise_url(given: str, expected: str) -> None:
    assert normalise_url(given) == expected


@pytest.mark.parametrize("bad", ["", "ftp://example.com/x", "http://", "https://exa mple.com/"])
def test_normalise_url_rejects(bad: str) -> None:
    with pytest.raises(ValueError):
        normalise_url(bad)


def test_import_into_a_store_merges_with_existing_feeds(tmp_path: Path) -> None:
    with Store(tmp_path / "newswire.db") as store:
        store.add_feed("https://riverside.example.com/feed", tags=("mine",))
        subs, _ = read_subscriptions(FEEDS / "urls")
        counts = import_into(store, subs)
        assert (counts.added, counts.existing) == (3, 1)
        riverside = store.feed_by_url("https://riverside.example.com/feed")
        assert set(riverside.tags) == {"mine", "local", "news", "duplicate"}
        assert store.feed_by_url("https://orbit.example.org/feed.json").title == "Orbit Notes (JSON)"
        again = import_into(store, subs)
        assert (again.added, again.existing) == (0, 4)
        exported = to_opml(store.feeds())
    back, _ = read_subscriptions(exported.encode())
    assert {s.url: set(s.tags) for s in back}["https://riverside.example.com/feed"] == {
        "mine", "local", "news", "duplicate",
    }
