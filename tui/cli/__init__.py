"""The command line: `main` is the `newswire` entry point; one module per command group."""

from tui.cli.main import main

__all__ = ["main"]
