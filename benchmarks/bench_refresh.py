"""Refresh benchmark: newswire vs newsboat, cold and warm, wall time and CPU of the process tree.

Run from the repository root:

    python benchmarks/bench_refresh.py [--feeds 50,200,1000,2000] [--reps 5] [--latency 0.1] [--load]
                                       [--json FILE] [--svg FILE] [--extras]
    python benchmarks/bench_refresh.py --plot-from A.json B.json --svg FILE

For each feed count, a separate server process binds 127.0.0.1–127.0.0.50 on one port and answers
every feed request (25 items, ~35 KB) after `--latency` seconds, with ETag/Last-Modified (so a
conditional GET gets a 304). Each rep starts both programs from an empty database and alternates
them. newswire is timed as the real command (`python . refresh`, interpreter start-up included),
like newsboat (`newsboat -x reload`); CPU is user+sys of the command's whole process tree
(getrusage of reaped children, so parse workers count). newsboat sends conditional headers only
from its third reload, so its warm figure is that third reload; the server's counters confirm both
warm runs were all 304s. `--load` runs `yes > /dev/null` (one busy core) throughout.
`--svg` draws the scaling plot (wall and CPU against feed count, both programs).
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import resource
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from email.utils import formatdate
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO))

from feedgen import make_rss

HOSTS = 50
# Every item carries its full text (at least this many words): a full-text feed, as newsboat
# reads it. Shorter items would count as teasers and newswire would fetch their pages after the
# refresh (prefetch, on by default), which newsboat does not do; those pages are on hosts that
# do not exist, so the benchmark would time DNS failures instead of the refresh.
FULL_TEXT_WORDS = 100


def host_of(i: int) -> str:
    return f"127.0.0.{1 + i % HOSTS}"


def feed_urls(port: int, feeds: int) -> list[str]:
    return [f"http://{host_of(i)}:{port}/feed/{i}.xml" for i in range(feeds)]


# -- the server (its own process) ------------------------------------------------------------------


async def serve(port: int, feeds: int, items: int, latency: float, min_words: int = FULL_TEXT_WORDS) -> None:
    bodies = {f"/feed/{i}.xml": make_rss(i, items, host=f"news{i % HOSTS}.example.com", min_words=min_words)
              for i in range(feeds)}
    etags = {p: '"' + hashlib.sha1(b).hexdigest()[:16] + '"' for p, b in bodies.items()}
    modified = formatdate(1717200000, usegmt=True)
    stats: Counter[str] = Counter()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                line = await reader.readline()
                if not line:
                    break
                path = line.split()[1].decode()
                headers = {}
                while (raw := await reader.readline()) not in (b"\r\n", b"\n", b""):
                    name, _, value = raw.decode("latin-1").partition(":")
                    headers[name.strip().lower()] = value.strip()
                if path.startswith("/__"):
                    status, extra, body = 200, {"Content-Type": "application/json"}, json.dumps(stats).encode()
                    if path == "/__reset":
                        stats.clear()
                else:
                    await asyncio.sleep(latency)
                    body = bodies.get(path, b"")
                    etag = etags.get(path)
                    if not body:
                        status, extra = 404, {}
                    elif headers.get("if-none-match") == etag or headers.get("if-modified-since") == modified:
                        status, extra, body = 304, {"ETag": etag, "Last-Modified": modified}, b""
                    else:
                        status, extra = 200, {
                            "Content-Type": "application/rss+xml; charset=utf-8",
                            "ETag": etag,
                            "Last-Modified": modified,
                        }
                    stats[str(status)] += 1
                    stats["conditional"] += bool(headers.get("if-none-match") or headers.get("if-modified-since"))
                head = [f"HTTP/1.1 {status} {'OK' if status == 200 else 'X'}", f"Content-Length: {len(body)}"]
                head += [f"{k}: {v}" for k, v in extra.items()]
                writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)
                await writer.drain()
                if headers.get("connection", "").lower() == "close":
                    break
        except (ConnectionError, IndexError):
            pass
        finally:
            writer.close()

    servers = [await asyncio.start_server(handle, f"127.0.0.{h}", port, backlog=512) for h in range(1, HOSTS + 1)]
    print("ready", flush=True)
    await asyncio.gather(*(s.serve_forever() for s in servers))


# -- the runs --------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def control(port: int, path: str) -> dict[str, int]:
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    return json.loads(data.split(b"\r\n\r\n", 1)[1] or b"{}")


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the command's process tree)."""
    cpu = _children_cpu()
    started = time.perf_counter()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    cpu = _children_cpu() - cpu
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{cmd[0]} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return elapsed, cpu


