"""Where an article open spends its time in the core (no UI): store reads, cleaning, quotes, places.

    python benchmarks/probe_open.py [--entries 10000] [--opens 20] [--db PATH]

Builds (or reuses, with --db) a store like bench_ui.py's, then for `--opens` entries times each core
step the reader runs on a first open and on a cached open. CPU time per step (medians), so the
figures hold on a loaded machine; the UI's own layout and paint come on top (bench_ui.py).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--entries", type=int, default=10_000)
    ap.add_argument("--opens", type=int, default=20)
    ap.add_argument("--db", type=Path)
    args = ap.parse_args()
    from tui.core.article import extract_fragment  # type: ignore[attr-defined]
    from tui.core.language.places import extract_places, load_gazetteer
    from tui.core.language.quotes import extract_quotes
    from tui.core.paths import resolve_paths
    from tui.core.schema import article_from_dict, article_to_dict
    from tui.core.store import Store

    if args.db is None:
        from bench_ui import make_store

        home = Path(tempfile.mkdtemp(prefix="probe-open-"))
        make_store(home, args.entries)
        db = resolve_paths(home).database
    else:
        db = args.db
    load_gazetteer()
    steps: dict[str, list[float]] = {}

    def timed(name: str, fn, *a, **k):  # type: ignore[no-untyped-def]
        t = time.process_time()
        value = fn(*a, **k)
        steps.setdefault(name, []).append(time.process_time() - t)
        return value

    with Store(db) as store:
        ids = [e.id for e in store.entries(limit=args.opens * 7)][:: 7][: args.opens]
        for entry_id in ids:
            entry = timed("store.entry (full row)", store.entry, entry_id)
            article = timed("clean (extract_fragment)", extract_fragment, entry.content or entry.summary,
                            title=entry.title, url=entry.link)
            text = article.text
            timed("quotes (extract_quotes)", lambda text=text: list(extract_quotes(text)))
            timed("places (extract_places)", lambda text=text: list(extract_places(text)))
            data = json.dumps(article_to_dict(article), ensure_ascii=False)
            timed("cached: article_from_dict(json)", lambda data=data: article_from_dict(json.loads(data)))
    print(f"{len(ids)} opens, CPU ms per step (median, max):")
    for name, values in steps.items():
        print(f"  {name:34} {statistics.median(values) * 1000:7.1f}  {max(values) * 1000:7.1f}")


if __name__ == "__main__":
    main()
