"""HTTP fetching for feeds and pages: kept-alive connections, conditional GET, limits, checked redirects."""

from __future__ import annotations

import asyncio
import errno
import re
import socket
import ssl
import sys
import time
import zlib
from collections import defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

from tui import USER_AGENT
from tui.core.feeds.http import (
    ConnectTimeout,
    HttpClient,
    InvalidURL,
    ProtocolError,
    ReadTimeout,
    Response,
    canonical_url,
)
from tui.core.models import FetchResult
from tui.core.text import clean_line, truncate

MiB = 1024 * 1024
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, "
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.8"
)
# Only codings this module undoes itself, with a bound on every step (see _Inflater).
ACCEPT_ENCODING = "gzip, deflate"
_INFLATE_STEP = 64 * 1024
_MAX_CODINGS = 3
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_PERMANENT = frozenset({301, 308})
_MAX_AGE = re.compile(r"(?:^|,)\s*max-age\s*=\s*\"?(\d+)", re.IGNORECASE)


def describe_size(n: int) -> str:
    """10485760 → "10 MB"; used in the over-size error sentence."""
    if n >= MiB:
        return f"{n / MiB:.3g} MB"
    if n >= 1024:
        return f"{n / 1024:.3g} KB"
    return f"{n} bytes"


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    from email.utils import parsedate_to_datetime  # here: a dated Retry-After is rare (~2 ms of import)

    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def parse_max_age(value: str | None) -> float | None:
    """Cache-Control max-age in seconds, or None."""
    if not value:
        return None
    match = _MAX_AGE.search(value)
    return float(match.group(1)) if match else None


def _is_http(url: str) -> bool:
    try:
        return urlsplit(url).scheme.lower() in ("http", "https")
    except ValueError:
        return False


