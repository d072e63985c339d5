"""Would a learned ranker choose he/she antecedents better than the rules? Measured, not shipped.

    python benchmarks/pronoun_ranker.py            # 4-fold cross-validation on PolNeAR train, then dev

For every he/she speaker the rules resolve (tui.core.language.quotes), this script collects a wide pool
of person candidates from the same _Attributor the rules use: every earlier speaker, every name standing
as a subject in the pronoun's paragraph and the five before, every owner (`Lee’s plan`), every name in any
role. Each candidate is labelled by the scorer's own matching against the gold speaker (and its alts).
A conditional logit (softmax over one pronoun's candidates, pure Python, L2, SGD) is trained on PolNeAR
train only; its features are the rule's own choice, where the candidate was found (speaker / subject /
owner / any name / the same sentence), paragraph distance, recency rank among candidates and among
speakers, mention count, a gender the name itself carries, and the name's length.

Reported: the pool's coverage (resolvable gold among the candidates), and for the ranker, quotations it
would turn right and turn wrong, on held-out train folds (articles split 4 ways) and on dev after training
on all of train, for several margins over the rule's own choice (the ranker overrides the rule only when
its best candidate scores that much higher).
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
from bisect import bisect_left
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[2] / "shared"
EXTERNAL = SHARED / "data" / "external"
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(SHARED / "tools"))

import score_extraction as se

import tui.core.language.quotes as Q

_LOG: list[dict] = []
_RULES = Q._Attributor.resolve_pronoun


def _pool(att: Q._Attributor, pronoun: str, at: int, p: int) -> list[dict]:
    sex = {"he": "m", "she": "f"}[pronoun]
    here = att.sentence_of.get(at)
    cands: dict[str, dict] = {}

    def add(off: int, name: str, kind: str, src: str) -> None:
        if off >= at or kind == "pron":
            return
        name = Q._AFFILIATION_END.sub("", name) or name
        if not att._fits(name, kind, ("person",), sex):
            return
        pp = max(0, bisect_left(att.para_starts, off + 1) - 1)
        c = cands.setdefault(name, {"name": name, "off": off, "srcs": set(), "pdist": p - pp, "n": 0})
        c["n"] += 1
        c["srcs"].add(src)
        if off > c["off"]:
            c["off"], c["pdist"] = off, p - pp
        if here is not None and att.sentence_of.get(off) == here:
            c["srcs"].add("samesent")

    for off, name, kind in att.history:
        add(off, name, kind, "hist")
    for pp in range(p, max(-1, p - 6), -1):
        for off, name, kind in att._para_mentions(pp):
            add(off, name, kind, "ment")
        for off, name, kind in att.owners.get(pp, []):
            add(off, name, kind, "owner")
        for off, run in att.named.get(pp, []):
            if (len(run) > 1 or Q._low(run[0]) in att.known_names) and Q._valid_np(run):
                name = att._np_text(run)
                add(off, name, Q._kind(name), "named")
    return [dict(c, srcs=sorted(c["srcs"]), g=att.gender(c["name"])) for c in cands.values()]


def _logged(self: Q._Attributor, pronoun: str, at: int, p: int, depth: int = 0) -> str | None:
    res = _RULES(self, pronoun, at, p, depth)
    if depth == 0 and pronoun in ("he", "she"):
        _LOG.append({"at": at, "res": res, "pron": pronoun, "pool": _pool(self, pronoun, at, p)})
    return res


def collect(path: Path) -> list[dict]:
    """One row per matched gold quotation whose speaker the rules found through he/she."""
    Q._Attributor.resolve_pronoun = _logged  # type: ignore[method-assign]
    rows = []
    try:
        for line in path.open(encoding="utf-8"):
            g = json.loads(line)
            _LOG.clear()
            found = Q.extract_quotes(g["text"])
            logs = list(_LOG)
            seen, preds = set(), []
            for q in found:
                t = se.norm(q.text)
                if t and t not in seen:
                    seen.add(t)
                    preds.append((t, q))
            golds = [(se.norm(x["text"]), x) for x in g["quotes"]]
            pairs = sorted((-se.token_f1(pt, gt), pi, gi) for pi, (pt, _) in enumerate(preds)
                           for gi, (gt, _) in enumerate(golds) if se.token_f1(pt, gt) >= se.SPAN_MIN_F1)
            used_p, used_g = set(), set()
            for _, pi, gi in pairs:
                if pi in used_p or gi in used_g:
                    continue
                used_p.add(pi)
                used_g.add(gi)
                gq, q = golds[gi][1], preds[pi][1]
                near = [e for e in logs if q.start - 600 <= e["at"] <= q.end + 200 and e["res"] == q.speaker]
                if q.speaker is None or not near:
                    continue
                e = min(near, key=lambda e: abs(e["at"] - q.start))
                for c in e["pool"]:
                    c["gold"] = se.speaker_matches(c["name"], gq.get("speaker"), gq.get("speaker_alts"))
                    c["rule"] = se.head_noun(c["name"]) == se.head_noun(q.speaker)
                rows.append({"id": g["id"], "pron": e["pron"], "pool": e["pool"],
                             "ok": se.speaker_matches(q.speaker, gq.get("speaker"), gq.get("speaker_alts")),
                             "unresolved": bool(gq.get("speaker_unresolved"))})
    finally:
        Q._Attributor.resolve_pronoun = _RULES  # type: ignore[method-assign]
    return rows


def features(row: dict) -> list[dict[str, float]]:
    pool = row["pool"]
    by_recency = sorted(pool, key=lambda c: -c["off"])
    speakers = [c for c in by_recency if "hist" in c["srcs"]]
    sex = "m" if row["pron"] == "he" else "f"
    out = []
    for c in pool:
        f = {"rule": float(c["rule"]), "logn": math.log(1 + c["n"]), "gender_sure": float(c["g"] == sex),
             f"pd{min(c['pdist'], 3)}": 1.0, f"rank{min(by_recency.index(c), 3)}": 1.0,
             f"words{min(len(c['name'].split()), 3)}": 1.0, "lower": float(c["name"][:1].islower()),
             "only_named": float(c["srcs"] == ["named"])}
        f.update({"src_" + s: 1.0 for s in c["srcs"]})
        if c in speakers:
            f[f"speaker_rank{min(speakers.index(c), 2)}"] = 1.0
        out.append(f)
    return out


def train(rows: list[dict], epochs: int = 30, lr: float = 0.1, l2: float = 1e-3) -> Counter:
    w: Counter = Counter()
    data = [(features(r), [c["gold"] for c in r["pool"]]) for r in rows]
    data = [d for d in data if any(d[1]) and len(d[1]) > 1]
    for epoch in range(epochs):
        random.Random(epoch).shuffle(data)
        for feats, gold in data:
            s = [sum(w[k] * v for k, v in f.items()) for f in feats]
            top = max(s)
            e = [math.exp(x - top) for x in s]
            z = sum(e)
            p = [x / z for x in e]
            pg = sum(pi for pi, g in zip(p, gold, strict=True) if g)
            for f, pi, g in zip(feats, p, gold, strict=True):
                coef = (pi / pg if g else 0.0) - pi  # gradient of log P(any gold candidate)
                for k, v in f.items():
                    w[k] += lr * coef * v
            for k in list(w):
                w[k] *= 1 - lr * l2
    return w


def overrides(rows: list[dict], w: Counter, margin: float) -> tuple[int, int]:
    """(quotations the ranker turns right, quotations it turns wrong) against the rules' answers."""
    gained = lost = 0
    for r in rows:
        if r["unresolved"] or not r["pool"]:
            continue
        s = [sum(w[k] * v for k, v in f.items()) for f in features(r)]
        best = max(range(len(s)), key=lambda i: s[i])
        rule = next((i for i, c in enumerate(r["pool"]) if c["rule"]), None)
        if rule is not None and (best == rule or s[best] - s[rule] <= margin):
            continue
        now = r["pool"][best]["gold"]
        gained += now and not r["ok"]
        lost += r["ok"] and not now
    return gained, lost


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--folds", type=int, default=4)
    a = ap.parse_args(argv)
    tr = collect(EXTERNAL / "quotes-polnear-train.jsonl")
    dv = collect(EXTERNAL / "quotes-polnear-dev.jsonl")
    for name, rows in (("train", tr), ("dev", dv)):
        res = [r for r in rows if not r["unresolved"]]
        print(f"{name}: {len(rows)} he/she speakers matched, {len(res)} with a resolvable gold; rules right "
              f"{sum(r['ok'] for r in res)}; gold among the pool {sum(any(c['gold'] for c in r['pool']) for r in res)}; "
              f"rules wrong but gold in the pool {sum(not r['ok'] and any(c['gold'] for c in r['pool']) for r in res)}")
    ids = sorted({r["id"] for r in tr})
    random.Random(0).shuffle(ids)
    w = train(tr)
    for margin in (0.0, 0.5, 1.0, 2.0):
        g = lo = 0
        for k in range(a.folds):
            held = set(ids[k::a.folds])
            wk = train([r for r in tr if r["id"] not in held])
            dg, dl = overrides([r for r in tr if r["id"] in held], wk, margin)
            g, lo = g + dg, lo + dl
        print(f"margin {margin}: train held-out folds +{g} -{lo}; in-sample +{overrides(tr, w, margin)[0]} "
              f"-{overrides(tr, w, margin)[1]}; dev +{overrides(dv, w, margin)[0]} -{overrides(dv, w, margin)[1]}")
    print("weights (all of train):", ", ".join(f"{k} {v:+.2f}" for k, v in sorted(w.items(), key=lambda kv: -abs(kv[1]))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
