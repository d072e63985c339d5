"""Prefetch: 200 summary-only entries on 20 loopback hosts (127.0.0.1–127.0.0.20) with 100 ms latency.

    python benchmarks/bench_prefetch.py [--reps 3] [--pages 200] [--hosts 20] [--latency 0.1]

A real refresh (`refresh_feeds` with the default PrefetchPolicy and the configured Fetcher) reads one
feed of teasers, then fetches every linked page. Each host answers after `latency` seconds and
counts how many requests it serves at once. Reported: the most requests any host served at once
(must not exceed the per-host limit), when the last page arrived (the network part) against the
floor the limits allow, and the whole prefetch pass including cleaning every page and extracting
its quotes and places. Pages are real article bodies (the dev set of ../shared) in a news-page
template, read at run time.
"""

from __future__ import annotations

import argparse
import asyncio
import html
import json
import math
import statistics
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tui.core.config import Config
from tui.core.feeds.client import make_fetcher
from tui.core.feeds.refresh import refresh_feeds
from tui.core.prefetch import PrefetchPolicy
from tui.core.store import Store

SHARED = ROOT.parent / "shared" / "data"
if not SHARED.exists():
    SHARED = Path("/work/shared/data")


class Host:
    """One loopback host: answers every path after `latency`, counting concurrent requests."""

    def __init__(self, address: str, latency: float, pages: dict[str, bytes]) -> None:
        self.latency = latency
        self.pages = pages
        self.lock = threading.Lock()
        self.active = 0
        self.peak = 0
        self.served = 0
        self.last_done = 0.0
        self.first_start = 0.0
        host = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                with host.lock:
                    if self.path != "/feed.xml" and not host.first_start:
                        host.first_start = time.monotonic()
                    host.active += 1
                    host.peak = max(host.peak, host.active)
                try:
                    time.sleep(host.latency)
                    body = host.pages.get(self.path, b"not found")
                    self.send_response(200 if self.path in host.pages else 404)
                    ctype = "application/rss+xml" if self.path.endswith(".xml") else "text/html; charset=utf-8"
                    self.send_header("Content-Type", ctype)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                finally:
                    with host.lock:
                        host.active -= 1
                        host.served += 1
                        host.last_done = time.monotonic()

        self.server = ThreadingHTTPServer((address, 0), Handler)
        self.server.daemon_threads = True
        self.server.request_queue_size = 128
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    @property
    def base(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def reset(self) -> None:
        with self.lock:
            self.active = self.peak = self.served = 0
            self.last_done = self.first_start = 0.0

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def bodies() -> list[tuple[str, list[str]]]:
    data = json.loads((SHARED / "article-extraction-benchmark" / "ground-truth-dev.json").read_text())
    out = []
    for _key, value in sorted(data.items()):
        paras = [p.strip() for p in value["articleBody"].split("\n") if p.strip()]
        if len(paras) >= 3:
            out.append((" ".join(paras[0].split()[:8]), paras))
    return out


def page(title: str, paras: list[str], n: int) -> bytes:
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paras)
    return (
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)} | Outlet {n % 20}</title></head><body>"
        "<header><nav><a href='/'>Home</a> <a href='/news'>News</a> <a href='/sport'>Sport</a></nav></header>"
        f"<main><article><h1>{html.escape(title)}</h1><p class='byline'>By Staff</p>"
        f"<div class='story-body'>{body}</div><div class='share'>Share on Facebook Share on X</div></article>"
        "<aside class='related'><h3>Related</h3><ul>"
        + "".join(f"<li><a href='/r{k}'>Other story number {k} of the day</a></li>" for k in range(6))
        + "</ul></aside></main><footer>© 2026 Outlet. All rights reserved.</footer></body></html>"
    ).encode()


def build_hosts(args: argparse.Namespace) -> tuple[list[Host], list[str]]:
    """The loopback hosts with their pages and the feed of teasers; returns them and the page URLs."""
    source = bodies()
    hosts = [Host(f"127.0.0.{h + 1}", args.latency, {}) for h in range(args.hosts)]
    items, urls = [], []
    for n in range(args.pages):
        host = hosts[n % args.hosts]
        title, paras = source[n % len(source)]
        path = f"/story/{n}.html"
        host.pages[path] = page(title, paras, n)
        urls.append(host.base + path)
        items.append(
            f"<item><title>{html.escape(title)} ({n})</title><link>{host.base}{path}</link><guid>{n}</guid>"
            f"<description>{html.escape(' '.join(paras[0].split()[:25]))}… Read more</description></item>"
        )
    hosts[0].pages["/feed.xml"] = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Teasers</title>'
        f"<link>{hosts[0].base}/</link>{''.join(items)}</channel></rss>"
    ).encode()
    return hosts, urls


