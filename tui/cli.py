"""The `newswire` command: parse arguments, load config, open the store, run a command or the app."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from tui import __version__

if TYPE_CHECKING:
    from tui.core.config import Config
    from tui.core.models import Article
    from tui.core.paths import Paths
    from tui.core.places import Gazetteer
    from tui.core.store import Store

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class CommandError(Exception):
    """A failure to report as one line on stderr; `code` is the exit status."""

    def __init__(self, message: str, code: int = EXIT_FAILED) -> None:
        super().__init__(message)
        self.code = code


class _Parser(argparse.ArgumentParser):
    """argparse with one-line usage errors and exit status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (try --help)\n")


@dataclass
class Context:
    """What a command needs: where files live, the config, and (opened on demand) the store."""

    paths: Paths
    config: Config
    _store: Store | None = None
    _gazetteer: Gazetteer | None = None

    @property
    def store(self) -> Store:
        if self._store is None:
            from tui.core.store import Store

            self.paths.ensure()
            self._store = Store(self.paths.database)
        return self._store

    @property
    def gazetteer(self) -> Gazetteer:
        """The place index under this run's cache dir (--home / NEWSWIRE_HOME), opened on first use."""
        if self._gazetteer is None:
            from tui.core.places import open_gazetteer

            self._gazetteer = open_gazetteer(self.paths.cache_dir)
        return self._gazetteer

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    @property
    def save_dir(self) -> Path:
        if self.config.save.directory:
            return Path(self.config.save.directory).expanduser()
        return self.paths.save_dir


def make_fetcher(config: Config) -> Any:
    from tui.core.client import make_fetcher as make  # httpx loads only for commands that fetch

    return make(config)


# -- output helpers ---------------------------------------------------------------------------------


def _out(line: str = "") -> None:
    sys.stdout.write(line + "\n")


def _err(line: str) -> None:
    sys.stderr.write(f"newswire: {line}\n")


def _json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")


def _when(value: Any) -> str | None:
    return value.isoformat() if value else None


# -- subscriptions ----------------------------------------------------------------------------------


def cmd_add(ctx: Context, args: argparse.Namespace) -> int:
    from tui.core.subscriptions import normalise_url

    failed = 0
    for url in args.urls:
        try:
            url = normalise_url(url)
        except ValueError as exc:
            _err(f"{url}: {exc}")
            failed += 1
            continue
        feed, created = ctx.store.add_feed(url, title=args.title or "", tags=args.tag or ())
        _out(f"{'added' if created else 'already subscribed'}: {feed.url}")
    return EXIT_FAILED if failed else EXIT_OK


def cmd_remove(ctx: Context, args: argparse.Namespace) -> int:
    failed = 0
    for url in args.urls:
        if ctx.store.remove_feed(url):
            _out(f"removed: {url}")
        else:
            _err(f"{url}: not subscribed")
            failed += 1
    return EXIT_FAILED if failed else EXIT_OK


def cmd_import(ctx: Context, args: argparse.Namespace) -> int:
    from tui.core.subscriptions import SubscriptionError, import_into, read_subscriptions

    try:
        data = sys.stdin.buffer.read() if args.file == "-" else Path(args.file).read_bytes()
    except OSError as exc:
        raise CommandError(f"{args.file}: cannot read: {exc.strerror or exc}") from None
    try:
        subs, warnings = read_subscriptions(data)
    except SubscriptionError as exc:
        raise CommandError(f"{args.file}: {exc}") from None
    for warning in warnings:
        _err(f"{args.file}: {warning}")
    counts = import_into(ctx.store, subs)
    _out(f"imported {counts.added} new feeds ({counts.existing} already subscribed) from {args.file}")
    return EXIT_OK


def cmd_export(ctx: Context, args: argparse.Namespace) -> int:
    from tui.core.subscriptions import to_opml

    sys.stdout.write(to_opml(ctx.store.feeds()))
    return EXIT_OK


def _feed_json(feed: Any) -> dict[str, Any]:
    return {
        "id": feed.id,
        "url": feed.url,
        "title": feed.title,
        "tags": list(feed.tags),
        "status": feed.status,
        "last_checked": _when(feed.last_checked),
        "last_success": _when(feed.last_success),
        "last_error": feed.last_error,
        "unread": feed.unread,
        "total": feed.total,
    }


