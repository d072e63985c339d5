"""UI benchmark: first painted entry list vs a bare Textual app, memory, article opens; start-up at several sizes.

    python benchmarks/bench_ui.py [--runs 7] [--sizes 10000] [--opens 30] [--svg FILE]
    python benchmarks/bench_ui.py --runs 5 --sizes 1000,10000,100000 --opens 15 --svg benchmarks/ui_scaling.svg
    python benchmarks/bench_ui.py --runs 7 --sizes 10000,100000 --opens 0 --stories   # `[reader] stories = true`

Start-up is measured in fresh subprocesses (import, build, first paint of the table with rows),
alternating the bare app and Newswire, at each size of `--sizes`; wall time from process start
and the process's CPU time (user+sys) at the first paint (a callback queued with call_after_refresh
when the table is filled), RSS once every entry is listed. The same runs also time the first frame
that writes the table's first row (Textual drops a frame made inside a batch; headless, the frame
is made but not sent to a terminal): what the user sees, where the callback can come earlier or
later than it. Article
opens run in one process with App.run_test(), in the store of `--opens-at` entries (default: the
size closest to 10,000). With several sizes, a Markdown table is printed and `--svg` draws it.
`--stories`: three of every ten entries of each feed are copies of a story carried by three feeds (29 %
of the archive), and Newswire
starts with `[reader] stories = true` (one row per story); "all listed" waits for the story rows.
Children may write byte-code caches (the first, untimed run fills them) even when
PYTHONDONTWRITEBYTECODE is set; BENCH_COMPILE=1 keeps it, to time compiling too.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import re
import sqlite3
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
CHILD_TIMEOUT = 600


def make_store(home: Path, entries: int, feeds: int = 50, stories: bool = False) -> int:
    """A store of `entries` entries over `feeds` feeds, each with full HTML content; returns the rows
    its list has (with `stories`, three copies in three feeds make one row).

    Feeds go through the Store API; entries and their search rows are written in one transaction
    (executemany), as a refresh would leave them: 100,000 entries in seconds, not minutes.
    """
    from tui.core.models import ParsedFeed
    from tui.core.paths import resolve_paths
    from tui.core.store import Store

    paths = resolve_paths(home)
    paths.ensure()
    now = datetime.now(UTC)
    per_feed = max(1, entries // feeds)
    with Store(paths.database) as store:
        ids = []
        for f in range(feeds):
            feed, _ = store.add_feed(f"https://feeds.example/{f}.xml", tags=[f"tag{f % 5}"])
            store.apply_refresh(feed.id, checked_at=now, status="ok", error=None,
                                parsed=ParsedFeed(kind="rss", title=f"Feed {f}", entries=()),
                                next_due=now + timedelta(days=1))
            ids.append(feed.id)
    fetched = now.isoformat()
    tag = re.compile(r"<[^>]+>")

    def rows():  # type: ignore[no-untyped-def]
        for f, feed_id in enumerate(ids):
            for i in range(per_feed):
                n = f * per_feed + i
                if n >= entries:
                    return
                body = "".join(
                    f"<p>Paragraph {p} of story {n}: “We will keep going,” said Maria Lopez in Madrid, "
                    f"where the council met on Tuesday to discuss the harbour budget and the new tram line "
                    f"to Valencia, which officials say will open next spring.</p>"
                    for p in range(8)
                )
                title = f"Story {n}: council weighs the harbour budget and tram line"
                yield (feed_id, f"{f}-{i}", title, f"https://news.example/{f}/{i}", "Desk",
                       (now - timedelta(minutes=n)).isoformat(), body[:200], body, f"h{n}", fetched)

    conn = sqlite3.connect(paths.database)
    with conn:
        conn.executemany(
            """INSERT INTO entries (feed_id, guid, title, link, author, published, summary, content,
               content_hash, fetched_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", rows())
        conn.executemany(
            "INSERT INTO search (rowid, title, body) VALUES (?, ?, ?)",
            ((row_id, title, tag.sub(" ", summary + " " + content))
             for row_id, title, summary, content in conn.execute("SELECT id, title, summary, content FROM entries")))
        if stories:
            # Stories as the stories pass leaves them (the grouping itself is bench_stories' business):
            # the same three of every ten entries in each of three neighbouring feeds are one story.
            conn.executemany(
                "UPDATE entries SET story = ? WHERE id IN (?, ?, ?)",
                [(first, first, first + per_feed, first + 2 * per_feed)
                 for f in range(0, feeds - 2, 3) for i in range(per_feed) if i % 10 < 3
                 for first in (f * per_feed + i + 1,) if first + 2 * per_feed <= entries],
            )
    rows = entries - 2 * conn.execute("SELECT count(DISTINCT story) FROM entries WHERE story IS NOT NULL").fetchone()[0]
    conn.execute("PRAGMA optimize")
    conn.close()
    return rows


FRAME_HOOK = """
import textual.app as _app
from textual._compositor import ChopsUpdate as _Chops, LayoutUpdate as _Layout
_display = _app.App._display
_frame = {}
def _first_rows_written(self, screen, update):
    # Textual drops an update made inside a batch (App.batch_update) and writes nothing for None.
    _display(self, screen, update)
    if _frame or update is None or self._batch_count:
        return
    table = next((w for w in screen._compositor.visible_widgets if type(w).__name__ in ("DataTable", "EntryTable")), None)
    if table is None or not table.row_count:
        return
    x, y = table.content_region.x, table.content_region.y + 1  # the first row, under the header
    if isinstance(update, _Layout):
        written = update.region.contains(x, y)
    else:
        written = isinstance(update, _Chops) and any(sy == y and x1 <= x < x2 for sy, x1, x2 in update.spans)
    if written:
        cpu = os.times()
        _frame["wall"] = time.time() - start
        _frame["cpu"] = cpu.user + cpu.system
_app.App._display = _first_rows_written
def _print_frame():
    print(f"FRAME {_frame.get('wall', float('nan')):.4f}")
    print(f"FRAME_CPU {_frame.get('cpu', float('nan')):.4f}")
"""

BARE = """
import sys, time, os
start = float(os.environ["BENCH_START"])
from textual.app import App
from textual.widgets import DataTable, Footer, Header
""" + FRAME_HOOK + """
class Bare(App):
    def compose(self):
        yield Header(); yield DataTable(); yield Footer()
    def on_mount(self):
        table = self.query_one(DataTable)
        table.add_columns("date", "title")
        table.add_row("2024-01-01", "one row")
        self.call_after_refresh(self.done)
    def done(self):
        cpu = os.times()
        print(f"PAINT {time.time() - start:.4f}")
        print(f"CPU {cpu.user + cpu.system:.4f}")
        self.set_interval(0.01, self.framed)
    def framed(self):
        if _frame or time.time() - start > 60:
            _print_frame()
            self.exit()
Bare().run(headless=True, size=(160, 48))
"""

NEWSWIRE = """
import sys, time, os
start = float(os.environ["BENCH_START"])
# The checkout's `tui` package, without putting the checkout first on sys.path: an entry there
# is looked in for every module imported after it (Textual's, Rich's and the stdlib's, ~300),
# ~3-4 ms of CPU the bare app does not pay (an installed newswire adds no such entry either).
import importlib.util
_spec = importlib.util.spec_from_file_location("tui", os.path.join(os.environ["BENCH_ROOT"], "tui", "__init__.py"))
sys.modules["tui"] = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(sys.modules["tui"])
""" + FRAME_HOOK + """
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
    cpu = os.times()
    print(f"PAINT {time.time() - start:.4f}")
    print(f"CPU {cpu.user + cpu.system:.4f}")
    self.set_interval(0.01, lambda: loaded(self))
def status(key):
    return next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith(key)) / 1024
def loaded(self):
    # Every entry listed and the warm-up after the first paint (gazetteer, cleaner) done.
    listed = self.table.loaded and len(self.table.entries) >= int(os.environ.get("BENCH_ROWS") or os.environ["BENCH_ENTRIES"])
    capped = time.time() - start > float(os.environ.get("BENCH_LOAD_CAP", "120"))
    if (listed and _frame and not any(w.is_running for w in self.app.workers)) or capped:
        _print_frame()
        print(f"LOADED {time.time() - start if listed else float('nan'):.4f}")
        print(f"RSS_MB {status('VmRSS'):.1f}")
        print(f"HWM_MB {status('VmHWM'):.1f}")
        self.app.exit()
main.MainScreen.on_mount = on_mount
paths = resolve_paths()
config = Config(reader=ReaderConfig(refresh_on_start=False, stories=os.environ.get("BENCH_STORIES") == "1"))
app = build_app(paths, config, Store(paths.database))
app.run(headless=True, size=(160, 48))
"""


def run_child(code: str, env: dict[str, str]) -> dict[str, float]:
    env = {**os.environ, **env, "BENCH_START": repr(time.time())}
    # An installed newswire starts from byte-code compiled at install time, as Textual does here.
    # With PYTHONDONTWRITEBYTECODE set (some shells and sandboxes set it), every run compiled
    # the ~40 tui modules again (~0.1 s of CPU) and the bare app compiled none.
    if os.environ.get("BENCH_COMPILE") != "1":
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         timeout=CHILD_TIMEOUT)
    values = {}
    for line in out.stdout.splitlines():
        if " " in line:
            key, value = line.split(" ", 1)
            values[key] = float(value)
    if "PAINT" not in values:
        raise SystemExit(f"child failed:\n{out.stdout}\n{out.stderr}")
    return values


