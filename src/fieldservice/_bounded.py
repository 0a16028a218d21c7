"""A table of at most so many entries, which starts again when it is full.

The library keeps a few tables of values that many orders share (a branch's actor IDs,
its regions, the payloads of its windows, a standard's digest) so that each is made or
checked once. None may grow without bound in a long-lived process: a full table is
cleared, and fills again with what is asked now. Reading one is a plain ``dict.get``;
only a miss pays for :meth:`BoundedTable.keep`.

>>> seen = BoundedTable[str, str](2)
>>> seen.keep("T7", "T7"), seen.keep("T8", "T8"), seen.get("T7")
('T7', 'T8', 'T7')
>>> _ = seen.keep("T9", "T9")
>>> sorted(seen)
['T9']
"""

from __future__ import annotations

from typing import TypeVar

K = TypeVar("K")
V = TypeVar("V")

__all__ = ["BoundedTable"]


class BoundedTable(dict[K, V]):
    """A dict of at most ``most`` entries: :meth:`keep` clears it first when it is full.

    Cleared rather than evicted one by one: what it holds is cheap to make again, and
    an eviction order would cost every hit some bookkeeping.
    """

    __slots__ = ("most",)

    def __init__(self, most: int) -> None:
        super().__init__()
        self.most = most

    def keep(self, key: K, value: V) -> V:
        """Store ``value`` under ``key`` and return it, clearing the table first if it is full."""
        if len(self) >= self.most:
            self.clear()
        self[key] = value
        return value
