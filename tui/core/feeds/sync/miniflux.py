"""Miniflux's REST API (/v1/): feeds, categories as tags, entries by id pages, state by PUT /v1/entries."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping, Sequence
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlencode

import httpx

from tui.core.feeds.sync.base import PAGE_SIZE, Page, SyncClient, SyncError, expect
from tui.core.feeds.sync.records import RemoteEntry, RemoteFeed, safe_link
from tui.core.text import clean_line

__all__ = ["MinifluxClient"]

# The cursor is the server's clock (its Date header, whole seconds) at the start of the last complete
# sync, less this margin for a database clock a little behind the web server's: an entry changed
# while that sync ran is fetched again rather than missed. The API takes whole seconds, so entries
# changed in the second or two before a sync come down once more at the next one.
CURSOR_MARGIN = 1
# Each request costs the server a bcrypt check of the password: fewer, bigger pages (still a few
# megabytes at most of typical entries).
MINIFLUX_PAGE = 2 * PAGE_SIZE


def _time(value: object) -> datetime | None:
    if not isinstance(value, str) or not value or value.startswith("0001-"):
        return None
    try:
        parsed = datetime.fromisoformat(value)  # Python 3.11 reads the trailing Z
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _str(value: object) -> str:
    return value if isinstance(value, str) else ""


class MinifluxClient(SyncClient):
    """Basic auth with user and password; with no user, the password is an API key."""

    kind = "miniflux"

    def __init__(self, url: str, user: str, password: str, *, timeout: float = 30.0,
                 transport: httpx.AsyncBaseTransport | None = None) -> None:
        super().__init__(url, user, password, timeout=timeout, transport=transport)
        if user:
            self._http.auth = httpx.BasicAuth(user, password)
        else:
            self._http.headers["X-Auth-Token"] = password
        self._started: int | None = None  # the server's clock when this sync began (Unix seconds)
        self._feeds: object = None  # the feed list the login fetched, until something changes it
        self._first: tuple[str | None, asyncio.Future[Any]] | None = None  # (cursor, first page)

    async def login(self) -> None:
        # Miniflux checks a password with bcrypt on every request (~0.1 s of its CPU; an API key is
        # cheap), so the login is the feed list itself: one request fewer per sync.
        response = await self.request("GET", "/v1/feeds")
        self._feeds = await self._json(response, "/v1/feeds")
        date = response.headers.get("date")
        try:
            self._started = int(parsedate_to_datetime(date).timestamp()) if date else None
        except (TypeError, ValueError):
            self._started = None
        if self._started is None:
            self._started = int(datetime.now(UTC).timestamp())

    async def _json(self, response: httpx.Response, path: str) -> Any:
        import json

        try:
            return json.loads(response.content)
        except ValueError:
            raise SyncError(
                f"miniflux: the server's answer to {path} is not JSON (is {self.url} a Miniflux server?)"
            ) from None

    async def feeds(self) -> list[RemoteFeed]:
        data, self._feeds = self._feeds, None
        if data is None:
            data = await self.request_json("GET", "/v1/feeds")
        data = expect(data, list, "/v1/feeds is not a list", self)
        feeds = []
        for item in data:
            if not isinstance(item, dict) or not isinstance(item.get("id"), int):
                raise SyncError("miniflux: unexpected answer from the server (a feed without an id)")
            category = item.get("category")
            if not isinstance(category, dict):
                category = {}
            tag = clean_line(_str(category.get("title")))
            feeds.append(
                RemoteFeed(
                    remote_id=str(item["id"]),
                    url=_str(item.get("feed_url")),
                    title=clean_line(_str(item.get("title"))),
                    site_url=safe_link(item.get("site_url")),
                    tags=(tag,) if tag else (),
                )
            )
        return feeds

    async def subscribe(self, url: str) -> None:
        self._feeds = None
        categories = expect(
            await self.request_json("GET", "/v1/categories"), list, "/v1/categories", self
        )
        if not categories or not isinstance(categories[0], dict):
            raise SyncError("miniflux: the account has no category to put the feed in")
        await self.request(
            "POST", "/v1/feeds", json={"feed_url": url, "category_id": categories[0].get("id")}
        )

    async def unsubscribe(self, remote_id: str) -> None:
        self._feeds = None
        try:
            await self.request("DELETE", f"/v1/feeds/{int(remote_id)}")
        except SyncError as exc:
            if "HTTP 404" not in str(exc):  # already gone there: nothing left to do
                raise

    def _query(self, cursor: str | None, after: int) -> str:
        # Ordered by id and paged with after_entry_id: stable while the server adds entries, and
        # each page is one indexed range scan. New entries have changed_at set on creation, so one
        # changed_after query brings both new entries and state changes.
        params: list[tuple[str, str | int]] = [
            ("status", "unread"), ("status", "read"), ("order", "id"), ("direction", "asc"),
            ("limit", MINIFLUX_PAGE),
        ]
        if cursor and cursor.isdigit():
            params.append(("changed_after", int(cursor)))
        if after:
            params.append(("after_entry_id", after))
        return urlencode(params)

    async def _page(self, cursor: str | None, after: int) -> Any:
        data = await self.request_json("GET", f"/v1/entries?{self._query(cursor, after)}")
        return expect(data, dict, "/v1/entries", self)

    def prefetch(self, cursor: str | None) -> None:
        # Each request waits for a bcrypt check on the server: the first page and the feed list
        # (the login) are checked side by side, which halves a sync that finds nothing new.
        self._drop_prefetch()
        self._first = (cursor, asyncio.ensure_future(self._page(cursor, 0)))

    def _drop_prefetch(self) -> None:
        if self._first is not None:
            task = self._first[1]
            self._first = None
            if task.done():
                if not task.cancelled():
                    task.exception()  # retrieved: a failed login already said why
            else:
                task.cancel()

    async def aclose(self) -> None:
        self._drop_prefetch()
        await super().aclose()

    async def pull(self, cursor: str | None, known: Mapping[str, tuple[bool, bool]]) -> AsyncIterator[Page]:
        total: int | None = None
        pending: asyncio.Future[Any] | None
        if self._first is not None and self._first[0] == cursor:
            pending, self._first = self._first[1], None
        else:
            self._drop_prefetch()
            pending = asyncio.ensure_future(self._page(cursor, 0))
        # The next page is asked for before this one is stored: the server works while we write.
        try:
            while pending is not None:
                data = await pending
                pending = None
                items = expect(data.get("entries") or [], list, "entries is not a list", self)
                if total is None and isinstance(data.get("total"), int):
                    total = data["total"]
                entries = [self._entry(item) for item in items]
                if len(items) >= MINIFLUX_PAGE:
                    pending = asyncio.ensure_future(self._page(cursor, int(entries[-1].remote_id)))
                if entries:
                    yield Page(entries=entries, total=total)
        finally:
            if pending is not None:
                pending.cancel()
        if self._started is not None:
            self.cursor = str(max(0, self._started - CURSOR_MARGIN))

    def _entry(self, item: object) -> RemoteEntry:
        if not isinstance(item, dict) or not isinstance(item.get("id"), int):
            raise SyncError("miniflux: unexpected answer from the server (an entry without an id)")
        return RemoteEntry(
            remote_id=str(item["id"]),
            feed_id=str(item.get("feed_id")),
            title=clean_line(_str(item.get("title"))),
            link=safe_link(item.get("url")),
            author=clean_line(_str(item.get("author"))) or None,
            published=_time(item.get("published_at")),
            content=_str(item.get("content")),
            read=item.get("status") == "read",
            starred=bool(item.get("starred")),
            changed_at=_time(item.get("changed_at")),
        )

    async def set_state(self, remote_ids: Sequence[str], field: str, value: bool) -> None:
        ids = [int(i) for i in remote_ids]
        body: dict[str, object] = {"entry_ids": ids}
        if field == "read":
            body["status"] = "read" if value else "unread"
        else:
            body["starred"] = value
        await self.request("PUT", "/v1/entries", json=body)
