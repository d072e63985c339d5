"""Enclosures in the app: shown in the reader, played with the configured player, downloaded with a queue view."""

from __future__ import annotations

import json
import re
import sys
import threading
from collections.abc import Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.ui.conftest import feed_xml, fill_store, open_article, ui_config, wait_for
from tui.core.config import EnclosureConfig
from tui.screens.downloads import DownloadsScreen
from tui.screens.main import MainScreen

AUDIO = bytes(range(256)) * 1200  # 307,200 bytes: several chunks


class _Files(BaseHTTPRequestHandler):
    """Serves `files` with HTTP Range; `drop_after` cuts the next answer after that many bytes."""

    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""

    def do_GET(self) -> None:
        owner = self.server
        owner.ranges_seen.append(self.headers.get("Range") or "")
        data = owner.files.get(self.path)
        if data is None:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        start = 0
        m = re.fullmatch(r"bytes=(\d+)-", self.headers.get("Range") or "")
        if m:
            start = int(m.group(1))
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
        else:
            self.send_response(200)
        body = data[start:]
        self.send_header("Content-Type", "audio/mpeg")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        cut, owner.drop_after = owner.drop_after, None
        if cut is not None:
            self.wfile.write(body[:cut])
            self.wfile.flush()
            self.close_connection = True
            return
        self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    files: dict[str, bytes]
    ranges_seen: list[str]
    drop_after: int | None = None

    def url(self, path: str) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}{path}"


@pytest.fixture
def server() -> Iterator[_Server]:
    srv = _Server(("127.0.0.1", 0), _Files)
    srv.files = {"/ep/harbour-episode-1.mp3": AUDIO}
    srv.ranges_seen = []
    thread = threading.Thread(target=srv.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()


def podcast_xml(enclosure_url: str) -> bytes:
    item = (
        "<item><guid>episode-1</guid><title>Harbour hour: the night ferry</title>"
        "<link>https://harbour.example/ep1</link><pubDate>Tue, 10 Nov 2020 09:00:00 +0000</pubDate>"
        "<description>Crew and captains on the return of the route.</description>"
        f'<enclosure url="{enclosure_url}" length="{len(AUDIO)}" type="audio/mpeg"/>'
        "<itunes:duration>1:02:03</itunes:duration></item>"
    )
    return feed_xml([item], title="Harbour Hour").replace(
        b'<rss version="2.0"', b'<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"'
    )


def config_for(tmp_path: Path, player: str = "mpv {url}"):
    return replace(ui_config(), enclosures=EnclosureConfig(directory=str(tmp_path / "podcasts"), player=player))


async def test_the_reader_shows_the_enclosure_and_e_plays_it_without_a_shell(make_app, store, server, tmp_path):
    # A URL a shell would act on: the player must get it as one untouched argument.
    path = "/ep/a;touch%20pwned$(id).mp3"
    server.files[path] = AUDIO
    link = server.url(path)
    fill_store(store, podcast_xml(link), url="https://hour.example/feed.xml")
    out = tmp_path / "argv.json"
    script = tmp_path / "player.py"
    script.write_text(f"import json, sys\nopen({str(out)!r}, 'w').write(json.dumps(sys.argv[1:]))\n")
    app = make_app(config_for(tmp_path, player=f"{sys.executable} {script} --start=0 {{url}}"))
    async with app.run_test(size=(160, 48)) as pilot:
        await open_article(pilot)
        text = app.main.reader.text
        assert "audio/mpeg · 0.3 MB · 1:02:03" in text and "pwned" in text
        assert "e plays the first, d downloads it" in text
        await pilot.press("e")
        await wait_for(pilot, lambda: out.exists() and out.read_text())
        assert json.loads(out.read_text()) == ["--start=0", link]
        assert not list(Path.cwd().glob("pwned*")) and not list(tmp_path.glob("pwned*"))
        assert any("Playing" in n for n in app.notified)


async def test_a_bad_player_setting_is_one_readable_error(make_app, store, server, tmp_path):
    fill_store(store, podcast_xml(server.url("/ep/harbour-episode-1.mp3")), url="https://hour.example/feed.xml")
    app = make_app(config_for(tmp_path, player="no-such-player-newswire {url}"))
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("e")
        await pilot.pause()
        assert any("Could not play: the player was not found: no-such-player-newswire" in n for n in app.notified)


async def test_d_downloads_and_a_dropped_connection_resumes_from_the_downloads_view(make_app, store, server, tmp_path):
    fill_store(store, podcast_xml(server.url("/ep/harbour-episode-1.mp3")), url="https://hour.example/feed.xml")
    server.drop_after = 100_000
    app = make_app(config_for(tmp_path))
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("d")  # on the entry under the cursor, without opening it
        await wait_for(pilot, lambda: any("connection lost after 100000 bytes" in n for n in app.notified), timeout=15)
        target = tmp_path / "podcasts" / "harbour-episode-1.mp3"
        assert not target.exists()
        assert (tmp_path / "podcasts" / "harbour-episode-1.mp3.part").stat().st_size == 100_000

        await pilot.press("D")
        await wait_for(pilot, lambda: isinstance(app.screen, DownloadsScreen))
        view = app.screen
        await wait_for(pilot, lambda: view.rows() and view.rows()[0][2] == "failed")
        name, _progress, state, error = view.rows()[0]
        assert name == "harbour-episode-1.mp3" and state == "failed" and "run again to resume" in error
        await pilot.press("r")
        await wait_for(pilot, lambda: view.rows()[-1][2] == "done", timeout=15)
        assert view.rows()[-1][1].startswith("100%")
        assert target.read_bytes() == AUDIO
        assert server.ranges_seen[-1] == "bytes=100000-"
        assert any("Saved" in n and "harbour-episode-1.mp3" in n for n in app.notified)
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_an_article_without_enclosures_says_so(make_app, filled, tmp_path):
    app = make_app(config_for(tmp_path))
    async with app.run_test(size=(160, 48)) as pilot:
        await open_article(pilot)
        assert "plays the first" not in app.main.reader.text
        await pilot.press("e", "d")
        await pilot.pause(0.3)
        assert "This article has no enclosure to play." in app.notified
        assert "This article has no enclosure to download." in app.notified
        await pilot.press("D")
        await wait_for(pilot, lambda: isinstance(app.screen, DownloadsScreen))
        assert app.screen.rows() == [["No downloads yet.", "", "", ""]]
        assert not (tmp_path / "podcasts").exists()


async def test_downloads_view_is_in_the_palette(make_app, filled, tmp_path):
    app = make_app(config_for(tmp_path))
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("ctrl+p", *"downloads: show")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, DownloadsScreen))
        await pilot.press("q")
        assert isinstance(app.screen, MainScreen)
