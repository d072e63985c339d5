"""Per-feed settings, kill rules and query feeds: config validation, refresh hooks, newsboat imports via the CLI."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.httpserver import FeedServer, Route
from tui.cli.main import main
from tui.core.config import ConfigError, parse_config
from tui.core.feeds.fetch import Fetcher
from tui.core.feeds.refresh import refresh_feeds
from tui.core.feeds.rules import FeedRules
from tui.core.filters import compile_filter
from tui.core.store import Store


def rss(*items: tuple[str, str, str]) -> bytes:
    """A feed of (guid, title, author) items."""
    body = "".join(
        f"<item><guid>{g}</guid><title>{t}</title><author>{a}</author>"
        f"<pubDate>Mon, 01 Jun 2026 10:00:00 GMT</pubDate></item>"
        for g, t, a in items
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>{body}</channel></rss>'.encode()


ITEMS = (
    ("1", "Election results are in", "Desk"),
    ("2", "Sponsored: a new phone", "Ads"),
    ("3", "Harbour reopens", "Desk"),
    ("4", "Opinion: why phones", "Bot"),
)


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as srv:
        yield srv


# -- config validation -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[[feed]]\ntag = "x"\nrefresh_interval = 5\n', r"config.toml:3: key 'feed\[1\].refresh_interval': must be at least 60"),
        ('[[feed]]\nurl = "https://a.example/"\ntag = "x"\n', r"config.toml:1: key 'feed\[1\]': needs exactly one of 'url' or 'tag'"),
        ('[[feed]]\ntag = "a"\n\n[[feed]]\ntag = "b"\nfull_text = "no"\n', r"config.toml:6: key 'feed\[2\].full_text': the value must be true or false"),
        ('[[feed]]\ntag = "a"\nheaders = { "Bad Name" = "v" }\n', r"config.toml:3: key 'feed\[1\].headers': 'Bad Name' is not a valid header name"),
        ('[[feed]]\ntag = "a"\nuser_agent = "a\\nb"\n', r"config.toml:3: key 'feed\[1\].user_agent': must be one line"),
        ('[[feed]]\ntag = "a"\ncolour = "red"\n', r"config.toml:3: key 'feed\[1\].colour': unknown setting"),
        ('[[ignore]]\nfeed = "*"\nfilter = \'title "x"\'\n', r"config.toml:3: key 'ignore\[1\].filter': bad filter: expected an operator after `title` at 7"),
        ('[[ignore]]\nfeed = "ftp://x"\nfilter = \'title = "x"\'\n', r"config.toml:2: key 'ignore\[1\].feed': must be"),
        ('[[query]]\nfilter = \'unread = "yes"\'\n', r"config.toml:1: key 'query\[1\]': 'name' is missing"),
        ("[fetch]\nauto_reload = -1\n", r"config.toml:2: key 'fetch.auto_reload': must be 0"),
        ('[enclosures]\nplayer = "mpv \'{url}"\n', r"config.toml:2: key 'enclosures.player': cannot be split"),
    ],
)
def test_mistakes_name_file_line_and_key(text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_config(text, Path("config.toml"))


def test_settings_resolve_by_tag_then_url() -> None:
    config = parse_config(
        '[[feed]]\ntag = "slow"\nrefresh_interval = 7200\nfull_text = false\nheaders = { "X-A" = "1" }\n'
        '[[feed]]\nurl = "https://Wire.example/feed"\nrefresh_interval = 600\ntitle = "My Wire"\n'
        'user_agent = "Custom/1.0"\nhidden = true\n'
    )
    rules = FeedRules.from_config(config)
    from tui.core.models import Feed

    wire = Feed(id=1, url="https://wire.example/feed", tags=("slow",))
    other = Feed(id=2, url="https://other.example/feed", tags=("slow",))
    plain = Feed(id=3, url="https://plain.example/feed")
    assert rules.interval(wire, 1800) == 600 and rules.interval(other, 1800) == 7200
    assert rules.interval(plain, 1800) == 1800
    assert rules.headers(wire) == {"X-A": "1", "User-Agent": "Custom/1.0"}
    assert rules.title(wire) == "My Wire" and rules.hidden(wire) and not rules.hidden(other)
    assert rules.full_text(other, True) is False and rules.full_text(plain, True) is True
    assert rules.prefetch(plain, True) is True


# -- applied at refresh --------------------------------------------------------------------------


async def test_refresh_sends_headers_uses_interval_and_title(server: FeedServer, tmp_path: Path) -> None:
    url = server.route("/feed", Route(body=rss(*ITEMS)))
    plain_url = server.route("/plain", Route(body=rss(*ITEMS)))
    config = parse_config(
        f'[[feed]]\nurl = "{url}"\nrefresh_interval = 7200\ntitle = "Renamed"\n'
        f'user_agent = "Podcatcher/2"\nheaders = {{ "X-Token" = "s3cret" }}\n'
    )
    with Store(tmp_path / "db.sqlite") as store:
        store.add_feed(url)
        store.add_feed(plain_url)
        async with Fetcher(connect_timeout=2, read_timeout=2, deadline=5) as fetcher:
            before = datetime.now(UTC)
            await refresh_feeds(store, fetcher, rules=FeedRules.from_config(config), default_interval=1800)
        (request,) = server.requests_to("/feed")
        assert request.headers["user-agent"] == "Podcatcher/2" and request.headers["x-token"] == "s3cret"
        (plain,) = server.requests_to("/plain")
        assert "x-token" not in plain.headers and "Newswire" in plain.headers["user-agent"]
        feed = store.feed_by_url(url)
        assert feed is not None and feed.title == "Renamed"
        assert feed.next_due is not None and feed.next_due >= before + timedelta(seconds=7190)
        other = store.feed_by_url(plain_url)
        assert other is not None and other.title == "Wire"
        assert other.next_due is not None and other.next_due < before + timedelta(seconds=1900)


def write_config(home: Path, text: str) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(text)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_kill_rules_hide_at_refresh_and_lose_nothing(
    server: FeedServer, newswire_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = server.route("/feed", Route(body=rss(*ITEMS)))
    write_config(newswire_home, (
        '[[ignore]]\nfeed = "*"\nfilter = \'title =~ "^sponsored"\'\n'
        f'[[ignore]]\nfeed = "{url}"\nfilter = \'author = "Bot"\'\n'
        '[[ignore]]\nfeed = "https://elsewhere.example/feed"\nfilter = \'author = "Desk"\'\n'
    ))
    assert run(capsys, "add", url)[0] == 0
    code, out, _ = run(capsys, "refresh")
    assert code == 0 and "4 new articles" in out
    listed = json.loads(run(capsys, "list", "--json")[1])
    assert sorted(e["title"] for e in listed) == ["Election results are in", "Harbour reopens"]
    hidden = json.loads(run(capsys, "ignored", "--json")[1])
    assert sorted(e["title"] for e in hidden) == ["Opinion: why phones", "Sponsored: a new phone"]
    (feed,) = json.loads(run(capsys, "feeds", "--json")[1])
    assert (feed["unread"], feed["total"]) == (2, 2)
    # A filter over everything can still reach them; restoring brings one back.
    assert len(json.loads(run(capsys, "list", "--json", "--filter", 'author = "Ads"')[1])) == 0
    assert run(capsys, "ignored", "--restore", str(hidden[0]["id"]))[0] == 0
    assert len(json.loads(run(capsys, "list", "--json")[1])) == 3


def test_ignored_apply_hides_entries_stored_before_the_rule(
    server: FeedServer, newswire_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = server.route("/feed", Route(body=rss(*ITEMS)))
    assert run(capsys, "add", url)[0] == 0 and run(capsys, "refresh")[0] == 0
    write_config(newswire_home, '[[ignore]]\nfilter = \'author = "Desk"\'\n')
    code, out, err = run(capsys, "ignored", "--apply", "--json")
    assert code == 0 and "hid 2 stored entries" in err
    assert sorted(e["title"] for e in json.loads(out)) == ["Election results are in", "Harbour reopens"]


# -- bringing newsboat files across ------------------------------------------------------------


NEWSBOAT_CONFIG = r"""# my newsboat config
auto-reload yes
reload-time 45
browser "firefox %u"
player "mpv" "--no-video"
download-path "~/Podcasts"
color listfocus white blue bold
bind-key j down
ignore-article "*" "title =~ \"Sponsored\""
ignore-article "https://wire.example/feed" "author = \"Bot\" or age > 60"
ignore-article "*" "title \"broken\""
ignore-mode "display"
"""


def test_import_config_brings_kill_rules_and_settings(
    tmp_path: Path, newswire_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "config"
    source.write_text(NEWSBOAT_CONFIG)
    code, _out, err = run(capsys, "import-config", str(source))
    assert code == 0
    assert "line 11: skipped ignore-article: bad filter: expected an operator after `title` at 7" in err
    assert "not carried over (no Newswire equivalent): browser" in err
    from tui.core.config import load_config

    config = load_config(newswire_home / "config.toml")
    assert [(r.feed, r.filter) for r in config.ignore] == [
        ("*", 'title =~ "Sponsored"'),
        ("https://wire.example/feed", 'author = "Bot" or age > 60'),
    ]
    assert config.fetch.auto_reload == 45
    assert config.enclosures.player == "mpv --no-video {url}"
    assert config.enclosures.directory == "~/Podcasts"
    # Importing again adds nothing twice.
    assert run(capsys, "import-config", str(source))[1].strip().endswith("nothing new to import")


def test_urls_file_query_feeds_become_config_queries(
    tmp_path: Path, newswire_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    urls = tmp_path / "urls"
    urls.write_text(
        'https://a.example/feed tech\n'
        'https://quiet.example/feed ! "~Quiet one"\n'
        '"query:Unread tech:unread = \\"yes\\" and tags # \\"tech\\""\n'
        '"query:Broken:title \\"x\\""\n'
        '"query:NoFilter"\n'
    )
    code, out, err = run(capsys, "import", str(urls))
    assert code == 0 and "imported 1 new query feed " in out
    assert "line 4: skipped: query feed 'Broken': bad filter" in err and "line 5: skipped" in err
    assert "marked 1 feed hidden" in out
    from tui.core.config import load_config
    from tui.core.feeds.rules import FeedRules
    from tui.core.models import Feed

    rules = FeedRules.from_config(load_config(newswire_home / "config.toml"))
    assert rules.hidden(Feed(id=1, url="https://quiet.example/feed"))
    assert not rules.hidden(Feed(id=2, url="https://a.example/feed"))
    code, out, _ = run(capsys, "queries", "--json")
    assert json.loads(out) == [
        {"name": "Unread tech", "filter": 'unread = "yes" and tags # "tech"', "unread": 0, "total": 0, "error": None}
    ]


def test_newsboat_s_own_forms_of_hiding_a_feed_and_naming_a_player_come_across(
    tmp_path: Path, newswire_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # newsboat's manual: a tag that starts with "!" hides the feed; the player is a command line.
    urls = tmp_path / "urls"
    urls.write_text('https://orf.example/news.xml "!ORF News (hidden)" world\n')
    code, out, _ = run(capsys, "import", str(urls))
    assert code == 0 and "marked 1 feed hidden" in out
    _, out, _ = run(capsys, "feeds", "--json")
    assert [f["tags"] for f in json.loads(out)] == [["world"]]  # the hiding tag is no tag here
    config = tmp_path / "config"
    config.write_text('player "mpv --no-video --really-quiet"\ndownload-path "~/Podcasts/%n"\n')
    assert run(capsys, "import-config", str(config))[0] == 0
    from tui.core.config import load_config
    from tui.core.feeds.enclosures import player_argv

    settings = load_config(newswire_home / "config.toml").enclosures
    assert player_argv(settings.player, "https://x.example/a.mp3") == [
        "mpv", "--no-video", "--really-quiet", "https://x.example/a.mp3"]
    assert settings.directory == "~/Podcasts/%n"  # a folder per feed, as in newsboat


def test_import_of_a_newsboat_config_points_to_import_config(
    tmp_path: Path, newswire_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "config"
    source.write_text(NEWSBOAT_CONFIG)
    code, _out, err = run(capsys, "import", str(source))
    assert code == 1 and "newswire import-config FILE" in err
    assert run(capsys, "feeds", "--json")[1].strip() == "[]"  # nothing was subscribed


def test_a_database_from_before_filters_is_migrated_and_keeps_its_entries(tmp_path: Path) -> None:
    import sqlite3

    from tui.core.store import MIGRATIONS, migrate

    ours = next(i for i, script in enumerate(MIGRATIONS) if "CREATE TABLE enclosures" in script)
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, target=ours)  # the schema just before this feature's migration
    conn.execute("INSERT INTO feeds (url, added_at) VALUES ('https://a.example/feed', '2026-01-01')")
    conn.execute(
        "INSERT INTO entries (feed_id, guid, title, fetched_at) VALUES (1, 'g', 'Old story', '2026-01-01')"
    )
    conn.close()
    with Store(path) as store:
        assert [e.title for e in store.entries()] == ["Old story"]
        assert store.enclosures(1) == [] and store.entries(ignored=True) == []


def test_full_text_off_for_one_feed_keeps_save_to_the_feeds_own_text(
    server: FeedServer, newswire_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page_html = (
        b"<html><head><title>Long story</title></head><body><article><h1>Long story</h1>"
        + b"".join(b"<p>Paragraph %d of the whole story, only on the page, with enough words to count as text.</p>" % i
                   for i in range(12))
        + b"</article></body></html>"
    )
    feeds = {}
    for name in ("teasers", "full"):
        page = server.route(f"/{name}/story", Route(body=page_html, content_type="text/html; charset=utf-8"))
        body = (
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>{name}</title>'
            f"<item><title>Long story</title><link>{page}</link><guid>s1</guid>"
            "<description>A teaser of the story… Continue reading</description></item></channel></rss>"
        ).encode()
        feeds[name] = server.route(f"/{name}/feed", Route(body=body))
    write_config(newswire_home, f'[[feed]]\nurl = "{feeds["teasers"]}"\nfull_text = false\n')
    for url in feeds.values():
        assert run(capsys, "add", url)[0] == 0
    assert run(capsys, "refresh")[0] == 0
    ids = {e["feed_url"]: e["id"] for e in json.loads(run(capsys, "list", "--json")[1])}
    saved = {}
    for name, url in feeds.items():
        code, out, _ = run(capsys, "save", str(ids[url]), "--format", "txt", "--to", str(tmp_path / name))
        assert code == 0
        saved[name] = Path(out.strip()).read_text()
    assert server.requests_to("/teasers/story") == [] and "Paragraph 3" not in saved["teasers"]
    assert server.requests_to("/full/story") and "Paragraph 3" in saved["full"]


_LINES = st.lists(
    st.one_of(
        st.text(max_size=60),
        st.sampled_from([
            'ignore-article "*" "title =~ \\"x\\""', "ignore-article", 'ignore-article "*"',
            'ignore-article "ftp://x" "title = \\"y\\""', "auto-reload yes", "reload-time x",
            "reload-time 0", 'player "mpv"', "download-path", '"query:Q:unread = \\"yes\\""',
            '"query::"', "query:", "https://ok.example/feed tag ! ~T", "exec:x", '"', "#",
        ]),
    ),
    max_size=8,
).map("\n".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_LINES)
def test_newsboat_files_never_crash_the_readers(text: str) -> None:
    from tui.core.feeds.subscriptions import QueryLine, SubscriptionError, parse_newsboat_config, parse_urls

    found = parse_newsboat_config(text)
    for feed, expression in found.ignore:
        assert feed == "*" or feed.startswith(("http://", "https://"))
        compile_filter(expression)
    queries: list[QueryLine] = []
    try:
        parse_urls(text, queries)
    except SubscriptionError:
        pass
    for query in queries:
        compile_filter(query.filter)
