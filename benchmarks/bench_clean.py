"""Speed of the cleaning pipeline (extract_article) against readability-lxml alone, on the benchmark pages."""

from __future__ import annotations

import argparse
import gzip
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from readability import Document

from tui.core.article import extract_article

DATA = ROOT.parent / "shared" / "data" / "article-extraction-benchmark"


def readability_alone(html: str) -> str:
    return Document(html).summary(html_partial=True)


def pipeline(html: str) -> str:
    return extract_article(html).text


def docs_per_second(fn, pages: list[str]) -> float:
    t0 = time.perf_counter()
    for page in pages:
        fn(page)
    return len(pages) / (time.perf_counter() - t0)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data-dir", type=Path, default=DATA)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    files = sorted((args.data_dir / "html").glob("*.html.gz"))
    if not files:
        print(f"no pages under {args.data_dir / 'html'}")
        return 1
    pages = [gzip.decompress(f.read_bytes()).decode("utf-8", errors="replace") for f in files]
    for fn in (readability_alone, pipeline):  # warm-up: imports, regex compilation
        fn(pages[0])
    ours, theirs = [], []
    for _ in range(args.runs):  # interleaved, so machine noise hits both alike
        theirs.append(docs_per_second(readability_alone, pages))
        ours.append(docs_per_second(pipeline, pages))
    r, o = statistics.median(theirs), statistics.median(ours)
    print(f"{len(pages)} pages, {args.runs} runs, medians:")
    print(f"  readability-lxml alone  {r:7.1f} docs/s")
    print(f"  extract_article         {o:7.1f} docs/s")
    print(f"  ratio (ours / readability) {o / r:.2f}  (goal >= 0.50)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
