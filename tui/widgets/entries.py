"""The entry list: a DataTable of light entries (or one row per story), filled a screenful first and the rest in chunks."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.binding import BindingType
from textual.events import Resize
from textual.message import Message
from textual.widgets import DataTable

from tui import display
from tui.actions import bindings
from tui.core.models import Entry

if TYPE_CHECKING:
    from tui.core.stories import Story

__all__ = ["CHUNK_ROWS", "FIRST_ROWS", "EntryTable"]

FIRST_ROWS = 120  # enough to fill a tall terminal at once; the rest follows after a paint
CHUNK_ROWS = 500  # small enough (~20 ms) that a chunk never holds up a key press
DATE_WIDTH = 8
NARROW = 90  # a table narrower than this gives the feed name less room
OUTLETS_WIDTH = 10  # "12 outlets"
OUTLETS_NARROW = 3  # "12×", in a table narrower than COMPACT, where the title needs the room
COMPACT = 70
EMPTY_KEY = "empty"



class EntryTable(DataTable[Text]):
    """Entries newest first; row keys are entry ids. Enter posts `EntryTable.Opened`.

    With `stories` given, a row may stand for a whole story (its best copy, with an Outlets column).
    """

    BINDINGS: ClassVar[list[BindingType]] = bindings("list")

    class Opened(Message):
        """The user chose an entry to read."""

        def __init__(self, entry: Entry) -> None:
            super().__init__()
            self.entry = entry

    def __init__(self, **kwargs: object) -> None:
        super().__init__(cursor_type="row", zebra_stripes=False, **kwargs)  # type: ignore[arg-type]
        self.entries: list[Entry] = []
        self._index: dict[int, int] = {}
        self._generation = 0
        self._shown = 0
        self.show_feed = True  # the Feed column; hidden inside one feed, where it says nothing new
        self.stories: dict[int, Story] | None = None  # row entry id → its story; None: the flat list
        self.changed: Collection[int] = frozenset()  # entries whose text changed since first seen

    def on_mount(self) -> None:
        self._add_columns()

    def _add_columns(self) -> None:
        feed_width, title_width = self._widths(self.size.width)
        self.add_column(Text("", end=""), width=2, key="marks")
        self.add_column(Text("Date", end=""), width=DATE_WIDTH, key="date")
        if self.show_feed:
            self.add_column(Text("Feed", end=""), width=feed_width, key="feed")
        if self.stories is not None:
            self.add_column(Text("Outlets" if self._wide else "×", end=""),
                            width=OUTLETS_WIDTH if self._wide else OUTLETS_NARROW, key="outlets")
        self.add_column(Text("Title", end=""), width=title_width, key="title")

    @property
    def _wide(self) -> bool:
        # The app's width until the table has its own (it may be hidden behind the reader).
        return (self.size.width or self.app.size.width) >= COMPACT

    def _widths(self, width: int) -> tuple[int, int]:
        """(feed, title) column widths for a table `width` cells wide."""
        # The title takes what the other columns leave, so long titles end with an ellipsis;
        # a narrow list gives the feed name less room.
        feed_width = (18 if width >= NARROW else 10) if self.show_feed else 0
        columns = 4 if self.show_feed else 3
        outlets = 0
        if self.stories is not None:
            columns += 1
            outlets = OUTLETS_WIDTH if width >= COMPACT else OUTLETS_NARROW
        title_width = max(16, width - 2 - DATE_WIDTH - feed_width - outlets - columns * 2 * self.cell_padding - 2)
        return feed_width, title_width

    def on_resize(self, event: Resize) -> None:
        self._fit_columns(event.size.width)

    def _fit_columns(self, width: int) -> None:
        feed_width, title_width = self._widths(width)
        widths = {"title": title_width, **({"feed": feed_width} if self.show_feed else {})}
        if self.stories is not None:
            widths["outlets"] = OUTLETS_WIDTH if width >= COMPACT else OUTLETS_NARROW
        changed = False
        for key, width in widths.items():
            column = self.columns.get(key)  # type: ignore[call-overload]
            if column is not None and column.width != width:
                column.width = width
                changed = True
        if changed:
            # DataTable has no public call to resize a column; its rendered rows are cached, and
            # notify_style_update (public: what a style change calls) drops those caches.
            # The virtual width may stay stale, which is harmless with overflow-x hidden (app.tcss).
            self.notify_style_update()

    @property
    def loaded(self) -> bool:
        """Every entry has its row."""
        return self._shown == len(self.entries)

    def set_entries(
        self, entries: Sequence[Entry], keep: int | None = None, *, show_feed: bool = True, empty: Text | None = None,
        stories: Mapping[int, Story] | None = None,
    ) -> None:
        """Show `entries`; the cursor goes to entry `keep` when listed, else the top.

        `empty` is the row shown when there are none: why the list is empty and what to press.
        `stories` (row entry id → story) makes it the story list, with an Outlets column.
        """
        self._generation += 1
        if show_feed != self.show_feed or (stories is None) != (self.stories is None):
            self.show_feed = show_feed
            self.stories = dict(stories) if stories is not None else None
            self.clear(columns=True)
            self._add_columns()
            # Hidden a moment ago (the reader had the width), the table may not know its size yet.
            self.call_after_refresh(lambda: self._fit_columns(self.size.width))
        else:
            self.stories = dict(stories) if stories is not None else None
            self.clear()
        self.entries = list(entries)
        self._index = {e.id: i for i, e in enumerate(self.entries)}
        self._shown = 0
        if not self.entries:
            if empty is not None:
                blank = Text("", end="")
                cells = [blank, blank] + ([blank] if self.show_feed else []) + (
                    [blank] if self.stories is not None else []) + [empty]
                self.add_row(*cells, key=EMPTY_KEY)
            return
        target = self._index.get(keep, 0) if keep is not None else 0
        # A screenful first (the table is never taller than the terminal); the rest after a paint.
        first = min(FIRST_ROWS, max(self.app.size.height, 24))
        self._add_rows(max(first, target + 1))
        self.move_cursor(row=target, animate=False, scroll=True)
        if not self.loaded:
            self.call_after_refresh(self._add_more, self._generation)

    def extend(self, entries: Sequence[Entry]) -> None:
        """Append entries not yet listed (the rest of a list whose first screenful is shown)."""
        fresh = [e for e in entries if e.id not in self._index]
        for entry in fresh:
            self._index[entry.id] = len(self.entries)
            self.entries.append(entry)
        if fresh and self._shown == len(self.entries) - len(fresh):
            self.call_after_refresh(self._add_more, self._generation)

    def _add_rows(self, count: int) -> None:
        now = datetime.now().astimezone()
        batch = self.entries[self._shown : self._shown + count]
        for entry in batch:
            marks, date, feed, title = display.entry_cells(entry, now, updated=entry.id in self.changed)
            cells = [marks, date] + ([feed] if self.show_feed else [])
            if self.stories is not None:
                cells.append(display.outlet_count(self.stories.get(entry.id), compact=not self._wide))
            cells.append(title)
            self.add_row(*cells, key=str(entry.id))
        self._shown += len(batch)

    def _add_more(self, generation: int) -> None:
        if generation != self._generation or self.loaded:
            return
        self._add_rows(CHUNK_ROWS)
        if not self.loaded:
            self.call_after_refresh(self._add_more, generation)

    @property
    def cursor_entry(self) -> Entry | None:
        if not self.entries or self.cursor_row < 0 or self.cursor_row >= self._shown:
            return None
        return self.entries[self.cursor_row]

    def index_of(self, entry_id: int) -> int | None:
        return self._index.get(entry_id)

    def update_entry(self, entry: Entry) -> None:
        """Repaint one entry's marks and title after its read/starred state changed."""
        index = self._index.get(entry.id)
        if index is None:
            return
        self.entries[index] = entry
        if index < self._shown:
            self.update_cell(str(entry.id), "marks", display.entry_marks(entry))
            self.update_cell(str(entry.id), "title", display.entry_title(entry, updated=entry.id in self.changed))
            if self.stories is not None:
                count = display.outlet_count(self.stories.get(entry.id), compact=not self._wide)
                self.update_cell(str(entry.id), "outlets", count)

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
            index = self._index.get(entry_id)
            if index is not None and index < self._shown:
                self.update_entry(self.entries[index])

    def move_to(self, index: int) -> None:
        """Put the cursor on row `index`, adding rows first when it is beyond those shown."""
        if index >= self._shown:
            self._add_rows(index + 1 - self._shown)
        self.move_cursor(row=index, animate=False, scroll=True)

    def find(self, start: int, step: int, unread: bool) -> int | None:
        """The next row from `start` (exclusive) in direction `step`, optionally only unread ones."""
        index = start + step
        while 0 <= index < len(self.entries):
            if not unread or not self.entries[index].read:
                return index
            index += step
        return None

    # -- keys -------------------------------------------------------------------------------------

    def action_down(self) -> None:
        self.action_cursor_down()

    def action_up(self) -> None:
        self.action_cursor_up()

    def action_top(self) -> None:
        if self.entries:
            self.move_to(0)

    def action_bottom(self) -> None:
        if self.entries:
            self.move_to(len(self.entries) - 1)

    def action_open(self) -> None:
        entry = self.cursor_entry
        if entry is not None:
            self.post_message(self.Opened(entry))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        # A click on a row (enter is the `open` binding above, which can be remapped).
        event.stop()
        self.action_open()
