"""Record-based models and sources behave as the plain frozen dataclasses they replace: repr, equality, hashing, immutability."""

from __future__ import annotations

import copy
import dataclasses
import pickle
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


def test_records_are_made_from_arguments_defaults_and_factories() -> None:
    assert FetchConfig(64, 4) == FetchConfig(max_connections=64, per_host=4)
    assert FetchConfig(64).per_host == 2
    first, second = Config(), Config()
    assert first.keys == {} and first.keys is not second.keys  # a fresh default each time
    assert first.fetch == FetchConfig() and first.fetch is not second.fetch
    with pytest.raises(TypeError):
        FeedSource()  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        FeedSource(1, 2)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        FeedSource(feed=1)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        FetchConfig(64, max_connections=32)  # type: ignore[misc]


def test_records_survive_pickling_and_copies() -> None:
    config = Config(reader=ReaderConfig(refresh_on_start=False), keys={"save": "ctrl+s"})
    for copied in (pickle.loads(pickle.dumps(config)), copy.copy(config), copy.deepcopy(config)):
        assert copied == config and copied.reader.refresh_on_start is False
    source = Filtered(Query("Harbour", "title:harbour"), "unread")
    assert pickle.loads(pickle.dumps(source)) == source
    entry = Entry(1, 2, "g", "Title")
    assert pickle.loads(pickle.dumps(entry)) == entry
