"""Differential check of the story keys a refresh stores with new entries (`stories.stored_keys`)
against an earlier version of the stories module from git, over many texts, and the speed of both.

    python benchmarks/keys_diff.py [--against REV] [--variants N]

Texts: those of teaser_diff.py (every feed entry under tests/fixtures and ../shared/data, the refresh
benchmark's feeds, news articles as HTML and plain text, and random variants of them: cut short,
with markup, entities, Unicode spaces and cut endings inserted). Every blob must be the same.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(HERE))


def main() -> None:
    from teaser_diff import article_texts, feed_texts, old_module, variants  # type: ignore[import-not-found]

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--against", default="main", help="git revision holding the earlier stories.py")
    ap.add_argument("--variants", type=int, default=60_000)
    ap.add_argument("--articles", type=int, default=400)
    args = ap.parse_args()
    from tui.core import stories

    old = old_module(args.against, "tui/core/stories.py")
    base = feed_texts() + article_texts(args.articles)
    texts = variants(base, args.variants, random.Random(13))
    # In refresh-sized calls (a transaction's new entries), and all at once.
    chunks = [texts[i : i + 125] for i in range(0, len(texts), 125)]
    before = [b for c in chunks for b in old.stored_keys(c)]
    after = [b for c in chunks for b in stories.stored_keys(c)]
    whole = stories.stored_keys(texts)
    differ = [i for i, (a, b, w) in enumerate(zip(before, after, whole, strict=True)) if not a == b == w]
    keyed = sum(1 for b in after if len(b) > 8)
    print(f"{len(texts)} texts ({len(base)} from feeds and articles), {keyed} with keys; different blobs: {len(differ)}")
    for i in differ[:5]:
        print("  DIFFERENT:", repr(texts[i][:300]))
    best = {"before": float("inf"), "after": float("inf")}
    for _ in range(5):  # alternating, the least CPU time of each
        for name, fn in (("before", old.stored_keys), ("after", stories.stored_keys)):
            started = time.process_time()
            for c in chunks:
                fn(c)
            best[name] = min(best[name], time.process_time() - started)
    print(", ".join(f"{k} {v / len(texts) * 1e6:.2f} µs" for k, v in best.items()) + " a text")
    if differ:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
