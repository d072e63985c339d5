"""Rules that remove syndication junk (repeated headlines, source links, promos, captions…) from article blocks."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from tui.core.article.rules import RULES, Rule
from tui.core.models import Block

# A bare dateline in its own block ("WASHINGTON (Reuters) -"): part of the next paragraph.
_DATELINE_ALONE = re.compile(
    r"^[A-Z][A-Z.'’ -]{1,40}(?:,\s*[A-Z][\w.'’ ]{1,30})?(?:\s*\([\w .&/-]{1,30}\))?\s*(?:[-–—]{1,2}|:)?$"
)
_TERMINAL = re.compile(r"[.!?:;…\"”’')\]。！？」』）]\s*$")
_WORD = re.compile(r"\w+")
_SENTENCE_END = re.compile(r"[.!?:;…][\"”’')\]]*\s*$")  # closing quotes may follow, as in headlines
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_ELLIPSIS_END = re.compile(r"(?:…|\.\.\.|\[\s*(?:…|\.\.\.)\s*\]|\b(?:read more|continue reading)\W*)\s*$", re.I)
_CONTACT = re.compile(r"^\s*(?:\S+@\S+\.\w+|(?:https?://|www\.)\S+)\s*$", re.I)  # an address, not a story link
_URL = re.compile(r"^\s*(?:https?://|www\.)\S+\s*$", re.I)
_STOP = frozenset(
    "a an the of in on at to for and or but by with from as is are was were be its it this that".split()
)


@dataclass(slots=True)
class Candidate:
    """A block as the page walk found it, with the structural signals the rules need."""

    block: Block
    links: float = 0.0  # share of the text inside links
    caption: bool = False  # inside figure/figcaption/caption
    linked: bool = False  # the whole block is one link
    row: bool = False  # a table row (cells joined by spaces)
    nlinks: int = 0  # how many links the block holds


@dataclass(slots=True)
class Cleaned:
    """What cleaning kept, what it dropped and the metadata it found on the way."""

    blocks: list[Block]
    removed: list[tuple[str, str]] = field(default_factory=list)
    standfirst: str | None = None
    byline: str | None = None


def fold(text: str) -> str:
    """Lower-case, typographic quotes and dashes made plain, spaces collapsed: for comparisons."""
    text = text.translate(_FOLD).casefold()
    return " ".join(text.split())


_FOLD = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " "})


def tokens(text: str) -> list[str]:
    return [t for t in _WORD.findall(text.casefold()) if t not in _STOP]


def is_title_variant(text: str, title: str) -> bool:
    """The headline again, or a rewritten variant of it (token overlap), not a sentence of the story."""
    if not title:
        return False
    ft, fb = fold(title).rstrip(" .!?"), fold(text).rstrip(" .!?")
    if fb == ft:
        return True
    tb, tt = tokens(text), tokens(title)
    if not tb or not tt or len(tb) > 2 * len(tt) + 2:
        return False
    end = text.rstrip().rstrip("\"”’'»")
    if end.endswith((".", ";", ":", "…")) or (end.endswith(("?", "!")) and len(tb) > len(tt) + 2):
        return False  # a sentence of the story that happens to retell the headline
    common = len(set(tb) & set(tt))
    return common / len(set(tt)) >= 0.5 and common / len(set(tb)) >= 0.4


def _word_count(text: str) -> int:
    """Words, with CJK text (no spaces between words) counted as one word per two characters."""
    cjk = len(_CJK.findall(text))
    if cjk:
        return len(_WORD.findall(_CJK.sub(" ", text))) + cjk // 2
    return len(_WORD.findall(text))


def _is_body_paragraph(c: Candidate) -> bool:
    """A real paragraph of prose: long enough, few links, not a cut-off excerpt."""
    b = c.block
    return (
        b.kind in ("paragraph", "blockquote", "list_item")
        and _word_count(b.text) >= 25
        and c.links < 0.3
        and not _ELLIPSIS_END.search(b.text)
    )


def _looks_listing(c: Candidate) -> bool:
    """An item of a list of other stories: a linked or headline-like line, an excerpt, a date."""
    b = c.block
    if c.links >= 0.5 or c.linked or c.caption:
        return True
    if _ELLIPSIS_END.search(b.text):
        return True
    words = _word_count(b.text)
    return b.kind == "heading" or (words <= 20 and not _TERMINAL.search(b.text))


def _is_shouting(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 8 and sum(ch.isupper() for ch in letters) >= 0.9 * len(letters)


def _is_title_case(text: str) -> bool:
    """A headline-styled line: six words or more, nearly all capitalised, no closing punctuation."""
    words = [w for w in text.split() if w[:1].isalpha()]
    if len(words) < 6 or _TERMINAL.search(text):
        return False
    return sum(w[0].isupper() for w in words) >= 0.85 * len(words)


def _listing_tail(cands: list[Candidate], last_body: int) -> int:
    """Start of a run of other stories' headlines (three or more) closing the page, else len().

    Blocks that a rule already names (source links, feed footers) may sit inside the run but
    do not count towards it, so a lone credit line before them is not taken for a listing.
    """
    n = len(cands)
    start = n
    run: list[Candidate] = []
    for i in range(n - 1, last_body, -1):
        c = cands[i]
        if match_rule(c.block.text, {"anywhere", "end"}) is not None:
            start = i
            continue
        if (c.block.kind == "list_item" and not c.links) or not _looks_listing(c):
            break
        run.append(c)
        start = i
    headline_like = sum(
        1 for c in run
        if (c.links >= 0.5 and not _URL.match(c.block.text)) or c.block.kind == "heading" or _is_shouting(c.block.text)
    )
    return start if len(run) >= 3 and headline_like >= 0.6 * len(run) else n


def _teaser_run(cands: list[Candidate]) -> set[int]:
    """Blocks of a run of other stories' teasers inside the body (a carousel or a rail).

    A teaser is a short kicker heading over a headline (a line without closing punctuation);
    three in a row are not the story's own sub-headings, which head sentences.
    """
    pairs: list[int] = []
    found: set[int] = set()
    i = 0
    while i + 1 < len(cands):
        head, line = cands[i].block, cands[i + 1].block
        if (head.kind == "heading" and _word_count(head.text) <= 6 and not _SENTENCE_END.search(head.text)
                and line.kind == "paragraph" and 4 <= _word_count(line.text) <= 25
                and not _SENTENCE_END.search(line.text)):
            pairs.append(i)
            i += 2
            continue
        if len(pairs) >= 3:
            found.update(j for k in pairs for j in (k, k + 1))
        pairs = []
        i += 1
    if len(pairs) >= 3:
        found.update(j for k in pairs for j in (k, k + 1))
    return found


def match_rule(text: str, where: set[str]) -> Rule | None:
    """The first rule of the table that applies to this text at this position."""
    n = len(text)
    for rule in RULES:
        if n > rule.max_len or (rule.where != "anywhere" and rule.where not in where):
            continue
        if rule.pattern.search(text):
            return rule
    return None


def clean_blocks(cands: list[Candidate], *, title: str) -> Cleaned:
    """Drop junk blocks by the rule table and the structural signals; keep the story."""
    cands = _merge_datelines(cands)
    n = len(cands)
    prose = [_is_body_paragraph(c) for c in cands]
    body_idx = [i for i, p in enumerate(prose) if p]
    prose_after = [0] * (n + 1)  # story paragraphs from i to the end
    for i in range(n - 1, -1, -1):
        prose_after[i] = prose_after[i + 1] + prose[i]
    first_body = body_idx[0] if body_idx else n
    last_body = body_idx[-1] if body_idx else -1

    tail = _listing_tail(cands, last_body)
    teasers = _teaser_run(cands)
    title_words = _words(title)
    out = Cleaned(blocks=[])
    kept: list[Candidate] = []
    seen: set[str] = set()
    skipping_section = False
    for i, c in enumerate(cands):
        if i < 3 and "\n" in c.block.text and title_words:
            first, rest = c.block.text.split("\n", 1)
            if _words(first) == title_words and rest.strip():
                # A feed item's body that opens with its own title on a line of its own.
                out.removed.append(("repeated-headline", first))
                c = replace(c, block=replace(c.block, text=rest.strip()))
        text = c.block.text
        where = {"anywhere"}
        if i < first_body or i < 3:
            where.add("start")
        if i > last_body or i >= n - 3 or (i >= n // 2 and prose_after[i + 1] <= max(2, (n - i - 1) // 3)):
            where.add("end")  # past the story, or only a few stray paragraphs (comments, bios) follow

        if i >= tail:
            out.removed.extend(("related", rest.block.text) for rest in cands[i:])
            break
        if skipping_section:
            after = cands[i + 1] if i + 1 < n else None
            if (c.block.kind == "heading" and not c.links and after is not None
                    and after.block.kind == "list_item" and not after.links):
                skipping_section = False  # a plain heading over a plain list: the story's own section
            elif _looks_listing(c) and not prose[i]:
                out.removed.append(("related", text))
                continue
            skipping_section = False

        category: str | None = None
        rule = match_rule(text, where)
        if i in teasers:
            category = "related"
        elif rule is not None:
            category = rule.category
            if rule.action == "cut" and "end" in where:
                if (rule.category == "about-company" and kept and kept[-1].block.kind != "list_item"
                        and _ABOUT.match(kept[-1].block.text)):
                    out.removed.append((rule.category, kept.pop().block.text))  # its "About Acme" heading
                out.removed.extend((rule.category, rest.block.text) for rest in cands[i:])
                break
            if rule.action == "section":
                skipping_section = True
            if rule.category == "meta" and out.byline is None and "start" in where:
                out.byline = _byline_from(text)
        elif c.caption:
            category = "caption"
        elif "start" in where and c.block.kind != "list_item" and not c.linked and is_title_variant(text, title):
            category = "repeated-headline"
        elif body_idx and i < first_body and c.block.kind == "paragraph" and _is_title_case(text):
            category = "repeated-headline"  # a keyword-stuffed headline over the story
        elif fold(text) == fold(title) or (c.block.kind in ("paragraph", "heading") and len(title_words) >= 3
                                           and _words(text) == title_words):
            category = "repeated-headline"  # the headline again mid-text: a video's or a gallery's title
        elif (i < first_body or i > last_body) and _word_count(text) <= 40 and fold(text) in seen:
            # a dek or headline again, around the story (repeats inside it may be a recipe's steps)
            category = "repeated"
        elif "end" in where and c.linked and _word_count(text) <= 25 and not _CONTACT.match(text):
            category = "related"
        elif ("end" in where and c.nlinks >= 2 and c.links >= 0.9 and _word_count(text) <= 40
              and not _TERMINAL.search(text) and not _URL.match(text)):
            category = "tags"  # a row of links closing the story: tags, topics, categories
        elif c.links >= 0.5 and _heads_section(text):
            category = "related"  # "Don't miss" and other stories' headlines, one per line, in one block
        elif c.links >= 0.5 and _is_shouting(text):
            category = "also-read"  # an inline promo: another story's headline in capitals, linked
        elif (body_idx and i < first_body and c.block.kind == "paragraph" and not c.row
              and _word_count(text) <= 5 and not _TERMINAL.search(text)):
            category = "meta"  # a kicker, section label or dateless byline over the story
        elif not _word_count(text):
            category = "empty"
        if category is not None:
            out.removed.append((category, text))
            continue
        seen.add(fold(text))
        kept.append(c)

    out.blocks = [c.block for c in kept]
    while out.blocks and _DRAWN_RULE.match(out.blocks[-1].text):
        out.removed.append(("chrome", out.blocks.pop().text))  # a trailing ___ (its sign-off was removed)
    _drop_pull_quotes(out)
    _pick_standfirst(out)
    return out


_ABOUT = re.compile(r"^about [\w&.’' -]{2,50}$", re.I)
_DRAWN_RULE = re.compile(r"^[\s_*~=·•-]{3,}$")


def _words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def _drop_pull_quotes(out: Cleaned) -> None:
    """A pull quote repeats a sentence of the story in a short block of its own, often with a
    short attribution line under it ("News industry analyst Ken Doctor"): both go."""
    blocks = out.blocks
    joined = [" " + " ".join(_words(b.text)) + " " for b in blocks]
    long_texts = [j for j, b in zip(joined, blocks, strict=True) if b.kind == "paragraph"]
    drop: set[int] = set()
    for i, b in enumerate(blocks):
        if b.kind != "blockquote" or i in drop:
            continue
        count = joined[i].count(" ") - 1
        if not 8 <= count <= 60:
            continue
        if any(len(other) > len(joined[i]) + 20 and joined[i] in other for other in long_texts):
            drop.add(i)
            after = blocks[i + 1] if i + 1 < len(blocks) else None
            if (after is not None and after.kind == "paragraph" and _word_count(after.text) <= 8
                    and not _TERMINAL.search(after.text)):
                drop.add(i + 1)
    if drop:
        out.removed.extend(("pull-quote", blocks[i].text) for i in sorted(drop))
        out.blocks = [b for i, b in enumerate(blocks) if i not in drop]


def _heads_section(text: str) -> bool:
    """The block opens with a heading that opens a list of other stories (its first line, or,
    when short lines were joined, its first few words)."""
    first = text.split("\n", 1)[0].strip()
    words = first.split()
    heads = [first] + [" ".join(words[:k]) for k in range(1, min(5, len(words)))]
    for head in heads:
        rule = match_rule(head, {"anywhere", "start", "end"})
        if rule is not None and rule.action == "section":
            return True
    return False


def _merge_datelines(cands: list[Candidate]) -> list[Candidate]:
    out: list[Candidate] = []
    carry: str | None = None
    for c in cands:
        b = c.block
        if carry is not None and b.kind == "paragraph":
            c = Candidate(Block("paragraph", f"{carry} {b.text}"), c.links, c.caption, c.linked, c.row, c.nlinks)
            carry = None
        elif carry is not None:
            out.append(Candidate(Block("paragraph", carry)))
            carry = None
        if b.kind == "paragraph" and len(b.text) <= 60 and _DATELINE_ALONE.match(b.text) and (
            "(" in b.text or b.text.rstrip()[-1:] in "-–—"
        ):
            carry = b.text.strip()
            continue
        out.append(c)
    if carry is not None:
        out.append(Candidate(Block("paragraph", carry)))
    return out


_BYLINE = re.compile(r"^(?:by|written by|words by|story by|posted by|published by|author)\s*:?\s+", re.I)


def _byline_from(text: str) -> str | None:
    m = _BYLINE.match(text)
    if not m:
        return None
    name = re.split(r"\s*[|•·,]\s*(?=\w+ \d|\d|updated|published|posted)", text[m.end():], maxsplit=1)[0]
    return name.strip(" -–—|") or None


def _pick_standfirst(out: Cleaned) -> None:
    """A headline-like first block over the story (a dek) becomes the standfirst."""
    blocks = out.blocks
    if len(blocks) < 2:
        return
    first, second = blocks[0], blocks[1]
    words = _word_count(first.text)
    if first.kind == "heading" and 5 <= words <= 60 and second.kind == "paragraph":
        out.standfirst = first.text
        out.blocks = blocks[1:]
