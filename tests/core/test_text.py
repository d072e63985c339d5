"""Text hygiene: nothing that can drive a terminal leaves the core."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from tui.core.text import clean_line, clean_paragraph, normalize, strip_control, truncate

FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200b\ufeff]")


def test_escape_sequences_are_removed_whole() -> None:
    assert strip_control("\x1b[31mred\x1b[0m text") == "red text"
    assert strip_control("a\x1b]8;;http://evil/\x1b\\link\x1b]8;;\x1b\\b") == "alinkb"
    assert strip_control("title\x1b]0;pwned\x07!") == "title!"
    assert strip_control("x\x9b31my") == "x31my"  # C1 CSI cannot start a sequence


def test_bidi_and_zero_width_are_removed_but_emoji_joiners_stay() -> None:
    assert strip_control("abc\u202edcba\u202c") == "abcdcba"
    assert strip_control("in\u200bvisible") == "invisible"
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    assert strip_control(family) == family


def test_lines_and_paragraphs() -> None:
    assert clean_line("  Port\tstrike\n ends \r\n") == "Port strike ends"
    assert clean_paragraph("one  two\n\n\n\nthree\r\nfour") == "one two\n\nthree\nfour"
    assert normalize("e\u0301") == "\u00e9"


def test_truncate() -> None:
    assert truncate("abcdef", 4) == "abc…"
    assert truncate("abc", 4) == "abc"
    assert truncate("abc", 0) == ""


@given(st.text())
def test_no_control_character_survives_any_input(text: str) -> None:
    for out in (strip_control(text), clean_line(text), clean_paragraph(text), normalize(text)):
        assert not FORBIDDEN.search(out)
        assert "\x1b" not in out
    assert "\n" not in clean_line(text)
