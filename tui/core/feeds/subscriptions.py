"""Subscription lists in and out: OPML 1.0/2.0 and newsboat `urls` files, imported into the store."""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from email.utils import formatdate
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit, urlunsplit

from tui.core.text import clean_line, truncate

__all__ = [
    "ImportCounts", "Subscription", "SubscriptionError", "import_into", "normalise_url", "parse_opml",
    "parse_urls", "read_subscriptions", "resolve_url", "tag_path", "to_opml",
]


class SubscriptionError(Exception):
    """The file is neither OPML nor a urls file we can read; the message says why."""


@dataclass(frozen=True, slots=True)
class Subscription:
    """One feed from a subscription list."""

    url: str
    title: str = ""
    tags: tuple[str, ...] = ()
    hidden: bool = False  # newsboat's "!": kept out of the feed list (a [[feed]] setting here)


@dataclass(frozen=True, slots=True)
class QueryLine:
    """A newsboat `query:Name:expression` feed: a virtual feed of the entries the filter matches."""

    name: str
    filter: str
    tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ImportCounts:
    """What `import_into` did."""

    added: int = 0
    existing: int = 0

    @property
    def total(self) -> int:
        return self.added + self.existing


_HOST_PORT = re.compile(r"^(?:\[[0-9a-fA-F:.]+\]|[\w.-]+)(?::\d*)?$")
_IPV4 = re.compile(r"^\d{1,3}(?:\.\d{1,3}){3}$")
_DEFAULT_PORTS = {"http": 80, "https": 443}


def _is_local(host: str) -> bool:
    """An IP literal or localhost: such servers rarely have a certificate, so http is assumed."""
    host = host.strip("[]").lower()
    return bool(_IPV4.match(host)) or ":" in host or host == "localhost" or host.endswith(".localhost")


def resolve_url(url: str) -> tuple[str, str | None]:
    """(normalised URL, what was assumed or None); ValueError saying why the text is no feed URL.

    A URL without a scheme gets one: http for an IP address or localhost, https otherwise, and the
    second value says so ("assuming https://example.com/feed") so the user can see the guess.
    """
    text = clean_line(url)
    if not text:
        raise ValueError("empty URL")
    if any(ch.isspace() for ch in text):
        raise ValueError("a URL cannot contain spaces")
    assumed = False
    if text.lower().startswith("feed:"):
        text = text[5:]
        text = text[2:] if text.startswith("//") else text
        if "://" not in text:
            text = "http://" + text
    elif "://" not in text and _HOST_PORT.match(text.split("/", 1)[0].split("?", 1)[0]):
        host = text.split("/", 1)[0].split("?", 1)[0]
        host = host if host.startswith("[") else host.rsplit(":", 1)[0]
        text = ("http://" if _is_local(host) else "https://") + text
        assumed = True
    normalised = _normalise(text)
    return normalised, (f"assuming {normalised}" if assumed else None)


def normalise_url(url: str) -> str:
    """A subscribable http(s) URL in one spelling, or ValueError saying why not.

    `feed://host/x` and `feed:https://host/x` are unwrapped; a bare `host/path` gets a scheme (see
    `resolve_url`). Scheme and host are lower-cased, the default port and the #fragment (never
    sent to the server) are dropped, so one feed is not subscribed twice under two spellings.
    """
    return resolve_url(url)[0]


def _normalise(text: str) -> str:
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        raise ValueError(f"not a valid URL ({truncate(text, 80)})") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise ValueError(f"not an http(s) URL ({truncate(text, 80)})")
    if not parts.hostname:
        raise ValueError(f"no host in the URL ({truncate(text, 80)})")
    netloc = parts.hostname.lower().rstrip(".")
    if not netloc or not re.fullmatch(r"[\w.:-]+", netloc) or netloc.startswith(("-", ".")):
        raise ValueError(f"not a valid host name in the URL ({truncate(text, 80)})")
    if ":" in netloc:  # IPv6 literal
        netloc = f"[{netloc}]"
    if parts.username or parts.password:
        netloc = parts.netloc.rsplit("@", 1)[0] + "@" + netloc
    if port is not None and port != _DEFAULT_PORTS[scheme]:
        netloc += f":{port}"
    return urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))


