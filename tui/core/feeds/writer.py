"""The `refresh` command's entry writes in a child process: SQLite, the search index and the story
keys of new entries run on a second core while this process fetches and parses.

A cold refresh of many feeds is CPU-bound in one process: the parse step, the event loop and the
store's writes share one GIL, and the store's thread (which gives the GIL up for every SQLite call
and waits to get it back) fell behind the parses, so most of its work came after the last feed
was parsed (benchmarks/RESULTS.md, "Refresh: the store's writes in a child process"). Here a child
forked at the start of the command, before any thread runs, opens its own connection to the same
database and applies each batch the refresh hands it (`Store.apply_refresh_many`, unchanged: the
same transactions, the same results); batches and results cross a socket as pickles.

Only for the command (a process with no other thread may fork) and only when enough feeds will
answer in full (no validators): an all-304 refresh writes in one small transaction and starts no
child. If the child dies, its batches are written in this process again (a batch is one
transaction: one the child did not commit left nothing behind; one it committed is found again
by the entries' ids, and counts no new entry twice).
"""

from __future__ import annotations

import asyncio
import os
import pickle
import signal
import socket
import sys
import threading
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from tui.core.models import Feed

# At least this many feeds without validators (they will answer in full) before a child writes.
WRITER_FEEDS = 24
_HEADER = 8


def wants_writer(due: Iterable[Feed]) -> bool:
    """Whether a refresh of the feeds `due` has enough full answers coming to be worth a child
    writer: feeds without an ETag or Last-Modified, not kept by a sync server."""
    count = 0
    for feed in due:
        if not feed.synced and not (feed.etag or feed.last_modified):
            count += 1
            if count >= WRITER_FEEDS:
                return True
    return False


class WriterProcess:
    """A child process that applies each feed's `apply_refresh` to the store's database, several
    feeds a transaction (`apply_refresh_many`): those that arrive while it writes join the next."""

    def __init__(self, store: Any, pid: int, sock: socket.socket) -> None:
        self._store = store
        self._pid = pid
        self._sock: socket.socket | None = sock
        self._opening: asyncio.Future[tuple[asyncio.StreamReader, asyncio.StreamWriter]] | None = None
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None
        self._answers: asyncio.Task[None] | None = None
        # Feeds handed to the child, in order, each with its future (answers come in that order).
        self._waiting: deque[tuple[int, Mapping[str, Any], asyncio.Future[Any]]] = deque()

    @classmethod
    def start(cls, store: Any) -> WriterProcess | None:
        """Fork the writer, or None where that is not safe or not possible (threads running, no
        fork, a database in memory, a store that cannot fork: test doubles)."""
        fork = getattr(store, "fork", None)
        path = str(getattr(store, "path", ":memory:"))
        if fork is None or path == ":memory:" or not hasattr(os, "fork") or threading.active_count() > 1:
            return None
        parent, child = socket.socketpair()
        for stream in (sys.stdout, sys.stderr):  # nothing buffered is written twice
            try:
                stream.flush()
            except (AttributeError, OSError, ValueError):
                pass
        try:
            pid = fork()
        except OSError:
            parent.close()
            child.close()
            return None
        if pid == 0:
            code = 0
            try:
                parent.close()
                _serve(path, child)
            except BaseException:  # noqa: BLE001 - the parent sees the closed socket and writes itself
                code = 1
            finally:
                os._exit(code)  # never back into the parent's stack (its event loop, its store)
        child.close()
        return cls(store, pid, parent)

    async def write(self, feed_id: int, kwargs: Mapping[str, Any]) -> Any:
        """`store.apply_refresh_many([(feed_id, kwargs)])[0]`, done by the child (here once the
        child is gone)."""
        if self._sock is not None:
            try:
                if self._writer is None:
                    if self._opening is None:  # once: the feeds that wait for it keep their order
                        self._opening = asyncio.ensure_future(asyncio.open_unix_connection(sock=self._sock))
                    streams = await asyncio.shield(self._opening)
                    if self._writer is None:
                        self._reader, self._writer = streams
                    if self._sock is None:
                        raise OSError("the writer has stopped")
                data = pickle.dumps((feed_id, dict(kwargs)), pickle.HIGHEST_PROTOCOL)
                done: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
                self._waiting.append((feed_id, kwargs, done))
                self._writer.write(len(data).to_bytes(_HEADER, "big") + data)
                if self._answers is None:
                    self._answers = asyncio.create_task(self._read_answers(self._reader))
                await self._writer.drain()
            except (OSError, pickle.PickleError):
                self._stop()
            else:
                return await done
        return (await asyncio.to_thread(self._store.apply_refresh_many, [(feed_id, kwargs)]))[0]

    async def _read_answers(self, reader: asyncio.StreamReader | None) -> None:
        assert reader is not None
        try:
            while self._waiting:
                size = int.from_bytes(await reader.readexactly(_HEADER), "big")
                ok, value = pickle.loads(await reader.readexactly(size))
                _, _, done = self._waiting.popleft()
                if not done.done():
                    if ok:
                        done.set_result(value)
                    else:
                        done.set_exception(value)
        except (OSError, EOFError, asyncio.IncompleteReadError, pickle.PickleError):
            # The child is gone: the feeds it did not answer are written here (a transaction it
            # did not commit left nothing; one it did is found again by the entries' ids).
            waiting, self._waiting = self._waiting, deque()
            self._stop()
            for feed_id, kwargs, done in waiting:
                try:
                    result = (await asyncio.to_thread(self._store.apply_refresh_many, [(feed_id, kwargs)]))[0]
                except Exception as exc:  # noqa: BLE001 - that feed's failure
                    if not done.done():
                        done.set_exception(exc)
                else:
                    if not done.done():
                        done.set_result(result)
        finally:
            self._answers = None

    def close(self) -> None:
        """Tell the child to finish (the end of its input) and wait for it."""
        self._stop()

    def _stop(self) -> None:
        if self._writer is not None:
            try:
                self._writer.close()  # in its event loop: the socket closes with the transport
            except RuntimeError:  # the loop has ended: the socket is closed below
                pass
            self._writer = None
        if self._sock is not None:
            self._sock.close()
            self._sock = None
        if self._pid:
            pid, self._pid = self._pid, 0
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass


