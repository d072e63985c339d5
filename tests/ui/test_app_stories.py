"""Pilot tests of stories in the app: the story list, "Also in", story read marking, what changed, updated entries.

The store holds three feeds written for these tests: one wire story carried by all three (the
fullest copy with a paragraph of its own; a brief that cuts two paragraphs and edits a number; a
rewritten headline with markup in it), a distinct story on the same event (same background
paragraph, same quote) and an unrelated entry. They are grouped by the real clustering.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from textual.command import CommandPalette
from textual.widgets import OptionList

from tests.ui.conftest import feed_xml, fill_store, shown, ui_config, wait_for
from tui.actions import ACTIONS
from tui.core.store import Store
from tui.screens.main import MainScreen
from tui.screens.story_diff import StoryDiffScreen
from tui.sources import FeedSource
from tui.widgets.feeds import FeedList

# Original text written for these tests: a wire story about a dam on a river in flood.
LEAD = (
    "GRENOBLE, France (Wire) — Engineers opened every spillway of the Monteynard dam on Tuesday night "
    "after three days of rain raised the lake to within a metre of its crest, and villages downstream "
    "on the Drac were told to move cars and livestock to higher ground."
)
SECOND = (
    "The regional prefecture said the dam itself was sound and that the release of water was planned, "
    "but warned that the river could rise by two metres at Vizille before dawn on Wednesday."
)
QUOTE = (
    "“We are letting the water go in a controlled way so that we never have to let it go in an "
    "uncontrolled one,” said Hélène Marchetti, who runs the dam for the power company."
)
BACKGROUND = (
    "The Drac has flooded the southern suburbs of Grenoble four times since 1990, and a levee built "
    "after the last of those floods was raised by half a metre only two years ago."
)
CLOSING = (
    "Schools in six villages along the river will stay closed on Wednesday, the education office said, "
    "and the departmental road along the valley floor has been shut to all traffic until further notice."
)
ADDED = (
    "Residents of Champ-sur-Drac said the sirens sounded just after ten in the evening and that "
    "firefighters went from door to door to wake those who had not heard them over the rain."
)

# A distinct story on the same event: other reporting, the same background paragraph and one quote.
OTHER_LEAD = (
    "Farmers in the Trièves plateau above the Drac valley counted their losses on Wednesday after hail "
    "and a week of rain flattened most of the spring barley, the second failed harvest in three years."
)
OTHER_SECOND = (
    "The chamber of agriculture asked the government to declare a natural disaster so that growers can "
    "draw on the national fund, and said it would send inspectors to every farm before the weekend."
)
OTHER_THIRD = (
    "Dairy farmers said their meadows were under water and that they had moved their herds to barns "
    "normally kept for the winter, buying hay at twice the usual price from neighbours in the Vercors."
)

DATES = ("Tue, 10 Nov 2020 21:00:00 +0000", "Tue, 10 Nov 2020 22:30:00 +0000", "Wed, 11 Nov 2020 06:15:00 +0000")


def _item(guid: str, title: str, date: str, paragraphs: list[str], site: str) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<item><guid>{guid}</guid><title>{title}</title><link>https://{site}.example/{guid}</link>"
        f"<pubDate>{date}</pubDate><description>{paragraphs[0][:60]}</description>"
        f"<content:encoded><![CDATA[{body}]]></content:encoded></item>"
    )


ALPINE_URL = "https://demo.newswire.invalid/alpine-courier.xml"
VALLEY_URL = "https://demo.newswire.invalid/valley-times.xml"
WIRE_URL = "https://demo.newswire.invalid/wire-digest.xml"

# The fullest copy: Valley Times, with a paragraph of its own reporting.
ALPINE = [
    _item("dam", "Dam opens spillways as Drac rises", DATES[0],
          [LEAD, SECOND, QUOTE, BACKGROUND, CLOSING], "alpine"),
    _item("market", "Winter market moves indoors", "Mon, 09 Nov 2020 10:00:00 +0000",
          ["The Christmas market of Annecy will be held in the old covered hall this year, the town hall said, "
           "because the lakeside square is being repaved and will not be ready before spring."], "alpine"),
]
VALLEY = [
    _item("spillways", "Villages told to move to higher ground as dam releases water", DATES[1],
          [LEAD, SECOND, QUOTE, ADDED, BACKGROUND, CLOSING], "valley"),
    _item("harvest", "Hail and rain ruin barley harvest on the plateau", DATES[2],
          [OTHER_LEAD, OTHER_SECOND, QUOTE, BACKGROUND, OTHER_THIRD], "valley"),
]
WIRE = [
    # A brief: the quote and the closing paragraph cut, one word changed in the second paragraph.
    _item("w-dam", "Monteynard dam spillways opened [/b] [bold]", DATES[2],
          [LEAD, SECOND.replace("two metres", "three metres"), BACKGROUND], "wire"),
]


def fill_stories(store: Store) -> dict[str, int]:
    """Three feeds with the copies above, grouped into stories as a refresh would; guid → entry id."""
    from tui.core.stories import update_stories

    fill_store(store, feed_xml(ALPINE, "Alpine Courier"), ALPINE_URL, ("alps",))
    fill_store(store, feed_xml(VALLEY, "Valley Times"), VALLEY_URL, ("alps",))
    fill_store(store, feed_xml(WIRE, "Wire Digest"), WIRE_URL, ("wire",))
    update_stories(store)
    return {e.guid: e.id for e in store.entries()}


@pytest.fixture
def wire(store: Store) -> dict[str, int]:
    return fill_stories(store)


def unread_of(store: Store, url: str) -> int:
    feed = store.feed_by_url(url)
    assert feed is not None
    return feed.unread


def feed_unread(app: object, url: str) -> int:
    """The unread count the feeds pane holds for the feed at `url`."""
    feeds = app.main.query_one(FeedList).feeds  # type: ignore[attr-defined]
    return next(f.unread for f in feeds.values() if f.url == url)


def row_text(table: object, entry_id: int) -> str:
    """What the list paints on the row of `entry_id` (under the border and the header)."""
    index = table.index_of(entry_id)  # type: ignore[attr-defined]
    assert index is not None
    return shown(table).splitlines()[index + 2]  # type: ignore[arg-type]


async def story_row(pilot: object, app: object, wire: dict[str, int]) -> None:
    """Turn the story list on and put the cursor on the wire story's row."""
    main = app.main  # type: ignore[attr-defined]
    await pilot.press("S")  # type: ignore[attr-defined]
    await wait_for(pilot, lambda: main.table.stories)  # type: ignore[arg-type]
    index = main.table.index_of(wire["spillways"])
    assert index is not None
    main.table.move_to(index)
    await pilot.pause()  # type: ignore[attr-defined]


