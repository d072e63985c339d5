"""A fast path for well-formed RSS 2.0 and Atom 1.0: lxml reads them as feedparser would, or declines."""

from __future__ import annotations

import html.entities
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from lxml import etree

__all__ = ["HTML_ELEMENTS", "FastFeed", "Item", "RawFeed", "read", "read_items", "why_declined"]

# The walk reads each entry into an `Item`: the fields of feedparser's result that parse.py reads,
# as plain attributes. parse.py builds ParsedEntry straight from them (`read_items`, the refresh's
# path); `read` gives the same fields in feedparser's own shape (plain dicts under its keys), which
# parse.py's converter for feedparser's results also reads: the differential check
# (benchmarks/fastparse_diff.py) holds the fast path to feedparser that way over feedparser's own
# test corpus, and the direct ParsedFeed to the one built from that shape. Anything this reader is
# not sure it reads exactly as feedparser does makes it decline (return None); feedparser then
# reads the document.


@dataclass(slots=True)
class RawFeed:
    """A feed read by the fast path, shaped like the part of feedparser's result we use."""

    version: str  # "rss20" | "atom10", as feedparser names them
    feed: dict[str, Any] = field(default_factory=dict)
    entries: list[dict[str, Any]] = field(default_factory=list)


class Item:
    """One entry as the walk read it (feedparser's keys in brackets); None where the element was absent."""

    __slots__ = ("author", "content", "content_type", "duration", "guid", "link", "links", "media", "published",
                 "summary", "summary_type", "tags", "title", "title_type", "updated")

    def __init__(self) -> None:
        self.title: str | None = None  # [title], never empty when set
        self.title_type = "text/plain"  # [title_detail.type]
        self.link: str | None = None  # [link]
        self.guid: str | None = None  # [id]
        # [published_parsed], [updated_parsed]: an aware UTC datetime from the two common spellings
        # (no fraction of a second), else feedparser's UTC struct_time, or None
        self.published: Any = None
        self.updated: Any = None
        self.author: str | None = None  # [author], [author_detail.name] when not empty
        self.summary: str | None = None  # [summary_detail.value]
        self.summary_type = "text/html"  # [summary_detail.type]
        self.content: str | None = None  # [content][0].value (the fast path reads at most one)
        self.content_type = "text/html"  # [content][0].type
        self.tags: list[dict[str, Any]] = []  # [tags], when not empty
        self.links: list[dict[str, str]] = []  # [links] (RSS: its enclosures)
        self.media: list[dict[str, str]] | None = None  # [media_content]
        self.duration: str | None = None  # [itunes_duration]


@dataclass(slots=True)
class FastFeed:
    """A feed read by the fast path: feed-level fields in feedparser's shape, entries as Items."""

    version: str  # "rss20" | "atom10", as feedparser names them
    feed: dict[str, Any]
    items: list[Item]
    # Every string read from the document is printable ASCII, tab or newline: the document is
    # ASCII without character references or DEL (XML allows no other controls; the parser turns
    # carriage returns into newlines), so text hygiene can change nothing in it but whitespace.
    plain: bool


def _as_raw(item: Item) -> dict[str, Any]:
    """An Item in feedparser's shape (the dicts the walk built before Items)."""
    entry: dict[str, Any] = {}
    if item.title is not None:
        entry["title"] = item.title
        entry["title_detail"] = _detail(item.title, item.title_type)
    if item.link is not None:
        entry["link"] = item.link
    if item.guid is not None:
        entry["id"] = item.guid
    for key, value in (("published_parsed", item.published), ("updated_parsed", item.updated)):
        entry[key] = value.utctimetuple() if isinstance(value, datetime) else value
    if item.author is not None:
        entry["author"] = item.author
        if item.author:
            entry["author_detail"] = {"name": item.author}
    if item.summary is not None:
        entry["summary_detail"] = _detail(item.summary, item.summary_type)
    if item.content is not None:
        entry["content"] = [_detail(item.content, item.content_type)]
    if item.tags:
        entry["tags"] = item.tags
    entry["links"] = item.links
    if item.media is not None:
        entry["media_content"] = item.media
    if item.duration is not None:
        entry["itunes_duration"] = item.duration
    return entry


class _Decline(Exception):
    """Not sure: let feedparser read this document."""


