"""Subscription commands: add, remove, import, export, feeds, refresh."""

from __future__ import annotations

import argparse
import asyncio
import gc
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from tui.cli.base import EXIT_FAILED, EXIT_OK, CommandError, Context, counted, err, find_feed, make_fetcher, out, print_json
from tui.core import schema


def cmd_add(ctx: Context, args: argparse.Namespace) -> int:
    from tui.core.feeds.subscriptions import resolve_url
    from tui.core.text import clean_line

    failed = 0
    for text in args.urls:
        try:
            url, assumed = resolve_url(text)
        except ValueError as exc:
            err(f"{text}: {exc}")
            failed += 1
            continue
        if assumed:
            err(f"{text}: {assumed}")
        feed, created = ctx.store.add_feed(url, title=args.title or "", tags=args.tag or ())
        renamed = ""
        if not created and args.title and feed.title != args.title:
            # Asked for by name on the command line: the new title replaces one given before.
            ctx.store.set_feed_title(feed.id, args.title)
            renamed = f" (now titled {clean_line(args.title)})"
        out(f"{'added' if created else 'already subscribed'}: {feed.url}{renamed}")
    return EXIT_FAILED if failed else EXIT_OK


def cmd_remove(ctx: Context, args: argparse.Namespace) -> int:
    failed = 0
    for text in args.urls:
        feed = find_feed(ctx, text)
        if feed is not None and ctx.store.remove_feed(feed.url):
            out(f"removed: {feed.url}" + (" (the server unsubscribes it at the next sync)" if feed.synced else ""))
        else:
            what = "no feed with id" if text.strip().isdigit() else "not subscribed"
            err(f"{text}: {what} (see: newswire feeds)")
            failed += 1
    return EXIT_FAILED if failed else EXIT_OK


def cmd_import(ctx: Context, args: argparse.Namespace) -> int:
    from tui.core.config import add_to_config
    from tui.core.feeds.subscriptions import QueryLine, SubscriptionError, import_into, read_subscriptions

    try:
        data = sys.stdin.buffer.read() if args.file == "-" else Path(args.file).read_bytes()
    except OSError as exc:
        raise CommandError(f"{args.file}: cannot read: {exc.strerror or exc}") from None
    queries: list[QueryLine] = []
    try:
        subs, warnings = read_subscriptions(data, queries)
    except SubscriptionError as exc:
        raise CommandError(f"{args.file}: {exc}") from None
    for warning in warnings:
        err(f"{args.file}: {warning}")
    counts = import_into(ctx.store, subs)
    out(f"imported {counted(counts.added, 'new feed')} ({counts.existing} already subscribed) from {args.file}")
    if queries:
        # Query feeds live in the config ([[query]]), where they can be read and edited.
        added = add_to_config(ctx.paths.config_file, queries=[(q.name, q.filter) for q in queries])
        out(f"imported {counted(len(added), 'new query feed')} into {ctx.paths.config_file}")
    hidden = [s.url for s in subs if s.hidden]
    if hidden:
        added = add_to_config(ctx.paths.config_file, hidden=hidden)
        out(f"marked {counted(len(added), 'feed')} hidden ([[feed]] hidden = true) in {ctx.paths.config_file}")
    return EXIT_OK


def cmd_export(ctx: Context, args: argparse.Namespace) -> int:
    from tui.core.feeds.subscriptions import to_opml

    sys.stdout.write(to_opml(ctx.store.feeds()))
    return EXIT_OK


def cmd_feeds(ctx: Context, args: argparse.Namespace) -> int:
    from tui.core.text import clean_line

    feeds = ctx.store.feeds()
    if args.json:
        print_json([schema.feed_record(f) for f in feeds])
        return EXIT_OK
    if not feeds:
        out("no subscriptions (add one with: newswire add URL)")
        return EXIT_OK
    for feed in feeds:
        if feed.synced:
            checked = "synced"  # the server fetches it: when Newswire last did says nothing
        else:
            checked = feed.last_checked.strftime("%Y-%m-%d %H:%M") if feed.last_checked else "never"
        tags = f" [{', '.join(feed.tags)}]" if feed.tags else ""
        out(f"{feed.id:>4} {feed.status:<5} {feed.unread:>4}/{feed.total:<4} {checked}  "
             f"{clean_line(feed.display_title)}{tags}")
        out(f"     {feed.url}")
        if feed.last_error:
            out(f"     error: {clean_line(feed.last_error)}")
    return EXIT_OK


