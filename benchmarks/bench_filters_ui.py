"""App-side filter benchmark: the F prompt's filtered list and the query feeds' counts over 10,000 entries.

Run from the repository root:

    python benchmarks/bench_filters_ui.py [--reps 7]

Fills a real SQLite store with 10,000 entries (50 synthetic feeds × 200 items, a third read), runs
the real app headless (Textual's Pilot) and times, as median CPU (user+sys, all threads) of
`--reps`:
- a filter over All articles after enter in the F prompt: done on the UI thread (filter plus the
  table's first screenful, CPU: how long keys would wait), and as the app does it now
  (`MainScreen.apply_filter`: the filter in a thread): how long the UI thread is held, and the wall
  time until the matches are listed; the peer in the same run is All articles' own first
  screenful (`show_source`, synchronous). Each run starts from All articles fully listed, idle;
- counting three query feeds (`jobs.query_counts`, run off the UI thread after each change),
  against the peer `Store.entries()` (a plain listing of every entry).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO))

from feedgen import make_rss

EXPRESSIONS = [
    'unread = "yes"',
    'title =~ "flood|storm"',
    'tags # "t3" or feedtitle =~ "7"',
    '(title =~ "election" or content =~ "minister") and unread = "yes"',
]
QUERIES = [
    ("Unread", 'unread = "yes"'),
    ("Weather", 'title =~ "flood|storm"'),
    ("Politics", 'content =~ "minister" and age < 36500'),
]


async def measure(fn: Callable[[], Awaitable[object]], reps: int) -> float:
    await fn()  # warm-up
    cpu = []
    for _ in range(reps):
        c0 = time.process_time()
        await fn()
        cpu.append(time.process_time() - c0)
    return statistics.median(cpu)


async def run(reps: int) -> None:
    from tui.app import build_app
    from tui.core.config import Config, QueryConfig, ReaderConfig
    from tui.core.feeds.parse import parse_feed
    from tui.core.paths import resolve_paths
    from tui.core.store import Store
    from tui.jobs import query_counts
    from tui.sources import ALL, Filtered

    home = tempfile.mkdtemp(prefix="bench-filters-ui-")
    os.environ["NEWSWIRE_HOME"] = home
    paths = resolve_paths()
    paths.ensure()
    with Store(paths.database) as store:
        for f in range(50):
            feed, _ = store.add_feed(f"https://feed{f}.example/rss", tags=[f"t{f % 5}"])
            parsed = parse_feed(make_rss(f, items=200, host=f"feed{f}.example"), url=feed.url)
            store.apply_refresh(feed.id, checked_at=datetime.now(UTC), status="ok", error=None, parsed=parsed)
        store.set_read(list(range(1, 10_001, 3)))
        total = store.count_entries()
        config = Config(reader=ReaderConfig(refresh_on_start=False),
                        queries=tuple(QueryConfig(n, f) for n, f in QUERIES))
        app = build_app(paths, config, store)
        async with app.run_test(size=(160, 48)) as pilot:
            main = app.main
            await pilot.pause(0.5)

            def busy() -> bool:
                running = [w for w in app.workers if w.group == "entries" and not w.is_finished]
                return bool(running) or not main.table.loaded

            async def list_all() -> None:
                main.show_source(ALL)
                while len(main.table.entries) < total or busy():
                    await asyncio.sleep(0.005)

            # Every run starts from All articles fully listed and the app idle.
            first_cpu = []
            for _ in range(reps + 1):
                await list_all()
                c0 = time.process_time()
                main.show_source(ALL)  # the first screenful now (the rest follows from a thread)
                first_cpu.append(time.process_time() - c0)
            peer = statistics.median(first_cpu[1:])
            print(f"## {total} entries, median of {reps}")
            print()
            print("| what | rows | on the UI thread (old way), CPU ms | F now: UI thread held, ms "
                  "| F now: wall ms until the matches are listed |")
            print("|---|---|---|---|---|")
            print(f"| All articles' first screenful (the peer) | {total} | {peer * 1e3:.1f} | | |")
            for text in EXPRESSIONS:
                sync_cpu, wall, blocked = [], [], []
                for _ in range(reps + 1):
                    await list_all()
                    # The old way: filter and list in one go on the UI thread.
                    c0 = time.process_time()
                    flt = Filtered(ALL, text)
                    main.table.set_entries(main._matching(flt), None, show_feed=True)
                    sync_cpu.append(time.process_time() - c0)
                    await list_all()
                    w0 = time.perf_counter()
                    main.apply_filter(text)
                    blocked.append(time.perf_counter() - w0)
                    while "match" not in str(main.table.border_title):
                        await asyncio.sleep(0.002)
                    wall.append(time.perf_counter() - w0)
                print(f"| filter `{text}` | {len(main.table.entries)} | {statistics.median(sync_cpu[1:]) * 1e3:.1f} "
                      f"| {statistics.median(blocked[1:]) * 1e3:.1f} | {statistics.median(wall[1:]) * 1e3:.1f} |")

            async def counts() -> None:
                await asyncio.to_thread(query_counts, main.services)

            async def plain() -> None:
                await asyncio.to_thread(store.entries)

            c_counts = await measure(counts, reps)
            c_plain = await measure(plain, reps)
            print()
            print("| what | CPU ms | × `Store.entries()` |")
            print("|---|---|---|")
            print(f"| `Store.entries()` (a plain listing of all {total}, the peer) | {c_plain * 1e3:.1f} | 1.00 |")
            print(f"| counts of {len(QUERIES)} query feeds (`jobs.query_counts`, off the UI thread) "
                  f"| {c_counts * 1e3:.1f} | {c_counts / c_plain:.2f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=7)
    args = parser.parse_args()
    print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    asyncio.run(run(args.reps))


if __name__ == "__main__":
    main()