_ATOM = "http://www.w3.org/2005/Atom"
_CONTENT = "http://purl.org/rss/1.0/modules/content/"
_DC = "http://purl.org/dc/elements/1.1/"
_DCTERMS = "http://purl.org/dc/terms/"
_MEDIA = "http://search.yahoo.com/mrss/"
_ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd"

# Namespaces feedparser maps to handlers (its `namespaces` table, lower-cased). An element in a
# namespace outside this set only becomes a key of its own in feedparser's result, which we never
# read; one inside it may have a handler that changes what we read (media:title is a title).
_FEEDPARSER_NAMESPACES: frozenset[str] | None = None


def _known_namespaces() -> frozenset[str]:
    global _FEEDPARSER_NAMESPACES
    if _FEEDPARSER_NAMESPACES is None:
        # The namespace table as a literal would drift from feedparser's; it is read once, from
        # the class (feedparser's package import is what the fast path otherwise avoids, so
        # this happens only when an unfamiliar namespace is met).
        from feedparser.mixin import _FeedParserMixin as XMLParserMixin

        _FEEDPARSER_NAMESPACES = frozenset(k.lower() for k in XMLParserMixin.namespaces)
    return _FEEDPARSER_NAMESPACES


# Namespaced elements we know feedparser keeps to keys of their own (no handler touching titles,
# links, ids, dates, authors, content, enclosures or tags), when they have no child elements.
_HARMLESS_NS = frozenset({
    "http://purl.org/rss/1.0/modules/slash/",
    "http://wellformedweb.org/CommentAPI/",
    "http://rssnamespace.org/feedburner/ext/1.0",
    "http://purl.org/syndication/thread/1.0",
    "http://www.w3.org/2003/01/geo/wgs84_pos#",
    "http://purl.org/rss/1.0/modules/syndication/",
    "http://webns.net/mvcb/",
})
_HARMLESS_MEDIA = frozenset({"content", "thumbnail", "player", "rating", "credit", "copyright", "text",
                             "restriction", "license", "hash", "embed", "status", "price", "community"})
_HARMLESS_ITUNES = frozenset({"duration", "explicit", "image", "episode", "season", "episodetype",
                              "block", "order", "isclosedcaptioned", "title", "type", "new-feed-url"})

_CP1252: dict[int, str] | None = None


def _cp1252() -> dict[int, str]:
    global _CP1252
    if _CP1252 is None:
        # feedparser maps C1 code points to the Windows-1252 characters publishers meant.
        _CP1252 = {c: bytes([c]).decode("cp1252") for c in range(0x80, 0xA0) if c not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)}
    return _CP1252


_C1 = re.compile("[\x80-\x9f]")
_HTML_CLOSE = re.compile(r"</(\w+)>")
_HTML_ENTITY = re.compile(r"&#?\w+;")
_LINK_AMP = re.compile("&([A-Za-z0-9_]+);")


def _text_of(value: str | None, utf8: bool) -> str:
    """feedparser's treatment of element text (its `pop`), for the document's encoding."""
    if not value:
        return ""
    value = value.strip()
    if not value.isascii():
        if utf8:
            # feedparser undoes UTF-8 read as Latin-1 ("Ã©" → "é") in UTF-8 documents.
            try:
                value = value.encode("iso-8859-1").decode("utf-8")
            except (UnicodeEncodeError, UnicodeDecodeError):
                pass
        if _C1.search(value):
            value = value.translate(_cp1252())
    return value


def _utf8_text(value: str | None) -> str:
    """`_text_of` in a document feedparser reads as "utf-8" (a plain function: called per element)."""
    if value and value.isascii():
        return value.strip()
    return _text_of(value, True)


def _other_text(value: str | None) -> str:
    """`_text_of` in a document whose declared name of UTF-8 is spelt otherwise ("UTF-8", "utf8")."""
    return _text_of(value, False)


# feedparser's _HTMLSanitizer.acceptable_elements (tests/core/test_fastparse.py checks the copy):
# its guess that RSS text is HTML needs every tag to be one of these.
HTML_ELEMENTS = frozenset("""
a abbr acronym address area article aside audio b big blockquote br button canvas caption center
cite code col colgroup command datagrid datalist dd del details dfn dialog dir div dl dt em
event-source fieldset figcaption figure font footer form h1 h2 h3 h4 h5 h6 header hr i img input
ins kbd keygen label legend li m map menu meter multicol nav nextid noscript ol optgroup option
output p pre progress q s samp section select small sound source spacer span strike strong sub
sup table tbody td textarea tfoot th thead time tr tt u ul var video
""".split())
_TAG_NAME = re.compile(r"</?(\w+)")
_NAMED_ENTITY = re.compile(r"&(\w+);")


