"""The filter prompt (`F`): one expression in newsboat's filter language, with a history kept on disk."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from tui import display
from tui.actions import bindings
from tui.core.text import clean_line
from tui.widgets import widget_css

__all__ = ["HISTORY_SIZE", "FilterHistory", "FilterScreen"]

HISTORY_SIZE = 100  # expressions kept, newest last


class FilterHistory:
    """Expressions used before, oldest first, in a text file (one a line) so they outlive the run.

    A file that cannot be read or written costs the history, never the filter.
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.items: list[str] = self._load()

    def _load(self) -> list[str]:
        if self.path is None:
            return []
        try:
            lines = self.path.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return []
        return [line for line in (clean_line(x) for x in lines) if line][-HISTORY_SIZE:]

    def add(self, expression: str) -> None:
        """Remember `expression` as the newest (once: an older copy moves up)."""
        expression = clean_line(expression)
        if not expression:
            return
        self.items = [*[x for x in self.items if x != expression][-(HISTORY_SIZE - 1):], expression]
        if self.path is None:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temporary = self.path.with_name(self.path.name + ".tmp")
            temporary.write_text("".join(x + "\n" for x in self.items), encoding="utf-8")
            os.replace(temporary, self.path)  # a crash mid-write leaves the old history, not half of one
        except OSError:
            pass


class FilterScreen(ModalScreen[str | None]):
    """Dismisses with a valid expression ("" clears the filter), or None when escaped.

    An expression that does not parse stays in the prompt with a caret under the column and the
    reason; up and down walk the history.
    """

    DEFAULT_CSS = widget_css("filter")

    BINDINGS: ClassVar[list[BindingType]] = bindings("filter")

    def __init__(self, history: FilterHistory, current: str = "", what: str = "the list") -> None:
        super().__init__()
        self.history = history
        self.current = current
        self.what = what
        self._position = len(history.items)  # past the newest: the text being typed
        self._typed = current

    def compose(self) -> ComposeResult:
        with Vertical(id="filter-box"):
            example = 'unread = "yes" and title =~ "ferry"'
            yield Static(Content(f"Filter {self.what} · e.g. {example}"), id="filter-title")
            yield Input(value=self.current, placeholder="expression…", id="filter-input")
            yield Static(Content(""), id="filter-error")
            yield Static(Content("enter applies · an empty line clears the filter · ↑ ↓ history · escape closes"),
                         id="filter-hint")

    def on_mount(self) -> None:
        self.query_one("#filter-error", Static).display = False

    @property
    def input(self) -> Input:
        return self.query_one("#filter-input", Input)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self._position == len(self.history.items):
            self._typed = event.value
        self.query_one("#filter-error", Static).display = False

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        expression = event.value.strip()
        if not expression:
            self.dismiss("")
            return
        from tui.core.filters import FilterError, compile_filter

        try:
            compile_filter(expression)
        except FilterError as exc:
            self.show_error(expression, exc.column, exc.reason)
            return
        except Exception as exc:  # noqa: BLE001 - whatever the parser does, the prompt stays up
            self.show_error(expression, 1, f"cannot use this expression ({exc.__class__.__name__})")
            return
        self.history.add(expression)
        self.dismiss(expression)

    def show_error(self, expression: str, column: int, reason: str) -> None:
        error = self.query_one("#filter-error", Static)
        error.update(display.filter_error(expression, column, reason))
        error.display = True
        self.input.cursor_position = max(0, column - 1)

    @property
    def error_text(self) -> str:
        """The error shown under the prompt ("" when none), as plain text."""
        error = self.query_one("#filter-error", Static)
        return str(error.visual) if error.display else ""

    def action_history(self, step: int) -> None:
        items: Sequence[str] = self.history.items
        position = max(0, min(len(items), self._position + step))
        if position == self._position:
            return
        self._position = position
        value = items[position] if position < len(items) else self._typed
        with self.input.prevent(Input.Changed):
            self.input.value = value
        self.input.cursor_position = len(value)
        self.query_one("#filter-error", Static).display = False

    def action_cancel(self) -> None:
        self.dismiss(None)
