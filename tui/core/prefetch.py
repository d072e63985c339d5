"""Full text ahead of time: after a refresh, fetch and clean the pages of new summary-only entries; then stories."""

from __future__ import annotations

import asyncio
import inspect
import time
from collections import defaultdict, deque
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urlsplit

from tui.core.text import clean_line, counted, truncate

if TYPE_CHECKING:
    from pathlib import Path

    from tui.core.config import Config
    from tui.core.feeds.fetch import Fetcher
    from tui.core.models import Entry, Feed, ParsedEntry
    from tui.core.store import Store

__all__ = [
    "PrefetchOutcome",
    "PrefetchPolicy",
    "PrefetchReport",
    "PrefetchSession",
    "PrefetchTarget",
    "after_refresh",
    "classify_parsed",
    "policy_from_config",
    "prefetch",
]

MiB = 1024 * 1024
# From this many pages on, cleaning runs in worker processes (their start-up costs less than it saves).
PROCESS_BATCH = 24
Status = Literal["ok", "failed", "skipped"]


@dataclass(frozen=True, slots=True)
class PrefetchPolicy:
    """How much one refresh may fetch ahead: pages, bytes and seconds, and when failures are retried."""

    enabled: bool = True
    max_pages: int = 200
    max_bytes: int = 50 * MiB
    max_seconds: float = 30.0
    max_attempts: int = 4  # a page that failed this often is left alone (its reason stays)
    retry_after: timedelta = timedelta(minutes=10)
    # Only entries that arrived this recently: a store upgraded to this version is not back-filled.
    newer_than: timedelta = timedelta(days=3)
    # A page whose feed entry says it was updated is fetched again, but not sooner than this after
    # the last fetch (a feed that moves its dates at every fetch costs a page an hour, not one a refresh).
    recheck_after: timedelta = timedelta(hours=1)
    skip_feeds: frozenset[int] = frozenset()  # feeds whose `[[feed]]` table turns prefetch off
    # The run's cache dir (its --home): pages are cleaned with the place index kept there.
    cache_dir: Path | None = None


def policy_from_config(config: Config, feeds: Iterable[Feed] = (), cache_dir: Path | None = None) -> PrefetchPolicy:
    """The prefetch policy of a run: `[reader] prefetch` (and `full_text`, which it needs), and
    the `[[feed]]` tables that turn either off for some of `feeds`; `cache_dir` holds the run's place index."""
    from tui.core.feeds.rules import FeedRules

    reader = config.reader
    on = reader.prefetch and reader.full_text
    feeds = list(feeds)
    if not feeds:
        return PrefetchPolicy(enabled=on, cache_dir=cache_dir)
    rules = FeedRules.from_config(config)
    wanted = {f.id: rules.prefetch(f, on) and rules.full_text(f, reader.full_text) for f in feeds}
    return PrefetchPolicy(
        enabled=any(wanted.values()), skip_feeds=frozenset(k for k, v in wanted.items() if not v),
        cache_dir=cache_dir,
    )


@dataclass(frozen=True, slots=True)
class PrefetchTarget:
    """The page being fetched, in the shape refresh progress callbacks expect of a feed (url, display_title)."""

    entry_id: int
    url: str
    title: str

    @property
    def display_title(self) -> str:
        return f"full text: {self.title}" if self.title else "full text"


@dataclass(frozen=True, slots=True)
class PrefetchOutcome:
    """What prefetching one entry's page did; `phase` tells refresh progress it is not a feed."""

    target: PrefetchTarget
    status: Status
    reason: str | None = None
    size: int = 0
    phase: str = "prefetch"

    @property
    def failed(self) -> bool:
        return self.status == "failed"

    def describe(self) -> str:
        if self.status == "ok":
            return "full text stored"
        if self.status == "skipped":
            return f"skipped: {self.reason}"
        return f"full text failed: {self.reason}"


