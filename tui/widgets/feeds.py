"""The feeds pane: 'All articles' and 'Starred' on top, each feed with its unread count, and a status line."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui import display
from tui.actions import bindings
from tui.core.models import Feed
from tui.sources import ALL, STARRED, FeedSource, Source

__all__ = ["FeedList", "FeedsPane"]


class FeedList(OptionList):
    """One option per source; choosing one posts `FeedList.Chosen(source)`."""

    BINDINGS: ClassVar[list[BindingType]] = bindings("feeds")

    class Chosen(Message):
        """The user chose a source (all, starred or one feed) to list."""

        def __init__(self, source: Source) -> None:
            super().__init__()
            self.source = source

    class Highlighted(Message):
        """The highlight moved to `feed` (None on 'All articles' and 'Starred')."""

        def __init__(self, feed: Feed | None) -> None:
            super().__init__()
            self.feed = feed

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.feeds: dict[int, Feed] = {}
        self._sources: list[Source] = []  # by option index (the rule between them is not an option)

    def show(self, feeds: Sequence[Feed], starred: int) -> None:
        """List `feeds`, keeping the highlight on the source it was on."""
        keep = self.highlighted_source or ALL
        self.feeds = {f.id: f for f in feeds}
        unread = sum(f.unread for f in feeds)
        options: list[Option | None] = [
            Option(display.virtual_prompt("All articles", unread)),
            Option(display.virtual_prompt("Starred", starred)),
            None,
        ]
        self._sources = [ALL, STARRED]
        for feed in feeds:
            options.append(Option(display.feed_prompt(feed)))
            self._sources.append(FeedSource(feed.id))
        self.set_options(options)
        self.highlight(keep)

    @property
    def highlighted_source(self) -> Source | None:
        index = self.highlighted
        if index is None or index >= len(self._sources):
            return None
        return self._sources[index]

    @property
    def highlighted_feed(self) -> Feed | None:
        source = self.highlighted_source
        return self.feeds.get(source.feed_id) if isinstance(source, FeedSource) else None

    def highlight(self, source: Source) -> None:
        """Move the highlight to `source`; to the top when it is not listed (a feed removed meanwhile)."""
        self.highlighted = self._sources.index(source) if source in self._sources else 0

    def choose(self, source: Source) -> None:
        """Highlight `source` and list it, as if chosen with enter (the palette's "feed: open …")."""
        self.highlight(source)
        self.post_message(self.Chosen(source))

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self.post_message(self.Highlighted(self.highlighted_feed))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        source = self._sources[event.option_index] if event.option_index < len(self._sources) else None
        if source is not None:
            self.post_message(self.Chosen(source))

    # -- keys -------------------------------------------------------------------------------------

    def action_down(self) -> None:
        self.action_cursor_down()

    def action_up(self) -> None:
        self.action_cursor_up()

    def action_top(self) -> None:
        self.action_first()

    def action_bottom(self) -> None:
        self.action_last()

    def action_open(self) -> None:
        self.action_select()


class FeedsPane(Vertical):
    """The feed list above one status line: the highlighted feed's error, or when it was checked."""

    def compose(self) -> ComposeResult:
        yield FeedList(id="feeds")
        yield Static(Content(""), id="feed-status")

    def on_mount(self) -> None:
        self.border_title = Content("Feeds")

    def on_feed_list_highlighted(self, message: FeedList.Highlighted) -> None:
        # Handled here and passed on: the screen has no use for it.
        message.stop()
        self.query_one("#feed-status", Static).update(display.feed_status(message.feed))

    def show(self, feeds: Sequence[Feed], starred: int) -> None:
        feed_list = self.query_one(FeedList)
        feed_list.show(feeds, starred)
        self.query_one("#feed-status", Static).update(display.feed_status(feed_list.highlighted_feed))