def _merge(subs: Iterable[Subscription]) -> list[Subscription]:
    """One Subscription per URL, in first-seen order; tags are united, the first title wins."""
    merged: dict[str, Subscription] = {}
    for sub in subs:
        old = merged.get(sub.url)
        if old is None:
            merged[sub.url] = sub
        else:
            merged[sub.url] = Subscription(
                sub.url, old.title or sub.title, _unique([*old.tags, *sub.tags]), old.hidden or sub.hidden
            )
    return list(merged.values())


def tag_path(tag: str) -> str:
    """A tag in one spelling: a nested folder is its path, "News/World", without stray slashes."""
    return "/".join(part for part in (clean_line(p) for p in tag.split("/")) if part)


def _unique(tags: Iterable[str]) -> tuple[str, ...]:
    """Tags without repeats, compared case-insensitively ("News" and "news" are one folder);
    the first spelling is kept."""
    out: list[str] = []
    seen: set[str] = set()
    for tag in tags:
        tag = tag_path(tag)
        if tag and tag.casefold() not in seen:
            seen.add(tag.casefold())
            out.append(tag)
    return tuple(out)


def read_subscriptions(
    source: str | Path | bytes, queries: list[QueryLine] | None = None
) -> tuple[list[Subscription], list[str]]:
    """Read OPML or a newsboat urls file (bytes, or a path); returns subscriptions and warnings.

    With a `queries` list, the urls file's `query:` feeds are appended to it (else skipped with a warning).
    """
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head:
        raise SubscriptionError("the file is empty (neither OPML nor a urls file)")
    if head.startswith(b"<"):
        return parse_opml(data)
    if head[:1] in (b"{", b"["):
        raise SubscriptionError(
            "a JSON document, neither OPML nor a urls file (to subscribe to a JSON Feed: newswire add URL)"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SubscriptionError("neither OPML nor a urls file (not UTF-8 text)") from None
    return parse_urls(text, queries)


# -- OPML -------------------------------------------------------------------------------------------


def _safe_parser(recover: bool) -> Any:
    from lxml import etree  # lxml loads only for OPML, not for every refresh that reads kill rules

    # No entity expansion (billion laughs), no DTD or network fetches, no huge documents.
    return etree.XMLParser(
        resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False,
        remove_comments=True, remove_pis=True, recover=recover,
    )


# libxml2 expands internal entities inside attribute values even with resolve_entities=False,
# so a document type declaration (which OPML never needs) is cut out before parsing.
_DOCTYPE = re.compile(rb"<!DOCTYPE(?:[^\[>]|\[.*?\])*>", re.DOTALL | re.IGNORECASE)


def parse_opml(data: bytes) -> tuple[list[Subscription], list[str]]:
    """Feeds of an OPML document; nested outlines and `category` attributes become tags."""
    from lxml import etree

    warnings: list[str] = []
    data = _DOCTYPE.sub(b"", data, count=1)
    try:
        root = etree.fromstring(data, _safe_parser(recover=False))
    except etree.XMLSyntaxError as exc:
        line = exc.lineno
        root = etree.fromstring(data, _safe_parser(recover=True))
        if root is None:
            raise SubscriptionError(f"malformed OPML (line {line})") from None
        warnings.append(f"malformed OPML (line {line}), read leniently")
    tag = etree.QName(root).localname.lower() if isinstance(root.tag, str) else ""
    if tag != "opml":
        raise SubscriptionError(f"not an OPML file (the document is <{tag}>)")
    body = next((el for el in root if isinstance(el.tag, str) and el.tag.lower() == "body"), None)
    if body is None:
        raise SubscriptionError("not an OPML file (no <body>)")
    subs = list(_outlines(body, (), warnings))
    return _merge(subs), warnings


def _attr(el: Any, name: str) -> str:
    """Attribute by case-insensitive name: exporters write xmlUrl, xmlurl and xmlURL."""
    for key, value in el.attrib.items():
        if isinstance(key, str) and key.lower() == name:
            return str(value)
    return ""


def _category_tags(value: str) -> list[str]:
    # OPML 2.0: comma-separated categories, each a slash-delimited path ("/News/World").
    return [tag_path(category) for category in value.split(",")]


def _outlines(parent: Any, folders: tuple[str, ...], warnings: list[str]) -> Iterator[Subscription]:
    for el in parent:
        if not isinstance(el.tag, str) or el.tag.lower() != "outline":
            continue
        raw_url = _attr(el, "xmlurl").strip()
        label = clean_line(_attr(el, "title")) or clean_line(_attr(el, "text"))
        if raw_url:
            try:
                url = normalise_url(raw_url)
            except ValueError as exc:
                warnings.append(f"skipped {label or 'a feed'}: {exc}")
                continue
            if label in (raw_url, url):  # exporters put the URL in text when there is no title
                label = ""
            # Nested folders are one tag, their path: News > World is "News/World", as in `category`.
            tags = _unique([*(["/".join(folders)] if folders else []), *_category_tags(_attr(el, "category"))])
            yield Subscription(url, label, tags)
            # Some exporters nest feeds under a feed; keep its folders for them.
            yield from _outlines(el, folders, warnings)
        else:
            folder = tag_path(_attr(el, "text")) or tag_path(_attr(el, "title"))
            yield from _outlines(el, (*folders, folder) if folder else folders, warnings)


class _FeedLike(Protocol):
    url: str
    title: str
    tags: tuple[str, ...]


def _in_category(tag: str) -> bool:
    return "," not in tag  # the one character a category path cannot hold


def to_opml(feeds: Iterable[_FeedLike], *, title: str = "Newswire subscriptions") -> str:
    """OPML 2.0 for `feeds`; reading it back gives the same URLs, titles and tags.

    A feed sits in the folder of its first tag, a tag "News/World" being the folder World nested
    in News, and lists all its tags in `category` ("/News/World,/Tech"), so other readers see it
    once; a tag `category` cannot carry (a ",") adds a copy of the feed in that tag's folder.
    Folders compare case-insensitively: "News" and "news" are one folder, spelled as first seen.
    """
    from lxml import etree

    root = etree.Element("opml", version="2.0")
    head = etree.SubElement(root, "head")
    etree.SubElement(head, "title").text = title
    etree.SubElement(head, "dateCreated").text = formatdate(usegmt=True)
    body = etree.SubElement(root, "body")
    folders: dict[tuple[str, ...], Any] = {}

    def folder(tag: str) -> Any:
        parent: Any = body
        key: tuple[str, ...] = ()
        for part in tag.split("/"):
            key = (*key, part.casefold())
            if key not in folders:
                folders[key] = etree.SubElement(parent, "outline", text=part, title=part)
            parent = folders[key]
        return parent

    for feed in feeds:
        tags = _unique(feed.tags)
        attrs = {"type": "rss", "text": feed.title or feed.url}
        if feed.title:
            attrs["title"] = feed.title
        attrs["xmlUrl"] = feed.url
        site = getattr(feed, "site_url", None)
        if site:
            attrs["htmlUrl"] = site
        carried = [t for t in tags if _in_category(t)]
        if carried:
            attrs["category"] = ",".join(f"/{t}" for t in carried)
        homes = [tags[0], *(t for t in tags[1:] if not _in_category(t))] if tags else [None]
        for home in homes:
            etree.SubElement(body if home is None else folder(home), "outline", attrs)
    etree.indent(root, space="  ")
    xml = bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))
    return xml.decode("utf-8")