@dataclass(frozen=True, slots=True)
class PrefetchReport:
    """Totals of one prefetch pass, and the stories pass after it."""

    fetched: int = 0
    failed: int = 0
    skipped: int = 0
    bytes: int = 0
    elapsed: float = 0.0
    stopped: str | None = None  # which budget ended the pass early
    failures: tuple[tuple[str, str], ...] = ()  # (url, reason)
    grouped: int = 0  # entries placed in stories
    joined: int = 0  # of those, copies of another entry

    def summary_lines(self) -> list[str]:
        lines = []
        if self.fetched or self.failed:
            line = f"full text: {self.fetched} pages stored, {self.failed} failed ({self.bytes / MiB:.1f} MB)"
            if self.stopped:
                line += f"; stopped early: {self.stopped}"
            lines.append(line)
            # Pages of one host that failed alike (it could not be reached) make one line.
            groups: dict[tuple[str, str], list[str]] = {}
            for url, reason in self.failures:
                groups.setdefault(((urlsplit(url).netloc or url) if _unreachable(reason) else url, reason), []).append(url)
            shown = list(groups.items())[:10]
            for (where, reason), urls in shown:
                many = f" ({len(urls)} pages)" if len(urls) > 1 else ""
                lines.append(f"  {clean_line(urls[0] if len(urls) == 1 else where)}: {reason}{many}")
            if len(groups) > len(shown):
                rest = sum(len(u) for _, u in list(groups.items())[len(shown):])
                lines.append(f"  … and {rest} more")
        elif self.stopped:
            lines.append(f"full text: {self.stopped}")
        if self.joined:
            copies = "is a copy" if self.joined == 1 else "are copies"
            lines.append(f"stories: {counted(self.joined, 'new entry', 'new entries')} {copies} of a story from another outlet")
        return lines


Progress = Callable[[int, int, PrefetchTarget, PrefetchOutcome], Any]


async def prefetch(
    store: Store, fetcher: Fetcher, policy: PrefetchPolicy = PrefetchPolicy(), *, progress: Progress | None = None,
    classified: int = 0,
) -> PrefetchReport:
    """Fetch, clean and store the pages of summary-only entries, within the policy's budget.

    Hosts are served in parallel, each by at most the fetcher's per-host number of workers (the
    fetcher's own global and per-host limits hold as well). Each page's outcome is stored:
    "ok" with its Reading cached (it opens at once, offline, and its text is searchable),
    "failed" with the reason (retried on a later refresh), "skipped" when the feed has the text.
    `classified`: entries the refresh already recorded as skipped (counted in the report).
    """
    if not policy.enabled or policy.max_pages <= 0:
        return PrefetchReport()
    return await PrefetchSession(store, fetcher, policy, progress).finish(classified)


