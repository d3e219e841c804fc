"""Light value objects for the hot path: a class with `__slots__` and its own `__init__`.

A dataclass writes and compiles the source of its methods when its module is imported
(~0.35 ms a class); the two dozen made for every file a batch reads cost a tenth of a
one-file run's start-up (bench/). A `Record` subclass lists its fields in `__slots__` and
sets them in a plain `__init__`; equality, repr and `replace` come from here, by those slots.
"""

from __future__ import annotations

import copy
from typing import Any, Self


class Record:
    __slots__ = ()

    @classmethod
    def _field_names(cls) -> tuple[str, ...]:
        names: list[str] = []
        for klass in reversed(cls.__mro__):
            slots = klass.__dict__.get("__slots__", ())
            names += [slots] if isinstance(slots, str) else list(slots)
        return tuple(n for n in names if not n.startswith("_"))

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self._field_names())

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, Record)
        return self._values() == other._values()

    __hash__ = None  # type: ignore[assignment]  # mutable, as a dataclass would be

    def __repr__(self) -> str:
        pairs = ", ".join(f"{n}={getattr(self, n)!r}" for n in self._field_names())
        return f"{type(self).__name__}({pairs})"

    def replace(self, **changes: Any) -> Self:
        """A copy with some fields changed (dataclasses.replace)."""
        other = copy.copy(self)
        for name, value in changes.items():
            object.__setattr__(other, name, value)
        return other
