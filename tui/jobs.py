"""The app's work off the UI thread: each job calls core functions and returns what the screen shows."""

from __future__ import annotations

import asyncio
import subprocess
from collections.abc import Awaitable, Callable, Collection, Iterable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol, TypeVar

from tui import display
from tui.core.config import Config
from tui.core.models import Entry, Feed
from tui.core.records import Record, record
from tui.core.store import Store
from tui.messages import RefreshProgress

if TYPE_CHECKING:
    from tui.core.feeds import DownloadJob, DownloadQueue, FeedRules, Fetcher, RefreshReport
    from tui.core.feeds.sync import SyncReport
    from tui.core.filters import QueryFeed
    from tui.core.language import Gazetteer
    from tui.core.models import Enclosure, Reading
    from tui.core.stories import Diff, Story

__all__ = [
    "Notice",
    "Opening",
    "RowSink",
    "Services",
    "StoryList",
    "auto_reload_feeds",
    "download",
    "downloads_dir",
    "filter_history_path",
    "first_story_list",
    "hidden_feeds",
    "open_reading",
    "play",
    "query_counts",
    "read",
    "refresh",
    "save",
    "story",
    "story_list",
    "story_list_rows",
    "story_rows",
    "sync",
    "updated",
    "versions",
    "what_changed",
]


@record
class Services(Record):
    """What the screen works with, given by the app: attributes go down."""

    store: Store
    config: Config
    fetcher: Callable[[], Awaitable[Fetcher]]  # for pages the user opens; made on first use
    refresh_fetcher: Callable[[], Awaitable[Fetcher]]  # for feeds: its queues never hold up a page
    save_dir: Path
    gazetteer: Callable[[], Gazetteer]  # the run's place index; blocks on first use: call it in a thread
    cache_dir: Path  # where that index is kept (refresh workers open it there)
    rules: Callable[[], FeedRules]  # kill rules and per-feed settings from the config


@record
class Notice(Record):
    """A one-line outcome for `notify` (already cleaned of feed text's control characters)."""

    text: str
    severity: Literal["information", "warning", "error"] = "information"
    title: str = ""


async def read(services: Services, entry: Entry) -> Reading:
    """The entry's Reading; a page that cannot be read becomes an empty article saying why."""
    from tui.core.reading import load_reading

    try:
        fetcher = await services.fetcher()
        return await load_reading(
            services.store, fetcher, entry, full_text=await _full_text(services, entry),
            gazetteer=await asyncio.to_thread(services.gazetteer),
        )
    except Exception as exc:  # noqa: BLE001 - a broken page must not take the app down
        from tui.core.models import Article, Reading

        return Reading(Article(title=entry.title, url=entry.link, reason=f"This article could not be shown: {exc}"))


@record
class Opening(Record):
    """Everything the reader shows for an entry: its reading, its story, its enclosures."""

    reading: Reading
    story: Story | None
    enclosures: list[Enclosure]
    # The entry's title when opening it changed it: a feed title that was only the story's opening
    # words gives way to the page's headline once the page is cleaned (the list row shows it then).
    title: str | None = None


def _around(services: Services, entry: Entry) -> tuple[Story | None, list[Enclosure]]:
    """The entry's story and enclosures (blocking)."""
    from tui.core.stories import story_of

    return story_of(services.store, entry.id), services.store.enclosures(entry.id)


def _made_here(services: Services, entry: Entry) -> Reading | None:
    """The reading of an entry whose feed carries the article, made in this thread (blocking).

    load_reading without a fetcher, on an event loop of this thread's own: its steps (cache,
    entry, cleaning, quotes and places, cache write) each hopped back to the UI's loop, which is
    busy painting the open, and waited for it. None when the page must be fetched (a teaser with
    full text on: the UI's fetcher does that) or when anything fails (the caller's path says why).
    """
    from tui.core.reading import load_reading, needs_page

    try:
        full = services.store.entry(entry.id) or entry
        if needs_page(full) and _wants_page(services, full):
            return None
        return asyncio.run(load_reading(services.store, None, full, full_text=False,
                                        gazetteer=services.gazetteer()))
    except Exception:  # noqa: BLE001 - the async path reads it again and shows what went wrong
        return None


