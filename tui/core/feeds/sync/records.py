"""Plain records the sync engine, the protocols and the store exchange (no I/O, no dependencies)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

__all__ = ["QueuedChange", "RemoteEntry", "RemoteFeed", "StateChange", "content_hash", "safe_link"]


def content_hash(title: str, link: str | None, content: str) -> str:
    """The same kind of key the refresh path stores: changes when the text does."""
    digest = hashlib.sha1(usedforsecurity=False)
    for part in (title, link or "", content):
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\x1f")
    return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class RemoteFeed:
    """A subscription as the server lists it; `tags` are its categories (folders, labels)."""

    remote_id: str
    url: str
    title: str = ""
    site_url: str | None = None
    tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RemoteEntry:
    """An entry as the server gives it, with its content and state."""

    remote_id: str
    feed_id: str  # the server's feed id
    title: str
    link: str | None = None
    author: str | None = None
    published: datetime | None = None
    content: str = ""
    read: bool = False
    starred: bool = False
    changed_at: datetime | None = None  # when the server last changed it, when it says so

    @property
    def guid(self) -> str:
        return f"sync:{self.remote_id}"

    @property
    def content_hash(self) -> str:
        return content_hash(self.title, self.link, self.content)


@dataclass(frozen=True, slots=True)
class StateChange:
    """A state the server reports for an entry without its content (Google Reader id lists)."""

    remote_id: str
    field: str  # read | starred
    value: bool
    changed_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class QueuedChange:
    """A local read/starred change waiting to be sent; `base` is the value the server last gave."""

    entry_id: int
    remote_id: str
    field: str  # read | starred
    value: bool
    base: bool
    changed_at: datetime
    seq: int


def safe_link(value: object) -> str | None:
    """An http(s) link as given, else None: only those are stored and opened (as on refresh)."""
    if isinstance(value, str) and value.lower().startswith(("http://", "https://")):
        return value.strip()
    return None