class PrefetchSession:
    """One prefetch pass, fed while a refresh runs: the pages of a feed's new teasers are fetched
    as soon as that feed is stored (`add_ids`), so a slow or hanging feed delays no other feed's
    pages. `finish` adds what only the pass finds (entries whose text a feed changed, pages to try
    again), waits within the policy's budget (its seconds counted from the first page), and reports.
    Page progress is held back until `finish`: a display shows the feeds, then the pages.
    """

    def __init__(
        self, store: Store, fetcher: Fetcher, policy: PrefetchPolicy, progress: Callable[..., Any] | None = None
    ) -> None:
        self._store = store
        self._fetcher = fetcher
        self._policy = policy
        self._progress = progress
        self._per_host = max(1, int(getattr(fetcher, "per_host", 2)))
        self._started: float | None = None
        self._queued: set[int] = set()  # entries whose page this pass took on
        self._queues: dict[str, deque[tuple[Entry, PrefetchTarget]]] = defaultdict(deque)
        self._running: dict[str, int] = defaultdict(int)  # workers per host
        self._workers: set[asyncio.Task[None]] = set()
        self._cleaning: set[asyncio.Task[None]] = set()
        self._cleaner: _Cleaner | None = None
        self._outcomes: list[PrefetchOutcome] = []
        self._held: list[PrefetchOutcome] | None = []  # progress not shown yet (None once finishing)
        self._done = 0
        self._bytes = 0
        self._stopped: str | None = None
        # Hosts that could not be reached at all (no such name, refused, no route): their other pages
        # fail the same way, so they are not asked again in this pass (they are retried next time).
        self._down: dict[str, str] = {}

    async def add_ids(self, entry_ids: Iterable[int]) -> None:
        """Start on the pages of these stored entries (new teasers the refresh classified)."""
        room = self._policy.max_pages - len(self._queued)
        ids = [i for i in entry_ids if i not in self._queued][: max(0, room)]
        if ids:
            self.add(await asyncio.to_thread(_entries, self._store, ids))

    def add(self, entries: Iterable[Entry]) -> None:
        """Queue these entries' pages (up to the policy's pages), each host served by its workers."""
        for entry in entries:
            if len(self._queued) >= self._policy.max_pages:
                break
            if entry.id in self._queued:
                continue
            if self._started is None:
                self._started = time.monotonic()
            self._queued.add(entry.id)
            target = PrefetchTarget(entry.id, entry.link or "", clean_line(entry.title))
            host = (urlsplit(target.url).hostname or "").lower()
            self._queues[host].append((entry, target))
            if self._running[host] < self._per_host:
                self._running[host] += 1
                task = asyncio.create_task(self._worker(host))
                self._workers.add(task)
                task.add_done_callback(self._workers.discard)
        if self._cleaner is not None:
            self._cleaner.grow(len(self._queued))

    async def finish(self, classified: int = 0) -> PrefetchReport:
        """Add the entries the pass finds, wait for every page within the budget, and report;
        `classified`: entries the refresh already recorded as skipped (counted in the report)."""
        policy = self._policy
        try:
            if self._started is None:
                self._started = time.monotonic()
            work, skipped = await _classify(self._store, policy, datetime.now(UTC), exclude=self._queued)
            skipped += classified
            self.add(work)
            held, self._held = self._held or [], None
            for outcome in held:
                await self._show(outcome)
            if not self._queued:
                return PrefetchReport(skipped=skipped)
            deadline = max(0.0, policy.max_seconds - (time.monotonic() - self._started))
            pending: set[asyncio.Task[None]] = set()
            if self._workers:
                _, pending = await asyncio.wait(set(self._workers), timeout=deadline)
            if pending:
                self._stopped = f"the time budget ({policy.max_seconds:g} s) ran out"
                for task in pending:
                    task.cancel()
                await asyncio.gather(*pending, return_exceptions=True)
            if self._cleaning:
                await asyncio.gather(*list(self._cleaning), return_exceptions=True)
        finally:
            self.close()
        ok = [o for o in self._outcomes if o.status == "ok"]
        bad = [o for o in self._outcomes if o.status == "failed"]
        return PrefetchReport(
            fetched=len(ok),
            failed=len(bad),
            skipped=skipped,
            bytes=self._bytes,
            elapsed=time.monotonic() - self._started,
            stopped=self._stopped,
            failures=tuple((o.target.url, o.reason or "failed") for o in bad),
        )

    def close(self) -> None:
        """Stop: pages not fetched yet are left for the next refresh (a refresh that is cancelled)."""
        for task in (*self._workers, *self._cleaning):
            task.cancel()
        if self._cleaner is not None:
            self._cleaner.close()

    async def _report(self, outcome: PrefetchOutcome) -> None:
        self._outcomes.append(outcome)
        await asyncio.to_thread(
            self._store.record_prefetch, outcome.target.entry_id, outcome.status, outcome.reason, outcome.size
        )
        if self._held is not None:
            self._held.append(outcome)
        else:
            await self._show(outcome)

    async def _show(self, outcome: PrefetchOutcome) -> None:
        self._done += 1
        if self._progress is not None:
            # A progress callback written for feeds only (it reads `feed.id`, `outcome.new`) must
            # not cost the pages their cleaning: its errors are dropped here.
            try:
                result = self._progress(self._done, len(self._queued), outcome.target, outcome)
                if inspect.isawaitable(result):
                    await result
            except Exception:  # noqa: BLE001 - a broken progress display must not stop the fetching
                pass

    async def _clean(self, entry: Entry, target: PrefetchTarget, body: bytes, url: str) -> None:
        try:
            if self._cleaner is None:
                self._cleaner = _Cleaner(len(self._queued), self._policy.cache_dir)
            reason, data, text, headline = await self._cleaner.run(entry, body, url)
            if data is not None:
                await asyncio.to_thread(_store_reading, self._store, entry.id, data, text, headline)
        except Exception as exc:  # noqa: BLE001 - a bug in cleaning costs this page, not the refresh
            reason = f"internal error: {type(exc).__name__}: {truncate(clean_line(str(exc)), 120)}"
        await self._report(PrefetchOutcome(target, "failed" if reason else "ok", reason, len(body)))

    async def _worker(self, host: str) -> None:
        queue = self._queues[host]
        policy = self._policy
        try:
            while queue:
                if self._bytes >= policy.max_bytes:
                    self._stopped = self._stopped or f"the byte budget ({policy.max_bytes / MiB:.0f} MB) was spent"
                    return
                entry, target = queue.popleft()
                origin = urlsplit(target.url).netloc.lower()
                if origin in self._down:
                    await self._report(PrefetchOutcome(target, "failed", self._down[origin]))
                    continue
                result = await self._fetcher.fetch(target.url)
                if not result.ok or result.not_modified or not result.body:
                    reason = result.error or "empty response"
                    if _unreachable(reason):
                        self._down.setdefault(origin, reason)
                    await self._report(PrefetchOutcome(target, "failed", reason))
                    continue
                self._bytes += len(result.body)
                # Cleaning runs beside the next fetch from this host, not before it.
                task = asyncio.create_task(self._clean(entry, target, result.body, result.final_url or target.url))
                self._cleaning.add(task)
                task.add_done_callback(self._cleaning.discard)
        finally:
            self._running[host] -= 1


