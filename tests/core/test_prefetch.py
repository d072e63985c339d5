"""Prefetch during a refresh: real pages on 127.0.0.1, hostile ones kept as reasons, readings that open offline."""

from __future__ import annotations

import html
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from tests.httpserver import FeedServer, Route
from tui.core.config import parse_config
from tui.core.feeds.fetch import Fetcher
from tui.core.feeds.refresh import refresh_feeds
from tui.core.prefetch import PrefetchPolicy, policy_from_config
from tui.core.reading import load_reading
from tui.core.store import Store

STORIES = Path(__file__).resolve().parents[1] / "fixtures" / "stories"


def page(name: str) -> bytes:
    """A news page around a fixture story: navigation, share buttons, related links, a footer."""
    parts = [p.strip() for p in (STORIES / f"{name}.txt").read_text().split("\n\n") if p.strip()]
    title, paras = parts[0], parts[1:]
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paras)
    return (
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)} | Coast Wire</title></head><body>"
        "<nav><a href='/'>Home</a> <a href='/world'>World</a> <a href='/sport'>Sport</a></nav>"
        f"<main><article><h1>{html.escape(title)}</h1><div class='share'>Share on Facebook</div>"
        f"<div class='article-body'>{body}</div></article>"
        "<aside class='related'><h2>Related</h2><ul><li><a href='/a'>Another headline here</a></li>"
        "<li><a href='/b'>And one more headline</a></li></ul></aside></main>"
        "<footer>© 2026 Coast Wire. All rights reserved.</footer></body></html>"
    ).encode()


def teaser_feed(server: FeedServer, paths: list[str]) -> bytes:
    items = "".join(
        f"<item><title>Story at {p}</title><link>{server.url(p)}</link><guid>{p}</guid>"
        f"<description>A short teaser for {p.strip('/')}… Read more</description></item>"
        for p in paths
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Teasers</title>'
        f"<link>{server.base}/</link>{items}</channel></rss>"
    ).encode()


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as srv:
        yield srv


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "newswire.db") as db:
        yield db


def fetcher() -> Fetcher:
    return Fetcher(connect_timeout=2, read_timeout=1, deadline=2, max_bytes=300_000, per_host=2)


def entry_id(store: Store, path: str) -> int:
    return next(e.id for e in store.entries() if e.link and e.link.endswith(path))


async def test_hostile_pages_become_reasons_and_the_good_one_opens_offline(server: FeedServer, store: Store) -> None:
    paths = ["/ok", "/missing", "/loop-a", "/huge", "/endless", "/not-an-article"]
    server.route("/feed", Route(body=teaser_feed(server, paths)))
    server.route("/ok", Route(body=page("ferry-original"), content_type="text/html; charset=utf-8"))
    server.redirect("/loop-a", server.url("/loop-b"), status=302)
    server.redirect("/loop-b", server.url("/loop-a"), status=302)
    server.route(
        "/huge", Route(body=b"<html><body>" + b"<p>word </p>" * 40_000 + b"</body></html>", content_type="text/html")
    )
    # Never finishes within the deadline: ten pieces, half a second apart.
    server.route("/endless", Route(body=page("orchard"), content_type="text/html", drip=0.5, drip_chunks=10))
    server.route("/not-an-article", Route(body=b"<html><body><nav>Home</nav></body></html>", content_type="text/html"))
    store.add_feed(server.url("/feed"))
    seen: list[tuple[int, int, str, str]] = []

    async with fetcher() as f:
        report = await refresh_feeds(
            store,
            f,
            prefetch=PrefetchPolicy(retry_after=timedelta(0)),
            progress=lambda done, total, what, outcome: seen.append(
                (done, total, getattr(outcome, "phase", "feed"), what.url)
            ),
        )

    # The feed itself is stored whatever its pages did.
    assert report.new_entries == 6 and not report.failed
    assert report.after.fetched == 1 and report.after.failed == 5
    states = {p: store.prefetch_state(entry_id(store, p)) for p in paths}
    assert states["/ok"] == ("ok", None, 1)
    assert "HTTP 404" in states["/missing"][1]
    assert "redirect loop" in states["/loop-a"][1]
    assert "larger than" in states["/huge"][1]
    assert "timed out" in states["/endless"][1]
    assert "no article text" in states["/not-an-article"][1]
    # Progress: the feed, then one step per page in the prefetch phase.
    assert seen[0][2] == "feed"
    assert sorted(s[3].rsplit("/", 1)[-1] for s in seen if s[2] == "prefetch") == sorted(p[1:] for p in paths)
    assert [s[0] for s in seen if s[2] == "prefetch"] == list(range(1, 7))
    assert any("404" in line for line in report.summary_lines())

    # The good page opens at once with no network at all, and its full text is searchable.
    ok = store.entry(entry_id(store, "/ok"))
    assert ok is not None
    reading = await load_reading(store, None, ok)
    assert reading.article.blocks[0].text.startswith("Ferry crews in Port Alder walked off the job")
    assert not reading.article.reason
    assert any("Okafor" in (q.speaker or "") for q in reading.quotes)
    assert [e.id for e in store.search("Lindqvist")] == [ok.id]

    # A later refresh retries the failures (fixed meanwhile) and leaves the stored page alone.
    server.route("/missing", Route(body=page("orchard"), content_type="text/html"))
    async with fetcher() as f:
        again = await refresh_feeds(store, f, force=True, prefetch=PrefetchPolicy(retry_after=timedelta(0)))
    assert again.after.fetched == 1
    assert store.prefetch_state(entry_id(store, "/missing")) == ("ok", None, 2)
    assert store.prefetch_state(entry_id(store, "/loop-a"))[2] == 2
    assert len(server.requests_to("/ok")) == 1


