"""Test-wide fixtures: every test gets its own NEWSWIRE_HOME so none touches the developer's files."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


@pytest.fixture(scope="session")
def gazetteer_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The places index, built once per test session (building takes a second or two)."""
    from tui.core.language.places import gazetteer_cache_file, load_gazetteer

    cache = tmp_path_factory.mktemp("gazetteer")
    load_gazetteer(cache)
    return gazetteer_cache_file(cache)


@pytest.fixture(autouse=True)
def newswire_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, gazetteer_index: Path) -> Path:
    home = tmp_path / "home"
    (home / "cache").mkdir(parents=True)
    # Each home starts with the index already built, as a user's cache has it after the first run.
    shutil.copyfile(gazetteer_index, home / "cache" / gazetteer_index.name)
    monkeypatch.setenv("NEWSWIRE_HOME", str(home))
    return home
