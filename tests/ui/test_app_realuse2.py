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