async def test_the_flat_list_is_the_default_and_S_shows_one_row_per_story(make_app, wire):
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        table = app.main.table
        assert table.stories is None and len(table.entries) == 5
        assert "Outlets" not in shown(table)
        await pilot.press("S")
        await wait_for(pilot, lambda: table.stories)
        # The three copies are one row (the fullest copy, Valley Times'); the story on the same event
        # and the unrelated entry stay rows of their own.
        # The story's row stands where its newest copy (the brief) was.
        assert [e.id for e in table.entries] == [wire["spillways"], wire["harvest"], wire["market"]]
        assert set(table.stories) == {wire["spillways"]}
        text = shown(table)
        assert "Outlets" in text and "3 outlets" in text
        assert text.count("outlet") == 1  # the one story row
        assert "Villages told to move to higher ground" in text and "Dam opens spillways" not in text
        assert "stories" in str(table.border_title)
        await pilot.press("S")
        await wait_for(pilot, lambda: table.stories is None)
        assert len(table.entries) == 5 and "Outlets" not in shown(table)


async def test_a_narrow_story_list_keeps_room_for_the_title(make_app, wire):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.main.table
        await pilot.press("S")
        await wait_for(pilot, lambda: table.stories)
        row = row_text(table, wire["spillways"])
        assert "3×" in row and "Villages told" in row and "outlets" not in row


