"""Sync speed and memory against a real Miniflux on 127.0.0.1: first sync of N entries, then a sync with nothing new.

Starts PostgreSQL and Miniflux (as the sync tests do), serves FEEDS feeds of ITEMS items from a local
HTTP server and subscribes Miniflux to them. Then, for each protocol (Miniflux REST, Google Reader
API) and each rep, from an empty database: `newswire sync` as a real process (wall, CPU user+sys,
peak RSS), then `newswire sync` again (nothing new). The peer, in the same script, is a bare httpx
download of the same pages (no parsing into the store): what the transfer alone costs.

    python benchmarks/bench_sync.py --feeds 10 --items 500 --reps 3
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import httpx

from tests.httpserver import FeedServer, Route
from tests.sync.servers import Miniflux, Postgres


def big_feed(name: str, count: int) -> bytes:
    parts = [f"<?xml version='1.0'?><rss version='2.0'><channel><title>{name}</title><link>http://x/</link>"]
    for n in range(count):
        body = "".join(f"<p>Paragraph {p} of story {n} in {name}, with some ordinary words.</p>" for p in range(6))
        parts.append(
            f"<item><guid>{name}-{n}</guid><title>{name} story {n}</title><link>http://x/{name}/{n}</link>"
            f"<pubDate>Mon, 30 Nov 2026 {n // 60 % 24:02d}:{n % 60:02d}:00 +0000</pubDate>"
            f"<description><![CDATA[{body}]]></description></item>"
        )
    parts.append("</channel></rss>")
    return "".join(parts).encode()


CHILD = (
    "import resource, sys, json\n"
    "from tui.cli import main\n"
    "rc = main(['sync', '--json', '--quiet'])\n"
    "u = resource.getrusage(resource.RUSAGE_SELF)\n"
    "sys.stderr.write(json.dumps({'cpu': u.ru_utime + u.ru_stime, 'rss': u.ru_maxrss / 1024}) + '\\n')\n"
    "raise SystemExit(rc)\n"
)


def run_cli(home: Path) -> tuple[float, float, float, dict[str, object]]:
    """(wall s, CPU user+sys s, peak RSS MB, JSON report) of one real `newswire sync` process."""
    env = {**os.environ, "NEWSWIRE_HOME": str(home)}
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", CHILD], cwd=REPO, env=env, capture_output=True, check=False)
    wall = time.perf_counter() - started
    if done.returncode:
        raise SystemExit(f"sync failed: {done.stderr.decode()}")
    usage = json.loads(done.stderr.decode().strip().splitlines()[-1])
    return wall, usage["cpu"], usage["rss"], json.loads(done.stdout)


def bare_download(kind: str, url: str, user: str, password: str) -> float:
    """The peer: the same entries over the same API with httpx, thrown away."""
    started = time.perf_counter()
    with httpx.Client(base_url=url, timeout=60) as client:
        if kind == "miniflux":
            if user:
                client.auth = httpx.BasicAuth(user, password)
            else:
                client.headers["X-Auth-Token"] = password
            after = 0
            while True:
                page = client.get("/v1/entries", params={"order": "id", "direction": "asc", "limit": 500,
                                                         "after_entry_id": after}).json()["entries"]
                if len(page) < 500:
                    break
                after = page[-1]["id"]
        else:
            auth = client.post("/accounts/ClientLogin", data={"Email": user, "Passwd": password}).text
            token = next(line[5:] for line in auth.splitlines() if line.startswith("Auth="))
            client.headers["Authorization"] = f"GoogleLogin auth={token}"
            ids = [r["id"] for r in client.get("/reader/api/0/stream/items/ids", params={
                "output": "json", "s": "user/-/state/com.google/reading-list", "n": 10000}).json()["itemRefs"]]
            for start in range(0, len(ids), 250):
                client.post("/reader/api/0/stream/items/contents",
                            data={"T": token, "output": "json", "i": ids[start:start + 250]})
    return time.perf_counter() - started


def memory_bound(counts: list[int]) -> None:
    """Python memory of the sync itself (tracemalloc peak) as the account grows: it must not grow with it.

    The server here is an in-process stand-in answering Miniflux's /v1/entries shape (httpx's
    MockTransport), so the figure is this side's alone, with no server in the same measurement.
    """
    import asyncio
    import tracemalloc
    from urllib.parse import parse_qs, urlparse

    from tui.core.feeds.sync.base import run_sync
    from tui.core.feeds.sync.miniflux import MinifluxClient
    from tui.core.store import Store

    body = "".join(f"<p>Paragraph {p} of a story, with some ordinary words in it.</p>" for p in range(6))

    for count in counts:
        def answer(request: httpx.Request, count: int = count) -> httpx.Response:
            url = urlparse(str(request.url))
            if url.path == "/v1/feeds":
                return httpx.Response(200, json=[{"id": 1, "feed_url": "http://x/f", "title": "f"}])
            query = parse_qs(url.query)
            after, limit = int(query.get("after_entry_id", ["0"])[0]), int(query["limit"][0])
            return httpx.Response(200, json={"total": count, "entries": [
                {"id": i, "feed_id": 1, "status": "unread", "title": f"story {i}", "url": f"http://x/{i}",
                 "published_at": "2026-11-30T12:00:00Z", "changed_at": "2026-11-30T12:00:00Z",
                 "content": body, "starred": False}
                for i in range(after + 1, min(count, after + limit) + 1)]})

        with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "db") as store:
            client = MinifluxClient("http://stand-in", "u", "p", transport=httpx.MockTransport(answer))
            tracemalloc.start()
            report = asyncio.run(run_sync(store, client))
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            assert report.new == count
            print(f"memory: first sync of {count:6d} entries, Python peak {peak / 1e6:.1f} MB (tracemalloc)")


def write_config(home: Path, kind: str, url: str, user: str, password: str) -> None:
    home.mkdir(parents=True, exist_ok=True)
    secret = home / "secret"
    secret.write_text(password)
    secret.chmod(0o600)
    (home / "config.toml").write_text(
        f'[sync]\nserver = "{kind}"\nurl = "{url}"\nuser = "{user}"\npassword_file = "{secret}"\n'
        "[reader]\nrefresh_on_start = false\n"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--feeds", type=int, default=10)
    ap.add_argument("--items", type=int, default=500)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--memory", action="store_true",
                    help="only the memory-bound check (no server needed): 2,500 to 40,000 entries")
    a = ap.parse_args(argv)
    if a.memory:
        memory_bound([2500, 5000, 10000, 20000, 40000])
        return 0

    postgres = Postgres()
    postgres.start()
    miniflux = Miniflux(postgres)
    miniflux.start()
    server = FeedServer().start()
    try:
        user = miniflux.new_user(greader=True)
        loading = time.perf_counter()
        for n in range(a.feeds):
            user.subscribe(server.route(f"/f{n}.xml", Route(body=big_feed(f"f{n}", a.items))))
        total = len(user.entries())
        print(f"Miniflux holds {total} entries ({a.feeds} feeds x {a.items}); loaded in "
              f"{time.perf_counter() - loading:.1f} s; load average {os.getloadavg()[0]:.2f}")
        time.sleep(2)  # past the REST API's whole-second "changed after" window
        key = user.api.post("/v1/api-keys", json={"description": "bench"}).json()["token"]
        modes = (("miniflux", "miniflux", user.name, user.password),
                 ("miniflux", "miniflux+key", "", key),
                 ("greader", "greader", user.greader_user, user.greader_password))
        for kind, label, name, password in modes:
            first, again, cpu_first, cpu_again, rss, peer = [], [], [], [], [], []
            inner_first, inner_again = [], []
            for _ in range(a.reps):
                with tempfile.TemporaryDirectory() as tmp:
                    home = Path(tmp) / "home"
                    write_config(home, kind, miniflux.url, name, password)
                    wall, cpu, peak, report = run_cli(home)
                    assert report["new"] == total, report
                    wall2, cpu2, _, report2 = run_cli(home)
                    assert report2["new"] == 0 and report2["received"] == 0, report2
                    first.append(wall)
                    again.append(wall2)
                    cpu_first.append(cpu)
                    cpu_again.append(cpu2)
                    inner_first.append(float(report["elapsed"]))  # type: ignore[arg-type]
                    inner_again.append(float(report2["elapsed"]))  # type: ignore[arg-type]
                    rss.append(peak)
                    peer.append(bare_download(kind, miniflux.url, name, password))
            med = statistics.median
            print(f"{label:13} first sync: process {med(first):.2f} s wall, sync itself {med(inner_first):.2f} s, "
                  f"{med(cpu_first):.2f} s CPU user+sys, peak RSS {med(rss):.0f} MB; "
                  f"peer (bare httpx download of the same pages) {med(peer):.2f} s, "
                  f"ratio {med(inner_first) / med(peer):.2f}")
            print(f"{'':13} nothing new: process {med(again):.2f} s wall, sync itself {med(inner_again):.2f} s, "
                  f"{med(cpu_again):.2f} s CPU; runs (sync itself) first={[round(x, 2) for x in inner_first]} "
                  f"again={[round(x, 2) for x in inner_again]}")
        print(f"load average after: {os.getloadavg()[0]:.2f}")
    finally:
        server.stop()
        miniflux.stop()
        postgres.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
