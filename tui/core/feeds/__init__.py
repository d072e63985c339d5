"""Feeds: fetch (HTTP/1.1 on asyncio) → parse (lxml fast path, else feedparser) → refresh (into the store); subscriptions.

Public names load on first use, so importing this package costs nothing until a feed is fetched.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui.core.lazy import exports

if TYPE_CHECKING:
    from tui.core.feeds.client import make_fetcher as make_fetcher
    from tui.core.feeds.demo import DEMO_FEED_URL as DEMO_FEED_URL
    from tui.core.feeds.demo import DEMO_TITLE as DEMO_TITLE
    from tui.core.feeds.enclosures import DownloadJob as DownloadJob
    from tui.core.feeds.enclosures import DownloadQueue as DownloadQueue
    from tui.core.feeds.enclosures import DownloadResult as DownloadResult
    from tui.core.feeds.enclosures import EnclosureError as EnclosureError
    from tui.core.feeds.enclosures import describe_enclosure as describe_enclosure
    from tui.core.feeds.enclosures import download as download
    from tui.core.feeds.enclosures import open_enclosure as open_enclosure
    from tui.core.feeds.enclosures import plan_downloads as plan_downloads
    from tui.core.feeds.fetch import Fetcher as Fetcher
    from tui.core.feeds.parse import FeedError as FeedError
    from tui.core.feeds.parse import html_to_text as html_to_text
    from tui.core.feeds.parse import parse_feed as parse_feed
    from tui.core.feeds.refresh import FeedOutcome as FeedOutcome
    from tui.core.feeds.refresh import RefreshReport as RefreshReport
    from tui.core.feeds.refresh import is_due as is_due
    from tui.core.feeds.refresh import refresh_feeds as refresh_feeds
    from tui.core.feeds.rules import FeedRules as FeedRules
    from tui.core.feeds.subscriptions import Subscription as Subscription
    from tui.core.feeds.subscriptions import SubscriptionError as SubscriptionError
    from tui.core.feeds.subscriptions import import_into as import_into
    from tui.core.feeds.subscriptions import normalise_url as normalise_url
    from tui.core.feeds.subscriptions import read_subscriptions as read_subscriptions
    from tui.core.feeds.subscriptions import to_opml as to_opml

_WHERE = {
    "make_fetcher": "client",
    "DEMO_FEED_URL": "demo",
    "DEMO_TITLE": "demo",
    "DownloadJob": "enclosures",
    "DownloadQueue": "enclosures",
    "DownloadResult": "enclosures",
    "EnclosureError": "enclosures",
    "describe_enclosure": "enclosures",
    "download": "enclosures",
    "open_enclosure": "enclosures",
    "plan_downloads": "enclosures",
    "Fetcher": "fetch",
    "FeedError": "parse",
    "html_to_text": "parse",
    "parse_feed": "parse",
    "FeedOutcome": "refresh",
    "RefreshReport": "refresh",
    "is_due": "refresh",
    "refresh_feeds": "refresh",
    "FeedRules": "rules",
    "Subscription": "subscriptions",
    "SubscriptionError": "subscriptions",
    "import_into": "subscriptions",
    "normalise_url": "subscriptions",
    "read_subscriptions": "subscriptions",
    "to_opml": "subscriptions",
}

__all__ = sorted(_WHERE)
__getattr__ = exports(__name__, _WHERE)
