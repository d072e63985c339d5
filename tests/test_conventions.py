"""The conventions the tools enforce: ruff, mypy (strict on the core), the import contracts, public core API."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TUI = ROOT / "tui"

# What the app may import from the core: its top-level modules and the public faces of its packages
# (the names each package's __init__ re-exports), never a module inside a package or a _private name.
CORE_PACKAGES = {"tui.core.feeds", "tui.core.article", "tui.core.language", "tui.core.feeds.sync"}


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_ruff_finds_nothing() -> None:
    result = _run("ruff", "check", "--no-cache", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_is_clean_and_strict_on_the_core() -> None:
    result = _run("mypy", "--cache-dir", str(ROOT / ".mypy_cache"), "tui/core")
    assert result.returncode == 0, result.stdout + result.stderr


def test_import_contracts_hold() -> None:
    result = subprocess.run(
        [str(Path(sys.executable).with_name("lint-imports"))], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_core_only_process_loads_neither_textual_nor_rich() -> None:
    code = (
        "import sys\n"
        "from tui.core import skip_httpx_cli\n"
        "skip_httpx_cli()\n"
        "import tui.core.reading, tui.core.schema, tui.core.store, tui.core.filters\n"
        "import tui.core.feeds.refresh, tui.core.feeds.fetch, tui.core.feeds.subscriptions\n"
        "import tui.core.article.locate, tui.core.language.quotes, tui.core.language.places\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
        "print(bad)\n"
        "sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("package", sorted(CORE_PACKAGES))
def test_every_public_name_of_a_core_package_resolves(package: str) -> None:
    module = importlib.import_module(package)
    missing = [name for name in getattr(module, "__all__", ()) if not hasattr(module, name)]
    assert not missing


def test_every_core_name_the_app_imports_exists() -> None:
    missing = []
    for path in _app_modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("tui.core"):
                module = importlib.import_module(node.module)
                missing += [f"{path.name}: {node.module}.{a.name}" for a in node.names if not hasattr(module, a.name)]
    assert not missing


def _app_modules() -> list[Path]:
    return [p for p in TUI.rglob("*.py") if not {"core", "cli"} & set(p.relative_to(TUI).parts)]


@pytest.mark.parametrize("path", _app_modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_the_app_uses_only_the_public_core(path: Path) -> None:
    wrong = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("tui.core"):
            parts = node.module.split(".")
            top_level = len(parts) <= 3 or node.module in CORE_PACKAGES
            private = [a.name for a in node.names if a.name.startswith("_")]
            if not top_level or private or any(p.startswith("_") for p in parts):
                wrong.append(f"line {node.lineno}: from {node.module} import {', '.join(a.name for a in node.names)}")
    assert not wrong, "\n".join(wrong)
