"""Save an Article: Markdown with YAML front matter, plain text or JSON; safe names, atomic writes."""

from __future__ import annotations

import json
import os
import re
import tempfile
import textwrap
import unicodedata
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from tui.core import schema
from tui.core.models import Article, Block, Enclosure, Entry, Place, Quote, Reading
from tui.core.reading import with_entry
from tui.core.text import clean_line

FORMATS = {"markdown": "md", "md": "md", "text": "txt", "txt": "txt", "json": "json"}

# Names Windows refuses whatever the extension; a saved file should open anywhere.
__all__ = [
    "FORMATS", "TEXT_WIDTH", "article_markdown", "article_text", "body_markdown", "front_matter", "metadata",
    "own_earlier_file", "render", "safe_stem", "save_article", "write_new_file",
]

_RESERVED = {"con", "prn", "aux", "nul"} | {f"com{i}" for i in range(10)} | {f"lpt{i}" for i in range(10)}
_MAX_STEM = 80


# -- renderings -----------------------------------------------------------------------------------


def body_markdown(article: Article) -> str:
    """The article body as Markdown: headings, paragraphs, lists and block quotes."""
    out: list[str] = []
    counters: dict[int, int] = {}
    previous: Block | None = None
    for block in article.blocks:
        if block.kind == "list_item":
            depth = max(0, block.level - 1) if block.level else 0
            counters[depth] = counters.get(depth, 0) + 1 if previous and previous.kind == "list_item" else 1
            marker = f"{counters[depth]}." if block.ordered else "-"
            line = "  " * depth + f"{marker} {_md_escape(block.text)}"
            if previous is not None and previous.kind == "list_item":
                out[-1] += "\n" + line
                previous = block
                continue
            out.append(line)
        elif block.kind == "heading":
            level = min(6, max(2, block.level or 2))
            out.append("#" * level + " " + _md_escape(block.text))
        elif block.kind == "blockquote":
            out.append("\n".join("> " + _md_escape(line) if line else ">" for line in block.text.split("\n")))
        elif block.kind == "code":
            fence = "````" if "```" in block.text else "```"
            out.append(f"{fence}\n{block.text}\n{fence}")
        else:
            out.append(_md_escape(block.text))
        previous = block
    return "\n\n".join(out)


def _md_escape(text: str) -> str:
    """Keep article text from turning into Markdown structure it never had."""
    text = re.sub(r"^(\s*)([#>]|[-+*](?=\s)|\d+[.)](?=\s))", r"\1\\\2", text, flags=re.MULTILINE)
    return text.replace("<", "&lt;")


def article_markdown(article: Article) -> str:
    """Title, standfirst and body as Markdown (no front matter)."""
    parts = [f"# {_md_escape(article.title)}"] if article.title else []
    if article.standfirst:
        parts.append(f"*{_md_escape(article.standfirst)}*")
    body = body_markdown(article)
    if body:
        parts.append(body)
    return "\n\n".join(parts) + "\n"


TEXT_WIDTH = 72


def _wrap(text: str, first: str = "", rest: str = "", width: int = TEXT_WIDTH) -> str:
    """Fill each line of `text` to `width`; long URLs and words are never broken."""
    lines = []
    for n, line in enumerate(text.split("\n")):
        lines.append(textwrap.fill(
            line, width=width, initial_indent=first if n == 0 else rest, subsequent_indent=rest,
            break_long_words=False, break_on_hyphens=False,
        ) or (first if n == 0 else rest).rstrip())
    return "\n".join(lines)


def article_text(article: Article, meta: dict[str, Any] | None = None) -> str:
    """Title, where it comes from (newsboat's save header: feed, author, date, link, from `meta`),
    standfirst and body as plain text, filled to 72 columns."""
    parts = [_wrap(article.title), "=" * min(len(article.title), TEXT_WIDTH)] if article.title else []
    meta = meta or {}
    for label, key in (("Feed", "feed"), ("Author", "byline"), ("Date", "published"), ("Link", "url")):
        if meta.get(key):
            parts.append(f"{label}: {meta[key]}")
    for enclosure in meta.get("enclosures") or ():  # as newsboat saves a podcast episode
        kind = f" (type: {enclosure['type']})" if enclosure.get("type") else ""
        parts.append(f"Podcast Download URL: {enclosure['url']}{kind}")
    head = "\n".join(parts)
    rest = [p for p in (_wrap(article.standfirst) if article.standfirst else "", _plain_body(article)) if p]
    return "\n\n".join([head, *rest] if head else rest) + "\n"


def _plain_body(article: Article) -> str:
    out = []
    for block in article.blocks:
        if block.kind == "list_item":
            indent = "  " * max(0, block.level - 1)
            out.append(_wrap(block.text, indent + "- ", indent + "  "))
        elif block.kind == "blockquote":
            out.append(_wrap(block.text, "  ", "  "))
        elif block.kind == "code":
            out.append(block.text)  # code keeps its lines
        else:
            out.append(_wrap(block.text))
    return "\n\n".join(out)


def _yaml_str(value: str) -> str:
    # A JSON string is a valid YAML double-quoted scalar, and escapes everything that needs it.
    return json.dumps(value, ensure_ascii=False)


def metadata(
    article: Article,
    *,
    entry: Entry | None = None,
    quotes: Sequence[Quote] = (),
    places: Sequence[Place] = (),
    saved_at: datetime | None = None,
) -> dict[str, Any]:
    """The front-matter fields of a saved article (the shape is `schema.saved_metadata`)."""
    if entry is not None:
        article = with_entry(article, entry)
    return schema.saved_metadata(Reading(article, tuple(quotes), tuple(places)), entry=entry, saved_at=saved_at)


