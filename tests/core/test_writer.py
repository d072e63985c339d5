"""When the `refresh` command writes in a second process (tui.core.feeds.writer): only with a core free."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tui.core.feeds import writer
from tui.core.models import Feed
from tui.core.store import Store

ROOT = Path(__file__).resolve().parents[2]


def stat_line(user: int, system: int, idle: int) -> str:
    # cpu user nice system idle iowait irq softirq steal guest guest_nice
    return f"cpu  {user} 0 {system} {idle} 0 0 0 0 0 0\ncpu0 0 0 0 0 0 0 0 0 0 0\n"


@pytest.fixture
def stat(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "stat"
    path.write_text(stat_line(1000, 500, 90_000))
    monkeypatch.setattr(writer, "_STAT", str(path))
    return path


def test_an_idle_machine_leaves_a_core_for_the_writer(stat: Path) -> None:
    cores = os.cpu_count() or 1
    gate = writer.CoreGate()
    stat.write_text(stat_line(1000, 500, 90_000 + 50 * cores))  # half a second, every core idle
    assert gate.free_cores() == pytest.approx(cores - 1, abs=0.3)


def test_a_machine_busy_elsewhere_keeps_the_writes_in_the_command(stat: Path) -> None:
    cores = os.cpu_count() or 1
    gate = writer.CoreGate()
    stat.write_text(stat_line(1000 + 40 * cores, 500 + 10 * cores, 90_000))  # every core busy
    free = gate.free_cores()
    assert free is not None and free < writer.GATE_FREE


def test_a_reading_too_short_or_missing_says_nothing(stat: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    gate = writer.CoreGate()
    stat.write_text(stat_line(1002, 500, 90_003))  # 5 jiffies: too coarse to tell
    assert gate.free_cores() is None
    monkeypatch.setattr(writer, "_STAT", str(tmp_path / "missing"))
    assert not writer.CoreGate().available
    monkeypatch.setenv("NEWSWIRE_WRITER", "auto")
    with Store(tmp_path / "db.sqlite") as store:
        feeds = [Feed(id=n, url=f"http://example.com/{n}") for n in range(writer.WRITER_FEEDS + 10)]
        assert writer.WriterProcess.start(store, feeds, batch=16) is None  # no child, no fork


def test_only_a_refresh_with_enough_full_answers_coming_forks(monkeypatch: pytest.MonkeyPatch) -> None:
    fresh = [Feed(id=n, url=f"http://example.com/{n}") for n in range(writer.WRITER_FEEDS)]
    known = [Feed(id=n, url=f"http://example.com/{n}", etag='"x"') for n in range(100)]
    assert writer.wants_writer(fresh)
    assert not writer.wants_writer(fresh[1:] + known)  # the 304s write nothing worth a process
    monkeypatch.setenv("NEWSWIRE_WRITER", "thread")
    assert writer.mode() == "thread"


def test_a_small_refresh_forks_no_writer(stat: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """50 feeds, on an idle machine: a fork and a second process cost more than their writes take."""
    monkeypatch.setenv("NEWSWIRE_WRITER", "auto")
    with Store(tmp_path / "db.sqlite") as store:
        feeds = [Feed(id=n, url=f"http://example.com/{n}") for n in range(50)]
        assert writer.WriterProcess.start(store, feeds, batch=16) is None


GATE_SAYS_NO = """
import asyncio, json, sys
from datetime import UTC, datetime
from tui.core.feeds import writer
from tui.core.models import Feed
from tui.core.store import Store
writer._STAT = sys.argv[2]
store = Store(sys.argv[1])
feed, _ = store.add_feed("http://example.com/feed")
child = writer.WriterProcess.start(store, [Feed(id=n, url=str(n)) for n in range(writer.WRITER_FEEDS)], batch=16)
open(sys.argv[2], "w").write("cpu  900000 0 900000 100 0 0 0 0 0 0\\n")  # every core was busy
answer = asyncio.run(child.write(feed.id, dict(checked_at=datetime.now(UTC), status="ok", error=None)))
ended = child.close()
print(json.dumps({"answer": answer, "used": child.used, "running": child.running, "ended": ended}))
"""


def test_when_the_gate_says_no_the_child_exits_having_written_nothing(tmp_path: Path) -> None:
    stat = tmp_path / "stat"
    stat.write_text("cpu  1000 0 1000 100 0 0 0 0 0 0\n")
    done = subprocess.run([sys.executable, "-c", GATE_SAYS_NO, str(tmp_path / "db.sqlite"), str(stat)], cwd=ROOT,
                          capture_output=True, text=True, timeout=30, env=dict(os.environ, NEWSWIRE_WRITER="auto"))
    assert done.returncode == 0, done.stderr
    # None: the command writes the feed itself; the child, told the input had ended, exited at once.
    assert json.loads(done.stdout) == {"answer": None, "used": False, "running": False, "ended": "exit 0"}


GATE_RETIRES = """
import asyncio, json, sys, time
from datetime import UTC, datetime
from tui.core.feeds import writer
from tui.core.models import Feed
from tui.core.store import Store
writer._STAT = sys.argv[2]
store = Store(sys.argv[1])
feeds = [store.add_feed(f"http://example.com/{n}")[0] for n in range(3)]
child = writer.WriterProcess.start(store, [Feed(id=n, url=str(n)) for n in range(writer.WRITER_FEEDS)], batch=16)
open(sys.argv[2], "w").write("cpu  1000 0 1000 900000 0 0 0 0 0 0\\n")  # every core was idle

