"""The one configured HTTP fetcher of a run, with the demo site served from package data."""

from __future__ import annotations

from tui import USER_AGENT
from tui.core.config import Config
from tui.core.feeds.demo import DEMO_HOST, serve_demo
from tui.core.feeds.fetch import Fetcher


def make_fetcher(config: Config) -> Fetcher:
    """A Fetcher built from the config; the CLI, the app and the tests all get theirs here."""
    f = config.fetch
    return Fetcher(
        user_agent=USER_AGENT,
        connect_timeout=f.connect_timeout,
        read_timeout=f.read_timeout,
        deadline=f.deadline,
        max_bytes=f.max_bytes,
        max_redirects=f.max_redirects,
        max_connections=f.max_connections,
        per_host=f.per_host,
        local={DEMO_HOST: serve_demo},
    )