def cmd_feeds(ctx: Context, args: argparse.Namespace) -> int:
    from tui.core.text import clean_line

    feeds = ctx.store.feeds()
    if args.json:
        _json([_feed_json(f) for f in feeds])
        return EXIT_OK
    if not feeds:
        _out("no subscriptions (add one with: newswire add URL)")
        return EXIT_OK
    for feed in feeds:
        checked = feed.last_checked.strftime("%Y-%m-%d %H:%M") if feed.last_checked else "never"
        tags = f" [{', '.join(feed.tags)}]" if feed.tags else ""
        _out(f"{feed.id:>4} {feed.status:<5} {feed.unread:>4}/{feed.total:<4} {checked}  "
             f"{clean_line(feed.display_title)}{tags}")
        _out(f"     {feed.url}")
        if feed.last_error:
            _out(f"     error: {clean_line(feed.last_error)}")
    return EXIT_OK


def _progress_printer() -> Callable[..., None]:
    tty = sys.stderr.isatty()

    def progress(done: int, total: int, feed: Any, outcome: Any) -> None:
        name = getattr(feed, "url", str(feed))
        state = getattr(outcome, "describe", lambda: str(outcome))()
        if tty:
            width = 30
            filled = int(width * done / max(total, 1))
            bar = "█" * filled + "·" * (width - filled)
            sys.stderr.write(f"\r\x1b[2K{bar} {done}/{total} {name[:60]}")
            if done == total:
                sys.stderr.write("\n")
        else:
            sys.stderr.write(f"[{done}/{total}] {name}: {state}\n")
        sys.stderr.flush()

    return progress


def cmd_refresh(ctx: Context, args: argparse.Namespace) -> int:
    from tui.core.refresh import refresh_feeds

    feeds = ctx.store.feeds()
    if args.urls:
        wanted = set(args.urls)
        feeds = [f for f in feeds if f.url in wanted]
        missing = wanted - {f.url for f in feeds}
        if missing:
            raise CommandError(f"not subscribed: {', '.join(sorted(missing))}")
    if not feeds:
        _out("no subscriptions to refresh (add one with: newswire add URL)")
        return EXIT_OK

    async def run() -> Any:
        async with make_fetcher(ctx.config) as fetcher:
            return await refresh_feeds(
                ctx.store, fetcher, feeds, force=args.force, progress=_progress_printer(),
                default_interval=ctx.config.fetch.refresh_interval,
            )

    report = asyncio.run(run())
    for line in report.summary_lines():
        _out(line)
    return EXIT_FAILED if report.failed else EXIT_OK


# -- entries ----------------------------------------------------------------------------------------


def _entry_json(entry: Any) -> dict[str, Any]:
    return {
        "id": entry.id,
        "feed": entry.feed_title,
        "feed_url": entry.feed_url,
        "title": entry.title,
        "link": entry.link,
        "published": _when(entry.published),
        "read": entry.read,
        "starred": entry.starred,
    }


def cmd_list(ctx: Context, args: argparse.Namespace) -> int:
    from tui.core.text import clean_line

    feed_id = None
    if args.feed:
        feed = ctx.store.feed_by_url(args.feed)
        if feed is None:
            raise CommandError(f"not subscribed: {args.feed}")
        feed_id = feed.id
    entries = ctx.store.entries(
        feed_id=feed_id, unread_only=args.unread, starred_only=args.starred, limit=args.limit
    )
    if args.json:
        _json([_entry_json(e) for e in entries])
        return EXIT_OK
    for e in entries:
        date = e.published.strftime("%Y-%m-%d") if e.published else "          "
        marks = ("N" if not e.read else " ") + ("*" if e.starred else " ")
        _out(f"{e.id:>6} {marks} {date}  {clean_line(e.feed_title)[:24]:<24}  {clean_line(e.title)}")
    return EXIT_OK


def _set_state(ctx: Context, ids: Sequence[int], apply: Callable[[Sequence[int]], int], verb: str) -> int:
    known = [i for i in ids if ctx.store.entry(i) is not None]
    unknown = [i for i in ids if i not in known]
    apply(known)
    if known:
        _out(f"{verb}: {' '.join(map(str, known))}")
    if unknown:
        _err(f"no such entry: {' '.join(map(str, unknown))}")
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


