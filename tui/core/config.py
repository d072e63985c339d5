"""The configuration: a frozen dataclass read from a TOML file; errors name the file, line and key."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import field, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.core.lazy import exports
from tui.core.paths import atomic_write
from tui.core.records import Record, record

if TYPE_CHECKING:
    from tui.core.config_tables import FeedConfig as FeedConfig  # re-exported (loaded on first use)
    from tui.core.config_tables import IgnoreConfig as IgnoreConfig
    from tui.core.config_tables import QueryConfig as QueryConfig

SAVE_FORMATS = ("markdown", "text", "json")
SYNC_SERVERS = ("", "miniflux", "greader")


class ConfigError(Exception):
    """A config file that cannot be used; the message names the file, line and key."""


@record
class FetchConfig(Record):
    max_connections: int = 128  # each host still gets at most per_host of them
    per_host: int = 2
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    deadline: float = 60.0
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    refresh_interval: int = 30 * 60  # seconds between refreshes of one feed unless it asks otherwise
    auto_reload: int = 0  # minutes between refreshes while the app is open (newsboat's reload-time); 0: off


@record
class SaveConfig(Record):
    format: str = "markdown"  # markdown | text | json
    directory: str | None = None  # default: the platform's documents dir / Newswire


@record
class ReaderConfig(Record):
    unread_only: bool = False
    sidebar: bool = True
    full_text: bool = True  # fetch the linked page when the feed has only a summary
    refresh_on_start: bool = True
    prefetch: bool = True  # during a refresh, fetch and clean the pages of new summary-only entries
    stories: bool = False  # start with one row per story (S toggles it)


@record
class SyncConfig(Record):
    """[sync]: a Miniflux or Google Reader API server; the password never lives in this file."""

    server: str = ""  # "" (off) | miniflux | greader
    url: str = ""  # Miniflux: its root; greader: the base of /accounts/ClientLogin (FreshRSS: …/api/greader.php)
    user: str = ""  # Miniflux without a user: the password is an API key
    password_command: str = ""  # a shell command that prints the password
    password_file: str = ""  # a file readable only by its owner
    on_refresh: bool = True  # the app syncs when it refreshes
    timeout: float = 30.0  # seconds for one request

    @property
    def enabled(self) -> bool:
        return bool(self.server)


@record
class EnclosureConfig(Record):
    directory: str | None = None  # default: the platform's downloads dir / Newswire
    player: str = "mpv {url}"  # argv template: split like a shell line, {url} is one argument; no shell


@record
class Config(Record):
    theme: str = "textual-dark"
    fetch: FetchConfig = field(default_factory=FetchConfig)
    save: SaveConfig = field(default_factory=SaveConfig)
    reader: ReaderConfig = field(default_factory=ReaderConfig)
    keys: dict[str, str] = field(default_factory=dict)  # binding id -> key(s), e.g. {"save": "ctrl+s"}
    enclosures: EnclosureConfig = field(default_factory=EnclosureConfig)
    queries: tuple[QueryConfig, ...] = ()
    ignore: tuple[IgnoreConfig, ...] = ()
    feeds: tuple[FeedConfig, ...] = ()
    sync: SyncConfig = field(default_factory=SyncConfig)
    path: Path | None = None  # the file it came from


_SECTIONS: dict[str, type] = {
    "fetch": FetchConfig, "save": SaveConfig, "reader": ReaderConfig, "enclosures": EnclosureConfig,
    "sync": SyncConfig,
}
_ARRAYS = {"query": "queries", "ignore": "ignore", "feed": "feeds"}

# The [[query]], [[ignore]] and [[feed]] tables' classes load with the first such table read.
__getattr__ = exports("tui.core", dict.fromkeys(("FeedConfig", "IgnoreConfig", "QueryConfig"), "config_tables"))


def _line_of(text: str, section: str | None, key: str) -> int | None:
    """1-based line of `key` inside `[section]` (or the top level), for error messages."""
    current: str | None = None
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        header = re.match(r"^\[\s*([^\]]+?)\s*\]", stripped)
        if header:
            current = header.group(1).strip().strip('"')
            continue
        if current == section and re.match(rf"^[\"']?{re.escape(key)}[\"']?\s*=", stripped):
            return number
    return None


def _check(value: Any, want: type, where: str) -> Any:
    if want is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if want is bool:
        ok = isinstance(value, bool)
    elif want in (int, float):
        ok = isinstance(value, want) and not isinstance(value, bool)
    else:
        ok = isinstance(value, want)
    if not ok:
        raise ValueError(f"{where} must be {_type_name(want)}, not {_type_name(type(value))}")
    return value


def _type_name(t: type) -> str:
    return {bool: "true or false", int: "an integer", float: "a number", str: "a string"}.get(
        t, t.__name__
    )


def _field_type(cls: type, name: str) -> type:
    hint = {f.name: f.type for f in fields(cls)}[name]
    hint = str(hint)
    if hint.startswith("str"):
        return str
    return {"int": int, "float": float, "bool": bool}[hint]


def parse_config(text: str, path: Path | None = None) -> Config:
    """Build a Config from TOML text; raise ConfigError naming file, line and key."""
    import tomllib  # here, not at import: with no config file, no TOML parser is loaded (~1.3 ms of CPU)

    where = str(path) if path else "<config>"
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        at = re.search(r"\(at line (\d+), column \d+\)", message)
        if at:
            message = message[: at.start()].strip()
            raise ConfigError(f"{where}:{at.group(1)}: invalid TOML: {message}") from None
        raise ConfigError(f"{where}: invalid TOML: {message}") from None

    def fail(section: str | None, key: str, message: str) -> ConfigError:
        line = _line_of(text, section, key)
        name = f"{section}.{key}" if section else key
        at = f"{where}:{line}" if line else where
        return ConfigError(f"{at}: key '{name}': {message}")

    config = Config(path=path)
    for key, value in data.items():
        if key == "theme":
            if not isinstance(value, str) or not value:
                raise fail(None, key, "must be a theme name in quotes")
            config = replace(config, theme=value)
        elif key == "keys":
            if not isinstance(value, dict):
                raise fail(None, key, "must be a table: [keys]")
            for binding, keys in value.items():
                if not isinstance(keys, str) or not keys.strip():
                    raise fail("keys", binding, 'must be a key name in quotes, e.g. "ctrl+s"')
            config = replace(config, keys=dict(value))
        elif key in _SECTIONS:
            cls = _SECTIONS[key]
            if not isinstance(value, dict):
                raise fail(None, key, f"must be a table: [{key}]")
            known = {f.name for f in fields(cls)}
            values = {}
            for sub, subvalue in value.items():
                if sub not in known:
                    raise fail(key, sub, f"unknown setting (known: {', '.join(sorted(known))})")
                try:
                    values[sub] = _check(subvalue, _field_type(cls, sub), "the value")
                except ValueError as exc:
                    raise fail(key, sub, str(exc)) from None
            section = cls(**values)
            problem = _validate(key, section)
            if problem:
                raise fail(key, problem[0], problem[1])
            config = replace(config, **{key: section})
        elif key in _ARRAYS:
            if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
                raise fail(None, key, f"must be tables: [[{key}]]")
            items = []
            for index, table in enumerate(value):
                try:
                    items.append(_array_item(key, table))
                except _ItemError as exc:
                    item_line = _array_line(text, key, index, exc.key)
                    item_at = f"{where}:{item_line}" if item_line else where
                    item = f"{key}[{index + 1}]" + (f".{exc.key}" if exc.key else "")
                    raise ConfigError(f"{item_at}: key '{item}': {exc}") from None
            config = replace(config, **{_ARRAYS[key]: tuple(items)})  # type: ignore[arg-type]
        else:
            names = "theme, keys, fetch, save, reader, enclosures, query, ignore, feed, sync"
            raise fail(None, key, f"unknown setting (known: {names})")
    return config


class _ItemError(ValueError):
    """A bad key in one table of an array of tables."""

    def __init__(self, key: str | None, message: str) -> None:
        super().__init__(message)
        self.key = key


def _array_line(text: str, name: str, index: int, key: str | None) -> int | None:
    """1-based line of `key` in the `index`-th `[[name]]` table (its header line when no key)."""
    seen = -1
    inside = False
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith("["):
            header = re.match(r"^\[\[\s*([^\]]+?)\s*\]\]", stripped)
            inside = header is not None and header.group(1).strip('"') == name
            if inside:
                seen += 1
                if seen == index and key is None:
                    return number
            continue
        if inside and seen == index and key and re.match(rf"^[\"']?{re.escape(key)}[\"']?\s*=", stripped):
            return number
    return None


_HEADER_NAME = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")


def _string(table: dict[str, Any], key: str, *, required: bool = False) -> str | None:
    value = table.get(key)
    if value is None:
        if required:
            raise _ItemError(None, f"'{key}' is missing")
        return None
    if not isinstance(value, str):
        raise _ItemError(key, f"must be a string, not {_type_name(type(value))}")
    if required and not value.strip():
        raise _ItemError(key, "must not be empty")
    return value


def _filter_text(table: dict[str, Any]) -> str:
    from tui.core.filters import FilterError, compile_filter

    text = _string(table, "filter", required=True)
    assert text is not None
    try:
        compile_filter(text)
    except FilterError as exc:
        raise _ItemError("filter", f"bad filter: {exc}") from None
    return text


def _array_item(kind: str, table: dict[str, Any]) -> QueryConfig | IgnoreConfig | FeedConfig:
    from tui.core.config_tables import FeedConfig as FeedConfig  # re-exported (loaded on first use)
    from tui.core.config_tables import IgnoreConfig as IgnoreConfig
    from tui.core.config_tables import QueryConfig as QueryConfig

    known = {
        "query": ("name", "filter"),
        "ignore": ("feed", "filter"),
        "feed": ("url", "tag", "refresh_interval", "full_text", "prefetch", "user_agent", "headers",
                 "title", "hidden"),
    }[kind]
    for key in table:
        if key not in known:
            raise _ItemError(key, f"unknown setting (known: {', '.join(known)})")
    if kind == "query":
        name = _string(table, "name", required=True)
        assert name is not None
        return QueryConfig(name=name.strip(), filter=_filter_text(table))
    if kind == "ignore":
        feed = _string(table, "feed") or "*"
        if feed != "*" and not re.match(r"^https?://", feed, re.IGNORECASE):
            raise _ItemError("feed", 'must be "*" (every feed) or a feed URL')
        return IgnoreConfig(filter=_filter_text(table), feed=feed)
    url, tag = _string(table, "url"), _string(table, "tag")
    if (url is None) == (tag is None):
        raise _ItemError(None, "needs exactly one of 'url' or 'tag'")
    values: dict[str, Any] = {"url": url, "tag": tag}
    for key in ("full_text", "prefetch", "hidden"):
        if key in table:
            try:
                values[key] = _check(table[key], bool, "the value")
            except ValueError as exc:
                raise _ItemError(key, str(exc)) from None
    if "refresh_interval" in table:
        try:
            interval = _check(table["refresh_interval"], int, "the value")
        except ValueError as exc:
            raise _ItemError("refresh_interval", str(exc)) from None
        if interval < 60:
            raise _ItemError("refresh_interval", "must be at least 60 seconds")
        values["refresh_interval"] = interval
    for key in ("user_agent", "title"):
        text = _string(table, key)
        if text is not None and re.search(r"[\x00-\x1f\x7f]", text):
            raise _ItemError(key, "must be one line without control characters")
        values[key] = text
    headers = table.get("headers", {})
    if not isinstance(headers, dict):
        raise _ItemError("headers", 'must be a table, e.g. headers = { "X-Token" = "..." }')
    pairs = []
    for name, value in headers.items():
        if not _HEADER_NAME.match(name):
            raise _ItemError("headers", f"'{name}' is not a valid header name")
        if not isinstance(value, str) or re.search(r"[\x00-\x1f\x7f]", value):
            raise _ItemError("headers", f"'{name}' must be a one-line string")
        pairs.append((name, value))
    values["headers"] = tuple(pairs)
    return FeedConfig(**values)


def _validate(section: str, value: Any) -> tuple[str, str] | None:
    if section == "fetch":
        for name in ("max_connections", "per_host", "max_bytes"):
            if getattr(value, name) < 1:
                return name, "must be at least 1"
        for name in ("connect_timeout", "read_timeout", "deadline"):
            if getattr(value, name) <= 0:
                return name, "must be more than 0 seconds"
        if value.max_redirects < 0:
            return "max_redirects", "must be 0 or more"
    if section == "sync":
        if value.server not in SYNC_SERVERS:
            return "server", 'must be "miniflux" or "greader"'
        if value.server and not value.url.startswith(("http://", "https://")):
            return ("url" if value.url else "server"), "needs [sync] url = \"http(s)://…\" of the server"
        if value.password_command and value.password_file:
            return "password_file", "set password_command or password_file, not both"
        if value.timeout <= 0:
            return "timeout", "must be more than 0 seconds"
    if section == "fetch" and value.auto_reload < 0:
        return "auto_reload", "must be 0 (off) or a number of minutes"
    if section == "save" and value.format not in SAVE_FORMATS:
        return "format", f"must be one of {', '.join(SAVE_FORMATS)}"
    if section == "enclosures" and (problem := player_problem(value.player)):
        return "player", problem
    return None


def player_problem(template: str) -> str | None:
    """What is wrong with a `[enclosures] player` setting, or None.

    `{url}` must be an argument of its own (or `--option={url}`): inside a longer argument
    (`sh -c "mpv {url}"`) the URL, which the feed chose, could be read as code.
    """
    import shlex

    try:
        argv = shlex.split(template)
    except ValueError as exc:
        return f"cannot be split into arguments ({exc})"
    if not argv:
        return "must name a program, e.g. mpv {url}"
    for arg in argv:
        head, found, tail = arg.partition("{url}")
        if found and (tail or (head and not re.fullmatch(r"-{1,2}[A-Za-z0-9][\w-]*=", head))):
            return "must have {url} as an argument of its own (or --option={url})"
    return None


def config_error(path: Path | None, section: str | None, key: str, message: str) -> ConfigError:
    """A ConfigError naming the file, line and key, for a check made after parsing.

    The app checks `[keys]` against its actions table, which the core does not know.
    """
    where = str(path) if path else "<config>"
    try:
        text = path.read_text(encoding="utf-8") if path else ""
    except (OSError, UnicodeDecodeError):
        text = ""
    line = _line_of(text, section, key) if text else None
    name = f"{section}.{key}" if section else key
    return ConfigError(f"{where}:{line}: key '{name}': {message}" if line else f"{where}: key '{name}': {message}")


def load_config(path: Path) -> Config:
    """Read the config file; a missing file gives the defaults."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Config(path=path)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    return parse_config(text, path)