# -- newsboat urls ----------------------------------------------------------------------------------


def _tokens(line: str) -> list[str]:
    """Split a urls line like newsboat: whitespace-separated, "double quotes" with \\ escapes,
    and a `#` at the start of a token begins a comment."""
    tokens: list[str] = []
    i, n = 0, len(line)
    while i < n:
        if line[i].isspace():
            i += 1
            continue
        if line[i] == "#":
            break
        if line[i] == '"':
            i += 1
            buf = []
            while i < n and line[i] != '"':
                if line[i] == "\\" and i + 1 < n:
                    i += 1
                buf.append(line[i])
                i += 1
            i += 1
            tokens.append("".join(buf))
        else:
            start = i
            while i < n and not line[i].isspace():
                i += 1
            tokens.append(line[start:i])
    return tokens


_SKIPPED_KINDS = {
    "exec:": "an exec: feed (it runs a local command)",
    "filter:": "a filter: feed (it runs a local command)",
    "file:": "a file:// feed (a local file, not a web feed)",
}


def _query_line(tokens: list[str]) -> QueryLine:
    """`query:Name:expression` (newsboat); ValueError saying what is wrong."""
    from tui.core.filters import FilterError, compile_filter

    _, _, rest = tokens[0].partition(":")
    name, colon, expression = rest.partition(":")
    name = clean_line(name)
    if not colon or not name:
        raise ValueError("a query feed needs a name and a filter: query:Name:expression")
    try:
        compile_filter(expression)
    except FilterError as exc:
        raise ValueError(f"query feed {name!r}: bad filter: {exc}") from None
    tags = [t for t in tokens[1:] if not t.startswith(("~", "!"))]
    return QueryLine(name, expression, _unique(tags))


