"""Enclosures (podcasts): resumable downloads to safe file names, and opening one with the player."""

from __future__ import annotations

import mimetypes
import os
import re
import shlex
import subprocess
import time
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urlsplit

import httpx

from tui import USER_AGENT
from tui.core.models import Enclosure, Entry
from tui.core.text import clean_line, truncate

__all__ = [
    "DownloadJob",
    "DownloadQueue",
    "DownloadResult",
    "EnclosureError",
    "choose_path",
    "describe_enclosure",
    "download",
    "open_enclosure",
    "plan_downloads",
    "player_argv",
    "safe_filename",
]

Progress = Callable[[int, "int | None"], object]  # (bytes so far, total or None)
_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')
_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$", re.IGNORECASE)
_CONTENT_RANGE = re.compile(r"bytes\s+(\d+)-(\d+)/(\d+|\*)", re.IGNORECASE)
_UNSATISFIED = re.compile(r"bytes\s+\*/(\d+)", re.IGNORECASE)


class EnclosureError(Exception):
    """An enclosure that cannot be opened or downloaded; the message is one readable sentence."""


@dataclass(frozen=True, slots=True)
class DownloadResult:
    """What one download did: `path` is complete when `error` is None."""

    url: str
    path: Path
    size: int = 0  # bytes in the file (or in the .part when it failed)
    resumed_from: int = 0  # bytes that were already there
    existed: bool = False  # the file was already complete; nothing was fetched
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def _check_url(url: str) -> str:
    text = clean_line(url)
    if text != url.strip() or any(ch.isspace() for ch in text):
        raise EnclosureError(f"not a usable URL ({truncate(text, 80)})")
    try:
        scheme = urlsplit(text).scheme.lower()
    except ValueError:
        raise EnclosureError(f"not a valid URL ({truncate(text, 80)})") from None
    if scheme not in ("http", "https"):
        raise EnclosureError(f"only http(s) enclosures are opened, not {scheme or 'this'} ({truncate(text, 80)})")
    return text


def _safe_name(name: str, fallback: str) -> str:
    """One path component safe on every platform (see `safe_filename`), its length not yet capped."""
    name = _UNSAFE.sub("_", clean_line(unicodedata.normalize("NFC", name))).strip(" ._-")
    if not name or _RESERVED.match(name):
        name = fallback + (f"-{name}" if name else "")
    return name


def safe_filename(url: str, mime_type: str = "", fallback: str = "enclosure") -> str:
    """A file name for an enclosure: the URL's last path segment, made safe on every platform.

    No directory parts, control characters or characters Windows refuses; no leading dot (hidden)
    or dash (read as an option); at most 120 characters; an extension from the type when none.
    """
    try:
        path = urlsplit(url).path
    except ValueError:
        path = ""
    name = _safe_name(unquote(path.rstrip("/").rsplit("/", 1)[-1]), fallback)
    stem, dot, ext = name.rpartition(".")
    if not dot or not 1 <= len(ext) <= 5 or not ext.isalnum():
        stem, ext = name, ""
        guessed = mimetypes.guess_extension(mime_type.split(";")[0].strip()) if mime_type else None
        if guessed:
            ext = guessed.lstrip(".")
    stem = stem[: 120 - len(ext) - 1] if ext else stem[:120]
    return f"{stem}.{ext}" if ext else stem


def choose_path(directory: Path, url: str, mime_type: str = "") -> Path:
    """A path in `directory` for a new download that names no existing file (or partial file)."""
    name = safe_filename(url, mime_type)
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    candidate = directory / name
    number = 2
    while candidate.exists() or _part(candidate).exists():
        candidate = directory / (f"{stem} ({number}).{ext}" if ext else f"{stem} ({number})")
        number += 1
    return candidate


def _part(path: Path) -> Path:
    return path.with_name(path.name + ".part")


def _finish(part: Path, target: Path) -> None:
    """Move the complete .part into place without ever replacing an existing file."""
    try:
        os.link(part, target)  # fails when the target exists: no overwrite, even in a race
    except FileExistsError:
        raise EnclosureError(f"{target.name} already exists; the download stays in {part.name}") from None
    except OSError:
        if target.exists():
            raise EnclosureError(f"{target.name} already exists; the download stays in {part.name}") from None
        os.rename(part, target)
        return
    part.unlink()


