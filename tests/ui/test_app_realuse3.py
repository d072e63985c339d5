"""What a newsboat user met in a week with the app (resizes, what changed, ...): each test failed before its fix."""

from __future__ import annotations

from textual.widgets import DataTable

from tests.ui.conftest import feed_xml, fill_store, wait_for


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
