"""Score tui.core.language.quotes.extract_quotes on gold texts: span P/R/F1, speaker accuracy, ms/article.

    python benchmarks/bench_quotes.py                      # extraction-gold dev (default)
    python benchmarks/bench_quotes.py --external quotes-polnear-dev.jsonl   # a set in ../shared/data/external/
    python benchmarks/bench_quotes.py --speed              # typical and 2,000-word articles, quotes (+ places)

--external scores in-process with the same rules as ../shared/tools/score_external.py (it imports its
scoping and extra figures), so its numbers match that script's without running the CLI.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[2] / "shared"
GOLD = SHARED / "data" / "extraction-gold" / "dev.jsonl"
SCORER = SHARED / "tools" / "score_extraction.py"
EXTERNAL = SHARED / "data" / "external"

sys.path.insert(0, str(REPO))

from tui.core.language.quotes import extract_quotes


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--gold", type=Path, default=GOLD)
    ap.add_argument("--repeat", type=int, default=20, help="timing runs per article (median taken)")
    ap.add_argument("--per-article", action="store_true", help="pass --per-article to the scorer")
    ap.add_argument("--show", action="store_true", help="print every predicted quote")
    ap.add_argument("--external", help="a quotes file in ../shared/data/external/ (or a path)")
    ap.add_argument("--speed", action="store_true", help="time typical and 2,000-word PolNeAR articles")
    ap.add_argument("--without-doubled", action="store_true",
                    help="with --external: leave out quotations opened by a doubled mark ('' or ‘‘), which the "
                         "PolNeAR converter does not read as quotation marks")
    a = ap.parse_args(argv)
    if a.external:
        return external(Path(a.external) if Path(a.external).exists() else EXTERNAL / a.external, a.without_doubled)
    if a.speed:
        return speed(a.repeat)
    if not a.gold.exists() or not SCORER.exists():
        print(f"needs {a.gold} and {SCORER} (the shared folder beside the checkout)", file=sys.stderr)
        return 2
    articles = [json.loads(line) for line in a.gold.read_text(encoding="utf-8").splitlines() if line.strip()]
    articles = [g for g in articles if isinstance(g.get("text"), str)]
    timings, lines = [], []
    for g in articles:
        runs = []
        for _ in range(a.repeat):
            t0 = time.perf_counter()
            quotes = extract_quotes(g["text"])
            runs.append(time.perf_counter() - t0)
        timings.append(statistics.median(runs) * 1000)
        assert all(g["text"][q.start:q.end] == q.text for q in quotes)
        if a.show:
            print(f"== {g['id'][:12]}")
            for q in quotes:
                print(f"   {'P' if q.partial else ' '} {q.text[:60]!r:64} | {q.speaker}")
        lines.append({"id": g["id"], "source": f"{g['id']}.txt", "title": "",
                      "quotes": [{"text": q.text, "speaker": q.speaker, "start": q.start, "end": q.end}
                                 for q in quotes],
                      "places": []})
    with tempfile.TemporaryDirectory() as tmp:
        pred = Path(tmp) / "pred.jsonl"
        pred.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), encoding="utf-8")
        res_path = Path(tmp) / "res.json"
        cmd = [sys.executable, str(SCORER), str(a.gold), str(pred), "--json", str(res_path)]
        if a.per_article:
            cmd.append("--per-article")
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if a.per_article or done.returncode:
            print(done.stdout, end="")
            print(done.stderr, end="", file=sys.stderr)
        res = json.loads(res_path.read_text(encoding="utf-8"))
    q = res["quotes"]
    if a.per_article:
        for art in res["per_article"]:
            qa = art["quotes"]
            if qa["speaker_errors"] or qa["missed"] or qa["extra"]:
                print(f"-- {art['id'][:12]}")
                for e in qa["speaker_errors"]:
                    print(f"   speaker  {e['quote'][:50]!r}: gold {e['gold']!r}, predicted {e['pred']!r}")
                for m in qa["missed"]:
                    print(f"   missed   {m!r}")
                for x in qa["extra"]:
                    print(f"   extra    {x!r}")
    print(f"articles {len(articles)} | quotes gold {q['gold']}, predicted {q['pred']}, matched {q['matched']}")
    print(f"span P {q['span_p']:.3f} R {q['span_r']:.3f} F1 {q['span_f1']:.3f} | "
          f"speaker accuracy {q['speaker_acc']:.3f} | e2e F1 {q['e2e_f1']:.3f} | "
          f"needs_context speaker accuracy {q['needs_context']['speaker_acc']:.3f}")
    print(f"median {statistics.median(timings):.2f} ms/article (max {max(timings):.2f}) over {a.repeat} runs each")
    return 0


def external(path: Path, without_doubled: bool = False) -> int:
    """Score one external quotes set in-process, with score_external's explicit/needs_context split."""
    if not path.exists():
        print(f"needs {path}", file=sys.stderr)
        return 2
    sys.path.insert(0, str(SCORER.parent))
    import score_external as sx
    import score_extraction as se

    gold = se.read_jsonl(str(path))
    preds, times = [], []
    for g in gold:
        t0 = time.perf_counter()
        quotes = extract_quotes(g["text"])
        times.append((time.perf_counter() - t0) * 1000)
        if without_doubled:
            quotes = [q for q in quotes if g["text"][max(0, q.start - 2):q.start] not in ("''", "‘‘", "’’")]
        preds.append({"id": g["id"], "source": f"{g['id']}.txt", "title": "", "places": [],
                      "quotes": [{"text": q.text, "speaker": q.speaker, "start": q.start, "end": q.end}
                                 for q in quotes]})
    g2, p2, _ = sx.scoped(gold, preds, False)
    q = se.score(g2, p2)["quotes"]
    x = sx.quote_extras(g2, p2)
    print(f"{path.name}: {len(gold)} articles | quotes gold {q['gold']}, predicted {q['pred']}, matched {q['matched']}")
    print(f"span P {q['span_p']:.3f} R {q['span_r']:.3f} F1 {q['span_f1']:.3f} | speaker acc {q['speaker_acc']:.3f} "
          f"(explicit {x['speaker_acc_explicit']:.3f}, needs_context {q['needs_context']['speaker_acc']:.3f}, "
          f"resolved gold {x['speaker_acc_resolved']:.3f}) | e2e F1 {q['e2e_f1']:.3f} | lenient span P "
          f"{x['lenient_span_p']:.3f}")
    print(f"quotes only: median {statistics.median(times):.2f} ms/article (max {max(times):.2f}), one run each")
    return 0


