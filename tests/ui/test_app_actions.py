"""Pilot tests of the action keys: state, filter, search, save, links, refresh, help, keymap, themes, palette."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

from textual.command import CommandPalette
from textual.widgets import DataTable

from tests.ui.conftest import FEED_URL, open_article, shown, ui_config, wait_for
from tui.actions import ACTIONS
from tui.core.config import load_config
from tui.core.paths import resolve_paths
from tui.screens.help import HelpScreen
from tui.screens.main import MainScreen
from tui.screens.search import SearchScreen
from tui.sources import FeedSource
from tui.widgets.feeds import FeedList


def messages(app) -> list[str]:
    return app.notified


async def test_m_f_toggle_read_and_star_and_persist(make_app, filled):
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        entry = app.main.table.entries[1]
        await pilot.press("j", "m")
        assert filled.entry(entry.id).read
        await pilot.press("m")
        assert not filled.entry(entry.id).read
        await pilot.press("f")
        assert filled.entry(entry.id).starred
        assert "★" in next(line for line in shown(app.main.table).splitlines() if "swing bridge" in line)
        assert "Starred 1" in shown(app.main.query_one(FeedList))
        await pilot.press("f")
        assert not filled.entry(entry.id).starred


async def test_A_marks_the_feed_read_and_u_lists_unread_only(make_app, filled):
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        table = app.main.table
        await pilot.press("u")
        assert len(table.entries) == 4 and "unread only" in str(table.border_title)
        await open_article(pilot)
        await pilot.press("q", "u", "u")  # the filter runs the query again: the read one is gone
        assert len(table.entries) == 3
        await pilot.press("A")
        assert filled.count_entries(unread_only=True) == 0
        assert table.entries == []
        await pilot.press("u")
        assert len(table.entries) == 4 and all(e.read for e in table.entries)


OTHER_URL = "https://demo.newswire.invalid/other.xml"


def two_papers(store, other_title: str) -> None:
    """The harbour feed, and an "Other Paper" with one short item titled `other_title`."""
    from tests.ui.conftest import feed_xml, fill_store

    fill_store(store, feed_xml())
    fill_store(store, feed_xml(title="Other Paper", items=[
        f"<item><guid>x1</guid><title>{other_title}</title><link>https://o.example/1</link>"
        "<description>Short.</description></item>"]), url=OTHER_URL, tags=())


async def test_choosing_a_feed_lists_its_entries(make_app, store):
    two_papers(store, "Only in the other paper")
    other = OTHER_URL
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        assert len(app.main.table.entries) == 5
        feeds = app.main.query_one(FeedList)
        feeds.focus()
        feeds.highlight(FeedSource(store.feed_by_url(other).id))
        await pilot.press("enter")
        assert [e.title for e in app.main.table.entries] == ["Only in the other paper"]
        assert str(app.main.table.border_title) == "Other Paper"
        assert app.focused is app.main.table


async def test_search_lists_matches_and_escape_returns(make_app, filled):
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("slash")
        assert isinstance(app.screen, SearchScreen)
        await pilot.press(*"gothenburg", "enter")
        assert isinstance(app.screen, MainScreen)
        titles = [e.title for e in app.main.table.entries]
        assert titles == ["Night ferry returns to the northern route"]
        assert "gothenburg" in str(app.main.table.border_title)
        await pilot.press("escape")
        assert len(app.main.table.entries) == 4
        assert str(app.main.table.border_title) == "All articles"


async def test_search_inside_a_feed_keeps_to_it_as_newsboat_does(make_app, store):
    two_papers(store, "Gothenburg night ferry, seen from the other paper")
    other = OTHER_URL
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("slash", *"gothenburg", "enter")  # from every article: both papers
        assert len(app.main.table.entries) == 2
        await pilot.press("escape")
        feeds = app.main.query_one(FeedList)
        feeds.focus()
        feeds.highlight(FeedSource(store.feed_by_url(other).id))
        await pilot.press("enter", "slash", *"gothenburg", "enter")
        assert [e.title for e in app.main.table.entries] == ["Gothenburg night ferry, seen from the other paper"]
        assert "in Other Paper" in str(app.main.table.border_title)
        await pilot.press("escape")
        assert str(app.main.table.border_title) == "Other Paper"


async def test_s_saves_the_cleaned_article_and_records_it(make_app, filled):
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        entry = app.main.table.entries[0]
        await open_article(pilot)
        await pilot.press("s")
        await wait_for(pilot, lambda: filled.saves(entry.id))
        path = Path(filled.saves(entry.id)[0][1])
        assert path.parent == resolve_paths().save_dir and path.suffix == ".md"
        text = path.read_text(encoding="utf-8")
        assert "# Night ferry returns to the northern route" in text
        assert "speaker: \"Ingrid Solberg\"" in text
        assert any(str(path) in m for m in messages(app))


async def test_s_from_the_list_and_in_the_configured_format(make_app, filled, tmp_path):
    config = ui_config()
    config = replace(config, save=replace(config.save, format="text", directory=str(tmp_path / "out")))
    app = make_app(config)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("j", "s")
        entry = app.main.table.entries[1]
        await wait_for(pilot, lambda: filled.saves(entry.id))
        path = Path(filled.saves(entry.id)[0][1])
        assert path.parent == tmp_path / "out" and path.suffix == ".txt"
        assert "swing bridge" in path.read_text(encoding="utf-8")


async def test_y_copies_the_link(make_app, filled):
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("y")
        assert app.clipboard == "https://harbour.example/ferry"


async def test_o_opens_the_link_in_the_browser(make_app, filled, tmp_path, monkeypatch):
    # BROWSER names a real program: a script that writes down the address it was given.
    out = tmp_path / "opened.txt"
    script = tmp_path / "browser.py"
    script.write_text(f"import sys, pathlib\npathlib.Path({str(out)!r}).write_text(sys.argv[1])\n")
    monkeypatch.setenv("BROWSER", f"{sys.executable} {script} %s")
    import webbrowser

    monkeypatch.setattr(webbrowser, "_tryorder", None)  # let webbrowser read BROWSER afresh
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("j", "o")
        await wait_for(pilot, out.exists)
        assert out.read_text() == "https://harbour.example/bridge"


async def test_refresh_failure_is_marked_on_the_feed_with_its_reason(make_app, filled):
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("R")
        await wait_for(pilot, lambda: not app.main.refreshing)
        feed = filled.feed_by_url(FEED_URL)
        assert feed.status == "error" and "404" in feed.last_error
        feeds = app.main.query_one(FeedList)
        assert "!\u00a0Harbour Gazette" in shown(feeds)
        feeds.highlight(FeedSource(feed.id))
        await pilot.pause()
        assert "404" in shown(app.main.query_one("#feed-status"))
        summary = [m for m in messages(app) if "failed" in m]
        assert summary and "Harbour Gazette" in summary[0] and "404" in summary[0]
        # The stored articles are still there.
        assert len(app.main.table.entries) == 4


async def test_refresh_progress_messages_collapse():
    from tui.messages import RefreshProgress

    first, second = RefreshProgress(1, 3, None, None), RefreshProgress(2, 3, None, None)
    assert second.can_replace(first)


async def test_help_lists_every_binding_with_remapped_keys(make_app, filled):
    app = make_app(replace(ui_config(), keys={"toggle_star": "x"}))
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one(DataTable)
        cells = [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]
        rows = {does: key for key, _ident, does in cells}
        ids = {does: ident for _key, ident, does in cells}
        for action in ACTIONS:
            if action.key:
                assert action.description in rows, action.description
        assert rows["Star / unstar the article"] == "x"
        assert ids["Star / unstar the article"] == "toggle_star" and ids["Save the cleaned article to a file"] == "save"
        assert rows["Search titles and article text"] == "/"
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)
        await pilot.press("x")
        assert filled.entry(app.main.table.entries[0].id).starred


async def test_t_switches_theme_and_saves_it(make_app, filled):
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        before = app.theme
        await pilot.press("t")
        assert app.theme != before
        assert load_config(resolve_paths().config_file).theme == app.theme


async def test_theme_from_config_is_used(make_app, filled):
    app = make_app(replace(ui_config(), theme="nord"))
    async with app.run_test(size=(160, 48)):
        assert app.theme == "nord"


async def test_palette_opens_a_feed_and_switches_theme(make_app, filled):
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"feed: open harbour")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
        assert app.main.source == FeedSource(filled.feed_by_url(FEED_URL).id)
        await pilot.press("ctrl+p", *"theme: dracula")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.theme == "dracula")


async def test_r_refreshes_only_the_shown_feed_from_a_real_server(make_app, store):
    from tests.httpserver import FeedServer, Route
    from tests.ui.conftest import ITEMS, feed_xml

    with FeedServer() as server:
        one = server.route("/one.xml", Route(body=feed_xml(items=ITEMS[:1], title="One")))
        two = server.route("/two.xml", Route(body=feed_xml(items=ITEMS[1:2], title="Two")))
        first, _ = store.add_feed(one)
        store.add_feed(two)
        app = make_app()
        async with app.run_test(size=(160, 48)) as pilot:
            feeds = app.main.query_one(FeedList)
            feeds.focus()
            feeds.highlight(FeedSource(first.id))
            await pilot.press("enter", "r")
            await wait_for(pilot, lambda: app.main.table.entries)
            await wait_for(pilot, lambda: not app.main.refreshing)
            assert [e.title for e in app.main.table.entries] == ["Night ferry returns to the northern route"]
            assert server.requests_to("/one.xml") and not server.requests_to("/two.xml")
            assert store.feed(first.id).status == "ok"


async def test_tab_moves_focus_between_panes(make_app, filled):
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        assert app.focused is app.main.table
        seen = []
        for _ in range(4):
            await pilot.press("tab")
            seen.append(app.focused)
        assert app.main.query_one(FeedList) in seen
        assert len({id(w) for w in seen}) >= 2


async def test_o_refuses_a_link_that_is_not_a_web_address(make_app, filled, tmp_path, monkeypatch):
    import webbrowser

    out = tmp_path / "opened.txt"
    script = tmp_path / "browser.sh"
    script.write_text(f"#!/bin/sh\necho \"$1\" > {out}\n")
    script.chmod(0o755)
    monkeypatch.setenv("BROWSER", str(script))
    monkeypatch.setattr(webbrowser, "_tryorder", None)
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        app.open_in_browser("file:///etc/passwd")
        await pilot.pause(0.3)
        assert not out.exists()
        assert any("no web link" in m for m in messages(app))
