"""Differential check: the lxml fast path against feedparser, over feedparser's own test corpus.

Run from the repository root:

    python benchmarks/fastparse_diff.py [CORPUS_DIR ...] [--verbose]

CORPUS_DIR defaults to ../shared/data/feedparser-tests (feedparser's tests, BSD licence) and
tests/fixtures/feeds. Every .xml/.rdf/.atom file is read twice, under the two content types most
servers send. For each document the fast path accepts, feedparser (as parse.py drives it) reads
it too, and the two must agree on titles, links, ids, dates, authors, content, enclosures and
tags, both in feedparser's result shape and in the ParsedFeed that is stored; and the ParsedFeed
the refresh builds straight from the fast path's Items must equal the one built through
feedparser's shape (with and without the shortcut for plain ASCII documents). Exit status 1
when any document differs.
"""

from __future__ import annotations

import argparse
import calendar
import io
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

from tui.core.feeds import fastparse, parse

HEADERS = (
    {"content-type": "application/xml"},
    {"content-type": "application/rss+xml; charset=utf-8"},
)
_get = dict.get


def _stamp(value: Any) -> int | None:
    return calendar.timegm(value) if value else None


def _entry(e: Any) -> dict[str, Any]:
    title_detail = _get(e, "title_detail") or {}
    summary = _get(e, "summary_detail") or {}
    author = _get(_get(e, "author_detail") or {}, "name") or _get(e, "author")
    links = _get(e, "links")
    if links is not None:  # feedparser: enclosures are the links with rel="enclosure"
        enclosures = [link for link in links if _get(link, "rel") == "enclosure"]
    else:
        enclosures = _get(e, "enclosures") or []
    return {
        "id": _get(e, "id"),
        "title": (_get(e, "title"), _get(title_detail, "type")),
        "link": _get(e, "link"),
        "published": _stamp(_get(e, "published_parsed")),
        "updated": _stamp(_get(e, "updated_parsed")),
        "author": author or None,
        "content": [(_get(c, "type"), _get(c, "value")) for c in _get(e, "content") or []],
        "summary": (_get(summary, "type"), _get(summary, "value")),
        "enclosures": [(_get(x, "href"), _get(x, "type"), _get(x, "length")) for x in enclosures],
        "tags": [(_get(t, "term"), _get(t, "scheme"), _get(t, "label")) for t in _get(e, "tags") or []],
        "media": [(_get(m, "url"), _get(m, "type"), _get(m, "filesize"), _get(m, "duration"))
                  for m in _get(e, "media_content") or []],
        "duration": _get(e, "itunes_duration"),
    }


def _feed(f: Any) -> dict[str, Any]:
    return {
        "title": (_get(f, "title"), _get(_get(f, "title_detail") or {}, "type")),
        "link": _get(f, "link"),
        "ttl": _get(f, "ttl"),
    }


def feedparser_raw(body: bytes, headers: dict[str, str], url: str) -> Any:
    import feedparser

    parse.install()
    response_headers = dict(headers)
    if b"xml:base" in body:
        response_headers["content-location"] = url
    return feedparser.parse(io.BytesIO(body), response_headers=response_headers, sanitize_html=False,
                            resolve_relative_uris=False)


