"""What a new user met trying the app on real feeds: each test failed before its fix."""

from __future__ import annotations

from tests.httpserver import FeedServer, Route
from tests.ui.conftest import _item, feed_xml, fill_store, open_article, ui_config, wait_for
from tui.sources import FeedSource

LONG = "Harbour board weighs a second quay for the night ferries as winter crossings grow busier"


def visible_rows(table, count: int) -> list[str]:
    """The first `count` rows as the user sees them: left of the scrollbar's gutter."""
    width = table.scrollable_content_region.width
    return [table.render_line(y).text[:width] for y in range(1, count + 1)]


async def help_table(app, pilot):  # type: ignore[no-untyped-def]
    """Open the help (`?`) and give its table of keys."""
    from textual.widgets import DataTable

    from tui.screens.help import HelpScreen

    await pilot.press("question_mark")
    assert isinstance(app.screen, HelpScreen)
    await pilot.pause()
    return app.screen.query_one(DataTable)


def long_items(count: int) -> list[str]:
    return [_item(f"n{i}", f"{LONG} ({i})", "Tue, 10 Nov 2020 09:00:00 +0000", ["The board met on Monday."])
            for i in range(count)]


async def test_long_titles_end_with_their_ellipsis_in_view_when_the_list_scrolls(make_app, store):
    # 40 rows: more than the list shows, so its scrollbar takes the right edge.
    feed_id = fill_store(store, feed_xml(long_items(40)))
    for size in ((160, 48), (80, 24)):
        app = make_app()
        async with app.run_test(size=size) as pilot:
            table = app.main.table
            await wait_for(pilot, lambda table=table: table.row_count == 40)
            rows = visible_rows(table, 3)
            assert all(row.rstrip().endswith("…") for row in rows), (size, rows)
            app.main.go_to(FeedSource(feed_id))  # one feed: no Feed column, the title gets its room
            await pilot.pause()
            await pilot.pause()
            rows = visible_rows(table, 3)
            assert all(row.rstrip().endswith("…") for row in rows), (size, rows)


async def test_a_failed_feed_says_why_and_what_to_press_in_full_on_a_small_screen(make_app, store):
    with FeedServer() as server:
        server.routes["/gone.xml"] = Route(body=b"gone", status=404, content_type="text/plain")
        feed, _ = store.add_feed(server.url("/gone.xml"), title="Gone Gazette")
        app = make_app()
        async with app.run_test(size=(80, 24)) as pilot:
            app.main.go_to(FeedSource(feed.id))
            await pilot.press("r")
            await wait_for(pilot, lambda: "could not be read" in " ".join(visible_rows(app.main.table, 2)))
            why, press = (row.strip() for row in visible_rows(app.main.table, 2))
            assert why == "This feed could not be read: HTTP 404 Not Found"
            assert press == "Press r to try again."
            await pilot.press("j", "G")  # the message's lines are not rows: the cursor stays put
            assert app.main.table.cursor_row == 0


async def test_with_the_list_focused_article_keys_act_on_the_highlighted_row_not_the_one_read(make_app, filled):
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        main = app.main
        await open_article(pilot)
        read = main.current
        main.table.focus()
        await pilot.press("j")  # the next row: the reader still shows the first article
        chosen = main.table.cursor_entry
        assert chosen.id != read.id and main.reader.entry.id == read.id
        await pilot.press("f", "m")
        state = {e.id: e for e in filled.entries()}
        assert state[chosen.id].starred and state[chosen.id].read
        assert not state[read.id].starred
        main.reader.focus()  # back in the article: the keys act on it again
        await pilot.press("f")
        assert {e.id: e for e in filled.entries()}[read.id].starred


async def test_help_shows_every_description_whole_on_a_wide_screen(make_app, filled):
    from tui.screens.help import help_rows

    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        table = await help_table(app, pilot)
        width = table.scrollable_content_region.width
        for row, (_, description, _) in enumerate(help_rows({}, app.get_key_display)):
            table.move_cursor(row=row)
            await pilot.pause()
            line = table.render_line(table.cursor_row - int(table.scroll_y) + 1).text[:width]
            assert description in line, line


