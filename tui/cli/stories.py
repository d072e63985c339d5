"""Story commands: stories (one wire story across outlets) and diff (what one copy or version changed)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from tui.cli.base import EXIT_FAILED, EXIT_OK, CommandError, Context, counted, err, out, positive_int, print_json

__all__ = ["register"]


def cmd_stories(ctx: Context, args: argparse.Namespace) -> int:
    from tui.core import schema
    from tui.core.stories import recluster, stories
    from tui.core.text import clean_line

    if args.rebuild:
        recluster(ctx.store)
    found = stories(ctx.store)
    stories_stored = bool(found)
    if args.unread:
        found = [s for s in found if s.unread]
    if args.limit is not None:
        found = found[: args.limit]
    if args.json:
        print_json([schema.story_record(s) for s in found])
        return EXIT_OK
    if not found:
        out("no story with unread copies" if args.unread and stories_stored
            else "no stories yet: a story is an entry carried by more than one feed")
        return EXIT_OK
    for story in found:
        first = story.first_seen.strftime("%Y-%m-%d %H:%M") if story.first_seen else "?"
        last = story.last_seen.strftime("%Y-%m-%d %H:%M") if story.last_seen else "?"
        out(f"story {story.id}: {clean_line(story.best.title)}")
        out(
            f"  {len(story.copies)} copies in {len(story.outlets)} outlets, first {first}, last {last}, "
            f"{story.unread} unread"
        )
        for copy in story.copies:
            e = copy.entry
            when = e.published.strftime("%Y-%m-%d %H:%M") if e.published else "                "
            best = "*" if e.id == story.best.id else " "
            out(f"  {best}{e.id:>6} {when}  {clean_line(e.feed_title)[:24]:<24}  {clean_line(e.title)}")
    return EXIT_OK


def _print_diff(diff: Any, heading: str) -> None:
    from tui.core.text import clean_line, clean_paragraph

    out(heading)
    if diff.title_changed:
        out(f"  headline: {clean_line(diff.old_title)}")
        out(f"        now: {clean_line(diff.new_title)}")
    if diff.same:
        out("  no differences")
        return
    for change in diff.changes:
        if change.kind == "edited":
            words = " ".join(
                text if op == "=" else (f"[-{text}-]" if op == "-" else f"{{+{text}+}}") for op, text, _ in change.words
            )
            out(f"  ~ edited: {clean_paragraph(words)}")
        elif change.kind == "added":
            out(f"  + added: {clean_paragraph(change.text)}")
        else:
            out(f"  - cut: {clean_paragraph(change.text)}")
    for quote in diff.quotes_added:
        out(f"  + quote: {clean_line(quote)}")
    for quote in diff.quotes_dropped:
        out(f"  - quote: {clean_line(quote)}")
    out(f"  {diff.unchanged} paragraphs unchanged")


def cmd_diff(ctx: Context, args: argparse.Namespace) -> int:
    from tui.core import schema
    from tui.core.stories import diff_entries, diff_versions

    ids: list[int] = args.ids
    if len(ids) > 2:
        raise CommandError("diff takes one entry ID (its versions) or two (two copies)", 2)
    try:
        if len(ids) == 2:
            diff = diff_entries(ctx.store, ids[0], ids[1])
            if args.json:
                print_json(schema.diff_record(diff, ids[0], ids[1]))
            else:
                _print_diff(diff, f"what {ids[1]} changed against {ids[0]}:")
            return EXIT_OK
        diffs = diff_versions(ctx.store, ids[0])
    except LookupError as exc:
        raise CommandError(str(exc)) from None
    if args.json:
        print_json([schema.diff_record(d, ids[0], ids[0], n + 1) for n, d in enumerate(diffs)])
        return EXIT_OK
    if not diffs:
        _one_version(ctx, ids[0])
    for n, diff in enumerate(diffs, 1):
        _print_diff(diff, f"version {n + 1} of {ids[0]} against version {n}:")
    return EXIT_OK


def _one_version(ctx: Context, entry_id: int) -> None:
    """Say an entry was never updated; for a copy of a story, name the diff that compares copies."""
    from tui.core.stories import story_of

    story = story_of(ctx.store, entry_id)
    if story is None:  # (story_of gives only stories of two copies or more)
        out(f"entry {entry_id} has one version only (give two IDs to compare two copies)")
        return
    said = f"entry {entry_id} has one version only; it is"
    best = story.best.id
    if best != entry_id:
        out(f"{said} a copy of story {story.id}: newswire diff {best} {entry_id} shows what it changed "
            "against the fullest copy")
    else:
        other = next(c.entry.id for c in story.copies if c.entry.id != entry_id)
        out(f"{said} the fullest copy of story {story.id}: newswire diff {entry_id} {other} shows what "
            "another copy changed against it")


def cmd_story_read(ctx: Context, args: argparse.Namespace) -> int:
    known = set(ctx.store.story_ids().values())
    for missing in [i for i in args.ids if i not in known]:
        err(f"no such story: {missing} (see: newswire stories)")
    total = sum(ctx.store.set_story_read(i, not args.unread) for i in args.ids if i in known)
    out(f"marked {'unread' if args.unread else 'read'}: {counted(total, 'entry', 'entries')}")
    return EXIT_OK if all(i in known for i in args.ids) else EXIT_FAILED


def register(add: Callable[[str, Callable[..., int], str], argparse.ArgumentParser]) -> None:
    """Add this group's commands to the parser."""
    p = add(
        "stories", cmd_stories, "wire stories carried by more than one feed: their copies, outlets, first/last seen"
    )
    p.add_argument("--json", action="store_true", help="print a JSON array")
    p.add_argument("--unread", action="store_true", help="only stories with unread copies")
    p.add_argument("--limit", type=positive_int, metavar="N", help="at most N stories")
    p.add_argument("--rebuild", action="store_true", help="group every stored entry again from scratch first")

    p = add(
        "diff",
        cmd_diff,
        "what one copy changed against another (two IDs), or what each version of an entry changed (one ID)",
    )
    p.add_argument("ids", nargs="+", type=int, metavar="ID")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = add("story-read", cmd_story_read, "mark every copy of stories read (story IDs as shown by newswire stories)")
    p.add_argument("ids", nargs="+", type=int, metavar="STORY")
    p.add_argument("--unread", action="store_true", help="mark them unread instead")
