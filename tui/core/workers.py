"""Worker processes for CPU-bound jobs (feed parsing, page cleaning), started safely from any process."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

__all__ = ["process_pool"]


def process_pool(workers: int, preload: str) -> ProcessPoolExecutor:
    """A pool of `workers` processes that import `preload` to do their jobs.

    A process that runs no other thread (the `refresh` command) forks them at once: no start-up
    imports, which matters on a cold refresh. Forking one that runs other threads (the app, the
    store's helpers) can copy a held lock into the child, so there a clean forkserver process
    starts them.
    """
    import multiprocessing
    import threading
    from concurrent.futures import ProcessPoolExecutor

    single = threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if single else "forkserver")
    if not single:
        context.set_forkserver_preload([preload])
        _start_forkserver()
    pool = ProcessPoolExecutor(workers, mp_context=context)
    if single:
        pool.submit(int)  # a fork pool starts every worker now, while no thread runs
    return pool


class _NoDescriptor:
    """A stream that writes where the wrapped one does but has no file descriptor to hand on."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def fileno(self) -> int:
        raise OSError("no file descriptor")

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _start_forkserver() -> None:
    """Start the forkserver (and the resource tracker it needs) now, with an stderr they can use.

    Inside a Textual app sys.stderr is the app's print capture, whose fileno() is -1; multiprocessing
    hands that descriptor to the process it starts, which fails ("ValueError: bad value(s) in
    fds_to_keep"): every job of the pool failed. A stream without a descriptor is skipped instead.
    """
    from multiprocessing import forkserver

    stream = sys.stderr
    try:
        passable = stream is None or stream.fileno() >= 0
    except (AttributeError, OSError, ValueError):
        passable = True  # no descriptor: multiprocessing leaves it out
    if passable:
        forkserver.ensure_running()
        return
    sys.stderr = _NoDescriptor(stream)
    try:
        forkserver.ensure_running()
    finally:
        if isinstance(sys.stderr, _NoDescriptor):
            sys.stderr = stream
