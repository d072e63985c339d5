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
                        host.first_start = time.perf_counter()
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
                        host.last_done = time.perf_counter()

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--hosts", type=int, default=20)
    parser.add_argument("--latency", type=float, default=0.1)
    args = parser.parse_args()

    source = bodies()
    hosts: list[Host] = []
    for h in range(args.hosts):
        hosts.append(Host(f"127.0.0.{h + 1}", args.latency, {}))
    items = []
    for n in range(args.pages):
        host = hosts[n % args.hosts]
        title, paras = source[n % len(source)]
        path = f"/story/{n}.html"
        host.pages[path] = page(title, paras, n)
        items.append(
            f"<item><title>{html.escape(title)} ({n})</title><link>{host.base}{path}</link><guid>{n}</guid>"
            f"<description>{html.escape(' '.join(paras[0].split()[:25]))}… Read more</description></item>"
        )
    feed = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Teasers</title>'
        f"<link>{hosts[0].base}/</link>{''.join(items)}</channel></rss>"
    ).encode()
    hosts[0].pages["/feed.xml"] = feed

    config = Config()
    per_host, global_limit = config.fetch.per_host, config.fetch.max_connections
    per_host_pages = math.ceil(args.pages / args.hosts)
    floor = max(math.ceil(per_host_pages / per_host), math.ceil(args.pages / global_limit)) * args.latency
    print(
        f"{args.pages} pages on {args.hosts} hosts, {args.latency * 1000:.0f} ms latency, "
        f"per-host limit {per_host}, global {global_limit}: network floor {floor:.2f} s"
    )

    async def peer() -> float:
        """The same pages fetched by the same Fetcher with nothing else: gather them all at once."""
        urls = [h.base + path for h in hosts for path in h.pages if path != "/feed.xml"]
        async with make_fetcher(config) as fetcher:
            t = time.perf_counter()
            results = await asyncio.gather(*(fetcher.fetch(u) for u in urls))
            assert all(r.ok for r in results)
            return time.perf_counter() - t

    network, whole, cpu, peers = [], [], [], []
    try:
        for rep in range(args.reps):
            for host in hosts:
                host.reset()
            peers.append(asyncio.run(peer()))
            for host in hosts:
                host.reset()
            with tempfile.TemporaryDirectory() as tmp:
                store = Store(Path(tmp) / "bench.db")
                store.add_feed(hosts[0].base + "/feed.xml")
                async def run(store: Store = store) -> object:
                    async with make_fetcher(config) as fetcher:
                        return await refresh_feeds(store, fetcher, prefetch=PrefetchPolicy())

                c0 = time.process_time()
                report = asyncio.run(run())

                after = report.after  # type: ignore[attr-defined]
                # The prefetch pass started when the feed was stored: its first request is the
                # first page request, so measure pages from the feed's response on.
                served = sum(h.served for h in hosts) - 1  # the feed itself
                peak = max(h.peak for h in hosts)
                last_page = max(h.last_done for h in hosts)
                first_page = min(h.first_start for h in hosts if h.first_start)
                network.append(last_page - first_page)
                whole.append(after.elapsed)
                cpu.append(time.process_time() - c0)
                print(
                    f"  rep {rep + 1}: {after.fetched} stored, {after.failed} failed, {served} pages served, "
                    f"peak per host {peak}; pages fetched from first request to last answer in {last_page - first_page:.2f} s; "
                    f"whole pass (with cleaning) {after.elapsed:.2f} s; process CPU {cpu[-1]:.2f} s; "
                    f"peer (a bare gather of the same 200 fetches) {peers[-1]:.2f} s"
                )
                store.close()
    finally:
        for host in hosts:
            host.stop()
    print(
        f"median: pages fetched in {statistics.median(network):.2f} s = {statistics.median(network) / floor:.2f}× "
        f"the floor; whole pass {statistics.median(whole):.2f} s = {statistics.median(whole) / floor:.2f}× the floor "
        f"(cleaning {args.pages} pages, quotes and places, in worker processes); CPU {statistics.median(cpu):.2f} s; "
        f"peer gather {statistics.median(peers):.2f} s = {statistics.median(peers) / floor:.2f}× the floor; "
        f"prefetch fetching / peer = {statistics.median(network) / statistics.median(peers):.2f}"
    )


if __name__ == "__main__":
    main()