def _looks_like_html(value: str) -> bool:
    """feedparser's `looks_like_html`, without importing feedparser."""
    if "</" not in value and "&" not in value:
        return False  # neither search below can match (most titles)
    if not (_HTML_CLOSE.search(value) or _HTML_ENTITY.search(value)):
        return False
    if any(t.lower() not in HTML_ELEMENTS for t in _TAG_NAME.findall(value)):
        return False
    return all(e in html.entities.entitydefs for e in _NAMED_ENTITY.findall(value))


# ---------------------------------------------------------------------------------------------
# Encoding: accept exactly the documents feedparser would decode as UTF-8 without a warning.

_XML_PI_ENCODING = re.compile(rb"""^<\?.*encoding=['"](.*?)['"].*\?>""")


def _content_type(headers: Mapping[str, str]) -> tuple[str, str]:
    line = headers.get("content-type") or ""
    chunks = line.split(";")
    mime = chunks[0].strip()
    charset = ""
    for chunk in chunks[1:]:
        key, _, value = chunk.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip("\"'")
    return mime, charset


def _encoding(body: bytes, headers: Mapping[str, str]) -> str | None:
    """The encoding feedparser would settle on, when it is UTF-8 and no warning is raised."""
    if body[:2] in (b"\xfe\xff", b"\xff\xfe") or body[:1] in (b"\x00", b"\x4c"):
        return None  # UTF-16/32 or EBCDIC
    data = body[3:] if body.startswith(b"\xef\xbb\xbf") else body
    match = _XML_PI_ENCODING.match(data)
    xml_encoding = match.group(1).decode("utf-8", "replace").lower() if match else ""
    mime, charset = _content_type(headers)
    if mime in ("application/xml", "application/xml-dtd", "application/xml-external-parsed-entity") or (
        mime.startswith("application/") and mime.endswith("+xml")
    ):
        encoding = charset or xml_encoding or "utf-8"
    elif mime in ("text/xml", "text/xml-external-parsed-entity") or (
        mime.startswith("text/") and mime.endswith("+xml")
    ):
        encoding = charset or "us-ascii"
    else:
        return None  # feedparser warns that the type is not XML
    if encoding.lower() not in ("utf-8", "utf8") or (xml_encoding and xml_encoding not in ("utf-8", "utf8")):
        return None
    return encoding


# ---------------------------------------------------------------------------------------------
# The walk

_PARSER_OPTIONS: dict[str, Any] = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "huge_tree": False,
    "remove_comments": True,
    "remove_pis": True,
    "recover": False,
}


def read_items(body: bytes, headers: Mapping[str, str]) -> FastFeed | None:
    """Read a well-formed RSS 2.0 or Atom 1.0 document, or None when feedparser should."""
    try:
        return _read(body, headers)
    except _Decline:
        return None


def read(body: bytes, headers: Mapping[str, str]) -> RawFeed | None:
    """`read_items`, with the entries in feedparser's shape (for the differential check and tests)."""
    fast = read_items(body, headers)
    if fast is None:
        return None
    return RawFeed(fast.version, fast.feed, [_as_raw(item) for item in fast.items])


def why_declined(body: bytes, headers: Mapping[str, str]) -> str | None:
    """Why `read` declines this document (the check that refused it), or None if it does not."""
    try:
        _read(body, headers)
    except _Decline as exc:
        if exc.args:
            return str(exc.args[0])
        import traceback

        frame = traceback.extract_tb(exc.__traceback__)[-1]
        return f"{frame.name}: {(frame.line or '').strip()}"
    return None


