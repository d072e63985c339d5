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
                    '"query:Unread:unread = \\"yes\\""\nfile:///home/me/local.xml\n')
    code, out, err = run(capsys, "import", str(path))
    assert code == 0 and "imported 1 new feed " in out and "imported 1 new query feed " in out and "file:// feed" in err


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
    assert code == 0 and "imported 1 new feed " in out
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


# -- 14: clean and save errors ---------------------------------------------------------------------

STORY = ("The harbour board agreed on Tuesday to keep the night ferry running through the winter, "
         "after a petition signed by more than four thousand islanders reached the council. ")


def page(body: str, head: str = "") -> str:
    return f"<html><head><title>Night ferry stays</title>{head}</head><body><article>{body}</article></body></html>"


@pytest.mark.parametrize("source, expected", [
    ("ftp://files.example/story.html", "unsupported URL scheme ftp://"),
    ("gopher://old.example/1", "unsupported URL scheme gopher://"),
    ("file://elsewhere.example/story.html", "file:// URL on another host"),
])
def test_clean_says_what_is_wrong_with_a_source(capsys: pytest.CaptureFixture[str], source: str, expected: str) -> None:
    code, out, err = run(capsys, "clean", source)
    assert code == 1 and out == ""
    assert err.startswith(f"newswire: {source}: {expected}") and "no such file" not in err


