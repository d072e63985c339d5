"""A small HTTP/1.1 client on asyncio for feed and page GETs: kept-alive connections per origin.

Why not httpx here: a refresh is hundreds of small GETs, and httpx spent ~1 ms of CPU on each
(its request and response models, URL parsing, cookie jar, hooks, then httpcore's pool on anyio
and h11), and its import cost ~75 ms of a 0.3 s refresh where every feed answers 304. This client
does only what a feed reader needs: GET, Content-Length / chunked / close-delimited bodies handed
over raw (the Fetcher inflates and caps them), 1xx answers skipped, one kept-alive connection
reused per request slot (closed after 5 s idle, as httpx did), DNS asked once a minute per host,
TLS with the trust store httpx uses.
Anything the server breaks raises ProtocolError; time limits raise ConnectTimeout / ReadTimeout.
"""

from __future__ import annotations

import asyncio
import ipaddress
import os
import re
import socket
import ssl
from collections import OrderedDict
from collections.abc import AsyncIterator, Mapping
from typing import Any, NoReturn

# A URL that is already in the canonical form httpx.URL gives it (lower-case host, no default
# port, no dot segments, nothing left to percent-encode): used as it is. Anything else goes
# through httpx.URL (imported then), so odd URLs are handled exactly as before.
_PLAIN = re.compile(
    r"(https?)://([a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?)(?::([1-9][0-9]{0,4}))?"
    r"((?:/(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})*)*)"
    r"(\?(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2})*)?"
)
_DOT_SEGMENT = re.compile(r"/\.\.?(?:/|$)")
_DEFAULT_PORT = {"http": 80, "https": 443}
MAX_HEAD = 64 * 1024  # status line and headers together (h11 allowed 16 KB; pages send big cookies)
_HIGH_WATER = 256 * 1024  # buffered body bytes before the socket stops being read
_CHUNK_LINE = 1024
KEEPALIVE_EXPIRY = 5.0  # seconds an idle connection is kept open (httpx's default)
DNS_TTL = 60.0  # seconds a host's addresses are reused for new connections


class ProtocolError(Exception):
    """The server's answer is not HTTP/1.1 that can be read."""


class ConnectTimeout(Exception):
    pass


class ReadTimeout(Exception):
    pass


class InvalidURL(ValueError):
    pass


def _plain(url: str) -> re.Match[str] | None:
    match = _PLAIN.fullmatch(url)
    if match is None or _DOT_SEGMENT.search(match.group(4)):
        return None
    port = match.group(3)
    if port and (int(port) == _DEFAULT_PORT[match.group(1)] or int(port) > 65535):
        return None
    return match


def canonical_url(url: str) -> str:
    """The canonical (percent-encoded) form of an absolute URL, as httpx.URL gives it."""
    if _plain(url):
        return url
    import httpx

    try:
        return str(httpx.URL(url))
    except httpx.InvalidURL as exc:
        raise InvalidURL(str(exc)) from None


Origin = tuple[str, str, int]  # scheme, host (IDNA, no brackets), port


def split_url(url: str) -> tuple[Origin, str, str]:
    """(origin, Host header value, request target) of an http(s) URL; InvalidURL if it has none."""
    match = _plain(url)
    if match:
        scheme, host, port, path, query = match.groups()
        number = int(port) if port else _DEFAULT_PORT[scheme]
        return (scheme, host, number), f"{host}:{port}" if port else host, (path or "/") + (query or "")
    import httpx

    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as exc:
        raise InvalidURL(str(exc)) from None
    scheme = parsed.scheme
    if scheme not in _DEFAULT_PORT or not parsed.raw_host:
        raise InvalidURL(f"not an http(s) URL: {url!r}")
    host = parsed.raw_host.decode("ascii")
    port = parsed.port or _DEFAULT_PORT[scheme]
    shown = f"[{host}]" if ":" in host else host
    return (scheme, host, port), shown if parsed.port is None else f"{shown}:{parsed.port}", \
        parsed.raw_path.decode("ascii")


def ssl_context(verify: bool = True) -> ssl.SSLContext:
    """The trust store httpx uses: SSL_CERT_FILE / SSL_CERT_DIR if set, else certifi's bundle."""
    if not verify:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    elif os.environ.get("SSL_CERT_FILE"):
        context = ssl.create_default_context(cafile=os.environ["SSL_CERT_FILE"])
    elif os.environ.get("SSL_CERT_DIR"):
        context = ssl.create_default_context(capath=os.environ["SSL_CERT_DIR"])
    else:
        import certifi

        context = ssl.create_default_context(cafile=certifi.where())
    context.set_alpn_protocols(["http/1.1"])
    return context


