"""A/B of start-up (process start → first frame written with the first row) between two checkouts.

Usage: python benchmarks/ab_ui_startup.py OLD_CHECKOUT NEW_CHECKOUT [RUNS] [ENTRIES]
(e.g. `git archive main | tar -x -C /tmp/old` for OLD_CHECKOUT). Each run starts the bare app,
then OLD, then NEW in fresh processes under the same load (bench_ui's child programs, this
checkout's copy); printed: medians (min–max) of each one's ratio to its run's bare app, wall and CPU.
"""
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_ui

old_root, new_root = sys.argv[1], sys.argv[2]
runs = int(sys.argv[3]) if len(sys.argv) > 3 else 5
entries = int(sys.argv[4]) if len(sys.argv) > 4 else 10_000
CHECK = ("\nimport tui, tui.app\nfor _m in (tui, tui.app): assert _m.__file__.startswith(os.environ['BENCH_ROOT']), _m.__file__\n")
# CPU read with process_time (ns clock) rather than os.times (10 ms ticks), for the small differences.
FINE = ('        cpu = os.times()\n        _frame["wall"] = time.time() - start\n        _frame["cpu"] = cpu.user + cpu.system',
        '        _frame["wall"] = time.time() - start\n        _frame["cpu"] = time.process_time()')
assert FINE[0] in bench_ui.FRAME_HOOK
BARE = bench_ui.BARE.replace(*FINE)
CODE = bench_ui.NEWSWIRE.replace(*FINE).replace("from tui.app import build_app", CHECK + "from tui.app import build_app", 1)
with tempfile.TemporaryDirectory() as tmp:
    home = Path(tmp)
    bench_ui.make_store(home, entries)
    env = {"NEWSWIRE_HOME": tmp, "BENCH_ENTRIES": str(entries)}
    for root in (old_root, new_root):  # byte-code and gazetteer caches, untimed
        bench_ui.run_child(CODE, {**env, "BENCH_ROOT": root})
    found: dict[str, list[float]] = {}
    for run in range(runs):
        order = (("old", old_root), ("new", new_root))
        order = order if run % 2 == 0 else order[::-1]  # neither always right after the bare app
        bare = bench_ui.run_child(BARE, {**env, "BENCH_ROOT": new_root})
        for name, root in order:
            ours = bench_ui.run_child(CODE, {**env, "BENCH_ROOT": root})
            for key in ("FRAME", "FRAME_CPU", "PAINT"):
                found.setdefault(f"{name} {key}", []).append(ours[key] / bare[key])
                found.setdefault(f"{name} {key} ms", []).append(ours[key])
        for key in ("FRAME", "FRAME_CPU", "PAINT"):  # the pair's own ratio, new against old
            found.setdefault(f"new/old {key}", []).append(found[f"new {key} ms"][-1] / found[f"old {key} ms"][-1])
        found.setdefault("bare FRAME ms", []).append(bare["FRAME"])
        found.setdefault("bare FRAME_CPU ms", []).append(bare["FRAME_CPU"])
        print(run, {k: round(v[-1], 3) for k, v in found.items()}, flush=True)
for key, values in sorted(found.items()):
    scale = 1000 if key.endswith("ms") else 1
    print(f"{key:20} {bench_ui.spread(values, scale, 1 if scale > 1 else 3)}")
