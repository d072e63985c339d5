"""The `refresh` command's writer process (tui.core.feeds.writer): a real `newswire refresh` against the
loopback server, with the entries written by a forked child (NEWSWIRE_WRITER=process, as when a core is
free). Whatever happens to the child or the command, every feed is whole and nothing is lost."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.faultserver import Fault, FaultServer, item, rss
from tests.hardening.test_crash_safety import ENTRIES, assert_each_feed_whole, kill_group, live_members
from tui.core.store import Store

ROOT = Path(__file__).resolve().parents[2]
FEEDS = 30  # NEWSWIRE_WRITER=process forks the writer for any number of feeds
SLOW = 8  # of them drip their body over about 1.5 s


@pytest.fixture
def server() -> Iterator[FaultServer]:
    with FaultServer() as srv:
        yield srv


def make_home(tmp_path: Path, server: FaultServer, *, slow: int = SLOW, drip: float = 0.15) -> Path:
    home = tmp_path / "writer-home"
    home.mkdir(parents=True)
    (home / "config.toml").write_text("[fetch]\ndeadline = 20\nread_timeout = 5\nconnect_timeout = 2\nper_host = 16\n")
    with Store(home / "newswire.db") as store:
        for n in range(FEEDS):
            body = rss((item(f"w{n}-e{i}", f"Feed {n} entry {i} gen 1", link=f"http://writer.example/{n}/{i}",
                             description=f"Entry {i} of feed {n}, a few words of its own.") for i in range(ENTRIES)),
                       title=f"Writer feed {n}")
            fault = Fault(body, drip=drip, piece=len(body) // 10 + 1) if n < slow else Fault(body)
            store.add_feed(server.serve(f"/w{n}", fault))
    return home


def command(home: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "tui", "--home", str(home), "refresh", *extra]


def env(mode: str) -> dict[str, str]:
    return dict(os.environ, NEWSWIRE_WRITER=mode)


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid and fields[0] not in ("Z", "X"):
                found.append(int(entry.name))
    return found


def stored(home: Path) -> int:
    try:
        with sqlite3.connect(f"file:{home / 'newswire.db'}?mode=ro", uri=True, timeout=5) as db:
            return int(db.execute("SELECT count(*) FROM entries").fetchone()[0])
    except sqlite3.OperationalError:
        return 0


def wait_for(check: object, seconds: float = 15.0) -> None:
    deadline = time.monotonic() + seconds
    while not check():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def snapshot(home: Path) -> list[tuple[object, ...]]:
    with Store(home / "newswire.db") as store:
        assert store.integrity_check() == "ok"
        rows = [(f.url, f.title, f.status, f.last_error) for f in store.feeds()]
        rows += [(e.feed_id, e.guid, e.title, e.link, e.content) for e in store.entries()]
    return sorted(rows, key=repr)


def test_the_writer_process_stores_what_the_command_stores_itself(server: FaultServer, tmp_path: Path) -> None:
    results = {}
    for mode in ("thread", "process"):
        home = make_home(tmp_path / mode, server, slow=0)
        done = subprocess.run(command(home), cwd=ROOT, capture_output=True, text=True, timeout=60, env=env(mode))
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith(f"{FEEDS * ENTRIES} new articles from {FEEDS} feeds"), done.stdout
        assert "note:" not in done.stdout
        results[mode] = snapshot(home)
    assert results["process"] == results["thread"]


def test_a_writer_process_killed_mid_refresh_loses_nothing(server: FaultServer, tmp_path: Path) -> None:
    """The child is frozen once it has stored a feed, the fast feeds pile up for it, then it is
    killed: the command writes what it had handed over, and the slow feeds, itself, and says so."""
    home = make_home(tmp_path, server)
    proc = subprocess.Popen(command(home), cwd=ROOT, env=env("process"), start_new_session=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_for(lambda: children(proc.pid))
        (child,) = children(proc.pid)
        wait_for(lambda: stored(home) > 0)
        os.kill(child, signal.SIGSTOP)
        time.sleep(0.5)  # the fast feeds are parsed and handed to the frozen child
        os.kill(child, signal.SIGKILL)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            kill_group(proc)
    assert proc.returncode == 0, err
    assert out.startswith(f"{FEEDS * ENTRIES} new articles from {FEEDS} feeds"), out
    assert "note: the writer process stopped (signal 9); the command stored the remaining feeds itself" in out
    assert not live_members(proc.pid)
    with Store(home / "newswire.db") as store:
        assert store.integrity_check() == "ok"
        assert_each_feed_whole(store)
        assert store.count_entries() == FEEDS * ENTRIES
        assert all(f.status == "ok" and f.last_error is None for f in store.feeds())


def assert_consistent(home: Path) -> None:
    """Every feed is stored whole or not at all (it is fetched again next time)."""
    with Store(home / "newswire.db") as store:
        assert store.integrity_check() == "ok"
        for feed in store.feeds():
            count = len(store.entries(feed_id=feed.id))
            assert count in (0, ENTRIES), (feed.url, count)
            assert (count == ENTRIES) == (feed.last_success is not None), feed.url


@pytest.mark.parametrize("how", ["interrupt", "terminate"])
def test_an_interrupted_refresh_with_a_writer_process_leaves_every_feed_whole(
    server: FaultServer, tmp_path: Path, how: str
) -> None:
    """Ctrl-C (SIGINT to the whole process group) or SIGTERM to the command alone, while the child
    writes and slow feeds are still arriving: both processes end, and the database holds whole feeds."""
    home = make_home(tmp_path, server, drip=0.3)
    proc = subprocess.Popen(command(home), cwd=ROOT, env=env("process"), start_new_session=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_for(lambda: children(proc.pid))
        wait_for(lambda: stored(home) > 0)
        if how == "interrupt":
            os.killpg(proc.pid, signal.SIGINT)
        else:
            os.kill(proc.pid, signal.SIGTERM)
        proc.communicate(timeout=30)
        wait_for(lambda: not live_members(proc.pid), 10)
    finally:
        if proc.poll() is None:
            kill_group(proc)
    assert proc.returncode != 0
    assert_consistent(home)
    before = stored(home)
    assert 0 < before < FEEDS * ENTRIES
    again = subprocess.run(command(home, "--force"), cwd=ROOT, capture_output=True, text=True, timeout=60, env=env("process"))
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith(f"{FEEDS * ENTRIES - before} new articles from {FEEDS} feeds"), again.stdout
    assert_consistent(home)
    assert stored(home) == FEEDS * ENTRIES
