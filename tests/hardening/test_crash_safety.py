"""Kill -9 a real `newswire refresh` at random moments, and run two at once: the database stays whole."""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.faultserver import Fault, FaultServer, item, rss
from tui.core.store import Store

ROOT = Path(__file__).resolve().parents[2]
FEEDS = 28  # past the refresh's process-pool threshold (24), so parse workers get killed too
SLOW = 4  # of them drip their body over about a second
ENTRIES = 60
KILLS = 18
SEED = 20240603


class Generations:
    """Feeds whose every entry changes on each request, stamped with the request's number."""

    def __init__(self, server: FaultServer) -> None:
        self.lock = threading.Lock()
        self.count = 0
        self.urls = [server.serve(f"/feed-{n}", Fault(handler=self._answer(n))) for n in range(FEEDS)]

    def _answer(self, n: int) -> Callable[[str], Fault]:
        def answer(path: str) -> Fault:
            with self.lock:
                self.count += 1
                gen = self.count
            body = rss((item(f"f{n}-e{i}", f"Feed {n} entry {i} gen {gen}", link=f"http://crash.example/{n}/{i}",
                             description=f"Generation {gen} of entry {i}.") for i in range(ENTRIES)),
                       title=f"Crash feed {n}")
            return Fault(body, drip=0.1, piece=len(body) // 8 + 1) if n < SLOW else Fault(body)

        return answer


def refresh_command(home: Path) -> list[str]:
    return [sys.executable, "-m", "tui", "--home", str(home), "refresh", "--force"]


def make_home(tmp_path: Path) -> Path:
    home = tmp_path / "crash-home"
    home.mkdir()
    (home / "config.toml").write_text("[fetch]\ndeadline = 5\nread_timeout = 3\nconnect_timeout = 2\nper_host = 8\n")
    return home


def live_members(group: int) -> list[int]:
    """Processes of a process group that are not yet dead (zombies wait for init to reap them)."""
    members = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                # Fields after the parenthesised command: state, ppid, pgrp, ...
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == group and fields[0] not in ("Z", "X"):
                members.append(int(entry.name))
    return members


def kill_group(proc: subprocess.Popen[bytes]) -> None:
    """SIGKILL the refresh and every process it started (forkserver, parse workers), then reap it."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait(timeout=10)
    deadline = time.monotonic() + 5
    while live_members(proc.pid):
        assert time.monotonic() < deadline, "processes of a killed refresh are still running"
        time.sleep(0.02)


def assert_each_feed_whole(store: Store) -> None:
    """Every feed holds all its entries, all from one fetch: no transaction was half applied."""
    for feed in store.feeds():
        titles = [e.title for e in store.entries(feed_id=feed.id)]
        assert len(titles) == ENTRIES, feed.url
        assert len({re.sub(r".* gen ", "", t) for t in titles}) == 1, feed.url


@pytest.fixture
def server() -> Iterator[FaultServer]:
    with FaultServer() as srv:
        yield srv


@pytest.mark.parametrize("writer", ["thread", "process"])
def test_sigkill_at_random_moments_loses_nothing(
    server: FaultServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, writer: str
) -> None:
    """With the entries written in the command's process, and in its writer process (the command's
    choice when a core is free: tui.core.feeds.writer)."""
    monkeypatch.setenv("NEWSWIRE_WRITER", writer)
    home = make_home(tmp_path)
    feeds = Generations(server)
    with Store(home / "newswire.db") as store:
        for url in feeds.urls:
            store.add_feed(url)
    first = subprocess.run(refresh_command(home), cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert first.returncode == 0, first.stderr
    with Store(home / "newswire.db") as store:
        entries = store.entries()
        read = sorted(e.id for e in entries[::7])
        starred = sorted(e.id for e in entries[::11])
        store.set_read(read)
        store.set_starred(starred)
        for entry_id in starred[:5]:
            store.record_save(entry_id, tmp_path / f"saved-{entry_id}.md")
        saves = store.saves()

    rng = random.Random(SEED)
    for _ in range(KILLS):
        proc = subprocess.Popen(refresh_command(home), cwd=ROOT, start_new_session=True,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            time.sleep(rng.uniform(0.2, 1.4))
        finally:
            kill_group(proc)

    with Store(home / "newswire.db") as store:
        assert store.integrity_check() == "ok"
        assert_each_feed_whole(store)
        assert sorted(e.id for e in store.entries() if e.read) == read
        assert sorted(e.id for e in store.entries() if e.starred) == starred
        assert store.saves() == saves
    before = feeds.count
    last = subprocess.run(refresh_command(home), cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert last.returncode == 0, last.stderr
    assert f" from {FEEDS} feeds" in last.stdout and "failed" not in last.stdout.splitlines()[0]
    assert feeds.count == before + FEEDS
    with Store(home / "newswire.db") as store:
        assert store.integrity_check() == "ok"
        assert_each_feed_whole(store)
        assert store.count_entries() == FEEDS * ENTRIES
        assert sorted(e.id for e in store.entries() if e.read) == read


def test_two_refreshes_on_one_database_both_finish_safely(server: FaultServer, tmp_path: Path) -> None:
    home = make_home(tmp_path)
    feeds = Generations(server)
    with Store(home / "newswire.db") as store:
        for url in feeds.urls:
            store.add_feed(url)
    procs = [subprocess.Popen(refresh_command(home), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for _ in range(2)]
    results = [p.communicate(timeout=60) for p in procs]
    for proc, (out, err) in zip(procs, results, strict=True):
        assert proc.returncode == 0, err
        assert f" from {FEEDS} feeds" in out
    assert feeds.count == 2 * FEEDS
    with Store(home / "newswire.db") as store:
        assert store.integrity_check() == "ok"
        assert store.count_entries() == FEEDS * ENTRIES
        assert_each_feed_whole(store)
        assert all(f.status == "ok" and f.last_error is None for f in store.feeds())
