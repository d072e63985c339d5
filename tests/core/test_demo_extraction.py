"""Quotes and places on the bundled demo articles: cleaned as the app cleans them, checked against expected.json."""

from __future__ import annotations

import json
import re
import unicodedata
from importlib.resources import files

import pytest

from tui.core.article import extract_article
from tui.core.language.places import extract_places
from tui.core.language.quotes import extract_quotes

DEMO = files("tui.demo")
EXPECTED = json.loads(DEMO.joinpath("expected.json").read_text(encoding="utf-8"))
SLUGS = [case["slug"] for case in EXPECTED]
# The scorer's rule for a speaker's head noun: cut at a comma or a post-modifier, take the last word.
_CUT = re.compile(r",|\b(?:for|of|at|in|inside|with|from|on|to|who|which|signed)\b")


def norm(s: str) -> str:
    s = unicodedata.normalize("NFKD", s.replace("’", "'"))
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    s = " ".join(re.sub(r"[^0-9a-z]+", " ", s).split())
    return s[4:] if s.startswith("the ") else s


def head(speaker: str) -> str:
    words = norm(_CUT.split(speaker.replace("’", "'"))[0]).split()
    if words and words[0] in {"a", "an", "the"}:
        words = words[1:]
    last = words[-1] if words else ""
    return last[:-2] if last.endswith(" s") else last


@pytest.fixture(scope="module")
def cleaned() -> dict[str, str]:
    out = {}
    for case in EXPECTED:
        html = DEMO.joinpath("pages", f"{case['slug']}.html").read_bytes()
        out[case["slug"]] = extract_article(html, case["url"]).text
    return out


@pytest.mark.parametrize("slug", SLUGS)
def test_every_quote_is_found_with_its_speaker(slug: str, cleaned: dict[str, str]) -> None:
    case = next(c for c in EXPECTED if c["slug"] == slug)
    text = cleaned[slug]
    found = {q.text: q for q in extract_quotes(text)}
    for gold in case["quotes"]:
        assert gold["text"] in found, f"quote not found: {gold['text'][:60]!r}"
        q = found[gold["text"]]
        accepted = {head(s) for s in [gold["speaker"], *gold.get("speaker_alts", [])]}
        assert q.speaker is not None and head(q.speaker) in accepted, (gold["text"][:40], q.speaker, accepted)
        assert q.partial == gold["partial"], gold["text"][:40]
        assert text[q.start:q.end] == q.text


@pytest.mark.parametrize("slug", SLUGS)
def test_names_and_terms_in_quote_marks_are_not_quotes(slug: str, cleaned: dict[str, str]) -> None:
    case = next(c for c in EXPECTED if c["slug"] == slug)
    quoted = {q.text for q in extract_quotes(cleaned[slug])}
    assert quoted == {q["text"] for q in case["quotes"]}
    assert not quoted & set(case["not_quotes"])


@pytest.mark.parametrize("slug", SLUGS)
def test_every_place_is_found_and_nothing_else(slug: str, cleaned: dict[str, str]) -> None:
    case = next(c for c in EXPECTED if c["slug"] == slug)
    gold = {norm(p["name"]): p for p in case["places"]}
    unmatched = set(gold)
    for place in extract_places(cleaned[slug]):
        # Like the gold scorer: a prediction matches a gold place by its name or by what the text wrote.
        keys = {norm(place.name), *(norm(s) for s in place.surfaces)}
        match = next((k for k in keys if k in gold), None)
        assert match is not None, f"not a place of this article: {place.name} {place.surfaces}"
        unmatched.discard(match)
        if place.country is not None and gold[match]["country"] is not None:
            assert place.country == gold[match]["country"], place.name
    assert not unmatched, f"places missed: {sorted(unmatched)}"