def _entries(store: Store, entry_ids: Iterable[int]) -> list[Entry]:
    return [entry for entry_id in entry_ids if (entry := store.entry(entry_id)) is not None]


# Fetch errors (fetch.describe_error's sentences) that say a host cannot be reached at all.
UNREACHABLE = ("could not resolve host", "connection refused", "network unreachable", "TLS error")


def _unreachable(reason: str) -> bool:
    return reason.startswith(UNREACHABLE) or (reason.startswith("timed out") and reason.endswith("while connecting"))


# Entries told apart (teaser or full text) per store read: a big cold refresh is classified in
# batches, so it never holds every new entry's text at once.
CLASSIFY_BATCH = 1000


async def _classify(
    store: Store, policy: PrefetchPolicy, now: datetime, exclude: Collection[int] = ()
) -> tuple[list[Entry], int]:
    """The entries to fetch (at most the policy's pages less those of `exclude`, entries already
    taken on, newest first) and how many were skipped.

    Every new entry is classified in this pass, the skipped ones recorded as it goes: a later
    refresh (all 304, say) has nothing left to classify.
    """
    work: list[Entry] = []
    skipped = 0
    before: int | None = None
    room = policy.max_pages - len(exclude)
    while len(work) < room:
        batch = await asyncio.to_thread(
            store.prefetch_candidates,
            limit=CLASSIFY_BATCH,
            retry_before=(now - policy.retry_after).isoformat(timespec="seconds"),
            max_attempts=policy.max_attempts,
            since=(now - policy.newer_than).isoformat(timespec="seconds"),
            skip_feeds=sorted(policy.skip_feeds),
            recheck_before=(now - policy.recheck_after).isoformat(timespec="seconds"),
            before_id=before,
        )
        if not batch:
            break
        before = batch[-1][0]
        if exclude:
            batch = [row for row in batch if row[0] not in exclude]
        found, skip = await asyncio.to_thread(_split, store, batch)
        if skip:
            await asyncio.to_thread(store.record_prefetch_many, [(e, "skipped", reason, 0) for e, reason in skip])
            skipped += len(skip)
        work.extend(found)
    return work[: max(0, room)], skipped


