"""Per-feed rules applied at refresh: kill rules (`ignore-article`) and per-feed settings from the config."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from tui.core.models import Feed, ParsedEntry, ParsedFeed

if TYPE_CHECKING:
    from tui.core.config import Config, FeedConfig, IgnoreConfig
    from tui.core.filters import Filter
    from tui.core.store import Store

__all__ = ["FeedRules", "FeedSettings", "KillRule", "apply_kill_rules"]

_SEP = "\x1f"


@dataclass(frozen=True, slots=True)
class KillRule:
    """Hide entries of `feed` ("*": every feed) that match `filter`."""

    feed: str
    filter: Filter

    def applies_to(self, feed_url: str) -> bool:
        return self.feed == "*" or self.feed == feed_url


@dataclass(frozen=True, slots=True)
class FeedSettings:
    """What the config says about one feed; None means "as the global setting"."""

    refresh_interval: int | None = None
    full_text: bool | None = None
    prefetch: bool | None = None
    headers: dict[str, str] = field(default_factory=dict)  # user_agent is a User-Agent entry here
    title: str | None = None
    hidden: bool = False


def _same_url(a: str, b: str) -> bool:
    from tui.core.feeds.subscriptions import normalise_url

    try:
        return normalise_url(a) == normalise_url(b)
    except ValueError:
        return a == b


class FeedRules:
    """Kill rules and per-feed settings, resolved per feed (tag settings first, then URL ones)."""

    def __init__(
        self, kill_rules: Sequence[KillRule] = (), feed_settings: Sequence[FeedConfig] = ()
    ) -> None:
        self.kill_rules = tuple(kill_rules)
        self._feed_settings = tuple(feed_settings)
        self._cache: dict[tuple[str, tuple[str, ...]], FeedSettings] = {}

    @classmethod
    def from_config(cls, config: Config) -> FeedRules:
        return cls(kill_rules(config.ignore), config.feeds)

    def __bool__(self) -> bool:
        return bool(self.kill_rules or self._feed_settings)

    # -- per-feed settings ------------------------------------------------------------------------

    def settings(self, feed: Feed) -> FeedSettings:
        key = (feed.url, feed.tags)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        matching = [s for s in self._feed_settings if s.tag is not None and s.tag in feed.tags]
        matching += [s for s in self._feed_settings if s.url is not None and _same_url(s.url, feed.url)]
        resolved = FeedSettings()
        headers: dict[str, str] = {}
        values: dict[str, object] = {}
        for setting in matching:
            for name in ("refresh_interval", "full_text", "prefetch", "title", "hidden"):
                value = getattr(setting, name)
                if value is not None:
                    values[name] = value
            headers.update(setting.headers)
            if setting.user_agent is not None:
                headers["User-Agent"] = setting.user_agent
        resolved = FeedSettings(
            refresh_interval=values.get("refresh_interval"),  # type: ignore[arg-type]
            full_text=values.get("full_text"),  # type: ignore[arg-type]
            prefetch=values.get("prefetch"),  # type: ignore[arg-type]
            headers=headers,
            title=values.get("title"),  # type: ignore[arg-type]
            hidden=bool(values.get("hidden", False)),
        )
        self._cache[key] = resolved
        return resolved

    def interval(self, feed: Feed, default: float) -> float:
        own = self.settings(feed).refresh_interval
        return float(own) if own is not None else default

    def headers(self, feed: Feed) -> dict[str, str]:
        return self.settings(feed).headers

    def title(self, feed: Feed) -> str | None:
        return self.settings(feed).title

    def hidden(self, feed: Feed) -> bool:
        return self.settings(feed).hidden

    def full_text(self, feed: Feed | None, default: bool) -> bool:
        """Whether to fetch the linked page for this feed's entries (None: an unknown feed)."""
        own = self.settings(feed).full_text if feed is not None else None
        return default if own is None else own

    def prefetch(self, feed: Feed | None, default: bool) -> bool:
        own = self.settings(feed).prefetch if feed is not None else None
        return default if own is None else own

    # -- kill rules -------------------------------------------------------------------------------

    def rules_for(self, feed_url: str) -> list[Filter]:
        return [r.filter for r in self.kill_rules if r.applies_to(feed_url)]

    def ignored_guids(self, feed: Feed, parsed: ParsedFeed, now: datetime | None = None) -> frozenset[str]:
        """Guids of the parsed entries that a kill rule hides (to be stored flagged)."""
        filters = self.rules_for(feed.url)
        if not filters or not parsed.entries:
            return frozenset()
        now = now or datetime.now(UTC)
        keys = frozenset().union(*(f.keys for f in filters))
        context = {
            "feed_title": parsed.title or feed.title,
            "feed_url": feed.url,
            "site_url": parsed.site_url or feed.site_url or "",
            "tags": _SEP.join(feed.tags),
            "fetched_at": now.isoformat(timespec="seconds"),
            "read": 0,
            "starred": 0,
            # the feed's counts before this refresh (its new entries are not counted yet)
            "unread_count": feed.unread,
            "total_count": feed.total,
        }
        for f in filters:
            f.set_now(now)
        hidden = set()
        for entry in parsed.entries:
            record = _record(entry, keys, context)
            if any(f.matches(record) for f in filters):
                hidden.add(entry.guid)
        return frozenset(hidden)


def _record(entry: ParsedEntry, keys: frozenset[str], context: dict[str, object]) -> dict[str, object]:
    """The filter record of a parsed (not yet stored) entry: only the keys the rules read."""
    record = dict(context)
    for key in keys:
        if key in record:
            continue
        if key == "published":
            record[key] = entry.published.isoformat(timespec="seconds") if entry.published else None
        elif key == "enclosure_url":
            record[key] = entry.enclosures[0].url if entry.enclosures else ""
        elif key == "enclosure_type":
            record[key] = entry.enclosures[0].type if entry.enclosures else ""
        else:
            record[key] = getattr(entry, key, "") or ""
    return record


def kill_rules(ignore: Iterable[IgnoreConfig]) -> list[KillRule]:
    """Compiled kill rules of the config (already validated when it was read)."""
    ignore = list(ignore)
    if not ignore:
        return []  # the filter language and URL rules load only for a config that has rules
    from tui.core.feeds.subscriptions import normalise_url
    from tui.core.filters import compile_filter

    rules = []
    for rule in ignore:
        feed = rule.feed
        if feed != "*":
            try:
                feed = normalise_url(feed)  # stored feed URLs are normalised the same way
            except ValueError:
                pass
        rules.append(KillRule(feed, compile_filter(rule.filter)))
    return rules


def apply_kill_rules(store: Store, rules: FeedRules, *, since: datetime | None = None) -> int:
    """Hide already-stored entries that the kill rules match (refresh does this for new ones;
    a sync, whose entries come from the server, for those stored `since` it began)."""
    if not rules.kill_rules:
        return 0
    keys = frozenset().union(*(r.filter.keys for r in rules.kill_rules))
    rows = store.records(keys, ignored=False, fetched_since=since)
    now = datetime.now(UTC)
    for rule in rules.kill_rules:
        rule.filter.set_now(now)
    hits = [
        row["id"] for row in rows
        if any(r.applies_to(row["feed_url"]) and r.filter.matches(row) for r in rules.kill_rules)
    ]
    return store.set_ignored(hits, True)
