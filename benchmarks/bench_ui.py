"""UI benchmark: first painted entry list vs a bare Textual app, article open time, memory, at 10,000 entries.

    python benchmarks/bench_ui.py [--runs 7] [--entries 10000] [--opens 30]

Start-up is measured in fresh subprocesses (import, build, first paint of the table with rows),
alternating the bare app and Newswire; article opens in one process with App.run_test().
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SIZE = (160, 48)


def make_store(home: Path, entries: int, feeds: int = 50) -> None:
    """A store of `entries` entries over `feeds` feeds, each with full HTML content, via the Store API."""
    from tui.core.models import ParsedEntry, ParsedFeed
    from tui.core.paths import resolve_paths
    from tui.core.store import Store

    paths = resolve_paths(home)
    paths.ensure()
    now = datetime.now(UTC)
    per_feed = entries // feeds
    with Store(paths.database) as store:
        for f in range(feeds):
            feed, _ = store.add_feed(f"https://feeds.example/{f}.xml", tags=[f"tag{f % 5}"])
            items = []
            for i in range(per_feed):
                n = f * per_feed + i
                body = "".join(
                    f"<p>Paragraph {p} of story {n}: “We will keep going,” said Maria Lopez in Madrid, "
                    f"where the council met on Tuesday to discuss the harbour budget and the new tram line "
                    f"to Valencia, which officials say will open next spring.</p>"
                    for p in range(8)
                )
                items.append(ParsedEntry(
                    guid=f"{f}-{i}", title=f"Story {n}: council weighs the harbour budget and tram line",
                    link=f"https://news.example/{f}/{i}", author="Desk",
                    published=now - timedelta(minutes=n), summary=body[:200], content=body,
                    content_hash=f"h{n}",
                ))
            parsed = ParsedFeed(kind="rss", title=f"Feed {f}", entries=tuple(items))
            store.apply_refresh(feed.id, checked_at=now, status="ok", error=None, parsed=parsed,
                                next_due=now + timedelta(days=1))


BARE = """
import sys, time, os
from textual.app import App
from textual.widgets import DataTable, Footer, Header
start = float(os.environ["BENCH_START"])
class Bare(App):
    def compose(self):
        yield Header(); yield DataTable(); yield Footer()
    def on_mount(self):
        table = self.query_one(DataTable)
        table.add_columns("date", "title")
        table.add_row("2024-01-01", "one row")
        self.call_after_refresh(self.done)
    def done(self):
        print(f"PAINT {time.time() - start:.4f}")
        self.exit()
Bare().run(headless=True, size=(160, 48))
"""

NEWSWIRE = """
import sys, time, os
sys.path.insert(0, os.environ["BENCH_ROOT"])
start = float(os.environ["BENCH_START"])
from tui.app import build_app
from tui.core.config import Config, ReaderConfig
from tui.core.paths import resolve_paths
from tui.core.store import Store
import tui.screens.main as main
mounted = main.MainScreen.on_mount
def on_mount(self):
    # Queued before the screen fills the table, so it runs right after the first paint of the rows.
    self.call_after_refresh(painted, self)
    mounted(self)
    assert self.table.row_count > 0
def painted(self):
    print(f"PAINT {time.time() - start:.4f}")
    self.set_interval(0.01, lambda: loaded(self))
def loaded(self):
    if self.table.loaded and len(self.table.entries) >= int(os.environ["BENCH_ENTRIES"]):
        rss = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmRSS"))
        print(f"LOADED {time.time() - start:.4f}")
        print(f"RSS_MB {rss / 1024:.1f}")
        self.app.exit()
