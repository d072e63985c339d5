"""Snapshots of the normal layout and of 80×24 (pytest-textual-snapshot; `--snapshot-update` to accept)."""

from __future__ import annotations

import time

import pytest

from tests.ui.conftest import open_article


@pytest.fixture(autouse=True)
def utc(monkeypatch: pytest.MonkeyPatch):
    """Dates render in local time; pin it so the snapshots hold on any machine."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_wide_layout_reading(snap_compare, make_app, filled):
    async def run_before(pilot) -> None:
        await open_article(pilot)
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=(160, 48), run_before=run_before)


def test_narrow_list(snap_compare, make_app, filled):
    assert snap_compare(make_app(), terminal_size=(80, 24))


def test_narrow_reading_with_sidebar(snap_compare, make_app, filled):
    async def run_before(pilot) -> None:
        await open_article(pilot)
        await pilot.press("i")
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=run_before)
