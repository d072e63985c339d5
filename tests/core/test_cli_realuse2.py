"""What a newsboat user met on the command line in a second pass (stories, kill rules): each test failed before its fix."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.core.test_feed_settings import ITEMS, rss, run, write_config
from tests.core.test_stories import item
from tests.core.test_stories import rss as story_rss
from tests.httpserver import FeedServer, Route
from tui.cli import main


@pytest.fixture
def server():  # type: ignore[no-untyped-def]
    with FeedServer() as srv:
        yield srv


def test_story_read_of_an_unknown_story_is_an_error_and_stories_unread_says_none_is_unread(
    server: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    wire = server.route("/wire", Route(body=story_rss("Coast Wire", item("w1", "ferry-original"))))
    daily = server.route("/daily", Route(body=story_rss("Island Daily", item("d1", "ferry-brief"))))
    assert main(["add", wire, daily]) == 0 and main(["refresh"]) == 0
    capsys.readouterr()
    (story,) = json.loads(run(capsys, "stories", "--json")[1])

    code, out, err = run(capsys, "story-read", str(story["id"]), "99999")
    assert code == 1 and err == "newswire: no such story: 99999 (see: newswire stories)\n"
    assert out == "marked read: 2 entries\n"  # the known story is still marked
    # Every story is read now: there are stories, none unread.
    assert run(capsys, "stories", "--unread") == (0, "no story with unread copies\n", "")


def test_ignored_says_when_nothing_is_hidden(
    server: FeedServer, newswire_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "ignored")
    assert code == 0 and out.startswith("nothing hidden: no kill rules")
    assert run(capsys, "ignored", "--json")[1] == "[]\n"
    url = server.route("/feed", Route(body=rss(*ITEMS)))
    assert run(capsys, "add", url)[0] == 0 and run(capsys, "refresh")[0] == 0
    write_config(newswire_home, '[[ignore]]\nfilter = \'author = "Ads"\'\n')
    code, out, _ = run(capsys, "ignored")
    assert code == 0 and "--apply runs them over those already stored" in out


def test_import_config_keeps_a_setting_the_config_already_has(
    newswire_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_config(newswire_home, '[enclosures]\nplayer = "vlc --intf dummy {url}"\n')
    source = tmp_path / "config"
    source.write_text('player "mpv"\nreload-time 30\nauto-reload yes\n')
    code, out, _ = run(capsys, "import-config", str(source))
    assert code == 0 and "auto_reload = 30" in out and "player" not in out
    text = (newswire_home / "config.toml").read_text()
    assert 'player = "vlc --intf dummy {url}"' in text and "mpv" not in text


def test_feeds_says_a_synced_feed_is_fetched_by_the_server_not_never(
    newswire_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tui.core.feeds.sync.records import RemoteFeed
    from tui.core.paths import resolve_paths
    from tui.core.store import Store

    paths = resolve_paths()
    paths.ensure()
    with Store(paths.database) as store:
        store.add_feed("https://local.example/feed.xml")
        store.apply_remote_feeds([RemoteFeed("7", "https://server.example/feed.xml", "Server Gazette")])
    out = run(capsys, "feeds")[1]
    assert "never  https://local.example/feed.xml" in out
    assert "synced  Server Gazette" in out and "never  Server Gazette" not in out


def test_refresh_of_synced_feeds_says_the_server_brings_them(
    newswire_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tui.core.feeds.sync.records import RemoteFeed
    from tui.core.paths import resolve_paths
    from tui.core.store import Store

    paths = resolve_paths()
    paths.ensure()
    with Store(paths.database) as store:
        store.apply_remote_feeds([RemoteFeed("7", "https://server.example/feed.xml", "Server Gazette")])
    code, out = run(capsys, "refresh", "--no-prefetch")[:2]
    assert code == 0
    assert "1 feed is kept by the sync server: `newswire sync` brings their articles" in out


def test_add_with_a_title_renames_a_feed_already_subscribed(
    newswire_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "add", "https://paper.example/feed.xml", "--title", "Paper")[0] == 0
    code, out = run(capsys, "add", "https://paper.example/feed.xml", "--title", "The Morning Paper")[:2]
    assert code == 0 and "already subscribed: https://paper.example/feed.xml (now titled The Morning Paper)" in out
    feeds = json.loads(run(capsys, "feeds", "--json")[1])
    assert [f["title"] for f in feeds] == ["The Morning Paper"]
