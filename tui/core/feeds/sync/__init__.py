"""Two-way sync with a Miniflux (REST /v1/) or Google Reader API server (FreshRSS, Miniflux, Inoreader…)."""

from __future__ import annotations

from tui.core.feeds.sync.base import (
    SubscribeError,
    SyncClient,
    SyncError,
    SyncReport,
    make_client,
    read_password,
    run_sync,
    subscribe_remote,
    sync_now,
)

__all__ = [
    "SubscribeError", "SyncClient", "SyncError", "SyncReport", "make_client", "read_password", "run_sync",
    "subscribe_remote", "sync_now",
]
