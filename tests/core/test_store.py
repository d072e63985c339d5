"""The SQLite store: migrations from old databases, refresh upserts, state, cache, search."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tui.core.models import ParsedEntry, ParsedFeed
from tui.core.store import MIGRATIONS, SCHEMA_VERSION, Store, StoreError, migrate

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def parsed(*items: ParsedEntry, title: str = "Example News") -> ParsedFeed:
    return ParsedFeed(kind="rss", title=title, site_url="https://example.org/", entries=items)


def item(guid: str, title: str = "A headline", *, link: str | None = None, h: str | None = None,
         content: str = "<p>Body text about harbours.</p>") -> ParsedEntry:
    return ParsedEntry(guid=guid, title=title, link=link or f"https://example.org/{guid}",
                       published=NOW, content=content, content_hash=h or f"hash-{guid}-{title}")


def test_old_database_is_migrated_and_keeps_its_data(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    conn = sqlite3.connect(db, isolation_level=None)
    migrate(conn, target=1)  # a database written by the first release
    conn.execute("INSERT INTO feeds (url, title, added_at) VALUES ('https://a.example/feed', 'A', 'x')")
    conn.execute(
        "INSERT INTO entries (feed_id, guid, title, read, starred, fetched_at) "
        "VALUES (1, 'g1', 'Port strike ends', 1, 1, 'x')"
    )
    conn.close()

    with Store(db) as store:
        assert store._conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        [entry] = store.entries()
        assert (entry.title, entry.read, entry.starred) == ("Port strike ends", True, True)
        # tables of later migrations exist and work
        assert [e.title for e in store.search("strike")] == ["Port strike ends"]
        store.put_reading(entry.id, "d1", '{"title": "x"}', "the cleaned text about dockers")
        assert store.get_reading(entry.id, "d1") == '{"title": "x"}'
        assert store.get_reading(entry.id, "d2") is None  # made under other rules: not used
        assert [e.id for e in store.search("dockers")] == [entry.id]


def test_each_migration_is_recorded_once(tmp_path: Path) -> None:
    Store(tmp_path / "n.db").close()
    with Store(tmp_path / "n.db") as store:  # reopening applies nothing twice
        assert store._conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        assert store._conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store._conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_a_new_database_has_large_pages_and_an_old_one_keeps_its_own(tmp_path: Path) -> None:
    # New databases are made with 16 KiB pages (fewer pages to write per refresh); a database made
    # before, with SQLite's 4 KiB pages, is opened as it is and takes refreshes and searches.
    with Store(tmp_path / "new.db") as store:
        assert store._conn.execute("PRAGMA page_size").fetchone()[0] == 16384
        assert store._conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    old = tmp_path / "old.db"
    conn = sqlite3.connect(old, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")  # 4 KiB pages, fixed from here on
    migrate(conn)
    conn.close()
    with Store(old) as store:
        assert store._conn.execute("PRAGMA page_size").fetchone()[0] == 4096
        feed, _ = store.add_feed("https://example.org/feed")
        store.apply_refresh(feed.id, checked_at=NOW, status="ok", error=None,
                            parsed=parsed(item("a", "Harbour reopens"), item("b", "Ferry late")))
        assert [e.title for e in store.search("ferry")] == ["Ferry late"]
        assert store.integrity_check() == "ok"


def test_newer_database_is_refused_with_a_clear_error(tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.close()
    with pytest.raises(StoreError, match="newer Newswire"):
        Store(db)


def test_not_a_database_is_a_store_error(tmp_path: Path) -> None:
    db = tmp_path / "junk.db"
    db.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="cannot open the database"):
        Store(db)


def test_refresh_upserts_and_updated_entry_keeps_read_and_starred(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        feed, created = store.add_feed("https://example.org/feed", tags=["world", "news"])
        assert created and feed.tags == ("news", "world")
        new, updated = store.apply_refresh(feed.id, checked_at=NOW, status="ok", error=None,
                                           parsed=parsed(item("a"), item("b")), etag='"v1"')
        assert (new, updated) == (2, 0)
        a = next(e for e in store.entries() if e.guid == "a")
        store.set_read([a.id])
        store.set_starred([a.id])
        # same guid, new text: updated in place, state kept
        new, updated = store.apply_refresh(feed.id, checked_at=NOW, status="ok", error=None,
                                           parsed=parsed(item("a", "A headline, updated"), item("b")))
        assert (new, updated) == (0, 1)
        a2 = store.entry(a.id)
        assert a2 is not None and a2.title == "A headline, updated" and a2.read and a2.starred
        # the guid changed but the link is the same: still the same entry
        moved = ParsedEntry(guid="a-new-guid", title="A headline, updated", link="https://example.org/a",
                            content_hash="other")
        assert store.apply_refresh(feed.id, checked_at=NOW, status="ok", error=None,
                                   parsed=parsed(moved)) == (0, 1)
        assert store.count_entries() == 2
        f = store.feed(feed.id)
        assert f is not None and f.title == "Example News" and f.etag == '"v1"' and f.unread == 1


def test_error_keeps_entries_and_records_the_reason(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        feed, _ = store.add_feed("https://example.org/feed")
        store.apply_refresh(feed.id, checked_at=NOW, status="ok", error=None, parsed=parsed(item("a")))
        store.apply_refresh(feed.id, checked_at=NOW, status="error", error="HTTP 404 Not Found")
        f = store.feed(feed.id)
        assert f is not None and f.status == "error" and f.last_error == "HTTP 404 Not Found"
        assert f.last_success == NOW and f.total == 1


def test_permanent_redirect_updates_the_url(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        feed, _ = store.add_feed("http://old.example/feed")
        store.apply_refresh(feed.id, checked_at=NOW, status="ok", error=None,
                            new_url="https://new.example/feed")
        assert store.feed_by_url("https://new.example/feed") is not None
        assert store.feed_by_url("http://old.example/feed") is None


def test_failed_transaction_leaves_nothing_half_written(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        feed, _ = store.add_feed("https://example.org/feed")
        bad = ParsedEntry(guid="x", title=None, content_hash="h")  # type: ignore[arg-type]
        with pytest.raises(sqlite3.IntegrityError):
            store.apply_refresh(feed.id, checked_at=NOW, status="ok", error=None,
                                parsed=parsed(item("good"), bad))
        assert store.count_entries() == 0
        f = store.feed(feed.id)
        assert f is not None and f.status == "new"  # the feed row's update rolled back too


def test_remove_feed_deletes_its_entries_and_search_rows(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        feed, _ = store.add_feed("https://example.org/feed")
        store.apply_refresh(feed.id, checked_at=NOW, status="ok", error=None,
                            parsed=parsed(item("a", "Harbour reopens")))
        assert store.remove_feed("https://example.org/feed")
        assert store.entries() == [] and store.search("harbour") == []
        assert not store.remove_feed("https://example.org/feed")


def test_mark_feed_read_and_filters(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        f1, _ = store.add_feed("https://one.example/feed")
        f2, _ = store.add_feed("https://two.example/feed")
        store.apply_refresh(f1.id, checked_at=NOW, status="ok", error=None, parsed=parsed(item("a"), item("b")))
        store.apply_refresh(f2.id, checked_at=NOW, status="ok", error=None, parsed=parsed(item("c")))
        assert store.mark_feed_read(f1.id) == 2
        assert [e.guid for e in store.entries(unread_only=True)] == ["c"]
        assert len(store.entries(feed_id=f1.id)) == 2


def test_search_treats_query_syntax_as_words(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        feed, _ = store.add_feed("https://example.org/feed")
        store.apply_refresh(feed.id, checked_at=NOW, status="ok", error=None,
                            parsed=parsed(item("a", "Central bank raises rates")))
        assert [e.title for e in store.search('bank" (')] == ["Central bank raises rates"]
        assert [e.title for e in store.search("ra")] == ["Central bank raises rates"]  # prefix
        assert store.search("***") == []


def test_search_prefixes_only_a_word_being_typed_and_reads_or_between_words(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        feed, _ = store.add_feed("https://example.org/feed")
        store.apply_refresh(feed.id, checked_at=NOW, status="ok", error=None, parsed=parsed(
            item("a", "Ferry crews strike"), item("b", "Council cuts bus routes"), item("c", "C is for compilers")))
        assert [e.title for e in store.search("C++")] == ["C is for compilers"]  # the word C, no prefix of it
        assert [e.title for e in store.search("c")] and len(store.search("c")) == 3  # still being typed: a prefix
        assert sorted(e.title for e in store.search("ferry OR bus")) == ["Council cuts bus routes", "Ferry crews strike"]
        assert [e.title for e in store.search("ferry OR")] == ["Ferry crews strike"]  # the alternative not typed yet


def test_counts_by_state(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        feed, _ = store.add_feed("https://example.org/feed")
        store.apply_refresh(feed.id, checked_at=NOW, status="ok", error=None,
                            parsed=parsed(item("a"), item("b"), item("c")))
        ids = [e.id for e in store.entries()]
        store.set_starred(ids[:2])
        store.set_read(ids[1:])
        assert store.count_entries() == 3
        assert store.count_entries(starred_only=True) == 2
        assert store.count_entries(unread_only=True) == 1
        assert store.count_entries(unread_only=True, starred_only=True) == 1
        plan = " ".join(str(tuple(r)) for r in store._conn.execute(
            "EXPLAIN QUERY PLAN SELECT COUNT(*) FROM entries WHERE starred = 1"))
        assert "entries_starred" in plan  # an index, not a scan of every entry's text


def test_the_entry_list_comes_from_an_index_not_a_sort_of_every_entry(tmp_path: Path) -> None:
    """Startup reads the newest screenful: at 100k entries a sort of the table took a second."""
    with Store(tmp_path / "s.db") as store:
        feed, _ = store.add_feed("https://example.org/feed")
        store.apply_refresh(feed.id, checked_at=NOW, status="ok", error=None,
                            parsed=parsed(item("a"), item("b"), item("c")))
        assert [e.title for e in store.entries(limit=2)] == [e.title for e in store.entries()][:2]
        for where in ("", " WHERE e.read = 0"):
            plan = " ".join(str(tuple(r)) for r in store._conn.execute(
                "EXPLAIN QUERY PLAN " + store._ENTRY_LIGHT + where + store._ORDER + " LIMIT 120"))
            assert "COVERING INDEX entries_newest" in plan and "TEMP B-TREE" not in plan, plan


def test_prefetch_outcomes_of_many_entries_are_recorded_together(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        feed, _ = store.add_feed("https://example.org/feed")
        store.apply_refresh(feed.id, checked_at=NOW, status="ok", error=None,
                            parsed=parsed(item("a"), item("b"), item("c")))
        ids = {e.guid: e.id for e in store.entries()}
        store.record_prefetch_many([
            (ids["a"], "skipped", "the feed has the full text", 0),
            (ids["b"], "failed", "HTTP 404 Not Found", 0),
            (ids["c"] + 100, "skipped", "an entry that is gone meanwhile", 0),
        ])
        store.record_prefetch(ids["b"], "failed", "timed out after 10 s")
        assert store.prefetch_state(ids["a"]) == ("skipped", "the feed has the full text", 1)
        assert store.prefetch_state(ids["b"]) == ("failed", "timed out after 10 s", 2)
        assert store.prefetch_state(ids["c"]) is None
        assert store.prefetch_state(ids["c"] + 100) is None


def test_starred_count_and_subscriptions_are_read_from_small_indexes(tmp_path: Path) -> None:
    """Start-up asks whether anything is subscribed and how many entries are starred."""
    with Store(tmp_path / "s.db") as store:
        assert not store.has_feeds()
        feed, _ = store.add_feed("https://example.org/feed")
        assert store.has_feeds()
        store.apply_refresh(feed.id, checked_at=NOW, status="ok", error=None,
                            parsed=parsed(item("a"), item("b"), item("c")))
        store.set_starred([e.id for e in store.entries()][:2])
        assert store.count_starred() == store.count_entries(starred_only=True) == 2


def test_light_rows_are_the_entry_list_in_columns(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        feed, _ = store.add_feed("https://example.org/feed")
        store.apply_refresh(feed.id, checked_at=NOW, status="ok", error=None,
                            parsed=parsed(item("a"), item("b"), item("c")))
        store.set_read([store.entries()[1].id])
        entries = store.entries()
        rows = store.light_rows()
        assert [dict(zip(Store.LIGHT_FIELDS, row, strict=True)) for row in rows] == [
            {name: getattr(e, name) for name in Store.LIGHT_FIELDS} for e in entries
        ]
        assert store.light_rows(limit=2, offset=1) == rows[1:3]
        assert store.light_rows(unread_only=True) == [r for r in rows if not r[8]]


def test_another_servers_entry_with_an_id_seen_before_is_stored_beside_the_old_one(tmp_path: Path) -> None:
    """After `sync --switch` the new server's ids mean nothing here: its entry 17 is not the old
    server's 17. Both are kept (the old one as a local entry), the new one is searchable, and the
    sync does not fail on the id the old entry held."""
    from tui.core.feeds.sync.records import RemoteEntry

    with Store(tmp_path / "s.db") as store:
        feed, _ = store.add_feed("https://wire.example/feed")
        old = RemoteEntry(remote_id="17", feed_id="f", title="Harbour cranes idle", content="<p>cranes idle</p>")
        assert store.apply_remote_entries([old], {"f": feed.id}) == (1, 0)
        store.reset_sync("miniflux https://other.example")
        new = RemoteEntry(remote_id="17", feed_id="f", title="Orchard frost", content="<p>frost in the orchards</p>")
        assert store.apply_remote_entries([new], {"f": feed.id}) == (1, 0)
        assert sorted(e.title for e in store.entries()) == ["Harbour cranes idle", "Orchard frost"]
        assert [e.title for e in store.search("orchards")] == ["Orchard frost"]
        assert [e.title for e in store.search("cranes")] == ["Harbour cranes idle"]


def test_new_entries_stored_together_keep_their_ids_texts_enclosures_and_verdicts(tmp_path: Path) -> None:
    """A refresh inserts a feed's new entries together: each keeps the id SQLite gives (one more than
    the largest, so the id of a removed newest entry is given again), and its own search row,
    enclosures and prefetch verdict."""
    from tui.core.models import Enclosure

    with Store(tmp_path / "s.db") as store:
        one, _ = store.add_feed("https://one.example/feed")
        two, _ = store.add_feed("https://two.example/feed")
        three, _ = store.add_feed("https://three.example/feed")
        store.apply_refresh(one.id, checked_at=NOW, status="ok", error=None,
                            parsed=parsed(item("a", "Ferry timetable"), item("b", "Harbour dues")))
        store.apply_refresh(two.id, checked_at=NOW, status="ok", error=None, parsed=parsed(item("c", "Gone soon")))
        assert sorted(e.id for e in store.entries()) == [1, 2, 3]
        assert store.remove_feed(two.url)

        podcast = ParsedEntry(guid="x", title="Lighthouse keepers talk", link="https://one.example/x",
                              content="<p>An hour with the keepers of the lighthouse.</p>", content_hash="hx",
                              enclosures=(Enclosure("https://one.example/x.mp3", "audio/mpeg", 1234),))
        results = store.apply_refresh_many([
            (one.id, dict(checked_at=NOW, status="ok", error=None,
                          parsed=parsed(item("a", "Ferry timetable"), podcast,
                                        item("y", "Dredger arrives", content="<p>The dredger came at dawn.</p>"),
                                        item("y", "Dredger arrives", content="<p>The dredger came at dawn.</p>")),
                          prefetch_verdicts={"x": "an audio file", "y": None})),
            (three.id, dict(checked_at=NOW, status="ok", error=None,
                            parsed=parsed(item("z1", "Quay repairs", content="<p>Masons on the quay.</p>"),
                                          item("z2", "Tug strike", content="<p>Tugboat crews walk out.</p>")),
                            prefetch_verdicts={"z1": None, "z2": None})),
        ])
        ids = {e.guid: e.id for e in store.entries()}
        assert ids == {"a": 1, "b": 2, "x": 3, "y": 4, "z1": 5, "z2": 6}
        assert results == [(2, 0, 1, [4]), (2, 0, 0, [5, 6])]
        assert [(e.url, e.length) for e in store.enclosures(3)] == [("https://one.example/x.mp3", 1234)]
        assert store.enclosures(4) == [] and store.enclosures(5) == []
        assert store.prefetch_state(3) == ("skipped", "an audio file", 1)
        assert store.prefetch_state(4) is None
        for word, guid in (("lighthouse", "x"), ("dredger", "y"), ("masons", "z1"), ("tugboat", "z2"), ("ferry", "a")):
            assert [e.id for e in store.search(word)] == [ids[guid]], word
        assert [e.title for e in store.search("gone")] == []  # the removed feed's entry left the index
        entry = store.entry(3)
        assert entry is not None and entry.title == "Lighthouse keepers talk" and "keepers" in entry.content
        assert store.integrity_check() == "ok"
        assert store._conn.execute("INSERT INTO search (search) VALUES ('integrity-check')").rowcount != 0


def test_the_indexes_no_query_used_are_dropped_and_feed_queries_still_search_an_index(tmp_path: Path) -> None:
    """Migration 15 drops entries_by_feed and entries_by_date (each new entry updated them for no
    query); a feed's entries, its counts and marking it read still find their rows by an index."""
    db = tmp_path / "old.db"
    conn = sqlite3.connect(db, isolation_level=None)
    migrate(conn, target=14)
    conn.execute("INSERT INTO feeds (url, title, added_at) VALUES ('https://a.example/feed', 'A', 'x')")
    conn.execute("INSERT INTO entries (feed_id, guid, title, published, fetched_at) VALUES (1, 'g1', 'Quay', '2026-01-02', 'x')")
    conn.close()
    with Store(db) as store:
        names = {r[0] for r in store._conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert "entries_by_feed" not in names and "entries_by_date" not in names
        assert {"entries_by_feed_read", "entries_visible_by_feed_read", "entries_by_link", "entries_newest"} <= names
        [entry] = store.entries(feed_id=1)
        assert entry.title == "Quay"
        for sql in (
            "SELECT id, guid, link, content_hash, updated FROM entries WHERE feed_id = 1",
            "UPDATE entries SET read = 1 WHERE feed_id = 1 AND read = 0",
            "SELECT count(*), sum(read = 0) FROM entries WHERE ignored = 0 AND feed_id = 1",
        ):
            plan = " ".join(r[3] for r in store._conn.execute("EXPLAIN QUERY PLAN " + sql))
            assert "SCAN entries" not in plan and "SCAN TABLE entries" not in plan, (sql, plan)
        assert store.mark_feed_read(1) == 1
        assert store.integrity_check() == "ok"


def test_a_feed_twice_in_one_transaction_finds_its_entries_of_the_first_time(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        feed, _ = store.add_feed("https://example.org/feed")
        first = dict(checked_at=NOW, status="ok", error=None, parsed=parsed(item("a"), item("b")))
        again = dict(checked_at=NOW, status="ok", error=None, parsed=parsed(item("b"), item("c")))
        assert [r[:2] for r in store.apply_refresh_many([(feed.id, first), (feed.id, again)])] == [(2, 0), (1, 0)]
        assert sorted((e.id, e.guid) for e in store.entries()) == [(1, "a"), (2, "b"), (3, "c")]
