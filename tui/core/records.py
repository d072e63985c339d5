"""`Record`: the shared repr, equality and hash of the frozen dataclasses loaded before the app's first frame.

`@dataclass` compiles each method it generates from source text, at import: six for a frozen
class (~0.45 ms a class, ~15 ms of CPU for the 34 classes the app imports before its first
frame). Three of them, `__repr__`, `__eq__` and `__hash__`, only read the fields in order, which
one function can do for every class. A class declared

    @dataclass(frozen=True, slots=True, repr=False, eq=False)
    class Feed(Record):

gets `__init__` and the frozen `__setattr__`/`__delattr__` from dataclass as before, and these
three from `Record`: the same repr, the same equality (same class and equal fields, else
NotImplemented) and a hash of the same fields. `fields()`, `replace()` and `asdict()` work as
on any dataclass.
"""

from __future__ import annotations

import reprlib
from collections.abc import Callable
from dataclasses import fields
from operator import attrgetter
from typing import Any

__all__ = ["Record"]


class _Layout:
    """What the shared methods read of one class, found on first use (after `@dataclass` ran)."""

    __slots__ = ("compared", "hashed", "shown")

    def __init__(self, cls: type) -> None:
        found = fields(cls)
        self.shown = tuple(f.name for f in found if f.repr)
        self.compared = _values([f.name for f in found if f.compare])
        self.hashed = _values([f.name for f in found if (f.compare if f.hash is None else f.hash)])


def _values(names: list[str]) -> Callable[[Any], tuple[Any, ...]]:
    """A getter of the fields' values as one tuple, whatever their number."""
    if not names:
        return _no_values
    if len(names) == 1:  # attrgetter of one name gives the value itself, not a tuple
        return attrgetter(names[0], names[0])  # a pair of the one value: compares and hashes as the value does
    return attrgetter(*names)


def _no_values(_: object) -> tuple[()]:
    return ()


_LAYOUTS: dict[type, _Layout] = {}


def _layout(cls: type) -> _Layout:
    layout = _LAYOUTS.get(cls)
    if layout is None:
        layout = _LAYOUTS[cls] = _Layout(cls)
    return layout


class Record:
    """Base of a `@dataclass(frozen=True, slots=True, repr=False, eq=False)` class: see the module docstring."""

    __slots__ = ()

    @reprlib.recursive_repr()
    def __repr__(self) -> str:
        cls = self.__class__
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in _layout(cls).shown)
        return f"{cls.__qualname__}({shown})"

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        compared = _layout(self.__class__).compared
        return bool(compared(self) == compared(other))

    def __hash__(self) -> int:
        return hash(_layout(self.__class__).hashed(self))