async def test_the_budget_stops_early_and_the_rest_waits_for_the_next_refresh(server: FeedServer, store: Store) -> None:
    paths = [f"/p{i}" for i in range(6)]
    server.route("/feed", Route(body=teaser_feed(server, paths)))
    for p in paths:
        server.route(p, Route(body=page("ferry-brief"), content_type="text/html"))
    store.add_feed(server.url("/feed"))
    async with fetcher() as f:
        report = await refresh_feeds(store, f, prefetch=PrefetchPolicy(max_pages=2))
    assert report.after.fetched == 2
    assert sum(len(server.requests_to(p)) for p in paths) == 2
    async with fetcher() as f:
        report = await refresh_feeds(store, f, force=True, prefetch=PrefetchPolicy(max_pages=10))
    assert report.after.fetched == 4
    assert all(len(server.requests_to(p)) == 1 for p in paths)


async def test_feeds_with_the_full_text_and_feeds_turned_off_are_not_fetched(server: FeedServer, store: Store) -> None:
    full = "".join(f"<p>{'A long paragraph of the story with many words in it. ' * 6}</p>" for _ in range(4))
    body = (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Full</title>'
        f"<item><title>Whole</title><link>{server.url('/whole')}</link><guid>w</guid>"
        f"<description>{html.escape(full)}</description></item></channel></rss>"
    ).encode()
    server.route("/full", Route(body=body))
    server.route("/teasers", Route(body=teaser_feed(server, ["/t1"])))
    server.route("/t1", Route(body=page("orchard"), content_type="text/html"))
    store.add_feed(server.url("/full"))
    store.add_feed(server.url("/teasers"))
    config = parse_config(f'[[feed]]\nurl = "{server.url("/teasers")}"\nprefetch = false\n')
    policy = policy_from_config(config, store.feeds())
    assert policy.enabled and len(policy.skip_feeds) == 1
    async with fetcher() as f:
        report = await refresh_feeds(store, f, prefetch=policy)
    assert report.new_entries == 2 and report.after.fetched == 0 and report.after.skipped == 1
    assert not server.requests_to("/whole") and not server.requests_to("/t1")
    assert store.prefetch_state(entry_id(store, "/whole")) == ("skipped", "the feed has the full text", 1)


async def test_no_policy_means_no_prefetch(server: FeedServer, store: Store) -> None:
    server.route("/feed", Route(body=teaser_feed(server, ["/x"])))
    server.route("/x", Route(body=page("orchard"), content_type="text/html"))
    store.add_feed(server.url("/feed"))
    async with fetcher() as f:
        await refresh_feeds(store, f)
    assert not server.requests_to("/x")


