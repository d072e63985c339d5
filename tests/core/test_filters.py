"""The newsboat filter language: parser, errors with columns, evaluation, and filters over a real store."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.cli.main import main
from tui.core.filters import (
    ATTRIBUTES,
    And,
    Comparison,
    FilterError,
    Or,
    compile_filter,
    filter_entries,
    parse_filter,
    query_feeds,
)
from tui.core.models import Enclosure, ParsedEntry, ParsedFeed
from tui.core.store import Store

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)


def record(**values: object) -> dict[str, object]:
    base: dict[str, object] = {
        "title": "", "link": "", "author": "", "summary": "", "content": "", "guid": "g",
        "published": None, "fetched_at": NOW.isoformat(), "read": 0, "starred": 0,
        "feed_title": "", "feed_url": "https://example.com/feed", "site_url": "", "tags": "",
        "enclosure_url": "", "enclosure_type": "", "unread_count": 0, "total_count": 0,
    }
    base.update(values)
    return base


def days_ago(n: float) -> str:
    return (NOW - timedelta(days=n)).isoformat()


def matches(expression: str, **values: object) -> bool:
    flt = compile_filter(expression)
    flt.set_now(NOW)
    return flt.matches(record(**values))


# -- the examples of newsboat's documentation, reconstructed -------------------------------------


@pytest.mark.parametrize(
    ("expression", "yes", "no"),
    [
        # "query:Unread Articles:unread = \"yes\""
        ('unread = "yes"', {"read": 0}, {"read": 1}),
        # ignore-article "*" "title =~ \"Sponsored\""
        ('title =~ "Sponsored"', {"title": "SPONSORED: buy this"}, {"title": "A real story"}),
        # ignore-article with a feed URL and an author rule
        ('author =~ "Anonymous"', {"author": "Anonymous Coward"}, {"author": "Jane Doe"}),
        # the documentation's combined example
        (
            '(author =~ "Frank" or author =~ "John") and (title =~ "Linux" or title =~ "FreeBSD")',
            {"author": "John Smith", "title": "FreeBSD 15 released"},
            {"author": "John Smith", "title": "Windows news"},
        ),
        # articles of the last days
        ("age between 0:10", {"published": days_ago(3)}, {"published": days_ago(30)}),
        ("age > 30", {"published": days_ago(40)}, {"published": days_ago(2)}),
        # feeds by tag
        ('tags # "tech"', {"tags": "news\x1ftech"}, {"tags": "technology"}),
        ('tags !# "politics"', {"tags": "news"}, {"tags": "politics\x1fnews"}),
        # by feed
        ('rssurl =~ "example\\\\.com"', {"feed_url": "https://example.com/rss"}, {"feed_url": "https://exampleXcom.net/"}),
        ('feedtitle = "Slashdot"', {"feed_title": "Slashdot"}, {"feed_title": "slashdot"}),
        # podcasts
        ('enclosure_url != ""', {"enclosure_url": "https://p.example/1.mp3"}, {"enclosure_url": ""}),
        ('enclosure_type =~ "^audio/"', {"enclosure_type": "audio/mpeg"}, {"enclosure_type": "video/mp4"}),
        # flags: a star is the flag "s"
        ('flags # "s"', {"starred": 1}, {"starred": 0}),
        ('starred = "yes"', {"starred": 1}, {"starred": 0}),
        # content and links
        ('content =~ "kernel"', {"summary": "<p>the Kernel</p>"}, {"content": "<p>nothing</p>"}),
        ('link =~ "^https://"', {"link": "https://a.example/x"}, {"link": "http://a.example/x"}),
        ('guid = "abc"', {"guid": "abc"}, {"guid": "abcd"}),
    ],
)
def test_newsboat_examples(expression: str, yes: dict[str, object], no: dict[str, object]) -> None:
    assert matches(expression, **yes)
    assert not matches(expression, **no)


def test_equality_is_exact_and_regex_is_case_insensitive() -> None:
    assert matches('title = "Linux"', title="Linux")
    assert not matches('title = "Linux"', title="linux")
    assert matches('title =~ "linux"', title="LINUX rocks")
    assert matches('title !~ "windows"', title="LINUX rocks")


def test_numbers_compare_by_numeric_prefix_like_newsboat() -> None:
    assert matches("age < 5", published=days_ago(2))
    assert matches("age >= 2", published=days_ago(2))
    assert matches("age <= 2", published=days_ago(2))
    assert not matches("age < 2", published=days_ago(2))
    assert matches("age between 10:1", published=days_ago(5))  # reversed bounds are fine
    assert matches("age between 5:5", published=days_ago(5))


def test_age_falls_back_to_when_the_entry_was_fetched() -> None:
    assert matches("age = 4", published=None, fetched_at=days_ago(4))


def test_dates_compare_as_text_prefixes() -> None:
    assert matches('date >= "2026-06"', published="2026-06-01T08:00:00+00:00")
    assert not matches('date >= "2026-06"', published="2026-05-31T23:00:00+00:00")
    assert matches('date =~ "^2026-06-01"', published="2026-06-01T08:00:00+00:00")
    assert not matches('date < "2030"', published=None, fetched_at="")


def test_and_binds_tighter_than_or() -> None:
    expr = 'title = "a" or title = "b" and unread = "yes"'
    assert isinstance(parse_filter(expr), Or)
    assert matches(expr, title="a", read=1)
    assert not matches(expr, title="b", read=1)
    assert isinstance(parse_filter('(title = "a" or title = "b") and unread = "yes"'), And)


def test_quoted_strings_keep_escaped_quotes_and_backslashes() -> None:
    tree = parse_filter(r'title = "say \"hi\" \\ bye"')
    assert isinstance(tree, Comparison) and tree.value.text == 'say "hi" \\ bye'
    assert matches(r'title = "say \"hi\""', title='say "hi"')


def test_keywords_and_attributes_ignore_case_and_double_equals_is_equals() -> None:
    assert matches('TITLE == "x" AND Unread = "yes"', title="x")


# -- errors point at the column ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("expression", "message", "column"),
    [
        ('title "x"', "expected an operator after `title`", 7),
        ("title", "expected an operator after `title`", 6),
        ('titel = "x"', "unknown attribute `titel`", 1),
        ('title = "x" and', "expected an attribute such as `title`, not the end", 16),
        ('title = "x" "y"', "expected `and`, `or` or the end, not a quoted string", 13),
        ('(title = "x"', "expected `)` to close the `(` at 1", 13),
        ('title = "x")', "unmatched `)`", 12),
        ('title = "open', "unterminated string", 9),
        ('title =~ "[a-"', "invalid regular expression", 10),
        ('age between 3', "`between` needs a range such as 1:5", 13),
        ("age between 3:", "expected a number after `3:`", 15),
        ("title = and", "expected a value", 9),
        ('title = "a" && age < 3', "unexpected `&` (write `and`)", 13),
        ("", "empty expression", 1),
        ('and title = "x"', "expected an attribute before `and`", 1),
        ('title ! "x"', "unexpected character `!`", 7),
        ('age < "x"', "`age` is a number of days: compare it with a number", 7),
        # It matched nothing, silently: a typo looked like "no unread articles".
        ('unread = "maybe"', '`unread` is "yes" or "no", not "maybe"', 10),
        ('starred != "true"', '`starred` is "yes" or "no", not "true"', 12),
        ("unread = 1", '`unread` is "yes" or "no", not "1"', 10),
    ],
)
def test_errors_name_what_and_where(expression: str, message: str, column: int) -> None:
    with pytest.raises(FilterError) as caught:
        parse_filter(expression)
    assert message in str(caught.value)
    assert caught.value.column == column
    assert str(caught.value).endswith(f"at {column}")


def test_deep_nesting_is_an_error_not_a_crash() -> None:
    with pytest.raises(FilterError, match="nested too deeply"):
        parse_filter("(" * 2000 + 'title = "x"' + ")" * 2000)


def test_a_long_chain_evaluates_without_running_out_of_stack() -> None:
    expr = " and ".join(f'title !~ "w{i}"' for i in range(450))
    assert len(expr) < 10_000 and matches(expr, title="x")
    assert not matches(expr, title="w5")


# -- properties: no input crashes the parser; printed trees parse back to themselves -------------

_FILTERISH = st.text(
    alphabet=st.sampled_from(list('titleagunrdbw =~!<>#:()"\\0123456789-_&|ñ\x00\n\t')), max_size=60
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(st.text(max_size=80), _FILTERISH))
def test_no_input_crashes_the_parser(text: str) -> None:
    try:
        flt = compile_filter(text)
    except FilterError as exc:
        assert 1 <= exc.column <= len(text) + 1
        return
    flt.matches(record(title=text))  # and a tree that parsed can be evaluated


_ATTR = st.sampled_from(sorted(ATTRIBUTES))
_STRING = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)


@st.composite
def _comparison(draw: st.DrawFn) -> str:
    attr = draw(_ATTR)
    op = draw(st.sampled_from(["=", "!=", "<", ">", "<=", ">=", "#", "!#", "between", "=~", "!~"]))
    if op == "between":
        low, high = draw(st.integers(-99, 999)), draw(st.integers(-99, 999))
        return f"{attr} between {low}:{high}"
    if op in ("=~", "!~"):
        word = draw(st.from_regex(r"[a-z0-9 ]{0,8}", fullmatch=True))
        return f'{attr} {op} "{word}"'
    if attr in ("unread", "starred") and op in ("=", "!="):  # "yes" or "no", nothing else
        return f'{attr} {op} "{draw(st.sampled_from(["yes", "no"]))}"'
    if draw(st.booleans()) or (attr == "age" and op not in ("#", "!#")):  # age compares with numbers
        return f"{attr} {op} {draw(st.integers(-999, 999))}"
    text = draw(_STRING).replace("\\", "\\\\").replace('"', '\\"')
    return f'{attr} {op} "{text}"'


_EXPRESSIONS = st.recursive(
    _comparison(),
    lambda inner: st.one_of(
        st.tuples(inner, st.sampled_from(["and", "or"]), inner).map(lambda t: f"{t[0]} {t[1]} {t[2]}"),
        inner.map(lambda e: f"({e})"),
    ),
    max_leaves=8,
)


@settings(max_examples=300, deadline=None)
@given(_EXPRESSIONS)
def test_valid_expressions_parse_and_print_back_to_the_same_tree(text: str) -> None:
    tree = parse_filter(text)
    assert parse_filter(tree.source()).source() == tree.source()
    compile_filter(text).matches(record())


# -- over a real store -------------------------------------------------------------------------


def _fill(store: Store) -> None:
    recent = datetime.now(UTC) - timedelta(days=1)
    old = datetime.now(UTC) - timedelta(days=40)
    tech, _ = store.add_feed("https://tech.example/feed", title="Tech Daily", tags=["tech"])
    pods, _ = store.add_feed("https://pods.example/feed", title="Pod Show", tags=["audio"])
    store.apply_refresh(tech.id, checked_at=datetime.now(UTC), status="ok", error=None, parsed=ParsedFeed(
        kind="rss", title="Tech Daily", entries=(
            ParsedEntry(guid="t1", title="Rust 2.0 released", published=recent, content="<p>kernel news</p>"),
            ParsedEntry(guid="t2", title="Windows update", published=old, author="Bill"),
            ParsedEntry(guid="t3", title="Linux tips", published=recent),
        ),
    ))
    store.apply_refresh(pods.id, checked_at=datetime.now(UTC), status="ok", error=None, parsed=ParsedFeed(
        kind="rss", title="Pod Show", entries=(
            ParsedEntry(guid="p1", title="Episode 1", published=old,
                        enclosures=(Enclosure("https://pods.example/1.mp3", "audio/mpeg", 1000, 60),)),
            ParsedEntry(guid="p2", title="Episode 2 about Rust", published=recent,
                        enclosures=(Enclosure("https://pods.example/2.mp3", "audio/mpeg"),)),
        ),
    ))


def test_filter_entries_and_query_counts_on_a_real_database(tmp_path: Path) -> None:
    with Store(tmp_path / "db.sqlite") as store:
        _fill(store)
        titles = lambda expr: [e.title for e in filter_entries(store, expr)]  # noqa: E731
        assert sorted(titles('title =~ "rust"')) == ["Episode 2 about Rust", "Rust 2.0 released"]
        assert titles('content =~ "kernel"') == ["Rust 2.0 released"]
        assert sorted(titles('enclosure_type = "audio/mpeg"')) == ["Episode 1", "Episode 2 about Rust"]
        assert titles('tags # "tech" and age > 30') == ["Windows update"]
        rust = [e.id for e in filter_entries(store, 'title =~ "rust"')]
        store.set_read(rust[:1])
        counts = {q.name: q for q in query_feeds(store, [("Rust", 'title =~ "rust"'), ("Bad", "title")])}
        assert (counts["Rust"].unread, counts["Rust"].total) == (1, 2)
        assert counts["Bad"].error and "at 6" in counts["Bad"].error
        # newsboat's description (the content) and the feed's counts, as the feeds pane shows them
        assert titles('description =~ "kernel"') == ["Rust 2.0 released"]
        assert sorted(titles("total_count = 2")) == ["Episode 1", "Episode 2 about Rust"]
        unread = {f.title: f.unread for f in store.feeds()}
        assert unread == {"Tech Daily": 3, "Pod Show": 1}  # one Rust entry read above
        assert sorted(titles("unread_count >= 2")) == ["Linux tips", "Rust 2.0 released", "Windows update"]
        assert sorted(titles("unread_count = 1")) == ["Episode 1", "Episode 2 about Rust"]


def test_cli_list_filter(tmp_path: Path, capsys: pytest.CaptureFixture[str], newswire_home: Path) -> None:
    newswire_home.mkdir(parents=True, exist_ok=True)
    with Store(newswire_home / "newswire.db") as store:
        _fill(store)
    assert main(["list", "--json", "--filter", 'title =~ "rust" and unread = "yes"']) == 0
    listed = json.loads(capsys.readouterr().out)
    assert sorted(e["title"] for e in listed) == ["Episode 2 about Rust", "Rust 2.0 released"]
    assert main(["list", "--filter", 'title "rust"']) == 2
    captured = capsys.readouterr()
    assert captured.err.strip() == "newswire: bad filter: expected an operator after `title` at 7"
    assert "Traceback" not in captured.err


def test_cli_query_feeds_from_config(capsys: pytest.CaptureFixture[str], newswire_home: Path) -> None:
    newswire_home.mkdir(parents=True, exist_ok=True)
    with Store(newswire_home / "newswire.db") as store:
        _fill(store)
    (newswire_home / "config.toml").write_text(
        '[[query]]\nname = "Podcasts"\nfilter = \'enclosure_url != ""\'\n'
    )
    assert main(["queries", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == [
        {"name": "Podcasts", "filter": 'enclosure_url != ""', "unread": 2, "total": 2, "error": None}
    ]
    assert main(["list", "--json", "--query", "Podcasts"]) == 0
    assert {e["title"] for e in json.loads(capsys.readouterr().out)} == {"Episode 1", "Episode 2 about Rust"}


# -- the SQL prefilter never loses a match -------------------------------------------------------

_WORDS = ["Rust", "rust", "LINUX", "harbour", "Flood", "a_b", "50%", "ünïcode", "Ünïcode", ""]


@pytest.fixture(scope="module")
def varied_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    store = Store(tmp_path_factory.mktemp("prefilter") / "db.sqlite")
    now = datetime.now(UTC)
    for f in range(4):
        feed, _ = store.add_feed(f"https://f{f}.example/rss", title=_WORDS[f * 2], tags=[f"t{f % 2}", _WORDS[f]])
        items = []
        for i in range(30):
            w1, w2 = _WORDS[(i + f) % len(_WORDS)], _WORDS[(i * 3 + f) % len(_WORDS)]
            items.append(ParsedEntry(
                guid=f"{f}-{i}", title=f"{w1} and {w2}", author=w2 or None,
                link=f"https://f{f}.example/{w1}" if i % 3 else None,
                published=now - timedelta(days=i) if i % 4 else None,
                summary=f"<p>{w2}</p>" if i % 2 else "", content=f"<p>{w1} {i}</p>" if i % 5 else "",
            ))
        store.apply_refresh(feed.id, checked_at=now, status="ok", error=None,
                            parsed=ParsedFeed(kind="rss", title=_WORDS[f * 2], entries=tuple(items)))
    store.set_read(list(range(1, 121, 2)))
    store.set_starred(list(range(1, 121, 7)))
    return store


_WORD_LITERAL = st.sampled_from([*_WORDS, "rust|linux", "Flood|", "x_y", "h.rbour", "50\\%"])


@st.composite
def _prefilterable(draw: st.DrawFn) -> str:
    attr = draw(st.sampled_from(["title", "author", "link", "content", "feedtitle", "unread", "starred", "tags"]))
    op = draw(st.sampled_from(["=", "!=", "=~", "!~", "#"]))
    value = draw(st.one_of(_WORD_LITERAL, st.sampled_from(["yes", "no", "t0", "t1"])))
    if attr in ("unread", "starred") and op in ("=", "!="):  # "yes" or "no", nothing else
        value = draw(st.sampled_from(["yes", "no"]))
    return f'{attr} {op} "{value}"'


_PREFILTER_EXPRESSIONS = st.recursive(
    _prefilterable(),
    lambda inner: st.tuples(inner, st.sampled_from(["and", "or"]), inner).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
    max_leaves=5,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_PREFILTER_EXPRESSIONS)
def test_sql_prefilter_gives_the_same_matches_as_python_alone(varied_store: Store, text: str) -> None:
    from tui.core.filters import filter_ids

    flt = compile_filter(text)
    everything = varied_store.records(flt.keys)
    expected = [row["id"] for row in flt.select(everything)]
    assert filter_ids(varied_store, flt) == expected
