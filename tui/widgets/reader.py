"""The reader: a cleaned article as headline, byline line, standfirst and one widget per body block."""

from __future__ import annotations

import bisect
import time
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, ClassVar
from urllib.parse import urlsplit

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.timer import Timer
from textual.widgets import Static

from tui import display
from tui.actions import bindings
from tui.core.models import Entry
from tui.widgets import widget_css

if TYPE_CHECKING:
    from tui.core.models import Article

__all__ = ["HIGHLIGHT", "MENTION", "ArticleView", "Block"]

HIGHLIGHT = "article--highlight"
MENTION = "article--mention"


PLACEHOLDER = "Choose an article and press enter to read it."
HEADERS = ("headline", "meta", "enclosures", "also", "notice", "standfirst")


class ArticlePart(Static):
    """A part of the shown article: a header (headline, byline…) or, as a Block, a body block.

    Its rules (styles/reader.tcss) are its default CSS, unscoped: parsed when the first part
    mounts, with the first article shown or loading, not before the app's first frame.
    """

    DEFAULT_CSS = widget_css("reader")
    SCOPED_CSS = False


class Block(ArticlePart):
    """One body block; its CSS classes say its kind (-paragraph, -heading, -list_item…)."""

    kind = ""


class ArticleView(VerticalScroll, can_focus=True):
    """Shows one article; quotes and places are highlighted by offsets into `Article.text`.

    While an article loads it shows its title, the host being fetched and the time so far, in its
    own header widgets: the pane keeps its border and nothing else has to be cleared afterwards.
    """

    BINDINGS: ClassVar[list[BindingType]] = bindings("reader")
    COMPONENT_CLASSES = {HIGHLIGHT, MENTION}

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.article: Article | None = None
        self.entry: Entry | None = None
        self._blocks: list[Block] = []
        self._pool: list[Block] = []
        self._starts: list[int] = []
        self._markers: list[str] = []
        self._marked: set[int] = set()
        self.loading_entry: Entry | None = None
        self._loading_since = 0.0
        self._ticker: Timer | None = None

    def compose(self) -> ComposeResult:
        # The article's header widgets are mounted by the first article: not before the first paint.
        yield Static(Content(PLACEHOLDER), classes="placeholder")

    def _header(self, name: str) -> Static:
        return self.query_one(f".{name}", Static)

    def _ensure_headers(self) -> None:
        if not self.query(".headline"):
            self.mount_all(ArticlePart(classes=name) for name in HEADERS)

    def show_loading(self, entry: Entry) -> None:
        """Say what is being fetched for `entry` (its title, the page's host, seconds so far)."""
        self.loading_entry = entry
        self._loading_since = time.monotonic()
        with self.app.batch_update():
            self._ensure_headers()
            self._header("placeholder").display = False
            self._set_header("headline", display.plain(entry.title or "(untitled)"))
            self._set_header("meta", None)
            self._set_header("enclosures", None)
            self._set_header("also", None)
            self._set_header("standfirst", None)
            for widget in self._blocks:
                widget.display = False
            self._blocks = []
            self._tick()
        if self._ticker is None:
            self._ticker = self.set_interval(1.0, self._tick)
        else:
            self._ticker.reset()
            self._ticker.resume()

    def _tick(self) -> None:
        entry = self.loading_entry
        if entry is None:
            return
        host = urlsplit(entry.link or "").hostname or ""
        elapsed = int(time.monotonic() - self._loading_since)
        self._set_header("notice", display.loading_notice(host, elapsed))

    def stop_loading(self) -> None:
        """Forget the loading state (the article came, or the load was cancelled)."""
        self.loading_entry = None
        if self._ticker is not None:
            self._ticker.pause()

    @property
    def is_loading(self) -> bool:
        return self.loading_entry is not None

    def show(self, entry: Entry, article: Article) -> None:
        """Replace what is shown with `article` (for `entry`), scrolled to the top.

        Block widgets are reused from one article to the next: mounting new ones costs far more
        than updating the text of existing ones.
        """
        self.stop_loading()
        self.entry, self.article = entry, article
        blocks = article.blocks
        self._starts = article.block_starts()[1]  # a quote in the standfirst has no block to mark
        self._markers = display.list_markers(blocks)
        self._marked = set()
        with self.app.batch_update():
            self._ensure_headers()
            self._header("placeholder").display = False
            self._set_header("headline", display.headline(article, entry))
            self._set_header("meta", display.meta_line(article, entry))
            self._set_header("enclosures", None)  # the screen adds them (from the store) after
            self._set_header("also", None)
            self._set_header("notice", display.paragraph(article.reason) if article.reason else None)
            self._set_header("standfirst", display.paragraph(article.standfirst) if article.standfirst else None)
            fresh: list[Block] = []
            for index, block in enumerate(blocks):
                classes = f"-{block.kind}"
                if block.kind == "list_item" and (index + 1 == len(blocks) or blocks[index + 1].kind != "list_item"):
                    classes += " -list-end"
                content = display.block_content(block, self._markers[index])
                if index < len(self._pool):
                    widget = self._pool[index]
                    widget.update(content)
                    if widget.kind != classes:
                        widget.kind = classes
                        widget.set_classes(classes)
                    widget.display = True
                else:
                    widget = Block(content, classes=classes)
                    widget.kind = classes
                    fresh.append(widget)
            for widget in self._pool[len(blocks):]:
                widget.display = False
            self._pool.extend(fresh)
            self._blocks = self._pool[: len(blocks)]
            if fresh:
                self.mount_all(fresh)
            self.scroll_home(animate=False)

    def show_enclosures(self, content: Content | None) -> None:
        """The line about the article's enclosures (podcasts) under the byline; None hides it."""
        self._ensure_headers()
        self._set_header("enclosures", content)
    def show_also(self, content: Content | None) -> None:
        """Show (or hide, with None) the "Also in" block: the other copies of the article's story."""
        self._ensure_headers()
        self._set_header("also", content)

    @property
    def also_text(self) -> str:
        """The "Also in" block as plain text ("" when hidden)."""
        widgets = self.query(".also")
        if not widgets or not widgets.first().display:
            return ""
        return str(widgets.first(Static).visual)

    def _set_header(self, name: str, content: Content | None) -> None:
        widget = self._header(name)
        widget.display = bool(content)
        if content:
            widget.update(content)

    @property
    def text(self) -> str:
        """What the reader shows, as plain text (for tests and copying)."""
        return "\n".join(str(w.visual) for w in self.query(Static) if w.display)

    def block_at(self, offset: int) -> int:
        """The index of the block that holds `offset` of `Article.text`."""
        return max(0, bisect.bisect_right(self._starts, offset) - 1)

    def highlight(self, spans: Sequence[tuple[int, int]], component: str = HIGHLIGHT, scroll: bool = True) -> None:
        """Highlight `spans` (offsets into `Article.text`) and scroll the first into view."""
        if self.article is None:
            return
        style = self.get_visual_style(component)
        per_block: dict[int, list[tuple[int, int, object]]] = {}
        for start, end in spans:
            first, last = self.block_at(start), self.block_at(max(start, end - 1))
            for index in range(first, last + 1):
                base = self._starts[index]
                length = len(self.article.blocks[index].text)
                lo, hi = max(0, start - base), min(length, end - base)
                if hi > lo:
                    per_block.setdefault(index, []).append((lo, hi, style))
        for index in self._marked - per_block.keys():
            self._restyle(index, ())
        for index, marks in per_block.items():
            self._restyle(index, marks)
        self._marked = set(per_block)
        if scroll and spans:
            first = self.block_at(spans[0][0])
            if first < len(self._blocks):
                self.scroll_to_center(self._blocks[first], animate=False)

    def _restyle(self, index: int, spans: Iterable[tuple[int, int, object]]) -> None:
        assert self.article is not None
        block = self.article.blocks[index]
        self._blocks[index].update(display.block_content(block, self._markers[index], spans))  # type: ignore[arg-type]
        self._blocks[index].set_class(bool(spans), "-marked")

    # -- keys -------------------------------------------------------------------------------------

    def action_down(self) -> None:
        self.scroll_down()

    def action_up(self) -> None:
        self.scroll_up()

    def action_top(self) -> None:
        self.scroll_home(animate=False)

    def action_bottom(self) -> None:
        self.scroll_end(animate=False)
