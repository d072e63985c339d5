"""`python -m tui`: the same as the `newswire` command."""

from tui.cli import run

if __name__ == "__main__":
    run()
