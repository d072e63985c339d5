"""Article commands: clean, extract, save."""

from __future__ import annotations

import argparse
import asyncio
import functools
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from tui.cli.base import EXIT_FAILED, EXIT_OK, CommandError, Context, err, make_fetcher, out, print_json
from tui.core.models import Article
from tui.core.text import place_kind


def _looks_like_html(data: str) -> bool:
    head = data[:4096].lower()
    return any(tag in head for tag in ("<html", "<!doctype", "<body", "<head", "<p>", "<p ", "<div", "<article"))


def _decode(data: bytes) -> str:
    return data.decode("utf-8-sig", errors="replace")


def _file_url_path(url: str) -> str:
    """The local path of a file:// URL (read as the file it names, like a browser does)."""
    from urllib.parse import unquote, urlsplit

    parts = urlsplit(url)
    if parts.netloc not in ("", "localhost"):
        raise CommandError(f"file:// URL on another host ({parts.netloc}): give a local path or an http(s) URL")
    return unquote(parts.path)


def load_source(ctx: Context, source: str) -> Article:
    """Clean one SOURCE of `clean`/`extract`: a URL, '-' (stdin), or an HTML or text file."""
    from tui.core.article import article_from_text, extract_article

    given = source
    scheme = source.split("://", 1)[0].lower() if "://" in source else ""
    if scheme == "file":
        source = _file_url_path(source)
    elif scheme and scheme not in ("http", "https"):
        raise CommandError(f"unsupported URL scheme {scheme}:// (give an http(s) URL, a file, or - for stdin)")
    if scheme in ("http", "https"):

        async def fetch() -> Any:
            async with make_fetcher(ctx.config) as fetcher:
                return await fetcher.fetch(source)

        result = asyncio.run(fetch())
        if not result.ok:
            raise CommandError(result.error or "fetch failed")
        return extract_article(result.body, result.final_url or source)
    if source == "-":
        data = sys.stdin.buffer.read()
        name = None
    else:
        path = Path(source)
        try:
            if path.stat().st_size > 50 * 1024 * 1024:
                raise CommandError("file too large (over 50 MB)")
            data = path.read_bytes()
        except IsADirectoryError:
            raise CommandError("is a directory") from None
        except FileNotFoundError:
            raise CommandError(f"no such file: {path}" if source != given else "no such file") from None
        except OSError as exc:
            raise CommandError(f"cannot read: {exc.strerror or exc}") from None
        name = path.suffix.lower()
    if name in (".html", ".htm", ".xhtml") or (name not in (".txt", ".text", ".md") and _looks_like_html(_decode(data[:8192]))):
        return extract_article(data)
    return article_from_text(_decode(data))


def _clean_record(source: str, article: Article) -> dict[str, Any]:
    from tui.core import schema

    return schema.clean_record(source, article)


def _extract_record(ctx: Context, source: str, article: Article) -> dict[str, Any]:
    from tui.core import schema
    from tui.core.reading import read_article

    return schema.extract_record(source, read_article(article, ctx.gazetteer))


def _each_source(
    ctx: Context, sources: Sequence[str], fmt: str, record: Callable[[str, Article], dict[str, Any]],
    render_text: Callable[[dict[str, Any]], str],
) -> int:
    failed = 0
    records = []
    for source in sources:
        try:
            article = load_source(ctx, source)
            if article.is_empty:
                raise CommandError(article.reason or "no article text found")
            data = record(source, article)
        except CommandError as exc:
            failed += 1
            err(f"{source}: {exc}")
            data = {"source": source, "error": str(exc)}
        if fmt == "jsonl":
            print_json(data)
            sys.stdout.flush()
        elif "error" not in data:
            records.append(data)
    if fmt == "json":
        print_json(records if len(sources) > 1 else (records[0] if records else None))
    elif fmt in ("text", "markdown"):
        sys.stdout.write("\n".join(render_text(r) for r in records))
    return EXIT_FAILED if failed else EXIT_OK


def cmd_clean(ctx: Context, args: argparse.Namespace) -> int:
    def render(r: dict[str, Any]) -> str:
        return (r["markdown"] if args.format == "markdown" else r["text"] + "\n")

    return _each_source(ctx, args.sources, args.format, _clean_record, render)


