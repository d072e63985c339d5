"""The bundled demo feed: package data served in-process to the normal fetch path (no network)."""

from __future__ import annotations

import hashlib
import re
from importlib import resources
from urllib.parse import urlsplit

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


async def serve_demo(url: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
    """The demo site's answer to a GET of `url`, with ETags so a second refresh costs a 304."""
    path = urlsplit(url).path
    if path == "/feed.xml":
        body, kind = _read("feed.xml"), "application/rss+xml; charset=utf-8"
    elif match := _PAGE.match(path):
        body, kind = _read(f"pages/{match.group(1)}.html"), "text/html; charset=utf-8"
    else:
        body, kind = None, ""
    if body is None:
        return 404, {"Content-Type": "text/plain"}, b"not found"
    etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
    from email.utils import formatdate  # here: the demo feed is rarely fetched, and every refresh loads this module

    answer = {"ETag": etag, "Last-Modified": formatdate(1795000000, usegmt=True)}
    if headers.get("if-none-match") == etag:
        return 304, answer, b""
    answer["Content-Type"] = kind
    return 200, answer, body
