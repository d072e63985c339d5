"""Direct quotations in article text: pair the quote marks, drop terms and titles, attribute speakers."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field

from tui.core.models import Quote
from tui.core.text import clean_line

__all__ = ["extract_quotes"]

# --------------------------------------------------------------------------- marks

_DOUBLE_OPENERS = "“„‟«"
_DOUBLE_CLOSERS = "”»"
_SINGLE_OPENERS = "‘‚‹"
_SINGLE_CLOSERS = "’›"
_DOUBLE_MARKS = _DOUBLE_OPENERS + _DOUBLE_CLOSERS + '"'
_SINGLE_MARKS = _SINGLE_OPENERS + _SINGLE_CLOSERS + "'"
_ALL_MARKS = _DOUBLE_MARKS + _SINGLE_MARKS
_MARK_RE = {
    "double": re.compile("[" + re.escape(_DOUBLE_MARKS) + "]"),
    "single": re.compile("[" + re.escape(_SINGLE_MARKS) + "]"),
}
# What may stand before an opening mark, and after a closing one, besides white space.
_BEFORE_OPEN = "([{<—–-/" + _ALL_MARKS
_AFTER_CLOSE = ".,;:!?)]}>…—–-/" + _ALL_MARKS
_OPEN, _CLOSE, _TOGGLE = 1, 2, 3
# ’90s, '19: an elided century, not a quotation.
_ELIDED_YEAR = re.compile(r"\d\d(?:s|\b)")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")

# --------------------------------------------------------------------------- words

_TOKEN = re.compile(r"(\w+(?:[’'\-&./]\w+)*(?:(?<=[sS])[’'](?!\w))?)|([^\w\s])")
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof rev hon sen rep gov gen lt col maj capt cmdr adm sgt cpl pvt st mt ft jr sr "
    "inc co corp ltd bros no vs jan feb mar apr jun jul aug sep sept oct nov dec dept est approx "
    "pres supt det insp ave blvd".split()
)
_INITIALISM = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]")

# Speech verbs: finite forms attribute; -ing forms only signal speech and borrow their subject.
_SAY_BASES = (
    "say tell add write tweet post state warn explain argue insist note claim declare announce testify "
    "recall acknowledge admit confirm deny reply respond ask urge call describe condemn cite accuse "
    "reject dismiss slam assail chant shout yell scream continue conclude remark comment suggest "
    "predict promise vow pledge threaten concede complain lament boast joke quip whisper mutter demand "
    "plead implore caution stress emphasise emphasize observe counter retort maintain contend assert "
    "allege reveal disclose label brand blast decry denounce criticise criticize recount text message "
    "report sing tout hail praise question".split()
)
# Speech only when they follow the quotation ("“…,” he continued"); before it they mean other things.
_TRAILING_ONLY_BASES = frozenset("continue maintain observe counter question hail praise tout sing".split())
_IRREGULAR = {"say": ("said", "says"), "tell": ("told", "tells"), "write": ("wrote", "writes", "written"),
              "sing": ("sang", "sung", "sings")}
# Present forms that are far more often plural nouns ("the claims", "two reports").
_NOUN_LIKE = frozenset(
    "notes claims calls reports posts states tweets comments remarks pledges promises demands "
    "texts messages questions counters labels brands blasts continues cites".split()
)


def _inflect(base: str) -> tuple[set[str], set[str]]:
    if base in _IRREGULAR:
        forms = set(_IRREGULAR[base])
    else:
        stem = base[:-1] if base.endswith("e") else base
        if base.endswith("y") and base[-2] not in "aeiou":
            past, third = base[:-1] + "ied", base[:-1] + "ies"
        elif base in {"slam", "quip", "admit", "label", "counter"}:
            past = {"slam": "slammed", "quip": "quipped", "admit": "admitted"}.get(base, base + "ed")
            third = base + "s"
        else:
            past = stem + "ed"
            third = base + ("es" if base.endswith(("sh", "ch", "ss", "x")) else "s")
        forms = {past, third}
        if base == "label":
            forms.add("labelled")
    ing = (base[:-1] if base.endswith("e") and not base.endswith("ee") else base) + "ing"
    if base in {"slam", "quip", "admit"}:
        ing = base + base[-1] + "ing"
    if base == "lie":
        ing = "lying"
    return {f for f in forms if f not in _NOUN_LIKE}, {ing}


_ALL_FINITE: set[str] = set()
_LEADING_FINITE: set[str] = set()
_PARTICIPLE: set[str] = set()
for _b in _SAY_BASES:
    _f, _p = _inflect(_b)
    _ALL_FINITE |= _f
    if _b not in _TRAILING_ONLY_BASES:
        _LEADING_FINITE |= _f
        _PARTICIPLE |= _p
_FINITE = frozenset(_LEADING_FINITE)
_TRAILING_FINITE = frozenset(_ALL_FINITE)
_PARTICIPLE = frozenset(_PARTICIPLE)
# Verbs that can take the speaker after them: "…,” said Ruffin.  ("told X" names the listener.)
_INVERTIBLE = frozenset(f for f in _TRAILING_FINITE if f not in {"told", "tells", "called", "urged"})

_AUXILIARIES = frozenset(
    "has have had also further later then again previously recently earlier once already would will "
    "could may might did does do reportedly publicly repeatedly separately still just now often never "
    "always even only first last too since".split()
)
_PASSIVE = frozenset("was were is are be been being get got gets".split())
# Words that end a noun phrase. Conjunctions in any case; verbs only in lower case ("Will Moy", "Theresa May").
_CONJ_STOPS = frozenset(
    "and or but nor yet so as when while because although though if unless until after before where "
    "whereas that which who whom whose than including like such despite whether how what why there "
    "here it’s it's also".split()
)
_VERB_STOPS = frozenset(
    "is are was were be been being has have had do does did will would can could should may might must "
    "not".split()
)
_CLAUSE_STOPS = _CONJ_STOPS | _VERB_STOPS
_RELATIVE = frozenset({"who", "which", "that"})
_DETERMINERS = frozenset(
    "the a an another one some many several two three four five his her their its our this that these "
    "those each every both".split()
)
_PRONOUNS = frozenset("he she they it we i".split())
_INTRO_WORDS = frozenset(
    "in on at during after before since meanwhile however also last earlier later yesterday today "
    "tonight separately then still when while as if although though but and yet so for from with by "
    "under over about according asked speaking writing over to into amid despite without".split()
)
_TIME_WORDS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday yesterday today tonight week month year "
    "morning afternoon evening night last this next earlier later on".split()
)
_NAMING = re.compile(
    r"(?:known\s+as|dubbed|so-called|nicknamed|titled|entitled|named|hashtag|the\s+(?:word|term|phrase|slogan|motto))"
    r"(?:\s+(?:the|a|an))?\s*$",
    re.IGNORECASE,
)
_NP_PREPOSITIONS = frozenset("of in at for inside from by on with near to".split())
_ORG_WORDS = frozenset(
    "ministry office department agency government statement company association council commission "
    "committee group organisation organization union party police army military service services "
    "authority authorities court board bank club team university school administration embassy "
    "letter report newspaper network website foundation institute corporation corp inc ltd federation "
    "league senate congress parliament kremlin pentagon campaign firm hospital coalition alliance "
    "directorate bureau unit force forces command who un nato eu cdc".split()
)
_PERSON_NOUNS = frozenset(
    "doctor spokesperson spokesman spokeswoman official source analyst witness man woman officer "
    "teacher resident minister president secretary director chief executive ceo founder adviser "
    "advisor lawyer attorney judge senator governor mayor professor researcher scientist economist "
    "expert worker nurse student father mother son daughter wife husband boy girl friend manager coach "
    "player captain commander general colonel sergeant ambassador envoy diplomat reporter journalist "
    "editor author writer leader chairman chairwoman chair member owner victim survivor neighbour "
    "neighbor prosecutor detective inspector investigator engineer trader strategist consultant "
    "candidate lawmaker representative 56-year-old".split()
)
_TITLES = frozenset(
    "mr mr. mrs mrs. ms ms. dr dr. prof prof. sen. rep. gov. gen. lt. col. maj. capt. cmdr. adm. sgt. "
    "president ambassador senator governor judge justice sir dame lord lady king queen prince princess "
    "pope rabbi imam father sister bishop".split()
)
_SENTENCE_END = re.compile(r"[.!?…][’'”\")\]]*\s*$")


@dataclass(slots=True)
class _Tok:
    text: str
    start: int  # offset in the whole text
    end: int
    kind: str  # "w" word, "p" punctuation, "q" quotation
    quote: int = -1  # index into the span list, for "q" tokens


@dataclass(slots=True)
class _Span:
    start: int  # first character inside the marks (offset in the whole text)
    end: int
    para: int
    closed: bool
    at_para_start: bool = False
    tok: int = -1  # index of its "q" token in the paragraph's token list
    speaker: str | None = None
    speaker_at: int = 0
    keep: bool = False
    partial: bool = False
    header: bool = False
    resolved: bool = False
    extra: dict = field(default_factory=dict)


# --------------------------------------------------------------------------- pairing


def _direction(para: str, i: int, mark: str) -> int:
    prev = para[i - 1] if i > 0 else " "
    nxt = para[i + 1] if i + 1 < len(para) else " "
    left = (prev.isspace() or prev in _BEFORE_OPEN) and not nxt.isspace()
    right = not prev.isspace() and (nxt.isspace() or nxt in _AFTER_CLOSE)
    if left and not right:
        return _OPEN
    if right and not left:
        return _CLOSE
    if mark in _DOUBLE_OPENERS or mark in _SINGLE_OPENERS:
        return _OPEN
    if mark in _DOUBLE_CLOSERS or mark in _SINGLE_CLOSERS:
        return _CLOSE
    return _TOGGLE


def _is_apostrophe(para: str, i: int, mark: str) -> bool:
    prev = para[i - 1] if i > 0 else " "
    nxt = para[i + 1] if i + 1 < len(para) else " "
    if prev.isalnum() and nxt.isalnum():
        return True  # don't, Armenia’s
    if mark in "’'" and not prev.isalnum() and _ELIDED_YEAR.match(para, i + 1):
        return True  # ’90s
    return False


def _pair_doubles(para: str) -> list[tuple[int, int, bool]]:
    """(start, end, closed) of double-quoted spans, relative to the paragraph."""
    spans = []
    open_at = -1
    for m in _MARK_RE["double"].finditer(para):
        i = m.start()
        mark = m.group()
        d = _direction(para, i, mark)
        # A curly mark read against its shape ("delays ”.") only when the state agrees.
        if mark in _DOUBLE_CLOSERS and d == _OPEN and open_at >= 0:
            d = _CLOSE
        elif mark in _DOUBLE_OPENERS and d == _CLOSE and open_at < 0:
            d = _OPEN
        if d == _OPEN or (d == _TOGGLE and open_at < 0):
            open_at = i  # a second opener restarts: the first one was a stray mark
        elif open_at >= 0:
            spans.append((open_at + 1, i, True))
            open_at = -1
    if open_at >= 0:
        spans.append((open_at + 1, len(para.rstrip()), False))
    return spans


def _pair_singles(para: str, doubles: list[tuple[int, int, bool]], next_para: str) -> list[tuple[int, int, bool]]:
    """Single-quoted spans outside the double-quoted ones (inside them, ‘…’ stays nested)."""
    inside = [(s - 1, e + 1) for s, e, _ in doubles]
    starts = [s for s, _ in inside]
    marks = []
    for m in _MARK_RE["single"].finditer(para):
        i = m.start()
        k = bisect_left(starts, i + 1) - 1
        if k >= 0 and inside[k][0] <= i < inside[k][1]:
            continue
        if _is_apostrophe(para, i, m.group()):
            continue
        marks.append((i, m.group(), _direction(para, i, m.group())))
    spans = []
    open_at = -1
    for n, (i, mark, d) in enumerate(marks):
        if d == _OPEN or (d == _TOGGLE and open_at < 0):
            if open_at < 0 or mark in _SINGLE_OPENERS:
                open_at = i
            continue
        if open_at < 0:
            continue  # a plural possessive: the doctors’ letter
        # "the doctors’ letter" inside an open quote: a later closing mark is the real one.
        if (para[i - 1] in "sS" and i + 2 < len(para) and para[i + 1] == " " and para[i + 2].islower()
                and any(d2 != _OPEN for _, _, d2 in marks[n + 1:])):
            continue
        spans.append((open_at + 1, i, True))
        open_at = -1
    if open_at >= 0 and para[:open_at].strip() == "" and next_para[:1] in _SINGLE_OPENERS + "'":
        spans.append((open_at + 1, len(para.rstrip()), False))
    # A double-quoted span inside a single-quoted one is nested (British style): drop it.
    out = [s for s in spans if para[s[0]:s[1]].strip(" ,.;:!?…-—–")]
    return out


def _paragraphs(text: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for m in _PARAGRAPH_BREAK.finditer(text):
        out.append((pos, text[pos:m.start()]))
        pos = m.end()
    out.append((pos, text[pos:]))
    return out


# --------------------------------------------------------------------------- tokens


def _tokenise(para: str, base: int, spans: list[tuple[int, int, int]]) -> list[_Tok]:
    """Tokens of a paragraph; each quotation (marks included) becomes one "q" token."""
    toks: list[_Tok] = []
    pos = 0
    for qs, qe, qi in spans + [(len(para) + 1, len(para) + 1, -1)]:
        chunk_end = min(qs - 1, len(para))
        for m in _TOKEN.finditer(para, pos, chunk_end):
            s, e = m.span()
            if toks and s < toks[-1].end - base:
                continue  # the period already taken into an abbreviation
            word = m.group(1)
            if word is not None:
                low = word.lower()
                if e < chunk_end and para[e] == "." and (
                    low in _ABBREVIATIONS or (len(word) == 1 and word.isupper()) or _INITIALISM.fullmatch(word)
                ):
                    e += 1
                    word += "."
                toks.append(_Tok(word, base + s, base + e, "w"))
            else:
                toks.append(_Tok(m.group(2), base + s, base + e, "p"))
        if qi < 0:
            break
        close = min(qe + 1, len(para))
        toks.append(_Tok(para[qs:qe], base + qs - 1, base + close, "q", qi))
        pos = close
    return toks


def _is_cap(t: _Tok) -> bool:
    return t.kind == "w" and t.text[:1].isupper()


def _is_hard_stop(toks: list[_Tok], i: int) -> bool:
    """A sentence or clause boundary at token i (". " before a capital, "!", "?", ";")."""
    t = toks[i]
    if t.kind != "p":
        return False
    if t.text in "!?;":
        return True
    if t.text == ".":
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        return nxt is None or nxt.kind == "q" or not nxt.text[:1].islower()
    return False


def _quote_ends_sentence(toks: list[_Tok], i: int, text: str) -> bool:
    t = toks[i]
    inner = text[t.start + 1:t.end - 1] if t.end - t.start >= 2 else ""
    nxt = toks[i + 1] if i + 1 < len(toks) else None
    return bool(_SENTENCE_END.search(inner)) and (nxt is None or _is_cap(nxt) or nxt.kind == "q")


def _low(t: _Tok) -> str:
    return t.text.lower()


def _is_stop(t: _Tok) -> bool:
    return t.kind == "w" and (t.text.lower() in _CONJ_STOPS or t.text in _VERB_STOPS)


def _is_finite(t: _Tok) -> bool:
    return t.kind == "w" and t.text in _FINITE


def _is_participle(t: _Tok) -> bool:
    return t.kind == "w" and t.text in _PARTICIPLE


def _verbish(toks: list[_Tok], i: int) -> bool:
    """A lowercase word that reads as a finite verb: "justified", "was", a speech verb."""
    t = toks[i]
    if t.kind != "w" or not t.text[:1].islower():
        return False
    low = t.text
    if low in _FINITE or low in _PASSIVE or low in {"has", "have", "had"}:
        return True
    if low.endswith("ed") and len(low) > 4:
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        return not (nxt is not None and nxt.kind == "w" and _low(nxt) in _NP_PREPOSITIONS)
    return False


# --------------------------------------------------------------------------- noun phrases


def _valid_np(toks: list[_Tok]) -> bool:
    if not toks or len(toks) > 14 or any(t.kind == "q" for t in toks):
        return False
    first = toks[0]
    low = first.text if first.text.isupper() else _low(first)  # "WHO" is not "who"
    if len(toks) == 1 and low in _PRONOUNS:
        return True
    if low in _PRONOUNS or low in _TIME_WORDS or _is_stop(first) or low in _NP_PREPOSITIONS:
        return False
    if first.kind != "w":
        return False
    titled = _is_cap(toks[-1]) and len(toks) >= 2  # "company CEO Andy Vesey"
    if not (first.text[:1].isupper() or first.text[:1].isdigit() or low in _DETERMINERS or titled
            or (len(toks) == 1 and low.endswith("s") and not low.endswith("ss"))):
        return False
    for t in toks:
        if t.kind == "p" and t.text != "&":
            return False
        if t.kind == "w" and (t.text in _TRAILING_FINITE or t.text in _PARTICIPLE):
            return False
        if t.kind == "w" and t.text in _CLAUSE_STOPS and t.text != "and":
            return False
    return any(t.kind == "w" and _low(t) not in _TIME_WORDS for t in toks)


def _strip_leading(np: list[_Tok]) -> list[_Tok]:
    """Drop time words and prepositions in front of a subject ("Last week State Department official …")."""
    i = 0
    while i < len(np) - 1 and (_low(np[i]) in _TIME_WORDS or _low(np[i]) in _NP_PREPOSITIONS
                               or _low(np[i]) in _INTRO_WORDS):
        i += 1
    return np[i:]


def _subject_before(toks: list[_Tok], v: int, lo: int) -> list[_Tok] | None:
    """The subject of the verb at v, scanning back no further than lo."""
    j = v - 1
    while j >= lo and toks[j].kind == "w" and toks[j].text in _AUXILIARIES:
        j -= 1
    if j < lo:
        return None
    if toks[j].kind == "w" and _low(toks[j]) in _RELATIVE:
        return _np_ending_at(toks, j - 1, lo)
    if toks[j].kind == "p" and toks[j].text == ",":
        return _appositive_subject(toks, j, lo)
    return _np_ending_at(toks, j, lo)


def _np_ending_at(toks: list[_Tok], j: int, lo: int) -> list[_Tok] | None:
    k = j
    while k >= lo:
        t = toks[k]
        if t.kind == "q":
            break
        if t.kind == "p" and t.text != "&":
            break
        low = _low(t)
        if t.kind == "w":
            if low in _PRONOUNS:
                if k == j:
                    k -= 1
                break
            if low == "and":
                if not (k - 1 >= lo and _is_cap(toks[k - 1]) and k + 1 <= j and _is_cap(toks[k + 1])):
                    break
            elif _is_stop(t) or t.text in _TRAILING_FINITE or t.text in _PARTICIPLE:
                break
            elif t.text[:1].islower() and _verbish(toks, k):
                break
        k -= 1
    np = _strip_leading(toks[k + 1:j + 1])
    return np if _valid_np(np) else None


def _appositive_subject(toks: list[_Tok], comma: int, lo: int) -> list[_Tok] | None:
    """ "Robertson, the U.S. commander, said": the first comma segment that is a name."""
    k = comma
    while k - 1 >= lo and toks[k - 1].kind != "q" and not _is_hard_stop(toks, k - 1) \
            and toks[k - 1].text not in ":—–(":
        k -= 1
    segments, cur = [], []
    for t in toks[k:comma]:
        if t.kind == "p" and t.text == ",":
            segments.append(cur)
            cur = []
        else:
            cur.append(t)
    segments.append(cur)
    for seg in segments:
        if not seg or _low(seg[0]) in _INTRO_WORDS:
            continue
        np = _np_ending_at(seg, len(seg) - 1, 0)
        if np is not None and np[0] is seg[0]:
            return np
        return None
    return None


def _np_after(toks: list[_Tok], v: int, hi: int) -> list[_Tok] | None:
    """The speaker after an inverted verb: "said Brent Sherwood, vice president of …"."""
    j = v + 1
    if j < hi and toks[j].kind == "w" and _low(toks[j]) in _TIME_WORDS and not _is_cap(toks[j]):
        return None
    np: list[_Tok] = []
    while j < hi:
        t = toks[j]
        if t.kind == "q" or (t.kind == "p" and t.text not in "&-’'."):
            break
        if t.kind == "p" and t.text == "." and np:
            break
        if t.kind == "w" and (t.text in {"who", "which", "that", "in", "on", "at", "during", "after",
                                         "when", "while", "as", "because", "about", "to", "via"}
                              or t.text in _TRAILING_FINITE or t.text in _PARTICIPLE):
            break
        np.append(t)
        j += 1
    if not _valid_np(np):
        return None
    if not any(_is_cap(t) for t in np) and j < hi and toks[j].text == ",":
        # "said another witness in the probe, former adviser Fiona Hill": prefer the name.
        k = j
        while k < hi and not (toks[k].kind == "p" and toks[k].text == ","):
            k += 1
        seg = []
        m = k + 1
        while m < hi and toks[m].kind == "w":
            seg.append(toks[m])
            m += 1
        if seg and _is_cap(seg[-1]) and (m >= hi or _is_hard_stop(toks, m)) and len(seg) <= 10:
            return seg
    return np


# --------------------------------------------------------------------------- attribution


def _is_coordinated(toks: list[_Tok], v: int) -> bool:
    """ "… and slammed", "…, called": a verb sharing an earlier verb's subject."""
    p = toks[v - 1] if v > 0 else None
    return p is not None and p.kind == "w" and _low(p) in {"and", "or", "but", "then"}


