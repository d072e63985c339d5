"""Direct quotations in article text: pair the quote marks, drop terms and titles, attribute speakers."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from dataclasses import dataclass

from tui.core.language.lexicon import lexicon
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
# AP and some newspaper archives write a double mark as two single ones: ‘‘…’’ or ''…''.
_DOUBLED = ("''", "’’", "‘‘")
_MARK_RE = {
    "double": re.compile("''|’’|‘‘|[" + re.escape(_DOUBLE_MARKS) + "]"),
    "single": re.compile("[" + re.escape(_SINGLE_MARKS) + "]"),
}
# What may stand before an opening mark, and after a closing one, besides white space.
_BEFORE_OPEN = "([{<—–―-/" + _ALL_MARKS
_AFTER_CLOSE = ".,;:!?)]}>…—–―-/" + _ALL_MARKS
_OPEN, _CLOSE, _TOGGLE = 1, 2, 3
# ’90s, '19: an elided century, not a quotation.
_ELIDED_YEAR = re.compile(r"\d\d(?:s|\b)")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_TRAILING_PUNCT = " \t\n.,;:!?"
_CONTENT = re.compile(r"\w")

# --------------------------------------------------------------------------- words

# A party or state in parentheses after a name ("Rep. Ann Lee (D-Ohio)", "(R)", "(Vt.)") is one word of
# the name, so the name reaches its verb.
_AFFILIATION = re.compile(r"\((?:[RDI]|[RDI]-[A-Z][\w.]*(?: [A-Z][\w.]*)?|[A-Z][a-z]{1,4}\.)\)")
_AFFILIATION_END = re.compile(r"\s*\([^()]*\)$")
# A period joins words in "U.S", "3.5", "will.i.am", not in "said.Trump" (a missing space).
_TOKEN = re.compile(r"(\w+(?:[’'\-&/]\w+|\.(?![A-Z][a-z])\w+|(?<![a-z])\.\w+)*(?:(?<=[sS])[’'](?!\w))?)|([^\w\s])")
_ABBREVIATIONS = lexicon("abbreviations")
_INITIALISM = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]")

# Speech verbs (the lists and what each means are in tui/core/data/lexicon/).
_PHRASAL = lexicon("speech_phrasal")
_PHRASAL_NEXT = frozenset(["about", "at", "against", "with"])
_PARTICLES = frozenset(p.split()[-1] for p in _PHRASAL)
_FINITE = lexicon("speech_verbs") | _PHRASAL
_TRAILING_FINITE = _FINITE | lexicon("speech_verbs_trailing")
_PARTICIPLE = lexicon("speech_participles")
_SPEECH_NOUNS = lexicon("speech_nouns")
# Verbs that can take the speaker after them: "…,” said Ruffin.  ("told X" names the listener.)
_INVERTIBLE = _TRAILING_FINITE - lexicon("speech_verbs_not_invertible")

_AUXILIARIES = lexicon("auxiliaries")
_PASSIVE = lexicon("passive_auxiliaries")
# Words that end a noun phrase. Conjunctions in any case; verbs only in lower case ("Will Moy", "Theresa May").
_CONJ_STOPS = lexicon("conjunctions")
_VERB_STOPS = lexicon("verb_stops")
_CLAUSE_STOPS = _CONJ_STOPS | _VERB_STOPS
_RELATIVE = frozenset({"who", "which", "that"})
_QUANTIFIERS = frozenset(["most", "many", "some", "others", "few", "several"])
_DETERMINERS = lexicon("determiners")
_PRONOUNS = lexicon("pronouns")
_INTRO_WORDS = lexicon("intro_words")
_WEEKDAYS = lexicon("weekdays")
_TIME_WORDS = lexicon("time_words")
_VERB_HELPERS = _PASSIVE | _AUXILIARIES
_DESCRIBING = frozenset(["the", "a", "an", "his", "her", "their", "its"])
_POSSESSIVES = frozenset(["his", "her", "their", "its", "our", "my", "your"])
_SUBJECT_ADVERBS = frozenset(["also", "then", "still", "later", "never", "even", "again", "once", "often", "already"])
_NAMING = re.compile(
    r"(?:known\s+as|dubbed|so-called|nicknamed|titled|entitled|named|hashtag|the\s+(?:word|term|phrase|slogan|motto))"
    r"(?:\s+(?:the|a|an))?\s*$",
    re.IGNORECASE,
)
# With an article, these verbs name a thing ("branded the “Northern Lifeline”"); without one they
# report words ("branded him “a traitor”").
_TITLE_BEFORE = re.compile(
    r"(?:\b[A-Z][\w.&-]*[’']s|(?<![\w’'])(?:[Oo]n|of|in)"
    r"|\b(?:book|film|movie|song|album|novel|memoir|documentary|podcast|sitcom|series|episode|essay|poem|single))\s*$"
)  # also "in his book “Musicophilia”", "the film “Wild Rose”"
_NAMING_THE = re.compile(r"\b(?:branded|labell?ed|called|christened|billed\s+as)\s+the\s*$", re.IGNORECASE)
_NP_PREPOSITIONS = lexicon("prepositions")
_NOT_NAME_START = _INTRO_WORDS | _DETERMINERS | _CONJ_STOPS | _PRONOUNS | _TIME_WORDS | _NP_PREPOSITIONS \
    | frozenset(["across", "among", "amid", "within", "without", "throughout", "toward", "towards", "beyond", "behind"])
_NOT_ANTECEDENT_AFTER = _NP_PREPOSITIONS | frozenset(
    ["outside", "across", "around", "into", "onto", "toward", "towards", "through", "between", "beyond", "via", "within", "that"]
)
_ORG_WORDS = lexicon("organisation_nouns")
_PERSON_NOUNS = lexicon("person_nouns")
_AGED = re.compile(r"\d+-year-old")
_TITLES = lexicon("titles")
_NON_SPEAKERS = lexicon("non_speakers")
_WIRE_SERVICES = lexicon("wire_services")
_INDEFINITES = lexicon("indefinites")
_IRREGULAR_PAST = lexicon("irregular_past")
# Gender marks, so that "she" never resolves to "Mr. Obama" nor "he" to "Hillary Clinton".
_GENDER_WORDS = {"f": lexicon("female"), "m": lexicon("male")}
_GIVEN_NAMES = {"f": lexicon("female_names"), "m": lexicon("male_names")}
_PLACE_NAMES = lexicon("place_names")
_ANY_GIVEN = lexicon("given_names") | _GIVEN_NAMES["f"] | _GIVEN_NAMES["m"]
_HE_SHE = frozenset(["he", "she", "He", "She", "HE", "SHE"])
_CONTRACTED = {f"{p}'{c}": p for p in ("he", "she", "it", "they", "we") for c in ("s", "d", "ll", "re", "ve")}
# Function words that a name never capitalises ("Bank of America"), but a title-case headline does.
_TITLE_CASE_WORDS = frozenset(["with", "at", "in", "of", "the", "and", "for", "to", "on", "from", "by", "as", "is", "are", "was"])
_FIRST_SECOND = frozenset(["i", "me", "you"])
_REFLEXIVES = frozenset(["himself", "herself", "themselves", "itself", "myself", "ourselves"])
_MODALS = frozenset(["can", "could", "will", "would", "should", "may", "might", "must"])
# Dashes that open a signature line ("“…” ― Jane Smith").
_SIGNATURE_DASHES = frozenset("—–―‒")
# A speaker's label opening a transcript line: "WALLACE: …", "SEN. LEE: …".
_LABEL = re.compile(r"([A-Z][A-Z.’'-]+(?: [A-Z][A-Z.’'-]+){0,2}):\s")
_SIGNATURE_LINE = re.compile(r"[ \t]*[-—–―]+[ \t]*((?:[A-Z][\w.’'-]*[ \t]+){0,4}[A-Z][\w’'-]*)[ \t]*(?:[,(.]|$)")
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
    whole: bool = False  # the quotation is the whole paragraph
    first_line: bool = False  # it opens the paragraph and fills its first line ("“…”\n“…”\n“…”")
    tok: int = -1  # index of its "q" token in the paragraph's token list
    speaker: str | None = None
    keep: bool = False
    direct: bool = False  # the speaker comes from this quotation's own attribution
    partial: bool = False
    header: bool = False
    follows: _Span | None = None  # the quotation this one continues, from an earlier paragraph
    subject: str | None = None  # the named subject of the sentence around a quotation without a speech verb
    signed: bool = False  # its speaker is a signature after it ("“…” ― Jane Smith")


# --------------------------------------------------------------------------- pairing


def _direction(para: str, i: int, mark: str) -> int:
    prev = para[i - 1] if i > 0 else " "
    j = i + len(mark)
    nxt = para[j] if j < len(para) else " "
    left = (prev.isspace() or prev in _BEFORE_OPEN) and not nxt.isspace()
    right = not prev.isspace() and (nxt.isspace() or nxt in _AFTER_CLOSE)
    if left and not right:
        return _OPEN
    if right and not left:
        return _CLOSE
    if mark[0] in _DOUBLE_OPENERS or mark[0] in _SINGLE_OPENERS:
        return _OPEN
    if mark[0] in _DOUBLE_CLOSERS or mark[0] in _SINGLE_CLOSERS:
        return _CLOSE
    return _TOGGLE


def _open_width(para: str, s: int) -> int:
    """Characters of the opening mark that ends at s: 2 for a doubled single mark, else 1."""
    return 2 if s >= 2 and para[s - 2:s] in _DOUBLED else 1


def _close_width(para: str, e: int) -> int:
    return 2 if para[e:e + 2] in _DOUBLED else 1


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
    spans: list[tuple[int, int, bool]] = []
    open_at = -1
    # An opener left open when a second one came: a quotation quoting others ("“I’d rather live in what
    # he calls “hell” than …,” she wrote"), closed by the closer after theirs, or a stray mark.
    outer = -1
    inner_from = 0  # the spans from here on are inside `outer`
    for m in _MARK_RE["double"].finditer(para):
        i = m.start()
        mark = m.group()
        d = _direction(para, i, mark)
        # A curly mark read against its shape ("delays ”.") only when the state agrees.
        if mark[0] in _DOUBLE_CLOSERS + "’" and d == _OPEN and open_at >= 0:
            d = _CLOSE
        elif mark[0] in _DOUBLE_OPENERS + "‘" and d == _CLOSE and open_at < 0:
            d = _OPEN
        if mark == "''" and open_at < 0:
            # Two straight apostrophes close an AP-style quote ("…'' he said) but never open one:
            # as an opener they are typewriter markup (archive ``…'' text, ditto and inch marks),
            # which readers and annotators do not take for quotation marks.
            continue
        if d == _OPEN or (d == _TOGGLE and open_at < 0):
            # A second opener restarts (the first may be a stray mark) but is remembered as the outer
            # quotation, which a closer after the inner ones' closes.
            if open_at >= 0 and outer < 0:
                outer, inner_from = open_at, len(spans)
            open_at = m.end()
        elif open_at >= 0:
            spans.append((open_at, i, True))
            open_at = -1
        elif outer >= 0 and d != _TOGGLE:
            del spans[inner_from:]  # the quotations inside it are its words
            spans.append((outer, i, True))
            outer = -1
    if open_at >= 0:
        spans.append((open_at, max(open_at, len(para.rstrip())), False))
    return spans


def _pair_singles(para: str, doubles: list[tuple[int, int, bool]], next_para: str) -> list[tuple[int, int, bool]]:
    """Single-quoted spans outside the double-quoted ones (inside them, ‘…’ stays nested)."""
    inside = [(s - _open_width(para, s), e + _close_width(para, e)) for s, e, _ in doubles]
    starts = [s for s, _ in inside]
    marks = []
    for m in _MARK_RE["single"].finditer(para):
        i = m.start()
        k = bisect_left(starts, i + 1) - 1
        if k >= 0 and inside[k][0] <= i < inside[k][1]:
            continue
        if _is_apostrophe(para, i, m.group()):
            continue
        if m.group() == "'" and "''" in para[max(0, i - 1):i + 2]:
            continue  # half of a doubled straight mark: never a single quote (see _pair_doubles)
        marks.append((i, m.group(), _direction(para, i, m.group())))
    # later_close[n]: some mark after n can close, so a possessive at n need not be the closing mark.
    later_close = [False] * (len(marks) + 1)
    for n in range(len(marks) - 1, -1, -1):
        later_close[n] = later_close[n + 1] or marks[n][2] != _OPEN
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
                and later_close[n + 1]):
            continue
        spans.append((open_at + 1, i, True))
        open_at = -1
    if open_at >= 0 and para[:open_at].strip() == "" and next_para[:1] in _SINGLE_OPENERS + "'":
        spans.append((open_at + 1, len(para.rstrip()), False))
    return spans


def _paragraphs(text: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for m in _PARAGRAPH_BREAK.finditer(text):
        out.append((pos, text[pos:m.start()]))
        pos = m.end()
    out.append((pos, text[pos:]))
    return out


# --------------------------------------------------------------------------- tokens


# Words a wrapped line of prose may break after, before a capitalised word of the same sentence.
_LINE_GLUE = _NP_PREPOSITIONS | _DETERMINERS | _CONJ_STOPS | _VERB_STOPS | _TRAILING_FINITE | _POSSESSIVES \
    | frozenset(["to", "by", "as", "than", "that", "who", "which", "whom", "whose"])


NICKNAME = -2  # the span index _tokenise takes for a quoted nickname


def _is_nickname(para: str, s: int, e: int) -> bool:
    """Whether the quoted span para[s:e] is a nickname inside a name: one or two capitalised words
    between a capitalised word and another (Juan “Chico” Manriquez, Marcia "Cia" Price)."""
    o, c = s - _open_width(para, s), e + _close_width(para, e)
    if o < 2 or c + 2 > len(para) or para[o - 1] != " " or para[c] != " " or e - s > 24:
        return False
    words = para[s:e].split()
    if not 0 < len(words) <= 2 or not all(w[:1].isupper() and w.isalpha() for w in words):
        return False
    before = para[:o - 1].rsplit(None, 1)[-1] if para[:o - 1].strip() else ""
    after = para[c + 1:c + 40].split(None, 1)
    return bool(before[:1].isupper() and before.isalpha() and after and after[0][:1].isupper()
                and after[0].rstrip(".,;:)’'").isalpha())


def _tokenise(para: str, base: int, spans: list[tuple[int, int, int]]) -> list[_Tok]:
    """Tokens of a paragraph; each quotation (marks included) becomes one "q" token, and a quoted
    nickname (index NICKNAME) one word token (Marcia “Cia” Price: the name reads on through it)."""
    toks: list[_Tok] = []
    pos = 0
    for qs, qe, qi in [*spans, (len(para) + 1, len(para) + 1, -1)]:
        chunk_end = min(qs - (_open_width(para, qs) if qi != -1 else 1), len(para))
        for m in _TOKEN.finditer(para, pos, chunk_end):
            s, e = m.span()
            if toks and s < toks[-1].end - base:
                continue  # the period already taken into an abbreviation, or a word of an affiliation
            word = m.group(1)
            if word is None and m.group(2) == "(":
                aff = _AFFILIATION.match(para, s, chunk_end)
                if aff is not None:
                    toks.append(_Tok(aff.group(), base + s, base + aff.end(), "w"))
                    continue
            if word is not None:
                low = word.lower()
                if e < chunk_end and para[e] == "." and (
                    low in _ABBREVIATIONS or (len(word) == 1 and word.isupper()) or _INITIALISM.fullmatch(word)
                ):
                    e += 1
                    word += "."
                prev = toks[-1] if toks else None
                if word in _PARTICLES and prev is not None and prev.kind == "w" and prev.end == base + s - 1 \
                        and para[s - 1] == " " and f"{prev.text} {word}" in _PHRASAL and _ends_phrasal(para, e):
                    toks[-1] = _Tok(f"{prev.text} {word}", prev.start, base + e, "w")  # "shot back"
                    continue
                if prev is not None and prev.kind == "w" and word[:1].isupper() and "\n" in para[prev.end - base:s] \
                        and prev.text[:1].islower() and prev.text not in _LINE_GLUE:
                    # a line ending on a content word without punctuation before a capitalised line: a list
                    # ("Easy setup for all your devices\nQuick access to Siri by saying “Hey Siri”"), not
                    # prose wrapped inside a sentence ("said Senator\nJohn Lee", "told the\nTimes")
                    nl = base + para.index("\n", prev.end - base)
                    toks.append(_Tok(".", nl, nl, "p"))
                toks.append(_Tok(word, base + s, base + e, "w"))
            else:
                toks.append(_Tok(m.group(2), base + s, base + e, "p"))
        if qi == -1:
            break
        close = min(qe + _close_width(para, qe), len(para))
        if qi == NICKNAME:
            toks.append(_Tok(para[qs:qe], base + chunk_end, base + close, "w"))
        else:
            toks.append(_Tok(para[qs:qe], base + chunk_end, base + close, "q", qi))
        pos = close
    return toks


def _ends_phrasal(para: str, e: int) -> bool:
    """Whether a verb's particle ending at e closes the verb: punctuation, a quotation mark or the end
    follows, or about/at/against/with ("went on about", not "went on to win")."""
    rest = para[e:e + 16].lstrip()
    if not rest or not rest[0].isalnum():
        return True
    word = rest.split(None, 1)[0].lower()
    return word in _PHRASAL_NEXT or (word.endswith("ly") and len(word) > 4)  # "fired back forcefully:"


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
        if nxt is not None and nxt.kind == "p" and nxt.text in ",)":
            return False
        return nxt is None or nxt.kind == "q" or not nxt.text[:1].islower()
    return False


def _ends_sentence(s: str) -> bool:
    return bool(_SENTENCE_END.search(s[-12:]))


def _quote_ends_sentence(toks: list[_Tok], i: int) -> bool:
    """Whether the quotation at token i closes its sentence: "… as a “disgrace.” Over the weekend, …"."""
    nxt = toks[i + 1] if i + 1 < len(toks) else None
    return _ends_sentence(toks[i].text) and (nxt is None or _is_cap(nxt) or nxt.kind == "q")


def _low(t: _Tok) -> str:
    return t.text.lower()


def _is_stop(t: _Tok) -> bool:
    if t.kind != "w" or (len(t.text) > 1 and t.text.isupper()):  # "WHO" is an organisation
        return False
    return t.text.lower() in _CONJ_STOPS or t.text in _VERB_STOPS


def _is_finite(t: _Tok) -> bool:
    return t.kind == "w" and t.text in _FINITE


_NOUN_BEFORE = frozenset(["the", "a", "an", "his", "her", "their", "its", "our", "my", "your", "this", "that", "these",
                          "those", "of", "several", "many", "some", "two", "three", "few", "more", "latest", "recent",
                          "earlier"])


def _noun_use(toks: list[_Tok], j: int) -> bool:
    """A speech verb's -s form used as a plural noun: "his tweets", "Trump’s late-night tweets", "a series of
    posts", "the reports"."""
    t = toks[j].text
    if not t.endswith("s") or t in {"says", "is", "was", "has"} or j == 0:
        return False
    prev = toks[j - 1]
    if prev.kind != "w":
        return False
    low = _low(prev)
    return (low in _NOUN_BEFORE or low.endswith(("’s", "'s", "s’")) or low[:1].isdigit()
            or ("-" in low and low[:1].islower())
            # "began taking calls", "fielded claims": the object of a verb before it
            or (prev.text[:1].islower() and ((low.endswith("ing") and len(low) > 4 and low not in _PARTICIPLE)
                                              or (_past_verb(prev) and low not in _FINITE and low not in _PASSIVE))))


