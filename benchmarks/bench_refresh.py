"""Refresh benchmark: newswire vs newsboat on 200 feeds × 25 items over 50 loopback hosts, cold and warm.

Run from the repository root:

    python benchmarks/bench_refresh.py [--reps 3] [--feeds 200] [--latency 0.1]

A separate server process binds 127.0.0.1–127.0.0.50 on one port and answers every feed request
after `--latency` seconds, with ETag/Last-Modified (so a conditional GET gets a 304). Each run
starts from an empty database. newswire is timed as the real command (`python . refresh`,
interpreter start-up included), like newsboat (`newsboat -x reload`). newsboat sends conditional
headers only from its third reload, so its warm figure is that third reload; the server's
counters confirm both warm runs were all 304s.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
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

from feedgen import make_rss  # noqa: E402

HOSTS = 50


def host_of(i: int) -> str:
    return f"127.0.0.{1 + i % HOSTS}"


def feed_urls(port: int, feeds: int) -> list[str]:
    return [f"http://{host_of(i)}:{port}/feed/{i}.xml" for i in range(feeds)]


# -- the server (its own process) ------------------------------------------------------------------


async def serve(port: int, feeds: int, items: int, latency: float) -> None:
    bodies = {f"/feed/{i}.xml": make_rss(i, items, host=f"news{i % HOSTS}.example.com") for i in range(feeds)}
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


def timed(cmd: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{cmd[0]} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return elapsed


def newswire_run(port: int, urls: list[str], work: Path) -> dict[str, float]:
    home = work / "newswire"
    home.mkdir()
    env = {**os.environ, "NEWSWIRE_HOME": str(home)}
    (work / "urls").write_text("\n".join(urls) + "\n")
    cli = [sys.executable, str(REPO / "__main__.py")]
    subprocess.run([*cli, "import", str(work / "urls")], env=env, check=True, capture_output=True)
    control(port, "/__reset")
    cold = timed([*cli, "refresh"], env)
    cold_stats = control(port, "/__reset")
    warm = timed([*cli, "refresh", "--force"], env)
    warm_stats = control(port, "/__reset")
    with sqlite3.connect(home / "newswire.db") as db:
        stored = db.execute("SELECT COUNT(*) FROM entries").fetchone()[0]
    return {"cold": cold, "warm": warm, "stored": stored, "cold_200": cold_stats.get("200", 0),
            "warm_304": warm_stats.get("304", 0)}


def newsboat_run(port: int, urls: list[str], work: Path) -> dict[str, float]:
    home = work / "newsboat"
    home.mkdir()
    (home / "urls").write_text("\n".join(urls) + "\n")
    (home / "config").write_text("reload-threads 20\n")
    env = {**os.environ, "HOME": str(home), "TERM": os.environ.get("TERM", "xterm")}
    cmd = ["newsboat", "-u", str(home / "urls"), "-c", str(home / "cache.db"), "-C", str(home / "config"),
           "-x", "reload"]
    control(port, "/__reset")
    cold = timed(cmd, env)
    cold_stats = control(port, "/__reset")
    second = timed(cmd, env)
    second_stats = control(port, "/__reset")
    third = timed(cmd, env)
    third_stats = control(port, "/__reset")
    with sqlite3.connect(home / "cache.db") as db:
        stored = db.execute("SELECT COUNT(*) FROM rss_item").fetchone()[0]
    return {"cold": cold, "warm": third, "second": second, "stored": stored,
            "cold_200": cold_stats.get("200", 0), "second_304": second_stats.get("304", 0),
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

    bodies = [make_rss(i, items, host=f"news{i % HOSTS}.example.com") for i in range(feeds)]
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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--feeds", type=int, default=200)
    ap.add_argument("--items", type=int, default=25)
    ap.add_argument("--latency", type=float, default=0.1)
    ap.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.serve:
        asyncio.run(serve(args.serve, args.feeds, args.items, args.latency))
        return
    if not shutil.which("newsboat"):
        raise SystemExit("newsboat is not installed (apt-get install newsboat)")

    port = free_port()
    server = subprocess.Popen(
        [sys.executable, __file__, "--serve", str(port), "--feeds", str(args.feeds), "--items",
         str(args.items), "--latency", str(args.latency)],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert server.stdout is not None and server.stdout.readline().strip() == "ready"
        urls = feed_urls(port, args.feeds)
        expected = args.feeds * args.items
        ours_ms, default_ms, size_kb = parse_cpu(args.feeds, args.items)
        print(f"{args.feeds} feeds × {args.items} items ({size_kb:.0f} KB each) on {HOSTS} hosts, "
              f"{args.latency * 1000:.0f} ms latency per response, {os.cpu_count()} cores")
        print(f"parse CPU per feed (median): parse_feed {ours_ms:.1f} ms; feedparser with its "
              f"sanitiser on {default_ms:.1f} ms; all feeds ≈ {ours_ms * args.feeds / 1000:.2f} s CPU")
        rows: dict[str, list[dict[str, float]]] = {"newswire": [], "newsboat": []}
        threads, procs = [], []
        for rep in range(args.reps):
            with tempfile.TemporaryDirectory(prefix="bench-refresh-") as tmp:
                work = Path(tmp)
                rows["newswire"].append(newswire_run(port, urls, work))
                rows["newsboat"].append(newsboat_run(port, urls, work))
                control(port, "/__reset")
                threads.append(asyncio.run(in_process(port, urls, work, parse_workers=0)))
                procs.append(asyncio.run(in_process(port, urls, work, parse_workers=None)))
            print(f"rep {rep + 1}: " + "; ".join(
                f"{name} cold {r[-1]['cold']:.2f} s warm {r[-1]['warm']:.2f} s stored {r[-1]['stored']}"
                for name, r in rows.items()))
        for name, runs in rows.items():
            cold = statistics.median(r["cold"] for r in runs)
            warm = statistics.median(r["warm"] for r in runs)
            stored = {r["stored"] for r in runs}
            print(f"{name:9} cold {cold:.2f} s  warm {warm:.2f} s  stored {sorted(stored)} of {expected}  "
                  f"(cold 200s {runs[-1]['cold_200']}, warm 304s {runs[-1]['warm_304']})")
        print(f"newsboat 2nd reload (not yet conditional): {statistics.median(r['second'] for r in rows['newsboat']):.2f} s"
              f" (304s {rows['newsboat'][-1]['second_304']})")
        print(f"load average at the end: {os.getloadavg()[0]:.1f}")
        print(f"in-process cold refresh: parse in a thread {statistics.median(threads):.2f} s, "
              f"in worker processes {statistics.median(procs):.2f} s")
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
