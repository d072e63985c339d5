"""Story clustering: pairwise precision/recall on a labelled set built from real bodies, and its cost.

    python benchmarks/bench_stories.py [--seed N] [--cost] [--dump FILE]

The set: each real body (the 125 dev bodies of ../shared/data/article-extraction-benchmark and the
seed article) becomes a story of 2–6 copies: a rewritten headline, junk lines that survive cleaning
(ad labels, "Also read", share prompts, agency notices, "The post … appeared first on …"), paragraphs
cut (down to a three-paragraph brief) or added, update/correction lines before or after, a dateline,
a few words edited. Hard negatives: for about half of the stories, a distinct story on the same
event whose own lead and paragraphs come from another (donor) body, and which reuses two or three
of the story's background paragraphs and one of its quoted sentences; its copies include a
three-paragraph brief, which then shares most of its text with the story it does not belong to.
Bodies are never copied into the project: the set is built here from ../shared at run time.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import json
import random
import re
import statistics
import sys
import time
from collections.abc import Iterator
from itertools import combinations
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tui.core.stories import StoryIndex, cluster, html_paragraphs, lead_keys, sketch

SHARED = ROOT.parent / "shared" / "data"
if not SHARED.exists():
    SHARED = Path("/work/shared/data")

AGENCIES = ["Reuters", "AP", "AFP", "Bloomberg", "dpa", "PA Media"]
SITES = ["Daily Ledger", "Metro Wire", "The Courier", "NewsNow 24", "Portal Plus", "AutoNews Hub"]
JUNK_START = [
    "Advertisement",
    "Listen to this article",
    "{minutes} min read",
    "Skip to content",
    "Also Read: {other}",
    "Share this article",
]
JUNK_END = [
    "Advertisement",
    "Also Read: {other}",
    "Related: {other}",
    "Share on Facebook Share on Twitter Email",
    "© {year} {agency}. All rights reserved. This material may not be published, broadcast, rewritten or redistributed.",
    "This story has been published from a wire agency feed without modifications to the text.",
    "Catch all the latest news and updates on {site}. Download the app to get daily market updates.",
    "The post {title} appeared first on {site}.",
    "Sign up for our morning newsletter to get the day's top stories delivered to your inbox.",
    "Source link",
    "Leave a comment",
]
UPDATES_BEFORE = [
    "UPDATE: This story has been updated with comment from officials.",
    "Updated at {hh}:{mm} GMT",
    "(Adds details from the statement in paragraph {n})",
    "Editor's note: This article was updated on {day} to include new figures.",
    "This article was last updated {day}.",
    "Developing story, check back for updates.",
]
UPDATES_AFTER = [
    "Correction: An earlier version of this article misstated the date of the announcement.",
    "This story has been updated.",
    "Reporting by {name}; Editing by {name2}",
    "Additional reporting by {name}.",
    "More to follow.",
    "Clarification: the figures in the fourth paragraph refer to the previous year.",
]
NAMES = ["Jane Doe", "Ali Khan", "Mei Lin", "Tom Berg", "Ana Costa", "Piotr Nowak"]
DAYS = ["Monday", "Tuesday", "Wednesday", "March 3", "June 14"]
SWAPS = {
    "said": "stated",
    "says": "states",
    "told": "informed",
    "percent": "per cent",
    "about": "around",
    "big": "large",
    "however": "but",
    "also": "too",
    "people": "residents",
    "government": "administration",
    "announced": "revealed",
    "more": "further",
    "new": "fresh",
    "show": "indicate",
}


# Other bodies (`--bodies FILE.jsonl`, e.g. ../shared/data/external/quotes-polnear-dev.jsonl): the same
# set built from news the rules were never looked at on, as the hidden set is.
OTHER_BODIES: Path | None = None


def _distinct(bodies: list[tuple[str, list[str]]]) -> list[tuple[str, list[str]]]:
    """The bodies less those a corpus holds twice (one article from two publishers, versions of one
    live page): the labels call every body a story of its own, so a repeat would count its copies'
    rightful joins as false. Told by a test of our own (not the clusterer's): the same opening
    paragraph of 15 or more words, or half the word 5-grams in common."""
    seen_leads: set[str] = set()
    grams: list[set[tuple[str, ...]]] = []
    out = []
    for key, paras in bodies:
        lead = next((" ".join(p.lower().split()) for p in paras if len(p.split()) >= 15), "")
        words = " ".join(paras).lower().split()
        mine = set(zip(*(words[i:] for i in range(5)), strict=False))
        if lead in seen_leads or any(len(mine & g) >= 0.5 * min(len(mine), len(g)) for g in grams if g):
            continue
        seen_leads.add(lead)
        grams.append(mine)
        out.append((key, paras))
    return out


def load_bodies() -> list[tuple[str, list[str]]]:
    bodies = []
    if OTHER_BODIES is not None:
        for line in OTHER_BODIES.read_text().splitlines():
            record = json.loads(line)
            paras = [p.strip() for p in record["text"].split("\n") if p.strip()]
            has_title = record.get("title") is None  # PolNeAR's text opens with its headline
            bodies.append((record["id"], paras[1:] if has_title else paras))
        bodies = _distinct(bodies)
    else:
        data = json.loads((SHARED / "article-extraction-benchmark" / "ground-truth-dev.json").read_text())
        for key, value in sorted(data.items()):
            paras = [p.strip() for p in value["articleBody"].split("\n") if p.strip()]
            bodies.append((key, paras))
        for path in sorted((SHARED / "seed").glob("*.txt")):
            text = path.read_text()
            paras = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
            bodies.append((path.stem, paras[1:] if len(paras) > 3 else paras))
    out = []
    for key, paras in bodies:
        if len(paras) < 4:
            # A body given as one or two long paragraphs: group its sentences in threes.
            sentences = re.split(r"(?<=[.!?])\s+(?=[A-Z“\"])", " ".join(paras))
            paras = [" ".join(sentences[i : i + 3]) for i in range(0, len(sentences), 3)]
        paras = [p for p in paras if p]
        if sum(len(p.split()) for p in paras) >= 60 and len(paras) >= 3:
            out.append((key, paras))
    return out


def _fill(rng: random.Random, template: str, title: str, other: str) -> str:
    return template.format(
        other=other,
        title=title,
        site=rng.choice(SITES),
        agency=rng.choice(AGENCIES),
        year=rng.choice([2019, 2023, 2024]),
        minutes=rng.randint(2, 9),
        hh=rng.randint(0, 23),
        mm=f"{rng.randint(0, 59):02d}",
        n=rng.randint(3, 7),
        day=rng.choice(DAYS),
        name=rng.choice(NAMES),
        name2=rng.choice(NAMES),
    )


def _edit_words(rng: random.Random, para: str, share: float) -> str:
    words = para.split(" ")
    for i, w in enumerate(words):
        base = w.lower().strip(".,;:")
        if base in SWAPS and rng.random() < 0.6:
            words[i] = w.replace(base, SWAPS[base]) if w.islower() else SWAPS[base]
        elif rng.random() < share and len(w) > 3 and w.isalpha():
            words[i] = rng.choice(["very", "now", "then", "later", "still"]) + " " + w
    return " ".join(words)


def _headline(paras: list[str]) -> str:
    return " ".join(paras[0].split()[:9]).rstrip(",.;:")


def make_copy(rng: random.Random, paras: list[str], others: list[str], extra: list[str]) -> tuple[str, list[str]]:
    """One outlet's copy of a story: cleaned text as a cleaner leaves it (with its leftovers)."""
    title = _headline(paras)
    body = list(paras)
    roll = rng.random()
    if roll < 0.3:
        body = body[:3]  # a three-paragraph brief
    elif roll < 0.55 and len(body) > 5:
        drop = set(rng.sample(range(2, len(body)), k=min(3, len(body) - 4)))
        body = [p for i, p in enumerate(body) if i not in drop]
    elif roll < 0.75 and extra:
        at = rng.randint(2, len(body))
        body[at:at] = rng.sample(extra, k=min(len(extra), rng.randint(1, 2)))
    if rng.random() < 0.5:
        body = [_edit_words(rng, p, 0.02) for p in body]
    if rng.random() < 0.4:
        body[0] = f"{rng.choice(['WASHINGTON', 'LONDON', 'NEW DELHI', 'PARIS'])} ({rng.choice(AGENCIES)}) - " + body[0]
    if rng.random() < 0.35:
        body.insert(0, _fill(rng, rng.choice(UPDATES_BEFORE), title, rng.choice(others)))
    if rng.random() < 0.35:
        body.append(_fill(rng, rng.choice(UPDATES_AFTER), title, rng.choice(others)))
    for _ in range(rng.randint(0, 2)):
        body.insert(0, _fill(rng, rng.choice(JUNK_START), title, rng.choice(others)))
    for _ in range(rng.randint(0, 3)):
        body.append(_fill(rng, rng.choice(JUNK_END), title, rng.choice(others)))
    new_title = rng.choice(
        [title, title.upper(), "Breaking: " + title, " ".join(title.split()[:6]) + " as officials react"]
    )
    return new_title, body


def make_negative(rng: random.Random, story: list[str], donor: list[str]) -> list[str]:
    """A distinct story on the same event: its own lead and paragraphs, the story's background and one quote."""
    own = list(donor)
    background = story[len(story) // 2 :]
    reuse = rng.sample(background, k=min(len(background), rng.randint(2, 3)))
    # A quote from the body, never from the lead (a story that repeats another's lead is that story).
    sentences = [s for p in story[2:] for s in re.split(r"(?<=[.!?])[”\"]?\s+", p)]
    quote = next((s for s in sentences if ("“" in s or '"' in s) and len(s.split()) <= 40), None)
    if quote and len(own) > 1:
        own[1] = own[1] + " " + quote
    lead = own[: rng.randint(1, 2)]
    return lead + reuse + own[len(lead) :]


def build_set(seed: int) -> list[tuple[int, str, list[str]]]:
    """(label, title, paragraphs) of every copy, shuffled in arrival order."""
    rng = random.Random(seed)
    bodies = load_bodies()
    rng.shuffle(bodies)
    n_donors = len(bodies) // 3
    donors, stories = bodies[:n_donors], bodies[n_donors:]
    titles = [_headline(p) for _, p in bodies]
    # Added paragraphs (a local angle) come from donors that lend no negative its text.
    extra_pool = [p for _, ps in donors[len(stories) :] + stories[len(donors) :] for p in ps[-2:]]
    docs: list[tuple[int, str, list[str]]] = []
    label = 0
    for i, (_, paras) in enumerate(stories):
        for _ in range(rng.randint(2, 6)):
            docs.append((label, *make_copy(rng, paras, titles, rng.sample(extra_pool, 3))))
        label += 1
        if i < len(donors) and len(paras) >= 4:
            negative = make_negative(rng, paras, donors[i][1])
            for n in range(rng.randint(1, 3)):
                title, body = make_copy(rng, negative, titles, [])
                if n == 0:
                    # The brief that shares most of its text with the other story.
                    first_long = next((k for k, p in enumerate(negative) if len(p.split()) >= 15), 0)
                    lead = negative[: first_long + 1]
                    body = lead + [p for p in negative[1:] if p in paras][:2] or body
                docs.append((label, title, body))
            label += 1
    rng.shuffle(docs)
    return docs


_TEMPLATES = (
    # a news site: navigation, share row, related list, footer
    "<!doctype html><html><head><meta charset='utf-8'><title>{title} | {site}</title></head><body>"
    "<header><nav><a href='/'>Home</a> <a href='/world'>World</a> <a href='/business'>Business</a></nav></header>"
    "<main><article><h1>{title}</h1><p class='byline'>By Staff Reporter</p>"
    "<div class='share'>Share on Facebook Share on X Email</div><div class='article-body'>{body}</div></article>"
    "<aside class='related'><h3>Related</h3><ul>{related}</ul></aside></main>"
    "<footer>© 2024 {site}. All rights reserved.</footer></body></html>",
    # a WordPress autoblog: sidebar, post body, comments
    "<!doctype html><html><head><meta charset='utf-8'><title>{title} – {site}</title></head><body>"
    "<div id='page'><div id='sidebar'><h2>Recent Posts</h2><ul>{related}</ul></div>"
    "<div id='content'><div class='post'><h2 class='entry-title'>{title}</h2>"
    "<div class='entry-content'>{body}<p><a href='https://example.com/source'>Source link</a></p></div>"
    "<div class='sharedaddy'>Like this: Like Loading...</div></div>"
    "<div id='comments'><h3>2 thoughts on “{title}”</h3><ol><li>Great article, thanks!</li>"
    "<li>I disagree with most of this.</li></ol><h3>Leave a Reply</h3></div></div></div></body></html>",
)


def through_pages(docs: list[tuple[int, str, list[str]]], seed: int) -> list[tuple[int, str, list[str]]]:
    """Each copy as a page of one of the templates, cleaned by the real extractor (its blocks)."""
    import html as html_lib

    from tui.core.article import extract_article

    rng = random.Random(seed)
    out = []
    for label, title, body in docs:
        other = [d[1] for d in rng.sample(docs, 4)]
        page = rng.choice(_TEMPLATES).format(
            title=html_lib.escape(title), site=rng.choice(SITES),
            body="".join(f"<p>{html_lib.escape(p)}</p>" for p in body),
            related="".join(f"<li><a href='/x{k}'>{html_lib.escape(t)}</a></li>" for k, t in enumerate(other)),
        )
        article = extract_article(page.encode(), "https://example.com/story", title_hint=title)
        out.append((label, title, [b.text for b in article.blocks]))
    return out


def score(labels: list[int], found: list[int]) -> tuple[float, float, int, int, int]:
    tp = fp = fn = 0
    for i, j in combinations(range(len(labels)), 2):
        same, together = labels[i] == labels[j], found[i] == found[j]
        tp += same and together
        fp += together and not same
        fn += same and not together
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall, tp, fp, fn


def quality(seed: int, verbose: bool = False, pages: bool = False) -> tuple[float, float]:
    docs = build_set(seed)
    if pages:
        docs = through_pages(docs, seed)
    mapping = cluster((i, body) for i, (_, _, body) in enumerate(docs))
    labels = [label for label, _, _ in docs]
    found = [mapping[i] for i in range(len(docs))]
    precision, recall, tp, fp, fn = score(labels, found)
    stories = len(set(labels))
    print(
        f"seed {seed}: {len(docs)} copies of {stories} stories; pairs tp {tp} fp {fp} fn {fn}; "
        f"precision {precision:.4f} recall {recall:.4f}"
    )
    if verbose:
        by_label: dict[int, list[int]] = {}
        for i, label in enumerate(labels):
            by_label.setdefault(label, []).append(i)
        for i, j in combinations(range(len(docs)), 2):
            if labels[i] != labels[j] and found[i] == found[j]:
                print("FALSE MERGE", i, j, docs[i][2][:3], "\n   ", docs[j][2][:3])
        for members in by_label.values():
            groups = {found[m] for m in members}
            if len(groups) > 1:
                print("SPLIT", [(m, found[m], docs[m][2][:2]) for m in members])
    return precision, recall


def _random_docs(n: int, seed: int) -> list[list[str]]:
    """Cost set: distinct stories of news length, words drawn by their frequency in the real bodies
    (so common phrases recur across stories as they do in news, and retrieval meets them)."""
    from collections import Counter

    rng = random.Random(seed)
    counts = Counter(w for _, ps in load_bodies() for p in ps for w in p.split())
    vocab, weights = zip(*counts.items(), strict=True)
    docs = []
    for _ in range(n):
        sizes = [rng.randint(25, 60) for _ in range(rng.randint(6, 14))]
        words = rng.choices(vocab, weights, k=sum(sizes))
        paras, at = [], 0
        for size in sizes:
            paras.append(" ".join(words[at : at + size]))
            at += size
        docs.append(paras)
    return docs


def _cpu() -> float:
    import resource

    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def cost(reps: int) -> None:
    import html as html_lib
    import tempfile
    from datetime import UTC, datetime

    from tui.core.models import ParsedEntry, ParsedFeed
    from tui.core.store import Store
    from tui.core.stories import recluster

    labelled = build_set(1)
    docs = [b for _, _, b in labelled] + _random_docs(10_000 - len(labelled), 7)
    words = sum(len(p.split()) for d in docs for p in d)
    times = []
    for _ in range(reps):
        c0, w0 = _cpu(), time.perf_counter()
        cluster(enumerate(docs))
        times.append((_cpu() - c0, time.perf_counter() - w0))
    print(
        f"core: cluster 10,000 entries from scratch ({words / len(docs):.0f} words each): "
        f"CPU median {statistics.median(t[0] for t in times):.2f} s, wall {statistics.median(t[1] for t in times):.2f} s "
        f"({reps} reps)"
    )

    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "bench.db")
        now = datetime.now(UTC)
        for f in range(50):
            feed, _ = store.add_feed(f"https://outlet{f}.example/feed")
            entries = tuple(
                ParsedEntry(
                    guid=f"{f}-{i}",
                    title=f"Story {i}",
                    link=f"https://outlet{f}.example/{i}",
                    content="".join(f"<p>{html_lib.escape(p)}</p>" for p in docs[f * 200 + i]),
                    content_hash=f"{f}-{i}",
                    published=now,
                )
                for i in range(200)
            )
            store.apply_refresh(
                feed.id,
                checked_at=now,
                status="ok",
                error=None,
                parsed=ParsedFeed(kind="rss", title=f"Outlet {f}", entries=entries),
            )
        times = []
        for _ in range(reps):
            c0, w0 = _cpu(), time.perf_counter()
            update = recluster(store)
            times.append((_cpu() - c0, time.perf_counter() - w0))
        print(
            f"store: recluster 10,000 stored entries (read, sketch, group, write): "
            f"CPU median {statistics.median(t[0] for t in times):.2f} s, wall {statistics.median(t[1] for t in times):.2f} s; "
            f"{update.joined} joined a story ({reps} reps)"
        )
        store.close()

    # Refresh-time cost: 5,000 feed items as the refresh benchmark makes them (content:encoded HTML).
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import feedparser  # only to pull the items' HTML out for this measurement
    from feedgen import make_rss  # type: ignore[import-not-found]

    contents = []
    for seed in range(200):
        parsed = feedparser.parse(make_rss(seed, host=f"h{seed % 50}.example"))
        contents.extend(e.content[0].value for e in parsed.entries)
    times = []
    for _ in range(reps):
        c0 = _cpu()
        index = StoryIndex()
        for i, content in enumerate(contents):
            paras = html_paragraphs(content)
            index.add(i, lead_keys(paras)[0], functools.partial(sketch, paras))
        times.append(_cpu() - c0)
    print(
        f"refresh: sketch + group {len(contents)} feed items (bench_refresh's feeds): "
        f"CPU median {statistics.median(times):.3f} s ({reps} reps)"
    )


@contextlib.contextmanager
def _feed_server(words: int | None = None) -> Iterator[int]:
    """bench_refresh's server in another process (200 feeds × 25 items, 50 loopback hosts, 100 ms): its port.
    `words`: items of at least this many words (bench_refresh's own: 100)."""
    import subprocess

    import bench_refresh  # type: ignore[import-not-found]

    port = bench_refresh.free_port()
    server = subprocess.Popen(
        [sys.executable, bench_refresh.__file__, "--serve", str(port), "--feeds", "200", "--items", "25",
         "--latency", "0.1", *(["--serve-words", str(words)] if words else [])],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert server.stdout is not None and server.stdout.readline().strip() == "ready"
        yield port
    finally:
        server.terminate()
        server.wait()


def refresh_share(reps: int) -> None:
    """CPU of a real 5,000-entry refresh (bench_refresh's server: 200 feeds × 25 items, 50 loopback
    hosts) with the stories pass, against the same refresh with that pass made a no-op; parsing in a
    thread so all the CPU is this process's. Alternating runs, medians."""
    import asyncio
    import tempfile

    import bench_refresh  # type: ignore[import-not-found]

    import tui.core.store as store_module
    import tui.core.stories as stories_module
    from tui.core.feeds.fetch import Fetcher
    from tui.core.feeds.refresh import refresh_feeds
    from tui.core.store import Store
    from tui.core.stories import StoryUpdate

    real, real_keys = stories_module.update_stories, stories_module.stored_keys
    pass_cpu: list[float] = []
    spent = [0.0]  # keys stored with new entries, as the refresh writes them

    def timed(store: Store, **kw: object) -> StoryUpdate:
        # The pass runs in a worker thread of its own: its thread CPU is its exact cost.
        t = time.thread_time()
        update = real(store, **kw)  # type: ignore[arg-type]
        pass_cpu.append(time.thread_time() - t + spent[0])
        return update

    real_insert = store_module._insert_story_keys

    def keyed(*args: Any) -> None:  # making the keys and inserting their rows
        t = time.thread_time()
        try:
            real_insert(*args)
        finally:
            spent[0] += time.thread_time() - t

    try:
        with _feed_server() as port:
            urls = bench_refresh.feed_urls(port, 200)
            runs: dict[str, list[float]] = {"with stories": [], "without": []}
            placed = 0
            for rep in range(reps):
                for label in ("with stories", "without") if rep % 2 == 0 else ("without", "with stories"):
                    stories_module.update_stories = timed if label == "with stories" else (lambda store, **kw: StoryUpdate(0, 0, 0))  # type: ignore[assignment]
                    stories_module.stored_keys = real_keys if label == "with stories" else None  # type: ignore[assignment]
                    store_module._insert_story_keys = keyed  # type: ignore[assignment]
                    spent[0] = 0.0
                    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "r.db") as store:
                        for url in urls:
                            store.add_feed(url)

                        async def go() -> object:
                            async with Fetcher() as fetcher:
                                return await refresh_feeds(store, fetcher, parse_workers=0)

                        c0 = _cpu()
                        report = asyncio.run(go())
                        runs[label].append(_cpu() - c0)
                        assert report.new_entries == 5000  # type: ignore[attr-defined]
                        if label == "with stories":
                            placed = report.after.grouped  # type: ignore[attr-defined]
    finally:
        stories_module.update_stories, stories_module.stored_keys = real, real_keys
        store_module._insert_story_keys = real_insert
    with_s, without = statistics.median(runs["with stories"]), statistics.median(runs["without"])
    print(f"refresh of 5,000 entries (parsing in a thread): CPU {with_s:.2f} s with the stories pass "
          f"({placed} entries placed), {without:.2f} s without: +{(with_s / without - 1) * 100:.1f} % ({reps} reps each)")
    # The difference of two medians carries the refresh's own spread (±0.1 s here); the pass's own
    # thread CPU, against the rest of the same run, does not.
    shares = [c / (w - c) for c, w in zip(pass_cpu, runs["with stories"], strict=True)]
    print(f"stories (keys stored with new entries + the pass): {statistics.median(pass_cpu) * 1000:.0f} ms thread CPU "
          f"({min(pass_cpu) * 1000:.0f}–{max(pass_cpu) * 1000:.0f}), "
          f"+{statistics.median(shares) * 100:.1f} % of the rest of its refresh "
          f"({min(shares) * 100:.1f}–{max(shares) * 100:.1f} %)")


def window_cost(reps: int, archive: int = 25_000, new: int = 5_000) -> None:
    """The stories pass over `new` entries arriving in a store that already holds `archive`
    placed entries inside the pass's window (a reader's steady state), against the same pass in an
    empty store: what the window of earlier entries costs each refresh."""
    import html as html_lib
    import shutil
    import tempfile
    from datetime import UTC, datetime

    from tui.core.models import ParsedEntry, ParsedFeed
    from tui.core.store import Store
    from tui.core.stories import update_stories

    docs = _random_docs(archive + new, 11)
    now = datetime.now(UTC)

    def fill(store: Store, first: int, count: int, tag: str) -> None:
        per = 250
        for f in range(0, count, per):
            feed, _ = store.add_feed(f"https://outlet{tag}{f}.example/feed")
            store.apply_refresh(feed.id, checked_at=now, status="ok", error=None, parsed=ParsedFeed(
                kind="rss", title=f"Outlet {f}", entries=tuple(
                    ParsedEntry(guid=f"{tag}{i}", title=f"Story {i}", link=f"https://o.example/{tag}{i}",
                                content="".join(f"<p>{html_lib.escape(p)}</p>" for p in docs[i]),
                                content_hash=f"{tag}{i}", published=now)
                    for i in range(first + f, first + min(f + per, count)))))

    with tempfile.TemporaryDirectory() as tmp:
        base, empty = Path(tmp) / "archive.db", Path(tmp) / "empty.db"
        with Store(base) as store:
            fill(store, 0, archive, "a")
            update_stories(store)
        Store(empty).close()
        rows: dict[str, list[float]] = {"empty store": [], f"{archive:,} placed": []}
        for _ in range(reps):
            for label, source in (("empty store", empty), (f"{archive:,} placed", base)):
                db = Path(tmp) / "run.db"
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{db}{suffix}").unlink(missing_ok=True)
                shutil.copy(source, db)
                with Store(db) as store:
                    fill(store, archive, new, "n")
                    t = time.thread_time()
                    update = update_stories(store)
                    rows[label].append(time.thread_time() - t)
                    assert update.placed == new
    for label, times in rows.items():
        print(f"stories pass, {new:,} new entries, {label}: {statistics.median(times) * 1000:.0f} ms thread CPU "
              f"({min(times) * 1000:.0f}–{max(times) * 1000:.0f}, {reps} reps; their keys were stored with them)")


# The command a user runs, started the same way both times. "Without" never imports the stories
# module (a stand-in answers the pass) and stores no keys with new entries. "With" counts all of it:
# importing the module (after the store and the standard modules the refresh imports anyway), the keys the refresh
# makes and stores with each feed's new entries (thread CPU of each call, where the entries are
# written: making the keys and inserting their rows) and the pass after the refresh.
_CLI = """
import sys, time, types
sys.path.insert(0, {root!r})
import tui.core.store
# The standard modules the stories module uses that the refresh imports anyway, stories or not (the
# parse and the store load them: checked on a refresh without stories): not the stories' cost.
import array, html, html.entities, json, struct, zlib
if {without}:
    stand_in = types.ModuleType("tui.core.stories")
    stand_in.update_stories = lambda store, **kw: types.SimpleNamespace(placed=0, joined=0, stories=0)
    stand_in.stored_keys = None
    sys.modules["tui.core.stories"] = stand_in
else:
    t = time.thread_time()
    import tui.core.stories as stories
    imported = time.thread_time() - t
    real, insert = stories.update_stories, tui.core.store._insert_story_keys
    spent = [0.0]
    def keyed(*args):
        t = time.thread_time()
        try:
            return insert(*args)
        finally:
            spent[0] += time.thread_time() - t
    def timed(store, **kw):
        t = time.thread_time()
        try:
            return real(store, **kw)
        finally:
            sys.stderr.write(f"stories-pass-cpu {{time.thread_time() - t}} keys-at-store {{spent[0]}} import {{imported}}\\n")
            sys.stderr.flush()
    stories.update_stories, tui.core.store._insert_story_keys = timed, keyed
    # With the writer child (a quiet machine's path), the keys are made and stored there: the
    # child, forked with `keyed` in place, reports what it spent when it has written every feed.
    import tui.core.feeds.writer as writer
    serve = writer._serve
    def serving(*args):
        try:
            return serve(*args)
        finally:
            sys.stderr.write(f"child-keys {{spent[0]}}\\n")
            sys.stderr.flush()
    writer._serve = serving
from tui.cli.main import run
sys.argv = ["newswire", "refresh"]
run()  # as the installed command ends (no interpreter teardown)
"""


def cli_share(reps: int, words: int | None = None, writer: str = "thread") -> None:
    """CPU (user+sys of the process tree) of the `newswire refresh` a user runs, 5,000 new entries
    (bench_refresh's server: 200 feeds × 25 items, 50 loopback hosts, 100 ms), with and without
    stories (the keys stored with new entries and the pass after the refresh); alternating runs in
    fresh homes, medians. `writer`: where the entries are written, "thread" (the command's own
    process: a busy machine's path) or "process" (the writer child a quiet two-core machine forks)."""
    import os
    import subprocess
    import tempfile

    import bench_refresh  # type: ignore[import-not-found]

    runs: dict[str, list[float]] = {"with": [], "without": []}
    passes: list[float] = []
    at_store: list[float] = []
    imports: list[float] = []
    with _feed_server(words) as port:
        urls = bench_refresh.feed_urls(port, 200)
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        # Both runs take the same path whatever the machine does meanwhile: the entries (and their
        # story keys) written by the command itself, or by the writer child (forced: its gate would
        # decline on a busy machine); the keys' thread CPU is measured where it is spent either way.
        env["NEWSWIRE_WRITER"] = writer
        for rep in range(reps):
            for label in ("with", "without") if rep % 2 == 0 else ("without", "with"):
                with tempfile.TemporaryDirectory() as tmp:
                    env["NEWSWIRE_HOME"] = tmp
                    Path(tmp, "urls").write_text("\n".join(urls) + "\n")
                    subprocess.run([sys.executable, str(ROOT / "__main__.py"), "import", str(Path(tmp, "urls"))],
                                   env=env, check=True, capture_output=True)
                    bench_refresh.control(port, "/__reset")
                    cpu = bench_refresh._children_cpu()
                    proc = subprocess.run(
                        [sys.executable, "-c", _CLI.format(root=str(ROOT), without=label == "without")],
                        env=env, capture_output=True, text=True,
                    )
                    runs[label].append(bench_refresh._children_cpu() - cpu)
                    if proc.returncode != 0:
                        raise SystemExit(f"refresh failed: {proc.stderr[-2000:]}")
                    if label == "with":
                        found = re.search(r"stories-pass-cpu ([0-9.]+) keys-at-store ([0-9.]+) import ([0-9.]+)", proc.stderr)
                        assert found, proc.stderr[-500:]
                        keys = float(found.group(2))
                        if writer == "process":  # the keys were made in the child
                            child = re.search(r"child-keys ([0-9.]+)", proc.stderr)
                            assert child and keys == 0.0, proc.stderr[-500:]
                            keys = float(child.group(1))
                        passes.append(float(found.group(1)) + keys + float(found.group(3)))
                        at_store.append(keys)
                        imports.append(float(found.group(3)))
    with_s, without = statistics.median(runs["with"]), statistics.median(runs["without"])
    shares = [p / (w - p) for p, w in zip(passes, runs["with"], strict=True)]
    print(f"`newswire refresh` (entries written by the {'writer child' if writer == 'process' else 'command itself'}), "
          f"5,000 new entries of {words or bench_refresh.FULL_TEXT_WORDS}+ words, CPU of the process tree: {with_s:.2f} s with the stories pass, "
          f"{without:.2f} s without (+{(with_s / without - 1) * 100:.1f} %, {reps} reps each; "
          f"with {min(runs['with']):.2f}–{max(runs['with']):.2f}, without {min(runs['without']):.2f}–{max(runs['without']):.2f})")
    print(f"stories, counted where they run: {statistics.median(passes) * 1000:.0f} ms thread CPU "
          f"({min(passes) * 1000:.0f}–{max(passes) * 1000:.0f}; of which importing the module "
          f"{statistics.median(imports) * 1000:.0f} ms, keys made and stored with new entries "
          f"{statistics.median(at_store) * 1000:.0f} ms), +{statistics.median(shares) * 100:.1f} % of the rest "
          f"of the command ({min(shares) * 100:.1f}–{max(shares) * 100:.1f} %)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, nargs="*", default=[1, 2, 3, 4, 5])
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--pages", action="store_true", help="put each copy in a page template and clean it first")
    parser.add_argument("--cost", action="store_true", help="also measure clustering CPU")
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--refresh", action="store_true", help="CPU share of the stories pass in a real refresh")
    parser.add_argument("--cli", action="store_true", help="the same share of the `newswire refresh` command")
    parser.add_argument("--window", action="store_true", help="the pass with 25,000 earlier entries in its window")
    parser.add_argument("--words", type=int, help="--cli: feed items of at least this many words (default: bench_refresh's 100)")
    parser.add_argument("--writer", choices=("thread", "process"), default="thread",
                        help="--cli: entries written by the command (thread: a busy machine's path) or by "
                             "the writer child a quiet two-core machine forks (process)")
    parser.add_argument("--bodies", type=Path, help="build the labelled set from these texts (a JSONL of {id, text})")
    args = parser.parse_args()
    global OTHER_BODIES
    OTHER_BODIES = args.bodies
    results = [quality(s, args.verbose, args.pages) for s in args.seeds]
    print(
        f"median over {len(results)} seeds: precision {statistics.median(r[0] for r in results):.4f}, "
        f"recall {statistics.median(r[1] for r in results):.4f}; worst precision {min(r[0] for r in results):.4f}, "
        f"worst recall {min(r[1] for r in results):.4f}"
    )
    if args.cost:
        cost(args.reps)
    if args.refresh:
        sys.path.insert(0, str(ROOT / "benchmarks"))
        refresh_share(args.reps)
    if args.window:
        window_cost(args.reps)
    if args.cli:
        sys.path.insert(0, str(ROOT / "benchmarks"))
        cli_share(args.reps, args.words, args.writer)


if __name__ == "__main__":
    main()
