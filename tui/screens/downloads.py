"""The downloads view: every enclosure download of this run with its file, progress, state and error."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.events import Resize
from textual.geometry import Size
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from tui import display
from tui.actions import bindings
from tui.screens import MovingKeys, table_room
from tui.widgets import widget_css

if TYPE_CHECKING:
    from tui.core.feeds import DownloadJob

__all__ = ["DownloadsScreen"]

POLL = 0.2  # seconds between updates while the view is open (progress arrives 10 times a second)
FILE_WIDTH, FILE_MIN_WIDTH = 36, 16
PROGRESS_WIDTH = 16  # "100% of 999.9 MB"
STATE_WIDTH = 11  # "downloading"
ERROR_WIDTH = 22  # at least: "HTTP 404 Not Found", "could not resolve host"


class DownloadsScreen(MovingKeys, ModalScreen[None]):
    """A table of the download queue, kept current while it is open; `r` retries a failed one."""

    DEFAULT_CSS = widget_css("downloads")

    BINDINGS: ClassVar[list[BindingType]] = bindings("downloads")

    def __init__(self, jobs: Callable[[], Sequence[DownloadJob]], retry: Callable[[DownloadJob], object],
                 folder: str) -> None:
        super().__init__()
        self.jobs = jobs
        self.retry = retry
        self.folder = folder
        self._empty = False  # the table holds the "No downloads yet." row

    def compose(self) -> ComposeResult:
        with Vertical(id="downloads-box"):
            # newsboat's placeholders in the folder stand for each download's feed and host.
            folder = self.folder.replace("%n", "‹feed›").replace("%h", "‹host›")
            yield Static(Content.assemble("Downloads · to ", Content(folder)), id="downloads-title")
            table: DataTable[Text] = DataTable(cursor_type="row", id="downloads-table")
            yield table
            yield Static(Content("d on an article queues its enclosure · r retries a failed one · escape closes"),
                         id="downloads-hint")

    def on_mount(self) -> None:
        self._fit(self.app.size)
        self.set_interval(POLL, self.update_rows)
        self.table.focus()

    def on_resize(self, event: Resize) -> None:
        self._fit(event.size)

    def _fit(self, screen: Size) -> None:
        """The error takes what the box has left (an error comes after its row is added: an
        auto-sized column would stay as narrow as its header); on 80 columns the file name gives
        way. Again after a resize, keeping the row under the cursor."""
        table = self.table
        room = table_room(self.query_one("#downloads-box"), table, screen) - 4 * 2 * table.cell_padding
        error = max(ERROR_WIDTH, room - FILE_WIDTH - PROGRESS_WIDTH - STATE_WIDTH)
        file = max(FILE_MIN_WIDTH, room - PROGRESS_WIDTH - STATE_WIDTH - error)
        if "error" in table.columns and (table.columns["file"].width, table.columns["error"].width) == (file, error):
            return
        row = table.cursor_row
        table.clear(columns=True)
        self._empty = False
        table.add_column(Text("File", end=""), key="file", width=file)
        table.add_column(Text("Progress", end=""), key="progress", width=PROGRESS_WIDTH)
        table.add_column(Text("State", end=""), key="state", width=STATE_WIDTH)
        table.add_column(Text("Error", end=""), key="error", width=error)
        self.update_rows()
        table.move_cursor(row=row, animate=False)

    @property
    def table(self) -> DataTable[Text]:
        return self.query_one("#downloads-table", DataTable)

    def update_rows(self) -> None:
        table = self.table
        jobs = list(self.jobs())
        if jobs and self._empty:
            table.clear()
            self._empty = False
        for index, job in enumerate(jobs):
            cells = display.download_cells(job)
            key = str(index)
            if index < table.row_count:
                for column, cell in zip(("file", "progress", "state", "error"), cells, strict=True):
                    if str(table.get_cell(key, column)) != str(cell):
                        table.update_cell(key, column, cell)
            else:
                table.add_row(*cells, key=key)
        if not jobs and not table.row_count:
            self._empty = True
            table.add_row(Text("No downloads yet.", style="italic", end=""), Text(""), Text(""), Text(""), key="empty")

    def rows(self) -> list[list[str]]:
        """The table as plain text (for tests)."""
        table = self.table
        return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]

    def action_retry(self) -> None:
        jobs = list(self.jobs())
        row = self.table.cursor_row
        if not (0 <= row < len(jobs)):
            return
        job = jobs[row]
        if job.state != "failed":
            self.notify("Only a failed download can be retried.", markup=False)
            return
        self.retry(job)
        self.update_rows()

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
