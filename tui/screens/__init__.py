"""Screens of the Newswire app, one module each; and the j/k/g/G keys their views share."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.widget import Widget

__all__ = ["MovingKeys"]

# What each moving key runs on the focused widget: the first action it has (a list's cursor
# moves; a scrolled pane, which has no cursor, scrolls).
_MOVES = {
    "down": ("cursor_down", "scroll_down"),
    "up": ("cursor_up", "scroll_up"),
    "top": ("first", "scroll_top", "scroll_home"),
    "bottom": ("last", "scroll_bottom", "scroll_end"),
}


class MovingKeys:
    """Mixed into a view (help, downloads, what changed): j/k/g/G move as they do in the main panes."""

    focused: Widget | None  # the screen's

    def _move(self, where: str) -> None:
        widget = self.focused
        for name in _MOVES[where] if widget is not None else ():
            method = getattr(widget, f"action_{name}", None)
            if method is not None:
                method()
                return

    def action_down(self) -> None:
        self._move("down")

    def action_up(self) -> None:
        self._move("up")

    def action_top(self) -> None:
        self._move("top")

    def action_bottom(self) -> None:
        self._move("bottom")