def _is_participle(t: _Tok) -> bool:
    return t.kind == "w" and t.text in _PARTICIPLE


def _verbish(toks: list[_Tok], i: int) -> bool:
    """A lowercase word that reads as a finite verb: "justified", "was", a speech verb."""
    t = toks[i]
    if t.kind != "w" or not t.text[:1].islower():
        return False
    low = t.text
    if (low in _FINITE and not _noun_use(toks, i)) or low in _PASSIVE or low in {"has", "have", "had"}:
        return True
    if low.endswith("ed") and len(low) > 4:
        if i and toks[i - 1].text.endswith(("’s", "'s", "s’")):
            return False  # "the mogul's preferred mode": an adjective after a possessive
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        if nxt is not None and nxt.text == "to" and i + 2 < len(toks) and toks[i + 2].kind == "w" \
                and toks[i + 2].text[:1].islower() and toks[i + 2].text not in _DETERMINERS:
            return True  # "continued to call", not "sent to the region"
        return not (nxt is not None and nxt.kind == "w" and _low(nxt) in _NP_PREPOSITIONS)
    return False


# --------------------------------------------------------------------------- noun phrases


# Irregular past forms that are never a past participle: after a noun they are its verb, not a modifier
# ("a sample came in", not "an email sent out by Lee").
_PAST_ONLY = _IRREGULAR_PAST & frozenset(
    ["began", "came", "drew", "gave", "ran", "sang", "saw", "spoke", "swore", "threw", "took", "went", "wrote", "knew",
     "tore", "wore", "bore", "broke", "chose", "drove", "fell", "flew", "forgot", "froze", "grew", "hid", "rode", "rose",
     "shook", "spun", "stole", "sank", "sprang", "bit", "blew", "became"]
)


def _passive_agent(toks: list[_Tok], by: int) -> bool:
    """Whether "by" at by follows a passive verb (was supported [Friday] by): its name is the one who acts."""
    v = by - 1
    while v > 0 and toks[v].kind == "w" and (_low(toks[v]) in _WEEKDAYS or _low(toks[v]) in _TIME_WORDS):
        v -= 1
    return v > 0 and toks[v].kind == "w" and _past_verb(toks[v]) and _is_passive(toks, v)


def _title_modifier(toks: list[_Tok], k: int) -> bool:
    """A short title in quotation marks between a determiner and a noun: the “Pose” actor."""
    if not (0 < k < len(toks) - 1 and toks[k - 1].kind == "w" and _low(toks[k - 1]) in _DESCRIBING
            and toks[k + 1].kind == "w" and toks[k + 1].text[:1].islower()):
        return False
    words = _words(toks[k].text.strip(_ALL_MARKS + " ,."))
    return 0 < len(words) <= 5 and _title_like(words)


def _valid_np(toks: list[_Tok]) -> bool:
    if not toks or len(toks) > 14 or any(t.kind == "q" and not _title_modifier(toks, n) for n, t in enumerate(toks)):
        return False
    first = toks[0]
    low = first.text if first.text.isupper() else _low(first)  # "WHO" is not "who"
    if len(toks) == 1 and low in _PRONOUNS:
        return True
    time = low in _TIME_WORDS and not (low in {"this", "next", "last"} and len(toks) > 1 and _low(toks[1]) not in _TIME_WORDS)
    if low in _PRONOUNS or time or _is_stop(first) or low in _NP_PREPOSITIONS:
        return False
    if len(toks) == 1 and low in _QUANTIFIERS:
        return True  # "most said they were “very worried”", "Some chanted “…”"
    if len(toks) == 1 and low in _NON_SPEAKERS:
        return False  # "Instead, …", "Democratic …": a sentence opener, not a speaker
    if first.text[:1].isupper() and low in _VERB_STOPS and low not in {"will", "may", "can", "must", "might"}:
        return False  # "Would Adam Schiff …": a question, not a subject
    if first.kind != "w":
        return False
    last = toks[-2] if len(toks) >= 3 and toks[-1].text.startswith("(") else toks[-1]
    titled = _is_cap(last) and len(toks) >= 2  # "company CEO Andy Vesey", "panel Chairman Ann Lee (R-Utah)"
    if not (first.text[:1].isupper() or first.text[:1].isdigit() or low in _DETERMINERS or titled
            or (len(toks) == 1 and low.endswith("s") and not low.endswith("ss"))):
        return False
    for n in range(1, len(toks) - 1):
        t, prev = toks[n], toks[n - 1]
        if (_is_cap(prev) or prev.text.startswith("(")) and _low(prev) not in _DETERMINERS and t.kind == "w" \
                and t.text[:1].islower() and (
                t.text in _DETERMINERS or (t.text.endswith("ed") and toks[n + 1].text in _NP_PREPOSITIONS)):
            return False  # "Mr. Clarke an extension …", "Ted Cruz weighed in on …": a clause, not a name
    for n in range(1, len(toks)):
        t, prev = toks[n], toks[n - 1]
        if t.kind == "w" and t.text[:1].islower() and (
                t.text.endswith(("n’t", "n't"))
                or (t.text in _PAST_ONLY and prev.kind == "w" and prev.text[:1].islower()
                    and prev.text not in _DETERMINERS and not _is_adverb(prev))  # "a sample came in"
                or (t.text in {"a", "an", "the", "his", "her", "their", "its"} and prev.kind == "w" and prev.text[:1].islower()
                    and (_past_verb(prev) or _verbish(toks, n - 1)))):
            return False  # "Cruz made an …", "The timing … doesn’t surprise …": a clause
    for n, t in enumerate(toks):
        if t.kind == "p" and t.text != "&":
            return False
        if t.kind == "w" and (t.text in _TRAILING_FINITE or t.text in _PARTICIPLE):
            return False
        if t.kind == "w" and t.text in _CLAUSE_STOPS and t.text != "and" \
                and not (t.text == "as" and n and toks[n - 1].text == "known"):
            return False
    if len(toks) > 1 and (_is_adverb(toks[-1]) or (first.text[:1].isupper() and _low(first).endswith("ing")
                                                     and not toks[1].text[:1].isupper())):
        return False  # "Following a swiftly (called meeting)": a participial phrase, not a subject
    return any(t.kind == "w" and _low(t) not in _TIME_WORDS and _low(t) not in {"the", "a", "an"} for t in toks)


def _bare_plural(np: list[_Tok]) -> list[_Tok] | None:
    """A lower-case plural or person noun with up to two modifiers standing right after a quotation as
    its verb's subject: "federal prosecutors", "many economists", "party officials"."""
    if not 1 <= len(np) <= 3 or any(t.kind != "w" or not t.text[:1].islower() for t in np):
        return None
    head = np[-1].text
    if not ((head.endswith("s") and not head.endswith(("ss", "ly"))) or head in _PERSON_NOUNS):
        return None
    if any(t.text in _CLAUSE_STOPS or t.text in _NP_PREPOSITIONS or t.text in _PRONOUNS or t.text in _TIME_WORDS
           or t.text in _AUXILIARIES or _is_adverb(t) for t in np):
        return None
    return np


def _strip_leading(np: list[_Tok]) -> list[_Tok]:
    """Drop time words and prepositions in front of a subject ("Last week State Department official …")."""
    i = 0
    while i < len(np) - 1 and ((_low(np[i]) in _TIME_WORDS
                                and not (_low(np[i]) in {"this", "next", "last"} and _low(np[i + 1]) not in _TIME_WORDS))
                               or _low(np[i]) in _NP_PREPOSITIONS or _low(np[i]) in _INTRO_WORDS):
        i += 1  # but "this source told the Post": a determiner
    return np[i:]


_LY_NOUNS = frozenset(["family", "ally", "assembly", "supply", "rally", "daily", "weekly", "monthly", "anomaly", "monopoly"])


def _is_adverb(t: _Tok) -> bool:
    """A lower-case -ly word: "allegedly", "cynically" (not a name's last word, nor "family")."""
    return (t.kind == "w" and t.text[:1].islower() and len(t.text) > 4 and t.text.endswith("ly")
            and t.text not in _LY_NOUNS)


def _after_preposition(toks: list[_Tok], first: _Tok, lo: int) -> bool:
    """Whether the noun phrase opening with `first` is the object of a preposition ("in a box")."""
    n = next((n for n in range(lo, len(toks)) if toks[n] is first), lo)
    return n > lo and toks[n - 1].kind == "w" and toks[n - 1].text in _NP_PREPOSITIONS and _low(first) in _DETERMINERS


def _subject_before(toks: list[_Tok], v: int, lo: int) -> list[_Tok] | None:
    """The subject of the verb at v, scanning back no further than lo."""
    j = v - 1
    # "The Kremlin on Tuesday dismissed", "Patrick has also said": skip to the subject's last word.
    while j >= lo and toks[j].kind == "w" and (toks[j].text in _AUXILIARIES or _low(toks[j]) in _WEEKDAYS
                                              or (_low(toks[j]) == "on" and j + 1 < v and _low(toks[j + 1]) in _WEEKDAYS)
                                              or (_is_adverb(toks[j]) and j - 1 >= lo and (toks[j - 1].text == ","
                                                  or (toks[j - 1].kind == "w" and _low(toks[j - 1]) not in _DETERMINERS)))):
        j -= 1
    if j - 1 > lo and j == v - 1 and toks[j].text == "to" and toks[j - 1].kind == "w" and toks[j - 1].text[:1].islower():
        # "Pence went on to say", "The email goes on to say": the subject of the verb "to" depends on.
        w = j - 1
        particle = toks[w].text in {"on", "up", "out", "back"} and w - 1 > lo and toks[w - 1].kind == "w"
        if particle:
            w -= 1
        if _verbish(toks, w) or _past_verb(toks[w]) or toks[w].text in _PHRASAL or (particle and toks[w].text.endswith("s")):
            return _subject_before(toks, w, lo)
        return None
    # "McConnell, who in 2010 said": a year or a weekday between a relative pronoun and its verb.
    if j - 2 >= lo and toks[j - 1].kind == "w" and toks[j - 1].text in {"in", "on"} \
            and (toks[j].text.isdigit() or _low(toks[j]) in _WEEKDAYS) and _low(toks[j - 2]) in _RELATIVE:
        j -= 2
    if j < lo:
        return None
    if toks[j].kind == "w" and _low(toks[j]) in _RELATIVE:
        if j - 1 > lo and (toks[j - 1].text == "," or (toks[j - 1].text in "-—–" and _low(toks[j]) == "who")):
            return _relative_antecedent(toks, j - 1, lo)  # also "Donald Trump - who previously said …"
        return _np_ending_at(toks, j - 1, lo)
    if toks[j].kind == "p" and toks[j].text == ",":
        return _appositive_subject(toks, j, lo)
    if toks[j].kind == "p" and toks[j].text in "—–" and j - 1 > lo:
        # "Ann Lee — a teacher from Dover — says": the name before the appositive between dashes.
        k = j - 1
        while k > lo and toks[k].text != toks[j].text and not _is_hard_stop(toks, k) and toks[k].kind != "q":
            k -= 1
        if k > lo and toks[k].text == toks[j].text:
            np = _np_ending_at(toks, k - 1, lo)
            return np if np is not None and _is_cap(np[-1]) else None
        return None
    np = _np_ending_at(toks, j, lo)
    s = j - len(np) + 1 if np is not None else -1
    if np is not None and s - 3 >= lo and toks[s - 1].text == "," \
            and _fold(clean_line(" ".join(t.text for t in np))) in _PLACE_NAMES:
        # "Stacy Baker of Columbia, South Carolina says": the state closes a place, the person is before it.
        person = _np_ending_at(toks, s - 2, lo)
        if person is not None and len(person) >= 3 and _low(person[-2]) in {"of", "from"} and _is_cap(person[0]):
            return person
    c = next((c for c in range(s - 1, max(lo, s - 4), -1) if toks[c].text == ","), -1) if np is not None else -1
    if c > lo and all(t.kind == "w" and t.text[:1].islower() for t in toks[c + 1:s]) \
            and any(_low(t) in _PERSON_NOUNS or _low(t) in _TITLES for t in toks[c + 1:j + 1]):
        # "Anthony Anton, president and CEO of the association stated": the name before an appositive
        # that never closes.
        name = _np_ending_at(toks, c - 1, lo)
        at = c - len(name) - 1 if name is not None else -1
        if name is not None and all(_is_cap(t) for t in name) and len(name) > 1 \
                and (at < lo or _is_hard_stop(toks, at)) and _low(name[0]) not in _NON_SPEAKERS:
            return name
    w = next((w for w in range(s - 2, max(lo, s - 5), -1) if toks[w].kind == "w" and _low(toks[w]) == "who"), -1) \
        if np is not None else -1
    if w > lo and all(t.kind == "w" and t.text[:1].islower() for t in toks[w + 1:s]) \
            and (_past_verb(toks[w + 1]) or _verbish(toks, w + 1)):
        # "One Democratic official who relayed the exchange said …", "voters who came to the hall said":
        # the one who said, not what the relative clause is about.
        who = _np_ending_at(toks, w - 1, lo)
        if who is not None:
            return who
    if np is not None and len(np) == 1 and _low(np[0]) in _QUANTIFIERS and s > lo and _low(toks[s - 1]) in _RELATIVE:
        return None  # "the announcement, which some have argued was …": not the one who speaks
    return np


def _np_ending_at(toks: list[_Tok], j: int, lo: int) -> list[_Tok] | None:
    k = j
    while k >= lo:
        t = toks[k]
        if t.kind == "q" and k < j and _title_modifier(toks, k):
            k -= 1  # "the “Pose” actor"
            continue
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
                    k = _joined_description(toks, k, lo)
                    break
            elif _is_stop(t) or t.text in _TRAILING_FINITE or t.text in _PARTICIPLE \
                    or (t.text[:1].islower() and (_verbish(toks, k) or t.text.endswith(("n’t", "n't")))
                        and not _adjective_participle(toks, k, lo)):
                break
        k -= 1
    np = _strip_leading(toks[k + 1:j + 1])
    if len(np) > 1 and np[-1].kind == "w" and np[-1].text in {"many", "some", "others", "most", "few", "several"} \
            and np[-2].kind == "w" and np[-2].text[:1].islower():
        np = np[-1:]  # "a title game many are calling": the clause's own subject, not the noun before it
    if len(np) > 2 and _past_verb(np[0]) and np[1].kind == "w" and np[1].text in _NP_PREPOSITIONS:
        np = _strip_leading(np[1:])  # "they turned to the Chicago Police Department, which reported"
    # "Protesters marching through the streets chanted": the participle and what follows it modify
    # the head before it.
    for n in range(1, len(np) - 1):
        t, nxt = np[n], np[n + 1]
        if t.kind == "w" and t.text[:1].islower() and t.text.endswith("ing") and len(t.text) > 5 \
                and nxt.kind == "w" and (nxt.text in _NP_PREPOSITIONS or nxt.text in _NOT_ANTECEDENT_AFTER
                                         or nxt.text in _DETERMINERS):
            np = np[:n]
            break
    return np if _valid_np(np) else None


# Nouns that name the kind of body a name after them is: "the conservative group American Crossroads".
_BODY_NOUNS = frozenset(["group", "firm", "company", "organization", "organisation", "network", "agency", "outlet",
                         "publication", "newspaper", "magazine", "website", "union", "coalition", "charity", "nonprofit",
                         "tank", "lobby", "channel", "broadcaster", "watchdog", "startup"])
# What "Secretary of …", "Minister of …" names before the holder's name.
_OFFICE_OBJECTS = frozenset(["state", "defense", "defence", "labor", "labour", "education", "energy", "commerce",
                             "agriculture", "transportation", "treasury", "health", "justice", "interior", "homeland", "staff"])
_PLACE_HEADS = frozenset(["beach", "island", "county", "valley", "heights", "harbor", "harbour", "bay", "river", "street",
                          "avenue", "square", "hook", "springs", "falls", "creek", "canyon", "boulevard", "plaza"])
_TEXT_NOUNS = frozenset(["post", "statement", "letter", "tweet", "email", "e-mail", "memo", "op-ed", "column", "essay",
                         "message", "note", "report", "interview", "speech"])
_SUBORDINATORS = frozenset(["after", "before", "when", "while", "because", "since", "although", "though", "until",
                            "once", "whenever", "where"])
_CAUSATIVES = frozenset(["led", "lead", "leads", "leading", "prompted", "prompts", "prompting", "caused", "causes",
                         "causing", "inspired", "inspires", "inspiring", "spurred", "spurring", "drove", "driving",
                         "got", "gets", "getting"])


def _colon_subject(toks: list[_Tok], lo: int, colon: int) -> list[_Tok] | None:
    """ "A footnote in the report makes that clear: “…”", "Hoff’s letter makes a case: “…”": the
    sentence opens with a noun phrase that can speak, and its verb (any verb) leads to the colon."""
    for v in range(lo + 1, min(colon, lo + 10)):
        t = toks[v]
        if t.kind != "w":
            return None
        if not t.text[:1].islower() or t.text in _NP_PREPOSITIONS or _low(t) in _DETERMINERS:
            continue
        if not (_verb_like(toks, v) or (t.text.endswith("s") and not t.text.endswith("ss") and len(t.text) > 3
                                        and v + 1 < colon and toks[v + 1].kind == "w"
                                        and (_low(toks[v + 1]) in _DETERMINERS or _low(toks[v + 1]) in _PRONOUNS))):
            continue
        if _is_passive(toks, v):
            return None
        np = _subject_before(toks, v, lo)
        if np is None or np[0] is not toks[lo]:
            return None
        head = _head(np)
        if head.text.endswith(("’s", "'s")) or _low(head) in _NON_SPEAKERS:
            return None
        if _is_cap(head) or _speaking_noun(head.text):
            return np
        return None
    return None


def _topic_phrase(toks: list[_Tok], r: int) -> bool:
    """Whether the name starting at r closes a phrase opening its sentence on a person: "As for Trump,",
    "For Clinton,", "To political science professor Brigid Harrison,"."""
    lo = _sentence_start(toks, r)
    first = _low(toks[lo]) if lo < r else ""
    if first == "as" and lo + 1 < r and _low(toks[lo + 1]) == "for":
        lo += 1
    elif first not in {"for", "to"}:
        return False
    between = toks[lo + 1:r]
    return len(between) <= 8 and all(t.kind == "w" and not _verbish(toks, n) and not _past_verb(t)
                                     for n, t in enumerate(between, lo + 1))


