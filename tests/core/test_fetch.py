"""Fetcher against a real HTTP server on 127.0.0.1: conditional GET, redirects, limits, errors."""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from email.utils import formatdate
from pathlib import Path

import httpx
import pytest

from tests.httpserver import FeedServer, Request, Route
from tui import USER_AGENT
from tui.core.feeds.fetch import Fetcher, parse_max_age, parse_retry_after

FEED = b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title></channel></rss>'


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as srv:
        yield srv


async def test_plain_get_returns_body_validators_and_user_agent(server: FeedServer) -> None:
    url = server.route("/feed", Route(body=FEED, etag='"v1"', last_modified="Mon, 03 Jun 2024 10:00:00 GMT"))
    async with Fetcher() as fetcher:
        result = await fetcher.fetch(url)
    assert result.ok and result.status == 200
    assert result.body == FEED
    assert result.etag == '"v1"'
    assert result.last_modified == "Mon, 03 Jun 2024 10:00:00 GMT"
    assert result.headers["content-type"].startswith("application/rss+xml")
    assert server.requests_to("/feed")[0].headers["user-agent"] == USER_AGENT


async def test_conditional_get_gives_not_modified(server: FeedServer) -> None:
    url = server.route("/feed", Route(body=FEED, etag='"v1"', last_modified="Mon, 03 Jun 2024 10:00:00 GMT"))
    async with Fetcher() as fetcher:
        by_etag = await fetcher.fetch(url, etag='"v1"')
        by_date = await fetcher.fetch(url, last_modified="Mon, 03 Jun 2024 10:00:00 GMT")
        stale = await fetcher.fetch(url, etag='"v0"')
    assert by_etag.not_modified and by_etag.ok and by_etag.status == 304 and by_etag.body == b""
    assert by_date.not_modified
    assert not stale.not_modified and stale.body == FEED
    sent = server.requests_to("/feed")
    assert sent[0].headers["if-none-match"] == '"v1"'
    assert sent[1].headers["if-modified-since"] == "Mon, 03 Jun 2024 10:00:00 GMT"


@pytest.mark.parametrize("status", [301, 308])
async def test_permanent_redirect_reports_the_new_url(server: FeedServer, status: int) -> None:
    new = server.route("/new", Route(body=FEED))
    old = server.redirect("/old", "/new", status=status)
    async with Fetcher() as fetcher:
        result = await fetcher.fetch(old)
    assert result.ok and result.body == FEED
    assert result.final_url == new
    assert result.permanent_redirect == new


async def test_temporary_hop_in_the_chain_keeps_the_old_url(server: FeedServer) -> None:
    server.route("/final", Route(body=FEED))
    server.redirect("/middle", "/final", status=302)
    old = server.redirect("/old", "/middle", status=301)
    async with Fetcher() as fetcher:
        result = await fetcher.fetch(old)
    assert result.ok and result.final_url == server.url("/final")
    assert result.permanent_redirect is None


async def test_redirect_loop_fails_with_a_sentence(server: FeedServer) -> None:
    a = server.redirect("/a", "/b")
    server.redirect("/b", "/a")
    async with Fetcher() as fetcher:
        result = await fetcher.fetch(a)
    assert not result.ok
    assert result.error.startswith("redirect loop")


async def test_too_many_redirects(server: FeedServer) -> None:
    for i in range(7):
        server.redirect(f"/r{i}", f"/r{i + 1}", status=302)
    server.route("/r7", Route(body=FEED))
    async with Fetcher(max_redirects=5) as fetcher:
        result = await fetcher.fetch(server.url("/r0"))
        within = await fetcher.fetch(server.url("/r3"))
    assert result.error == "too many redirects (more than 5)"
    assert within.ok and within.body == FEED


async def test_redirect_to_a_non_http_url_fails(server: FeedServer) -> None:
    url = server.redirect("/ftp", "ftp://files.example.com/feed.xml")
    async with Fetcher() as fetcher:
        result = await fetcher.fetch(url)
    assert result.error == "redirect to a non-http URL (ftp://files.example.com/feed.xml)"