def serve(args: argparse.Namespace) -> None:
    """The hosts in a process of their own (so the server never competes with the client for one
    interpreter); commands on stdin: `reset`, `stats` (a JSON line), `stop`."""
    hosts, urls = build_hosts(args)
    print(json.dumps({"feed": hosts[0].base + "/feed.xml", "pages": urls}), flush=True)
    for line in sys.stdin:
        command = line.strip()
        if command == "reset":
            for host in hosts:
                host.reset()
            print("ok", flush=True)
        elif command == "stats":
            stats = [
                {"peak": h.peak, "served": h.served, "first": h.first_start, "last": h.last_done} for h in hosts
            ]
            print(json.dumps(stats), flush=True)
        else:
            break
    for host in hosts:
        host.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--hosts", type=int, default=20)
    parser.add_argument("--latency", type=float, default=0.1)
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args)
        return

    import subprocess

    server = subprocess.Popen(
        [sys.executable, __file__, "--serve", "--pages", str(args.pages), "--hosts", str(args.hosts),
         "--latency", str(args.latency)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    assert server.stdin is not None and server.stdout is not None
    setup = json.loads(server.stdout.readline())

    def command(text: str) -> str:
        assert server.stdin is not None and server.stdout is not None
        server.stdin.write(text + "\n")
        server.stdin.flush()
        return server.stdout.readline()

    config = Config()
    per_host, global_limit = config.fetch.per_host, config.fetch.max_connections
    per_host_pages = math.ceil(args.pages / args.hosts)
    floor = max(math.ceil(per_host_pages / per_host), math.ceil(args.pages / global_limit)) * args.latency
    print(
        f"{args.pages} pages on {args.hosts} hosts (served by another process), {args.latency * 1000:.0f} ms latency, "
        f"per-host limit {per_host}, global {global_limit}: network floor {floor:.2f} s"
    )

    async def peer() -> float:
        """The same pages fetched by the same Fetcher with nothing else: gather them all at once."""
        async with make_fetcher(config) as fetcher:
            t = time.monotonic()
            results = await asyncio.gather(*(fetcher.fetch(u) for u in setup["pages"]))
            assert all(r.ok for r in results)
            return time.monotonic() - t

    network, whole, cpu, peers = [], [], [], []
    try:
        for rep in range(args.reps):
            command("reset")
            peers.append(asyncio.run(peer()))
            command("reset")
            with tempfile.TemporaryDirectory() as tmp:
                store = Store(Path(tmp) / "bench.db")
                store.add_feed(setup["feed"])

                async def run(store: Store = store) -> object:
                    async with make_fetcher(config) as fetcher:
                        return await refresh_feeds(store, fetcher, prefetch=PrefetchPolicy())

                c0 = time.process_time()
                report = asyncio.run(run())
                cpu.append(time.process_time() - c0)
                stats = json.loads(command("stats"))
                after = report.after  # type: ignore[attr-defined]
                # The prefetch pass started when the feed was stored: its first request is the
                # first page request, so measure pages from the feed's response on.
                served = sum(h["served"] for h in stats) - 1  # the feed itself
                peak = max(h["peak"] for h in stats)
                last_page = max(h["last"] for h in stats)
                first_page = min(h["first"] for h in stats if h["first"])
                network.append(last_page - first_page)
                whole.append(after.elapsed)
                print(
                    f"  rep {rep + 1}: {after.fetched} stored, {after.failed} failed, {served} pages served, "
                    f"peak per host {peak}; pages fetched from first request to last answer in {last_page - first_page:.2f} s; "
                    f"whole pass (with cleaning) {after.elapsed:.2f} s; process CPU {cpu[-1]:.2f} s; "
                    f"peer (a bare gather of the same {args.pages} fetches) {peers[-1]:.2f} s"
                )
                store.close()
    finally:
        command("stop")
        server.wait()
    spread = f"{min(network) / floor:.2f}–{max(network) / floor:.2f}×"
    print(
        f"median: pages fetched in {statistics.median(network):.2f} s = {statistics.median(network) / floor:.2f}× "
        f"the floor (spread {spread}); whole pass {statistics.median(whole):.2f} s = "
        f"{statistics.median(whole) / floor:.2f}× the floor (cleaning {args.pages} pages, quotes and places, in worker "
        f"processes); CPU {statistics.median(cpu):.2f} s; peer gather {statistics.median(peers):.2f} s = "
        f"{statistics.median(peers) / floor:.2f}× the floor; prefetch fetching / peer = "
        f"{statistics.median(network) / statistics.median(peers):.2f}"
    )


if __name__ == "__main__":
    main()
