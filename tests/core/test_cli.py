"""The command line: one-line errors, exit codes 0/1/2, entry state commands, JSON shapes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tui.cli import main
from tui.core.models import ParsedEntry, ParsedFeed
from tui.core.paths import resolve_paths
from tui.core.store import Store

ROOT = Path(__file__).resolve().parents[2]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def stocked(newswire_home: Path) -> Store:
    store = Store(resolve_paths().database)
    feed, _ = store.add_feed("https://relay.example/feed", tags=["world"])
    entries = tuple(
        ParsedEntry(guid=f"g{i}", title=f"Story {i} [bold]", link=f"https://relay.example/{i}",
                    published=datetime(2026, 11, i, tzinfo=UTC), content_hash=f"h{i}")
        for i in (1, 2, 3)
    )
    store.apply_refresh(feed.id, checked_at=datetime(2026, 11, 4, tzinfo=UTC), status="ok", error=None,
                        parsed=ParsedFeed(kind="rss", title="Relay", entries=entries))
    store.close()
    return store


def test_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    for command in ("add", "remove", "import", "export", "refresh", "feeds", "list", "mark-read",
                    "mark-unread", "star", "unstar", "clean", "extract", "save", "--home"):
        assert command in out


def test_usage_error_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["mark-read", "not-a-number"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "invalid int value" in err


def test_list_json_shape_and_state_commands(capsys: pytest.CaptureFixture[str], stocked: Store) -> None:
    code, out, _ = run(capsys, "list", "--json")
    assert code == 0
    rows = json.loads(out)
    assert [r["title"] for r in rows] == ["Story 3 [bold]", "Story 2 [bold]", "Story 1 [bold]"]
    assert set(rows[0]) == {"id", "feed", "feed_url", "title", "link", "published", "read", "starred", "story", "updated"}
    assert rows[0]["feed"] == "Relay" and rows[0]["published"] == "2026-11-03T00:00:00+00:00"
    first = rows[0]["id"]
    assert run(capsys, "mark-read", str(first))[0] == 0
    assert run(capsys, "star", str(first))[0] == 0
    code, out, _ = run(capsys, "list", "--unread", "--json")
    assert first not in [r["id"] for r in json.loads(out)]
    code, out, _ = run(capsys, "list", "--starred", "--json")
    assert [r["id"] for r in json.loads(out)] == [first]
    assert run(capsys, "mark-unread", str(first))[0] == 0
    assert run(capsys, "unstar", str(first))[0] == 0
    rows = json.loads(run(capsys, "list", "--json")[1])
    assert rows[0]["read"] is False and rows[0]["starred"] is False


def test_unknown_id_fails_with_exit_1_but_does_the_rest(capsys: pytest.CaptureFixture[str], stocked: Store) -> None:
    ids = [r["id"] for r in json.loads(run(capsys, "list", "--json")[1])]
    code, _out, err = run(capsys, "mark-read", str(ids[0]), "999")
    assert code == 1 and "no such entry: 999" in err and err.count("\n") == 1
    assert json.loads(run(capsys, "list", "--json")[1])[0]["read"] is True


def test_add_remove_and_feeds(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "add", "https://a.example/rss", "--tag", "tech")
    assert code == 0 and "added: https://a.example/rss" in out
    assert "already subscribed" in run(capsys, "add", "https://a.example/rss")[1]
    code, out, err = run(capsys, "add", "ftp://a.example/rss")
    assert code == 1 and err.count("\n") == 1
    feeds = json.loads(run(capsys, "feeds", "--json")[1])
    assert [(f["url"], f["tags"], f["status"]) for f in feeds] == [("https://a.example/rss", ["tech"], "new")]
    assert run(capsys, "remove", "https://a.example/rss")[0] == 0
    code, _, err = run(capsys, "remove", "https://a.example/rss")
    assert code == 1 and "not subscribed" in err


def test_home_flag_wins_over_environment(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    other = tmp_path / "elsewhere"
    assert run(capsys, "--home", str(other), "add", "https://b.example/feed")[0] == 0
    assert (other / "newswire.db").exists()
    assert json.loads(run(capsys, "feeds", "--json")[1]) == []


def test_bad_config_is_one_line_naming_file_and_line(capsys: pytest.CaptureFixture[str], newswire_home: Path) -> None:
    (newswire_home / "config.toml").write_text("[fetch]\nper_host = -1\n")
    code, _, err = run(capsys, "feeds")
    assert code == 1 and err.count("\n") == 1
    assert "config.toml:2: key 'fetch.per_host'" in err


def test_corrupt_database_is_one_line(capsys: pytest.CaptureFixture[str], newswire_home: Path) -> None:
    (newswire_home / "newswire.db").write_bytes(b"garbage" * 1000)
    code, _, err = run(capsys, "list")
    assert code == 1 and err.count("\n") == 1 and "cannot open the database" in err


def test_python_dot_runs_from_a_checkout(newswire_home: Path) -> None:
    out = subprocess.run([sys.executable, ".", "--version"], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.startswith("newswire ")


def test_the_process_exit_keeps_every_line_and_the_exit_status(tmp_path: Path) -> None:
    """The command ends the process as soon as its work is done: its output (to a file or a pipe,
    past any buffer) is still complete, and failures still give exit status 1."""
    home = tmp_path / "home"
    urls = [f"https://site{i}.example/feed.xml" for i in range(600)]
    (tmp_path / "urls").write_text("\n".join(urls) + "\n")
    command = [sys.executable, "-m", "tui", "--home", str(home)]
    # Buffered output, as a user's shell gives it (the test runner's environment may not).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    assert subprocess.run([*command, "import", str(tmp_path / "urls")], cwd=ROOT, env=env).returncode == 0
    with (tmp_path / "feeds.txt").open("w") as sink:
        assert subprocess.run([*command, "feeds"], cwd=ROOT, env=env, stdout=sink).returncode == 0
    assert (tmp_path / "feeds.txt").read_text().count("\n     https://site") == 600
    piped = subprocess.run([*command, "export"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert piped.returncode == 0 and piped.stdout.rstrip().endswith("</opml>")
    assert piped.stdout.count("xmlUrl=\"https://site") == 600
    failed = subprocess.run([*command, "remove", "https://nowhere.example/"], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    assert failed.returncode == 1 and "not subscribed" in failed.stderr
