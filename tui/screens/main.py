"""The main screen: lays out feeds · entries · reader · sidebar and coordinates them; the widgets do the work."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.events import Resize, ScreenResume
from textual.geometry import Size
from textual.reactive import Reactive, reactive, var
from textual.screen import Screen
from textual.types import NoActiveAppError
from textual.widget import Widget
from textual.widgets import Footer, Header
from textual.worker import Worker

from tui import display, jobs
from tui.actions import bindings, by_id, split_keys
from tui.core.models import Entry, Feed
from tui.core.records import Record, record
from tui.jobs import Services
from tui.messages import OpenLink, ReadingReady, RefreshFinished, RefreshProgress
from tui.sources import ALL, STARRED, BaseSource, FeedSource, Filtered, Query, Search, Source, Starred
from tui.widgets.entries import FIRST_ROWS, EntryList, EntryTable
from tui.widgets.feeds import FeedList, FeedsPane
from tui.widgets.progress import RefreshBar
from tui.widgets.reader import MENTION, ArticleView
from tui.widgets.sidebar import Sidebar

if TYPE_CHECKING:
    import subprocess

    from rich.text import Text
    from textual.command import Provider

    from tui.core.feeds import DownloadJob, DownloadQueue
    from tui.core.filters import QueryFeed
    from tui.core.models import Enclosure
    from tui.core.stories import Story
    from tui.screens.filter import FilterHistory


__all__ = ["MainScreen"]


def _commands() -> type[Provider]:
    """The palette's commands, loaded when the palette first opens (not before the first paint)."""
    from tui.commands import NewswireCommands

    return NewswireCommands


REST_PAGE = 10_000  # entries read at a time after the first screenful
LOADING_DELAY = 0.15  # seconds before an article still loading shows what it waits for
WIDE = 120  # columns from which every pane shows side by side
TALL = 30  # rows from which the header shows; below, every row goes to the panes


class SteadyFooter(Footer):
    """The footer, composed again only when what it shows changes.

    Textual's Footer rebuilds its keys on every change of bindings, so on every focus change:
    opening an article (list → reader) and closing it mounted and dropped some twenty widgets
    each time, though this screen's footer shows the same screen-wide keys from every pane.
    """

    _shown: tuple[object, ...] | None = None

    def _signature(self) -> tuple[object, ...]:
        # What Footer.compose draws: each shown binding, its key as displayed, enabled or not.
        return tuple(
            (binding.key, self.app.get_key_display(binding), binding.description, binding.action, binding.group,
             enabled, tooltip)
            for (_, binding, enabled, tooltip) in self.screen.active_bindings.values()
            if binding.show
        )

    def bindings_changed(self, screen: Screen[object]) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen:
            self.call_after_refresh(self._recompose_if_changed)

    async def _recompose_if_changed(self) -> None:
        if not self.is_attached:
            return
        signature = self._signature()
        if signature != self._shown:
            self._shown = signature
            await self.recompose()


@record
class _Undo(Record):
    """Entries a mark-all-read changed, so `undo` can mark them unread again."""

    ids: tuple[int, ...]


