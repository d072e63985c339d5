"""Regression: markup and terminal escape sequences in feed text are shown literally, never interpreted."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from tests.ui.conftest import fill_store, open_article, shown, wait_for
from tui.sources import FeedSource
from tui.widgets.feeds import FeedList

MARKUP_TITLE = "[/oops] [bold]x"
FEED = {
    "version": "https://jsonfeed.org/version/1.1",
    "title": "[red]Markup[/red] Weekly \u001b[31m",
    "home_page_url": "https://markup.example/",
    "items": [
        {
            "id": "m1",
            "url": "https://markup.example/1",
            "title": MARKUP_TITLE + " \u001b]0;owned\u0007\u001b[2J",
            "date_published": "2020-05-01T10:00:00Z",
            "authors": [{"name": "[i]Ann[/i] \u001b[1mLee"}],
            "content_html": (
                "<p>First [/oops] paragraph with [bold]brackets[/bold] and \u001b[31mescapes\u001b[0m inside, "
                "long enough to be a real paragraph of an article that the cleaner keeps.</p>"
                "<p>“[link=https://evil.example]Click[/link] here,” said [b]Bob[/b] Stone in Paris, "
                "which is where the second paragraph of this short article takes place.</p>"
                "<h2>[$accent]A heading[/]</h2>"
                "<ul><li>[/] one item</li><li>another \u009b31m item</li></ul>"
            ),
        }
    ],
}


async def test_markup_and_escape_sequences_show_literally(make_app, store):
    feed_id = fill_store(store, json.dumps(FEED).encode(), tags=("[bold]tag",))
    # A refresh error as the core records it, with markup and an escape sequence in it.
    store.apply_refresh(feed_id, checked_at=datetime.now(UTC), status="error",
                        error="[/bad] server said \u001b[31mno")
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        table = app.main.table
        listed = shown(table)
        assert MARKUP_TITLE in listed
        assert "\u001b" not in listed and "owned" not in listed

        feeds = app.main.query_one(FeedList)
        feeds.highlight(FeedSource(feed_id))
        await pilot.pause()
        pane = shown(feeds)
        assert "[red]Markup[/red] Weekly" in pane and "#[bold]tag" in pane
        status = shown(app.main.query_one("#feed-status"))
        assert "[/bad] server said no" in status

        await open_article(pilot)
        text = app.main.reader.text
        assert text.startswith(MARKUP_TITLE)
        assert "[i]Ann[/i] Lee" in text
        assert "First [/oops] paragraph with [bold]brackets[/bold] and escapes inside" in text
        assert "[$accent]A heading[/]" in text
        assert "• [/] one item" in text
        assert "\u001b" not in text and "\u009b" not in text
        sidebar = app.main.sidebar
        quotes = "".join(line.rstrip() for line in shown(sidebar.query_one("#quotes")).splitlines())
        assert "[link=https://evil.example]Click[/link] here" in quotes

        # Notifications carry feed text too (a save names the file made from the title).
        await pilot.press("s")
        await wait_for(pilot, lambda: store.saves())
        await pilot.press("R")
        await wait_for(pilot, lambda: not app.main.refreshing)
        assert any("[red]Markup[/red] Weekly" in n for n in app.notified)
        assert app.is_running
