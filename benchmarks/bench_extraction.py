"""End-to-end quotes and places on the gold dev texts, through `newswire extract --format jsonl`.

Writes each gold text to <id>.txt (the scorer's own --dump-texts), runs the real command on all of
them in one process, scores the output with ../shared/tools/score_extraction.py, and times the
in-process extraction (clean → quotes → places) per article, median of --repeat runs.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
GOLD = SHARED / "data" / "extraction-gold" / "dev.jsonl"
SCORER = SHARED / "tools" / "score_extraction.py"

sys.path.insert(0, str(REPO))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", type=Path, default=GOLD)
    ap.add_argument("--repeat", type=int, default=20)
    a = ap.parse_args(argv)
    if not a.gold.exists():
        print(f"needs {a.gold} (the shared folder beside the checkout)", file=sys.stderr)
        return 2
    from tui.core.article import article_from_text
    from tui.core.language.places import extract_places, load_gazetteer
    from tui.core.language.quotes import extract_quotes

    with tempfile.TemporaryDirectory() as tmp:
        texts = Path(tmp) / "texts"
        subprocess.run([sys.executable, str(SCORER), "--dump-texts", str(texts), str(a.gold)],
                       check=True, capture_output=True)
        files = sorted(texts.glob("*.txt"))
        pred = Path(tmp) / "pred.jsonl"
        with pred.open("w") as out:
            subprocess.run([sys.executable, str(REPO), "extract", "--format", "jsonl", *map(str, files)],
                           check=True, stdout=out, cwd=REPO)
        load_gazetteer()
        per_article, cleaning = [], []
        for f in files:
            raw = f.read_text(encoding="utf-8")
            runs, clean_runs = [], []
            for _ in range(a.repeat):
                t0 = time.perf_counter()
                text = article_from_text(raw).text
                t1 = time.perf_counter()
                extract_quotes(text)
                extract_places(text)
                runs.append((time.perf_counter() - t1) * 1000)
                clean_runs.append((t1 - t0) * 1000)
            per_article.append(statistics.median(runs))
            cleaning.append(statistics.median(clean_runs))
        median_ms = statistics.median(per_article)
        print(f"quotes + places per article: median {median_ms:.2f} ms, max {max(per_article):.2f} ms "
              f"over {len(files)} articles (cleaning the text first: median {statistics.median(cleaning):.2f} ms)")
        result = subprocess.run(
            [sys.executable, str(SCORER), str(a.gold), str(pred), "--texts-dir", str(texts),
             "--ms-per-article", f"{median_ms:.2f}", "--label", "newswire extract"],
            capture_output=True, text=True,
        )
        print(result.stdout.rstrip())
        return result.returncode


if __name__ == "__main__":
    sys.exit(main())
