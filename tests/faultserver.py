"""A fault-injecting HTTP server on 127.0.0.1: hostile answers (drips, resets, bombs) with hard time limits."""

from __future__ import annotations

import socket
import struct
import threading
import time
import zlib
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HARD_STOP = 8.0  # seconds: no answer, however slow or endless, outlives this


@dataclass(frozen=True)
class Fault:
    """How one path answers.

    `body` is sent as given (already compressed when `headers` say so). `length` overrides the
    declared Content-Length (None: the true length; -1: none, the body ends when the connection
    closes). `header_drip` sends the status line and headers one byte at a time with that pause;
    `drip` sends the body in `piece`-byte pieces with that pause. `endless` is sent as chunks,
    every `endless_every` seconds, until the hard stop. `reset_after` sends that many body bytes
    and then resets the connection (TCP RST). `handler` builds the Fault per request.
    """

    body: bytes = b""
    status: int = 200
    reason: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str | None = "application/rss+xml; charset=utf-8"
    length: int | None = None
    header_drip: float = 0.0
    drip: float = 0.0
    piece: int = 1024
    endless: bytes = b""
    endless_every: float = 0.0
    reset_after: int | None = None
    handler: Callable[[str], Fault] | None = None


class _Stop(Exception):
    """The hard stop passed or the server is closing: end this answer now."""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 5  # a client that connects and never sends a request cannot hold a thread
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        """Silence the per-request log on stderr."""

    def setup(self) -> None:
        super().setup()
        self.server.owner._opened(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.owner._closed(self.connection)

    def do_GET(self) -> None:
        owner = self.server.owner
        fault = owner._hit(self.path)
        if fault.handler is not None:
            fault = fault.handler(self.path)
        self.close_connection = True
        self._stop_at = time.monotonic() + owner.hard_stop
        try:
            self._answer(fault)
        except (_Stop, OSError):
            pass  # the client gave up (a deadline test) or the hard stop passed

    def _check(self) -> None:
        if self.server.owner.closing.is_set() or time.monotonic() > self._stop_at:
            raise _Stop

    def _sleep(self, seconds: float) -> None:
        self._check()
        if self.server.owner.closing.wait(min(seconds, max(0.0, self._stop_at - time.monotonic()))):
            raise _Stop
        self._check()

    def _answer(self, fault: Fault) -> None:
        lines = [f"HTTP/1.1 {fault.status} {fault.reason if fault.reason is not None else self._reason(fault.status)}"]
        if fault.content_type:
            lines.append(f"Content-Type: {fault.content_type}")
        if fault.endless:
            lines.append("Transfer-Encoding: chunked")
        elif fault.length != -1:
            lines.append(f"Content-Length: {len(fault.body) if fault.length is None else fault.length}")
        lines.append("Connection: close")
        lines.extend(f"{k}: {v}" for k, v in fault.headers.items())
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        if fault.header_drip:
            for i in range(len(head)):
                self.wfile.write(head[i : i + 1])
                self._sleep(fault.header_drip)
        else:
            self.wfile.write(head)
        body = fault.body if fault.reset_after is None else fault.body[: fault.reset_after]
        if fault.endless:
            body = f"{len(body):x}\r\n".encode() + body + b"\r\n" if body else b""
        if fault.drip:
            for start in range(0, len(body), fault.piece):
                self.wfile.write(body[start : start + fault.piece])
                self._sleep(fault.drip)
        else:
            self.wfile.write(body)
        if fault.reset_after is not None:
            # Linger 0: close() sends RST instead of FIN, mid-body.
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            return
        if fault.endless:
            chunk = f"{len(fault.endless):x}\r\n".encode() + fault.endless + b"\r\n"
            while True:
                self.wfile.write(chunk)
                if fault.endless_every:
                    self._sleep(fault.endless_every)
                else:
                    self._check()

    @staticmethod
    def _reason(status: int) -> str:
        phrase = BaseHTTPRequestHandler.responses.get(status)
        return phrase[0] if phrase else "Status"


class _Server(ThreadingHTTPServer):
    daemon_threads = False
    block_on_close = True  # server_close() joins every handler thread
    # socketserver's backlog is 5: a burst of connections past it waits out a 1 s SYN retry.
    request_queue_size = 256
    owner: FaultServer

    def handle_error(self, request: object, client_address: object) -> None:
        """Clients that give up are the point of these tests; keep stderr quiet."""


class FaultServer:
    """Serve Faults on 127.0.0.1 (a free port) from a background thread; count hits per path.

    Use as a context manager: leaving it closes every client socket, stops the handler threads
    (each bounded by `hard_stop` anyway) and closes the listening socket.
    """

    def __init__(self, hard_stop: float = HARD_STOP) -> None:
        self.hard_stop = hard_stop
        self.closing = threading.Event()
        self._faults: dict[str, Fault] = {}
        self._hits: Counter[str] = Counter()
        self._open: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.owner = self
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.02,), daemon=True)

    @property
    def base(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base + path

    def serve(self, path: str, fault: Fault) -> str:
        """Answer `path` with `fault`; returns the full URL."""
        with self._lock:
            self._faults[path] = fault
        return self.url(path)

    def hits(self, path: str) -> int:
        with self._lock:
            return self._hits[path]

    @property
    def open_connections(self) -> int:
        with self._lock:
            return len(self._open)

    def _hit(self, path: str) -> Fault:
        with self._lock:
            self._hits[path] += 1
            return self._faults.get(path) or Fault(b"not found", status=404, content_type="text/plain")

    def _opened(self, sock: socket.socket) -> None:
        with self._lock:
            self._open.add(sock)

    def _closed(self, sock: socket.socket) -> None:
        with self._lock:
            self._open.discard(sock)

    def start(self) -> FaultServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.closing.set()
        self._server.shutdown()
        with self._lock:
            sockets = list(self._open)
        for sock in sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self._server.server_close()
        self._thread.join(timeout=self.hard_stop)

    def __enter__(self) -> FaultServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


# -- bodies ------------------------------------------------------------------------------------------


def compress(data: bytes, coding: str = "gzip") -> bytes:
    """`data` in one Content-Encoding ("gzip" or "deflate")."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31 if coding == "gzip" else 15)
    return packer.compress(data) + packer.flush()


def zeros_gzip(size: int, step: int = 1 << 20) -> bytes:
    """A gzip stream that inflates to `size` zero bytes, built without holding them."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = bytes(step)
    parts = [packer.compress(block) for _ in range(size // step)]
    parts.append(packer.compress(bytes(size % step)))
    parts.append(packer.flush())
    return b"".join(parts)


def rss(items: Iterable[str], *, title: str = "Feed", extra: str = "", encoding: str = "utf-8") -> bytes:
    """An RSS 2.0 document around `items` (each an <item>…</item> string)."""
    text = (
        f'<?xml version="1.0" encoding="{encoding}"?>\n<rss version="2.0"><channel>'
        f"<title>{title}</title><link>http://news.example/</link>{extra}{''.join(items)}</channel></rss>\n"
    )
    return text.encode(encoding)


def item(guid: str | None, title: str, *, link: str | None = None, description: str = "",
         date: str | None = None, raw: str = "") -> str:
    """One RSS <item>; values are inserted as given (escape them yourself)."""
    parts = [f"<title>{title}</title>"]
    if guid is not None:
        parts.append(f'<guid isPermaLink="false">{guid}</guid>')
    if link is not None:
        parts.append(f"<link>{link}</link>")
    if description:
        parts.append(f"<description>{description}</description>")
    if date is not None:
        parts.append(f"<pubDate>{date}</pubDate>")
    return "<item>" + "".join(parts) + raw + "</item>"