def _feed_name(feed: Any) -> str:
    from urllib.parse import urlsplit

    from tui.core.text import clean_line, truncate

    title = clean_line(getattr(feed, "title", ""))
    url = feed.url if hasattr(feed, "url") else str(feed)  # (a default argument would make the repr of every feed)
    parts = urlsplit(url)
    # An untitled feed is named by host and path: two feeds of one host stay apart.
    return truncate(title or (parts.netloc + parts.path.rstrip("/")) or url, 40)


def _waiting_for(names: Sequence[str], room: int = 3) -> str:
    if not names:
        return ""
    shown = ", ".join(names[:room])
    more = f", +{len(names) - room} more" if len(names) > room else ""
    return f"waiting for: {shown}{more}"


def _may_be_terminal() -> bool:
    """False when rich would certainly not treat stderr as a terminal (a log, a pipe, cron):
    then the plain lines need no rich, whose import costs a small refresh ~25 ms."""
    import os

    if os.environ.get("TTY_COMPATIBLE") or "FORCE_COLOR" in os.environ:
        return True
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


class _RefreshProgress:
    """Refresh progress on stderr: a rich bar naming the feeds still pending on a terminal,
    one plain line per finished feed otherwise (logs and pipes get no escape codes)."""

    def __init__(self, feeds: Sequence[Any]) -> None:
        self._pending = {id(f): _feed_name(f) for f in feeds}
        self._console: Any = None
        if _may_be_terminal():
            from rich.console import Console

            self._console = Console(stderr=True, highlight=False)
        self._bar: Any = None
        self._task: Any = None

    def __enter__(self) -> _RefreshProgress:
        if self._console is not None and self._console.is_terminal:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self._bar = Progress(
                TextColumn("Refreshing"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                TextColumn("{task.fields[pending]}", markup=False),
                console=self._console, transient=True,
            )
            self._bar.start()
            self._task = self._bar.add_task("refresh", total=len(self._pending),
                                            pending=_waiting_for(list(self._pending.values())))
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()

    def __call__(self, done: int, total: int, feed: Any, outcome: Any) -> None:
        from tui.core.text import clean_line

        name = self._pending.pop(id(feed), None) or _feed_name(feed)
        if self._bar is not None:
            self._bar.update(self._task, completed=done, total=total,
                             pending=_waiting_for(list(self._pending.values())))
            return
        state = getattr(outcome, "describe", lambda: str(outcome))()
        sys.stderr.write(f"[{done}/{total}] {name}: {clean_line(state)}\n")
        sys.stderr.flush()


# Parsed feeds per store transaction in the command: no reader waits on its store (the app keeps
# refresh's smaller default, which bounds how long its screen waits for a read).
COMMAND_STORE_BATCH = 64


def cmd_refresh(ctx: Context, args: argparse.Namespace) -> int:
    feeds = subscribed = ctx.store.feeds()
    if args.urls:
        found = {text: find_feed(ctx, text) for text in args.urls}
        missing = [text for text, feed in found.items() if feed is None]
        if missing:
            raise CommandError(f"not subscribed: {', '.join(missing)}")
        wanted = {feed.id for feed in found.values() if feed is not None}
        feeds = [f for f in feeds if f.id in wanted]
    if not feeds:
        out("no subscriptions to refresh (add one with: newswire add URL)")
        return EXIT_OK

    # No garbage collection while the command refreshes, as in the app's start-up: a refresh makes
    # tens of thousands of short-lived objects (parsed entries, rows) and few cycles: with the
    # command's imports, 78 young passes took 22 ms of CPU for 5,000 new entries, now 12 take 8 ms
    # (benchmarks/gc_refresh.py). What is alive now lives to the end: frozen first, no later pass
    # touches its pages, which the writer child forked next shares (copy-on-write).
    paused = gc.isenabled()
    if paused:
        gc.freeze()
        gc.disable()
    try:
        return _refresh(ctx, args, feeds, subscribed)
    finally:
        if paused:
            gc.enable()
            gc.unfreeze()


def _refresh(ctx: Context, args: argparse.Namespace, feeds: list[Any], subscribed: list[Any]) -> int:
    """`cmd_refresh` once it knows the feeds to refresh."""
    from datetime import UTC, datetime

    from tui.core.feeds.refresh import due_feeds, refresh_feeds
    from tui.core.feeds.rules import FeedRules
    from tui.core.feeds.writer import WriterProcess
    from tui.core.prefetch import policy_from_config

    # A second process writes the parsed feeds when a core is free (tui.core.feeds.writer): forked
    # now, while no thread runs (not at all on a busy machine or for a small refresh); the refresh
    # decides within 0.1 s whether it writes, and it is waited for below.
    child = WriterProcess.start(ctx.store, due_feeds(feeds, force=args.force, now=datetime.now(UTC)),
                                batch=COMMAND_STORE_BATCH)

    async def run(progress: _RefreshProgress) -> Any:
        async with make_fetcher(ctx.config) as fetcher:
            return await refresh_feeds(
                ctx.store, fetcher, feeds, force=args.force, progress=progress,
                default_interval=ctx.config.fetch.refresh_interval,
                prefetch=None if args.no_prefetch else policy_from_config(ctx.config, subscribed, ctx.paths.cache_dir),
                rules=FeedRules.from_config(ctx.config),
                store_batch=COMMAND_STORE_BATCH,
                writer_process=child,
            )

    try:
        with _RefreshProgress(feeds) as progress:
            report = asyncio.run(run(progress))
    finally:
        if child is not None:
            child.close()
    for line in report.summary_lines():
        out(line)
    if synced := [f for f in feeds if f.synced]:
        # (their articles come with a sync; a refresh fetches only what Newswire itself follows)
        many = f"{len(synced)} feeds are" if len(synced) > 1 else "1 feed is"
        out(f"{many} kept by the sync server: `newswire sync` brings their articles")
    return EXIT_FAILED if report.failed else EXIT_OK


def register(add: Callable[[str, Callable[..., int], str], argparse.ArgumentParser]) -> None:
    """Add this group's commands to the parser."""
    p = add("add", cmd_add, "subscribe to feeds (RSS, Atom or JSON Feed URLs)")
    p.add_argument("urls", nargs="+", metavar="URL")
    p.add_argument("--tag", action="append", metavar="TAG", help="tag the feeds (repeatable)")
    p.add_argument("--title", help="a title to show instead of the feed's own")

    p = add("remove", cmd_remove, "unsubscribe from feeds (their entries are deleted)")
    p.add_argument("urls", nargs="+", metavar="URL|ID", help="a feed's URL, or its id as newswire feeds prints it")

    p = add("import", cmd_import, "import subscriptions from an OPML file or a newsboat urls file ('-' for stdin)")
    p.add_argument("file", metavar="FILE")

    add("export", cmd_export, "print the subscriptions as OPML 2.0 on stdout")

    p = add("refresh", cmd_refresh, "fetch feeds now: progress on stderr, a summary on stdout")
    p.add_argument("urls", nargs="*", metavar="URL|ID", help="only these feeds (default: all)")
    p.add_argument("--force", action="store_true", help="also fetch feeds that are not due yet")
    p.add_argument("--no-prefetch", action="store_true",
                   help="do not fetch the full text of new summary-only entries this time")

    p = add("feeds", cmd_feeds, "list subscribed feeds with status, last refresh and last error")
    p.add_argument("--json", action="store_true", help="print a JSON array")
