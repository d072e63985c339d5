"""The command palette: the actions table's "noun: verb" commands, one per feed or query feed, one per theme."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from tui import display
from tui.actions import palette_actions
from tui.core.text import clean_line
from tui.sources import FeedSource
from tui.widgets.feeds import FeedList

__all__ = ["NewswireCommands"]

Command = tuple[str, Callable[[], object], str]


class NewswireCommands(Provider):
    """Commands of the screen it is declared on (the main screen's COMMANDS)."""

    def _commands(self) -> Iterator[Command]:
        screen = self.screen
        for action in palette_actions():
            yield action.palette, partial(screen.run_action, action.run), action.description
        feed_lists = screen.query(FeedList)
        if feed_lists:
            feed_list = feed_lists.first()
            feeds = list(feed_list.feeds.values())
            labels = [display.feed_label(feed) for feed in feeds]
            shared = {label for label, n in Counter(labels).items() if n > 1}
            for feed, label in zip(feeds, labels, strict=True):
                if label in shared:
                    # Two feeds of one title ("News", or a feed both here and on the sync server):
                    # their addresses tell them apart.
                    label = f"{label} ({clean_line(feed.url)})"
                yield (f"feed: open {label}", partial(feed_list.choose, FeedSource(feed.id)), "Show this feed's articles")
            for source in feed_list.queries:
                yield (f"feed: open {display.message(source.name)}", partial(feed_list.choose, source),
                       "Show the articles of this query feed")
        app = self.app
        for name in sorted(n for n in app.available_themes if n != "textual-ansi"):
            yield f"theme: {name}", partial(setattr, app, "theme", name), "Switch to this theme (saved)"

    async def discover(self) -> Hits:
        for name, callback, help_text in self._commands():
            if not name.startswith(("feed: open ", "theme: ")):
                yield DiscoveryHit(Content(name), callback, text=name, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, callback, help_text in self._commands():
            score, offsets = matcher.fuzzy_search.match(query, name)
            if score > 0:
                # The matcher's own highlight parses markup, and feed titles are untrusted.
                shown = Content(name)
                for offset in offsets:
                    shown = shown.stylize("bold underline", offset, offset + 1)
                yield Hit(score, shown, callback, text=name, help=help_text)
