"""The SLA clocks of a whole part of an events table, judged in compiled code.

The fast path of :func:`fieldservice.sla.evaluate_table`, with the ``fast``
extra (numba). It holds no rule of its own: it is the arithmetic of
``sla._clocks.scan_log`` and ``judge_clock`` written over arrays, and every table it reads
(what each event kind does to each clock, the limits, the calendar's open
intervals) is made by :mod:`fieldservice.sla` from the same definitions the
Python path reads. The tests hold the two paths to the same numbers on
generated orders.

An order the kernel cannot judge exactly as the Python path would (more
pauses than it keeps room for, an instant outside the calendar table it was
given or in a year whose holidays are not confirmed) is flagged, and the
caller judges the part in Python, which raises what it must.

>>> import numpy as np
>>> int(np.searchsorted(np.array([1.0, 2.0]), 2.0, side="right"))
2
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np


def _as_is(*_args: object, **_options: object) -> Callable[[Any], Any]:
    """A stand-in for ``numba.njit`` that leaves a function as it is."""
    return lambda function: function


try:
    from numba import njit

    COMPILED = True
except ImportError:  # without the fast extra
    njit = _as_is  # type: ignore[assignment]
    COMPILED = False
"""Whether numba is here: without it the module still imports (its doctest runs), but its
callers judge in Python, since these functions would run uncompiled.

>>> isinstance(COMPILED, bool)
True
"""


# Actions, in the numbering of the effects table sla gives (see sla._clocks.EFFECTS).
START, STOP, PAUSE, RESUME, CANCEL, WINDOW, CONFIRM_BY, PUNCTUAL, DROP, MISSED = range(10)
UNCONFIRMED = 10
# How the scan treats a kind: as sla._clocks.scan_log's roles.
PLAIN, OPENS, TIER, VISIT = range(4)
# What a visit event does to the appointment (visits.Appointment.after).
V_NONE, V_BOOK, V_CONFIRM, V_WITHDRAW, V_CANCEL = range(5)
# Clock states, as sla's ClockState order.
S_RUNNING, S_PAUSED, S_MET, S_BREACHED, S_CANCELLED = 1, 2, 3, 4, 5

MAX_PAUSES = 32
"""Pauses kept per clock; an order with more is judged in Python."""

WINDOWED = 4
"""Clocks from this index on are judged against a window, in wall time."""
REPAIR = 3


@njit(cache=True, nogil=True)
def _to_s(epoch: float, cal: Any, bounds: Any, blocked: Any, bad: Any) -> float:
    """ServiceCalendar.to_service_seconds on the table ``cal`` (starts, ends, cum, cum_end)."""
    if not (bounds[0] <= epoch < bounds[1]):
        bad[0] = 1
        return 0.0
    for k in range(blocked.shape[0]):
        if epoch < blocked[k, 1] and epoch >= blocked[k, 0]:
            bad[0] = 1
            return 0.0
    starts, ends, cum, cum_end = cal
    i = np.searchsorted(starts, epoch, side="right") - 1
    value: float
    if i < 0:
        value = bounds[2] + 0.0
    elif epoch >= ends[i]:
        value = cum_end[i] + 0.0
    else:
        value = cum[i] + (epoch - starts[i]) + 0.0
    return value


@njit(cache=True, nogil=True)
def _from_s(value: float, cal: Any, bounds: Any, blocked: Any, bad: Any) -> float:
    """ServiceCalendar.from_service_seconds on the table ``cal``."""
    if not (bounds[2] < value <= bounds[3]):
        bad[0] = 1
        return 0.0
    starts, _, cum, cum_end = cal
    j = np.searchsorted(cum_end, value, side="left")
    found: float = starts[j] + (value - cum[j])
    for k in range(blocked.shape[0]):
        if found < blocked[k, 1] and found >= blocked[k, 0]:
            bad[0] = 1
            return 0.0
    return found


@njit(cache=True, nogil=True)
def _units(service: bool, epoch: float, cal: Any, bounds: Any, blocked: Any, bad: Any) -> float:
    if service:
        return _to_s(epoch, cal, bounds, blocked, bad)
    return epoch


@njit(cache=True, nogil=True)
def _span(
    service: bool, begin: float, end: float, cal: Any, bounds: Any, blocked: Any, bad: Any
) -> float:
    """The length of a pause from ``begin`` to ``end`` in the clock's units."""
    length: float = _units(service, end, cal, bounds, blocked, bad) - _units(
        service, begin, cal, bounds, blocked, bad
    )
    return length