async def download(
    url: str,
    target: Path,
    *,
    progress: Progress | None = None,
    headers: Mapping[str, str] | None = None,
    connect_timeout: float = 10,
    read_timeout: float = 30,
    transport: httpx.AsyncBaseTransport | None = None,
) -> DownloadResult:
    """Download `url` to `target`, through `target.part`, resuming a partial file with HTTP Range.

    Never overwrites: an existing `target` counts as done. A dropped connection keeps the .part
    (run again to resume). Errors come back as a sentence in the result, never raised.
    """
    try:
        url = _check_url(url)
    except EnclosureError as exc:
        return DownloadResult(url, target, error=str(exc))
    if target.exists():
        return DownloadResult(url, target, size=target.stat().st_size, existed=True)
    part = _part(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return DownloadResult(url, target, error=f"cannot create {target.parent}: {exc.strerror or exc}")
    have = part.stat().st_size if part.exists() else 0
    request_headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "identity", **(headers or {})}
    if have:
        request_headers["Range"] = f"bytes={have}-"
    timeout = httpx.Timeout(connect=connect_timeout, read=read_timeout, write=read_timeout, pool=None)
    written = have
    try:
        async with httpx.AsyncClient(
            follow_redirects=True, max_redirects=5, timeout=timeout, transport=transport
        ) as client:
            async with client.stream("GET", url, headers=request_headers) as response:
                status = response.status_code
                total: int | None = None
                if status == 416 and have:
                    # Nothing after `have`: the .part is complete when the server says so.
                    m = _UNSATISFIED.search(response.headers.get("content-range", ""))
                    if m and int(m.group(1)) == have:
                        _finish(part, target)
                        return DownloadResult(url, target, size=have, resumed_from=have)
                    return DownloadResult(url, target, size=have, resumed_from=have,
                                          error="the server refused to resume (HTTP 416)")
                if status >= 400:
                    reason = clean_line(response.reason_phrase)
                    return DownloadResult(url, target, size=have, error=f"HTTP {status} {reason}".rstrip())
                mode = "ab"
                if status == 206:
                    m = _CONTENT_RANGE.search(response.headers.get("content-range", ""))
                    if not m or int(m.group(1)) != have:
                        return DownloadResult(url, target, size=have,
                                              error="the server resumed at the wrong place (bad Content-Range)")
                    total = int(m.group(3)) if m.group(3) != "*" else None
                else:
                    mode, written = "wb", 0  # no Range support: start again
                    length = response.headers.get("content-length", "")
                    total = int(length) if length.isdigit() else None
                started = written
                last_report = 0.0
                with open(part, mode) as handle:
                    async for chunk in response.aiter_raw():  # as it arrives: a drop loses nothing received
                        handle.write(chunk)
                        written += len(chunk)
                        now = time.monotonic()
                        if progress is not None and now - last_report >= 0.1:
                            last_report = now
                            progress(written, total)
                if progress is not None:
                    progress(written, total)
                if total is not None and written < total:
                    return DownloadResult(url, target, size=written, resumed_from=have,
                                          error=f"incomplete: got {written} of {total} bytes; run again to resume")
                _finish(part, target)
                return DownloadResult(url, target, size=written, resumed_from=started if mode == "ab" else 0)
    except EnclosureError as exc:
        return DownloadResult(url, target, size=written, resumed_from=have, error=str(exc))
    except httpx.HTTPError as exc:
        kept = part.stat().st_size if part.exists() else 0
        what = clean_line(str(exc)) or type(exc).__name__
        return DownloadResult(
            url, target, size=kept, resumed_from=have,
            error=f"connection lost after {kept} bytes ({truncate(what, 80)}); run again to resume",
        )
    except OSError as exc:
        return DownloadResult(url, target, size=written, resumed_from=have,
                              error=f"cannot write {part}: {exc.strerror or exc}")


def describe_enclosure(enclosure: Enclosure) -> str:
    """One line for a list or a header: "audio/mpeg · 45.2 MB · 1:02:03" (what the feed says)."""
    parts = [enclosure.type or "file"]
    if enclosure.length:
        size = enclosure.length
        parts.append(f"{size / 1e6:.1f} MB" if size >= 1e5 else f"{max(1, round(size / 1e3))} KB")
    if enclosure.duration:
        hours, rest = divmod(enclosure.duration, 3600)
        minutes, seconds = divmod(rest, 60)
        parts.append(f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}")
    return " · ".join(parts)


def player_argv(template: str, url: str) -> list[str]:
    """The player's argument list: `template` split like a shell line, `{url}` replaced by the URL.

    The URL is always one argument of its own (appended when the template has no `{url}`); no
    shell ever sees it, and only http/https URLs are accepted.
    """
    from tui.core.config import player_problem

    url = _check_url(url)
    problem = player_problem(template)
    if problem:
        raise EnclosureError(f"the player setting {problem}" if template.strip()
                             else "no player is configured ([enclosures] player)")
    argv = shlex.split(template)
    if not any("{url}" in arg for arg in argv):
        return [*argv, url]
    return [arg.replace("{url}", url, 1) if "{url}" in arg else arg for arg in argv]