def _wants_page(services: Services, entry: Entry) -> bool:
    """_full_text, blocking."""
    if not services.config.feeds:
        return services.config.reader.full_text
    return services.rules().full_text(services.store.feed(entry.feed_id), services.config.reader.full_text)


def _opening_here(services: Services, entry: Entry) -> Opening | None:
    from tui.core.reading import cached_reading

    reading = cached_reading(services.store, entry.id) or _made_here(services, entry)
    if reading is None:
        return None
    return Opening(reading, *_around(services, entry))


async def open_reading(services: Services, entry: Entry) -> Opening:
    """What the reader shows for `entry`, every store read off the UI thread.

    A cached reading, or one made from the feed's own HTML, comes with its story and enclosures
    from one trip to a thread (each trip waits for the UI's loop, busy painting the open); a page
    to fetch goes through load_reading on the UI's loop, the story and enclosures read beside it.
    """
    found = await asyncio.to_thread(_opening_here, services, entry)
    if found is not None:
        return found
    reading, (story, enclosures) = await asyncio.gather(read(services, entry), asyncio.to_thread(_around, services, entry))
    title = None
    if reading.article.title and reading.article.title != entry.title:
        now = await asyncio.to_thread(services.store.entry, entry.id)
        title = now.title if now is not None and now.title != entry.title else None
    return Opening(reading, story, enclosures, title)


async def save(services: Services, entry: Entry) -> Notice:
    """Write the entry's cleaned article to the save folder and record it."""
    from tui.core.article import FORMATS, own_earlier_file
    from tui.core.reading import load_reading, save_reading

    store = services.store
    reading = await load_reading(
        store, await services.fetcher(), entry, full_text=await _full_text(services, entry),
        gazetteer=await asyncio.to_thread(services.gazetteer),
    )
    if reading.article.is_empty:
        return Notice(display.message(reading.article.reason or "This article has no text to save."), "warning")
    directory = services.save_dir
    fmt = services.config.save.format
    # Saving the same article again replaces its own earlier file, as `newswire save` does.
    previous = own_earlier_file(await asyncio.to_thread(store.saves), entry.id, directory, FORMATS.get(fmt, fmt))
    enclosures = await asyncio.to_thread(store.enclosures, entry.id)
    try:
        path = await asyncio.to_thread(
            save_reading, reading, directory, fmt, entry=entry, previous=previous, enclosures=enclosures
        )
    except OSError as exc:
        return Notice(display.message(f"Could not save in {directory}: {exc.strerror or exc}"), "error")
    await asyncio.to_thread(store.record_save, entry.id, path)
    return Notice(display.message(f"Saved to {path}"), title="Saved")


async def refresh(
    services: Services, feeds: list[Feed], *, force: bool, post: Callable[[RefreshProgress], object]
) -> RefreshReport:
    """Refresh `feeds`, posting a RefreshProgress as each lands (with what is still pending), then
    fetch the full text of new summary-only entries (prefetch), posting its progress as a phase."""
    from tui.core.feeds import refresh_feeds
    from tui.core.prefetch import policy_from_config

    # A feed the sync server fetches never lands here: the refresh leaves it to the server.
    pending = {feed.id: feed for feed in feeds if not feed.synced}
    new_so_far = 0

    def progress(done: int, total: int, feed: Any, outcome: Any) -> None:
        # Progress messages collapse, so each carries the whole state: what is out, what is new.
        nonlocal new_so_far
        if getattr(outcome, "phase", None) == "prefetch":
            post(RefreshProgress(done, total, None, None, (), new_so_far, phase="prefetch"))
            return
        pending.pop(feed.id, None)
        new_so_far += outcome.new
        post(RefreshProgress(done, total, feed, outcome, tuple(pending.values()), new_so_far))

    fetcher = await services.refresh_fetcher()
    policy = policy_from_config(services.config, feeds, services.cache_dir)
    return await refresh_feeds(
        services.store, fetcher, feeds, force=force, progress=progress,
        default_interval=services.config.fetch.refresh_interval, rules=services.rules(), prefetch=policy,
    )


def sync_server(services: Services) -> str | None:
    """The host a refresh syncs with first (`[sync] on_refresh`), or None when it does not."""
    settings = services.config.sync
    if not (settings.enabled and settings.on_refresh):
        return None
    from urllib.parse import urlsplit

    return urlsplit(settings.url).netloc or settings.url