async def test_gone_and_not_found(server: FeedServer) -> None:
    gone = server.route("/gone", Route(status=410, body=b"gone", content_type="text/plain"))
    async with Fetcher() as fetcher:
        r410 = await fetcher.fetch(gone)
        r404 = await fetcher.fetch(server.url("/missing"))
    assert r410.gone and r410.error == "HTTP 410 Gone"
    assert not r404.gone and r404.status == 404 and r404.error == "HTTP 404 Not Found"


async def test_retry_after_and_max_age_are_read(server: FeedServer) -> None:
    busy = server.route("/busy", Route(status=503, headers={"Retry-After": "120"}))
    later = formatdate(time.time() + 600, usegmt=True)
    dated = server.route("/dated", Route(status=429, headers={"Retry-After": later}))
    cached = server.route("/cached", Route(body=FEED, headers={"Cache-Control": "public, max-age=900"}))
    async with Fetcher() as fetcher:
        r_busy = await fetcher.fetch(busy)
        r_dated = await fetcher.fetch(dated)
        r_cached = await fetcher.fetch(cached)
    assert r_busy.error == "HTTP 503 Service Unavailable" and r_busy.retry_after == 120
    assert r_dated.error == "HTTP 429 Too Many Requests" and 590 <= r_dated.retry_after <= 600
    assert r_cached.max_age == 900


def test_header_parsers_reject_junk() -> None:
    assert parse_retry_after("soon") is None
    assert parse_retry_after(formatdate(0, usegmt=True)) == 0.0  # a date in the past: now
    assert parse_max_age("no-store") is None
    assert parse_max_age('max-age="60", must-revalidate') == 60


async def test_read_timeout_on_a_slow_server(server: FeedServer) -> None:
    url = server.route("/slow", Route(body=FEED, delay=2.0))
    async with Fetcher(read_timeout=0.3) as fetcher:
        started = time.monotonic()
        result = await fetcher.fetch(url)
    assert result.error == "timed out after 0.3 s"
    assert time.monotonic() - started < 1.5


async def test_deadline_covers_a_body_that_trickles(server: FeedServer) -> None:
    # Each chunk arrives well within the read timeout; only the whole-request deadline stops it.
    url = server.route("/drip", Route(body=FEED * 20, drip=0.15, drip_chunks=20))
    async with Fetcher(read_timeout=2, deadline=0.6) as fetcher:
        started = time.monotonic()
        result = await fetcher.fetch(url)
    assert result.error == "timed out after 0.6 s"
    assert time.monotonic() - started < 2


async def test_over_size_body_is_refused(server: FeedServer) -> None:
    url = server.route("/big", Route(body=b"x" * 50_000))
    async with Fetcher(max_bytes=10 * 1024) as fetcher:
        result = await fetcher.fetch(url)
    assert result.error == "response larger than 10 KB"
    assert result.body == b""


async def test_over_size_limit_counts_decompressed_bytes(server: FeedServer) -> None:
    # 4 MB of zeros gzip to a few KB: the limit must apply to what it inflates to.
    url = server.route("/bomb", Route(body=b"\0" * (4 * 1024 * 1024), gzip=True))
    async with Fetcher(max_bytes=1024 * 1024) as fetcher:
        result = await fetcher.fetch(url)
    assert result.error == "response larger than 1 MB"


async def test_gzip_body_is_decoded(server: FeedServer) -> None:
    url = server.route("/gz", Route(body=FEED * 50, gzip=True))
    async with Fetcher() as fetcher:
        result = await fetcher.fetch(url)
    assert result.ok and result.body == FEED * 50
    assert result.headers["content-encoding"] == "gzip"
    assert len(gzip.compress(FEED * 50)) < len(FEED * 50)


async def test_connection_refused_and_unresolvable_host() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    async with Fetcher(connect_timeout=2) as fetcher:
        refused = await fetcher.fetch(f"http://127.0.0.1:{port}/feed")
        unknown = await fetcher.fetch("http://no-such-host.invalid/feed")
    assert refused.error == "connection refused"
    assert unknown.error == "could not resolve host"


