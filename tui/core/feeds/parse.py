"""Feed documents (RSS, Atom, JSON Feed) as bytes → ParsedFeed, with entry HTML made safe to store."""

from __future__ import annotations

import calendar
import copy
import hashlib
import html
import io
import json
import re
import threading
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml import etree

from tui.core.feeds import fastparse
from tui.core.models import Enclosure, ParsedEntry, ParsedFeed
from tui.core.text import C0_IN_MARKUP, clean_line, normalize, strip_control

# Dates further ahead than this are a publisher's clock or template error, not a schedule.
FUTURE_SLACK = timedelta(days=2)


class FeedError(Exception):
    """The bytes are not a feed we can read; the message is a readable sentence."""


# ---------------------------------------------------------------------------------------------
# HTML cleaning: feedparser's own sanitiser is off (it costs ~40% of parse time), so this is
# the one place where script, styles, frames, event handlers and dangerous links are removed.

_DROP_ELEMENTS = frozenset(
    {"script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "base",
     "meta", "link", "template"}
)
_URL_ATTRS = frozenset(
    {"href", "src", "action", "formaction", "poster", "cite", "background", "longdesc", "lowsrc",
     "dynsrc", "data", "xlink:href"}
)
_BAD_SCHEMES = ("javascript:", "vbscript:", "data:")
_SCHEME_NOISE = re.compile(r"[\x00-\x20\x7f]+")
# Cheap checks (on the lower-cased text) for anything that might need the full lxml pass: a
# dropped element, an event-handler attribute, or a URL attribute whose value is not plainly
# absolute. Fragments that pass all three are stored as they came (most feed HTML does).
# Three searches, not one alternation: each has a literal prefix for re's fast scan (the
# alternation was 5× slower on a page of feed HTML).
_DROPPED_TAG = re.compile(r"<\s*(?:script|style|i?frame|object|embed|applet|base|meta|link|template)")
_EVENT_ATTR = re.compile(r"on[a-z]+\s*=")
_NOT_ABSOLUTE_VALUE = re.compile(r"=\s*+(?![\"']?(?:https?://|mailto:|#))")
_ATTR_NAME_BEFORE = re.compile(r"([a-z:-]+)\s*$")


def _needs_cleaning(fragment: str) -> bool:
    low = fragment.lower()
    if "srcset" in low or _DROPPED_TAG.search(low) or _EVENT_ATTR.search(low):
        return True
    for match in _NOT_ABSOLUTE_VALUE.finditer(low):
        name = _ATTR_NAME_BEFORE.search(low, max(0, match.start() - 16), match.start())
        if name and (name.group(1) in _URL_ATTRS or name.group(1).endswith(("src", "srcset", "href"))):
            return True
    return False


def _unsafe_url(value: str) -> bool:
    return _SCHEME_NOISE.sub("", value).lower().startswith(_BAD_SCHEMES)


def _absolute(base: str | None, value: str) -> str:
    value = value.strip()
    if not base or not value or value.startswith("#"):
        return value
    try:
        return urljoin(base, value)
    except ValueError:
        return value


def _clean_srcset(base: str | None, value: str) -> str | None:
    parts = []
    for candidate in value.split(","):
        bits = candidate.split()
        if not bits or _unsafe_url(bits[0]):
            continue
        parts.append(" ".join([_absolute(base, bits[0]), *bits[1:]]))
    return ", ".join(parts) or None


def clean_html(fragment: str | None, base: str | None = None) -> str:
    """Make feed HTML safe to store and self-contained.

    Removes script/style/frame/embed-like elements, ``on*`` attributes and ``javascript:``,
    ``vbscript:`` and ``data:`` URLs, and resolves relative links against `base`.
    """
    if not fragment:
        return ""
    return _clean_normalized_html(normalize(fragment), base)


