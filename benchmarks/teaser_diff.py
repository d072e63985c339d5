"""Differential check of the teaser test (`tui.core.article.teaser.is_summary`) against an earlier
version of it from git, over many texts, and the speed of both.

    python benchmarks/teaser_diff.py [--against REV] [--variants N]

Texts: the entries of every feed under tests/fixtures and ../shared/data (feedparser's test corpus,
the syndicated set), the refresh benchmark's feeds, and news articles (../shared/data/external) as
HTML and plain text; each also cut to a random length around the 80-word threshold, given a cut
ending ("…", "[&hellip;]", "Read more", a dotted İ), dropped markup (script, a comment, class=,
hidden, a stray "<"), entities and Unicode spaces. Every answer must be the same.
"""

from __future__ import annotations

import argparse
import html
import importlib.util
import json
import random
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SHARED = REPO.parent / "shared" / "data"
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(HERE))


def old_module(rev: str, path: str = "tui/core/article/teaser.py"):  # type: ignore[no-untyped-def]
    """The module at `path` as it was at git revision `rev` (keys_diff.py loads stories.py with it)."""
    source = subprocess.run(["git", "-C", str(REPO), "show", f"{rev}:{path}"],
                            check=True, capture_output=True, text=True).stdout
    name = Path(path).stem + "_old"
    spec = importlib.util.spec_from_loader(name, loader=None)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # (its dataclasses look their module up)
    exec(compile(source, name + ".py", "exec"), module.__dict__)
    return module


def feed_texts() -> list[str]:
    from feedgen import make_rss

    from tui.core.feeds.parse import FeedError, parse_feed

    bodies = [make_rss(i, 25, host=f"news{i}.example.com", min_words=m) for i in range(20) for m in (0, 100)]
    roots = [REPO / "tests" / "fixtures", SHARED / "feedparser-tests", SHARED / "syndicated"]
    for root in roots:
        if root.exists():
            bodies += [p.read_bytes() for p in sorted(root.rglob("*")) if p.suffix in (".xml", ".rss", ".atom", ".json")
                       and p.is_file() and p.stat().st_size < 2_000_000]
    texts = []
    for body in bodies:
        try:
            parsed = parse_feed(body, url="http://example.com/feed")
        except (FeedError, Exception):  # noqa: BLE001 - hostile fixtures: only readable feeds give texts
            continue
        for entry in parsed.entries:
            texts += [t for t in (entry.content, entry.summary) if t]
    return texts


def article_texts(limit: int) -> list[str]:
    texts = []
    for name in ("quotes-polnear-dev.jsonl", "places-geowebnews.jsonl"):
        path = SHARED / "external" / name
        if path.exists():
            for line in path.read_text().splitlines()[:limit]:
                text = json.loads(line).get("text") or ""
                paras = [p for p in text.split("\n") if p.strip()]
                texts.append(text)
                texts.append("".join(f"<p>{html.escape(p)}</p>" for p in paras))
    return texts


ENDINGS = ["", " …", "...", " [&hellip;]", " [&#8230;]", " [ … ]", " Continue reading »", " READ MORE", " Read the full story",
           " <a href='/x'>Continue reading</a>", " contİnue reading", " read the rest.", " The end.", " ı", " İ",
           " <p>Read more</p>", "&nbsp;…", " more"]
INSERTS = ["", "<script>var x = 1;</script>", "<!-- c -->", '<div class="share">Share</div>', "<span hidden>h</span>",
           "a < b", "<SCRIPT>x</SCRIPT>", "<scripts>ok</scripts>", '<p id="x">y</p>', "&amp; &lt;b&gt;", "\u00a0\u2009",
           "<style>p{}</style>", "<nav>menu</nav>", "<br/>", "<iframe src=x></iframe>", "<ſcript>", "<\u212aeygen>"]


def variants(texts: list[str], n: int, rng: random.Random) -> list[str]:
    out = list(texts)
    for _ in range(n):
        text = rng.choice(texts)
        words = text.split(" ")
        if rng.random() < 0.7:
            cut = max(1, int(rng.gauss(80, 25)))
            text = " ".join(words[:cut])
        if rng.random() < 0.4:
            at = rng.randrange(len(text) + 1)
            text = text[:at] + rng.choice(INSERTS) + text[at:]
        text += rng.choice(ENDINGS)
        if rng.random() < 0.2:
            text = f"<p>{text}</p>"
        out.append(text)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--against", default="8dd8ed4", help="git revision holding the earlier teaser.py")
    ap.add_argument("--variants", type=int, default=60_000)
    ap.add_argument("--articles", type=int, default=400)
    args = ap.parse_args()
    from tui.core.article import teaser

    old = old_module(args.against)
    base = feed_texts() + article_texts(args.articles)
    texts = variants(base, args.variants, random.Random(13))
    differ = [t for t in texts if old.is_summary(t) != teaser.is_summary(t)]
    teasers = sum(map(teaser.is_summary, texts))
    print(f"{len(texts)} texts ({len(base)} from feeds and articles), {teasers} teasers; different answers: {len(differ)}")
    for t in differ[:5]:
        print("  DIFFERENT:", repr(t[:300]))
    full = [t for t in base if not old.is_summary(t)]
    for label, texts_ in (("all texts", texts), ("full-text entries", full)):
        best = {"before": float("inf"), "after": float("inf")}
        for _ in range(7):  # alternating, the least CPU time of each
            for name, fn in (("before", old.is_summary), ("after", teaser.is_summary)):
                started = time.process_time()
                for t in texts_:
                    fn(t)
                best[name] = min(best[name], time.process_time() - started)
        print(f"{label} ({len(texts_)}): " + ", ".join(f"{k} {v / len(texts_) * 1e6:.2f} µs" for k, v in best.items())
              + " a text")
    if differ:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
