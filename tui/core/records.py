"""Frozen, slotted dataclasses made cheaply at import: the `Record` base and the `@record` decorator.

`@dataclass` compiles each method it generates from source text, at import: six for a frozen
class (~0.45 ms of CPU a class, ~15 ms for the 34 classes the app imported before its first
frame). None of them needs to be compiled per class:

- `Record`, the base, has the repr, equality and hash that read the fields in order, one
  function for every class: the same repr, the same equality (same class and equal fields, else
  NotImplemented), a hash of the same fields. A class on a hot path (an entry is made for each
  row looked at) is still declared `@dataclass(frozen=True, slots=True, repr=False, eq=False)`,
  so its `__init__` and frozen `__setattr__` are dataclass's own, compiled for it.
- `@record` makes the rest (settings, sources, small results), made a few times a run: dataclass
  processes the fields and the slots, and `Record`'s own `__init__` (arguments bound by name
  from the fields, defaults and default factories), frozen `__setattr__`/`__delattr__` and
  pickling serve instead of compiled ones. Type checkers see a frozen dataclass (PEP 681).

`fields()`, `replace()`, `asdict()`, pattern matching and pickling work as on any dataclass.
"""

from __future__ import annotations

import reprlib
from collections.abc import Callable
from dataclasses import MISSING, FrozenInstanceError, dataclass, field, fields
from operator import attrgetter
from typing import Any, TypeVar, cast, dataclass_transform

__all__ = ["Record", "record"]

_REQUIRED: Any = object()  # a field without a default


class _Layout:
    """What the shared methods read of one class, found on first use (after `@dataclass` ran)."""

    __slots__ = ("compared", "defaults", "factories", "hashed", "names", "shown")

    def __init__(self, cls: type) -> None:
        found = fields(cls)
        self.names = tuple(f.name for f in found)
        self.defaults = tuple(_REQUIRED if f.default is MISSING else f.default for f in found)
        self.factories = tuple(None if f.default_factory is MISSING else f.default_factory for f in found)
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
    """Base of the classes made by `@record` or `@dataclass(frozen=True, slots=True, repr=False, eq=False)`."""

    __slots__ = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        cls = self.__class__
        layout = _layout(cls)
        names = layout.names
        if len(args) > len(names):
            raise TypeError(f"{cls.__qualname__}() takes {len(names)} positional arguments but {len(args)} were given")
        for name in kwargs:
            if name not in names:
                raise TypeError(f"{cls.__qualname__}() got an unexpected keyword argument {name!r}")
            if names.index(name) < len(args):
                raise TypeError(f"{cls.__qualname__}() got multiple values for argument {name!r}")
        put = object.__setattr__
        for index, name in enumerate(names):
            if index < len(args):
                value = args[index]
            elif name in kwargs:
                value = kwargs[name]
            elif (factory := layout.factories[index]) is not None:
                value = factory()
            elif (value := layout.defaults[index]) is _REQUIRED:
                raise TypeError(f"{cls.__qualname__}() missing required argument: {name!r}")
            put(self, name, value)

    def __setattr__(self, name: str, value: object) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def __getstate__(self) -> list[Any]:
        return [getattr(self, name) for name in _layout(self.__class__).names]

    def __setstate__(self, state: list[Any]) -> None:
        for name, value in zip(_layout(self.__class__).names, state, strict=True):
            object.__setattr__(self, name, value)

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


_R = TypeVar("_R", bound=Record)


@dataclass_transform(frozen_default=True, field_specifiers=(field,))
def record(cls: type[_R]) -> type[_R]:
    """A frozen, slotted dataclass whose methods are `Record`'s: nothing compiled (see the module docstring).

    For plain fields (with or without a default or a default factory): no `__post_init__`,
    `InitVar`, keyword-only or `init=False` field, which `Record.__init__` does not handle.
    """
    made = dataclass(slots=True, init=False, repr=False, eq=False)(cls)
    unsupported = [f.name for f in fields(cast(Any, made)) if not f.init or f.kw_only is True]
    if not issubclass(made, Record) or hasattr(made, "__post_init__") or unsupported:
        raise TypeError(f"@record: {cls.__qualname__} needs Record as a base and plain fields only ({unsupported})")
    return made
