"""Issue 12 through the real command line: import refusals, user titles, URL spellings, refresh wording, errors."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.httpserver import FeedServer, Route
from tui.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def feeds(capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    code, out, _ = run(capsys, "feeds", "--json")
    assert code == 0
    return json.loads(out)


def rss(title: str, items: int, prefix: str = "s") -> bytes:
    body = "".join(
        f"<item><title>Story {i}</title><link>https://wire.example/{prefix}{i}</link>"
        f"<guid>{prefix}{i}</guid><description>Text of story {i}.</description></item>"
        for i in range(items)
    )
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>'
            f"<link>https://wire.example/</link>{body}</channel></rss>").encode()


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as srv:
        yield srv


# -- 3: import refuses what is neither OPML nor a urls file ---------------------------------------

JSON_FEED = json.dumps({
    "version": "https://jsonfeed.org/version/1.1", "title": "Wire", "home_page_url": "https://wire.example/",
    "items": [{"id": "1", "url": "https://wire.example/1", "content_text": "Hello {/ there"}],
}, indent=2)


@pytest.mark.parametrize("content", [
    JSON_FEED.encode(),
    b"",
    b"   \n\n",
    b"title,url\nWire,https://wire.example/feed\n",
    b"Some notes about feeds I like\nhttps://wire.example/feed\n",
])
def test_import_of_a_file_that_is_not_a_subscription_list_adds_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / "subs.opml"
    path.write_bytes(content)
    code, out, err = run(capsys, "import", str(path))
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and err.startswith(f"newswire: {path}: ")
    assert "OPML" in err or "empty" in err
    assert feeds(capsys) == []


def test_import_of_a_json_feed_says_how_to_subscribe_to_it(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "feed.json"
    path.write_text(JSON_FEED)
    code, _, err = run(capsys, "import", str(path))
    assert code == 1 and "a JSON document" in err and "newswire add URL" in err


def test_import_of_a_urls_file_with_comments_and_query_feeds_still_works(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "urls"
    path.write_text('# my feeds\n\nhttps://wire.example/feed news "~My Wire"\n'
                    '"query:Unread:unread = \\"yes\\""\n')
    code, out, err = run(capsys, "import", str(path))
    assert code == 0 and "imported 1 new feeds" in out and "query feed" in err


# -- 4: the user's title survives refresh ---------------------------------------------------------


def test_titles_the_user_gave_survive_a_refresh(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, server: FeedServer
) -> None:
    given = server.route("/given", Route(body=rss("Feed Name A", 1, "a")))
    urls = server.route("/urls", Route(body=rss("Feed Name B", 1, "b")))
    opml = server.route("/opml", Route(body=rss("Feed Name C", 1, "c")))
    plain = server.route("/plain", Route(body=rss("Feed Name D", 1, "d")))
    assert run(capsys, "add", "--title", "My Title", given)[0] == 0
    (tmp_path / "urls").write_text(f'{urls} "~Newsboat Title"\n')
    assert run(capsys, "import", str(tmp_path / "urls"))[0] == 0
    (tmp_path / "s.opml").write_text(
        f'<opml version="2.0"><body><outline text="OPML Title" xmlUrl="{opml}"/></body></opml>')
    assert run(capsys, "import", str(tmp_path / "s.opml"))[0] == 0
    assert run(capsys, "add", plain)[0] == 0
    for _ in range(2):
        code, _, err = run(capsys, "refresh", "--force")
        assert code == 0, err
    titles = {f["url"]: f["title"] for f in feeds(capsys)}
    assert titles == {given: "My Title", urls: "Newsboat Title", opml: "OPML Title", plain: "Feed Name D"}


# -- 8 (core): one feed, whatever the spelling of its URL -----------------------------------------


def test_add_with_a_fragment_or_default_port_or_capitals_is_the_same_feed(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "add", "https://wire.example/feed")[0] == 0
    for spelling in ("https://wire.example/feed#latest", "HTTPS://Wire.Example:443/feed",
                     "feed://wire.example:443/feed#x".replace("feed://", "feed:https://")):
        code, out, _ = run(capsys, "add", spelling)
        assert code == 0 and out == "already subscribed: https://wire.example/feed\n", spelling
    assert [f["url"] for f in feeds(capsys)] == ["https://wire.example/feed"]
    code, out, _ = run(capsys, "remove", "https://WIRE.example/feed#latest")
    assert code == 0 and out == "removed: https://wire.example/feed\n"
    assert feeds(capsys) == []


def test_import_merges_spellings_of_one_url(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "urls").write_text("http://wire.example:80/feed#a one\nhttp://WIRE.example/feed two\n")
    code, out, _ = run(capsys, "import", str(tmp_path / "urls"))
    assert code == 0 and "imported 1 new feeds" in out
    [feed] = feeds(capsys)
    assert feed["url"] == "http://wire.example/feed" and feed["tags"] == ["one", "two"]


# -- 13 (CLI): refresh wording and progress --------------------------------------------------------


def test_refresh_summary_counts_feeds_read_and_plurals(
    capsys: pytest.CaptureFixture[str], server: FeedServer
) -> None:
    one = server.route("/one", Route(body=rss("World Wire", 1)))
    gone = server.route("/missing", Route(status=404, body=b"no"))
    run(capsys, "add", one, gone)
    code, out, err = run(capsys, "refresh")
    assert code == 1
    assert out.splitlines()[0].startswith("1 new article from 1 feed, 1 failed (in ")
    # Not a terminal: one plain line per feed, named by title once known, no escape codes.
    assert "\x1b" not in err
    assert "/2] World Wire: 1 new" in err or "/2] 127.0.0.1" in err
    assert "HTTP 404" in err


def test_progress_names_the_feeds_still_pending() -> None:
    from tui.cli.subscriptions import _waiting_for

    assert _waiting_for(["World Wire", "Harbour News"]) == "waiting for: World Wire, Harbour News"
    assert _waiting_for(["a", "b", "c", "d", "e"]) == "waiting for: a, b, c, +2 more"
    assert _waiting_for([]) == ""


# -- 14: errors that say what is wrong -------------------------------------------------------------


@pytest.mark.parametrize("text, expected", [
    ("127.0.0.1:8801/x", "http://127.0.0.1:8801/x"),
    ("localhost:8080/feed", "http://localhost:8080/feed"),
    ("example.com/feed", "https://example.com/feed"),
    ("Example.com:443/feed", "https://example.com/feed"),
])
def test_add_without_a_scheme_says_what_it_assumed(
    capsys: pytest.CaptureFixture[str], text: str, expected: str
) -> None:
    code, out, err = run(capsys, "add", text)
    assert code == 0 and out == f"added: {expected}\n"
    assert err == f"newswire: {text}: assuming {expected}\n"


def test_remove_accepts_the_ids_feeds_prints(capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "add", "https://a.example/feed", "https://b.example/feed")
    ids = {f["url"]: f["id"] for f in feeds(capsys)}
    code, out, _ = run(capsys, "remove", str(ids["https://b.example/feed"]))
    assert code == 0 and out == "removed: https://b.example/feed\n"
    code, _, err = run(capsys, "remove", "999")
    assert code == 1 and "999: no feed with id" in err
    assert [f["url"] for f in feeds(capsys)] == ["https://a.example/feed"]


@pytest.mark.parametrize("limit", ["-3", "0", "x"])
def test_list_with_a_limit_below_one_is_a_usage_error(capsys: pytest.CaptureFixture[str], limit: str) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["list", "--limit", limit])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--limit" in err
