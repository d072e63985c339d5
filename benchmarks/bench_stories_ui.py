"""Stories in the app at 10,000 entries: the story list (S) against the flat list, and the "updated" marks query.

    python benchmarks/bench_stories_ui.py [--entries 10000] [--stories 1000] [--runs 9]

The store holds `--entries` entries over 50 feeds with distinct bodies; `--stories` wire stories are
each carried by three feeds (copies with a rewritten headline and a paragraph cut), grouped by the
real clustering. In one process with App.run_test(): from the call until every row is in the table,
for S (story list on: every entry and story read in a thread, one row per story) and for its peer,
the flat list listed again by the same screen call. The first paint is not measured here: the story list is off by default, and nothing of
it runs before the first paint (see bench_ui.py for that goal).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

WORDS = (
    "council harbour budget tram line minister river flood bridge school hospital election vote market "
    "price farmers harvest storm police court judge strike union workers factory port ship train airport "
    "mayor village city region government parliament opposition report inquiry water power energy road "
    "tax plan spring winter summer autumn week month year officials residents company bank trade talks"
).split()


def _para(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def make_store(home: Path, entries: int, stories: int, feeds: int = 50) -> float:
    """The store described above; returns the seconds the clustering took."""
    from tui.core.models import ParsedEntry, ParsedFeed
    from tui.core.paths import resolve_paths
    from tui.core.store import Store
    from tui.core.stories import update_stories

    rng = random.Random(14)
    paths = resolve_paths(home)
    paths.ensure()
    now = datetime.now(UTC)
    per_feed: dict[int, list[ParsedEntry]] = {f: [] for f in range(feeds)}
    n = 0

    def add(feed: int, title: str, paragraphs: list[str]) -> None:
        nonlocal n
        body = "".join(f"<p>{p}</p>" for p in paragraphs)
        per_feed[feed].append(ParsedEntry(
            guid=f"e{n}", title=title, link=f"https://news.example/{feed}/{n}", author="Desk",
            published=now - timedelta(minutes=n), summary=paragraphs[0][:200], content=body, content_hash=f"h{n}",
        ))
        n += 1

    for s in range(stories):
        paragraphs = [_para(rng, 40)] + [_para(rng, 30) for _ in range(5)]
        for copy, feed in enumerate(rng.sample(range(feeds), 3)):
            kept = paragraphs if copy == 0 else paragraphs[: 6 - copy]
            add(feed, f"Story {s}, version {copy}: {' '.join(rng.choice(WORDS) for _ in range(6))}", kept)
    while n < entries:
        add(rng.randrange(feeds), f"Alone {n}: {' '.join(rng.choice(WORDS) for _ in range(6))}",
            [_para(rng, 40)] + [_para(rng, 30) for _ in range(4)])
    with Store(paths.database) as store:
        for f in range(feeds):
            feed, _ = store.add_feed(f"https://feeds.example/{f}.xml")
            parsed = ParsedFeed(kind="rss", title=f"Feed {f}", entries=tuple(per_feed[f]))
            store.apply_refresh(feed.id, checked_at=now, status="ok", error=None, parsed=parsed,
                                next_due=now + timedelta(days=1))
        started = time.process_time()
        update_stories(store)
        return time.process_time() - started


async def measure(home: Path, runs: int) -> dict[str, list[float]]:
    from tui.app import build_app
    from tui.core.config import Config, ReaderConfig
    from tui.core.paths import resolve_paths
    from tui.core.store import Store
    from tui.sources import ALL

    paths = resolve_paths(home)
    store = Store(paths.database)
    app = build_app(paths, Config(reader=ReaderConfig(refresh_on_start=False)), store)
    results: dict[str, list[float]] = {
        "stories": [], "flat": [], "stories_cpu": [], "flat_cpu": [], "updated_query": [], "stories_first": []
    }
    async with app.run_test(size=(160, 48)) as pilot:
        main = app.main
        total = store.count_entries()
        await pilot.pause(1.0)
        for _ in range(runs):
            # Peer: the flat list, every row loaded (what the story list has to read anyway).
            started, cpu = time.perf_counter(), time.process_time()
            main.show_source(ALL)
            while not main.table.loaded or len(main.table.entries) < total:
                await asyncio.sleep(0.001)
            await pilot.pause()
            results["flat"].append(time.perf_counter() - started)
            results["flat_cpu"].append(time.process_time() - cpu)
            started, cpu = time.perf_counter(), time.process_time()
            # The screen's action, not pilot.press: a press returns only once the app is idle,
            # which is after the last chunk of rows, and the first screenful would not be seen.
            main.action_toggle_stories()
            while not main.table.stories:
                await asyncio.sleep(0.001)
            results["stories_first"].append(time.perf_counter() - started)
            while not main.table.loaded:
                await asyncio.sleep(0.001)
            await pilot.pause()
            results["stories"].append(time.perf_counter() - started)
            results["stories_cpu"].append(time.process_time() - cpu)
            await pilot.press("S")
            await pilot.pause()
            started = time.perf_counter()
            store.changed_ids()
            results["updated_query"].append(time.perf_counter() - started)
        rows = len(main.table.entries)
        await pilot.press("S")
        await pilot.pause()
        story_rows = len(main.table.entries)
        grouped = len(main.table.stories or {})
    print(f"rows: flat {rows}, story list {story_rows} ({grouped} story rows)")
    store.close()
    return results


def main_() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--stories", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        os.environ["NEWSWIRE_HOME"] = str(home)
        cpu = make_store(home, args.entries, args.stories)
        print(f"{args.entries} entries, {args.stories} stories × 3 copies; clustering from scratch: {cpu:.2f} s CPU")
        results = asyncio.run(measure(home, args.runs))
    med = statistics.median
    flat, stories = med(results["flat"]), med(results["stories"])
    flat_cpu, stories_cpu = med(results["flat_cpu"]), med(results["stories_cpu"])
    print(f"list shown with every row, median of {args.runs} (wall / CPU of the process):")
    print(f"  flat list (peer):   {flat * 1000:7.1f} ms / {flat_cpu * 1000:7.1f} ms CPU")
    print(f"  story list (S):     {stories * 1000:7.1f} ms / {stories_cpu * 1000:7.1f} ms CPU"
          f"   ratio {stories / flat:.2f} wall, {stories_cpu / flat_cpu:.2f} CPU")
    print(f"  story list, first screenful (S → rows, before the rest load): {med(results['stories_first']) * 1000:.1f} ms")
    print(f"  'updated' marks query (after the first paint): {med(results['updated_query']) * 1000:.1f} ms")


if __name__ == "__main__":
    main_()