def _is_passive(toks: list[_Tok], v: int) -> bool:
    j = v - 1
    while j >= 0 and toks[j].kind == "w" and _low(toks[j]) in {"also", "often", "never", "reportedly", "later"}:
        j -= 1
    return j >= 0 and toks[j].kind == "w" and _low(toks[j]) in _PASSIVE


def _sentence_start(toks: list[_Tok], q: int, limit: int = 80) -> int:
    lo = max(0, q - limit)
    j = q - 1
    while j >= lo:
        if _is_hard_stop(toks, j):
            return j + 1
        j -= 1
    return lo


def _sentence_end(toks: list[_Tok], q: int, limit: int = 80) -> int:
    hi = min(len(toks), q + limit)
    j = q + 1
    while j < hi:
        if _is_hard_stop(toks, j):
            return j
        j += 1
    return hi


class _Attributor:
    """Finds the speaker of each quotation from the words around it."""

    def __init__(self, text: str, paras: list[tuple[int, str]], toks: list[list[_Tok] | None],
                 spans: list[_Span]) -> None:
        self.text = text
        self.paras = paras
        self.toks = toks
        self.spans = spans
        self.known_names = _name_parts(text)
        self.mentions: dict[int, list[tuple[int, str, str]]] = {}
        self.history: list[tuple[int, str, str]] = []  # (offset, speaker, kind) of resolved speakers

    # -- pieces of text
    def _np_text(self, np: list[_Tok]) -> str:
        return clean_line(self.text[np[0].start:np[-1].end])

    def _inherit(self, toks: list[_Tok], i: int) -> str | None:
        span = self.spans[toks[i].quote]
        return span.speaker if span.keep else None

    # -- the three places an attribution can be
    def trailing(self, toks: list[_Tok], q: int) -> tuple[list[_Tok] | None, int]:
        """ "“…,” X said" / "“…,” said X" / "“…,” according to X" right after the closing mark."""
        hi = min(len(toks), q + 30)
        j = q + 1
        while j < hi and toks[j].kind == "p" and toks[j].text in ",—–-":
            j += 1
        if j >= hi or toks[j].kind != "w":
            return None, -1
        if toks[j].text in _INVERTIBLE:
            return _np_after(toks, j, hi), j
        if _low(toks[j]) == "according" and j + 1 < hi and _low(toks[j + 1]) == "to":
            return _np_after(toks, j + 1, hi), j
        v = j
        while v < hi and not _is_hard_stop(toks, v) and toks[v].kind != "q":
            if toks[v].text in _TRAILING_FINITE:
                break
            v += 1
        if v >= hi or toks[v].text not in _TRAILING_FINITE or _is_passive(toks, v):
            return None, -1
        np = _subject_before(toks, v, j)
        if np is None or np[0] is not toks[j]:
            return None, -1
        return np, v

    def leading(self, toks: list[_Tok], q: int) -> tuple[bool, list[_Tok] | str | None, int]:
        """Scan back for a speech verb in the same sentence: (cue found, subject or inherited, verb)."""
        lo = _sentence_start(toks, q)
        cue = False
        j = q - 1
        while j >= lo:
            t = toks[j]
            if t.kind == "q":
                if _quote_ends_sentence(toks, j, self.text):
                    break
                inherited = self._inherit(toks, j)
                if inherited is not None:
                    return True, inherited, j
                j -= 1
                continue
            if t.kind == "w" and _low(t) == "according" and j + 1 < q and _low(toks[j + 1]) == "to":
                np = _np_after(toks, j + 1, q)
                if np is not None:
                    return True, np, j
            if _is_participle(t):
                cue = True
            elif _is_finite(t) and not _is_passive(toks, j):
                cue = True
                if not _is_coordinated(toks, j):
                    if j > lo and toks[j - 1].kind in "pq" and toks[j - 1].text != ",":
                        np = _np_after(toks, j, q) if t.text in _INVERTIBLE else None
                    else:
                        np = _subject_before(toks, j, lo)
                    if np is not None:
                        return True, np, j
            j -= 1
        if cue:
            found = self._main_subject(toks, q, lo)
            if found is not None:
                return True, found, q
        return cue, None, -1

    def _main_subject(self, toks: list[_Tok], q: int, lo: int) -> list[_Tok] | str | None:
        """The subject a participle ("…, citing …") borrows: that of the nearest finite verb before it."""
        j = q - 1
        while j >= lo:
            if toks[j].kind == "q":
                return self._inherit(toks, j)
            if toks[j].kind == "w" and _verbish(toks, j) and not _is_coordinated(toks, j):
                v = j
                while v - 1 >= lo and toks[v - 1].kind == "w" and _low(toks[v - 1]) in _PASSIVE | _AUXILIARIES:
                    v -= 1
                np = _subject_before(toks, v, lo) if v > lo else None
                if np is not None:
                    return np
            j -= 1
        return None

    def later(self, toks: list[_Tok], q: int) -> tuple[list[_Tok] | None, int]:
        """A speech verb further on in the sentence: "“…” and …, “…,” company CEO Andy Vesey said."""
        hi = _sentence_end(toks, q)
        j = q + 1
        while j < hi:
            t = toks[j]
            if t.kind == "q" and _quote_ends_sentence(toks, j, self.text):
                return None, -1
            if _is_finite(t) and not _is_passive(toks, j) and not _is_coordinated(toks, j):
                p = toks[j - 1]
                if (p.kind == "q" or p.text == ",") and t.text in _INVERTIBLE:
                    np = _np_after(toks, j, hi)
                else:
                    np = _subject_before(toks, j, q + 1)
                if np is not None:
                    return np, j
            j += 1
        return None, -1

    # -- pronouns
    def _para_mentions(self, p: int) -> list[tuple[int, str, str]]:
        """Names standing as subjects in paragraph p: a capitalised run followed by a verb or comma."""
        if p in self.mentions:
            return self.mentions[p]
        toks = self.tokens(p)
        out = []
        i = 0
        while i < len(toks):
            if not _is_cap(toks[i]):
                i += 1
                continue
            k = i
            while k < len(toks) and _is_cap(toks[k]):
                k += 1
            run = toks[i:k]
            while run and (_low(run[0]) in _INTRO_WORDS | _DETERMINERS | _CONJ_STOPS | _PRONOUNS | _TIME_WORDS):
                run = run[1:]
            if run and k < len(toks) and not run[-1].text.endswith(("’s", "'s")) and _subject_slot(toks, k):
                name = self._np_text(run)
                out.append((run[0].start, name, _kind(name)))
            i = k
        self.mentions[p] = out
        return out

    def tokens(self, p: int) -> list[_Tok]:
        toks = self.toks[p]
        if toks is None:
            base, para = self.paras[p]
            toks = _tokenise(para, base, [])
            self.toks[p] = toks
        return toks

    def resolve_pronoun(self, pronoun: str, at: int, p: int) -> str | None:
        want = ("person",) if pronoun in {"he", "she"} else ("org", "group", "name")
        para_start = self.paras[max(0, p - 1)][0]
        for off, name, kind in reversed(self.history):
            if off < at and off >= para_start and self._fits(name, kind, want):
                return name
        for pp in range(p, max(-1, p - 6), -1):
            for off, name, kind in reversed(self._para_mentions(pp)):
                if off < at and self._fits(name, kind, want):
                    return name
        for off, name, kind in reversed(self.history):
            if off < at and self._fits(name, kind, want):
                return name
        return None

    def _fits(self, name: str, kind: str, want: tuple[str, ...]) -> bool:
        if kind == "name":
            known = name.lower() in self.known_names
            return ("person" in want and known) or ("name" in want and not known)
        return kind in want

    def speaker_of(self, np: list[_Tok] | str, p: int) -> tuple[str | None, int]:
        if isinstance(np, str):
            return np, -1
        name = self._np_text(np)
        low = name.lower()
        if low in _PRONOUNS:
            return self.resolve_pronoun(low, np[0].start, p), np[0].start
        return name, np[0].start

    def remember(self, name: str, at: int) -> None:
        self.history.append((at, name, _kind(name)))