def _read(body: bytes, headers: Mapping[str, str]) -> FastFeed:
    # Cheap refusals before any parsing: DTDs and entities, xml:base, C1 code points in UTF-8
    # (feedparser remaps them), and documents that are not plainly UTF-8.
    if b"<!DOCTYPE" in body or b"<!ENTITY" in body:
        raise _Decline("a DOCTYPE (entities are feedparser's, after defuse_entities)")
    if b"xml:base" in body:
        raise _Decline("xml:base (feedparser resolves it)")
    encoding = _encoding(body, headers)
    if encoding is None:
        raise _Decline("not plainly UTF-8 XML by feedparser's rules")
    try:
        root = etree.fromstring(body, etree.XMLParser(**_PARSER_OPTIONS))
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise _Decline(f"not well-formed: {exc}") from None
    text = _utf8_text if encoding == "utf-8" else _other_text
    if root.tag == "rss":
        fast = _read_rss(root, text)
    elif root.tag == f"{{{_ATOM}}}feed":
        fast = _read_atom(root, text)
    else:
        raise _Decline(f"root element {root.tag!r} is neither RSS 2.0 nor Atom 1.0")
    # (A search for "#" is one memchr; most documents have none, and then no "&#" either.)
    fast.plain = body.isascii() and b"\x7f" not in body and (b"#" not in body or b"&#" not in body)
    return fast


# Element names seen, read once each: (namespace, lower-cased local name, "namespace|local").
# A feed repeats a handful of names thousands of times; the table stops growing at _NAMES_KEPT.
_NAMES: dict[str, tuple[str, str, str]] = {}
_NAMES_KEPT = 512


def _name(tag: Any) -> tuple[str, str, str]:
    """(namespace, lower-cased local name, both as one key) of an element's tag."""
    if not isinstance(tag, str):
        raise _Decline  # an entity reference or other node feedparser treats its own way
    if tag[0] == "{":
        ns, _, local = tag[1:].partition("}")
        local = local.lower()
    else:
        ns, local = "", tag.lower()
    name = (ns, local, f"{ns}|{local}")
    if len(_NAMES) < _NAMES_KEPT:
        _NAMES[tag] = name
    return name


def _split(tag: Any) -> tuple[str, str]:
    name = _NAMES.get(tag) or _name(tag)
    return name[0], name[1]


def _leaf(el: Any) -> Any:
    if len(el):
        raise _Decline  # markup inside a text element: feedparser rebuilds it as XHTML
    return el.text


def _attrs(el: Any) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in el.attrib.items():
        if key[0] == "{":
            if key.startswith("{http://www.w3.org/XML/1998/namespace}"):
                raise _Decline  # xml:lang, xml:space…: not worth the risk
            continue  # thr:count and the like: kept by feedparser under keys we never read
        key = key.lower()
        if key in out:
            raise _Decline
        out[key] = value.lower() if key in ("rel", "type") else value
    return out


def _ignorable(el: Any, ns: str) -> bool:
    """An element feedparser keeps to a key of its own, which nothing we read depends on."""
    if len(el):
        return False
    if ns == "":
        return False
    if ns in _HARMLESS_NS:
        return True
    local = _split(el.tag)[1]
    if ns == _MEDIA:
        return local in _HARMLESS_MEDIA
    if ns == _ITUNES:
        return local in _HARMLESS_ITUNES
    return ns.lower() not in _known_namespaces()


