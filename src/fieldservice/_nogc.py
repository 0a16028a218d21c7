"""Big restores without the cycle collector's passes.

Restoring one order of 64,000 events makes some 400,000 objects that all live on (events,
payloads, the JSON they came from), none in a reference cycle. Python's cycle collector
runs a pass every few hundred new objects and, as the heap grows, walks the older ones
again: on a 2-core machine that was 40% of the restore. Mercurial pauses the collector
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
from typing import Final

__all__ = ["MANY", "Pause"]

MANY: Final = 2_000
"""From how many items (events, or kilobytes of JSON) a restore pauses the collector."""


class Pause:
    """Pause the cycle collector for a ``with`` block when ``items`` >= :data:`MANY`.

    A collector already paused (by the caller, or an outer restore) stays so. A class,
    not a generator: a small restore pays one comparison for it.
    """

    __slots__ = ("_pauses",)

    def __init__(self, items: int) -> None:
        self._pauses = items >= MANY and gc.isenabled()

    def __enter__(self) -> None:
        if self._pauses:
            gc.disable()

    def __exit__(self, *exc_info: object) -> None:
        if self._pauses:
            gc.enable()
