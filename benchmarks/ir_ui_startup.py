"""Start-up work in instructions (valgrind callgrind, Ir): the bare app and checkouts, to the first frame with rows.

Usage: python benchmarks/ir_ui_startup.py CHECKOUT [CHECKOUT…] [--runs N] [--entries N]
(e.g. `git archive main | tar -x -C /tmp/old` for the old one). Each child is bench_ui's, ended at
its first frame written with the first row; the imports alone (to the end of `import tui.screens.main`)
are counted too. Instructions do not move with the machine's load as CPU and wall time do
(two runs agree to ~0.1 %), so a change of 1 % shows in one run; they weigh work, not time (an
instruction of the bare app's imports, mostly reading byte-code, is cheaper than the average).
Needs valgrind; each child runs ~50 times slower under it (~10-15 s).
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

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_ui

HOOK_END = '        _frame["cpu"] = cpu.user + cpu.system\n'
STOP = "        sys.stdout.flush(); os._exit(0)\n"
assert HOOK_END in bench_ui.FRAME_HOOK
CHILDREN = {
    "bare": (bench_ui.BARE.replace(HOOK_END, HOOK_END + STOP),
             bench_ui.BARE.replace("class Bare(App):", "os._exit(0)\nclass Bare(App):")),
    "newswire": (bench_ui.NEWSWIRE.replace(HOOK_END, HOOK_END + STOP),
                 bench_ui.NEWSWIRE.replace("import tui.screens.main as main", "import tui.screens.main as main\nos._exit(0)")),
}


def instructions(code: str, env: dict[str, str]) -> float:
    """Millions of instructions the child runs."""
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={tmp}/callgrind.out",
                              sys.executable, "-c", code], env=env, capture_output=True, text=True,
                             timeout=bench_ui.CHILD_TIMEOUT)
    found = re.search(r"Collected : (\d+)", out.stderr)
    if found is None:
        raise SystemExit(f"child failed:\n{out.stderr[-3000:]}")
    return int(found.group(1)) / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("checkouts", nargs="+")
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--entries", type=int, default=10_000)
    args = parser.parse_args()
    print(f"load average: {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory() as tmp:
        bench_ui.make_store(Path(tmp), args.entries)
        base = {**os.environ, "NEWSWIRE_HOME": tmp, "BENCH_ENTRIES": str(args.entries), "BENCH_START": "0"}
        base.pop("PYTHONDONTWRITEBYTECODE", None)  # byte-code as an installed app has it (bench_ui.run_child)
        for root in args.checkouts:  # byte-code and gazetteer caches, uncounted
            subprocess.run([sys.executable, "-c", CHILDREN["newswire"][0]], env={**base, "BENCH_ROOT": root},
                           capture_output=True, timeout=bench_ui.CHILD_TIMEOUT)
        rows = [("bare", "bare", args.checkouts[0])] + [(root, "newswire", root) for root in args.checkouts]
        found: dict[str, tuple[list[float], list[float]]] = {name: ([], []) for name, _, _ in rows}
        for _ in range(args.runs):
            for name, child, root in rows:
                env = {**base, "BENCH_ROOT": root}
                found[name][0].append(instructions(CHILDREN[child][0], env))
                found[name][1].append(instructions(CHILDREN[child][1], env))
    bare_total, bare_imports = (statistics.median(v) for v in found["bare"])
    print(f"\n{args.entries:,} entries, medians of {args.runs} runs; M = millions of instructions\n")
    print("| child | to the first frame, M | ratio to bare | imports, M | after the imports, M |")
    print("|---|---|---|---|---|")
    for name, (totals, imports) in found.items():
        total, imported = statistics.median(totals), statistics.median(imports)
        print(f"| {name} | {total:.1f} ({min(totals):.1f}–{max(totals):.1f}) | {total / bare_total:.3f} "
              f"| {imported:.1f} (+{imported - bare_imports:.1f}) | {total - imported:.1f} "
              f"(+{total - imported - (bare_total - bare_imports):.1f}) |")


if __name__ == "__main__":
    main()
