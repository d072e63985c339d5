"""Score tui.core.language.quotes.extract_quotes on the dev gold texts: span P/R/F1, speaker accuracy, ms/article."""

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

sys.path.insert(0, str(REPO))

from tui.core.language.quotes import extract_quotes  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--gold", type=Path, default=GOLD)
    ap.add_argument("--repeat", type=int, default=20, help="timing runs per article (median taken)")
    ap.add_argument("--per-article", action="store_true", help="pass --per-article to the scorer")
    ap.add_argument("--show", action="store_true", help="print every predicted quote")
    a = ap.parse_args(argv)
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


if __name__ == "__main__":
    sys.exit(main())