def parse_urls(text: str, queries: list[QueryLine] | None = None) -> tuple[list[Subscription], list[str]]:
    """Feeds of a newsboat urls file: URL, then tags; "~Title" names the feed.

    `query:` lines go to `queries` when a list is given (else they are skipped with a warning).
    """
    subs: list[Subscription] = []
    warnings: list[str] = []
    config_lines = 0
    for number, line in enumerate(text.splitlines(), 1):
        tokens = _tokens(line)
        if not tokens:
            continue
        first = tokens[0]
        if first.lower().startswith("query:"):
            if queries is None:
                warnings.append(f"line {number}: skipped a newsboat query feed")
                continue
            try:
                queries.append(_query_line(tokens))
            except ValueError as exc:
                warnings.append(f"line {number}: skipped: {exc}")
            continue
        kind = next((label for prefix, label in _SKIPPED_KINDS.items() if first.lower().startswith(prefix)), None)
        if kind:
            warnings.append(f"line {number}: skipped {kind}")
            continue
        if re.fullmatch(r"[a-z]+(?:-[a-z]+)+|[a-z]+", first):
            # "auto-reload yes", "ignore-article …": a newsboat config line, not a host name.
            config_lines += 1
            warnings.append(f"line {number}: skipped `{truncate(clean_line(first), 40)}`: not a feed URL")
            continue
        # A urls line names its feed with a full URL; anything else means this is not a urls file
        # (a JSON or HTML document, a CSV…), and importing its words as hosts would subscribe junk.
        if not re.match(r"(?i)(?:https?://|feed:)", first):
            raise SubscriptionError(
                f"neither OPML nor a urls file: line {number} is not a feed URL ({truncate(clean_line(line), 60)})"
            )
        try:
            url = normalise_url(first)
        except ValueError as exc:
            raise SubscriptionError(f"line {number}: {exc}") from None
        title = ""
        tags = []
        hidden = False
        for token in tokens[1:]:
            if token.startswith("~"):
                title = clean_line(token[1:])
            elif token.startswith("!"):  # a tag starting with "!" hides the feed in newsboat ("!ORF News (hidden)")
                hidden = True
            else:
                tags.append(token)
        subs.append(Subscription(url, title, _unique(tags), hidden))
    if config_lines and not subs:
        raise SubscriptionError(
            "this looks like a newsboat config file, not a urls file: bring it across with "
            "`newswire import-config FILE`"
        )
    if not subs and not warnings:
        raise SubscriptionError("no feeds in the file (only comments and blank lines)")
    return _merge(subs), warnings


