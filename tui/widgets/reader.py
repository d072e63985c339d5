"""The reader: a cleaned article as headline, byline line, standfirst and one widget per body block."""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence

from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from tui import display
from tui.core.models import Article, Entry

HIGHLIGHT = "article--highlight"
MENTION = "article--mention"


class Block(Static):
    """One body block; its CSS classes say its kind (-paragraph, -heading, -list_item…)."""


class ArticleView(VerticalScroll, can_focus=True):
    """Shows one article; quotes and places are highlighted by offsets into `Article.text`."""

    COMPONENT_CLASSES = {HIGHLIGHT, MENTION}

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.article: Article | None = None
        self.entry: Entry | None = None
        self._blocks: list[Block] = []
        self._starts: list[int] = []
        self._markers: list[str] = []
        self._marked: set[int] = set()

    def compose(self):  # type: ignore[no-untyped-def]
        yield Static(Content("Choose an article and press enter to read it."), classes="placeholder")

    def show(self, entry: Entry, article: Article) -> None:
        """Replace what is shown with `article` (for `entry`), scrolled to the top."""
        self.entry, self.article = entry, article
        blocks = article.blocks
        self._starts = display.block_starts(blocks)
        self._markers = display.list_markers(blocks)
        self._marked = set()
        widgets: list[Static] = [Static(display.headline(article, entry), classes="headline")]
        meta = display.meta_line(article, entry)
        if meta:
            widgets.append(Static(meta, classes="meta"))
        if article.reason:
            widgets.append(Static(display.paragraph(article.reason), classes="notice"))
        if article.standfirst:
            widgets.append(Static(display.paragraph(article.standfirst), classes="standfirst"))
        self._blocks = []
        for index, block in enumerate(blocks):
            classes = f"-{block.kind}"
            if block.kind == "list_item" and (index + 1 == len(blocks) or blocks[index + 1].kind != "list_item"):
                classes += " -list-end"
            widget = Block(display.block_content(block, self._markers[index]), classes=classes)
            self._blocks.append(widget)
        widgets.extend(self._blocks)
        with self.app.batch_update():
            self.remove_children()
            self.mount_all(widgets)
            self.scroll_home(animate=False)

    def clear(self) -> None:
        self.entry = self.article = None
        self._blocks, self._starts, self._markers, self._marked = [], [], [], set()
        self.remove_children()
        self.mount(Static(Content("Choose an article and press enter to read it."), classes="placeholder"))

    @property
    def text(self) -> str:
        """What the reader shows, as plain text (for tests and copying)."""
        return "\n".join(str(w.visual) for w in self.query(Static))

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