def speed(repeat: int) -> int:
    """Median ms for quotes alone and quotes + places on median-length and ~2,000-word PolNeAR articles."""
    path = EXTERNAL / "quotes-polnear-train.jsonl"
    if not path.exists():
        print(f"needs {path}", file=sys.stderr)
        return 2
    from tui.core.language.places import extract_places, load_gazetteer

    load_gazetteer()
    arts = [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    by_len = sorted(arts, key=len)
    groups = {"typical (median length)": by_len[len(by_len) // 2 - 10:len(by_len) // 2 + 10],
              "2,000 words": [t for t in arts if 1800 <= len(t.split()) <= 2300][:20]}
    for name, texts in groups.items():
        quotes_ms, both_ms = [], []
        for text in texts:
            rq, rb = [], []
            for _ in range(repeat):
                t0 = time.perf_counter()
                extract_quotes(text)
                t1 = time.perf_counter()
                extract_places(text)
                t2 = time.perf_counter()
                rq.append((t1 - t0) * 1000)
                rb.append((t2 - t0) * 1000)
            quotes_ms.append(statistics.median(rq))
            both_ms.append(statistics.median(rb))
        words = statistics.median(len(t.split()) for t in texts)
        print(f"{name}: {len(texts)} articles, median {words:.0f} words | quotes median {statistics.median(quotes_ms):.2f} ms "
              f"(max {max(quotes_ms):.2f}) | quotes + places median {statistics.median(both_ms):.2f} ms "
              f"(max {max(both_ms):.2f}) over {repeat} runs each")
    return 0


if __name__ == "__main__":
    sys.exit(main())