async def test_a_story_row_shows_the_date_of_the_newest_copy_where_it_stands(make_app, store):
    # Dates of this year (the list shows day and month then), on days that are not today.
    from datetime import UTC, datetime

    from tui import display

    now = datetime.now(UTC)
    month = 3 if now.month != 3 else 5
    full, brief, alone = (datetime(now.year, month, day, 9, 0, tzinfo=UTC) for day in (3, 20, 12))

    def stamp(when: datetime) -> str:
        return when.strftime("%a, %d %b %Y %H:%M:%S +0000")

    fill_store(store, feed_xml([_item("dam", "Dam opens spillways as Drac rises", stamp(full),
                                      [LEAD, SECOND, QUOTE, ADDED, BACKGROUND, CLOSING], "alpine")], "Alpine Courier"),
               ALPINE_URL, ("alps",))
    fill_store(store, feed_xml([_item("w-dam", "Monteynard dam spillways opened", stamp(brief),
                                      [LEAD, SECOND, BACKGROUND], "wire"),
                                _item("market", "Winter market moves indoors", stamp(alone),
                                      [OTHER_LEAD, OTHER_SECOND, OTHER_THIRD], "wire")], "Wire Digest"),
               WIRE_URL, ("wire",))
    from tui.core.stories import update_stories

    update_stories(store)
    ids = {e.guid: e.id for e in store.entries()}
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        table = app.main.table
        await pilot.press("S")
        await wait_for(pilot, lambda: table.stories)
        # The row is the fuller copy (Alpine Courier's), listed where the brief is: above the market
        # entry, so it carries the brief's date and the column stays in order.
        assert [e.id for e in table.entries] == [ids["dam"], ids["market"]]
        row = row_text(table, ids["dam"])
        assert "Dam opens spillways" in row
        assert display.short_date(brief) in row and display.short_date(full) not in row
        await pilot.press("S")
        await wait_for(pilot, lambda: table.stories is None)
        assert display.short_date(full) in row_text(table, ids["dam"])


async def test_the_palette_and_a_remapped_key_toggle_stories(make_app, wire):
    app = make_app(replace(ui_config(), keys={"toggle_stories": "z"}))
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"stories: toggle")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen) and app.main.table.stories)
        await pilot.press("S")  # no longer the key
        await pilot.pause()
        assert app.main.table.stories
        await pilot.press("z")
        await wait_for(pilot, lambda: app.main.table.stories is None)


async def test_opening_a_story_shows_the_best_copy_with_every_copy_and_c_moves_between_them(make_app, wire, store):
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        main = app.main
        await story_row(pilot, app, wire)
        await pilot.press("enter")
        await wait_for(pilot, lambda: main.reader.entry is not None and main.reader.also_text)
        assert main.reader.entry.id == wire["spillways"]  # the fullest copy
        also = main.reader.also_text
        for outlet, headline in (("Alpine Courier", "Dam opens spillways as Drac rises"),
                                 ("Valley Times", "Villages told to move to higher ground"),
                                 ("Wire Digest", "Monteynard dam spillways opened [/b] [bold]")):
            assert outlet in also and headline in also
        assert "Nov 2020" in also  # each copy's time
        assert "▸ Valley Times" in also  # the copy shown
        assert "c: next copy" in also and "w: what changed" in also
        # Reading the story read every copy; the feeds pane counts follow.
        assert all(store.entry(wire[g]).read for g in ("dam", "spillways", "w-dam"))
        assert not store.entry(wire["harvest"]).read
        await wait_for(pilot, lambda: feed_unread(app, WIRE_URL) == 0 and feed_unread(app, ALPINE_URL) == 1)
        # c: the next copy (oldest first, round), its own article and the same "Also in".
        await pilot.press("c")
        await wait_for(pilot, lambda: main.reader.entry is not None and main.reader.entry.id == wire["w-dam"]
                       and "▸ Wire Digest" in main.reader.also_text)
        assert "three metres" in main.reader.text
        await pilot.press("c")
        await wait_for(pilot, lambda: main.reader.entry is not None and main.reader.entry.id == wire["dam"])
        # A copy opened from the flat list shows its story too.
        await pilot.press("escape", "S")
        await wait_for(pilot, lambda: main.table.stories is None)
        main.table.move_to(main.table.index_of(wire["harvest"]))
        await pilot.press("enter")
        await wait_for(pilot, lambda: main.reader.entry is not None and main.reader.entry.id == wire["harvest"])
        await pilot.pause(0.2)
        assert main.reader.also_text == ""  # the story on the same event is not a copy


