"""Pilot tests of reading: the demo on first start, opening articles, moving, the sidebar, the layout."""

from __future__ import annotations

from textual.widgets import OptionList

from tests.ui.conftest import open_article, shown, ui_config, wait_for
from tui.core.feeds.demo import DEMO_FEED_URL, DEMO_TITLE
from tui.widgets.entries import EntryTable
from tui.widgets.feeds import FeedList
from tui.widgets.reader import ArticleView
from tui.widgets.sidebar import Sidebar


async def test_first_start_subscribes_the_demo_and_reads_a_page_fetched_in_full(make_app, store):
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for(pilot, lambda: app.main.table.entries)
        feeds = store.feeds()
        assert [(f.url, f.tags) for f in feeds] == [(DEMO_FEED_URL, ("demo",))]
        assert feeds[0].title.startswith(DEMO_TITLE.split(" (")[0])
        assert "The Daily Relay" in shown(app.main.query_one(FeedList))
        assert len(app.main.table.entries) == store.count_entries() > 0
        first = app.main.table.entries[0]
        assert first.title.split()[0] in shown(app.main.table)

        # The demo feed carries summaries, so opening fetches the page through the demo transport.
        await open_article(pilot)
        reader = app.main.query_one(ArticleView)
        assert reader.article is not None and len(reader.article.blocks) > 3
        assert reader.article.reason is None
        assert first.title[:30] in reader.text
        assert store.entry(first.id).read
        sidebar = app.main.query_one(Sidebar)
        assert sidebar.quotes and sidebar.places
        assert sidebar.quotes[0].text[:20] in shown(sidebar.query_one("#quotes", OptionList))


async def test_open_marks_read_and_shows_headline_byline_and_text(make_app, filled):
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        table = app.main.table
        assert [e.title for e in table.entries][:2] == [
            "Night ferry returns to the northern route", "Engineers find cracks in the old swing bridge"]
        assert "Night ferry returns" in shown(table)
        await open_article(pilot)
        reader = app.main.reader
        text = reader.text
        assert text.startswith("Night ferry returns to the northern route")
        assert "Harbour Gazette" in text
        assert "will sail again from March" in text
        assert app.focused is reader
        assert app.main.reading
        # Marked read, and the feeds pane count went down by one (both may follow the paint).
        await wait_for(pilot, lambda: filled.entry(table.entries[0].id).read)
        await wait_for(pilot, lambda: "All articles 3" in shown(app.main.query_one(FeedList)))


async def test_moving_keys(make_app, filled):
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        table = app.main.table
        await pilot.press("j", "j")
        assert table.cursor_row == 2
        await pilot.press("k")
        assert table.cursor_row == 1
        await pilot.press("G")
        assert table.cursor_row == 3
        await pilot.press("g")
        assert table.cursor_row == 0

        # J/K step through articles while reading; n/N open the next/previous unread one.
        await open_article(pilot)
        await pilot.press("J")
        await wait_for(pilot, lambda: app.main.reader.entry and app.main.reader.entry.title.startswith("Engineers"))
        assert table.cursor_row == 1
        await pilot.press("K")
        await wait_for(pilot, lambda: app.main.reader.entry.title.startswith("Night ferry"))
        await pilot.press("n")
        await wait_for(pilot, lambda: app.main.reader.entry.title.startswith("Fish market"))
        await pilot.press("N")  # the bridge story was read by J, so N skips back over it
        await wait_for(pilot, lambda: app.main.current is not None)
        assert "No more unread articles above." in app.notified
        assert app.main.current.title.startswith("Fish market")


async def test_q_goes_back_then_quits(make_app, filled):
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await open_article(pilot)
        await pilot.press("q")
        assert not app.main.reading
        assert app.focused is app.main.table
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0 and not app.is_running


