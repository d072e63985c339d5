"""Stories: near-duplicate entries across feeds (one wire story, many copies), and what one copy or version changed."""

from __future__ import annotations

import functools
import gc
import html
import itertools
import json
import operator
import re
import struct
import zlib
from array import array
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, cast

from tui.core.records import Record, record

if TYPE_CHECKING:
    from difflib import SequenceMatcher

    from tui.core.models import Entry
    from tui.core.store import Store

__all__ = [
    "Change",
    "Copy",
    "Diff",
    "Sketch",
    "Story",
    "StoryIndex",
    "cluster",
    "diff_entries",
    "diff_texts",
    "diff_versions",
    "entry_paragraphs",
    "html_paragraphs",
    "lead_keys",
    "recluster",
    "same_story",
    "sketch",
    "stories",
    "stories_of",
    "story_of",
    "update_stories",
]

# Word 4-grams: long enough that two unrelated news texts share almost none, short enough that one
# edited word costs a paragraph only four of its shingles.
K = 4
# A paragraph of fewer words says too little to vouch for or against a match (datelines, "Advertisement").
MIN_PARA_WORDS = 6
# The paragraph that opens a story is what makes it this story: a distinct story on the same event
# reuses background and even a quote, never the lead. Shorter lines before it (a junk leftover, a
# kicker) are not taken for the lead.
LEAD_MIN_WORDS = 15
# A paragraph is found in the other copy when this share of its shingles is there (edits, typos).
PARA_MATCH = 0.5
# Of the shorter copy's substantive text, at least this share must be found in the longer one
# (two outlets may cut different paragraphs, and leftovers of their pages stay in each).
COVERED = 0.3
# Two copies must share this many shingles (about 20 words) before they can be one story: a brief
# that is little more than the lead still joins (the lead test keeps other stories out; 25 lost such
# briefs: bench_stories recall median 0.971 -> 0.976, precision 1.000 either way).
MIN_SHARED = 16
# Retrieval: the LEAD_KEYS smallest shingle hashes of the lead are a text's keys (a lead copied
# whole keeps them; an edited word changes one only when it hits that shingle); two entries that
# share MIN_KEYS keys are compared in full.
LEAD_KEYS = 6
LEAD_WORDS = 20  # keys come from the lead's opening words (a long lead costs no more)
MIN_KEYS = 2
# A text of fewer words is a teaser: too little to tell one story from another.
MIN_WORDS = 30
# A key found in more entries than this is boilerplate (a disclaimer, a standard background line).
MAX_POSTINGS = 200
# From this many entries, `StoryIndex.add_many` files those that share no key in one go.
_FILED_TOGETHER = 32

class _Deferred:
    """A pattern compiled at its first use, when it takes this stand-in's place in the module. The
    note, leftover and dateline patterns were most of the time it took to import this module, and a
    refresh whose entries open with no line like theirs never needs them (`_maybe_note`)."""

    def __init__(self, name: str, pattern: str, flags: int = 0) -> None:
        self._name, self.pattern, self.flags = name, pattern, flags

    def _compiled(self) -> re.Pattern[str]:
        compiled = re.compile(self.pattern, self.flags)
        globals()[self._name] = compiled
        return compiled

    def match(self, text: str) -> re.Match[str] | None:
        return self._compiled().match(text)

    def sub(self, repl: str, text: str, count: int = 0) -> str:
        return self._compiled().sub(repl, text, count=count)


_WORD = re.compile(r"\w+")
_BLOCK_END = re.compile(
    r"</(?:p|div|li|h[1-6]|blockquote|section|article|tr|dd|dt|pre|figcaption)\s*>|<br\s*/?>|<hr\b[^>]*>",
    re.I,
)
_TAG = re.compile(r"<[^>]*>")
_PARA_SPLIT = re.compile(r"\n\s*\n")
# Lines a desk adds to a copy it updates or corrects; they are not the story and must not count
# against a match (before or after the body).
_NOTE: re.Pattern[str] = _Deferred(  # type: ignore[assignment]  # (the pattern, once used)
    "_NOTE",
    r"^\W*(?:update[sd]?\s*(?:\d+\s*)?[:\-–—]|updated\b|updating\b|editor'?s[’']?\s*note|correction\s*[:\-–—]|"
    r"clarification\s*[:\-–—]|(?:breaking|developing)(?: news| story)?\s*[:,.\-–—]|"
    r"this (?:story|article|report|post|item|version) (?:has been|was|is being) (?:updated|corrected|amended|changed)|"
    r"(?:an )?earlier version of this|first published|originally published|last updated|check back|"
    r"more to (?:come|follow)|follow (?:our|the) live|(?:\w+ )?reporting by|writing by|editing by|"
    r"additional reporting|contributed to this|\((?:updates|adds|recasts|corrects|refiles|changes|with)\b[^)]*\)\W*$)",
    re.I,
)
_NOTE_MAX_WORDS = 45
# A wire dateline ("HANOI, Vietnam (AP) —") is the outlet's, not the story's: one copy has it, the next not.
_DATELINE: re.Pattern[str] = _Deferred(  # type: ignore[assignment]  # (the pattern, once used)
    "_DATELINE", r"^\s*[A-Z][A-Z.'’\- ]{1,40}(?:,\s*[A-Z][\w.'’\- ]{1,30})?\s*(?:\([^)]{1,40}\))?\s*[-–—]+\s+"
)
# A page's leftovers in feed HTML (the cleaner's rule table removes them from pages, but is too
# costly to run on every entry of a refresh): the same categories, as one anchored pattern.
_JUNK_MAX_WORDS = 40
_JUNK: re.Pattern[str] = _Deferred(  # type: ignore[assignment]  # (the pattern, once used)
    "_JUNK",
    r"^\W*(?:also read|read also|read more|related(?: coverage| stories| articles)?\s*:|see also|more on this|"
    r"recommended|don'?t miss|must read|click here|sign up|subscribe|join our|get (?:our|the latest)|"
    r"catch all|download (?:the|our)|follow us|share (?:this|on)|listen to|watch:|advertisement|sponsored|"
    r"©|\(c\)|copyright\b|all rights reserved|the post\b.{3,300}\bappeared first on|"
    r"(?:this|the) (?:story|article) (?:has been|was) (?:published|generated|auto-generated) from|"
    # sponsorship and affiliate disclosures: one outlet keeps them above the story, the next not
    r"this (?:shop|post|article|review|story|content|video|page)\b.{0,40}?\b(?:compensated|sponsored|paid for)|"
    r"(?:sponsored|paid) (?:content|post|partnership)|contains affiliate links|"
    r"we (?:may )?(?:earn|receive) (?:a )?(?:small )?(?:commission|compensation))",
    re.I,
)
# Every line _NOTE or _JUNK matches in ASCII text opens, past its non-word characters (their `^\W*`),
# with one of these (lower-cased), or with a word and "reporting by", or has a "(" among those
# characters ("(Updates …)", "(c)"). A lead opens with none of them nearly always: its test then
# needs neither pattern, nor the count of its words (`_maybe_note`). Keep in step with both patterns
# (tests/core/test_stories.py checks every alternative of each).
_NOTE_STARTS = (
    "updat", "editor", "correction", "clarification", "breaking", "developing",
    *(
        f"this {what} {how}"
        for what in ("story", "article", "report", "post", "item", "version")
        for how in ("has been", "was", "is being")
    ),
    "an earlier version", "earlier version",
    "first published", "originally published", "last updated", "check back", "more to ", "follow our",
    "follow the", "reporting by", "writing by", "editing by", "additional reporting", "contributed to this",
)
_JUNK_STARTS = (
    "also read", "read also", "read more", "related", "see also", "more on this", "recommended", "don't miss",
    "dont miss", "must read", "click here", "sign up", "subscribe", "join our", "get our", "get the latest",
    "catch all", "download the", "download our", "follow us", "share this", "share on", "listen to", "watch:",
    "advertisement", "sponsored", "copyright", "all rights reserved", "the post", "the story", "the article",
    "this story", "this article", "this shop", "this post", "this review", "this content", "this video", "this page",
    "paid content", "paid post", "paid partnership", "contains affiliate links", "we may", "we earn", "we receive",
)
_STARTS = _NOTE_STARTS + _JUNK_STARTS
_NON_WORD = "".join(c for c in map(chr, range(128)) if not (c.isalnum() or c == "_"))  # ASCII `\W`