def _subject_slot(toks: list[_Tok], k: int) -> bool:
    """Whether a name ending before token k stands as a subject: "Holmes testified", "McCormick, who …"."""
    nxt = toks[k]
    if nxt.kind == "w":
        return _verbish(toks, k) or (nxt.text[:1].islower() and nxt.text.endswith("s") and not nxt.text.endswith("ss")
                                    and nxt.text not in _NP_PREPOSITIONS)
    if nxt.text == "," and k + 1 < len(toks):
        after = toks[k + 1]
        return after.kind == "w" and (after.text[:1].islower() or after.text[:1].isdigit())
    return False


_CAPITALISED_RUN = re.compile(r"(?:[A-Z][\w’'-]*\.?[ \t]+)+[A-Z][\w’'-]*")


def _name_parts(text: str) -> set[str]:
    """Words that occur inside multi-word names ("Deval Patrick"): a lone "Patrick" is then a person."""
    parts: set[str] = set()
    for m in _CAPITALISED_RUN.finditer(text):
        words = [w.strip(".").lower() for w in m.group().split()]
        if any(w in _ORG_WORDS for w in words):
            continue
        parts.update(w for w in words if w not in _DETERMINERS and w not in _INTRO_WORDS and w not in _CONJ_STOPS)
    return parts


