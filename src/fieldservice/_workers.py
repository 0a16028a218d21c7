"""Work spread over worker processes, results in the order of the work, a few in flight.

The big-file paths (``fieldservice sla --jobs``, ``sla.evaluate_table(jobs=...)``) hand
independent pieces (chunks of lines, parts of a table) to ``jobs`` processes. Only
``2 * jobs`` pieces are read ahead, so memory stays flat however long the input.
"""

from __future__ import annotations

import collections
import concurrent.futures
import multiprocessing
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

__all__ = ["MOST_JOBS", "in_order"]

MOST_JOBS = 256
"""The most worker processes a caller may ask for (``sla.evaluate_table(jobs=...)``, as
``fieldservice sla --jobs``): more would exhaust the machine, not speed it up."""

_Item = TypeVar("_Item")
_Result = TypeVar("_Result")


def in_order(
    items: Iterable[_Item],
    work: Callable[[_Item], _Result],
    *,
    jobs: int,
    start: Callable[..., object] | None = None,
    start_args: tuple[Any, ...] = (),
) -> Iterator[tuple[_Item, _Result]]:
    """Each item with ``work(item)`` done in one of ``jobs`` processes, in the items' order.

    ``start(*start_args)`` runs once in each worker as it starts (to build what every
    piece of work reads). The workers are started before this returns, so a caller's
    threads made afterwards (a progress bar) are not copied into them.

    >>> list(in_order([1, 2, 3], abs, jobs=2))
    [(1, 1), (2, 2), (3, 3)]
    """
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    pool = concurrent.futures.ProcessPoolExecutor(
        jobs, mp_context=context, initializer=start, initargs=start_args
    )
    for _ in concurrent.futures.as_completed([pool.submit(int) for _ in range(jobs)]):
        pass

    def results() -> Iterator[tuple[_Item, _Result]]:
        pending: collections.deque[tuple[_Item, concurrent.futures.Future[_Result]]]
        pending = collections.deque()
        try:
            for item in items:
                pending.append((item, pool.submit(work, item)))
                if len(pending) >= 2 * jobs:
                    done, future = pending.popleft()
                    yield done, future.result()
            while pending:
                done, future = pending.popleft()
                yield done, future.result()
        finally:
            pool.shutdown(wait=True, cancel_futures=True)

    return results()
