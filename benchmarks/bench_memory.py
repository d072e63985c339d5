"""Peak memory of one refresh of every hostile feed (bombs, huge bodies, 20,000 entries) beside healthy ones.

Usage: python benchmarks/bench_memory.py [--runs N]

Each run is a fresh child process (tests/hardening/refresh_child.py) that refreshes every feed of
the hardening catalogue from the fault server on 127.0.0.1 with all parsing in that one process,
then reports its peak resident memory (VmHWM). For scale, the same child also refreshes
only the healthy feeds. Prints medians.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.faultserver import FaultServer
from tests.hardening.catalogue import MAX_BYTES, healthy_feeds, hostile_feeds
from tui.core.store import Store


def one_run(hostile: bool) -> dict:
    with tempfile.TemporaryDirectory() as tmp, FaultServer() as server:
        home = Path(tmp)
        cases = hostile_feeds(server, home / "marker.txt") if hostile else []
        healthy = healthy_feeds(server)
        with Store(home / "newswire.db") as store:
            for url in [server.url(c.path) for c in cases] + list(healthy):
                store.add_feed(url)
        done = subprocess.run([sys.executable, "-m", "tests.hardening.refresh_child", str(home / "newswire.db")],
                              cwd=ROOT, capture_output=True, text=True, timeout=300, check=True)
        data = json.loads(done.stdout)
        data["feeds"] = len(data.pop("outcomes"))
        return data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    for label, hostile in (("healthy feeds only", False), ("all hostile + healthy feeds", True)):
        runs = [one_run(hostile) for _ in range(args.runs)]
        rss = statistics.median(r["peak_mb"] for r in runs)
        elapsed = statistics.median(r["elapsed"] for r in runs)
        print(f"{label}: {runs[0]['feeds']} feeds, cap {MAX_BYTES // 2**20} MB per response: "
              f"peak RSS median {rss:.0f} MB (min {min(r['peak_mb'] for r in runs):.0f}, "
              f"max {max(r['peak_mb'] for r in runs):.0f}), refresh median {elapsed:.1f} s over {args.runs} runs")


if __name__ == "__main__":
    main()