def measure_startup(home: Path, rows: int, runs: int, stories: bool = False) -> dict[str, list[float]]:
    """`runs` alternating pairs of fresh processes: the bare app, then Newswire listing `rows` rows."""
    env = {"NEWSWIRE_HOME": str(home), "BENCH_ROOT": str(ROOT), "BENCH_ROWS": str(rows),
           "BENCH_STORIES": "1" if stories else "0"}
    # Gazetteer and byte-code caches are filled once, outside the timed runs.
    run_child(NEWSWIRE, env)
    found: dict[str, list[float]] = {k: [] for k in ("bare", "bare_cpu", "ours", "ours_cpu", "loaded", "rss", "hwm",
                                                     "bare_frame", "bare_frame_cpu", "ours_frame", "ours_frame_cpu")}
    for _ in range(runs):
        bare = run_child(BARE, env)
        ours = run_child(NEWSWIRE, env)
        found["bare"].append(bare["PAINT"])
        found["bare_cpu"].append(bare["CPU"])
        found["ours"].append(ours["PAINT"])
        found["ours_cpu"].append(ours["CPU"])
        found["loaded"].append(ours.get("LOADED", math.nan))
        found["rss"].append(ours.get("RSS_MB", math.nan))
        found["hwm"].append(ours.get("HWM_MB", math.nan))
        for who, values in (("bare", bare), ("ours", ours)):
            found[f"{who}_frame"].append(values.get("FRAME", math.nan))
            found[f"{who}_frame_cpu"].append(values.get("FRAME_CPU", math.nan))
    return found


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