def _clean_normalized_html(fragment: str, base: str | None) -> str:
    """`clean_html` of a fragment that `normalize` would leave as it is."""
    if "<" not in fragment or not _needs_cleaning(fragment):
        return fragment.strip()
    import lxml.html  # only here: most feed HTML needs no cleaning, and lxml.html costs ~5 ms to load

    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError, AssertionError):
        # lxml asserts on some broken documents ("too many bodies"); show such HTML as text.
        return html.escape(fragment)
    doomed = []
    for el in root.iter():
        # Character references (&#x1b;) come back as raw controls, which lxml keeps but refuses
        # to set again: dropping an element beside one would raise.
        if el.text and C0_IN_MARKUP.search(el.text):
            el.text = strip_control(el.text)
        if el.tail and C0_IN_MARKUP.search(el.tail):
            el.tail = strip_control(el.tail)
        tag = el.tag
        if not isinstance(tag, str):  # comments and processing instructions
            doomed.append(el)
            continue
        if tag.lower() in _DROP_ELEMENTS:
            doomed.append(el)
            continue
        for name, value in list(el.attrib.items()):
            key = name.lower()
            if key.startswith("on") or key == "srcdoc":
                del el.attrib[name]
            elif key in _URL_ATTRS:
                if _unsafe_url(value):
                    del el.attrib[name]
                else:
                    el.attrib[name] = _absolute(base, value)
            elif key == "srcset":
                cleaned = _clean_srcset(base, value)
                if cleaned is None:
                    del el.attrib[name]
                else:
                    el.attrib[name] = cleaned
    for el in doomed:
        el.drop_tree()
    out = lxml.html.tostring(root, encoding="unicode")
    # Strip the <div> wrapper that fragment_fromstring added; character references the parser
    # decoded (&#x1b; &#x202e;) are serialised as raw characters, so hygiene runs once more.
    return normalize(out[5:-6]).strip()


def html_to_text(fragment: str | None) -> str:
    """Visible text of an HTML fragment as one line (titles that arrive as HTML)."""
    if not fragment:
        return ""
    if "<" not in fragment:
        return clean_line(fragment)
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError, AssertionError):
        return clean_line(fragment)
    for el in root.iter("script", "style"):
        el.drop_tree()
    return clean_line(root.text_content())


def _text_to_html(text: str) -> str:
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", normalize(text)) if p.strip()]
    return "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)


# ---------------------------------------------------------------------------------------------
# Entity declarations. feedparser keeps DOCTYPE entities whose value is plain text, and both its
# parsers expand them: one 20 KB entity referenced 1,000 times is 20 MB (a quadratic blowup), and
# expat's own guard still lets a 2 MB document grow a hundredfold. Only entities that stand for
# one character (<!ENTITY rsquo "&#8217;">) may stay; external ones were never loaded.

_PROLOG_ELEMENT = re.compile(rb"<[A-Za-z_:]")
_DOCTYPE_HEAD = re.compile(rb"""<!DOCTYPE\b(?:[^\[>"']|"[^"]*"|'[^']*')*""")
# One item of an internal subset: space, a parameter-entity reference, a comment, a processing
# instruction, or a declaration (quoted strings may hold ">").
_SUBSET_ITEM = re.compile(
    rb"""\s+|%[\w.:-]+;|<!--.*?-->|<\?.*?\?>|<!(?:[^>"']|"[^"]*"|'[^']*')*>""", re.DOTALL
)
_ONE_CHARACTER_ENTITY = re.compile(
    rb"""<!ENTITY\s+[\w.:-]+\s+(["'])&#(?:x[0-9a-fA-F]{1,6}|[0-9]{1,7});\1\s*>"""
)


def defuse_entities(data: bytes) -> bytes:
    """`data` with every DOCTYPE entity declaration removed except one-character ones."""
    at = data.find(b"<!DOCTYPE")
    if at < 0 or _PROLOG_ELEMENT.search(data, 0, at):
        return data  # no DOCTYPE before the root element: no entity can be declared
    head = _DOCTYPE_HEAD.match(data, at)
    pos = head.end() if head else at
    if data[pos : pos + 1] != b"[":
        return data
    kept = []
    pos += 1
    while (item := _SUBSET_ITEM.match(data, pos)) is not None:
        if _ONE_CHARACTER_ENTITY.fullmatch(item.group()):
            kept.append(item.group())
        pos = item.end()
    if data[pos : pos + 1] != b"]":
        # A subset we cannot delimit is malformed, but no declaration in it may take effect.
        return data.replace(b"<!ENTITY", b"<!-ENTITY")
    # The DOCTYPE and each declaration on a line of their own, as feedparser's filter expects them.
    start = data[:at] + b"\n" if at else b""
    head_end = head.end() if head else at
    return start + data[at : head_end + 1] + b"".join(b"\n" + k for k in kept) + b"\n" + data[pos:]