def front_matter(meta: dict[str, Any]) -> str:
    lines = ["---"]
    for key, value in meta.items():
        if isinstance(value, list):
            if not value:
                lines.append(f"{key}: []")
                continue
            lines.append(f"{key}:")
            for item in value:
                first = True
                for k, v in item.items():
                    prefix = "  - " if first else "    "
                    lines.append(f"{prefix}{k}: {_yaml_scalar(v)}")
                    first = False
        else:
            lines.append(f"{key}: {_yaml_scalar(value)}")
    lines.append("---")
    return "\n".join(lines) + "\n"


def _yaml_scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return _yaml_str(str(value))


def render(article: Article, fmt: str, meta: dict[str, Any]) -> str:
    """The saved file's contents in `fmt` (markdown | text | json)."""
    ext = FORMATS[fmt]
    if ext == "md":
        return front_matter(meta) + "\n" + article_markdown(article)
    if ext == "txt":
        return article_text(article, meta)
    return json.dumps(schema.saved_json(Reading(article), meta), ensure_ascii=False, indent=2) + "\n"


# -- files ----------------------------------------------------------------------------------------


def safe_stem(title: str) -> str:
    """A file-name stem from a title: no path separators, no dots first, no reserved names, short."""
    text = unicodedata.normalize("NFKC", clean_line(title))
    text = re.sub(r"[^\w\s-]", " ", text, flags=re.UNICODE)
    text = re.sub(r"[\s_-]+", "-", text).strip("-").lower()
    if len(text) > _MAX_STEM:
        cut = text[: _MAX_STEM + 1]
        # Cut at the last word boundary (a name ending "-jupiter-s-moon-e" reads as a typo);
        # one very long word is cut where it must be.
        text = cut.rsplit("-", 1)[0] if "-" in cut[_MAX_STEM // 2:] else text[:_MAX_STEM]
        text = text.rstrip("-")
    if not text or not re.search(r"\w", text):
        text = "article"
    if text.split(".")[0] in _RESERVED:
        text = f"{text}-article"
    return text


def _umask() -> int:
    mask = os.umask(0o022)  # the only way to read it; set straight back
    os.umask(mask)
    return mask


def own_earlier_file(saves: Sequence[tuple[int | None, str]], entry_id: int, directory: Path, ext: str) -> Path | None:
    """The file this entry was last saved to in `directory` as `.ext`, if it is still its own.

    `saves` are the store's records (entry id, path), oldest first. A path whose latest record is
    another entry's (the user deleted our file and another article took the name) is not ours.
    """
    latest: dict[str, int | None] = {}
    for saved_id, path in saves:
        latest[path] = saved_id
    try:
        where = directory.resolve()
    except OSError:
        return None
    for saved_id, path in reversed(saves):
        if saved_id != entry_id or latest.get(path) != entry_id:
            continue
        candidate = Path(path)
        if candidate.suffix == f".{ext}" and candidate.parent.resolve() == where and candidate.is_file() \
                and not candidate.is_symlink():
            return candidate
    return None


def write_new_file(directory: Path, stem: str, ext: str, data: bytes, *, replace: Path | None = None) -> Path:
    """Write `data` atomically to a new file `stem.ext` in `directory`, adding -2, -3… when taken.

    `replace`, when given, is a file of the same article saved before: it is replaced atomically.

    The file is written and synced under a temporary name, then hard-linked to its final name,
    which fails instead of replacing when the name exists: no reader sees half a file and no
    existing file is ever overwritten, even by another process saving at the same moment.
    """
    directory.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".saving-", suffix=".tmp")
    try:
        # mkstemp makes the file 0600; a saved article is the user's document, made as their
        # other files are (the umask decides, as for the database and any editor's file).
        os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if replace is not None:
            os.replace(tmp, replace)  # atomic: a reader sees the old file or the new one
            return replace
        for n in range(1, 10_000):
            target = directory / (f"{stem}.{ext}" if n == 1 else f"{stem}-{n}.{ext}")
            try:
                os.link(tmp, target)
            except FileExistsError:
                continue
            except OSError:
                # No hard links here (some network or FAT file systems): exclusive create instead.
                try:
                    with open(target, "xb") as out:
                        out.write(data)
                        out.flush()
                        os.fsync(out.fileno())
                except FileExistsError:
                    continue
            return target
        raise FileExistsError(f"too many files named {stem}.* in {directory}")
    finally:
        try:
            os.unlink(tmp)
        except OSError:
            pass


def save_article(
    article: Article,
    directory: Path,
    fmt: str = "markdown",
    *,
    entry: Entry | None = None,
    quotes: Sequence[Quote] = (),
    places: Sequence[Place] = (),
    previous: Path | None = None,
    enclosures: Sequence[Enclosure] = (),
) -> Path:
    """Save the article in `directory`; returns the file's path.

    `previous` is this article's own earlier file (see `own_earlier_file`): saving again updates
    it instead of making a `-2` copy. Any other existing file is never overwritten.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (choose markdown, text or json)")
    if entry is not None:
        article = with_entry(article, entry)  # once: the front matter, the name and the body all use it
    meta = schema.saved_metadata(Reading(article, tuple(quotes), tuple(places)), entry=entry, enclosures=enclosures)
    stem = safe_stem(article.title or "article")
    return write_new_file(Path(directory), stem, FORMATS[fmt], render(article, fmt, meta).encode("utf-8"),
                          replace=previous)