async def test_choosing_a_quote_scrolls_to_it_and_highlights_it(make_app, filled):
    app = make_app()
    async with app.run_test(size=(100, 20)) as pilot:
        await open_article(pilot)
        sidebar = app.main.sidebar
        quotes = sidebar.quotes
        assert len(quotes) == 2 and quotes[0].speaker == "Ingrid Solberg"
        await pilot.press("i")  # narrow: the sidebar shows on request
        await pilot.pause()
        quotes_list = sidebar.query_one("#quotes", OptionList)
        assert "— Ingrid Solberg" in shown(quotes_list)
        reader = app.main.reader
        assert reader.scroll_y == 0
        quotes_list.focus()
        await pilot.press("down", "enter")  # focus highlights the first quote; down moves to the second
        await pilot.pause()
        last = quotes[1]
        block = reader._blocks[reader.block_at(last.start)]
        assert block.has_class("-marked")
        assert last.text[:20] in str(block.visual)
        assert reader.scroll_y > 0


async def test_choosing_a_place_shows_country_and_coordinates(make_app, filled):
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await open_article(pilot)
        sidebar = app.main.sidebar
        names = [p.name for p in sidebar.places]
        assert "Oslo" in names and "Kiel" in names
        places_list = sidebar.query_one("#places", OptionList)
        index = names.index("Kiel")
        places_list.focus()
        places_list.highlighted = places_list.get_option_index(str(index))
        await pilot.press("enter")
        detail = shown(sidebar.query_one("#place-detail"))
        assert "Kiel" in detail and "Germany (DE)" in detail and "°N" in detail and "°E" in detail
        marked = [b for b in app.main.reader._blocks if b.has_class("-marked")]
        assert marked and all("Kiel" in str(b.visual) for b in marked)


async def test_narrow_screen_reads_full_width_and_toggles_the_sidebar(make_app, filled):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        main = app.main
        assert main.query_one("#feeds-pane").display and main.table.display
        assert not main.reader.display and not main.sidebar.display
        await open_article(pilot)
        assert not main.query_one("#feeds-pane").display and not main.table.display
        assert main.reader.display and main.reader.outer_size.width == 80
        await pilot.press("i")
        await pilot.pause()
        assert main.sidebar.display and "Quotes (2)" in shown(main.sidebar.query_one("#quotes-title"))
        assert main.reader.outer_size.width < 50
        await pilot.press("q")
        assert main.table.display and not main.sidebar.display


async def test_wide_screen_shows_every_pane_and_the_sidebar_can_hide(make_app, filled):
    app = make_app(ui_config(sidebar=True))
    async with app.run_test(size=(160, 48)) as pilot:
        main = app.main
        assert all(w.display for w in (main.query_one("#feeds-pane"), main.table, main.reader, main.sidebar))
        await pilot.press("b")
        await pilot.pause()
        assert not main.sidebar.display
        assert isinstance(app.focused, EntryTable)


async def test_a_long_list_is_all_there_and_keeps_its_state(make_app, store):
    """More entries than the first screenful: the rest comes in columns, every row reachable."""
    from tests.ui.conftest import _item, feed_xml, fill_store

    items = [_item(f"n{i}", f"Numbered story {i:03}", f"Tue, 10 Nov 2020 {i // 60:02}:{i % 60:02}:00 +0000",
                   [f"Paragraph of story {i}, long enough to be an article about the harbour and its ferries."])
             for i in range(300)]
    fill_store(store, feed_xml(items))
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        main = app.main
        table = main.table
        await wait_for(pilot, lambda: len(table.entries) == 300)
        assert table.entries[0].title == "Numbered story 299"
        await pilot.press("G")
        assert table.cursor_row == 299 and table.cursor_entry.title == "Numbered story 000"
        await pilot.pause()
        assert "Numbered story 000" in table.render_line(table.size.height - 1).text  # the last line shows it
        await open_article(pilot)
        assert main.reader.entry.title == "Numbered story 000"
        await pilot.press("q", "g")
        assert table.entries[299].read and not table.entries[0].read
        await pilot.press("N")  # the previous unread, from the top: none above
        await pilot.press("G", "k")
        await pilot.press("n")  # the next unread below row 298: none (299 is read)
        assert table.cursor_row == 298
        assert table.index_of(table.entries[150].id) == 150
