"""The sync engine, protocol-independent: subscriptions, entries and read/starred state both ways."""

from __future__ import annotations

import asyncio
import functools
import json
import stat
import subprocess
import time
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

from tui import USER_AGENT
from tui.core.feeds.sync.records import (
    QueuedChange,
    RemoteEntry,
    RemoteFeed,
    StateChange,
)
from tui.core.text import clean_line, counted, truncate

if TYPE_CHECKING:
    from tui.core.config import Config, SyncConfig
    from tui.core.store import Store

__all__ = [
    "Page", "Progress", "SyncClient", "SyncError", "SyncReport", "make_client", "read_password",
    "run_sync", "subscribe_remote", "sync_now",
]

# Entries per request: big enough that 10,000 entries take few round trips, small enough that one
# page (with its HTML) stays a few megabytes: memory is bounded by the page, not the account.
PAGE_SIZE = 250

Progress = Callable[[str, int, "int | None"], object]  # (stage, done, total or None)


class SyncError(Exception):
    """A sync that could not be done; the message is one readable line."""


class SubscribeError(SyncError):
    """The server would not subscribe to a feed (`sync --add`); the message says which feed and why."""


@dataclass(frozen=True, slots=True)
class Page:
    """One bounded piece of what the server has: entries with content, or states without."""

    entries: Sequence[RemoteEntry] = ()
    states: Sequence[StateChange] = ()
    total: int | None = None  # entries the whole pull will bring, when the server says


@dataclass(slots=True)
class SyncReport:
    """What one sync did."""

    feeds: int = 0
    received: int = 0  # entries whose content came down
    new: int = 0
    updated: int = 0
    states: int = 0  # local entries whose read/starred changed from the server
    sent: int = 0  # local changes sent
    kept_local: int = 0  # both sides changed a field: the later local change won
    kept_remote: int = 0  # both sides changed a field: the later server change won
    unsubscribed: int = 0
    elapsed: float = 0.0
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        parts = [
            counted(self.feeds, "feed"),
            f"{self.new} new",
            f"{self.updated} updated",
            f"{counted(self.states, 'state change')} received",
            f"{self.sent} sent",
        ]
        if self.kept_local or self.kept_remote:
            parts.append(f"conflicts: {self.kept_local} kept local, {self.kept_remote} kept server")
        if self.unsubscribed:
            parts.append(f"{counted(self.unsubscribed, 'feed')} unsubscribed")
        return f"synced: {', '.join(parts)} in {self.elapsed:.1f} s"


