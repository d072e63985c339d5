"""Same-run A/B of `parse_feed` over bench_refresh's 200 feeds: one worker process per checkout, alternating.

    git -C . archive main | tar -x -C /tmp/main-copy      # a frozen copy of the other side
    python benchmarks/ab_parse.py /tmp/main-copy . [--rounds 30]

Each worker imports its checkout's `tui`, makes the 200 feeds (`feedgen.make_rss(i, 25,
host=f"news{i % 50}.example.com", min_words=100)`: 5,000 entries of 100+ words, as the refresh
benchmark serves them) and, each round, parses them all and reports the thread CPU it took. Rounds
alternate the order of the checkouts. Prints the medians (min–max) and the paired differences.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def worker(root: str) -> None:
    sys.path.insert(0, root)
    sys.path.insert(0, str(HERE))
    from feedgen import make_rss

    from tui.core.feeds.parse import parse_feed

    bodies = [make_rss(i, 25, host=f"news{i % 50}.example.com", min_words=100) for i in range(200)]
    urls = [f"http://news{i % 50}.example.com/feed{i}" for i in range(200)]
    parse_feed(bodies[0], url=urls[0])  # imports and first-use work, outside the rounds
    for _ in sys.stdin:
        started = time.thread_time()
        for body, url in zip(bodies, urls, strict=True):
            parse_feed(body, url=url)
        print(json.dumps(time.thread_time() - started), flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dirs", nargs=2, help="the two checkouts")
    ap.add_argument("--rounds", type=int, default=30)
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    args = ap.parse_args()
    dirs = [str(Path(d).resolve()) for d in args.dirs]
    procs = [subprocess.Popen([sys.executable, __file__, *dirs, "--worker", d], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True) for d in dirs]
    times: list[list[float]] = [[], []]
    print(f"load average {os.getloadavg()[0]:.1f} at start", flush=True)
    for r in range(args.rounds):
        for i in (0, 1) if r % 2 == 0 else (1, 0):
            stdin, stdout = procs[i].stdin, procs[i].stdout
            assert stdin is not None and stdout is not None
            stdin.write("go\n")
            stdin.flush()
            times[i].append(json.loads(stdout.readline()))
    for p in procs:
        assert p.stdin is not None
        p.stdin.close()
        p.wait()
    print(f"load average {os.getloadavg()[0]:.1f} at the end")
    for d, t in zip(dirs, times, strict=True):
        print(f"{d}: parse_feed × 200 feeds {statistics.median(t) * 1e3:.1f} ms "
              f"({min(t) * 1e3:.1f}–{max(t) * 1e3:.1f}) thread CPU")
    diffs = [b - a for a, b in zip(*times, strict=True)]
    print(f"paired (second − first): median {statistics.median(diffs) * 1e3:+.1f} ms, "
          f"lower in {sum(d < 0 for d in diffs)} of {len(diffs)}")


if __name__ == "__main__":
    if "--worker" in sys.argv:
        worker(sys.argv[sys.argv.index("--worker") + 1])
    else:
        main()
