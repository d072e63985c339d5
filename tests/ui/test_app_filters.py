"""The filter prompt (F), query feeds, hidden feeds and auto-reload, through the real app and a real store."""

from __future__ import annotations

import re
from dataclasses import replace

from textual.widgets import Input

from tests.httpserver import FeedServer, Route
from tests.ui.conftest import FEED_URL, ITEMS, _item, feed_xml, fill_store, open_article, shown, ui_config, wait_for
from tui.core.config import FeedConfig, FetchConfig, QueryConfig
from tui.screens.filter import FilterScreen
from tui.screens.main import MainScreen
from tui.sources import ALL, Filtered, Query
from tui.widgets.feeds import FeedList

FERRY = "Night ferry returns to the northern route"
BRIDGE = "Engineers find cracks in the old swing bridge"


def titles(app) -> list[str]:
    return [e.title for e in app.main.table.entries]


async def settled(pilot) -> None:
    """Wait until the list's matches are in (a filter runs off the UI thread)."""
    app = pilot.app
    await wait_for(pilot, lambda: not [w for w in app.workers if w.group == "entries" and not w.is_finished])


async def type_filter(pilot, expression: str) -> None:
    """Open the prompt with F, replace its text with `expression` and press enter."""
    app = pilot.app
    if not isinstance(app.screen, FilterScreen):
        await pilot.press("F")
        await wait_for(pilot, lambda: isinstance(app.screen, FilterScreen))
    app.screen.query_one(Input).value = expression
    await pilot.press("enter")
    await settled(pilot)


# -- 1: the filter prompt -------------------------------------------------------------------------


async def test_F_filters_the_list_titles_it_and_escape_clears_it(make_app, filled):
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        assert len(titles(app)) == 4
        await type_filter(pilot, 'title =~ "ferry" or title =~ "BRIDGE"')
        assert isinstance(app.screen, MainScreen)
        assert titles(app) == [FERRY, BRIDGE]
        title = str(app.main.table.border_title)
        assert 'title =~ "ferry" or title =~ "BRIDGE"' in title and "2 matches" in title
        assert isinstance(app.main.source, Filtered) and app.main.source.inner == ALL
        # The filter applies to what is listed: unread only narrows it further.
        await open_article(pilot)
        await pilot.press("escape")  # out of the article, the filter stays
        await settled(pilot)
        assert titles(app) == [FERRY, BRIDGE]
        await pilot.press("u")
        await settled(pilot)
        assert titles(app) == [BRIDGE]
        await pilot.press("u", "escape")  # the escape clears the filter
        await settled(pilot)
        assert app.main.source == ALL and len(titles(app)) == 4
        assert "filter" not in str(app.main.table.border_title)


async def test_filter_applies_to_the_chosen_feed_only(make_app, store):
    first = fill_store(store, feed_xml(ITEMS[:2], title="One"), url="https://one.example/feed.xml")
    fill_store(store, feed_xml([_item("ferry2", "Second ferry line opens", "Mon, 02 Nov 2020 09:00:00 +0000",
                                      ["A ferry."])], title="Two"), url="https://two.example/feed.xml")
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await type_filter(pilot, 'title =~ "ferry"')
        assert titles(app) == [FERRY, "Second ferry line opens"]
        await pilot.press("escape")
        feeds = app.main.query_one(FeedList)
        feeds.focus()
        from tui.sources import FeedSource

        feeds.choose(FeedSource(first))
        await pilot.pause()
        await type_filter(pilot, 'title =~ "ferry"')
        assert titles(app) == [FERRY]
        assert "One" in str(app.main.table.border_title)


async def test_a_bad_expression_shows_the_column_and_reason_and_keeps_the_prompt(make_app, filled):
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await type_filter(pilot, 'title "ferry"')
        screen = app.screen
        assert isinstance(screen, FilterScreen)
        assert "Filter All articles" in str(screen.query_one("#filter-title").visual)
        assert "expected an operator after `title`" in screen.error_text and "column 7" in screen.error_text
        # The caret sits under the column.
        lines = screen.error_text.splitlines()
        assert lines[1].index("^") == 6
        # Markup-looking text and an unterminated string are shown as typed, never parsed.
        await type_filter(pilot, 'title =~ "[/bold][red]x')
        assert isinstance(app.screen, FilterScreen)
        assert "[/bold][red]x" in app.screen.error_text
        assert len(titles(app)) == 4  # nothing was filtered
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen) and app.main.source == ALL


