"""The `refresh` command's entry writes in a second process, used only when a core is free.

A cold refresh of many feeds is CPU-bound in one process from the first response on: the parse
step, the event loop and the store's writes share one GIL (benchmarks/RESULTS.md, refresh5 and
refresh6). A child process forked at the start of the command, before any thread runs, can write
the parsed feeds on the second core (`Store.apply_refresh_many`, unchanged: the same transactions,
the same results); feeds and answers cross a socket as pickles. On shared cores the same child is
preempted and the refresh gets slower (refresh5), so, as `make -l` does, the command asks the
machine first: from the fork to the first parsed feed (~0.15 s, mostly waiting on the network) it
counts the idle time of every core (/proc/stat) less what it used itself. Only when no more than
about one core's worth of other work was running on two cores (`GATE_FREE`) does the child write
(with one core busy elsewhere, the two processes still get more of the machine than one: the
refresh ends sooner), and the command then parses on its event loop
(refresh.py, `_Parser.inline`: no parse threads contending with the loop for the GIL); otherwise
the child exits before it opens anything and the feeds are written here, as without it. Linux
only (elsewhere, without /proc/stat, or with one usable core: no child).

Nothing is lost: each batch the child writes is one transaction, answered after its commit. If
the child dies, the feeds it did not answer are written here (one it committed but did not answer
is found again by its entries' ids: it counts no new entry twice); an interrupt goes to the parent
(the child ignores SIGINT), which waits for the feeds handed over, as it waits for its own thread.

`NEWSWIRE_WRITER=process` forces the child whatever the machine and the number of feeds (tests,
benchmarks), `=thread` forbids it.
"""

from __future__ import annotations

import asyncio
import gc
import os
import signal
import socket
import sys
import threading
import time
from collections import deque
from collections.abc import Iterable, Mapping
from typing import Any

from tui.core.models import Feed

# At least this many feeds without validators (they will answer in full) before a child is forked:
# with 25 full-text items a feed, the child paid nothing at 100 (wall even, +0.05 s CPU), -0.055 s
# at 150 and -0.09 s at 200; at 50 it cost +0.02 s (benchmarks/RESULTS.md, refresh7).
WRITER_FEEDS = 120
# Cores that must have been free, beyond the one this process uses, for the child to write (negative:
# other work may use part of that core too). On two cores with one of them kept busy (`yes`), the
# child still shortened a 200-feed refresh by 0.065–0.078 s (paired medians of 11 reps, for +0.02–0.045 s
# of CPU); with two kept busy it gained nothing and cost +0.05 s of CPU (benchmarks/RESULTS.md, refresh8).
# So the child writes unless more than about a core and a half's worth of other work is running.
GATE_FREE = -0.5
# Below this many jiffies (all cores) between the two samples the reading is too coarse: no child.
GATE_MIN_JIFFIES = 12
# While the child writes, the machine is read again every RECHECK seconds: below RETIRE_FREE free
# cores (other work has arrived: two busy processes of ours would be preempted), the child gets no
# more feeds; it writes those it has, then the command writes the rest itself, as without it.
RECHECK = 0.1
RETIRE_FREE = -0.8
_HEADER = 8
# The gate decides at the first feed to write, or this long after the fork if that is sooner: the
# child, which shares the parent's memory until it exits, is turned down early (each page the
# parent writes meanwhile is copied), or opens the store before the first feed arrives.
DECIDE_AFTER = 0.1
_START, _FEED = b"\x00", 1  # what the parent sends: open the store now; one more feed appended
_STAT = "/proc/stat"

Answer = tuple[int, int, int, list[int]]


def wants_writer(due: Iterable[Feed]) -> bool:
    """Whether enough of the feeds `due` will answer in full (no ETag or Last-Modified, not kept by
    a sync server) for a child writer to pay for its fork."""
    count = 0
    for feed in due:
        if not feed.synced and not (feed.etag or feed.last_modified):
            count += 1
            if count >= WRITER_FEEDS:
                return True
    return False


def _cpu_jiffies() -> tuple[int, int] | None:
    """(all, idle) jiffies of every core since boot, from /proc/stat's first line; None without it."""
    stat = _read_stat()
    return stat[0] if stat else None


def _read_stat() -> tuple[tuple[int, int], int | None] | None:
    """/proc/stat's (all, idle) jiffies of every core since boot, and how many tasks are running now
    (procs_running, this one included; None if not given); None without /proc/stat."""
    try:
        with open(_STAT, "rb") as stat:
            lines = stat.read().split(b"\n")
    except OSError:
        return None
    fields = lines[0].split()
    if len(fields) < 6 or fields[0] != b"cpu":
        return None
    running = None
    try:
        # user nice system idle iowait irq softirq steal (guest time is already counted in user).
        counts = [int(f) for f in fields[1:9]]
        for line in lines:
            if line.startswith(b"procs_running "):
                running = int(line.split()[1])
    except ValueError:
        return None
    return (sum(counts), counts[3] + counts[4]), running