def _decode_headers(raw: list[tuple[bytes, bytes]]) -> dict[str, str]:
    """Lower-cased names; values decoded as httpx does (ASCII, else UTF-8, else Latin-1, for the whole set)."""
    for encoding in ("ascii", "utf-8"):
        try:
            return _joined((k.decode(encoding).lower(), v.decode(encoding)) for k, v in raw)
        except UnicodeDecodeError:
            continue
    return _joined((k.decode("latin-1").lower(), v.decode("latin-1")) for k, v in raw)


def _joined(pairs: Any) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, value in pairs:
        out[name] = f"{out[name]}, {value}" if name in out else value
    return out


class _Connection(asyncio.Protocol):
    """One socket: bytes received wait in a buffer until the response reader takes them."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self.transport: asyncio.Transport | None = None
        self.buffer = bytearray()
        self.closed = False  # the server closed its side, or the socket failed
        self.error: BaseException | None = None
        self._waiter: asyncio.Future[None] | None = None
        self._paused = False
        self.expiry: asyncio.TimerHandle | None = None  # closes it when it has been idle too long

    # -- protocol callbacks
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        if len(self.buffer) > _HIGH_WATER and not self._paused and self.transport is not None:
            self._paused = True
            self.transport.pause_reading()
        self._wake()

    def eof_received(self) -> bool:
        self.closed = True
        self._wake()
        return False

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self.error = exc
        self._wake()

    def _wake(self) -> None:
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    # -- reader side
    def reusable(self) -> bool:
        return not self.closed and not self.buffer and self.transport is not None and not self.transport.is_closing()

    async def more(self, timeout: float | None) -> None:
        """Wait for more bytes (or the end); ReadTimeout after `timeout` seconds of silence."""
        if self._paused and self.transport is not None:
            self._paused = False
            self.transport.resume_reading()
        if self.closed:
            if self.error is not None:
                raise self.error
            raise ProtocolError("the server closed the connection")
        waiter = self._waiter = self._loop.create_future()
        timer = self._loop.call_later(timeout, _expire, waiter) if timeout is not None else None
        try:
            await waiter
        finally:
            self._waiter = None
            if timer is not None:
                timer.cancel()
        if self.closed and self.error is not None and not self.buffer:
            raise self.error

    def ended(self) -> NoReturn:
        """The connection ended before the answer did: the socket's error (a reset), else a protocol error."""
        if self.error is not None:
            raise self.error
        raise ProtocolError("peer closed connection without sending complete message body")

    def take(self, size: int) -> bytes:
        data = bytes(self.buffer[:size])
        del self.buffer[:size]
        return data

    def close(self) -> None:
        self.closed = True
        if self.expiry is not None:
            self.expiry.cancel()
            self.expiry = None
        if self.transport is not None:
            self.transport.close()


def _expire(waiter: asyncio.Future[None]) -> None:
    if not waiter.done():
        waiter.set_exception(ReadTimeout())


_HEAD_END = re.compile(rb"\n\r?\n")
_LINES = re.compile(rb"\r?\n")
_STATUS = re.compile(rb"HTTP/1\.([01]) ([0-9]{3})(?: ([^\r\n]*))?")


class Response:
    """Status, reason and headers of one answer; its body comes raw (still content-encoded) from aiter_raw()."""

    def __init__(self, client: HttpClient, origin: Origin, conn: _Connection, status: int, reason: str,
                 headers: dict[str, str], keep_alive: bool, length: int | None, chunked: bool) -> None:
        self.status_code = status
        self.reason_phrase = reason
        self.headers = headers
        self._client = client
        self._origin = origin
        self._conn: _Connection | None = conn
        self._keep_alive = keep_alive
        self._length = length  # bytes of body left; None with chunked or close-delimited bodies
        self._chunked = chunked
        self._done = length == 0

    async def aiter_raw(self) -> AsyncIterator[bytes]:
        conn = self._conn
        assert conn is not None
        timeout = self._client.read_timeout
        if self._chunked:
            async for piece in self._chunks(conn, timeout):
                yield piece
        elif self._length is not None:
            while self._length:
                if not conn.buffer:
                    if conn.closed:
                        conn.ended()
                    await conn.more(timeout)
                    continue
                piece = conn.take(self._length)
                self._length -= len(piece)
                yield piece
        else:  # the body ends when the connection does
            while True:
                if conn.buffer:
                    yield conn.take(len(conn.buffer))
                elif conn.closed:
                    if conn.error is not None:
                        raise conn.error
                    break
                else:
                    await conn.more(timeout)
        self._done = True

    async def _chunks(self, conn: _Connection, timeout: float) -> AsyncIterator[bytes]:
        while True:
            line = await _line(conn, timeout, _CHUNK_LINE, "chunk size")
            size_text = line.split(b";", 1)[0].strip()
            try:
                size = int(size_text, 16)
            except ValueError:
                raise ProtocolError(f"bad chunk size {size_text[:20]!r}") from None
            if size < 0 or size_text.startswith((b"-", b"+", b"0x", b"0X")):
                raise ProtocolError(f"bad chunk size {size_text[:20]!r}")
            if size == 0:
                while await _line(conn, timeout, MAX_HEAD, "trailer"):
                    pass
                return
            while size:
                if not conn.buffer:
                    if conn.closed:
                        conn.ended()
                    await conn.more(timeout)
                    continue
                piece = conn.take(size)
                size -= len(piece)
                yield piece
            if await _line(conn, timeout, 2, "chunk end"):
                raise ProtocolError("chunk data longer than its size")

    async def aclose(self) -> None:
        conn, self._conn = self._conn, None
        if conn is None:
            return
        if not self._done and self._length is not None and not self._chunked and len(conn.buffer) >= self._length:
            conn.take(self._length)  # a small unread body already here (a 304's, a redirect's)
            self._done = True
        if self._done and self._keep_alive and conn.reusable():
            self._client._release(self._origin, conn)
        else:
            conn.close()


