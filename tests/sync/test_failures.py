"""A sync that fails (a server answering 500 or garbage, another server) says why in one line and loses nothing."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.sync.conftest import write_config
from tests.sync.servers import Miniflux, User
from tests.sync.test_sync import items, local_entries, run, server_entries, sync

Answer = tuple[int, str, bytes]  # status, content type, body


class BadServer:
    """A server on 127.0.0.1 that answers every GET and POST by `answer(method, path)`."""

    def __init__(self, answer: Callable[[str, str], Answer]) -> None:
        outer = self
        self.answer = answer
        self.paths: list[str] = []

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                """Quiet."""

            def _reply(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                if length:
                    self.rfile.read(length)
                outer.paths.append(self.path)
                status, kind, body = outer.answer(self.command, self.path)
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_PUT = _reply

        class Quiet(ThreadingHTTPServer):
            def handle_error(self, request: object, client_address: object) -> None:
                pass  # a client that hangs up early (the sync gave up) is no test failure

        self._server = Quiet(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def bad() -> Iterator[Callable[[Callable[[str, str], Answer]], BadServer]]:
    servers: list[BadServer] = []

    def make(answer: Callable[[str, str], Answer]) -> BadServer:
        servers.append(BadServer(answer))
        return servers[-1]

    yield make
    for server in servers:
        server.close()


def server_error(method: str, path: str) -> Answer:
    return 500, "text/plain", b"internal error: the database is on fire"


def html_page(method: str, path: str) -> Answer:
    return 200, "text/html", b"<html><body>Welcome to nginx!</body></html>"


def login_then_garbage(method: str, path: str) -> Answer:
    """Logs in (both protocols), then answers with JSON of the wrong shape."""
    if path.startswith("/accounts/ClientLogin"):
        return 200, "text/plain", b"SID=x\nLSID=x\nAuth=token123\n"
    if path.startswith("/v1/me"):
        return 200, "application/json", b'{"id": 1, "username": "u"}'
    if path.startswith("/reader/api/0/token"):
        return 200, "text/plain", b"token123"
    return 200, "application/json", json.dumps({"subscriptions": "nope", "feeds": 3}).encode() if "reader" in path \
        else b'{"not": "a list"}'


CASES = {
    "500": (server_error, "HTTP 500"),
    "html": (html_page, None),
    "wrong shape": (login_then_garbage, "unexpected answer from the server"),
}


@pytest.mark.parametrize("server", ["miniflux", "greader"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_a_broken_server_gives_one_line_and_no_traceback(
    case: str, server: str, bad: Callable[..., BadServer], newswire_home: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    answer, expected = CASES[case]
    broken = bad(answer)
    write_config(newswire_home, server, broken.url, "someone", "a-password-77")
    code, out, err = run(capsys, "sync")
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and err.startswith("newswire: sync failed: ") and "Traceback" not in err
    assert "a-password-77" not in err
    if expected:
        assert expected in err
    elif server == "miniflux":
        assert "not JSON" in err
    else:
        assert "no Auth token" in err
    assert broken.paths  # it did ask


def test_a_failed_sync_keeps_the_queue_and_the_next_one_sends_it(
    miniflux: Miniflux, account: User, feed: Callable[..., str], bad: Callable[..., BadServer],
    newswire_home: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    write_config(newswire_home, "miniflux", miniflux.url, account.name, account.password)
    account.subscribe(feed("omicron", items("o", 2)))
    sync(capsys)
    entry = next(iter(local_entries(capsys).values()))
    run(capsys, "star", str(entry["id"]))

    # The config now names another server: nothing is reset on the quiet, the sync refuses.
    broken = bad(server_error)
    write_config(newswire_home, "miniflux", broken.url, account.name, account.password)
    code, _, err = run(capsys, "sync")
    assert code == 1 and "--switch" in err and err.count("\n") == 1
    assert broken.paths == []
    # --switch against a server that fails changes nothing either.
    code, _, err = run(capsys, "sync", "--switch")
    assert code == 1 and "HTTP 500" in err

    write_config(newswire_home, "miniflux", miniflux.url, account.name, account.password)
    assert sync(capsys)["sent"] == 1
    assert server_entries(account)[entry["link"]]["starred"]
    assert local_entries(capsys)[entry["link"]]["starred"]


def test_switching_accounts_starts_over_with_the_new_one(
    miniflux: Miniflux, feed: Callable[..., str], newswire_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = miniflux.new_user(), miniflux.new_user()
    first.subscribe(feed("pi", items("p", 2)))
    second.subscribe(feed("rho", items("r", 3)))
    write_config(newswire_home, "miniflux", miniflux.url, first.name, first.password)
    sync(capsys)
    write_config(newswire_home, "miniflux", miniflux.url, second.name, second.password)
    assert run(capsys, "sync")[0] == 1
    code, out, err = run(capsys, "sync", "--switch")
    assert code == 0, err
    code, out, _ = run(capsys, "feeds", "--json")
    # The old account's feeds stay as local feeds; the new account's arrive synced.
    assert {f["title"] for f in json.loads(out)} == {"pi", "rho"}
    assert len(local_entries(capsys)) == 5