# The same, by a text's first word (when it opens with a word character, as most do): the words
# that open a start of more than one word, and the starts of one word (a prefix of the first word).
_FIRST_WORDS = frozenset(start.split(" ", 1)[0] for start in _STARTS if " " in start)
_ONE_WORD_STARTS = tuple(start for start in _STARTS if " " not in start)


def _maybe_note(lower: str) -> bool:
    """Could _NOTE or _JUNK match this lower-cased ASCII text? (False: neither does.)"""
    if lower[:1] not in _NON_WORD:
        word = lower.partition(" ")[0]
        if word not in _FIRST_WORDS:
            return word.startswith(_ONE_WORD_STARTS) or lower.startswith("reporting by", len(word) + 1)
    rest = lower.lstrip(_NON_WORD)
    return (
        rest.startswith(_STARTS)
        or rest.startswith("reporting by", rest.find(" ") + 1)
        or (len(rest) < len(lower) and "(" in lower[: len(lower) - len(rest)])
    )


_WORD_IDS: dict[str, int] = {}
_WORD_IDS_MAX = 1_000_000


def _plain(piece: str) -> Iterator[str]:
    """The paragraphs of one block of feed HTML (its tags dropped, entities decoded, spaces single)."""
    for part in _parts(_unmarked(piece)):
        text = _single_spaced(part)
        if text:
            yield text


def _unmarked(piece: str) -> str:
    """A block of feed HTML without its tags and with its entities decoded."""
    if "<" in piece:
        piece = _TAG.sub(" ", piece)
    if "&" in piece:
        piece = html.unescape(piece)
    return piece


def _parts(piece: str) -> list[str]:
    """The paragraphs (blank-line separated parts) of an unmarked block, spaces not yet made single."""
    return _PARA_SPLIT.split(piece) if "\n" in piece else [piece]


def _single_spaced(part: str) -> str:
    """`" ".join(part.split())`, skipped when the text is that already (feed HTML mostly is)."""
    if part.isascii() and part.strip() == part and "  " not in part and not _OTHER_SPACE.search(part):
        return part
    return " ".join(part.split())


_OTHER_SPACE = re.compile(r"[\t\n\r\x0b\x0c\x1c-\x1f]")


def _strip_dateline(text: str) -> str:
    """A text without the wire dateline(s) it opens with (twice: an outlet may put its own before the agency's)."""
    if _dateline_possible(text):
        return _DATELINE.sub("", _DATELINE.sub("", text, count=1), count=1)
    return text


def _dateline_possible(text: str) -> bool:
    """Could the text open with a dateline? Not unless it opens with two capitals (or a capital and a
    space), and not when a word of one capital is followed by a lower-case one ("A man …", "I said …")."""
    return text[:2].isupper() and not (text[1:2] == " " and text[2:3].islower())


def _no_lead(text: str, n: int, shortest: int = LEAD_MIN_WORDS) -> bool:
    """Is a paragraph of `n` words too short (fewer than `shortest`), an update note or a page
    leftover to be a story's lead (or, with `shortest` MIN_PARA_WORDS, a line of its text)?"""
    return n < shortest or (n <= _NOTE_MAX_WORDS and bool(_NOTE.match(text))) or (
        n <= _JUNK_MAX_WORDS and bool(_JUNK.match(text))
    )


def _html_blocks(fragment: str) -> Iterator[str]:
    """Plain paragraphs of an HTML fragment, lazily, in order (a reader of the lead stops early)."""
    # One regex split at the block ends: measured 7× cheaper than a str.replace per closing tag.
    for piece in _BLOCK_END.split(fragment) if "<" in fragment else (fragment,):
        yield from _plain(piece)


def html_paragraphs(fragment: str) -> list[str]:
    """Plain paragraphs of an HTML fragment (a feed's content), cheaply: block ends split, tags go."""
    return list(_html_blocks(fragment))


def _words(text: str) -> list[str]:
    # Whitespace words, with the typography outlets change canonicalised (a regex tokeniser costs
    # three times as much, and two copies of one story punctuate alike).
    text = text.lower()
    if not text.isascii():
        text = (
            text.replace("\u2019", "'")
            .replace("\u2018", "'")
            .replace("\u201c", '"')
            .replace("\u201d", '"')
            .replace("\u2014", " ")
            .replace("\u2013", " ")
            .replace("\xa0", " ")
        )
    return text.replace(" - ", " ").replace("--", " ").split()


def _word_ids(text: str) -> list[int]:
    return _ids(_words(text))


def _ids(words: list[str]) -> list[int]:
    ids = _WORD_IDS
    try:
        return list(map(ids.__getitem__, words))
    except KeyError:
        pass
    if len(ids) > _WORD_IDS_MAX:
        ids.clear()
    fresh = set(words).difference(ids)
    # crc32, not hash(): str hashes change between processes, and sketches are stored.
    ids.update(zip(fresh, map(zlib.crc32, map(str.encode, fresh)), strict=True))
    return list(map(ids.__getitem__, words))


