"""Same-run A/B of the refresh command: two or more checkouts run alternately against one server.

    git -C . archive main | tar -x -C /tmp/main-copy      # a frozen copy of the other side
    python benchmarks/ab_refresh.py /tmp/main-copy . [--feeds 200] [--reps 11] [--warm] [--load]

Each rep, for each checkout (the order alternates): a fresh home, `import` of the benchmark's feed
URLs, then `python DIR refresh` (cold) and with `--warm` `refresh --force` (all 304). CPU is user+sys
of the command's process tree (`os.wait4`); the server is `bench_refresh.py --serve` (25 full-text
items a feed, 50 loopback hosts, 100 ms). Prints each rep's pairs, the medians (min–max), and with two
checkouts the paired differences (second − first, same rep). `--load` keeps one core busy with
`yes > /dev/null` throughout, as bench_refresh.py's `--load`.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench_refresh as br


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(proc.pid, 0)
    return time.perf_counter() - started, usage.ru_utime + usage.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dirs", nargs="+", help="checkouts to compare")
    ap.add_argument("--feeds", type=int, default=200)
    ap.add_argument("--reps", type=int, default=11)
    ap.add_argument("--warm", action="store_true", help="also time `refresh --force` (all 304)")
    ap.add_argument("--load", action="store_true", help="keep one core busy with `yes > /dev/null`")
    args = ap.parse_args()
    dirs = [str(Path(d).resolve()) for d in args.dirs]
    env0 = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    for d in dirs:  # as an install would: no run pays for compiling the modules
        subprocess.run([sys.executable, "-m", "compileall", "-q", f"{d}/tui"], env=env0, check=True)
    port = br.free_port()
    server = subprocess.Popen(
        [sys.executable, br.__file__, "--serve", str(port), "--feeds", str(args.feeds), "--items", "25",
         "--latency", "0.1"], stdout=subprocess.PIPE, text=True,
    )
    load = subprocess.Popen(["yes"], stdout=subprocess.DEVNULL) if args.load else None
    keys = ("cold", "cold_cpu", "warm", "warm_cpu") if args.warm else ("cold", "cold_cpu")
    runs: dict[str, dict[str, list[float]]] = {d: {k: [] for k in keys} for d in dirs}
    try:
        assert server.stdout is not None and server.stdout.readline().strip() == "ready"
        urls = br.feed_urls(port, args.feeds)
        print(f"{args.feeds} feeds, {args.reps} reps, load average {os.getloadavg()[0]:.1f} at start", flush=True)
        for rep in range(args.reps):
            for d in dirs if rep % 2 == 0 else dirs[::-1]:
                with tempfile.TemporaryDirectory() as home:
                    env = dict(env0, NEWSWIRE_HOME=home)
                    Path(home, "urls").write_text("\n".join(urls) + "\n")
                    subprocess.run([sys.executable, d, "import", f"{home}/urls"], env=env, check=True,
                                   capture_output=True)
                    wall, cpu = timed([sys.executable, d, "refresh"], env)
                    runs[d]["cold"].append(wall)
                    runs[d]["cold_cpu"].append(cpu)
                    with sqlite3.connect(f"{home}/newswire.db") as db:
                        stored = db.execute("SELECT count(*) FROM entries").fetchone()[0]
                    assert stored == args.feeds * 25, (d, stored)
                    if args.warm:
                        wall, cpu = timed([sys.executable, d, "refresh", "--force"], env)
                        runs[d]["warm"].append(wall)
                        runs[d]["warm_cpu"].append(cpu)
            print(f"  rep {rep + 1}: " + "; ".join(
                f"{Path(d).name} {r['cold'][-1]:.3f} s / {r['cold_cpu'][-1]:.3f} s CPU" for d, r in runs.items()),
                flush=True)
    finally:
        server.terminate()
        server.wait()
        if load is not None:
            load.terminate()
            load.wait()
    print(f"load average at the end {os.getloadavg()[0]:.1f}")
    for d, r in runs.items():
        print(d + ": " + ", ".join(
            f"{k} {statistics.median(v):.3f} ({min(v):.3f}–{max(v):.3f})" for k, v in r.items()))
    if len(dirs) == 2:
        first, second = (runs[d] for d in dirs)
        for k in keys:
            diffs = [b - a for a, b in zip(first[k], second[k], strict=True)]
            print(f"paired {k} (second − first): median {statistics.median(diffs):+.3f}, "
                  f"lower in {sum(d < 0 for d in diffs)} of {len(diffs)}")


if __name__ == "__main__":
    main()