def _name_after_clause(np: list[_Tok]) -> list[_Tok] | None:
    """ "passing around emails in a way FBI Director James Comey", "up with an attack on Trump": lower-case
    words that read as a clause (a preposition, an -ing word, a verb) before a name are not part of
    the speaker; the name closing the phrase is."""
    if not np or not np[0].text[:1].islower() or _low(np[0]) in _DETERMINERS:
        return None
    k = next((n for n, t in enumerate(np) if _is_cap(t)), -1)
    if k <= 0:
        return None
    head = np[:k]
    if not any((t.text in _NOT_ANTECEDENT_AFTER and t.text not in {"of", "for"}) or t.text in {"up", "around"}
               or (t.text.endswith("ing") and len(t.text) > 4 and t.text not in _PERSON_NOUNS) for t in head):
        return None
    end = k  # the name: the capitalised run after the clause (with a title inside it)
    while end < len(np) and (_is_cap(np[end]) or np[end].text.startswith("(")):
        end += 1
    return np[k:end] if _valid_np(np[k:end]) else None


def _caused_subject(toks: list[_Tok], to: int, lo: int) -> list[_Tok] | None:
    """ "This prompted the tabloid to do a cover saying “…”", "leading advisers like Gene Sperling to
    counter that “…”": the object of a verb that makes someone act is the subject of the act."""
    if to + 1 >= len(toks) or toks[to + 1].kind != "w" or not toks[to + 1].text[:1].islower():
        return None
    v = next((n for n in range(to - 2, max(lo, to - 12) - 1, -1)
              if toks[n].kind != "w" or toks[n].text in _CAUSATIVES), -1)
    if v < 0 or toks[v].kind != "w" or toks[v].text not in _CAUSATIVES:
        return None
    np = toks[v + 1:to]
    return np if _valid_np(np) else None


def _adjective_participle(toks: list[_Tok], k: int, lo: int) -> bool:
    """An -ed word used as an adjective inside a noun phrase: "52 percent of registered voters", "the
    elected officials" (after "of", a determiner or a number, and before a lower-case noun)."""
    t = toks[k]
    if not t.text.endswith("ed") or k - 1 < lo or k + 1 >= len(toks):
        return False
    prev, nxt = toks[k - 1], toks[k + 1]
    return prev.kind == "w" and (prev.text in {"of", "the", "many", "some", "most", "all"} or prev.text[:1].isdigit()) \
        and nxt.kind == "w" and nxt.text[:1].islower() and not _verbish(toks, k + 1) and nxt.text not in _CLAUSE_STOPS \
        and nxt.text not in _NP_PREPOSITIONS


def _joined_description(toks: list[_Tok], k: int, lo: int) -> int:
    """Where a noun phrase ends (scanning back) at the "and" at k: k itself, or, for two descriptions of one
    person opening the clause ("The former secretary of state and current Democratic nominee said"), the
    token before their determiner."""
    m = k - 1
    while m >= lo and toks[m].kind == "w" and _low(toks[m]) not in _DETERMINERS and _low(toks[m]) != "and" \
            and not _is_stop(toks[m]) and toks[m].text not in _TRAILING_FINITE and toks[m].text not in _PARTICIPLE \
            and _low(toks[m]) not in _PRONOUNS and not (toks[m].text[:1].islower() and _verbish(toks, m)):
        m -= 1
    if m < lo or toks[m].kind != "w" or _low(toks[m]) not in {"the", "a", "an"} or m == k - 1:
        return k
    if m > lo and toks[m - 1].kind == "w" and not (_low(toks[m - 1]) in _INTRO_WORDS and toks[m - 1] is toks[lo]):
        return k
    return m - 1


def _relative_antecedent(toks: list[_Tok], comma: int, lo: int) -> list[_Tok] | None:
    """The noun phrase a relative pronoun after a comma points back to: "Dan Roe, who …", or past a
    description between commas, "McConnell, now the Senate majority leader, who …"."""
    n = comma
    while n - 1 > lo and toks[n - 1].kind == "w":
        n -= 1
    start = n
    while start < comma and (_low(toks[start]) in _TIME_WORDS or _low(toks[start]) in {"now", "then", "once"}):
        start += 1
    np = _np_ending_at(toks, comma - 1, start)
    if np is None or not _described(np):
        return np
    if n - 1 > lo and toks[n - 1].text == ",":
        name = _np_ending_at(toks, n - 2, lo)
        cut = max((m for m, t in enumerate(name or []) if t.text in _NP_PREPOSITIONS), default=-1)
        if name is not None and 0 <= cut < len(name) - 1 and _is_cap(name[cut + 1]):
            name = name[cut + 1:]  # "a frosty relationship with McConnell, now …, who"
        if name is not None and _is_cap(name[-1]) and not _described(name):
            return name
    return np


def _appositive_subject(toks: list[_Tok], comma: int, lo: int) -> list[_Tok] | None:
    """ "Robertson, the U.S. commander, said": the first comma segment that is a name."""
    k = comma
    while k - 1 >= lo and toks[k - 1].kind != "q" and not _is_hard_stop(toks, k - 1) \
            and toks[k - 1].text not in ":—–-()":
        k -= 1
    segments: list[list[_Tok]] = []
    cur: list[_Tok] = []
    for t in toks[k:comma]:
        if t.kind == "p" and t.text == ",":
            segments.append(cur)
            cur = []
        else:
            cur.append(t)
    segments.append(cur)
    for n, seg in enumerate(segments):
        if len(seg) > 1 and _low(seg[0]) in _CONJ_STOPS and _is_cap(seg[1]):
            seg = seg[1:]  # "But Sen. Ann Lee (D-Ill.), noting …, said": the conjunction opens the clause
        if not seg or _low(seg[0]) in _INTRO_WORDS or _low(seg[0]) in _WEEKDAYS \
                or (n and len(seg) == 1 and ((seg[0].text.isupper() and len(seg[0].text) <= 3)
                                             or _fold(seg[0].text) in _PLACE_NAMES)) or (
                n == 0 and len(seg) > 1 and seg[0].text[:1].isupper() and _low(seg[0]).endswith("ing")
                and len(seg[0].text) > 5 and seg[1].kind == "w" and seg[1].text[:1].islower()):
            continue  # also "Appearing before supporters at NLD headquarters, Suu Kyi, 70, said", "Tuesday in Berea, OH, …"
        np = _np_ending_at(seg, len(seg) - 1, 0)
        name = segments[n + 1] if n + 1 < len(segments) else []
        if np is not None and np[0] is not seg[0] and len(np) > 1 and all(_is_cap(t) for t in np) \
                and name and _low(name[0]) in {"who", "who’s", "who's"} and _low(np[0]) not in _NON_SPEAKERS:
            return np  # "It was three years ago that Michael Bloomberg, who …, said": the relative's antecedent
        at = next((m for m, t in enumerate(seg) if np is not None and t is np[0]), -1)
        if np is None or (np[0] is not seg[0] and not (
                at > 0 and _low(seg[at - 1]) in _SUBORDINATORS
                and _plain_description(np))):
            return None  # (but "… after a woman in Worcester, Massachusetts, told him": a clause's subject)
        place = _fold(clean_line(" ".join(t.text for t in name))) in _PLACE_NAMES
        if _described(np) and name and len(name) <= 4 and all(_is_cap(t) for t in name) and not place:
            return name  # "The EU’s special representative for Central Asia, Anna Lindqvist, said"
        return np
    return None


def _plain_description(np: list[_Tok]) -> bool:
    """ "a woman in Worcester", "the man": lower-case words with any capitalised one only after a
    preposition (not "the first Super Tuesday polls Trump", two lines run together)."""
    return np[0].text[:1].islower() and all(
        not _is_cap(t) or (n and np[n - 1].text in _NP_PREPOSITIONS) or (n and _is_cap(np[n - 1]) and n > 1
                                                                       and np[n - 2].text in _NP_PREPOSITIONS)
        for n, t in enumerate(np))


def _closing_name(np: list[_Tok]) -> list[_Tok] | None:
    """The name of two or more capitalised words (and a party parenthetical) that closes a phrase
    after a lower-case noun: "the state convention Sen. Ann Lee (D-Ore.)" → "Sen. Ann Lee (D-Ore.)"."""
    m = len(np)
    if m and np[-1].text.startswith("("):
        m -= 1
    k = m
    while k > 0 and _is_cap(np[k - 1]):
        k -= 1
    if m - k < 2 or k == 0 or np[k - 1].kind != "w" or not np[k - 1].text[:1].islower() \
            or np[k - 1].text in _NP_PREPOSITIONS:
        return None
    name = np[k:]
    return name if _valid_np(name) and _low(name[0]) not in _NON_SPEAKERS else None


def _head(np: list[_Tok]) -> _Tok:
    """The head word: the last one before a post-modifier ("the envoy for Central Asia" → envoy)."""
    head = np[0]
    for t in np[1:]:
        if t.kind == "w" and (t.text in _NP_PREPOSITIONS or t.text in {"who", "which"}):
            break
        if not t.text.startswith("("):
            head = t
    return head


def _described(np: list[_Tok]) -> bool:
    """A description rather than a name: its head is a common noun ("Villa’s sporting director")."""
    head = _head(np)
    return head.kind == "w" and (not head.text[:1].isupper() or head.text.lower() in _PERSON_NOUNS)


def _np_after(toks: list[_Tok], v: int, hi: int) -> list[_Tok] | None:
    """The speaker after an inverted verb: "said Brent Sherwood, vice president of …"."""
    j = v + 1
    if j < hi and toks[j].kind == "w" and _low(toks[j]) in _TIME_WORDS and not _is_cap(toks[j]):
        return None
    np: list[_Tok] = []
    while j < hi:
        t = toks[j]
        if t.kind == "q" or (t.kind == "p" and t.text != "&"):
            break
        if t.text == "as" and np and np[-1].text == "known" and j + 1 < hi and _is_cap(toks[j + 1]):
            np.append(t)  # "said the base chief known as Bob"
            j += 1
            continue
        if t.kind == "w" and (t.text in {"who", "which", "that", "in", "on", "at", "during", "after",
                                         "when", "while", "as", "because", "about", "to", "via", "whether", "if"}
                              or t.text in _TRAILING_FINITE or t.text in _PARTICIPLE):
            break
        if np and _is_cap(np[-1]) and _is_adverb(t):
            break  # "said de Nysschen bluntly"
        np.append(t)
        j += 1
    if not _valid_np(np):
        return None
    if _described(np):
        # "said another witness in the probe, former adviser Fiona Hill": prefer the name.
        k = j
        while k < hi and toks[k].kind == "w":
            k += 1
        if k >= hi or toks[k].text != ",":
            return np
        seg = []
        m = k + 1
        while m < hi and toks[m].kind == "w":
            seg.append(toks[m])
            m += 1
        if seg and _is_cap(seg[-1]) and (m >= hi or _is_hard_stop(toks, m)) and len(seg) <= 10 \
                and _valid_np(seg) and not any(_verbish(seg, n) for n in range(len(seg))):
            return seg  # not "read the statement, which was attributed to Miller"
    return np


def _inverted_speaker(toks: list[_Tok], v: int, hi: int) -> list[_Tok] | None:
    """The speaker after an inverted verb right after a quotation, but not the verb's object: "“…,”
    said Ann Lee", not "summed up Clinton as “terrible,” denounced her record"."""
    np = _np_after(toks, v, hi)
    if np is not None and len(np) > 1 and _low(np[0]) in _POSSESSIVES and not any(_is_cap(t) for t in np[1:]) \
            and _low(np[-1]) not in _PERSON_NOUNS and _low(np[-1]).removesuffix("s") not in _PERSON_NOUNS:
        return None  # but "“…,” said his campaign manager Jeff Weaver"
    return np


# --------------------------------------------------------------------------- attribution


