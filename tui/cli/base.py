"""What every command shares: the context (paths, config, store), errors, exit codes and output."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

if TYPE_CHECKING:
    from tui.core.config import Config
    from tui.core.feeds.fetch import Fetcher
    from tui.core.paths import Paths
    from tui.core.store import Store

__all__ = [
    "EXIT_FAILED", "EXIT_OK", "EXIT_USAGE", "CommandError", "Context", "Parser",
    "err", "make_fetcher", "out", "print_json", "when",
]

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class CommandError(Exception):
    """A failure to report as one line on stderr; `code` is the exit status."""

    def __init__(self, message: str, code: int = EXIT_FAILED) -> None:
        super().__init__(message)
        self.code = code


class Parser(argparse.ArgumentParser):
    """argparse with one-line usage errors and exit status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (try --help)\n")


@dataclass
class Context:
    """What a command needs: where files live, the config, and (opened on demand) the store."""

    paths: Paths
    config: Config
    _store: Store | None = None

    @property
    def store(self) -> Store:
        if self._store is None:
            from tui.core.store import Store

            self.paths.ensure()
            self._store = Store(self.paths.database)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    @property
    def save_dir(self) -> Path:
        if self.config.save.directory:
            return Path(self.config.save.directory).expanduser()
        return self.paths.save_dir


def make_fetcher(config: Config) -> Fetcher:
    from tui.core.feeds.client import make_fetcher as make  # httpx loads only for commands that fetch

    return make(config)


def out(line: str = "") -> None:
    sys.stdout.write(line + "\n")


def err(line: str) -> None:
    sys.stderr.write(f"newswire: {line}\n")


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")


def when(value: Any) -> str | None:
    return value.isoformat() if value else None
