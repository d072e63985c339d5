"""The feeds pane: 'All articles' and 'Starred' on top, then each feed with its unread count and tags."""

from __future__ import annotations

from collections.abc import Sequence

from textual.widgets import OptionList
from textual.widgets.option_list import Option, OptionDoesNotExist

from tui import display
from tui.core.models import Feed

ALL = "all"
STARRED = "starred"


def feed_option_id(feed_id: int) -> str:
    return f"feed:{feed_id}"


class FeedList(OptionList):
    """Option ids are ALL, STARRED or feed_option_id(feed.id)."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.feeds: dict[int, Feed] = {}

    def show(self, feeds: Sequence[Feed], starred: int, keep: str | None = None) -> None:
        """List `feeds`, keeping the highlight on option `keep` (or where it was)."""
        keep = keep or (self.highlighted_option.id if self.highlighted_option else ALL)
        self.feeds = {f.id: f for f in feeds}
        unread = sum(f.unread for f in feeds)
        options: list[Option | None] = [
            Option(display.virtual_prompt("All articles", unread), id=ALL),
            Option(display.virtual_prompt("Starred", starred), id=STARRED),
            None,
        ]
        options += [Option(display.feed_prompt(f), id=feed_option_id(f.id)) for f in feeds]
        self.set_options(options)
        try:
            self.highlighted = self.get_option_index(keep)
        except OptionDoesNotExist:  # the feed was removed meanwhile
            self.highlighted = 0

    def feed_of(self, option_id: str | None) -> Feed | None:
        if option_id and option_id.startswith("feed:"):
            return self.feeds.get(int(option_id[5:]))
        return None
