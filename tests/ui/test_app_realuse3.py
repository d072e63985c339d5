"""What a newsboat user met in a week with the app (resizes, what changed, ...): each test failed before its fix."""

from __future__ import annotations

from textual.widgets import DataTable

from tests.ui.conftest import feed_xml, fill_store, wait_for
from tests.ui.test_app_enclosures import config_for, podcast_xml, server  # noqa: F401 - the fixture


def _fits(table: DataTable) -> bool:
    """Every column shows whole within the table: nothing scrolls off to the right."""
    needed = sum(column.get_render_width(table) for column in table.ordered_columns)
    return needed <= table.scrollable_content_region.width


async def test_the_help_fits_its_columns_again_when_the_terminal_is_resized(make_app, store):
    from tui.screens.help import HelpScreen

    fill_store(store, feed_xml())
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one(DataTable)
        await pilot.pause()
        assert _fits(table)
        await pilot.press("j", "j", "j")
        await pilot.resize_terminal(80, 24)
        await wait_for(pilot, lambda: table.size.width < 80)
        await pilot.pause()
        assert _fits(table) and table.max_scroll_x == 0  # on 80 columns the descriptions wrap, not scroll off
        assert table.cursor_row == 3  # the place in the list is kept
        await pilot.resize_terminal(160, 48)
        await wait_for(pilot, lambda: table.size.width > 100)
        await pilot.pause()
        does = table.columns["does"]
        longest = max(len(str(table.get_cell_at((row, 2)))) for row in range(table.row_count))
        assert does.width >= min(longest, 60)  # wide again: one line per description where the box allows
        assert _fits(table)


async def test_the_downloads_view_fits_its_columns_again_when_the_terminal_is_resized(make_app, store):
    from tui.screens.downloads import DownloadsScreen

    fill_store(store, feed_xml())
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("D")
        await wait_for(pilot, lambda: isinstance(app.screen, DownloadsScreen))
        table = app.screen.query_one(DataTable)
        await pilot.pause()
        assert _fits(table)
        wide = table.columns["error"].width
        await pilot.resize_terminal(80, 24)
        await wait_for(pilot, lambda: table.size.width < 80)
        await pilot.pause()
        assert _fits(table) and table.max_scroll_x == 0
        assert app.screen.rows() == [["No downloads yet.", "", "", ""]]
        await pilot.resize_terminal(160, 48)
        await wait_for(pilot, lambda: table.size.width > 100)
        await pilot.pause()
        assert table.columns["error"].width == wide


async def test_what_changed_from_a_brief_shows_what_the_brief_cut_from_the_fuller_copies(make_app, store):
    from textual.widgets import OptionList

    from tests.ui.test_app_stories import fill_stories
    from tui.screens.story_diff import StoryDiffScreen

    wire = fill_stories(store)  # Valley Times' copy is the fullest; Wire Digest's a brief of it
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        table = app.main.table
        table.move_to(table.index_of(wire["w-dam"]))
        await pilot.press("w")
        await wait_for(pilot, lambda: isinstance(app.screen, StoryDiffScreen) and app.screen.diff is not None)
        view = app.screen
        choices = view.query_one(OptionList)
        assert "Valley Times" in str(choices.get_option_at_index(0).prompt)  # the fullest copy comes first
        text = view.text
        first_line = text.splitlines()[0]
        assert first_line.startswith("What Wire Digest") and "changed against Valley Times" in first_line
        # What the brief did to the story: cut paragraphs, dropped the quote, edited a word; it added nothing.
        assert "Paragraph cut" in text and "Residents of Champ-sur-Drac" in text
        assert "Quotes dropped" in text and "Paragraph added" not in text and "Quotes added" not in text
        first = view.diff
        await pilot.press("j")  # the other copy, fuller than the brief too
        await wait_for(pilot, lambda: view.diff is not first and view.diff is not None)
        first_line = view.text.splitlines()[0]
        assert first_line.startswith("What Wire Digest") and "changed against Alpine Courier" in first_line
        assert "Paragraph cut" in view.text and "Paragraph added" not in view.text