async def test_history_walks_with_up_and_down_and_survives_a_restart(make_app, filled):
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await type_filter(pilot, 'title =~ "ferry"')
        await type_filter(pilot, 'title =~ "tide"')
        assert titles(app) == ["Record tide floods the lower quay"]
    again = make_app()
    async with again.run_test(size=(160, 48)) as pilot:
        await pilot.press("F")
        await wait_for(pilot, lambda: isinstance(again.screen, FilterScreen))
        prompt = again.screen.query_one(Input)
        await pilot.press(*"age")
        await pilot.press("up")
        assert prompt.value == 'title =~ "tide"'
        await pilot.press("up")
        assert prompt.value == 'title =~ "ferry"'
        await pilot.press("up")  # the oldest stays
        assert prompt.value == 'title =~ "ferry"'
        await pilot.press("down", "down")
        assert prompt.value == "age"  # back to what was being typed
        await pilot.press("up", "enter")
        await settled(pilot)
        assert titles(again) == ["Record tide floods the lower quay"]


async def test_an_empty_expression_clears_the_filter_and_the_key_can_be_remapped(make_app, filled):
    app = make_app(replace(ui_config(), keys={"filter": "ctrl+f"}))
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("ctrl+f")
        await wait_for(pilot, lambda: isinstance(app.screen, FilterScreen))
        await type_filter(pilot, 'title =~ "ferry"')
        assert titles(app) == [FERRY]
        await pilot.press("ctrl+f")
        await wait_for(pilot, lambda: isinstance(app.screen, FilterScreen))
        assert app.screen.query_one(Input).value == 'title =~ "ferry"'  # the prompt starts from the active filter
        await type_filter(pilot, "")
        assert app.main.source == ALL and len(titles(app)) == 4


# -- 2: query feeds -------------------------------------------------------------------------------


def query_config(*queries: tuple[str, str], **changes: object):
    return replace(ui_config(), queries=tuple(QueryConfig(n, f) for n, f in queries), **changes)


async def test_query_feeds_are_listed_with_unread_counts_that_follow_reading(make_app, filled):
    app = make_app(query_config(("Ferries and bridges", 'title =~ "ferry|bridge"'), ("Broken", 'title "x"')))
    async with app.run_test(size=(160, 48)) as pilot:
        feeds = app.main.query_one(FeedList)
        await wait_for(pilot, lambda: "Ferries and bridges 2" in shown(feeds))
        assert "Broken" in shown(feeds)
        feeds.focus()
        feeds.highlight(Query("Ferries and bridges", 'title =~ "ferry|bridge"'))
        await pilot.press("enter")
        await wait_for(pilot, lambda: titles(app) == [FERRY, BRIDGE])
        assert "Query: Ferries and bridges" in str(app.main.table.border_title)
        await open_article(pilot)
        await wait_for(pilot, lambda: "Ferries and bridges 1" in shown(feeds))
        await pilot.press("escape", "A")  # mark every listed article read
        await wait_for(pilot, lambda: not re.search(r"Ferries and bridges \d", shown(feeds)))
        assert "Ferries and bridges" in shown(feeds)
        # A query whose filter cannot be used says why instead of listing.
        feeds.focus()
        feeds.highlight(Query("Broken", 'title "x"'))
        await pilot.press("enter")
        await settled(pilot)
        assert "expected an operator" in shown(app.main.table)
        assert "bad filter" in shown(app.main.query_one("#feed-status"))


async def test_query_counts_update_after_a_refresh_from_a_real_server(make_app, store):
    with FeedServer() as server:
        url = server.route("/feed.xml", Route(body=feed_xml(ITEMS[1:2])))
        store.add_feed(url)
        app = make_app(query_config(("Ferries", 'title =~ "ferry"')))
        async with app.run_test(size=(160, 48)) as pilot:
            feeds = app.main.query_one(FeedList)
            await wait_for(pilot, lambda: "Ferries" in shown(feeds))
            assert "Ferries 1" not in shown(feeds)
            server.route("/feed.xml", Route(body=feed_xml(ITEMS[:2])))
            await pilot.press("R")
            await wait_for(pilot, lambda: not app.main.refreshing)
            await wait_for(pilot, lambda: "Ferries 1" in shown(feeds))


async def test_palette_opens_a_query_feed(make_app, filled):
    app = make_app(query_config(("Tides", 'title =~ "tide"')))
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("ctrl+p", *"feed: open Tides")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await wait_for(pilot, lambda: titles(app) == ["Record tide floods the lower quay"])


# -- 5: hidden feeds ------------------------------------------------------------------------------