def newswire_run(port: int, urls: list[str], work: Path) -> dict[str, float]:
    home = work / "newswire"
    home.mkdir()
    # An installed newswire runs from compiled bytecode: an inherited PYTHONDONTWRITEBYTECODE would
    # make every run compile the checkout's modules again (~40 ms CPU), a cost no user pays.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["NEWSWIRE_HOME"] = str(home)
    (work / "urls").write_text("\n".join(urls) + "\n")
    cli = [sys.executable, str(REPO / "__main__.py")]
    subprocess.run([*cli, "import", str(work / "urls")], env=env, check=True, capture_output=True)
    control(port, "/__reset")
    cold, cold_cpu = timed([*cli, "refresh"], env)
    cold_stats = control(port, "/__reset")
    warm, warm_cpu = timed([*cli, "refresh", "--force"], env)
    warm_stats = control(port, "/__reset")
    with sqlite3.connect(home / "newswire.db") as db:
        stored = db.execute("SELECT COUNT(*) FROM entries").fetchone()[0]
    return {"cold": cold, "warm": warm, "cold_cpu": cold_cpu, "warm_cpu": warm_cpu, "stored": stored,
            "cold_200": cold_stats.get("200", 0), "warm_304": warm_stats.get("304", 0)}


def newsboat_run(port: int, urls: list[str], work: Path) -> dict[str, float]:
    home = work / "newsboat"
    home.mkdir()
    (home / "urls").write_text("\n".join(urls) + "\n")
    (home / "config").write_text("reload-threads 20\n")
    env = {**os.environ, "HOME": str(home), "TERM": os.environ.get("TERM", "xterm")}
    cmd = ["newsboat", "-u", str(home / "urls"), "-c", str(home / "cache.db"), "-C", str(home / "config"),
           "-x", "reload"]
    control(port, "/__reset")
    cold, cold_cpu = timed(cmd, env)
    cold_stats = control(port, "/__reset")
    second, _ = timed(cmd, env)
    second_stats = control(port, "/__reset")
    third, third_cpu = timed(cmd, env)
    third_stats = control(port, "/__reset")
    with sqlite3.connect(home / "cache.db") as db:
        stored = db.execute("SELECT COUNT(*) FROM rss_item").fetchone()[0]
    return {"cold": cold, "warm": third, "cold_cpu": cold_cpu, "warm_cpu": third_cpu, "second": second,
            "stored": stored, "cold_200": cold_stats.get("200", 0), "second_304": second_stats.get("304", 0),
            "warm_304": third_stats.get("304", 0)}


async def in_process(port: int, urls: list[str], work: Path, parse_workers: int | None) -> float:
    """Cold refresh inside this process, to compare parsing in worker processes with a thread."""
    from tui.core.feeds.fetch import Fetcher
    from tui.core.feeds.refresh import refresh_feeds
    from tui.core.store import Store

    with Store(work / f"inproc-{parse_workers}.db") as store:
        for url in urls:
            store.add_feed(url)
        async with Fetcher() as fetcher:
            started = time.perf_counter()
            report = await refresh_feeds(store, fetcher, parse_workers=parse_workers)
            elapsed = time.perf_counter() - started
        assert report.new_entries == 25 * len(urls), report.summary_lines()
    return elapsed


