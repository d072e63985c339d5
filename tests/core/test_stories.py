"""Stories end to end: copies grouped across feeds, other stories on one event kept apart, versions, diffs, CLI."""

from __future__ import annotations

import html
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.httpserver import FeedServer, Route
from tui.cli import main
from tui.core.paths import resolve_paths
from tui.core.store import Store
from tui.core.stories import _entry_keys, diff_texts, html_paragraphs, lead_keys, same_story, sketch

STORIES = Path(__file__).resolve().parents[1] / "fixtures" / "stories"


def story(name: str) -> tuple[str, list[str]]:
    """(headline, paragraphs) of a fixture text."""
    parts = [p.strip() for p in (STORIES / f"{name}.txt").read_text().split("\n\n") if p.strip()]
    return parts[0], parts[1:]


def item(guid: str, name: str, *, junk: str = "") -> str:
    title, paras = story(name)
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paras) + junk
    return (
        f"<item><title>{html.escape(title)}</title><link>https://news.example/{guid}</link>"
        f"<guid isPermaLink='false'>{guid}</guid><pubDate>Tue, 03 Nov 2026 0{len(guid) % 9}:00:00 GMT</pubDate>"
        f"<content:encoded><![CDATA[{body}]]></content:encoded></item>"
    )


def rss(title: str, *items: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        f"<title>{title}</title><link>https://news.example/</link>{''.join(items)}</channel></rss>"
    ).encode()


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    out, _ = capsys.readouterr()
    return code, out


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as srv:
        yield srv


# -- the rule ---------------------------------------------------------------------------------------


def test_copies_are_one_story_and_other_stories_on_the_same_event_are_not() -> None:
    s = {
        name: sketch(story(name)[1])
        for name in (
            "ferry-original",
            "ferry-brief",
            "ferry-updated",
            "ferry-council",
            "ferry-council-brief",
            "orchard",
        )
    }
    # A brief under another headline with a dateline, and an updated copy, are the story.
    assert same_story(s["ferry-original"], s["ferry-brief"])
    assert same_story(s["ferry-brief"], s["ferry-original"])
    assert same_story(s["ferry-original"], s["ferry-updated"])
    assert same_story(s["ferry-brief"], s["ferry-updated"])
    # The council's story names the same people and places, repeats a quote and two background
    # paragraphs: another story. Its brief shares two of its three paragraphs with the ferry story.
    for other in ("ferry-council", "ferry-council-brief", "orchard"):
        for name in ("ferry-original", "ferry-brief", "ferry-updated"):
            assert not same_story(s[name], s[other]), (name, other)
    assert same_story(s["ferry-council"], s["ferry-council-brief"])


def test_a_list_without_a_lead_is_found_by_its_opening_lines_and_another_days_list_is_not() -> None:
    """Results, schedules and listings have no paragraph long enough to be a lead: their keys come
    from their opening lines, so copies meet; a list of the same event on another day stays apart."""
    from tui.core.stories import cluster

    _, day1 = story("regatta-day1")
    _, day2 = story("regatta-day2")
    copies = {
        1: day1,
        2: ["Advertisement", *day1[:-1], "Share this article"],  # another outlet's page, the last line cut
        3: ["PORT ALDER (Coast Wire) - " + day1[0], *day1[1:5]],  # a brief of the first lines
        4: day2,
    }
    found = cluster(copies.items())
    assert found[1] == found[2] == found[3] == 1
    assert found[4] == 4


def test_a_teaser_is_too_short_to_join_anything() -> None:
    _, paras = story("ferry-original")
    teaser = sketch([paras[0][:80] + "…"])
    assert not same_story(teaser, sketch(paras))


def test_a_story_is_found_by_the_same_keys_however_its_feed_lays_out_the_html() -> None:
    """The refresh reads only a feed item's opening for its keys (`_entry_keys`): every layout gives
    the keys of the cleaned paragraphs, so copies from outlets that mark up alike text differently meet."""
    _, paras = story("ferry-original")
    escaped = [html.escape(p) for p in paras]
    lead, rest = paras[0], paras[1:]
    layouts = {
        "paragraphs": "".join(f"<p>{p}</p>" for p in escaped),
        "blank lines": "\n\n".join(escaped),
        "line breaks": "<br><br>".join(escaped),
        "attributes and spans": "".join(f'<p class="x">\n  <span>{p}</span>\n</p>' for p in escaped),
        "entities": "".join(f"<p>{p.replace(' ', '&nbsp;', 3).replace(',', '&#44;')}</p>" for p in escaped),
        "two paragraphs in a block": f"<div>{escaped[0]}\n\n{escaped[1]}</div>" + "".join(f"<p>{p}</p>" for p in escaped[2:]),
        "dateline": "".join(f"<p>{p}</p>" for p in [f"PORT ALDER (Coast Wire) - {escaped[0]}", *escaped[1:]]),
        "kicker before the lead": "<p>Strike latest</p>" + "".join(f"<p>{p}</p>" for p in escaped),
        "lead in one long block": f"<p>{html.escape(' '.join(paras[:3]))}</p>",
    }
    expected = lead_keys([lead, *rest])[0]
    assert len(expected) == 6
    for name, fragment in layouts.items():
        if name == "lead in one long block":
            assert _entry_keys(fragment, None) == lead_keys([" ".join(paras[:3])])[0], name
        else:
            assert _entry_keys(fragment, None) == expected, name
        assert _entry_keys(fragment, None) == lead_keys(html_paragraphs(fragment))[0], name


