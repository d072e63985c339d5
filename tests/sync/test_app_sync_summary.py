"""What the app says after a refresh that synced: the server's new articles and the marks sent, not "0 from 0 feeds"."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.httpserver import FeedServer, Route
from tests.sync.servers import Miniflux, User
from tests.sync.test_sync import items
from tests.ui.conftest import record_notifications, wait_for
from tui.app import build_app
from tui.core.config import load_config
from tui.core.paths import resolve_paths
from tui.core.store import Store


async def test_the_refresh_summary_counts_what_the_sync_brought_and_sent(
    protocol: str, miniflux: Miniflux, account: User, feed: Callable[..., str], newswire_home: Path
) -> None:
    account.subscribe(feed("tau", items("t", 3)))
    config_file = newswire_home / "config.toml"
    config_file.write_text(config_file.read_text() + "on_refresh = true\n\n[reader]\nrefresh_on_start = false\n")
    paths = resolve_paths()
    paths.ensure()
    config = load_config(paths.config_file)
    with Store(paths.database) as store:
        app = record_notifications(build_app(paths, config, store))
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.press("R")  # every feed is the server's: the sync is the whole refresh
            await wait_for(pilot, lambda: any(n.startswith("Synced") for n in app.notified), timeout=30)
            said = next(n for n in app.notified if n.startswith("Synced"))
            assert "3 new articles" in said
            assert "0 new articles from 0 feeds" not in "\n".join(app.notified)
            app.main.table.focus()
            await pilot.press("f")
            await wait_for(pilot, lambda: any(e.starred for e in store.entries()))
            app.notified.clear()
            await pilot.press("R")
            await wait_for(pilot, lambda: any(n.startswith("Synced") for n in app.notified), timeout=30)
            synced = next(n for n in app.notified if n.startswith("Synced")).splitlines()[0]
            assert synced == "Synced: 1 mark sent."


async def test_a_failed_sync_with_no_local_feed_is_one_warning_not_a_refresh_of_nothing(
    protocol: str, miniflux: Miniflux, account: User, feed: Callable[..., str], newswire_home: Path
) -> None:
    import asyncio

    from tui.cli import main

    account.subscribe(feed("upsilon", items("u", 2)))
    assert await asyncio.to_thread(main, ["sync"]) == 0  # every feed is the server's
    config_file = newswire_home / "config.toml"
    (newswire_home / "secret").write_text("not-the-password\n")
    config_file.write_text(config_file.read_text() + "on_refresh = true\n\n[reader]\nrefresh_on_start = false\n")
    paths = resolve_paths()
    config = load_config(paths.config_file)
    with Store(paths.database) as store:
        app = record_notifications(build_app(paths, config, store))
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.press("R")
            await wait_for(pilot, lambda: app.notified and not app.main.refreshing, timeout=30)
            await pilot.pause(0.3)
            assert len(app.notified) == 1 and "password" in app.notified[0]


async def test_a_first_start_with_sync_set_up_shows_the_servers_feeds_without_the_demo(
    protocol: str, miniflux: Miniflux, account: User, feed: Callable[..., str], newswire_home: Path
) -> None:
    account.subscribe(feed("phi", items("p", 2)))
    paths = resolve_paths()
    paths.ensure()
    config = load_config(paths.config_file)
    with Store(paths.database) as store:
        app = build_app(paths, config, store)
        async with app.run_test(size=(120, 36)) as pilot:
            await wait_for(pilot, lambda: {"p story 0", "p story 1"} <= {e.title for e in app.main.table.entries},
                           timeout=30)
            await wait_for(pilot, lambda: not app.main.refreshing, timeout=30)
        urls = [f.url for f in store.feeds()]
    assert len(urls) == 1 and "phi" in urls[0]  # the server's feed only: no demo feed to remove


async def test_r_on_a_synced_feed_syncs_it_instead_of_refreshing_nothing(
    protocol: str, miniflux: Miniflux, account: User, feed: Callable[..., str], newswire_home: Path
) -> None:
    from tui.sources import FeedSource

    url = feed("chi", items("c", 2))
    feed_id = account.subscribe(url)
    config_file = newswire_home / "config.toml"
    config_file.write_text(config_file.read_text() + "\n[reader]\nrefresh_on_start = false\n")
    paths = resolve_paths()
    paths.ensure()
    config = load_config(paths.config_file)
    with Store(paths.database) as store:
        app = record_notifications(build_app(paths, config, store))
        async with app.run_test(size=(120, 36)) as pilot:
            await wait_for(pilot, lambda: store.feeds() and not app.main.refreshing, timeout=30)  # the first sync
            feed("chi", items("c", 4))  # two more stories, which the server fetches
            account.refresh(feed_id)
            synced = next(f for f in store.feeds() if f.url == url)
            feeds_pane = app.main.feed_list
            await wait_for(pilot, lambda: synced.id in feeds_pane.feeds)
            feeds_pane.focus()
            feeds_pane.highlight(FeedSource(synced.id))
            app.notified.clear()
            await pilot.press("r")
            await wait_for(pilot, lambda: app.notified and not app.main.refreshing, timeout=30)
            assert app.notified[0].splitlines()[0] == "Synced: 2 new articles."
            assert "from 0 feeds" not in "\n".join(app.notified)


async def test_r_on_a_synced_feed_without_sync_on_refresh_says_how_to_get_its_articles(
    protocol: str, miniflux: Miniflux, account: User, feed: Callable[..., str], newswire_home: Path
) -> None:
    import asyncio

    from tui.cli import main
    from tui.sources import FeedSource

    account.subscribe(feed("psi", items("s", 2)))
    assert await asyncio.to_thread(main, ["sync"]) == 0
    config_file = newswire_home / "config.toml"
    config_file.write_text(config_file.read_text() + "on_refresh = false\n\n[reader]\nrefresh_on_start = false\n")
    paths = resolve_paths()
    config = load_config(paths.config_file)
    with Store(paths.database) as store:
        app = record_notifications(build_app(paths, config, store))
        async with app.run_test(size=(120, 36)) as pilot:
            (synced,) = store.feeds()
            feeds_pane = app.main.feed_list
            await wait_for(pilot, lambda: synced.id in feeds_pane.feeds)
            feeds_pane.focus()
            feeds_pane.highlight(FeedSource(synced.id))
            await pilot.press("r")
            await wait_for(pilot, lambda: app.notified)
            assert app.notified == ["The sync server fetches this feed: newswire sync brings its new articles."]
            assert not app.main.refreshing


async def test_the_servers_new_articles_are_listed_when_the_sync_is_done_not_after_the_pages(
    protocol: str, miniflux: Miniflux, account: User, feeds: FeedServer, newswire_home: Path,
    request: pytest.FixtureRequest,
) -> None:
    # Summary-only entries whose pages are slow: the refresh fetches them after the sync, for seconds.
    prefix = "/" + request.node.name.replace("[", "-").replace("]", "")
    page = b"<html><body><article><h1>Slow</h1>" + b"<p>A slow page with the whole story in it.</p>" * 20 + b"</body></html>"
    links = [feeds.route(f"{prefix}/page{n}.html", Route(body=page, content_type="text/html", delay=4)) for n in range(2)]
    xml = ("<?xml version='1.0'?><rss version='2.0'><channel><title>omega</title><link>http://127.0.0.1/</link>"
           + "".join(f"<item><guid>o{n}</guid><title>omega story {n}</title><link>{link}</link>"
                     f"<pubDate>Mon, 30 Nov 2026 12:0{n}:00 +0000</pubDate><description>Short.</description></item>"
                     for n, link in enumerate(links))
           + "</channel></rss>").encode()
    account.subscribe(feeds.route(f"{prefix}/omega.xml", Route(body=xml)))
    paths = resolve_paths()
    paths.ensure()
    config = load_config(paths.config_file)
    with Store(paths.database) as store:
        app = build_app(paths, config, store)
        async with app.run_test(size=(120, 36)) as pilot:
            await wait_for(pilot, lambda: {"omega story 0", "omega story 1"} <= {e.title for e in app.main.table.entries},
                           timeout=30)
            assert app.main.refreshing  # listed while the pages are still being fetched
            await wait_for(pilot, lambda: not app.main.refreshing, timeout=30)
