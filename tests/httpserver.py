"""A real HTTP server on 127.0.0.1 for fetch and refresh tests: scripted routes, recorded requests."""

from __future__ import annotations

import gzip
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class Route:
    """What the server answers on one path.

    `etag`/`last_modified` make the route answer 304 to a matching conditional request.
    `delay` waits before the status line; `drip` sends the body in `drip_chunks` pieces with
    `drip` seconds between them (to outlast a whole-request deadline without a read timeout).
    `handler`, when set, builds the Route per request (for answers that change over time).
    """

    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/rss+xml; charset=utf-8"
    etag: str | None = None
    last_modified: str | None = None
    delay: float = 0.0
    drip: float = 0.0
    drip_chunks: int = 10
    gzip: bool = False
    handler: Callable[[Request], Route] | None = None


@dataclass(frozen=True)
class Request:
    """One request the server saw."""

    method: str
    path: str
    headers: dict[str, str]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        """Silence the per-request log on stderr."""

    def do_GET(self) -> None:
        request = Request("GET", self.path, {k.lower(): v for k, v in self.headers.items()})
        owner = self.server.owner
        with owner.lock:
            owner.requests.append(request)
            route = owner.routes.get(self.path)
        if route is None:
            route = Route(body=b"not found", status=404, content_type="text/plain")
        if route.handler is not None:
            route = route.handler(request)
        self._answer(route, request)

    def _answer(self, route: Route, request: Request) -> None:
        if route.delay:
            time.sleep(route.delay)
        if _matches_conditional(route, request):
            self.send_response(304)
            self._validators(route)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = route.body
        self.send_response(route.status)
        if route.gzip:
            body = gzip.compress(body)
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Type", route.content_type)
        self._validators(route)
        for name, value in route.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not route.drip:
            self.wfile.write(body)
            return
        step = max(1, len(body) // route.drip_chunks)
        for start in range(0, len(body), step):
            self.wfile.write(body[start : start + step])
            self.wfile.flush()
            time.sleep(route.drip)

    def _validators(self, route: Route) -> None:
        if route.etag:
            self.send_header("ETag", route.etag)
        if route.last_modified:
            self.send_header("Last-Modified", route.last_modified)


def _matches_conditional(route: Route, request: Request) -> bool:
    if route.status != 200:
        return False
    if route.etag and request.headers.get("if-none-match") == route.etag:
        return True
    return bool(route.last_modified) and request.headers.get("if-modified-since") == route.last_modified


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # the default 5 makes a burst of requests wait out a 1 s retry
    block_on_close = False
    owner: FeedServer

    def handle_error(self, request: object, client_address: object) -> None:
        """A client that gave up (a timeout test) is expected; keep stderr quiet."""


class FeedServer:
    """Serve scripted routes on 127.0.0.1 (a free port) from a background thread.

    >>> with FeedServer() as server:
    ...     server.route("/feed", Route(body=b"<rss/>"))
    ...     url = server.url("/feed")
    """

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[Request] = []
        self.lock = threading.Lock()
        self._server = _Server((host, 0), _Handler)
        self._server.owner = self
        # A short poll interval keeps shutdown (and so each test's teardown) quick.
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.02,), daemon=True)

    @property
    def base(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base + path

    def route(self, path: str, route: Route) -> str:
        """Set what `path` answers; returns its full URL."""
        with self.lock:
            self.routes[path] = route
        return self.url(path)

    def update(self, path: str, **changes: object) -> None:
        with self.lock:
            self.routes[path] = replace(self.routes[path], **changes)

    def redirect(self, path: str, to: str, status: int = 301) -> str:
        return self.route(path, Route(status=status, headers={"Location": to}, content_type="text/plain"))

    def requests_to(self, path: str) -> list[Request]:
        with self.lock:
            return [r for r in self.requests if r.path == path]

    def start(self) -> FeedServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> FeedServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