async def test_tls_to_a_plain_http_server_is_a_tls_error(server: FeedServer) -> None:
    url = server.route("/feed", Route(body=FEED)).replace("http://", "https://")
    async with Fetcher() as fetcher:
        result = await fetcher.fetch(url)
    assert result.error is not None and result.error.startswith("TLS error: ")


@pytest.mark.parametrize("url", ["ftp://example.com/feed", "file:///etc/passwd", "not a url", "http://[::1"])
async def test_bad_urls_give_a_sentence_not_an_exception(url: str) -> None:
    async with Fetcher() as fetcher:
        result = await fetcher.fetch(url)
    assert not result.ok and result.error


async def test_per_host_limit_bounds_concurrent_requests(server: FeedServer) -> None:
    lock = threading.Lock()
    active = peak = 0

    def slow(request: Request) -> Route:
        nonlocal active, peak
        with lock:
            active += 1
            peak = max(peak, active)
        time.sleep(0.15)
        with lock:
            active -= 1
        return Route(body=FEED)

    for i in range(6):
        server.route(f"/f{i}", Route(handler=slow))
    async with Fetcher(per_host=2) as fetcher:
        results = await asyncio.gather(*(fetcher.fetch(server.url(f"/f{i}")) for i in range(6)))
    assert all(r.ok for r in results)
    assert peak == 2


async def test_a_transport_is_used_like_the_network() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/old":
            return httpx.Response(301, headers={"Location": "/feed"})
        if request.headers.get("if-none-match") == '"d1"':
            return httpx.Response(304)
        return httpx.Response(200, headers={"ETag": '"d1"'}, content=FEED)

    async with Fetcher(transport=httpx.MockTransport(handler)) as fetcher:
        first = await fetcher.fetch("http://demo.invalid/old")
        again = await fetcher.fetch("http://demo.invalid/feed", etag=first.etag)
    assert first.body == FEED and first.permanent_redirect == "http://demo.invalid/feed"
    assert again.not_modified