def open_enclosure(
    template: str, url: str, *, spawn: Callable[..., subprocess.Popen[bytes]] = subprocess.Popen
) -> subprocess.Popen[bytes]:
    """Start the configured player on `url`, detached, without a shell."""
    argv = player_argv(template, url)
    try:
        return spawn(
            argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True, shell=False,
        )
    except FileNotFoundError:
        raise EnclosureError(f"the player was not found: {argv[0]}") from None
    except OSError as exc:
        raise EnclosureError(f"could not start {argv[0]}: {exc.strerror or exc}") from None


# -- a queue of downloads (the CLI's `download`, the app's downloads view) -------------------------


@dataclass(slots=True)
class DownloadJob:
    """One download in a queue and where it stands; the queue updates it in place."""

    entry_id: int
    url: str
    target: Path
    state: str = "queued"  # queued | downloading | done | failed
    done: int = 0  # bytes in the file so far
    total: int | None = None
    error: str | None = None
    result: DownloadResult | None = None


class _EnclosureStore(Protocol):
    def entry(self, entry_id: int) -> Entry | None: ...
    def enclosures(self, entry_id: int) -> list[Enclosure]: ...
    def enclosure_path(self, entry_id: int, url: str) -> str | None: ...
    def set_enclosure_path(self, entry_id: int, url: str, path: str | Path) -> None: ...


def plan_downloads(
    store: _EnclosureStore, entry_id: int, directory: Path, *, every: bool = False
) -> list[tuple[str, Path]]:
    """(url, target) for an entry's first enclosure (or all of them), each keeping the file name
    chosen the first time in that directory, so a later run resumes the same .part (another
    directory gets its own copy). `directory` may hold newsboat's placeholders: %n the feed's name,
    %h the enclosure's host ("~/Podcasts/%n")."""
    planned = []
    for enclosure in store.enclosures(entry_id)[: None if every else 1]:
        folder = _placed(directory, store, entry_id, enclosure.url)
        known = store.enclosure_path(entry_id, enclosure.url)
        if known and Path(known).parent.resolve() != folder.expanduser().resolve():
            known = None  # downloaded elsewhere before: this directory was asked for
        target = Path(known) if known else choose_path(folder, enclosure.url, enclosure.type)
        if not known:
            store.set_enclosure_path(entry_id, enclosure.url, target)
        planned.append((enclosure.url, target))
    return planned


def _placed(directory: Path, store: _EnclosureStore, entry_id: int, url: str) -> Path:
    """`directory` with %n (the feed's name) and %h (the URL's host) filled in, each a safe folder name."""
    text = str(directory)
    if "%" not in text:
        return directory
    entry = store.entry(entry_id) if "%n" in text else None
    values = {
        "n": (entry.feed_title if entry is not None else "") or "feed",
        "h": urlsplit(url).hostname or "host",
    }
    out = re.sub(r"%([nh%])", lambda m: "%" if m.group(1) == "%" else _folder(values[m.group(1)]), text)
    return Path(out)


def _folder(name: str) -> str:
    """A name made safe as one folder, as a file name is (no separators, no leading dot, capped)."""
    return _safe_name(name, "feed")[:120]


class DownloadQueue:
    """Downloads run one at a time, in the order added; `on_change(job)` follows every step."""

    def __init__(self, *, on_change: Callable[[DownloadJob], object] | None = None,
                 connect_timeout: float = 10, read_timeout: float = 30) -> None:
        self._jobs: list[DownloadJob] = []
        self._on_change = on_change
        self._timeouts = (connect_timeout, read_timeout)

    def add(self, entry_id: int, url: str, target: Path) -> DownloadJob:
        """Queue a download; the same target already queued or running is not queued twice, and one
        that failed or finished is queued again in its own row (a retry is not a second download)."""
        for job in self._jobs:
            if job.target == target:
                if job.state in ("failed", "done"):
                    job.url, job.state, job.done, job.total, job.error, job.result = url, "queued", 0, None, None, None
                    self._changed(job)
                return job
        job = DownloadJob(entry_id, url, target)
        self._jobs.append(job)
        self._changed(job)
        return job

    @property
    def jobs(self) -> list[DownloadJob]:
        return list(self._jobs)

    def _changed(self, job: DownloadJob) -> None:
        if self._on_change is not None:
            self._on_change(job)

    async def run(self) -> list[DownloadJob]:
        """Run every queued job (jobs added meanwhile too); returns the jobs this call ran."""
        ran = []
        while (job := next((j for j in self._jobs if j.state == "queued"), None)) is not None:
            job.state = "downloading"
            self._changed(job)

            def progress(done: int, total: int | None, job: DownloadJob = job) -> None:
                job.done, job.total = done, total
                self._changed(job)

            result = await download(job.url, job.target, progress=progress,
                                    connect_timeout=self._timeouts[0], read_timeout=self._timeouts[1])
            job.result, job.done, job.error = result, result.size, result.error
            job.state = "failed" if result.error else "done"
            self._changed(job)
            ran.append(job)
        return ran