def _shingles(ids: list[int]) -> frozenset[int]:
    if len(ids) < K:
        return frozenset((hash(tuple(ids)),)) if ids else frozenset()
    # A tuple of ints hashes the same in every process (only str and bytes hashes are salted);
    # FINGERPRINT tells when another Python hashes tuples differently.
    return frozenset(map(hash, zip(ids, ids[1:], ids[2:], ids[3:], strict=False)))


# Bumped when keys are made differently (2: from the lead's first 20 words, not 30): stored keys
# of another version make the next pass group everything again.
KEYS_VERSION = 2
FINGERPRINT = (hash((1, 2, 3, 4)) ^ KEYS_VERSION) & 0x7FFFFFFF


# Paragraph kinds in a sketch.
SHORT, NOTE, BODY = 0, 1, 2


@dataclass(frozen=True)
class Sketch:
    """The shingles of one copy, paragraph by paragraph, and how much text it has."""

    paragraphs: tuple[frozenset[int], ...]
    kinds: tuple[int, ...]  # SHORT, NOTE or BODY per paragraph
    words: tuple[int, ...]  # words per paragraph
    all: frozenset[int] = field(default=frozenset())
    # How full and clean the copy is: words of its story text, less the words of page junk left in
    # it ("Read more:", "Sign up…", a copyright line). The best copy of a story has the most: of two
    # copies with the same text, the one without an outlet's leftovers.
    fullness: int = 0

    @functools.cached_property
    def size(self) -> int:
        return sum(len(p) for p, k in zip(self.paragraphs, self.kinds, strict=True) if k == BODY)


def _walk(paragraphs: Iterable[str]) -> Iterator[tuple[list[int], int, bool, bool]]:
    """(word ids, kind, is the lead, is page junk) of each paragraph (`_lead_words` finds the lead the same way)."""
    lead_found = False
    for text in paragraphs:
        if not lead_found:
            text = _strip_dateline(text)
        ids = _word_ids(text)
        if not ids:
            continue
        n = len(ids)
        lead = False
        if n < MIN_PARA_WORDS:
            kind = SHORT
        elif n <= _NOTE_MAX_WORDS and _NOTE.match(text):
            kind = NOTE
        elif not lead_found and n >= LEAD_MIN_WORDS:
            # Only a would-be lead is checked for page leftovers: elsewhere a leftover line barely
            # moves the share of text two copies have in common.
            if n <= _JUNK_MAX_WORDS and _JUNK.match(text):
                kind = SHORT
            else:
                kind = BODY
                lead = lead_found = True
        else:
            kind = BODY
        yield ids, kind, lead, kind != NOTE and n <= _JUNK_MAX_WORDS and _JUNK.match(text) is not None


def sketch(paragraphs: Iterable[str]) -> Sketch:
    """The sketch of a cleaned text given as paragraphs."""
    paras: list[frozenset[int]] = []
    kinds: list[int] = []
    words: list[int] = []
    fullness = 0
    for ids, kind, _, is_junk in _walk(paragraphs):
        paras.append(_shingles(ids))
        kinds.append(kind)
        words.append(len(ids))
        if is_junk:
            fullness -= len(ids)
        elif kind == BODY:
            fullness += len(ids)
    everything = frozenset().union(*paras) if paras else frozenset()
    return Sketch(tuple(paras), tuple(kinds), tuple(words), everything, max(fullness, 0))


def lead_keys(paragraphs: Iterable[str], words: int | None = None) -> tuple[frozenset[int], int]:
    """Retrieval keys of a text (the smallest shingle hashes of its lead) and its word count.

    Two copies of a story each contain the other's lead (`same_story` demands it), so the lead
    alone finds the candidates; the rest of the text is shingled only when there is one. A text
    too short to be told from another (a teaser) gets no keys. `paragraphs` may be only the
    opening of the text when `words` gives the length of the whole.
    """
    paragraphs = list(paragraphs)
    if words is None:
        words = sum(map(len, map(str.split, paragraphs)))
    if words < MIN_WORDS:
        return frozenset(), words
    return _keys(_lead_words(paragraphs) or _opening_words(paragraphs)), words


def _lead_words(paragraphs: Iterable[str]) -> list[str] | None:
    """The words of a text's lead (its cleaned paragraphs), found as `_walk` finds it."""
    for text in paragraphs:
        text = _strip_dateline(text)
        words = _words(text)
        if not _no_lead(text, len(words)):
            return words
    return None


def _opening_words(paragraphs: Iterable[str]) -> list[str] | None:
    """A text without a lead (a list of results, a schedule, a listing): the opening words of the
    lines that count as its text (`_walk`'s BODY: long enough, no update note, no page leftover).

    Such texts had no keys before (KEYS_VERSION 2 too: the keys of texts with a lead are the same,
    so nothing is grouped again; a lead-less entry stored earlier stands alone until it leaves the
    window)."""
    words: list[str] = []
    for text in paragraphs:
        text = _strip_dateline(text)
        found = _words(text)
        if _no_lead(text, len(found), MIN_PARA_WORDS):
            continue
        words += found
        if len(words) >= LEAD_WORDS:
            break
    return words or None


def _matches(s: Sketch, other: frozenset[int]) -> list[tuple[int, int, bool]]:
    """(shingles, shared, matched) for each body paragraph of `s` against the other copy's shingles."""
    out = []
    for para, kind in zip(s.paragraphs, s.kinds, strict=True):
        if kind == BODY and para:
            hit = len(para & other)
            out.append((len(para), hit, hit >= PARA_MATCH * len(para)))
    return out


def _lead_found(s: Sketch, other: frozenset[int]) -> bool:
    """Is the lead of `s` (its first long paragraph) in the other copy?"""
    for para, kind, n in zip(s.paragraphs, s.kinds, s.words, strict=True):
        if kind == BODY and n >= LEAD_MIN_WORDS:
            return len(para & other) >= PARA_MATCH * len(para)
    return True  # no long paragraph at all: coverage alone decides


def same_story(a: Sketch, b: Sketch) -> bool:
    """Are two copies the same story? Each one's lead must be in the other, and the shorter mostly in the longer.

    The lead test is what keeps distinct stories on one event apart: they share names, places,
    background paragraphs and even a quote, never the paragraph that says what happened.
    """
    short, long = (a, b) if a.size <= b.size else (b, a)
    rows = _matches(short, long.all)
    total = sum(r[0] for r in rows)
    shared = sum(r[1] for r in rows if r[2])
    if total == 0 or shared < MIN_SHARED or shared < COVERED * total:
        return False
    return _lead_found(short, long.all) and _lead_found(long, short.all)