def compare(body: bytes, headers: dict[str, str], url: str) -> tuple[str, list[str]]:
    raw = fastparse.read(body, headers)
    if raw is None:
        return "declined", []
    problems: list[str] = []
    oracle = feedparser_raw(body, headers, url)
    if oracle.get("bozo"):
        problems.append(f"feedparser flags the document: {oracle.get('bozo_exception')!r}")
    if raw.version != oracle.get("version"):
        problems.append(f"version {raw.version!r} != {oracle.get('version')!r}")
    if _feed(raw.feed) != _feed(oracle["feed"]):
        problems.append(f"feed {_feed(raw.feed)} != {_feed(oracle['feed'])}")
    ours = [_entry(e) for e in raw.entries]
    theirs = [_entry(e) for e in oracle["entries"]]
    if len(ours) != len(theirs):
        problems.append(f"{len(ours)} entries != {len(theirs)}")
    for i, (a, b) in enumerate(zip(ours, theirs, strict=False)):
        for key in a:
            if a[key] != b[key]:
                problems.append(f"entry {i} {key}: {a[key]!r} != {b[key]!r}")
    # And what is stored: the ParsedFeed from either path.
    fast = parse._parse_xml_feed(body, url=url, headers=headers, fast=True)
    slow = parse.parse_with_feedparser(body, url=url, headers=headers)
    if fast != slow:
        problems.append(f"ParsedFeed differs: {fast!r} != {slow!r}"[:600])
    # The refresh builds it from the fast path's Items directly: the same as through the raw shape.
    items = fastparse.read_items(body, headers)
    assert items is not None
    through_raw = parse._from_raw(raw.version, raw.feed, raw.entries, url=url, warning=None)
    direct = parse._from_fast(items, url=url)
    if direct != through_raw:
        problems.append(f"direct ParsedFeed differs from the raw shape's: {direct!r} != {through_raw!r}"[:600])
    if items.plain:  # and the shortcut for plain documents changes nothing either
        items.plain = False
        if (general := parse._from_fast(items, url=url)) != direct:
            problems.append(f"plain shortcut differs: {direct!r} != {general!r}"[:600])
    return ("accepted" if not problems else "differs"), problems


def timing(files: list[Path]) -> tuple[float, float, int]:
    """CPU ms per accepted document: fast path, feedparser (as parse.py drives it)."""
    fast_t = slow_t = 0.0
    n = 0
    for path in files:
        body = path.read_bytes()
        headers = HEADERS[0]
        if fastparse.read(body, headers) is None:
            continue
        n += 1
        t = time.process_time()
        parse._parse_xml_feed(body, url="http://example.com/feed", headers=headers)
        fast_t += time.process_time() - t
        t = time.process_time()
        parse.parse_with_feedparser(body, url="http://example.com/feed", headers=headers)
        slow_t += time.process_time() - t
    return fast_t * 1000 / max(n, 1), slow_t * 1000 / max(n, 1), n


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dirs", nargs="*", type=Path)
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    dirs = args.dirs or [REPO.parent / "shared" / "data" / "feedparser-tests", REPO / "tests" / "fixtures" / "feeds"]
    files = sorted(p for d in dirs for p in d.rglob("*") if p.suffix in (".xml", ".rdf", ".atom") and p.is_file())
    counts: Counter[str] = Counter()
    accepted_by_dir: Counter[str] = Counter()
    failures = 0
    for path in files:
        body = path.read_bytes()
        for headers in HEADERS:
            try:
                verdict, problems = compare(body, headers, "http://example.com/feed")
            except Exception as exc:  # noqa: BLE001 - a crash in either path is a finding, not the end of the run
                verdict, problems = "differs", [f"crash: {type(exc).__name__}: {exc}"]
            counts[verdict] += 1
            if verdict == "accepted":
                accepted_by_dir[path.parent.name] += 1
            if problems:
                failures += 1
                print(f"DIFF {path} ({headers['content-type']}):")
                for line in problems[:8]:
                    print(f"    {line}")
            elif args.verbose:
                print(f"{verdict:8} {path}")
    print(f"{len(files)} files × {len(HEADERS)} content types: {counts['accepted']} accepted and identical, "
          f"{counts['declined']} declined, {counts['differs']} different")
    print("accepted per folder: " + ", ".join(f"{k} {v}" for k, v in accepted_by_dir.most_common()))
    fast_ms, slow_ms, n = timing(files)
    print(f"parse CPU per accepted document ({n}): fast path {fast_ms:.2f} ms, feedparser {slow_ms:.2f} ms")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