def spread(values: list[float], scale: float = 1.0, digits: int = 1) -> str:
    """median (min–max) of `values` times `scale`."""
    good = [v * scale for v in values if not math.isnan(v)]
    if not good:
        return "–"
    return f"{statistics.median(good):.{digits}f} ({min(good):.{digits}f}–{max(good):.{digits}f})"


def ratios(found: dict[str, list[float]], ours: str, bare: str) -> list[float]:
    """Each run's own ratio (the pair ran back to back, under the same load)."""
    return [o / b for o, b in zip(found[ours], found[bare], strict=True)]


def svg_plot(results: dict[int, dict[str, list[float]]], path: Path, title: str) -> None:
    """Start-up (wall and CPU to the first painted list) and memory against the number of entries."""
    width, height, pad, legend = 760, 420, 60, 190
    sizes = sorted(results)
    med = statistics.median
    series = [
        ("newswire, wall to first paint (ms)", "#1f77b4", "", [med(results[n]["ours"]) * 1000 for n in sizes]),
        ("bare Textual app, wall (ms)", "#7f7f7f", "", [med(results[n]["bare"]) * 1000 for n in sizes]),
        ("newswire, CPU to first paint (ms)", "#1f77b4", "6,4", [med(results[n]["ours_cpu"]) * 1000 for n in sizes]),
        ("bare Textual app, CPU (ms)", "#7f7f7f", "6,4", [med(results[n]["bare_cpu"]) * 1000 for n in sizes]),
        ("newswire RSS, all listed (MB)", "#d62728", "2,3", [med(results[n]["rss"]) for n in sizes]),
    ]
    ys = [y for _, _, _, pts in series for y in pts if not math.isnan(y)]
    x0, x1 = math.log10(min(sizes)) - 0.1, math.log10(max(sizes)) + 0.1
    y0, y1 = 0.0, max(ys) * 1.1
    plot_right = width - pad - legend

    def fx(x: float) -> float:
        return pad + (math.log10(x) - x0) / (x1 - x0) * (plot_right - pad)

    def fy(y: float) -> float:
        return height - pad - (y - y0) / (y1 - y0) * (height - 2 * pad)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" '
             f'font-size="11"><rect width="100%" height="100%" fill="white"/>',
             f'<text x="{(pad + plot_right) / 2}" y="20" text-anchor="middle" font-size="13">{title}</text>',
             f'<line x1="{pad}" y1="{height - pad}" x2="{plot_right}" y2="{height - pad}" stroke="black"/>',
             f'<line x1="{pad}" y1="{pad}" x2="{pad}" y2="{height - pad}" stroke="black"/>',
             f'<text x="{(pad + plot_right) / 2}" y="{height - 20}" text-anchor="middle">entries (log scale)</text>',
             f'<text x="15" y="{height / 2}" transform="rotate(-90 15 {height / 2})" text-anchor="middle">'
             "ms / MB</text>"]
    for n in sizes:
        parts.append(f'<text x="{fx(n):.1f}" y="{height - pad + 15}" text-anchor="middle">{n:,}</text>')
    raw = y1 / 6  # about six grid lines
    magnitude = 10 ** math.floor(math.log10(raw))
    step = magnitude * (1 if raw / magnitude < 2 else 2 if raw / magnitude < 5 else 5)
    tick = 0.0
    while tick <= y1:
        parts.append(f'<line x1="{pad - 4}" y1="{fy(tick):.1f}" x2="{plot_right}" y2="{fy(tick):.1f}" stroke="#ddd"/>'
                     f'<text x="{pad - 6}" y="{fy(tick) + 4:.1f}" text-anchor="end">{tick:g}</text>')
        tick += step
    for i, (label, colour, dash, pts) in enumerate(series):
        xy = [(fx(n), fy(y)) for n, y in zip(sizes, pts, strict=True) if not math.isnan(y)]
        d = " ".join(f"{'M' if j == 0 else 'L'}{x:.1f},{y:.1f}" for j, (x, y) in enumerate(xy))
        parts.append(f'<path d="{d}" fill="none" stroke="{colour}" stroke-width="1.8" stroke-dasharray="{dash}"/>')
        parts.extend(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{colour}"/>' for x, y in xy)
        ly = pad + 16 * i
        parts.append(f'<line x1="{plot_right + 10}" y1="{ly}" x2="{plot_right + 35}" y2="{ly}" stroke="{colour}" '
                     f'stroke-width="1.8" stroke-dasharray="{dash}"/><text x="{plot_right + 40}" y="{ly + 4}">'
                     f"{label}</text>")
    parts.append("</svg>")
    path.write_text("\n".join(parts) + "\n")


def main_() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--sizes", default="10000", help="entry counts, comma-separated (e.g. 1000,10000,100000)")
    parser.add_argument("--entries", type=int, help="one size (the same as --sizes N)")
    parser.add_argument("--opens", type=int, default=30, help="article opens of each kind (0: none)")
    parser.add_argument("--opens-at", type=int, help="the size whose store the opens use (default: nearest 10,000)")
    parser.add_argument("--svg", type=Path, help="draw the start-up scaling plot here")
    parser.add_argument("--stories", action="store_true",
                        help="29 %% of entries in stories, Newswire started with [reader] stories = true")
    args = parser.parse_args()
    sizes = [args.entries] if args.entries else [int(n) for n in args.sizes.split(",")]
    opens_at = args.opens_at or min(sizes, key=lambda n: abs(math.log10(n) - 4))
    load = os.getloadavg()
    print(f"load average at start: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; {os.cpu_count()} CPUs")

    results: dict[int, dict[str, list[float]]] = {}
    first: list[float] = []
    cached: list[float] = []
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            home = Path(tmp)
            started = time.perf_counter()
            rows = make_store(home, size, stories=args.stories)
            print(f"store with {size:,} entries made in {time.perf_counter() - started:.1f} s"
                  + (f" ({rows:,} rows with stories on)" if args.stories else ""), flush=True)
            results[size] = found = measure_startup(home, rows, args.runs, args.stories)
            print(f"  first paint: newswire {spread(found['ours'], 1000)} ms, bare {spread(found['bare'], 1000)} ms, "
                  f"ratio {spread(ratios(found, 'ours', 'bare'), digits=2)}; "
                  f"CPU ratio {spread(ratios(found, 'ours_cpu', 'bare_cpu'), digits=2)}", flush=True)
            print(f"  first rows written: newswire {spread(found['ours_frame'], 1000)} ms, "
                  f"bare {spread(found['bare_frame'], 1000)} ms, ratio {spread(ratios(found, 'ours_frame', 'bare_frame'), digits=2)}; "
                  f"CPU ratio {spread(ratios(found, 'ours_frame_cpu', 'bare_frame_cpu'), digits=2)}", flush=True)
            if size == opens_at and args.opens:
                os.environ["NEWSWIRE_HOME"] = str(home)
                first, cached = asyncio.run(measure_opens(home, args.opens))

    load = os.getloadavg()
    print(f"load average at end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print(f"\nstart-up, medians of {args.runs} alternating runs (min–max); process start → entry list painted:\n")
    print("| entries | bare app wall ms | newswire wall ms | wall ratio | bare CPU ms | newswire CPU ms | CPU ratio "
          "| all listed ms | RSS MB (all listed) | peak RSS MB |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for size, found in results.items():
        print(f"| {size:,} | {spread(found['bare'], 1000)} | {spread(found['ours'], 1000)} "
              f"| {spread(ratios(found, 'ours', 'bare'), digits=2)} | {spread(found['bare_cpu'], 1000)} "
              f"| {spread(found['ours_cpu'], 1000)} | {spread(ratios(found, 'ours_cpu', 'bare_cpu'), digits=2)} "
              f"| {spread(found['loaded'], 1000, 0)} | {spread(found['rss'])} | {spread(found['hwm'])} |")
    print("\nthe same runs, process start → first frame written with the first row (a frame made inside a batch is "
          "dropped by Textual, not written):\n")
    print("| entries | bare app wall ms | newswire wall ms | wall ratio | bare CPU ms | newswire CPU ms | CPU ratio |")
    print("|---|---|---|---|---|---|---|")
    for size, found in results.items():
        print(f"| {size:,} | {spread(found['bare_frame'], 1000)} | {spread(found['ours_frame'], 1000)} "
              f"| {spread(ratios(found, 'ours_frame', 'bare_frame'), digits=2)} | {spread(found['bare_frame_cpu'], 1000)} "
              f"| {spread(found['ours_frame_cpu'], 1000)} "
              f"| {spread(ratios(found, 'ours_frame_cpu', 'bare_frame_cpu'), digits=2)} |")
    print("\ngoals: ratio ≤ 1.3 at 10,000 entries, ≤ 1.5 at 100,000 with ≤ 150 MB")
    if first:
        print(f"\nopen an article at {opens_at:,} entries (key → article and sidebar painted), {args.opens} opens each:")
        print(f"  first open (clean from the feed's HTML, quotes, places): {spread(first, 1000)} ms (goal ≤ 100)")
        print(f"  cached cleaned article:                                  {spread(cached, 1000)} ms (goal ≤ 50)")
    if args.svg:
        svg_plot(results, args.svg, f"start-up by archive size: medians of {args.runs} runs (load {load[0]:.1f})")
        print(f"plot: {args.svg}")


if __name__ == "__main__":
    main_()