class StoryIndex:
    """Entries grouped into stories, one at a time as they arrive (union of verified pairs).

    An entry comes with its lead keys and a way to make its full sketch, which is made only when
    the keys find a candidate. Entries grouped earlier are restored from their stored keys and
    story; `load(entry_id)` makes the sketch of one of those when a newcomer needs it.
    """

    def __init__(self, load: Callable[[int], Sketch | None] | None = None) -> None:
        self._sketches: dict[int, Sketch] = {}
        self._makers: dict[int, Callable[[], Sketch]] = {}
        # Key → the entry with that key, or a list once there are more (most keys have only one).
        self._postings: dict[int, int | list[int]] = {}
        self._parent: dict[int, int] = {}
        self._load = load

    def _find(self, x: int) -> int:
        parent = self._parent
        root = x
        while parent.get(root, root) != root:  # an entry restored alone has no row: its own root
            root = parent[root]
        while parent.get(x, x) != root:
            parent[x], x = root, parent[x]
        return root

    def _union(self, a: int, b: int) -> None:
        ra, rb = self._find(a), self._find(b)
        if ra != rb:
            # The story's id is its earliest entry (the smallest id), so it never changes as copies join.
            lo, hi = (ra, rb) if ra < rb else (rb, ra)
            self._parent[hi] = lo
            self._parent.setdefault(lo, lo)

    def _post(self, entry_id: int, keys: Iterable[int]) -> dict[int, int] | None:
        """File the entry under its keys; returns how many keys it shares with each entry filed before."""
        postings = self._postings
        if postings.keys().isdisjoint(keys):  # most entries: no key seen before
            postings.update(dict.fromkeys(keys, entry_id))
            return None
        counts: dict[int, int] | None = None
        for key in keys:
            posting = postings.get(key)
            if posting is None:
                postings[key] = entry_id
                continue
            if counts is None:
                counts = {}
            if isinstance(posting, int):
                counts[posting] = counts.get(posting, 0) + 1
                postings[key] = [posting, entry_id]
            else:
                for other in posting:
                    counts[other] = counts.get(other, 0) + 1
                if len(posting) < MAX_POSTINGS:
                    posting.append(entry_id)
        return counts

    def restore(self, entry_id: int, keys: Iterable[int], story: int | None) -> None:
        """Put back an entry grouped earlier (its retrieval keys and its stored story).

        One that stood alone gets no union-find row (most do, and a large window restores
        thousands): it has one once a newcomer joins it.
        """
        if story is not None:
            self._parent.setdefault(entry_id, entry_id)
            if story != entry_id:
                self._parent.setdefault(story, story)
                self._union(entry_id, story)
        self._post(entry_id, keys)

    def _sketch(self, entry_id: int) -> Sketch | None:
        found = self._sketches.get(entry_id)
        if found is None:
            maker = self._makers.pop(entry_id, None)
            if maker is not None:
                found = maker()
            elif self._load is not None:
                found = self._load(entry_id)
            if found is not None:
                self._sketches[entry_id] = found
        return found

    def add(self, entry_id: int, keys: Collection[int], make: Callable[[], Sketch] | None = None) -> list[int]:
        """Add one entry; returns the entries it was found to be a copy of.

        `make` makes its sketch when a candidate turns up (without it, the index's `load` does).
        """
        if not keys:
            return []  # a teaser, or a text without a lead: nothing to tell its story by
        if make is not None:
            self._makers[entry_id] = make
        counts = self._post(entry_id, keys)
        if not counts:
            return []
        candidates = [o for o, c in counts.items() if c >= MIN_KEYS and o != entry_id]
        matches: list[int] = []
        for other in candidates:
            if self._find(other) == self._find(entry_id):
                matches.append(other)
                continue
            mine, theirs = self._sketch(entry_id), self._sketch(other)
            if mine is not None and theirs is not None and same_story(mine, theirs):
                matches.append(other)
                self._union(entry_id, other)
        return matches

    def add_many(self, items: Iterable[tuple[int, Collection[int]]]) -> int:
        """`add` each (entry id, keys) in turn; returns how many were found to be a copy of another.

        The same as one at a time, in less time: an entry none of whose keys is held by another
        entry (filed before, or among these) can be no one's candidate nor have one, so when it is
        filed does not matter: those (most of a refresh's) are filed in one go, the rest in turn."""
        pairs = [(entry_id, keys) for entry_id, keys in items if keys]  # (no keys: nothing to file)
        if len(pairs) < _FILED_TOGETHER:
            return self._add_each(pairs)
        ids, keys = zip(*pairs, strict=True)
        flat = list(itertools.chain.from_iterable(keys))
        owners = list(itertools.chain.from_iterable(map(itertools.repeat, ids, map(len, keys))))
        return self._file(ids, flat, owners, keys.__getitem__)

    def add_run(self, ids: Sequence[int], keys: list[int], width: int) -> int:
        """`add_many` of entries of `width` keys each, their keys one after another in `keys` (the
        stored keys of a refresh's new entries, unpacked together)."""
        if len(ids) < _FILED_TOGETHER:
            return self._add_each((e, keys[i * width : i * width + width]) for i, e in enumerate(ids))
        owners = [0] * len(keys)
        for at in range(width):
            owners[at::width] = ids
        return self._file(ids, keys, owners, lambda i: keys[i * width : i * width + width])

    def _file(
        self, ids: Sequence[int], flat: list[int], owners: list[int], keys_of: Callable[[int], Collection[int]]
    ) -> int:
        """`add_many` of entries `ids` (the i-th's keys: `keys_of(i)`), whose keys are `flat`, each
        beside its entry's id in `owners`."""
        if len(set(ids)) != len(ids):  # (an entry twice: its copies are filed in turn)
            return self._add_each(zip(ids, map(keys_of, range(len(ids))), strict=True))
        filed: dict[int, int] = {}
        first = list(map(filed.setdefault, flat, owners))  # each key's first entry
        shared: set[int] = set()
        if first != owners:  # keys of two entries (or twice of one, which files the same either way)
            for start in range(0, len(first), 256):  # (few do: compared a slice at a time, looked into where unequal)
                mine, theirs = owners[start : start + 256], first[start : start + 256]
                if mine != theirs:
                    for at in itertools.compress(range(len(mine)), map(operator.ne, mine, theirs)):
                        shared.add(mine[at])
                        shared.add(theirs[at])
        postings = self._postings
        if postings:  # keys filed before: the first newcomer holding each (any other one is marked above)
            shared.update(map(filed.__getitem__, filed.keys() & postings.keys()))
        later: list[tuple[int, Collection[int]]] = []
        if shared:
            later = [(e, keys_of(i)) for i, e in enumerate(ids) if e in shared]
            for _, keys in later:
                for key in keys:
                    filed.pop(key, None)
        alone = cast("dict[int, int | list[int]]", filed)  # (a key's entry, as a posting)
        if not postings:
            self._postings = alone
        elif len(postings) >= len(alone):
            postings.update(alone)
        else:
            alone.update(postings)
            self._postings = alone
        return self._add_each(later)

    def _add_each(self, items: Iterable[tuple[int, Collection[int]]]) -> int:
        """`add` each (entry id, keys) in turn; an entry none of whose keys was filed before is filed right here."""
        postings = self._postings
        unseen = postings.keys().isdisjoint  # a view: it sees the keys filed as the loop goes
        joined = 0
        for entry_id, keys in items:
            if keys and unseen(keys):
                postings.update(dict.fromkeys(keys, entry_id))
            elif self.add(entry_id, keys):
                joined += 1
        return joined

    def sketched(self) -> dict[int, Sketch]:
        """The sketches made or loaded so far (entries compared with another), by entry id."""
        return dict(self._sketches)

    def story_of(self, entry_id: int) -> int:
        return self._find(entry_id) if entry_id in self._parent else entry_id

    def stories(self) -> dict[int, list[int]]:
        """Story id → its entries (only stories of two or more)."""
        groups: dict[int, list[int]] = {}
        for entry_id in self._parent:
            groups.setdefault(self._find(entry_id), []).append(entry_id)
        return {k: sorted(v) for k, v in groups.items() if len(v) > 1}


