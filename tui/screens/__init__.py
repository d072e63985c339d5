"""Screens of the Newswire app, one module each; and the j/k/g/G keys their views share."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.geometry import Size
    from textual.widget import Widget
    from textual.widgets import DataTable

__all__ = ["MovingKeys", "table_room"]

# What each moving key runs on the focused widget: the first action it has (a list's cursor
# moves; a scrolled pane, which has no cursor, scrolls).
_MOVES = {
    "down": ("cursor_down", "scroll_down"),
    "up": ("cursor_up", "scroll_up"),
    "top": ("first", "scroll_top", "scroll_home"),
    "bottom": ("last", "scroll_bottom", "scroll_end"),
}


def table_room(box: Widget, table: DataTable[object], screen: Size) -> int:
    """The width a view's table has for its columns (padding included) on a screen of `screen`.

    Computed from the box's styles, not its region, so the columns can be set before the box is laid
    out (on mount) and again on a resize, before the new layout.
    """
    width = min(int(box.styles.width.resolve(screen, screen)), screen.width) if box.styles.width else screen.width
    return width - box.styles.gutter.width - table.styles.scrollbar_size_vertical


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
