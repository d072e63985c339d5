"""The wheel ships what an installed Newswire needs: styles, demo feed and pages, gazetteer additions."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_wheel_carries_styles_demo_and_data(tmp_path: Path) -> None:
    # Build from a copy, so the build leaves nothing in the checkout.
    source = tmp_path / "src"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache", ".hypothesis"))
    out = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(tmp_path), str(source)],
        capture_output=True, text=True, timeout=300,
    )
    assert out.returncode == 0, out.stderr
    [wheel] = tmp_path.glob("newswire-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    styles = {n for n in names if n.startswith("tui/styles/") and n.endswith(".tcss")}
    assert styles == {f"tui/styles/{p.name}" for p in (ROOT / "styles").glob("*.tcss")} and styles
    pages = {n for n in names if n.startswith("tui/demo/pages/")}
    assert pages == {f"tui/demo/pages/{p.name}" for p in (ROOT / "tui/demo/pages").glob("*.html")}
    assert {"tui/demo/feed.xml", "tui/core/data/places.tsv", "tui/cli/main.py"} <= names
    assert "__main__.py" not in names  # the checkout runner is not part of the package
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "newswire = tui.cli:run" in zipfile.ZipFile(wheel).read(entry_points).decode()
