"""Train the pronoun ranker of tui/core/language/quotes.py on PolNeAR train; write tui/core/data/quote_ranker.json.

    python benchmarks/train_quote_ranker.py                 # train on quotes-polnear-train.jsonl, write the weights
    python benchmarks/train_quote_ranker.py --dry-run       # train and print, write nothing

Each time a pronoun speaker ("he said") has two or more fitting antecedents, the extractor lists them with a
few features (recency rank, paragraph distance, was a speaker, opens its sentence, gender, salience, the
nearest-candidate rule's choice). A conditional-logit model over those lists learns which one the PolNeAR
annotators named (scorer head-noun match). Pure Python; dev is never read here (it stays for measuring).
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[2] / "shared"
EXTERNAL = SHARED / "data" / "external"
OUT = REPO / "tui" / "core" / "data" / "quote_ranker.json"

sys.path.insert(0, str(REPO))
sys.path.insert(0, str(SHARED / "tools"))

from tui.core.language import quotes as Q  # noqa: E402


def collect(path: Path) -> list[tuple[list[dict[str, float]], list[int]]]:
    """(candidate features, labels) for every pronoun resolution whose quotation matches a gold one."""
    import score_extraction as se

    made: list[Q._Attributor] = []
    original = Q._Attributor.__init__

    def init(self: Q._Attributor, *args: object, **kw: object) -> None:
        original(self, *args, **kw)  # type: ignore[arg-type]
        self.trace = []
        made.append(self)

    Q._Attributor.__init__ = init  # type: ignore[method-assign]
    Q._ranker_weights.cache_clear()
    saved = Q._ranker_weights
    Q._ranker_weights = lambda: {}  # type: ignore[assignment]  # features of the rule alone
    rows = []
    try:
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            g = json.loads(line)
            made.clear()
            found = Q.extract_quotes(g["text"])
            if not made or not made[0].trace:
                continue
            for at, cands in made[0].trace:
                if len(cands) < 2:
                    continue
                near = [q for q in found if q.start - 300 <= at <= q.end + 300]
                if not near:
                    continue
                q = min(near, key=lambda q: min(abs(at - q.start), abs(at - q.end)))
                best = max(g["quotes"], key=lambda gq: se.token_f1(q.text, gq["text"]), default=None)
                if best is None or se.token_f1(q.text, best["text"]) < 0.8 or best.get("speaker_unresolved") \
                        or not best.get("speaker"):
                    continue
                labels = [int(se.speaker_matches(name, best.get("speaker"), best.get("speaker_alts"))) for name, _ in cands]
                if any(labels):
                    rows.append(([f for _, f in cands], labels))
    finally:
        Q._Attributor.__init__ = original  # type: ignore[method-assign]
        Q._ranker_weights = saved  # type: ignore[assignment]
    return rows


def train(rows: list[tuple[list[dict[str, float]], list[int]]], epochs: int = 40, rate: float = 0.1,
          l2: float = 1e-3) -> dict[str, float]:
    w: dict[str, float] = {}
    rnd = random.Random(0)
    order = list(range(len(rows)))
    for _ in range(epochs):
        rnd.shuffle(order)
        for i in order:
            feats, labels = rows[i]
            scores = [sum(w.get(k, 0.0) * v for k, v in f.items()) for f in feats]
            top = max(scores)
            exp = [math.exp(s - top) for s in scores]
            z = sum(exp)
            probs = [e / z for e in exp]
            npos = sum(labels)
            for f, pr, lab in zip(feats, probs, labels):
                grad = lab / npos - pr
                for k, v in f.items():
                    w[k] = w.get(k, 0.0) + rate * (grad * v - l2 * w.get(k, 0.0))
    return {k: round(v, 4) for k, v in sorted(w.items())}


def accuracy(rows: list[tuple[list[dict[str, float]], list[int]]], w: dict[str, float]) -> float:
    ok = 0
    for feats, labels in rows:
        scores = [sum(w.get(k, 0.0) * v for k, v in f.items()) for f in feats]
        ok += labels[scores.index(max(scores))]
    return ok / len(rows) if rows else 0.0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--train", default=str(EXTERNAL / "quotes-polnear-train.jsonl"))
    ap.add_argument("--dry-run", action="store_true")
    a = ap.parse_args(argv)
    rows = collect(Path(a.train))
    rule = {"rule": 1.0}
    w = train(rows)
    print(f"{len(rows)} resolutions with 2+ candidates and a creditable one | rule alone {accuracy(rows, rule):.3f} "
          f"| ranker {accuracy(rows, w):.3f} (on its own training rows)")
    print(json.dumps(w))
    if not a.dry_run:
        OUT.write_text(json.dumps({"model": "conditional logit over pronoun antecedents",
                                   "trained_on": Path(a.train).name, "weights": w}, indent=1) + "\n",
                       encoding="utf-8")
        print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
