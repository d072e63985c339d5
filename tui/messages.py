"""App-wide messages: refresh progress and completion, a loaded article."""

from __future__ import annotations

from typing import Any

from textual.message import Message

from tui.core.models import Article, Entry, Place, Quote


class RefreshProgress(Message):
    """One more feed of a refresh is done."""

    def __init__(self, done: int, total: int, feed: Any, outcome: Any) -> None:
        super().__init__()
        self.done = done
        self.total = total
        self.feed = feed
        self.outcome = outcome

    def can_replace(self, message: Message) -> bool:
        # A burst of progress only needs its latest state painted.
        return isinstance(message, RefreshProgress)


class RefreshFinished(Message):
    """A refresh ended: `report` is the core RefreshReport, or `error` says why it could not run.

    `quiet`: say nothing unless something is new or failed.
    """

    def __init__(self, report: Any, error: str | None = None, quiet: bool = False) -> None:
        super().__init__()
        self.report = report
        self.error = error
        self.quiet = quiet


class ArticleReady(Message):
    """An entry's cleaned article with its quotes and places, made off the UI thread."""

    def __init__(self, entry: Entry, article: Article, quotes: list[Quote], places: list[Place]) -> None:
        super().__init__()
        self.entry = entry
        self.article = article
        self.quotes = quotes
        self.places = places