def cluster(items: Iterable[tuple[int, Sequence[str]]]) -> dict[int, int]:
    """Entry id → story id for (entry id, paragraphs) in arrival order; entries alone map to themselves."""
    index = StoryIndex()
    ids = []
    for entry_id, paragraphs in items:
        paras = list(paragraphs)
        keys, _ = lead_keys(paras)
        index.add(entry_id, keys, functools.partial(sketch, paras))
        ids.append(entry_id)
    return {i: index.story_of(i) for i in ids}


# -- stories in the store ---------------------------------------------------------------------------

# New entries are compared with entries fetched in the last WINDOW: a wire story's copies arrive
# within days, and a bounded window keeps each refresh's work bounded however large the store grows.
WINDOW = timedelta(days=14)


def _article_paragraphs(data: str) -> list[str] | None:
    try:
        value = json.loads(data)
    except ValueError:
        return None
    if isinstance(value, dict) and isinstance(value.get("article"), dict):
        value = value["article"]  # a cached Reading (article, quotes, places)
    if not isinstance(value, dict) or not isinstance(value.get("blocks"), list):
        return None
    # The blocks only: a standfirst is each outlet's own.
    return [b["text"] for b in value["blocks"] if isinstance(b, dict) and isinstance(b.get("text"), str)]


def entry_paragraphs(summary: str, content: str, article: str | None) -> list[str]:
    """The text a story is recognised by: the cleaned article when there is one, else the feed's HTML."""
    if article:
        found = _article_paragraphs(article)
        if found:
            return found
    return html_paragraphs(content or summary or "")


# The lead of a feed's HTML is nearly always in its opening characters; only those are read for keys.
_HEAD_CHARS = 1200
_BATCH = 500  # entries read from the store at a time


def _html_lead_words(head: str, cut: bool) -> tuple[list[str], int] | None:
    """The lead's words in the opening of a feed's HTML (`cut`: the head ends mid-text).

    `lead_keys(_html_blocks(...))` fused into one loop without generators, reading blocks only
    until the lead: this runs on every new entry of every refresh, and nearly always ends at the
    first or second paragraph.
    """
    if "<" not in head:
        return None if cut else _lead_in_block(head)
    start = 0
    for end in _BLOCK_END.finditer(head):
        found = _lead_in_block(head[start : end.start()])
        if found:
            return found
        start = end.end()
    return None if cut else _lead_in_block(head[start:])  # a cut head's last block may be cut short


def _lead_in_block(piece: str) -> tuple[list[str], int] | None:
    """The first lead-worthy paragraph of a block: its opening words (at least the keys' LEAD_WORDS) and its
    length in words (one of at least MIN_WORDS may be given as MIN_WORDS: no caller tells them apart)."""
    parts = _parts(_unmarked(piece))
    if len(parts) == 1 and (part := parts[0]).isascii() and not _dateline_possible(part.lstrip()):
        # One paragraph of plain ASCII without a dateline to strip (most blocks), read as the general
        # path below reads it, with as few word strings made as can be (most of the keys' cost):
        # lower-cased (the keys' words are; the note and leftover patterns ignore case) and split
        # into its first MIN_WORDS - 1 words and the rest. When `_maybe_note` clears its opening, a
        # paragraph with a rest is a lead whatever its length: it is given as MIN_WORDS words long.
        first = part.lower().split(None, MIN_WORDS - 1)
        rest = first.pop() if len(first) == MIN_WORDS else None
        if not first:
            return None
        text = " ".join(first)
        # `_words` drops a dash standing alone or doubled: taken here only without one (a hyphen
        # within a word, in most news text, it reads as written), at the cut included.
        dashes = "-" in text and (" - " in text or "--" in text or first[-1] == "-")
        if not dashes and (rest is None or rest[0] != "-"):
            if rest is None:
                n = len(first)
                return None if n < LEAD_MIN_WORDS or (_maybe_note(text) and _no_lead(text, n)) else (first[:LEAD_WORDS], n)
            if not _maybe_note(text):
                return first[:LEAD_WORDS], MIN_WORDS
    for part in parts:
        text = _strip_dateline(_single_spaced(part))
        if not text:
            continue
        if text.isascii() and " - " not in text and "--" not in text:
            # `_words` without its rewrites (none applies): its count, and only the words the keys take.
            n = text.count(" ") + 1
            words = text.lower().split(None, LEAD_WORDS)[:LEAD_WORDS]
        else:
            # Only the opening words matter (the keys take LEAD_WORDS; `_no_lead` counts to 46):
            # a long paragraph is tokenised no further than it takes to know it has more.
            opening = _words(text[:_LEAD_CHARS]) if len(text) > _LEAD_CHARS else None
            words = opening if opening is not None and len(opening) > _NOTE_MAX_WORDS + 1 else _words(text)
            n = len(words)
        if not _no_lead(text, n):
            return words, n
    return None


# Characters of a paragraph that nearly always hold more than _NOTE_MAX_WORDS + 1 words.
_LEAD_CHARS = 400


def _keys(words: list[str] | None) -> frozenset[int]:
    """The LEAD_KEYS smallest shingle hashes of a lead's opening words (as `lead_keys` takes them)."""
    return frozenset(_smallest(words)) if words else frozenset()