async def test_at_120_columns_the_list_and_the_article_keep_room_beside_the_side_panes(make_app, store):
    fill_store(store, feed_xml(long_items(3)))
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await open_article(pilot)
        main = app.main
        # Every pane still shows side by side, but the feeds pane and the sidebar give way.
        assert main.sidebar.display and main.table.display
        row = visible_rows(main.table, 1)[0]
        assert f"{LONG[:28]}" in row, row
        assert main.reader.scrollable_content_region.width >= 56


async def test_refresh_progress_never_waits_for_a_feed_the_sync_server_fetches(make_app, store):
    from tests.ui.conftest import shown
    from tui.core.feeds.sync.records import RemoteFeed
    from tui.widgets.progress import RefreshBar

    with FeedServer() as server:
        fast = server.route("/fast.xml", Route(body=feed_xml(items=long_items(2), title="Quick Times")))
        slow = server.route("/slow.xml", Route(body=feed_xml(items=long_items(1), title="Slow Weekly"), delay=3.0))
        store.add_feed(fast)
        store.add_feed(slow)
        store.apply_remote_feeds([RemoteFeed("7", "https://synced.example/feed.xml", "Server Side Weekly")])
        app = make_app(ui_config(refresh_on_start=True))
        async with app.run_test(size=(160, 48)) as pilot:
            main = app.main
            await wait_for(pilot, lambda: len(main.table.entries) == 2)
            label = shown(main.query_one(RefreshBar).query_one("#progress-label"))
            assert "Refreshing 1/2 · waiting for 127.0.0.1:" in label and "/slow.xml" in label, label
            assert "more" not in label and "Server Side" not in label, label
            await wait_for(pilot, lambda: not main.refreshing, timeout=15)


async def test_help_on_80_columns_wraps_a_long_description_instead_of_cutting_it(make_app, filled):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        table = await help_table(app, pilot)
        row = next(i for i in range(table.row_count) if str(table.get_row_at(i)[1]) == "filter")
        table.move_cursor(row=row)
        await pilot.pause()
        width = table.scrollable_content_region.width
        lines = [table.render_line(y).text[:width] for y in range(1, table.scrollable_content_region.height)]
        text = " ".join(" ".join(line.split()) for line in lines)
        assert "Filter the list by an expression (newsboat's filter language)" in text, lines



async def test_a_terminal_resized_under_the_help_gets_the_layout_of_its_new_size(make_app, filled):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        main = app.main
        await open_article(pilot)  # narrow: the article has the whole width
        assert not main.table.display
        await pilot.press("question_mark")
        await pilot.resize_terminal(160, 48)
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert main.table.display and main.reader.display and main.sidebar.display
        assert main.query_one("#feeds-pane").outer_size.width == 30
        await pilot.press("question_mark")
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert not main.table.display and main.reader.display  # reading, narrow again


async def test_the_place_index_is_built_once_when_the_first_refresh_cleans_pages(make_app, store, newswire_home,
                                                                                monkeypatch):
    from tui.core.language import places

    for cached in (newswire_home / "cache").glob("gazetteer-*"):
        cached.unlink()  # a first run: no index yet
    builds = []
    build = places.build_gazetteer

    def counted_build():
        builds.append(1)
        return build()

    monkeypatch.setattr(places, "build_gazetteer", counted_build)
    with FeedServer() as server:
        page = server.route("/story.html", Route(body=b"<html><head><title>Quay</title></head><body><article>"
                                                 + b"".join(b"<p>The harbour board in Bergen met on Monday to weigh "
                                                            b"a second quay for the night ferries.</p>"
                                                            for _ in range(6))
                                                 + b"</article></body></html>", content_type="text/html"))
        item = (f"<item><guid>quay</guid><title>Second quay weighed</title><link>{page}</link>"
                "<pubDate>Tue, 10 Nov 2020 09:00:00 +0000</pubDate><description>The board met.</description></item>")
        store.add_feed(server.route("/feed.xml", Route(body=feed_xml(items=[item]))))
        app = make_app(ui_config(refresh_on_start=True))
        async with app.run_test(size=(160, 48)) as pilot:
            await wait_for(pilot, lambda: app.main.refreshing, timeout=15)
            await wait_for(pilot, lambda: not app.main.refreshing, timeout=60)
            await open_article(pilot)
            await wait_for(pilot, lambda: app.main.sidebar.places)
            assert "Bergen" in {p.name for p in app.main.sidebar.places}
    assert len(builds) == 1