@njit(cache=True, nogil=True)
def _paused_time(
    pb: Any, pe: Any, row: int, n: int, until: float, service: bool, cal: Any, bounds: Any,
    blocked: Any, bad: Any,
) -> float:  # fmt: skip
    total = 0.0
    covered = -np.inf
    for k in range(n):
        begin = covered if covered > pb[row, k] else pb[row, k]  # max(pause[0], covered)
        end = pe[row, k] if pe[row, k] == pe[row, k] else until
        if until < end:
            end = until
        if end > begin:
            total += _span(service, begin, end, cal, bounds, blocked, bad)
            covered = end
    return total


@njit(cache=True, nogil=True)
def _deadline_units(
    start_s: float, limit: float, pb: Any, pe: Any, row: int, n: int, at: float, service: bool,
    cal: Any, bounds: Any, blocked: Any, bad: Any,
) -> float:  # fmt: skip
    deadline = start_s + limit
    covered = -np.inf
    for k in range(n):
        begin = covered if covered > pb[row, k] else pb[row, k]
        if _units(service, begin, cal, bounds, blocked, bad) >= deadline:
            break
        end = pe[row, k] if pe[row, k] == pe[row, k] else at
        if end > begin:
            deadline += _span(service, begin, end, cal, bounds, blocked, bad)
            covered = end
    return deadline


@njit(cache=True, nogil=True, inline="always")
def _start(
    clocks: Any, index: int, begin: float, window_end: float, ended: float, tier: int
) -> None:
    """A new clock at ``index``, as ``sla._clocks._Clock(begin, tier)`` with its window and stop."""
    present, start, stop, cancelled, wend, ctier, npause = clocks
    present[index] = True
    start[index] = begin
    stop[index] = ended
    cancelled[index] = np.nan
    wend[index] = window_end
    ctier[index] = tier
    npause[index] = 0


