"""Record-based models and sources behave as the plain frozen dataclasses they replace: repr, equality, hashing, immutability."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest

from tui.core.config import Config, FetchConfig, ReaderConfig
from tui.core.models import Block, Entry, Feed, Place, Quote
from tui.sources import ALL, STARRED, AllEntries, FeedSource, Filtered, Query, Search


def test_repr_names_the_class_and_every_field_in_order() -> None:
    quote = Quote("We will keep going", "Maria Lopez", 10, 28)
    assert repr(quote) == "Quote(text='We will keep going', speaker='Maria Lopez', start=10, end=28, partial=False)"
    assert repr(ALL) == "AllEntries()"
    assert repr(Filtered(FeedSource(3), "unread")) == "Filtered(inner=FeedSource(feed_id=3), expression='unread')"


def test_equal_fields_make_equal_records_of_the_same_class_only() -> None:
    assert FeedSource(3) == FeedSource(3)
    assert FeedSource(3) != FeedSource(4)
    assert AllEntries() == ALL
    assert ALL != STARRED  # no fields on either, but not the same kind of source
    assert Search("harbour") != Query("harbour", "harbour")
    assert FeedSource(3) != 3
    assert FeedSource(3) != (3,)
    assert Block("paragraph", "Madrid.") == Block("paragraph", "Madrid.")
    assert Block("paragraph", "Madrid.") != Block("heading", "Madrid.")


def test_equal_records_hash_alike_and_work_as_keys() -> None:
    queries = {Query("Harbour", "title:harbour"): 4, FeedSource(2): 7}
    assert queries[Query("Harbour", "title:harbour")] == 4
    assert queries[FeedSource(2)] == 7
    assert len({ALL, AllEntries(), STARRED}) == 2
    when = datetime(2026, 12, 2, tzinfo=UTC)
    place = Place("Madrid", "city", "ES", spans=((3, 9),))
    assert hash(place) == hash(Place("Madrid", "city", "ES", spans=((3, 9),)))
    assert Entry(1, 2, "g", "Title", published=when) in {Entry(1, 2, "g", "Title", published=when)}


def test_records_stay_frozen() -> None:
    feed = Feed(1, "https://feeds.example/a.xml")
    with pytest.raises(dataclasses.FrozenInstanceError):
        feed.title = "Changed"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        del feed.url  # type: ignore[misc]


def test_dataclass_helpers_still_work() -> None:
    config = Config(reader=ReaderConfig(refresh_on_start=False))
    changed = dataclasses.replace(config, fetch=dataclasses.replace(config.fetch, per_host=4))
    assert changed.fetch == FetchConfig(per_host=4)
    assert changed.reader == config.reader
    assert changed != config
    assert [f.name for f in dataclasses.fields(Quote)] == ["text", "speaker", "start", "end", "partial"]
    assert dataclasses.asdict(Quote("Yes", None, 0, 3)) == {
        "text": "Yes", "speaker": None, "start": 0, "end": 3, "partial": False,
    }
    match FeedSource(5):
        case FeedSource(feed_id):
            assert feed_id == 5
