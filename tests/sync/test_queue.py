"""The store's side of sync on a real SQLite file: what is queued, and what a pull may overwrite."""

from __future__ import annotations

import time
from pathlib import Path

from tui.core.feeds.sync.records import RemoteEntry, RemoteFeed
from tui.core.store import Store


def synced_store(path: Path) -> tuple[Store, dict[str, int], RemoteEntry]:
    store = Store(path)
    feeds = store.apply_remote_feeds([RemoteFeed("feed/1", "http://x/feed", "X", tags=("News",))])
    entry = RemoteEntry("7", "feed/1", "A story", link="http://x/1", content="<p>text</p>")
    assert store.apply_remote_entries([entry], feeds) == (1, 0)
    return store, feeds, entry


def test_local_marks_of_synced_entries_are_queued_and_server_marks_are_not(tmp_path: Path) -> None:
    store, feeds, _entry = synced_store(tmp_path / "db")
    local_feed, _ = store.add_feed("http://local/feed")
    with store:
        (synced,) = store.entries()
        assert store.queued_changes() == []  # what the server set is not sent back
        store.set_read([synced.id])
        store.set_starred([synced.id])
        store.set_read([synced.id], False)  # the last word counts, from the value the server gave
        changes = {c.field: c for c in store.queued_changes()}
        assert (changes["read"].value, changes["read"].base) == (False, False)
        assert (changes["starred"].value, changes["starred"].base) == (True, False)
        assert store.mark_feed_read(feeds["feed/1"]) == 1
        assert {c.field: c.value for c in store.queued_changes()}["read"] is True
        assert store.feed(local_feed.id) is not None and not store.feed(local_feed.id).synced  # type: ignore[union-attr]


def test_a_pull_never_undoes_a_mark_made_while_the_sync_ran(tmp_path: Path) -> None:
    store, feeds, entry = synced_store(tmp_path / "db")
    with store:
        (synced,) = store.entries()
        snapshot = time.time_ns()
        store.set_starred([synced.id])  # pressed in the app while the sync was pulling
        store.apply_remote_entries([entry], feeds, changed_after=snapshot)
        store.apply_remote_states([("7", "starred", False)], changed_after=snapshot)
        assert store.entry(synced.id).starred  # type: ignore[union-attr]
        # Without such a change, the server's state is applied.
        store.apply_remote_states([("7", "read", True)], changed_after=snapshot)
        assert store.entry(synced.id).read  # type: ignore[union-attr]