def _host_key(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


class _Layer:
    """One Content-Encoding layer; "deflate" may turn out to be raw deflate without its header."""

    def __init__(self, coding: str) -> None:
        gzip = coding in ("gzip", "x-gzip")
        self.decompressor = zlib.decompressobj(zlib.MAX_WBITS | 16 if gzip else zlib.MAX_WBITS)
        self.may_be_raw = not gzip

    def decompress(self, data: bytes) -> bytes:
        try:
            out = self.decompressor.decompress(data, _INFLATE_STEP)
        except zlib.error:
            if not self.may_be_raw:
                raise
            # Some servers send deflate without the zlib header; httpx accepts it too.
            self.decompressor = zlib.decompressobj(-zlib.MAX_WBITS)
            out = self.decompressor.decompress(data, _INFLATE_STEP)
        self.may_be_raw = False
        return out


class _Inflater:
    """Undoes a response's Content-Encoding layers, producing at most _INFLATE_STEP bytes at a time.

    httpx inflates each network chunk whole, and a chunk of a doubly gzipped body can inflate to
    gigabytes before any size check sees it; here no step outgrows the cap by more than 64 KB.
    Raises ValueError naming a coding it cannot undo.
    """

    def __init__(self, content_encoding: str) -> None:
        codings = [c.strip().lower() for c in content_encoding.split(",")]
        codings = [c for c in codings if c not in ("", "identity")]
        for coding in codings:
            if coding not in ("gzip", "x-gzip", "deflate"):
                raise ValueError(coding)
        if len(codings) > _MAX_CODINGS:
            raise ValueError(content_encoding)
        self._layers = [_Layer(c) for c in reversed(codings)]

    def feed(self, data: bytes) -> Iterator[bytes]:
        """The inflated bytes of the next raw chunk, in pieces."""
        return self._through(0, data)

    def _through(self, index: int, data: bytes) -> Iterator[bytes]:
        if index == len(self._layers):
            if data:
                yield data
            return
        layer = self._layers[index]
        while True:
            out = layer.decompress(data)
            data = layer.decompressor.unconsumed_tail
            yield from self._through(index + 1, out)
            # A full step may leave output inside zlib even when all input is consumed: drain it.
            if layer.decompressor.eof or (not data and len(out) < _INFLATE_STEP):
                return


class _Clock:
    """When the first hop got its slots: the deadline counts from there, not from the queue."""

    def __init__(self) -> None:
        self._started: float | None = None
        self._deadline_at: float | None = None

    def start(self, deadline: float) -> float:
        if self._deadline_at is None:
            self._started = time.monotonic()
            self._deadline_at = asyncio.get_running_loop().time() + deadline
        return self._deadline_at

    def elapsed(self) -> float:
        return 0.0 if self._started is None else time.monotonic() - self._started


class _Failure(Exception):
    """A fetch that ended in a readable error sentence (internal control flow only)."""

    def __init__(self, sentence: str, status: int | None = None, headers: dict[str, str] | None = None):
        super().__init__(sentence)
        self.sentence = sentence
        self.status = status
        self.headers = headers or {}


class Fetcher:
    """Fetches URLs with global and per-host limits, over kept-alive connections (`http.HttpClient`).

    Use as an async context manager. `fetch` never raises for network or HTTP problems: the
    result carries a readable `error` sentence instead. `transport`: an httpx transport that
    answers instead of the network (an in-process site, a test double); `local`: hosts answered
    by an in-process handler (the demo site) while everything else goes to the network.
    """

    def __init__(
        self,
        *,
        user_agent: str = USER_AGENT,
        connect_timeout: float = 10,
        read_timeout: float = 20,
        deadline: float = 60,
        max_bytes: int = 10 * MiB,
        max_redirects: int = 5,
        max_connections: int = 128,
        per_host: int = 2,
        idle_hosts: int = 64,
        transport: Any = None,
        local: Mapping[str, LocalHandler] | None = None,
    ) -> None:
        self.user_agent = user_agent
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self.deadline = deadline
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        self.max_connections = max_connections
        self.per_host = per_host
        self.idle_hosts = idle_hosts
        self._transport = transport
        self._local = dict(local or {})
        self._http: HttpClient | None = None
        self._slots: asyncio.Semaphore | None = None
        self._host_slots: defaultdict[str, asyncio.Semaphore] = defaultdict(
            lambda: asyncio.Semaphore(self.per_host)
        )

    async def __aenter__(self) -> Fetcher:
        self.open()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    def open(self) -> None:
        """Create the connection pool (the context manager does this for you)."""
        if self._http is not None:
            return
        self._http = HttpClient(
            connect_timeout=self.connect_timeout, read_timeout=self.read_timeout, idle_hosts=self.idle_hosts
        )
        self._slots = asyncio.Semaphore(self.max_connections)

    async def aclose(self) -> None:
        if self._http is not None:
            await self._http.aclose()
            self._http = None
        if self._transport is not None and hasattr(self._transport, "aclose"):
            await self._transport.aclose()

    @property
    def connections_opened(self) -> int:
        """Connections opened to the network so far (kept-alive ones are reused)."""
        return self._http.connections_opened if self._http is not None else 0

    async def fetch(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> FetchResult:
        """GET `url` (conditionally when `etag`/`last_modified` are given) following checked redirects.

        `headers` are sent as well (per-feed settings: a token, a User-Agent that replaces ours).
        """
        if self._http is None or self._slots is None:
            raise RuntimeError("Fetcher is not open: use 'async with Fetcher() as fetcher'")
        if not _is_http(url):
            return FetchResult(url=url, error=f"not an http(s) URL ({truncate(url, 80)})")
        conditional: dict[str, str] = dict(headers) if headers else {}
        if etag:
            conditional["If-None-Match"] = etag
        if last_modified:
            conditional["If-Modified-Since"] = last_modified
        clock = _Clock()
        try:
            result = await self._follow(url, conditional, clock)
        except _Failure as failure:
            result = FetchResult(
                url=url,
                status=failure.status,
                headers=failure.headers,
                error=failure.sentence,
                retry_after=parse_retry_after(failure.headers.get("retry-after")),
            )
        except TimeoutError:
            result = FetchResult(url=url, error=f"timed out after {self.deadline:g} s")
        except ConnectTimeout:
            result = FetchResult(url=url, error=f"timed out after {self.connect_timeout:g} s while connecting")
        except ReadTimeout:
            result = FetchResult(url=url, error=f"timed out after {self.read_timeout:g} s")
        except ProtocolError as exc:
            result = FetchResult(url=url, error=f"the server broke the HTTP protocol ({clean_line(str(exc))})")
        except InvalidURL as exc:
            result = FetchResult(url=url, error=f"not a valid URL ({clean_line(str(exc))})")
        except OSError as exc:
            result = FetchResult(url=url, error=_describe_os_error(exc))
        except Exception as exc:
            httpx = sys.modules.get("httpx")  # only a given httpx transport raises its errors
            if httpx is None or not isinstance(exc, (httpx.HTTPError, httpx.InvalidURL)):
                raise
            if isinstance(exc, httpx.InvalidURL):
                result = FetchResult(url=url, error=f"not a valid URL ({clean_line(str(exc))})")
            else:
                result = FetchResult(url=url, error=describe_error(exc, self))
        if result.error:
            # Sentences quote server-sent text (reasons, Location targets): it is stored and shown.
            result = replace(result, error=clean_line(result.error))
        return replace(result, elapsed=clock.elapsed())

    async def _follow(self, url: str, conditional: dict[str, str], clock: _Clock) -> FetchResult:
        assert self._slots is not None
        current = url
        visited = {url}
        all_permanent = True
        hops = 0
        while True:
            # Host slot first, then a global one: a task queued behind a busy host must not
            # hold one of the global slots while it waits.
            async with self._host_slots[_host_key(current)], self._slots:
                async with asyncio.timeout_at(clock.start(self.deadline)):
                    outcome = await self._request(url, current, conditional)
            if isinstance(outcome, FetchResult):
                if hops and all_permanent and outcome.ok and not outcome.gone:
                    return replace(outcome, permanent_redirect=current)
                return outcome
            status, target, _headers = outcome
            hops += 1
            all_permanent = all_permanent and status in _PERMANENT
            if target in visited:
                raise _Failure(f"redirect loop ({truncate(current, 60)} → {truncate(target, 60)})", status)
            if hops > self.max_redirects:
                raise _Failure(f"too many redirects (more than {self.max_redirects})", status)
            visited.add(target)
            current = target

    async def _send(self, current: str, headers: dict[str, str]) -> Response | _Whole | _Streamed:
        handler = self._local.get(_host_key(current)) if self._local else None
        if handler is not None:
            return _Whole(*await handler(current, {k.lower(): v for k, v in headers.items()}))
        if self._transport is not None:
            return await _via_transport(self._transport, current, headers, self)
        assert self._http is not None
        return await self._http.get(current, headers, user_agent=self.user_agent, accept=ACCEPT,
                                    accept_encoding=ACCEPT_ENCODING)

    async def _request(
        self, url: str, current: str, conditional: dict[str, str]
    ) -> FetchResult | tuple[int, str, dict[str, str]]:
        """One hop: a final result, or (status, absolute target, headers) for a redirect."""
        response = await self._send(current, conditional)
        try:
            headers = response.headers
            status = response.status_code
            if status in _REDIRECTS:
                return status, _redirect_target(current, status, headers), headers
            if status == 304:
                return self._result(url, current, status, headers, not_modified=True)
            if status >= 400:
                sentence = f"HTTP {status} {clean_line(response.reason_phrase)}".rstrip()
                if status == 410:
                    return replace(self._result(url, current, status, headers), gone=True, error=sentence)
                raise _Failure(sentence, status, headers)
            body = await self._read_body(response, headers)
            return self._result(url, current, status, headers, body=body)
        finally:
            await response.aclose()

    async def _read_body(self, response: Response | _Whole | _Streamed, headers: dict[str, str]) -> bytes:
        too_big = f"response larger than {describe_size(self.max_bytes)}"
        declared = headers.get("content-length", "")
        if declared.isdigit() and not headers.get("content-encoding") and int(declared) > self.max_bytes:
            raise _Failure(too_big, response.status_code, headers)
        if isinstance(response, _Whole):
            # An in-process site (the demo, test doubles) hands over the decoded body whole.
            if len(response.content) > self.max_bytes:
                raise _Failure(too_big, response.status_code, headers)
            return response.content
        try:
            inflater = _Inflater(headers.get("content-encoding", ""))
        except ValueError as exc:
            raise _Failure(f"unsupported content encoding ({truncate(clean_line(str(exc)), 40)})",
                           response.status_code, headers) from None
        chunks = []
        size = 0
        # The cap counts inflated bytes, step by step, so a small gzip bomb stops as it inflates.
        try:
            async for raw in response.aiter_raw():
                for chunk in inflater.feed(raw):
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise _Failure(too_big, response.status_code, headers)
                    chunks.append(chunk)
        except zlib.error:
            raise _Failure("could not decode the response (bad compressed data)", response.status_code,
                           headers) from None
        return b"".join(chunks)

    def _result(
        self, url: str, final: str, status: int, headers: dict[str, str], *,
        body: bytes = b"", not_modified: bool = False,
    ) -> FetchResult:
        return FetchResult(
            url=url,
            final_url=final,
            status=status,
            body=body,
            headers=headers,
            etag=headers.get("etag"),
            last_modified=headers.get("last-modified"),
            not_modified=not_modified,
            retry_after=parse_retry_after(headers.get("retry-after")),
            max_age=parse_max_age(headers.get("cache-control")),
        )


# An in-process site: (url, lower-cased request headers) → (status, headers, decoded body).
LocalHandler = Callable[[str, dict[str, str]], Awaitable[tuple[int, dict[str, str], bytes]]]


class _Whole:
    """A whole answer from an in-process site: nothing to stream, nothing to close."""

    def __init__(self, status: int, headers: Mapping[str, str], content: bytes, reason: str = "") -> None:
        self.status_code = status
        self.reason_phrase = reason or _REASONS.get(status, "")
        self.headers = {k.lower(): v for k, v in headers.items()}
        self.content = content

    async def aiter_raw(self) -> AsyncIterator[bytes]:
        yield self.content

    async def aclose(self) -> None:
        pass


_REASONS = {200: "OK", 304: "Not Modified", 404: "Not Found", 410: "Gone"}


class _Streamed:
    """An answer from an httpx transport given to the Fetcher (a test double, an in-process site)."""

    def __init__(self, response: Any) -> None:
        self._response = response
        self.status_code: int = response.status_code
        self.reason_phrase: str = response.reason_phrase
        self.headers = {k.lower(): v for k, v in response.headers.items()}

    async def aiter_raw(self) -> AsyncIterator[bytes]:
        async for chunk in self._response.stream:
            yield chunk

    async def aclose(self) -> None:
        await self._response.aclose()


async def _via_transport(transport: Any, url: str, headers: dict[str, str], fetcher: Fetcher) -> _Streamed:
    import httpx

    sent = {"User-Agent": fetcher.user_agent, "Accept": ACCEPT, "Accept-Encoding": ACCEPT_ENCODING}
    sent.update(headers)
    return _Streamed(await transport.handle_async_request(httpx.Request("GET", url, headers=sent)))


def _redirect_target(current: str, status: int, headers: Mapping[str, str]) -> str:
    """The absolute http(s) URL a redirect points to, or a _Failure saying why there is none."""
    location = headers.get("location", "").strip()
    if not location:
        raise _Failure(f"HTTP {status} redirect without a Location header", status, dict(headers))
    try:
        # The canonical (percent-encoded) form: a stored or quoted URL carries no raw controls.
        target = canonical_url(urljoin(current, location))
    except ValueError:
        raise _Failure(f"HTTP {status} redirect to an invalid URL ({truncate(location, 80)})",
                       status, dict(headers)) from None
    if not _is_http(target):
        raise _Failure(f"redirect to a non-http URL ({truncate(target, 80)})", status, dict(headers))
    return target


def _chain(exc: BaseException) -> list[BaseException]:
    """The exception, its causes and contexts, and the members of exception groups."""
    seen: list[BaseException] = []
    todo: list[BaseException | None] = [exc]
    while todo:
        link = todo.pop()
        if link is None or any(link is s for s in seen):
            continue
        seen.append(link)
        todo.extend([link.__cause__, link.__context__])
        if isinstance(link, BaseExceptionGroup):
            todo.extend(link.exceptions)
    return seen


def _describe_os_error(exc: BaseException) -> str:
    links = _chain(exc)
    for link in links:
        if isinstance(link, ssl.SSLCertVerificationError):
            return f"TLS error: {clean_line(link.verify_message or str(link))}"
        if isinstance(link, ssl.SSLError):
            reason = link.reason or str(link)
            return f"TLS error: {clean_line(str(reason)).lower().replace('_', ' ')}"
    errnos = {getattr(link, "errno", None) for link in links}
    if any(isinstance(link, socket.gaierror) for link in links):
        return "could not resolve host"
    if isinstance(exc, ConnectionRefusedError) or errno.ECONNREFUSED in errnos:
        return "connection refused"
    if errno.ENETUNREACH in errnos or errno.EHOSTUNREACH in errnos:
        return "network unreachable"
    if errno.ECONNRESET in errnos:
        return "connection reset by the server"
    text = " ".join(str(link) for link in links).lower()
    if "name or service not known" in text or "name resolution" in text or "nodename nor servname" in text:
        return "could not resolve host"
    return f"connection failed: {clean_line(str(exc)) or type(exc).__name__}"


def describe_error(exc: Any, fetcher: Fetcher) -> str:
    """A readable sentence for an httpx exception (raised by a transport given to the Fetcher)."""
    import httpx

    if isinstance(exc, httpx.ConnectTimeout):
        return f"timed out after {fetcher.connect_timeout:g} s while connecting"
    if isinstance(exc, (httpx.ReadTimeout, httpx.WriteTimeout)):
        return f"timed out after {fetcher.read_timeout:g} s"
    if isinstance(exc, httpx.TimeoutException):
        return f"timed out after {fetcher.deadline:g} s"
    if isinstance(exc, httpx.ConnectError):
        return _describe_os_error(exc)
    if isinstance(exc, httpx.DecodingError):
        return "could not decode the response (bad compressed data)"
    if isinstance(exc, httpx.RemoteProtocolError):
        return f"the server broke the HTTP protocol ({clean_line(str(exc))})"
    if isinstance(exc, (httpx.UnsupportedProtocol, httpx.InvalidURL)):
        return f"not an http(s) URL ({clean_line(str(exc))})"
    if isinstance(exc, httpx.NetworkError):
        return _describe_os_error(exc)
    return f"network error: {clean_line(str(exc)) or type(exc).__name__}"


async def fetch_page(fetcher: Fetcher, url: str) -> FetchResult:
    """Fetch one web page (an article) with the same limits as feeds."""
    return await fetcher.fetch(url)
