"""How much CPU the garbage collector takes in the `newswire refresh` a user runs (5,000 new entries).

    python benchmarks/gc_refresh.py [CHECKOUT ...] [--reps N]

Each checkout (default: this one) runs `python CHECKOUT refresh` in a fresh home against
bench_refresh's server (200 feeds × 25 full-text items on 50 loopback hosts, 100 ms), alternately,
with `gc.callbacks` timing every collection of the command's own process (thread CPU from the
start to the end of each pass, from the first import on). Printed per checkout: medians (min–max)
of the collections' CPU, their number, and the process's CPU at exit.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench_refresh as br

# The command as `python CHECKOUT refresh` runs it, with the collector's passes timed.
PROBE = """
import gc, os, sys, time, atexit
pid, spent, passes, full, began = os.getpid(), [0.0], [0], [0], {{}}
def timing(phase, info):
    if phase == "start":
        began[0] = time.thread_time()
    else:
        spent[0] += time.thread_time() - began.pop(0, time.thread_time())
        passes[0] += 1
        full[0] += info["generation"] == 2
gc.callbacks.append(timing)
def report():
    if os.getpid() == pid:  # not in the writer child
        sys.stderr.write(f"GCSTAT {{spent[0]}} {{passes[0]}} {{full[0]}} {{time.process_time()}}\\n")
atexit.register(report)
sys.path.insert(0, {root!r})
sys.argv = ["newswire", "refresh"]
from tui.cli import run
run()
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dirs", nargs="*", default=[str(HERE.parent)], help="checkouts to compare")
    ap.add_argument("--reps", type=int, default=5)
    args = ap.parse_args()
    dirs = [str(Path(d).resolve()) for d in args.dirs]
    env0 = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    port = br.free_port()
    server = subprocess.Popen(
        [sys.executable, br.__file__, "--serve", str(port), "--feeds", "200", "--items", "25", "--latency", "0.1"],
        stdout=subprocess.PIPE, text=True,
    )
    runs: dict[str, list[tuple[float, int, int, float]]] = {d: [] for d in dirs}
    try:
        assert server.stdout is not None and server.stdout.readline().strip() == "ready"
        urls = br.feed_urls(port, 200)
        for rep in range(args.reps):
            for d in dirs if rep % 2 == 0 else dirs[::-1]:
                with tempfile.TemporaryDirectory() as home:
                    env = dict(env0, NEWSWIRE_HOME=home)
                    Path(home, "urls").write_text("\n".join(urls) + "\n")
                    subprocess.run([sys.executable, d, "import", f"{home}/urls"], env=env, check=True, capture_output=True)
                    br.control(port, "/__reset")
                    proc = subprocess.run([sys.executable, "-c", PROBE.format(root=d)], env=env,
                                          capture_output=True, text=True)
                    found = re.search(r"GCSTAT ([0-9.]+) (\d+) (\d+) ([0-9.]+)", proc.stderr)
                    assert found, proc.stderr[-800:]
                    runs[d].append((float(found[1]), int(found[2]), int(found[3]), float(found[4])))
    finally:
        server.terminate()
        server.wait()
    for d, rows in runs.items():
        gc_ms = [r[0] * 1000 for r in rows]
        print(f"{d}: collections {statistics.median(gc_ms):.1f} ms of CPU ({min(gc_ms):.1f}–{max(gc_ms):.1f}) in "
              f"{statistics.median(r[1] for r in rows):.0f} passes ({max(r[2] for r in rows)} full at most); "
              f"the command's process {statistics.median(r[3] for r in rows):.2f} s of CPU ({args.reps} reps)")


if __name__ == "__main__":
    main()
