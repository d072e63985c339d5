"""refresh_feeds end to end: a real HTTP server on 127.0.0.1, a real SQLite file, the real parser."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.httpserver import FeedServer, Route
from tui.core.feeds.fetch import Fetcher
from tui.core.feeds.refresh import STORE_BATCH, refresh_feeds
from tui.core.store import Store

FEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "feeds"


def fixture(name: str) -> bytes:
    return (FEEDS / name).read_bytes()


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as srv:
        yield srv


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "newswire.db") as db:
        yield db


def fetcher() -> Fetcher:
    return Fetcher(connect_timeout=2, read_timeout=2, deadline=5, per_host=4)


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def test_broken_feeds_never_stop_the_healthy_ones(server: FeedServer, store: Store) -> None:
    rss = server.route("/rss", Route(body=fixture("rss20.xml"), etag='"r1"'))
    atom = server.route("/atom", Route(body=fixture("atom.xml"), content_type="application/atom+xml"))
    json_feed = server.route("/json", Route(body=fixture("jsonfeed11.json"), content_type="application/feed+json"))
    html = server.route("/html", Route(body=b"<!doctype html><html><body>Shop</body></html>", content_type="text/html"))
    missing = server.url("/missing")
    refused = f"http://127.0.0.1:{closed_port()}/feed"
    for url in (rss, html, atom, missing, json_feed, refused):
        store.add_feed(url)
    calls = []

    async with fetcher() as f:
        report = await refresh_feeds(store, f, progress=lambda *args: calls.append(args))

    by_url = {o.feed.url: o for o in report.outcomes}
    assert by_url[rss].status == "ok" and by_url[rss].new == 4
    assert by_url[atom].new == 2 and by_url[json_feed].new == 2
    assert by_url[html].status == "failed" and by_url[html].error == "not a feed: got an HTML page"
    assert by_url[missing].error == "HTTP 404 Not Found"
    assert by_url[refused].error == "connection refused"
    assert report.new_entries == 8 and len(report.failed) == 3

    assert [c[0] for c in calls] == [1, 2, 3, 4, 5, 6]
    assert all(c[1] == 6 for c in calls)

    saved = {f.url: f for f in store.feeds()}
    assert saved[rss].status == "ok" and saved[rss].title == "Riverside Daily" and saved[rss].total == 4
    assert saved[rss].etag == '"r1"' and saved[rss].last_success is not None
    assert saved[html].status == "error" and saved[html].last_error == "not a feed: got an HTML page"
    assert saved[missing].last_error == "HTTP 404 Not Found" and saved[missing].total == 0
    assert saved[refused].last_error == "connection refused"
    assert len(store.entries()) == 8

    lines = report.summary_lines()
    assert lines[0].startswith("8 new articles from 3 feeds, 3 failed (in ")
    assert lines[1] == "3 with content, 0 not modified, 3 failed"
    assert f"  {missing}: failed: HTTP 404 Not Found" in lines


async def test_second_refresh_is_conditional_and_changes_nothing(server: FeedServer, store: Store) -> None:
    url = server.route("/rss", Route(body=fixture("rss20.xml"), etag='"r1"', last_modified="Tue, 14 May 2024 08:00:00 GMT"))
    store.add_feed(url)
    async with fetcher() as f:
        first = await refresh_feeds(store, f)
        store.set_read([store.entries()[0].id])
        second = await refresh_feeds(store, f, force=True)
    assert first.outcomes[0].new == 4
    assert second.outcomes[0].status == "not_modified"
    assert second.new_entries == 0
    conditional = server.requests_to("/rss")[1].headers
    assert conditional["if-none-match"] == '"r1"'
    assert conditional["if-modified-since"] == "Tue, 14 May 2024 08:00:00 GMT"
    entries = store.entries()
    assert len(entries) == 4 and sum(e.read for e in entries) == 1


async def test_feeds_not_due_are_skipped_unless_forced(server: FeedServer, store: Store) -> None:
    url = server.route("/rss", Route(body=fixture("rss091.xml")))
    store.add_feed(url)
    async with fetcher() as f:
        await refresh_feeds(store, f, default_interval=600)
        again = await refresh_feeds(store, f, default_interval=600)
        forced = await refresh_feeds(store, f, force=True, default_interval=600)
    assert again.outcomes[0].status == "skipped" and len(again.skipped) == 1
    assert again.summary_lines()[0].startswith("0 new articles from 0 feeds (in ")
    assert forced.outcomes[0].status == "ok"
    assert len(server.requests_to("/rss")) == 2
    due = store.feed_by_url(url).next_due
    assert timedelta(seconds=590) < due - datetime.now(UTC) <= timedelta(seconds=600)


async def test_server_hints_lengthen_the_interval(server: FeedServer, store: Store) -> None:
    ttl_feed = server.route("/ttl", Route(body=fixture("rss20.xml")))  # <ttl>90</ttl>
    cached = server.route("/cached", Route(body=fixture("atom.xml"), headers={"Cache-Control": "max-age=7200"}))
    busy = server.route("/busy", Route(status=503, headers={"Retry-After": "3600"}))
    huge = server.route("/huge", Route(body=fixture("rss091.xml"), headers={"Cache-Control": "max-age=31536000"}))
    for url in (ttl_feed, cached, busy, huge):
        store.add_feed(url)
    async with fetcher() as f:
        await refresh_feeds(store, f, default_interval=60)
    now = datetime.now(UTC)

    def wait(url: str) -> float:
        return (store.feed_by_url(url).next_due - now).total_seconds()

    assert 90 * 60 - 15 < wait(ttl_feed) <= 90 * 60
    assert 7200 - 15 < wait(cached) <= 7200
    assert 3600 - 15 < wait(busy) <= 3600
    assert 86400 - 15 < wait(huge) <= 86400  # a year-long max-age is capped at a day
    assert store.feed_by_url(busy).last_error == "HTTP 503 Service Unavailable"


async def test_permanent_redirect_moves_the_subscription(server: FeedServer, store: Store) -> None:
    new = server.route("/new", Route(body=fixture("atom.xml")))
    old = server.redirect("/old", "/new", status=301)
    store.add_feed(old)
    async with fetcher() as f:
        report = await refresh_feeds(store, f)
    assert report.outcomes[0].new_url == new
    assert store.feed_by_url(old) is None
    moved = store.feed_by_url(new)
    assert moved.total == 2
    assert f"  {old}: moved permanently to {new}" in report.summary_lines()


async def test_gone_feed_is_marked_and_then_left_alone(server: FeedServer, store: Store) -> None:
    url = server.route("/gone", Route(status=410))
    store.add_feed(url)
    async with fetcher() as f:
        first = await refresh_feeds(store, f)
        later = await refresh_feeds(store, f)
        forced = await refresh_feeds(store, f, force=True)
    assert first.outcomes[0].status == "gone"
    assert store.feed_by_url(url).status == "gone"
    assert store.feed_by_url(url).last_error == "HTTP 410 Gone"
    assert later.outcomes[0].status == "skipped"
    assert forced.outcomes[0].status == "gone"
    assert len(server.requests_to("/gone")) == 2


async def test_a_feed_that_stops_parsing_keeps_its_entries_and_gets_refetched(
    server: FeedServer, store: Store
) -> None:
    url = server.route("/rss", Route(body=fixture("rss20.xml"), etag='"good"'))
    store.add_feed(url)
    async with fetcher() as f:
        await refresh_feeds(store, f)
        server.update("/rss", body=b"<?xml version='1.0'?>\n<rss>\n<<<", etag='"broken"')
        broken = await refresh_feeds(store, f, force=True)
        server.update("/rss", body=fixture("rss20.xml"), etag='"fixed"')
        fixed = await refresh_feeds(store, f, force=True)
    assert broken.outcomes[0].error == "not a feed: malformed XML (line 3)"
    saved = store.feed_by_url(url)
    assert saved.total == 4 and saved.status == "ok"
    # The broken response's ETag was not kept, so the repaired feed is downloaded again.
    assert server.requests_to("/rss")[2].headers["if-none-match"] == '"good"'
    assert fixed.outcomes[0].status == "ok" and saved.etag == '"fixed"'


async def test_changed_entries_are_updated_not_duplicated(server: FeedServer, store: Store) -> None:
    body = fixture("jsonfeed11.json")
    url = server.route("/json", Route(body=body))
    store.add_feed(url)
    async with fetcher() as f:
        await refresh_feeds(store, f)
        store.set_starred([e.id for e in store.entries()])
        server.update("/json", body=body.replace(b"deeper flavour", b"much deeper flavour"))
        report = await refresh_feeds(store, f, force=True)
    assert (report.new_entries, report.updated_entries) == (0, 1)
    entries = store.entries()
    assert len(entries) == 2 and all(e.starred for e in entries)


async def test_parsing_in_worker_processes_gives_the_same_result(server: FeedServer, store: Store) -> None:
    expected = {"rss091.xml": 2, "rss10.rdf": 2, "rss20.xml": 4, "atom.xml": 2, "jsonfeed10.json": 2,
                "jsonfeed11.json": 2}
    for name in expected:
        store.add_feed(server.route(f"/{name}", Route(body=fixture(name))))
    async with fetcher() as f:
        report = await refresh_feeds(store, f, parse_workers=2)
    assert report.parse_workers == 2
    assert {o.feed.url.rsplit("/", 1)[1]: o.new for o in report.outcomes} == expected
    assert not report.failed


UPDATED_ONLY_ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"%(base)s>
  <title>Updated Only</title><id>urn:feed:updated-only</id><updated>2026-11-20T10:00:00Z</updated>
  <link href="https://updated.example.net/"/>
  <entry><title>Fresh, with both dates</title><id>urn:e:fresh</id><link href="https://updated.example.net/fresh"/>
    <published>2026-11-20T09:00:00Z</published><updated>2026-11-20T10:00:00Z</updated></entry>
  <entry><title>Old, updated only</title><id>urn:e:old</id><link href="https://updated.example.net/old"/>
    <updated>2026-11-02T08:30:00+01:00</updated></entry>
</feed>"""
DC_DATE_RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>DC Dates</title>
<link>https://dc.example.net/</link>
<item><title>Dated by dc:date</title><link>https://dc.example.net/a</link><dc:date>2026-11-05T12:00:00Z</dc:date></item>
</channel></rss>"""
MODIFIED_JSON = b"""{"version": "https://jsonfeed.org/version/1.1", "title": "Modified", "items": [
 {"id": "m1", "url": "https://json.example.net/m1", "title": "Dated by date_modified",
  "content_text": "x", "date_modified": "2026-11-04T06:00:00Z"}]}"""


def test_entries_with_only_an_update_date_are_dated_by_it(
    server: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 12.1: valid Atom with only <updated> (fast path and feedparser), dc:date, date_modified."""
    import json

    from tui.cli import main

    urls = [
        server.route("/atom", Route(body=UPDATED_ONLY_ATOM % {b"base": b""}, content_type="application/atom+xml")),
        # xml:base sends the same feed through feedparser instead of the fast path.
        server.route("/atom-base", Route(
            body=(UPDATED_ONLY_ATOM % {b"base": b' xml:base="https://updated.example.net/"'}).replace(
                b"urn:e:", b"urn:base:"),
            content_type="application/atom+xml")),
        server.route("/dc", Route(body=DC_DATE_RSS)),
        server.route("/json", Route(body=MODIFIED_JSON, content_type="application/feed+json")),
    ]
    assert main(["add", *urls]) == 0
    assert main(["refresh"]) == 0
    capsys.readouterr()
    assert main(["list", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    dated = {(r["feed_url"].rsplit("/", 1)[1], r["title"]): r["published"] for r in rows}
    assert all(dated.values()), dated
    for path in ("atom", "atom-base"):
        assert dated[(path, "Old, updated only")].startswith("2026-11-02T07:30:00")
        assert dated[(path, "Fresh, with both dates")].startswith("2026-11-20T09:00:00")
    assert dated[("dc", "Dated by dc:date")].startswith("2026-11-05T12:00:00")
    assert dated[("json", "Dated by date_modified")].startswith("2026-11-04T06:00:00")
    # Sorted by that date: the old entries come last, not above everything.
    assert [r["title"] for r in rows][-2:] == ["Old, updated only", "Old, updated only"]


async def test_a_refresh_where_everything_is_unchanged_writes_once(server: FeedServer, store: Store) -> None:
    """304s cost no write of their own: their validators and due times share one transaction."""
    urls = [
        server.route(f"/f{i}", Route(body=fixture("rss20.xml"), etag=f'"e{i}"')) for i in range(5)
    ]
    for url in urls:
        store.add_feed(url)
    async with fetcher() as f:
        await refresh_feeds(store, f)
        calls: list[str] = []
        single, many = store.apply_refresh, store.apply_refresh_many
        store.apply_refresh = lambda *a, **k: calls.append("one") or single(*a, **k)  # type: ignore[method-assign]
        store.apply_refresh_many = lambda u: calls.append(f"many:{len(u)}") or many(u)  # type: ignore[method-assign]
        report = await refresh_feeds(store, f, force=True)
    assert [o.status for o in report.outcomes] == ["not_modified"] * 5
    assert calls == ["many:5"]
    feeds = store.feeds()
    assert all(feed.etag and feed.last_checked and feed.status == "ok" for feed in feeds)
    assert min(feed.last_checked for feed in feeds) >= max(o.next_due for o in report.outcomes) - timedelta(
        seconds=31 * 60
    )


def test_an_unchanged_refresh_never_loads_the_parser(server: FeedServer, newswire_home: Path) -> None:
    """The real command: a second refresh of 304s imports neither of the parsers."""
    import subprocess
    import sys

    url = server.route("/rss", Route(body=fixture("rss20.xml"), etag='"same"'))
    root = Path(__file__).resolve().parents[2]
    code = (
        "import sys; from tui.cli import main; "
        "sys.exit(main(sys.argv[1:]) or print(sorted(m for m in ('tui.core.feeds.parse', 'feedparser') "
        "if m in sys.modules)))"
    )

    def run(*argv: str) -> str:
        proc = subprocess.run([sys.executable, "-c", code, *argv], cwd=root, capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr
        return proc.stdout.strip().splitlines()[-1]

    run("add", url)
    assert "tui.core.feeds.parse" in run("refresh")
    assert run("refresh", "--force") == "[]"
    assert server.requests_to("/rss")[-1].headers["if-none-match"] == '"same"'


def small_feed(n: int, guids: list[str]) -> bytes:
    items = "".join(
        f"<item><title>Story {g}</title><link>https://example.com/{n}/{g}</link><guid>{g}</guid>"
        f"<description>Story {g} of feed {n}.</description></item>"
        for g in guids
    )
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Feed {n}</title>'
            f"<link>https://example.com/{n}/</link>{items}</channel></rss>").encode()


@pytest.mark.parametrize("store_batch", [2, STORE_BATCH, 64])  # 64: what `newswire refresh` asks for
async def test_feeds_stored_together_stay_whole_and_one_refused_feed_fails_alone(
    server: FeedServer, store: Store, tmp_path: Path, store_batch: int
) -> None:
    """Feeds parsed while the database is busy are stored in shared transactions (at most
    `store_batch` feeds each); if the store refuses one of them, that feed fails with the reason
    and the others are stored in full."""
    import sqlite3
    import threading

    urls = [server.route(f"/f{n}", Route(body=small_feed(n, [f"f{n}-{i}" for i in range(3)]))) for n in range(10)]
    # Slower than the rest, so it is never the first feed written (alone) but joins a shared batch.
    poisoned = server.route("/poisoned", Route(body=small_feed(99, ["ok-1", "refused", "ok-2"]), delay=0.3))
    for url in [*urls, poisoned]:
        store.add_feed(url)
    other = sqlite3.connect(tmp_path / "newswire.db", isolation_level=None, check_same_thread=False)
    other.execute("CREATE TRIGGER refuse BEFORE INSERT ON entries WHEN NEW.guid = 'refused' "
                  "BEGIN SELECT RAISE(ABORT, 'refused by the store'); END")
    # Another writer (a second refresh, a sync) holds the database while the feeds arrive.
    other.execute("BEGIN IMMEDIATE")
    release = threading.Timer(1.0, lambda: other.execute("COMMIT"))
    release.start()
    try:
        async with fetcher() as f:
            report = await refresh_feeds(store, f, store_batch=store_batch)
    finally:
        release.join()
        other.close()

    by_url = {o.feed.url: o for o in report.outcomes}
    assert by_url[poisoned].status == "failed"
    assert "refused by the store" in (by_url[poisoned].error or "")
    assert all(by_url[url].status == "ok" and by_url[url].new == 3 for url in urls)
    counts = {feed.url: feed.total for feed in store.feeds()}
    assert all(counts[url] == 3 for url in urls)
    assert counts[poisoned] == 0  # nothing of the refused feed: never half a feed
    assert store.feed_by_url(poisoned).status == "error"  # type: ignore[union-attr]
