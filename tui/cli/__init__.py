"""The command line: `run` is the `newswire` entry point (`main` without the process exit); one module per command group."""

from tui.cli.main import main, run

__all__ = ["main", "run"]