def _is_coordinated(toks: list[_Tok], v: int) -> bool:
    """ "… and slammed", "…, called": a verb sharing an earlier verb's subject."""
    p = toks[v - 1] if v > 0 else None
    if p is not None and _low(p) == "then" and v > 1 and _is_cap(toks[v - 2]):
        return False  # "Mills then writes back": the name is the subject
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
        if _is_hard_stop(toks, j) or (toks[j].kind == "q" and j + 1 < q and toks[j].text.rstrip("”\"’' ")[-1:] in ".!?"
                                      and _quote_ends_sentence(toks, j)):
            return j + 1  # also "… “a failed candidate.” Romney fired back": after a quotation closing its sentence
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
        self.runs = [m.group() for m in _CAPITALISED_RUN.finditer(text)]
        self.known_names = _name_parts(self.runs)
        self._surname_gender: dict[str, str] | None = None
        self._genders: dict[str, str | None] = {}
        self.kept_paras: set[int] = set()  # paragraphs with a quotation kept so far
        self.nobody: set[int] = set()  # quotations whose sentence says they are nobody's in particular
        self.owners: dict[int, list[tuple[int, str, str]]] = {}  # possessors by paragraph, from _para_mentions
        self.named: dict[int, list[tuple[int, list[_Tok]]]] = {}  # every name by paragraph, from _para_mentions
        self._common: set[str] | None = None
        self._proper: tuple[set[str], set[str]] | None = None
        self.mentions: dict[int, list[tuple[int, str, str]]] = {}
        self.history: list[tuple[int, str, str]] = []  # (offset, speaker, kind) of resolved speakers
        self.sentence_of: dict[int, tuple[int, int]] = {}  # mention offset -> (paragraph, sentence number)
        self.para_starts = [b for b, _ in paras]
        self._chain: dict[tuple[str, int, int], str | None] = {}  # resolve_pronoun on a pronoun's own antecedent

    # -- pieces of text
    def _np_text(self, np: list[_Tok]) -> str:
        if len(np) > 1 and _low(np[-1]) in _REFLEXIVES:
            np = np[:-1]  # "Cruz himself said"
        return clean_line(self.text[np[0].start:np[-1].end])

    def _inherit(self, toks: list[_Tok], i: int) -> str | None:
        span = self.spans[toks[i].quote]
        return span.speaker if span.keep else None

    # -- the three places an attribution can be
    def trailing(self, toks: list[_Tok], q: int) -> tuple[list[_Tok] | None, int]:
        """ "“…,” X said" / "“…,” said X" / "“…,” according to X" right after the closing mark."""
        hi = min(len(toks), q + 30)
        j = q + 1
        while j < hi and toks[j].kind == "p" and toks[j].text in ",—–―‒-:":
            j += 1
        if j >= hi or toks[j].kind != "w":
            return None, -1
        if toks[j - 1].text in _SIGNATURE_DASHES and _is_cap(toks[j]):
            # "“…” — Jane Smith, in a post": a signature. Not "“…” — Now the …" nor "— Would Adam …":
            # a signature is a name, standing alone up to punctuation or the end of its line.
            k = j
            while k < hi and _is_cap(toks[k]):
                k += 1
            run = toks[j:k]
            ends = k == len(toks) or toks[k].kind == "p" or "\n" in self.text[toks[k - 1].end:toks[k].start]
            first = _low(run[0])
            if ends and first not in _NON_SPEAKERS and first not in _WIRE_SERVICES and first not in _INTRO_WORDS \
                    and (len(run) > 1 or first in self.known_names):
                return run, j
            if k == hi or toks[k].kind == "p":
                return None, -1
        if q > 0 and toks[q - 1].text in "-—–" and toks[q + 1].text in "-—–":
            return None, -1  # "Lee lamented her gaffes - “…?” - but voters said they …": an aside between dashes
        if "\n" in self.text[toks[q].end:toks[j].start] and toks[q].text.rstrip("”\"’' ")[-1:] in ".!?":
            return None, -1  # "“… all these terribles.”\nPriebus, …, told Fox News": the next line's own verb
        if toks[j].text in _INVERTIBLE:
            np = _inverted_speaker(toks, j, hi)
            return (np, j) if np is not None else (None, -1)
        if _low(toks[j]) == "according" and j + 1 < hi and _low(toks[j + 1]) == "to":
            return _np_after(toks, j + 1, hi), j
        if _low(toks[j]) == "per" and j + 1 < hi and toks[j + 1].kind == "w":
            return _np_after(toks, j, hi), j  # "“…,” per the party’s bylaws."
        if _low(toks[j]) == "as":
            # "“…,” as a Homeland Security memo put it." / "“…,” as Lee noted."
            v = next((v for v in range(j + 2, min(hi, j + 10)) if toks[v].kind != "w"
                      or toks[v].text in _TRAILING_FINITE or toks[v].text in {"put", "puts"}), -1)
            if v > 0 and toks[v].kind == "w" and (toks[v].text in _TRAILING_FINITE
                                                  or (v + 1 < hi and _low(toks[v + 1]) == "it")):
                source = toks[j + 1:v]
                if _valid_np(source):
                    return source, v
        v = j
        while v < hi and not _is_hard_stop(toks, v) and toks[v].kind != "q":
            if toks[v].text in _TRAILING_FINITE and not _noun_use(toks, v):
                break
            v += 1
        if (v >= hi or toks[v].text not in _TRAILING_FINITE) and toks[q].text.rstrip("”\"’' ").endswith(",") \
                and _sentence_start(toks, q) == q and _low(toks[j]) not in {"a", "an"}:
            # "“…,” the nominee riffed on …": after a quotation opening its sentence and closing on a
            # comma, the noun phrase opening the clause and its past-tense verb are an attribution,
            # whatever the verb (not an apposition: "“Chi-Raq,” a movie directed by …").
            v = next((n for n in range(j + 1, min(hi, j + 8)) if toks[n].kind != "w" or _past_verb(toks[n])), hi)
            if v < hi and _past_verb(toks[v]) and not _is_passive(toks, v) \
                    and not (v + 1 < hi and toks[v + 1].text in {"by", "to", "that"}):
                np = _subject_before(toks, v, j)
                if np is not None and np[0] is toks[j] and _low(toks[j]) not in _NON_SPEAKERS:
                    return np, v
            return None, -1
        if v >= hi or toks[v].text not in _TRAILING_FINITE or _is_passive(toks, v):
            return None, -1
        np = _subject_before(toks, v, j)
        if np is None:
            np = _bare_plural(toks[j:v])  # "“…,” federal prosecutors wrote"
        # "“…,” Sanders's campaign manager, Jeff Weaver, said": a description and the name in apposition.
        appositive = np is not None and toks[v - 1].text == "," and any(t.text == "," for t in toks[j:v - 1]) \
            and not any(t.kind == "q" or _is_hard_stop(toks, n) for n, t in enumerate(toks[j:v], j)) \
            and _low(toks[j]) not in _CONJ_STOPS and _low(toks[j]) not in _INTRO_WORDS \
            and not (v + 1 < hi and _is_cap(toks[v + 1]) and _low(toks[v + 1]) not in _WEEKDAYS)
        if np is None or (np[0] is not toks[j] and not appositive):
            # "“…,” Nate Silver, the pollster who founded the site, tweeted": a name, then an
            # appositive with its own verbs, then the speech verb.
            k = j
            while k < v and _is_cap(toks[k]):
                k += 1
            if not (k > j and k < v and toks[k].text == "," and toks[v - 1].kind == "w"
                    and _valid_np(toks[j:k]) and _low(toks[j]) not in _NON_SPEAKERS):
                return None, -1
            np = toks[j:k]
        after = v + 1
        while after < hi and toks[after].kind == "w" and (_low(toks[after]) in _WEEKDAYS or _low(toks[after]) in _TIME_WORDS):
            after += 1
        if _quote_ends_sentence(toks, q) and toks[q].text.rstrip("”\"’' ")[-1:] in ".!?" and after < hi \
                and toks[after].kind == "w" and _low(toks[after]) == "that":
            return None, -1  # "“… Clinton.” Her defenders today argue that …": the next sentence reports its own words
        if _quote_ends_sentence(toks, q) and any(t.kind == "q" for t in toks[v + 1:_sentence_end(toks, v)]):
            return None, -1  # "“…cut.” He described the tone as “dovish”": the verb introduces the next quote
        if _quote_ends_sentence(toks, q) and toks[q].text.rstrip("”\"’' ")[-1:] in ".!?" and after + 1 < hi \
                and _low(toks[after]) == "to" and toks[after + 1].kind == "w" and toks[after + 1].text[:1].islower() \
                and toks[after + 1].text not in _DETERMINERS and toks[after + 1].text not in _POSSESSIVES \
                and toks[after + 1].text not in _PRONOUNS and toks[after + 1].text not in _FIRST_SECOND:
            return None, -1  # "“… court.” Trump on April 5 threatened to slap tariffs …": the next sentence's own act
        return np, v

    def leading(self, toks: list[_Tok], q: int) -> tuple[bool, list[_Tok] | str | None, int]:
        """Scan back for a speech verb in the same sentence: (cue found, subject or inherited, verb)."""
        lo = _sentence_start(toks, q)
        np: list[_Tok] | None
        v = q - 2 if q - 2 > lo and (toks[q - 1].text in {",", ":"} or _low(toks[q - 1]) == "that") else q - 1
        if v - 1 > lo and _low(toks[v]) in {"is", "was"}:
            owner = _saying_owner(toks, v, lo)
            if owner is not None:
                return True, owner, v  # "Barrett’s dictum to his interns was, “…”", "Her slogan is “…”"
        if q - 1 > lo and toks[q - 1].text == ":":
            head = _strip_leading(toks[lo:q - 1])
            if _valid_np(head) and head[0] is toks[lo] and any(_is_cap(t) for t in head) \
                    and not any(_verbish(head, n) or _is_adverb(t) or t.text == "back"
                                or (n and t.text[:1].islower() and n + 1 < len(head) and head[n + 1].text in {"a", "an", "the"})
                                for n, t in enumerate(head)):
                return True, head, q - 1  # "Trump: “I am …”" in a headline (not "Okafor fired back: “…”")
            k = q - 1
            while k - 1 >= lo and _is_cap(toks[k - 1]):
                k -= 1
            named = toks[k:q - 1]
            if k > lo and named and (toks[k - 1].text in "-—–―" or _low(toks[k - 1]) == "from") \
                    and _valid_np(named) and (len(named) > 1 or _low(named[0]) in self.known_names) \
                    and _low(named[0]) not in _NON_SPEAKERS:
                return True, named, q - 1  # "TURNOUT IS UP - Ann Lee: “…”", "More from Lee: “…”"
            f = next((f for f in range(lo, min(lo + 2, q - 1)) if _low(toks[f]) == "from"), -1)
            if f >= 0 and f + 2 < q - 1 and _low(toks[f + 1]) in {"the", "a", "an", "this", "that"} \
                    and all(t.kind == "w" for t in toks[f + 1:q - 1]) and _speaking_noun(toks[q - 2].text):
                return True, toks[f + 1:q - 1], q - 1  # "From the report: “…”", "More from the memo: “…”"
            if q - 2 > lo and toks[q - 2].text in _TRAILING_FINITE:
                np = _subject_before(toks, q - 2, lo)  # "The statement read: “…”", "He continued: “…”"
                if np is not None:
                    return True, np, q - 2
        if 0 < lo and q - lo <= 2 and toks[lo - 1].kind == "q" and _is_cap(toks[lo]) and _low(toks[lo]) in _PARTICIPLE:
            # "… the report “wasn’t good.” Adding, “…”": the participle goes on with the quotation before
            inherited = self._inherit(toks, lo - 1)
            if inherited is not None:
                return True, inherited, lo
        if q - 4 > lo and toks[q - 1].text == "," and toks[q - 2].kind == "w" and toks[q - 2].text in _TEXT_NOUNS:
            # "Trump issued a statement, “Last night, our nation was attacked …”": the one who issued it
            v = q - 3
            while v > lo and toks[v].kind == "w" and (_low(toks[v]) in _DETERMINERS or _low(toks[v]) in _POSSESSIVES
                                                       or (toks[v].text[:1].islower() and not _past_verb(toks[v])
                                                           and not _verbish(toks, v))) and q - v < 7:
                v -= 1
            if v > lo and toks[v].kind == "w" and (_past_verb(toks[v]) or _verbish(toks, v)) and not _is_passive(toks, v):
                np = _subject_before(toks, v, lo)
                if np is not None:
                    return True, np, v
        if _low(toks[lo]) == "as" and q - lo > 4:
            # "As The Post's Ruth Marcus puts it, Obama is trying to make Republicans “…”"
            v = next((v for v in range(lo + 2, min(q - 2, lo + 12)) if toks[v].kind != "w"
                      or (toks[v].text in {"put", "puts"} and _low(toks[v + 1]) == "it")), -1)
            if v > 0 and toks[v].kind == "w" and toks[v + 2].text == ",":
                source = toks[lo + 1:v]
                if _valid_np(source):
                    return True, source, v
        if q - 3 > lo and toks[q - 1].text in ":," and _low(toks[q - 2]) == "it" and _low(toks[q - 3]) in {"put", "puts"}:
            np = _subject_before(toks, q - 3, lo)  # "As John Cornyn put it: “…”"
            if np is not None:
                return True, np, q - 3
        if q - 2 > lo and toks[q - 1].text == ":" and _low(toks[lo]) not in {"as", "according"}:
            # "When Trump suggested that …, Rubio fired back forcefully: “…”": the clause the colon closes
            # names the speaker before any verb in the clauses before it.
            c = next((c for c in range(q - 2, lo, -1) if toks[c].text in {",", "that"} or toks[c].kind == "q"), lo - 1)
            if c >= lo and toks[c].text in {",", "that"} and c + 2 < q - 1:  # also "so odd that a spokesman … could only quip:"
                v = next((v for v in range(c + 2, q - 1) if _verbish(toks, v) or _past_verb(toks[v])
                          or (toks[c].text == "that" and toks[v].text in _MODALS)), -1)
                np = _subject_before(toks, v, c + 1) if v > 0 and not _is_passive(toks, v) else None
                if np is not None and np[0] is toks[c + 1] and _is_cap(np[-1]) and _low(np[0]) not in _NON_SPEAKERS:
                    return True, np, v
        cue = finite = False
        participle = -1
        j = q - 1
        while j >= lo:
            t = toks[j]
            if t.kind == "q" and _naming_called(toks, j):
                j -= 2  # "a class called “Perception”": a name, and its "called" is no speech verb
                continue
            if t.kind == "q":
                if _quote_ends_sentence(toks, j) or _signed_line(self.text, toks, j, q):
                    break
                inherited = self._inherit(toks, j)
                if inherited is not None:
                    # "in a clip that Judge Mosman called “distasteful,” Santilli expressed a desire to “…”":
                    # a name opening a clause of its own after the earlier quotation is this one's speaker.
                    if j + 3 < q and toks[j].text.rstrip("”\"’'").endswith(",") and _is_cap(toks[j + 1]):
                        k = j + 1
                        while k < q and _is_cap(toks[k]):
                            k += 1
                        if k < q and _past_verb(toks[k]) and _valid_np(toks[j + 1:k]) \
                                and _low(toks[j + 1]) not in _NON_SPEAKERS:
                            return True, toks[j + 1:k], k
                    return True, inherited, j
                j -= 1
                continue
            if t.kind == "w" and _low(t) == "according" and j + 1 < q and _low(toks[j + 1]) == "to":
                np = _np_after(toks, j + 1, q)
                if np is not None:
                    return True, np, j
            if t.text in _HE_SHE and j > lo and _low(toks[j - 1]) in _SUBORDINATORS and j + 1 < q \
                    and _verb_like(toks, j + 1) and any(u.kind == "q" or _is_finite(u) for u in toks[lo:j - 1]):
                # "Christie called her a “disgrace” after she attacked … and blamed … on “…”": the
                # clause's own he or she, not the speaker of the quotation or the verb before it.
                return True, toks[j:j + 1], j + 1
            if t.kind == "w" and t.text in _SPEECH_NOUNS and j > lo and q - j <= 10 and not cue \
                    and toks[j - 1].kind == "w" and toks[j - 1].text in {"his", "her", "their"} \
                    and any(u.text in {"that", "for", "of", "about"} for u in toks[j + 1:q]) \
                    and all(u.kind == "w" and not _verbish(toks, n) for n, u in enumerate(toks[j + 1:q], j + 1)):
                # "using her comments before a committee that “…”", "his call for “…”": whose words they
                # are; "Trump stood by his comment that “…”": the clause's own subject first
                own = self._clause_owner(toks, j - 1, lo)
                return True, own or toks[j - 1:j], j
            if t.kind == "w" and t.text == "to":
                caused = _caused_subject(toks, j, lo)
                if caused is not None:
                    return True, caused, j + 1  # "… led the journalist Dainis Ivans to fear a “…”"
                if j + 2 < q and toks[j + 1].text in _NAMING_INFINITIVES:
                    actor = _infinitive_subject(toks, j, lo)
                    if actor is not None:
                        return True, actor, j + 1  # "with Lewandowski taking to Twitter to call Fields “…”"
            if _is_participle(t):
                cue = True
                participle = j if participle < 0 else participle
                after = _named_before_participle(toks, j, lo)
                if after is not None:
                    return True, after, j  # "footage of Trump saying …, “…”", "with Trump reportedly yelling: “…”"
            elif t.text in {"asked", "questioned", "pressed"} and _is_passive(toks, j) and j + 1 < q \
                    and toks[j + 1].text == "by":
                np = _np_after(toks, j + 1, q)  # "Rubio was asked by moderator Gerard Baker whether …"
                if np is not None:
                    return True, np, j
            elif _is_finite(t) and not _is_passive(toks, j) and not _noun_use(toks, j):
                cue = finite = True
                if _is_coordinated(toks, j):
                    # "The agency extended its warning and described the conditions as “…”"
                    found = self._main_subject(toks, j, lo)
                    if found is not None:
                        return True, (_reporter(toks, found, lo) if isinstance(found, list) else None) or found, j
                else:
                    # "Because of the calendar, explained Rosenberg, “…”": an inverted verb between commas.
                    inverted = _np_after(toks, j, q) if j > lo and toks[j - 1].text == "," and t.text in _INVERTIBLE \
                        and _is_cap(toks[j + 1]) else None
                    past = j + 1 + len(inverted) if inverted is not None else -1
                    if j > lo and toks[j - 1].kind in "pq" and toks[j - 1].text != ",":
                        np = _np_after(toks, j, q) if t.text in _INVERTIBLE else None
                    elif inverted is not None and ((inverted[-1] is toks[q - 2] and toks[q - 1].text in ",:")
                                                   or (past < q and toks[past].text == "," and _is_cap(inverted[-1]))):
                        # also "The paradox of Nancy, says Carl Anthony, a historian, is that she was “…”"
                        return True, inverted, j
                    else:
                        np = _subject_before(toks, j, lo)
                        if np is not None and _after_preposition(toks, np[0], lo):
                            # "in a box labeled “…”": a participle, not a speaker's verb; but "At the
                            # convention Sen. Ann Lee said": a name closing the phrase is the subject.
                            np = _closing_name(np)
                    if np is not None:
                        return True, _reporter(toks, np, lo) or np, j
            j -= 1
        if participle >= 0 and not finite and participle > lo and _is_cap(toks[participle - 1]) \
                and _low(toks[participle - 1]) not in _NON_SPEAKERS:
            k = participle - 1
            while k - 1 >= lo and _is_cap(toks[k - 1]):
                k -= 1
            named = _strip_leading(toks[k:participle])
            if _valid_np(named):
                return True, named, participle  # "footage of Hillary Clinton asking, “…”": the one who asks
        if participle >= 0 and not finite:
            found = self._main_subject(toks, participle, lo)
            if isinstance(found, list) and self._capitalised_thing(found):
                # "Quick access to Siri is a tap away, or comes by saying “Hey Siri”": nobody in particular
                self.nobody.add(toks[q].start)
                return True, None, -1
            if found is not None:
                return True, (_reporter(toks, found, lo) if isinstance(found, list) else None) or found, participle
        if q - 1 > lo and toks[q - 1].text == ":":
            # "Rubio fired back forcefully: “…”": the subject of the clause the colon closes.
            for v in range(lo + 1, q - 1):
                if _verbish(toks, v) and not _is_passive(toks, v):
                    np = _subject_before(toks, v, lo)
                    if np is not None:
                        at = next((n for n in range(lo, v) if toks[n] is np[0]), lo)
                        if at == lo or toks[at - 1].text == "," or (_low(toks[at - 1]) == "as"
                                                                      and toks[v].text in _TRAILING_FINITE):
                            return True, np, v  # also "In response, Gov. Lee issued this statement:", "as Lee observed, …:"
                    # "With leaders worried about …, President Obama is rolling out a message:": the
                    # first verb may belong to the opening phrase; the clause's own comes after a comma.
                    nxt = next((n for n in range(v + 1, q - 1) if toks[n].text == ","), -1)
                    if nxt < 0:
                        break
            np = _colon_subject(toks, lo, q - 1)
            if np is not None:
                return True, np, q - 1
        return cue, None, -1

    def _clause_owner(self, toks: list[_Tok], pos: int, lo: int) -> list[_Tok] | None:
        """The name a possessive his/her/their at pos belongs to when the name is the subject of its own
        clause, just before: "Trump stood by his comment"."""
        sex = {"his": "m", "her": "f"}.get(toks[pos].text)
        for v in range(pos - 1, max(lo, pos - 4), -1):
            if not (_verb_like(toks, v) or _past_verb(toks[v])):
                continue
            np = _subject_before(toks, v, lo)
            if np is None or not _is_cap(np[-1]):
                return None
            name = self._np_text(np)
            want = ("person",) if sex else ("org", "group", "name")
            return np if self._fits(name, _kind(name), want, sex) else None
        return None

    def _main_subject(self, toks: list[_Tok], at: int, lo: int) -> list[_Tok] | str | None:
        """The subject a participle ("…, citing …") borrows: that of the nearest finite verb before it."""
        j = at - 1
        while j >= lo:
            if toks[j].kind == "q" and _naming_called(toks, j):
                j -= 2  # "shared a syllabus for a class called “Perception” …, writing": a name, not a verb
                continue
            if toks[j].kind == "q":
                return self._inherit(toks, j)
            if toks[j].kind == "p" and toks[j].text in "-—–―":
                # "… around the stadium - where the Panthers played the Vikings - while chanting": the
                # aside between dashes has its own subject.
                k = next((k for k in range(j - 1, lo - 1, -1) if toks[k].text == toks[j].text), -1)
                if k > lo:
                    j = k - 1
                    continue
            if toks[j].kind == "w" and (_verbish(toks, j) or (_past_verb(toks[j]) and j > lo and _is_cap(toks[j - 1]))) \
                    and not _is_coordinated(toks, j):  # also "Hillary Clinton chimed in …, saying"
                v = j
                while v - 1 >= lo and toks[v - 1].kind == "w" and toks[v - 1].text in _VERB_HELPERS:
                    v -= 1
                np = _subject_before(toks, v, lo) if v > lo else None
                at_np = next((n for n in range(lo, v) if np is not None and toks[n] is np[0]), -1)
                if at_np > lo and _low(toks[at_np - 1]) == "that":
                    j = at_np - 2  # "saying that the bill had …, and arguing": the clause's subject is not the one who says
                    continue
                if np is not None and any(t.text in _IRREGULAR_PAST and n and np[n - 1].text[:1].islower()
                                          for n, t in enumerate(np[:-1])):
                    j = at_np - 1  # "The lawyer who ran … before his right knee blew out is talking": a clause, not a subject
                    continue
                if np is not None:
                    return np
            elif toks[j].kind == "w" and j > lo and _past_verb(toks[j]) and not _is_coordinated(toks, j):
                # "The billionaire businessman began by talking …, saying": an irregular past after a
                # noun phrase opening its clause.
                np = _subject_before(toks, j, lo)
                at_np = next((n for n in range(lo, j) if np is not None and toks[n] is np[0]), -1)
                while at_np > lo and toks[at_np - 1].kind == "w" and _low(toks[at_np - 1]) in _INTRO_WORDS:
                    at_np -= 1  # "…, about 200 protesters congregated"
                if np is not None and (at_np == lo or toks[at_np - 1].text == ","
                                       or (len(np) == 1 and np[0].text in _HE_SHE
                                           and _low(toks[at_np - 1]) in _SUBORDINATORS)):
                    return np  # also "…, where he appeared at a hearing … and for saying"
            j -= 1
        return None

    def later(self, toks: list[_Tok], q: int) -> tuple[list[_Tok] | None, int]:
        """A speech verb further on in the sentence: "“…” and …, “…,” company CEO Andy Vesey said."""
        if _quote_ends_sentence(toks, q):
            return None, -1  # "“… a fraud.” Members of the caucus said …": the next sentence's verb
        if 0 < q < len(toks) - 1 and toks[q - 1].text in "-—–" and toks[q + 1].text in "-—–":
            return None, -1  # "Lee questioned it - “…?” - but voters said they …": an aside between dashes
        hi = _sentence_end(toks, q)
        j = q + 1
        while j < hi:
            t = toks[j]
            if t.kind == "q" and _quote_ends_sentence(toks, j):
                return None, -1
            if _is_finite(t) and not _is_passive(toks, j) and not _is_coordinated(toks, j) and not _noun_use(toks, j):
                p = toks[j - 1]
                if (p.kind == "q" or p.text == ",") and t.text in _INVERTIBLE:
                    np = _inverted_speaker(toks, j, hi)
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
        sentence = 0
        while i < len(toks):
            word = toks[i].text
            if word in _HE_SHE and i + 1 < len(toks) and toks[i + 1].kind == "w" and (
                    toks[i + 1].text in _TRAILING_FINITE
                    or ((i == 0 or _is_hard_stop(toks, i - 1) or _after_intro(toks, i)
                         or _low(toks[i - 1]) in _SUBORDINATORS or _low(toks[i - 1]) in {"and", "but"})
                        and _verb_like(toks, i + 1))
                    or ((i == 0 or _is_hard_stop(toks, i - 1)) and _present_verb(toks[i + 1]))):
                low = word.lower()
                # "…, he said, …" / "He argued that …": a pronoun reporting speech carries its
                # antecedent forward, so it competes with the names around it.
                out.append((toks[i].start, low, "pron"))
                self.sentence_of[toks[i].start] = (p, sentence)
            if not _is_cap(toks[i]):
                if _is_hard_stop(toks, i) or (toks[i].kind == "q" and _quote_ends_sentence(toks, i)):
                    sentence += 1  # also "… for a long time.” Dan Roe agreed": the quotation closes a sentence
                i += 1
                continue
            if _low(toks[i]) == "the" and (i == 0 or _is_hard_stop(toks, i - 1)):
                # "The email, released by Judicial Watch, was sent …. “…,” it reads": a document or body
                # opening its sentence is what a later "it" means
                h = next((h for h in range(i + 1, min(len(toks), i + 4)) if toks[h].kind != "w"
                          or not toks[h].text[:1].islower() or toks[h].text in _TEXT_NOUNS or toks[h].text in _ORG_WORDS), -1)
                if h > i and toks[h].kind == "w" and (toks[h].text in _TEXT_NOUNS or toks[h].text in _ORG_WORDS) \
                        and h + 1 < len(toks) and (toks[h + 1].text == "," or _verb_like(toks, h + 1)):
                    out.append((toks[i].start, self._np_text(toks[i:h + 1]), "org"))
                    self.sentence_of[toks[i].start] = (p, sentence)
            k = i
            while k < len(toks) and _is_cap(toks[k]) \
                    and not (k > i and _low(toks[k]) in _SUBORDINATORS):
                k += 1  # not "Cambridge Analytica When asked …": a clause opens there
            run = toks[i:k]
            while run and _low(run[0]) in _NOT_NAME_START:
                run = run[1:]
            # "a farmer outside Obihiro, said", "told reporters that Villa had": a place or a clause's
            # subject, not the one a later "he" or "she" points back to.
            r = k - len(run)
            before = r - 1
            if before > 0 and toks[before].kind == "w" and _low(toks[before]) in _DETERMINERS \
                    and _low(toks[before]) not in _NOT_ANTECEDENT_AFTER:
                before -= 1  # "Dan Lee at the National Review agreed": the Review is no subject
            absolute = False
            if run and k < len(toks) and ((_is_hard_stop(toks, k) and r >= 1 and (
                    _low(toks[r - 1]).replace("’", "'") in {"there's", "here's"}
                    or (r >= 2 and _low(toks[r - 1]) in {"is", "was"} and _low(toks[r - 2]) in {"there", "here"})))
                    or (toks[k].text == "," and _topic_phrase(toks, r))):
                # "Then there’s Axelrod. “…,” he wrote": a person a sentence presents is its topic;
                # "As for Trump, he said …", "To professor Ann Lee, the stare seemed …. “…,” she said": the
                # person a sentence opens on is who its he or she means.
                name = self._np_text(run)
                out.append((run[0].start, name, _kind(name)))
                self.sentence_of[run[0].start] = (p, sentence)
                self.named.setdefault(p, []).append((run[0].start, run))
                i = k
                continue
            office = run and before > 0 and _low(toks[before]) == "of" and _is_cap(toks[before - 1]) \
                and (_low(toks[before - 1]) in _PERSON_NOUNS or _low(toks[before - 1]).rstrip(".") in _TITLES) \
                and len(run) > 1 and _low(run[0]) in _OFFICE_OBJECTS
            if office:
                # "former Secretary of State Hillary Clinton, drew a contrast": "of State" is part of the title
                run = run[1:]
                if out and out[-1][0] < toks[before - 1].start and out[-1][1].endswith(toks[before - 1].text):
                    out.pop()  # "RNC Chief of Staff Katie Walsh": the title before "of" is no name of its own
            if run and r > 0 and not office and toks[before].kind == "w" and _low(toks[before]) in _NOT_ANTECEDENT_AFTER:
                # "…, with Hillary Clinton — who’s called for tax hikes — lambasting Trump’s plan": the
                # subject of an absolute phrase stays.
                absolute = _low(toks[before]) == "with" and _ing_after(toks, k)
                # "according to a post from Arianna Huffington. “…,” she wrote": the author of a text
                # is who a later he or she means
                # and so is the agent of a passive ("Clinton's position was supported Friday by Sen. Dianne
                # Feinstein …, who said …")
                author = _low(toks[before]) in {"from", "by"} and before > 0 and toks[before - 1].kind == "w" \
                    and (toks[before - 1].text in _SPEECH_NOUNS or toks[before - 1].text in _TEXT_NOUNS
                         or (_low(toks[before]) == "by" and _passive_agent(toks, before))) \
                    and len(run) > 1 and not run[-1].text.endswith(("’s", "'s", "s’", "s'"))
                absolute = absolute or author
                if not absolute:
                    if len(run) > 1 and run[-1].text.endswith(("’s", "'s")):
                        # "One of the claims of President Barack Obama’s speech …": still an owner, the
                        # last resort of a he/she that finds no subject.
                        owner = self._np_text(run)[:-2]
                        self.owners.setdefault(p, []).append((run[0].start, owner, _kind(owner)))
                        self.sentence_of[run[0].start] = (p, sentence)
                    run = []
            # A name opening its sentence and followed by a lowercase word is its subject: "Pavel Dusek kept".
            opens = (i == 0 or _is_hard_stop(toks, i - 1) or _after_intro(toks, i)) and run and run[0] is toks[i] \
                and k < len(toks) \
                and toks[k].kind == "w" and toks[k].text[:1].islower() and toks[k].text not in _NP_PREPOSITIONS \
                and not _is_stop(toks[k])
            if len(run) == 1 and run[0] is toks[i] and (i == 0 or _is_hard_stop(toks, i - 1)
                                                        or (toks[i - 1].kind == "q" and _quote_ends_sentence(toks, i - 1))) \
                    and _low(run[0]) not in self.known_names and not run[0].text.endswith(("’s", "'s")) \
                    and (_opens_like_adverb(toks, i) or (
                        k + 1 < len(toks) and toks[k].kind == "w" and toks[k].text[:1].islower()
                        and not _verb_like(toks, k) and _verb_like(toks, k + 1))):
                run = []  # "Soon, he found …", "Just a few months ago …": a sentence adverb, not a name;
                # "Similar firearms normally sell …": an adjective before the subject
            if run and k < len(toks) and toks[k].kind == "w" and toks[k].text[:1].islower() \
                    and (toks[k].text in _PERSON_NOUNS or toks[k].text.removesuffix("s") in _PERSON_NOUNS):
                run = []  # "Former Obama operatives, who …", "Clinton aides said": the name only describes
            if run and k + 3 < len(toks) and toks[k].text == "," and _is_cap(toks[k + 1]) and _is_cap(toks[k + 2]) \
                    and (_low(run[-1]) in _PERSON_NOUNS or _low(run[-1]).rstrip(".") in _TITLES):
                m = k + 1
                while m < len(toks) and _is_cap(toks[m]):
                    m += 1
                if m < len(toks) and toks[m].text == ",":
                    run = []  # "The Podesta Group's CEO, Kimberley Fritts, said": the name in apposition
            if run and _premodifies_name(toks, k):
                # "Conservative economist Aparna Mathur said", "Former Pennsylvania governor Ed Rendell,
                # one of …, was": the name is the subject
                run = []
            if any(_low(t) in _TITLE_CASE_WORDS for t in run[1:]):
                run = []  # a headline in title case ("Uneasy History With Race At …"), not a name
            # "Mayor Tom Rhee of Incheon said", "Pankaj Pandey, head of research at X, pointed out":
            # for a full name, the subject slot can come after a post-modifier or an appositive.
            slot = _after_modifier(toks, k) if len(run) > 1 else k
            if slot < len(toks) and toks[slot].text.startswith("("):
                slot += 1  # "Rep. Ann Lee (D-Ohio) said"
                if toks[slot - 1].text == "(":
                    # "George Wallace (a Democrat) was": past a short parenthesis
                    close = next((n for n in range(slot, min(len(toks), slot + 8)) if toks[n].text == ")"), -1)
                    if close > 0:
                        slot = close + 1
            if slot + 1 < len(toks) and toks[slot].kind == "w" \
                    and (toks[slot].text in _SUBJECT_ADVERBS or _is_adverb(toks[slot])):
                slot += 1  # "Trump also asserted", "Lee quickly added"
            if slot < len(toks) and toks[slot].kind == "p" and toks[slot].text in "—–":
                # "Chris Christie – a Dallas Cowboys fan – gave", "Joyce — who is … — told": past the aside
                close = next((n for n in range(slot + 1, min(len(toks), slot + 25)) if toks[n].text == toks[slot].text
                              or toks[n].kind == "q" or _is_hard_stop(toks, n)), -1)
                if close > slot + 1 and toks[close].text == toks[slot].text and close + 1 < len(toks):
                    slot = close + 1
            r = k - len(run)
            # "…, noted NBC’s Dana Chin." / "“…,” said Ann Lee.": the speaker after an inverted verb.
            inverted = r >= 2 and toks[r - 1].text in _INVERTIBLE and (toks[r - 2].text == "," or toks[r - 2].kind == "q")
            if run and not run[-1].text.endswith(("’s", "'s", "s’", "s'")):
                # any name, in whatever role: the last resort of a he/she that finds no subject (checked
                # only when that resort is taken)
                self.named.setdefault(p, []).append((run[0].start, run))
            # "…, since Trump spoke only in evasive bromides": a subordinator's clause has its subject too
            clause = run and r > 0 and _low(toks[r - 1]) in _SUBORDINATORS and slot < len(toks) \
                and toks[slot].kind == "w" and toks[slot].text[:1].islower() and _past_verb(toks[slot])
            if run and slot <= len(toks) and not run[-1].text.endswith(("’s", "'s", "s’", "s'")) \
                    and (inverted or absolute or clause or (slot < len(toks) and (opens or _subject_slot(toks, slot)
                                                            or (len(run) > 1 and _past_verb(toks[slot]))
                                                            or (len(run) > 1 and _after_appositive(toks, k))
                                                            or (len(run) > 1 and run[0] is toks[i]
                                                                and (i == 0 or _is_hard_stop(toks, i - 1))
                                                                and _opening_appositive(toks, k))))):
                name = self._np_text(run)
                if opens and run[0] is toks[i] and _after_intro(toks, i):
                    # "Filling in at the event where Clinton and O'Malley spoke, West landed a dig": the
                    # names inside the opening phrase are not the sentence's subject.
                    out = [m for m in out if self.sentence_of.get(m[0]) != (p, sentence)]
                r0 = k - len(run)
                # "the conservative group American Crossroads ended up …": named as a body, not a person
                first = _low(run[0]).rstrip(".")
                body = r0 > 1 and toks[r0 - 1].kind == "w" and toks[r0 - 1].text in _BODY_NOUNS \
                    and _low(toks[r0 - 2]) not in _NP_PREPOSITIONS \
                    and first not in _TITLES and first not in _ANY_GIVEN and first not in _PERSON_NOUNS \
                    and first not in _GENDER_WORDS["m"] and first not in _GENDER_WORDS["f"]
                out.append((run[0].start, name, "org" if body else _kind(name)))
                self.sentence_of[run[0].start] = (p, sentence)
            elif run and run[-1].text.endswith(("’s", "'s", "s’", "s'")) and (
                    opens or len(run) > 1 or run[0].text[:-2].lower() in self.known_names):
                # "Sanders’ apology overshadowed …": the owner is often who a later "he" means. Kept
                # apart, as a last resort.
                name = self._np_text(run)
                name = name[:-2] if name.endswith(("’s", "'s")) else name[:-1]
                if name:
                    self.owners.setdefault(p, []).append((run[0].start, name, _kind(name)))
                    self.sentence_of[run[0].start] = (p, sentence)
                    if opens and run[0] is toks[i] and k + 1 < len(toks) and not _verb_like(toks, k) \
                            and toks[k].text not in _PERSON_NOUNS and toks[k].text.removesuffix("s") not in _PERSON_NOUNS \
                            and (_verb_like(toks, k + 1) or toks[k + 1].text in _SUBJECT_ADVERBS or _present_verb(toks[k + 1])) \
                            and not _passive_after(toks, k + 1):
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

    def resolve_pronoun(self, pronoun: str, at: int, p: int, depth: int = 0) -> str | None:
        """The nearest earlier speaker or subject that fits: a person for he/she, a body for it/they/we."""
        if pronoun == "i":
            return None  # the writer
        want = ("person",) if pronoun in {"he", "she"} else ("org", "group", "name")
        sex = {"he": "m", "she": "f"}.get(pronoun)
        # The most recent fitting candidate: an earlier speaker, or a name standing as a subject in
        # this paragraph or the five before it.
        found: list[tuple[int, str]] = []
        for off, name, kind in reversed(self.history[-50:]):
            if off < at and self._fits(name, kind, want, sex):
                found.append((off, name))
                break
        for pp in range(p, max(-1, p - 6), -1):
            if found and self.paras[pp][0] + len(self.paras[pp][1]) < found[0][0]:
                break  # everything further back is older than the speaker already found
            mentions = self._para_mentions(pp)
            k = bisect_left(mentions, (at,))
            best: tuple[int, str] | None = None
            for off, name, kind in reversed(mentions[max(0, k - 30):k]):
                if best is not None and self.sentence_of.get(off) != self.sentence_of.get(best[0]):
                    break
                if self._fits(name, kind, want, sex):
                    # "Lee presided over a panel overseen by Dan Roe, …. “…,” she said": within one
                    # sentence the first fitting name, its subject, rather than the last.
                    best = (off, name)
            if best is not None:
                found.append(best)
        here = self.sentence_of.get(at)
        if found and sex is not None and here is not None \
                and self.sentence_of.get(max(found)[0]) != here:
            # "For that she drew Trump’s ire - he called her “weak”": an owner earlier in the pronoun's
            # own sentence is nearer than any subject of the sentences before.
            self._para_mentions(p)
            owned = self.owners.get(p, [])
            k = bisect_left(owned, (at,))
            near = [(off, name) for off, name, kind in owned[max(0, k - 10):k]
                    if self.sentence_of.get(off) == here and self._fits(name, kind, want, sex)]
            if near:
                found = [near[-1]]
        if not found and sex is not None:
            for pp in range(max(0, p - 2), p + 1):
                owned = self.owners.get(pp, [])  # in text order: _para_mentions walks its paragraph once
                k = bisect_left(owned, (at,))
                found += [(off, name) for off, name, kind in owned[max(0, k - 10):k] if self._fits(name, kind, want, sex)]
        if not found and sex is not None:
            # "When I asked Bernie Sanders if …, he furrowed his brow and said": nobody stands as a
            # subject, so the nearest fitting name in any role.
            for pp in range(p, max(-1, p - 2), -1):
                self._para_mentions(pp)
                named = self.named.get(pp, [])
                k = bisect_left(named, at, key=lambda e: e[0])
                hit = None
                for off, run in reversed(named[max(0, k - 10):k]):
                    if (len(run) > 1 or _low(run[0]) in self.known_names) and _valid_np(run):
                        name = self._np_text(run)
                        if self._fits(name, _kind(name), want, sex):
                            hit = (off, name)
                            break
                if hit is not None:
                    found.append(hit)
                    break
        if not found:
            return None
        off, name = max(found)
        if name == pronoun:
            if depth >= 3:
                return None
            # "He …. He …. “…,” he said": the chain's earlier links are resolved once (a text full of
            # he/she sentence subjects would otherwise walk the same chain for every quotation)
            key = (pronoun, off, depth)
            if key not in self._chain:
                self._chain[key] = self.resolve_pronoun(
                    pronoun, off, max(0, bisect_left(self.para_starts, off + 1) - 1), depth + 1)
            return self._chain[key]
        # "Rep. Ann Lee (D-Ohio)" is "Rep. Ann Lee" when a later "she" points back to her.
        return _AFFILIATION_END.sub("", name) or name


    def gender(self, name: str) -> str | None:
        """ "f", "m" or None: from a title or noun ("Mrs.", "spokesman"), a given name opening a full
        name, or, for a surname alone, the given names it has in this text ("Hillary Clinton")."""
        if name not in self._genders:
            self._genders[name] = self._gender(name)
        return self._genders[name]

    def _gender(self, name: str) -> str | None:
        words = [w.strip(",’'").lower() for w in name.split(",")[0].split() if not w.startswith("(")]
        words = [w[:-2] if w.endswith(("’s", "'s")) else w for w in words]
        # a gender word names the person unless it closes a capitalised name: "Billie Jean King", "Carol Queen"
        marked = words[:-1] if len(words) > 1 and name.split(",")[0].split()[-1][:1].isupper() else words
        found = {g for g, marks in _GENDER_WORDS.items() if any(w in marks or w.rstrip(".") in marks for w in marked)}
        titled = [n for n, w in enumerate(words) if w in _TITLES or w.rstrip(".") in _ABBREVIATIONS
                  or w in _PERSON_NOUNS]
        if titled and titled[-1] < len(words) - 1:
            words = words[titled[-1] + 1:]  # "Virginia Gov. Terry McAuliffe": the name after the title
        given = [w for w in words if w not in _TITLES and w.rstrip(".") not in _ABBREVIATIONS]
        if len(given) >= 2:
            found |= {g for g, names in _GIVEN_NAMES.items() if given[0] in names}
        elif len(given) == 1 and not found:
            table = self.surname_genders()
            if given[0] in table:
                return table[given[0]] or None
            # "Kevin was drifting off": a given name standing alone is that name's gender.
            sexes = [g for g, names in _GIVEN_NAMES.items() if given[0] in names]
            return sexes[0] if len(sexes) == 1 else None
        return found.pop() if len(found) == 1 else None

    def surname_genders(self) -> dict[str, str]:
        """Surnames of this text whose full names all carry the same gender ("" when they disagree)."""
        if self._surname_gender is None:
            table: dict[str, str] = {}
            for run in self.runs:
                raw = run.split()
                # "… in Virginia. Trump said", "… and Andy Murray. A photo …": a run that crosses a
                # sentence end is two runs
                ends = [n for n, w in enumerate(raw[:-1]) if w.endswith(".") and len(w) > 2
                        and w[:-1].lower() not in _ABBREVIATIONS and w.lower() not in _TITLES]
                for a, b in zip([-1, *ends], [*ends, len(raw) - 1], strict=True):
                    _note_surname(table, raw[a + 1:b + 1])
            self._surname_gender = table
        return self._surname_gender

    def _fits(self, name: str, kind: str, want: tuple[str, ...], sex: str | None = None) -> bool:
        if kind == "pron":
            return sex is not None and name == ("he" if sex == "m" else "she")
        if sex is not None:
            g = self.gender(name)
            if g not in (None, sex):
                return False
            if g is None and _fold(name.removeprefix("the ")) in _PLACE_NAMES:
                return False  # "he" is not "France" nor "Virginia" (but may be Steve Israel's "Israel")
            if any(c.isdigit() for c in name):
                return False  # "EB-5", "G20"
            last = name.split(",")[0].split()[-1].replace(".", "") if name.split() else ""
            if (kind == "name" and name.replace(".", "").isupper()) \
                    or (kind != "pron" and name[:4].lower() == "the " and len(last) >= 2 and last.isupper()):
                return False  # "U.N.", "GOP", "NATO", "The FBI": a body, not the "he" of the next quotation
            first = name.split()[0].lower().strip(",") if name.split() else ""
            if first in _INDEFINITES or "’t" in first or "'t" in first or first.replace("’", "'").split("'")[0] == "i":
                return False  # "People should …", "Don’t Republicans run …", "I’ve": nobody "he" can mean
        low = name.lower()
        if low in _NON_SPEAKERS or ("-" in low and all(w in _NON_SPEAKERS for w in low.split("-"))):
            return False  # "Republican", "African-American", "Now": an adjective or adverb opening a phrase
        if kind == "name":  # a lone capitalised word: a surname, or a place or body used as a subject
            if low.endswith("ing") or low in self.common_words():
                return False  # "Sentencing is scheduled …"
            if "person" not in want:
                return low not in self.known_names
            # A surname seen with its given name, or a word never used as a place; not the "Obihiro"
            # of "a farmer outside Obihiro", nor a plural that is only capitalised at a sentence
            # start ("Engineers from Seoul disagreed").
            proper, places = self.proper_words()
            plural = low.endswith("s") and not low.endswith("ss")
            if plural and sex is not None:
                return low in self.known_names  # "Democrats", "Palestinians" are nobody's "he"; "Sanders" is
            return low in self.known_names or (low not in places and (low in proper or not plural))
        return kind in want

    def proper_words(self) -> tuple[set[str], set[str]]:
        """Capitalised words seen inside a sentence, and those seen after "in", "near", "outside" …"""
        if self._proper is None:
            self._proper = (
                {w.lower() for w in _MID_SENTENCE_CAPITAL.findall(self.text)},
                {w.lower() for w in _AFTER_LOCATIVE.findall(self.text)},
            )
        return self._proper

    def common_words(self) -> set[str]:
        """Words the text also writes in lower case: a capitalised one is then a sentence start."""
        if self._common is None:
            self._common = set(re.findall(r"(?<![\w’'])[a-z][a-z’'-]*", self.text))
        return self._common

    def speaker_of(self, np: list[_Tok] | str, p: int) -> str | None:
        """The speaker's name: the noun phrase as written, a pronoun's antecedent, or an inherited name."""
        if isinstance(np, str):
            return np
        name = self._np_text(np)
        low = name.lower().replace("’", "'")
        low = {"him": "he", "her": "she", "them": "they", "his": "he", "their": "they"}.get(low, low)  # "according to her"
        if low in _FIRST_SECOND or (low[:1] in "iy" and low.split("'")[0] in _FIRST_SECOND):
            return None  # "I’d say", "you said": the writer or the reader, never a named speaker
        if low in _PRONOUNS:
            return self.resolve_pronoun(low, np[0].start, p)
        if low in _CONTRACTED:
            return self.resolve_pronoun(_CONTRACTED[low], np[0].start, p)  # "He’s claiming …"
        named = _name_after_clause(np)
        return self._np_text(named) if named is not None else name

    def can_speak(self, np: list[_Tok]) -> bool:
        """Whether a sentence's subject can be who says the quotation in it: not a dateline
        ("PHILADELPHIA, July 25 —"), not a capitalised common word opening the sentence ("Boos rained
        down", "Corporate lobbyists describe"), not a thing ("Embryonic stem cells are")."""
        if all(t.text.isupper() for t in np) and self.text[np[-1].end:np[-1].end + 1] == "," \
                and self.text[max(0, np[0].start - 1):np[0].start] in ("", "\n"):
            return False
        if len(np) == 1 and _low(np[0]) in _FIRST_SECOND:
            return False  # "You can also ask by saying “Hey Siri”": the reader, never a named speaker
        head = np[-1].text
        if head[:1].islower():
            return _speaking_noun(head.removesuffix("’s").removesuffix("'s"))  # also "The Florida senator’s"
        low = head.lower()
        if len(np) == 1 and low not in self.known_names and low not in self.proper_words()[0]:
            if low in self.common_words() or (low.endswith("s") and not low.endswith("ss")):
                return False  # "Boos rained down"
            after = _words(self.text[np[-1].end:np[-1].end + 30])
            nxt = _tokenise(after[0], 0, []) if after else []
            return not (nxt and nxt[0].text[:1].islower() and not _verb_like(nxt, 0))  # "Corporate lobbyists"
        return True

    def _capitalised_thing(self, np: list[_Tok]) -> bool:
        """A sentence-opening description of a thing, capitalised only because it opens the sentence:
        "Quick access to Siri", "Simple questions" (not "Judge Berman", "The town", "Senior aides",
        "Obama aides")."""
        first = _low(np[0])
        if len(np) < 2 or not _is_cap(np[0]) or _is_cap(np[1]) or first in _DETERMINERS or _low(np[1]) in _REFLEXIVES:
            return False
        k = next((k for k in range(1, len(np)) if np[k].kind == "w" and _low(np[k]) in _NP_PREPOSITIONS), len(np))
        head = np[k - 1].text
        return head[:1].islower() and not _speaking_noun(head.removesuffix("’s").removesuffix("'s"))

    def remember(self, name: str, at: int) -> None:
        self.history.append((at, name, _kind(name)))