# -- articles ---------------------------------------------------------------------------------------


def _looks_like_html(data: str) -> bool:
    head = data[:4096].lower()
    return any(tag in head for tag in ("<html", "<!doctype", "<body", "<head", "<p>", "<p ", "<div", "<article"))


def _decode(data: bytes) -> str:
    return data.decode("utf-8-sig", errors="replace")


def load_source(ctx: Context, source: str) -> Article:
    """Clean one SOURCE of `clean`/`extract`: a URL, '-' (stdin), or an HTML or text file."""
    from tui.core.article import article_from_text, extract_article

    if source.startswith(("http://", "https://")):

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
            raise CommandError("no such file") from None
        except OSError as exc:
            raise CommandError(f"cannot read: {exc.strerror or exc}") from None
        name = path.suffix.lower()
    if name in (".html", ".htm", ".xhtml") or (name not in (".txt", ".text", ".md") and _looks_like_html(_decode(data[:8192]))):
        return extract_article(data)
    return article_from_text(_decode(data))


def _clean_record(source: str, article: Article) -> dict[str, Any]:
    from tui.core.export import article_markdown

    return {
        "source": source,
        "url": article.url,
        "title": article.title,
        "byline": article.byline,
        "published": _when(article.published),
        "text": article.text,
        "markdown": article_markdown(article),
    }


def _extract_record(source: str, article: Article, gazetteer: Gazetteer | None = None) -> dict[str, Any]:
    from tui.core.places import extract_places
    from tui.core.quotes import extract_quotes

    text = article.text
    quotes = extract_quotes(text)
    return {
        "source": source,
        "title": article.title,
        "quotes": [
            {"text": q.text, "speaker": q.speaker, "start": q.start, "end": q.end}
            for q in quotes
        ],
        "places": [
            {
                "name": p.name,
                "kind": p.kind,
                "country": p.country,
                "lat": p.lat,
                "lon": p.lon,
                "mentions": p.mentions,
                "surfaces": list(p.surfaces),
            }
            for p in extract_places(text, gazetteer)
        ],
    }


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
            _err(f"{source}: {exc}")
            data = {"source": source, "error": str(exc)}
        if fmt == "jsonl":
            _json(data)
            sys.stdout.flush()
        elif "error" not in data:
            records.append(data)
    if fmt == "json":
        _json(records if len(sources) > 1 else (records[0] if records else None))
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
            lines.append(f"  {p['name']} ({p['kind']}{where}) ×{p['mentions']}")
        return "\n".join(lines) + "\n"

    return _each_source(ctx, args.sources, args.format,
                        lambda source, article: _extract_record(source, article, ctx.gazetteer), render)


def cmd_save(ctx: Context, args: argparse.Namespace) -> int:
    from tui.core.export import save_article
    from tui.core.fulltext import load_article
    from tui.core.places import extract_places
    from tui.core.quotes import extract_quotes

    fmt = {"md": "markdown", "txt": "text", "json": "json"}.get(args.format or "", args.format)
    fmt = fmt or ctx.config.save.format
    directory = Path(args.to).expanduser() if args.to else ctx.save_dir
    entries = []
    failed = 0
    for entry_id in args.ids:
        entry = ctx.store.entry(entry_id)
        if entry is None:
            _err(f"no such entry: {entry_id}")
            failed += 1
        else:
            entries.append(entry)

    async def run() -> int:
        errors = 0
        async with make_fetcher(ctx.config) as fetcher:
            for entry in entries:
                article = await load_article(ctx.store, fetcher, entry, full_text=ctx.config.reader.full_text)
                if article.is_empty:
                    _err(f"{entry.id}: {article.reason or 'no article text'}")
                    errors += 1
                    continue
                text = article.text
                try:
                    path = save_article(
                        article, directory, fmt, entry=entry,
                        quotes=extract_quotes(text), places=extract_places(text, ctx.gazetteer),
                    )
                except OSError as exc:
                    _err(f"{entry.id}: cannot save in {directory}: {exc.strerror or exc}")
                    errors += 1
                    continue
                ctx.store.record_save(entry.id, path)
                _out(str(path))
        return errors

    failed += asyncio.run(run()) if entries else 0
    return EXIT_FAILED if failed else EXIT_OK


