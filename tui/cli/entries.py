"""Entry commands: list, mark-read, mark-unread, star, unstar."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence

from tui.cli.base import EXIT_FAILED, EXIT_OK, CommandError, Context, err, find_feed, out, positive_int, print_json
from tui.core import schema


def cmd_list(ctx: Context, args: argparse.Namespace) -> int:
    from tui.core.text import clean_line

    feed_id = None
    if args.feed:
        feed = find_feed(ctx, args.feed)
        if feed is None:
            raise CommandError(f"not subscribed: {args.feed}")
        feed_id = feed.id
    expression = args.filter
    if args.query:
        named = {q.name: q.filter for q in ctx.config.queries}
        if args.query not in named:
            raise CommandError(f"no query feed named {args.query!r} (see: newswire queries)")
        expression = named[args.query] if not expression else f"({named[args.query]}) and ({expression})"
    if expression:
        from tui.cli.filters import compile_or_fail
        from tui.core.filters import filter_entries

        entries = filter_entries(
            ctx.store, compile_or_fail(expression), feed_id=feed_id, unread_only=args.unread,
            starred_only=args.starred, limit=args.limit,
        )
    else:
        entries = ctx.store.entries(
            feed_id=feed_id, unread_only=args.unread, starred_only=args.starred, limit=args.limit
        )
    if args.json:
        story, changed = ctx.store.story_ids(), ctx.store.changed_ids()
        print_json([{**schema.entry_record(e), "story": story.get(e.id), "updated": e.id in changed} for e in entries])
        return EXIT_OK
    for e in entries:
        date = e.published.strftime("%Y-%m-%d") if e.published else "          "
        marks = ("N" if not e.read else " ") + ("*" if e.starred else " ")
        out(f"{e.id:>6} {marks} {date}  {clean_line(e.feed_title)[:24]:<24}  {clean_line(e.title)}")
    return EXIT_OK


def _set_state(ctx: Context, ids: Sequence[int], apply: Callable[[Sequence[int]], int], verb: str) -> int:
    known = [i for i in ids if ctx.store.entry(i) is not None]
    unknown = [i for i in ids if i not in known]
    apply(known)
    if known:
        out(f"{verb}: {' '.join(map(str, known))}")
    if unknown:
        err(f"no such entry: {' '.join(map(str, unknown))}")
        return EXIT_FAILED
    return EXIT_OK


def cmd_mark_read(ctx: Context, args: argparse.Namespace) -> int:
    return _set_state(ctx, args.ids, lambda ids: ctx.store.set_read(ids, True), "marked read")


def cmd_mark_unread(ctx: Context, args: argparse.Namespace) -> int:
    return _set_state(ctx, args.ids, lambda ids: ctx.store.set_read(ids, False), "marked unread")


def cmd_star(ctx: Context, args: argparse.Namespace) -> int:
    return _set_state(ctx, args.ids, lambda ids: ctx.store.set_starred(ids, True), "starred")


def cmd_unstar(ctx: Context, args: argparse.Namespace) -> int:
    return _set_state(ctx, args.ids, lambda ids: ctx.store.set_starred(ids, False), "unstarred")


def register(add: Callable[[str, Callable[..., int], str], argparse.ArgumentParser]) -> None:
    """Add this group's commands to the parser."""
    p = add("list", cmd_list, "list stored entries, newest first")
    p.add_argument("--unread", action="store_true", help="only unread entries")
    p.add_argument("--starred", action="store_true", help="only starred entries")
    p.add_argument("--feed", metavar="URL|ID", help="only entries of this feed")
    p.add_argument("--limit", type=positive_int, metavar="N", help="at most N entries")
    p.add_argument("--filter", metavar="EXPR",
                   help='only entries matching a newsboat filter, e.g. \'title =~ "rust" and unread = "yes"\'')
    p.add_argument("--query", metavar="NAME", help="only entries of this query feed ([[query]] in the config)")
    p.add_argument("--json", action="store_true", help="print a JSON array")

    for name, func, verb in (
        ("mark-read", cmd_mark_read, "mark entries read"),
        ("mark-unread", cmd_mark_unread, "mark entries unread"),
        ("star", cmd_star, "star entries"),
        ("unstar", cmd_unstar, "remove the star from entries"),
    ):
        p = add(name, func, f"{verb} (IDs as shown by newswire list)")
        p.add_argument("ids", nargs="+", type=int, metavar="ID")