def _note_surname(table: dict[str, str], raw: list[str]) -> None:
    """Record the gender a full name's given name gives its surname ("" once two disagree)."""
    words = [w.strip(".’'").lower() for w in raw]
    titled = [n for n, w in enumerate(words) if w in _TITLES or w in _ABBREVIATIONS]
    if titled and titled[-1] < len(words) - 1:
        words = words[titled[-1] + 1:]  # "Virginia Gov. Terry McAuliffe"
    words = [w for w in words if w not in _TITLES and w not in _ABBREVIATIONS]
    while len(words) > 2 and words[0] in _NON_SPEAKERS:
        words = words[1:]  # "Republican Donald Trump"
    if len(words) < 2:
        return
    g = next((g for g, names in _GIVEN_NAMES.items() if words[0] in names), None)
    if g is not None:
        last = words[-1].removesuffix("’s")
        table[last] = g if table.get(last, g) == g else ""


def _fold(s: str) -> str:
    """Lower case without accents, for lexicon look-ups of names."""
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if not unicodedata.combining(c)).lower()


def _after_modifier(toks: list[_Tok], k: int) -> int:
    """Past "of Incheon", "at the Lothian Council" after a name: where its verb would stand."""
    if k + 1 >= len(toks) or toks[k].kind != "w" or toks[k].text not in {"of", "at", "from"}:
        return k
    j = k + 1
    if toks[j].kind == "w" and toks[j].text == "the":
        j += 1
    start = j
    while j < len(toks) and _is_cap(toks[j]):
        j += 1
    return j if j > start else k