@njit(cache=True, nogil=True)
def judge_orders(  # one pass, as sla._clocks.scan_log and judge_clock
    order_start: Any,
    codes: Any,
    epochs: Any,
    code_kind: Any,
    code_tier: Any,
    code_area: Any,
    code_start: Any,
    code_end: Any,
    code_due: Any,
    code_mask: Any,
    kind_role: Any,
    kind_visit: Any,
    kind_effects: Any,
    seconds: Any,
    service: Any,
    ceiling: Any,
    numbers: Any,
    cal: Any,
    bounds: Any,
    blocked: Any,
    out_state: Any,
    out_tier: Any,
    out_deadline: Any,
    out_elapsed: Any,
    out_limit: Any,
    out_risk: Any,
    out_bad: Any,
) -> None:
    """Scan and judge every order; fills the ``out_*`` arrays [order, clock].

    ``kind_effects[0, k, j]`` is (action, clock index), -1 action past the last;
    ``kind_effects[1]`` the same for an event the appointment ignores;
    ``numbers`` is (at, at-risk share, tolerance, ordinary tier index).
    ``out_state`` 0 is a clock not started.
    """
    at = numbers[0]
    share = numbers[1]
    tolerance = numbers[2]
    ordinary = int(numbers[3])
    nclocks = out_state.shape[1]
    present = np.zeros(nclocks, np.bool_)
    start = np.zeros(nclocks)
    stop = np.zeros(nclocks)
    cancelled = np.zeros(nclocks)
    wend = np.zeros(nclocks)
    ctier = np.zeros(nclocks, np.int64)
    npause = np.zeros(nclocks, np.int64)
    pb = np.zeros((nclocks, MAX_PAUSES))
    pe = np.zeros((nclocks, MAX_PAUSES))
    bad = np.zeros(1, np.int64)
    clocks = (present, start, stop, cancelled, wend, ctier, npause)
    nan = np.nan
    for o in range(order_start.shape[0] - 1):
        present[:] = False
        bad[0] = 0
        tier = ordinary
        area = 0
        has_b = False
        bs = nan
        be = nan
        has_c = False
        cs = nan
        ce = nan
        live = False
        vcancelled = False
        final = False  # cancelled with the order: no clock starts again (as scan_log)
        for r in range(order_start[o], order_start[o + 1]):
            when = epochs[r]
            if when > at:
                break
            code = codes[r]
            kind = code_kind[code]
            role = kind_role[kind]
            if role == OPENS:
                tier = code_tier[code]
                area = code_area[code]
            elif role == TIER:
                tier = code_tier[code]
                continue
            b_live = live
            b_ps = cs if has_c else (bs if has_b else nan)
            table = 0  # kind_effects[0]: what the kind does; [1]: when the visit ignored it
            if role == VISIT:
                changed = False
                vt = kind_visit[kind]
                if not vcancelled:
                    if vt == V_BOOK:
                        has_b = True
                        bs = code_start[code]
                        be = code_end[code]
                        has_c = False
                        cs = nan
                        ce = nan
                        live = True
                        changed = True
                    elif vt == V_CONFIRM:
                        if live:
                            has_c = True
                            cs = code_start[code]
                            ce = code_end[code]
                            changed = True
                    elif vt == V_WITHDRAW:
                        live = False
                        changed = True
                    elif vt == V_CANCEL:
                        live = False
                        vcancelled = True
                        changed = True
                    else:
                        changed = True  # a contact: its effects are stops, kept either way
                if not changed:
                    table = 1
            ps = cs if has_c else (bs if has_b else nan)
            pend = ce if has_c else (be if has_b else nan)
            for j in range(kind_effects.shape[2]):
                action = kind_effects[table, kind, j, 0]
                if action < 0:
                    break
                index = kind_effects[table, kind, j, 1]
                if action == START:
                    if (
                        not present[index]
                        or stop[index] == stop[index]
                        or (cancelled[index] == cancelled[index] and not final)
                    ):
                        _start(clocks, index, when, 0.0, nan, tier)
                elif action == STOP:
                    running = stop[index] != stop[index]  # NaN: not stopped
                    if present[index] and running and cancelled[index] != cancelled[index]:
                        stop[index] = when
                elif action == WINDOW:
                    if ps != ps or pend != pend:
                        continue
                    if not present[index]:
                        present[index] = True
                        cancelled[index] = nan
                        ctier[index] = tier
                        npause[index] = 0
                    start[index] = ps
                    wend[index] = pend
                    stop[index] = nan
                elif action == CONFIRM_BY:
                    due = code_due[code]
                    if not has_b or when >= due:
                        present[index] = False
                    else:
                        _start(clocks, index, when, due, nan, tier)
                elif action == PUNCTUAL:
                    if has_c and ps == ps:
                        _start(clocks, index, ps, ps + tolerance, nan, tier)
                elif action == DROP:
                    present[index] = False
                elif action == MISSED:
                    if (
                        not present[index]
                        and b_live
                        and b_ps == b_ps
                        and when > b_ps
                        and (not present[WINDOWED] or stop[WINDOWED] != stop[WINDOWED])
                    ):
                        _start(clocks, index, b_ps, b_ps, when, tier)
                elif action == UNCONFIRMED:
                    if not present[index] and present[5] and cancelled[5] != cancelled[5]:
                        due = wend[5]
                        done = stop[5]
                        if (done if done == done else when) > due:
                            ended = when if done != done else done
                            _start(clocks, index, due, due, ended, tier)
                elif action == CANCEL:  # every clock (index -1), or the one named
                    if index == -1:
                        final = True
                    for c in range(nclocks):
                        if index not in (-1, c):
                            continue
                        if present[c] and stop[c] != stop[c] and cancelled[c] != cancelled[c]:
                            cancelled[c] = when
                else:  # PAUSE or RESUME
                    pause = action == PAUSE
                    mask = code_mask[code]  # none for a pause that is not the customer's
                    for c in range(nclocks):
                        if not (mask >> c) & 1:
                            continue
                        if not present[c] or stop[c] == stop[c] or cancelled[c] == cancelled[c]:
                            continue
                        n = npause[c]
                        open_pause = n > 0 and pe[c, n - 1] != pe[c, n - 1]
                        if pause and not open_pause:
                            if n == MAX_PAUSES:
                                bad[0] = 1
                            else:
                                pb[c, n] = when
                                pe[c, n] = nan
                                npause[c] = n + 1
                        elif not pause and open_pause:
                            pe[c, n - 1] = when
        for index in range(nclocks):
            if not present[index]:
                continue
            _judge(
                o, index, area, at, share, start[index], stop[index], cancelled[index],
                wend[index], ctier[index], pb, pe, npause[index], seconds,
                service, ceiling, cal, bounds, blocked, bad, out_state, out_tier, out_deadline,
                out_elapsed, out_limit, out_risk,
            )  # fmt: skip
        out_bad[o] = bad[0]


