"""Refresh many feeds: fetch → parse (off the event loop, on every core) → one store transaction each."""

from __future__ import annotations

import asyncio
import functools
import inspect
import os
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal

from tui.core.feeds.fetch import Fetcher
from tui.core.feeds.rules import FeedRules
from tui.core.models import Feed, FetchResult, ParsedFeed
from tui.core.prefetch import PrefetchSession, after_refresh, classify_parsed
from tui.core.text import clean_line, truncate

if TYPE_CHECKING:
    from concurrent.futures import Executor

DEFAULT_INTERVAL = 30 * 60  # seconds
# A server's hint (max-age, <ttl>, Retry-After) may lengthen the wait, but never past a day:
# static hosts send max-age of a year for files that still change.
MAX_HINT = 24 * 60 * 60
# Below this many feeds due, worker processes cost more than they save. With the lxml fast path
# a feed parses in ~2 ms, and on two cores workers cost more CPU than they save at 200 feeds
# (benchmarks/RESULTS.md): a thread parses, unless asked for workers (parse_workers).
PROCESS_BATCH = 1_000_000
# Status-only updates (a 304, a failure) wait for one shared transaction, at most this many.
STATUS_BATCH = 256
# Feeds parsed while another is being stored join the next transaction, at most this many: one
# commit per feed cost ~50 % more CPU (each also flushes a segment of the search index), and a
# bounded batch keeps the store's lock short for the app's readers. A command that has no readers
# to keep waiting (`newswire refresh`) may ask for larger ones (refresh_feeds' `store_batch`): four
# commits, not thirteen, for 200 feeds cost ~5 % less of the store's CPU (fewer search-index segments
# to flush and merge), and that CPU is the end of a refresh's critical path.
STORE_BATCH = 16
# With the writes in another process, feeds up to this size parse on the event loop (_Parser.inline).
INLINE_MAX = 256 * 1024

OutcomeStatus = Literal["ok", "not_modified", "skipped", "failed", "gone"]
Progress = Callable[[int, int, Feed, "FeedOutcome"], Any]


@dataclass(frozen=True, slots=True)
class FeedOutcome:
    """What refreshing one feed did."""

    feed: Feed
    status: OutcomeStatus
    new: int = 0
    updated: int = 0
    error: str | None = None  # a readable sentence when failed or gone
    warning: str | None = None  # the parser read a damaged document leniently
    new_url: str | None = None  # permanent redirect recorded
    next_due: datetime | None = None
    elapsed: float = 0.0

    @property
    def failed(self) -> bool:
        return self.status in ("failed", "gone")

    def describe(self) -> str:
        """One line for progress output: "3 new, 1 updated", "not modified", "HTTP 404 Not Found"."""
        if self.status == "ok":
            text = f"{self.new} new, {self.updated} updated" if self.new or self.updated else "no new entries"
        elif self.status == "not_modified":
            text = "not modified"
        elif self.status == "skipped":
            if self.feed.status == "gone":
                text = "skipped: the feed is gone (refresh with force to retry)"
            else:
                due = self.feed.next_due
                text = f"not due until {due.astimezone().strftime('%H:%M')}" if due else "skipped"
        elif self.status == "gone":
            text = f"gone: {self.error}"
        else:
            text = f"failed: {self.error}"
        if self.new_url:
            text += f" (moved permanently to {self.new_url})"
        return text