def _smallest(words: list[str]) -> list[int]:
    """`_keys`, sorted (a refresh packs them into the stored blob without making a set)."""
    ids = _ids(words[:LEAD_WORDS])
    if len(ids) < K:
        return sorted(_shingles(ids))[:LEAD_KEYS]
    # (zip without its `strict` keyword: the keyword alone costs a sixth of this line)
    return _least(list(map(hash, zip(ids, ids[1:], ids[2:], ids[3:]))))  # noqa: B905


def _least(hashes: list[int]) -> list[int]:
    """The LEAD_KEYS smallest of a lead's 4-gram hashes, each once (sorted in place: a set of
    them first costs twice as much)."""
    hashes.sort()
    keys = hashes[:LEAD_KEYS]
    if len(set(keys)) < len(keys) and len(hashes) > LEAD_KEYS:  # a 4-gram repeated among the smallest
        keys = sorted(set(hashes))[:LEAD_KEYS]
    return keys


def _entry_keys(text: str, article: str | None) -> frozenset[int]:
    """Lead keys of an entry from its feed HTML (`text`, read no further than its lead when it can
    be helped) or its cleaned article."""
    if article:
        found = _article_paragraphs(article)
        if found:
            return lead_keys(found)[0]
    return _keys(_feed_words(text))


def _feed_words(text: str) -> list[str] | None:
    """The words an entry's feed HTML is keyed by: its lead's opening words, or a lead-less
    text's opening lines; None for a teaser."""
    head = text[:_HEAD_CHARS]
    cut = len(text) > _HEAD_CHARS
    lead = _html_lead_words(head, cut)
    if lead is None and cut:
        lead = _html_lead_words(text, False)
    if lead is None:
        # No lead (a list, a schedule, or a teaser): keyed by its opening lines, as `lead_keys`
        # keys such a text (its lead already looked for, above).
        paragraphs = html_paragraphs(text)
        if sum(map(len, map(str.split, paragraphs))) < MIN_WORDS:
            return None
        return _opening_words(paragraphs)
    # A teaser has no keys. A lead as long as MIN_WORDS says it is none; otherwise whitespace runs
    # of the raw HTML stand in for its words, counted no further than the threshold (a teaser taken
    # for more costs a comparison, never a wrong match: `same_story` wants MIN_SHARED shingles).
    words, n = lead
    if n < MIN_WORDS and len(head.split(None, MIN_WORDS - 1)) < MIN_WORDS:
        return None
    return words


_FULL = struct.Struct(f"{LEAD_KEYS + 1}q")  # a keys blob with all its keys (most): fingerprint, keys
_SIX_KEYS = LEAD_KEYS == 6  # (`stored_keys` writes out the test of six keys)
_FINGERPRINT_BYTES = array("q", [FINGERPRINT]).tobytes()


def _blob(keys: Collection[int]) -> bytes:
    """Retrieval keys as stored: the fingerprint of this Python's tuple hashes, then the keys."""
    return _FULL.pack(FINGERPRINT, *keys) if len(keys) == LEAD_KEYS else _FINGERPRINT_BYTES + array("q", keys).tobytes()


def stored_keys(texts: Iterable[str]) -> list[bytes]:
    """The retrieval keys new entries are stored with, from their feed texts (the refresh holds
    them then, and keys a feed's new entries in one call; the stories pass takes the keys instead
    of reading the texts again)."""
    found = list(map(_feed_words, texts))
    # `_smallest` of each, with the word ids and the 4-gram hashes of all the leads made in one go
    # (the shingles that straddle two leads are made too, and never read).
    ids = _ids(list(itertools.chain.from_iterable(words[:LEAD_WORDS] for words in found if words)))
    hashes = list(map(hash, zip(ids, ids[1:], ids[2:], ids[3:])))  # noqa: B905
    blobs = []
    at = 0
    for words in found:
        if not words:
            blobs.append(_FINGERPRINT_BYTES)
            continue
        start, at = at, at + (len(words) if len(words) < LEAD_WORDS else LEAD_WORDS)
        if at - start < K:
            blobs.append(_blob(sorted(_shingles(ids[start:at]))[:LEAD_KEYS]))
            continue
        window = hashes[start : at - K + 1]
        window.sort()
        # `_least` and `_blob` written out for the common case (6 % of the keys' CPU): six keys all
        # different (sorted, a repeat would be a neighbour), packed without making a list of them.
        if _SIX_KEYS and len(window) >= 6:
            a, b, c, d, e, f = window[:6]
            if a < b < c < d < e < f:
                blobs.append(_FULL.pack(FINGERPRINT, a, b, c, d, e, f))
                continue
        blobs.append(_blob(_least(window)))
    return blobs


def _unblob(blob: bytes) -> Sequence[int] | None:
    """Stored keys back (None: made by a Python whose tuple hashes differ)."""
    if len(blob) == _FULL.size:
        values: Sequence[int] = _FULL.unpack(blob)
    else:
        values = array("q")
        values.frombytes(blob)
    if not values or values[0] != FINGERPRINT:
        return None
    return values[1:]


def _unblob_run(ids: Sequence[int], blobs: Sequence[bytes]) -> tuple[Sequence[int], list[int]] | None:
    """A run of stored keys unpacked together: (the entries with keys, their keys one entry's after
    another, LEAD_KEYS each); None unless each blob is full (most) or empty (a teaser: no keys) and
    made by this Python (then `_unblob` each)."""
    joined = b"".join(blobs)
    if blobs and len(joined) == len(blobs) * _FULL.size and max(map(len, blobs)) == _FULL.size:
        keyed = ids
    else:
        if not set(map(len, blobs)) <= {_FULL.size, len(_FINGERPRINT_BYTES)}:
            return None
        full = list(map(_FULL.size.__eq__, map(len, blobs)))
        if blobs.count(_FINGERPRINT_BYTES) != len(blobs) - sum(full):
            return None
        keyed = list(itertools.compress(ids, full))
        joined = b"".join(itertools.compress(blobs, full))
    values = array("q")
    values.frombytes(joined)
    if values[:: LEAD_KEYS + 1].count(FINGERPRINT) != len(keyed):
        return None
    del values[:: LEAD_KEYS + 1]
    return keyed, values.tolist()


@record
class StoryUpdate(Record):
    """What one pass of grouping did."""

    placed: int  # entries sketched and compared
    joined: int  # of those, entries found to be a copy of another
    stories: int  # stories (two or more entries) touched


