"""The help screen: every key binding of the screen below it and what it does."""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static


class HelpScreen(ModalScreen[None]):
    """A table of keys and actions; any of escape, q or ? closes it."""

    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "Close", id="help_close"),
    ]

    def __init__(self, rows: Iterable[tuple[str, str, str]]) -> None:
        super().__init__()
        self.rows = list(rows)

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box"):
            yield Static(Content("Keys"), id="help-title")
            table: DataTable[Text] = DataTable(cursor_type="row", id="help-table")
            yield table
            yield Static(Content("ctrl+p opens the command palette · escape closes this"), id="help-hint")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column(Text("Key", end=""), key="key")
        table.add_column(Text("Does", end=""), key="does")
        table.add_column(Text("Id (remap in [keys])", end=""), key="id")
        for keys, description, ident in self.rows:
            table.add_row(Text(keys, style="bold", end=""), Text(description, end=""), Text(ident, style="dim", end=""))
        table.focus()

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
