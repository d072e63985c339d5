"""Parsed feeds cross to the refresh's writer process as pickles: every field must arrive."""

from __future__ import annotations

import copy
import dataclasses
import pickle
from datetime import UTC, datetime

import pytest

from tui.core.documents import Enclosure, ParsedEntry, ParsedFeed


def _full_feed() -> ParsedFeed:
    when = datetime(2026, 12, 3, 4, 5, 6, tzinfo=UTC)
    entry = ParsedEntry(
        guid="g-1", title="Harbour reopens", link="https://example.org/1", author="A. Writer",
        published=when, updated=when.replace(hour=7), summary="<p>Short.</p>", content="<p>Long text.</p>",
        content_hash="abc123", enclosures=(Enclosure("https://example.org/a.mp3", "audio/mpeg", 1234, 60),),
    )
    return ParsedFeed(kind="rss", title="Example", site_url="https://example.org/", entries=(entry,),
                      ttl=30, warning="damaged")


@pytest.mark.parametrize("cls", [Enclosure, ParsedEntry, ParsedFeed])
def test_every_field_of_a_parsed_record_survives_pickling_and_copying(cls: type) -> None:
    feed = _full_feed()
    value = {ParsedFeed: feed, ParsedEntry: feed.entries[0], Enclosure: feed.entries[0].enclosures[0]}[cls]
    # no field at its default: a field left out of the pickle would come back as its default
    for f in dataclasses.fields(cls):
        assert getattr(value, f.name) != f.default, f.name
    for protocol in range(2, pickle.HIGHEST_PROTOCOL + 1):
        again = pickle.loads(pickle.dumps(value, protocol))
        assert type(again) is cls and again == value
        assert [getattr(again, f.name) for f in dataclasses.fields(cls)] == [
            getattr(value, f.name) for f in dataclasses.fields(cls)]
    assert copy.copy(value) == value and copy.deepcopy(value) == value
