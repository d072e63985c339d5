"""The main screen: feeds · entries · reader · sidebar, and every reading key."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.reactive import reactive
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Footer, Header, Label, OptionList, ProgressBar, Static

from tui import display
from tui.core.models import Article, Entry, Feed, Reading
from tui.messages import ArticleReady, RefreshFinished, RefreshProgress
from tui.widgets.entries import FIRST_ROWS, EntryTable
from tui.widgets.feeds import ALL, STARRED, FeedList, feed_option_id
from tui.widgets.reader import MENTION, ArticleView
from tui.widgets.sidebar import Sidebar

if TYPE_CHECKING:
    from tui.app import NewswireApp

SEARCH = "search"
LOADING_DELAY = 0.15  # seconds before a loading article shows the loading indicator
WIDE = 120  # columns from which every pane shows side by side


class MainScreen(Screen[None]):
    """Feeds on the left, entries and the reader in the middle, the sidebar on the right.

    Below 120 columns the reader takes the whole width while reading and the sidebar is toggled.
    """

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (WIDE, "-wide")]

    # Descriptions are short for the footer; tooltips say more, in the help screen.
    BINDINGS = [
        Binding("j", "down", "Down", id="down", show=False, tooltip="Move down / scroll down"),
        Binding("k", "up", "Up", id="up", show=False, tooltip="Move up / scroll up"),
        Binding("J", "next_article", "Next", id="next_article", show=False, tooltip="Next article"),
        Binding("K", "previous_article", "Previous", id="previous_article", show=False, tooltip="Previous article"),
        Binding("n", "next_unread", "Next unread", id="next_unread", show=False, tooltip="Open the next unread article"),
        Binding("N", "previous_unread", "Previous unread", id="previous_unread", show=False,
                tooltip="Open the previous unread article"),
        Binding("g", "top", "Top", id="top", show=False, tooltip="Go to the top"),
        Binding("G", "bottom", "Bottom", id="bottom", show=False, tooltip="Go to the bottom"),
        Binding("enter", "open", "Open", id="open", show=False, tooltip="Open the article (or the feed)"),
        Binding("o", "open_browser", "Browser", id="open_browser", show=False, tooltip="Open the article's page in the browser"),
        Binding("s", "save", "Save", id="save", tooltip="Save the cleaned article to a file"),
        Binding("r", "refresh_feed", "Refresh feed", id="refresh_feed", show=False, tooltip="Refresh the shown feed"),
        Binding("R", "refresh_all", "Refresh", id="refresh_all", tooltip="Refresh all feeds"),
        Binding("slash", "search", "Search", id="search", tooltip="Search titles and article text"),
        Binding("u", "unread_only", "Unread", id="unread_only", tooltip="List only unread articles (toggle)"),
        Binding("m", "toggle_read", "Read", id="toggle_read", show=False, tooltip="Mark the article read / unread"),
        Binding("f", "toggle_star", "Star", id="toggle_star", show=False, tooltip="Star / unstar the article"),
        Binding("A", "mark_feed_read", "All read", id="mark_feed_read", show=False, tooltip="Mark the listed feed read"),
        Binding("y", "copy_link", "Copy link", id="copy_link", show=False, tooltip="Copy the article's link"),
        Binding("i,b", "toggle_sidebar", "Sidebar", id="toggle_sidebar", tooltip="Show / hide quotes and places"),
        Binding("t", "next_theme", "Theme", id="next_theme", show=False, tooltip="Switch to the next theme (saved)"),
        Binding("tab", "app.focus_next", "Next pane", id="focus_next", show=False, tooltip="Focus the next pane"),
        Binding("shift+tab", "app.focus_previous", "Previous pane", id="focus_previous", show=False,
                tooltip="Focus the previous pane"),
        Binding("question_mark", "help", "Help", id="help", tooltip="Show every key"),
        Binding("q", "back", "Back", id="back", tooltip="Back to the list; quit from the list"),
        Binding("escape", "close", "Close", id="close", show=False, tooltip="Back to the list / leave search"),
    ]

    reading: reactive[bool] = reactive(False)
    unread_only: reactive[bool] = reactive(False)

    def __init__(self) -> None:
        super().__init__()
        self.source: str = ALL
        self.current: Entry | None = None
        self.search_query = ""
        self._before_search: tuple[str, int | None] | None = None
        self._refreshing = False
        self._list_generation = 0
        self._loading_timer: Timer | None = None
        self.sidebar_wide = True  # the sidebar's state on wide screens (from the config)
        self.sidebar_narrow = False  # and on narrow ones, where it shares the reader's width

    @property
    def newswire(self) -> NewswireApp:
        return self.app  # type: ignore[return-value]

    # -- layout -----------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        # Textual sets the breakpoint class on the first resize, restyling every widget; set now,
        # it is already there when the panes are first styled.
        self.add_class("-wide" if self.app.size.width >= WIDE else "-narrow")
        yield Header()
        with Horizontal(id="panes"):
            with Vertical(id="feeds-pane"):
                yield FeedList(id="feeds")
                yield Static(Content(""), id="feed-status")
            with Vertical(id="middle"):
                yield EntryTable(id="entries")
                yield ArticleView(id="reader")
            yield Sidebar(id="sidebar")
        # The row's widgets are mounted by the first refresh: hidden widgets still cost styling.
        yield Horizontal(id="progress")
        yield Footer()

    def on_mount(self) -> None:
        config = self.newswire.config
        self.sidebar_wide = config.reader.sidebar
        self.query_one("#feeds-pane").border_title = Content("Feeds")
        self.query_one(ArticleView).border_title = Content("Article")
        self.query_one(Sidebar).border_title = Content("Quotes & places")
        self.set_reactive(MainScreen.unread_only, config.reader.unread_only)
        self.reload_feeds()
        self.show_source(ALL)
        self.query_one(EntryTable).focus()
        self.call_after_refresh(self._warm_up)

    @work(thread=True, group="warm-up")
    def _warm_up(self) -> None:
        # The gazetteer and the cleaner load on first use; load them now, not on the first open.
        from tui.core.article import article_from_text
        from tui.core.reading import read_article

        read_article(article_from_text("“Yes,” she said in Paris.", title="Warm-up"))

    def watch_reading(self) -> None:
        self._apply_layout()

    def on_resize(self) -> None:
        self._apply_layout()

    def _apply_layout(self) -> None:
        """Show the panes that fit: all side by side when wide; the list or the article when narrow."""
        narrow = self.has_class("-narrow")
        listing = not (narrow and self.reading)
        self.query_one("#feeds-pane").display = listing
        self.query_one(EntryTable).display = listing
        self.query_one(ArticleView).display = not narrow or self.reading
        self.query_one(Sidebar).display = self.sidebar_shown

    # -- lists ------------------------------------------------------------------------------------

    @property
    def table(self) -> EntryTable:
        return self.query_one(EntryTable)

    @property
    def reader(self) -> ArticleView:
        return self.query_one(ArticleView)

    @property
    def sidebar(self) -> Sidebar:
        return self.query_one(Sidebar)

    def reload_feeds(self) -> None:
        store = self.newswire.store
        self.query_one(FeedList).show(store.feeds(), store.count_entries(starred_only=True))
        self._show_feed_status()

    def _entry_query(self) -> dict[str, Any]:
        query: dict[str, Any] = {"unread_only": self.unread_only}
        if self.source == STARRED:
            query["starred_only"] = True
        elif self.source.isdigit():
            query["feed_id"] = int(self.source)
        return query

    def show_source(self, source: str, keep: int | None = None) -> None:
        """List the entries of `source` (ALL, STARRED or a feed id): a screenful now, the rest soon."""
        self.source = source
        self._list_generation += 1
        if source == SEARCH:
            results = self.newswire.store.search(self.search_query)
            if self.unread_only:
                results = [e for e in results if not e.read]
            self.table.set_entries(results, keep)
        else:
            query = self._entry_query()
            first = self.newswire.store.entries(**query, limit=FIRST_ROWS)
            self.table.set_entries(first, keep)
            if len(first) == FIRST_ROWS:
                self._load_rest(query, self._list_generation, keep)
        self._title_entries()

    @work(thread=True, exclusive=True, group="entries")
    def _load_rest(self, query: dict[str, Any], generation: int, keep: int | None) -> None:
        entries = self.newswire.store.entries(**query)
        self.app.call_from_thread(self._extend, generation, entries, keep)

    def _extend(self, generation: int, entries: list[Entry], keep: int | None) -> None:
        if generation != self._list_generation:
            return
        table = self.table
        had_keep = keep is not None and table.index_of(keep) is not None
        table.extend(entries)
        if keep is not None and not had_keep and (index := table.index_of(keep)) is not None:
            table.move_to(index)
        self._title_entries()

    def _title_entries(self) -> None:
        if self.source == SEARCH:
            title = Content.assemble(
                "Search “", display.plain(self.search_query), f"”: {len(self.table.entries)} found · escape returns"
            )
        elif self.source == STARRED:
            title = Content("Starred")
        elif self.source.isdigit():
            feed = self.query_one(FeedList).feeds.get(int(self.source))
            title = display.plain(feed.display_title if feed else "Feed")
        else:
            title = Content("All articles")
        if self.unread_only:
            title = Content.assemble(title, " · unread only")
        self.table.border_title = title

    def _show_feed_status(self) -> None:
        feeds = self.query_one(FeedList)
        option = feeds.highlighted_option
        self.query_one("#feed-status", Static).update(display.feed_status(feeds.feed_of(option.id if option else None)))

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_list.id == "feeds":
            self._show_feed_status()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list.id != "feeds" or event.option.id is None:
            return
        option_id = event.option.id
        self._before_search = None
        self.show_source(option_id[5:] if option_id.startswith("feed:") else option_id)
        if self.reading and self.has_class("-narrow"):
            self.reading = False
        self.table.focus()

    def open_feed(self, feed_id: int) -> None:
        """Show one feed's entries (the palette's "feed: open …")."""
        feeds = self.query_one(FeedList)
        feeds.highlighted = feeds.get_option_index(feed_option_id(feed_id))
        self._before_search = None
        self.reading = False
        self.show_source(str(feed_id))
        self.table.focus()

    # -- reading ----------------------------------------------------------------------------------

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if isinstance(event.data_table, EntryTable):
            event.stop()
            entry = self.table.cursor_entry
            if entry is not None:
                self.open_entry(entry)

    def open_entry(self, entry: Entry) -> None:
        """Show `entry` in the reader (marking it read); its article loads off the UI thread."""
        if not entry.read:
            self.newswire.store.set_read([entry.id], True)
            entry = replace(entry, read=True)
            self.table.update_entry(entry)
            self.call_after_refresh(self.reload_feeds)
        self.current = entry
        self.reading = True
        self.reader.focus()
        # A cached article shows at once; the loading indicator is only for a slow one (a page fetch).
        self._stop_loading()
        self._loading_timer = self.set_timer(LOADING_DELAY, self._start_loading)
        self._load_article(entry)

    def _start_loading(self) -> None:
        self.reader.loading = True

    def _stop_loading(self) -> None:
        if self._loading_timer is not None:
            self._loading_timer.stop()
            self._loading_timer = None
        self.reader.loading = False

    @work(exclusive=True, group="article")
    async def _load_article(self, entry: Entry) -> None:
        from tui.core.reading import load_reading

        app = self.newswire
        try:
            fetcher = await app.get_fetcher()
            reading = await load_reading(app.store, fetcher, entry, full_text=app.config.reader.full_text)
        except Exception as exc:  # noqa: BLE001 - a broken page must not take the app down
            reading = Reading(Article(title=entry.title, url=entry.link, reason=f"This article could not be shown: {exc}"))
        self.post_message(ArticleReady(entry, reading.article, list(reading.quotes), list(reading.places)))

    def on_article_ready(self, message: ArticleReady) -> None:
        if self.current is None or message.entry.id != self.current.id:
            return
        self._stop_loading()
        self.reader.show(message.entry, message.article)
        self.sidebar.show(message.quotes, message.places)
        if message.article.reason and message.article.is_empty:
            self.notify(display.message(message.article.reason), severity="warning", markup=False)

    def on_sidebar_quote_chosen(self, message: Sidebar.QuoteChosen) -> None:
        self.reader.highlight([(message.quote.start, message.quote.end)])

    def on_sidebar_place_chosen(self, message: Sidebar.PlaceChosen) -> None:
        self.reader.highlight(list(message.place.spans), component=MENTION)

    def close_reader(self) -> None:
        self.reading = False
        self._stop_loading()
        self.table.focus()

    # -- actions: moving --------------------------------------------------------------------------

    def action_down(self) -> None:
        self._move("cursor_down", "scroll_down")

    def action_up(self) -> None:
        self._move("cursor_up", "scroll_up")

    def action_top(self) -> None:
        focused = self.focused
        if isinstance(focused, EntryTable):
            if focused.entries:
                focused.move_to(0)
        elif isinstance(focused, OptionList):
            focused.action_first()
        elif focused is not None:
            focused.scroll_home(animate=False)

    def action_bottom(self) -> None:
        focused = self.focused
        if isinstance(focused, EntryTable):
            if focused.entries:
                focused.move_to(len(focused.entries) - 1)
        elif isinstance(focused, OptionList):
            focused.action_last()
        elif focused is not None:
            focused.scroll_end(animate=False)

    def _move(self, cursor_action: str, scroll_action: str) -> None:
        focused = self.focused
        if focused is None:
            return
        if isinstance(focused, DataTable | OptionList):
            getattr(focused, f"action_{cursor_action}")()
        else:
            getattr(focused, f"action_{scroll_action}")()

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

    def action_open(self) -> None:
        focused = self.focused
        if isinstance(focused, OptionList):
            focused.action_select()
            return
        entry = self.table.cursor_entry
        if entry is not None:
            self.open_entry(entry)

    def action_back(self) -> None:
        if not self.action_close():
            self.app.exit()

    def action_close(self) -> bool:
        """Leave the reader, else the search results; False when there was nothing to leave."""
        if self.reading:
            self.close_reader()
        elif self.source == SEARCH:
            self.end_search()
        else:
            return False
        return True

    # -- actions: the chosen entry ----------------------------------------------------------------

    def target(self) -> Entry | None:
        """The entry the article keys act on: the one being read, else the one under the cursor."""
        if self.reading and self.current is not None:
            return self.current
        return self.table.cursor_entry

    def _changed(self, entry: Entry) -> None:
        self.table.update_entry(entry)
        if self.current is not None and self.current.id == entry.id:
            self.current = entry
        self.reload_feeds()

    def action_toggle_read(self) -> None:
        entry = self.target()
        if entry is None:
            return
        self.newswire.store.set_read([entry.id], not entry.read)
        self._changed(replace(entry, read=not entry.read))

    def action_toggle_star(self) -> None:
        entry = self.target()
        if entry is None:
            return
        self.newswire.store.set_starred([entry.id], not entry.starred)
        self._changed(replace(entry, starred=not entry.starred))
        self.notify("Starred." if not entry.starred else "Star removed.", markup=False)

    def action_mark_feed_read(self) -> None:
        store = self.newswire.store
        if self.source.isdigit():
            count = store.mark_feed_read(int(self.source))
        else:
            count = store.set_read([e.id for e in self.table.entries if not e.read], True)
        keep = self.table.cursor_entry
        self.reload_feeds()
        self.show_source(self.source, keep.id if keep else None)
        self.notify(f"Marked {count} article{'s' if count != 1 else ''} read.", markup=False)

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
        self.newswire.open_in_browser(entry.link)

    def action_save(self) -> None:
        entry = self.target()
        if entry is None:
            self.notify("Choose an article to save.", severity="warning", markup=False)
            return
        self._save(entry)

    @work(group="save")
    async def _save(self, entry: Entry) -> None:
        from tui.core.reading import load_reading, save_reading

        app = self.newswire
        reading = await load_reading(app.store, await app.get_fetcher(), entry, full_text=app.config.reader.full_text)
        article = reading.article
        if article.is_empty:
            self.notify(display.message(article.reason or "This article has no text to save."), severity="warning", markup=False)
            return
        directory = app.save_dir
        try:
            path = await asyncio.to_thread(save_reading, reading, directory, app.config.save.format, entry=entry)
        except OSError as exc:
            self.notify(display.message(f"Could not save in {directory}: {exc.strerror or exc}"), severity="error", markup=False)
            return
        await asyncio.to_thread(app.store.record_save, entry.id, path)
        self.notify(display.message(f"Saved to {path}"), title="Saved", markup=False)

    # -- actions: view ----------------------------------------------------------------------------

    def action_unread_only(self) -> None:
        self.unread_only = not self.unread_only
        keep = self.table.cursor_entry
        self.show_source(self.source, keep.id if keep else None)

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

    def action_next_theme(self) -> None:
        self.newswire.next_theme()

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen  # loaded on first use, not before the first paint

        self.app.push_screen(HelpScreen(self.help_rows()))

    def help_rows(self) -> list[tuple[str, str, str]]:
        """(keys, what they do, binding id) for every binding here, this screen's first.

        Keys are shown as the keymap made them; the id is what `[keys]` in the config remaps.
        """
        rows: dict[str, tuple[list[str], str]] = {}
        # The binding chain (focused widget, its containers, this screen, the app) has the keymap
        # applied; active_bindings would hide the screen's keys that a focused widget shadows.
        chain = sorted(self._binding_chain, key=lambda link: link[0] is not self)
        for _node, bindings in chain:
            for binding_list in bindings.key_to_bindings.values():
                for binding in binding_list:
                    description = binding.tooltip or binding.description
                    if not description:
                        continue
                    keys, _ = rows.setdefault(description, ([], binding.id or ""))
                    shown = self.app.get_key_display(binding)
                    if shown not in keys:
                        keys.append(shown)
        rows.setdefault("Command palette", (["ctrl+p"], ""))
        return [(" ".join(keys), description, ident) for description, (keys, ident) in rows.items()]

    # -- search -----------------------------------------------------------------------------------

    def action_search(self) -> None:
        from tui.screens.search import SearchScreen  # loaded on first use, not before the first paint

        def done(query: str | None) -> None:
            if query:
                self.run_search(query)

        self.app.push_screen(SearchScreen(self.search_query), done)

    def run_search(self, query: str) -> None:
        if self.source != SEARCH:
            cursor = self.table.cursor_entry
            self._before_search = (self.source, cursor.id if cursor else None)
        self.search_query = query
        self.reading = False
        self.show_source(SEARCH)
        self.table.focus()
        if not self.table.entries:
            self.notify(display.message(f"Nothing found for “{query}”."), markup=False)

    def end_search(self) -> None:
        source, keep = self._before_search or (ALL, None)
        self._before_search = None
        self.show_source(source, keep)
        self.table.focus()

    # -- refresh ----------------------------------------------------------------------------------

    def action_refresh_feed(self) -> None:
        feed = self.query_one(FeedList).feeds.get(int(self.source)) if self.source.isdigit() else None
        self.refresh_feeds([feed] if feed else None, force=True)

    def action_refresh_all(self) -> None:
        self.refresh_feeds(None, force=True)

    def refresh_feeds(self, feeds: list[Feed] | None, *, force: bool, quiet: bool = False) -> None:
        """Refresh `feeds` (all when None) in the background, with a progress bar.

        `quiet`: no summary when nothing new came and nothing failed (the refresh on start).
        """
        if self._refreshing:
            self.notify("A refresh is already running.", markup=False)
            return
        self._refreshing = True
        progress = self.query_one("#progress")
        if not progress.children:
            progress.mount_all(
                [Label(Content(""), id="progress-label"), ProgressBar(id="progress-bar", show_eta=False)]
            )
        self.add_class("-refreshing")
        self.query_one("#progress-label", Label).update(Content("Refreshing…"))
        self.query_one(ProgressBar).update(total=None, progress=0)
        self._run_refresh(feeds, force, quiet)

    @work(group="refresh")
    async def _run_refresh(self, feeds: list[Feed] | None, force: bool, quiet: bool) -> None:
        from tui.core.feeds.refresh import refresh_feeds

        app = self.newswire

        def progress(done: int, total: int, feed: Feed, outcome: Any) -> None:
            self.post_message(RefreshProgress(done, total, feed, outcome))

        try:
            fetcher = await app.get_fetcher()
            report = await refresh_feeds(
                app.store, fetcher, feeds, force=force, progress=progress,
                default_interval=app.config.fetch.refresh_interval,
            )
        except Exception as exc:  # noqa: BLE001 - reported in the UI instead of crashing it
            self.post_message(RefreshFinished(None, error=f"{exc.__class__.__name__}: {exc}"))
            return
        self.post_message(RefreshFinished(report, quiet=quiet))

    def on_refresh_progress(self, message: RefreshProgress) -> None:
        self.query_one(ProgressBar).update(total=message.total, progress=message.done)
        name = display.plain(getattr(message.feed, "display_title", "") or "")
        self.query_one("#progress-label", Label).update(
            Content.assemble(f"Refreshing {message.done}/{message.total} · ", name)
        )
        self.reload_feeds()

    def on_refresh_finished(self, message: RefreshFinished) -> None:
        self._refreshing = False
        self.remove_class("-refreshing")
        self.reload_feeds()
        if self.source != SEARCH:
            cursor = self.table.cursor_entry
            self.show_source(self.source, cursor.id if cursor else None)
        if message.report is None:
            self.notify(display.message(f"Refresh failed: {message.error}"), severity="error", markup=False)
            return
        if message.quiet and not message.report.failed and not message.report.new_entries:
            return
        self.notify(display.message(refresh_summary(message.report)), title="Refresh",
                    severity="warning" if message.report.failed else "information", markup=False,
                    timeout=8 if message.report.failed else 4)


def refresh_summary(report: Any) -> str:
    """What a refresh did, with one line per failed feed and its reason."""
    checked = len(report.outcomes) - len(report.skipped)
    lines = [f"{report.new_entries} new article{'s' if report.new_entries != 1 else ''} from {checked} feed{'s' if checked != 1 else ''}."]
    if report.failed:
        lines.append(f"{len(report.failed)} failed:")
        for outcome in report.failed[:5]:
            lines.append(f"{outcome.feed.display_title}: {outcome.error or outcome.describe()}")
        if len(report.failed) > 5:
            lines.append(f"…and {len(report.failed) - 5} more (marked ! in the feeds pane).")
    return "\n".join(lines)