def _why_not(link: str, text: str, is_summary: Callable[[str], bool]) -> str | None:
    """Why an entry with this link and feed text needs no page fetched, or None: it is a teaser.
    (`is_summary`: the teaser test, imported by the caller once, not once an entry: the import
    statement alone was a tenth of the cost of a refresh's verdicts.)"""
    if not link.lower().startswith(("http://", "https://")):
        return "the link is not a web page"
    if not is_summary(text):
        return "the feed has the full text"
    return None


def _split(store: Store, candidates: list[tuple[int, str, str, str, str]]) -> tuple[list[Entry], list[tuple[int, str]]]:
    """Entries whose feed gives only a summary (to fetch) and those it gives in full (skipped, with why)."""
    from tui.core.article.teaser import is_summary

    work: list[Entry] = []
    skipped: list[tuple[int, str]] = []
    for entry_id, link, _title, summary, content in candidates:
        if (reason := _why_not(link, content or summary, is_summary)) is not None:
            skipped.append((entry_id, reason))
        else:
            entry = store.entry(entry_id)
            if entry is not None:
                work.append(entry)
    return work, skipped


def classify_parsed(entries: Iterable[ParsedEntry]) -> dict[str, str | None]:
    """The verdicts the prefetch pass would reach on these entries once stored, decided while the
    refresh still holds their text (in its parse step): guid → why no page is needed, or None for
    a teaser (its page is to be fetched). Entries without a link are left out. The store records
    the reasons of the entries it inserts and gives back the teasers' ids
    (`apply_refresh_many(..., prefetch_verdicts=...)`), whose pages then start at once."""
    from tui.core.article.teaser import is_summary

    return {
        entry.guid: _why_not(entry.link, entry.content or entry.summary, is_summary) for entry in entries if entry.link
    }


def _store_reading(store: Store, entry_id: int, data: str, text: str, headline: str | None = None) -> None:
    """Cache a fetched page's Reading. When the page was fetched before under the same rules and
    its article now says something else (headline or text), the earlier text is kept as a version
    (the entry is marked updated, and `newswire diff ID` shows what changed)."""
    digest = _digest()
    before = store.reading_row(entry_id)
    changed = before is not None and before[0] == digest and _said(before[1]) != _said(data)
    store.put_reading(entry_id, digest, data, text, new_version=changed, headline=headline)


def _said(data: str) -> tuple[str, list[str]]:
    """What a cached Reading's article says: its headline and its words."""
    from tui.core import schema

    try:
        article = schema.reading_from_json(data).article
    except (ValueError, KeyError, TypeError):
        return "", []
    return " ".join(article.title.split()), article.text.split()


def _digest() -> str:
    from tui.core.reading import rules_digest

    return rules_digest()


def clean_page(
    entry: Entry, body: bytes, url: str, cache_dir: Path | None = None
) -> tuple[str | None, str | None, str, str | None]:
    """Clean a fetched page into a Reading: (why not, or None; the Reading as JSON; its text; the
    page's headline when the entry's title was only the story's opening words). `cache_dir`: where
    the run's place index is (without it, the default home's).

    Runs in a worker process for big batches, so it takes and returns plain values.
    """
    from tui.core import schema
    from tui.core.article import extract_article
    from tui.core.reading import better_headline, read_article, with_entry

    article = extract_article(body, url, title_hint=entry.title)
    if article.is_empty:
        return f"the page has no article text ({article.reason or 'nothing found'})", None, "", None
    gazetteer = None
    if cache_dir is not None:
        from tui.core.language.places import load_gazetteer

        gazetteer = load_gazetteer(cache_dir)
    reading = read_article(with_entry(article, entry), gazetteer)
    return None, schema.reading_to_json(reading), reading.article.text, better_headline(entry, reading.article)