# A line of each kind the keys pass over to find the lead: every alternative of the update-note and
# page-leftover patterns (`_NOTE`, `_JUNK`), in the case and punctuation outlets write them.
NOTES_AND_LEFTOVERS = [
    "Update: the ferry operator has since confirmed the crossings", "UPDATES 2 - adds the union's reply",
    "Updated at 5pm with the operator's statement", "Updating with the latest figures from the port",
    "Editor's note: this story contains an account of the strike", "Editors note: names have been changed",
    "Correction: an earlier version misstated the date", "Clarification - the fare applies to cars only",
    "Breaking news: crossings are cancelled", "Developing story, check again for details",
    "BREAKING: the talks have ended", "This story has been updated to include the council's reply",
    "This article was corrected on Tuesday", "This report is being updated as news comes in",
    "This post has been amended", "This item was changed after publication", "This version has been updated",
    "An earlier version of this story gave the wrong date", "Earlier version of this piece named the wrong port",
    "First published on Monday morning", "Originally published at the Coast Wire", "Last updated 5:40 pm",
    "Check back for updates through the day", "More to come on this story", "More to follow shortly",
    "Follow our live coverage of the strike", "Follow the live blog here", "Reporting by Jane Doe in Port Alder",
    "Staff reporting by the harbour desk", "Writing by Sam Lee", "Editing by Alice Moor",
    "Additional reporting by Tom Reed", "Contributed to this report: Jo Ames",
    "(Updates with the union's statement in paragraph four)", "(Adds quotes from the operator)",
    "(Recasts; adds detail)", "(Corrects spelling of the minister's name)", "(Refiles to fix a typo)",
    "(Changes headline)", "(With more on the talks)",
    "Also read: the ferry timetable for winter", "Read also: how the strike began", "Read more: the port's plans",
    "Related: the last strike", "Related coverage: ferries", "Related stories : the harbour", "Related articles: fares",
    "See also: the union's demands", "More on this story from our desk", "Recommended for you this week",
    "Don't miss: our guide to the coast", "Dont miss the harbour festival", "Must read: the full report",
    "Click here to get the timetable", "Sign up for the morning briefing", "Subscribe to our newsletter today",
    "Join our community of readers", "Get our free app for the latest", "Get the latest news in your inbox",
    "Catch all the latest coverage", "Download the app to follow the story", "Download our app now",
    "Follow us on every platform", "Share this article with a friend", "Share on social media",
    "Listen to this article in five minutes", "Watch: the ferry leaves the port", "Advertisement for the festival",
    "Sponsored by the harbour board", "(c) 2026 Coast Wire, a news agency", "Copyright 2026 Coast Wire",
    "All rights reserved by the Coast Wire agency", "The post Ferry strike ends appeared first on Coast News",
    "This story was published from a wire agency feed", "The article has been generated from a syndicated feed",
    "This shop has been compensated by the ferry company", "This review was paid for by the operator",
    "This content is sponsored by the port", "This video was sponsored by the harbour",
    "This page has been compensated by advertisers", "Sponsored content from the ferry company",
    "Paid post by the harbour board", "Paid partnership with the port", "Contains affiliate links to tickets",
    "We may earn a commission when you buy", "We earn a small commission from links", "We receive compensation from partners",
]


@pytest.mark.parametrize("opening", ["", "** ", "... ", "[ ", "> "])
@pytest.mark.parametrize("length", [16, 35])
def test_an_update_note_or_page_leftover_before_the_lead_never_gives_the_keys(opening: str, length: int) -> None:
    """Every line the note and leftover patterns catch, written before the lead at a length where they
    apply (under 30 words and over, where the refresh reads only a paragraph's first words), is passed
    over: the copy is keyed by its lead, as the copy without the line is, and meets it."""
    from tui.core.stories import _JUNK, _NOTE, _unblob, stored_keys

    _, paras = story("ferry-original")
    expected = lead_keys(paras)[0]
    filler = "on the coast today as the strike went on".split()
    for line in NOTES_AND_LEFTOVERS:
        words = (opening + line).split()
        more = [filler[i % len(filler)] for i in range(length - len(words))]
        # A wire's "(Updates …)" line is one parenthesis: the words go inside it.
        note = " ".join([*words[:-1], words[-1][:-1], *more]) + ")" if line.endswith(")") else " ".join(words + more)
        assert _NOTE.match(note) or _JUNK.match(note), note  # the line is one the patterns catch
        fragment = "".join(f"<p>{html.escape(p)}</p>" for p in [note, *paras])
        keys = _unblob(stored_keys([fragment])[0])
        assert keys is not None and frozenset(keys) == expected, note


def test_diff_names_the_headline_edits_additions_cuts_and_quotes() -> None:
    old_title, old = story("ferry-original")
    new_title, new = story("ferry-updated")
    diff = diff_texts(old_title, old, new_title, new)
    assert diff.title_changed
    kinds = {(c.kind, c.text[:30]) for c in diff.changes}
    assert ("cut", "The last strike on the route, ") in kinds
    assert ("added", "On Wednesday evening both side") in kinds
    assert ("added", "This story has been updated wi") in kinds
    edited = [c for c in diff.changes if c.kind == "edited"]
    assert len(edited) == 1
    assert ("-", "talks", "") in edited[0].words and ("+", "negotiations", "") in edited[0].words
    assert any("open mind" in q for q in diff.quotes_added)
    assert diff.unchanged == 5
    assert diff_texts(old_title, old, old_title, old).same


# -- in the store, through the real refresh and CLI --------------------------------------------------