@dataclass(frozen=True, slots=True)
class RefreshReport:
    """Per-feed outcomes of one refresh, in the order the feeds were given, and totals."""

    outcomes: tuple[FeedOutcome, ...] = ()
    elapsed: float = 0.0
    parse_workers: int = 0  # processes used for parsing; 0 means a thread
    after: Any = None  # the prefetch and stories pass (tui.core.prefetch.PrefetchReport)
    notes: tuple[str, ...] = ()  # what else the user should know (a writer process that stopped)

    def _with(self, *statuses: str) -> list[FeedOutcome]:
        return [o for o in self.outcomes if o.status in statuses]

    @property
    def ok(self) -> list[FeedOutcome]:
        return self._with("ok")

    @property
    def not_modified(self) -> list[FeedOutcome]:
        return self._with("not_modified")

    @property
    def skipped(self) -> list[FeedOutcome]:
        return self._with("skipped")

    @property
    def failed(self) -> list[FeedOutcome]:
        """Feeds that could not be read, including those the server says are gone."""
        return self._with("failed", "gone")

    @property
    def new_entries(self) -> int:
        return sum(o.new for o in self.outcomes)

    @property
    def updated_entries(self) -> int:
        return sum(o.updated for o in self.outcomes)

    def summary_lines(self) -> list[str]:
        """A short human summary: totals, then one line per failed or moved feed."""
        def count(n: int, noun: str) -> str:
            return f"{n} {noun}" if n == 1 else f"{n} {noun}s"

        # "from N feeds" counts the feeds that were read: a failed feed brought nothing.
        read = len(self.ok) + len(self.not_modified)
        head = f"{count(self.new_entries, 'new article')} from {count(read, 'feed')}"
        if self.failed:
            head += f", {len(self.failed)} failed"
        if self.updated_entries:
            head += f"; {self.updated_entries} updated"
        lines = [head + f" (in {self.elapsed:.1f} s)"]
        parts = [f"{len(self.ok)} with content", f"{len(self.not_modified)} not modified"]
        if self.skipped:
            parts.append(f"{len(self.skipped)} not due")
        parts.append(f"{len(self.failed)} failed")
        lines.append(", ".join(parts))
        for outcome in self.failed:
            lines.append(f"  {clean_line(outcome.feed.url)}: {outcome.describe()}")
        for outcome in self.outcomes:
            if outcome.new_url and not outcome.failed:
                lines.append(f"  {clean_line(outcome.feed.url)}: moved permanently to {outcome.new_url}")
        lines.extend(f"  note: {note}" for note in self.notes)
        if self.after is not None:
            lines.extend(self.after.summary_lines())
        return lines


def _seconds(value: float | timedelta) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def next_due_after(
    checked: datetime, *, interval: float, max_age: float | None = None,
    ttl_minutes: int | None = None, retry_after: float | None = None,
) -> datetime:
    """When a feed is next worth fetching: the interval, lengthened by the server's hints."""
    hints = [h for h in (max_age, ttl_minutes * 60 if ttl_minutes else None, retry_after) if h]
    delay = max([interval, *(min(h, MAX_HINT) for h in hints)])
    return checked + timedelta(seconds=delay)


def is_due(feed: Feed, now: datetime) -> bool:
    if feed.status == "gone":
        return False
    return feed.next_due is None or feed.next_due <= now


def _load_parser(classify: bool) -> None:
    """Load the parser (and the teaser test) ahead of the first response, and what the store uses
    to write new entries (their story keys: loaded in the first write, it took ~18 ms of the
    busiest part of a refresh, where every feed's parse and write wait on one GIL)."""
    import importlib

    importlib.import_module("tui.core.feeds.parse")
    if classify:
        importlib.import_module("tui.core.article.teaser")
    importlib.import_module("tui.core.stories")


def _parse(
    body: bytes, *, url: str, headers: dict[str, str], classify: bool
) -> tuple[ParsedFeed, dict[str, str | None] | None]:
    # Imported on first use: a refresh where every feed answers 304 parses nothing.
    from tui.core.feeds.parse import parse_feed

    parsed = parse_feed(body, url=url, headers=headers)
    return parsed, classify_parsed(parsed.entries) if classify else None


class _Parser:
    """Runs parse_feed off the event loop: worker processes for big batches, else a thread."""

    def __init__(self, batch: int, workers: int | None) -> None:
        cores = os.cpu_count() or 1
        if workers is None:
            workers = cores if cores > 1 and batch >= PROCESS_BATCH else 0
        self.workers = max(0, min(workers, batch))
        # Set when another process writes the entries (a core is free): documents up to INLINE_MAX
        # are then parsed on the event loop, without six threads contending for one GIL with it.
        self.inline = False
        self._pool: Executor | None = None
        if self.workers:
            from tui.core.workers import process_pool

            self._pool = process_pool(self.workers, "tui.core.feeds.parse")

    async def parse(
        self, body: bytes, url: str, headers: Mapping[str, str], *, classify: bool = False
    ) -> tuple[ParsedFeed, dict[str, str | None] | None]:
        """The parsed feed, and with `classify` its entries' prefetch verdicts (classify_parsed)."""
        job = functools.partial(_parse, body, url=url, headers=dict(headers), classify=classify)
        if self.inline and len(body) <= INLINE_MAX:
            return job()
        if self._pool is not None:
            from concurrent.futures.process import BrokenProcessPool

            try:
                return await asyncio.get_running_loop().run_in_executor(self._pool, job)
            except BrokenProcessPool:
                self._pool = None  # a worker died (killed, out of memory): carry on in threads
        return await asyncio.to_thread(job)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)


def due_feeds(feeds: Iterable[Feed], *, force: bool, now: datetime) -> list[Feed]:
    """The feeds a refresh fetches: not kept by a sync server (it fetches those), and due (all with `force`)."""
    return [f for f in feeds if not f.synced and (force or is_due(f, now))]


