"""The core never loads textual or rich: it is used the same way by CLI, app, tests and benchmarks."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import tui.core

ROOT = Path(__file__).resolve().parents[2]


def core_modules() -> list[str]:
    return sorted(f"tui.core.{m.name}" for m in pkgutil.iter_modules(tui.core.__path__))


def test_importing_any_core_module_loads_neither_textual_nor_rich() -> None:
    modules = core_modules()
    assert "tui.core.store" in modules and len(modules) >= 8
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"core pulled in: {out.stdout.strip()}"
