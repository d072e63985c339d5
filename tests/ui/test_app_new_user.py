"""Pilot tests of what a new user hit (issue 12): slow feeds and pages, small screens, empty views, undo, keys."""

from __future__ import annotations

from dataclasses import replace

import pytest
from textual.widgets import DataTable, OptionList

from tests.httpserver import FeedServer, Route
from tests.ui.conftest import ITEMS, feed_xml, fill_store, open_article, shown, ui_config, wait_for
from tui.actions import ACTIONS
from tui.app import build_app
from tui.cli import main as cli_main
from tui.core.config import ConfigError
from tui.core.paths import resolve_paths
from tui.screens.help import HelpScreen
from tui.screens.main import MainScreen
from tui.sources import STARRED, FeedSource
from tui.widgets.feeds import FeedList
from tui.widgets.progress import RefreshBar

PARAGRAPHS = [
    "The lighthouse keepers of the northern cape handed over their keys on Thursday, ending a watch that "
    "began more than a century ago, when the first lamp was lit above the rocks.",
    "“We kept the light for ships that no longer need it,” said Astrid Berg, the last keeper, who has "
    "lived in the tower with her family since the winter of 1998.",
    "The lamp will keep turning on its own, run from the harbour office in Tromsø, and the tower will "
    "open to visitors in the summer months.",
    "Local historians plan to collect the keepers’ logbooks, which record every storm and every passing "
    "ship for one hundred and twelve years.",
]


def page_html(title: str) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return (
        f"<html><head><title>{title}</title></head><body><header>Site menu</header>"
        f"<article><h1>{title}</h1>{body}</article><footer>© The Cape Post</footer></body></html>"
    ).encode()


def summary_feed(link: str, title: str = "Keepers hand over the last lighthouse") -> bytes:
    item = (
        f"<item><guid>keepers</guid><title>{title}</title><link>{link}</link>"
        "<pubDate>Tue, 10 Nov 2020 09:00:00 +0000</pubDate>"
        "<description>The keepers of the cape hand over their keys.</description></item>"
    )
    return feed_xml(items=[item], title="Cape Post")


# -- 2, 13: rows appear as each feed lands; progress names the feed still pending -----------------


async def test_rows_appear_as_each_feed_lands_and_progress_names_the_pending_feed(make_app, store):
    with FeedServer() as server:
        fast = server.route("/fast.xml", Route(body=feed_xml(items=ITEMS[:2], title="Quick Times")))
        slow = server.route("/slow.xml", Route(body=feed_xml(items=ITEMS[2:], title="Slow Weekly"), delay=3.0))
        store.add_feed(fast)
        store.add_feed(slow)
        app = make_app(ui_config(refresh_on_start=True))
        async with app.run_test(size=(160, 48)) as pilot:
            main = app.main
            await wait_for(pilot, lambda: len(main.table.entries) == 2)
            # The slow feed is still out: the list already shows the fast one's rows.
            assert main.refreshing
            assert "Night ferry returns" in shown(main.table)
            bar = main.query_one(RefreshBar)
            label = shown(bar.query_one("#progress-label"))
            assert "Refreshing 1/2 · waiting for 127.0.0.1:" in label and "/slow.xml" in label
            assert "Quick Times" not in label
            await wait_for(pilot, lambda: not main.refreshing, timeout=15)
            assert len(main.table.entries) == 4


async def test_summary_counts_only_feeds_that_were_read(make_app, store):
    with FeedServer() as server:
        good = server.route("/good.xml", Route(body=feed_xml(items=ITEMS[:1], title="Good")))
        bad = server.url("/missing.xml")
        store.add_feed(good)
        store.add_feed(bad)
        app = make_app()
        async with app.run_test(size=(160, 48)) as pilot:
            await pilot.press("R")
            await wait_for(pilot, lambda: any("failed" in m for m in app.notified), timeout=15)
            summary = next(m for m in app.notified if "failed" in m)
            assert summary.startswith("1 new article from 1 feed; 1 failed:")


# -- 5: search says what it searched ------------------------------------------------------------


async def test_search_results_say_unopened_articles_are_searched_by_summary(make_app, filled):
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("slash", *"ferry", "enter")
        assert "summary" in str(app.main.table.border_title)


# -- 6: a slow page: what is fetched, escape cancels, and the article shows once it comes -------