def parse_cpu(feeds: int, items: int) -> tuple[float, float, float]:
    """CPU ms per feed: parse_feed (ours), and feedparser alone with its defaults."""
    import io

    import feedparser

    from tui.core.feeds.parse import parse_feed

    bodies = [make_rss(i, items, host=f"news{i % HOSTS}.example.com", min_words=FULL_TEXT_WORDS) for i in range(feeds)]
    parse_feed(bodies[0], url="http://x/")  # imports and caches warmed
    ours, default = [], []
    for i, body in enumerate(bodies):
        t = time.process_time()
        parse_feed(body, url=f"http://{host_of(i)}/feed/{i}.xml")
        ours.append(time.process_time() - t)
        t = time.process_time()
        feedparser.parse(io.BytesIO(body), response_headers={"content-type": "application/rss+xml"})
        default.append(time.process_time() - t)
    size = statistics.mean(len(b) for b in bodies) / 1024
    return statistics.median(ours) * 1000, statistics.median(default) * 1000, size


KEYS = ("cold", "warm", "cold_cpu", "warm_cpu")


def spread(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} ({min(values):.2f}–{max(values):.2f})"


def run_size(args: argparse.Namespace, feeds: int) -> dict[str, object]:
    """All reps at one feed count; returns medians, spreads and ratios."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, __file__, "--serve", str(port), "--feeds", str(feeds), "--items",
         str(args.items), "--latency", str(args.latency)],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert server.stdout is not None and server.stdout.readline().strip() == "ready"
        urls = feed_urls(port, feeds)
        expected = feeds * args.items
        rows: dict[str, list[dict[str, float]]] = {"newswire": [], "newsboat": []}
        for rep in range(args.reps):
            with tempfile.TemporaryDirectory(prefix="bench-refresh-") as tmp:
                work = Path(tmp)
                # Alternate which program goes first, so neither always meets a warmer machine.
                order = ("newswire", "newsboat") if rep % 2 == 0 else ("newsboat", "newswire")
                for name in order:
                    runner = newswire_run if name == "newswire" else newsboat_run
                    rows[name].append(runner(port, urls, work))
            print(f"  {feeds} feeds rep {rep + 1}: " + "; ".join(
                f"{name} cold {r[-1]['cold']:.2f} s/{r[-1]['cold_cpu']:.2f} s CPU, warm {r[-1]['warm']:.2f} s/"
                f"{r[-1]['warm_cpu']:.2f} s CPU, stored {r[-1]['stored']}" for name, r in rows.items()), flush=True)
        result: dict[str, object] = {"feeds": feeds, "expected": expected, "reps": args.reps}
        for name, runs in rows.items():
            result[name] = {k: [r[k] for r in runs] for k in (*KEYS, "stored", "cold_200", "warm_304")}
        for key in KEYS:
            ours = statistics.median(r[key] for r in rows["newswire"])
            theirs = statistics.median(r[key] for r in rows["newsboat"])
            result[f"ratio_{key}"] = ours / theirs if theirs else float("inf")
        return result
    finally:
        server.terminate()
        server.wait()


def goals(r: dict[str, object]) -> list[str]:
    """Issue 13's refresh goals at this feed count, each with its verdict."""
    feeds = r["feeds"]
    nw = r["newswire"]
    assert isinstance(nw, dict)
    out = []
    for phase in ("cold", "warm"):
        ratio = r[f"ratio_{phase}"]
        out.append(f"{phase} wall {ratio:.2f}× newsboat (goal ≤ 0.5): {'met' if ratio <= 0.5 else 'NOT met'}")
        if feeds == 50:
            cpu = statistics.median(nw[f"{phase}_cpu"])
            limit = 0.8 if phase == "cold" else 0.35
            out.append(f"{phase} CPU {cpu:.2f} s (goal ≤ {limit} s): {'met' if cpu <= limit else 'NOT met'}")
        else:
            ratio = r[f"ratio_{phase}_cpu"]
            out.append(f"{phase} CPU {ratio:.2f}× newsboat (goal ≤ 0.6): {'met' if ratio <= 0.6 else 'NOT met'}")
    return out


