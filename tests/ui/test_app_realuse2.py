"""What a newsboat user met in a second pass over the app (stories, downloads, keys): each test failed before its fix."""

from __future__ import annotations

from tests.ui.conftest import feed_xml, fill_store, wait_for
from tests.ui.test_app_stories import fill_stories


async def test_S_says_no_stories_only_when_the_story_list_has_none(make_app, store):
    fill_stories(store)
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("S")
        await wait_for(pilot, lambda: app.main.table.stories)
        await pilot.pause(0.2)
        assert not any("No stories" in n for n in app.notified)


async def test_S_on_a_list_without_stories_says_so_once_the_rows_are_in(make_app, store):
    fill_store(store, feed_xml())
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("S")
        await wait_for(pilot, lambda: app.main.table.stories is not None)
        await wait_for(pilot, lambda: any("No stories in this list" in n for n in app.notified))
        await pilot.press("S")
        await wait_for(pilot, lambda: app.main.table.stories is None)
        assert sum("No stories" in n for n in app.notified) == 1


async def test_j_k_g_G_move_in_the_help_as_the_help_says(make_app, store):
    from textual.widgets import DataTable

    from tui.screens.help import HelpScreen

    fill_store(store, feed_xml())
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one(DataTable)
        await pilot.press("j", "j", "j")
        assert table.cursor_row == 3
        await pilot.press("k")
        assert table.cursor_row == 2
        await pilot.press("G")
        await pilot.pause()
        assert table.cursor_row == table.row_count - 1
        assert table.scroll_y > 0  # the last rows (the views' own keys) came into view
        await pilot.press("g")
        await pilot.pause()
        assert table.cursor_row == 0 and table.scroll_y == 0


async def test_j_and_k_choose_in_the_what_changed_view_and_scroll_its_text(make_app, store):
    from textual.containers import VerticalScroll
    from textual.widgets import OptionList

    from tests.ui.test_app_stories import story_row
    from tui.screens.story_diff import StoryDiffScreen

    wire = fill_stories(store)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await story_row(pilot, app, wire)
        await pilot.press("w")
        await wait_for(pilot, lambda: isinstance(app.screen, StoryDiffScreen))
        view = app.screen
        choices = view.query_one(OptionList)
        assert choices.highlighted == 0 and choices.option_count >= 2
        await pilot.press("j")
        assert choices.highlighted == 1
        await pilot.press("k")
        assert choices.highlighted == 0
        await pilot.press("tab")  # the differences: j scrolls them
        scroll = view.query_one("#diff-scroll", VerticalScroll)
        await wait_for(pilot, lambda: scroll.max_scroll_y > 0)
        await pilot.press("j", "j")
        await wait_for(pilot, lambda: scroll.scroll_y > 0)
        await pilot.press("G")
        await wait_for(pilot, lambda: scroll.scroll_y == scroll.max_scroll_y)


async def test_p_opens_the_previous_unread_article_as_in_newsboat(make_app, store):
    fill_store(store, feed_xml())
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        main = app.main
        main.table.move_to(3)
        await pilot.press("enter")
        await wait_for(pilot, lambda: main.reader.entry is not None and main.reader.entry.title.startswith("Record tide"))
        await pilot.press("p")
        await wait_for(pilot, lambda: main.reader.entry is not None and main.reader.entry.title.startswith("Fish market"))


def _episode(guid: str, title: str, date: str, enclosure: str) -> str:
    return (
        f"<item><guid>{guid}</guid><title>{title}</title><link>https://harbour.example/{guid}</link>"
        f"<pubDate>{date}</pubDate><description>Crew and captains talk about the night ferry.</description>"
        f'<enclosure url="{enclosure}" length="200000" type="audio/mpeg"/></item>'
    )


