"""What every command shares: the context (paths, config, store), errors, exit codes and output."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from tui.core.text import counted

if TYPE_CHECKING:
    from tui.core.config import Config
    from tui.core.feeds.fetch import Fetcher
    from tui.core.language.places import Gazetteer
    from tui.core.models import Feed
    from tui.core.paths import Paths
    from tui.core.store import Store

__all__ = [
    "EXIT_FAILED", "EXIT_OK", "EXIT_USAGE", "CommandError", "Context", "Parser",
    "counted", "err", "find_feed", "make_fetcher", "out", "positive_int", "print_json", "when",
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

    @property
    def gazetteer(self) -> Gazetteer:
        """The place index under this run's cache dir (--home / NEWSWIRE_HOME), opened on first use: the
        one the process shares (a refresh's page prefetch cleans with it too)."""
        from tui.core.language.places import load_gazetteer

        return load_gazetteer(self.paths.cache_dir)

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    @property
    def save_dir(self) -> Path:
        if self.config.save.directory:
            return Path(self.config.save.directory).expanduser()
        return self.paths.save_dir


def find_feed(ctx: Context, text: str) -> Feed | None:
    """The subscription named by `text`: an id as `newswire feeds` prints it, or its URL in any spelling."""
    from tui.core.feeds.subscriptions import normalise_url

    if text.strip().isdigit():
        return ctx.store.feed(int(text))
    feed = ctx.store.feed_by_url(text)
    if feed is None:
        try:
            feed = ctx.store.feed_by_url(normalise_url(text))
        except ValueError:
            return None
    return feed


def positive_int(text: str) -> int:
    """argparse type for counts: a usage error for 0 or less, not a silent "everything"."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {value}")
    return value


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