async def test_the_time_budget_ends_a_slow_prefetch_and_the_refresh_completes(server: FeedServer, store: Store) -> None:
    server.route("/feed", Route(body=teaser_feed(server, ["/slow1", "/slow2"])))
    for p in ("/slow1", "/slow2"):
        server.route(p, Route(body=page("orchard"), content_type="text/html", delay=1.5))
    store.add_feed(server.url("/feed"))
    began = time.monotonic()
    async with Fetcher(deadline=10, read_timeout=10) as f:
        report = await refresh_feeds(store, f, prefetch=PrefetchPolicy(max_seconds=0.3))
    assert time.monotonic() - began < 1.4
    assert report.new_entries == 2 and report.after.fetched == 0
    assert report.after.stopped == "the time budget (0.3 s) ran out"
    # Not tried to the end, so not a failure: both wait for the next refresh.
    assert store.prefetch_state(entry_id(store, "/slow1")) is None


async def test_a_slow_feed_holds_back_no_other_feed_s_pages(server: FeedServer, store: Store) -> None:
    """The pages of a feed's teasers are fetched as soon as that feed is stored, while another
    feed is still answering; progress still shows the feeds first, then the pages."""
    asked: dict[str, float] = {}

    def timed(path: str, route: Route) -> Route:
        def handler(_request: object) -> Route:
            asked[path] = time.monotonic()
            return route

        return Route(handler=handler)

    server.route("/quick", Route(body=teaser_feed(server, ["/q1", "/q2"])))
    for p in ("/q1", "/q2"):
        server.route(p, timed(p, Route(body=page("orchard"), content_type="text/html")))
    server.route("/slow", timed("/slow", Route(body=teaser_feed(server, ["/s1"]), delay=1.5)))
    server.route("/s1", Route(body=page("ferry-original"), content_type="text/html"))
    store.add_feed(server.url("/quick"))
    store.add_feed(server.url("/slow"))
    shown: list[str] = []

    def progress(done: int, total: int, what: object, outcome: object) -> None:
        shown.append(getattr(outcome, "phase", "feed"))

    began = time.monotonic()
    async with Fetcher(deadline=10, read_timeout=10) as f:
        report = await refresh_feeds(store, f, prefetch=PrefetchPolicy(), progress=progress)
    slow_answered = asked["/slow"] + 1.5
    assert time.monotonic() - began >= 1.5
    assert asked["/q1"] < slow_answered - 1 and asked["/q2"] < slow_answered - 1
    assert report.after.fetched == 3 and report.new_entries == 3
    assert shown == ["feed", "feed", "prefetch", "prefetch", "prefetch"]
    assert all(store.prefetch_state(entry_id(store, p))[0] == "ok" for p in ("/q1", "/q2", "/s1"))


def test_the_config_turns_prefetch_off_everywhere_or_on_for_one_feed(store: Store) -> None:
    a, _ = store.add_feed("https://a.example/feed")
    store.add_feed("https://b.example/feed")
    assert policy_from_config(parse_config(""), store.feeds()) == PrefetchPolicy()
    off = policy_from_config(parse_config("[reader]\nprefetch = false\n"), store.feeds())
    assert not off.enabled
    one = policy_from_config(
        parse_config('[reader]\nprefetch = false\n[[feed]]\nurl = "https://b.example/feed"\nprefetch = true\n'),
        store.feeds(),
    )
    assert one.enabled and one.skip_feeds == {a.id}
    no_full_text = policy_from_config(parse_config("[reader]\nfull_text = false\n"), store.feeds())
    assert not no_full_text.enabled


async def test_a_progress_callback_that_only_knows_feeds_costs_nothing(server: FeedServer, store: Store) -> None:
    # One worker for the host, the failing page first in its queue (newest first).
    server.route("/feed", Route(body=teaser_feed(server, ["/a", "/missing"])))
    server.route("/a", Route(body=page("orchard"), content_type="text/html"))
    store.add_feed(server.url("/feed"))

    def feeds_only(done: int, total: int, feed: object, outcome: object) -> None:
        assert outcome.new >= 0  # type: ignore[attr-defined]  # a PrefetchOutcome has no `new`

    async with Fetcher(connect_timeout=2, read_timeout=2, deadline=5, per_host=1) as f:
        report = await refresh_feeds(store, f, prefetch=PrefetchPolicy(), progress=feeds_only)
    assert report.after.failed == 1 and report.after.fetched == 1