def _replace_doctype(data: bytes) -> tuple[Any, bytes, dict[str, str]]:
    return _feedparser_replace_doctype(defuse_entities(data))


def _not_installed(data: bytes) -> tuple[Any, bytes, dict[str, str]]:
    raise RuntimeError("parse.install() was not called")


# feedparser calls this on the document after converting it to UTF-8, so one filter here covers
# every encoding (UTF-16, EBCDIC…), where a filter on the raw bytes could not. Set by install().
_feedparser_replace_doctype: Callable[[bytes], tuple[Any, bytes, dict[str, str]]] = _not_installed

_FLAT = (str, int, bool, type(None))


class _FlatCopy:
    """feedparser's `copy` module, as its mixin sees it: deep-copies a flat dict by copying it.

    The mixin deep-copies each element's content parameters (type, language, base: strings) two
    or three times per entry; for a dict of immutable values a shallow copy is the same thing at a
    fifth of the cost. Anything else still goes through copy.deepcopy.
    """

    @staticmethod
    def deepcopy(value: Any) -> Any:
        import feedparser.util

        if type(value) is feedparser.util.FeedParserDict and all(
            type(v) in _FLAT for v in dict.values(value)
        ):
            return feedparser.util.FeedParserDict(value)
        return copy.deepcopy(value)


_installed = False
_install_lock = threading.Lock()


def install() -> None:
    """Apply our two feedparser tweaks, once per process (`parse_feed` calls it before any parse).

    - safety: every document passes `defuse_entities` (no entity expansion beyond one character);
    - speed: the mixin's deep copies of flat dicts become plain copies (`_FlatCopy`).
    Both replace module attributes of feedparser, so they are done here, on purpose, not at import.
    """
    global _installed, _feedparser_replace_doctype
    if _installed:
        return
    # feedparser is imported here, not at module level: the fast path reads most feeds without
    # it, and its import is a tenth of a small refresh's CPU. Parsing threads may get here at
    # once; the lock keeps a second one from taking our filter for feedparser's own.
    with _install_lock:
        if _installed:
            return
        import feedparser.api
        import feedparser.mixin

        _feedparser_replace_doctype = feedparser.api.replace_doctype
        feedparser.api.replace_doctype = _replace_doctype
        feedparser.mixin.copy = _FlatCopy
        _installed = True


# ---------------------------------------------------------------------------------------------
# Shared entry helpers


def _bounded(dt: datetime | None, now: datetime) -> datetime | None:
    if dt is None:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    elif dt.tzinfo is not UTC:
        dt = dt.astimezone(UTC)
    if dt > now + FUTURE_SLACK:
        return None
    return dt


def _from_struct(st: Any, now: datetime) -> datetime | None:
    if not st:
        return None
    try:
        # The time a UTC struct names: what timegm and fromtimestamp give for it, without their
        # arithmetic, when its fields are in range (else, a leap second or a day past the month's
        # end, they carry over as timegm counts them).
        year, month, day, hour, minute, second = st[:6]
        return _bounded(datetime(year, month, day, hour, minute, second, tzinfo=UTC), now)
    except (ValueError, TypeError):
        pass
    try:
        return _bounded(datetime.fromtimestamp(calendar.timegm(st), UTC), now)
    except (OverflowError, ValueError, OSError, TypeError):
        return None