main.MainScreen.on_mount = on_mount
paths = resolve_paths()
config = Config(reader=ReaderConfig(refresh_on_start=False))
app = build_app(paths, config, Store(paths.database))
app.run(headless=True, size=(160, 48))
"""


def run_child(code: str, env: dict[str, str]) -> dict[str, float]:
    env = {**os.environ, **env, "BENCH_START": repr(time.time())}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    values = {}
    for line in out.stdout.splitlines():
        if " " in line:
            key, value = line.split(" ", 1)
            values[key] = float(value)
    if "PAINT" not in values:
        raise SystemExit(f"child failed:\n{out.stdout}\n{out.stderr}")
    return values


async def measure_opens(home: Path, opens: int) -> tuple[list[float], list[float]]:
    """Key press → article and sidebar painted: first opens (cleaned now), then cached re-opens."""
    import tui.screens.main as main
    from tui.app import build_app
    from tui.core.config import Config, ReaderConfig
    from tui.core.paths import resolve_paths
    from tui.core.store import Store

    stamps: dict[str, float] = {}
    # The screen's handler of a loaded article (named after its message: ReadingReady, formerly ArticleReady).
    handler = "on_reading_ready" if hasattr(main.MainScreen, "on_reading_ready") else "on_article_ready"
    ready = getattr(main.MainScreen, handler)

    def on_ready(self, message) -> None:  # type: ignore[no-untyped-def]
        ready(self, message)
        self.call_after_refresh(lambda: stamps.__setitem__("painted", time.perf_counter()))

    setattr(main.MainScreen, handler, on_ready)
    paths = resolve_paths(home)
    app = build_app(paths, Config(reader=ReaderConfig(refresh_on_start=False)), Store(paths.database))
    results: dict[str, list[float]] = {"first": [], "cached": []}
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(1.5)  # the warm-up (gazetteer, cleaner) is done before the first open
        for kind in ("first", "cached"):
            await pilot.press("g")
            for _ in range(opens):
                stamps.clear()
                started = time.perf_counter()
                await pilot.press("enter")
                while "painted" not in stamps:
                    await asyncio.sleep(0.001)
                results[kind].append(stamps["painted"] - started)
                await pilot.press("q", "j")
    return results["first"], results["cached"]


def main_() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--opens", type=int, default=30)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        started = time.perf_counter()
        make_store(home, args.entries)
        print(f"store with {args.entries} entries made in {time.perf_counter() - started:.1f} s")
        env = {"NEWSWIRE_HOME": str(home), "BENCH_ROOT": str(ROOT), "BENCH_ENTRIES": str(args.entries)}
        # Gazetteer and byte-code caches are filled once, outside the timed runs.
        run_child(NEWSWIRE, env)
        bare, ours, loaded, rss = [], [], [], []
        for _ in range(args.runs):
            bare.append(run_child(BARE, env)["PAINT"])
            values = run_child(NEWSWIRE, env)
            ours.append(values["PAINT"])
            loaded.append(values["LOADED"])
            rss.append(values["RSS_MB"])
        os.environ["NEWSWIRE_HOME"] = str(home)
        first, cached = asyncio.run(measure_opens(home, args.opens))

    med = statistics.median
    print(f"first painted entry list, median of {args.runs} (process start → table painted):")
    print(f"  bare Textual app (Header + 1-row DataTable + Footer): {med(bare) * 1000:7.1f} ms")
    print(f"  newswire, {args.entries} entries:                       {med(ours) * 1000:7.1f} ms")
    print(f"  ratio: {med(ours) / med(bare):.2f} (target ≤ 2)")
    print(f"  all {args.entries} rows in the table: {med(loaded) * 1000:.1f} ms")
    print(f"memory with {args.entries} entries listed: median RSS {med(rss):.1f} MB, max {max(rss):.1f} MB (target ≤ 200)")
    print(f"open an article (key → article and sidebar painted), {args.opens} opens each:")
    print(f"  first open (clean from the feed's HTML, quotes, places): median {med(first) * 1000:.1f} ms")
    print(f"  cached cleaned article:                                    median {med(cached) * 1000:.1f} ms (target ≤ 100)")


if __name__ == "__main__":
    main_()