def update_stories(store: Store, *, window: timedelta = WINDOW) -> StoryUpdate:
    """Place entries not yet grouped into stories (incrementally; the refresh calls this).

    Without the cycle collector while it runs: the pass makes tens of thousands of small objects
    that hold no cycles (keys, postings, rows; reference counting frees them), and each of the
    ~50 collections they trigger after a refresh walks its whole heap: a fifth of the pass's CPU.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _update_stories(store, window)
    finally:
        if enabled:
            gc.enable()


def _update_stories(store: Store, window: timedelta) -> StoryUpdate:
    # The newcomers' keys first: stored with them by the refresh, or made here from their texts (an
    # entry placed again, one with a cleaned reading, one stored without keys), a batch at a time; no
    # text is kept, the index loads a sketch from the store when it needs one. An entry placed again
    # (its text changed) may leave the story it was in.
    #
    # The keys of a refresh's new entries come in runs, held in memory since they were stored: those
    # are unpacked together and filed together (`StoryIndex.add_run`), not an entry at a time.
    runs: list[list[tuple[int, Collection[int]]] | _Run] = []
    fresh: list[tuple[int, Collection[int]]] = []  # the current run of entries one at a time
    left: dict[int, int] = {}  # entry placed again → the story it was in
    keyed: list[tuple[int, bytes, str]] = []  # entries keyed here (not when they were stored)
    last = None  # the newest entry placed
    for part in store.unplaced(_BATCH):
        if isinstance(part, tuple):
            ids, blobs = part
            if (unpacked := _unblob_run(ids, blobs)) is not None:
                if fresh:
                    runs.append(fresh)
                    fresh = []
                keyed_ids, flat = unpacked
                if runs and isinstance(runs[-1], tuple):  # (the store's next batch of the same run)
                    before_ids, before_keyed, before_flat = runs[-1]
                    runs[-1] = ([*before_ids, *ids], [*before_keyed, *keyed_ids], before_flat + flat)
                else:
                    runs.append((ids, keyed_ids, flat))
                last = ids[-1]
                continue
            part = [(e, None, b, None, None, "") for e, b in zip(ids, blobs, strict=True)]
        for entry_id, story, blob, text, article, fetched_at in part:
            if text is None:  # keys stored with the entry
                stored = _unblob(blob or b"")
                if stored is None:
                    return recluster(store)  # keyed by another Python (tuple hashes differ)
                fresh.append((entry_id, stored))
            else:
                keys = _entry_keys(text, article)
                keyed.append((entry_id, _blob(keys), fetched_at))
                fresh.append((entry_id, keys))
            if story is not None:
                left[entry_id] = story
            last = entry_id
    if fresh:
        runs.append(fresh)
    if not runs:
        return StoryUpdate(0, 0, 0)
    since = (datetime.now(UTC) - window).isoformat(timespec="seconds")

    def load(entry_id: int) -> Sketch | None:
        entry = store.entry(entry_id)
        if entry is None:
            return None
        return sketch(entry_paragraphs(entry.summary, entry.content, store.latest_article(entry_id)))

    wanted: set[int] | None = None  # every newcomer's keys, made when an entry alone is restored

    index = StoryIndex(load)
    before: dict[int, int | None] = {}
    placed = store.sketch_keys(since)
    # A story named after an entry that is being placed again (its text changed) must not pull
    # that entry back in unverified: its other copies stay together under their earliest one.
    stand_in: dict[int, int] = {}
    if any(story is not None for _, _, story in placed):
        again = {e for run in runs for e in _run_ids(run)}
        for entry_id, _, story in placed:
            if story in again:
                stand_in[story] = min(stand_in.get(story, entry_id), entry_id)
    for entry_id, blob, story in placed:
        earlier = _unblob(blob)
        if earlier is None:
            return recluster(store)  # keyed by another Python (tuple hashes differ): group everything again
        if story is None:
            # An earlier entry alone that shares no key with a newcomer can be no one's candidate
            # (and its postings are of keys no newcomer looks up): the same result without it.
            if wanted is None:
                wanted = set().union(*(_run_keys(run) for run in runs))
            if not wanted.isdisjoint(earlier):
                index.restore(entry_id, earlier, None)
        else:
            index.restore(entry_id, earlier, stand_in.get(story, story))
            before[entry_id] = story  # an entry alone before is None before (the default)
    before.update(left)
    joined = sum(index.add_run(run[1], run[2], LEAD_KEYS) if isinstance(run, tuple) else index.add_many(run) for run in runs)
    # How full a copy is matters only once it is in a story, and every entry that joins one was
    # sketched to be compared: sizes come from those sketches (the rest stay 0 until they join).
    sizes = {e: sk.fullness for e, sk in index.sketched().items()}
    rows = [(e, keys, sizes.pop(e, 0), at) for e, keys, at in keyed]
    groups = index.stories()
    after: dict[int, int | None] = dict.fromkeys(before)
    for story, members in groups.items():
        for member in members:
            after[member] = story
    changed = {e: v for e, v in after.items() if before.get(e) != v}
    # An entry placed again (its text changed) that found its own story again is no new copy.
    joined -= sum(1 for e, story in left.items() if story is not None and after.get(e) == story)
    store.save_stories(rows, changed, sizes, placed_to=last)
    touched = {v for v in changed.values() if v is not None}
    return StoryUpdate(sum(len(run) if isinstance(run, list) else len(run[0]) for run in runs), joined, len(touched))


# A run of newcomers whose stored keys were unpacked together: (entries, those with keys, their keys
# one entry's after another, LEAD_KEYS each).
_Run = tuple[Sequence[int], Sequence[int], list[int]]


def _run_ids(run: list[tuple[int, Collection[int]]] | _Run) -> Iterable[int]:
    """The entries of one of the pass's runs of newcomers."""
    return run[0] if isinstance(run, tuple) else (entry_id for entry_id, _ in run)


def _run_keys(run: list[tuple[int, Collection[int]]] | _Run) -> Iterable[int]:
    """The keys of one of the pass's runs of newcomers."""
    return run[2] if isinstance(run, tuple) else itertools.chain.from_iterable(keys for _, keys in run)


def recluster(store: Store) -> StoryUpdate:
    """Group every stored entry again from scratch (after a change of the rules)."""
    store.clear_stories()
    return update_stories(store, window=timedelta(days=365 * 100))


@record
class Copy(Record):
    """One entry of a story."""

    entry: Entry
    size: int  # words of its story text less page junk left in it (Sketch.fullness): the best copy has the most