async def sync(services: Services) -> tuple[SyncReport | None, Notice | None]:
    """Sync with the configured server when `[sync] on_refresh` is on: what it did, or a warning why it
    failed (neither when sync is off)."""
    if sync_server(services) is None:
        return None, None
    from tui.core.feeds.sync import SyncError, sync_now

    try:
        return await sync_now(services.store, services.config), None
    except SyncError as exc:
        return None, Notice(display.message(str(exc)), "warning", title="Sync")


async def _full_text(services: Services, entry: Entry) -> bool:
    """Whether to fetch the entry's page: the config's default, or its feed's [[feed]] setting."""
    if not services.config.feeds:
        # No [[feed]] settings: every open would look its feed up (a query that counts its entries)
        # for nothing.
        return services.config.reader.full_text
    feed = await asyncio.to_thread(services.store.feed, entry.feed_id)
    return services.rules().full_text(feed, services.config.reader.full_text)


# -- filters, query feeds, auto-reload, enclosures -------------------------------------------------


def filter_history_path(services: Services) -> Path | None:
    """The filter prompt's history: a small file beside the database (None for a database in memory)."""
    path = services.store.path
    return None if str(path) == ":memory:" else path.parent / "filter-history.txt"


def query_counts(services: Services) -> list[QueryFeed]:
    """The config's query feeds with their unread and total counts (blocking: call it in a thread)."""
    from tui.core.filters import query_feeds

    return query_feeds(services.store, [(q.name, q.filter) for q in services.config.queries])


def hidden_feeds(services: Services, feeds: list[Feed]) -> frozenset[int]:
    """Ids of the feeds `[[feed]] hidden = true` keeps out of the feeds pane."""
    # Resolving per-feed settings compares normalised URLs (loading the subscriptions module and
    # lxml): only when some [[feed]] hides something, since this runs before the first paint.
    if not any(setting.hidden for setting in services.config.feeds):
        return frozenset()
    rules = services.rules()
    return frozenset(f.id for f in feeds if rules.hidden(f))


def auto_reload_feeds(services: Services) -> list[Feed]:
    """The feeds an auto-reload fetches: every one (newsboat's reload-time), except feeds with their
    own `[[feed]] refresh_interval` that are not due yet and feeds that are gone."""
    from tui.core.feeds import is_due

    rules = services.rules()
    now = datetime.now(UTC)
    return [
        feed for feed in services.store.feeds()
        if feed.status != "gone" and (rules.settings(feed).refresh_interval is None or is_due(feed, now))
    ]


def downloads_dir(services: Services) -> Path:
    """Where enclosures go: `[enclosures] directory`, else the save folder's podcasts/ (as the CLI)."""
    directory = services.config.enclosures.directory
    return Path(directory).expanduser() if directory else services.save_dir / "podcasts"


def play(services: Services, entry: Entry) -> tuple[Notice, subprocess.Popen[bytes] | None]:
    """Open the entry's first enclosure with the configured player (no shell; http/https only).

    Returns what to say and the player's process (to wait for: see `player_ended`)."""
    from tui.core.feeds import EnclosureError, open_enclosure

    enclosures = services.store.enclosures(entry.id)
    if not enclosures:
        return Notice("This article has no enclosure to play.", "warning"), None
    try:
        player = open_enclosure(services.config.enclosures.player, enclosures[0].url)
    except EnclosureError as exc:
        return Notice(display.message(f"Could not play: {exc}"), "error"), None
    return Notice(display.message(f"Playing {enclosures[0].url}"), title="Player"), player


def player_ended(player: subprocess.Popen[bytes]) -> Notice | None:
    """Wait for the player to exit (blocking: in a thread), so it leaves no zombie process behind;
    what to say when it failed (its output goes nowhere: a URL it could not play would go unseen)."""
    status = player.wait()
    if status == 0:
        return None
    return Notice(f"The player stopped with exit status {status}.", "warning", title="Player")


async def download(services: Services, queue: DownloadQueue, entry: Entry) -> list[DownloadJob]:
    """Queue the entry's first enclosure in `queue` (a file name chosen once, so a retry resumes)."""
    from tui.core.feeds import plan_downloads

    planned = await asyncio.to_thread(plan_downloads, services.store, entry.id, downloads_dir(services))
    return [queue.add(entry.id, url, target) for url, target in planned]