async def refresh_feeds(
    store: Any,
    fetcher: Fetcher,
    feeds: Iterable[Feed] | None = None,
    *,
    force: bool = False,
    progress: Progress | None = None,
    default_interval: float | timedelta = DEFAULT_INTERVAL,
    parse_workers: int | None = None,
    prefetch: Any = None,
    rules: FeedRules | None = None,
    store_batch: int = STORE_BATCH,
    writer_process: Any = None,
) -> RefreshReport:
    """Fetch, parse and store `feeds` (all subscriptions when None) concurrently.

    Feeds not yet due (and feeds that are gone) are skipped unless `force`. Each feed is stored
    in one transaction, so an interrupted refresh never leaves half a feed; a feed that fails
    keeps its error as a sentence and never stops the others. `progress(done, total, feed,
    outcome)` is called as each feed finishes (it may be a coroutine function).
    `parse_workers`: processes for parsing (None: every core for a big batch; 0: a thread).
    The full text of new summary-only entries is fetched (`prefetch`: a PrefetchPolicy, None for
    none), each feed's as soon as it is stored; its progress, after the feeds', has
    `outcome.phase == "prefetch"`. Then new entries are grouped into stories.
    `rules`: kill rules and per-feed settings (interval, headers, title) from the config.
    `store_batch`: at most this many parsed feeds share one store transaction.
    `writer_process`: a tui.core.feeds.writer.WriterProcess (the command's), which writes the parsed
    feeds in a child process when a core is free; the caller closes it.
    """
    started = time.monotonic()
    # Feeds kept by a sync server are fetched by that server and arrive with `newswire sync`
    # (fetched here too, their items would come twice: under the feed's ids and the server's).
    feeds = [f for f in (store.feeds() if feeds is None else feeds) if not f.synced]
    interval = _seconds(default_interval)
    now = datetime.now(UTC)
    due = due_feeds(feeds, force=force, now=now)
    parser = _Parser(len(due), parse_workers)
    status = _StatusWriter(store)
    writer = _EntryWriter(store, store_batch, writer_process)
    if writer_process is not None:
        writer_process.arm()  # it decides soon, or at the first parsed feed if that comes first
    # New entries are told apart (teaser or full text) in the parse step, while their text is in
    # hand, and their verdicts stored with them; a feed's teasers have their pages fetched as
    # soon as it is stored (one slow feed holds back no page), and the pass after the refresh
    # reads and tests only what is left. Only for feeds that pass would classify (prefetch on).
    classify: frozenset[int] = frozenset()
    session: PrefetchSession | None = None
    if writer.batches and prefetch is not None and prefetch.enabled and prefetch.max_pages > 0:
        classify = frozenset(f.id for f in due if f.id not in prefetch.skip_feeds)
        session = PrefetchSession(store, fetcher, prefetch, progress)
    outcomes: dict[int, FeedOutcome] = {}
    done = 0

    async def report(index: int, feed: Feed, outcome: FeedOutcome) -> None:
        nonlocal done
        outcomes[index] = outcome
        done += 1
        if progress is not None:
            result = progress(done, len(feeds), feed, outcome)
            if inspect.isawaitable(result):
                await result

    async def one(index: int, feed: Feed) -> None:
        began = time.monotonic()
        try:
            outcome = await _refresh_one(
                fetcher, parser, status, writer, feed, interval, rules,
                session=session if feed.id in classify else None,
            )
        except Exception as exc:  # noqa: BLE001 - a bug must cost one feed, not the refresh
            outcome = await _record_crash(store, feed, exc, interval)
        await report(index, feed, replace(outcome, elapsed=time.monotonic() - began))

    warming = None
    if any(not (f.etag or f.last_modified) for f in due):
        # Feeds without validators answer in full: the parser (and lxml) will be needed, so it
        # loads now, in a thread, while the first requests wait on the network, not after them.
        warming = asyncio.ensure_future(asyncio.to_thread(_load_parser, bool(classify)))
    try:
        for index, feed in enumerate(feeds):
            if not (force or is_due(feed, now)):
                await report(index, feed, FeedOutcome(feed, "skipped", next_due=feed.next_due))
        await asyncio.gather(*(one(i, f) for i, f in enumerate(feeds) if i not in outcomes))
    except BaseException:
        if session is not None:
            session.close()  # cancelled: pages not fetched yet wait for the next refresh
        raise
    finally:
        parser.close()
        if warming is not None:
            await asyncio.gather(warming, return_exceptions=True)
        try:
            await writer.drained()
            await status.flush()
        except Exception:  # noqa: BLE001 - the store is failing: the outcomes above already say what happened
            pass
    after = await after_refresh(store, fetcher, prefetch, progress, classified=writer.classified, session=session)
    return RefreshReport(
        outcomes=tuple(outcomes[i] for i in range(len(feeds))),
        elapsed=time.monotonic() - started,
        parse_workers=parser.workers,
        after=after,
        notes=(writer_process.note,) if writer_process is not None and writer_process.note else (),
    )