def test_clean_reads_a_file_url_as_the_file_it_names(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "night ferry.html"
    path.write_text(page(f"<p>{STORY * 3}</p>"))
    code, out, err = run(capsys, "clean", path.as_uri())
    assert code == 0, err
    assert out.startswith("The harbour board agreed")
    code, _, err = run(capsys, "clean", (tmp_path / "gone.html").as_uri())
    assert code == 1 and f"no such file: {tmp_path / 'gone.html'}" in err


def test_clean_of_a_page_over_the_limit_names_the_limit(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "huge.html"
    path.write_text(page(f"<p>{STORY}</p>" * 50_000))  # about 9 MB
    code, _, err = run(capsys, "clean", str(path))
    assert code == 1
    assert "page too large (8.9 MB; the limit is 6 MB)" in err


def stock_entry(home: Path, title: str, html: str, *, feed_title: str = "Islands") -> int:
    from datetime import UTC, datetime

    from tui.core.models import ParsedEntry, ParsedFeed
    from tui.core.paths import resolve_paths
    from tui.core.store import Store

    (home / "config.toml").write_text("[reader]\nfull_text = false\n")
    with Store(resolve_paths().database) as store:
        feed, _ = store.add_feed("https://islands.example/feed")
        guid = f"g{len(store.entries())}"
        entry = ParsedEntry(guid=guid, title=title, link=f"https://islands.example/{guid}", content=html,
                            content_hash=guid)
        store.apply_refresh(feed.id, checked_at=datetime.now(UTC), status="ok", error=None,
                            parsed=ParsedFeed(kind="rss", title=feed_title, entries=(entry,)))
        return next(e.id for e in store.entries() if e.title == title)


def test_save_to_a_file_says_it_is_not_a_directory(
    capsys: pytest.CaptureFixture[str], newswire_home: Path, tmp_path: Path
) -> None:
    entry_id = stock_entry(newswire_home, "Night ferry stays", f"<p>{STORY * 3}</p>")
    target = tmp_path / "notes.md"
    target.write_text("my notes")
    code, out, err = run(capsys, "save", str(entry_id), "--to", str(target))
    assert code == 1 and out == ""
    assert err == f"newswire: --to {target}: is a file, not a directory\n"
    code, _, err = run(capsys, "save", str(entry_id), "--to", str(target / "sub"))
    assert code == 1 and f"{target} is a file, not a directory" in err
    assert target.read_text() == "my notes"


# -- 17: saved files ----------------------------------------------------------------------------


def test_saving_an_article_again_updates_its_own_file_and_never_another(
    capsys: pytest.CaptureFixture[str], newswire_home: Path, tmp_path: Path
) -> None:
    first = stock_entry(newswire_home, "Night ferry stays", f"<p>{STORY * 3}</p>")
    second = stock_entry(newswire_home, "Night ferry stays!", f"<p>Another story. {STORY * 2}</p>")
    out_dir = tmp_path / "saved"
    code, out, _ = run(capsys, "save", str(first), "--to", str(out_dir))
    assert code == 0
    path = Path(out.strip())
    code, out, _ = run(capsys, "save", str(first), "--to", str(out_dir))
    assert code == 0 and Path(out.strip()) == path  # the same file, not night-ferry-stays-2.md
    code, out, _ = run(capsys, "save", str(second), "--to", str(out_dir))
    other = Path(out.strip())
    assert other != path and other.name == "night-ferry-stays-2.md"
    assert sorted(p.name for p in out_dir.iterdir()) == ["night-ferry-stays-2.md", "night-ferry-stays.md"]
    assert "Another story." not in path.read_text() and "Another story." in other.read_text()
    # A file the user put where our earlier save was is theirs now only if another save took it;
    # the same article saved in another format is another file.
    code, out, _ = run(capsys, "save", str(first), "--to", str(out_dir), "--format", "txt")
    assert Path(out.strip()).name == "night-ferry-stays.txt"


def test_a_file_of_ours_that_another_article_took_over_is_not_overwritten(
    capsys: pytest.CaptureFixture[str], newswire_home: Path, tmp_path: Path
) -> None:
    first = stock_entry(newswire_home, "Night ferry stays", f"<p>{STORY * 3}</p>")
    second = stock_entry(newswire_home, "Night ferry stays.", f"<p>Another story. {STORY * 2}</p>")
    out_dir = tmp_path / "saved"
    _, out, _ = run(capsys, "save", str(first), "--to", str(out_dir))
    path = Path(out.strip())
    path.unlink()  # the user deletes it; the other article's save takes the free name
    _, out, _ = run(capsys, "save", str(second), "--to", str(out_dir))
    assert Path(out.strip()) == path
    _, out, _ = run(capsys, "save", str(first), "--to", str(out_dir))
    assert Path(out.strip()) != path and "Another story." in path.read_text()


def test_saved_files_follow_the_umask_like_the_database(
    capsys: pytest.CaptureFixture[str], newswire_home: Path, tmp_path: Path
) -> None:
    import os

    entry_id = stock_entry(newswire_home, "Night ferry stays", f"<p>{STORY * 3}</p>")
    old = os.umask(0o022)
    try:
        _, out, _ = run(capsys, "save", str(entry_id), "--to", str(tmp_path / "a"))
        assert Path(out.strip()).stat().st_mode & 0o777 == 0o644
        os.umask(0o077)
        _, out, _ = run(capsys, "save", str(entry_id), "--to", str(tmp_path / "b"))
        assert Path(out.strip()).stat().st_mode & 0o777 == 0o600
    finally:
        os.umask(old)


def test_long_titles_are_cut_at_a_word_boundary() -> None:
    from tui.core.article.export import safe_stem

    title = "Astronomers find that the ocean under the ice of Jupiter's moon Europa is saltier than thought"
    full = "astronomers-find-that-the-ocean-under-the-ice-of-jupiter-s-moon-europa-is-saltier-than-thought"
    assert full[79] != "-" and full[80] != "-"  # a cut at 80 characters would fall inside "saltier"
    stem = safe_stem(title)
    assert stem == "astronomers-find-that-the-ocean-under-the-ice-of-jupiter-s-moon-europa-is"
    assert len(safe_stem("x" * 200)) == 80  # one endless word is cut where it must be


def test_text_files_are_filled_to_72_columns_keeping_paragraphs_and_list_items() -> None:
    from tui.core.article.export import article_text
    from tui.core.models import Article, Block

    art = Article(title="Night ferry stays", blocks=(
        Block("paragraph", STORY * 2),
        Block("list_item", "The first point of the list, which is long enough to need a second line " * 2, 1),
        Block("paragraph", "See https://islands.example/a/very/long/link/that/must/never/be/broken/up/anywhere/x"),
    ))
    text = article_text(art)
    assert all(len(line) <= 72 or "://" in line for line in text.splitlines())
    paragraphs = text.split("\n\n")
    assert len(paragraphs) == 4
    item = paragraphs[2].splitlines()
    assert item[0].startswith("- The first point") and all(line.startswith("  ") for line in item[1:])
    assert "https://islands.example/a/very/long/link/that/must/never/be/broken/up/anywhere/x" in text
    assert " ".join(paragraphs[1].split()) == " ".join((STORY * 2).split())


@pytest.mark.parametrize("markup", [
    '<div class="story-byline"><div class="names">By LISA MASCARO and ERIC TUCKER</div>'
    '<div class="title">Associated Press</div></div>',
    '<p>By LISA MASCARO and ERIC TUCKER</p>',
    '<span itemprop="author">LISA MASCARO and ERIC TUCKER</span>',
])
def test_the_byline_is_found_in_byline_markup_or_the_first_lines_and_unshouted(markup: str) -> None:
    from tui.core.article import extract_article

    html = page(f"<h1>Night ferry stays</h1>{markup}<p>{STORY * 2}</p><p>{STORY}</p><p>{STORY}</p>")
    art = extract_article(html)
    assert art.byline == "Lisa Mascaro and Eric Tucker"
    assert "MASCARO" not in art.text


def test_agency_names_in_capitals_stay_as_they_are() -> None:
    from tui.core.article.locate import unshout

    assert unshout("PTI") == "PTI" and unshout("Sandee LaMotte, CNN") == "Sandee LaMotte, CNN"
    assert unshout("MARY CLARE JALONICK, O'NEIL and DE LA CRUZ") == "Mary Clare Jalonick, O'Neil and De La Cruz"


# -- 16: export keeps nested folders, and tags compare case-insensitively --------------------------

NESTED = """<?xml version="1.0"?>
<opml version="2.0"><body>
  <outline text="News">
    <outline text="World">
      <outline text="Wire" xmlUrl="https://wire.example/feed"/>
    </outline>
    <outline text="Harbour" xmlUrl="https://harbour.example/feed"/>
  </outline>
  <outline text="news">
    <outline text="Gazette" xmlUrl="https://gazette.example/feed"/>
  </outline>
  <outline text="Tech" xmlUrl="https://tech.example/feed" category="/Science/Space,/NEWS"/>
</body></opml>"""


def test_export_round_trips_nested_folders_and_merges_tag_case(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lxml import etree

    (tmp_path / "in.opml").write_text(NESTED)
    assert run(capsys, "import", str(tmp_path / "in.opml"))[0] == 0
    before = {f["url"]: f["tags"] for f in feeds(capsys)}
    assert before == {
        "https://wire.example/feed": ["News/World"],
        "https://harbour.example/feed": ["News"],
        "https://gazette.example/feed": ["News"],  # "news" is the folder spelled "News" first
        "https://tech.example/feed": ["News", "Science/Space"],
    }
    code, opml, _ = run(capsys, "export")
    assert code == 0
    body = etree.fromstring(opml.encode()).find("body")
    top = [o.get("text") for o in body if o.get("xmlUrl") is None]
    assert top == ["News"]  # one News folder, nothing like "/News,/World" flattened
    wire = body.find("outline[@text='News']/outline[@text='World']/outline")
    assert wire.get("xmlUrl") == "https://wire.example/feed" and wire.get("category") == "/News/World"
    # A feed sits once, in its first tag's folder; `category` names all its folders.
    assert body.find("outline[@text='News']/outline[@text='Tech']").get("category") == "/News,/Science/Space"
    # …and a new home reading the export back has the same folders.
    (tmp_path / "out.opml").write_text(opml)
    monkeypatch.setenv("NEWSWIRE_HOME", str(tmp_path / "other"))
    assert run(capsys, "import", str(tmp_path / "out.opml"))[0] == 0
    assert {f["url"]: f["tags"] for f in feeds(capsys)} == before
