"""Is a feed entry only a teaser of its story? (Prefetch asks this of every new entry: no lxml here.)"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

from tui.core.article.decode import MAX_BYTES
from tui.core.text import normalize

__all__ = ["DROP_TAGS", "FURNITURE", "MARKUP", "SUMMARY_WORDS", "class_words", "is_summary"]

SUMMARY_WORDS = 80  # a feed entry shorter than this is a teaser, not the story

# Elements whose text is never article text (the cleaner drops them; see locate._strip).
DROP_TAGS = (
    "script", "style", "noscript", "template", "iframe", "frame", "frameset", "button", "input",
    "select", "textarea", "option", "label", "svg", "canvas", "object", "embed", "applet", "audio", "video",
    "source", "track", "map", "dialog", "link", "meta", "nav",
)

MARKUP = re.compile(r"<[a-zA-Z!/?]")  # where a text has HTML tags at all
# Words that mark page furniture in class/id attributes across sites (not any one site's names).
# An element so marked goes only when it is small: a big one may be the story's own wrapper.
FURNITURE = frozenset(
    "caption captions figcaption credit credits byline bylines author authors meta date share sharing shares "
    "social toolbar tools print popup modal overlay cookie consent banner "
    "sharebar socialbar newsletter newsletters signup subscribe subscription promo promos advert adverts "
    "advertisement advertising ad ads adslot sponsor sponsored breadcrumb breadcrumbs tags tagcloud "
    "comments comment related recommended outbrain taboola timestamp author-bio authorbio "
    "disclaimer copyright".split()
)
_CLASS_SPLIT = re.compile(r"[^a-z0-9]+")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
# A class or id attribute's value, quoted or not. Found in the lower-cased text (fast), read from the
# original (camelCase carries words); a text whose lower case moves characters uses the slower pattern.
# (Two patterns, each opening with its literal name: re scans for those fast; the character before
# is checked after, as a look-behind would cost the fast scan.)
_VALUE = r"""\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+))"""
_MARKS = (re.compile("class" + _VALUE), re.compile("id" + _VALUE))
_MARKS_ANY_CASE = (re.compile("class" + _VALUE, re.IGNORECASE), re.compile("id" + _VALUE, re.IGNORECASE))


def class_words(marks: str) -> set[str]:
    """The words of class and id values as the cleaner reads them ("imageCaption" → image, caption)."""
    return set(_CLASS_SPLIT.split(_CAMEL.sub(" ", marks).lower()))

_ANY_TAG = re.compile(r"<[^>]*>")
# Markup whose text the cleaner drops, or that hides text from a regex: an entry with it is parsed.
_DROPPED_TAGS = frozenset((*DROP_TAGS, "form", "!--"))
_STRAY_LT = re.compile(r"<(?![a-zA-Z/!?])")
_UNCLOSED_TAG = re.compile(r"<[^<>]*(?:<|\Z)")  # a tag cut off ("…<a …", "<br […]"): the regex would keep it as text
_ENDS_CUT = re.compile(
    r"(?:…|\.\.\.|\[\s*(?:…|\.\.\.|&hellip;)\s*\]|\b(?:continue reading|read more|read the (?:full|rest)\b.*)"
    r"[^\w]*)\s*$",
    re.I,
)


# Every ending _ENDS_CUT matches holds one of "…", "...", "&hellip;", "continue reading",
# "read more", "read the " (lower-cased): a tail without any is not cut, and costs no regex scan
# (the regex tries each of its 200 positions). The dotted and dotless i are the only other
# characters its letters match ignoring case: a tail with one goes to the regex.
_ODD_I = re.compile("[\u0130\u0131]")


def _ends_cut(tail: str) -> bool:
    """`_ENDS_CUT.search(tail)`, answered without the regex when no sign of a cut is in the tail."""
    lower = tail.lower()
    # Written out: a generator over the six signs cost as much as the searches.
    signs = "…" in lower or "..." in lower or "&hellip;" in lower or (
        "read" in lower and ("continue reading" in lower or "read more" in lower or "read the " in lower)
    )
    if not signs and (tail.isascii() or not _ODD_I.search(tail)):
        return False
    return _ENDS_CUT.search(tail) is not None


# A tag (or comment) whose name is in _DROPPED_TAGS, ignoring ASCII case: "<" then the name in
# ASCII letters and digits, ending where those end ("<scripts" is another tag).
_DROPPED_TAG = re.compile(
    "<(?:!--|(?:" + "|".join(sorted(t for t in _DROPPED_TAGS if t != "!--")) + ")(?![a-zA-Z0-9]))",
    re.IGNORECASE | re.ASCII,
)
# In an ASCII text's lower case, which moves no character, both searches at once, case-sensitive: a
# stray "<" (`_STRAY_LT`, whose letters match either case) or a dropped tag. Both start at "<", which
# re scans for fast: one scan at less than half the cost of the two (most feed HTML is ASCII, and its
# lower case is wanted below anyway).
_STRAY_OR_DROPPED_IN_LOWER = re.compile(r"<(?:(?![a-zA-Z/!?])|" + _DROPPED_TAG.pattern[1:] + ")", re.ASCII)


def _dropped_markup(text: str) -> bool:
    """Whether the cleaner's parse could see other text than the regex: a dropped tag, something
    hidden, a stray "<", a class or id naming page furniture, or a picture in a span (a hover card)."""
    lower = text.lower()
    if text.isascii():
        if _STRAY_OR_DROPPED_IN_LOWER.search(lower) is not None:
            return True
    elif _DROPPED_TAG.search(text) is not None or _STRAY_LT.search(text) is not None:
        return True
    if "hidden" in lower:
        return True
    if " class=" not in lower and " id=" not in lower:
        return False
    # Most feed HTML with classes has none the cleaner drops ("wp-image-12", "aligncenter"): parsing it
    # cost 100–200 µs an entry, in every refresh of such feeds. It is parsed when it could read otherwise:
    # a picture in a span (a hover card), a tag left open, a class naming furniture.
    if ("<img" in lower and "<span" in lower) or _UNCLOSED_TAG.search(text) is not None:
        return True
    # (an entity in a value: the parse decodes it, and may find a word there)
    return any("&" in value or class_words(value) & FURNITURE for value in set(_mark_values(text, lower)))


def _mark_values(text: str, lower: str) -> Iterator[str]:
    """The values of the text's class and id attributes, as written (`lower`: the text lower-cased)."""
    where = lower if len(lower) == len(text) else text  # the same places: each character lower-cased alone
    for pattern in _MARKS if where is lower else _MARKS_ANY_CASE:
        for mark in pattern.finditer(where):
            before = where[mark.start() - 1] if mark.start() else " "
            if before.isalnum() or before in "-_":
                continue  # the end of another name ("subclass=", "valid=")
            group = next(g for g in (1, 2, 3) if mark.start(g) >= 0)
            yield text[mark.start(group):mark.end(group)]


