"""A/B of article opens (key → article painted) between two checkouts, alternating processes under the same load.

Usage: python benchmarks/ab_ui_opens.py OLD_CHECKOUT NEW_CHECKOUT [ROUNDS]
(e.g. `git archive main | tar -x -C /tmp/old` for OLD_CHECKOUT); each uses its own bench_ui.measure_opens.
"""
import json
import subprocess
import sys

CODE = r'''
import sys, os, tempfile, asyncio, statistics, json, resource
root = sys.argv[1]
sys.path.insert(0, root); sys.path.insert(0, root + "/benchmarks")
import bench_ui
assert bench_ui.__file__.startswith(root)
from pathlib import Path
with tempfile.TemporaryDirectory() as tmp:
    home = Path(tmp); os.environ["NEWSWIRE_HOME"] = tmp
    bench_ui.make_store(home, 300)
    import tui; assert tui.__file__.startswith(root), tui.__file__
    first, cached = asyncio.run(bench_ui.measure_opens(home, 12))
ru = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"first": statistics.median(first), "cached": statistics.median(cached), "cpu": ru.ru_utime + ru.ru_stime}))
'''
py = sys.executable
old_root, new_root = sys.argv[1], sys.argv[2]
rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 3
res = {"old": [], "new": []}
for _ in range(rounds):
    for name, root in (("old", old_root), ("new", new_root)):
        out = subprocess.run([py, "-c", CODE, root], capture_output=True, text=True, cwd="/tmp")
        line = out.stdout.strip().splitlines()[-1] if out.stdout.strip() else out.stderr[-800:]
        print(name, line, flush=True)
        try: res[name].append(json.loads(line))
        except Exception: pass  # noqa: BLE001 - contained: reported, never raised further
import statistics as st

for name, rows in res.items():
    if rows:
        print(name, "first", round(st.median(r["first"] for r in rows)*1000), "ms; cached", round(st.median(r["cached"] for r in rows)*1000), "ms; cpu", round(st.median(r["cpu"] for r in rows),2), "s")
