"""The clock rules and limits as the compiled judge reads them (the ``fast`` extra).

Part of :mod:`fieldservice.sla`, which re-exports its public names.
"""

from __future__ import annotations

import importlib
import math
import sys
from array import array
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from fieldservice.errors import FieldServiceError
from fieldservice.events import (
    EventKind,
    PackedLog,
    log_of,
)
from fieldservice.payloads import Booked
from fieldservice.sla._clocks import (
    AREA_AT,
    CLOCK_KINDS,
    CLOCKS,
    DO_CANCEL,
    DO_CONFIRM_BY,
    DO_DROP,
    DO_MISSED,
    DO_PAUSE,
    DO_PUNCTUAL,
    DO_RESUME,
    DO_START,
    DO_STOP,
    DO_UNCONFIRMED,
    DO_WINDOW,
    EFFECTS,
    EFFECTS_OF,
    IGNORED_VISIT_EFFECTS,
    ORDINARY,
    ROLE_OPENS,
    ROLE_PLAIN,
    ROLE_TIER,
    ROLE_VISIT,
    SCAN_ROLE,
    TIER_AT,
    Limits,
    Orderish,
    pause_targets,
)
from fieldservice.standard import ServiceStandard


class KernelTables:
    """The clock rules and limits as the compiled judge reads them (the ``fast`` extra).

    Made once per standard from the tables the Python scan reads: what each
    event kind does (``EFFECTS``, ``SCAN_ROLE``), the limits (``Limits``);
    each part's distinct (kind, data) pairs are turned into numbers here.
    """

    def __init__(self, lim: Limits, kernel: Any) -> None:
        import numpy as np

        self.np = np
        self.kernel = kernel
        self.lim = lim
        kinds = tuple(EventKind)
        self.kind_at = {kind: i for i, kind in enumerate(kinds)}
        width = max(len(effects) for effects in EFFECTS.values())
        actions = {
            DO_START: kernel.START, DO_STOP: kernel.STOP, DO_PAUSE: kernel.PAUSE,
            DO_RESUME: kernel.RESUME, DO_CANCEL: kernel.CANCEL, DO_WINDOW: kernel.WINDOW,
            DO_CONFIRM_BY: kernel.CONFIRM_BY, DO_PUNCTUAL: kernel.PUNCTUAL, DO_DROP: kernel.DROP,
            DO_MISSED: kernel.MISSED, DO_UNCONFIRMED: kernel.UNCONFIRMED,
        }  # fmt: skip
        roles = {ROLE_PLAIN: kernel.PLAIN, ROLE_OPENS: kernel.OPENS, ROLE_TIER: kernel.TIER}
        roles[ROLE_VISIT] = kernel.VISIT
        visits = {
            EventKind.BOOKED: kernel.V_BOOK,
            EventKind.RESCHEDULED: kernel.V_BOOK,
            EventKind.CONFIRMED: kernel.V_CONFIRM,
            EventKind.CUSTOMER_ABSENT: kernel.V_WITHDRAW,
            EventKind.CANCELLED: kernel.V_CANCEL,
        }
        self.role = np.array([roles[SCAN_ROLE[k.value][0]] for k in kinds], np.int64)
        assert len(kinds) < 64  # a kind's code takes six bits of judge_logs' keys
        # Every member, keyed by itself (EventKind hashes by identity, in C); -1 for a kind
        # no clock reads. A kind that is no member is a KeyError: handed back to Python.
        self.clock_kind_code = {k: i if k.value in CLOCK_KINDS else -1 for i, k in enumerate(kinds)}
        self.visit = np.array([visits.get(k, kernel.V_NONE) for k in kinds], np.int64)
        self.kinds = kinds
        # The same codes by a kind's index in tuple(EventKind), for packed logs' columns.
        self.code_of_number = np.array([self.clock_kind_code[k] for k in kinds], np.int64)

        def table(of: Mapping[str, tuple[tuple[int, int], ...] | None]) -> Any:
            out = np.full((len(kinds), width, 2), -1, np.int64)
            for i, kind in enumerate(kinds):
                for j, (action, index) in enumerate(of.get(kind.value) or ()):
                    out[i, j] = (actions[action], index)
            return out

        self.effects = np.stack((table(EFFECTS_OF), table(IGNORED_VISIT_EFFECTS)))
        self.seconds = np.array(lim.seconds, np.float64)
        self.service = np.array(lim.service, np.bool_)
        self.ceiling = np.array(lim.ceiling, np.float64)
        self.nclocks = len(CLOCKS)
        # Load the compiled code from numba's cache now, in the caller's thread: loaded by
        # the worker's first part instead, it shares the GIL with the reading and takes
        # some 1.5 s instead of 0.15 s.
        if not kernel.judge_orders.signatures:  # else loaded already
            empty = np.zeros(0)
            self._run(
                np.zeros(1, np.int64), np.zeros(0, np.int64), empty,
                self._encoded((), None) or (), ((empty,) * 4, np.zeros(4), np.zeros((0, 2))),
                0.0, self._outputs(0),
            )  # fmt: skip

    @staticmethod
    def warm() -> bool:
        """Whether the compiled judge is loaded in this process: then it costs nothing more."""
        module = sys.modules.get("fieldservice._clock_kernel")
        return module is not None and module.COMPILED and bool(module.judge_orders.signatures)

    @classmethod
    def made(cls, lim: Limits) -> KernelTables | None:
        """The tables, or None without the ``fast`` extra (numba): Python judges then."""
        try:
            kernel = importlib.import_module("fieldservice._clock_kernel")
        except ImportError:  # numpy comes with pyarrow: without it, no columns either
            return None
        return cls(lim, kernel) if kernel.COMPILED else None

    def judge(self, columns: Any, at: float) -> tuple[Any, ...] | None:
        """(state, tier, deadline, elapsed, limit, at_risk) [order, clock], or None."""
        np = self.np
        order_start = np.searchsorted(columns.order_of, np.arange(len(columns.order_ids) + 1))
        return self.judge_rows(order_start, columns.codes, columns.epochs, columns.details, at)

    def judge_logs(
        self, rows: Sequence[Orderish], standard: ServiceStandard, at: float
    ) -> tuple[list[str], tuple[Any, ...]] | None:
        """The IDs and the same arrays for many orders or logs, or None for Python to decide.

        Python decides an order of another standard, a log given as an iterator (it
        is read once), an item that is not an :class:`Event` and events out of time
        order, and raises what it must.

        The rows are read in parts of :data:`_READ_PART` orders: while Python reads
        a part, the compiled judge (which lets go of the GIL) judges the one before
        it in a worker thread, so its time hides behind the reading.
        """
        n = len(rows)
        out = self._outputs(n)
        details: list[tuple[EventKind, Any]] = []
        known: dict[int, int] = {}
        ids: list[str] = []
        encoded = self._encoded(details, None)
        parts = range(0, n, _READ_PART)
        # One part is judged where it is read: a thread would only cost time (and cannot
        # be started while the interpreter shuts down).
        worker = ThreadPoolExecutor(1, "fieldservice-clocks") if len(parts) > 1 else None
        judging = []
        try:
            for lo in parts:
                hi = min(n, lo + _READ_PART)
                read = self._read(rows, lo, hi, standard, details, known, ids)
                encoded = None if read is None else self._encoded(details, encoded)
                table = None if read is None else self._calendar(read[2], at)
                if read is None or encoded is None or table is None:
                    return None  # the worker finishes what it has before Python judges
                part = tuple(column[lo:hi] for column in out)
                job = (*read, encoded, table, at, part)
                if worker is not None:
                    try:
                        judging.append(worker.submit(self._run, *job))
                        continue
                    except RuntimeError:  # no thread now (shutdown): judged in this one
                        pass
                self._run(*job)
            for done in judging:
                done.result()
        finally:
            if worker is not None:
                worker.shutdown()
        return None if out[-1].any() else (ids, out[:-1])

    def _read(
        self,
        rows: Sequence[Orderish],
        lo: int,
        hi: int,
        standard: ServiceStandard,
        details: list[tuple[EventKind, Any]],
        known: dict[int, int],
        ids: list[str],
    ) -> tuple[Any, Any, Any] | None:
        """Rows ``lo`` to ``hi`` as (order starts, codes, epochs) of their clock events.

        Each distinct (kind, payload) pair is added to ``details`` once (``known``
        maps its key to its code), each row's ID to ``ids``. None if Python must decide.
        """
        np = self.np
        kind_code = self.clock_kind_code
        starts = array("q", [0])
        codes = array("q")
        epochs = array("d")
        add_code, add_epoch, add_start, add_id = (
            codes.append, epochs.append, starts.append, ids.append
        )  # fmt: skip
        try:
            if lo < hi and type(log_of(rows[lo])) is PackedLog:
                # Orders restored and not changed since: their packed logs read as columns.
                part = rows[lo:hi]
                logs = [log_of(order) for order in part]
                if all(type(log) is PackedLog for log in logs):
                    return self._read_packed(part, logs, lo, standard, details, known, ids)
            for row in range(lo, hi):
                order = rows[row]
                events: Any = order
                if type(order) is tuple or type(order) is list:
                    # A bare log: three attribute look-ups that fail cost a microsecond.
                    add_id(str(row))
                else:
                    # The log the Python judge reads: a restored order's packed log is read
                    # as columns, its events never built (that would cost more than judging).
                    events = log_of(order)
                    own = getattr(order, "standard", standard)
                    if own is not standard and own != standard:
                        return None
                    order_id = getattr(order, "id", None)
                    add_id(str(row) if order_id is None else str(order_id))
                    if type(events) is PackedLog and events:
                        # In a part that mixes them with other rows; in time order by
                        # construction, so not checked again.
                        for when, kind, data in zip(
                            events.epochs(), events.kinds(), events.payloads(), strict=True
                        ):
                            k = kind_code[kind]
                            if k >= 0:
                                key = id(data) << 6 | k
                                code = known.get(key)
                                if code is None:
                                    code = known[key] = len(details)
                                    details.append((kind, data))
                                add_code(code)
                                add_epoch(when)
                        add_start(len(codes))
                        continue
                if (type(events) is not tuple and type(events) is not list) or not events:
                    # Read by the Python judge alone: an iterator is read once, and an empty
                    # or odd log gets its verdict (or its error, in row order) there.
                    return None
                last = -math.inf
                for event in events:
                    when = event.epoch
                    if when < last:
                        return None
                    last = when
                    k = kind_code[event.kind]
                    if k >= 0:  # else a kind no clock reads
                        data = event.data
                        # By identity and kind: the logs hold every payload during the call.
                        key = id(data) << 6 | k
                        code = known.get(key)
                        if code is None:
                            code = known[key] = len(details)
                            details.append((event.kind, data))
                        add_code(code)
                        add_epoch(when)
                add_start(len(codes))
        except _HANDED_BACK:
            return None  # not an event, or an odd order: the Python judge raises, in row order
        return (
            np.frombuffer(starts, np.int64),
            np.frombuffer(codes, np.int64),
            np.frombuffer(epochs, np.float64),
        )

    def _read_packed(
        self,
        orders: Sequence[Orderish],
        logs: list[Any],
        lo: int,
        standard: ServiceStandard,
        details: list[tuple[EventKind, Any]],
        known: dict[int, int],
        ids: list[str],
    ) -> tuple[Any, Any, Any] | None:
        """:meth:`_read` for orders whose logs are all packed: a few steps per order.

        A packed log is in time order by construction, so it is not checked again.
        """
        np = self.np
        for row, order in enumerate(orders, lo):
            own = getattr(order, "standard", standard)
            if own is not standard and own != standard:
                return None
            order_id = getattr(order, "id", None)
            ids.append(str(row) if order_id is None else str(order_id))
        columns = PackedLog.columns_of(logs)
        if not all(columns.counts):
            return None  # an empty log gets its verdict in Python, as in _read
        numbers = np.frombuffer(columns.kinds, np.uint8)
        code_of = self.code_of_number[numbers]
        clock = np.flatnonzero(code_of >= 0)  # the events a clock reads
        payloads = columns.payloads
        data = [payloads[i] for i in clock.tolist()]
        # By identity and kind, as _read: the logs hold every payload during the call.
        keys = np.fromiter(map(id, data), np.int64, len(data)) << 6 | code_of[clock]
        distinct, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
        code = np.empty(len(distinct), np.int64)
        kinds = self.kinds
        for j, (key, at) in enumerate(zip(distinct.tolist(), first.tolist(), strict=True)):
            known_code = known.get(key)
            if known_code is None:
                known_code = known[key] = len(details)
                details.append((kinds[numbers[clock[at]]], data[at]))
            code[j] = known_code
        counts = np.frombuffer(columns.counts, np.int64)
        order_of = np.repeat(np.arange(len(orders)), counts)[clock]
        starts = np.zeros(len(orders) + 1, np.int64)
        np.cumsum(np.bincount(order_of, minlength=len(orders)), out=starts[1:])
        return starts, code[inverse.reshape(-1)], np.frombuffer(columns.epochs, np.float64)[clock]

    def _encode(
        self,
        details: Sequence[tuple[EventKind, Any]],
        kind: Any,
        tier: Any,
        area: Any,
        start: Any,
        end: Any,
        due: Any,
        mask: Any,
    ) -> None:
        """Each distinct (kind, payload) as the numbers the compiled judge reads, in place."""
        lim = self.lim
        for i, (event_kind, data) in enumerate(details):
            kind[i] = self.kind_at[event_kind]
            value = event_kind._value_
            role = SCAN_ROLE[value][0]
            payload: Any = data  # typed by its kind when the row was read
            if role == ROLE_OPENS:
                tier[i] = ORDINARY if payload.tier is None else TIER_AT[payload.tier]
                area[i] = 0 if payload.area is None else AREA_AT[payload.area]
            elif role == ROLE_TIER:
                tier[i] = TIER_AT[payload.tier]
            if isinstance(payload, Booked):
                start[i] = payload.start.timestamp()
                end[i] = payload.end.timestamp()
                due[i] = lim.due_of(payload)
            elif event_kind is EventKind.CONFIRMED:
                start[i] = payload.start.timestamp()
                end[i] = payload.end.timestamp()
            elif value in ("clock_paused", "clock_resumed"):
                targets = set(pause_targets(payload, value == "clock_paused"))
                mask[i] = sum(1 << t for t in targets)

    def _encoded(
        self, details: Sequence[tuple[EventKind, Any]], before: tuple[Any, ...] | None
    ) -> tuple[Any, ...] | None:
        """(kind, tier, area, start, end, due, mask) of every detail, or None for Python.

        Only the details past those ``before`` holds are encoded; the arrays are
        new, as the worker may still read the ones before.
        """
        np = self.np
        done = 0 if before is None else len(before[0])
        n = len(details) - done
        new = (
            np.zeros(n, np.int64),
            np.zeros(n, np.int64),
            np.zeros(n, np.int64),
            np.full(n, np.nan),
            np.full(n, np.nan),
            np.full(n, np.nan),
            np.zeros(n, np.int64),
        )
        try:
            self._encode(details[done:], *new)
        except _HANDED_BACK:
            # A payload the Python scan may never reach (recorded after ``at``), or reach
            # only after raising for an earlier order: its verdict, and error, are Python's.
            return None
        if before is None:
            return new
        return tuple(np.concatenate(pair) for pair in zip(before, new, strict=True))

    def _calendar(self, epochs: Any, at: float) -> tuple[Any, ...] | None:
        """The service calendar's table as the compiled judge reads it, or None for Python.

        Only instants up to ``at`` and the deadlines after them are converted.
        """
        np = self.np
        below = epochs[epochs <= at]
        first = min(float(below.min()), at) if len(below) else at
        try:
            cal = self.lim.calendar.service_table(first, at + _TABLE_MARGIN)
        except FieldServiceError:
            return None
        return (
            tuple(np.array(v, np.float64) for v in (cal.starts, cal.ends, cal.cum, cal.cum_end)),
            np.array([cal.lo, cal.hi, cal.total_lo, cal.total_hi], np.float64),
            np.array(cal.unconfirmed, np.float64).reshape(-1, 2),
        )

    def _outputs(self, n: int) -> tuple[Any, ...]:
        """(state, tier, deadline, elapsed, limit, at_risk) [order, clock], and bad [order]."""
        np = self.np
        shape = (n, self.nclocks)
        return (
            np.zeros(shape, np.int8),
            np.zeros(shape, np.int64),
            np.full(shape, np.nan),
            np.zeros(shape),
            np.zeros(shape),
            np.zeros(shape, np.int8),
            np.zeros(n, np.int8),
        )

    def _run(
        self,
        order_start: Any,
        codes: Any,
        epochs: Any,
        encoded: tuple[Any, ...],
        table: tuple[Any, ...],
        at: float,
        out: tuple[Any, ...],
    ) -> None:
        """The compiled judge over the orders of ``order_start``, into ``out``."""
        np, lim = self.np, self.lim
        numbers = np.array([at, lim.at_risk_share, lim.tolerance, ORDINARY], np.float64)
        self.kernel.judge_orders(
            order_start, codes, epochs, *encoded, self.role, self.visit, self.effects,
            self.seconds, self.service, self.ceiling, numbers, *table, *out,
        )  # fmt: skip

    def judge_rows(
        self,
        order_start: Any,
        codes: Any,
        epochs: Any,
        details: Sequence[tuple[EventKind, Any]],
        at: float,
    ) -> tuple[Any, ...] | None:
        """Judge rows ``order_start[o]`` to ``order_start[o + 1]`` of each order ``o``."""
        encoded = self._encoded(details, None)
        table = None if encoded is None else self._calendar(epochs, at)
        if encoded is None or table is None:
            return None
        out = self._outputs(len(order_start) - 1)
        self._run(order_start, codes, epochs, encoded, table, at, out)
        return None if out[-1].any() else out[:-1]


# Orders read per part by the compiled path of evaluate_many: the last part's judging is
# the time that does not hide behind reading, about 0.05 s at this size.
_READ_PART = 65_536

# What reading a batch for the compiled judge may raise: the batch then goes to the Python
# judge, which reaches the same error in row order (or never, if it lies after ``at``).
_HANDED_BACK: tuple[type[Exception], ...] = (AttributeError, ArithmeticError, LookupError)
_HANDED_BACK += (TypeError, ValueError, FieldServiceError)

# The calendar table reaches this far past ``at``: repair limits
# are days, so a deadline a year on is one no clock of the standard sets.
_TABLE_MARGIN = 400 * 86400.0