async def main():
    update = dict(checked_at=datetime.now(UTC), status="ok", error=None, etag="first")
    answers = [await child.write(feeds[0].id, update)]
    open(sys.argv[2], "w").write("cpu  900000 0 900000 900000 0 0 0 0 0 0\\n")  # then every core busy
    time.sleep(writer.RECHECK)
    answers += [await child.write(f.id, dict(update, etag="later")) for f in feeds[1:]]
    await child.drained()
    return answers

answers = asyncio.run(main())
child.close()
print(json.dumps({"answers": answers, "retired": child.retired, "ended": child.ended,
                  "etags": [store.feed(f.id).etag for f in feeds]}))
"""


def test_when_the_machine_gets_busy_the_child_writes_what_it_has_and_no_more(tmp_path: Path) -> None:
    stat = tmp_path / "stat"
    stat.write_text("cpu  1000 0 1000 100 0 0 0 0 0 0\n")
    done = subprocess.run([sys.executable, "-c", GATE_RETIRES, str(tmp_path / "db.sqlite"), str(stat)], cwd=ROOT,
                          capture_output=True, text=True, timeout=30, env=dict(os.environ, NEWSWIRE_WRITER="auto"))
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    # The first feed was written by the child; the later two are handed back (None) to the command.
    assert result["answers"] == [[0, 0, 0, []], None, None]
    assert result["retired"] and result["ended"] == "exit 0"
    assert result["etags"] == ["first", None, None]


def test_with_other_work_running_now_no_child_is_forked(stat: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cores = os.cpu_count() or 1
    # this one, and a task running for every core
    stat.write_text(stat_line(1000, 500, 90_000) + f"procs_running {cores + 1}\nprocs_blocked 0\n")
    monkeypatch.setenv("NEWSWIRE_WRITER", "auto")
    with Store(tmp_path / "db.sqlite") as store:
        feeds = [Feed(id=n, url=f"http://example.com/{n}") for n in range(writer.WRITER_FEEDS + 10)]
        assert writer.WriterProcess.start(store, feeds, batch=16) is None
    assert writer.CoreGate().running_elsewhere == cores


def test_one_core_busy_elsewhere_still_leaves_the_writer_room(stat: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A second job keeping one core busy (a build, `yes`): the child is forked, and its writes pay for
    it (on two cores the refresh ended 0.07 s sooner); one busy task for every core: no child."""
    cores = os.cpu_count() or 1
    if cores < 2 or len(os.sched_getaffinity(0)) < 2:
        pytest.skip("one usable core: never a child")
    gate = writer.CoreGate()
    # half a second: one core's worth busy elsewhere, the rest idle
    stat.write_text(stat_line(1000 + 40, 500 + 10, 90_000 + 50 * (cores - 1)))
    free = gate.free_cores()
    assert free is not None and free >= writer.GATE_FREE
    stat.write_text(stat_line(1000, 500, 90_000) + "procs_running 2\nprocs_blocked 0\n")  # this one + one other
    monkeypatch.setenv("NEWSWIRE_WRITER", "auto")
    with Store(tmp_path / "db.sqlite") as store:
        feeds = [Feed(id=n, url=f"http://example.com/{n}") for n in range(writer.WRITER_FEEDS + 10)]
        child = writer.WriterProcess.start(store, feeds, batch=16)
        assert child is not None
        assert child.close() == "exit 0"  # told nothing: it exits having opened nothing


def test_feeds_a_killed_writer_committed_but_never_answered_for_count_as_new(tmp_path: Path) -> None:
    """The child can die after its commit and before its answer: the command writes those feeds again,
    finds their entries stored, and must still report them as this refresh's new articles."""
    import asyncio
    import socket
    from datetime import UTC, datetime

    from tui.core.feeds.parse import parse_feed

    xml = ("<?xml version='1.0'?><rss version='2.0'><channel><title>Quay</title><link>https://quay.example/</link>"
           + "".join(f"<item><guid>q{n}</guid><title>Ferry {n}</title><link>https://quay.example/{n}</link>"
                     f"<description>The ferry sailed at {n} o'clock.</description></item>" for n in range(5))
           + "</channel></rss>").encode()
    with Store(tmp_path / "db.sqlite") as store:
        feed, _ = store.add_feed("https://quay.example/feed.xml")
        mark = store.last_entry_id()
        kwargs = {"checked_at": datetime.now(UTC), "status": "ok", "error": None,
                  "parsed": parse_feed(xml, url=feed.url)}
        store.apply_refresh_many([(feed.id, kwargs)])  # what the child committed before it was killed
        pid = os.fork()
        if pid == 0:
            os._exit(0)
        mine, _theirs = socket.socketpair()
        proc = writer.WriterProcess(store, pid, mine, writer._memory_file(), None, mark)

        async def take_back() -> object:
            done = asyncio.get_running_loop().create_future()
            proc._waiting.append((feed.id, kwargs, done))
            await proc._take_back()
            return await done

        result = asyncio.run(take_back())
        assert result[0] == 5  # type: ignore[index]
        assert store.entries_after(feed.id, mark) == 5
        assert proc.note is not None and "stopped" in proc.note
        # Their teasers' page ids, which the child never sent back, are not lost either: the same
        # refresh's prefetch pass (PrefetchSession.finish → _classify) takes every entry with no
        # prefetch row and no reading, and these are all five.
        candidates = store.prefetch_candidates(limit=50, retry_before=datetime.now(UTC).isoformat(), max_attempts=3)
        assert sorted(row[1] for row in candidates) == [f"https://quay.example/{n}" for n in range(5)]