# -- store ------------------------------------------------------------------------------------------


def import_into(store: Any, subs: Iterable[Subscription]) -> ImportCounts:
    """Subscribe to each feed; existing ones gain the new tags and, if untitled, the title."""
    added = existing = 0
    for sub in subs:
        _, created = store.add_feed(sub.url, title=sub.title, tags=sub.tags)
        if created:
            added += 1
        else:
            existing += 1
    return ImportCounts(added=added, existing=existing)


# -- newsboat config --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NewsboatConfig:
    """What Newswire takes from a newsboat `config` file."""

    ignore: tuple[tuple[str, str], ...] = ()  # (feed URL or "*", filter) of each ignore-article
    auto_reload: int | None = None  # minutes, when auto-reload is on
    player: str | None = None  # as an argv template with {url}
    download_path: str | None = None
    warnings: tuple[str, ...] = ()


# Commands about newsboat's own screens, colours and keys: nothing to carry over, no warning.
_QUIET = ("color", "bind-key", "unbind-key", "macro", "highlight", "highlight-article",
          "articlelist-format", "feedlist-format", "datetime-format", "text-width", "show-read-feeds",
          "show-read-articles", "confirm-exit", "notify-format", "include", "#")


def parse_newsboat_config(text: str) -> NewsboatConfig:
    """Kill rules and the few settings with a Newswire meaning from a newsboat config file."""
    from tui.core.filters import FilterError, compile_filter

    ignore: list[tuple[str, str]] = []
    warnings: list[str] = []
    unsupported: dict[str, int] = {}
    auto_reload = False
    reload_time: int | None = None
    player = download_path = None
    for number, line in enumerate(text.splitlines(), 1):
        tokens = _tokens(line)
        if not tokens:
            continue
        command, args = tokens[0].lower(), tokens[1:]
        if command == "ignore-article":
            if len(args) != 2:
                warnings.append(f'line {number}: skipped: ignore-article needs a feed ("*" or a URL) and a filter')
                continue
            feed, expression = args
            if feed != "*":
                try:
                    feed = normalise_url(feed)
                except ValueError as exc:
                    warnings.append(f"line {number}: skipped ignore-article: {exc}")
                    continue
            try:
                compile_filter(expression)
            except FilterError as exc:
                warnings.append(f"line {number}: skipped ignore-article: bad filter: {exc}")
                continue
            ignore.append((feed, expression))
        elif command == "auto-reload" and args:
            auto_reload = args[0].lower() in ("yes", "true")
        elif command == "reload-time" and args:
            if args[0].isdigit() and int(args[0]) > 0:
                reload_time = int(args[0])
            else:
                warnings.append(f"line {number}: skipped reload-time: not a number of minutes")
        elif command == "player" and args:
            # newsboat hands the player to a shell: `player "mpv --no-video"` is a program and its option
            # (here an argv, never a shell: quotes inside the value group words as a shell would).
            try:
                words = [w for a in args for w in shlex.split(a)]
            except ValueError:
                warnings.append(f"line {number}: skipped player: unbalanced quotes")
                continue
            player = " ".join(shlex.quote(w) for w in words) + " {url}"
        elif command == "download-path" and args:
            download_path = args[0]
        elif command in ("ignore-mode", "reload-threads", "max-items") or command.startswith(_QUIET):
            continue
        else:
            unsupported[command] = unsupported.get(command, 0) + 1
    if unsupported:
        names = ", ".join(sorted(unsupported)[:12]) + (" …" if len(unsupported) > 12 else "")
        warnings.append(f"not carried over (no Newswire equivalent): {names}")
    return NewsboatConfig(
        ignore=tuple(ignore),
        auto_reload=(reload_time or 60) if auto_reload else None,
        player=player,
        download_path=download_path,
        warnings=tuple(warnings),
    )
