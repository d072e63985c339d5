"""The Google Reader API (/reader/api/0/, ClientLogin): FreshRSS, Miniflux, Inoreader, The Old Reader…"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import httpx

from tui.core.feeds.sync.base import PAGE_SIZE, Page, SyncClient, SyncError, expect
from tui.core.feeds.sync.records import RemoteEntry, RemoteFeed, StateChange, safe_link
from tui.core.text import clean_line

__all__ = ["GReaderClient", "item_id"]

READING_LIST = "user/-/state/com.google/reading-list"
READ = "user/-/state/com.google/read"
STARRED = "user/-/state/com.google/starred"
_LONG = "tag:google.com,2005:reader/item/"
IDS_PER_REQUEST = 10000  # the most servers return at once; more come with `continuation`
_STATE_TAG = {"read": READ, "starred": STARRED}


def item_id(value: str) -> str:
    """An item id in the decimal form `stream/items/ids` returns, from any of the API's forms."""
    value = value.strip()
    if value.startswith(_LONG):
        return str(int(value[len(_LONG):], 16))
    if value.isdigit():
        return str(int(value))
    return str(int(value, 16))


def _long(decimal: str) -> str:
    return f"{_LONG}{int(decimal):016x}"


def _str(value: object) -> str:
    return value if isinstance(value, str) else ""


def _first_href(value: object) -> str | None:
    if isinstance(value, list):
        for link in value:
            if isinstance(link, dict):
                href = safe_link(link.get("href"))
                if href:
                    return href
    return None


def _content(item: Mapping[str, Any]) -> str:
    for key in ("content", "summary"):
        part = item.get(key)
        if isinstance(part, dict) and isinstance(part.get("content"), str):
            return str(part["content"])
    return ""


