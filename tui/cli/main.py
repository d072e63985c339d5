"""The `newswire` command: parse arguments, load config, open the store, run a command or the app."""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Callable, Sequence

from tui import __version__
from tui.cli.base import EXIT_FAILED, EXIT_OK, CommandError, Context, Parser, err

__all__ = ["build_parser", "main", "run"]


def cmd_app(ctx: Context, args: argparse.Namespace) -> int:
    from tui.app import build_app

    app = build_app(ctx.paths, ctx.config, ctx.store)
    app.run()
    return app.return_code or EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="newswire",
        description="A terminal news reader that shows clean articles. "
        "With no command, starts the reader (on a bundled offline demo feed when nothing is subscribed).",
        epilog="Exit status: 0 success, 1 some inputs failed (the rest were done), 2 usage error.",
    )
    parser.add_argument("--version", action="version", version=f"newswire {__version__}")
    parser.add_argument(
        "--home", metavar="DIR",
        help="keep config, database and saved files under DIR (also: NEWSWIRE_HOME)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    # The command modules load here: `newswire` alone (the app) never builds this parser.
    from tui.cli import articles, entries, filters, stories, subscriptions, sync

    def add(name: str, func: Callable[..., int], help: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help)
        p.set_defaults(func=func)
        return p

    for group in (subscriptions, entries, articles, filters, sync, stories):
        group.register(add)
    return parser


def _app_home(argv: Sequence[str]) -> tuple[bool, str | None]:
    """(True, home) when the arguments only choose a home (`--home DIR`): the app starts, and the
    parser of every command (and their modules) is not needed."""
    home: str | None = None
    rest = list(argv)
    while rest:
        arg = rest.pop(0)
        if arg == "--home" and rest:
            home = rest.pop(0)
        elif arg.startswith("--home="):
            home = arg.split("=", 1)[1]
        else:
            return False, None
    return True, home


def main(argv: Sequence[str] | None = None) -> int:
    from tui.core import skip_httpx_cli

    skip_httpx_cli()
    argv = sys.argv[1:] if argv is None else argv
    app_only, home = _app_home(argv)
    if app_only:
        return _main(argparse.Namespace(home=home, command=None))
    # A command runs once: what its modules make as they load lives until it ends, and at the
    # default threshold ~40 young collections (~8 ms of CPU) walked it before a refresh began; with
    # this one, about three. (The app is left as it was: it pauses collection until its first paint.)
    threshold = gc.get_threshold()
    gc.set_threshold(COMMAND_GC_THRESHOLD, *threshold[1:])
    try:
        return _main(build_parser().parse_args(argv))
    finally:
        gc.set_threshold(*threshold)


# Allocations between young collections in a command (the default is 700).
COMMAND_GC_THRESHOLD = 10_000


def _main(args: argparse.Namespace) -> int:
    """Run the chosen command (or the app) with its context, mapping failures to exit codes."""
    from tui.core.config import ConfigError, load_config
    from tui.core.paths import resolve_paths
    from tui.core.store import StoreError

    ctx: Context | None = None
    try:
        paths = resolve_paths(args.home)
        config = load_config(paths.config_file)
        ctx = Context(paths, config)
        func = getattr(args, "func", cmd_app)
        return func(ctx, args)
    except CommandError as exc:
        err(str(exc))
        return exc.code
    except (ConfigError, StoreError) as exc:
        err(str(exc))
        return EXIT_FAILED
    except KeyboardInterrupt:
        err("interrupted")
        return 130
    except BrokenPipeError:
        # The reader of our output went away (e.g. `| head`); not an error worth a message.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except OSError as exc:
        err(f"{exc.filename + ': ' if getattr(exc, 'filename', None) else ''}{exc.strerror or exc}")
        return EXIT_FAILED
    except Exception as exc:
        if os.environ.get("NEWSWIRE_DEBUG"):
            raise
        err(f"unexpected error: {exc.__class__.__name__}: {exc} (set NEWSWIRE_DEBUG=1 for details)")
        return EXIT_FAILED
    finally:
        if ctx is not None:
            ctx.close()


def run() -> None:
    """The process entry point (`newswire`, `python -m tui`, `python .`): `main`, then exit.

    By the time `main` returns, the command has written its output and closed the store. What a
    normal interpreter exit adds is tearing down every module and object, ~50 ms of CPU that a
    small refresh would otherwise spend after its work is done; so when no thread or child process
    is left to wait for, the exit handlers run, the output is flushed, and the process ends at once.
    """
    code = main()
    if _nothing_left_running():
        import atexit

        atexit._run_exitfuncs()
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except (BrokenPipeError, ValueError):
            pass
        os._exit(code)
    sys.exit(code)


def _nothing_left_running() -> bool:
    import threading

    if threading.active_count() > 1:
        return False  # the interpreter would wait for it: let it
    multiprocessing = sys.modules.get("multiprocessing")
    return multiprocessing is None or not multiprocessing.active_children()
