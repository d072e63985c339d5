"""The bundled demo: package data served through the normal fetch path, offline."""

from __future__ import annotations

import json
from importlib import resources

from tui.core.config import Config
from tui.core.feeds.client import make_fetcher
from tui.core.feeds.demo import DEMO_FEED_URL
from tui.core.feeds.parse import parse_feed


async def test_demo_feed_is_fetched_and_parsed_through_the_normal_path() -> None:
    async with make_fetcher(Config()) as fetcher:
        first = await fetcher.fetch(DEMO_FEED_URL)
        assert first.ok and first.status == 200 and first.etag
        feed = parse_feed(first.body, url=DEMO_FEED_URL, headers=first.headers)
        assert feed.title.startswith("The Daily Relay") and len(feed.entries) == 7
        again = await fetcher.fetch(DEMO_FEED_URL, etag=first.etag)
        assert again.not_modified and again.status == 304
        for entry in feed.entries:
            page = await fetcher.fetch(entry.link or "")
            assert page.ok and b"<html" in page.body.lower(), entry.link
        missing = await fetcher.fetch("https://demo.newswire.invalid/wp-content/logo.png")
        assert not missing.ok and "404" in (missing.error or "")


def test_expected_file_lists_every_page() -> None:
    expected = json.loads(resources.files("tui.demo").joinpath("expected.json").read_text("utf-8"))
    pages = {p.name for p in resources.files("tui.demo").joinpath("pages").iterdir()}
    assert {f"{e['slug']}.html" for e in expected} == pages
