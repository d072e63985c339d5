"""App-wide messages: refresh progress and completion, a reading made ready off the UI thread."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

from tui.core.models import Entry, Feed

if TYPE_CHECKING:  # refresh loads the fetch client, which waits until after the first paint
    from tui.core.feeds import FeedOutcome, RefreshReport
    from tui.core.feeds.sync import SyncReport
    from tui.core.models import Article, Place, Quote

__all__ = ["OpenLink", "ReadingReady", "RefreshFinished", "RefreshProgress"]


class RefreshProgress(Message):
    """One more feed of a refresh is done.

    Progress messages collapse (only the latest is handled), so each carries the whole state:
    the feeds still pending and the new entries so far, not just the one feed that landed.
    """

    def __init__(
        self,
        done: int,
        total: int,
        feed: Feed | None,
        outcome: FeedOutcome | None,
        pending: tuple[Feed, ...] = (),
        new_so_far: int = 0,
        phase: str = "feeds",
    ) -> None:
        super().__init__()
        self.phase = phase  # "feeds", then "prefetch" (the full text of new summary-only entries)
        self.done = done
        self.total = total
        self.feed = feed
        self.outcome = outcome
        self.pending = pending
        self.new_so_far = new_so_far

    def can_replace(self, message: Message) -> bool:
        # A burst of progress only needs its latest state painted.
        return isinstance(message, RefreshProgress)


class RefreshFinished(Message):
    """A refresh ended: `report` is the core RefreshReport, or `error` says why it could not run.

    `quiet`: say nothing unless something is new or failed. `synced`: what the sync before it did.
    """

    def __init__(self, report: RefreshReport | None, error: str | None = None, quiet: bool = False,
                 synced: SyncReport | None = None) -> None:
        super().__init__()
        self.report = report
        self.error = error
        self.quiet = quiet
        self.synced = synced

    @property
    def new_entries(self) -> int:
        """New articles from the feeds and from the sync."""
        return (self.report.new_entries if self.report else 0) + (self.synced.new if self.synced else 0)


class ReadingReady(Message):
    """An entry's cleaned article with its quotes and places, made off the UI thread."""

    def __init__(
        self, entry: Entry, article: Article, quotes: list[Quote], places: list[Place], opened: int = 0
    ) -> None:
        super().__init__()
        self.opened = opened  # which open of the screen asked for it
        self.entry = entry
        self.article = article
        self.quotes = quotes
        self.places = places


class OpenLink(Message):
    """Open `url` in the user's browser (the app owns the terminal and the outside world)."""

    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url
