"""The sidebar: the article's quotes (quote, then speaker) and places (name, kind, country)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from tui import display
from tui.actions import bindings

if TYPE_CHECKING:
    from tui.core.models import Place, Quote

__all__ = ["Sidebar", "SidebarList"]


class SidebarList(OptionList):
    """The quotes or the places: the first item is highlighted on focus, so enter works at once."""

    BINDINGS: ClassVar[list[BindingType]] = bindings("sidebar")

    def on_focus(self) -> None:
        if self.highlighted is None and self.option_count and not self.disabled:
            self.highlighted = 0

    def action_down(self) -> None:
        self.action_cursor_down()

    def action_up(self) -> None:
        self.action_cursor_up()

    def action_top(self) -> None:
        self.action_first()

    def action_bottom(self) -> None:
        self.action_last()

    def action_open(self) -> None:
        self.action_select()


class Sidebar(Vertical):
    """Lists quotes and places; choosing one posts QuoteChosen / PlaceChosen."""

    class QuoteChosen(Message):
        def __init__(self, quote: Quote) -> None:
            super().__init__()
            self.quote = quote

    class PlaceChosen(Message):
        def __init__(self, place: Place) -> None:
            super().__init__()
            self.place = place

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.quotes: list[Quote] = []
        self.places: list[Place] = []

    def compose(self) -> ComposeResult:
        yield Label(Content("Quotes"), classes="sidebar-title", id="quotes-title")
        yield SidebarList(id="quotes")
        yield Label(Content("Places"), classes="sidebar-title", id="places-title")
        yield SidebarList(id="places")
        # The place detail line (#place-detail) is mounted when a place is first chosen: hidden
        # until then, it was composed, mounted and styled before the first paint for nothing.

    def show_loading(self) -> None:
        """While the article loads: neither 'no quotes' nor the last article's."""
        self.quotes, self.places = [], []
        self._fill("quotes", [], "Loading…")
        self._fill("places", [], "Loading…")
        self.query_one("#quotes-title", Label).update(Content("Quotes"))
        self.query_one("#places-title", Label).update(Content("Places"))
        self._detail(None)

    def _detail(self, content: Content | None) -> None:
        # The detail line takes room from the lists only once a place is chosen.
        found = self.query_children("#place-detail")
        if not found:
            if content is not None:
                detail = Static(content, id="place-detail")
                detail.display = True
                self.mount(detail)
            return
        detail = found.first(Static)
        detail.display = content is not None
        detail.update(content or Content(""))

    def show(self, quotes: Sequence[Quote], places: Sequence[Place]) -> None:
        self.quotes, self.places = list(quotes), list(places)
        self._fill("quotes", [display.quote_prompt(q) for q in self.quotes], "No quotes in this article")
        self._fill("places", [display.place_prompt(p) for p in self.places], "No places found")
        self.query_one("#quotes-title", Label).update(Content(f"Quotes ({len(self.quotes)})"))
        self.query_one("#places-title", Label).update(Content(f"Places ({len(self.places)})"))
        self._detail(None)

    def _fill(self, list_id: str, prompts: list[Content], empty: str) -> None:
        options = self.query_one(f"#{list_id}", OptionList)
        if prompts:
            items: list[Option | None] = []
            for index, prompt in enumerate(prompts):
                if index:
                    items.append(None)  # a rule between items: quotes run to several lines
                items.append(Option(prompt, id=str(index)))
            options.set_options(items)
            options.disabled = False
        else:
            options.set_options([Option(Content.styled(empty, display.MUTED), disabled=True)])
            options.disabled = True

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is None:
            return
        index = int(event.option.id)
        if event.option_list.id == "quotes":
            self.post_message(self.QuoteChosen(self.quotes[index]))
        else:
            place = self.places[index]
            self._detail(display.place_detail(place))
            self.post_message(self.PlaceChosen(place))
