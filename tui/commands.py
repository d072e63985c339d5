"""Command palette commands, named "noun: verb" ("feed: refresh", "article: save", "theme: nord")."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from tui import display

Command = tuple[str, Callable[[], object], str]


class NewswireCommands(Provider):
    """The app's actions, one command per feed to open it, and one per theme."""

    def _commands(self) -> list[Command]:
        from tui.screens.main import MainScreen

        screen = self.screen
        if not isinstance(screen, MainScreen):
            return []
        main = screen
        app = main.newswire
        commands: list[Command] = [
            ("feed: refresh", main.action_refresh_feed, "Fetch the shown feed now (all feeds in 'All articles')"),
            ("feed: refresh all", main.action_refresh_all, "Fetch every feed now"),
            ("feed: mark read", main.action_mark_feed_read, "Mark every listed article read"),
            ("article: save", main.action_save, "Save the cleaned article as a file"),
            ("article: open in browser", main.action_open_browser, "Open the article's page in the web browser"),
            ("article: copy link", main.action_copy_link, "Copy the article's address"),
            ("article: toggle star", main.action_toggle_star, "Star or unstar the article"),
            ("article: toggle read", main.action_toggle_read, "Mark the article read or unread"),
            ("article: next unread", main.action_next_unread, "Open the next unread article"),
            ("view: toggle sidebar", main.action_toggle_sidebar, "Show or hide quotes and places"),
            ("view: unread only", main.action_unread_only, "List only unread articles, or all"),
            ("view: search", main.action_search, "Find articles by words in their title or text"),
            ("view: help", main.action_help, "Show every key"),
            ("view: all articles", partial(main.show_source, "all"), "List every article"),
            ("view: starred", partial(main.show_source, "starred"), "List starred articles"),
        ]
        for feed in main.query_one("#feeds").feeds.values():  # type: ignore[attr-defined]
            commands.append((f"feed: open {display.plain(feed.display_title)}", partial(main.open_feed, feed.id),
                             "Show this feed's articles"))
        for name in app.theme_names():
            commands.append((f"theme: {name}", partial(setattr, app, "theme", name), "Switch to this theme (saved)"))
        return commands

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