def _kind(name: str) -> str:
    words = [w.strip(".,’'").lower() for w in name.split()]
    words = [w[:-2] if w.endswith(("’s", "'s")) else w for w in words]
    if not words:
        return "name"
    if any(w in _ORG_WORDS for w in words):
        return "org"
    head = words[-1]
    if head in _PERSON_NOUNS or any(w in _PERSON_NOUNS or w in _TITLES for w in words[:-1]):
        return "person"
    if name[:1].islower() or words[0] in _DETERMINERS:
        return "group" if head.endswith("s") and not head.endswith("ss") else "person"
    if len(words) >= 2:
        return "person"
    return "name"


# --------------------------------------------------------------------------- filtering


def _words(s: str) -> list[str]:
    return re.findall(r"\w+(?:[’'\-]\w+)*", s)


def _title_like(words: list[str]) -> bool:
    long_words = [w for w in words if len(w) > 3 or w is words[0]]
    caps = sum(1 for w in long_words if w[:1].isupper())
    return bool(long_words) and caps / len(long_words) >= 0.75


def _key(s: str) -> str:
    return " ".join(w.lower() for w in _words(s.replace("’", "'")))


def _attributive(toks: list[_Tok], q: int) -> bool:
    """The quotation modifies the noun after it: the “interim” government."""
    nxt = toks[q + 1] if q + 1 < len(toks) else None
    if nxt is None or nxt.kind != "w" or not nxt.text[:1].islower():
        return False
    low = nxt.text
    return not (low in _CLAUSE_STOPS or low in _NP_PREPOSITIONS or low in _AUXILIARIES or low in _FINITE
                or low in _PARTICIPLE or low in _PASSIVE or low in _INTRO_WORDS
                or low in {"to", "into", "about", "over", "against", "through", "across", "he", "she", "they"})