# -- stories ----------------------------------------------------------------------------------------


async def story(services: Services, entry: Entry) -> Story | None:
    """The story `entry` is a copy of (None when no other feed carries it)."""
    from tui.core.stories import story_of

    return await asyncio.to_thread(story_of, services.store, entry.id)


T = TypeVar("T")


@record
class StoryList(Record):
    """The rows of the story list: every story and the entries that stand alone, in list order."""

    rows: Sequence[Entry]
    stories: dict[int, Story]  # row entry id → the story it stands for


def story_list(services: Services, entries: list[Entry]) -> StoryList:
    """Collapse the copies of each story among `entries` into one row (blocking: call in a thread)."""
    from tui.core.stories import stories

    rows, found = story_rows(entries, stories(services.store))
    return StoryList(rows, found)


class RowSink(Protocol):
    """Where `story_list_rows` puts its rows (the app's EntryList: 100,000 entries kept in columns)."""

    def add_rows(self, rows: Iterable[tuple[object, ...]], skip: Collection[int] = ()) -> None: ...
    def append(self, entry: Entry) -> None: ...


def story_list_rows(services: Services, pages: Iterable[Sequence[tuple[Any, ...]]], rows: RowSink) -> dict[int, Story]:
    """`story_list` over a whole list read as Store.light_rows pages, its rows put into `rows` (no
    Entry made for an entry that stands alone); returns the stories by row entry id. Blocking."""
    from tui.core.stories import stories

    return _collapse(pages, itemgetter(0), stories(services.store), rows.add_rows, rows.append)


def _collapse(
    pages: Iterable[Sequence[T]], id_of: Callable[[T], int], found: Iterable[Story],
    plain: Callable[[Sequence[T]], object], story_row: Callable[[Entry], object],
) -> dict[int, Story]:
    """Walk a list in pages: runs of entries that stand alone go to `plain` as they are, and each story
    once, as its best copy (unread while any copy is), to `story_row` where its first listed copy was.
    Returns the stories by the entry id of their row."""
    of = {copy.entry.id: story for story in found for copy in story.copies}
    rows: dict[int, Story] = {}
    for page in pages:
        start = 0
        for i, item in enumerate(page):
            mine = of.get(id_of(item))
            if mine is None:
                continue
            plain(page[start:i])
            start = i + 1
            best = mine.best
            if best.id not in rows:
                story_row(replace(best, read=mine.unread == 0))
                rows[best.id] = mine
        plain(page[start:])
    return rows


def first_story_list(services: Services, entries: list[Entry]) -> StoryList:
    """`story_list` for the first screenful of a list: only the stories of `entries` are read."""
    from tui.core.stories import stories_of

    rows, found = story_rows(entries, stories_of(services.store, [e.id for e in entries]))
    return StoryList(rows, found)


def story_rows(entries: Sequence[Entry], found: Sequence[Story]) -> tuple[list[Entry], dict[int, Story]]:
    """One row per story among `entries` (in their order), the rest as they are.

    A story's row is its best copy, where its first listed copy was, unread while any copy is;
    the map gives the story of each such row (by the row's entry id).
    """
    rows: list[Entry] = []
    return rows, _collapse([entries], attrgetter("id"), found, rows.extend, rows.append)


def updated(services: Services) -> set[int]:
    """Entries whose feed or page later served a different text (blocking: call in a thread)."""
    return services.store.changed_ids()


async def versions(services: Services, entry_id: int) -> list[str]:
    """When each earlier version of an entry was replaced, oldest first (empty when never updated)."""
    found = await asyncio.to_thread(services.store.entry_versions, entry_id)
    return [str(v.get("replaced_at") or "") for v in found]


async def what_changed(services: Services, entry_id: int, other: int | None, version: int) -> Diff | None:
    """What copy `other` changed against `entry_id`, or (with `version` n) version n+1 against n."""
    from tui.core.stories import diff_entries, diff_versions

    store = services.store
    try:
        if other is not None:
            return await asyncio.to_thread(diff_entries, store, entry_id, other)
        diffs = await asyncio.to_thread(diff_versions, store, entry_id)
    except LookupError:
        return None
    return diffs[version - 1] if 0 < version <= len(diffs) else None