def save_setting(path: Path, key: str, value: str) -> None:
    """Set a top-level string setting (e.g. the theme) in the config file, keeping the rest as written."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = ""
    quoted = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    line = f"{key} = {quoted}"
    pattern = re.compile(rf"^{re.escape(key)}\s*=.*$", re.MULTILINE)
    first_table = re.search(r"^\[", text, re.MULTILINE)
    top = text[: first_table.start()] if first_table else text
    if pattern.search(top):
        top = pattern.sub(line, top, count=1)
        text = top + (text[first_table.start():] if first_table else "")
    else:
        text = line + "\n" + text
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, text.encode("utf-8"))


def _toml_string(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    escaped = re.sub(r"[\x00-\x1f\x7f]", lambda m: f"\\u{ord(m.group()):04x}", escaped)
    return f'"{escaped}"'


def _toml_value(value: str | int | bool) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return _toml_string(value)


def _set_in_section(text: str, section: str, key: str, value: str | int | bool) -> str:
    """`text` with `key = value` under `[section]` (replaced when present, else added)."""
    line = f"{key} = {_toml_value(value)}"
    lines = text.splitlines()
    start = next((i for i, ln in enumerate(lines) if re.match(rf"^\s*\[\s*{re.escape(section)}\s*\]\s*(#.*)?$", ln)), None)
    if start is None:
        return text.rstrip("\n") + ("\n\n" if text.strip() else "") + f"[{section}]\n{line}\n"
    end = next((i for i in range(start + 1, len(lines)) if lines[i].lstrip().startswith("[")), len(lines))
    for i in range(start + 1, end):
        if re.match(rf"^\s*{re.escape(key)}\s*=", lines[i]):
            lines[i] = line
            break
    else:
        lines.insert(start + 1, line)
    return "\n".join(lines) + "\n"


def add_to_config(
    path: Path,
    *,
    queries: Sequence[tuple[str, str]] = (),
    ignore: Sequence[tuple[str, str]] = (),
    settings: Sequence[tuple[str, str, str | int | bool]] = (),
    hidden: Sequence[str] = (),
) -> list[str]:
    """Add `[[query]]` (name, filter) and `[[ignore]]` (feed, filter) tables and set `(section, key,
    value)` settings, and `[[feed]] hidden = true` for the `hidden` URLs, in the config file,
    keeping what is written; returns what changed, one line each. Query names, kill rules,
    feed tables and settings already there are left alone. The result is checked before
    it is written, so a bad file is never saved."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = ""
    current = parse_config(text, path)
    names = {q.name for q in current.queries}
    rules = {(r.feed, r.filter) for r in current.ignore}
    changes: list[str] = []
    blocks: list[str] = []
    for name, expression in queries:
        if name in names:
            continue
        names.add(name)
        blocks.append(f"[[query]]\nname = {_toml_string(name)}\nfilter = {_toml_string(expression)}\n")
        changes.append(f"query feed {name!r}: {expression}")
    for feed, expression in ignore:
        if (feed, expression) in rules:
            continue
        rules.add((feed, expression))
        blocks.append(f"[[ignore]]\nfeed = {_toml_string(feed)}\nfilter = {_toml_string(expression)}\n")
        changes.append(f"kill rule for {'every feed' if feed == '*' else feed}: {expression}")
    configured = {f.url for f in current.feeds if f.url}
    for url in hidden:
        if url in configured:
            continue
        configured.add(url)
        blocks.append(f"[[feed]]\nurl = {_toml_string(url)}\nhidden = true\n")
        changes.append(f"hidden feed {url}")
    import tomllib

    written = tomllib.loads(text)  # parse_config read it: it loads
    for section, key, value in settings:
        # A setting the file has already is the user's: kept, even when the import's differs.
        if key in written.get(section, {}) or getattr(getattr(current, section), key) == value:
            continue
        text = _set_in_section(text, section, key, value)
        changes.append(f"{section}.{key} = {_toml_value(value)}")
    if blocks:
        text = text.rstrip("\n") + ("\n\n" if text.strip() else "") + "\n".join(blocks)
    if changes:
        parse_config(text, path)  # never write a file that would not load
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, text.encode("utf-8"))
    return changes
