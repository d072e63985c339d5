"""The app syncs when it refreshes: the server's entries show up, and a key press there reaches the server."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.sync.servers import Miniflux, User
from tests.sync.test_sync import items, server_entries
from tests.ui.conftest import wait_for
from tui.app import build_app
from tui.core.config import load_config
from tui.core.paths import resolve_paths
from tui.core.store import Store


async def test_refresh_in_the_app_syncs_both_ways(
    protocol: str, miniflux: Miniflux, account: User, feed: Callable[..., str], newswire_home: Path
) -> None:
    account.subscribe(feed("sigma", items("s", 3)))
    paths = resolve_paths()
    paths.ensure()
    config = load_config(paths.config_file)
    with Store(paths.database) as store:
        app = build_app(paths, config, store)
        async with app.run_test(size=(120, 36)) as pilot:
            await wait_for(pilot, lambda: not app.main.refreshing, timeout=30)
            await pilot.press("R")  # refresh all: syncs first
            await wait_for(pilot, lambda: not app.main.refreshing, timeout=30)
            wanted = {"s story 0", "s story 1", "s story 2"}
            await wait_for(pilot, lambda: wanted <= {e.title for e in app.main.table.entries})
            app.main.table.focus()
            for _ in range(len(app.main.table.entries)):  # down to the first synced entry
                cursor = app.main.table.cursor_entry
                if cursor is not None and cursor.title in wanted:
                    break
                await pilot.press("j")
            await pilot.press("f")  # star the synced entry under the cursor
            starred = app.main.table.cursor_entry
            assert starred is not None
            await wait_for(pilot, lambda: store.entry(starred.id).starred)  # type: ignore[union-attr]
            await pilot.press("R")
            await wait_for(pilot, lambda: not app.main.refreshing, timeout=30)
    remote = {e["title"]: e for e in server_entries(account).values()}
    assert remote[starred.title]["starred"]
    assert sum(e["starred"] for e in remote.values()) == 1
