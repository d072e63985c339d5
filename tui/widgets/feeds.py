"""The feeds pane: 'All articles', 'Starred' and query feeds on top, feeds with unread counts, a status line."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING, ClassVar

from rich.cells import cell_len
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
from tui.sources import ALL, STARRED, FeedSource, Filtered, Query, Source

if TYPE_CHECKING:
    from textual.css.styles import RulesMap

    from tui.core.filters import QueryFeed

__all__ = ["FeedList", "FeedsPane"]


class _Row(Content):
    """A row of the feeds pane, whose height is its number of lines when each fits the pane.

    OptionList finds the height of every option (to size the list and its scrollbar) before the
    first frame, by wrapping each one at the pane's width: ~1-2 ms of CPU at 50 feeds, for rows
    that nearly always fit. A row with a line too long for the pane is wrapped as before.
    """

    def get_height(self, rules: RulesMap, width: int) -> int:
        text = self.plain
        room = width - rules.get("line_pad", 0) * 2
        lines = text.split("\n")
        if "\t" not in text and all(cell_len(line) <= room for line in lines):
            return len(lines)
        return super().get_height(rules, width)


def _row(prompt: Content) -> Option:
    return Option(_Row(prompt.plain, prompt.spans, prompt.cell_length))


class FeedList(OptionList):
    """One option per source; choosing one posts `FeedList.Chosen(source)`."""

    BINDINGS: ClassVar[list[BindingType]] = bindings("feeds")

    class Chosen(Message):
        """The user chose a source (all, starred or one feed) to list."""

        def __init__(self, source: Source) -> None:
            super().__init__()
            self.source = source

    class Highlighted(Message):
        """The highlight moved to `feed` (None on 'All articles' and 'Starred'), or to `query`."""

        def __init__(self, feed: Feed | None, query: QueryFeed | None = None) -> None:
            super().__init__()
            self.feed = feed
            self.query = query

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.feeds: dict[int, Feed] = {}  # the listed feeds (hidden ones are not)
        self.queries: dict[Query, QueryFeed] = {}
        self._sources: list[Source] = []  # by option index (the rule between them is not an option)

    def show(
        self, feeds: Sequence[Feed], starred: int, *, queries: Sequence[QueryFeed] = (),
        hidden: Collection[int] = (),
    ) -> None:
        """List `feeds` (but not the `hidden` ones) below the query feeds, keeping the highlight.

        'All articles' counts the unread entries of every feed, hidden ones too: their entries
        are still listed there.
        """
        keep = self.highlighted_source or ALL
        unread = sum(f.unread for f in feeds)
        feeds = [f for f in feeds if f.id not in hidden]
        self.feeds = {f.id: f for f in feeds}
        self.queries = {Query(q.name, q.filter): q for q in queries}
        options: list[Option | None] = [
            _row(display.virtual_prompt("All articles", unread)),
            _row(display.virtual_prompt("Starred", starred)),
        ]
        self._sources = [ALL, STARRED]
        for source, query in self.queries.items():
            options.append(_row(display.query_prompt(query)))
            self._sources.append(source)
        options.append(None)
        for feed in feeds:
            options.append(_row(display.feed_prompt(feed)))
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

    @property
    def highlighted_query(self) -> QueryFeed | None:
        source = self.highlighted_source
        return self.queries.get(source) if isinstance(source, Query) else None

    def highlight(self, source: Source) -> None:
        """Move the highlight to `source`; to the top when it is not listed (a feed removed meanwhile)."""
        if isinstance(source, Filtered):
            source = source.inner
        self.highlighted = self._sources.index(source) if source in self._sources else 0

    def choose(self, source: Source) -> None:
        """Highlight `source` and list it, as if chosen with enter (the palette's "feed: open …")."""
        self.highlight(source)
        self.post_message(self.Chosen(source))

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self.post_message(self.Highlighted(self.highlighted_feed, self.highlighted_query))

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
        self._status(message.feed, message.query)

    def _status(self, feed: Feed | None, query: QueryFeed | None) -> None:
        status = display.query_status(query) if query is not None else display.feed_status(feed)
        self.query_one("#feed-status", Static).update(status)

    def show(
        self, feeds: Sequence[Feed], starred: int, *, queries: Sequence[QueryFeed] = (),
        hidden: Collection[int] = (),
    ) -> None:
        feed_list = self.query_one(FeedList)
        feed_list.show(feeds, starred, queries=queries, hidden=hidden)
        self._status(feed_list.highlighted_feed, feed_list.highlighted_query)