def svg_plot(results: list[dict[str, object]], path: Path, title: str) -> None:
    """Wall and CPU seconds against feed count (log–log), both programs, cold and warm."""
    import math

    width, height, pad = 760, 420, 60
    series = []
    colours = {"newswire": "#1f77b4", "newsboat": "#d62728"}
    for name in ("newswire", "newsboat"):
        for key, dash in (("cold", ""), ("warm", "6,4"), ("cold_cpu", "2,3"), ("warm_cpu", "10,3,2,3")):
            pts = []
            for r in results:
                runs = r[name]
                assert isinstance(runs, dict)
                pts.append((float(r["feeds"]), max(statistics.median(runs[key]), 0.01)))
            series.append((f"{name} {key.replace('_cpu', ' CPU').replace('cold', 'cold').replace('warm', 'warm')}"
                           f"{'' if 'cpu' in key else ' wall'}", colours[name], dash, pts))
    xs = [p[0] for s in series for p in s[3]]
    ys = [p[1] for s in series for p in s[3]]
    x0, x1 = math.log10(min(xs)) - 0.05, math.log10(max(xs)) + 0.05
    y0, y1 = math.log10(min(ys)) - 0.1, math.log10(max(ys)) + 0.1
    fx = lambda x: pad + (math.log10(x) - x0) / (x1 - x0) * (width - 2 * pad - 160)  # noqa: E731
    fy = lambda y: height - pad - (math.log10(y) - y0) / (y1 - y0) * (height - 2 * pad)  # noqa: E731
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" '
             f'font-size="11"><rect width="100%" height="100%" fill="white"/>',
             f'<text x="{width / 2 - 80}" y="20" text-anchor="middle" font-size="13">{title}</text>',
             f'<line x1="{pad}" y1="{height - pad}" x2="{width - pad - 160}" y2="{height - pad}" stroke="black"/>',
             f'<line x1="{pad}" y1="{pad}" x2="{pad}" y2="{height - pad}" stroke="black"/>',
             f'<text x="{(width - 160) / 2}" y="{height - 20}" text-anchor="middle">feeds (log scale)</text>',
             f'<text x="15" y="{height / 2}" transform="rotate(-90 15 {height / 2})" text-anchor="middle">'
             "seconds (log scale)</text>"]
    for r in results:
        x = fx(float(r["feeds"]))
        parts.append(f'<text x="{x}" y="{height - pad + 15}" text-anchor="middle">{r["feeds"]}</text>')
    for exp in range(math.floor(y0), math.ceil(y1) + 1):
        for m in (1, 2, 5):
            y = m * 10.0 ** exp
            if y0 <= math.log10(y) <= y1:
                parts.append(f'<line x1="{pad - 4}" y1="{fy(y):.1f}" x2="{width - pad - 160}" y2="{fy(y):.1f}" '
                             f'stroke="#ddd"/><text x="{pad - 6}" y="{fy(y) + 4:.1f}" text-anchor="end">{y:g}</text>')
    for i, (label, colour, dash, pts) in enumerate(series):
        d = " ".join(f"{'M' if j == 0 else 'L'}{fx(x):.1f},{fy(y):.1f}" for j, (x, y) in enumerate(pts))
        parts.append(f'<path d="{d}" fill="none" stroke="{colour}" stroke-width="1.8" stroke-dasharray="{dash}"/>')
        for x, y in pts:
            parts.append(f'<circle cx="{fx(x):.1f}" cy="{fy(y):.1f}" r="2.5" fill="{colour}"/>')
        ly = pad + 16 * i
        parts.append(f'<line x1="{width - pad - 140}" y1="{ly}" x2="{width - pad - 110}" y2="{ly}" stroke="{colour}" '
                     f'stroke-width="1.8" stroke-dasharray="{dash}"/><text x="{width - pad - 105}" y="{ly + 4}">'
                     f"{label}</text>")
    parts.append("</svg>")
    path.write_text("\n".join(parts) + "\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--feeds", default="50,200,1000,2000", help="comma-separated feed counts")
    ap.add_argument("--items", type=int, default=25)
    ap.add_argument("--latency", type=float, default=0.1)
    ap.add_argument("--load", action="store_true", help="keep one core busy with `yes > /dev/null`")
    ap.add_argument("--json", type=Path, help="write all runs and medians here")
    ap.add_argument("--svg", type=Path, help="draw the scaling plot here")
    ap.add_argument("--extras", action="store_true", help="also parse CPU per feed and in-process refreshes")
    ap.add_argument("--plot-from", type=Path, nargs="+", metavar="JSON",
                    help="no runs: draw --svg from the --json files of earlier runs (e.g. one per size)")
    ap.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--serve-words", type=int, default=FULL_TEXT_WORDS, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.plot_from:
        merged = [r for path in args.plot_from for r in json.loads(path.read_text())["results"]]
        merged.sort(key=lambda r: r["feeds"])
        reps = sorted({r["reps"] for r in merged})
        svg_plot(merged, args.svg or Path("refresh_scaling.svg"),
                 f"refresh: medians of {'/'.join(map(str, reps))} runs")
        return
    if args.serve:
        asyncio.run(serve(args.serve, int(args.feeds), args.items, args.latency, args.serve_words))
        return
    if not shutil.which("newsboat"):
        raise SystemExit("newsboat is not installed (apt-get install newsboat)")
    sizes = [int(n) for n in args.feeds.split(",")]
    # As pip does on install: the first timed run must not be the one that compiles the modules.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "tui")], check=True,
                   env={k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"})
    load = subprocess.Popen(["yes"], stdout=subprocess.DEVNULL) if args.load else None
    try:
        print(f"{args.items} items per feed on {HOSTS} hosts, {args.latency * 1000:.0f} ms latency per response, "
              f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start"
              f"{', with yes > /dev/null on one core' if load else ''}; {args.reps} alternating reps", flush=True)
        if args.extras:
            ours_ms, default_ms, size_kb = parse_cpu(200, args.items)
            print(f"parse CPU per feed (median, {size_kb:.0f} KB): parse_feed {ours_ms:.2f} ms; "
                  f"feedparser with its defaults {default_ms:.2f} ms")
        results = []
        for n in sizes:
            results.append(run_size(args, n))
            # Written after each size, so a long run that is stopped still leaves its figures.
            if args.json:
                args.json.write_text(json.dumps(
                    {"args": {k: str(v) for k, v in vars(args).items()}, "results": results}, indent=1))
            if args.svg:
                svg_plot(results, args.svg, f"refresh: median of {args.reps} runs{' under load' if load else ''}")
        load_end = os.getloadavg()[0]
    finally:
        if load is not None:
            load.terminate()
            load.wait()
    print()
    print("| feeds | program | cold wall s | warm wall s | cold CPU s | warm CPU s | stored |")
    print("|---:|---|---|---|---|---|---|")
    for r in results:
        for name in ("newswire", "newsboat"):
            runs = r[name]
            assert isinstance(runs, dict)
            print(f"| {r['feeds']} | {name} | {spread(runs['cold'])} | {spread(runs['warm'])} | "
                  f"{spread(runs['cold_cpu'])} | {spread(runs['warm_cpu'])} | "
                  f"{sorted(set(runs['stored']))} of {r['expected']} (warm 304s {runs['warm_304'][-1]}) |")
        print(f"| {r['feeds']} | ratio | {r['ratio_cold']:.2f} | {r['ratio_warm']:.2f} | {r['ratio_cold_cpu']:.2f} | "
              f"{r['ratio_warm_cpu']:.2f} | |")
    print()
    for r in results:
        print(f"{r['feeds']} feeds: " + "; ".join(goals(r)))
    print(f"load average at the end: {load_end:.1f}")
    if args.extras:
        port = free_port()
        server = subprocess.Popen([sys.executable, __file__, "--serve", str(port), "--feeds", "200", "--items",
                                   str(args.items), "--latency", str(args.latency)], stdout=subprocess.PIPE, text=True)
        try:
            assert server.stdout is not None and server.stdout.readline().strip() == "ready"
            urls = feed_urls(port, 200)
            with tempfile.TemporaryDirectory(prefix="bench-refresh-") as tmp:
                threads = asyncio.run(in_process(port, urls, Path(tmp), parse_workers=0))
                procs = asyncio.run(in_process(port, urls, Path(tmp), parse_workers=None))
            print(f"in-process cold refresh of 200 feeds: parse in a thread {threads:.2f} s, "
                  f"in worker processes {procs:.2f} s")
        finally:
            server.terminate()
            server.wait()


if __name__ == "__main__":
    main()
