"""The search prompt: one line of words to find in titles and article text."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from tui.widgets import widget_css


class SearchScreen(ModalScreen[str | None]):
    """Dismisses with the query, or None when escaped."""

    DEFAULT_CSS = widget_css("search")

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="search_cancel")]

    def __init__(self, query: str = "") -> None:
        super().__init__()
        self.query_text = query

    def compose(self) -> ComposeResult:
        with Vertical(id="search-box"):
            yield Static(Content("Search titles and article text"), id="search-title")
            yield Input(value=self.query_text, placeholder="words…", id="search-input")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