def _appositive_close(toks: list[_Tok], k: int, span: int) -> int:
    """The comma closing an appositive whose opening comma is token k, within `span` tokens (-1: none
    there, or a quotation or a sentence end first)."""
    if toks[k].kind != "p" or toks[k].text != ",":
        return -1
    for j in range(k + 1, min(len(toks) - 1, k + span)):
        t = toks[j]
        if t.kind == "q" or _is_hard_stop(toks, j):
            return -1
        if t.kind == "p" and t.text == ",":
            return j
    return -1


def _after_appositive(toks: list[_Tok], k: int) -> bool:
    """ "X, head of research at Y, pointed out": a verb after the appositive that follows token k."""
    j = _appositive_close(toks, k, 16)
    if j < 0:
        return False
    nxt = toks[j + 1]
    return nxt.kind == "w" and nxt.text[:1].islower() and (_verbish(toks, j + 1) or nxt.text in _FINITE)


def _opening_appositive(toks: list[_Tok], k: int) -> bool:
    """ "House Speaker Paul Ryan, R-Wis., despite admitting …, believes": after a full name opening its
    sentence, a short appositive (token k is its comma) and the sentence going on in lower case: the
    name is the sentence's subject, whatever word comes next (not a list: "Lee, Roe, and Chan")."""
    j = _appositive_close(toks, k, 8)
    if j <= k + 1:
        return False
    nxt = toks[j + 1]
    return nxt.kind == "w" and nxt.text[:1].islower() and _low(nxt) not in {"and", "or", "nor", "but"}


def _ing_after(toks: list[_Tok], k: int) -> bool:
    """Whether a participle in -ing follows token k, past an aside between dashes: "— who’s called … — lambasting"."""
    if k < len(toks) and toks[k].kind == "p" and toks[k].text in "—–-":
        k = next((n + 1 for n in range(k + 1, min(len(toks), k + 25)) if toks[n].text == toks[k].text), len(toks))
    if k < len(toks) and _is_adverb(toks[k]):
        k += 1
    return k < len(toks) and toks[k].kind == "w" and toks[k].text[:1].islower() and toks[k].text.endswith("ing")


def _premodifies_name(toks: list[_Tok], k: int) -> bool:
    """Whether the lower-case words from k on are a title or noun before a name ("economist Aparna
    Mathur", "radio host Hugh Hewitt"): the capitalised word before them only describes that name."""
    n = k
    while n < len(toks) and n - k < 3 and toks[n].kind == "w" and toks[n].text[:1].islower() \
            and toks[n].text not in _DETERMINERS and toks[n].text not in _NP_PREPOSITIONS and not _verb_like(toks, n):
        n += 1
    return k < n < len(toks) - 1 and _is_cap(toks[n]) and _is_cap(toks[n + 1]) \
        and (toks[n - 1].text in _PERSON_NOUNS or toks[n - 1].text in _TITLES)


def _opens_like_adverb(toks: list[_Tok], i: int) -> bool:
    """A lone capitalised word opening a sentence the way an adverb does: an -ly word ("Lately, …"), or
    a word before a determiner ("Just a few months ago") or before a comma and a pronoun ("Soon, he …")."""
    low = _low(toks[i])
    if len(low) > 4 and low.endswith("ly"):
        return True
    nxt = toks[i + 1] if i + 1 < len(toks) else None
    if nxt is None:
        return False
    after = toks[i + 2] if i + 2 < len(toks) else None
    if nxt.kind == "w":
        # also "Fun as that might sound, …", "Strange as it seems, …": an adjective, conceded
        return _low(nxt) in _DETERMINERS or (nxt.text == "as" and after is not None and after.kind == "w"
                                             and (after.text in _PRONOUNS or after.text in {"this", "that"}))
    return nxt.text == "," and after is not None and after.kind == "w" \
        and (after.text in _PRONOUNS or after.text in _DETERMINERS)


def _past_verb(t: _Tok) -> bool:
    """A lower-case past form: after a full name it is the name's verb ("Dan Lee agreed with …")."""
    return t.kind == "w" and t.text[:1].islower() and ((len(t.text) > 4 and t.text.endswith("ed"))
                                                       or t.text in _IRREGULAR_PAST)


def _subject_slot(toks: list[_Tok], k: int) -> bool:
    """Whether a name ending before token k stands as a subject: "Holmes testified", "McCormick, who …"."""
    nxt = toks[k]
    if nxt.kind == "w":
        return _verbish(toks, k) or nxt.text in _MODALS or nxt.text in _VERB_STOPS or nxt.text.endswith(("n’t", "n't")) or (
            nxt.text[:1].islower() and nxt.text.endswith("s") and not nxt.text.endswith("ss")
            and nxt.text not in _NP_PREPOSITIONS)
    if nxt.text == "," and k + 1 < len(toks):
        after = toks[k + 1]
        return after.kind == "w" and (after.text[:1].islower() or after.text[:1].isdigit())
    return False


_MID_SENTENCE_CAPITAL = re.compile(r"(?<=[a-z,] )[A-Z][\w-]+")
_AFTER_LOCATIVE = re.compile(r"\b(?:in|near|outside|across|around|throughout|inside)\s+([A-Z][\w-]+)\b(?![’'])")
_CAPITALISED_RUN = re.compile(r"(?:[A-Z][\w’'-]*\.?[ \t]+)+[A-Z][\w’'-]*")


def _name_parts(runs: list[str]) -> set[str]:
    """Words that occur inside multi-word names ("Deval Patrick"): a lone "Patrick" is then a person."""
    parts: set[str] = set()
    for run in runs:
        words = [w.strip(".").lower() for w in run.split()]
        if any(w in _ORG_WORDS for w in words):
            continue
        parts.update(w for w in words if w not in _DETERMINERS and w not in _INTRO_WORDS and w not in _CONJ_STOPS)
    return parts


def _kind(name: str) -> str:
    words = []
    for w in name.split(",")[0].split():
        if w in _NP_PREPOSITIONS or w in {"who", "which", "signed"}:
            break  # "a spokesman for the Labour Party" is a spokesman
        if w.startswith("(") or w.endswith(")"):
            continue  # "(D-Ohio)"
        words.append(w.strip(".,’'").lower())
    words = [w[:-2] if w.endswith(("’s", "'s")) else w for w in words]
    if not words:
        return "name"
    head = words[-1]
    if name.split(",")[0].split()[-1][:1].isupper() and any(w in _PERSON_NOUNS or w in _TITLES for w in words[:-1]) \
            and head not in _ORG_WORDS:
        return "person"  # "Ohio Democratic Party Chairman David Pepper": a title before a name
    if head in _ORG_WORDS or (any(w in _ORG_WORDS for w in words) and not (len(words) >= 3 and head[:1].isalpha()
                                                                           and name.split(",")[0].split()[-1][:1].isupper())):
        return "org"
    if head in _PERSON_NOUNS or _AGED.fullmatch(head) or any(w in _PERSON_NOUNS or w in _TITLES for w in words[:-1]):
        return "person"
    if name[:1].islower() or words[0] in _DETERMINERS:
        return "group" if head.endswith("s") and not head.endswith("ss") else "person"
    if len(words) >= 2 and head in _PLACE_HEADS and name.split(",")[0].split()[-1][:1].isupper():
        return "place"  # "Sandy Hook", "Palm Beach", "Miami-Dade County": nobody's he or she, nor a body
    if len(words) == 2 and words[0] in _NON_SPEAKERS and words[0] not in _ANY_GIVEN and head.endswith("s") \
            and not head.endswith("ss") and head not in _ANY_GIVEN:
        return "group"  # "American Crossroads", "Asian Americans", "Democratic Socialists": no he or she
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


def _double_style(paras: list[tuple[int, str]], doubles: list[list[tuple[int, int, bool]]]) -> bool:
    """Whether the text quotes with double marks: more double-quoted spans than single-quoted ones."""
    n_doubles = n_singles = 0
    for p in range(1, len(paras)):  # the headline follows its own convention
        para = paras[p][1]
        n_doubles += len(doubles[p])
        if any(c in para for c in _SINGLE_MARKS):
            n_singles += len(_pair_singles(para, doubles[p], ""))
    return n_doubles > 0 and n_doubles >= n_singles


def _find_spans(
    paras: list[tuple[int, str]],
) -> tuple[list[_Span], dict[int, list[int]], dict[int, list[tuple[int, int]]]]:
    """The quoted spans of each paragraph, and the quoted nicknames (spans within the paragraph)."""
    spans: list[_Span] = []
    by_para: dict[int, list[int]] = {}
    nicknames: dict[int, list[tuple[int, int]]] = {}
    all_doubles = [_pair_doubles(para) if any(c in para for c in _ALL_MARKS) else [] for _, para in paras]
    american = _double_style(paras, all_doubles)
    for p, (base, para) in enumerate(paras):
        if not any(c in para for c in _ALL_MARKS):
            continue
        doubles = all_doubles[p]
        next_para = paras[p + 1][1].lstrip() if p + 1 < len(paras) else ""
        # American style: double marks outside, single inside. In a text that quotes with double
        # marks, a single-quoted span outside them is a headline's quote or a term, not a quotation.
        singles = [] if american else _pair_singles(para, doubles, next_para)
        # A double-quoted span inside a single-quoted one is nested (British style).
        single_starts = [sg[0] for sg in singles]
        found = list(singles)
        for d in doubles:
            k = bisect_left(single_starts, d[0] + 1) - 1
            if k < 0 or singles[k][1] < d[1]:
                found.append(d)
        lead = len(para) - len(para.lstrip())
        tail = len(para.rstrip(_TRAILING_PUNCT))
        for s, e, closed in sorted(found):
            if closed and _is_nickname(para, s, e):
                nicknames.setdefault(p, []).append((s, e))
            elif _CONTENT.search(para, s, e):
                by_para.setdefault(p, []).append(len(spans))
                first = s - _open_width(para, s) <= lead
                line_end = para.find("\n", e)
                spans.append(_Span(base + s, base + e, p, closed, at_para_start=first,
                                   whole=first and e + _close_width(para, e) >= tail,
                                   first_line=first and line_end > 0
                                   and not para[e + _close_width(para, e):line_end].strip(_TRAILING_PUNCT + "\xa0")))
    return spans, by_para, nicknames


def extract_quotes(text: str) -> list[Quote]:
    """Direct quotations in `text` with their speakers, in order; offsets index `text`."""
    if not text:
        return []
    paras = _paragraphs(text)
    spans, by_para, nicknames = _find_spans(paras)
    if not spans:
        return []
    toks: list[list[_Tok] | None] = [None] * len(paras)
    for p in nicknames:
        by_para.setdefault(p, [])
    for p, idx in by_para.items():
        base, para = paras[p]
        ptoks = _tokenise(para, base, sorted([(spans[i].start - base, spans[i].end - base, i) for i in idx]
                                             + [(s, e, NICKNAME) for s, e in nicknames.get(p, ())]))
        toks[p] = ptoks
        for n, t in enumerate(ptoks):
            if t.kind == "q":
                spans[t.quote].tok = n
    att = _Attributor(text, paras, toks, spans)
    seen: set[str] = set()  # quotations kept, and terms seen in quotation marks
    prev: _Span | None = None
    for span in spans:
        key = _key(text[span.start:span.end])
        if not key or key in seen:
            continue
        if prev is not None and span.at_para_start and not prev.closed and span.para - 3 <= prev.para < span.para:
            span.follows = prev
        verdict = _judge(span, att)
        if span.keep:
            att.kept_paras.add(span.para)
        if verdict != _DROP:
            seen.add(key)  # a term stays a term: the self-declared “interim” government … the “interim” government
        if verdict == _KEEP:
            prev = span
    kept = [s for s in spans if s.keep]
    _fill_speakers(kept, att)
    return [Quote(text[s.start:s.end], _tidy_speaker(s.speaker), s.start, s.end, s.partial) for s in kept]