async def test_each_host_keeps_its_connection_and_idle_hosts_are_bounded(
    server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A host's connection is reused, and at most idle_hosts hosts keep an idle connection."""
    import tests.httpserver as httpserver

    connections = 0
    setup = httpserver._Handler.setup

    def counting_setup(self: httpserver._Handler) -> None:
        nonlocal connections
        connections += 1
        setup(self)

    monkeypatch.setattr(httpserver._Handler, "setup", counting_setup)
    url = server.route("/feed", Route(body=b"<rss/>"))
    # Two origins on the same server: 127.0.0.1 and localhost.
    other = url.replace("127.0.0.1", "localhost")
    async with Fetcher(per_host=2, idle_hosts=1) as fetcher:
        for _ in range(4):
            assert (await fetcher.fetch(url)).ok
        assert connections == 1  # four requests, one kept-alive connection
        assert (await fetcher.fetch(other)).ok
        # Only one host keeps an idle connection: the first host's was closed for the second's.
        assert (await fetcher.fetch(url)).ok
    assert connections == 3


async def test_a_304_and_a_redirect_keep_the_connection(server: FeedServer) -> None:
    """Small answers whose body is not read (a 304, a redirect's) still leave the connection reusable."""
    url = server.route("/feed", Route(body=FEED, etag='"v1"'))
    old = server.redirect("/old", "/feed", status=302)
    async with Fetcher() as fetcher:
        results = [await fetcher.fetch(url, etag='"v1"') for _ in range(3)]
        moved = await fetcher.fetch(old)
        assert fetcher.connections_opened == 1
    assert all(r.not_modified for r in results) and moved.body == FEED


@contextlib.asynccontextmanager
async def raw_server(answer: Callable[[bytes], bytes]) -> AsyncIterator[str]:
    """A server on 127.0.0.1 that writes `answer(path)` as it is, then closes; yields its base URL."""

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        path = ((await reader.readline()).split() or [b"", b"/"])[1]
        while await reader.readline() not in (b"\r\n", b""):
            pass
        writer.write(answer(path))
        await writer.drain()
        writer.close()  # even after an answer that says keep-alive (HTTP/1.1, no Connection: close)

    tcp = await asyncio.start_server(handle, "127.0.0.1", 0)
    try:
        yield f"http://127.0.0.1:{tcp.sockets[0].getsockname()[1]}"
    finally:
        tcp.close()
        await tcp.wait_closed()


async def test_a_server_that_closes_a_kept_connection_is_asked_again_on_a_new_one() -> None:
    """A kept-alive connection the server closed while idle costs nothing: the request goes on a new one."""
    served = []

    def answer(path: bytes) -> bytes:
        served.append(path)
        return b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(FEED) + FEED

    async with raw_server(answer) as base, Fetcher() as fetcher:
        first = await fetcher.fetch(f"{base}/feed")
        await asyncio.sleep(0.05)
        second = await fetcher.fetch(f"{base}/feed")
    assert first.body == FEED and second.body == FEED and len(served) == 2


@pytest.mark.parametrize("answer", [
    b"HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n<rss>",
    b"SPDY/3 200 OK\r\n\r\n",
    b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
    b"HTTP/1.1 200 OK\r\n" + b"X-Junk: " + b"j" * 100_000,
    b"",
])
async def test_broken_answers_give_a_sentence(answer: bytes) -> None:
    async with raw_server(lambda path: answer) as base, Fetcher() as fetcher:
        result = await fetcher.fetch(f"{base}/feed")
    assert result.error is not None and result.error.startswith("the server broke the HTTP protocol"), result.error


async def test_chunked_and_close_delimited_bodies_are_read_whole() -> None:
    answers = {
        b"/chunked": b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                     b"5;ext=1\r\n<rss>\r\n6\r\n</rss>\r\n0\r\nX-Trailer: y\r\n\r\n",
        b"/eof": b"HTTP/1.0 200 OK\r\n\r\n<rss></rss>",
        b"/bare-lf": b"HTTP/1.1 200 OK\nContent-Length: 11\nX-Folded: a\n b\n\n<rss></rss>",
        b"/continue": b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n<rss></rss>",
    }
    async with raw_server(answers.__getitem__) as base, Fetcher() as fetcher:
        results = {p: await fetcher.fetch(f"{base}{p.decode()}") for p in answers}
    assert {p: (r.error, r.body) for p, r in results.items()} == {p: (None, b"<rss></rss>") for p in answers}
    assert results[b"/bare-lf"].headers["x-folded"] == "a b"


async def test_https_keeps_its_connection_and_refuses_an_untrusted_certificate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A TLS server whose certificate is trusted (SSL_CERT_FILE, as httpx reads it) serves every
    request over one kept-alive connection; without that trust the fetch fails with a TLS sentence."""
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", str(key), "-out", str(cert),
                    "-days", "2", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
                   check=True, capture_output=True)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while await reader.readline():
                while await reader.readline() not in (b"\r\n", b""):
                    pass
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(FEED) + FEED)
                await writer.drain()
        except (ConnectionError, ssl.SSLError):
            pass
        finally:
            writer.close()

    tcp = await asyncio.start_server(handle, "127.0.0.1", 0, ssl=context)
    url = f"https://localhost:{tcp.sockets[0].getsockname()[1]}/feed"
    try:
        monkeypatch.setenv("SSL_CERT_FILE", str(cert))
        async with Fetcher() as fetcher:
            results = [await fetcher.fetch(url) for _ in range(3)]
            opened = fetcher.connections_opened
        monkeypatch.delenv("SSL_CERT_FILE")
        async with Fetcher() as fetcher:
            untrusted = await fetcher.fetch(url)
    finally:
        tcp.close()
    assert [r.body for r in results] == [FEED] * 3 and opened == 1
    assert untrusted.error is not None and untrusted.error.startswith("TLS error: "), untrusted.error


async def test_an_idle_connection_is_closed_after_the_keepalive_expiry(
    server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui.core.feeds import http

    monkeypatch.setattr(http, "KEEPALIVE_EXPIRY", 0.2)
    url = server.route("/feed", Route(body=FEED))
    async with Fetcher() as fetcher:
        for _ in range(2):
            assert (await fetcher.fetch(url)).ok
        assert fetcher.connections_opened == 1
        await asyncio.sleep(0.5)
        assert (await fetcher.fetch(url)).ok
        assert fetcher.connections_opened == 2
