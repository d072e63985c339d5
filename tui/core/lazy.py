"""Lazy re-exports for the core's packages: a public name loads its module on first use (PEP 562)."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["exports"]


def exports(package: str, where: Mapping[str, str]) -> Callable[[str], Any]:
    """The module `__getattr__` of `package`: `where` maps each public name to its submodule.

    Importing a package stays free (lxml, httpx and readability load only when a name that needs
    them is first used); type checkers see the names through the package's TYPE_CHECKING imports.
    """

    def __getattr__(name: str) -> Any:
        if name in where:
            return getattr(importlib.import_module(f"{package}.{where[name]}"), name)
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    return __getattr__