async def _line(conn: _Connection, timeout: float, limit: int, what: str) -> bytes:
    while True:
        end = conn.buffer.find(b"\n")
        if end >= 0:
            line = conn.take(end + 1)
            return line.rstrip(b"\r\n")
        if len(conn.buffer) > limit:
            raise ProtocolError(f"{what} line too long")
        if conn.closed:
            conn.ended()
        await conn.more(timeout)


class HttpClient:
    """Kept-alive connections per origin (scheme, host, port), at most `idle_hosts` origins kept idle.

    It does not limit concurrency itself: the Fetcher's per-host and global slots do, so a host
    never has more connections than requests in flight to it.
    """

    def __init__(self, *, connect_timeout: float = 10, read_timeout: float = 20, idle_hosts: int = 64,
                 verify: bool = True) -> None:
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self.idle_hosts = idle_hosts
        self.verify = verify
        self._idle: OrderedDict[Origin, list[_Connection]] = OrderedDict()
        self._addresses: dict[tuple[str, int], tuple[float, asyncio.Future[list[Any]]]] = {}
        self._tls: ssl.SSLContext | None = None
        self.connections_opened = 0

    async def get(self, url: str, headers: Mapping[str, str], *, user_agent: str, accept: str,
                  accept_encoding: str) -> Response:
        origin, host_header, target = split_url(url)
        lines = [f"GET {target} HTTP/1.1", f"Host: {host_header}"]
        sent = {name.lower() for name in headers}
        for name, value in (("User-Agent", user_agent), ("Accept", accept), ("Accept-Encoding", accept_encoding)):
            if name.lower() not in sent:
                lines.append(f"{name}: {value}")
        for name, value in headers.items():
            if "\r" in name or "\n" in name or "\r" in value or "\n" in value or "\0" in value:
                raise InvalidURL(f"invalid header {name!r}")
            lines.append(f"{name}: {value}")
        request = ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8")
        while True:
            conn = self._idle_connection(origin)
            fresh = conn is None
            if conn is None:
                conn = await self._connect(origin)
            try:
                return await self._exchange(origin, conn, request)
            except (ConnectionError, ProtocolError):
                conn.close()
                # A kept-alive connection the server closed as we sent: once more on a new one.
                if fresh or conn.buffer:
                    raise
            except BaseException:
                conn.close()
                raise

    def _idle_connection(self, origin: Origin) -> _Connection | None:
        idle = self._idle.get(origin)
        while idle:
            conn = idle.pop()
            if not idle:
                del self._idle[origin]
            if conn.expiry is not None:
                conn.expiry.cancel()
                conn.expiry = None
            if conn.reusable():
                return conn
            conn.close()
        return None

    def _release(self, origin: Origin, conn: _Connection) -> None:
        self._idle.setdefault(origin, []).append(conn)
        self._idle.move_to_end(origin)
        conn.expiry = asyncio.get_running_loop().call_later(KEEPALIVE_EXPIRY, self._expire, origin, conn)
        while len(self._idle) > self.idle_hosts:
            _, old = self._idle.popitem(last=False)
            for c in old:
                c.close()

    def _expire(self, origin: Origin, conn: _Connection) -> None:
        conn.expiry = None
        idle = self._idle.get(origin)
        if idle and conn in idle:
            idle.remove(conn)
            if not idle:
                del self._idle[origin]
        conn.close()

    async def _resolve(self, host: str, port: int) -> list[Any]:
        key = (host, port)
        loop = asyncio.get_running_loop()
        cached = self._addresses.get(key)
        pending = cached[1] if cached is not None and cached[0] > loop.time() else None
        if pending is None:
            pending = loop.create_future()
            self._addresses[key] = (loop.time() + DNS_TTL, pending)
            try:
                infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
            except BaseException as exc:
                self._addresses.pop(key, None)
                pending.set_exception(exc if isinstance(exc, Exception) else ConnectionError("cancelled"))
                pending.exception()  # retrieved: no "never retrieved" warning when no one else waits
                raise
            pending.set_result(infos)
            return infos
        return await asyncio.shield(pending)

    async def _connect(self, origin: Origin) -> _Connection:
        scheme, host, port = origin
        loop = asyncio.get_running_loop()
        context = None
        if scheme == "https":
            if self._tls is None:
                self._tls = ssl_context(self.verify)
            context = self._tls
        try:
            async with asyncio.timeout(self.connect_timeout):
                try:
                    ipaddress.ip_address(host)
                    addresses = [host]
                except ValueError:
                    addresses = [info[4][0] for info in await self._resolve(host, port)]
                error: BaseException | None = None
                for address in addresses:
                    try:
                        _, conn = await loop.create_connection(
                            lambda: _Connection(loop), address, port, ssl=context,
                            server_hostname=host if context else None,
                            ssl_handshake_timeout=self.connect_timeout if context else None,
                        )
                    except OSError as exc:
                        error = exc
                        continue
                    self.connections_opened += 1
                    return conn
                assert error is not None
                raise error
        except TimeoutError:
            raise ConnectTimeout() from None

    async def _exchange(self, origin: Origin, conn: _Connection, request: bytes) -> Response:
        assert conn.transport is not None
        conn.transport.write(request)
        timeout = self.read_timeout
        while True:
            found = _HEAD_END.search(conn.buffer)
            if found is None:
                if len(conn.buffer) > MAX_HEAD:
                    raise ProtocolError("the response headers are too long")
                if conn.closed and conn.error is None:
                    raise ProtocolError("the server closed the connection without sending a response"
                                        if not conn.buffer else "the response headers are incomplete")
                await conn.more(timeout)
                continue
            head = conn.take(found.end())
            response = self._head(origin, conn, head)
            if response is not None:
                return response

    def _head(self, origin: Origin, conn: _Connection, head: bytes) -> Response | None:
        lines = _LINES.split(head.rstrip(b"\r\n"))
        match = _STATUS.fullmatch(lines[0])
        if match is None:
            raise ProtocolError(f"illegal status line: {lines[0][:80]!r}")
        minor, code, reason = match.groups()
        status = int(code)
        if 100 <= status < 200:
            return None  # 100 Continue and the like: the answer follows
        raw: list[tuple[bytes, bytes]] = []
        for line in lines[1:]:
            if line[:1] in (b" ", b"\t") and raw:  # obsolete line folding
                raw[-1] = (raw[-1][0], raw[-1][1] + b" " + line.strip())
                continue
            name, colon, value = line.partition(b":")
            if not colon or not name or name != name.strip() or b" " in name:
                raise ProtocolError(f"illegal header line: {line[:80]!r}")
            raw.append((name, value.strip(b" \t")))
        headers = _decode_headers(raw)
        connection = headers.get("connection", "").lower()
        keep_alive = minor == b"1" and "close" not in connection
        length: int | None = None
        chunked = False
        if status in (204, 304):
            length = 0
        elif "transfer-encoding" in headers:
            codings = [c.strip().lower() for c in headers["transfer-encoding"].split(",")]
            if codings[-1:] != ["chunked"] or any(c not in ("chunked", "identity") for c in codings):
                raise ProtocolError(f"unsupported Transfer-Encoding {headers['transfer-encoding'][:40]!r}")
            chunked = True
        elif "content-length" in headers:
            values = {v.strip() for v in headers["content-length"].split(",")}
            if len(values) != 1 or not next(iter(values)).isdigit():
                raise ProtocolError(f"bad Content-Length {headers['content-length'][:40]!r}")
            length = int(values.pop())
        else:
            keep_alive = False  # the body ends when the connection does
        return Response(self, origin, conn, status, (reason or b"").decode("ascii", errors="ignore"),
                        headers, keep_alive, length, chunked)

    async def aclose(self) -> None:
        idle, self._idle = self._idle, OrderedDict()
        for conns in idle.values():
            for conn in conns:
                conn.close()