async def test_a_second_download_says_queued_and_its_later_error_shows_whole_and_j_reaches_it(
    make_app, store, tmp_path
):
    from dataclasses import replace

    from tests.httpserver import FeedServer, Route
    from tests.ui.conftest import shown, ui_config
    from tui.core.config import EnclosureConfig
    from tui.screens.downloads import DownloadsScreen

    with FeedServer() as server:
        # The first file takes about a second: the second is queued behind it, then fails.
        slow = server.route("/ep/slow-episode.mp3", Route(body=bytes(200_000), content_type="audio/mpeg",
                                                          drip=0.1, drip_chunks=10))
        gone = server.url("/ep/gone-episode.mp3")
        fill_store(store, feed_xml([
            _episode("slow", "Harbour hour: the crossing", "Tue, 10 Nov 2020 09:00:00 +0000", slow),
            _episode("gone", "Harbour hour: the strike", "Mon, 09 Nov 2020 09:00:00 +0000", gone),
        ], title="Harbour Hour"))
        config = replace(ui_config(), enclosures=EnclosureConfig(directory=str(tmp_path / "podcasts" / "%n")))
        app = make_app(config)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("d")
            await wait_for(pilot, lambda: any("Downloading slow-episode.mp3" in n for n in app.notified))
            await pilot.press("j", "d")
            await wait_for(pilot, lambda: any("gone-episode.mp3" in n for n in app.notified))
            assert any("Queued gone-episode.mp3" in n for n in app.notified)
            await pilot.press("D")
            await wait_for(pilot, lambda: isinstance(app.screen, DownloadsScreen))
            view = app.screen
            await wait_for(pilot, lambda: len(view.rows()) == 2 and view.rows()[1][2] == "failed", timeout=15)
            await pilot.pause(0.3)
            assert "HTTP 404 Not Found" in shown(view.table)  # whole, in view on 80 columns
            title = str(view.query_one("#downloads-title").visual)
            assert "‹feed›" in title and "%n" not in title  # each feed's folder, not newsboat's placeholder
            await pilot.press("j", "r")  # j reaches the failed row; r retries it
            await pilot.pause()
            assert not any("Only a failed download" in n for n in app.notified)


async def test_a_refresh_waiting_for_the_sync_server_says_so(make_app, store):
    import socket
    from dataclasses import replace

    from textual.widgets import Label

    from tests.ui.conftest import ui_config
    from tui.core.config import SyncConfig

    fill_store(store, feed_xml())
    # A server that takes the connection and never answers (a sync server gone quiet).
    with socket.socket() as quiet:
        quiet.bind(("127.0.0.1", 0))
        quiet.listen()
        host, port = quiet.getsockname()
        sync = SyncConfig(server="miniflux", url=f"http://{host}:{port}", password_command="echo key", timeout=3)
        app = make_app(replace(ui_config(), sync=sync))
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.press("R")
            label = app.main.query_one("#progress-label", Label)
            await wait_for(pilot, lambda: f"Syncing with {host}:{port}…" in str(label.visual))
            await wait_for(pilot, lambda: not app.main.refreshing, timeout=15)
            assert any("no answer" in n for n in app.notified)


def test_a_place_of_no_named_kind_reads_as_a_place_not_other():
    from tui import display
    from tui.core.documents import Place

    lake = Place("Wren Lagoon", "other", None, mentions=2)
    assert display.place_prompt(lake).plain == "Wren Lagoon ×2\nplace"
    assert "other" not in display.place_detail(lake).plain
    city = Place("Lyon", "city", "FR", "France")
    assert display.place_prompt(city).plain == "Lyon\ncity, France"


async def test_a_player_that_fails_says_so_and_leaves_no_zombie(make_app, store, tmp_path):
    import sys
    from dataclasses import replace
    from pathlib import Path

    from tests.ui.conftest import open_article, ui_config
    from tui.core.config import EnclosureConfig

    url = "http://127.0.0.1:9/ep/harbour-hour.mp3"  # never fetched: the player is a script
    fill_store(store, feed_xml([_episode("ep", "Harbour hour: the crossing", "Tue, 10 Nov 2020 09:00:00 +0000",
                                         url)], title="Harbour Hour"))
    pid_file = tmp_path / "player.pid"
    script = tmp_path / "player.py"
    # As mpv does on a file it cannot open: an error status, its output going nowhere.
    script.write_text(f"import os, sys\nopen({str(pid_file)!r}, 'w').write(str(os.getpid()))\nsys.exit(3)\n")
    config = replace(ui_config(), enclosures=EnclosureConfig(player=f"{sys.executable} {script} {{url}}"))
    app = make_app(config)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_article(pilot)
        await pilot.press("e")
        await wait_for(pilot, lambda: any("exit status 3" in n for n in app.notified))
        assert any("Playing" in n for n in app.notified)
        pid = int(pid_file.read_text())
        if Path("/proc").is_dir():  # Linux: a zombie keeps its /proc entry until it is reaped
            assert not Path(f"/proc/{pid}").exists()


