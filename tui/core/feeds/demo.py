"""The bundled demo feed: package data served to the normal fetch path through an httpx transport."""

from __future__ import annotations

import hashlib
import re
from email.utils import formatdate
from importlib import resources

import httpx

DEMO_HOST = "demo.newswire.invalid"  # .invalid never resolves, so this can't shadow a real site
DEMO_FEED_URL = f"https://{DEMO_HOST}/feed.xml"
DEMO_TITLE = "The Daily Relay (demo)"

_PAGE = re.compile(r"^/articles/([a-z0-9-]+)/?$")


def _read(name: str) -> bytes | None:
    try:
        node = resources.files("tui.demo")
        for part in name.split("/"):
            node = node.joinpath(part)
        return node.read_bytes() if node.is_file() else None
    except (FileNotFoundError, ModuleNotFoundError, OSError):
        return None


class DemoTransport(httpx.AsyncBaseTransport):
    """Serves the demo site from package data, with ETags so a second refresh costs a 304."""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path == "/feed.xml":
            body, kind = _read("feed.xml"), "application/rss+xml; charset=utf-8"
        elif match := _PAGE.match(path):
            body, kind = _read(f"pages/{match.group(1)}.html"), "text/html; charset=utf-8"
        else:
            body, kind = None, ""
        if body is None:
            return httpx.Response(404, headers={"Content-Type": "text/plain"}, content=b"not found")
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        headers = {"ETag": etag, "Last-Modified": formatdate(1795000000, usegmt=True)}
        if request.headers.get("if-none-match") == etag:
            return httpx.Response(304, headers=headers)
        headers["Content-Type"] = kind
        return httpx.Response(200, headers=headers, content=body)


class RoutingTransport(httpx.AsyncBaseTransport):
    """The demo host to package data; everything else to the network."""

    def __init__(self, network: httpx.AsyncBaseTransport) -> None:
        self._network = network
        self._demo = DemoTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.host == DEMO_HOST:
            return await self._demo.handle_async_request(request)
        return await self._network.handle_async_request(request)

    async def aclose(self) -> None:
        await self._network.aclose()
