"""Word lists for the language rules, read once from plain data files in tui/core/data/lexicon/."""

from __future__ import annotations

from functools import cache
from importlib import resources

__all__ = ["LEXICON_NAMES", "lexicon", "lexicon_digest"]

# Every list shipped in tui/core/data/lexicon/<name>.txt. One place per list: quotes (and, later,
# places) read them here instead of keeping their own copies.
LEXICON_NAMES: tuple[str, ...] = (
    "abbreviations",
    "auxiliaries",
    "conjunctions",
    "determiners",
    "female",
    "female_names",
    "given_names",
    "indefinites",
    "intro_words",
    "irregular_past",
    "male",
    "male_names",
    "non_speakers",
    "offices",
    "organisation_nouns",
    "passive_auxiliaries",
    "person_nouns",
    "place_names",
    "prepositions",
    "pronouns",
    "speech_nouns",
    "speech_participles",
    "speech_phrasal",
    "speech_verbs",
    "speech_verbs_not_invertible",
    "speech_verbs_trailing",
    "time_words",
    "titles",
    "verb_stops",
    "weekdays",
    "wire_services",
)


def _read(name: str) -> str:
    return resources.files("tui.core.data").joinpath("lexicon", f"{name}.txt").read_text(encoding="utf-8")


@cache
def lexicon(name: str) -> frozenset[str]:
    """The entries of one list: one word or phrase per line, `#` starts a comment, blank lines skipped.

    Entries keep their case as written (the files are lower case), so callers decide how to fold.
    """
    if name not in LEXICON_NAMES:
        raise KeyError(f"no lexicon named {name!r}")
    entries: set[str] = set()
    for line in _read(name).splitlines():
        entry = line.split("#", 1)[0].strip()
        if entry:
            entries.add(entry)
    return frozenset(entries)


@cache
def lexicon_digest() -> str:
    """A short digest of every list, for caches of results that depend on them."""
    import hashlib

    h = hashlib.sha256()
    for name in LEXICON_NAMES:
        h.update(name.encode())
        h.update(_read(name).encode("utf-8"))
    return h.hexdigest()[:16]