def cmd_app(ctx: Context, args: argparse.Namespace) -> int:
    from tui.app import build_app

    app = build_app(ctx.paths, ctx.config, ctx.store)
    app.run()
    return app.return_code or EXIT_OK


# -- argument parser --------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="newswire",
        description="A terminal news reader that shows clean articles. "
        "With no command, starts the reader (on a bundled offline demo feed when nothing is subscribed).",
        epilog="Exit status: 0 success, 1 some inputs failed (the rest were done), 2 usage error.",
    )
    parser.add_argument("--version", action="version", version=f"newswire {__version__}")
    parser.add_argument(
        "--home", metavar="DIR",
        help="keep config, database and saved files under DIR (also: NEWSWIRE_HOME)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def add(name: str, func: Callable[..., int], help: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help)
        p.set_defaults(func=func)
        return p

    p = add("add", cmd_add, "subscribe to feeds (RSS, Atom or JSON Feed URLs)")
    p.add_argument("urls", nargs="+", metavar="URL")
    p.add_argument("--tag", action="append", metavar="TAG", help="tag the feeds (repeatable)")
    p.add_argument("--title", help="a title to show instead of the feed's own")

    p = add("remove", cmd_remove, "unsubscribe from feeds (their entries are deleted)")
    p.add_argument("urls", nargs="+", metavar="URL")

    p = add("import", cmd_import, "import subscriptions from an OPML file or a newsboat urls file ('-' for stdin)")
    p.add_argument("file", metavar="FILE")

    add("export", cmd_export, "print the subscriptions as OPML 2.0 on stdout")

    p = add("refresh", cmd_refresh, "fetch feeds now: progress on stderr, a summary on stdout")
    p.add_argument("urls", nargs="*", metavar="URL", help="only these feeds (default: all)")
    p.add_argument("--force", action="store_true", help="also fetch feeds that are not due yet")

    p = add("feeds", cmd_feeds, "list subscribed feeds with status, last refresh and last error")
    p.add_argument("--json", action="store_true", help="print a JSON array")

    p = add("list", cmd_list, "list stored entries, newest first")
    p.add_argument("--unread", action="store_true", help="only unread entries")
    p.add_argument("--starred", action="store_true", help="only starred entries")
    p.add_argument("--feed", metavar="URL", help="only entries of this feed")
    p.add_argument("--limit", type=int, metavar="N", help="at most N entries")
    p.add_argument("--json", action="store_true", help="print a JSON array")

    for name, func, verb in (
        ("mark-read", cmd_mark_read, "mark entries read"),
        ("mark-unread", cmd_mark_unread, "mark entries unread"),
        ("star", cmd_star, "star entries"),
        ("unstar", cmd_unstar, "remove the star from entries"),
    ):
        p = add(name, func, f"{verb} (IDs as shown by newswire list)")
        p.add_argument("ids", nargs="+", type=int, metavar="ID")

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
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    from tui.core.config import ConfigError, load_config
    from tui.core.paths import resolve_paths
    from tui.core.store import StoreError

    ctx: Context | None = None
    try:
        paths = resolve_paths(args.home)
        config = load_config(paths.config_file)
        ctx = Context(paths, config)
        func = getattr(args, "func", cmd_app)
        return func(ctx, args)
    except CommandError as exc:
        _err(str(exc))
        return exc.code
    except (ConfigError, StoreError) as exc:
        _err(str(exc))
        return EXIT_FAILED
    except KeyboardInterrupt:
        _err("interrupted")
        return 130
    except BrokenPipeError:
        # The reader of our output went away (e.g. `| head`); not an error worth a message.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except OSError as exc:
        _err(f"{exc.filename + ': ' if getattr(exc, 'filename', None) else ''}{exc.strerror or exc}")
        return EXIT_FAILED
    except Exception as exc:  # noqa: BLE001 - the promise is one line, never a traceback
        if os.environ.get("NEWSWIRE_DEBUG"):
            raise
        _err(f"unexpected error: {exc.__class__.__name__}: {exc} (set NEWSWIRE_DEBUG=1 for details)")
        return EXIT_FAILED
    finally:
        if ctx is not None:
            ctx.close()