class _Cleaner:
    """Cleans pages off the event loop: worker processes for a big batch (cleaning is CPU-bound,
    and threads would starve the loop that is still fetching), else one thread."""

    def __init__(self, batch: int, cache_dir: Path | None = None) -> None:
        from concurrent.futures import Executor, ThreadPoolExecutor

        self._cache_dir = cache_dir
        self._pool: Executor
        self._processes = False
        if not self.grow(batch):
            self._pool = ThreadPoolExecutor(1, thread_name_prefix="prefetch-clean")

    def grow(self, batch: int) -> bool:
        """Move to worker processes once the batch is big enough (pages keep coming during a
        refresh); the thread finishes what it was given. Whether processes clean now."""
        import os

        from tui.core.workers import process_pool

        cores = os.cpu_count() or 1
        if self._processes or cores < 2 or batch < PROCESS_BATCH:
            return self._processes
        threads = getattr(self, "_pool", None)
        # One core stays with the event loop, which is still fetching.
        self._pool = process_pool(max(1, min(cores - 1, 4)), "tui.core.prefetch")
        self._processes = True
        if threads is not None:
            threads.shutdown(wait=False)
        return True

    async def run(self, entry: Entry, body: bytes, url: str) -> tuple[str | None, str | None, str, str | None]:
        from concurrent.futures.process import BrokenProcessPool

        loop = asyncio.get_running_loop()
        try:
            # A worker process that cannot be started raises here, before any page is cleaned.
            job = loop.run_in_executor(self._pool, clean_page, entry, body, url, self._cache_dir)
        except (OSError, ValueError, RuntimeError):
            job = None
        try:
            if job is not None:
                return await job
        except BrokenProcessPool:
            pass
        # No worker processes here (one died, or none could start): clean in a thread from now on.
        from concurrent.futures import ThreadPoolExecutor

        self._pool = ThreadPoolExecutor(1, thread_name_prefix="prefetch-clean")
        return await loop.run_in_executor(self._pool, clean_page, entry, body, url, self._cache_dir)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


async def after_refresh(
    store: Store, fetcher: Fetcher, policy: PrefetchPolicy | None, progress: Callable[..., Any] | None = None,
    classified: int = 0, session: PrefetchSession | None = None,
) -> PrefetchReport:
    """What a refresh does once its feeds are stored: prefetch (when `policy` allows), then group stories.
    `classified`: new entries the refresh already recorded as needing no page (`classify_parsed`);
    `session`: the prefetch the refresh started as its feeds were stored (finished here).

    Never raises: the feeds are already stored, and a failure here must not undo a good refresh.
    """
    from tui.core.stories import update_stories

    report = PrefetchReport()
    try:
        if policy is not None and policy.enabled:
            if session is not None:
                report = await session.finish(classified)
            else:
                report = await prefetch(store, fetcher, policy, progress=progress, classified=classified)
    except Exception as exc:  # noqa: BLE001 - a prefetch bug must not fail the refresh that already stored the feeds
        report = PrefetchReport(stopped=f"internal error: {type(exc).__name__}: {truncate(clean_line(str(exc)), 120)}")
    try:
        update = await asyncio.to_thread(update_stories, store)
    except Exception:  # noqa: BLE001 - grouping stories is an extra: the refresh stands without it
        return report
    return PrefetchReport(
        report.fetched,
        report.failed,
        report.skipped,
        report.bytes,
        report.elapsed,
        report.stopped,
        report.failures,
        update.placed,
        update.joined,
    )
