"""Score tui.core.article on the syndicated-junk set, the way `newswire clean` will see it (no CLI needed)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(SHARED / "tools"))
sys.dont_write_bytecode = True

from synd_common import feed_items, fold, item_page, norm
from syndicated_score import kept_in_order

from tui.core.article import extract_article, extract_fragment


def cases(set_dir: Path, fragments: bool):
    for exp_path in sorted(set_dir.glob("*.expected.json")):
        name = exp_path.name[: -len(".expected.json")]
        exp = json.loads(exp_path.read_text(encoding="utf-8"))
        if exp.get("kind") == "feed" or "items" in exp:
            xml = (set_dir / exp["file"]).read_text(encoding="utf-8")
            by_guid = {it["guid"]: it for it in feed_items(xml)}
            for n, item in enumerate(exp["items"], 1):
                it = by_guid[item["guid"]]
                if fragments:
                    art = extract_fragment(it["content"], title=it["title"], url=it["link"])
                else:
                    art = extract_article(item_page(it["title"], it["link"], it["content"]))
                yield f"{name}#item{n}", item, art
        else:
            art = extract_article((set_dir / exp["file"]).read_bytes())
            yield name, exp, art


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--set", type=Path, default=SHARED / "data" / "syndicated")
    ap.add_argument("--fragments", action="store_true", help="feed items through extract_fragment")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    tj = lj = tp = kp = tok = n = 0
    for name, exp, art in cases(args.set, args.fragments):
        n += 1
        text = norm(art.text)
        left = [j for j in exp["junk"] if fold(j) in text.casefold()]
        kept = kept_in_order([norm(p) for p in exp["paragraphs"]], text)
        title_ok = fold(art.title) == fold(exp["title"]) and fold(exp["title"]) not in text.casefold()
        tj += len(exp["junk"]); lj += len(left); tp += len(kept); kp += sum(kept); tok += title_ok
        print(f"  {name:44s} junk left {len(left):2d}/{len(exp['junk']):<3d} body {sum(kept):3d}/{len(kept):<3d} "
              f"title {'ok' if title_ok else 'BAD ' + repr(art.title[:70])}")
        for j in left:
            print(f"      junk left [{exp['junk_kinds'].get(j)}]: {j[:110]}")
        for p, k in zip(exp["paragraphs"], kept, strict=False):
            if not k:
                print(f"      missing: {p[:110]}")
        if args.verbose:
            for cat, t in art.removed:
                print(f"      removed [{cat}] {t[:100]}")
    print(f"junk removed {100 * (tj - lj) / tj:.1f}% ({tj - lj}/{tj}), body kept {100 * kp / tp:.1f}% ({kp}/{tp}), "
          f"titles {tok}/{n}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
