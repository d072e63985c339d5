"""Enclosures: parsed from feeds, downloaded from a loopback server with Range resume, played without a shell."""

from __future__ import annotations

import json
import os
import re
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tui.cli.main import main
from tui.core.feeds.enclosures import (
    EnclosureError,
    choose_path,
    download,
    open_enclosure,
    player_argv,
    safe_filename,
)
from tui.core.feeds.parse import parse_feed

AUDIO = bytes(range(256)) * 800  # 204,800 bytes: several chunks


class _Files(BaseHTTPRequestHandler):
    """Serves `files` with Range support; `drop_after` cuts the next answer after that many bytes."""

    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""

    def do_GET(self) -> None:
        owner = self.server
        owner.seen.append(dict(self.headers.items()))
        if self.path == "/feed.xml":
            body = owner.feed
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        data = owner.files.get(self.path)
        if data is None:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        start = 0
        wanted = self.headers.get("Range")
        m = re.fullmatch(r"bytes=(\d+)-", wanted or "")
        if m and owner.ranges:
            start = int(m.group(1))
            if start >= len(data):
                self.send_response(416)
                self.send_header("Content-Range", f"bytes */{len(data)}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
        else:
            self.send_response(200)
        body = data[start:]
        self.send_header("Content-Type", "audio/mpeg")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        cut = owner.drop_after
        if cut is not None:
            owner.drop_after = None
            self.wfile.write(body[:cut])
            self.wfile.flush()
            self.close_connection = True
            return
        self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    files: dict[str, bytes]
    seen: list[dict[str, str]]
    drop_after: int | None = None
    ranges: bool = True
    feed: bytes = b""


@pytest.fixture
def server() -> Iterator[_Server]:
    srv = _Server(("127.0.0.1", 0), _Files)
    srv.files = {"/ep/episode-1.mp3": AUDIO}
    srv.seen = []
    thread = threading.Thread(target=srv.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()


def url(srv: _Server, path: str) -> str:
    host, port = srv.server_address[:2]
    return f"http://{host}:{port}{path}"


async def test_download_whole_file(server: _Server, tmp_path: Path) -> None:
    seen: list[tuple[int, int | None]] = []
    result = await download(url(server, "/ep/episode-1.mp3"), tmp_path / "e.mp3",
                            progress=lambda d, t: seen.append((d, t)))
    assert result.ok and result.size == len(AUDIO) and result.resumed_from == 0
    assert (tmp_path / "e.mp3").read_bytes() == AUDIO
    assert not (tmp_path / "e.mp3.part").exists()
    assert seen[-1] == (len(AUDIO), len(AUDIO))


async def test_dropped_connection_keeps_the_part_and_a_second_run_resumes(server: _Server, tmp_path: Path) -> None:
    target = tmp_path / "e.mp3"
    server.drop_after = 70_000
    first = await download(url(server, "/ep/episode-1.mp3"), target)
    assert not first.ok and "run again to resume" in first.error  # type: ignore[operator]
    assert not target.exists()
    part = tmp_path / "e.mp3.part"
    assert part.stat().st_size == 70_000 and part.read_bytes() == AUDIO[:70_000]
    second = await download(url(server, "/ep/episode-1.mp3"), target)
    assert second.ok and second.resumed_from == 70_000
    assert server.seen[-1].get("Range") == "bytes=70000-"
    assert target.read_bytes() == AUDIO and not part.exists()


async def test_a_server_without_range_support_starts_again(server: _Server, tmp_path: Path) -> None:
    server.ranges = False
    target = tmp_path / "e.mp3"
    (tmp_path / "e.mp3.part").write_bytes(b"stale bytes")
    result = await download(url(server, "/ep/episode-1.mp3"), target)
    assert result.ok and target.read_bytes() == AUDIO


async def test_a_complete_part_is_finished_on_416(server: _Server, tmp_path: Path) -> None:
    target = tmp_path / "e.mp3"
    (tmp_path / "e.mp3.part").write_bytes(AUDIO)
    result = await download(url(server, "/ep/episode-1.mp3"), target)
    assert result.ok and target.read_bytes() == AUDIO


async def test_never_overwrites_and_refuses_other_schemes(server: _Server, tmp_path: Path) -> None:
    target = tmp_path / "e.mp3"
    target.write_bytes(b"mine")
    result = await download(url(server, "/ep/episode-1.mp3"), target)
    assert result.existed and target.read_bytes() == b"mine"
    assert not server.seen  # nothing was fetched
    bad = await download("file:///etc/passwd", tmp_path / "p")
    assert not bad.ok and "only http(s)" in bad.error  # type: ignore[operator]
    missing = await download(url(server, "/nope.mp3"), tmp_path / "n.mp3")
    assert missing.error == "HTTP 404 Not Found"


def test_file_names_are_safe(tmp_path: Path) -> None:
    assert safe_filename("https://h.example/pod/ep%201.mp3") == "ep 1.mp3"
    assert safe_filename("https://h.example/a/..%2F..%2Fetc%2Fpasswd") == "etc_passwd"
    assert safe_filename("https://h.example/.bashrc") == "bashrc"
    assert safe_filename("https://h.example/-rf", "audio/mpeg") == "rf.mp3"
    assert safe_filename("https://h.example/", "audio/mpeg") == "enclosure.mp3"
    assert safe_filename("https://h.example/x\x1b[31m.mp3") == "x.mp3"  # the escape sequence is gone
    assert len(safe_filename("https://h.example/" + "a" * 400 + ".mp3")) <= 120
    (tmp_path / "ep.mp3").write_bytes(b"")
    assert choose_path(tmp_path, "https://h.example/ep.mp3").name == "ep (2).mp3"


def test_player_gets_the_url_as_one_argument_and_no_shell(tmp_path: Path) -> None:
    hostile = "https://h.example/a;touch${IFS}pwned$(id)`id`.mp3"
    assert player_argv("mpv --no-video {url}", hostile) == ["mpv", "--no-video", hostile]
    assert player_argv("vlc", hostile) == ["vlc", hostile]
    with pytest.raises(EnclosureError, match="argument of its own"):
        player_argv('sh -c "mpv {url}"', hostile)
    with pytest.raises(EnclosureError, match="only http"):
        player_argv("mpv {url}", "file:///etc/passwd")
    # A real program started as the player records the arguments it was given.
    script = tmp_path / "player.py"
    out = tmp_path / "argv.json"
    script.write_text(f"import json, sys\nopen({str(out)!r}, 'w').write(json.dumps(sys.argv[1:]))\n")
    process = open_enclosure(f"{sys.executable} {script} --title=x {{url}}", hostile)
    assert process.wait(timeout=20) == 0
    assert json.loads(out.read_text()) == ["--title=x", hostile]
    assert not (Path.cwd() / "pwned").exists()
    with pytest.raises(EnclosureError, match="not found"):
        open_enclosure("no-such-player-here {url}", "https://h.example/a.mp3")


PODCAST = """<?xml version="1.0"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd">
<channel><title>Loopback Radio</title><link>{base}/</link>
<item><title>Episode one</title><guid>ep1</guid>
<enclosure url="{base}/ep/episode-1.mp3" type="audio/mpeg" length="{length}"/>
<itunes:duration>1:02:03</itunes:duration></item>
<item><title>Episode two</title><guid>ep2</guid>
<enclosure url="javascript:alert(1)" type="audio/mpeg"/></item>
</channel></rss>"""


def test_enclosures_are_described_in_one_line() -> None:
    from tui.core.feeds.enclosures import describe_enclosure
    from tui.core.models import Enclosure

    assert describe_enclosure(Enclosure("https://x/a.mp3", "audio/mpeg", 45_200_000, 3723)) == "audio/mpeg · 45.2 MB · 1:02:03"
    assert describe_enclosure(Enclosure("https://x/a", "", 2_000, 59)) == "file · 2 KB · 0:59"


def test_parse_keeps_http_enclosures_with_length_and_duration() -> None:
    parsed = parse_feed(PODCAST.format(base="http://x.test", length=10).encode(), url="http://x.test/feed.xml")
    first, second = parsed.entries
    assert [(e.url, e.type, e.length, e.duration) for e in first.enclosures] == [
        ("http://x.test/ep/episode-1.mp3", "audio/mpeg", 10, 3723)
    ]
    assert second.enclosures == ()


def _podcast_entry(server: _Server, capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    """Subscribe to the served podcast, refresh, and give its audio entry as `list --json` shows it."""
    server.feed = PODCAST.format(base=url(server, ""), length=len(AUDIO)).encode()
    assert main(["add", url(server, "/feed.xml")]) == 0
    assert main(["refresh"]) == 0
    capsys.readouterr()
    assert main(["list", "--json", "--filter", 'enclosure_type =~ "^audio"']) == 0
    (entry,) = json.loads(capsys.readouterr().out)
    return dict(entry)


def test_cli_refresh_then_download_and_resume(
    server: _Server, capsys: pytest.CaptureFixture[str], newswire_home: Path
) -> None:
    entry = _podcast_entry(server, capsys)
    downloads = newswire_home / "pods"
    server.drop_after = 50_000
    assert main(["download", str(entry["id"]), "--to", str(downloads)]) == 1
    assert "run again to resume" in capsys.readouterr().err
    assert main(["download", str(entry["id"]), "--to", str(downloads)]) == 0
    assert "resumed at 50000 bytes" in capsys.readouterr().out
    assert (downloads / "episode-1.mp3").read_bytes() == AUDIO
    assert main(["download", str(entry["id"]), "--to", str(downloads)]) == 0
    assert "already downloaded" in capsys.readouterr().out
    assert sorted(os.listdir(downloads)) == ["episode-1.mp3"]


async def test_queue_runs_jobs_in_order_reports_progress_and_skips_duplicates(server: _Server, tmp_path: Path) -> None:
    from tui.core.feeds.enclosures import DownloadQueue

    server.files["/ep/episode-2.mp3"] = AUDIO[:1000]
    seen: list[tuple[str, str, int]] = []
    queue = DownloadQueue(on_change=lambda job: seen.append((job.target.name, job.state, job.done)))
    first = queue.add(1, url(server, "/ep/episode-1.mp3"), tmp_path / "one.mp3")
    assert queue.add(1, url(server, "/ep/episode-1.mp3"), tmp_path / "one.mp3") is first
    queue.add(2, url(server, "/ep/episode-2.mp3"), tmp_path / "two.mp3")
    queue.add(3, url(server, "/missing.mp3"), tmp_path / "three.mp3")
    ran = await queue.run()
    assert [(j.target.name, j.state) for j in ran] == [("one.mp3", "done"), ("two.mp3", "done"), ("three.mp3", "failed")]
    assert ran[2].error == "HTTP 404 Not Found"
    assert (tmp_path / "two.mp3").read_bytes() == AUDIO[:1000]
    states = [(name, state) for name, state, _ in seen]
    assert states.index(("one.mp3", "done")) < states.index(("two.mp3", "downloading"))
    assert ("one.mp3", "downloading", len(AUDIO)) in seen  # progress reached the whole file

    # A retry of the failed one (the file is there now) runs in its own row: no second "three.mp3".
    server.files["/missing.mp3"] = AUDIO[:500]
    assert queue.add(3, url(server, "/missing.mp3"), tmp_path / "three.mp3") is ran[2]
    assert [j.state for j in await queue.run()] == ["done"]
    assert [(j.target.name, j.state) for j in queue.jobs] == [("one.mp3", "done"), ("two.mp3", "done"), ("three.mp3", "done")]
    assert ran[2].error is None and (tmp_path / "three.mp3").read_bytes() == AUDIO[:500]


def test_newsboat_placeholders_put_each_feed_s_episodes_in_its_own_folder(
    server: _Server, capsys: pytest.CaptureFixture[str], newswire_home: Path
) -> None:
    # `download-path "~/Podcasts/%n"` as newsboat users write it: %n is the feed's name, %h the host.
    entry = _podcast_entry(server, capsys)
    assert main(["download", str(entry["id"]), "--to", str(newswire_home / "pods" / "%n" / "%h")]) == 0
    folder = newswire_home / "pods" / str(entry["feed"]) / "127.0.0.1"
    assert (folder / "episode-1.mp3").read_bytes() == AUDIO


def test_a_saved_episode_carries_its_file_as_newsboat_saves_it(
    server: _Server, capsys: pytest.CaptureFixture[str], newswire_home: Path
) -> None:
    notes = " ".join(["The harbour master talks about the winter storms, the new breakwater and the ferries."] * 4)
    server.feed = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Loopback Radio</title>'
        f"<link>{url(server, '/')}</link><item><title>Episode one</title><guid>ep1</guid>"
        f"<description>&lt;p&gt;{notes}&lt;/p&gt;</description>"
        f'<enclosure url="{url(server, "/ep/episode-1.mp3")}" type="audio/mpeg" length="10"/></item></channel></rss>'
    ).encode()
    assert main(["add", url(server, "/feed.xml")]) == 0
    assert main(["refresh"]) == 0
    capsys.readouterr()
    assert main(["list", "--json"]) == 0
    (entry,) = json.loads(capsys.readouterr().out)
    saved = newswire_home / "saved"
    assert main(["save", str(entry["id"]), "--format", "txt", "--to", str(saved)]) == 0
    assert main(["save", str(entry["id"]), "--format", "md", "--to", str(saved)]) == 0
    text = next(saved.glob("*.txt")).read_text()
    assert f"Podcast Download URL: {url(server, '/ep/episode-1.mp3')} (type: audio/mpeg)" in text
    assert text.index("Podcast Download URL") < text.index("The harbour master")
    assert f'  - url: "{url(server, "/ep/episode-1.mp3")}"' in next(saved.glob("*.md")).read_text()


def test_download_to_another_directory_downloads_there(
    server: _Server, capsys: pytest.CaptureFixture[str], newswire_home: Path
) -> None:
    entry = _podcast_entry(server, capsys)
    assert main(["download", str(entry["id"]), "--to", str(newswire_home / "pods")]) == 0
    capsys.readouterr()
    assert main(["download", str(entry["id"]), "--to", str(newswire_home / "car")]) == 0
    assert "already downloaded" not in capsys.readouterr().out
    assert (newswire_home / "car" / "episode-1.mp3").read_bytes() == AUDIO
    assert (newswire_home / "pods" / "episode-1.mp3").read_bytes() == AUDIO  # the first copy stays
    assert main(["download", str(entry["id"]), "--to", str(newswire_home / "car")]) == 0
    assert "already downloaded" in capsys.readouterr().out