def cmd_extract(ctx: Context, args: argparse.Namespace) -> int:
    def render(r: dict[str, Any]) -> str:
        lines = [r["title"] or r["source"], "", "Quotes:"]
        for q in r["quotes"]:
            lines.append(f"  “{q['text']}” — {q['speaker'] or 'unattributed'}")
        lines += ["", "Places:"]
        for p in r["places"]:
            where = f", {p['country']}" if p["country"] and p["kind"] != "country" else ""
            lines.append(f"  {p['name']} ({place_kind(p['kind'])}{where}) ×{p['mentions']}")
        return "\n".join(lines) + "\n"

    return _each_source(ctx, args.sources, args.format, functools.partial(_extract_record, ctx), render)


def cmd_save(ctx: Context, args: argparse.Namespace) -> int:
    from tui.core.article.export import FORMATS, own_earlier_file
    from tui.core.feeds.rules import FeedRules
    from tui.core.reading import load_reading, save_reading

    rules = FeedRules.from_config(ctx.config)  # [[feed]] full_text = false for some feeds
    fmt = {"md": "markdown", "txt": "text", "json": "json"}.get(args.format or "", args.format)
    fmt = fmt or ctx.config.save.format
    directory = Path(args.to).expanduser() if args.to else ctx.save_dir
    for part in (directory, *directory.parents):
        if part.exists():  # the nearest existing ancestor must be a directory to write under
            if not part.is_dir():
                where = "" if part == directory else f"{part} "
                raise CommandError(f"--to {directory}: {where}is a file, not a directory")
            break
    entries = []
    failed = 0
    for entry_id in args.ids:
        entry = ctx.store.entry(entry_id)
        if entry is None:
            err(f"no such entry: {entry_id}")
            failed += 1
        else:
            entries.append(entry)

    async def run() -> int:
        errors = 0
        async with make_fetcher(ctx.config) as fetcher:
            for entry in entries:
                full_text = rules.full_text(ctx.store.feed(entry.feed_id), ctx.config.reader.full_text)
                reading = await load_reading(ctx.store, fetcher, entry, full_text=full_text, gazetteer=ctx.gazetteer)
                if reading.article.is_empty:
                    err(f"{entry.id}: {reading.article.reason or 'no article text'}")
                    errors += 1
                    continue
                ext = FORMATS.get(fmt, fmt)
                previous = own_earlier_file(ctx.store.saves(), entry.id, directory, ext)
                try:
                    path = save_reading(reading, directory, fmt, entry=entry, previous=previous,
                                        enclosures=ctx.store.enclosures(entry.id))
                except OSError as exc:
                    err(f"{entry.id}: cannot save in {directory}: {exc.strerror or exc}")
                    errors += 1
                    continue
                ctx.store.record_save(entry.id, path)
                out(str(path))
        return errors

    failed += asyncio.run(run()) if entries else 0
    return EXIT_FAILED if failed else EXIT_OK


def register(add: Callable[[str, Callable[..., int], str], argparse.ArgumentParser]) -> None:
    """Add this group's commands to the parser."""
    p = add("clean", cmd_clean, "print the cleaned article of each SOURCE (HTML or text file, URL, or - for stdin)")
    p.add_argument("sources", nargs="+", metavar="SOURCE")
    p.add_argument("--format", choices=("text", "markdown", "json", "jsonl"), default="text",
                   help="text: the body; markdown: title and body; json/jsonl: "
                   "{source, url, title, byline, published, text, markdown}")

    p = add("extract", cmd_extract, "print the quotes (with speakers) and places of each SOURCE's cleaned article")
    p.add_argument("sources", nargs="+", metavar="SOURCE")
    p.add_argument("--format", choices=("text", "json", "jsonl"), default="text",
                   help="json/jsonl: {source, title, quotes: [{text, speaker, start, end}], places: [...]}")

    p = add("save", cmd_save, "write the cleaned articles of entries to files")
    p.add_argument("ids", nargs="+", type=int, metavar="ID")
    p.add_argument("--format", choices=("md", "txt", "json"), help="default: the config's save.format (md)")
    p.add_argument("--to", metavar="DIR", help="the directory to write to (default: the config's save.directory)")