@njit(cache=True, nogil=True, inline="always")
def _judge(
    o: int, index: int, area: int, at: float, share: float, start: float, stop: float,
    cancelled: float, wend: float, tier: int, pb: Any, pe: Any, n: int, seconds: Any,
    service: Any, ceiling: Any, cal: Any, bounds: Any, blocked: Any, bad: Any, out_state: Any,
    out_tier: Any, out_deadline: Any, out_elapsed: Any, out_limit: Any, out_risk: Any,
) -> None:  # fmt: skip
    out_tier[o, index] = tier
    stopped = stop == stop
    was_cancelled = cancelled == cancelled
    if index >= WINDOWED:
        deadline = wend
        limit = deadline - start
        elapsed = (stop if stopped else cancelled if was_cancelled else at) - start
        if stopped:
            state = S_MET if stop <= deadline else S_BREACHED
        elif was_cancelled:
            state = S_CANCELLED if cancelled <= deadline else S_BREACHED
        else:
            state = S_BREACHED if at > deadline else S_RUNNING
        out_state[o, index] = state
        out_deadline[o, index] = deadline
        out_elapsed[o, index] = 0.0 if elapsed < 0.0 else elapsed  # max(elapsed, 0.0)
        out_limit[o, index] = limit
        out_risk[o, index] = 0
        return
    limit = seconds[index, tier, area]
    until = at if not stopped else stop
    if not stopped and was_cancelled:
        until = cancelled
    is_service = service[index]
    capped = False
    if is_service and index == REPAIR:
        start_s = _to_s(start, cal, bounds, blocked, bad)
        units = _deadline_units(
            start_s, limit, pb, pe, index, n, until, True, cal, bounds, blocked, bad
        )
        service_deadline = _from_s(units, cal, bounds, blocked, bad)
        wall = _deadline_units(
            start, ceiling[area], pb, pe, index, n, until, False, cal, bounds, blocked, bad
        )
        capped = wall < service_deadline
    if is_service and capped:
        limit = ceiling[area]
        deadline = _deadline_units(
            start, limit, pb, pe, index, n, until, False, cal, bounds, blocked, bad
        )
        elapsed = (
            until
            - start
            - (
                _paused_time(pb, pe, index, n, until, False, cal, bounds, blocked, bad)
                if n
                else 0.0
            )
        )
    elif is_service:
        start_s = _to_s(start, cal, bounds, blocked, bad)
        deadline = _from_s(
            _deadline_units(start_s, limit, pb, pe, index, n, until, True, cal, bounds, blocked, bad),
            cal, bounds, blocked, bad,
        )  # fmt: skip
        elapsed = _to_s(until, cal, bounds, blocked, bad) - start_s
        if n:
            elapsed -= _paused_time(pb, pe, index, n, until, True, cal, bounds, blocked, bad)
    elif n:
        deadline = _deadline_units(
            start, limit, pb, pe, index, n, until, False, cal, bounds, blocked, bad
        )
        elapsed = (
            until - start - _paused_time(pb, pe, index, n, until, False, cal, bounds, blocked, bad)
        )
    else:
        deadline = start + limit
        elapsed = until - start
    if stopped:
        state = S_MET if stop <= deadline else S_BREACHED
    elif was_cancelled:
        state = S_CANCELLED if cancelled <= deadline else S_BREACHED
    elif at > deadline:
        state = S_BREACHED
    elif n and pe[index, n - 1] != pe[index, n - 1]:
        state = S_PAUSED
    else:
        state = S_RUNNING
    out_state[o, index] = state
    out_deadline[o, index] = deadline
    out_elapsed[o, index] = elapsed
    out_limit[o, index] = limit
    out_risk[o, index] = 1 if state == S_RUNNING and elapsed >= share * limit else 0
