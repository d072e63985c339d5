"""The sidebar: the article's quotes (quote, then speaker) and places (name, kind, country)."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from tui import display
from tui.core.models import Place, Quote


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
        yield OptionList(id="quotes")
        yield Label(Content("Places"), classes="sidebar-title", id="places-title")
        yield OptionList(id="places")
        yield Static(Content(""), id="place-detail")

    def show(self, quotes: Sequence[Quote], places: Sequence[Place]) -> None:
        self.quotes, self.places = list(quotes), list(places)
        self._fill("quotes", [display.quote_prompt(q) for q in self.quotes], "No quotes in this article")
        self._fill("places", [display.place_prompt(p) for p in self.places], "No places found")
        self.query_one("#quotes-title", Label).update(Content(f"Quotes ({len(self.quotes)})"))
        self.query_one("#places-title", Label).update(Content(f"Places ({len(self.places)})"))
        self.query_one("#place-detail", Static).update(Content(""))

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
            self.query_one("#place-detail", Static).update(display.place_detail(place))
            self.post_message(self.PlaceChosen(place))
