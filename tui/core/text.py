"""Text hygiene for everything that leaves the core: control characters, whitespace, Unicode form."""

from __future__ import annotations

import re
import unicodedata

# C0 controls except \t \n, DEL, C1 controls (which include CSI 0x9b), and the Unicode
# bidi overrides/isolates that can reorder what a terminal shows.
_CONTROL = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]"
)
# Zero-width characters that hide text or split words; ZWJ (\u200d) is kept for emoji sequences.
_ZERO_WIDTH = re.compile("[\u200b\u200c\u2060\ufeff\u00ad]")
# Terminal escape sequences: CSI, OSC (to BEL or ST), and other two-character escapes.
_ESCAPE_SEQ = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"  # DCS/SOS/PM/APC
    r"|\x1b[@-Z\\-_]"  # Fe escapes
)
# C0 controls that lxml keeps in parsed text but refuses to set again (tab and newlines excluded).
C0_IN_MARKUP = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
# Any character one of the above could remove, or a carriage return: most text has none, and is
# then returned as it is after one scan instead of four.
_ANY_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\u200b\u200c\u2060\ufeff\u00ad]"
)
_SAFE_ASCII = bytes(range(0x20, 0x7F)) + b"\t\n"
_SPACES = re.compile(r"[^\S\n]+")
_BLANK_LINES = re.compile(r"\n\s*\n\s*(?:\n\s*)*")


def strip_control(text: str) -> str:
    """Remove terminal escape sequences and C0/C1 control characters (keeps tab and newline)."""
    if not text:
        return ""
    if text.isascii():
        # Deleting every printable byte, tab and newline leaves what there is to strip (~9× faster
        # than the regex on a page of text).
        if not text.encode("ascii").translate(None, _SAFE_ASCII):
            return text
    elif not _ANY_UNSAFE.search(text):
        return text
    if "\x1b" in text:
        text = _ESCAPE_SEQ.sub("", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    return _ZERO_WIDTH.sub("", text)


def normalize(text: str) -> str:
    """NFC-normalise and strip control characters; whitespace is left as it is."""
    if not text:
        return ""
    # ASCII text is already in NFC (the check is a flag, not a scan).
    return strip_control(text if text.isascii() else unicodedata.normalize("NFC", text))


def clean_line(text: str | None) -> str:
    """One display line: hygiene, then all whitespace runs (newlines included) to one space."""
    if not text:
        return ""
    # Every whitespace run (tab and newline too) to one space, none at the ends: what str.split
    # gives, since re's \s and str.isspace agree.
    return " ".join(normalize(text).split())


def clean_paragraph(text: str | None) -> str:
    """A paragraph: hygiene, spaces collapsed, line breaks kept, at most one blank line."""
    if not text:
        return ""
    text = normalize(text).replace("\t", " ")
    text = _SPACES.sub(" ", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", text).strip()


def counted(count: int, noun: str, nouns: str = "") -> str:
    """'1 entry', '2 entries': `nouns` is the plural when it is not `noun` + s."""
    return f"{count} {noun if count == 1 else nouns or noun + 's'}"


def place_kind(kind: str) -> str:
    """A place's kind as a reader reads it: the gazetteer's "other" (a lake, a river, a neighbourhood)
    means nothing to one, so it is a "place"."""
    return "place" if kind == "other" else clean_line(kind)


def truncate(text: str, width: int, ellipsis: str = "…") -> str:
    """Cut `text` to at most `width` characters, ending with an ellipsis when cut."""
    if width <= 0:
        return ""
    if len(text) <= width:
        return text
    return text[: max(0, width - len(ellipsis))].rstrip() + ellipsis