# Words a sentence may open on before the name it is about: "Said Ellis: “…”", "Now Donald Trump, …, is
# promising “…”", "Even China … said", "Was Szlachta satisfied? “…,” he said".
_OPENERS = frozenset(["now", "even", "then", "also", "still", "and", "but", "so", "yet", "was", "is", "were"])


def _tidy_speaker(speaker: str | None) -> str | None:
    """The speaker as a reader would name them: without a sentence-opening verb or adverb before the name
    ("Said Ellis"), nor a time or occasion after it ("Trump at the time", "Trump in his announcement speech"),
    nor a possessive ending ("Stumpf’s")."""
    if speaker is None:
        return None
    first, _, rest = speaker.partition(" ")
    if rest[:1].isupper() and first[:1].isupper() and not first.isupper() \
            and (first.lower() in _OPENERS or first.lower() in _TRAILING_FINITE):
        speaker = rest
    occasion = _OCCASION.match(speaker)
    speaker = occasion.group(1) if occasion is not None else speaker
    quoting = _QUOTING.match(speaker)
    if quoting is not None:
        speaker = quoting.group(1)  # "Frank quotes former Carter adviser Alfred Kahn: “…”": Kahn's words
    told = _TOLD_IN.match(speaker)
    if told is not None and told.group(1) in _TOLD_IN_NOUNS:
        speaker = speaker[told.end():]  # "In a Bloomberg interview Trump said": Trump, not the interview
    headline = _HEADLINE_RUN.match(speaker)
    if headline is not None:
        speaker = speaker[headline.end():]  # "ROLL TIDE ALABAMA WINS The team": a digest's headline before it
    if speaker.endswith(("’s", "'s")) and len(speaker) > 2:
        return speaker[:-2]  # "Stumpf’s “…”": Stumpf
    return speaker


# A determiner, up to three words and the text or occasion it was said in, run on into a capitalised name.
_TOLD_IN = re.compile(r"(?:[Aa]n?|[Tt]he|[Hh]is|[Hh]er|[Tt]heir)\s+(?:[\w’'-]+\s+){0,3}?([a-z][\w-]*)\s+(?=[A-Z][a-z])")
_QUOTING = re.compile(r"(?:[A-Z][\w’'-]*\s+){1,3}(?:quotes|quoted|cites|cited)\s+((?:[\w’'-]+\s+){0,4}[A-Z][\w’'-]*)$")
_TOLD_IN_NOUNS = frozenset(["interview", "speech", "statement", "story", "appearance", "remarks", "address"])
# Three or more words in capitals run on into a name or description: a headline without its full stop.
_HEADLINE_RUN = re.compile(r"(?:[A-Z0-9][A-Z0-9’'&:,.-]*[A-Z0-9]\s+){3,}(?=[A-Z][a-z]|[a-z])")
_OCCASION = re.compile(
    r"((?:[A-Z][\w.’'-]*\s)*[A-Z][\w.’'-]*)\s+(?:at|in|during|on|after|before)\s+(?:the|a|his|her|their)\s+[a-z].*"
)


_KEEP, _DROP, _TERM = 1, 2, 3


def _judge(span: _Span, att: _Attributor) -> int:
    """Decide whether a span is a quotation (_KEEP), a term used as a modifier (_TERM) or neither (_DROP);
    find its own attribution and partial flag."""
    text = att.text
    p, q = span.para, span.tok
    base = att.paras[p][0]
    toks = att.tokens(p)
    body = text[span.start:span.end]
    words = _words(body)
    whole = span.whole
    ends_sentence = _ends_sentence(body)
    span.header = whole and span.closed and span.follows is None and not ends_sentence and len(words) <= 12
    if span.header:
        span.keep = True  # a section header: kept, and nobody said it
        return _KEEP
    label = _LABEL.match(body)
    np: list[_Tok] | str | None
    signed_at = -1
    if label is not None:
        np, verb_at = label.group(1), -1  # a transcript line: "PENCE: Well, …"
    else:
        np, verb_at = att.trailing(toks, q)
        if np is not None and verb_at > 0 and toks[verb_at - 1].text in _SIGNATURE_DASHES:
            signed_at = verb_at
        if np is not None and _quote_ends_sentence(toks, q) and body.rstrip("”\"’' ")[-1:] in ".!?":
            # "Lee asserted that “… is broken.” Roe said Wednesday she agreed": the next sentence's
            # verb is Roe's own; the quotation's sentence names its speaker before it.
            found, lead_np, lead_at = att.leading(toks, q)
            if found and lead_np is not None:
                np, verb_at = lead_np, lead_at
        elif np is not None and q >= 2 and _low(toks[q - 1]) == "and" and toks[q - 2].kind == "q":
            # "as Trump went on about “…,” and “…” and “…,” Melanie said yes": the last of a list of
            # quotations belongs to the list, whose speaker comes before it.
            found, lead_np, lead_at = att.leading(toks, q)
            if found and lead_np is not None:
                np, verb_at = lead_np, lead_at
    cue = np is not None
    if np is None:
        cue, np, verb_at = att.leading(toks, q)
    before = text[max(base, span.start - 40):span.start - 1]
    cue = cue or before.rstrip().endswith(":")
    short = len(words) < 5
    attributive = short and _attributive(toks, q)
    if np is None and not attributive:
        # "the “interim” government …, officials said": a modifier does not take a later verb.
        np, verb_at = att.later(toks, q)
        cue = cue or np is not None
    if np is not None and q < verb_at < len(toks) - 1 and toks[verb_at].text in {"said", "says", "added", "noted"} \
            and toks[verb_at + 1].kind == "w" and _low(toks[verb_at + 1]) in {"the", "a", "an", "that", "it", "he", "she"}:
        # "even as Trump claimed that “…,” one of the prosecutors said the two cases were different": a
        # verb with a clause of its own does not report the quotation before it, a "claimed that" does.
        found, lead_np, lead_at = att.leading(toks, q)
        nxt = lead_at + 1
        while 0 < nxt < q and (_low(toks[nxt]) in _TIME_WORDS or _low(toks[nxt]) in _WEEKDAYS or _low(toks[nxt]) == "on"):
            nxt += 1  # "claimed on Tuesday that"
        if found and isinstance(lead_np, list) and 0 < nxt < q and _low(toks[nxt]) == "that":
            np, verb_at = lead_np, lead_at
    if np is None and span.at_para_start and span.follows is None and p > 0 \
            and att.paras[p - 1][1].rstrip().endswith(":"):
        # "The Times reported:" / "He said:" closing the paragraph before: the attribution of this one.
        ptoks = att.tokens(p - 1)
        found, np, _ = att.leading(ptoks, len(ptoks))
        cue = cue or found
        verb_at = -1
    if short and (_NAMING.search(before) or _naming_called(toks, q)):
        return _TERM
    if attributive and not whole and span.follows is None and q > 0 and toks[q - 1].kind == "w" \
            and _low(toks[q - 1]) in _DESCRIBING and toks[q + 1].text in _PERSON_NOUNS and _title_like(words):
        return _TERM  # "the “Pose” actor", "the “Meet the Press” host": a title describing a person
    if 2 <= len(words) < 5 and _title_like(words) and not ends_sentence and _NAMING_THE.search(before):
        return _TERM  # "a package her campaign branded the “Northern Lifeline”": a name, not speech
    if not whole and span.follows is None and 1 <= len(words) <= 6 and _title_like(words) and _TITLE_BEFORE.search(before):
        return _TERM  # "told NBC’s “Meet the Press”", "On “Face the Nation,” Lee said": a programme's title
    if not (whole or span.follows is not None) and (short or _title_like(words)):
        capital = next((c for c in body if c.isalpha()), "").isupper()
        if not (cue or (ends_sentence and len(words) >= 2 and capital)):
            return _TERM if attributive else _DROP
    span.keep = True
    if verb_at < q and _passive_label(toks, q):
        # "When PolitiFact examined the statement, it was labeled “Mostly True.”": a label given by
        # nobody the sentence names, not a neighbour's words.
        span.direct = True
        span.partial = not whole and span.follows is None and _is_partial(toks, q, body)
        return _KEEP
    if np is not None:
        span.speaker = att.speaker_of(np, p)
        if span.speaker is not None:
            span.direct = True
            span.signed = verb_at == signed_at
            if isinstance(np, list):
                att.remember(span.speaker, toks[verb_at].start if 0 <= verb_at < len(toks) else span.start)
        elif isinstance(np, list) and len(np) == 1 and _low(np[0]) in _FIRST_SECOND:
            span.direct = True  # "“Okay,” I said": the writer's words, not a neighbour's
    if span.speaker is None and whole and p + 1 < len(att.paras):
        # "“…”\n\n- Bernie Sanders." / "—President Obama, tweeting after …": a signature line
        # under a quotation standing alone.
        sign = _SIGNATURE_LINE.match(att.paras[p + 1][1])
        if sign is not None and _fold(sign.group(1).split()[0]) not in _NON_SPEAKERS:
            span.speaker = clean_line(sign.group(1))
            span.direct = True
    if toks[q].start in att.nobody:
        span.direct = True  # and no neighbour's speaker either
    elif span.speaker is None and not (whole or span.first_line) and label is None:
        subject = _relative_name(toks, q) or _contrast_subject(toks, q) or _sentence_subject(toks, q) \
            or _titled_subject(toks, q)
        said = None
        if subject is None and q >= 2 and _is_hard_stop(toks, q - 1) and toks[q - 1].text == ".":
            # "…, Ann Lee said. “…”": a quotation opening a sentence right after an attribution
            # closing the one before is the same speaker's.
            said = _closing_attribution(toks, q - 1)
            # "Dana Lee agreed. “…”": a quotation opening a sentence after a short one about a named
            # subject is that subject's.
            subject = _sentence_subject(toks, q - 1) if said is None else None
        if said is not None:
            span.subject = att.speaker_of(said, p)
        elif subject is not None and att.can_speak(subject):
            span.subject = att._np_text(subject)
        elif subject is None:
            he = _pronoun_subject(toks, q)
            if he is not None:
                span.subject = att.speaker_of(he, p)  # "He went on to call Cruz “the worst …”"
    elif span.speaker is None and (whole or span.first_line) and span.follows is None and label is None and p > 0 \
            and p - 1 not in att.kept_paras:
        # "Howard continued his remarks.\n\n“…”": a quotation standing alone after a paragraph
        # without quotations is that paragraph's last named subject's (also one on the first of
        # several lines of quotations).
        mentions = att._para_mentions(p - 1)
        if mentions and mentions[-1][2] == "pron":
            span.subject = att.resolve_pronoun(mentions[-1][1], mentions[-1][0], p - 1)
        elif mentions and mentions[-1][2] != "org" and mentions[-1][1].lower() not in _NON_SPEAKERS:
            span.subject = mentions[-1][1]
    span.partial = not whole and span.follows is None and _is_partial(toks, q, body)
    return _KEEP


_NAMING_VERBS = frozenset(["called", "named", "dubbed", "titled", "entitled"])


_LABELLING = frozenset(["labeled", "labelled", "called", "dubbed", "named", "rated", "deemed", "branded", "titled"])


def _passive_label(toks: list[_Tok], q: int) -> bool:
    """ "it was labeled “Mostly True.”", "what is called a “debate”": a passive naming verb right before
    the quotation, with no "by" naming who gave the label."""
    k = q - 1
    if k >= 0 and toks[k].kind == "w" and _low(toks[k]) in {"a", "an", "the"}:
        k -= 1
    if k < 1 or toks[k].kind != "w" or toks[k].text not in _LABELLING:
        return False
    b = k - 1
    if b >= 1 and _is_adverb(toks[b]):
        b -= 1
    return toks[b].kind == "w" and toks[b].text in _PASSIVE


def _naming_called(toks: list[_Tok], q: int) -> bool:
    """ "a psychology class called “Perception”", "a group called “Moms for Safe Streets”": a thing's
    name after a common noun and "called", not words someone said."""
    if q < 2 or toks[q - 1].kind != "w" or toks[q - 1].text not in _NAMING_VERBS:
        return False
    noun = toks[q - 2]
    low = noun.text
    return noun.kind == "w" and low[:1].islower() and low not in _PERSON_NOUNS and low.removesuffix("s") not in _PERSON_NOUNS \
        and low not in _PRONOUNS and low not in _AUXILIARIES and not _is_adverb(noun) and not _verbish(toks, q - 2)


def _closing_attribution(toks: list[_Tok], end: int) -> list[_Tok] | None:
    """The speaker of an attribution closing the sentence that ends at `end` (a period): "…, Lee said."
    or "…, said Ann Lee." (also with a time word: "…, Lee said Tuesday.")."""
    lo = _sentence_start(toks, end)
    v = end - 1
    if v > lo and toks[v].kind == "w" and (_low(toks[v]) in _WEEKDAYS or _low(toks[v]) in _TIME_WORDS):
        v -= 1
    if v > lo and toks[v].kind == "w" and toks[v].text in _TRAILING_FINITE and not _is_passive(toks, v):
        np = _subject_before(toks, v, lo)
        if np is not None:
            at = next((n for n in range(lo, v) if toks[n] is np[0]), lo)
            if at > lo and toks[at - 1].text == ",":
                return np
        return None
    for v in range(end - 1, lo, -1):
        if toks[v].kind == "w" and toks[v].text in _INVERTIBLE and (toks[v - 1].text == "," or toks[v - 1].kind == "q"):
            np = _np_after(toks, v, end)
            if np is None:
                return None
            n = next((n for n in range(v, end) if toks[n] is np[-1]), end - 1)
            # "…, said one former executive who requested anonymity.": the name and its relative clause.
            return np if n == end - 1 or (n + 1 < end and toks[n + 1].text in {"who", ","}) else None
        if toks[v].kind != "w":
            break
    return None


_REPORTING = frozenset(["said", "says", "say", "told", "tells", "added", "adds", "wrote", "writes", "argued", "argues",
                        "noted", "notes", "insisted", "insists", "explained", "explains", "stated", "claimed", "claims"])


def _reporter(toks: list[_Tok], np: list[_Tok], lo: int) -> list[_Tok] | None:
    """The one who reports a clause whose subject is np: "Rep. Ann Lee said (Wednesday) (that) Dan Roe called
    it “…”", "Lee told reporters that the plan, calling it “…”": the quotation reaches us through Lee."""
    n = next((n for n in range(lo, len(toks)) if toks[n] is np[0]), -1)
    j = n - 1
    if j > lo and toks[j].kind == "w" and _low(toks[j]) == "that":
        j -= 1
        k = j
        while k > lo and j - k < 8 and toks[k].kind == "w" and toks[k].text not in _REPORTING:
            k -= 1  # "told reporters that", "said in a statement that"
        if toks[k].kind == "w" and toks[k].text in _REPORTING:
            j = k
    while j > lo and toks[j].kind == "w" and (_low(toks[j]) in _WEEKDAYS or _low(toks[j]) in _TIME_WORDS):
        j -= 1
    if j <= lo or toks[j].kind != "w" or toks[j].text not in _REPORTING or _is_passive(toks, j):
        return None
    return _subject_before(toks, j, lo)


def _named_before_participle(toks: list[_Tok], j: int, lo: int) -> list[_Tok] | None:
    """The name a participle follows after of/with/by/from/showing ("footage of Trump saying", "with
    Trump reportedly yelling"): the one who speaks, whatever the sentence's own verb."""
    k = j - 1
    if k > lo and _is_adverb(toks[k]):
        k -= 1
    end = k
    while k >= lo and _is_cap(toks[k]):
        k -= 1
    if end - k < 1 and k >= lo:
        # "with many marchers and spectators chanting “…”": a plain plural after "with"
        m = k
        while m >= lo and end - m < 6 and toks[m].kind == "w" and toks[m].text[:1].islower() and toks[m].text != "with":
            m -= 1
        if m >= lo and m < end and toks[m].text == "with":
            group = _bare_plural(toks[m + 1:end + 1]) if end - m <= 3 else None
            if group is None and all(t.kind == "w" and t.text[:1].islower() for t in toks[m + 1:end + 1]) \
                    and toks[end].text.endswith("s") and any(t.text == "and" for t in toks[m + 1:end]):
                group = toks[m + 1:end + 1]  # "many marchers and spectators"
            return group
        return None
    paired = k > lo and toks[k].text == "and" and any(_is_participle(toks[n]) and _is_cap(toks[n - 1])
                                                       for n in range(lo + 1, k))
    if end - k < 1 or k < lo or toks[k].kind != "w" or (
            toks[k].text not in {"of", "with", "by", "from", "showing", "shows"} and not paired):
        return None  # (also "– Ryan saying he was “…” and Trump calling it a “…”": a second absolute phrase)
    named = toks[k + 1:end + 1]
    if toks[k].text == "of" and k - 1 >= lo and _is_cap(toks[k - 1]) and _low(toks[k - 1]) not in _PERSON_NOUNS:
        # "with the American Federation of Teachers calling her …": "of" inside a body's name
        m = k - 1
        while m - 1 >= lo and _is_cap(toks[m - 1]):
            m -= 1
        named = toks[m:end + 1]
    # not "with Democratic leaders saying", but "with Republican Senator John McCain telling"
    return named if _valid_np(named) and (len(named) > 1 or _low(named[0]) not in _NON_SPEAKERS) else None


def _after_intro(toks: list[_Tok], i: int) -> bool:
    """Whether token i follows the comma closing an introductory phrase: "Speaking in Salem, New
    Hampshire, Trump went", "In Iowa, Lee said" (the phrase opens with a preposition, an intro word
    or a participle, and holds no quotation)."""
    if i < 2 or toks[i - 1].text != ",":
        return False
    lo = _sentence_start(toks, i - 1)
    first = toks[lo]
    if first.kind != "w" or any(t.kind == "q" for t in toks[lo:i]):
        return False
    low = _low(first)
    return low in _INTRO_WORDS or low in _NP_PREPOSITIONS or low in {"like", "unlike"} \
        or (low.endswith("ing") and first.text[:1].isupper())  # also "Like Makaeff, …, Roffman doesn't"


def _speaking_noun(word: str) -> bool:
    """A common noun that can say something: a person, a body, a document ("the judge", "the agency",
    "the report", "most")."""
    low = word.lower()
    return low in _PERSON_NOUNS or low in _ORG_WORDS or low.removesuffix("s") in _PERSON_NOUNS \
        or low.removesuffix("s") in _ORG_WORDS or low in _INDEFINITES


def _opens_phrase(toks: list[_Tok], i: int, q: int) -> bool:
    """Whether token i opens an introductory phrase: an intro word, a preposition, or a participle
    ("Reprising an old line, the senator talked about …")."""
    if i >= q or toks[i].kind != "w":
        return False
    low = _low(toks[i])
    return low in _INTRO_WORDS or low in _NP_PREPOSITIONS or (
        low.endswith("ing") and len(toks[i].text) > 5 and i + 1 < q and toks[i + 1].kind == "w"
        and toks[i + 1].text[:1].islower() and not _verbish(toks, i + 1) and not _past_verb(toks[i + 1]))