def content_hash(title: str, link: str | None, body: str) -> str:
    """The last-resort identity of an entry: what it says and where it points."""
    digest = hashlib.sha1(usedforsecurity=False)
    digest.update(f"{title}\x00{link or ''}\x00{body}".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _make_entry(
    *, guid: str | None, title: str, link: str | None, author: str | None,
    published: datetime | None, updated: datetime | None, summary: str, content: str,
    enclosures: tuple[Enclosure, ...] = (),
) -> ParsedEntry:
    """An entry from its fields; `link` is what _http_url gave (None, or already one clean line)."""
    title = clean_line(title)
    link = link or None
    digest = content_hash(title, link, content or summary)
    return ParsedEntry(
        guid=clean_line(guid) or link or digest,
        title=title,
        link=link,
        author=clean_line(author) or None,
        # Atom requires only <updated>, RSS feeds often give only dc:date, JSON Feed may give
        # only date_modified: an entry without a publication date is dated by its last update.
        published=published or updated,
        updated=updated,
        summary=summary,
        content=content,
        content_hash=digest,
        enclosures=enclosures,
    )


def _dedup(entries: Iterable[ParsedEntry]) -> tuple[ParsedEntry, ...]:
    """Keep the first entry for each identity (the feed's id, else link, else content hash)."""
    seen: set[str] = set()
    kept = []
    for entry in entries:
        if entry.guid in seen:
            continue
        seen.add(entry.guid)
        kept.append(entry)
    return tuple(kept)


# ---------------------------------------------------------------------------------------------
# Format detection


def _head(body: bytes) -> bytes:
    return body[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()


def _looks_like_html(head: bytes) -> bool:
    if head.startswith(b"<?xml"):
        return False
    return head.startswith((b"<!doctype html", b"<html")) or (
        b"<html" in head and not any(tag in head for tag in (b"<rss", b"<feed", b"<rdf"))
    )


def parse_feed(body: bytes, *, url: str, headers: Mapping[str, str] | None = None) -> ParsedFeed:
    """Parse one feed document; raise FeedError with a readable reason when it is not one."""
    head = _head(body)
    if not head.strip():
        raise FeedError("empty response")
    if head.startswith((b"{", b"[")):
        return parse_json_feed(body, url=url)
    if _looks_like_html(head):
        raise FeedError("not a feed: got an HTML page")
    return _parse_xml_feed(body, url=url, headers=headers)


def _parse_xml_feed(
    body: bytes, *, url: str, headers: Mapping[str, str] | None, fast: bool = True
) -> ParsedFeed:
    response_headers = {k.lower(): v for k, v in (headers or {}).items()}
    response_headers.pop("content-encoding", None)
    # Without a type feedparser flags every document; XML's own declaration then decides the charset.
    response_headers.setdefault("content-type", "application/xml")
    if fast and (items := fastparse.read_items(body, response_headers)) is not None:
        return _from_fast(items, url=url)
    return parse_with_feedparser(body, url=url, headers=response_headers)


def parse_with_feedparser(body: bytes, *, url: str, headers: Mapping[str, str]) -> ParsedFeed:
    """Read an RSS or Atom document with feedparser (what the fast path declines; its oracle)."""
    install()
    import feedparser

    response_headers = {k.lower(): v for k, v in headers.items()}
    if b"xml:base" in body:
        # Only xml:base needs feedparser's own URI resolution, which costs a third of its time;
        # without it, links are resolved against the feed URL below (and by clean_html).
        response_headers["content-location"] = url
    response_headers.pop("content-encoding", None)
    response_headers.setdefault("content-type", "application/xml")
    result = feedparser.parse(
        io.BytesIO(body),
        response_headers=response_headers,
        sanitize_html=False,
        resolve_relative_uris=False,
    )
    feed = result.get("feed", {})
    raw_entries = result.get("entries", [])
    warning = None
    if result.get("bozo"):
        exc = result.get("bozo_exception")
        warning = _describe_bozo(exc)
        if not raw_entries and not feed.get("title"):
            if hasattr(exc, "getLineNumber"):
                raise FeedError(f"not a feed: malformed XML (line {exc.getLineNumber()})")
    version = result.get("version") or ""
    if not version and not raw_entries:
        raise FeedError("not a feed: no RSS or Atom document found")
    return _from_raw(version, feed, raw_entries, url=url, warning=warning)


def _from_raw(
    version: str, feed: dict[str, Any], raw_entries: Iterable[dict[str, Any]], *, url: str,
    warning: str | None,
) -> ParsedFeed:
    """A ParsedFeed from feedparser's result shape (feedparser's own, or the fast path's)."""
    now = datetime.now(UTC)
    return _feed_of(version, feed, _dedup(_feedparser_entry(e, url, now) for e in raw_entries), url, warning)


def _feed_of(
    version: str, feed: dict[str, Any], entries: tuple[ParsedEntry, ...], url: str, warning: str | None
) -> ParsedFeed:
    ttl = None
    try:
        ttl = int(str(_get(feed, "ttl", "")).strip()) or None
    except ValueError:
        pass
    return ParsedFeed(
        kind="atom" if version.startswith("atom") else "rss",
        title=_feed_title(feed),
        site_url=_http_url(url, dict.get(feed, "link")),
        entries=entries,
        ttl=ttl if ttl and ttl > 0 else None,
        warning=warning,
    )


def _feed_title(feed: dict[str, Any]) -> str:
    title = dict.get(feed, "title", "")
    if _get(dict.get(feed, "title_detail") or {}, "type", "text/plain") == "text/plain":
        return clean_line(title)
    return html_to_text(title)


def _describe_bozo(exc: object) -> str:
    if hasattr(exc, "getLineNumber"):
        return f"malformed XML (line {exc.getLineNumber()}), read leniently"
    return clean_line(str(exc)) or type(exc).__name__


# dict.get, not FeedParserDict.get, on feedparser's results: the latter is slow and maps missing
# keys to others (updated → published).
_get: Callable[..., Any] = dict.get


def _detail_html(detail: dict[str, Any] | None, fallback_base: str) -> str:
    if not detail:
        return ""
    value = _get(detail, "value") or ""
    if not value:
        return ""
    if _get(detail, "type") == "text/plain":
        return _text_to_html(value)
    return clean_html(value, _get(detail, "base") or fallback_base)


def _feedparser_entry(e: dict[str, Any], url: str, now: datetime) -> ParsedEntry:
    title = _get(e, "title") or ""
    if _get(_get(e, "title_detail") or {}, "type", "text/plain") != "text/plain":
        title = html_to_text(title)
    contents = _get(e, "content")
    content = ""
    if contents:
        best = contents[0] if len(contents) == 1 else max(
            contents, key=lambda c: (_get(c, "type") == "text/html", len(_get(c, "value") or ""))
        )
        content = _detail_html(best, url)
    summary_detail = _get(e, "summary_detail")
    summary = ""
    if summary_detail and (value := _get(summary_detail, "value")):
        if _get(summary_detail, "type") == "text/plain":
            summary = normalize(value).strip()
        else:
            summary = clean_html(value, _get(summary_detail, "base") or url)
    author = _get(_get(e, "author_detail") or {}, "name") or _get(e, "author")
    return _make_entry(
        guid=_get(e, "id"),
        title=title,
        link=_http_url(url, _get(e, "link")),
        author=author,
        published=_from_struct(_get(e, "published_parsed"), now),
        updated=_from_struct(_get(e, "updated_parsed"), now),
        summary=summary,
        content=content,
        enclosures=_feedparser_enclosures(e, url),
    )


def _from_fast(fast: fastparse.FastFeed, *, url: str) -> ParsedFeed:
    """The ParsedFeed `_from_raw` makes of the fast path's result in feedparser's shape, made from its Items.

    Field for field what `_feedparser_entry` and `_make_entry` give (benchmarks/fastparse_diff.py
    compares the two on every document the fast path reads); in a plain document (see FastFeed)
    the hygiene that can only change whitespace there is done as whitespace.
    """
    # (Both makers call ParsedEntry with its fields in order, as its pickles do; the tests compare
    # their entries with those of _from_raw, which names them.)
    now = datetime.now(UTC)
    make = _plain_entry if fast.plain else _fast_entry
    return _feed_of(fast.version, fast.feed, _dedup([make(item, url, now) for item in fast.items]), url, None)


def _fast_date(value: Any, now: datetime) -> datetime | None:
    if value is None:
        return None
    if type(value) is datetime:  # UTC, whole seconds: what _from_struct makes of its struct_time
        return _bounded(value, now)
    return _from_struct(value, now)


def _fast_enclosures(item: fastparse.Item, url: str) -> tuple[Enclosure, ...]:
    if not item.links and not item.media:
        return ()
    return _feedparser_enclosures(
        {"links": item.links, "media_content": item.media, "itunes_duration": item.duration}, url
    )


def _fast_entry(item: fastparse.Item, url: str, now: datetime) -> ParsedEntry:
    """`_feedparser_entry` of the Item's raw shape, without making it."""
    title = item.title or ""
    if item.title_type != "text/plain":
        title = html_to_text(title)
    title = clean_line(title)
    content = ""
    if item.content:
        content = _text_to_html(item.content) if item.content_type == "text/plain" else clean_html(item.content, url)
    summary = ""
    if value := item.summary:
        summary = normalize(value).strip() if item.summary_type == "text/plain" else clean_html(value, url)
    link = _http_url(url, item.link)
    digest = content_hash(title, link, content or summary)
    published = _fast_date(item.published, now)
    updated = _fast_date(item.updated, now)
    return ParsedEntry(
        clean_line(item.guid) or link or digest, title, link, clean_line(item.author) or None,
        published or updated, updated, summary, content, digest, _fast_enclosures(item, url),
    )


def _plain_entry(item: fastparse.Item, url: str, now: datetime) -> ParsedEntry:
    """`_fast_entry` for an Item of a plain document: its text is printable ASCII, tab and newline,
    which `normalize` leaves as it is, so `clean_line` is a whitespace collapse."""
    title = item.title or ""
    if item.title_type != "text/plain":
        title = clean_line(html_to_text(title))  # HTML's own entities may make any character
    elif "  " in title or "\t" in title or "\n" in title:
        title = " ".join(title.split())
    content = ""
    if value := item.content:
        content = _text_to_html(value) if item.content_type == "text/plain" else _clean_normalized_html(value, url)
    summary = ""
    if value := item.summary:
        summary = value.strip() if item.summary_type == "text/plain" else _clean_normalized_html(value, url)
    link = _http_url(url, item.link)
    digest = content_hash(title, link, content or summary)
    guid = item.guid
    author = item.author
    published = _fast_date(item.published, now)
    updated = _fast_date(item.updated, now)
    return ParsedEntry(
        " ".join(guid.split()) or link or digest if guid else link or digest,
        title, link, " ".join(author.split()) or None if author else None,
        published or updated, updated, summary, content, digest, _fast_enclosures(item, url),
    )


# ---------------------------------------------------------------------------------------------
# Enclosures (podcasts): RSS <enclosure>, Atom rel="enclosure" links (both in feedparser's
# "enclosures"), Media RSS <media:content>, JSON Feed attachments. Only http(s) URLs are kept.


def _int_or_none(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        number = int(value)
    elif isinstance(value, str) and value.strip().isdigit():
        number = int(value.strip())
    else:
        return None
    return number if 0 <= number < 2**62 else None


def parse_duration(value: Any) -> int | None:
    """Seconds from an itunes:duration ("1:02:03", "62:03", "3723") or a number."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return int(value) if 0 <= value < 2**31 else None
    if not isinstance(value, str):
        return None
    parts = value.strip().split(":")
    if not 1 <= len(parts) <= 3 or not all(p.strip().split(".")[0].isdigit() for p in parts):
        return None
    seconds = 0
    for part in parts:
        seconds = seconds * 60 + int(part.strip().split(".")[0])
    return seconds if seconds < 2**31 else None


def _feedparser_enclosures(e: Mapping[str, Any], url: str) -> tuple[Enclosure, ...]:
    found: dict[str, Enclosure] = {}
    duration = parse_duration(_get(e, "itunes_duration"))
    # feedparser keeps enclosures as links with rel="enclosure" (its "enclosures" key is a view).
    for item in _get(e, "links") or ():
        if _get(item, "rel") != "enclosure":
            continue
        href = _http_url(url, _get(item, "href") or _get(item, "url"))
        if href and href not in found:
            found[href] = Enclosure(
                href, clean_line(_str(_get(item, "type"))), _int_or_none(_get(item, "length")), duration
            )
    for item in _get(e, "media_content") or ():
        href = _http_url(url, _get(item, "url"))
        if href and href not in found:
            found[href] = Enclosure(
                href, clean_line(_str(_get(item, "type"))), _int_or_none(_get(item, "filesize")),
                parse_duration(_get(item, "duration")) or duration,
            )
    return tuple(found.values())


def _json_enclosures(item: Mapping[str, Any], base: str) -> tuple[Enclosure, ...]:
    found: dict[str, Enclosure] = {}
    attachments = item.get("attachments")
    for attachment in attachments if isinstance(attachments, list) else ():
        if not isinstance(attachment, dict):
            continue
        href = _http_url(base, attachment.get("url"))
        if href and href not in found:
            found[href] = Enclosure(
                href, clean_line(_str(attachment.get("mime_type"))),
                _int_or_none(attachment.get("size_in_bytes")),
                parse_duration(attachment.get("duration_in_seconds")),
            )
    return tuple(found.values())


# ---------------------------------------------------------------------------------------------
# JSON Feed 1.0 / 1.1 (https://jsonfeed.org/version/1.1): feedparser does not read it.


def _parse_rfc3339(value: Any, now: datetime) -> datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        return _bounded(datetime.fromisoformat(text), now)
    except ValueError:
        return None


# An absolute http(s) URL that urljoin and urlsplit would give back unchanged: plain ASCII with a
# host, no characters they strip or treat specially (controls, spaces, ? # ; [ ] \\). Most links.
_PLAIN_HTTP_URL = re.compile(r"https?://[!$-:=@-Z_a-z~]+")  # excludes ; < > ? [ \\ ] ^ ` { | } "  # '


def _http_url(base: str, value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    if _PLAIN_HTTP_URL.fullmatch(value) and value[7 + (value[4] == "s")] != "/":
        return value  # what the general path below gives for it, without parsing it twice
    absolute = clean_line(_absolute(base, value))
    try:
        if urlsplit(absolute).scheme.lower() not in ("http", "https"):
            return None
    except ValueError:
        return None
    return absolute


def _json_author(item: Mapping[str, Any], feed: Mapping[str, Any]) -> str | None:
    for source in (item, feed):
        authors = source.get("authors")
        if isinstance(authors, list):
            names = [a["name"] for a in authors if isinstance(a, dict) and isinstance(a.get("name"), str)]
            if names:
                return ", ".join(names)
        author = source.get("author")
        if isinstance(author, dict) and isinstance(author.get("name"), str):
            return str(author["name"])
    return None


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def parse_json_feed(body: bytes, *, url: str) -> ParsedFeed:
    """Read a JSON Feed (version 1 or 1.1) document."""
    try:
        doc = json.loads(body.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise FeedError("not a feed: JSON that is not UTF-8") from None
    except json.JSONDecodeError as exc:
        raise FeedError(f"not a feed: malformed JSON (line {exc.lineno})") from None
    except RecursionError:
        raise FeedError("not a feed: JSON nested too deeply") from None
    version = doc.get("version") if isinstance(doc, dict) else None
    if not isinstance(version, str) or "jsonfeed.org/version/" not in version:
        raise FeedError("not a feed: JSON that is not a JSON Feed")
    base = _http_url(url, doc.get("feed_url")) or url
    items = doc.get("items")
    if not isinstance(items, list):
        raise FeedError("not a feed: JSON Feed without an items list")
    now = datetime.now(UTC)
    entries = []
    for item in items:
        if not isinstance(item, dict):
            continue
        raw_id = item.get("id")
        guid = str(raw_id) if isinstance(raw_id, (str, int, float)) and not isinstance(raw_id, bool) else None
        link = _http_url(base, item.get("url")) or _http_url(base, item.get("external_url"))
        content_html = _str(item.get("content_html"))
        content = clean_html(content_html, base) if content_html else _text_to_html(_str(item.get("content_text")))
        entries.append(
            _make_entry(
                guid=guid,
                title=_str(item.get("title")),
                link=link,
                author=_json_author(item, doc),
                published=_parse_rfc3339(item.get("date_published"), now),
                updated=_parse_rfc3339(item.get("date_modified"), now),
                summary=normalize(_str(item.get("summary"))).strip(),
                content=content,
                enclosures=_json_enclosures(item, base),
            )
        )
    return ParsedFeed(
        kind="json",
        title=clean_line(_str(doc.get("title"))),
        site_url=_http_url(base, doc.get("home_page_url")),
        entries=_dedup(entries),
    )