def _serve(path: str, sock: socket.socket) -> None:
    """The child: read feeds from `sock`, write those that have arrived (at most STORE_BATCH) in
    one transaction, answer (True, result) or (False, error) for each, in order."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # an interrupt is the parent's to handle
    try:
        signal.set_wakeup_fd(-1)  # the parent's event loop's, if any
    except ValueError:
        pass
    from tui.core.feeds.refresh import STORE_BATCH
    from tui.core.store import Store, _story_keys

    store = Store(path)
    _story_keys()  # loaded while the first feeds are still on the network
    buffer = bytearray()
    try:
        while True:
            updates: list[tuple[int, dict[str, Any]]] = []
            while len(updates) < STORE_BATCH:
                if len(buffer) >= _HEADER:
                    size = int.from_bytes(buffer[:_HEADER], "big")
                    if len(buffer) >= _HEADER + size:
                        updates.append(pickle.loads(buffer[_HEADER:_HEADER + size]))
                        del buffer[:_HEADER + size]
                        continue
                # Block for more only while nothing is ready to write.
                sock.setblocking(not updates)
                try:
                    data = sock.recv(1 << 20)
                except BlockingIOError:
                    break
                if not data:
                    if not updates:
                        return  # the parent has no more
                    break
                buffer += data
            answers = _apply(store, updates)
            sock.setblocking(True)
            sock.sendall(b"".join(len(a).to_bytes(_HEADER, "big") + a for a in answers))
    finally:
        store.close()


def _apply(store: Any, updates: list[tuple[int, dict[str, Any]]]) -> list[bytes]:
    """Each feed's pickled answer: the batch in one transaction, or if that fails, one by one (one
    feed the store refuses fails alone, as in a transaction of its own)."""
    try:
        results: list[tuple[bool, Any]] = [(True, r) for r in store.apply_refresh_many(updates)]
    except Exception:  # noqa: BLE001 - tried feed by feed below
        results = []
        for update in updates:
            try:
                results.append((True, store.apply_refresh_many([update])[0]))
            except Exception as exc:  # noqa: BLE001 - handed to the parent as that feed's failure
                results.append((False, exc))
    out = []
    for answer in results:
        try:
            out.append(pickle.dumps(answer, pickle.HIGHEST_PROTOCOL))
        except Exception:  # noqa: BLE001 - an error that does not pickle: its sentence does
            out.append(pickle.dumps((False, RuntimeError(str(answer[1]))), pickle.HIGHEST_PROTOCOL))
    return out
