"""The help screen: every action of the actions table, its key (as remapped) and the id to remap it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.events import Resize
from textual.geometry import Size
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from tui.actions import ACTIONS, Action, bindings, split_keys
from tui.screens import MovingKeys, table_room
from tui.widgets import widget_css

__all__ = ["HelpScreen", "help_rows"]

KEY_WIDTH = 12
ID_WIDTH = max(len(action.id) for action in ACTIONS)  # ids are what users type in [keys]: never cut


def help_rows(keys: Mapping[str, str], show: object) -> list[tuple[str, str, str]]:
    """(keys as shown, what they do, binding id) for every action, in the table's order.

    `keys` is the config's `[keys]`; `show` formats one key (the app's get_key_display).
    """
    rows = []
    for action in ACTIONS:
        if action.key:
            shown = [show(Binding(key, action.run)) for key in split_keys(keys.get(action.id) or action.key)]  # type: ignore[operator]
        else:
            shown = ["ctrl+p"]  # only in the palette
        rows.append((" ".join(shown), _what(action), action.id if action.key else ""))
    return rows


def _what(action: Action) -> str:
    return f"{action.description} (palette: {action.palette})" if not action.key else action.description


class HelpScreen(MovingKeys, ModalScreen[None]):
    """A table of keys and actions; any of escape, q or ? closes it."""

    DEFAULT_CSS = widget_css("help")

    BINDINGS: ClassVar[list[BindingType]] = bindings("help")

    def __init__(self, keys: Mapping[str, str]) -> None:
        super().__init__()
        self.keys = dict(keys)  # the config's [keys]: the help shows keys as the user remapped them

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box"):
            yield Static(Content("Keys"), id="help-title")
            table: DataTable[Text] = DataTable(cursor_type="row", id="help-table")
            yield table
            yield Static(Content("ctrl+p opens the command palette · escape closes this"), id="help-hint")

    def on_mount(self) -> None:
        self._fit(self.app.size)
        self.query_one(DataTable).focus()

    def on_resize(self, event: Resize) -> None:
        self._fit(event.size)

    def _fit(self, screen: Size) -> None:
        """Key and id at their full width; the description takes the rest of the box's width and
        wraps onto a second line where it is longer (on 80 columns), instead of being cut. Again
        after a resize, keeping the row under the cursor."""
        table: DataTable[Text] = self.query_one(DataTable)
        id_width = max(ID_WIDTH, 20)
        room = table_room(self.query_one("#help-box"), table, screen)
        does = max(20, room - KEY_WIDTH - id_width - 3 * 2 * table.cell_padding)
        if "does" in table.columns and table.columns["does"].width == does:
            return
        row = table.cursor_row
        table.clear(columns=True)
        table.add_column(Text("Key", end=""), key="key", width=KEY_WIDTH)
        table.add_column(Text("Id (remap in [keys])", end=""), key="id", width=id_width)
        table.add_column(Text("Does", end=""), key="does", width=does)
        for shown, description, ident in help_rows(self.keys, self.app.get_key_display):
            table.add_row(Text(shown, style="bold", end=""), Text(ident, style="dim", end=""), Text(description, end=""),
                          height=None)
        table.move_cursor(row=row, animate=False)

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
