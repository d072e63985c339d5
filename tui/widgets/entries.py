"""The entry list: a virtual table of light entries (or one row per story) that renders only the rows on screen."""

from __future__ import annotations

from array import array
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual._segment_tools import line_crop  # DataTable's own crop (textual is pinned)
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size, Spacing
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui import display
from tui.actions import bindings
from tui.core.models import Entry

if TYPE_CHECKING:
    from tui.core.stories import Story

__all__ = ["FIRST_ROWS", "EntryList", "EntryTable"]

FIRST_ROWS = 120  # the first query: enough to fill a tall terminal; the rest is read in a thread
DATE_WIDTH = 8
NARROW = 90  # a table narrower than this gives the feed name less room
OUTLETS_WIDTH = 10  # "12 outlets"
OUTLETS_NARROW = 3  # "12×", in a table narrower than COMPACT, where the title needs the room
COMPACT = 70
CELL_PADDING = 1  # cells on each side of a cell's text, as DataTable's default
LINE_CACHE = 400  # rendered rows kept (a few screens)


class EntryList(Sequence[Entry]):
    """A long list of light entries kept in columns; an Entry is made when one is looked at.

    100,000 Entry objects cost ~1 KB each (each with its own feed title, URL, author strings);
    here ~0.35 KB, strings of the same feed shared. Fed with Store.light_rows tuples.
    """

    __slots__ = ("_authors", "_feed_ids", "_feed_titles", "_feed_urls", "_flags", "_guids", "_ids", "_links",
                 "_published", "_titles", "_updated")

    def __init__(self, entries: Iterable[Entry] = ()) -> None:
        self._ids = array("q")
        self._feed_ids = array("q")
        self._flags = bytearray()  # bit 0: read, bit 1: starred
        self._guids: list[str] = []
        self._titles: list[str] = []
        self._links: list[str | None] = []
        self._authors: list[str | None] = []
        self._published: list[datetime | None] = []
        self._updated: list[datetime | None] = []
        self._feed_titles: list[str] = []
        self._feed_urls: list[str] = []
        for entry in entries:
            self.append(entry)

    def append(self, entry: Entry) -> None:
        self.add_rows([(entry.id, entry.feed_id, entry.guid, entry.title, entry.link, entry.author, entry.published,
                        entry.updated, entry.read, entry.starred, entry.feed_title, entry.feed_url)])

    def add_rows(self, rows: Iterable[tuple[object, ...]], skip: Collection[int] = ()) -> None:
        """Append Store.light_rows tuples (but not those whose id is in `skip`)."""
        for row in rows:
            if row[0] in skip:
                continue
            self._ids.append(row[0])  # type: ignore[arg-type]
            self._feed_ids.append(row[1])  # type: ignore[arg-type]
            self._guids.append(row[2])  # type: ignore[arg-type]
            self._titles.append(row[3])  # type: ignore[arg-type]
            self._links.append(row[4])  # type: ignore[arg-type]
            self._authors.append(row[5])  # type: ignore[arg-type]
            self._published.append(row[6])  # type: ignore[arg-type]
            self._updated.append(row[7])  # type: ignore[arg-type]
            self._flags.append(bool(row[8]) | bool(row[9]) << 1)
            self._feed_titles.append(row[10])  # type: ignore[arg-type]
            self._feed_urls.append(row[11])  # type: ignore[arg-type]

    def __len__(self) -> int:
        return len(self._ids)

    def _at(self, i: int) -> Entry:
        flags = self._flags[i]
        return Entry(id=self._ids[i], feed_id=self._feed_ids[i], guid=self._guids[i], title=self._titles[i],
                     link=self._links[i], author=self._authors[i], published=self._published[i],
                     updated=self._updated[i], read=bool(flags & 1), starred=bool(flags & 2),
                     feed_title=self._feed_titles[i], feed_url=self._feed_urls[i])

    def __getitem__(self, index: int | slice) -> Entry | list[Entry]:  # type: ignore[override]
        if isinstance(index, slice):
            return [self._at(i) for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return self._at(index)

    def __iter__(self) -> Iterator[Entry]:
        return (self._at(i) for i in range(len(self)))

    def __setitem__(self, index: int, entry: Entry) -> None:
        """Replace an entry (its read and starred state, its title…), keeping its place."""
        self._ids[index] = entry.id
        self._feed_ids[index] = entry.feed_id
        self._guids[index] = entry.guid
        self._titles[index] = entry.title
        self._links[index] = entry.link
        self._authors[index] = entry.author
        self._published[index] = entry.published
        self._updated[index] = entry.updated
        self._flags[index] = entry.read | entry.starred << 1
        self._feed_titles[index] = entry.feed_title
        self._feed_urls[index] = entry.feed_url

    def is_read(self, index: int) -> bool:
        return bool(self._flags[index] & 1)

    def index_of(self, entry_id: int) -> int | None:
        try:
            return self._ids.index(entry_id)
        except ValueError:
            return None

    def ids(self) -> array[int]:
        return self._ids


def _cell_segments(console: Console, cell: Text, width: int, pre: Style, post: Style) -> list[Segment]:
    """One cell of one line, as DataTable draws a Text cell of a height-1 row, without its layers.

    DataTable renders Styled(Padding(cell, (0, 1)), pre, post) through the console at no_wrap:
    the text truncated to the width with its overflow (Text.wrap), padded, each piece's style
    laid over `pre` and under `post`. The same pieces directly cost ~1/5 of the time (a row was
    ~1 ms of CPU; a tall terminal draws 46 at start-up and again when the focus moves).
    """
    line = cell
    if cell.cell_len > width:
        line = cell.copy()
        line.truncate(width, overflow=cell.overflow or "fold")
    pad = pre + post
    out = [Segment(" " * CELL_PADDING, pad)]
    if line.spans:
        out.extend(Segment(seg.text, pre + seg.style + post) for seg in line.render(console) if seg.text)
    elif line.plain:
        # Text.render leaves a text without spans unstyled (Text.__rich_console__ styles it).
        out.append(Segment(line.plain, pre + console.get_style(line.style, default=Style.null()) + post))
    fill = width - line.cell_len
    if fill > 0:
        out.append(Segment(" " * fill, pad))
    out.append(Segment(" " * CELL_PADDING, pad))
    return out


class Column:
    """A column: its key, header label and width in cells (which follows the table's).

    A plain class: no dataclass methods compiled at import (nothing compares or prints columns).
    """

    __slots__ = ("key", "label", "width")

    def __init__(self, key: str, label: Text, width: int) -> None:
        self.key = key
        self.label = label
        self.width = width

    @property
    def render_width(self) -> int:
        return self.width + 2 * CELL_PADDING


class EntryTable(ScrollView, can_focus=True):
    """Entries newest first, one row each; enter posts `EntryTable.Opened`.

    With `stories` given, a row may stand for a whole story (its best copy, with an Outlets column).

    It looks and moves as Textual's DataTable with a row cursor (same component classes and key
    bindings), but keeps no per-row objects: a row is rendered from its Entry when it scrolls into
    view. A DataTable of 10,000 rows cost ~5 KB per row, seconds to fill, and any cell update
    made its next paint walk every row; here 100,000 entries list at once.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor_up", "Cursor up", show=False),
        Binding("down", "cursor_down", "Cursor down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("ctrl+home", "top", "Top", show=False),
        Binding("ctrl+end", "bottom", "Bottom", show=False),
        Binding("home", "scroll_home", "Home", show=False),
        Binding("end", "scroll_end", "End", show=False),
        *bindings("list"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "datatable--cursor",
        "datatable--hover",
        "datatable--header",
        "datatable--header-hover",
    }

    # DataTable's own rules (textual 8.2.8) for the parts a row-cursor table uses.
    DEFAULT_CSS = """
    EntryTable {
        background: $surface;
        color: $foreground;
        height: auto;
        max-height: 100%;
        &:focus {
            background-tint: $foreground 5%;
            & > .datatable--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
            & > .datatable--header {
                background-tint: $foreground 5%;
            }
        }
        & > .datatable--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        &:ansi > .datatable--header {
            background: ansi_bright_blue;
            color: ansi_default;
        }
        & > .datatable--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        & > .datatable--header-hover {
            background: $accent 30%;
        }
        & > .datatable--hover {
            background: $block-hover-background;
        }
    }
    """

    class Opened(Message):
        """The user chose an entry to read."""

        def __init__(self, entry: Entry) -> None:
            super().__init__()
            self.entry = entry

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.entries: list[Entry] | EntryList = []
        self._index: dict[int, int] = {}  # entry id → row, for a plain list (an EntryList finds its own)
        self.show_feed = True  # the Feed column; hidden inside one feed, where it says nothing new
        self.stories: dict[int, Story] | None = None  # row entry id → its story; None: the flat list
        self.changed: Collection[int] = frozenset()  # entries whose text changed since first seen
        self.columns: dict[str, Column] = {}
        self._sized = False  # the columns were fitted to the table's first size
        self._empty: tuple[Text, ...] = ()  # the lines saying why the list is empty, then what to press
        self.cursor_row = 0
        self._hover_row = -1
        self._show_hover = False
        self._now = datetime.now().astimezone()
        self._lines: dict[int, tuple[tuple[object, ...], Strip]] = {}  # row → (what it was drawn with, strip)

    def on_mount(self) -> None:
        self._add_columns()

    # -- columns ----------------------------------------------------------------------------------

    def _add_columns(self) -> None:
        feed_width, title_width = self._widths(self.outer_size.width)
        columns = [Column("marks", Text("", end=""), 2), Column("date", Text("Date", end=""), DATE_WIDTH)]
        if self.show_feed:
            columns.append(Column("feed", Text("Feed", end=""), feed_width))
        if self.stories is not None:
            columns.append(Column("outlets", Text("Outlets" if self._wide else "×", end=""),
                                  OUTLETS_WIDTH if self._wide else OUTLETS_NARROW))
        columns.append(Column("title", Text("Title", end=""), title_width))
        self.columns = {c.key: c for c in columns}
        self._resized()

    @property
    def _wide(self) -> bool:
        # The app's width until the table has its own (it may be hidden behind the reader).
        return (self.size.width or self.app.size.width) >= COMPACT

    def _widths(self, width: int) -> tuple[int, int]:
        """(feed, title) column widths for a table `width` cells wide, its border included."""
        # The title takes what the other columns leave inside the border and the scrollbar's
        # gutter, so a long title ends with its ellipsis in view, not under the scrollbar;
        # a narrow list gives the feed name less room.
        feed_width = (18 if width >= NARROW else 10) if self.show_feed else 0
        columns = 4 if self.show_feed else 3
        outlets = 0
        if self.stories is not None:
            columns += 1
            outlets = OUTLETS_WIDTH if width >= COMPACT else OUTLETS_NARROW
        room = width - self.styles.gutter.width - self.styles.scrollbar_size_vertical
        title_width = max(16, room - 2 - DATE_WIDTH - feed_width - outlets - columns * 2 * CELL_PADDING)
        return feed_width, title_width

    def on_resize(self, event: events.Resize) -> None:
        self._sized = True
        self._fit_columns()

    def _fit_columns(self) -> None:
        width = self.outer_size.width
        feed_width, title_width = self._widths(width)
        widths = {"title": title_width, **({"feed": feed_width} if self.show_feed else {})}
        if self.stories is not None:
            widths["outlets"] = OUTLETS_WIDTH if width >= COMPACT else OUTLETS_NARROW
        changed = False
        for key, value in widths.items():
            column = self.columns.get(key)
            if column is not None and column.width != value:
                column.width = value
                changed = True
        if changed:
            self._resized()

    def _resized(self) -> None:
        """The rows or columns changed: a new virtual size, every row drawn again."""
        self._lines.clear()
        width = sum(c.render_width for c in self.columns.values())
        self.virtual_size = Size(width, self.row_count + 1)  # + the header
        self.refresh()

    # -- rows -------------------------------------------------------------------------------------

    @property
    def row_count(self) -> int:
        return len(self.entries) or len(self._empty)

    @property
    def loaded(self) -> bool:
        """Every entry has its row (always: rows are drawn from the entries as they show)."""
        return True

    def set_entries(
        self, entries: Sequence[Entry], keep: int | None = None, *, show_feed: bool = True, empty: Sequence[Text] = (),
        stories: Mapping[int, Story] | None = None,
    ) -> None:
        """Show `entries`; the cursor goes to entry `keep` when listed, else the top.

        `empty` are the lines shown when there are none: why the list is empty, then what to press.
        `stories` (row entry id → story) makes it the story list, with an Outlets column.
        """
        relayout = show_feed != self.show_feed or (stories is None) != (self.stories is None)
        self.show_feed = show_feed
        self.stories = dict(stories) if stories is not None else None
        self.entries = entries if isinstance(entries, EntryList) else list(entries)
        self._index = {} if isinstance(self.entries, EntryList) else {e.id: i for i, e in enumerate(self.entries)}
        self._empty = tuple(empty) if not self.entries else ()
        self._now = datetime.now().astimezone()
        if relayout:
            self._add_columns()
            # Hidden a moment ago (the reader had the width), the table may not know its size yet.
            self.call_after_refresh(self._fit_columns)
        else:
            self._resized()
        target = (self.index_of(keep) or 0) if keep is not None else 0
        self.cursor_row = -1
        self.move_cursor(row=target, animate=False, scroll=True)

    def extend(self, entries: Sequence[Entry]) -> None:
        """Append entries not yet listed (the rest of a list whose first screenful is shown)."""
        fresh = [e for e in entries if self.index_of(e.id) is None]
        if not fresh:
            return
        for entry in fresh:
            if not isinstance(self.entries, EntryList):
                self._index[entry.id] = len(self.entries)
            self.entries.append(entry)
        self._empty = ()
        self._resized()

    def adopt(self, rest: EntryList) -> None:
        """Take `rest`, the whole list read after its first screenful was shown, kept in columns.

        Rows already listed keep their place and state (marked read meanwhile); the others follow.
        """
        current = self.entries
        count = len(current)
        ids = rest.ids()
        listed = current.ids() if isinstance(current, EntryList) else array("q", (e.id for e in current))
        if ids[:count] == listed:
            for index in range(count):
                rest[index] = current[index]
            self.entries = rest
        else:
            merged = current if isinstance(current, EntryList) else EntryList(current)
            known = set(listed)
            for index in range(len(rest)):
                if ids[index] not in known:
                    merged.append(rest[index])
            self.entries = merged
        self._index = {}
        if self.entries:
            self._empty = ()
        self._resized()

    @property
    def cursor_entry(self) -> Entry | None:
        if not self.entries or not 0 <= self.cursor_row < len(self.entries):
            return None
        return self.entries[self.cursor_row]

    def index_of(self, entry_id: int) -> int | None:
        if isinstance(self.entries, EntryList):
            return self.entries.index_of(entry_id)
        return self._index.get(entry_id)

    def _refresh_row(self, row: int) -> None:
        self._lines.pop(row, None)
        if 0 <= row < self.row_count:
            self.refresh_line(row + 1)

    def update_entry(self, entry: Entry) -> None:
        """Repaint one entry's row after its read/starred state changed."""
        index = self.index_of(entry.id)
        if index is None:
            return
        self.entries[index] = entry
        self._refresh_row(index)

    def set_story(self, row: Entry, story: Story) -> None:
        """Repaint the row of a story after the state of its copies changed."""
        if self.stories is not None and row.id in self.stories:
            self.stories[row.id] = story
        self.update_entry(row)

    def story_of(self, entry_id: int) -> Story | None:
        """The story a row stands for in the story list (None in the flat list or for an entry alone)."""
        return self.stories.get(entry_id) if self.stories is not None else None

    def set_changed(self, ids: Collection[int]) -> None:
        """Mark the rows of entries whose text changed since first seen ("updated"), unmark the rest."""
        before, self.changed = self.changed, frozenset(ids)
        for entry_id in set(before) ^ set(self.changed):
            index = self.index_of(entry_id)
            if index is not None:
                self._refresh_row(index)

    def move_cursor(self, *, row: int, animate: bool = False, scroll: bool = True) -> None:
        """Put the cursor on `row` (clamped to the rows) and into view.

        As DataTable: a cursor that moves is always scrolled into view; `scroll` does it even when
        it stays on its row.
        """
        row = max(0, min(row, len(self.entries) - 1))  # an empty list's message lines are not rows to visit
        old, self.cursor_row = self.cursor_row, row
        if old != row:
            self._refresh_row(old)
            self._refresh_row(row)
        if scroll or old != row:
            self._scroll_cursor_into_view(animate=animate)

    def _scroll_cursor_into_view(self, animate: bool = False) -> None:
        region = Region(int(self.scroll_x), self.cursor_row + 1, self.size.width, 1)
        self.scroll_to_region(region, animate=animate, spacing=Spacing(1, 0, 0, 0), force=True)

    def move_to(self, index: int) -> None:
        """Put the cursor on row `index`."""
        self.move_cursor(row=index, animate=False, scroll=True)

    def find(self, start: int, step: int, unread: bool) -> int | None:
        """The next row from `start` (exclusive) in direction `step`, optionally only unread ones."""
        entries = self.entries
        index = start + step
        while 0 <= index < len(entries):
            if not unread or not (entries.is_read(index) if isinstance(entries, EntryList) else entries[index].read):
                return index
            index += step
        return None

    # -- drawing ----------------------------------------------------------------------------------

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._lines.clear()  # a theme or focus change: every row in its new colours

    def _cells(self, row: int) -> list[Text]:
        entry = self.entries[row]
        story = self.stories.get(entry.id) if self.stories is not None else None
        # A story's row is its best copy standing where its newest copy is listed: the newest copy's
        # date, or the date column would run out of order.
        marks, date, feed, title = display.entry_cells(
            entry, self._now, updated=entry.id in self.changed, when=story.last_seen if story else None
        )
        cells = [marks, date] + ([feed] if self.show_feed else [])
        if self.stories is not None:
            cells.append(display.outlet_count(story, compact=not self._wide))
        cells.append(title)
        return cells

    def _component(self, header: bool, hover: bool, cursor: bool) -> Style:
        # As DataTable._get_styles_to_render_cell for a row cursor.
        style = Style()
        if hover and self._show_hover:
            style += self.get_component_rich_style("datatable--hover")
            if header:
                style += self.get_component_rich_style("datatable--header-hover")
        if cursor:
            style += self.get_component_rich_style("datatable--cursor")
        return style

    def _draw(self, row: int, base_style: Style) -> Strip:
        """Row `row` (-1: the header) as one line, drawn as DataTable draws a row of Text cells."""
        header = row == -1
        cursor = not header and row == self.cursor_row
        hover = row == self._hover_row
        component = self._component(header, hover, cursor)
        # The cursor's colour comes from the CSS (DataTable's cursor_foreground_priority="css").
        post = Style.from_color(color=component.color)
        row_style = self.get_component_styles("datatable--header").rich_style if header else base_style
        columns = list(self.columns.values())
        if header:
            cells = [(c.width, c.label) for c in columns]
        elif not self.entries:
            # A line of the empty list's message spans every column, so it is whole on a small screen.
            cells = [(sum(c.render_width for c in columns) - 2 * CELL_PADDING, self._empty[row])]
        else:
            cells = list(zip((c.width for c in columns), self._cells(row), strict=True))
        console = self.app.console
        segments: list[Segment] = []
        for index, (cell_width, cell) in enumerate(cells):
            pre = row_style + Style.from_meta({"row": row, "column": index}) + component
            segments.extend(_cell_segments(console, cell, cell_width, pre, post))
        width = self.size.width
        table_width = sum(c.render_width for c in self.columns.values())
        extend = row_style + component + Style.from_meta({"row": row, "column": 0, "out_of_bounds": True})
        segments.append(Segment(" " * max(0, width - table_width), extend))
        x1 = int(self.scroll_x)
        return Strip(line_crop(segments, x1, x1 + width, width)).adjust_cell_length(width, base_style).simplify()

    def render_line(self, y: int) -> Strip:
        if not self._sized and self.outer_size.width:
            # The first layout sizes the table and renders it before its Resize event is handled:
            # fitted now, as that event will (its size is the outer one), the first frame shows
            # whole titles instead of 16-cell ones until the next frame.
            self._sized = True
            self._fit_columns()
        base_style = self.rich_style
        if y == 0:
            return self._draw(-1, base_style)
        row = int(self.scroll_y) + y - 1
        if row >= self.row_count:
            return Strip.blank(self.size.width, base_style)
        key = (row == self.cursor_row, row == self._hover_row and self._show_hover, base_style, self.size.width,
               int(self.scroll_x), self.has_focus)
        cached = self._lines.get(row)
        if cached is not None and cached[0] == key:
            return cached[1]
        strip = self._draw(row, base_style)
        if len(self._lines) > LINE_CACHE:
            self._lines.clear()
        self._lines[row] = (key, strip)
        return strip

    # -- mouse ------------------------------------------------------------------------------------

    def _set_hover(self, active: bool, row: int | None = None) -> None:
        old = self._hover_row
        self._show_hover = active
        if row is not None:
            self._hover_row = row
        for index in {old, self._hover_row}:
            if index >= 0:
                self._refresh_row(index)
            else:
                self.refresh_line(0)  # the header

    def on_mouse_move(self, event: events.MouseMove) -> None:
        meta = event.style.meta
        if not meta or "row" not in meta:
            self._set_hover(False)
            return
        self._set_hover(True, meta["row"])

    def on_leave(self, _: events.Leave) -> None:
        self._set_hover(False)

    def on_click(self, event: events.Click) -> None:
        # As DataTable: a click moves the cursor; a click on the cursor's row opens it.
        meta = event.style.meta
        if "row" not in meta or meta["row"] < 0:
            return
        event.stop()
        row = meta["row"]
        if row == self.cursor_row:
            self.action_open()
        self.move_cursor(row=row, animate=True)

    # -- keys -------------------------------------------------------------------------------------

    def action_cursor_down(self) -> None:
        self._set_hover(False)
        self.move_cursor(row=self.cursor_row + 1)

    def action_cursor_up(self) -> None:
        self._set_hover(False)
        self.move_cursor(row=self.cursor_row - 1)

    def _page(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)  # the header stays

    def action_page_down(self) -> None:
        # As DataTable: the view moves a page and the cursor with it.
        self._set_hover(False)
        height = self._page()
        target = min(self.row_count - 1, self.cursor_row + height)
        self.scroll_relative(y=height, animate=False, force=True)
        self.move_cursor(row=target, scroll=False)

    def action_page_up(self) -> None:
        self._set_hover(False)
        height = self._page()
        target = max(0, self.cursor_row - height)
        self.scroll_relative(y=-height, animate=False)
        self.move_cursor(row=target, scroll=False)

    def action_scroll_home(self) -> None:
        self.scroll_x = 0

    def action_scroll_end(self) -> None:
        self.scroll_x = self.max_scroll_x

    def action_down(self) -> None:
        self.action_cursor_down()

    def action_up(self) -> None:
        self.action_cursor_up()

    def action_top(self) -> None:
        if self.row_count:
            self.move_to(0)

    def action_bottom(self) -> None:
        if self.row_count:
            self.move_to(self.row_count - 1)

    def action_open(self) -> None:
        entry = self.cursor_entry
        if entry is not None:
            self.post_message(self.Opened(entry))