def _sentence_subject(toks: list[_Tok], q: int) -> list[_Tok] | None:
    """The name opening the sentence around the quotation at q, when a verb follows it: "Romney went
    after Trump … “disqualifying”". Not a place after "In", nor a common noun ("The move")."""
    lo = _sentence_start(toks, q)
    i = lo
    for _ in range(2):  # "Moreover, as part of the exchange, Gowdy referenced …": two opening phrases
        if not _opens_phrase(toks, i, q):
            break
        comma = next((k for k in range(i, min(q, i + 24))
                      if toks[k].text == "," or (toks[k].kind == "q" and toks[k].text.endswith(","))), -1)
        if comma < 0:
            return None
        i = comma + 1  # "In Iowa, Trump said" / "Speaking on Monday, Trump called"
        for _ in range(2):  # "Speaking in Salem, New Hampshire, Trump went": the place goes on
            k = i
            while k < q and _is_cap(toks[k]):
                k += 1
            if k > i and k + 1 < q and toks[k].text == "," and _is_cap(toks[k + 1]):
                i = k + 1
            else:
                break
    if i + 1 < q and toks[i].kind == "w" and _low(toks[i]) in _DESCRIBING:
        # "The ad targets a “corrupt political system …”", "The judge then turned to me. …": a
        # description opening the sentence, before its first verb (can_speak checks its head noun).
        for v in range(i + 2, min(q, i + 8)):
            if toks[v].text == "," and _speaking_noun(toks[v - 1].text) and toks[v - 1].text[:1].islower():
                # "The ad, titled “Unifier?”, concludes that …": past an aside between commas
                c2 = next((c for c in range(v + 1, min(q, v + 16)) if toks[c].text == ","
                           or (toks[c].kind == "q" and toks[c].text.rstrip("”\"’'").endswith(","))), -1)
                if c2 > v + 1 and c2 + 1 < q and _verb_like(toks, c2 + 1) and _valid_np(toks[i:v]):
                    return toks[i:v]
                break
            if toks[v].text == "," and _is_cap(toks[v + 1]):
                # "His former business partner at Lenox, Lawrence B. Cummings, called him …": the
                # description with the name in apposition, before the verb
                m = v + 1
                while m < q and _is_cap(toks[m]):
                    m += 1
                if m + 1 < q and toks[m].text == "," and _verb_like(toks, m + 1) and _valid_np(toks[v + 1:m]) \
                        and _low(toks[v + 1]) not in _NON_SPEAKERS:
                    return toks[i:m]
                break
            if toks[v].kind != "w":
                break
            if _verb_like(toks, v) and not _is_adverb(toks[v]):
                np = _subject_before(toks, v, i)
                if np is None or np[0] is not toks[i]:
                    break
                if np[-1].text[:1].islower():
                    if _speaking_noun(np[-1].text):
                        return np
                    break  # not "The Florida senator’s answer was that “…”": only a noun that can speak
                # "The Sanders campaign projects": a name inside the description, read on
        if not _is_cap(toks[i + 1]):
            return None  # (else "The Rev. Al Sharpton said": the name path below)
    k = i
    while k < q and (_is_cap(toks[k]) or (k > i and toks[k].text.startswith("("))) \
            and not (k > i and _low(toks[k]) in _SUBORDINATORS):
        k += 1
    if k == i or k >= q or _low(toks[k - 1]) in _NON_SPEAKERS or _low(toks[k - 1]) in _DETERMINERS \
            or _low(toks[i]) in _NON_SPEAKERS or _low(toks[i]) in _PRONOUNS or toks[k - 1].text.endswith(("’s", "'s", "’")):
        return None
    nxt = toks[k]
    plural = k - i == 1 and toks[i].text.endswith("s") and not toks[i].text.endswith("ss")
    if nxt.kind == "w" and nxt.text[:1].islower() and nxt.text not in _NP_PREPOSITIONS and (
            not _is_stop(nxt) or (nxt.text in _VERB_STOPS and not plural and _low(toks[i]) not in _INDEFINITES)
            or (nxt.text in _SUBJECT_ADVERBS and k + 1 < q and _verb_like(toks, k + 1))):  # "Gorka also made"
        # also "Reid has gone after Trump as …", not "Guns are …", "People should …"
        if not _verb_like(toks, k):
            # "Nuclear proliferation experts have …", "Soviet dissident Milovan Djilas referred …": the
            # capitalised words open a longer subject, which ends before the first verb.
            for v in range(k, min(q, k + 8)):
                if v > k and _verb_like(toks, v):
                    np = _subject_before(toks, v, i)
                    if np is not None and np[0] is toks[i]:
                        return np
                    break
                w = toks[v]
                if v > k and w.text in _NP_PREPOSITIONS and k - i == 1 \
                        and not (w.text == "to" and v + 1 < q and toks[v + 1].text[:1].islower()
                                 and toks[v + 1].text not in _DETERMINERS and toks[v + 1].text not in _POSSESSIVES):
                    # "Quick access to Siri by saying “Hey Siri”": an adjective and its noun, no verb (but
                    # "AMLO seeks to capitalize …": a verb and its infinitive)
                    return None
                if w.kind != "w" or _low(w) in _DETERMINERS or w.text in _NP_PREPOSITIONS or _low(w) in _RELATIVE \
                        or _low(w) in _TIME_WORDS or w.text.endswith(("’s", "'s", "s’")):
                    break  # only nouns and names: "Sullivan forwards an article …" is no subject
            if _low(toks[i]) in {"the", "a", "an"}:
                # "The Rove ad hits …", "The Sanders campaign projects …": the name only describes the noun
                m = k
                while m < q and toks[m].kind == "w" and toks[m].text[:1].islower() and not _verb_like(toks, m) \
                        and toks[m].text not in _NP_PREPOSITIONS and _low(toks[m]) not in _DETERMINERS \
                        and not toks[m].text.endswith(("’s", "'s", "s’")):
                    m += 1
                    if _speaking_noun(toks[m - 1].text):
                        break
                if m < q and toks[m].kind == "w" and toks[m].text[:1].islower() \
                        and _speaking_noun(toks[m].text[:-2]) and toks[m].text.endswith(("’s", "'s")):
                    m += 1  # "The Florida senator’s answer was that “…”": the senator's words
                np = toks[i:m]
                return np if m > k and _speaking_noun(np[-1].text.removesuffix("’s").removesuffix("'s")) \
                    and _valid_np(np) else None
        np = toks[i:k]
        return np if _valid_np(np) else None
    if nxt.kind != "w" and nxt.text == ",":
        np = toks[i:k]
        return np if _valid_np(np) else None
    return None


_NAMING_INFINITIVES = frozenset(["call", "describe", "label", "brand", "dub"])


def _infinitive_subject(toks: list[_Tok], to: int, lo: int) -> list[_Tok] | None:
    """Who does what "to call X “…”" says: the subject of the verb or participle the infinitive hangs on
    ("Lee went on television to call …", "with Lewandowski taking to Twitter to call …")."""
    for v in range(to - 1, max(lo, to - 6), -1):
        t = toks[v]
        if t.kind != "w":
            return None
        if t.text[:1].islower() and (_past_verb(t) or _verbish(toks, v) or (t.text.endswith("ing") and len(t.text) > 4)):
            if t.text.endswith("ing") and v - 1 > lo and _is_cap(toks[v - 1]):
                np = _np_ending_at(toks, v - 1, lo)  # "with Lewandowski taking …"
                return np if np is not None and _is_cap(np[0]) else None
            if _is_passive(toks, v) or t.text.endswith("ing"):
                return None
            np = _subject_before(toks, v, lo)
            return np if np is not None and _is_cap(np[-1]) else None
    return None


def _contrast_subject(toks: list[_Tok], q: int) -> list[_Tok] | None:
    """The named subject of a "while"/"whereas"/"but" clause holding the quotation: "Jindal signed an order,
    while Mike Huckabee, the former Arkansas governor, proposed we “wake up …”" → Mike Huckabee."""
    lo = _sentence_start(toks, q)
    c = next((c for c in range(q - 2, lo, -1) if toks[c].kind == "w" and _low(toks[c]) in {"while", "whereas", "but"}), -1)
    if c < 0 or not _is_cap(toks[c + 1]) or any(t.kind == "q" for t in toks[c:q]):
        return None
    for v in range(c + 2, q):
        if toks[v].kind == "w" and toks[v].text[:1].islower() and (_past_verb(toks[v]) or _verbish(toks, v)) \
                and not _is_passive(toks, v):
            np = _subject_before(toks, v, c + 1)
            if np is not None and np[0] is toks[c + 1] and _low(np[0]) not in _NON_SPEAKERS:
                return np
            return None
    return None


def _relative_name(toks: list[_Tok], q: int) -> list[_Tok] | None:
    """The name a "who" clause holding the quotation is about: "Graham contrasted that with Clinton, who is
    looking to bring “people together”" → Clinton, not the sentence's subject."""
    lo = _sentence_start(toks, q)
    for w in range(q - 1, lo, -1):
        t = toks[w]
        if t.kind != "w" or _is_hard_stop(toks, w):
            return None
        if _low(t) != "who":
            continue
        k = w - 1 if toks[w - 1].text != "," else w - 2
        if k <= lo or not _is_cap(toks[k]) or any(u.kind != "w" for u in toks[w + 1:q]):
            return None
        name = _np_ending_at(toks, k, lo)
        return name if name is not None and _is_cap(name[0]) and _low(name[0]) not in _NON_SPEAKERS else None
    return None


def _pronoun_subject(toks: list[_Tok], q: int) -> list[_Tok] | None:
    """A he or she opening the sentence around the quotation at q, before a verb: "He went on to call
    Cruz “…”", "In the interview, she described it as “…”"."""
    lo = _sentence_start(toks, q)
    i = lo
    if _opens_phrase(toks, i, q):
        i = next((k + 1 for k in range(i, min(q, i + 24))
                  if toks[k].text == "," or (toks[k].kind == "q" and toks[k].text.rstrip("”\"’'").endswith(","))), q)
    elif toks[i].kind == "w" and toks[i].text not in _HE_SHE:
        # "Thirteen years earlier, she had voted … from “…”": a short opening phrase of plain words
        i = next((k + 1 for k in range(i + 1, min(q, i + 6)) if toks[k].text == "," or toks[k].kind != "w"), q)
        i = i if toks[i - 1].text == "," else q
    if i + 1 < q and toks[i].text in _HE_SHE and _verb_like(toks, i + 1):
        return toks[i:i + 1]
    return None


def _passive_after(toks: list[_Tok], k: int) -> bool:
    """ "Clinton's position was supported Friday by …": a passive from token k on (its agent is the subject)."""
    n = k + 1 if k + 1 < len(toks) and toks[k].text in _SUBJECT_ADVERBS else k
    return n + 1 < len(toks) and toks[n].text in _PASSIVE and _past_verb(toks[n + 1])


def _present_verb(t: _Tok) -> bool:
    """A lower-case word in -s right after a sentence-opening he/she: "She pauses.", "He hangs up"."""
    return t.kind == "w" and t.text[:1].islower() and t.text.endswith("s") and not t.text.endswith(("ss", "’s", "'s"))


def _verb_like(toks: list[_Tok], k: int) -> bool:
    """A lower-case word that can follow a subject: a verb, a modal or auxiliary, an adverb."""
    t = toks[k]
    if t.kind != "w" or not t.text[:1].islower():
        return False
    low = t.text
    return (_verbish(toks, k) or _past_verb(t) or low.endswith(("ed", "n’t", "n't")) or low in _MODALS
            or low in _AUXILIARIES or low in _VERB_STOPS
            or _is_adverb(t) or low in _FINITE)


_SAYING_NOUNS = _SPEECH_NOUNS | frozenset(["slogan", "motto", "mantra", "dictum", "catchphrase", "phrase", "refrain",
                                           "response", "answer", "reply", "retort", "quip", "explanation", "message",
                                           "assumption", "view", "belief", "position", "contention", "conclusion",
                                           "point", "premise", "prediction", "theory", "case"])


def _saying_owner(toks: list[_Tok], v: int, lo: int) -> list[_Tok] | None:
    """The owner of a saying before "is"/"was" and a quotation: "Barrett’s dictum to his interns (…) was,
    “…”" → Barrett, "Her campaign slogan is “…”" → her (not "The rule was “…”", "his claim that … was")."""
    depth = 0
    aside = False  # "His assumption, confidently stated on live TV, was that “…”"
    n = v - 1
    while n > lo and v - n <= 14:
        t = toks[n]
        if t.text == ")":
            depth += 1
        elif t.text == "(":
            depth -= 1
        elif t.text == "," and depth == 0:
            aside = not aside
        elif depth == 0 and not aside and (t.kind != "w" or _is_finite(t) or _low(t) in _RELATIVE or _past_verb(t)):
            return None
        elif depth == 0 and not aside and t.text in _SAYING_NOUNS:
            break
        n -= 1
    else:
        return None
    o = n - 1
    if o > lo and toks[o].kind == "w" and toks[o].text[:1].islower() and toks[o].text not in _POSSESSIVES:
        o -= 1  # "campaign slogan", "catch phrase"
    if o < lo or toks[o].kind != "w":
        return None
    if toks[o].text.lower() in {"his", "her", "their"}:
        return None if any(_is_finite(t) or _is_participle(t) for t in toks[lo:o]) else toks[o:o + 1]
    if not (_is_cap(toks[o]) and toks[o].text.endswith(("’s", "'s"))):
        return None
    k = o
    while k - 1 >= lo and _is_cap(toks[k - 1]) and _low(toks[k - 1]) not in _NOT_NAME_START:
        k -= 1
    if _low(toks[k]) in _NON_SPEAKERS or any(_is_finite(t) or _is_participle(t) for t in toks[lo:k]):
        return None  # "the network said that Cruz's description was “false.”": the network's words
    return toks[k:o + 1]


def _titled_subject(toks: list[_Tok], q: int) -> list[_Tok] | None:
    """ "Republican front-runner Donald Trump is questioning whether … “…”": a described name opening
    the sentence, before its first verb."""
    lo = _sentence_start(toks, q)
    for v in range(lo + 1, min(q, lo + 12)):
        t = toks[v]
        if t.kind != "w" or not t.text[:1].islower():
            continue
        if t.text in _VERB_STOPS or _verbish(toks, v) or _past_verb(t):
            np = _subject_before(toks, v, lo)
            if np is not None and np[0] is toks[lo] and _is_cap(np[-1]) and len(np) >= 2 \
                    and _low(np[-1]) not in _NON_SPEAKERS:
                return np
            return None
    return None


def _signed_line(text: str, toks: list[_Tok], j: int, q: int) -> bool:
    """Whether the quotation at `j` is signed ("“…” ― Jane Smith") and the one at `q` opens a line after
    its signature: a testimonial of its own, whose signer follows it."""
    return j + 1 < q and toks[j + 1].text in _SIGNATURE_DASHES and "\n" in text[toks[j].end:toks[q].start]


def _fill_speakers(kept: list[_Span], att: _Attributor) -> None:
    """Quotations without an attribution of their own take a neighbour's speaker."""
    last_in_para: dict[int, str] = {}
    for n, span in enumerate(kept):
        if n and kept[n - 1].signed and kept[n - 1].para == span.para \
                and "\n" in att.text[kept[n - 1].end:span.start]:
            # "“…” ― Ann Lee\n“…” “…” ― Bo Chan" (testimonials in one paragraph): a line after a
            # signature is the next signer's (the pass below fills it), not Ann Lee's.
            last_in_para.pop(span.para, None)
        if not span.direct and not span.header:
            if span.follows is not None:
                span.speaker = span.follows.speaker
            elif span.subject is not None:
                span.speaker = span.subject  # "Romney went after Trump, calling it “disqualifying”"
            elif span.para in last_in_para:
                span.speaker = last_in_para[span.para]
            elif n and kept[n - 1].para == span.para - 1 and not kept[n - 1].header \
                    and (span.at_para_start or _goes_on_about(kept[n - 1].speaker, att, span.para, span.start)):
                span.speaker = kept[n - 1].speaker
        if span.speaker:
            last_in_para[span.para] = span.speaker
    # A quotation running over paragraphs is often attributed only at its end.
    follower = {id(s.follows): s for s in kept if s.follows is not None}
    for span in kept:
        if span.follows is not None or span.closed or span.direct:
            continue
        chain, cur = [span], follower.get(id(span))
        while cur is not None and not cur.direct:
            chain.append(cur)
            cur = follower.get(id(cur))
        if cur is not None:
            for member in chain:
                member.speaker = cur.speaker
    # "“…” and “…,” she said" in one paragraph: the later attribution covers the earlier one.
    next_direct: dict[int, str] = {}
    for span in reversed(kept):
        if span.speaker is None and not span.header and span.para in next_direct:
            span.speaker = next_direct[span.para]
        if span.direct and span.speaker:
            next_direct[span.para] = span.speaker


_HE_SHE_WORD = re.compile(r"\b(?:[Hh]e|[Ss]he)\b")
_HE_WORD = re.compile(r"\b[Hh]e\b")
_SHE_WORD = re.compile(r"\b[Ss]he\b")
_IT_THEY_WORD = re.compile(r"\b(?:[Ii]t|[Tt]hey)\b")


def _goes_on_about(speaker: str | None, att: _Attributor, p: int, at: int) -> bool:
    """Whether a paragraph, before a quotation inside it, still speaks of the previous paragraph's
    speaker (by name or as he/she): "When Trump used the words, “…”" goes on with Trump; "Boos rained
    down …, the crowd reprised the chant “…”" does not go on with the last paragraph's senator."""
    if not speaker:
        return False
    base, body = att.paras[p]
    end = max(0, at - base)
    before = body[max(0, end - 1500):end]  # bounded: a paragraph of thousands of quotations stays linear
    surname = speaker.split(",")[0].split()[-1].removesuffix("’s").removesuffix("'s")
    lead = before.rstrip(" “\"‘'")
    words = len(lead.split())
    if words <= 3 or (words <= 8 and lead.endswith(":") and not any(c in lead for c in ".!?")):
        return True  # "Then, later that month on CNN: “…”", "Read More “…”": a short lead-in goes on with the speaker
    if re.search(r"\b" + re.escape(surname) + r"\b", before):
        return True
    kind = _kind(speaker)  # "the rail operator" … "It said"; "Mayor Ann Lee" … "she"
    he_she = {"m": _HE_WORD, "f": _SHE_WORD}.get(att.gender(speaker) or "", _HE_SHE_WORD)
    return bool((kind not in ("org", "group") and he_she.search(before))
                or ((kind in ("org", "group") or speaker[:1].islower()) and _IT_THEY_WORD.search(before)))


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