def _own_cpu() -> float:
    times = os.times()
    return times.user + times.system


class CoreGate:
    """Whether a core was free since the last reading (or the gate's creation): the idle time of every
    core, less what this process and its writer used (their own work does not count against them)."""

    def __init__(self) -> None:
        stat = _read_stat()
        self._start = stat[0] if stat else None
        # Tasks running besides this one at the gate's creation: with one for every core, the writer
        # is not even forked (its fork costs the parent a copy of each page it then writes).
        self.running_elsewhere = stat[1] - 1 if stat and stat[1] else 0
        self._own = _own_cpu()
        self.child = 0  # the writer's pid once it writes: its CPU is ours too
        self._child = 0.0
        self.free: float | None = None  # the last reading, for tests and benchmarks

    @property
    def available(self) -> bool:
        return self._start is not None

    def free_cores(self) -> float | None:
        """Cores free beyond the one this process needs, averaged since the last reading; None when
        /proc/stat cannot say (missing, or too short a time to read). Each reading starts the next
        window."""
        end = _cpu_jiffies()
        if self._start is None or end is None:
            return None
        total, idle = end[0] - self._start[0], end[1] - self._start[1]
        if total < GATE_MIN_JIFFIES:
            return None
        own, child = _own_cpu(), _process_cpu(self.child)
        cores = os.cpu_count() or 1
        ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
        wall = total / cores  # jiffies of one core in the window
        used = ((own - self._own) + (child - self._child)) * ticks / wall  # cores this refresh used
        others = max(0.0, (total - idle) / wall - used)
        self._start, self._own, self._child = end, own, child
        self.free = cores - 1 - others
        return self.free


