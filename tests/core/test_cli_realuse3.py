"""What a newsboat user met on the command line in a week of use: each test failed before its fix."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.core.test_feed_settings import rss, run
from tests.httpserver import FeedServer, Route


@pytest.fixture
def server():  # type: ignore[no-untyped-def]
    with FeedServer() as srv:
        yield srv


def _subscribed(server: FeedServer, capsys: pytest.CaptureFixture[str], title: str) -> int:
    url = server.route("/feed", Route(body=rss(("1", title, "Desk"))))
    assert run(capsys, "add", url)[0] == 0 and run(capsys, "refresh")[0] == 0
    (entry,) = json.loads(run(capsys, "list", "--json")[1])
    return int(entry["id"])


def test_play_of_an_unknown_entry_says_there_is_no_such_entry(
    server: FeedServer, newswire_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    known = _subscribed(server, capsys, "Harbour reopens")
    assert run(capsys, "play", "99999") == (1, "", "newswire: no such entry: 99999\n")
    assert run(capsys, "play", str(known)) == (1, "", f"newswire: {known}: no enclosure to play\n")


def test_ignored_restore_names_an_unknown_entry(
    server: FeedServer, newswire_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    known = _subscribed(server, capsys, "Harbour reopens")
    code, out, err = run(capsys, "ignored", "--restore", str(known), "99999")
    assert code == 1 and err == "newswire: no such entry: 99999\n" and out == "shown again: 1 entry\n"


def test_download_without_an_enclosure_marks_a_cut_title_with_an_ellipsis(
    server: FeedServer, newswire_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    title = "The harbour authority publishes its plan for the new breakwater and the ferry terminal"
    known = _subscribed(server, capsys, title)
    code, _, err = run(capsys, "download", str(known))
    assert code == 1 and err.startswith(f"newswire: {known}: no enclosure to download (The harbour authority")
    assert err.endswith("…)\n") and len(err) < 120  # cut, and it says so


def test_diff_of_one_copy_names_the_command_that_compares_it_with_the_fullest_copy(
    server: FeedServer, newswire_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.core.test_stories import item
    from tests.core.test_stories import rss as story_rss

    wire = server.route("/wire", Route(body=story_rss("Coast Wire", item("w1", "ferry-original"))))
    daily = server.route("/daily", Route(body=story_rss("Island Daily", item("d1", "ferry-brief"))))
    assert run(capsys, "add", wire, daily)[0] == 0 and run(capsys, "refresh")[0] == 0
    (story,) = json.loads(run(capsys, "stories", "--json")[1])
    ids = {e["feed"]: e["id"] for e in json.loads(run(capsys, "list", "--json")[1])}
    brief, full = ids["Island Daily"], ids["Coast Wire"]
    code, out, _ = run(capsys, "diff", str(brief))
    assert code == 0
    assert out == (f"entry {brief} has one version only; it is a copy of story {story['id']}: "
                   f"newswire diff {full} {brief} shows what it changed against the fullest copy\n")
    assert f"what {brief} changed against {full}:" in run(capsys, "diff", str(full), str(brief))[1]
    code, out, _ = run(capsys, "diff", str(full))
    assert out == (f"entry {full} has one version only; it is the fullest copy of story {story['id']}: "
                   f"newswire diff {full} {brief} shows what another copy changed against it\n")


@pytest.mark.parametrize("command", ["stories", "ignored"])
@pytest.mark.parametrize("limit", ["0", "-1"])
def test_limit_below_one_is_a_usage_error_everywhere(
    newswire_home: Path, capsys: pytest.CaptureFixture[str], command: str, limit: str
) -> None:
    # As for list: stories --limit 0 said "no stories yet" over a store with stories.
    from tui.cli import main

    with pytest.raises(SystemExit) as stopped:
        main([command, "--limit", limit])
    captured = capsys.readouterr()
    assert stopped.value.code == 2 and captured.out == ""
    assert f"--limit: must be 1 or more, not {limit}" in captured.err