async def _store(store: Any, feed_id: int, **kwargs: Any) -> tuple[int, int]:
    # sqlite work is blocking; the store's own lock serialises writers.
    return await asyncio.to_thread(functools.partial(store.apply_refresh, feed_id, **kwargs))


class _StatusWriter:
    """Collects status-only updates (304s, failures) and writes them in shared transactions.

    A feed that answers 304 then costs no write of its own: its new validators and due time
    join one transaction at the end of the refresh (or when STATUS_BATCH are waiting). If the
    refresh is killed first, those feeds keep their previous check time and are asked again.
    """

    def __init__(self, store: Any) -> None:
        self._store = store
        self._pending: list[tuple[int, dict[str, Any]]] = []
        self._many = getattr(store, "apply_refresh_many", None)

    async def add(self, feed_id: int, **kwargs: Any) -> None:
        if self._many is None:  # a store without batches (test doubles): one at a time
            await _store(self._store, feed_id, **kwargs)
            return
        self._pending.append((feed_id, kwargs))
        if len(self._pending) >= STATUS_BATCH:
            await self.flush()

    async def flush(self) -> None:
        pending, self._pending = self._pending, []
        if pending and self._many is not None:
            await asyncio.to_thread(self._many, pending)


class _EntryWriter:
    """Stores parsed feeds, each whole: a feed that arrives while another is being written joins
    the next transaction (at most `batch`), so a feed is never held back waiting for others.

    If a shared transaction fails, its feeds are written again one by one, so one feed the store
    refuses fails alone, as it would in a transaction of its own.
    """

    def __init__(self, store: Any, batch: int = STORE_BATCH, remote: Any = None) -> None:
        self._store = store
        self._remote = remote if getattr(store, "apply_refresh_many", None) is not None else None
        self._batch = max(1, batch)
        self._many = getattr(store, "apply_refresh_many", None)
        self._pending: list[tuple[int, dict[str, Any], asyncio.Future[tuple[int, int, int, list[int]]]]] = []
        self._task: asyncio.Task[None] | None = None
        self.classified = 0  # new entries stored as needing no page (prefetch_verdicts)

    @property
    def remote_used(self) -> bool:
        """Whether another process writes the entries (the command's writer, when a core is free)."""
        return self._remote is not None and bool(self._remote.used) and self._remote.running

    @property
    def batches(self) -> bool:
        """Whether the store takes batches (and with them prefetch verdicts); test doubles may not."""
        return self._many is not None

    async def write(self, feed_id: int, **kwargs: Any) -> tuple[int, int, list[int]]:
        """Store one feed's refresh; returns its (new, updated) entry counts and the ids of its new
        teasers (with `prefetch_verdicts`: entries whose pages are to be fetched)."""
        if self._many is None:  # a store without batches (test doubles): one at a time
            kwargs.pop("prefetch_verdicts", None)
            return (*await _store(self._store, feed_id, **kwargs), [])
        if self._remote is not None:
            answer = await self._remote.write(feed_id, kwargs)  # the writer process, if it writes
            if answer is not None:
                new, updated, skipped, teasers = answer
                self.classified += skipped
                return new, updated, teasers
        done: asyncio.Future[tuple[int, int, int, list[int]]] = asyncio.get_running_loop().create_future()
        self._pending.append((feed_id, kwargs, done))
        if self._task is None:
            self._task = asyncio.create_task(self._drain())
        new, updated, skipped, teasers = await done
        self.classified += skipped
        return new, updated, teasers

    async def drained(self) -> None:
        """Wait until every feed handed over is written (a cancelled refresh still stores them)."""
        if self._remote is not None:
            await self._remote.drained()
        if self._task is not None:
            await asyncio.shield(self._task)

    async def _drain(self) -> None:
        many = self._many
        assert many is not None
        try:
            if self._remote is not None:  # the writer process stopped taking feeds: its own come first
                await self._remote.drained()
            while self._pending:
                batch, self._pending = self._pending[: self._batch], self._pending[self._batch :]
                updates = [(feed_id, kwargs) for feed_id, kwargs, _ in batch]
                try:
                    results = await asyncio.to_thread(many, updates)
                except Exception:  # noqa: BLE001 - one bad feed must not cost the batch: one by one
                    for feed_id, kwargs, done in batch:
                        try:
                            result = (await asyncio.to_thread(many, [(feed_id, kwargs)]))[0]
                        except Exception as exc:  # noqa: BLE001 - reported as that feed's failure
                            if not done.done():
                                done.set_exception(exc)
                        else:
                            if not done.done():
                                done.set_result(result)
                    continue
                for (_, _, done), result in zip(batch, results, strict=True):
                    if not done.done():
                        done.set_result(result)
        finally:
            self._task = None


