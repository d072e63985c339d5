"""The sync command: two-way sync with the Miniflux or Google Reader API server of [sync]."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable

from tui.cli.base import EXIT_OK, CommandError, Context, out, print_json

__all__ = ["cmd_sync", "register"]


def cmd_sync(ctx: Context, args: argparse.Namespace) -> int:
    from tui.core.feeds.sync import SubscribeError, SyncError, subscribe_remote, sync_now

    interactive = sys.stderr.isatty()
    last = [""]
    printed = {"entries": -1, "send": -1}

    def progress(stage: str, done: int, total: int | None) -> None:
        if args.quiet or stage not in printed:
            return
        verb = "entries" if stage == "entries" else "changes sent"
        line = f"{verb}: {done}/{total}" if total else f"{verb}: {done}"
        if interactive:
            sys.stderr.write(f"\r{line}\x1b[K")
        elif printed[stage] < 0 or done == total or done // 1000 > printed[stage] // 1000:
            # Into a log: the first page, every thousand and the end, not a line per page.
            sys.stderr.write(line + "\n")
            printed[stage] = done
        last[0] = line

    try:
        if args.add:
            report = asyncio.run(subscribe_remote(ctx.store, ctx.config, args.add))
        else:
            report = asyncio.run(sync_now(ctx.store, ctx.config, progress=progress, switch=args.switch))
    except SubscribeError as exc:
        raise CommandError(str(exc)) from None
    except SyncError as exc:
        raise CommandError(f"sync failed: {exc}") from None
    finally:
        if interactive and last[0]:
            sys.stderr.write("\r\x1b[K")
    if args.json:
        from tui.core.schema import sync_record

        print_json(sync_record(report))
    else:
        out(report.summary())
    return EXIT_OK


def register(add: Callable[[str, Callable[..., int], str], argparse.ArgumentParser]) -> None:
    """Add this group's commands to the parser."""
    p = add("sync", cmd_sync, "two-way sync with the Miniflux or Google Reader API server set in [sync]")
    p.add_argument("--add", metavar="URL", help="subscribe to URL on the server, then sync")
    p.add_argument(
        "--switch", action="store_true",
        help="the config names another server or account: forget the old one's ids and start over",
    )
    p.add_argument("--json", action="store_true", help="print what the sync did as JSON")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress on stderr")