def test_refresh_groups_copies_across_feeds_and_the_cli_shows_them(
    server: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    wire = server.route("/wire", Route(body=rss("Coast Wire", item("w1", "ferry-original"), item("w2", "orchard"))))
    daily = server.route(
        "/daily",
        Route(
            body=rss(
                "Island Daily",
                item(
                    "d1",
                    "ferry-brief",
                    junk="<p>Advertisement</p><p>Sign up for our newsletter to get the news in your inbox.</p>",
                ),
            )
        ),
    )
    town = server.route(
        "/town", Route(body=rss("Town Hall News", item("t1", "ferry-council"), item("t2", "ferry-council-brief")))
    )
    for url in (wire, daily, town):
        assert main(["add", url]) == 0
    assert main(["refresh"]) == 0
    capsys.readouterr()

    _, out = cli(capsys, "list", "--json")
    rows = {r["title"]: r for r in json.loads(out)}
    original = rows[story("ferry-original")[0]]
    brief = rows[story("ferry-brief")[0]]
    council = rows[story("ferry-council")[0]]
    council_brief = rows[story("ferry-council-brief")[0]]
    assert original["story"] is not None and original["story"] == brief["story"]
    assert council["story"] is not None and council["story"] == council_brief["story"]
    assert council["story"] != original["story"]
    assert rows[story("orchard")[0]]["story"] is None

    _, out = cli(capsys, "stories", "--json")
    found = {s["id"]: s for s in json.loads(out)}
    ferry = found[original["story"]]
    assert {e["id"] for e in ferry["entries"]} == {original["id"], brief["id"]}
    assert sorted(ferry["outlets"]) == ["Coast Wire", "Island Daily"]
    assert ferry["best"] == original["id"]  # the fullest copy
    assert ferry["first_seen"] and ferry["last_seen"] and ferry["unread"] == 2

    _code, out = cli(capsys, "stories")
    assert f"story {original['story']}" in out and "2 copies in 2 outlets" in out

    # Marking the story read marks every copy read, and nothing else.
    assert cli(capsys, "story-read", str(original["story"]))[0] == 0
    _, out = cli(capsys, "list", "--json")
    read = {r["id"]: r["read"] for r in json.loads(out)}
    assert read[original["id"]] and read[brief["id"]] and not read[council["id"]]

    _, out = cli(capsys, "diff", str(original["id"]), str(brief["id"]), "--json")
    diff = json.loads(out)
    assert diff["title"]["changed"] and len([c for c in diff["changes"] if c["kind"] == "cut"]) == 4


def test_a_changed_entry_keeps_its_earlier_version_and_is_marked_updated(
    server: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    wire = server.route("/wire", Route(body=rss("Coast Wire", item("w1", "ferry-original"))))
    daily = server.route("/daily", Route(body=rss("Island Daily", item("d1", "ferry-brief"))))
    for url in (wire, daily):
        main(["add", url])
    main(["refresh"])
    server.route("/wire", Route(body=rss("Coast Wire", item("w1", "ferry-updated"))))
    assert main(["refresh", "--force"]) == 0
    capsys.readouterr()

    code, out = cli(capsys, "list", "--json")
    rows = json.loads(out)
    updated = next(r for r in rows if r["feed"] == "Coast Wire")
    brief = next(r for r in rows if r["feed"] == "Island Daily")
    assert len(rows) == 2 and updated["title"] == story("ferry-updated")[0]
    assert updated["updated"] and not brief["updated"]
    assert updated["story"] == brief["story"] is not None  # grouped again by its new text

    code, out = cli(capsys, "diff", str(updated["id"]), "--json")
    (version,) = json.loads(out)
    assert version["title"]["old"] == story("ferry-original")[0]
    assert version["title"]["new"] == story("ferry-updated")[0]
    assert any(c["kind"] == "cut" and c["text"].startswith("The last strike") for c in version["changes"])
    assert any("open mind" in q for q in version["quotes_added"])

    code, out = cli(capsys, "diff", str(updated["id"]))
    assert code == 0 and "[-talks-] {+negotiations+}" in out and "+ quote:" in out

    store = Store(resolve_paths().database)
    try:
        (old,) = store.entry_versions(updated["id"])
        assert "talks over pay" in str(old["content"])
    finally:
        store.close()


def test_diff_of_an_unknown_entry_is_one_line_and_exit_1(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["diff", "41", "42"])
    captured = capsys.readouterr()
    assert code == 1 and captured.err.strip() == "newswire: no such entry: 41"


def test_the_best_copy_is_the_fullest_clean_one_even_when_it_arrives_later(
    server: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    # The same wire text twice: the aggregator's copy (first) keeps its page's leftovers, the
    # outlet's copy (a refresh later) is clean. Counting words alone would pick the aggregator.
    junk = (
        "<p>Read more: the latest news from the islands, every morning in your inbox, free of charge.</p>"
        "<p>Sign up for our newsletter and get the day's top stories from the coast and the islands.</p>"
        "<p>© 2026 Island Aggregator. All rights reserved. No part of this page may be reproduced.</p>"
    )
    aggregator = server.route("/agg", Route(body=rss("Island Aggregator", item("a1", "ferry-original", junk=junk))))
    main(["add", aggregator])
    main(["refresh"])
    wire = server.route("/wire", Route(body=rss("Coast Wire", item("w1", "ferry-original"))))
    main(["add", wire])
    main(["refresh"])
    capsys.readouterr()
    rows = {r["feed"]: r for r in json.loads(cli(capsys, "list", "--json")[1])}
    found = json.loads(cli(capsys, "stories", "--json")[1])
    assert len(found) == 1
    assert {e["id"] for e in found[0]["entries"]} == {rows["Island Aggregator"]["id"], rows["Coast Wire"]["id"]}
    assert found[0]["best"] == rows["Coast Wire"]["id"]


def test_grouping_from_scratch_gives_the_same_stories(server: FeedServer, capsys: pytest.CaptureFixture[str]) -> None:
    wire = server.route(
        "/wire", Route(body=rss("Coast Wire", item("w1", "ferry-original"), item("w2", "ferry-council")))
    )
    daily = server.route(
        "/daily", Route(body=rss("Island Daily", item("d1", "ferry-brief"), item("d2", "ferry-council-brief")))
    )
    for url in (wire, daily):
        main(["add", url])
    main(["refresh"])
    capsys.readouterr()
    before = json.loads(cli(capsys, "stories", "--json")[1])
    after = json.loads(cli(capsys, "stories", "--rebuild", "--json")[1])
    assert len(before) == 2
    assert [sorted(e["id"] for e in s["entries"]) for s in before] == [
        sorted(e["id"] for e in s["entries"]) for s in after
    ]


def test_an_entry_whose_text_becomes_another_story_leaves_its_story(
    server: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    wire = server.route("/wire", Route(body=rss("Coast Wire", item("w1", "ferry-original"))))
    daily = server.route("/daily", Route(body=rss("Island Daily", item("d1", "ferry-brief"))))
    for url in (wire, daily):
        main(["add", url])
        main(["refresh", url])  # the wire's entry first: the story is named after it
    capsys.readouterr()
    rows = json.loads(cli(capsys, "list", "--json")[1])
    assert {r["story"] for r in rows} == {min(r["id"] for r in rows)}
    # The wire reuses the item for another story altogether: both entries now stand alone.
    server.route("/wire", Route(body=rss("Coast Wire", item("w1", "orchard"))))
    main(["refresh", "--force"])
    capsys.readouterr()
    rows = json.loads(cli(capsys, "list", "--json")[1])
    assert [r["story"] for r in rows] == [None, None]
    assert json.loads(cli(capsys, "stories", "--json")[1]) == []


def test_marking_a_story_read_queues_its_synced_copies_for_the_server(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from tui.core.models import ParsedEntry, ParsedFeed

    with Store(tmp_path / "s.db") as store:
        feed, _ = store.add_feed("https://wire.example/feed")
        items = tuple(ParsedEntry(guid=g, title=g, content_hash=g) for g in ("a", "b", "c"))
        store.apply_refresh(feed.id, checked_at=datetime.now(UTC), status="ok", error=None,
                            parsed=ParsedFeed(kind="rss", entries=items))
        ids = {e.guid: e.id for e in store.entries()}
        with store._tx() as conn:  # two copies of one story, both known to the server; "c" stands alone
            conn.execute("UPDATE entries SET story = ?, remote_id = guid WHERE guid IN ('a', 'b')", (ids["a"],))
        assert store.set_story_read(ids["a"]) == 2
        assert {e.guid for e in store.entries() if e.read} == {"a", "b"}
        assert sorted((c.remote_id, c.field, c.value) for c in store.queued_changes()) == [
            ("a", "read", True), ("b", "read", True),
        ]


def test_a_database_grouped_before_the_placing_index_still_places_every_entry(tmp_path: Path) -> None:
    """A database from the release before schema 12: an entry waiting to be placed again (its sketch
    deleted) below the highest placed id is placed on the next pass, and the earlier groups hold."""
    import sqlite3

    from tui.core.store import migrate
    from tui.core.stories import update_stories

    db = tmp_path / "old.db"
    conn = sqlite3.connect(db, isolation_level=None)
    migrate(conn, target=11)
    conn.execute("INSERT INTO feeds (url, title, added_at) VALUES ('https://a.example/feed', 'A', 'x')")
    conn.execute("INSERT INTO feeds (url, title, added_at) VALUES ('https://b.example/feed', 'B', 'x')")
    texts = [story("ferry-original")[1], story("orchard")[1], story("ferry-updated")[1]]
    now = "2099-01-01T00:00:00+00:00"  # inside any window
    for n, (feed, paras) in enumerate(zip((1, 1, 2), texts, strict=True), start=1):
        conn.execute(
            "INSERT INTO entries (feed_id, guid, title, content, fetched_at) VALUES (?, ?, ?, ?, ?)",
            (feed, f"g{n}", f"t{n}", "".join(f"<p>{html.escape(p)}</p>" for p in paras), now),
        )
    conn.close()
    with Store(db) as store:  # the old code placed all three, then the first one's text changed
        update_stories(store)
        assert store.story_id(1) == store.story_id(3) == 1
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA user_version = 11")
    conn.execute("DROP TRIGGER story_sketches_gone")
    conn.execute("DROP INDEX story_sketches_again")
    conn.execute("DROP TABLE story_mark")
    conn.execute("ALTER TABLE story_sketches DROP COLUMN fetched_at")
    conn.execute("DELETE FROM story_sketches WHERE entry_id = 1")  # how schema 11 asked for a new placing
    conn.close()

    with Store(db) as store:
        assert [row[0] for rows in store.unplaced_texts() for row in rows] == [1]
        update = update_stories(store)
        assert update.placed == 1
        assert store.story_id(1) == store.story_id(3) == 1 and store.story_id(2) is None
        assert list(store.unplaced_texts()) == []


def test_a_synced_copy_joins_its_story_and_leaves_it_when_the_server_changes_its_text(tmp_path: Path) -> None:
    """Entries from a sync server are stored without the keys a refresh stores; they are placed all
    the same, and placed again when the server later serves another text for them."""
    from datetime import UTC, datetime

    from tui.core.feeds.sync.records import RemoteEntry
    from tui.core.models import ParsedEntry, ParsedFeed
    from tui.core.stories import update_stories

    def body(name: str) -> str:
        return "".join(f"<p>{html.escape(p)}</p>" for p in story(name)[1])

    with Store(tmp_path / "s.db") as store:
        wire, _ = store.add_feed("https://wire.example/feed")
        daily, _ = store.add_feed("https://daily.example/feed")
        items = (ParsedEntry(guid="w1", title="Ferry crews walk out", content=body("ferry-original"), content_hash="w1"),)
        store.apply_refresh(
            wire.id, checked_at=datetime.now(UTC), status="ok", error=None, parsed=ParsedFeed(kind="rss", entries=items)
        )
        copy = RemoteEntry(remote_id="r1", feed_id="d", title="Island cut off", content=body("ferry-brief"))
        store.apply_remote_entries([copy], {"d": daily.id})
        assert update_stories(store).joined == 1
        ids = {e.guid: e.id for e in store.entries()}
        assert store.story_id(ids["sync:r1"]) == store.story_id(ids["w1"]) == ids["w1"]

        changed = RemoteEntry(remote_id="r1", feed_id="d", title="Orchard", content=body("orchard"))
        assert store.apply_remote_entries([changed], {"d": daily.id}) == (0, 1)
        update_stories(store)
        assert store.story_id(ids["sync:r1"]) is None
        assert store.story_id(ids["w1"]) is None  # a story of one is no story



def test_a_database_from_schema_13_places_its_waiting_entries_and_drops_keys_with_their_entries(tmp_path: Path) -> None:
    """Schema 14 gives every entry a sketch row (the pass finds the entries to place in those): an
    entry of an older database stored without one is still placed, and a removed feed's entries
    take their rows with them (a trigger, where a foreign key was checked on every insert)."""
    import sqlite3

    from tui.core.store import migrate
    from tui.core.stories import update_stories

    db = tmp_path / "old.db"
    conn = sqlite3.connect(db, isolation_level=None)
    migrate(conn, target=13)
    conn.execute("INSERT INTO feeds (url, title, added_at) VALUES ('https://a.example/feed', 'A', 'x')")
    conn.execute("INSERT INTO feeds (url, title, added_at) VALUES ('https://b.example/feed', 'B', 'x')")
    now = "2099-01-01T00:00:00+00:00"  # inside any window
    for n, (feed, name) in enumerate(((1, "ferry-original"), (1, "orchard"), (2, "ferry-updated")), start=1):
        conn.execute(
            "INSERT INTO entries (feed_id, guid, title, content, fetched_at) VALUES (?, ?, ?, ?, ?)",
            (feed, f"g{n}", f"t{n}", "".join(f"<p>{html.escape(p)}</p>" for p in story(name)[1]), now),
        )
    conn.close()

    with Store(db) as store:
        rows = {r[0] for rows in store.unplaced_texts() for r in rows}
        assert rows == {1, 2, 3}  # none had keys stored with it: each is keyed from its text
        update = update_stories(store)
        assert update.placed == 3 and update.joined == 1
        assert store.story_id(1) == store.story_id(3) == 1 and store.story_id(2) is None
        assert list(store.unplaced_texts()) == []

        assert store.remove_feed("https://b.example/feed")
        assert store.story_id(1) is None  # a story of one is no story
    conn = sqlite3.connect(db)
    assert [r[0] for r in conn.execute("SELECT entry_id FROM story_sketches ORDER BY 1")] == [1, 2]
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []


def test_a_copy_whose_text_is_edited_stays_in_its_story_and_is_no_new_copy(tmp_path: Path) -> None:
    """A refresh that finds an edited text for an entry already in a story places it again: it
    finds its own story, and the refresh does not report it as a new copy of one."""
    from datetime import UTC, datetime

    from tui.core.models import ParsedEntry, ParsedFeed
    from tui.core.stories import update_stories

    def body(name: str, extra: str = "") -> str:
        return "".join(f"<p>{html.escape(p)}</p>" for p in story(name)[1]) + extra

    def refresh(store: Store, feed_id: int, guid: str, content: str) -> None:
        items = (ParsedEntry(guid=guid, title="Ferry crews walk out", content=content, content_hash=content),)
        store.apply_refresh(feed_id, checked_at=datetime.now(UTC), status="ok", error=None,
                            parsed=ParsedFeed(kind="rss", entries=items))

    with Store(tmp_path / "s.db") as store:
        wire, _ = store.add_feed("https://wire.example/feed")
        daily, _ = store.add_feed("https://daily.example/feed")
        refresh(store, wire.id, "w1", body("ferry-original"))
        refresh(store, daily.id, "d1", body("ferry-original"))
        assert update_stories(store).joined == 1
        ids = {e.guid: e.id for e in store.entries()}
        refresh(store, daily.id, "d1", body("ferry-original", "<p>Updated at noon with the council's reply to the crews.</p>"))
        update = update_stories(store)
        assert update.placed == 1 and update.joined == 0
        assert store.story_id(ids["d1"]) == store.story_id(ids["w1"]) == ids["w1"]


def _write_feeds(store: Store, feeds: dict[str, tuple[tuple[str, str], ...]]) -> None:
    """Store each feed's items (guid, fixture name) as a refresh does, one feed a transaction."""
    from datetime import UTC, datetime

    from tui.core.models import ParsedEntry, ParsedFeed

    for url, items in feeds.items():
        feed, _ = store.add_feed(url)
        entries = tuple(
            ParsedEntry(guid=guid, title=story(name)[0], content="".join(f"<p>{html.escape(p)}</p>" for p in story(name)[1]),
                        content_hash=guid + name)
            for guid, name in items
        )
        store.apply_refresh(feed.id, checked_at=datetime.now(UTC), status="ok", error=None,
                            parsed=ParsedFeed(kind="rss", entries=entries))


_FEEDS = {
    "https://wire.example/feed": (("w1", "ferry-original"), ("w2", "orchard"), ("w3", "regatta-day1")),
    "https://daily.example/feed": (("d1", "ferry-brief"), ("d2", "regatta-day2"), ("d3", "orchard")),
    "https://town.example/feed": (("t1", "ferry-council"), ("t2", "ferry-council-brief"), ("t3", "ferry-updated")),
    "https://gone.example/feed": (("g1", "ferry-original"),),
}


def _placed(store: Store) -> tuple[dict[str, int | None], list[tuple[object, ...]], int]:
    """What a pass left: each entry's story (by guid, as the guid of the story's entry), the sketch rows, the mark."""
    guid = {e.id: e.guid for e in store.entries()}
    stories = {guid[e]: (guid[s] if (s := store.story_id(e)) is not None else None) for e in guid}
    conn = store._conn
    rows = [tuple(r) for r in conn.execute("SELECT entry_id, keys, size FROM story_sketches ORDER BY 1")]
    return stories, rows, conn.execute("SELECT placed_to FROM story_mark").fetchone()[0]


def test_a_refresh_pass_with_the_keys_in_memory_groups_as_one_reading_them_from_the_store(tmp_path: Path) -> None:
    """The pass after a refresh takes the keys that refresh stored from memory: the same stories,
    sizes and mark as a pass in another process reading every row back, also when an entry got a
    cleaned page meanwhile (keyed from it), was marked to place again, or left with its feed."""
    from tui.core.stories import update_stories

    article = json.dumps({"blocks": [{"text": p} for p in story("ferry-updated")[1]]})
    results = []
    for name, reopen in (("memory", False), ("rows", True)):
        store = Store(tmp_path / f"{name}.db")
        try:
            _write_feeds(store, _FEEDS)
            ids = {e.guid: e.id for e in store.entries()}
            store.put_reading(ids["d3"], "digest", article)  # a prefetched page: keyed from it, not the feed
            store._conn.execute("UPDATE story_sketches SET keys = x'' WHERE entry_id = ?", (ids["t2"],))  # placed again
            assert store.remove_feed("https://gone.example/feed")
            assert len(store._keyed) == 10  # every new entry's keys, committed
            if reopen:
                store.close()
                store = Store(tmp_path / f"{name}.db")
                assert not store._keyed
            update = update_stories(store)
            assert not store._keyed  # taken by the pass
            results.append((update, _placed(store)))
        finally:
            store.close()
    (update, (stories, rows, mark)), other = results
    assert (update, (stories, rows, mark)) == other
    assert update.placed == 9
    assert stories["w1"] == stories["d1"] == stories["t3"] == "w1" and stories["t1"] == stories["t2"] == "t1"
    assert stories["d3"] == "w1"  # the orchard entry's page is the updated ferry story
    assert stories["w2"] is None and stories["w3"] is None


def test_a_pass_places_entries_another_process_stored_meanwhile(tmp_path: Path) -> None:
    """Keys in memory cover only what this process stored: entries another one (the app, a sync, the
    refresh's writer process) stored meanwhile are read from the store and grouped with the rest."""
    from tui.core.stories import update_stories

    with Store(tmp_path / "s.db") as store, Store(tmp_path / "s.db") as other:
        _write_feeds(store, {"https://wire.example/feed": (("w1", "ferry-original"), ("w2", "orchard"))})
        _write_feeds(other, {"https://daily.example/feed": (("d1", "ferry-brief"),)})
        _write_feeds(store, {"https://town.example/feed": (("t1", "ferry-council"), ("t2", "ferry-council-brief"))})
        update = update_stories(store)
        assert update.placed == 5 and update.joined == 2
        ids = {e.guid: e.id for e in store.entries()}
        assert store.story_id(ids["d1"]) == store.story_id(ids["w1"]) == ids["w1"]
        assert store.story_id(ids["t2"]) == ids["t1"]
        assert list(store.unplaced_texts()) == [] and update_stories(other).placed == 0


def test_an_entry_another_process_stores_under_a_removed_entrys_id_is_keyed_by_its_own_text(tmp_path: Path) -> None:
    """SQLite gives the next entry the id of the newest one removed: keys held in memory for the
    removed entry must not stand for the new one (the pass reads the rows when another process
    has written since)."""
    from tui.core.stories import update_stories

    with Store(tmp_path / "s.db") as store, Store(tmp_path / "s.db") as other:
        _write_feeds(store, {"https://wire.example/feed": (("w1", "ferry-original"),)})
        _write_feeds(store, {"https://daily.example/feed": (("d1", "orchard"),)})
        removed = {e.guid: e.id for e in store.entries()}["d1"]
        assert other.remove_feed("https://daily.example/feed")
        _write_feeds(other, {"https://town.example/feed": (("t1", "ferry-brief"),)})
        ids = {e.guid: e.id for e in store.entries()}
        assert ids["t1"] == removed  # the same id, another text
        update = update_stories(store)
        assert update.placed == 2 and update.joined == 1
        assert store.story_id(ids["t1"]) == ids["w1"]


# -- the pass after a large refresh: keys held in memory, filed together ----------------------------

_SYLLABLES = ("ka", "lo", "mi", "ren", "tu", "vos", "bel", "dra", "fin", "gor", "hal", "jun", "pe", "quo", "sti", "zar")


def _filler(seed: int) -> str:
    """A made-up text of three paragraphs whose words are its own: it shares no lead with another."""
    import random

    rng = random.Random(seed)
    words = ["".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(120)]
    return "".join(f"<p>{' '.join(words[at : at + 40]).capitalize()}.</p>" for at in (0, 40, 80))


def _write_fillers(store: Store, url: str, seeds: list[int]) -> None:
    """One feed whose items are `_filler` texts (a seed twice: two copies of one story; a negative
    seed: a teaser, too short to have keys)."""
    from datetime import UTC, datetime

    from tui.core.models import ParsedEntry, ParsedFeed

    feed, _ = store.add_feed(url)
    entries = tuple(
        ParsedEntry(guid=f"{url}#{n}", title=f"Item {seed}", content=_filler(seed) if seed >= 0 else "<p>Read the full story.</p>",
                    content_hash=f"{url}#{n}")
        for n, seed in enumerate(seeds)
    )
    store.apply_refresh(feed.id, checked_at=datetime.now(UTC), status="ok", error=None, parsed=ParsedFeed(kind="rss", entries=entries))


def test_keys_made_for_a_whole_refresh_are_each_texts_own() -> None:
    """`stored_keys` keys a transaction's texts together (one pass of word ids and hashes, the common
    case written out): each text gets the keys it gets alone, whatever its neighbours: a lead that
    repeats a phrase among its smallest shingles, a lead-less list of short lines, a teaser, a text
    with no words, and ordinary stories."""
    from tui.core.stories import _blob, _feed_words, _smallest, stored_keys

    _, ferry = story("ferry-original")
    _, orchard = story("orchard")
    repeated = "the ferry the ferry the ferry the ferry the ferry the ferry the ferry the ferry crews walk out again today"
    listing = "".join(f"<li>Result {i}: harbour rowing club first, coast crew second, bay team third</li>" for i in range(5))
    texts = [
        "".join(f"<p>{html.escape(p)}</p>" for p in ferry),
        f"<p>{repeated} {' '.join(ferry[0].split()[:20])}</p>",
        f"<ul>{listing}</ul>",
        "<p>Read the full story on our site.</p>",
        "",
        "".join(f"<p>{html.escape(p)}</p>" for p in orchard),
        f"<p>{repeated}</p>" * 3,
    ]
    alone = [_blob(_smallest(words)) if (words := _feed_words(t)) else _blob(()) for t in texts]
    assert [len(b) for b in alone] == [56, 56, 56, 8, 8, 56, 56]
    for order in (texts, texts[::-1], texts[2:] + texts[:2]):
        assert stored_keys(order) == [alone[texts.index(t)] for t in order]


@pytest.mark.parametrize("json_rows", ["yes", "older sqlite", "built without json"])
def test_every_new_entry_gets_its_sketch_row_with_its_keys_and_fetch_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, json_rows: str
) -> None:
    """A refresh writes one sketch row per new entry, teasers (a fingerprint alone) among keyed ones
    in one transaction: each row holds its own entry's keys and fetch time, with SQLite's JSON rows
    (one INSERT per blob width) or, where SQLite has no JSON functions (too old, or built without
    them: found at the first insert), a row at a time; and copies among them are grouped by the pass."""
    import tui.core.store as store_module
    from tui.core.stories import stored_keys, update_stories

    monkeypatch.setattr(store_module, "_JSON_ROWS", json_rows != "older sqlite")
    with Store(tmp_path / "s.db") as store:
        if json_rows == "built without json":  # (a table of that name stands in for the missing function)
            store._conn.execute("CREATE TEMP TABLE json_each (value)")
        _write_fillers(store, "https://a.example/feed", [3, -1, 4, -1, -1, 5, 3])
        _write_feeds(store, {"https://wire.example/feed": (("w1", "ferry-original"), ("w2", "orchard"))})
        rows = store._conn.execute(
            """SELECT e.id, coalesce(nullif(e.content, ''), e.summary), s.keys, s.fetched_at, e.fetched_at
               FROM entries e JOIN story_sketches s ON s.entry_id = e.id ORDER BY e.id"""
        ).fetchall()
        assert len(rows) == store._conn.execute("SELECT count(*) FROM entries").fetchone()[0] == 9
        assert [r[2] for r in rows] == stored_keys([r[1] for r in rows])
        assert {len(r[2]) for r in rows} == {8, 56}  # teasers and keyed entries, written together
        assert all(r[3] == r[4] for r in rows)
        update = update_stories(store)
        assert update.placed == 9 and update.joined == 1
        assert store_module._JSON_ROWS is (json_rows == "yes")
        # Fetch times of two lengths in one transaction (a time on the second has no microseconds).
        stamps = ["2026-12-03T10:00:00+00:00", "2026-12-03T10:00:00.250000+00:00", "2026-12-03T10:00:01+00:00"]
        blobs = stored_keys(["<p>Read more.</p>", rows[0][1], rows[2][1]])
        with store._tx() as conn:
            store_module._insert_sketch_rows(conn, [901, 902, 903], blobs, stamps)
        written = store._conn.execute("SELECT keys, fetched_at FROM story_sketches WHERE entry_id > 900 ORDER BY entry_id").fetchall()
        assert [tuple(r) for r in written] == list(zip(blobs, stamps, strict=True))


def test_a_large_refresh_pass_from_memory_groups_as_one_reading_every_row(tmp_path: Path) -> None:
    """Thousands of new entries are filed together: the same stories, sizes and mark as a pass in
    another process that reads every row back, with copies among them (the fixtures' and a made-up
    text twice), entries removed with their feed between the refresh and the pass (held keys that
    must not be placed), an entry a sync stored meanwhile (keyed from its text) and a prefetched page."""
    from tui.core.feeds.sync.records import RemoteEntry
    from tui.core.stories import update_stories

    def body(name: str) -> str:
        return "".join(f"<p>{html.escape(p)}</p>" for p in story(name)[1])

    results = []
    for name, reopen in (("memory", False), ("rows", True)):
        store = Store(tmp_path / f"{name}.db")
        try:
            _write_feeds(store, {"https://wire.example/feed": (("w1", "ferry-original"), ("w2", "orchard"))})
            _write_fillers(store, "https://a.example/feed", list(range(40)))
            _write_feeds(store, {"https://daily.example/feed": (("d1", "ferry-brief"), ("d2", "regatta-day2"))})
            _write_fillers(store, "https://b.example/feed", [*range(100, 130), 7, 120, -1])  # copies of a-7 and b-120, a teaser
            _write_feeds(store, {"https://town.example/feed": (("t1", "ferry-council"), ("t2", "ferry-council-brief"))})
            assert store.remove_feed("https://daily.example/feed")
            synced, _ = store.add_feed("https://synced.example/feed")
            store.apply_remote_entries([RemoteEntry(remote_id="r1", feed_id="s", title="Ferry", content=body("ferry-updated"))],
                                       {"s": synced.id})
            ids = {e.guid: e.id for e in store.entries()}
            store.put_reading(ids["https://a.example/feed#3"], "digest", json.dumps({"blocks": [{"text": p} for p in story("regatta-day1")[1]]}))
            if reopen:
                store.close()
                store = Store(tmp_path / f"{name}.db")
            update = update_stories(store)
            results.append((update, _placed(store)))
        finally:
            store.close()
    (update, (stories, rows, mark)), other = results
    assert (update, (stories, rows, mark)) == other
    assert update.placed == 2 + 40 + 33 + 2 + 1 and update.joined == 4
    assert stories["w1"] == stories["sync:r1"] == "w1" and stories["t1"] == stories["t2"] == "t1"
    assert stories["https://b.example/feed#30"] == "https://a.example/feed#7"
    assert stories["https://b.example/feed#31"] == "https://b.example/feed#20"
    assert stories["w2"] is None and stories["https://a.example/feed#3"] is None


def test_entries_stored_before_this_process_held_keys_are_placed_with_the_held_ones(tmp_path: Path) -> None:
    """Keys held in memory stand for the rows above the mark only when no row there is older than
    they are: entries another process stored before this one's refresh, and those of a pass that
    stopped before saving (their keys taken, not placed), are read back and grouped with the rest."""
    from tui.core.stories import update_stories

    with Store(tmp_path / "s.db") as store, Store(tmp_path / "s.db") as other:
        _write_feeds(other, {"https://daily.example/feed": (("d1", "ferry-brief"),)})
        _write_feeds(store, {"https://wire.example/feed": (("w1", "ferry-original"), ("w2", "orchard"))})
        update = update_stories(store)
        assert update.placed == 3 and update.joined == 1
        ids = {e.guid: e.id for e in store.entries()}
        assert store.story_id(ids["w1"]) == store.story_id(ids["d1"]) == ids["d1"]  # (the earliest names it)

        _write_feeds(store, {"https://town.example/feed": (("t1", "ferry-council"),)})
        assert len(list(store.unplaced_texts())) == 1  # a pass that stopped: the keys are taken, t1 not placed
        _write_feeds(store, {"https://more.example/feed": (("m1", "ferry-council-brief"),)})
        update = update_stories(store)
        assert update.placed == 2 and update.joined == 1
        ids = {e.guid: e.id for e in store.entries()}
        assert store.story_id(ids["m1"]) == store.story_id(ids["t1"]) == ids["t1"]


def _index_results(add: str, items: list[tuple[int, tuple[int, ...]]], restored: list[tuple[int, tuple[int, ...], int | None]],
                   load: dict[int, object]) -> tuple[object, ...]:
    from tui.core.stories import LEAD_KEYS, StoryIndex

    index = StoryIndex(load.get)  # type: ignore[arg-type]
    for entry_id, keys, story_id in restored:
        index.restore(entry_id, keys, story_id)
    if add == "one at a time":
        joined = sum(1 for entry_id, keys in items if index.add(entry_id, keys))
    elif add == "add_many":
        joined = index.add_many(iter(items))
    else:
        flat = [k for _, keys in items for k in keys]
        assert all(len(keys) == LEAD_KEYS for _, keys in items)
        joined = index.add_run([e for e, _ in items], flat, LEAD_KEYS)
    return joined, index.stories(), {e: index.story_of(e) for e, _ in items}, index._postings


@pytest.mark.parametrize("repeated", [False, True])
def test_newcomers_filed_together_group_as_filed_one_at_a_time(repeated: bool) -> None:
    """Entries none of whose keys another holds are filed in one go: the same copies found, the same
    stories, the same postings as adding each in turn, with copies among the newcomers (two, and a
    key of three), a key shared with an entry restored from earlier passes, one key shared (no
    candidate), a key twice in one entry, entries without keys and (`repeated`) an entry twice."""
    import random

    from tui.core.stories import LEAD_KEYS, _entry_keys

    rng = random.Random(14)
    texts = {1: body_of("ferry-original"), 2: body_of("ferry-brief"), 3: body_of("orchard"), 4: body_of("ferry-council"),
             5: body_of("ferry-council-brief"), 6: body_of("ferry-updated"), 7: body_of("regatta-day1")}
    keys = {e: tuple(_entry_keys(text, None)) for e, text in texts.items()}
    assert all(len(k) == LEAD_KEYS for k in keys.values())
    load = {e: sketch(html_paragraphs(text)) for e, text in texts.items()}
    fresh = [tuple(rng.getrandbits(63) for _ in range(LEAD_KEYS)) for _ in range(80)]
    fresh[10] = fresh[10][:3] + fresh[40][3:]  # 10 and 40: three keys in common (no sketches: no copy)
    fresh[50] = fresh[50][:5] + fresh[40][:1]  # and 50 shares one of them
    fresh[20] = fresh[20][:5] + fresh[20][:1]  # a key twice
    fresh[30] = fresh[30][:5] + keys[3][:1]  # a key of a restored entry
    items = [(100 + i, k) for i, k in enumerate(fresh)]
    items[5:5] = [(2, keys[2]), (6, keys[6])]  # copies of the restored story of 1
    items[60:60] = [(4, keys[4]), (5, keys[5]), (7, keys[7])]
    restored = [(1, keys[1], 1), (3, keys[3], None)]
    if repeated:  # a copy's and an entry alone's
        items += [(4, keys[4]), (170, fresh[70])]
    with_empty = [*items[:3], (999, ()), *items[3:]]
    want = _index_results("one at a time", with_empty, restored, load)
    assert want[0] == 3 + repeated and want[1] == {1: [1, 2, 6], 4: [4, 5]}
    assert _index_results("add_many", with_empty, restored, load) == want
    assert _index_results("add_run", items, restored, load) == _index_results("one at a time", items, restored, load)


def body_of(name: str) -> str:
    return "".join(f"<p>{html.escape(p)}</p>" for p in story(name)[1])


@pytest.mark.parametrize("teaser", [False, True])
def test_keys_stored_by_a_python_whose_hashes_differ_are_made_again_from_the_texts(tmp_path: Path, teaser: bool) -> None:
    """Stored keys carry the fingerprint of the Python that made them: one made by another (tuple
    hashes differ), among a run of a refresh's entries, has every entry grouped again from its text."""
    from array import array

    from tui.core.stories import FINGERPRINT, update_stories

    with Store(tmp_path / "s.db") as store:
        _write_feeds(store, {"https://wire.example/feed": (("w1", "ferry-original"),)})
        _write_fillers(store, "https://a.example/feed", [*range(40), -1])
        _write_feeds(store, {"https://daily.example/feed": (("d1", "ferry-brief"),)})
    with Store(tmp_path / "s.db") as store:  # (another process: the rows are read)
        ids = {e.guid: e.id for e in store.entries()}
        other = ids["https://a.example/feed#40" if teaser else "https://a.example/feed#5"]
        blob = store._conn.execute("SELECT keys FROM story_sketches WHERE entry_id = ?", (other,)).fetchone()[0]
        keys = array("q", blob)
        keys[0] = FINGERPRINT ^ 1
        store._conn.execute("UPDATE story_sketches SET keys = ? WHERE entry_id = ?", (keys.tobytes(), other))
        update = update_stories(store)
        assert update.placed == 43 and update.joined == 1
        assert store.story_id(ids["d1"]) == store.story_id(ids["w1"]) == ids["w1"]
        stored = [array("q", r[0])[0] for r in store._conn.execute("SELECT keys FROM story_sketches")]
        assert stored == [FINGERPRINT] * 43


def test_a_prefetched_page_is_keyed_from_when_the_pass_reads_the_rows(tmp_path: Path) -> None:
    """An entry whose page was prefetched is placed by the page's text, not its feed's teaser, also
    when the pass reads the stored keys back (another process stored the entries)."""
    from tui.core.stories import update_stories

    article = json.dumps({"blocks": [{"text": p} for p in story("ferry-updated")[1]]})
    with Store(tmp_path / "s.db") as store:
        _write_feeds(store, {"https://wire.example/feed": (("w1", "ferry-original"), ("w2", "orchard"))})
        store.put_reading({e.guid: e.id for e in store.entries()}["w2"], "digest", article)
    with Store(tmp_path / "s.db") as store:
        update = update_stories(store)
        ids = {e.guid: e.id for e in store.entries()}
        assert update.placed == 2 and update.joined == 1
        assert store.story_id(ids["w2"]) == store.story_id(ids["w1"]) == ids["w1"]
