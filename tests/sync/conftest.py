"""Fixtures for the sync tests: one real Miniflux + PostgreSQL per session, a feed server, a user each."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.httpserver import FeedServer, Route
from tests.sync.servers import REQUIRE_VARIABLE, Miniflux, Postgres, Unavailable, User, find_miniflux


def rss(title: str, items: list[tuple[str, str, str]], *, start: datetime | None = None) -> bytes:
    """An RSS document with (guid, title, html) items, one minute apart, newest first."""
    start = start or datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
    parts = [(f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>{title}</title>"
              f"<link>http://127.0.0.1/{title}</link><description>d</description>")]
    for n, (guid, item_title, html) in enumerate(items):
        when = (start - timedelta(minutes=n)).strftime("%a, %d %b %Y %H:%M:%S +0000")
        parts.append(
            f"<item><guid isPermaLink='false'>{guid}</guid><title>{item_title}</title>"
            f"<link>http://127.0.0.1/{title}/{guid}</link><pubDate>{when}</pubDate>"
            f"<description><![CDATA[{html}]]></description></item>"
        )
    parts.append("</channel></rss>")
    return "".join(parts).encode()


@pytest.fixture(scope="session")
def miniflux() -> Iterator[Miniflux]:
    postgres: Postgres | None = None
    try:
        find_miniflux()  # before a cluster directory is made for nothing
        postgres = Postgres()
        server = Miniflux(postgres)
    except Unavailable as exc:
        if postgres is not None:
            postgres.stop()
        if os.environ.get(REQUIRE_VARIABLE) == "1":
            pytest.fail(f"{REQUIRE_VARIABLE}=1 but the sync server cannot run: {exc}")
        pytest.skip(f"sync server tests need Go's Miniflux and PostgreSQL: {exc}")
    try:
        postgres.start()
        server.start()
        yield server
    finally:
        server.stop()
        postgres.stop()


@pytest.fixture(scope="session")
def feeds() -> Iterator[FeedServer]:
    with FeedServer() as server:
        yield server


@pytest.fixture
def feed(feeds: FeedServer, request: pytest.FixtureRequest) -> Callable[..., str]:
    """Serve an RSS feed at a path unique to the test; returns its URL. Call again to change it."""
    prefix = "/" + request.node.name.replace("[", "-").replace("]", "")

    def make(name: str, items: list[tuple[str, str, str]]) -> str:
        return feeds.route(f"{prefix}/{name}.xml", Route(body=rss(name, items)))

    return make


def write_config(home: Path, server: str, url: str, user: str, password: str) -> None:
    secret = home / "secret"
    secret.write_text(password + "\n")
    secret.chmod(0o600)
    (home / "config.toml").write_text(
        f'[sync]\nserver = "{server}"\nurl = "{url}"\nuser = "{user}"\npassword_file = "{secret}"\n'
    )


@pytest.fixture
def account(miniflux: Miniflux) -> User:
    return miniflux.new_user(greader=True)


@pytest.fixture(params=["miniflux", "greader"])
def protocol(request: pytest.FixtureRequest, miniflux: Miniflux, account: User, newswire_home: Path) -> str:
    """Both protocols against the same server: the home's config points at this test's account."""
    if request.param == "miniflux":
        write_config(newswire_home, "miniflux", miniflux.url, account.name, account.password)
    else:
        write_config(newswire_home, "greader", miniflux.url, account.greader_user, account.greader_password)
    return str(request.param)
