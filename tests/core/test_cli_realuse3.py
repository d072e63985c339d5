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
