"""Filter commands: queries, ignored (kill rules), import-config (newsboat), download (enclosures)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tui.cli.base import EXIT_FAILED, EXIT_OK, EXIT_USAGE, CommandError, Context, counted, err, out, positive_int, print_json

__all__ = ["compile_or_fail", "register"]


def compile_or_fail(expression: str) -> Any:
    """The compiled filter, or a usage error naming the column."""
    from tui.core.filters import FilterError, compile_filter

    try:
        return compile_filter(expression)
    except FilterError as exc:
        raise CommandError(f"bad filter: {exc}", EXIT_USAGE) from None


def _print_entries(entries: list[Any], as_json: bool) -> None:
    from tui.core import schema
    from tui.core.text import clean_line

    if as_json:
        print_json([schema.entry_record(e) for e in entries])
        return
    for e in entries:
        date = e.published.strftime("%Y-%m-%d") if e.published else "          "
        marks = ("N" if not e.read else " ") + ("*" if e.starred else " ")
        out(f"{e.id:>6} {marks} {date}  {clean_line(e.feed_title)[:24]:<24}  {clean_line(e.title)}")


def cmd_queries(ctx: Context, args: argparse.Namespace) -> int:
    from tui.core import schema
    from tui.core.filters import query_feeds
    from tui.core.text import clean_line

    feeds = query_feeds(ctx.store, [(q.name, q.filter) for q in ctx.config.queries])
    if args.json:
        print_json([schema.query_feed_record(q) for q in feeds])
        return EXIT_OK
    if not feeds:
        out("no query feeds (add [[query]] tables to the config, or import a newsboat urls file)")
        return EXIT_OK
    for q in feeds:
        counts = f"{q.unread:>4}/{q.total:<4}" if q.error is None else "   error "
        out(f"{counts} {clean_line(q.name)}  ({clean_line(q.filter)})")
    return EXIT_OK


def cmd_ignored(ctx: Context, args: argparse.Namespace) -> int:
    from tui.core.feeds.rules import FeedRules, apply_kill_rules

    if args.restore:
        for unknown in [i for i in dict.fromkeys(args.restore) if ctx.store.entry(i) is None]:
            err(f"no such entry: {unknown}")
        restored = ctx.store.set_ignored(args.restore, False)
        out(f"shown again: {counted(restored, 'entry', 'entries')}")
        return EXIT_OK if restored == len(set(args.restore)) else EXIT_FAILED
    if args.apply:
        hidden = apply_kill_rules(ctx.store, FeedRules.from_config(ctx.config))
        err(f"kill rules hid {counted(hidden, 'stored entry', 'stored entries')}")
    hidden_entries = ctx.store.entries(ignored=True, limit=args.limit)
    if not hidden_entries and not args.json:
        rules = "no kill rules (add [[ignore]] tables to the config)" if not ctx.config.ignore else (
            "the kill rules hide entries as they arrive; --apply runs them over those already stored")
        out(f"nothing hidden: {rules}")
        return EXIT_OK
    _print_entries(hidden_entries, args.json)
    return EXIT_OK


def cmd_import_config(ctx: Context, args: argparse.Namespace) -> int:
    from tui.core.config import add_to_config
    from tui.core.feeds.subscriptions import parse_newsboat_config

    try:
        raw = sys.stdin.buffer.read() if args.file == "-" else Path(args.file).read_bytes()
        text = raw.decode("utf-8-sig")
    except OSError as exc:
        raise CommandError(f"{args.file}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise CommandError(f"{args.file}: not a newsboat config (not UTF-8 text)") from None
    found = parse_newsboat_config(text)
    for warning in found.warnings:
        err(f"{args.file}: {warning}")
    settings: list[tuple[str, str, str | int | bool]] = []
    if found.auto_reload is not None:
        settings.append(("fetch", "auto_reload", found.auto_reload))
    if found.player is not None:
        settings.append(("enclosures", "player", found.player))
    if found.download_path is not None:
        settings.append(("enclosures", "directory", found.download_path))
    changes = add_to_config(ctx.paths.config_file, ignore=found.ignore, settings=settings)
    for change in changes:
        out(f"added {change}")
    out(f"{counted(len(changes), 'change')} written to {ctx.paths.config_file}" if changes else "nothing new to import")
    return EXIT_OK


def _download_dir(ctx: Context, override: str | None) -> Path:
    if override:
        return Path(override).expanduser()
    if ctx.config.enclosures.directory:
        return Path(ctx.config.enclosures.directory).expanduser()
    return ctx.save_dir / "podcasts"


def _progress(name: str) -> Callable[[int, int | None], None]:
    tty = sys.stderr.isatty()
    last = [-1]

    def show(done: int, total: int | None) -> None:
        if total:
            percent = int(100 * done / total)
            if not tty and percent // 10 == last[0] // 10 and done < total:
                return  # a log file gets a line per 10%, a terminal one line redrawn
            last[0] = percent
            text = f"{name}: {done / 1e6:.1f} of {total / 1e6:.1f} MB ({percent}%)"
        else:
            text = f"{name}: {done / 1e6:.1f} MB"
        sys.stderr.write(f"\r\x1b[2K{text}" if tty else text + "\n")
        sys.stderr.flush()

    return show


def cmd_download(ctx: Context, args: argparse.Namespace) -> int:
    from tui.core.feeds.enclosures import DownloadQueue, plan_downloads
    from tui.core.text import clean_line, truncate

    directory = _download_dir(ctx, args.to)
    shows: dict[Path, Callable[[int, int | None], None]] = {}

    def on_change(job: Any) -> None:
        if job.state == "downloading" and job.done:
            show = shows.setdefault(job.target, _progress(job.target.name))
            show(job.done, job.total)

    fetch = ctx.config.fetch
    queue = DownloadQueue(on_change=on_change, connect_timeout=fetch.connect_timeout,
                          read_timeout=fetch.read_timeout)
    failed = 0
    for entry_id in args.ids:
        entry = ctx.store.entry(entry_id)
        if entry is None:
            err(f"no such entry: {entry_id}")
            failed += 1
            continue
        planned = plan_downloads(ctx.store, entry_id, directory, every=args.all)
        if not planned:
            err(f"{entry_id}: no enclosure to download ({truncate(clean_line(entry.title), 60)})")
            failed += 1
        for url, target in planned:
            queue.add(entry_id, url, target)
    # One at a time: a podcast host is not a CDN.
    for job in asyncio.run(queue.run()) if queue.jobs else []:
        if sys.stderr.isatty() and job.target in shows:
            sys.stderr.write("\n")
        result = job.result
        if result is None or result.error:
            err(f"{job.url}: {job.error}")
            failed += 1
        elif result.existed:
            out(f"already downloaded: {result.path}")
        else:
            resumed = f" (resumed at {result.resumed_from} bytes)" if result.resumed_from else ""
            out(f"downloaded: {result.path}{resumed}")
    return EXIT_FAILED if failed else EXIT_OK


def cmd_play(ctx: Context, args: argparse.Namespace) -> int:
    from tui.core.feeds.enclosures import EnclosureError, open_enclosure

    if ctx.store.entry(args.id) is None:
        raise CommandError(f"no such entry: {args.id}")
    enclosures = ctx.store.enclosures(args.id)
    if not enclosures:
        raise CommandError(f"{args.id}: no enclosure to play")
    try:
        open_enclosure(ctx.config.enclosures.player, enclosures[0].url)
    except EnclosureError as exc:
        raise CommandError(str(exc)) from None
    out(f"playing: {enclosures[0].url}")
    return EXIT_OK


def register(add: Callable[[str, Callable[..., int], str], argparse.ArgumentParser]) -> None:
    """Add this group's commands to the parser."""
    p = add("queries", cmd_queries, "query feeds ([[query]] in the config) with unread and total counts")
    p.add_argument("--json", action="store_true", help="print a JSON array")

    p = add("ignored", cmd_ignored, "entries that kill rules ([[ignore]] in the config) hid, newest first")
    p.add_argument("--apply", action="store_true", help="first hide stored entries that the rules match now")
    p.add_argument("--restore", nargs="+", type=int, metavar="ID", help="show these entries again")
    p.add_argument("--limit", type=positive_int, metavar="N", help="at most N entries")
    p.add_argument("--json", action="store_true", help="print a JSON array")

    p = add("import-config", cmd_import_config,
            "bring a newsboat config file across: ignore-article kill rules, auto-reload, player, download-path")
    p.add_argument("file", metavar="FILE", help="e.g. ~/.newsboat/config ('-' for stdin)")

    p = add("download", cmd_download, "download entries' enclosures (podcasts); resumes partial files")
    p.add_argument("ids", nargs="+", type=int, metavar="ID")
    p.add_argument("--to", metavar="DIR", help="download here instead of [enclosures] directory")
    p.add_argument("--all", action="store_true", help="every enclosure of an entry, not only the first")

    p = add("play", cmd_play, "open an entry's enclosure with [enclosures] player (never through a shell)")
    p.add_argument("id", type=int, metavar="ID")
