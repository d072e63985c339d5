"""Saving articles with hostile titles: safe, unique names inside the save directory; atomic, never overwriting."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tui.core.article.export import save_article, write_new_file
from tui.core.models import Article, Block, ParsedEntry, ParsedFeed
from tui.core.store import Store

ROOT = Path(__file__).resolve().parents[2]
STORY = ("The ferry company said its three boats would run an extra evening crossing through "
         "the summer, after a season in which passengers were turned away on most weekends. ") * 3
HOSTILE_TITLES = [
    "../../etc/passwd",
    "..\\..\\Windows\\System32\\drivers",
    "/absolute/path/name",
    "CON", "nul", "COM1", "lpt9", "con.txt", "Aux", "COM¹",
    "x" * 1000,
    "🔥🎉🚀",
    "",
    "   \t  ",
    "...", ". . .", ".hidden",
    "\x1b[31mred\x1b[0m\x00\x07bell",
    'a/b\\c:d*e?f"g<h>i|j',
    "\u202egnp.exe",
    "Harbour strike ends",
    "Harbour strike ends",  # the same title twice
]
RESERVED = {"con", "prn", "aux", "nul"} | {f"com{i}" for i in range(10)} | {f"lpt{i}" for i in range(10)}
SAFE_NAME = re.compile(r"^[^\W_][\w-]{0,79}(?:-\d+)?\.(?:md|txt|json)$")


@pytest.fixture
def work(tmp_path: Path) -> Path:
    """An empty directory of this test's own (tmp_path also holds the autouse NEWSWIRE_HOME)."""
    path = tmp_path / "work"
    path.mkdir()
    return path


def article(title: str, text: str = STORY) -> Article:
    return Article(title=title, blocks=(Block("paragraph", text),))


def assert_safe(paths: list[Path], directory: Path) -> None:
    assert len(set(paths)) == len(paths)
    for path in paths:
        assert path.parent.resolve() == directory.resolve()
        assert SAFE_NAME.match(path.name), path.name
        assert re.sub(r"-\d+$", "", path.name.split(".")[0]) not in RESERVED
        assert path.is_file() and STORY.strip()[:40] in path.read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", ["markdown", "text", "json"])
def test_hostile_titles_give_safe_unique_names_inside_the_directory(work: Path, fmt: str) -> None:
    target = work / "saved"
    paths = [save_article(article(t), target, fmt) for t in HOSTILE_TITLES]
    assert_safe(paths, target)
    assert sorted(p.name for p in work.iterdir()) == ["saved"]  # nothing escaped upwards
    assert len(list(target.iterdir())) == len(HOSTILE_TITLES)