async def test_slow_page_shows_what_is_fetched_and_escape_cancels(make_app, store):
    with FeedServer() as server:
        page = server.route("/keepers.html", Route(body=page_html("Keepers hand over the last lighthouse"),
                                                   content_type="text/html; charset=utf-8", delay=4.0))
        feed_id = fill_store(store, summary_feed(page), url=server.url("/cape.xml"))
        assert feed_id
        app = make_app()
        async with app.run_test(size=(160, 48)) as pilot:
            main = app.main
            await pilot.press("enter")
            await wait_for(pilot, lambda: "Fetching" in main.reader.text)
            text = main.reader.text
            assert "Keepers hand over the last lighthouse" in text
            assert "127.0.0.1" in text and "escape cancels" in text and " s " in text
            assert main.reader.display and str(main.reader.border_title) == "Article"
            quotes = shown(main.sidebar.query_one("#quotes", OptionList))
            assert "Loading…" in quotes and "No quotes" not in quotes
            await pilot.press("escape")
            assert not main.reading and not main.reader.is_loading
            assert main._article_worker is not None and main._article_worker.is_cancelled
            assert app.focused is main.table
            await pilot.pause(4.5)  # past the page's delay (long enough to see "Fetching" on a loaded machine)
            assert main.reader.article is None  # the cancelled load never shows

            # Opened again and left alone, the article shows as soon as the page is in: no key needed.
            await pilot.press("enter")
            await wait_for(pilot, lambda: main.reader.article is not None, timeout=10)
            assert "“We kept the light" in main.reader.text or "We kept the light" in main.reader.text
            assert "Fetching" not in main.reader.text
            assert main.sidebar.quotes


async def test_a_page_does_not_wait_for_a_refresh_of_slow_feeds_on_its_host(make_app, store):
    # The race behind "dots for 15–45 s after the page had arrived": with one fetcher, the slow
    # feeds of a refresh held both connection slots of the host, and the page queued behind them.
    with FeedServer() as server:
        page = server.route("/keepers.html", Route(body=page_html("Keepers hand over the last lighthouse"),
                                                   content_type="text/html; charset=utf-8"))
        fill_store(store, summary_feed(page), url=server.url("/cape.xml"))
        for number in range(3):
            store.add_feed(server.route(f"/slow{number}.xml", Route(body=feed_xml(items=[]), delay=6.0)))
        app = make_app(ui_config(refresh_on_start=True))
        async with app.run_test(size=(160, 48)) as pilot:
            main = app.main
            await wait_for(pilot, lambda: len(server.requests_to("/slow1.xml")) > 0)
            await pilot.press("enter")
            await wait_for(pilot, lambda: main.reader.article is not None, timeout=4)
            assert main.refreshing and "We kept the light" in main.reader.text


# -- 7: 80×24 ------------------------------------------------------------------------------------


async def test_80x24_feed_view_hides_the_feed_column_and_help_shows_whole_ids(make_app, filled):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        main = app.main
        all_view = shown(main.table)
        assert "Feed" in all_view.splitlines()[1]
        feeds = main.query_one(FeedList)
        feeds.focus()
        feeds.highlight(FeedSource(filled.feeds()[0].id))
        await pilot.press("enter")
        await pilot.pause()
        lines = shown(main.table).splitlines()
        assert "Feed" not in lines[1] and "Harbour G" not in lines[2]
        assert "Engineers find cracks in the old" in shown(main.table)

        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        for action in ACTIONS:
            if action.key:
                table.move_cursor(row=next(i for i in range(table.row_count) if str(table.get_row_at(i)[1]) == action.id))
                await pilot.pause()
                assert f" {action.id} " in shown(table) or f" {action.id}\n" in shown(table), action.id


async def test_80x24_sidebar_has_room(make_app, filled):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_article(pilot)
        await pilot.press("i")
        await pilot.pause()
        quotes = app.main.sidebar.query_one("#quotes", OptionList)
        assert quotes.size.height > 7


# -- 8: a failed feed without a title -------------------------------------------------------------


async def test_failed_untitled_feed_shows_its_address_on_one_line_with_the_mark(make_app, store):
    with FeedServer() as server:
        store.add_feed(server.url("/a/very/long/path/to/nothing/feed.xml"))
        app = make_app()
        async with app.run_test(size=(160, 48)) as pilot:
            await pilot.press("R")
            await wait_for(pilot, lambda: not app.main.refreshing, timeout=15)
            lines = shown(app.main.query_one(FeedList)).splitlines()
            line = next(line for line in lines if "!" in line)
            assert "127.0.0.1:" in line and "/a/v" in line
            assert not any(line.strip() == "!" for line in lines)
            assert not any("feed.xml" in other for other in lines if other is not line)


# -- 9: tab into the sidebar --------------------------------------------------------------------


async def test_tab_into_the_sidebar_highlights_the_first_quote_and_enter_works(make_app, filled):
    app = make_app(ui_config(sidebar=True))
    async with app.run_test(size=(160, 48)) as pilot:
        await open_article(pilot)
        await pilot.press("tab")
        quotes = app.main.sidebar.query_one("#quotes", OptionList)
        assert app.focused is quotes and quotes.highlighted == 0
        await pilot.press("enter")
        await pilot.pause()
        assert any(b.has_class("-marked") for b in app.main.reader._blocks)


# -- 10: undo mark-all-read ---------------------------------------------------------------------


async def test_A_can_be_undone_and_says_how(make_app, filled):
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("j", "m")  # one read by hand stays read after the undo
        await pilot.press("A")
        assert filled.count_entries(unread_only=True) == 0
        assert any("Press U to undo" in m for m in app.notified)
        await pilot.press("U")
        assert filled.count_entries(unread_only=True) == 3
        assert filled.entry(app.main.table.entries[1].id).read


# -- 11: empty views ----------------------------------------------------------------------------