@record
class Story(Record):
    """Entries across feeds that are one story; `best` is the fullest, cleanest copy."""

    id: int
    copies: tuple[Copy, ...]  # oldest first

    @property
    def best(self) -> Entry:
        # Fullest first; among equals the earliest (the source, not a rewrite).
        return max(self.copies, key=lambda c: (c.size, -self.copies.index(c))).entry

    @property
    def outlets(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for c in self.copies:
            seen.setdefault(c.entry.feed_title or c.entry.feed_url, None)
        return tuple(seen)

    @property
    def first_seen(self) -> datetime | None:
        times = [c.entry.published for c in self.copies if c.entry.published]
        return min(times) if times else None

    @property
    def last_seen(self) -> datetime | None:
        times = [c.entry.published for c in self.copies if c.entry.published]
        return max(times) if times else None

    @property
    def unread(self) -> int:
        return sum(1 for c in self.copies if not c.entry.read)


def _grouped(rows: Iterable[tuple[Entry, int, int]]) -> list[Story]:
    """Stories of two or more copies from `Store.story_entries` rows (entry, story id, size)."""
    groups: dict[int, list[Copy]] = {}
    for entry, story, size in rows:
        groups.setdefault(story, []).append(Copy(entry, size))
    return [Story(k, tuple(v)) for k, v in groups.items() if len(v) > 1]


def stories(store: Store) -> list[Story]:
    """Every story of two or more entries, the most recent first."""
    found = _grouped(store.story_entries())
    never = datetime.min.replace(tzinfo=UTC)
    found.sort(key=lambda s: (s.last_seen or never, s.id), reverse=True)
    return found


def stories_of(store: Store, entry_ids: Sequence[int]) -> list[Story]:
    """The stories these entries are in (the first screenful of a list: a few rows, whatever the archive)."""
    return _grouped(store.story_entries(of_entries=entry_ids)) if entry_ids else []


def story_of(store: Store, entry_id: int) -> Story | None:
    """The story an entry belongs to, or None when it stands alone."""
    story = store.story_id(entry_id)
    if story is None:
        return None
    found = _grouped(store.story_entries(story))
    return found[0] if found else None


# -- what changed ---------------------------------------------------------------------------------


@record
class Change(Record):
    """One difference: a paragraph added or cut, or a paragraph whose words were edited."""

    kind: str  # "added" | "cut" | "edited"
    text: str  # the paragraph (the new one for "edited")
    old: str | None = None  # the old paragraph, for "edited"
    words: tuple[tuple[str, str, str], ...] = ()  # ("-"/"+"/"=", words) runs, for "edited"


@record
class Diff(Record):
    """What the second text changed against the first."""

    old_title: str
    new_title: str
    changes: tuple[Change, ...]
    quotes_added: tuple[str, ...]
    quotes_dropped: tuple[str, ...]
    unchanged: int  # paragraphs the same in both

    @property
    def title_changed(self) -> bool:
        return self.old_title.strip() != self.new_title.strip()

    @property
    def same(self) -> bool:
        return not (self.title_changed or self.changes or self.quotes_added or self.quotes_dropped)


def _matcher(a: Sequence[str], b: Sequence[str]) -> SequenceMatcher[str]:
    from difflib import SequenceMatcher  # a diff's, not imported by every refresh that stores keys

    return SequenceMatcher(None, a, b, autojunk=False)


def _similar(a: str, b: str) -> float:
    wa, wb = _WORD.findall(a.lower()), _WORD.findall(b.lower())
    if not wa or not wb:
        return 0.0
    return _matcher(wa, wb).ratio()


def _word_runs(old: str, new: str) -> tuple[tuple[str, str, str], ...]:
    a, b = old.split(), new.split()
    runs: list[tuple[str, str, str]] = []
    for op, i1, i2, j1, j2 in _matcher(a, b).get_opcodes():
        if op == "equal":
            runs.append(("=", " ".join(a[i1:i2]), ""))
        else:
            if i2 > i1:
                runs.append(("-", " ".join(a[i1:i2]), ""))
            if j2 > j1:
                runs.append(("+", " ".join(b[j1:j2]), ""))
    return tuple(runs)


def _quote_key(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


def diff_texts(old_title: str, old: Sequence[str], new_title: str, new: Sequence[str], *, quotes: bool = True) -> Diff:
    """What `new` (title, paragraphs) changed against `old`: paragraphs added, cut or edited, quotes."""
    changes: list[Change] = []
    unchanged = 0
    norm_old = [" ".join(_WORD.findall(p.lower())) for p in old]
    norm_new = [" ".join(_WORD.findall(p.lower())) for p in new]
    matcher = _matcher(norm_old, norm_new)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            unchanged += i2 - i1
            continue
        cut = list(range(i1, i2))
        added = list(range(j1, j2))
        # Pair each new paragraph with the most similar old one in the same gap: an edit, not a cut and an add.
        pairs: dict[int, int] = {}
        for j in added:
            best, score = None, 0.5
            for i in cut:
                if i in pairs.values():
                    continue
                s = _similar(old[i], new[j])
                if s > score:
                    best, score = i, s
            if best is not None:
                pairs[j] = best
        paired_old = set(pairs.values())
        for i in cut:
            if i not in paired_old:
                changes.append(Change("cut", old[i]))
        for j in added:
            if j in pairs:
                i = pairs[j]
                changes.append(Change("edited", new[j], old[i], _word_runs(old[i], new[j])))
            else:
                changes.append(Change("added", new[j]))
    quotes_added: tuple[str, ...] = ()
    quotes_dropped: tuple[str, ...] = ()
    if quotes:
        from tui.core.language.quotes import extract_quotes

        q_old = {_quote_key(q.text): q.text for q in extract_quotes("\n\n".join(old))}
        q_new = {_quote_key(q.text): q.text for q in extract_quotes("\n\n".join(new))}
        quotes_added = tuple(t for k, t in q_new.items() if k not in q_old)
        quotes_dropped = tuple(t for k, t in q_old.items() if k not in q_new)
    return Diff(old_title, new_title, tuple(changes), quotes_added, quotes_dropped, unchanged)


def diff_entries(store: Store, old_id: int, new_id: int) -> Diff:
    """What the copy `new_id` changed against the copy `old_id` (their cleaned texts when stored)."""
    old, new = store.entry(old_id), store.entry(new_id)
    if old is None or new is None:
        raise LookupError(f"no such entry: {old_id if old is None else new_id}")
    a = entry_paragraphs(old.summary, old.content, store.latest_article(old_id))
    b = entry_paragraphs(new.summary, new.content, store.latest_article(new_id))
    return diff_texts(old.title, a, new.title, b)


def diff_versions(store: Store, entry_id: int) -> list[Diff]:
    """What each later version of an entry changed against the one before (empty when never changed)."""
    entry = store.entry(entry_id)
    if entry is None:
        raise LookupError(f"no such entry: {entry_id}")
    versions = [
        (str(v["title"] or ""), entry_paragraphs(str(v["summary"] or ""), str(v["content"] or ""), v["article"]))
        for v in store.entry_versions(entry_id)
    ]
    if not versions:
        return []
    versions.append((entry.title, entry_paragraphs(entry.summary, entry.content, store.latest_article(entry_id))))
    return [diff_texts(a[0], a[1], b[0], b[1]) for a, b in itertools.pairwise(versions)]
