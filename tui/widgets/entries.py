"""The entry list: a DataTable of light entries, filled a screenful first and the rest in chunks."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from rich.text import Text
from textual.events import Resize
from textual.widgets import DataTable

from tui import display
from tui.core.models import Entry

FIRST_ROWS = 120  # enough to fill a tall terminal at once; the rest follows after a paint
CHUNK_ROWS = 500  # small enough (~20 ms) that a chunk never holds up a key press
DATE_WIDTH = 8


class EntryTable(DataTable):
    """Entries newest first; row keys are entry ids."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(cursor_type="row", zebra_stripes=False, **kwargs)  # type: ignore[arg-type]
        self.entries: list[Entry] = []
        self._index: dict[int, int] = {}
        self._generation = 0
        self._shown = 0

    def on_mount(self) -> None:
        self.add_column(Text("", end=""), width=2, key="marks")
        self.add_column(Text("Date", end=""), width=DATE_WIDTH, key="date")
        self.add_column(Text("Feed", end=""), width=18, key="feed")
        self.add_column(Text("Title", end=""), width=60, key="title")

    def on_resize(self, event: Resize) -> None:
        # The title takes what the other columns leave, so long titles end with an ellipsis;
        # a narrow list gives the feed name less room.
        feed_width = 18 if event.size.width >= 90 else 10
        title_width = max(16, event.size.width - 2 - DATE_WIDTH - feed_width - 2 * 4 * self.cell_padding - 2)
        changed = False
        for key, width in (("feed", feed_width), ("title", title_width)):
            column = self.columns.get(key)  # type: ignore[call-overload]
            if column is not None and column.width != width:
                column.width = width
                changed = True
        if changed:
            # DataTable has no public way to resize a column; its caches hold the old widths.
            self._clear_caches()
            self._require_update_dimensions = True
            self.refresh()

    @property
    def loaded(self) -> bool:
        """Every entry has its row."""
        return self._shown == len(self.entries)

    def set_entries(self, entries: Sequence[Entry], keep: int | None = None) -> None:
        """Show `entries`; the cursor goes to entry `keep` when listed, else the top."""
        self._generation += 1
        self.clear()
        self.entries = list(entries)
        self._index = {e.id: i for i, e in enumerate(self.entries)}
        self._shown = 0
        target = self._index.get(keep, 0) if keep is not None else 0
        # A screenful first (the table is never taller than the terminal); the rest after a paint.
        first = min(FIRST_ROWS, max(self.app.size.height, 24))
        self._add_rows(max(first, target + 1))
        if self.entries:
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
            self.add_row(*display.entry_cells(entry, now), key=str(entry.id))
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
            self.update_cell(str(entry.id), "title", display.entry_title(entry))

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