def atom_teaser(server: FeedServer, updated: str) -> bytes:
    """One summary-only Atom entry whose <updated> the publisher moves when it edits the page."""
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>Coast Wire</title><id>urn:coast</id><updated>{updated}</updated>"
        f"<entry><title>Ferry talks</title><id>urn:coast:ferry</id><link href='{server.url('/ferry')}'/>"
        f"<published>2026-11-03T08:00:00Z</published><updated>{updated}</updated>"
        "<summary>Ferry crews and the operator meet again… Read more</summary></entry></feed>"
    ).encode()


async def test_a_page_edited_under_an_updated_entry_is_fetched_again_and_keeps_its_earlier_version(
    server: FeedServer, store: Store
) -> None:
    from tui.core.stories import diff_versions

    server.route("/feed", Route(body=atom_teaser(server, "2026-11-03T08:00:00Z"), content_type="application/atom+xml"))
    server.route("/ferry", Route(body=page("ferry-original"), content_type="text/html; charset=utf-8"))
    store.add_feed(server.url("/feed"))
    policy = PrefetchPolicy(recheck_after=timedelta(0))
    async with fetcher() as f:
        assert (await refresh_feeds(store, f, prefetch=policy)).after.fetched == 1
        ferry = entry_id(store, "/ferry")

        # The page is edited, but the feed still gives the entry's old date: nothing is fetched again.
        server.route("/ferry", Route(body=page("ferry-updated"), content_type="text/html; charset=utf-8"))
        await refresh_feeds(store, f, force=True, prefetch=policy)
        assert len(server.requests_to("/ferry")) == 1
        assert store.entry_versions(ferry) == []

        # The feed moves the entry's <updated> (same summary): the page is fetched again, the earlier
        # article is kept as a version and the entry is marked updated.
        server.route("/feed", Route(body=atom_teaser(server, "2026-11-03T11:30:00Z"), content_type="application/atom+xml"))
        report = await refresh_feeds(store, f, force=True, prefetch=policy)
    assert report.after.fetched == 1 and len(server.requests_to("/ferry")) == 2
    (old,) = store.entry_versions(ferry)
    assert "talks over pay" in str(old["article"])
    assert ferry in store.changed_ids()
    (diff,) = diff_versions(store, ferry)
    assert any(c.kind == "cut" and c.text.startswith("The last strike") for c in diff.changes)
    assert any("open mind" in q for q in diff.quotes_added)


async def test_a_page_fetched_again_with_the_same_text_is_no_new_version(server: FeedServer, store: Store) -> None:
    server.route("/feed", Route(body=atom_teaser(server, "2026-11-03T08:00:00Z"), content_type="application/atom+xml"))
    server.route("/ferry", Route(body=page("ferry-original"), content_type="text/html; charset=utf-8"))
    store.add_feed(server.url("/feed"))
    policy = PrefetchPolicy(recheck_after=timedelta(0))
    async with fetcher() as f:
        await refresh_feeds(store, f, prefetch=policy)
        server.route("/feed", Route(body=atom_teaser(server, "2026-11-03T09:00:00Z"), content_type="application/atom+xml"))
        await refresh_feeds(store, f, force=True, prefetch=policy)
    ferry = entry_id(store, "/ferry")
    assert len(server.requests_to("/ferry")) == 2
    assert store.entry_versions(ferry) == [] and ferry not in store.changed_ids()