async def test_m_and_A_on_story_rows_mark_every_copy_and_counts_update(make_app, wire, store):
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        main = app.main
        await story_row(pilot, app, wire)
        await pilot.press("m")
        await wait_for(pilot, lambda: feed_unread(app, WIRE_URL) == 0)
        assert all(store.entry(wire[g]).read for g in ("dam", "spillways", "w-dam"))
        assert feed_unread(app, ALPINE_URL) == 1 and feed_unread(app, VALLEY_URL) == 1
        assert "copies read" in app.notified[-1]
        # The story's row repaints as read (the list is read again off the UI thread).
        await wait_for(pilot, lambda: main.table.index_of(wire["spillways"]) is not None
                       and "●" not in row_text(main.table, wire["spillways"]))
        assert "3 outlets" in row_text(main.table, wire["spillways"])
        await pilot.press("m")
        await wait_for(pilot, lambda: feed_unread(app, WIRE_URL) == 1)
        assert not any(store.entry(wire[g]).read for g in ("dam", "spillways", "w-dam"))
        # A inside one feed, story list on: that feed's entries and every copy of its stories elsewhere.
        alpine = store.feed_by_url(ALPINE_URL)
        main.go_to(FeedSource(alpine.id))
        await wait_for(pilot, lambda: main.source == FeedSource(alpine.id) and main.table.stories is not None)
        await pilot.press("A")
        await wait_for(pilot, lambda: feed_unread(app, WIRE_URL) == 0)
        assert unread_of(store, ALPINE_URL) == 0 and unread_of(store, VALLEY_URL) == 1
        assert not store.entry(wire["harvest"]).read
        await pilot.press("U")
        await wait_for(pilot, lambda: feed_unread(app, WIRE_URL) == 1)
        assert unread_of(store, ALPINE_URL) == 2


async def test_what_changed_between_copies(make_app, wire):
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        main = app.main
        await story_row(pilot, app, wire)
        await pilot.press("enter")
        await wait_for(pilot, lambda: main.reader.also_text)
        await pilot.press("w")
        await wait_for(pilot, lambda: isinstance(app.screen, StoryDiffScreen))
        view = app.screen
        choices = view.query_one(OptionList)
        assert choices.option_count == 2  # the two other copies
        # The first: Alpine Courier's copy against Valley Times' (shown): its own paragraph is not there.
        await wait_for(pilot, lambda: view.diff is not None)
        text = view.text
        assert "Alpine Courier" in text and "Valley Times" in text
        assert "Paragraph cut" in text and "Residents of Champ-sur-Drac" in text
        assert "Headline" in text and "Dam opens spillways as Drac rises" in text
        # Choose the other: the brief.
        first = view.diff
        await pilot.press("down")
        await wait_for(pilot, lambda: view.diff is not first and view.diff is not None)
        text = view.text
        assert "Monteynard dam spillways opened [/b] [bold]" in text  # markup shown as written
        assert "Words edited" in text and "two" in text and "three" in text
        assert "Quotes dropped" in text and "We are letting the water go" in text
        assert "Schools in six villages" in text  # cut
        assert "Paragraph added" not in text
        # Added and cut are coloured by theme variables (never a hex colour).
        from tui import display

        styles = {str(span.style) for span in display.diff_view(view.diff, display.plain("a"), display.plain("b")).spans}
        assert any("$text-success" in s for s in styles) or any("$text-error" in s for s in styles)
        assert not any("#" in s for s in styles)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))


async def test_what_changed_from_the_palette_and_nothing_to_compare(make_app, wire):
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        main = app.main
        main.table.move_to(main.table.index_of(wire["market"]))
        await pilot.press("w")
        await wait_for(pilot, lambda: app.notified)
        assert "Nothing to compare" in app.notified[-1]
        assert isinstance(app.screen, MainScreen)
        main.table.move_to(main.table.index_of(wire["w-dam"]))
        await pilot.press("ctrl+p", *"story: what changed")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, StoryDiffScreen) and app.screen.diff is not None)
        assert app.screen.shown.id == wire["w-dam"]
        await pilot.press("q")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))


