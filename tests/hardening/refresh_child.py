"""Refresh every feed of a database in this one process, then print its outcomes and peak memory as JSON."""

from __future__ import annotations

import asyncio
import json
import resource
import sys
import time

from tests.hardening.catalogue import DEADLINE, INTERVAL, MAX_BYTES, READ_TIMEOUT
from tui.core.feeds.fetch import Fetcher
from tui.core.feeds.refresh import refresh_feeds
from tui.core.store import Store


async def _refresh(db: str) -> object:
    with Store(db) as store:
        async with Fetcher(connect_timeout=2, read_timeout=READ_TIMEOUT, deadline=DEADLINE,
                           max_bytes=MAX_BYTES, max_connections=64, per_host=64) as fetcher:
            # parse_workers=0: every parse in this process, so its peak memory is the whole cost.
            return await refresh_feeds(store, fetcher, force=True, default_interval=INTERVAL, parse_workers=0)


def peak_memory_mb() -> float:
    """This process's peak resident memory.

    VmHWM belongs to the current program image; ru_maxrss would also count the parent's pages
    the child was forked with before exec (a pytest process can be large by then).
    """
    try:
        for line in open("/proc/self/status", encoding="ascii"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(db: str) -> None:
    started = time.monotonic()
    report = asyncio.run(_refresh(db))
    print(json.dumps({
        "peak_mb": peak_memory_mb(),
        "elapsed": time.monotonic() - started,
        "outcomes": [{"url": o.feed.url, "status": o.status, "error": o.error, "elapsed": o.elapsed}
                     for o in report.outcomes],
    }))


if __name__ == "__main__":
    main(sys.argv[1])
