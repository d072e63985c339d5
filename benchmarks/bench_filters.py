"""Filter benchmark: newsboat filters over 10,000 stored entries, and what kill rules add to a refresh.

Run from the repository root:

    python benchmarks/bench_filters.py [--reps 7] [--feeds 100]

Part 1 fills a real SQLite store with 10,000 entries (50 synthetic feeds × 200 items, ~1.3 KB of
HTML each) and times, for typical expressions (median CPU of `--reps`): `filter_ids` (the ids
that match: what a list already on screen needs) and `filter_entries` (Entry objects, as
`newswire list --filter` prints), against the plain listing of all entries (`Store.entries`) as
the peer in the same run.

Part 2 refreshes `--feeds` synthetic feeds × 25 items from a loopback server into a fresh store,
in-process with the parse on a thread, alternately without and with five kill rules (one reads
the content); it reports the ratio of the medians, and, less noisy, the CPU the rules took inside
the refresh (`FeedRules.ignored_guids`, timed in place) as a share of that refresh's CPU.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO))

from feedgen import make_rss

from tests.httpserver import FeedServer, Route
from tui.core.config import parse_config
from tui.core.feeds.fetch import Fetcher
from tui.core.feeds.parse import parse_feed
from tui.core.feeds.refresh import refresh_feeds
from tui.core.feeds.rules import FeedRules
from tui.core.filters import compile_filter, filter_entries, filter_ids
from tui.core.store import Store

EXPRESSIONS = [
    'unread = "yes"',
    'title =~ "flood|storm"',
    'unread = "yes" and age < 30',
    'tags # "t3" or feedtitle =~ "7"',
    'content =~ "harbour library"',
    '(title =~ "election" or content =~ "minister") and unread = "yes"',
]

KILL_RULES = """
[[ignore]]
filter = 'title =~ "^(sponsored|advert)"'
[[ignore]]
filter = 'author = "Marketing Desk"'
[[ignore]]
filter = 'content =~ "casino bonus"'
[[ignore]]
filter = 'tags # "spam" or feedtitle =~ "promo"'
[[ignore]]
feed = "http://127.0.0.1/feed/3.xml"
filter = 'age > 3650'
"""


def measure(fn: Callable[[], object], reps: int) -> tuple[float, float, object]:
    """Median CPU and wall seconds of `fn` over `reps` runs (after one warm-up), and its result."""
    result = fn()
    cpu, wall = [], []
    for _ in range(reps):
        c0, w0 = time.process_time(), time.perf_counter()
        result = fn()
        cpu.append(time.process_time() - c0)
        wall.append(time.perf_counter() - w0)
    return statistics.median(cpu), statistics.median(wall), result


def part1(reps: int) -> None:
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "bench.db") as store:
        for f in range(50):
            feed, _ = store.add_feed(f"https://feed{f}.example/rss", tags=[f"t{f % 5}"])
            parsed = parse_feed(make_rss(f, items=200, host=f"feed{f}.example"), url=feed.url)
            store.apply_refresh(feed.id, checked_at=datetime.now(UTC), status="ok", error=None, parsed=parsed)
        store.set_read(list(range(1, 10_001, 3)))
        total = store.count_entries()
        cpu, _wall, _ = measure(lambda: store.entries(), reps)
        print(f"## {total} entries, median of {reps}")
        print()
        print("| expression | matches | `filter_ids` CPU ms | `filter_entries` CPU ms | × plain listing |")
        print("|---|---|---|---|---|")
        print(f"| (plain `Store.entries`, the peer) | {total} | | {cpu * 1e3:.1f} | 1.00 |")
        base = cpu
        for text in EXPRESSIONS:
            flt = compile_filter(text)
            ci, _, found = measure(lambda flt=flt: filter_ids(store, flt), reps)  # type: ignore[misc]
            ce, _, _ = measure(lambda flt=flt: filter_entries(store, flt), reps)  # type: ignore[misc]
            print(f"| `{text}` | {len(found)} | {ci * 1e3:.1f} | {ce * 1e3:.1f} | {ce / base:.2f} |")  # type: ignore[arg-type]
        print()


class _Timed(FeedRules):
    """FeedRules that add up the CPU their kill rules take."""

    spent = 0.0

    def ignored_guids(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        c0 = time.process_time()
        try:
            return super().ignored_guids(*args, **kwargs)
        finally:
            _Timed.spent += time.process_time() - c0


async def _refresh(urls: list[str], rules: FeedRules | None) -> tuple[float, float]:
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "r.db") as store:
        for url in urls:
            store.add_feed(url)
        async with Fetcher(per_host=8, max_connections=16) as fetcher:
            c0, w0 = time.process_time(), time.perf_counter()
            report = await refresh_feeds(store, fetcher, force=True, parse_workers=0, rules=rules)
            cpu, wall = time.process_time() - c0, time.perf_counter() - w0
        assert not report.failed and report.new_entries == 25 * len(urls)
    return cpu, wall


def part2(reps: int, feeds: int) -> None:
    config = parse_config(KILL_RULES)
    rules = _Timed(FeedRules.from_config(config).kill_rules, config.feeds)
    with FeedServer() as server:
        urls = [server.route(f"/feed/{i}.xml", Route(body=make_rss(1000 + i))) for i in range(feeds)]
        runs: dict[str, list[tuple[float, float]]] = {"without": [], "with": []}
        shares = []
        asyncio.run(_refresh(urls, None))  # warm-up
        for _ in range(reps):
            runs["without"].append(asyncio.run(_refresh(urls, None)))
            _Timed.spent = 0.0
            runs["with"].append(asyncio.run(_refresh(urls, rules)))
            shares.append(_Timed.spent / runs["with"][-1][0])
    print(f"## refresh of {feeds} feeds × 25 items (cold store), median of {reps}")
    print()
    print("| kill rules | CPU s | wall s |")
    print("|---|---|---|")
    med = {k: (statistics.median(c for c, _ in v), statistics.median(w for _, w in v)) for k, v in runs.items()}
    for key in ("without", "with"):
        print(f"| {key} (5 rules) | {med[key][0]:.3f} | {med[key][1]:.3f} |" if key == "with"
              else f"| {key} | {med[key][0]:.3f} | {med[key][1]:.3f} |")
    print()
    print(f"ratio of medians: kill rules add {100 * (med['with'][0] / med['without'][0] - 1):+.1f}% CPU, "
          f"{100 * (med['with'][1] / med['without'][1] - 1):+.1f}% wall")
    print(f"timed in place: the rules took {100 * statistics.median(shares):.1f}% of the refresh's CPU "
          f"(min {100 * min(shares):.1f}%, max {100 * max(shares):.1f}%)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=7)
    parser.add_argument("--feeds", type=int, default=100)
    args = parser.parse_args()
    part1(args.reps)
    part2(args.reps, args.feeds)


if __name__ == "__main__":
    main()