UPDATED_SPILLWAYS = _item(
    "spillways", "Dam releases water; villages on the Drac evacuated", DATES[1],
    [LEAD, SECOND, QUOTE, ADDED, BACKGROUND, CLOSING,
     "“Nobody should try to cross the river tonight,” said the mayor of Vizille, Guy Genet, late on Tuesday."],
    "valley",
)


async def test_an_updated_entry_is_marked_and_its_versions_are_diffed(make_app, wire, store):
    # The Valley Times serves the story again with a new headline and a closing quote.
    fill_store(store, feed_xml([UPDATED_SPILLWAYS, VALLEY[1]], "Valley Times"), VALLEY_URL, ("alps",))
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        main = app.main
        table = main.table
        await wait_for(pilot, lambda: wire["spillways"] in table.changed)
        row = row_text(table, wire["spillways"])
        assert "updated Dam releases water" in row
        assert not any("updated" in row_text(table, wire[g]) for g in ("dam", "w-dam", "harvest"))
        table.move_to(table.index_of(wire["spillways"]))
        await pilot.press("w")
        await wait_for(pilot, lambda: isinstance(app.screen, StoryDiffScreen))
        view = app.screen
        labels = [str(view.query_one(OptionList).get_option_at_index(i).prompt)
                  for i in range(view.query_one(OptionList).option_count)]
        assert any("version 1 → now" in label for label in labels)
        view.query_one(OptionList).highlighted = next(i for i, label in enumerate(labels) if "version 1" in label)
        await wait_for(pilot, lambda: view.diff is not None and view.diff.title_changed)
        text = view.text
        assert "Villages told to move to higher ground as dam releases water" in text
        assert "Dam releases water; villages on the Drac evacuated" in text
        assert "Paragraph added" in text and "Nobody should try to cross the river tonight" in text
        assert "Quotes added" in text


def test_every_story_key_is_in_the_actions_table():
    ids = {a.id: a for a in ACTIONS}
    assert ids["toggle_stories"].palette == "stories: toggle" and ids["toggle_stories"].key == "S"
    assert ids["what_changed"].palette == "story: what changed" and ids["what_changed"].key
    assert ids["next_copy"].key and ids["diff_close"].scopes == ("diff",)


async def test_reader_stories_starts_in_the_story_list_and_its_first_screenful_is_already_grouped(make_app, wire, store):
    """`[reader] stories = true`: one row per story from the start, not only after S. With more entries
    than a screenful, the first one is grouped before the first paint; the whole list follows where the
    cursor is."""
    from tui.widgets.entries import FIRST_ROWS

    older = [
        _item(f"old{n}", f"Harbour note {n}", f"Sun, 01 Nov 2020 {n // 60:02d}:{n % 60:02d}:00 +0000",
              [f"Note {n} about the harbour: the ferry timetable changes on Monday for the winter season."], "notes")
        for n in range(FIRST_ROWS + 20)
    ]
    fill_store(store, feed_xml(older, "Harbour Notes"), "https://demo.newswire.invalid/notes.xml", ("notes",))
    app = make_app(ui_config(stories=True))
    firsts: list[tuple[list[int], set[int]]] = []
    real = MainScreen._show_stories

    def spy(self, source, keep, show_feed):  # type: ignore[no-untyped-def]
        real(self, source, keep, show_feed)
        firsts.append(([e.id for e in self.table.entries], set(self.table.stories or ())))

    MainScreen._show_stories = spy  # type: ignore[method-assign]
    try:
        async with app.run_test(size=(160, 48)) as pilot:
            table = app.main.table
            # Before any worker ran: the newest screenful, its three copies already one row.
            [(ids, stories)] = firsts[:1]
            assert ids[:3] == [wire["spillways"], wire["harvest"], wire["market"]] and stories == {wire["spillways"]}
            assert len(ids) == FIRST_ROWS - 2
            table.move_to(5)
            here = table.cursor_entry.id
            total = FIRST_ROWS + 20 + 5 - 2
            await wait_for(pilot, lambda: len(table.entries) == total)
            assert table.cursor_entry.id == here and set(table.stories) == {wire["spillways"]}
            assert "stories" in str(table.border_title) and "3 outlets" in shown(table)
            await pilot.press("S")  # the flat list, as ever
            await wait_for(pilot, lambda: table.stories is None)
    finally:
        MainScreen._show_stories = real  # type: ignore[method-assign]