class GReaderClient(SyncClient):
    """`url` is the base of /accounts/ClientLogin and /reader/api/0 (FreshRSS: …/api/greader.php)."""

    kind = "greader"
    compares_states = True

    def __init__(self, url: str, user: str, password: str, *, timeout: float = 30.0,
                 transport: httpx.AsyncBaseTransport | None = None) -> None:
        super().__init__(url, user, password, timeout=timeout, transport=transport)
        self._auth = ""
        self._edit_token = ""

    async def login(self) -> None:
        response = await self.request(
            "POST", "/accounts/ClientLogin", data={"Email": self.user, "Passwd": self._password}
        )
        for line in response.text.splitlines():
            if line.startswith("Auth="):
                self._auth = line[5:].strip()
        if not self._auth:
            raise SyncError(
                f"greader: no Auth token in the login answer (is {self.url} a Google Reader API server?)"
            )
        self._http.headers["Authorization"] = f"GoogleLogin auth={self._auth}"

    async def _token(self) -> str:
        # Writes carry an edit token (T); servers hand it out at /token (in Miniflux it is the auth token).
        if not self._edit_token:
            response = await self.request("GET", "/reader/api/0/token")
            self._edit_token = response.text.strip() or self._auth
        return self._edit_token

    async def _post(self, path: str, form: list[tuple[str, str]]) -> httpx.Response:
        fields: dict[str, list[str]] = {"T": [await self._token()]}
        for name, value in form:  # repeated names (i=…&i=…) as httpx wants them: one list each
            fields.setdefault(name, []).append(value)
        return await self.request("POST", f"/reader/api/0/{path}", data=fields)

    async def feeds(self) -> list[RemoteFeed]:
        data = expect(
            await self.request_json("GET", "/reader/api/0/subscription/list?output=json"),
            dict, "subscription/list", self,
        )
        subscriptions = expect(data.get("subscriptions", []), list, "subscriptions", self)
        feeds = []
        for item in subscriptions:
            if not isinstance(item, dict) or not isinstance(item.get("id"), str):
                raise SyncError("greader: unexpected answer from the server (a feed without an id)")
            tags = tuple(
                clean_line(_str(c.get("label")))
                for c in item.get("categories") or []
                if isinstance(c, dict) and _str(c.get("label"))
            )
            feeds.append(
                RemoteFeed(
                    remote_id=item["id"],
                    url=_str(item.get("url")) or item["id"].removeprefix("feed/"),
                    title=clean_line(_str(item.get("title"))),
                    site_url=safe_link(item.get("htmlUrl")),
                    tags=tags,
                )
            )
        return feeds

    async def subscribe(self, url: str) -> None:
        await self._post("subscription/edit", [("ac", "subscribe"), ("s", f"feed/{url}")])

    async def unsubscribe(self, remote_id: str) -> None:
        await self._post("subscription/edit", [("ac", "unsubscribe"), ("s", remote_id)])

    async def _ids(self, stream: str, exclude: str | None = None) -> list[str]:
        ids: list[str] = []
        continuation = ""
        for _ in range(1000):  # a server that never ends its continuation must not loop forever
            params = [("output", "json"), ("s", stream), ("n", str(IDS_PER_REQUEST))]
            if exclude:
                params.append(("xt", exclude))
            if continuation:
                params.append(("c", continuation))
            data = expect(
                await self.request_json("GET", "/reader/api/0/stream/items/ids", params=params),
                dict, "stream/items/ids", self,
            )
            refs = expect(data.get("itemRefs") or [], list, "itemRefs", self)
            try:
                ids.extend(item_id(str(ref["id"])) for ref in refs)
            except (KeyError, TypeError, ValueError):
                raise SyncError("greader: unexpected answer from the server (an item id)") from None
            nxt = data.get("continuation")
            if not refs or not nxt or str(nxt) == continuation:
                break
            continuation = str(nxt)
        return ids

    async def pull(self, cursor: str | None, known: Mapping[str, tuple[bool, bool]]) -> AsyncIterator[Page]:
        # The API has no "changed since": the id lists are the snapshot (ids only, a few bytes
        # each); content is fetched only for items this side has never seen.
        everything = await self._ids(READING_LIST)
        unread = set(await self._ids(READING_LIST, exclude=READ))
        starred = set(await self._ids(STARRED))
        present = set(everything)
        fresh = [i for i in everything if i not in known]
        for start in range(0, len(fresh), PAGE_SIZE):
            chunk = fresh[start : start + PAGE_SIZE]
            response = await self._post(
                "stream/items/contents", [("output", "json"), *(("i", _long(i)) for i in chunk)]
            )
            try:
                import json

                data = json.loads(response.content)
            except ValueError:
                raise SyncError("greader: the server's answer to stream/items/contents is not JSON") from None
            items = expect(expect(data, dict, "stream/items/contents", self).get("items") or [],
                           list, "items", self)
            entries = [self._entry(item, unread, starred) for item in items]
            yield Page(entries=entries, total=len(fresh))
        states = []
        for remote_id, (read, star) in known.items():
            if remote_id not in present and remote_id not in starred:
                continue  # no longer listed (cleaned up on the server): leave it as it is
            if read != (remote_id not in unread):
                states.append(StateChange(remote_id, "read", remote_id not in unread))
            if star != (remote_id in starred):
                states.append(StateChange(remote_id, "starred", remote_id in starred))
        for start in range(0, len(states), PAGE_SIZE * 4):
            yield Page(states=states[start : start + PAGE_SIZE * 4])
        self.cursor = str(int(time.time()))

    def _entry(self, item: object, unread: set[str], starred: set[str]) -> RemoteEntry:
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            raise SyncError("greader: unexpected answer from the server (an item without an id)")
        try:
            remote_id = item_id(item["id"])
        except ValueError:
            raise SyncError("greader: unexpected answer from the server (an item id)") from None
        origin = item.get("origin")
        if not isinstance(origin, dict):
            origin = {}
        published = item.get("published")
        return RemoteEntry(
            remote_id=remote_id,
            feed_id=_str(origin.get("streamId")),
            title=clean_line(_str(item.get("title"))),
            link=_first_href(item.get("canonical")) or _first_href(item.get("alternate")),
            author=clean_line(_str(item.get("author"))) or None,
            published=datetime.fromtimestamp(published, UTC) if isinstance(published, int) else None,
            content=_content(item),
            read=remote_id not in unread,
            starred=remote_id in starred,
        )

    async def set_state(self, remote_ids: Sequence[str], field: str, value: bool) -> None:
        form = [("a" if value else "r", _STATE_TAG[field]), *(("i", _long(i)) for i in remote_ids)]
        await self._post("edit-tag", form)