_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
# The two spellings nearly every feed uses; anything else goes to feedparser's date handlers.
_RFC822 = re.compile(
    r"(?:(?i:mon|tue|wed|thu|fri|sat|sun), )?(\d{1,2}) ([A-Za-z]{3}) (\d{4}) "
    r"(\d{2}):(\d{2})(?::(\d{2}))? (GMT|UTC|UT|Z|[+-]\d{4})"
)
_W3DTF = re.compile(r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(Z|[+-]\d{2}:\d{2})")


def _date(value: str) -> Any:
    """A date: an aware UTC datetime for the two common spellings, else feedparser's UTC struct_time or None."""
    if not value:
        return None
    if m := _RFC822.fullmatch(value):
        day, mon, year, hour, minute, second, zone = m.groups()
        month = _MONTHS.get(mon.lower())
        offset = 0 if zone[0] not in "+-" else (int(zone[1:3]) * 60 + int(zone[3:5])) * (-1 if zone[0] == "-" else 1)
    elif m := _W3DTF.fullmatch(value):
        year, month_s, day, hour, minute, second, zone = m.groups()
        month = int(month_s)
        offset = 0 if zone == "Z" else (int(zone[1:3]) * 60 + int(zone[4:6])) * (-1 if zone[0] == "-" else 1)
    else:
        month = None
    if month:
        try:
            stamp = datetime(int(year), month, int(day), int(hour), int(minute), int(second or 0), tzinfo=UTC)
            return stamp - timedelta(0, offset * 60) if offset else stamp
        except (ValueError, OverflowError):
            pass
    from feedparser.datetimes import _parse_date

    return _parse_date(value)


def _add_tag(tags: list[dict[str, Any]], term: str | None, scheme: str | None, label: str | None) -> None:
    if not term and not scheme and not label:
        return
    value = {"term": term, "scheme": scheme, "label": label}
    if value not in tags:
        tags.append(value)


def _category(tags: list[dict[str, Any]], attrs: Mapping[str, str], value: str) -> None:
    # feedparser's _start_category and _end_category, in that order.
    _add_tag(tags, attrs.get("term"), attrs.get("scheme", attrs.get("domain")), attrs.get("label"))
    if not value:
        return
    if tags and not tags[-1]["term"]:
        tags[-1]["term"] = value
    else:
        _add_tag(tags, value, None, None)


def _enforce_href(attrs: dict[str, str]) -> dict[str, str]:
    href = attrs.get("url", attrs.get("uri", attrs.get("href")))
    if href:
        attrs.pop("url", None)
        attrs.pop("uri", None)
        attrs["href"] = href
    return attrs


def _detail(value: str, ctype: str) -> dict[str, Any]:
    return {"type": ctype, "value": value}


def _map_type(ctype: str) -> str:
    ctype = ctype.lower()
    if ctype in ("text", "plain"):
        return "text/plain"
    if ctype == "html":
        return "text/html"
    if ctype == "xhtml":
        return "application/xhtml+xml"
    return ctype


def _rss_guess(value: str, ctype: str) -> str:
    # feedparser guesses that nominally plain RSS text is HTML when it looks like HTML.
    if ctype == "text/plain" and _looks_like_html(value):
        return "text/html"
    return ctype


# -- RSS 2.0 ----------------------------------------------------------------------------------


def _read_rss(root: Any, text: Callable[[str | None], str]) -> FastFeed:
    if (root.get("version") or "").strip() != "2.0" or len(root.attrib) > 1:
        raise _Decline
    channels = [c for c in root if _split(c.tag) != ("", "channel")]
    if channels or len(root) != 1:
        raise _Decline
    channel = root[0]
    if channel.attrib:
        raise _Decline
    fast = FastFeed("rss20", {}, [], False)
    feed = fast.feed
    for child in channel:
        ns, local = _split(child.tag)
        if ns == "":
            if local == "item":
                fast.items.append(_rss_item(child, text))
            elif local == "title":
                if "title" in feed or child.attrib:
                    raise _Decline
                value = text(_leaf(child))
                if not value:
                    raise _Decline  # an empty title lets a later one win in feedparser
                feed["title"] = value
                feed["title_detail"] = _detail(value, _rss_guess(value, "text/plain"))
            elif local == "link":
                if child.attrib:
                    raise _Decline
                feed["link"] = text(_leaf(child))
            elif local == "ttl":
                feed["ttl"] = text(_leaf(child))
            elif local in ("image", "textinput", "cloud", "skiphours", "skipdays"):
                if local in ("image", "textinput") and "title" not in feed:
                    raise _Decline  # their titles take part in feedparser's title bookkeeping
            elif local in ("description", "language", "copyright", "managingeditor", "webmaster",
                           "pubdate", "lastbuilddate", "category", "generator", "docs", "rating"):
                if len(child):
                    raise _Decline
            else:
                raise _Decline
        elif ns == _ATOM and local == "link":
            attrs = _enforce_href(_attrs(child))
            if len(child) or "href" not in attrs:
                raise _Decline
            rel = attrs.setdefault("rel", "alternate")
            ctype = attrs.setdefault("type", "application/atom+xml" if rel == "self" else "text/html")
            if rel == "alternate" and _map_type(ctype) in ("text/html", "application/xhtml+xml"):
                feed["link"] = attrs["href"]
        elif ns in (_DC, _DCTERMS, _ITUNES) and local not in ("title",):
            if len(child) and not (ns == _ITUNES and local in ("owner", "category")):
                raise _Decline
        elif not _ignorable(child, ns):
            raise _Decline
    return fast


def _rss_item(el: Any, text: Callable[[str | None], str]) -> Item:
    if el.attrib:
        raise _Decline
    item = Item()
    link: str | None = None
    guid_link: str | None = None
    # Repeated elements make the fast path decline (feedparser's first-or-last rules differ per
    # key): most are told by their field being set already; these few leave none for sure.
    seen: set[str] = set()
    names = _NAMES
    for child in el:
        ns, local, key = names.get(child.tag) or _name(child.tag)
        if ns == "":
            if local == "enclosure":
                attrs = _enforce_href(_attrs(child))
                if len(child) or (child.text or "").strip():
                    raise _Decline
                attrs["rel"] = "enclosure"
                # feedparser keeps enclosures among the entry's links, with rel="enclosure".
                item.links.append(attrs)
                continue
            # Every other element read here is text (`text(_leaf(child))`, inline: most of a walk).
            if len(child):
                raise _Decline  # markup inside a text element: feedparser rebuilds it as XHTML
            value = child.text
            value = value.strip() if value is not None and value.isascii() else text(value)
            if local == "title":
                if item.title is not None or child.attrib or not value:
                    raise _Decline  # an empty title lets a later one win in feedparser
                item.title = value
                item.title_type = _rss_guess(value, "text/plain")
            elif local == "link":
                if link is not None or child.attrib:
                    raise _Decline
                link = value
                if "&" in link:
                    link = _LINK_AMP.sub(r"&\g<1>", link.replace("&amp;", "&"))
            elif local == "guid":
                if item.guid is not None:
                    raise _Decline
                if child.attrib:
                    attrs = _attrs(child)
                    if set(attrs) - {"ispermalink"}:
                        raise _Decline
                    if attrs.get("ispermalink", "true") == "true":
                        guid_link = value
                else:
                    guid_link = value
                item.guid = value
            elif local == "pubdate":
                if key in seen:
                    raise _Decline
                seen.add(key)
                item.published = _date(value)
            elif local == "description":
                if item.summary is not None or child.attrib or item.content is not None:
                    raise _Decline  # after content:encoded, feedparser reads it as content
                item.summary = value  # as text/html
            elif local == "author":
                _rss_author(item, value)
            elif local == "category":
                _category(item.tags, _attrs(child), value)
            elif local == "comments":
                if key in seen:
                    raise _Decline
                seen.add(key)
            else:
                raise _Decline
        elif ns == _CONTENT and local == "encoded":
            if item.content is not None or child.attrib:
                raise _Decline
            item.content = text(_leaf(child))  # as text/html
        elif ns == _DC and local in ("creator", "date", "subject"):
            if local == "subject":
                _category(item.tags, _attrs(child), text(_leaf(child)))
                continue
            if child.attrib:
                raise _Decline
            if local == "date":
                if key in seen:
                    raise _Decline
                seen.add(key)
                item.updated = _date(text(_leaf(child)))
            else:
                _rss_author(item, text(_leaf(child)))
        elif _podcast(child, ns, local, item, text):
            continue
        elif not _ignorable(child, ns):
            raise _Decline
    # A <link> wins over a permalink guid, even an empty one, whatever their order.
    if link is not None:
        item.link = link
    elif guid_link is not None:
        item.link = guid_link
    return item


def _podcast(child: Any, ns: str, local: str, item: Item, text: Callable[[str | None], str]) -> bool:
    """media:content and itunes:duration of an entry, kept as feedparser keeps them; False if neither."""
    if ns == _MEDIA and local == "content":
        if len(child) or (child.text or "").strip():
            raise _Decline  # media:title and the like inside: feedparser reads them as the entry's
        if item.media is None:
            item.media = []
        item.media.append(_attrs(child))
        return True
    if ns == _ITUNES and local == "duration":
        if child.attrib:
            raise _Decline
        item.duration = text(_leaf(child))
        return True
    return False


def _rss_author(item: Item, value: str) -> None:
    """<author> or dc:creator (either once: feedparser's rules for two differ)."""
    if "@" in value or item.author is not None:
        raise _Decline  # "jane@example.com (Jane)": feedparser's e-mail parsing
    item.author = value


# -- Atom 1.0 ---------------------------------------------------------------------------------

_ATOM_ENTRY_IGNORED = frozenset({"rights", "contributor"})


def _atom_text(el: Any, text: Callable[[str | None], str], default: str) -> tuple[str, str]:
    """(value, type) of a text construct."""
    attrs = _attrs(el)
    if set(attrs) - {"type"}:
        raise _Decline  # src=, mode=…
    ctype = _map_type(attrs.get("type", default))
    if ctype not in ("text/plain", "text/html"):
        raise _Decline  # xhtml and other media types
    return text(_leaf(el)), ctype


def _atom_link(el: Any, links: list[dict[str, str]]) -> str | None:
    """Adds the link to `links`; its href when it is the context's link (rel alternate, HTML)."""
    if len(el) or (el.text or "").strip():
        raise _Decline
    attrs = _enforce_href(_attrs(el))
    if "href" not in attrs:
        raise _Decline
    rel = attrs.setdefault("rel", "alternate")
    ctype = attrs.setdefault("type", "application/atom+xml" if rel == "self" else "text/html")
    links.append(attrs)
    if rel == "alternate" and _map_type(ctype) in ("text/html", "application/xhtml+xml"):
        return attrs["href"]
    return None


def _atom_id(el: Any, text: Callable[[str | None], str]) -> str:
    if el.attrib:
        raise _Decline
    return text(_leaf(el))


def _read_atom(root: Any, text: Callable[[str | None], str]) -> FastFeed:
    fast = FastFeed("atom10", {}, [], False)
    feed = fast.feed
    links: list[dict[str, str]] = []
    for child in root:
        ns, local = _split(child.tag)
        if ns == _ATOM:
            if local == "entry":
                fast.items.append(_atom_entry(child, text))
            elif local == "title":
                if "title" in feed:
                    raise _Decline
                value, ctype = _atom_text(child, text, "text")
                if not value:
                    raise _Decline
                feed["title"] = value
                feed["title_detail"] = _detail(value, ctype)
            elif local == "link":
                if (href := _atom_link(child, links)) is not None:
                    feed["link"] = href
            elif local == "id":
                if "id" in feed:
                    raise _Decline
                feed["id"] = value = _atom_id(child, text)
                feed.setdefault("link", value)  # feedparser: an Atom id stands in for a missing link
            elif local in ("updated", "subtitle", "rights", "generator", "icon", "logo", "category"):
                if len(child):
                    raise _Decline
            elif local in ("author", "contributor"):
                pass  # the feed's own author is not read (entries do not inherit it in feedparser)
            else:
                raise _Decline
        elif not _ignorable(child, ns):
            raise _Decline
    return fast


def _atom_entry(el: Any, text: Callable[[str | None], str]) -> Item:
    if el.attrib:
        raise _Decline
    item = Item()
    tags = item.tags
    links = item.links
    alternate: str | None = None
    seen: set[str] = set()
    for child in el:
        ns, local = _split(child.tag)
        if ns == _ATOM:
            if local == "link":
                if (href := _atom_link(child, links)) is not None:
                    alternate = href
                continue
            if local == "category":
                if len(child):
                    raise _Decline
                _category(tags, _attrs(child), text(child.text))
                continue
            if local in seen:
                raise _Decline
            seen.add(local)
            if local == "title":
                value, ctype = _atom_text(child, text, "text")
                if not value:
                    raise _Decline
                item.title = value
                item.title_type = ctype
            elif local == "id":
                item.guid = _atom_id(child, text)
            elif local == "published":
                item.published = _date(text(_leaf(child)))
            elif local == "updated":
                item.updated = _date(text(_leaf(child)))
            elif local == "summary":
                if "content" in seen:
                    raise _Decline  # feedparser reads a summary after content as more content
                item.summary, item.summary_type = _atom_text(child, text, "text")
            elif local == "content":
                item.content, item.content_type = _atom_text(child, text, "text")
            elif local == "author":
                _atom_author(child, item, text)
            elif local in _ATOM_ENTRY_IGNORED:
                for sub in child:
                    if _split(sub.tag)[0] != _ATOM or len(sub):
                        raise _Decline
            else:
                raise _Decline
        elif ns == _DC and local in ("subject",):
            _category(tags, _attrs(child), text(_leaf(child)))
        elif _podcast(child, ns, local, item, text):
            continue
        elif not _ignorable(child, ns):
            raise _Decline
    # The last alternate link is the entry's link; without one, feedparser lets the id stand in.
    item.link = alternate if alternate is not None else item.guid
    return item


def _atom_author(el: Any, item: Item, text: Callable[[str | None], str]) -> None:
    if el.attrib or (el.text or "").strip():
        raise _Decline
    name = None
    for sub in el:
        ns, local = _split(sub.tag)
        if ns != _ATOM or local not in ("name", "email", "uri") or sub.attrib:
            raise _Decline
        value = text(_leaf(sub))
        if local == "name":
            if name is not None:
                raise _Decline
            name = value
    if not name:
        raise _Decline
    item.author = name