async def test_d_on_an_episode_already_downloaded_says_so(make_app, store, server, tmp_path):  # noqa: F811
    fill_store(store, podcast_xml(server.url("/ep/harbour-episode-1.mp3")), url="https://hour.example/feed.xml")
    app = make_app(config_for(tmp_path))
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("d")
        await wait_for(pilot, lambda: any(n.startswith("Saved") for n in app.notified), timeout=15)
        fetched = len(server.ranges_seen)
        app.notified.clear()
        await pilot.press("d")  # again: the file is there, complete
        await wait_for(pilot, lambda: any("harbour-episode-1.mp3" in n and "Downloading" not in n
                                          for n in app.notified), timeout=15)
        await pilot.pause(0.2)
        said = [n for n in app.notified if "Downloading" not in n]
        assert said == [f"Already downloaded: {tmp_path / 'podcasts' / 'harbour-episode-1.mp3'}"]
        assert len(server.ranges_seen) == fetched  # nothing fetched again


async def test_keys_work_while_the_sync_password_command_runs(store, newswire_home, tmp_path):
    from tests.ui.conftest import record_notifications
    from tui.app import build_app
    from tui.core.config import load_config
    from tui.core.paths import resolve_paths

    fill_store(store, feed_xml())
    started, done = tmp_path / "started", tmp_path / "done"
    # A password manager that takes its time (a gpg agent asking, a slow keyring): the app must not freeze.
    (newswire_home / "config.toml").write_text(
        '[reader]\nrefresh_on_start = false\n\n[sync]\nserver = "miniflux"\nurl = "http://127.0.0.1:9"\n'
        f'password_command = "touch {started}; sleep 3; echo secret; touch {done}"\n'
    )
    paths = resolve_paths()
    app = record_notifications(build_app(paths, load_config(paths.config_file), store))
    async with app.run_test(size=(160, 48)) as pilot:
        table = app.main.table
        table.focus()
        await pilot.press("R")
        await wait_for(pilot, started.exists)
        await pilot.press("j")
        assert table.cursor_row == 1 and not done.exists()  # the key was handled while the command ran
        await wait_for(pilot, lambda: not app.main.refreshing, timeout=20)


async def test_an_empty_list_with_sync_set_up_says_R_syncs(store, newswire_home):
    from tests.ui.conftest import record_notifications, shown
    from tui.app import build_app
    from tui.core.config import load_config
    from tui.core.paths import resolve_paths

    secret = newswire_home / "secret"
    secret.write_text("pw\n")
    secret.chmod(0o600)
    (newswire_home / "config.toml").write_text(
        f'[sync]\nserver = "miniflux"\nurl = "http://127.0.0.1:9"\npassword_file = "{secret}"\n'
    )
    paths = resolve_paths()
    app = record_notifications(build_app(paths, load_config(paths.config_file), store))
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for(pilot, lambda: app.notified and not app.main.refreshing, timeout=20)  # the server is down
        await pilot.pause(0.2)
        text = shown(app.main.table)
        assert "No articles yet." in text and "Press R to sync with 127.0.0.1:9" in text
        assert "newswire add URL" not in text


async def test_a_sync_server_that_stays_down_is_said_once_by_auto_reload_and_again_on_R(make_app, store, tmp_path):
    from dataclasses import replace

    from tests.ui.conftest import ui_config
    from tui.core.config import SyncConfig

    secret = tmp_path / "secret"
    secret.write_text("pw\n")
    secret.chmod(0o600)
    config = replace(ui_config(), sync=SyncConfig(server="miniflux", url="http://127.0.0.1:9", user="u",
                                                  password_file=str(secret), timeout=2))
    fill_store(store, feed_xml())
    app = make_app(config)
    async with app.run_test(size=(120, 36)) as pilot:
        main = app.main

        def warnings() -> int:
            return sum("127.0.0.1:9" in text for text in app.notified)

        for _ in range(3):  # three auto-reload ticks with the server down
            main.auto_reload()
            await wait_for(pilot, lambda: not main.refreshing, timeout=20)
        assert warnings() == 1
        await pilot.press("R")  # asked for: said again
        await pilot.pause(0.2)
        await wait_for(pilot, lambda: not main.refreshing, timeout=20)
        assert warnings() == 2
