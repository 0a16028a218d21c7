"""A read-only mapping that pickles, deep-copies and compares like a dict.

``types.MappingProxyType`` is read-only but cannot be pickled, so a value holding
one cannot cross a process boundary (multiprocessing, dask). Values of the
library that hold a mapping hold a :class:`FrozenMap` instead.

>>> import pickle
>>> m = FrozenMap({"optical_power_dbm": -18.5})
>>> m["optical_power_dbm"], pickle.loads(pickle.dumps(m)) == m, m == {"optical_power_dbm": -18.5}
(-18.5, True, True)
>>> m["x"] = 1
Traceback (most recent call last):
...
TypeError: 'FrozenMap' object does not support item assignment
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")

__all__ = ["FrozenMap"]


class FrozenMap(Mapping[K, V], Generic[K, V]):
    """An immutable mapping over a private dict; equal to any mapping with the same items."""

    __slots__ = ("_data",)
    _data: dict[K, V]

    def __init__(self, data: Mapping[K, V] | None = None) -> None:
        object.__setattr__(self, "_data", {} if data is None else dict(data))

    def __getitem__(self, key: K) -> V:
        return self._data[key]

    def __iter__(self) -> Iterator[K]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __setattr__(self, name: str, value: object) -> None:
        msg = "a FrozenMap cannot be changed"
        raise AttributeError(msg)

    def __reduce__(self) -> tuple[Any, ...]:
        return (FrozenMap, (self._data,))

    def __repr__(self) -> str:
        return f"FrozenMap({self._data!r})"

    def __hash__(self) -> int:
        return hash(frozenset(self._data.items()))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, FrozenMap):
            return bool(self._data == other._data)
        if isinstance(other, Mapping):
            return bool(self._data == dict(other))
        return NotImplemented
