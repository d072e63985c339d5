"""The one configured HTTP fetcher of a run, with the demo site served from package data."""

from __future__ import annotations

from tui import USER_AGENT
from tui.core.config import Config
from tui.core.feeds.demo import RoutingTransport
from tui.core.feeds.fetch import Fetcher, PerHostTransport


def make_fetcher(config: Config) -> Fetcher:
    """A Fetcher built from the config; the CLI, the app and the tests all get theirs here."""
    f = config.fetch
    network = PerHostTransport(f.per_host, retries=0)
    return Fetcher(
        user_agent=USER_AGENT,
        connect_timeout=f.connect_timeout,
        read_timeout=f.read_timeout,
        deadline=f.deadline,
        max_bytes=f.max_bytes,
        max_redirects=f.max_redirects,
        max_connections=f.max_connections,
        per_host=f.per_host,
        transport=RoutingTransport(network),
    )
