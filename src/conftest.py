"""Collecting the package's doctests: the compiled clock judge needs the ``fast`` extra.

Without numba, ``fieldservice._clock_kernel`` cannot be imported, and
``sla.evaluate_table`` and ``sla.evaluate_many`` judge in Python; its doctest is
left out rather than failing the collection.
"""

from __future__ import annotations

import importlib.util

collect_ignore: list[str] = (
    [] if importlib.util.find_spec("numba") else ["fieldservice/_clock_kernel.py"]
)
