"""The what-changed view: one copy of a story against another outlet's, or an updated entry's versions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui import display, jobs
from tui.actions import bindings
from tui.screens import MovingKeys
from tui.widgets import widget_css

if TYPE_CHECKING:
    from tui.core.models import Entry
    from tui.core.stories import Diff, Story

__all__ = ["Comparison", "StoryDiffScreen", "comparisons"]


@dataclass(frozen=True, slots=True)
class Comparison:
    """One thing the view can compare: the shown copy against another copy, or two versions of it."""

    label: Content  # the option's text
    old_label: Content
    new_label: Content
    other: int | None = None  # the other copy's entry id
    version: int = 0  # for versions: the diff between version `version` and the next (1-based)
    shown_is_new: bool = False  # the other copy is the fuller one: what the shown copy changed against it


def comparisons(shown: Entry, story: Story | None, replaced: list[str]) -> list[Comparison]:
    """What can be compared for `shown`: every other copy of its story (the best first), then each of its
    own updates.

    Between two copies, the fuller one (as the story ranks its best) is "before": the view says what the
    other outlet cut or edited, whichever copy it is opened from (from a brief, what the brief left out,
    not what the full story "added"). `replaced` holds, oldest first, when each earlier version of
    `shown` was replaced.
    """
    found: list[Comparison] = []
    here = display.copy_label(shown)
    if story is not None:
        copies = list(story.copies)
        fullness = {c.entry.id: (c.size, -i) for i, c in enumerate(copies)}  # Story.best's order
        best = story.best.id
        for copy in sorted(copies, key=lambda c: c.entry.id != best):
            if copy.entry.id == shown.id:
                continue
            label = display.copy_label(copy.entry)
            if fullness[copy.entry.id] > fullness.get(shown.id, (-1, 0)):
                found.append(Comparison(label, label, here, other=copy.entry.id, shown_is_new=True))
            else:
                found.append(Comparison(label, here, label, other=copy.entry.id))
    total = len(replaced) + 1
    for n, when in enumerate(replaced, 1):
        now = "now" if n + 1 == total else f"version {n + 1}"
        at = display.long_date(_when(when))
        label = Content.assemble(Content.styled("Updated: ", "bold"), f"version {n} → {now}",
                                 Content.styled(f" · replaced {at}" if at else "", display.MUTED))
        found.append(Comparison(label, Content(f"version {n}"), Content(now), version=n))
    return found


def _when(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


class StoryDiffScreen(MovingKeys, ModalScreen[None]):
    """Choose what to compare on the left; the differences show on the right. Escape or q closes."""

    DEFAULT_CSS = widget_css("story_diff")

    BINDINGS: ClassVar[list[BindingType]] = bindings("diff")

    def __init__(self, services: jobs.Services, shown: Entry, choices: list[Comparison], start: int = 0) -> None:
        super().__init__()
        self.services = services
        self.shown = shown
        self.choices = choices
        self.start = start
        self.diff: Diff | None = None  # what the body shows now
        self._asked = 0

    def compose(self) -> ComposeResult:
        with Vertical(id="diff-box"):
            yield Static(Content.assemble("What changed · ", display.plain(self.shown.title)), id="diff-title")
            with Horizontal(id="diff-panes"):
                yield OptionList(*(Option(c.label) for c in self.choices), id="diff-choices")
                with VerticalScroll(id="diff-scroll"):
                    yield Static(Content("Comparing…"), id="diff-body")
            yield Static(Content("j k choose · tab: the differences (j k scroll them) · escape closes"),
                         id="diff-hint")

    def on_mount(self) -> None:
        choices = self.query_one(OptionList)
        choices.highlighted = self.start
        choices.focus()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self._asked += 1
        self._compare(self.choices[event.option_index], self._asked)

    @work(exclusive=True, group="diff")
    async def _compare(self, choice: Comparison, asked: int) -> None:
        if choice.shown_is_new and choice.other is not None:
            diff = await jobs.what_changed(self.services, choice.other, self.shown.id, 0)
        else:
            diff = await jobs.what_changed(self.services, self.shown.id, choice.other, choice.version)
        if asked != self._asked:
            return
        self.diff = diff
        body = self.query_one("#diff-body", Static)
        if diff is None:
            body.update(Content("These texts could not be compared (the entry is gone)."))
        else:
            body.update(display.diff_view(diff, choice.old_label, choice.new_label))
        self.query_one("#diff-scroll", VerticalScroll).scroll_home(animate=False)

    @property
    def text(self) -> str:
        """The differences shown, as plain text (for tests)."""
        return str(self.query_one("#diff-body", Static).visual)

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