def test_quitting_while_the_player_plays_does_not_wait_for_it(store, tmp_path):
    import os
    import signal
    import subprocess
    import sys
    from pathlib import Path

    fill_store(store, feed_xml([_episode("ep", "Harbour hour: the crossing", "Tue, 10 Nov 2020 09:00:00 +0000",
                                         "http://127.0.0.1:9/ep/harbour-hour.mp3")], title="Harbour Hour"))
    pid_file = tmp_path / "player.pid"
    script = tmp_path / "player.py"
    script.write_text(f"import os, time\nopen({str(pid_file)!r}, 'w').write(str(os.getpid()))\n"
                      "time.sleep(60)  # an hour-long episode\n")
    root = Path(__file__).resolve().parents[2]
    try:
        # The app's process ends with its last key; before the fix it waited for the player to end.
        subprocess.run([sys.executable, "-m", "tests.ui.player_child", f"{sys.executable} {script} {{url}}",
                        str(pid_file)], cwd=root, env=os.environ, check=True, timeout=40,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.kill(int(pid_file.read_text()), 0)  # and the player still plays
    finally:
        if pid_file.exists() and pid_file.read_text():
            try:
                os.kill(int(pid_file.read_text()), signal.SIGTERM)
            except ProcessLookupError:
                pass


async def test_r_and_A_in_the_feeds_pane_act_on_the_highlighted_feed_as_in_newsboat(make_app, store):
    from tests.httpserver import FeedServer, Route
    from tui.sources import FeedSource
    from tui.widgets.feeds import FeedList

    with FeedServer() as server:
        harbour = server.route("/harbour.xml", Route(body=feed_xml()))
        ledger = server.route("/ledger.xml", Route(body=feed_xml(title="Quay Ledger").replace(b"harbour.example",
                                                                                            b"ledger.example")))
        harbour_id = fill_store(store, feed_xml(), url=harbour)
        ledger_id = fill_store(store, feed_xml(title="Quay Ledger").replace(b"harbour.example", b"ledger.example"),
                               url=ledger, tags=("quay",))
        app = make_app()
        async with app.run_test(size=(120, 40)) as pilot:
            main = app.main  # All articles listed; the feeds pane's cursor goes to the ledger
            feeds = main.query_one(FeedList)
            feeds.focus()
            feeds.highlight(FeedSource(ledger_id))
            await pilot.pause()
            await pilot.press("r")
            await wait_for(pilot, lambda: server.requests_to("/ledger.xml") and not main.refreshing)
            assert not server.requests_to("/harbour.xml")  # only the highlighted feed
            await pilot.press("A")
            await pilot.pause()
            assert all(e.read for e in store.entries(feed_id=ledger_id))
            assert not any(e.read for e in store.entries(feed_id=harbour_id))
            assert any("Marked 4 articles read" in n for n in app.notified)


def test_the_feeds_pane_says_a_synced_feed_is_checked_by_the_server():
    from tui import display
    from tui.core.models import Feed

    assert display.feed_status(Feed(1, "https://a.example/feed", unread=2, total=3)).plain == \
        "2 unread of 3 · checked never"
    synced = Feed(2, "https://b.example/feed", unread=2, total=3, synced=True)
    assert display.feed_status(synced).plain == "2 unread of 3 · checked by the sync server"


async def test_the_palette_tells_two_feeds_of_one_title_apart_by_their_address(make_app, store):
    from tui.sources import FeedSource

    fill_store(store, feed_xml(title="News"), url="https://harbour.example/feed.xml")
    other = fill_store(store, feed_xml(title="News").replace(b"harbour.example", b"quay.example"),
                       url="https://quay.example/rss")
    fill_store(store, feed_xml(title="Tide Tables").replace(b"harbour.example", b"tides.example"),
               url="https://tides.example/feed.xml")
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("ctrl+p", *"feed: open News (https://quay")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.main.source == FeedSource(other))
        await pilot.press("ctrl+p", *"feed: open Tide")
        await pilot.pause(0.3)
        from textual.command import CommandList

        hits = app.screen.query_one(CommandList)
        prompts = [str(hits.get_option_at_index(i).prompt) for i in range(hits.option_count)]
        assert any(p.startswith("feed: open Tide Tables\n") for p in prompts)  # a title of its own: as it was