class SyncClient(ABC):
    """One protocol's view of a server. Every failure is raised as a SyncError."""

    kind: str = ""
    # True when the protocol has no "changed since" and `pull` compares the server's state with
    # every synced entry's (`known`); False spares loading them all.
    compares_states: bool = False

    def __init__(self, url: str, user: str, password: str, *, timeout: float = 30.0,
                 transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.url = url.rstrip("/")
        self.user = user
        self._password = password
        self._http = httpx.AsyncClient(
            timeout=httpx.Timeout(timeout), headers={"User-Agent": USER_AGENT},
            transport=transport, follow_redirects=False,
        )
        self.cursor: str | None = None  # set by `pull` once the whole pull succeeded

    @property
    def identity(self) -> str:
        """Which server and account the store's server ids belong to (kind, url, user)."""
        return f"{self.kind} {self.url} {self.user}"

    def prefetch(self, cursor: str | None) -> None:
        """Start asking for the first page of `pull(cursor)` now, alongside the login (optional)."""
        del cursor  # most protocols have nothing worth starting early

    async def aclose(self) -> None:
        await self._http.aclose()

    @abstractmethod
    async def login(self) -> None: ...

    @abstractmethod
    async def feeds(self) -> list[RemoteFeed]: ...

    @abstractmethod
    async def subscribe(self, url: str) -> None: ...

    @abstractmethod
    async def unsubscribe(self, remote_id: str) -> None: ...

    @abstractmethod
    def pull(self, cursor: str | None, known: Mapping[str, tuple[bool, bool]]) -> AsyncIterator[Page]:
        """Pages of what changed since `cursor` (everything when None); sets `self.cursor` at the end."""

    @abstractmethod
    async def set_state(self, remote_ids: Sequence[str], field: str, value: bool) -> None: ...

    # -- HTTP with one-line errors ----------------------------------------------------------------

    async def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        where = f"{self.url}{path}"
        try:
            response = await self._http.request(method, where, **kwargs)
        except httpx.TimeoutException:
            raise SyncError(f"{self.kind}: no answer from {self.url} in time") from None
        except httpx.HTTPError as exc:
            reason = str(exc) or exc.__class__.__name__
            raise SyncError(f"{self.kind}: cannot reach {self.url}: {_line(reason)}") from None
        if response.status_code in (401, 403):
            raise SyncError(
                f"{self.kind}: the server refused the user name or password (HTTP {response.status_code})"
            )
        if response.status_code >= 400 or response.status_code in (301, 302, 303, 307, 308):
            detail = _error_detail(response)
            raise SyncError(
                f"{self.kind}: the server answered HTTP {response.status_code} to {method} "
                f"{path.split('?')[0]}{': ' + detail if detail else ''}"
            )
        return response

    async def request_json(self, method: str, path: str, **kwargs: Any) -> Any:
        response = await self.request(method, path, **kwargs)
        try:
            return json.loads(response.content)
        except ValueError:
            raise SyncError(
                f"{self.kind}: the server's answer to {path.split('?')[0]} is not JSON "
                f"(is {self.url} a {self.kind} server?)"
            ) from None


def _line(text: str) -> str:
    return truncate(clean_line(text), 160)


def _error_detail(response: httpx.Response) -> str:
    try:
        data = json.loads(response.content)
    except ValueError:
        return ""
    if isinstance(data, dict) and isinstance(data.get("error_message"), str):
        return _line(data["error_message"])
    return ""


def expect(value: object, kind: type, what: str, client: SyncClient) -> Any:
    """`value` when it is a `kind`, else a SyncError saying the server's answer is not understood."""
    if not isinstance(value, kind):
        raise SyncError(f"{client.kind}: unexpected answer from the server ({what})")
    return value


# -- the password ---------------------------------------------------------------------------------


def read_password(config: SyncConfig) -> str:
    """The password from `password_command` or `password_file`; never logged, never stored."""
    if config.password_command:
        try:
            done = subprocess.run(
                config.password_command, shell=True, capture_output=True, timeout=60, check=False,
                stdin=subprocess.DEVNULL,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise SyncError(f"sync: password_command failed: {_line(str(exc))}") from None
        if done.returncode != 0:
            raise SyncError(f"sync: password_command exited with status {done.returncode}")
        password = done.stdout.decode("utf-8", "replace").rstrip("\r\n")
    elif config.password_file:
        path = Path(config.password_file).expanduser()
        try:
            mode = path.stat().st_mode
        except OSError as exc:
            raise SyncError(f"sync: password_file {path}: {exc.strerror or exc}") from None
        if mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise SyncError(
                f"sync: password_file {path} is readable by others: run chmod 600 {path}"
            )
        try:
            password = path.read_text(encoding="utf-8").rstrip("\r\n")
        except (OSError, UnicodeDecodeError) as exc:
            raise SyncError(f"sync: password_file {path}: cannot read: {_line(str(exc))}") from None
    else:
        raise SyncError("sync: set [sync] password_command or password_file in the config")
    if not password:
        raise SyncError("sync: the password is empty")
    return password


def make_client(
    config: SyncConfig, *, transport: httpx.AsyncBaseTransport | None = None, password: str | None = None
) -> SyncClient:
    """The protocol client the config names, with its password (read now unless given)."""
    if not config.enabled:
        raise SyncError('sync is off: set [sync] server = "miniflux" or "greader" and url in the config')
    if password is None:
        password = read_password(config)
    if config.server == "miniflux":
        from tui.core.feeds.sync.miniflux import MinifluxClient

        return MinifluxClient(config.url, config.user, password, timeout=config.timeout, transport=transport)
    from tui.core.feeds.sync.greader import GReaderClient

    if not config.user:
        raise SyncError("sync: set [sync] user for a Google Reader API server")
    return GReaderClient(config.url, config.user, password, timeout=config.timeout, transport=transport)


# -- the engine -----------------------------------------------------------------------------------


def _decide(
    change: QueuedChange, remote_value: bool, remote_changed: datetime | None
) -> str:
    """"drop" (the server agrees or won) or "keep" (the local change is sent) for one queued change.

    A field the server left at `base` was changed only here: the local change stands. A field the
    server moved away from `base` while this side also changed it is a conflict, and the later
    change wins; without a server timestamp (Google Reader) the local one does.
    """
    if remote_value == change.value:
        return "drop"
    if remote_value == change.base:
        return "keep"
    if remote_changed is not None and remote_changed > change.changed_at:
        return "remote"
    return "local"


async def run_sync(
    store: Store, client: SyncClient, *, progress: Progress | None = None, switch: bool = False
) -> SyncReport:
    """One sync with `client`: pull feeds and entries, resolve conflicts, send the queued changes.

    Each page is stored in its own transaction and the cursor moves only at the end, so a sync that
    fails half-way keeps what it got, repeats the rest next time and loses no local change.
    """
    started = time.monotonic()
    report = SyncReport()

    def tell(stage: str, done: int, total: int | None) -> None:
        if progress is not None:
            progress(stage, done, total)

    # Server ids mean nothing on another server or account: switching is explicit, never a side
    # effect of an edited URL (which would drop the queue of unsent changes).
    identity = await asyncio.to_thread(store.sync_value, "identity")
    if identity is not None and identity != client.identity and not switch:
        kind, _, rest = identity.partition(" ")
        url, _, user = rest.partition(" ")
        raise SyncError(
            f"sync: this database syncs with {kind} at {url}{' as ' + user if user else ''}, "
            "not the server in the config; run `newswire sync --switch` to forget the old one "
            "(changes not yet sent to it are dropped)"
        )
    cursor = await asyncio.to_thread(store.sync_value, "cursor") if identity == client.identity else None
    tell("login", 0, None)
    client.prefetch(cursor)
    await client.login()
    if identity != client.identity:
        await asyncio.to_thread(store.reset_sync, client.identity)

    for remote_id, _url in await asyncio.to_thread(store.queued_unsubscribes):
        await client.unsubscribe(remote_id)
        await asyncio.to_thread(store.drop_queued_unsubscribe, remote_id)
        report.unsubscribed += 1
    tell("feeds", 0, None)
    feeds = await client.feeds()
    feed_ids = await asyncio.to_thread(store.apply_remote_feeds, feeds)
    report.feeds = len(feed_ids)
    tell("feeds", len(feed_ids), len(feed_ids))

    # Changes made while this sync runs (the app stays usable) are newer than anything pulled:
    # the store keeps them, and they go at the next sync.
    snapshot = time.time_ns()
    queued = await asyncio.to_thread(store.queued_changes)
    pending = {(c.remote_id, c.field): c for c in queued}
    drop: list[QueuedChange] = []
    known = await asyncio.to_thread(store.remote_entry_states) if client.compares_states else {}
    done = 0

    def settle(remote_id: str, field: str, value: bool, changed: datetime | None) -> bool:
        """True when the local value must stay (a local change wins and is still to be sent)."""
        change = pending.get((remote_id, field))
        if change is None:
            return False
        verdict = _decide(change, value, changed)
        if verdict == "keep":
            return True
        if verdict == "local":
            report.kept_local += 1
            return True
        if verdict == "remote":
            report.kept_remote += 1
        del pending[(remote_id, field)]
        drop.append(change)
        return False

    async for page in client.pull(cursor, known):
        if page.entries:
            keep = [
                (e.remote_id, f)
                for e in page.entries
                for f, v in (("read", e.read), ("starred", e.starred))
                if settle(e.remote_id, f, v, e.changed_at)
            ]
            marked: list[int] = []  # (a server that sends changed entries, not states, changes marks so)
            new, updated = await asyncio.to_thread(
                functools.partial(store.apply_remote_entries, changed_after=snapshot, marked=marked),
                page.entries, feed_ids, keep,
            )
            report.states += len(marked)
            report.received += len(page.entries)
            report.new += new
            report.updated += updated
            done += len(page.entries)
            tell("entries", done, page.total)
        if page.states:
            states = [
                (s.remote_id, s.field, s.value)
                for s in page.states
                if not settle(s.remote_id, s.field, s.value, s.changed_at)
            ]
            report.states += await asyncio.to_thread(
                functools.partial(store.apply_remote_states, changed_after=snapshot), states
            )
    await asyncio.to_thread(store.drop_queued, drop)

    # What is still pending is newer than the server's state: send it, grouped by field and value.
    groups: dict[tuple[str, bool], list[QueuedChange]] = {}
    for change in pending.values():
        groups.setdefault((change.field, change.value), []).append(change)
    for (name, value), changes in groups.items():
        for start in range(0, len(changes), PAGE_SIZE):
            chunk = changes[start : start + PAGE_SIZE]
            await client.set_state([c.remote_id for c in chunk], name, value)
            await asyncio.to_thread(store.drop_queued, chunk)
            report.sent += len(chunk)
            tell("send", report.sent, len(pending))
    if client.cursor is not None:
        await asyncio.to_thread(store.set_sync_values, {"cursor": client.cursor})
    report.elapsed = time.monotonic() - started
    return report


async def sync_now(
    store: Store,
    config: Config,
    *,
    progress: Progress | None = None,
    switch: bool = False,
    transport: httpx.AsyncBaseTransport | None = None,
) -> SyncReport:
    """Sync the store with the server of `config.sync` (the one call the CLI and the app make).

    `switch`: the config names another server or account than the last sync: start over with it.
    """
    client = await _client(config.sync, transport)
    began = datetime.now(UTC).replace(microsecond=0)
    try:
        report = await run_sync(store, client, progress=progress, switch=switch)
    finally:
        await client.aclose()
    if config.ignore:
        # The server knows nothing of the kill rules: they hide new synced entries here, as a
        # refresh hides new ones of local feeds (stored flagged: nothing is lost).
        from tui.core.feeds.rules import FeedRules, apply_kill_rules

        await asyncio.to_thread(apply_kill_rules, store, FeedRules.from_config(config), since=began)
    return report


async def _client(config: SyncConfig, transport: httpx.AsyncBaseTransport | None = None) -> SyncClient:
    """make_client with the password read in a thread: a password manager may take seconds (a gpg
    agent asking), and the app's keys must work meanwhile."""
    if not config.enabled:
        return make_client(config)  # raises: sync is off
    password = await asyncio.to_thread(read_password, config)
    return make_client(config, transport=transport, password=password)


async def subscribe_remote(store: Store, config: Config, url: str) -> SyncReport:
    """Subscribe on the server, then sync so the feed and its entries arrive here."""
    client = await _client(config.sync)
    try:
        await client.login()
        try:
            await client.subscribe(url)
        except SyncError as exc:
            reason = str(exc).replace(f"{client.kind}: the server ", f"{client.kind} ", 1)
            raise SubscribeError(f"could not subscribe to {url} on the server: {reason}") from None
        return await run_sync(store, client)
    finally:
        await client.aclose()