def _cut_sign(end: str) -> bool:
    """Whether a text's last 400 characters (`end`) could end cut (`_ends_cut` of its `_tail`, which
    is made from them): False when they hold none of its signs, nor a letter it reads as one.
    Whitespace is all `_tail` changes, and no sign but those with "read" holds any."""
    lower = end.lower()
    return "…" in lower or "..." in lower or "&hellip;" in lower or "read" in lower or (
        not end.isascii() and _ODD_I.search(end) is not None
    )


def _tail(plain: str) -> str:
    """`" ".join(plain[-400:].split())[-200:]`, from 220 characters when their words make 200:
    the words of a shorter end are the last words of the longer one's (the first perhaps cut)."""
    near = " ".join(plain[-220:].split())
    if len(near) >= 200:
        return near[-200:]
    return " ".join(plain[-400:].split())[-200:]


def is_summary(entry_html_or_text: str) -> bool:
    """True when a feed entry holds only a teaser (short, or cut off with "…" / "Read more"): fetch the page."""
    if not entry_html_or_text or entry_html_or_text.isspace():
        return True
    text = entry_html_or_text
    if MARKUP.search(text):
        # Tags dropped by a regex answer it without a parse when that cannot differ. Markup only
        # ever adds words to the regex's count, so fewer than SUMMARY_WORDS is a teaser either way;
        # more, with nothing the parse would drop, is decided by the same test of its end.
        plain = _ANY_TAG.sub(" ", text[:MAX_BYTES])
        if "&" in plain:
            plain = html.unescape(plain)
        if len(plain.split(None, SUMMARY_WORDS)) < SUMMARY_WORDS:
            return True
        if not _dropped_markup(text[:MAX_BYTES]):
            return _cut_sign(plain[-400:]) and _ends_cut(_tail(plain))
        from tui.core.article.locate import visible_text

        visible = visible_text(text[:MAX_BYTES])
        if visible is None:
            return True
        text = visible
    # The words of clean_line(text), split once; the last 200 characters of their line are
    # those of the last 200 words' (each word is at least a character).
    words = normalize(text).split()
    if len(words) < SUMMARY_WORDS:
        return True
    return _ends_cut(" ".join(words[-200:])[-200:])
