"""The refresh progress row: how many feeds are done and which are still pending."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Label

from tui import display
from tui.core.models import Feed

if TYPE_CHECKING:
    from textual.widgets import ProgressBar

__all__ = ["RefreshBar"]


class RefreshBar(Horizontal):
    """Hidden until a refresh starts; its children mount on first use (hidden widgets still cost styling)."""

    def compose(self) -> ComposeResult:
        return iter(())

    def _parts(self) -> tuple[Label, ProgressBar]:
        from textual.widgets import ProgressBar  # with the first refresh, not before the first paint

        if not self.children:
            self.mount_all([Label(Content(""), id="progress-label"), ProgressBar(id="progress-bar", show_eta=False)])
        return self.query_one("#progress-label", Label), self.query_one(ProgressBar)

    def start(self, total: int | None) -> None:
        label, bar = self._parts()
        label.update(Content("Refreshing…"))
        bar.update(total=total, progress=0)
        self.add_class("-running")

    def syncing(self, server: str) -> None:
        """The sync that runs before a full refresh (a server that does not answer holds it up to its timeout)."""
        label, _bar = self._parts()
        label.update(Content.assemble("Syncing with ", display.plain(server), "…"))

    def advance(self, done: int, total: int, pending: Sequence[Feed]) -> None:
        label, bar = self._parts()
        bar.update(total=total, progress=done)
        label.update(display.refresh_progress(done, total, [display.feed_label(f) for f in pending]))

    def advance_prefetch(self, done: int, total: int) -> None:
        """The second phase: full text of new summary-only entries, fetched ahead of time."""
        label, bar = self._parts()
        bar.update(total=total, progress=done)
        label.update(Content(f"Fetching full text {done}/{total}"))

    def finish(self) -> None:
        self.remove_class("-running")