def test_newswire_save_end_to_end(work: Path) -> None:
    home = work / "home"
    home.mkdir()
    (home / "config.toml").write_text("[reader]\nfull_text = false\n")
    with Store(home / "newswire.db") as store:
        feed, _ = store.add_feed("http://save.example/feed")
        items = tuple(ParsedEntry(guid=f"s{i}", title=t, content=f"<p>{STORY}</p>", content_hash=f"h{i}")
                      for i, t in enumerate(HOSTILE_TITLES))
        store.apply_refresh(feed.id, checked_at=datetime.now(UTC), status="ok", error=None,
                            parsed=ParsedFeed(kind="rss", title="Saves", entries=items))
        ids = [str(e.id) for e in store.entries()]
    target = work / "out"
    done = subprocess.run([sys.executable, "-m", "tui", "--home", str(home), "save", *ids, "--to", str(target)],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    paths = [Path(line) for line in done.stdout.splitlines()]
    assert len(paths) == len(HOSTILE_TITLES)
    assert_safe(paths, target)
    with Store(home / "newswire.db") as store:
        assert sorted(p for _, p in store.saves()) == sorted(map(str, paths))


def test_an_existing_file_or_link_is_never_overwritten(work: Path) -> None:
    (work / "harbour-strike-ends.md").write_text("mine")
    elsewhere = work / "elsewhere.txt"
    (work / "harbour-strike-ends-2.md").symlink_to(elsewhere)  # dangling
    path = save_article(article("Harbour strike ends"), work)
    assert path.name == "harbour-strike-ends-3.md"
    assert (work / "harbour-strike-ends.md").read_text() == "mine"
    assert not elsewhere.exists()


def test_concurrent_savers_of_one_title_all_get_their_own_file(work: Path) -> None:
    start = threading.Barrier(16)
    paths: list[Path] = []
    lock = threading.Lock()

    def save(n: int) -> None:
        start.wait()
        path = write_new_file(work, "same-title", "md", f"saver {n}\n".encode() * 20_000)
        with lock:
            paths.append(path)

    threads = [threading.Thread(target=save, args=(n,)) for n in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert len(set(paths)) == 16
    contents = {p.read_text().splitlines()[0] for p in paths}
    assert contents == {f"saver {n}" for n in range(16)}  # nobody overwrote anybody
    assert all(len(set(p.read_text().splitlines())) == 1 for p in paths)
    assert sorted(os.listdir(work)) == sorted(p.name for p in paths)  # no temporary files left


def test_no_partial_file_is_ever_visible(work: Path) -> None:
    data = b"x" * 2_000_000 + b"\nEND\n"
    stop = threading.Event()
    partial: list[str] = []

    def watch() -> None:
        while not stop.is_set():
            for name in os.listdir(work):
                if not name.startswith("."):
                    with open(work / name, "rb") as handle:
                        if handle.read() != data:
                            partial.append(name)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        for _ in range(15):
            write_new_file(work, "big", "txt", data)
    finally:
        stop.set()
        watcher.join()
    assert partial == []
    assert len(os.listdir(work)) == 15


# RLIMIT_FSIZE makes the write fail for real (EFBIG) once the file would pass 100 KB.
FAIL_WRITES = """
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (100_000, 100_000))
"""


def test_a_failed_write_leaves_no_file_and_no_temporary_file(work: Path) -> None:
    code = FAIL_WRITES + f"""
from pathlib import Path
from tui.core.article.export import save_article
from tui.core.models import Article, Block
try:
    save_article(Article(title="Too big", blocks=(Block("paragraph", "word " * 100_000),)), Path({str(work)!r}))
except OSError as exc:
    print("failed:", exc.strerror)
"""
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "failed: File too large", done.stderr
    assert os.listdir(work) == []


def test_newswire_save_reports_a_failed_write_and_leaves_nothing(work: Path) -> None:
    home = work / "home"
    home.mkdir()
    (home / "config.toml").write_text("[reader]\nfull_text = false\n")
    with Store(home / "newswire.db") as store:
        feed, _ = store.add_feed("http://save.example/feed")
        entry = ParsedEntry(guid="big", title="A long read", content=f"<p>{STORY * 300}</p>", content_hash="h")
        store.apply_refresh(feed.id, checked_at=datetime.now(UTC), status="ok", error=None,
                            parsed=ParsedFeed(kind="rss", entries=(entry,)))
        entry_id = str(store.entries()[0].id)
    command = [sys.executable, "-m", "tui", "--home", str(home), "save", entry_id]
    # A first save caches the cleaned article, so the failing run writes nothing but the file.
    warm = subprocess.run([*command, "--to", str(work / "warm")], cwd=ROOT, capture_output=True, text=True)
    assert warm.returncode == 0, warm.stderr
    target = work / "out"
    target.mkdir()
    wrapper = FAIL_WRITES + "import sys; from tui.cli import main; sys.exit(main(sys.argv[1:]))"
    done = subprocess.run([sys.executable, "-c", wrapper, *command[3:], "--to", str(target)],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert done.stderr == f"newswire: {entry_id}: cannot save in {target}: File too large\n"
    assert os.listdir(target) == []
    with Store(home / "newswire.db") as store:
        assert len(store.saves()) == 1  # only the warm-up save was recorded