class MainScreen(Screen[None]):
    """Feeds on the left, entries and the reader in the middle, the sidebar on the right.

    Below 120 columns the reader takes the whole width while reading and the sidebar is toggled.
    """

    # Focused when the screen is composed: the list, as on_mount does. With Textual's default (the
    # first focusable widget), the feed list took the focus first and gave it up at once, each
    # time restyled, before the first frame.
    AUTO_FOCUS = "#entries"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (WIDE, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (TALL, "-tall")]
    BINDINGS: ClassVar[list[BindingType]] = bindings("main")
    COMMANDS = {_commands}

    # Plain state (var): as a reactive, each change repainted the whole screen (every pane drawn
    # again on each open and close); the panes whose display changes are laid out and drawn anyway.
    reading: reactive[bool] = var(False)
    # Textual's Screen.focused, without its repaint of the whole screen on each focus move (the
    # list → reader move of every open): the widgets whose focus styles change are restyled and
    # drawn again by Textual all the same (Screen._update_focus_styles).
    focused: Reactive[Widget | None] = Reactive(None, repaint=False)
    unread_only: reactive[bool] = var(False)

    def __init__(self, services: Services) -> None:
        super().__init__()
        try:
            self._set_breakpoints(self.app.size)
        except NoActiveAppError:
            pass  # made outside a running app: set in compose
        self.services = services
        self.store = services.store
        self.source: Source = ALL
        self.current: Entry | None = None
        self._before: list[tuple[Source, int | None]] = []  # where `back` returns to, innermost last
        self.refreshing = False  # a refresh is running (one at a time)
        self._refresh_new_shown = 0  # new entries already listed during the running refresh
        self._list_generation = 0
        self._article_worker: Worker[None] | None = None
        self._opened = 0  # counts opens: a reading, or a late timer, of an earlier open is ignored
        self._shown = 0  # the open whose reading the reader shows
        self._undo: _Undo | None = None
        self.sidebar_wide = True  # the sidebar's state on wide screens (from the config)
        self.sidebar_narrow = False  # and on narrow ones, where it shares the reader's width
        self.queries: list[QueryFeed] = []  # the query feeds with their last counts
        self.auto_reloading = False  # the running refresh is an auto-reload: it notifies only what is new
        self._downloads: DownloadQueue | None = None  # made on the first download (it loads httpx)
        self._downloading = False
        self._filter_history: FilterHistory | None = None
        self._counting = False  # query-feed counts are being made in a thread
        self._count_again = False  # and something changed since they started
        # Stories (issue 14): the flat list is the default ([reader] stories starts with one row per
        # story; then only the stories of the first screenful are read before the first paint).
        self.stories_on = False
        self._tell_no_stories = False  # S was pressed: say so if its list turns out to hold no story
        self.story: Story | None = None  # the story of the entry being read, when others carry it too
        self._story_opened = 0  # the open `story` belongs to
        self._list_kept = False  # the start-up list has been taken out of the GC's full passes
        self._enclosures: tuple[int, list[Enclosure]] = (0, [])  # (the open they belong to, enclosures)
        self._held: AbstractContextManager[None] | None = None  # paints held while an open loads
        self._counts_stale = False  # an open marked an entry read: the feeds pane's counts follow its paint
        self._resumed = False  # the screen has been shown once (on_screen_resume)
        self._sync_warned: str | None = None  # the sync failure a quiet refresh last showed

    # -- layout -----------------------------------------------------------------------------------

    def _set_breakpoints(self, size: Size) -> None:
        # Textual sets the breakpoint classes on the first resize, restyling every widget; set
        # before the screen is first styled (the app makes it as its default screen), they are
        # already there when it and its panes are styled, and nothing is styled twice.
        self.add_class("-wide" if size.width >= WIDE else "-narrow", "-tall" if size.height >= TALL else "-short",
                       update=False)

    def on_screen_resume(self, event: ScreenResume) -> None:
        # Handled before Screen's own handler: on the first resume, every widget has just been
        # styled as it was mounted, and Textual's restyle of the whole screen (~5 ms at start-up,
        # before the first frame) would find nothing to change. Later resumes restyle as usual
        # (the theme may have changed while a modal screen was on top).
        if not self._resumed:
            self._resumed = True
            event.refresh_styles = False
            return
        # A resize while a modal screen was on top (help, a prompt, the palette) laid this screen
        # out again but left its breakpoint classes to the screen on top: without this, a terminal
        # widened under the help kept the narrow layout (no reader, no sidebar) at 160 columns.
        size = self.app.size
        wide, tall = size.width >= WIDE, size.height >= TALL
        if wide != self.has_class("-wide") or tall != self.has_class("-tall"):
            self.update_classes({"-wide": wide, "-narrow": not wide, "-tall": tall, "-short": not tall})
            self._apply_layout()

    def compose(self) -> ComposeResult:
        if not (self.has_class("-wide") or self.has_class("-narrow")):  # a screen made outside a running app
            self._set_breakpoints(self.app.size)
        yield Header()
        with Horizontal(id="panes"):
            yield FeedsPane(id="feeds-pane")
            with Vertical(id="middle"):
                yield EntryTable(id="entries")
                yield ArticleView(id="reader")
            yield Sidebar(id="sidebar")
        yield RefreshBar(id="progress")
        yield SteadyFooter()

    def on_mount(self) -> None:
        config = self.services.config
        self.sidebar_wide = config.reader.sidebar
        self.reader.border_title = Content("Article")
        self.sidebar.border_title = Content("Quotes & places")
        self.set_reactive(MainScreen.unread_only, config.reader.unread_only)
        self.stories_on = config.reader.stories
        self.reload_feeds()
        self.show_source(ALL)
        self.table.focus()
        self.call_after_refresh(self._first_paint_done)
        self.call_after_refresh(self._warm_up)
        minutes = float(config.fetch.auto_reload)
        if minutes > 0:
            self.set_interval(minutes * 60, self.auto_reload, name="auto-reload")
        self.call_after_refresh(self._load_updated)

    def _first_paint_done(self) -> None:
        done = getattr(self.app, "first_paint_done", None)
        if done is not None:
            done()

    @work(thread=True, group="warm-up")
    def _warm_up(self) -> None:
        # The gazetteer and the cleaner load on first use; load them now, not on the first open.
        from tui.core.article import article_from_text
        from tui.core.reading import read_article

        read_article(article_from_text("“Yes,” she said in Paris.", title="Warm-up"), self.services.gazetteer())
        self.app.call_from_thread(self._keep_long_lived)

    def _keep_long_lived(self) -> None:
        keep = getattr(self.app, "keep_long_lived", None)
        if keep is not None:
            keep()

    def watch_reading(self) -> None:
        self._apply_layout()

    def on_resize(self, event: Resize) -> None:
        self._apply_layout()
        if event.size == self.outer_size:
            # Already laid out at this size: Textual's handler (called after this one) would
            # reflow and redraw the whole screen all the same. At start-up the screen gets three
            # such events after its first frame (~12 ms of CPU in all at 10k entries); a change
            # of anything else lays out through Textual's usual path.
            event.prevent_default()

    def _apply_layout(self) -> None:
        """Show the panes that fit: all side by side when wide; the list or the article when narrow."""
        narrow = self.has_class("-narrow")
        listing = not (narrow and self.reading)
        self.query_one(FeedsPane).display = listing
        self.table.display = listing
        self.reader.display = not narrow or self.reading
        self.sidebar.display = self.sidebar_shown

    @property
    def table(self) -> EntryTable:
        return self.query_one(EntryTable)

    @property
    def reader(self) -> ArticleView:
        return self.query_one(ArticleView)

    @property
    def sidebar(self) -> Sidebar:
        return self.query_one(Sidebar)

    @property
    def feed_list(self) -> FeedList:
        return self.query_one(FeedList)

    # -- the list ---------------------------------------------------------------------------------

    def reload_feeds(self) -> None:
        feeds = self.store.feeds()
        self.query_one(FeedsPane).show(
            feeds, self.store.count_starred(), queries=self.queries,
            hidden=jobs.hidden_feeds(self.services, feeds),
        )
        if self.services.config.queries:
            self._recount_queries()

    def _recount_queries(self) -> None:
        # One count at a time: a refresh reloads the pane as each feed lands, and a thread cannot
        # be stopped, so changes during a count ask for one more count after it, not one each.
        if self._counting:
            self._count_again = True
            return
        self._counting = True
        self._count_queries()

    @work(thread=True, group="query-counts")
    def _count_queries(self) -> None:
        # A query's count scans the entries it may match: off the UI thread, the pane updates after.
        try:
            counts = jobs.query_counts(self.services)
        except Exception:  # noqa: BLE001 - a count that fails leaves the last counts, never the app down
            counts = self.queries
        self.app.call_from_thread(self._show_query_counts, counts)

    def _show_query_counts(self, counts: list[QueryFeed]) -> None:
        self._counting = False
        if self._count_again:
            self._count_again = False
            self._recount_queries()
        if counts == self.queries:
            return
        self.queries = counts
        feeds = self.store.feeds()
        self.query_one(FeedsPane).show(
            feeds, self.store.count_starred(), queries=counts,
            hidden=jobs.hidden_feeds(self.services, feeds),
        )

    def _query(self, source: Source) -> dict[str, int | bool]:
        query: dict[str, int | bool] = {"unread_only": self.unread_only}
        if isinstance(source, Starred):
            query["starred_only"] = True
        elif isinstance(source, FeedSource):
            query["feed_id"] = source.feed_id
        return query

    def show_source(self, source: Source, keep: int | None = None) -> None:
        """List the entries of `source`: a screenful now, the rest soon."""
        self.source = source
        self._list_generation += 1
        inner = source.inner if isinstance(source, Filtered) else source
        show_feed = not isinstance(inner, FeedSource)
        if self.stories_on:
            self._show_stories(source, keep, show_feed)
        elif isinstance(source, Search):
            results = self._matching(source)
            self.table.set_entries(results, keep, show_feed=show_feed, empty=self._empty_row(source))
        elif isinstance(source, Query | Filtered):
            # A filter reads every entry it may match (up to ~50 ms at 10k, more on a busy machine):
            # off the UI thread; the list and its title change when the matches are in.
            self._load_matching(source, self._list_generation, keep, show_feed)
            return
        else:
            query = self._query(source)
            first = self.store.entries(**query, limit=FIRST_ROWS)  # type: ignore[arg-type]
            self.table.set_entries(first, keep, show_feed=show_feed, empty=self._empty_row(source))
            if len(first) == FIRST_ROWS:
                # After the paint: reading 10,000 rows in a thread holds the GIL from the first
                # paint's layout and render (at start-up, ~40% more CPU before the list shows).
                self.call_after_refresh(self._load_rest, query, self._list_generation, keep)
        self._title_entries()

    @work(thread=True, exclusive=True, group="entries")
    def _load_matching(self, source: Query | Filtered, generation: int, keep: int | None, show_feed: bool) -> None:
        results = self._matching(source)
        self.app.call_from_thread(self._show_matching, source, generation, results, keep, show_feed)

    def _show_matching(
        self, source: Query | Filtered, generation: int, results: list[Entry], keep: int | None, show_feed: bool
    ) -> None:
        if generation != self._list_generation:
            return
        self.table.set_entries(results, keep, show_feed=show_feed, empty=self._empty_row(source))
        self._title_entries()

    def _matching(self, source: Search | Query | Filtered) -> list[Entry]:
        """Every entry of a search, a query feed or a filtered list (a filter over 10k entries: < 50 ms)."""
        from tui.core.filters import FilterError, filter_entries, filter_ids

        inner = source.inner if isinstance(source, Filtered) else source
        if isinstance(inner, Search):
            results = self.store.search(inner.query, feed_id=inner.feed_id)
            if self.unread_only:
                results = [e for e in results if not e.read]
        elif isinstance(inner, Query):
            try:
                results = filter_entries(self.store, inner.expression, unread_only=self.unread_only)
            except FilterError:
                return []  # the empty row says why
        else:
            query = self._query(inner)
            if isinstance(source, Filtered):
                # One pass: the filter decides over the rows the source would list.
                return filter_entries(self.store, source.expression, **query)  # type: ignore[arg-type]
            results = self.store.entries(**query)  # type: ignore[arg-type]
        if isinstance(source, Filtered):
            wanted = set(filter_ids(self.store, source.expression))
            results = [e for e in results if e.id in wanted]
        return results

    def _show_stories(self, source: Source, keep: int | None, show_feed: bool) -> None:
        """List `source` with one row per story: a feed's or the whole list's first screenful now (with
        only its own stories read), then every entry and story, read off the UI thread."""
        query = self._query(source)
        generation = self._list_generation
        if isinstance(source, Search | Query | Filtered):
            self._load_stories(source, keep, show_feed, generation, query)
            return
        first = self.store.entries(**query, limit=FIRST_ROWS)  # type: ignore[arg-type]
        found = jobs.first_story_list(self.services, first)
        if len(first) < FIRST_ROWS:
            self._show_story_rows(generation, source, keep, show_feed, found)
            return
        self.table.set_entries(found.rows, keep, show_feed=show_feed, empty=self._empty_row(source),
                               stories=found.stories)
        # After the paint, as the flat list reads its rest: the whole list replaces this screenful
        # where the cursor is then.
        self.call_after_refresh(self._load_stories, source, None, show_feed, generation, query, True)

    @work(thread=True, exclusive=True, group="entries")
    def _load_stories(
        self, source: Source, keep: int | None, show_feed: bool, generation: int, query: dict[str, int | bool],
        rest: bool = False,
    ) -> None:
        # Every entry is needed to group them (a story's row stands where its newest copy is).
        if isinstance(source, Search | Query | Filtered):
            found = jobs.story_list(self.services, self._matching(source))
        else:
            # In columns, as the flat list: 100,000 Entry objects would cost ~60 MB more.
            rows = EntryList()
            found = jobs.StoryList(rows, jobs.story_list_rows(self.services, self._light_pages(query, generation), rows))
        self.app.call_from_thread(self._show_story_rows, generation, source, keep, show_feed, found, rest)

    def _show_story_rows(
        self, generation: int, source: Source, keep: int | None, show_feed: bool, found: jobs.StoryList,
        rest: bool = False,
    ) -> None:
        if generation != self._list_generation:
            return
        if rest and (current := self.table.cursor_entry) is not None:
            keep = current.id  # the rest of a list whose first screenful is shown: the cursor stays put
        self.table.set_entries(found.rows, keep, show_feed=show_feed, empty=self._empty_row(source),
                               stories=found.stories)
        self._title_entries()
        if self._tell_no_stories:
            self._tell_no_stories = False
            if not found.stories:
                self.notify("No stories in this list: a story is an article carried by more than one feed.", markup=False)

    @work(thread=True, group="updated")
    def _load_updated(self) -> None:
        # After the first paint: the "updated" marks are a query of their own.
        ids = jobs.updated(self.services)
        self.app.call_from_thread(self._show_updated, ids)

    def _show_updated(self, ids: set[int]) -> None:
        # On the UI thread: the app may be closing, its table gone, when the marks come in.
        for table in self.query(EntryTable):
            table.set_changed(ids)

    def _empty_row(self, source: Source) -> tuple[Text, Text]:
        """Why the list of `source` is empty, then what to press: the lines of its empty list."""
        if isinstance(source, Filtered):
            return display.empty_list("Nothing here matches the filter.",
                                      f"Press {self.key_of('filter')} to change it, escape to clear it.")
        if isinstance(source, Query):
            query = self.feed_list.queries.get(source)
            if query is not None and query.error:
                return display.empty_list(f"This query's filter cannot be used: {query.error}",
                                          "Fix its [[query]] filter in the config.")
            return display.empty_list("No articles match this query.", "New ones appear as feeds refresh.")
        if isinstance(source, Search):
            return display.empty_list(f"Nothing found for “{source.query}”.", "Press / to search again, escape to go back.")
        if self.unread_only:
            return display.empty_list("No unread articles here.", "Press u to list read ones too.")
        if isinstance(source, Starred):
            return display.empty_list("No starred articles.", "Press f on an article to star it.")
        if isinstance(source, FeedSource):
            feed = self.feed_list.feeds.get(source.feed_id)
            if feed is not None and feed.last_error:
                return display.empty_list(f"This feed could not be read: {feed.last_error}", "Press r to try again.")
            return display.empty_list("This feed has no articles yet.", "Press r to refresh it.")
        server = jobs.sync_server(self.services)
        if server is not None:  # the feeds come from the sync server
            return display.empty_list("No articles yet.", f"Press R to sync with {server}.")
        return display.empty_list("No articles yet.", "Press R to refresh, or subscribe with: newswire add URL")

    @work(thread=True, exclusive=True, group="entries")
    def _load_rest(self, query: dict[str, int | bool], generation: int, keep: int | None) -> None:
        # In columns, a page at a time: 100,000 Entry objects (and the rows they are made from)
        # would cost ~100 MB.
        entries = EntryList()
        for rows in self._light_pages(query, generation):
            entries.add_rows(rows)
        self.app.call_from_thread(self._extend, generation, entries, keep)

    def _light_pages(self, query: dict[str, int | bool], generation: int) -> Iterator[list[tuple[Any, ...]]]:
        """A whole list as Store.light_rows pages (stopping early when another list replaced it)."""
        offset = 0
        while True:
            rows = self.store.light_rows(**query, limit=REST_PAGE, offset=offset)  # type: ignore[arg-type]
            yield rows
            offset += len(rows)
            if len(rows) < REST_PAGE or generation != self._list_generation:
                return

    def _extend(self, generation: int, entries: EntryList, keep: int | None) -> None:
        if generation != self._list_generation:
            return
        table = self.table
        had_keep = keep is not None and table.index_of(keep) is not None
        table.adopt(entries)
        if keep is not None and not had_keep and (index := table.index_of(keep)) is not None:
            table.move_to(index)
        self._title_entries()
        if not self._list_kept:
            # The start-up list is in (100,000 entries are as many objects): once, as a later list
            # replaces it and what is frozen with it waits for the app's end if it was in a cycle.
            self._list_kept = True
            self._keep_long_lived()

    def _title_entries(self) -> None:
        title = self._source_title(self.source.inner if isinstance(self.source, Filtered) else self.source)
        if isinstance(self.source, Filtered):
            title = display.filtered_title(title, self.source.expression, len(self.table.entries))
        if self.stories_on:
            title = Content.assemble(title, " · stories")
        if self.unread_only:
            title = Content.assemble(title, " · unread only")
        self.table.border_title = title

    def _source_title(self, source: BaseSource) -> Content:
        if isinstance(source, Query):
            return Content.assemble("Query: ", Content(display.message(source.name)))
        if isinstance(source, Search):
            # The index holds titles, the feeds' text, and the full text of articles opened or prefetched.
            feed = self.feed_list.feeds.get(source.feed_id) if source.feed_id is not None else None
            title = Content.assemble(
                "Search “", display.plain(source.query), "”",
                Content.assemble(" in ", Content(display.feed_label(feed))) if feed else "",
                f": {len(self.table.entries)} found (entries without their page: by title and summary) · escape returns",
            )
        elif isinstance(source, FeedSource):
            feed = self.feed_list.feeds.get(source.feed_id)
            title = Content(display.feed_label(feed)) if feed else Content("Feed")
        else:
            title = Content(source.label)
        return title

    def _relist(self) -> None:
        """List the current source again, keeping the cursor's entry."""
        cursor = self.table.cursor_entry
        self.show_source(self.source, cursor.id if cursor else None)

    def go_to(self, source: Source) -> None:
        """List `source` (the feeds pane, the palette); `back` from there returns to All articles."""
        self._before = []
        self.reading = False
        self.feed_list.highlight(source)
        if source != self.source:
            self.show_source(source)
        self.table.focus()

    def on_feed_list_chosen(self, message: FeedList.Chosen) -> None:
        self.go_to(message.source)

    # -- reading ----------------------------------------------------------------------------------

    def on_entry_table_opened(self, message: EntryTable.Opened) -> None:
        self.open_entry(message.entry)

    def open_entry(self, entry: Entry) -> None:
        """Show `entry` in the reader (marking it read); its reading loads off the UI thread.

        A row of the story list stands for the story: opening it reads the story, so every copy is marked read.
        """
        row_story = self.table.story_of(entry.id)
        if row_story is not None and row_story.unread:
            entry = self._set_story_read(row_story, entry, True)
            self._counts_stale = True
        elif not entry.read:
            self.store.set_read([entry.id], True)
            entry = replace(entry, read=True)
            self.table.update_entry(entry)
            self._counts_stale = True
        self.current = entry
        # One paint for the open: the focus move (restyles, a repaint of the list and the reader)
        # waits for the reading, or for the loading view, at most LOADING_DELAY.
        self._hold_paint()
        self.reading = True
        self.reader.focus()
        self._opened += 1
        # A cached reading shows within a frame or two; only a slow one (a page fetch) gets the
        # loading view, so a fast open paints once. The timer may fire after the reading came
        # (its callback is queued, not cancelled, once due): the check is on state, not on it.
        self.set_timer(LOADING_DELAY, partial(self._show_loading, entry, self._opened))
        self._article_worker = self._load_reading(entry, self._opened)

    def _hold_paint(self) -> None:
        if self._held is None:
            self._held = self.app.batch_update()
            self._held.__enter__()
            # Whatever happens to this open (another screen on top, a worker that never answers),
            # the app paints again: an app timer, not only this screen's loading timer.
            self.app.set_timer(LOADING_DELAY * 2, self._release_paint)

    def _release_paint(self) -> None:
        held, self._held = self._held, None
        if held is not None:
            held.__exit__(None, None, None)
        if self._counts_stale:
            # The unread counts of the entry just marked read: after the article's paint.
            self._counts_stale = False
            self.call_after_refresh(self.reload_feeds)

    def _show_loading(self, entry: Entry, opened: int) -> None:
        self._release_paint()
        if opened != self._opened or self._shown == opened or not self.reading:
            return
        self.reader.show_loading(entry)
        self.sidebar.show_loading()

    @work(exclusive=True, group="article")
    async def _load_reading(self, entry: Entry, opened: int) -> None:
        found = await jobs.open_reading(self.services, entry)
        reading = found.reading
        if found.title:
            self._retitle(entry.id, found.title)
        self.story, self._story_opened = found.story, opened
        self._enclosures = (opened, found.enclosures)
        self.post_message(ReadingReady(entry, reading.article, list(reading.quotes), list(reading.places), opened))

    def _retitle(self, entry_id: int, title: str) -> None:
        """Show an entry's new title in its row (its read and starred state as the row has them)."""
        index = self.table.index_of(entry_id)
        if index is not None:
            self.table.update_entry(replace(self.table.entries[index], title=title))
        if self.current is not None and self.current.id == entry_id:
            self.current = replace(self.current, title=title)

    def on_reading_ready(self, message: ReadingReady) -> None:
        # A reading of an entry no longer open (the user moved on, or cancelled) is dropped here;
        # the reader's loading state belongs to the entry now open and ends with its own reading.
        if message.opened != self._opened or not self.reading:
            return
        self._shown = message.opened
        opened, enclosures = self._enclosures
        self.reader.show(message.entry, message.article)
        self.reader.show_enclosures(display.enclosures(
            enclosures if opened == message.opened else [], self.key_of("play_enclosure"),
            self.key_of("download_enclosure"),
        ))
        self.sidebar.show(message.quotes, message.places)
        self._show_also()
        self._release_paint()
        if message.article.reason and message.article.is_empty:
            self.notify(display.message(message.article.reason), severity="warning", markup=False)

    def _show_also(self) -> None:
        story = self.story if self._story_opened == self._shown else None
        if story is None or self.current is None:
            self.reader.show_also(None)
            return
        self.reader.show_also(display.also_in(story, self.current.id, self.key_of("next_copy"),
                                              self.key_of("what_changed")))

    def cancel_loading(self) -> bool:
        """Stop fetching the article being loaded; False when nothing was loading."""
        worker = self._article_worker
        self._release_paint()
        self.reader.stop_loading()
        if self._shown == self._opened or worker is None or worker.is_finished:
            return False
        worker.cancel()
        self._opened += 1  # its reading, were it posted already, and its loading timer are ignored
        return True

    def on_sidebar_quote_chosen(self, message: Sidebar.QuoteChosen) -> None:
        self.reader.highlight([(message.quote.start, message.quote.end)])

    def on_sidebar_place_chosen(self, message: Sidebar.PlaceChosen) -> None:
        self.reader.highlight(list(message.place.spans), component=MENTION)

    def close_reader(self) -> None:
        cancelled = self.cancel_loading()
        self.reading = False
        self.table.focus()
        if cancelled:
            self.notify("Stopped loading the article.", markup=False, timeout=2)

    # -- actions: moving between articles ----------------------------------------------------------

    def _position(self) -> int:
        """The row the next/previous keys count from: the open article's, else the cursor's."""
        if self.reading and self.current is not None:
            index = self.table.index_of(self.current.id)
            if index is not None:
                return index
        return self.table.cursor_row

    def _step(self, step: int, unread: bool) -> None:
        table = self.table
        index = table.find(self._position(), step, unread)
        if index is None:
            what = "unread articles" if unread else "articles"
            self.notify(f"No more {what} {'below' if step > 0 else 'above'}.", markup=False)
            return
        table.move_to(index)
        if self.reading or unread:
            self.open_entry(table.entries[index])

    def action_next_article(self) -> None:
        self._step(1, unread=False)

    def action_previous_article(self) -> None:
        self._step(-1, unread=False)

    def action_next_unread(self) -> None:
        self._step(1, unread=True)

    def action_previous_unread(self) -> None:
        self._step(-1, unread=True)

    # -- actions: levels --------------------------------------------------------------------------

    def back_one_level(self) -> bool:
        """Leave the reader, else the filter, else the search, else a feed or Starred; False at the top."""
        if self.reading:
            self.close_reader()
        elif isinstance(self.source, Filtered):
            self.clear_filter()
        elif self._before:
            source, keep = self._before.pop()
            self.feed_list.highlight(source)
            self.show_source(source, keep)
            self.table.focus()
        elif self.source != ALL:
            self.feed_list.highlight(ALL)
            self.show_source(ALL)
            self.table.focus()
        else:
            return False
        return True

    def action_back(self) -> None:
        # newsboat's q: one level back, and a quit from the top needs no second key.
        if not self.back_one_level():
            self.app.exit()

    def action_close(self) -> None:
        # Escape backs out too, but never quits: a stray escape costs nothing.
        self.back_one_level()

    # -- actions: the chosen entry ----------------------------------------------------------------

    def target(self) -> Entry | None:
        """The entry the article keys act on: the row under the cursor while the list has focus
        (the one the user sees chosen, whatever the reader still shows), else the one being read,
        else the one under the cursor."""
        cursor = self.table.cursor_entry
        if self.reading and self.current is not None and not (self.table.has_focus and cursor is not None):
            return self.current
        return cursor

    def _changed(self, entry: Entry) -> None:
        self.table.update_entry(entry)
        if self.current is not None and self.current.id == entry.id:
            self.current = entry
        self.reload_feeds()

    def action_toggle_read(self) -> None:
        entry = self.target()
        if entry is None:
            return
        story = self.table.story_of(entry.id)
        if story is not None:
            # A story row: every copy, whatever feed it came from.
            read = story.unread > 0
            self._set_story_read(story, entry, read)
            self.reload_feeds()
            what = "read" if read else "unread"
            self.notify(f"Marked the story's {len(story.copies)} copies {what}.", markup=False)
            return
        self.store.set_read([entry.id], not entry.read)
        self._changed(replace(entry, read=not entry.read))

    def action_toggle_star(self) -> None:
        entry = self.target()
        if entry is None:
            return
        self.store.set_starred([entry.id], not entry.starred)
        self._changed(replace(entry, starred=not entry.starred))
        self.notify("Starred." if not entry.starred else "Star removed.", markup=False)

    def action_mark_feed_read(self) -> None:
        source = self._acted_on()  # the list shown, or a feed highlighted in the feeds pane
        if source == self.source and isinstance(source, Search | Query | Filtered):
            ids = [e.id for e in self.table.entries if not e.read]
        elif isinstance(source, Query):
            ids = [e.id for e in self._matching(source) if not e.read]
        else:
            query = {**self._query(source), "unread_only": True}
            ids = [e.id for e in self.store.entries(**query)]  # type: ignore[arg-type]
        if self.table.stories and source == self.source:
            # Story rows stand for every copy, in other feeds too.
            listed = set(ids)
            ids += [c.entry.id for s in self.table.stories.values() for c in s.copies
                    if not c.entry.read and c.entry.id not in listed]
        count = self.store.set_read(ids, True)
        self._undo = _Undo(tuple(ids)) if count else None
        self.reload_feeds()
        self._relist()
        undo = self.key_of("undo")
        self.notify(
            f"Marked {count} article{'s' if count != 1 else ''} read." + (f" Press {undo} to undo." if count else ""),
            markup=False,
        )

    def key_of(self, action_id: str) -> str:
        """The key of an action as the user sees it (remapped in `[keys]` or not)."""
        key = self.services.config.keys.get(action_id) or by_id(action_id).key
        return self.app.get_key_display(Binding(split_keys(key)[0], action_id))

    def action_undo(self) -> None:
        undo, self._undo = self._undo, None
        if undo is None:
            self.notify("Nothing to undo.", markup=False)
            return
        count = self.store.set_read(undo.ids, False)
        self.reload_feeds()
        self._relist()
        self.notify(f"Marked {count} article{'s' if count != 1 else ''} unread again.", markup=False)

    def action_copy_link(self) -> None:
        entry = self.target()
        if entry is None or not entry.link:
            self.notify("This article has no link.", severity="warning", markup=False)
            return
        self.app.copy_to_clipboard(entry.link)
        self.notify(display.message(f"Copied {entry.link}"), markup=False)

    def action_open_browser(self) -> None:
        entry = self.target()
        if entry is None or not entry.link:
            self.notify("This article has no link.", severity="warning", markup=False)
            return
        self.post_message(OpenLink(entry.link))

    def action_save(self) -> None:
        entry = self.target()
        if entry is None:
            self.notify("Choose an article to save.", severity="warning", markup=False)
            return
        self._save(entry)

    @work(group="save")
    async def _save(self, entry: Entry) -> None:
        notice = await jobs.save(self.services, entry)
        self.notify(notice.text, title=notice.title, severity=notice.severity, markup=False)

    # -- actions: stories -------------------------------------------------------------------------

    def _set_story_read(self, story: Story, row: Entry, read: bool) -> Entry:
        """Mark every copy of the story on row `row` read (or unread) and repaint its row in place."""
        from tui.core.stories import Copy
        from tui.core.stories import Story as StoryType

        self.store.set_read([c.entry.id for c in story.copies if c.entry.read != read], read)
        copies = tuple(Copy(replace(c.entry, read=read), c.size) for c in story.copies)
        row = replace(row, read=read)
        self.table.set_story(row, StoryType(story.id, copies))
        if self.current is not None and self.current.id == row.id:
            self.current = row
        return row

    def action_toggle_stories(self) -> None:
        self.stories_on = not self.stories_on
        # The story rows are made in a thread: whether there is any story is known when they come.
        self._tell_no_stories = self.stories_on
        self._relist()

    def action_next_copy(self) -> None:
        if self.reading and self._shown != self._opened:
            self.notify("The article is still loading.", markup=False, timeout=2)
            return
        story = self.story if self.reading and self._story_opened == self._shown else None
        if story is None and not self.reading and (entry := self.table.cursor_entry) is not None:
            # On a story row of the list: open its best copy first.
            if self.table.story_of(entry.id) is not None:
                self.open_entry(entry)
                return
        if story is None or self.current is None:
            self.notify("No other outlet carries this article.", markup=False)
            return
        ids = [c.entry.id for c in story.copies]
        index = ids.index(self.current.id) if self.current.id in ids else -1
        following = story.copies[(index + 1) % len(story.copies)].entry
        self.open_entry(following)

    def action_what_changed(self) -> None:
        entry = self.target()
        if entry is None:
            self.notify("Choose an article first.", markup=False)
            return
        self._what_changed(entry)

    @work(group="what-changed", exclusive=True)
    async def _what_changed(self, entry: Entry) -> None:
        from tui.screens.story_diff import StoryDiffScreen, comparisons  # loaded on first use

        story = self.story if self.reading and self.current is entry and self._story_opened == self._shown else None
        if story is None:
            story = self.table.story_of(entry.id) or await jobs.story(self.services, entry)
        choices = comparisons(entry, story, await jobs.versions(self.services, entry.id))
        if not choices:
            self.notify("Nothing to compare: no other outlet carries this article, and it was never updated.",
                        markup=False)
            return
        self.app.push_screen(StoryDiffScreen(self.services, entry, choices))

    # -- actions: view ----------------------------------------------------------------------------

    def action_unread_only(self) -> None:
        self.unread_only = not self.unread_only
        self._relist()

    def action_show_all(self) -> None:
        self.go_to(ALL)

    def action_show_starred(self) -> None:
        self.go_to(STARRED)

    def action_toggle_sidebar(self) -> None:
        if self.has_class("-narrow"):
            self.sidebar_narrow = not self.sidebar_narrow
            if self.sidebar_narrow and not self.reading:
                self.notify("The sidebar shows while reading an article.", markup=False)
        else:
            self.sidebar_wide = not self.sidebar_wide
        self._apply_layout()

    @property
    def sidebar_shown(self) -> bool:
        if self.has_class("-narrow"):
            return self.reading and self.sidebar_narrow
        return self.sidebar_wide

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen  # loaded on first use, not before the first paint

        self.app.push_screen(HelpScreen(self.services.config.keys))

    # -- search -----------------------------------------------------------------------------------

    def action_search(self) -> None:
        from tui.screens.search import SearchScreen  # loaded on first use, not before the first paint

        def done(query: str | None) -> None:
            if query:
                self.run_search(query)

        previous = self.source.query if isinstance(self.source, Search) else ""
        self.app.push_screen(SearchScreen(previous), done)

    def run_search(self, query: str) -> None:
        # Inside a feed, the search keeps to it (newsboat's `/` in an article list); a search from
        # a search keeps the feed it kept to.
        feed_id = self.source.feed_id if isinstance(self.source, FeedSource | Search) else None
        if not isinstance(self.source, Search):
            cursor = self.table.cursor_entry
            self._before.append((self.source, cursor.id if cursor else None))
        self.reading = False
        self.show_source(Search(query, feed_id))
        self.table.focus()

    # -- refresh ----------------------------------------------------------------------------------

    @property
    def _searching(self) -> bool:
        source = self.source.inner if isinstance(self.source, Filtered) else self.source
        return isinstance(source, Search)

    def _acted_on(self) -> Source:
        """What r and A act on: the feed (or view) under the feeds pane's cursor while that pane
        has focus, as in newsboat's feed list; else the list shown."""
        shown = self.source.inner if isinstance(self.source, Filtered) else self.source
        highlighted = self.feed_list.highlighted_source if self.feed_list.has_focus else None
        return highlighted if highlighted is not None and highlighted != shown else self.source

    def action_refresh_feed(self) -> None:
        acted_on = self._acted_on()
        source = acted_on.inner if isinstance(acted_on, Filtered) else acted_on
        feed = self.feed_list.feeds.get(source.feed_id) if isinstance(source, FeedSource) else None
        if feed is not None and feed.synced:
            # The server fetches a synced feed: what r can do is sync (a refresh skips the feed).
            if jobs.sync_server(self.services) is None:
                self.notify("The sync server fetches this feed: newswire sync brings its new articles.",
                            markup=False)
                return
            self.refresh_feeds([feed], force=True, everything=True)
            return
        self.refresh_feeds([feed] if feed else None, force=True)

    def action_refresh_all(self) -> None:
        self.refresh_feeds(None, force=True)

    def refresh_feeds(
        self, feeds: list[Feed] | None, *, force: bool, quiet: bool = False, everything: bool | None = None
    ) -> None:
        """Refresh `feeds` (all when None) in the background, with a progress bar.

        `quiet`: no summary when nothing new came and nothing failed (the refresh on start).
        `everything`: a full refresh, which syncs first (default: when `feeds` is None).
        """
        if self.refreshing:
            self.notify("A refresh is already running.", markup=False)
            return
        self.refreshing = True
        self._refresh_new_shown = 0
        chosen = feeds if feeds is not None else self.store.feeds()
        self.query_one(RefreshBar).start(len(chosen) or None)
        self._run_refresh(chosen, force, quiet, everything=feeds is None if everything is None else everything)

    @work(group="refresh")
    async def _run_refresh(self, feeds: list[Feed], force: bool, quiet: bool, everything: bool = False) -> None:
        synced = None
        if everything and (server := jobs.sync_server(self.services)) is not None:
            # Sync first (when on): the server's entries and state arrive with the local feeds'.
            self.query_one(RefreshBar).syncing(server)
            synced, notice = await jobs.sync(self.services)
            if synced is not None:
                # The server's articles show now, not after the pages the refresh fetches next.
                self.reload_feeds()
                if not self._searching:
                    self._relist()
            if notice is None:
                self._sync_warned = None
            else:
                if not (quiet and notice.text == self._sync_warned):
                    # A server that stays down is said once, not at every auto-reload tick; R always says it.
                    self.notify(notice.text, title=notice.title, severity=notice.severity, markup=False)
                    self._sync_warned = notice.text
                # With every feed the server's, the sync's warning is the news: no "0 from 0 feeds" after it.
                quiet = quiet or all(feed.synced for feed in feeds)
        try:
            report = await jobs.refresh(self.services, feeds, force=force, post=self.post_message)
        except Exception as exc:  # noqa: BLE001 - reported in the UI instead of crashing it
            self.post_message(RefreshFinished(None, error=f"{exc.__class__.__name__}: {exc}"))
            return
        self.post_message(RefreshFinished(report, quiet=quiet, synced=synced))

    def on_refresh_progress(self, message: RefreshProgress) -> None:
        if message.phase == "prefetch":
            self.query_one(RefreshBar).advance_prefetch(message.done, message.total)
            return
        self.query_one(RefreshBar).advance(message.done, message.total, message.pending)
        self.reload_feeds()
        # Rows appear as each feed lands, not when the slowest one is done.
        if message.new_so_far > self._refresh_new_shown and not self._searching:
            self._refresh_new_shown = message.new_so_far
            self._relist()

    def on_refresh_finished(self, message: RefreshFinished) -> None:
        self.refreshing = False
        self.query_one(RefreshBar).finish()
        self.reload_feeds()
        self._load_updated()
        if not self._searching:
            self._relist()
        auto, self.auto_reloading = self.auto_reloading, False
        if auto:
            # An auto-reload speaks only when something new came; failures show in the feeds pane.
            if message.report is not None and message.new_entries:
                self.notify(display.new_articles(message.new_entries), title="Auto-reload", markup=False)
            return
        if message.report is None:
            self.notify(display.message(f"Refresh failed: {message.error}"), severity="error", markup=False)
            return
        report = message.report
        if message.quiet and not report.failed and not message.new_entries:
            return
        self.notify(display.refresh_summary(report, message.synced), title="Refresh",
                    severity="warning" if report.failed else "information", markup=False,
                    timeout=8 if report.failed else 4)

    # -- filters, auto-reload, enclosures ---------------------------------------------------------

    def action_filter(self) -> None:
        """Ask for a filter expression over the shown list (its history survives restarts)."""
        from tui.screens.filter import FilterHistory, FilterScreen  # on first use, not before the first paint

        if self._filter_history is None:
            self._filter_history = FilterHistory(jobs.filter_history_path(self.services))
        current = self.source.expression if isinstance(self.source, Filtered) else ""

        def done(expression: str | None) -> None:
            if expression is None:
                return
            if expression:
                self.apply_filter(expression)
            else:
                self.clear_filter()

        inner = self.source.inner if isinstance(self.source, Filtered) else self.source
        self.app.push_screen(FilterScreen(self._filter_history, current, self._source_title(inner).plain), done)

    def apply_filter(self, expression: str) -> None:
        """List only the shown source's entries that match `expression` (a valid one)."""
        inner = self.source.inner if isinstance(self.source, Filtered) else self.source
        cursor = self.table.cursor_entry
        self.reading = False
        self.show_source(Filtered(inner, expression), cursor.id if cursor else None)
        self.table.focus()

    def clear_filter(self) -> None:
        if not isinstance(self.source, Filtered):
            return
        cursor = self.table.cursor_entry
        self.show_source(self.source.inner, cursor.id if cursor else None)
        self.table.focus()

    def action_clear_filter(self) -> None:
        if not isinstance(self.source, Filtered):
            self.notify("The list has no filter.", markup=False)
            return
        self.clear_filter()

    def auto_reload(self) -> None:
        """The `[fetch] auto_reload` tick: refresh quietly, unless a refresh is running already."""
        if self.refreshing:
            return
        feeds = jobs.auto_reload_feeds(self.services)
        if not feeds:
            return
        self.auto_reloading = True
        self.refresh_feeds(feeds, force=True, quiet=True, everything=True)

    def action_play_enclosure(self) -> None:
        entry = self.target()
        if entry is None:
            self.notify("Choose an article to play.", severity="warning", markup=False)
            return
        notice, player = jobs.play(self.services, entry)
        self.notify(notice.text, title=notice.title, severity=notice.severity, markup=False)
        if player is not None:
            self._wait_for_player(player)

    def _wait_for_player(self, player: subprocess.Popen[bytes]) -> None:
        # A daemon thread, not a worker: quitting while a podcast plays must not wait for its end.
        import threading

        app = self.app

        def wait() -> None:
            notice = jobs.player_ended(player)
            if notice is None:
                return
            try:
                app.call_from_thread(app.notify, notice.text, title=notice.title, severity=notice.severity,
                                     markup=False)
            except RuntimeError:
                pass  # the app has closed since

        threading.Thread(target=wait, name="player", daemon=True).start()

    def action_download_enclosure(self) -> None:
        entry = self.target()
        if entry is None:
            self.notify("Choose an article to download.", severity="warning", markup=False)
            return
        self._queue_download(entry)

    @property
    def downloads(self) -> DownloadQueue:
        if self._downloads is None:
            from tui.core.feeds import DownloadQueue  # loads httpx: on the first download

            fetch = self.services.config.fetch
            self._downloads = DownloadQueue(on_change=self._download_changed,
                                            connect_timeout=fetch.connect_timeout, read_timeout=fetch.read_timeout)
        return self._downloads

    @work(group="download-plan")
    async def _queue_download(self, entry: Entry) -> None:
        added = await jobs.download(self.services, self.downloads, entry)
        if not added:
            self.notify("This article has no enclosure to download.", severity="warning", markup=False)
            return
        names = ", ".join(job.target.name for job in added)
        # One download at a time: while one runs, the new ones wait their turn.
        doing = "Queued" if self._downloading else "Downloading"
        self.notify(display.message(f"{doing} {names} (press {self.key_of('show_downloads')} to follow it)"),
                    title="Download", markup=False)
        self._start_downloads()

    def _start_downloads(self) -> None:
        if not self._downloading:
            self._downloading = True
            self._run_downloads()

    @work(group="downloads")
    async def _run_downloads(self) -> None:
        # One at a time, in order; jobs queued while it runs are taken by the same loop.
        try:
            await self.downloads.run()
        finally:
            self._downloading = False

    def _download_changed(self, job: DownloadJob) -> None:
        # Called on the UI's loop by the queue at each step; only the ends are worth a notification.
        if job.state == "failed":
            self.notify(display.message(f"{job.target.name}: {job.error}"), title="Download failed",
                        severity="error", markup=False, timeout=8)
        elif job.state == "done" and job.result is not None and job.result.existed:
            self.notify(display.message(f"Already downloaded: {job.target}"), title="Download", markup=False)
        elif job.state == "done":
            self.notify(display.message(f"Saved {job.target}"), title="Downloaded", markup=False)

    def retry_download(self, job: DownloadJob) -> None:
        """Queue a failed download again: it resumes from its .part file."""
        self.downloads.add(job.entry_id, job.url, job.target)
        self._start_downloads()

    def action_show_downloads(self) -> None:
        from tui.screens.downloads import DownloadsScreen  # on first use, not before the first paint

        self.app.push_screen(DownloadsScreen(self.download_jobs, self.retry_download,
                                             str(jobs.downloads_dir(self.services))))

    def download_jobs(self) -> list[DownloadJob]:
        return self._downloads.jobs if self._downloads is not None else []
