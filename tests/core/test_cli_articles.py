"""The command line end to end: clean, extract, refresh, import/export and save, on real files and a local server."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.httpserver import FeedServer, Route
from tui.cli import main

ROOT = Path(__file__).resolve().parents[2]
PAGES = ROOT / "tests" / "fixtures" / "pages"
FEEDS = ROOT / "tests" / "fixtures" / "feeds"
HARBOUR = PAGES / "autoblog-harbour.html"

STORY = """Council backs new tram line

The city council voted on Tuesday to build a tram line to the harbour.

“This is the biggest investment in the east of the city for a generation,” Mayor Ingrid Holm said after the vote.

Opponents called the plan “a vanity project”. The line would run from Bergen station to the ferry terminal in Stavanger, she added.
"""


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as srv:
        yield srv


def test_clean_a_page_as_text_markdown_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, text, _ = run(capsys, "clean", str(HARBOUR))
    assert code == 0
    assert "Harbour Town switched on a floating solar farm on Monday" in text
    for junk in ("Estimated reading time", "should never show", "Pelican Post Daily", "Home"):
        assert junk not in text
    assert "Harbour Town Opens Floating Solar Farm On Old Quarry Lake" not in text  # the title is not body
    code, md, _ = run(capsys, "clean", "--format", "markdown", str(HARBOUR))
    assert md.startswith("# Harbour Town Opens Floating Solar Farm On Old Quarry Lake\n")
    assert "### How it works" in md or "## How it works" in md
    code, out, _ = run(capsys, "clean", "--format", "json", str(HARBOUR))
    record = json.loads(out)
    assert set(record) == {"source", "url", "title", "byline", "published", "text", "markdown"}
    assert record["byline"] == "Mira Olsen" and record["published"].startswith("2024-03-05T07:30")
    assert record["text"] == text.rstrip("\n")


def test_jsonl_keeps_order_and_reports_a_failed_source(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    story = tmp_path / "story.txt"
    story.write_text(STORY)
    empty = tmp_path / "empty.html"
    empty.write_text("")
    code, out, err = run(capsys, "clean", "--format", "jsonl", str(story), str(tmp_path / "missing.html"),
                         str(empty), str(HARBOUR))
    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 1
    assert [r["source"] for r in lines] == [str(story), str(tmp_path / "missing.html"), str(empty), str(HARBOUR)]
    assert lines[0]["title"] == "Council backs new tram line" and "error" not in lines[0]
    assert lines[1]["error"] == "no such file" and "error" in lines[2]
    assert "Harbour Town switched on" in lines[3]["text"]
    assert len(err.strip().splitlines()) == 2 and "Traceback" not in err


def test_clean_reads_stdin_and_urls(server: FeedServer) -> None:
    page = server.route("/story", Route(body=HARBOUR.read_bytes(), content_type="text/html; charset=utf-8"))
    missing = server.url("/gone")
    out = subprocess.run([sys.executable, str(ROOT), "clean", "--format", "jsonl", "-", page, missing],
                         input=HARBOUR.read_bytes(), capture_output=True, cwd=ROOT, timeout=120)
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    assert out.returncode == 1
    assert lines[0]["title"] == lines[1]["title"] == "Harbour Town Opens Floating Solar Farm On Old Quarry Lake"
    assert lines[2] == {"source": missing, "error": "HTTP 404 Not Found"}
    assert out.stderr.decode().strip() == f"newswire: {missing}: HTTP 404 Not Found"


def test_extract_gives_quotes_with_speakers_and_places_with_offsets(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    story = tmp_path / "story.txt"
    story.write_text(STORY)
    _code, out, _ = run(capsys, "extract", "--format", "json", str(story))
    result = json.loads(out)
    _, cleaned, _ = run(capsys, "clean", "--format", "json", str(story))
    text = json.loads(cleaned)["text"]
    quotes = {q["text"]: q for q in result["quotes"]}
    first = quotes["This is the biggest investment in the east of the city for a generation,"]
    assert first["speaker"].endswith("Ingrid Holm")
    for q in result["quotes"]:
        assert text[q["start"]:q["end"]] == q["text"]
    places = {p["name"]: p for p in result["places"]}
    assert places["Bergen"]["country"] == "NO" and places["Stavanger"]["kind"] == "city"
    assert isinstance(places["Bergen"]["lat"], float)
    _code, out, _ = run(capsys, "extract", str(story))
    assert "Ingrid Holm" in out and "Bergen" in out
    mountains = tmp_path / "alps.txt"
    mountains.write_text("Climbers in the Alps said the snow came early this year.\n")
    _code, out, _ = run(capsys, "extract", str(mountains))
    assert "Alps (place)" in out  # the gazetteer's "other" is a place to a reader, as in the sidebar


def test_refresh_prints_progress_on_stderr_and_a_summary_on_stdout(server: FeedServer, newswire_home: Path) -> None:
    good = server.route("/good.xml", Route(body=(FEEDS / "rss20.xml").read_bytes()))
    bad = server.route("/bad.xml", Route(body=b"<html><body>Not a feed</body></html>", content_type="text/html"))
    env = {"NEWSWIRE_HOME": str(newswire_home), "PATH": "/usr/bin:/bin"}
    def cli(*argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, str(ROOT), *argv], capture_output=True, text=True, cwd=ROOT,
                              env=env, timeout=120)
    assert cli("add", good, bad).returncode == 0
    out = cli("refresh")
    assert out.returncode == 1  # one feed failed
    assert "new articles from 1 feed, 1 failed" in out.stdout  # the failed feed brought nothing
    assert "not a feed" in out.stdout and bad in out.stdout
    assert "[1/2]" in out.stderr or "[2/2]" in out.stderr  # plain progress lines: stderr is not a terminal
    feeds = {f["url"]: f for f in json.loads(cli("feeds", "--json").stdout)}
    assert feeds[good]["status"] == "ok" and feeds[good]["total"] > 0
    assert feeds[bad]["status"] == "error" and "not a feed" in feeds[bad]["last_error"]
    assert "not a feed" in cli("feeds").stdout
    listed = json.loads(cli("list", "--json").stdout)
    assert listed and all(e["feed_url"] == good for e in listed)


def test_import_then_export_round_trips(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = run(capsys, "import", str(FEEDS / "urls"))
    assert code == 0 and "imported" in out
    assert err.count("skipped") == 2  # exec:, filter: lines; the query: feed is imported
    assert "imported 1 new query feed " in out
    first = {(f["url"], tuple(f["tags"])) for f in json.loads(run(capsys, "feeds", "--json")[1])}
    _, opml, _ = run(capsys, "export")
    exported = tmp_path / "subs.opml"
    exported.write_text(opml)
    other = tmp_path / "other-home"
    assert run(capsys, "--home", str(other), "import", str(exported))[0] == 0
    second = {(f["url"], tuple(f["tags"])) for f in json.loads(run(capsys, "--home", str(other), "feeds", "--json")[1])}
    assert first == second and len(first) >= 4


def test_save_writes_the_cleaned_article(capsys: pytest.CaptureFixture[str], server: FeedServer, tmp_path: Path) -> None:
    page = server.route("/harbour", Route(body=HARBOUR.read_bytes(), content_type="text/html; charset=utf-8"))
    rss = ('<?xml version="1.0"?><rss version="2.0"><channel><title>Pelican</title>'
           f'<item><title>Harbour solar</title><link>{page}</link><guid>h1</guid>'
           '<description>Harbour Town switched on a floating solar farm… Continue reading</description>'
           '</item></channel></rss>').encode()
    feed = server.route("/feed", Route(body=rss))
    run(capsys, "add", feed)
    run(capsys, "refresh")
    [entry] = json.loads(run(capsys, "list", "--json")[1])
    code, out, _ = run(capsys, "save", str(entry["id"]), "--format", "txt", "--to", str(tmp_path / "out"))
    assert code == 0
    saved = Path(out.strip())
    assert saved.parent == tmp_path / "out" and saved.suffix == ".txt"
    body = saved.read_text()
    assert "The array of 9,000 panels rests on plastic pontoons" in body  # full text from the linked page
    assert "Estimated reading time" not in body
    code, out, err = run(capsys, "save", "4242")
    assert code == 1 and "no such entry: 4242" in err


def test_a_refresh_run_in_process_gives_the_garbage_collector_back_as_it_was(
    server: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    # The command pauses collection while it refreshes and loads its modules with fewer young
    # passes; a caller of `main` (a script, these tests) gets its process back unchanged, even on failure.
    import gc

    good = server.route("/good.xml", Route(body=(FEEDS / "rss20.xml").read_bytes()))
    before = gc.get_threshold()
    assert run(capsys, "add", good)[0] == 0
    code, out, _ = run(capsys, "refresh")
    assert code == 0 and "new articles" in out
    assert gc.isenabled() and gc.get_threshold() == before and gc.get_freeze_count() == 0
    assert run(capsys, "refresh", "https://not-subscribed.example/feed")[0] != 0
    assert gc.isenabled() and gc.get_threshold() == before and gc.get_freeze_count() == 0
