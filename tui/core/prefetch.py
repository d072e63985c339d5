"""Full text ahead of time: after a refresh, fetch and clean the pages of new summary-only entries; then stories."""

from __future__ import annotations

import asyncio
import inspect
import time
from collections import defaultdict, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urlsplit

from tui.core.text import clean_line, truncate

if TYPE_CHECKING:
    from tui.core.config import Config
    from tui.core.feeds.fetch import Fetcher
    from tui.core.models import Entry, Feed, ParsedEntry
    from tui.core.store import Store

__all__ = [
    "PrefetchOutcome",
    "PrefetchPolicy",
    "PrefetchReport",
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


def policy_from_config(config: Config, feeds: Iterable[Feed] = ()) -> PrefetchPolicy:
    """The prefetch policy of a run: `[reader] prefetch` (and `full_text`, which it needs), and
    the `[[feed]]` tables that turn either off for some of `feeds`."""
    from tui.core.feeds.rules import FeedRules

    reader = config.reader
    on = reader.prefetch and reader.full_text
    feeds = list(feeds)
    if not feeds:
        return PrefetchPolicy(enabled=on)
    rules = FeedRules.from_config(config)
    wanted = {f.id: rules.prefetch(f, on) and rules.full_text(f, reader.full_text) for f in feeds}
    return PrefetchPolicy(
        enabled=any(wanted.values()), skip_feeds=frozenset(k for k, v in wanted.items() if not v)
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
            lines.append(f"stories: {self.joined} new entries are copies of a story from another outlet")
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
    started = time.monotonic()
    now = datetime.now(UTC)
    work, skipped = await _classify(store, policy, now)
    skipped += classified
    if not work:
        return PrefetchReport(skipped=skipped)
    total = len(work)
    done = 0
    fetched_bytes = 0
    outcomes: list[PrefetchOutcome] = []
    cleaning: set[asyncio.Task[None]] = set()
    stopped: str | None = None

    async def report(outcome: PrefetchOutcome) -> None:
        nonlocal done
        outcomes.append(outcome)
        await asyncio.to_thread(
            store.record_prefetch, outcome.target.entry_id, outcome.status, outcome.reason, outcome.size
        )
        done += 1
        if progress is not None:
            # A progress callback written for feeds only (it reads `feed.id`, `outcome.new`) must
            # not cost the pages their cleaning: its errors are dropped here.
            try:
                result = progress(done, total, outcome.target, outcome)
                if inspect.isawaitable(result):
                    await result
            except Exception:  # noqa: BLE001 - a broken progress display must not stop the fetching
                pass

    cleaner = _Cleaner(total)

    async def clean(entry: Entry, target: PrefetchTarget, body: bytes, url: str) -> None:
        try:
            reason, data, text, headline = await cleaner.run(entry, body, url)
            if data is not None:
                await asyncio.to_thread(_store_reading, store, entry.id, data, text, headline)
        except Exception as exc:  # noqa: BLE001 - a bug in cleaning costs this page, not the refresh
            reason = f"internal error: {type(exc).__name__}: {truncate(clean_line(str(exc)), 120)}"
        await report(PrefetchOutcome(target, "failed" if reason else "ok", reason, len(body)))

    queues: dict[str, deque[tuple[Entry, PrefetchTarget]]] = defaultdict(deque)
    for entry in work:
        target = PrefetchTarget(entry.id, entry.link or "", clean_line(entry.title))
        queues[(urlsplit(target.url).hostname or "").lower()].append((entry, target))

    # Hosts that could not be reached at all (no such name, refused, no route): their other pages
    # fail the same way, so they are not asked again in this pass (they are retried next time).
    down: dict[str, str] = {}

    async def worker(queue: deque[tuple[Entry, PrefetchTarget]]) -> None:
        nonlocal fetched_bytes, stopped
        while queue:
            if fetched_bytes >= policy.max_bytes:
                stopped = stopped or f"the byte budget ({policy.max_bytes / MiB:.0f} MB) was spent"
                return
            entry, target = queue.popleft()
            origin = urlsplit(target.url).netloc.lower()
            if origin in down:
                await report(PrefetchOutcome(target, "failed", down[origin]))
                continue
            result = await fetcher.fetch(target.url)
            if not result.ok or result.not_modified or not result.body:
                reason = result.error or "empty response"
                if _unreachable(reason):
                    down.setdefault(origin, reason)
                await report(PrefetchOutcome(target, "failed", reason))
                continue
            fetched_bytes += len(result.body)
            # Cleaning runs beside the next fetch from this host, not before it.
            task = asyncio.create_task(clean(entry, target, result.body, result.final_url or target.url))
            cleaning.add(task)
            task.add_done_callback(cleaning.discard)

    per_host = max(1, int(getattr(fetcher, "per_host", 2)))
    workers = [
        asyncio.create_task(worker(queue)) for queue in queues.values() for _ in range(min(per_host, len(queue)))
    ]
    deadline = max(0.0, policy.max_seconds - (time.monotonic() - started))
    pending: set[asyncio.Task[None]] = set()
    if workers:
        _, pending = await asyncio.wait(workers, timeout=deadline)
    if pending:
        stopped = f"the time budget ({policy.max_seconds:g} s) ran out"
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
    try:
        if cleaning:
            await asyncio.gather(*list(cleaning), return_exceptions=True)
    finally:
        cleaner.close()
    ok = [o for o in outcomes if o.status == "ok"]
    bad = [o for o in outcomes if o.status == "failed"]
    return PrefetchReport(
        fetched=len(ok),
        failed=len(bad),
        skipped=skipped,
        bytes=fetched_bytes,
        elapsed=time.monotonic() - started,
        stopped=stopped,
        failures=tuple((o.target.url, o.reason or "failed") for o in bad),
    )


# Fetch errors (fetch.describe_error's sentences) that say a host cannot be reached at all.
UNREACHABLE = ("could not resolve host", "connection refused", "network unreachable", "TLS error")


def _unreachable(reason: str) -> bool:
    return reason.startswith(UNREACHABLE) or (reason.startswith("timed out") and reason.endswith("while connecting"))


# Entries told apart (teaser or full text) per store read: a big cold refresh is classified in
# batches, so it never holds every new entry's text at once.
CLASSIFY_BATCH = 1000


async def _classify(store: Store, policy: PrefetchPolicy, now: datetime) -> tuple[list[Entry], int]:
    """The entries to fetch (at most the policy's pages, newest first) and how many were skipped.

    Every new entry is classified in this pass, the skipped ones recorded as it goes: a later
    refresh (all 304, say) has nothing left to classify.
    """
    work: list[Entry] = []
    skipped = 0
    before: int | None = None
    while len(work) < policy.max_pages:
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
        found, skip = await asyncio.to_thread(_split, store, batch)
        if skip:
            await asyncio.to_thread(store.record_prefetch_many, [(e, "skipped", reason, 0) for e, reason in skip])
            skipped += len(skip)
        work.extend(found)
    return work[: policy.max_pages], skipped


def _why_not(link: str, text: str) -> str | None:
    """Why an entry with this link and feed text needs no page fetched, or None: it is a teaser."""
    from tui.core.article.teaser import is_summary

    if not link.lower().startswith(("http://", "https://")):
        return "the link is not a web page"
    if not is_summary(text):
        return "the feed has the full text"
    return None


def _split(store: Store, candidates: list[tuple[int, str, str, str, str]]) -> tuple[list[Entry], list[tuple[int, str]]]:
    """Entries whose feed gives only a summary (to fetch) and those it gives in full (skipped, with why)."""
    work: list[Entry] = []
    skipped: list[tuple[int, str]] = []
    for entry_id, link, _title, summary, content in candidates:
        if (reason := _why_not(link, content or summary)) is not None:
            skipped.append((entry_id, reason))
        else:
            entry = store.entry(entry_id)
            if entry is not None:
                work.append(entry)
    return work, skipped


def classify_parsed(entries: Iterable[ParsedEntry]) -> dict[str, str]:
    """The verdicts the prefetch pass would record for these entries once stored, decided while
    the refresh still holds their text (in its parse step): guid → why no page is needed. Teasers
    and entries without a link are left out; the store records the verdicts of the entries it
    inserts (`apply_refresh(prefetch_skip=...)`), so the pass after the refresh reads and tests
    only what is left (teasers, and entries a feed changed)."""
    verdicts: dict[str, str] = {}
    for entry in entries:
        if entry.link and (reason := _why_not(entry.link, entry.content or entry.summary)) is not None:
            verdicts[entry.guid] = reason
    return verdicts


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


def clean_page(entry: Entry, body: bytes, url: str) -> tuple[str | None, str | None, str, str | None]:
    """Clean a fetched page into a Reading: (why not, or None; the Reading as JSON; its text; the
    page's headline when the entry's title was only the story's opening words).

    Runs in a worker process for big batches, so it takes and returns plain values.
    """
    from tui.core import schema
    from tui.core.article import extract_article
    from tui.core.reading import better_headline, read_article, with_entry

    article = extract_article(body, url, title_hint=entry.title)
    if article.is_empty:
        return f"the page has no article text ({article.reason or 'nothing found'})", None, "", None
    reading = read_article(with_entry(article, entry))
    return None, schema.reading_to_json(reading), reading.article.text, better_headline(entry, reading.article)


class _Cleaner:
    """Cleans pages off the event loop: worker processes for a big batch (cleaning is CPU-bound,
    and threads would starve the loop that is still fetching), else one thread."""

    def __init__(self, batch: int) -> None:
        import os
        import threading
        from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor

        cores = os.cpu_count() or 1
        self._pool: Executor
        if cores > 1 and batch >= PROCESS_BATCH:
            import multiprocessing

            # As in refresh's parser: fork only a process that runs no other thread.
            single = threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods()
            context = multiprocessing.get_context("fork" if single else "forkserver")
            if not single:
                context.set_forkserver_preload(["tui.core.prefetch"])
            # One core stays with the event loop, which is still fetching.
            self._pool = ProcessPoolExecutor(max(1, min(cores - 1, 4)), mp_context=context)
        else:
            self._pool = ThreadPoolExecutor(1, thread_name_prefix="prefetch-clean")

    async def run(self, entry: Entry, body: bytes, url: str) -> tuple[str | None, str | None, str, str | None]:
        from concurrent.futures.process import BrokenProcessPool

        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self._pool, clean_page, entry, body, url)
        except BrokenProcessPool:
            from concurrent.futures import ThreadPoolExecutor

            self._pool = ThreadPoolExecutor(1, thread_name_prefix="prefetch-clean")
            return await loop.run_in_executor(self._pool, clean_page, entry, body, url)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


async def after_refresh(
    store: Store, fetcher: Fetcher, policy: PrefetchPolicy | None, progress: Callable[..., Any] | None = None,
    classified: int = 0,
) -> PrefetchReport:
    """What a refresh does once its feeds are stored: prefetch (when `policy` allows), then group stories.
    `classified`: new entries the refresh already recorded as needing no page (`classify_parsed`).

    Never raises: the feeds are already stored, and a failure here must not undo a good refresh.
    """
    from tui.core.stories import update_stories

    report = PrefetchReport()
    try:
        if policy is not None and policy.enabled:
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
