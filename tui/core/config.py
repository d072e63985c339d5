"""The configuration: a frozen dataclass read from a TOML file; errors name the file, line and key."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from tui.core.paths import atomic_write

SAVE_FORMATS = ("markdown", "text", "json")


class ConfigError(Exception):
    """A config file that cannot be used; the message names the file, line and key."""


@dataclass(frozen=True, slots=True)
class FetchConfig:
    max_connections: int = 32
    per_host: int = 2
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    deadline: float = 60.0
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    refresh_interval: int = 30 * 60  # seconds between refreshes of one feed unless it asks otherwise


@dataclass(frozen=True, slots=True)
class SaveConfig:
    format: str = "markdown"  # markdown | text | json
    directory: str | None = None  # default: the platform's documents dir / Newswire


@dataclass(frozen=True, slots=True)
class ReaderConfig:
    unread_only: bool = False
    sidebar: bool = True
    full_text: bool = True  # fetch the linked page when the feed has only a summary
    refresh_on_start: bool = True
    prefetch: bool = True  # during a refresh, fetch and clean the pages of new summary-only entries


@dataclass(frozen=True, slots=True)
class Config:
    theme: str = "textual-dark"
    fetch: FetchConfig = field(default_factory=FetchConfig)
    save: SaveConfig = field(default_factory=SaveConfig)
    reader: ReaderConfig = field(default_factory=ReaderConfig)
    keys: dict[str, str] = field(default_factory=dict)  # binding id -> key(s), e.g. {"save": "ctrl+s"}
    path: Path | None = None  # the file it came from


_SECTIONS: dict[str, type] = {"fetch": FetchConfig, "save": SaveConfig, "reader": ReaderConfig}


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
        else:
            raise fail(None, key, "unknown setting (known: theme, keys, fetch, save, reader)")
    return config


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
    if section == "save" and value.format not in SAVE_FORMATS:
        return "format", f"must be one of {', '.join(SAVE_FORMATS)}"
    return None


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
