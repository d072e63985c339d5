"""Feeds: fetch (httpx) → parse (lxml fast path, else feedparser; JSON Feed) → refresh (into the store); subscriptions (URLs, OPML).

Public names load on first use, so importing this package costs nothing until a feed is fetched.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tui.core.feeds.client import make_fetcher
    from tui.core.feeds.fetch import Fetcher
    from tui.core.feeds.parse import FeedError, html_to_text, parse_feed
    from tui.core.feeds.refresh import FeedOutcome, RefreshReport, refresh_feeds
    from tui.core.feeds.subscriptions import (
        Subscription,
        SubscriptionError,
        import_into,
        normalise_url,
        read_subscriptions,
        to_opml,
    )

_WHERE = {
    "make_fetcher": "client",
    "Fetcher": "fetch",
    "FeedError": "parse",
    "html_to_text": "parse",
    "parse_feed": "parse",
    "FeedOutcome": "refresh",
    "RefreshReport": "refresh",
    "refresh_feeds": "refresh",
    "Subscription": "subscriptions",
    "SubscriptionError": "subscriptions",
    "import_into": "subscriptions",
    "normalise_url": "subscriptions",
    "read_subscriptions": "subscriptions",
    "to_opml": "subscriptions",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(f"{__name__}.{_WHERE[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
