"""What a new user met on the command line trying real feeds: each test failed before its fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.core.test_feed_settings import ITEMS, rss, run, server, write_config  # noqa: F401 (server: a fixture)
from tests.httpserver import FeedServer, Route


def test_counts_of_one_read_as_one(server: FeedServer, newswire_home: Path,  # noqa: F811
                                   capsys: pytest.CaptureFixture[str]) -> None:
    url = server.route("/feed", Route(body=rss(*ITEMS)))
    assert run(capsys, "add", url)[0] == 0 and run(capsys, "refresh")[0] == 0
    write_config(newswire_home, '[[ignore]]\nfilter = \'author = "Ads"\'\n')
    code, _, err = run(capsys, "ignored", "--apply")
    assert code == 0 and "kill rules hid 1 stored entry\n" in err
    (hidden,) = [line.split()[0] for line in run(capsys, "ignored")[1].splitlines()]
    assert run(capsys, "ignored", "--restore", hidden)[1] == "shown again: 1 entry\n"