# --------------------------------------------------------------------------- entry point


def extract_quotes(text: str) -> list[Quote]:
    """Direct quotations in `text` with their speakers, in order; offsets index `text`."""
    if not text:
        return []
    paras = _paragraphs(text)
    spans: list[_Span] = []
    by_para: dict[int, list[int]] = {}
    for p, (base, para) in enumerate(paras):
        if not any(c in para for c in _ALL_MARKS):
            continue
        doubles = _pair_doubles(para)
        next_para = paras[p + 1][1].lstrip() if p + 1 < len(paras) else ""
        singles = _pair_singles(para, doubles, next_para)
        merged = [d for d in doubles if not any(s <= d[0] and d[1] <= e for s, e, _ in singles)]
        merged += singles
        merged = [m for m in merged if para[m[0]:m[1]].strip(" ,.;:!?…-—–'\"’‘“”")]
        merged.sort()
        for s, e, closed in merged:
            span = _Span(base + s, base + e, p, closed, at_para_start=not para[:s - 1].strip())
            by_para.setdefault(p, []).append(len(spans))
            spans.append(span)
    if not spans:
        return []
    toks: list[list[_Tok] | None] = [None] * len(paras)
    for p, idx in by_para.items():
        base, para = paras[p]
        local = [(spans[i].start - base, spans[i].end - base, i) for i in idx]
        toks[p] = _tokenise(para, base, local)
        for n, t in enumerate(toks[p]):
            if t.kind == "q":
                spans[t.quote].tok = n
    att = _Attributor(text, paras, toks, spans)
    seen: set[str] = set()
    out: list[Quote] = []
    prev_kept: _Span | None = None
    for idx, span in enumerate(spans):
        p = span.para
        ptoks = att.tokens(p)
        q = span.tok
        if q < 0:
            continue
        body = text[span.start:span.end]
        key = _key(body)
        if not key or key in seen:
            continue
        seen.add(key)
        base, para = paras[p]
        whole = not para[:span.start - 1 - base].strip() and not para[span.end + 1 - base:].strip(" .,;:!?")
        continued = span.at_para_start and prev_kept is not None and not prev_kept.closed \
            and prev_kept.para < p and p - prev_kept.para <= 3
        words = _words(body)
        ends_sentence = bool(_SENTENCE_END.search(body))
        header = whole and span.closed and not continued and not ends_sentence and len(words) <= 12

        np: list[_Tok] | str | None = None
        verb_at = -1
        cue = False
        if not header:
            np, verb_at = att.trailing(ptoks, q)
            cue = np is not None
            if np is None:
                cue, np, verb_at = att.leading(ptoks, q)
            before = text[max(base, span.start - 40):span.start - 1]
            if before.rstrip().endswith(":"):
                cue = True
            short = len(words) < 5
            attributive = short and _attributive(ptoks, q)
            if np is None and not attributive:
                np, verb_at = att.later(ptoks, q)
                cue = cue or np is not None
            if short and _NAMING.search(before):
                keep = False
            elif whole or continued or not span.closed:
                keep = True
            elif short or _title_like(words):
                keep = cue
            else:
                keep = True
        else:
            keep = True
        if not keep:
            continue
        span.keep = True
        speaker = None
        if np is not None:
            speaker, at = att.speaker_of(np, p)
        if speaker is None and not header:
            same = [s for s in spans[:idx] if s.keep and s.para == p and s.speaker]
            if same:
                speaker = same[-1].speaker
            elif prev_kept is not None and prev_kept.speaker and (
                    prev_kept.para == p - 1 or (continued and prev_kept.para >= p - 3)):
                speaker = prev_kept.speaker
            else:
                later = [s for s in spans[idx + 1:] if s.para == p]
                span.extra["borrow"] = [spans.index(s) for s in later]
        span.speaker = speaker
        if speaker is not None and isinstance(np, list):
            att.remember(speaker, ptoks[verb_at].start if 0 <= verb_at < len(ptoks) else span.start)
        span.header = header
        span.partial = not header and not whole and not continued and _is_partial(ptoks, q, body)
        prev_kept = span
    for span in spans:
        if span.keep and span.speaker is None and span.extra.get("borrow"):
            for i in span.extra["borrow"]:
                if spans[i].keep and spans[i].speaker:
                    span.speaker = spans[i].speaker
                    break
    for span in spans:
        if span.keep:
            out.append(Quote(text[span.start:span.end], span.speaker, span.start, span.end, span.partial))
    return out


def _is_partial(toks: list[_Tok], q: int, body: str) -> bool:
    """A fragment woven into the reporter's sentence rather than a quoted sentence of its own."""
    first = next((c for c in body if c.isalnum()), "")
    if first.islower():
        return True
    prev = toks[q - 1] if q > 0 else None
    if prev is None or prev.kind in "pq":
        return False
    low = _low(prev)
    return not (low in {"that", "and", "or", "but", "as"} or prev.text in _FINITE or prev.text in _PARTICIPLE)