async def test_empty_views_say_why_and_what_to_press(make_app, filled):
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        main = app.main
        main.go_to(STARRED)
        await pilot.pause()
        assert "No starred articles" in shown(main.table) and "Press f" in shown(main.table)
        assert main.table.cursor_entry is None
        await pilot.press("q")  # back to All articles
        await pilot.press("A", "u")
        assert "No unread articles here" in shown(main.table) and "Press u" in shown(main.table)
        await pilot.press("u", "slash", *"zeppelin", "enter")
        assert "Nothing found for “zeppelin”" in shown(main.table)
        await pilot.press("enter")  # the message row opens nothing
        assert not main.reading


async def test_a_feed_with_no_entries_says_to_refresh(make_app, store):
    feed, _ = store.add_feed("https://demo.newswire.invalid/empty.xml")
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        app.main.go_to(FeedSource(feed.id))
        await pilot.pause()
        assert "This feed has no articles yet" in shown(app.main.table) and "Press r" in shown(app.main.table)


# -- 12: q backs out one level and quits at the top; escape never quits -------------------------


async def test_escape_backs_out_but_never_quits_and_q_quits_from_the_top(make_app, filled):
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        main = app.main
        feeds = main.query_one(FeedList)
        feeds.focus()
        feeds.highlight(FeedSource(filled.feeds()[0].id))
        await pilot.press("enter")
        await open_article(pilot)
        await pilot.press("escape")
        assert not main.reading and main.source == FeedSource(filled.feeds()[0].id)
        await pilot.press("escape")
        assert str(main.table.border_title) == "All articles"
        await pilot.press("escape", "escape")
        assert app.is_running and isinstance(app.screen, MainScreen)
        await pilot.press("q")
        await pilot.pause()
    assert not app.is_running


# -- 15: [keys] checked against the actions table ----------------------------------------------


@pytest.mark.parametrize(
    ("keys", "expected"),
    [
        ('[keys]\nsave = "ctrl+s"\nsavee = "x"\n', ":3: key 'keys.savee': unknown binding id"),
        ('theme = "nord"\n\n[keys]\nsave = "j"\n', ":4: key 'keys.save': key 'j' is already bound to 'down'"),
    ],
)
def test_bad_keys_are_a_config_error_with_file_and_line(store, keys, expected, capsys):
    paths = resolve_paths()
    paths.config_file.parent.mkdir(parents=True, exist_ok=True)
    paths.config_file.write_text(keys, encoding="utf-8")
    assert cli_main([]) == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and str(paths.config_file) + expected in err


def test_swapped_keys_are_fine(store):
    config = replace(ui_config(), keys={"save": "j", "down": "x"})
    app = build_app(resolve_paths(), config, store)
    assert app is not None
    with pytest.raises(ConfigError):
        build_app(resolve_paths(), replace(ui_config(), keys={"help": "U"}), store)


# -- issue 14.1 in the app: a refresh fetches the full text of new summary-only entries ---------------


async def test_the_apps_refresh_fetches_full_text_ahead_so_the_article_opens_without_the_network(make_app, store):
    with FeedServer() as server:
        page = server.route("/keepers.html", Route(body=page_html("Keepers hand over the last lighthouse"),
                                                   content_type="text/html; charset=utf-8"))
        store.add_feed(server.route("/cape.xml", Route(body=summary_feed(page))))
        app = make_app()
        async with app.run_test(size=(160, 48)) as pilot:
            main = app.main
            await pilot.press("R")
            await wait_for(pilot, lambda: len(main.table.entries) == 1 and not main.refreshing, timeout=15)
            assert len(server.requests_to("/keepers.html")) == 1  # fetched during the refresh
            summary = next(m for m in app.notified if "new article" in m)
            assert "full text: 1 pages stored" in summary
            await pilot.press("enter")
            await wait_for(pilot, lambda: main.reader.article is not None, timeout=10)
            assert "We kept the light" in main.reader.text
            assert len(server.requests_to("/keepers.html")) == 1  # opened from the store, not fetched again


async def test_a_title_that_was_the_story_s_opening_words_gives_way_to_the_page_s_headline(make_app, store):
    """Feeds without headlines cut the story's first words short as the title: opening the entry
    fetches the page, and its row then shows the page's headline (so does the store)."""
    cut = "The lighthouse keepers of the northern cape handed"
    with FeedServer() as server:
        page = server.route("/keepers.html", Route(body=page_html("Keepers hand over the last lighthouse"),
                                                   content_type="text/html; charset=utf-8"))
        assert fill_store(store, summary_feed(page, title=cut), url=server.url("/cape.xml"))
        app = make_app()
        async with app.run_test(size=(160, 48)) as pilot:
            main = app.main
            assert main.table.entries[0].title == cut
            await pilot.press("enter")
            await wait_for(pilot, lambda: main.reader.article is not None, timeout=10)
            await wait_for(pilot, lambda: main.table.entries[0].title == "Keepers hand over the last lighthouse")
            assert main.table.entries[0].read
            assert [e.title for e in store.entries()] == ["Keepers hand over the last lighthouse"]
