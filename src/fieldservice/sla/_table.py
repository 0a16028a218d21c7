"""The clocks of an Arrow events table, part by part, in worker processes if asked.

Part of :mod:`fieldservice.sla`, which re-exports its public names.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, cast

from fieldservice import (
    _validate,
    sla,  # the package: its constants, read when called
)
from fieldservice.errors import InvalidInput
from fieldservice.events import (
    Event,
)
from fieldservice.standard import ServiceStandard

if TYPE_CHECKING:
    from fieldservice import columnar  # at run time only where Arrow is used

from fieldservice.sla._clocks import (
    CLOCK_KINDS,
    CLOCKS,
    STATES,
    TIERS,
    Limits,
    checked_standard,
    judge_clock,
    scan_log,
)
from fieldservice.sla._kernel_tables import KernelTables


def evaluate_table(
    source: Any, *, at: dt.datetime, standard: ServiceStandard | None = None, jobs: int = 1
) -> Any:
    """Judge every order of an Arrow events table (or Parquet file or dataset) at ``at``.

    Needs the ``arrow`` extra. The events are those :mod:`fieldservice.columnar`
    writes, one row per event; the result is an Arrow table with one row per
    order and started clock, the columns of :meth:`SlaBatch.to_records`, with
    the numbers of :func:`evaluate` (orders sorted by ID).

    Args:
        source: A ``pyarrow.Table``, or the path of a Parquet file or dataset folder.
        at: The instant to judge at.
        standard: The standard whose limits and calendar apply (the default one
            when left out: the table does not hold a standard's content).
        jobs: How many processes judge the parts (row groups or files) of the
            source, at most 256; 1 judges them in this process.

    Raises:
        InvalidInput: The ``arrow`` extra is missing, ``jobs`` is not a whole
            number from 1 to 256, ``source`` is neither a table nor a path, or an
            event is malformed.

    >>> import pytest; _ = pytest.importorskip("pyarrow")
    >>> import pendulum
    >>> from fieldservice import columnar
    >>> from fieldservice.sla import evaluate_many
    >>> from fieldservice.synthetic import synthetic_order
    >>> at = pendulum.datetime(2026, 12, 1, tz="Asia/Shanghai")
    >>> orders = [synthetic_order(1), synthetic_order(2)]
    >>> clocks = evaluate_table(columnar.events_table(orders), at=at)
    >>> clocks.to_pylist() == [
    ...     dict(r, deadline=r["deadline"]) for r in evaluate_many(orders, at=at).to_records()]
    True
    """
    from fieldservice import _workers, columnar  # imported here: only Arrow users need them

    pa = columnar.pyarrow()
    std = ServiceStandard.default() if standard is None else checked_standard(standard)
    when = _validate.aware("at", at)
    if type(jobs) is not int or not 1 <= jobs <= _workers.MOST_JOBS:
        msg = (
            f"jobs must be a whole number from 1 to {_workers.MOST_JOBS}, the processes to "
            f"start (got {_validate.echo(jobs)}); os.cpu_count() is a good choice"
        )
        raise InvalidInput(msg)
    if jobs == 1:
        judge = _PartJudge(std, when)
        tables = [judge.clocks(part) for part in columnar.parts(source)]
    else:
        # The workers read their parts themselves: sending the rows would cost the parent
        # as much as judging them (a part's strings are ten times its Parquet size).
        locations = columnar.part_locations(source)
        judged = _workers.in_order(
            locations, _judge_part, jobs=jobs, start=_start_part_judge, start_args=(std, when)
        )
        tables = [clocks for _, clocks in judged]
    tables = [table for table in tables if table.num_rows]
    if not tables:
        return pa.table({k: pa.array([], pa.string()) for k in _TABLE_COLUMNS})
    return pa.concat_tables(tables).sort_by([("order_id", "ascending")])


_TABLE_COLUMNS: tuple[str, ...] = ("order_id", "clock", "rule", "state", "tier", "deadline")
_TABLE_COLUMNS += ("elapsed_s", "limit_s", "at_risk")


class _PartJudge:
    """Judges one part of an events table (whole orders) into the clocks' Arrow columns."""

    def __init__(
        self, standard: ServiceStandard, at: dt.datetime, *, compiled: bool = True
    ) -> None:
        from fieldservice import columnar

        self.pa = pa = columnar.pyarrow()
        self.at = at.timestamp()
        self.lim = Limits.compile(standard)
        # Labels go in as indexes into these dictionaries: Arrow writes the text, not Python.
        self.labels = {
            "clock": pa.array([c.value for c in CLOCKS]),
            "rule": pa.array([c.rule for c in CLOCKS]),
            "state": pa.array([s.value for s in STATES]),
            "tier": pa.array([t.value for t in TIERS]),
        }
        self.deadline_type = pa.timestamp("us", tz=standard.timezone)
        self.compiled = compiled
        self._kernel: KernelTables | None = None

    @property
    def kernel(self) -> KernelTables | None:
        """The compiled judge's tables, made on first use; None without the ``fast`` extra."""
        if self._kernel is None and self.compiled:
            self._kernel = KernelTables.made(self.lim)
            self.compiled = self._kernel is not None
        return self._kernel

    def clocks(self, part: Any) -> Any:
        """One row per order of ``part`` and started clock."""
        if self.compiled and (part.num_rows >= sla.COMPILED_FROM or KernelTables.warm()):
            kernel = self.kernel
            table = None if kernel is None else self._compiled(part, kernel)
            if table is not None:
                return table
        return self._in_python(part)

    def _compiled(self, part: Any, kernel: KernelTables) -> Any:
        """The clocks of ``part`` by the compiled judge; None where Python must decide."""
        from fieldservice import columnar

        columns = columnar.mark_columns(part, kinds=CLOCK_KINDS)
        if columns is None:
            return None  # a row the quick checks refuse: the Python path words the error
        try:
            for order_id in columns.order_ids:
                _validate.identifier("order id", order_id)
        except InvalidInput:
            return None
        judged = kernel.judge(columns, self.at)
        if judged is None:
            return None
        state, tier, deadline, elapsed, limit, risk = judged
        order_at, clock_at = kernel.np.nonzero(state)  # order by order, clock by clock
        picked = (order_at, clock_at)
        return self._table(
            self.pa.array(columns.order_ids, self.pa.string()).take(order_at),
            clock_at,
            state[picked],
            tier[picked],
            deadline[picked],
            elapsed[picked],
            limit[picked],
            risk[picked].astype(bool),
        )

    def _table(
        self,
        ids: Any,
        clock_at: Any,
        state_at: Any,
        tier_at: Any,
        deadlines: Any,
        elapsed: Any,
        limits: Any,
        risk: Any,
    ) -> Any:
        """The clocks' Arrow table, one row per started clock (lists or NumPy arrays)."""
        pa, labels = self.pa, self.labels
        if not len(clock_at):
            return pa.table({k: pa.array([], pa.string()) for k in _TABLE_COLUMNS})
        clock_index = pa.array(clock_at, pa.int8())
        # The arrival clock (T2) is judged against its window, not a tier's limit.
        tier_index = pa.compute.if_else(
            pa.compute.equal(clock_index, 4),
            pa.scalar(None, pa.int8()),
            pa.array(tier_at, pa.int8()),
        )
        micros = pa.compute.round(pa.compute.multiply(pa.array(deadlines, pa.float64()), 1e6))
        columns = {
            "order_id": pa.array(ids, pa.string()),
            "clock": labels["clock"].take(clock_index),
            "rule": labels["rule"].take(clock_index),
            "state": labels["state"].take(pa.array(state_at, pa.int8())),
            "tier": labels["tier"].take(tier_index),
            "deadline": micros.cast(pa.int64()).cast(self.deadline_type),
            "elapsed_s": pa.array(elapsed, pa.float64()),
            "limit_s": pa.array(limits, pa.float64()),
            "at_risk": pa.array(risk, pa.bool_()),
        }
        return pa.table(columns)

    def _in_python(self, part: Any) -> Any:
        from fieldservice import columnar

        when, lim = self.at, self.lim
        rows: list[tuple[Any, ...]] = []
        add = rows.append
        # The judge reads the clock kinds only: the other events are not read.
        for order_id, marks in columnar.order_marks(part, kinds=CLOCK_KINDS):
            _validate.identifier("order id", order_id)
            # Marks carry what the scan reads (kind, epoch, data, at), checked by the reader.
            clocks, area = scan_log(cast("Sequence[Event]", marks), when, lim)
            for index in sorted(clocks):
                clock = clocks[index]
                state, deadline, elapsed, limit, at_risk = judge_clock(
                    clock, index, area, when, lim
                )
                add((order_id, index, state, clock.tier, deadline, elapsed, limit, at_risk))
        columns = list(zip(*rows, strict=True)) or [()] * 8  # the eight values of a row
        return self._table(*columns)


# The part judge of a worker process, made once by _start_part_judge.
_WORKER_PART_JUDGE: _PartJudge | None = None


def _start_part_judge(standard: ServiceStandard, at: dt.datetime) -> None:
    global _WORKER_PART_JUDGE  # one judge per worker process, made at its start
    _WORKER_PART_JUDGE = _PartJudge(standard, at)


def _judge_part(part: columnar.Part) -> Any:
    assert _WORKER_PART_JUDGE is not None  # set by _start_part_judge in every worker
    return _WORKER_PART_JUDGE.clocks(part.read())
