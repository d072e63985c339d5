"""The sync command: two-way sync with the Miniflux or Google Reader API server of [sync]."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable
from typing import Any

from tui.cli.base import EXIT_OK, CommandError, Context, make_fetcher, out, print_json

__all__ = ["cmd_sync", "register"]


def cmd_sync(ctx: Context, args: argparse.Namespace) -> int:
    from tui.core.feeds.sync import SubscribeError, SyncError, subscribe_remote, sync_now

    interactive = sys.stderr.isatty()
    last = [""]
    printed = {"entries": -1, "send": -1, "pages": -1}
    verbs = {"entries": "entries", "send": "changes sent", "pages": "full text"}

    def progress(stage: str, done: int, total: int | None) -> None:
        if args.quiet or stage not in printed:
            return
        verb = verbs[stage]
        line = f"{verb}: {done}/{total}" if total else f"{verb}: {done}"
        if interactive:
            sys.stderr.write(f"\r{line}\x1b[K")
        elif printed[stage] < 0 or done == total or done // 1000 > printed[stage] // 1000:
            # Into a log: the first page, every thousand and the end, not a line per page.
            sys.stderr.write(line + "\n")
            printed[stage] = done
        last[0] = line

    async def run() -> tuple[Any, Any]:
        if args.add:
            report = await subscribe_remote(ctx.store, ctx.config, args.add)
        else:
            report = await sync_now(ctx.store, ctx.config, progress=progress, switch=args.switch)
        # What a refresh does once its entries are stored, for the entries the server sent: the full
        # text of new summary-only ones (as the app's refresh after a sync fetches it), then stories.
        from tui.core.prefetch import after_refresh, policy_from_config

        policy = None if args.no_prefetch else policy_from_config(ctx.config, ctx.store.feeds(), ctx.paths.cache_dir)
        async with make_fetcher(ctx.config) as fetcher:
            after = await after_refresh(
                ctx.store, fetcher, policy, lambda done, total, *_: progress("pages", done, total)
            )
        return report, after

    try:
        report, after = asyncio.run(run())
    except SubscribeError as exc:
        raise CommandError(str(exc)) from None
    except SyncError as exc:
        raise CommandError(f"sync failed: {exc}") from None
    finally:
        if interactive and last[0]:
            sys.stderr.write("\r\x1b[K")
    if args.json:
        from tui.core.schema import prefetch_record, sync_record

        print_json({**sync_record(report), **prefetch_record(after)})
    else:
        out(report.summary())
        for line in after.summary_lines():
            out(line)
    return EXIT_OK


def register(add: Callable[[str, Callable[..., int], str], argparse.ArgumentParser]) -> None:
    """Add this group's commands to the parser."""
    p = add("sync", cmd_sync, "two-way sync with the Miniflux or Google Reader API server set in [sync]")
    p.add_argument("--add", metavar="URL", help="subscribe to URL on the server, then sync")
    p.add_argument(
        "--switch", action="store_true",
        help="the config names another server or account: forget the old one's ids and start over",
    )
    p.add_argument("--no-prefetch", action="store_true",
                   help="do not fetch the full text of new summary-only entries this time")
    p.add_argument("--json", action="store_true", help="print what the sync did as JSON")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress on stderr")
