"""UI test fixtures: a real store filled through the real feed parser, and the app built by its factory."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widget import Widget

from tui.app import NewswireApp, build_app
from tui.core.config import Config, ReaderConfig, SaveConfig
from tui.core.feeds.parse import parse_feed
from tui.core.paths import resolve_paths
from tui.core.store import Store

# Served by the demo transport, which answers 404 for it: offline, and a refresh of it fails.
FEED_URL = "https://demo.newswire.invalid/harbour-gazette.xml"


def _item(guid: str, title: str, date: str, paragraphs: list[str], link: str | None = None) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    link = link or f"https://harbour.example/{guid}"
    return (
        f"<item><guid>{guid}</guid><title>{title}</title><link>{link}</link>"
        f"<pubDate>{date}</pubDate><description>{paragraphs[0][:60]}</description>"
        f"<content:encoded><![CDATA[{body}]]></content:encoded></item>"
    )


# Original text written for these tests. Dates are in 2020 so the list shows "Mon YYYY" in any year.
ITEMS = [
    _item(
        "ferry", "Night ferry returns to the northern route", "Tue, 10 Nov 2020 09:00:00 +0000",
        [
            "OSLO — The overnight ferry between Oslo and Kiel will sail again from March, the operator said "
            "on Monday, ending a two-year pause caused by a shortage of crew.",
            "“We have hired enough officers to run the route all year,” said Ingrid Solberg, the company’s "
            "head of operations. She said bookings had opened on Friday.",
            "The ship will call at Gothenburg on weekends during the summer season, adding a stop that "
            "travellers from Sweden had asked for since the route was first planned.",
            "Local councils in Kiel welcomed the decision. “It brings visitors back to our harbour,” said "
            "Mayor Ulf Kämpfer.",
        ],
    ),
    _item(
        "bridge", "Engineers find cracks in the old swing bridge", "Mon, 09 Nov 2020 15:30:00 +0000",
        [
            "LISBON — Inspectors found fine cracks in two steel beams of the swing bridge over the river "
            "harbour, and the city closed it to lorries while repairs are planned.",
            "“The bridge is safe for cars and people on foot,” said Marta Reis, the city engineer. "
            "“Heavy traffic will use the ring road until the work is done.”",
            "Repairs are expected to take six weeks and to cost about 2 million euros.",
        ],
    ),
    _item(
        "markets", "Fish market opens a second hall", "Sun, 08 Nov 2020 07:15:00 +0000",
        [
            "The fish market in Bergen opened a second hall on Sunday, doubling the number of stalls.",
            "Traders said the new hall would let them stay open through the winter storms.",
        ],
    ),
    _item(
        "tides", "Record tide floods the lower quay", "Sat, 07 Nov 2020 18:45:00 +0000",
        [
            "VENICE — A tide of 1.4 metres flooded the lower quay on Saturday evening, the highest this "
            "autumn.",
            "“The barriers were raised in time for the lagoon, but not for the quay,” said Paolo Bianchi, "
            "who runs a café near the water.",
        ],
    ),
]


def feed_xml(items: list[str] = ITEMS, title: str = "Harbour Gazette") -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        f"<channel><title>{title}</title><link>https://harbour.example/</link>"
        "<description>News from the harbour</description>"
        + "".join(items)
        + "</channel></rss>"
    ).encode("utf-8")


def fill_store(store: Store, xml: bytes, url: str = FEED_URL, tags: tuple[str, ...] = ("harbour",)) -> int:
    """Subscribe `url` and store `xml` as its refresh, through the real parser; returns the feed id."""
    feed, _ = store.add_feed(url, tags=tags)
    parsed = parse_feed(xml, url=url)
    store.apply_refresh(feed.id, checked_at=datetime.now(UTC), status="ok", error=None, parsed=parsed)
    return feed.id


@pytest.fixture
def store(newswire_home: Path) -> Store:
    paths = resolve_paths()
    paths.ensure()
    with Store(paths.database) as db:
        yield db


def ui_config(**reader: object) -> Config:
    options = {"refresh_on_start": False, **reader}
    home = resolve_paths()
    return Config(
        reader=ReaderConfig(**options),  # type: ignore[arg-type]
        save=SaveConfig(directory=str(home.save_dir)),
        path=home.config_file,
    )


def record_notifications(app: NewswireApp) -> NewswireApp:
    """Keep the text of every notification in `app.notified`, through the public `notify`."""
    notified: list[str] = []
    notify = app.notify

    def recording(message: str, **kwargs: object) -> None:
        notified.append(str(message))
        notify(message, **kwargs)  # type: ignore[arg-type]

    app.notify = recording  # type: ignore[method-assign]
    app.notified = notified  # type: ignore[attr-defined]
    return app


@pytest.fixture
def make_app(store: Store) -> Callable[..., NewswireApp]:
    def make(config: Config | None = None) -> NewswireApp:
        return record_notifications(build_app(resolve_paths(), config or ui_config(), store))

    return make


@pytest.fixture
def filled(store: Store) -> Store:
    fill_store(store, feed_xml())
    return store


async def wait_for(pilot: Pilot, predicate: Callable[[], object], timeout: float = 10.0) -> None:
    """Let the app run until `predicate()` holds."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for the app")
        await pilot.pause(0.02)
    await pilot.pause()


def shown(widget: Widget) -> str:
    """The text a line-rendered widget (DataTable, OptionList, Static) paints right now."""
    width, height = widget.size
    return "\n".join(strip.text for strip in widget.render_lines(Region(0, 0, width, height)))


async def open_article(pilot: Pilot) -> None:
    """Press enter on the entry list and wait for the article and sidebar."""
    app: NewswireApp = pilot.app  # type: ignore[assignment]
    await pilot.press("enter")
    main = app.main
    await wait_for(pilot, lambda: main.current is not None and main.reader.entry is not None
                   and main.reader.entry.id == main.current.id)
