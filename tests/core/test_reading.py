"""An entry's Reading: the feed's own HTML, or the linked page fetched in full, cleaned and extracted once."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.httpserver import FeedServer, Route
from tui.core.config import Config
from tui.core.feeds.client import make_fetcher
from tui.core.models import ParsedEntry, ParsedFeed
from tui.core.reading import load_reading, rules_digest
from tui.core.store import Store

PAGE = (Path(__file__).resolve().parents[1] / "fixtures" / "pages" / "autoblog-harbour.html").read_bytes()
FULL = "".join(
    f"<p>Paragraph {i}: the ferry operator said crossings to the northern islands would resume on "
    f"Thursday after crews accepted a new roster, ending a strike that stranded hundreds.</p>"
    for i in range(8)
)


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as srv:
        yield srv


def stored_entry(store: Store, link: str, *, summary: str = "", content: str = "", guid: str = "e1"):
    feed, _ = store.add_feed("https://pelican.example/feed")
    item = ParsedEntry(guid=guid, title="Harbour Town Opens Floating Solar Farm", link=link,
                       summary=summary, content=content, content_hash=f"h-{guid}-{len(content)}",
                       published=datetime(2024, 3, 5, tzinfo=UTC), author="Desk")
    store.apply_refresh(feed.id, checked_at=datetime.now(UTC), status="ok", error=None,
                        parsed=ParsedFeed(kind="rss", title="Pelican", entries=(item,)))
    return next(e for e in store.entries() if e.guid == guid)


async def test_a_summary_fetches_the_linked_page_once(server: FeedServer, tmp_path: Path) -> None:
    link = server.route("/solar", Route(body=PAGE, content_type="text/html; charset=utf-8"))
    with Store(tmp_path / "s.db") as store:
        entry = stored_entry(store, link, summary="Harbour Town switched on a floating solar farm… [Continue reading]")
        async with make_fetcher(Config()) as fetcher:
            article = (await load_reading(store, fetcher, entry)).article
            again = (await load_reading(store, fetcher, entry)).article
        assert "The array of 9,000 panels rests on plastic pontoons" in article.text
        assert "Estimated reading time" not in article.text and article.reason is None
        assert again == article
        assert len(server.requests_to("/solar")) == 1  # cleaned once, then read from the store
        assert store.get_reading(entry.id, rules_digest()) is not None
        assert [e.id for e in store.search("pontoons")] == [entry.id]  # the full text is searchable


async def test_full_content_in_the_feed_is_used_without_fetching(server: FeedServer, tmp_path: Path) -> None:
    link = server.route("/ferry", Route(body=PAGE, content_type="text/html"))
    with Store(tmp_path / "s.db") as store:
        entry = stored_entry(store, link, summary="Crossings resume.", content=FULL)
        async with make_fetcher(Config()) as fetcher:
            article = (await load_reading(store, fetcher, entry)).article
        assert article.text.startswith("Paragraph 0: the ferry operator said")
        assert article.byline == "Desk" and article.site_name == "Pelican" and article.url == link
        assert server.requests_to("/ferry") == []


async def test_a_failed_page_shows_the_summary_with_the_reason_and_is_tried_again(
    server: FeedServer, tmp_path: Path
) -> None:
    link = server.url("/missing")
    with Store(tmp_path / "s.db") as store:
        entry = stored_entry(store, link, summary="Harbour Town switched on a floating solar farm. Read more")
        async with make_fetcher(Config()) as fetcher:
            article = (await load_reading(store, fetcher, entry)).article
            await load_reading(store, fetcher, entry)
        assert "floating solar farm" in article.text
        assert article.reason == ("Showing the feed's summary: the full article could not be fetched: "
                                  "HTTP 404 Not Found.")
        assert store.get_reading(entry.id, rules_digest()) is None
        assert len(server.requests_to("/missing")) == 2


async def test_changed_entry_text_is_cleaned_again(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        entry = stored_entry(store, "https://pelican.example/a", content=FULL)
        first = (await load_reading(store, None, entry)).article
        assert store.get_reading(entry.id, rules_digest()) is not None
        changed = FULL.replace("Paragraph 0:", "Update:")
        stored_entry(store, "https://pelican.example/a", content=changed)
        assert store.get_reading(entry.id, rules_digest()) is None  # the stale copy is gone
        second = (await load_reading(store, None, store.entry(entry.id))).article
        assert first.text.startswith("Paragraph 0:") and second.text.startswith("Update:")


async def test_a_page_cleaned_under_older_rules_still_opens_offline(server: FeedServer, tmp_path: Path) -> None:
    link = server.route("/solar", Route(body=PAGE, content_type="text/html; charset=utf-8"))
    with Store(tmp_path / "s.db") as store:
        entry = stored_entry(store, link, summary="Harbour Town switched on a floating solar farm… [Continue reading]")
        async with make_fetcher(Config()) as fetcher:
            await load_reading(store, fetcher, entry)
        # An upgrade changes the rules (another digest): the stored reading is stale, not useless.
        data = store.get_reading(entry.id, rules_digest())
        assert data is not None
        store.put_reading(entry.id, "older-rules", data, "")
        assert store.get_reading(entry.id, rules_digest()) is None
        server.route("/solar", Route(body=b"gone", status=503, content_type="text/plain"))
        async with make_fetcher(Config()) as fetcher:
            offline = (await load_reading(store, fetcher, entry)).article
        assert "The array of 9,000 panels rests on plastic pontoons" in offline.text
        # With the page back, it is cleaned again under the current rules and cached.
        server.route("/solar", Route(body=PAGE, content_type="text/html; charset=utf-8"))
        async with make_fetcher(Config()) as fetcher:
            await load_reading(store, fetcher, entry)
        assert store.get_reading(entry.id, rules_digest()) is not None