async def test_a_host_that_cannot_be_reached_is_tried_once_per_pass_and_summed_up_in_one_line(
    server: FeedServer, store: Store
) -> None:
    import socket

    with socket.socket() as probe:  # a port nobody listens on: every connection is refused
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    dead = [f"http://127.0.0.1:{closed}/story-{n}" for n in range(5)]
    items = "".join(
        f"<item><title>Story {n}</title><link>{url}</link><guid>{url}</guid>"
        f"<description>A short teaser… Read more</description></item>"
        for n, url in enumerate(dead)
    )
    server.route("/feed", Route(body=(
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Teasers</title><link>{server.base}/</link>'
        f"{items}</channel></rss>").encode()))
    store.add_feed(server.url("/feed"))

    asked: list[str] = []

    class Counting(Fetcher):
        async def fetch(self, url: str, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
            asked.append(url)
            return await super().fetch(url, *args, **kwargs)  # type: ignore[arg-type]

    async with Counting(connect_timeout=2, read_timeout=1, deadline=2, per_host=2) as f:
        report = await refresh_feeds(store, f, prefetch=PrefetchPolicy())
    assert report.after.failed == 5 and report.after.fetched == 0
    # The two workers of that host each found it refused; the other three pages were not asked.
    assert len([u for u in asked if u in dead]) <= 2
    assert all(reason == "connection refused" for _, reason in report.after.failures)
    assert report.after.summary_lines()[1:] == [f"  127.0.0.1:{closed}: connection refused (5 pages)"]


async def test_one_refresh_tells_every_new_entry_apart_so_the_next_has_nothing_to_classify(
    server: FeedServer, store: Store
) -> None:
    import tui.core.prefetch as prefetch_module

    full = " ".join(["The council voted to rebuild the harbour wall before the winter storms."] * 10)
    items = "".join(
        f"<item><title>Story {n}</title><link>{server.url(f'/full/{n}')}</link><guid>f{n}</guid>"
        f"<description>{full}</description></item>"
        for n in range(25)
    )
    server.route("/feed", Route(body=(
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Full</title><link>{server.base}/</link>'
        f"{items}</channel></rss>").encode()))
    store.add_feed(server.url("/feed"))
    batch = prefetch_module.CLASSIFY_BATCH
    prefetch_module.CLASSIFY_BATCH = 10  # three batches for 25 entries
    try:
        async with fetcher() as f:
            report = await refresh_feeds(store, f, prefetch=PrefetchPolicy(max_pages=2))
    finally:
        prefetch_module.CLASSIFY_BATCH = batch
    assert report.after.skipped == 25 and report.after.fetched == 0
    assert all(store.prefetch_state(e.id) == ("skipped", "the feed has the full text", 1) for e in store.entries())
    assert not [r for r in server.requests if r.path.startswith("/full/")]


async def test_a_feed_that_stamps_every_entry_with_its_build_time_fetches_no_page_again(
    server: FeedServer, store: Store
) -> None:
    def stamped(when: str) -> bytes:
        entries = "".join(
            f"<entry><title>Story {n}</title><id>urn:s:{n}</id><link href='{server.url(f'/s{n}')}'/>"
            f"<updated>{when}</updated><summary>A short teaser {n}… Read more</summary></entry>"
            for n in range(3)
        )
        return (
            '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>Stamped</title><id>urn:s</id><updated>{when}</updated>{entries}</feed>"
        ).encode()

    for n in range(3):
        server.route(f"/s{n}", Route(body=page("ferry-original"), content_type="text/html; charset=utf-8"))
    server.route("/feed", Route(body=stamped("2026-11-03T08:00:00Z"), content_type="application/atom+xml"))
    store.add_feed(server.url("/feed"))
    policy = PrefetchPolicy(recheck_after=timedelta(0))
    async with fetcher() as f:
        assert (await refresh_feeds(store, f, prefetch=policy)).after.fetched == 3
        server.route("/feed", Route(body=stamped("2026-11-03T09:00:00Z"), content_type="application/atom+xml"))
        again = await refresh_feeds(store, f, force=True, prefetch=policy)
    assert again.after.fetched == 0
    assert all(len(server.requests_to(f"/s{n}")) == 1 for n in range(3))


async def test_a_title_that_was_the_story_s_opening_words_becomes_the_page_s_headline(
    server: FeedServer, store: Store
) -> None:
    """Feeds without headlines cut the story's first words short ("A late frost on Sunday night"):
    once the page is fetched, the list and the search show its real headline; a feed's own
    headline is left alone."""
    server.route("/frost", Route(body=page("orchard"), content_type="text/html; charset=utf-8"))
    server.route("/ferry", Route(body=page("ferry-original"), content_type="text/html; charset=utf-8"))
    items = (
        f"<item><title>A late frost on Sunday night destroyed about</title><link>{server.url('/frost')}</link>"
        f"<guid>frost</guid><description>A late frost on Sunday night destroyed about…</description></item>"
        f"<item><title>Ferry crews stop work</title><link>{server.url('/ferry')}</link>"
        f"<guid>ferry</guid><description>Crews walked off the job…</description></item>"
    )
    server.route("/feed", Route(body=(
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Cut</title><link>{server.base}/</link>'
        f"{items}</channel></rss>").encode()))
    store.add_feed(server.url("/feed"))
    async with fetcher() as f:
        report = await refresh_feeds(store, f, prefetch=PrefetchPolicy())
    assert report.after.fetched == 2
    titles = {e.link.rsplit("/", 1)[1]: e.title for e in store.entries() if e.link}
    assert titles == {"frost": "Late frost wipes out half the apple blossom in the Kessel valley",
                      "ferry": "Ferry crews stop work"}
    assert [e.title for e in store.search("blossom")] == [titles["frost"]]


# Run in a fresh interpreter: multiprocessing starts its forkserver once a process, so only a process
# that has none yet shows what the app's first big prefetch meets.
_IN_THE_APP = """
import asyncio, sys
from datetime import timedelta
from pathlib import Path
sys.path.insert(0, {root!r})
from textual.app import App
from tests.core.test_prefetch import page, teaser_feed
from tests.httpserver import FeedServer, Route
from tui.core.feeds.fetch import Fetcher
from tui.core.feeds.refresh import refresh_feeds
from tui.core.prefetch import PROCESS_BATCH, PrefetchPolicy
from tui.core.store import Store

async def main() -> None:
    with FeedServer() as server, Store(Path({db!r})) as store:
        paths = [f"/story-{{n}}" for n in range(PROCESS_BATCH + 6)]
        server.route("/feed", Route(body=teaser_feed(server, paths)))
        for n, path in enumerate(paths):
            server.route(path, Route(body=page(("ferry-original", "orchard")[n % 2]), content_type="text/html"))
        store.add_feed(server.url("/feed"))
        async with App().run_test():  # as in the app: its print capture is sys.stderr, threads run
            assert sys.stderr.fileno() == -1
            async with Fetcher(per_host=4) as fetcher:
                report = await refresh_feeds(store, fetcher, prefetch=PrefetchPolicy(retry_after=timedelta(0)))
        print(report.after.fetched, report.after.failed)

asyncio.run(main())
"""


def test_a_big_prefetch_inside_the_app_cleans_its_pages_in_worker_processes(tmp_path: Path) -> None:
    """The app's print capture has no file descriptor (fileno() is -1); multiprocessing handed it to
    the processes it started and every page of a prefetch big enough for worker processes failed
    with "internal error: ValueError: bad value(s) in fds_to_keep" (seen with try_real_feeds)."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    db = tmp_path / "newswire.db"
    run = subprocess.run(
        [sys.executable, "-c", _IN_THE_APP.format(root=str(root), db=str(db))],
        capture_output=True, text=True, timeout=120, cwd=root,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    fetched, failed = run.stdout.split()
    with Store(db) as store:
        reasons = {store.prefetch_state(e.id) for e in store.entries()}
    assert (int(fetched), int(failed)) == (30, 0), reasons


def test_a_refresh_with_home_cleans_pages_with_that_home_s_place_index(
    server: FeedServer, tmp_path: Path, newswire_home: Path
) -> None:
    """`--home H` keeps everything under H: the place index the page cleaner opens too (it was built
    in the default home's cache, beside another user's files)."""
    from tui.cli import main
    from tui.core.language.places import gazetteer_cache_file

    names = sorted(p.stem for p in STORIES.glob("*.txt"))[:2]
    for name in names:
        server.route(f"/{name}", Route(body=page(name), content_type="text/html; charset=utf-8"))
    server.route("/feed.xml", Route(body=teaser_feed(server, [f"/{n}" for n in names]),
                                    content_type="application/rss+xml"))
    home = tmp_path / "elsewhere"
    assert main(["--home", str(home), "add", server.url("/feed.xml")]) == 0
    assert main(["--home", str(home), "refresh"]) == 0
    with Store(home / "newswire.db") as store:
        assert all(store.latest_article(e.id) for e in store.entries())  # the pages were cleaned…
    # …with the index kept under --home (the test's default home has one already: it is not the one used)
    assert gazetteer_cache_file(home / "cache").exists()