def _process_cpu(pid: int) -> float:
    """User and system seconds of process `pid` (0: none) from /proc."""
    if not pid:
        return 0.0
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            fields = stat.read().rsplit(b")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def _usable_cores() -> int:
    """Cores this process may run on (its affinity, where the system tells it)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def mode() -> str:
    """"process" (always a child), "thread" (never), or "auto" (when a core is free)."""
    value = os.environ.get("NEWSWIRE_WRITER", "auto").strip().lower()
    return value if value in ("process", "thread") else "auto"


class WriterProcess:
    """A child, forked now, that writes parsed feeds (`apply_refresh_many`) once `write` is first
    called and the gate allows; several feeds a transaction (those that arrive while it writes join
    the next, at most `batch`). Until then it waits, having opened nothing.

    Each feed's pickle is appended to a memory file both processes share, and one byte on a socket
    tells the child it is there: a socket's buffer holds only ~6 feeds' pickles, and once full the
    event loop keeps the rest until it next polls, which a loop busy parsing did ~0.1 s later. The
    child answers on the same socket."""

    def __init__(
        self, store: Any, pid: int, sock: socket.socket, frames: int, gate: CoreGate | None, mark: int = 0
    ) -> None:
        self._store = store
        self._mark = mark  # the newest entry's id before the child was forked
        self._pid = pid
        self._sock: socket.socket | None = sock
        self._frames = frames  # the shared memory file the feeds are appended to
        self._gate = gate
        self.used: bool | None = None  # decided at the first write: the child writes, or not
        self.note: str | None = None  # why the child stopped early, for the report
        self.ended: str | None = None  # how the child ended, once reaped ("exit 0", "signal 9")
        self.retired = False  # the child wrote, then the machine got busy: the command writes the rest
        self._checked = 0.0
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None
        self._opening: asyncio.Future[Any] | None = None
        self._answers: asyncio.Task[None] | None = None
        # Feeds handed to the child, in order, each with its future (answers come in that order).
        self._waiting: deque[tuple[int, Mapping[str, Any], asyncio.Future[Answer]]] = deque()

    @classmethod
    def start(cls, store: Any, due: Iterable[Feed], *, batch: int) -> WriterProcess | None:
        """Fork the writer for a refresh of `due`, or None where it cannot pay or is not safe: few
        full answers coming, one core, no /proc/stat, threads running, a database in memory."""
        wanted = mode()
        if wanted == "thread" or (wanted == "auto" and not wants_writer(due)):
            return None
        gate = None if wanted == "process" else CoreGate()
        if gate is not None and (not gate.available or _usable_cores() < 2
                                 or gate.running_elsewhere >= (os.cpu_count() or 1)):
            return None
        fork = getattr(store, "fork", None)
        if fork is None or str(getattr(store, "path", ":memory:")) == ":memory:" or not hasattr(os, "fork"):
            return None
        if threading.active_count() > 1:
            return None
        try:
            frames = _memory_file()
        except OSError:
            return None
        try:
            mark = store.last_entry_id()
        except Exception:  # noqa: BLE001 - no writer rather than a refresh that fails
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
            for sock in (parent, child):
                sock.close()
            os.close(frames)
            return None
        if pid == 0:
            code = 0
            try:
                parent.close()
                _serve(str(store.path), child, frames, batch)
            except BaseException:  # noqa: BLE001 - the parent sees the closed socket and writes itself
                code = 1
            finally:
                os._exit(code)  # never back into the parent's stack (its event loop, its store)
        child.close()
        return cls(store, pid, parent, frames, gate, mark)

    @property
    def running(self) -> bool:
        return self._sock is not None

    def arm(self) -> None:
        """Decide DECIDE_AFTER seconds from now if no feed has asked before (in the event loop)."""
        asyncio.get_running_loop().call_later(DECIDE_AFTER, self._decide_early)

    def _decide_early(self) -> None:
        if self.used is None and self._sock is not None and self._decide(early=True) and self._writer is None:
            try:
                self._sock.send(_START)  # the child opens the store while the first feeds parse
            except OSError:
                pass  # it is gone: the first write finds out

    def _decide(self, *, early: bool = False) -> bool:
        gate = self._gate
        if self.used is None:
            free = gate.free_cores() if gate is not None else None
            if early and gate is not None and free is None:
                return False  # too short a reading yet: the first feed to write decides
            self.used = gate is None or (free is not None and free >= GATE_FREE)
            if not self.used:
                # The child reads the end of its input and exits, having opened nothing; it is
                # reaped at the end (waiting here would hold the loop until it is scheduled).
                self.close(wait=False)
            elif gate is not None:
                gate.child = self._pid
                self._checked = time.monotonic()
        elif self.used and gate is not None and time.monotonic() - self._checked >= RECHECK:
            free = gate.free_cores()
            if free is not None:
                self._checked = time.monotonic()
                if free < RETIRE_FREE:
                    self.used = False  # no more feeds: the child writes those it has
                    self.retired = True
        return bool(self.used)

    async def write(self, feed_id: int, kwargs: Mapping[str, Any]) -> Answer | None:
        """`apply_refresh_many([(feed_id, kwargs)])[0]`, done by the child; None when the child does
        not write (the gate said no, the machine has got busy since, or the child has stopped): the
        caller writes the feed itself."""
        if self._sock is None or not self._decide():
            return None
        import pickle  # loaded only when a child writes

        try:
            data = pickle.dumps((feed_id, dict(kwargs)), pickle.HIGHEST_PROTOCOL)
            if self._writer is None:
                if self._opening is None:  # once: the feeds that wait for it keep their order
                    self._opening = asyncio.ensure_future(asyncio.open_unix_connection(sock=self._sock))
                streams = await asyncio.shield(self._opening)
                if self._writer is None and self._sock is not None:
                    self._reader, self._writer = streams
            if self._writer is None:
                return None
            _append(self._frames, len(data).to_bytes(_HEADER, "big") + data)
        except (OSError, pickle.PickleError, TypeError, AttributeError):
            return None  # not handed over: the caller writes this feed itself
        done: asyncio.Future[Answer] = asyncio.get_running_loop().create_future()
        self._waiting.append((feed_id, kwargs, done))
        if self._answers is None:
            self._answers = asyncio.create_task(self._read_answers(self._reader))
        try:
            self._writer.write(bytes((_FEED,)))  # one more feed in the memory file
        except (OSError, RuntimeError):
            pass  # the child is gone: the task reading its answers writes the feeds here
        return await done

    async def drained(self) -> None:
        """Wait until every feed handed over is written (by the child, or here if it stopped)."""
        waiting = [done for _, _, done in self._waiting]
        if waiting:
            await asyncio.gather(*(asyncio.shield(d) for d in waiting), return_exceptions=True)
        if self._answers is not None:
            await asyncio.shield(self._answers)

    async def _read_answers(self, reader: asyncio.StreamReader | None) -> None:
        import pickle  # loaded only when a child writes

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
            await self._take_back()
        finally:
            self._answers = None

    async def _take_back(self) -> None:
        """The child is gone: the feeds it did not answer are written here (a transaction it did not
        commit left nothing; one it did is found again by the entries' ids, and its new entries are
        counted as this refresh's: those stored after the mark, whoever stored them)."""
        waiting, self._waiting = self._waiting, deque()
        status = self.close()
        self.note = (f"the writer process stopped ({status}); the command stored "
                     f"{'the remaining feeds' if waiting else 'the later feeds'} itself")
        for feed_id, kwargs, done in waiting:
            try:
                result = (await asyncio.to_thread(self._store.apply_refresh_many, [(feed_id, kwargs)]))[0]
            except Exception as exc:  # noqa: BLE001 - that feed's failure
                if not done.done():
                    done.set_exception(exc)
            else:
                if not done.done():
                    try:
                        new = await asyncio.to_thread(self._store.entries_after, feed_id, self._mark)
                    except Exception:  # noqa: BLE001 - the count as this write found it
                        new = result[0]
                    done.set_result((max(new, result[0]), *result[1:]))

    def close(self, *, wait: bool = True) -> str:
        """Tell the child its input has ended, wait for it to write what it has and exit; returns how
        it ended ("exit 0", "signal 9"). Without `wait` it is reaped later (by `close()`)."""
        if self._writer is not None:
            try:
                self._writer.close()  # the socket closes with the transport
            except RuntimeError:  # the loop has ended: the socket is closed below
                pass
            self._writer = None
        if self._sock is not None:
            try:
                self._sock.shutdown(socket.SHUT_WR)
            except OSError:
                pass
            self._sock.close()
            self._sock = None
        status = self.ended or "gone"
        if self._pid and wait:
            pid, self._pid = self._pid, 0
            try:
                _, code = os.waitpid(pid, 0)
            except ChildProcessError:
                pass
            else:
                status = f"signal {os.WTERMSIG(code)}" if os.WIFSIGNALED(code) else f"exit {os.WEXITSTATUS(code)}"
            self.ended = status
            os.close(self._frames)
        return status


def _memory_file() -> int:
    """A file in memory, not on any disk (memfd on Linux; an unlinked temporary file elsewhere)."""
    if hasattr(os, "memfd_create"):
        return os.memfd_create("newswire-writer", os.MFD_CLOEXEC)
    import tempfile

    fd, name = tempfile.mkstemp(prefix="newswire-writer-")
    os.unlink(name)
    return fd


def _append(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _read_at(fd: int, size: int, offset: int) -> bytes:
    parts = []
    while size > 0:
        part = os.pread(fd, size, offset)
        if not part:
            raise EOFError("the memory file ended early")
        parts.append(part)
        size -= len(part)
        offset += len(part)
    return b"".join(parts)


def _serve(path: str, sock: socket.socket, frames: int, batch: int) -> None:
    """The child: wait for the word to start (none: exit having opened nothing), open the store; then
    write the feeds that have arrived (at most `batch`) in one transaction, and answer (True, result)
    or (False, error) for each, in order, after the commit. At the end of its input (the parent is
    done, or gone) it writes every feed it was told of, then exits."""
    import pickle  # loaded only when a child writes

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # an interrupt is the parent's to handle
    try:
        signal.set_wakeup_fd(-1)
    except ValueError:
        pass
    first = sock.recv(4096)
    if not first:
        return  # the gate said no, or the refresh had no feed to write
    told = first.count(_FEED)  # feeds appended to `frames` and not yet read
    # No cycle collection here: each batch is freed by reference counting once written, and a
    # collection would walk every object inherited from the parent (and copy their pages).
    gc.disable()
    from tui.core.store import Store, _story_keys

    store = Store(path)
    _story_keys()
    offset = 0
    ended = False
    try:
        while True:
            while not ended:  # what else has been told: wait for more only when nothing is left
                sock.setblocking(not told)
                try:
                    data = sock.recv(4096)
                except BlockingIOError:
                    break
                except OSError:
                    data = b""
                if not data:
                    ended = True
                told += data.count(_FEED)
            if not told:
                return
            updates: list[tuple[int, dict[str, Any]]] = []
            while told and len(updates) < batch:
                size = int.from_bytes(_read_at(frames, _HEADER, offset), "big")
                updates.append(pickle.loads(_read_at(frames, size, offset + _HEADER)))
                offset += _HEADER + size
                told -= 1
            answers = _apply(store, updates)
            if not ended:
                try:
                    sock.sendall(b"".join(len(a).to_bytes(_HEADER, "big") + a for a in answers))
                except OSError:
                    pass  # the parent is gone: every feed it handed over is still written, each whole
    finally:
        store.close()


def _apply(store: Any, updates: list[tuple[int, dict[str, Any]]]) -> list[bytes]:
    """Each feed's pickled answer: the batch in one transaction, or if that fails, one by one (one
    feed the store refuses fails alone, as in a transaction of its own)."""
    import pickle  # loaded only when a child writes

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