async def _refresh_one(
    fetcher: Fetcher, parser: _Parser, status: _StatusWriter, writer: _EntryWriter, feed: Feed,
    interval: float, rules: FeedRules | None = None, *, session: PrefetchSession | None = None,
) -> FeedOutcome:
    extra: dict[str, Any] = {}
    if rules:
        interval = rules.interval(feed, interval)
        if headers := rules.headers(feed):
            extra["headers"] = headers
    result: FetchResult = await fetcher.fetch(
        feed.url, etag=feed.etag, last_modified=feed.last_modified, **extra
    )
    checked = datetime.now(UTC)
    new_url = result.permanent_redirect
    if result.gone:
        error = result.error or "HTTP 410 Gone"
        await status.add(feed.id, checked_at=checked, status="gone", error=error, next_due=None)
        return FeedOutcome(feed, "gone", error=error)
    if not result.ok:
        error = result.error or "fetch failed"
        due = next_due_after(checked, interval=interval, retry_after=result.retry_after)
        await status.add(feed.id, checked_at=checked, status="error", error=error, next_due=due)
        return FeedOutcome(feed, "failed", error=error, next_due=due)
    if result.not_modified:
        due = next_due_after(checked, interval=interval, max_age=result.max_age, retry_after=result.retry_after)
        await status.add(
            feed.id, checked_at=checked, status="ok", error=None, etag=result.etag,
            last_modified=result.last_modified, next_due=due, new_url=new_url,
        )
        return FeedOutcome(feed, "not_modified", new_url=new_url, next_due=due)
    from tui.core.feeds.parse import FeedError  # only now: a 304 needs no parser

    try:
        parsed, verdicts = await parser.parse(
            result.body, result.final_url or feed.url, result.headers, classify=session is not None
        )
    except FeedError as exc:
        error = str(exc)
        due = next_due_after(checked, interval=interval, max_age=result.max_age)
        # No validators are stored: a 304 next time would hide the fix once the feed is repaired.
        await status.add(feed.id, checked_at=checked, status="error", error=error, next_due=due)
        return FeedOutcome(feed, "failed", error=error, next_due=due)
    due = next_due_after(
        checked, interval=interval, max_age=result.max_age, ttl_minutes=parsed.ttl,
        retry_after=result.retry_after,
    )
    hidden: frozenset[str] = frozenset()
    if rules:
        if title := rules.title(feed):
            parsed = replace(parsed, title=title)
        hidden = rules.ignored_guids(feed, parsed)  # stored flagged: nothing is lost
    new, updated, teasers = await writer.write(
        feed.id, checked_at=checked, status="ok", error=None, parsed=parsed,
        # "" clears validators the server no longer sends (None would keep the stale ones).
        etag=result.etag or "", last_modified=result.last_modified or "",
        next_due=due, new_url=new_url, **({"ignored": hidden} if hidden else {}),
        **({"prefetch_verdicts": verdicts} if verdicts else {}),
    )
    parser.inline = writer.remote_used
    if teasers and session is not None:
        try:
            await session.add_ids(teasers)
        except Exception:  # noqa: BLE001 - the feed is stored: the pass after the refresh finds its teasers
            pass
    return FeedOutcome(
        feed, "ok", new=new, updated=updated, warning=parsed.warning, new_url=new_url, next_due=due
    )


async def _record_crash(store: Any, feed: Feed, exc: Exception, interval: float) -> FeedOutcome:
    error = f"internal error: {type(exc).__name__}: {truncate(clean_line(str(exc)), 200)}"
    checked = datetime.now(UTC)
    due = next_due_after(checked, interval=interval)
    try:
        await _store(store, feed.id, checked_at=checked, status="error", error=error, next_due=due)
    except Exception:  # noqa: BLE001 - the store itself is failing; the outcome still reports the feed
        pass
    return FeedOutcome(feed, "failed", error=error, next_due=due)