async def test_a_hidden_feed_is_not_in_the_pane_but_its_articles_are_in_all_articles(make_app, store):
    fill_store(store, feed_xml(ITEMS[:2], title="Shown Gazette"), url="https://shown.example/feed.xml")
    fill_store(store, feed_xml(ITEMS[2:], title="Secret Gazette"), url=FEED_URL)
    app = make_app(replace(ui_config(), feeds=(FeedConfig(url=FEED_URL, hidden=True),)))
    async with app.run_test(size=(160, 48)) as pilot:
        feeds = app.main.query_one(FeedList)
        await pilot.pause()
        assert "Shown Gazette" in shown(feeds) and "Secret Gazette" not in shown(feeds)
        assert "All articles 4" in shown(feeds)  # its unread articles still count there
        assert len(titles(app)) == 4


# -- 3: auto-reload -------------------------------------------------------------------------------


async def test_auto_reload_brings_new_articles_and_says_so_without_a_keypress(make_app, store):
    with FeedServer() as server:
        url = server.route("/feed.xml", Route(body=feed_xml(ITEMS[1:2])))
        store.add_feed(url)
        # 0.01 minutes: a tick every 0.6 s (the config's minutes may be fractional).
        config = replace(ui_config(), fetch=FetchConfig(auto_reload=0.01),  # type: ignore[arg-type]
                         queries=(QueryConfig("Ferries", 'title =~ "ferry"'),))
        app = make_app(config)
        async with app.run_test(size=(160, 48)) as pilot:
            await wait_for(pilot, lambda: titles(app) == [BRIDGE])
            await wait_for(pilot, lambda: not app.main.refreshing)
            assert app.notified == ["1 new article"]
            app.notified.clear()
            server.route("/feed.xml", Route(body=feed_xml(ITEMS[:3])))
            await wait_for(pilot, lambda: len(titles(app)) == 3)
            feeds = app.main.query_one(FeedList)
            await wait_for(pilot, lambda: "2 new articles" in app.notified)
            await wait_for(pilot, lambda: "All articles 3" in shown(feeds) and "Ferries 1" in shown(feeds))
            # Nothing new: no word.
            requests = len(server.requests_to("/feed.xml"))
            await wait_for(pilot, lambda: len(server.requests_to("/feed.xml")) >= requests + 2)
            assert app.notified == ["2 new articles"]


async def test_auto_reload_is_off_by_default(make_app, store):
    with FeedServer() as server:
        url = server.route("/feed.xml", Route(body=feed_xml(ITEMS[1:2])))
        store.add_feed(url)
        app = make_app()
        async with app.run_test(size=(160, 48)) as pilot:
            await pilot.pause(1.0)
            assert not server.requests_to("/feed.xml")


async def test_auto_reload_applies_kill_rules(make_app, store):
    from tui.core.config import IgnoreConfig

    with FeedServer() as server:
        url = server.route("/feed.xml", Route(body=feed_xml(ITEMS)))
        store.add_feed(url)
        config = replace(ui_config(), fetch=FetchConfig(auto_reload=0.01),  # type: ignore[arg-type]
                         ignore=(IgnoreConfig('title =~ "tide|market"'),))
        app = make_app(config)
        async with app.run_test(size=(160, 48)) as pilot:
            await wait_for(pilot, lambda: len(titles(app)) == 2)
            await wait_for(pilot, lambda: not app.main.refreshing)
            assert titles(app) == [FERRY, BRIDGE]
            assert "All articles 2" in shown(app.main.query_one(FeedList))


async def test_query_counts_run_one_at_a_time_however_often_the_pane_reloads(make_app, filled, monkeypatch):
    import threading

    from tui import jobs

    calls: list[int] = []
    gate = threading.Event()
    real = jobs.query_counts

    def slow_counts(services):
        calls.append(1)
        gate.wait(5)
        return real(services)

    monkeypatch.setattr(jobs, "query_counts", slow_counts)
    app = make_app(query_config(("Ferries", 'title =~ "ferry"')))
    async with app.run_test(size=(160, 48)) as pilot:
        for _ in range(20):  # as a refresh of 20 feeds does, one reload per feed
            app.main.reload_feeds()
        await pilot.pause(0.2)
        assert len(calls) == 1
        gate.set()
        feeds = app.main.query_one(FeedList)
        await wait_for(pilot, lambda: "Ferries 1" in shown(feeds))
        await wait_for(pilot, lambda: not app.main._counting)
        assert len(calls) == 2  # the one running, then one more for every change made meanwhile
