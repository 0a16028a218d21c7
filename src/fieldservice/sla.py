"""SLA clocks: every time limit of the standard as a pure function of (events, standard, at).

A clock starts and stops on events of the order's log (:mod:`fieldservice.events`),
counts wall time or the calendar's service time (:class:`~fieldservice.standard.ClockBasis`),
and may be paused by the customer. Nothing here reads the clock or knows the
workflow: give it the events and the instant to judge at.

======================  =====  ==============================  ============================  ==========
clock                   rule   starts (restarts) on            stops on                      limit
======================  =====  ==============================  ============================  ==========
``booking_contact``     B3     accepted, resources_built,      contacted, booked,            per tier
                               customer_absent (K3)            resource_notice_given
``resource_notice``     R1     resources_missing               resource_notice_given         per tier
``remote_follow_up``    F2     remote_guidance_given           followed_up                   30 min
``repair``              F4     reported                        cleared                       per tier
``arrival``             T2     booked, rescheduled,            arrived                       the window
                               confirmed (C1)
``confirmation``        C1     booked, rescheduled             confirmed                     09:00 of
                                                                                             the day
``punctuality``         T2     confirmed                       arrived                       the hour's
                                                                                             start
``missed_window``       B8     a reschedule after the          (breached when it starts)     the window's
                               window in force began                                         start
======================  =====  ==============================  ============================  ==========

Rules the clocks follow, each a decision written down once:

* **Pauses.** Only the customer pauses a clock (``clock_paused`` with reason
  ``customer_request`` or ``waiting_for_customer``); a pause with any other
  reason is ignored, so a provider delay never stops a clock. Pauses apply to
  the tiered clocks (B3, R1, F4) unless the event names its ``clocks``. Paused
  time is counted once even when pauses overlap, and a pause can only move a
  deadline later. While paused, the deadline shown is the one that holds if
  the clock resumed at ``at``.
* **Tier changes.** The tier in force when a clock starts governs it until it
  stops; a ``tier_changed`` event applies to clocks that start later. So an
  upgrade never breaches a clock retroactively, and a downgrade never extends one.
* **Service time.** A clock on service time counts only the open hours of
  :meth:`ServiceCalendar.for_clocks <fieldservice.servicecal.ServiceCalendar.for_clocks>`;
  its deadline is the instant the last needed second of open time ends. A repair
  clock (F4) on service time is also capped by the legal ceiling in wall time
  (:data:`~fieldservice.standard.LEGAL_REPAIR_CEILING`, extended by pauses).
* **Windows.** ``arrival`` follows the window in force: a reschedule opens a
  new clock for the new window. A reschedule made after the window in force
  began (B8: the customer is told beforehand) starts ``missed_window``, breached
  at once and for good, so a missed visit stays in every report judged later.
  ``confirmation`` (C1) is due at the standard's ``confirm_by`` of the visit
  day, and not started for a booking made after that instant. ``punctuality``
  judges the arrival against the start of the confirmed hour plus the standard's
  ``arrival_tolerance`` (the card's "按约定时间或提前5分钟到达").
* **Judging.** Events after ``at`` are ignored. A clock is ``BREACHED`` once
  ``at`` is past its deadline (one second past is enough) or when it stopped
  after it; ``MET`` when it stopped at or before it; ``CANCELLED`` when the
  order was cancelled while it ran, before its deadline.

>>> import pendulum, fieldservice as fs
>>> from fieldservice.events import Event
>>> from fieldservice.sla import ClockName, evaluate
>>> at = pendulum.datetime(2026, 11, 24, 10, 0, tz="Asia/Shanghai")
>>> log = [Event("accepted", at, actor="desk", data={"tier": "diamond", "area": "city"})]
>>> report = evaluate(log, at=at.add(hours=1), standard=fs.ServiceStandard.default())
>>> status = report[ClockName.BOOKING_CONTACT]
>>> status.state, status.deadline.isoformat(), status.remaining
(<ClockState.RUNNING: 'running'>, '2026-11-24T14:00:00+08:00', datetime.timedelta(seconds=10800))
"""

from __future__ import annotations

import datetime as dt
import html
import math
import statistics
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, TypeAlias

import attrs
import pendulum

from fieldservice import _labels, _time, _validate
from fieldservice.errors import InvalidInput
from fieldservice.events import Event, EventKind, HasEvents, check_time_order, events_of
from fieldservice.model import Area, Tier
from fieldservice.servicecal import ServiceCalendar
from fieldservice.standard import LEGAL_REPAIR_CEILING, ClockBasis, ServiceStandard, standard_of
from fieldservice.visits import NOTHING_BOOKED, Appointment, changes_appointment

__all__ = [
    "ClockName",
    "ClockState",
    "ClockStatus",
    "HasEvents",
    "Pause",
    "SlaBatch",
    "SlaReport",
    "TierSummary",
    "breaches",
    "evaluate",
    "evaluate_many",
    "summarize",
]


class ClockName(_labels.IdentityEnum):
    """The SLA clocks of the standard, each carrying one rule.

    >>> [(c.value, c.rule) for c in ClockName][:2]
    [('booking_contact', 'B3'), ('resource_notice', 'R1')]
    """

    BOOKING_CONTACT = "booking_contact"
    RESOURCE_NOTICE = "resource_notice"
    REMOTE_FOLLOW_UP = "remote_follow_up"
    REPAIR = "repair"
    ARRIVAL = "arrival"
    CONFIRMATION = "confirmation"
    PUNCTUALITY = "punctuality"
    MISSED_WINDOW = "missed_window"

    @property
    def rule(self) -> str:
        """The rule ID the clock carries."""
        return _RULES[self]


_RULES = {
    ClockName.BOOKING_CONTACT: "B3",
    ClockName.RESOURCE_NOTICE: "R1",
    ClockName.REMOTE_FOLLOW_UP: "F2",
    ClockName.REPAIR: "F4",
    ClockName.ARRIVAL: "T2",
    ClockName.CONFIRMATION: "C1",
    ClockName.PUNCTUALITY: "T2",
    ClockName.MISSED_WINDOW: "B8",
}
_CLOCKS: tuple[ClockName, ...] = tuple(ClockName)
_INDEX = {name: i for i, name in enumerate(_CLOCKS)}


class ClockState(_labels.IdentityEnum):
    """Where a clock stands at the instant it is judged.

    >>> ClockState("breached").is_final
    True
    """

    NOT_STARTED = "not_started"
    RUNNING = "running"
    PAUSED = "paused"
    MET = "met"
    BREACHED = "breached"
    CANCELLED = "cancelled"

    @property
    def is_final(self) -> bool:
        """Whether the clock has stopped for good (met, breached or cancelled)."""
        return self in (ClockState.MET, ClockState.BREACHED, ClockState.CANCELLED)


_STATES: tuple[ClockState, ...] = tuple(ClockState)
_S_NOT_STARTED, _S_RUNNING, _S_PAUSED, _S_MET, _S_BREACHED, _S_CANCELLED = range(6)

# --- what each event does to each clock: the rules as a table ---------------------

_START, _STOP, _PAUSE, _RESUME, _CANCEL, _WINDOW, _CONFIRM_BY, _PUNCTUAL, _DROP, _MISSED = range(10)
_WINDOWED = 4  # clocks from this index on are judged against a window, in wall time
_PAUSABLE = frozenset({0, 1, 3})  # booking_contact, resource_notice, repair
_CUSTOMER_REASONS = frozenset({"customer_request", "waiting_for_customer"})

_EFFECTS: dict[EventKind, tuple[tuple[int, int], ...]] = {
    EventKind.ACCEPTED: ((_START, 0),),
    EventKind.RESOURCES_BUILT: ((_START, 0),),
    EventKind.CUSTOMER_ABSENT: ((_START, 0),),
    EventKind.CONTACTED: ((_STOP, 0),),
    EventKind.BOOKED: ((_STOP, 0), (_WINDOW, 4), (_CONFIRM_BY, 5), (_DROP, 6)),
    EventKind.RESCHEDULED: ((_MISSED, 7), (_WINDOW, 4), (_CONFIRM_BY, 5), (_DROP, 6)),
    EventKind.CONFIRMED: ((_WINDOW, 4), (_STOP, 5), (_PUNCTUAL, 6)),
    EventKind.RESOURCES_MISSING: ((_START, 1),),
    EventKind.RESOURCE_NOTICE_GIVEN: ((_STOP, 0), (_STOP, 1)),
    EventKind.REMOTE_GUIDANCE_GIVEN: ((_START, 2),),
    EventKind.FOLLOWED_UP: ((_STOP, 2),),
    EventKind.REPORTED: ((_START, 3),),
    EventKind.CLEARED: ((_STOP, 3),),
    EventKind.ARRIVED: ((_STOP, 4), (_STOP, 6)),
    EventKind.CLOCK_PAUSED: ((_PAUSE, -1),),
    EventKind.CLOCK_RESUMED: ((_RESUME, -1),),
    EventKind.CANCELLED: ((_CANCEL, -1),),
}
"""Event kind -> (action, clock index); -1 means every clock the action applies to."""


Orderish: TypeAlias = HasEvents | Iterable[Event]


# --- scanning a log: one pass, plain numbers ----------------------------------------


class _Clock:
    """The raw facts of one started clock in one log, in epoch seconds and indexes."""

    __slots__ = ("cancelled", "pauses", "start", "stop", "tier", "window_end")

    def __init__(self, start: float, tier: int) -> None:
        self.start = start
        self.stop: float | None = None
        self.cancelled: float | None = None
        self.pauses: list[list[float]] = []
        self.tier = tier
        self.window_end = 0.0


_TIERS: tuple[Tier, ...] = tuple(Tier)
_AREAS: tuple[Area, ...] = tuple(Area)
# Plain-string keys: hashing an Enum member runs Python code, a str's hash is cached.
_TIER_OF = {t.value: i for i, t in enumerate(_TIERS)}
_AREA_OF = {a.value: i for i, a in enumerate(_AREAS)}
_ORDINARY = _TIER_OF["ordinary"]
_TIER_AT = {t: i for i, t in enumerate(_TIERS)}
_AREA_AT = {a: i for i, a in enumerate(_AREAS)}
_EFFECTS_OF = {kind.value: effects for kind, effects in _EFFECTS.items()}


def _index(table: Mapping[str, int], enum_type: type[Tier] | type[Area], value: object) -> int:
    found = table.get(value) if isinstance(value, str) else None
    if found is None:
        member = _validate.enum_member(enum_type, f"event {enum_type.__name__.lower()}", value)
        found = table[member.value]
    return found


def _scan(events: Sequence[Event], at: float, lim: _Limits) -> tuple[dict[int, _Clock], int]:
    """One pass over a log up to ``at``: the started clocks by index, and the area index."""
    clocks: dict[int, _Clock] = {}
    tier = _ORDINARY
    area = 0
    last = -math.inf
    visit = NOTHING_BOOKED
    for event in events:
        when = event.epoch
        if when < last:
            check_time_order(events)  # raises with the position of the culprit
        last = when
        if when > at:
            break
        value = event.kind._value_
        if value == "accepted" or value == "reported":
            opened: Any = event.data  # an Opened payload: tier and area, typed
            tier = _ORDINARY if opened.tier is None else _TIER_AT[opened.tier]
            area = 0 if opened.area is None else _AREA_AT[opened.area]
        elif value == "tier_changed":
            tier = _TIER_AT[event.data.tier]  # type: ignore[attr-defined]
            continue
        before = visit
        if changes_appointment(event.kind):
            visit = visit.after(event)
        effects = _EFFECTS_OF.get(value)
        if effects is None:
            continue
        for action, index in effects:
            if action == _START:
                clock = clocks.get(index)
                if clock is None or clock.stop is not None:
                    clocks[index] = _Clock(when, tier)
            elif action == _STOP:
                clock = clocks.get(index)
                if clock is not None and clock.stop is None and clock.cancelled is None:
                    clock.stop = when
            elif action == _WINDOW:
                clock = clocks.get(index)
                if clock is None:
                    clock = clocks[index] = _Clock(0.0, tier)
                promised_start, promised_end = visit.promised_start, visit.promised_end
                if promised_start is None or promised_end is None:
                    continue  # a confirmation with nothing booked promises nothing
                clock.start = promised_start.timestamp()
                clock.window_end = promised_end.timestamp()
                clock.stop = None
            elif action == _CONFIRM_BY:
                due = lim.confirm_due(visit, when)
                if due is None:
                    clocks.pop(index, None)  # booked after the confirm-by time: nothing to confirm
                else:
                    clock = clocks[index] = _Clock(when, tier)
                    clock.window_end = due
            elif action == _PUNCTUAL:
                begins = visit.promised_start
                if visit.confirmation is not None and begins is not None:
                    clock = clocks[index] = _Clock(begins.timestamp(), tier)
                    clock.window_end = clock.start + lim.tolerance
            elif action == _DROP:
                clocks.pop(index, None)  # a new window: punctuality waits for its confirmation
            elif action == _MISSED:
                begun = before.promised_start
                arrival = clocks.get(4)
                if (
                    index not in clocks
                    and before.live
                    and begun is not None
                    and when > begun.timestamp()
                    and (arrival is None or arrival.stop is None)
                ):
                    # Rescheduled after the window began: too late to tell the customer (B8).
                    clock = clocks[index] = _Clock(begun.timestamp(), tier)
                    clock.window_end = clock.start
                    clock.stop = when
            elif action == _CANCEL:
                for clock in clocks.values():
                    if clock.stop is None and clock.cancelled is None:
                        clock.cancelled = when
            else:
                _pause_or_resume(clocks, event, when, action == _PAUSE)
    return clocks, area


def _pause_or_resume(clocks: dict[int, _Clock], event: Event, when: float, pause: bool) -> None:
    data: Any = event.data  # ClockPaused or ClockResumed: typed when the event was made
    if pause and data.reason not in _CUSTOMER_REASONS:
        return  # only the customer pauses a clock; provider delays never do
    named = data.clocks
    targets: Iterable[int] = (
        _PAUSABLE
        if named is None
        else (_INDEX[ClockName(n)] for n in named if n in ClockName._value2member_map_)
    )
    for index in targets:
        clock = clocks.get(index)
        if clock is None or clock.stop is not None or clock.cancelled is not None:
            continue
        open_pause = clock.pauses and len(clock.pauses[-1]) == 1
        if pause and not open_pause:
            clock.pauses.append([when])
        elif not pause and open_pause:
            clock.pauses[-1].append(when)


# --- the arithmetic, shared by evaluate and evaluate_many --------------------------


@attrs.frozen
class _Limits:
    """The standard and calendar compiled into plain numbers, once per call."""

    seconds: tuple[tuple[tuple[float, ...], ...], ...]
    """Limit in seconds by [clock index][tier index][area index]."""
    service: tuple[bool, ...]
    """Whether each clock counts service time."""
    to_service: Callable[[float], float]
    from_service: Callable[[float], float]
    ceiling: tuple[float, ...]
    """The legal repair ceiling in seconds by area index."""
    at_risk_share: float
    tolerance: float
    """The standard's arrival tolerance in seconds (punctuality, T2)."""
    confirm_by: int
    """The standard's confirm-by time of day in seconds (C1)."""
    zone: dt.tzinfo
    due_by_day: dict[dt.date, float] = attrs.field(factory=dict, eq=False)
    """The confirm-by instant of each visit day met so far: a few days per call."""

    def confirm_due(self, visit: Appointment, booked: float) -> float | None:
        """When the visit's day-of confirmation is due (C1); None if booked after it."""
        begins = visit.window_start
        if begins is None:
            return None
        day = visit.booking.date if visit.booking is not None else None
        if day is None:
            day = begins.astimezone(self.zone).date()
        due = self.due_by_day.get(day)
        if due is None:
            due = self.due_by_day[day] = float(_time.wall_epoch(self.zone, day, self.confirm_by))
        return None if booked >= due else due

    @classmethod
    def compile(cls, standard: ServiceStandard) -> _Limits:
        rules = (
            standard.booking_contact,
            standard.resource_notice,
            None,
            standard.repair,
            *(None,) * (len(_CLOCKS) - 4),
        )
        follow_up = standard.follow_up.total_seconds()
        seconds = tuple(
            tuple(
                tuple(
                    rule.limit(tier, area).total_seconds()
                    if rule is not None
                    else (follow_up if i == 2 else 0.0)
                    for area in _AREAS
                )
                for tier in _TIERS
            )
            for i, rule in enumerate(rules)
        )
        calendar = ServiceCalendar.for_clocks(standard)
        return cls(
            seconds=seconds,
            service=tuple(r is not None and r.basis is ClockBasis.SERVICE for r in rules),
            to_service=calendar.to_service_seconds,
            from_service=calendar.from_service_seconds,
            ceiling=tuple(LEGAL_REPAIR_CEILING[a].total_seconds() for a in _AREAS),
            at_risk_share=standard.at_risk_share,
            tolerance=standard.arrival_tolerance.total_seconds(),
            confirm_by=_time.seconds_of(standard.confirm_by),
            zone=_time.zone(standard.timezone),
        )

    def basis(self, index: int) -> ClockBasis:
        """The basis of the clock at ``index``."""
        return ClockBasis.SERVICE if self.service[index] else ClockBasis.WALL


def _standard(value: object) -> ServiceStandard:
    if not isinstance(value, ServiceStandard):
        msg = f"standard must be a ServiceStandard (got {type(value).__name__})"
        raise InvalidInput(msg)
    return value


def _clock(value: object) -> ClockName:
    return _validate.enum_member(ClockName, "clock", value)


def _identity(value: float) -> float:
    return value


def _paused_time(pauses: list[list[float]], until: float, to_s: Callable[[float], float]) -> float:
    """Paused time in the clock's units up to ``until``, overlapping pauses counted once."""
    total = 0.0
    covered = -math.inf
    for pause in pauses:
        begin = max(pause[0], covered)
        end = min(pause[1] if len(pause) == 2 else until, until)
        if end > begin:
            total += to_s(end) - to_s(begin)
            covered = end
    return total


def _deadline_units(
    start_s: float,
    limit: float,
    pauses: list[list[float]],
    at: float,
    to_s: Callable[[float], float],
) -> float:
    """The deadline in the clock's units: start + limit, pushed back by pauses begun before it."""
    deadline = start_s + limit
    covered = -math.inf
    for pause in pauses:
        begin = max(pause[0], covered)
        if to_s(begin) >= deadline:
            break  # a pause after the deadline cannot save the clock
        end = pause[1] if len(pause) == 2 else at
        if end > begin:
            deadline += to_s(end) - to_s(begin)
            covered = end
    return deadline


def _capped(clock: _Clock, index: int, area: int, at: float, lim: _Limits) -> bool:
    """Whether the legal ceiling, in wall time, comes before a service-time repair deadline."""
    if index != 3 or not lim.service[index]:
        return False
    to_s = lim.to_service
    limit = lim.seconds[index][clock.tier][area]
    service = lim.from_service(_deadline_units(to_s(clock.start), limit, clock.pauses, at, to_s))
    return _deadline_units(clock.start, lim.ceiling[area], clock.pauses, at, _identity) < service


def _at_risk_from(clock: _Clock, index: int, area: int, at: float, lim: _Limits) -> float | None:
    """The instant a tiered clock's elapsed time reaches the at-risk share of its limit."""
    if index == 2 or index >= _WINDOWED:
        return None
    if _capped(clock, index, area, at, lim):
        share = lim.at_risk_share * lim.ceiling[area]
        return _deadline_units(clock.start, share, clock.pauses, at, _identity)
    service = lim.service[index]
    to_s = lim.to_service if service else _identity
    share = lim.at_risk_share * lim.seconds[index][clock.tier][area]
    units = _deadline_units(to_s(clock.start), share, clock.pauses, at, to_s)
    return lim.from_service(units) if service else units


def _judge(clock: _Clock, index: int, area: int, at: float, lim: _Limits) -> tuple[Any, ...]:
    """Return (state, deadline, elapsed, limit, at_risk) as plain numbers for one started clock."""
    start = clock.start
    stop = clock.stop
    if index >= _WINDOWED:  # arrival & co: the promised window is the limit, wall time, no pauses
        deadline = clock.window_end
        limit = deadline - start
        elapsed = (stop if stop is not None else at) - start
        if stop is not None:
            state = _S_MET if stop <= deadline else _S_BREACHED
        elif clock.cancelled is not None:
            state = _S_CANCELLED if clock.cancelled <= deadline else _S_BREACHED
        else:
            state = _S_BREACHED if at > deadline else _S_RUNNING
        return (state, deadline, max(elapsed, 0.0), limit, False)

    limit = lim.seconds[index][clock.tier][area]
    pauses = clock.pauses
    until = at if stop is None else stop
    if stop is None and clock.cancelled is not None:
        until = clock.cancelled
    if lim.service[index] and _capped(clock, index, area, at, lim):
        # F4 on service time is still bound by the law: where the ceiling comes first,
        # the clock is judged in wall time against the ceiling (电信条例 Art. 33).
        limit = lim.ceiling[area]
        deadline = _deadline_units(start, limit, pauses, at, _identity)
        elapsed = until - start - (_paused_time(pauses, until, _identity) if pauses else 0.0)
    elif lim.service[index]:
        to_s = lim.to_service
        start_s = to_s(start)
        deadline = lim.from_service(_deadline_units(start_s, limit, pauses, at, to_s))
        elapsed = to_s(until) - start_s
        if pauses:
            elapsed -= _paused_time(pauses, until, to_s)
    elif pauses:
        deadline = _deadline_units(start, limit, pauses, at, _identity)
        elapsed = until - start - _paused_time(pauses, until, _identity)
    else:  # the common case, kept free of calls
        deadline = start + limit
        elapsed = until - start
    if stop is not None:
        state = _S_MET if stop <= deadline else _S_BREACHED
    elif clock.cancelled is not None:
        state = _S_CANCELLED if clock.cancelled <= deadline else _S_BREACHED
    elif at > deadline:
        state = _S_BREACHED
    elif pauses and len(pauses[-1]) == 1:
        state = _S_PAUSED
    else:
        state = _S_RUNNING
    at_risk = state == _S_RUNNING and elapsed >= lim.at_risk_share * limit
    return (state, deadline, elapsed, limit, at_risk)


# --- results --------------------------------------------------------------------------


@attrs.frozen
class Pause:
    """A stretch of time a customer paused a clock; ``end`` is None while it lasts.

    >>> import pendulum
    >>> Pause(pendulum.datetime(2026, 11, 24, 10, tz="UTC"), None).open
    True
    """

    start: pendulum.DateTime
    end: pendulum.DateTime | None

    @property
    def open(self) -> bool:
        """Whether the pause has not ended yet."""
        return self.end is None


@attrs.frozen
class ClockStatus:
    """One clock of one order, judged at one instant.

    ``elapsed`` and ``remaining`` are in the clock's own time (service time for
    a service-time clock), pauses excluded; while running, ``elapsed + remaining
    == limit``. ``remaining`` is negative once the deadline has passed.

    >>> import pendulum, fieldservice as fs
    >>> from fieldservice.events import Event
    >>> from fieldservice.sla import evaluate, ClockName
    >>> t = pendulum.datetime(2026, 11, 24, 9, tz="Asia/Shanghai")
    >>> log = [Event("reported", t, actor="desk", data={"tier": "gold"})]
    >>> s = evaluate(log, at=t.add(hours=30), standard=fs.ServiceStandard.default())[ClockName.REPAIR]
    >>> s.state, s.at_risk, s.elapsed + s.remaining == s.limit
    (<ClockState.RUNNING: 'running'>, True, True)
    """

    clock: ClockName
    state: ClockState
    basis: ClockBasis
    tier: Tier | None
    limit: dt.timedelta
    started: pendulum.DateTime | None
    deadline: pendulum.DateTime | None
    stopped: pendulum.DateTime | None
    elapsed: dt.timedelta
    remaining: dt.timedelta
    paused: tuple[Pause, ...]
    at_risk: bool
    at_risk_from: pendulum.DateTime | None = None
    capped: bool = False
    """True when the legal repair ceiling (wall time) binds before the service-time limit;
    ``limit``, ``elapsed`` and ``remaining`` are then wall time against the ceiling."""
    _calendar_gaps: tuple[tuple[pendulum.DateTime, pendulum.DateTime], ...] = attrs.field(
        alias="calendar_gaps", default=(), repr=False
    )

    @property
    def rule(self) -> str:
        """The rule ID the clock carries."""
        return self.clock.rule

    def explain(self) -> tuple[str, ...]:
        """Say, step by step, how the deadline was reached.

        >>> import pendulum, fieldservice as fs
        >>> from fieldservice.events import Event
        >>> from fieldservice.sla import evaluate, ClockName
        >>> t = pendulum.datetime(2026, 11, 24, 19, 30, tz="Asia/Shanghai")
        >>> log = [Event("accepted", t, actor="desk", data={"tier": "diamond"})]
        >>> std = fs.ServiceStandard.default()
        >>> for line in evaluate(log, at=t, standard=std)[ClockName.BOOKING_CONTACT].explain():
        ...     print(line)
        B3 booking_contact: diamond limit 4:00:00 of service time
        started 2026-11-24 19:30 +08:00
        closed 2026-11-24 20:00 +08:00 to 2026-11-25 08:00 +08:00 (not counted)
        deadline 2026-11-25 11:30 +08:00
        running at the instant judged
        """
        fmt = "%Y-%m-%d %H:%M %z"

        def show(moment: pendulum.DateTime) -> str:
            text = moment.strftime(fmt)
            return f"{text[:-2]}:{text[-2:]}"

        tier = f"{self.tier.value} " if self.tier is not None else ""
        lines = [
            f"{self.rule} {self.clock.value}: {tier}limit {self.limit} of {self.basis.value} time"
        ]
        if self.started is None:
            return (*lines, "not started")
        lines.append(f"started {show(self.started)}")
        events: list[tuple[pendulum.DateTime, str]] = []
        for pause in self.paused:
            until = "still paused" if pause.end is None else f"resumed {show(pause.end)}"
            events.append((pause.start, f"paused by the customer {show(pause.start)}, {until}"))
        for begin, end in self._calendar_gaps:
            events.append((begin, f"closed {show(begin)} to {show(end)} (not counted)"))
        lines += [text for _, text in sorted(events, key=lambda e: e[0])]
        if self.capped:
            lines.append(
                f"capped by the legal ceiling of {self.limit} of wall time (电信条例 Art. 33, F4)"
            )
        if self.deadline is not None:
            lines.append(f"deadline {show(self.deadline)}")
        if self.stopped is not None:
            lines.append(f"stopped {show(self.stopped)}")
        lines.append(f"{self.state.value.replace('_', ' ')} at the instant judged")
        return tuple(lines)


@attrs.frozen
class SlaReport:
    """Every clock of one order at one instant.

    >>> import pendulum, fieldservice as fs
    >>> from fieldservice.sla import evaluate
    >>> report = evaluate([], at=pendulum.datetime(2026, 11, 24, tz="UTC"),
    ...                   standard=fs.ServiceStandard.default())
    >>> {s.state.value for s in report}
    {'not_started'}
    """

    at: pendulum.DateTime
    clocks: tuple[ClockStatus, ...]

    def __getitem__(self, name: ClockName | str) -> ClockStatus:
        return self.clocks[_INDEX[_clock(name)]]

    def __iter__(self) -> Iterator[ClockStatus]:
        return iter(self.clocks)

    @property
    def breached(self) -> tuple[ClockStatus, ...]:
        """The clocks that are breached."""
        return tuple(c for c in self.clocks if c.state is ClockState.BREACHED)

    def to_records(self) -> list[dict[str, object]]:
        """One plain dict per started clock, ready for ``pandas.DataFrame``."""
        return [_record(s) for s in self.clocks if s.state is not ClockState.NOT_STARTED]

    def _repr_html_(self) -> str:
        """Show the report in a notebook: a table of the started clocks, coloured by state.

        Met is green, breached red, paused or at risk amber, cancelled grey and
        running neutral; the state is also written out, so nothing rests on colour
        alone. Times are shown in the timezone of ``at``; durations as h:mm, in
        the clock's own time (a negative remaining time is past the deadline).

        >>> import pendulum, fieldservice as fs
        >>> from fieldservice.events import Event
        >>> t = pendulum.datetime(2026, 11, 24, 10, tz="Asia/Shanghai")
        >>> log = [Event("reported", t, actor="desk", data={"tier": "gold"}),
        ...        Event("cleared", t.add(hours=2), actor="T7")]
        >>> page = evaluate(log, at=t.add(hours=3), standard=fs.ServiceStandard.default())._repr_html_()
        >>> "<td>repair</td>" in page, "background:#d4edda" in page  # met: green
        (True, True)

        .. versionadded:: 0.1.0
        """
        esc = html.escape
        tz = self.at.tzinfo

        def when(moment: pendulum.DateTime | None) -> str:
            return "" if moment is None else esc(moment.astimezone(tz).format("YYYY-MM-DD HH:mm"))

        def span(value: dt.timedelta) -> str:
            seconds = int(value.total_seconds())
            hours, rest = divmod(abs(seconds), 3600)
            return f"{'-' if seconds < 0 else ''}{hours}:{rest // 60:02d}"

        colours = {
            ClockState.MET: "#d4edda",
            ClockState.BREACHED: "#f8d7da",
            ClockState.PAUSED: "#fff3cd",
            ClockState.CANCELLED: "#e2e3e5",
        }
        rows = []
        for s in self.clocks:
            if s.state is ClockState.NOT_STARTED:
                continue
            state = s.state.value.replace("_", " ") + (", at risk" if s.at_risk else "")
            colour = "#fff3cd" if s.at_risk else colours.get(s.state)
            style = f' style="background:{colour}"' if colour else ""
            rows.append(
                f"<tr{style}><td>{esc(s.clock.value)}</td><td>{esc(s.rule)}</td>"
                f"<td>{esc(state)}</td><td>{esc(s.tier.value if s.tier else '')}</td>"
                f"<td>{when(s.started)}</td><td>{when(s.deadline)}</td><td>{when(s.stopped)}</td>"
                f"<td>{span(s.elapsed)}</td><td>{span(s.remaining)}</td></tr>"
            )
        body = "".join(rows) or '<tr><td colspan="9">no clock has started</td></tr>'
        return (
            '<table class="fieldservice-sla">'
            f"<caption>SLA clocks at {when(self.at)} ({esc(self.at.timezone_name or '')})</caption>"
            "<thead><tr><th>clock</th><th>rule</th><th>state</th><th>tier</th><th>started</th>"
            "<th>deadline</th><th>stopped</th><th>elapsed</th><th>remaining</th></tr></thead>"
            f"<tbody>{body}</tbody></table>"
        )


def _record(status: ClockStatus) -> dict[str, object]:
    return {
        "clock": status.clock.value,
        "rule": status.rule,
        "state": status.state.value,
        "tier": None if status.tier is None else status.tier.value,
        "started": status.started,
        "deadline": status.deadline,
        "stopped": status.stopped,
        "elapsed_s": status.elapsed.total_seconds(),
        "remaining_s": status.remaining.total_seconds(),
        "at_risk": status.at_risk,
    }


def _instant(epoch: float, tz: str) -> pendulum.DateTime:
    return pendulum.from_timestamp(epoch, tz=tz)


def _seconds(value: float) -> dt.timedelta:
    return dt.timedelta(seconds=round(value, 6))


def _gaps(
    start: float, end: float, std: ServiceStandard
) -> tuple[tuple[pendulum.DateTime, pendulum.DateTime], ...]:
    calendar = ServiceCalendar.for_clocks(std)
    tz = std.timezone
    return tuple(calendar.closed_intervals(_instant(start, tz), _instant(end, tz)))


def _not_started(name: ClockName, basis: ClockBasis) -> ClockStatus:
    return ClockStatus(
        clock=name,
        state=ClockState.NOT_STARTED,
        basis=basis,
        tier=None,
        limit=dt.timedelta(0),
        started=None,
        deadline=None,
        stopped=None,
        elapsed=dt.timedelta(0),
        remaining=dt.timedelta(0),
        paused=(),
        at_risk=False,
    )


def evaluate(
    order: Orderish, *, at: dt.datetime, standard: ServiceStandard | None = None
) -> SlaReport:
    """Judge every clock of one order at ``at``.

    Args:
        order: A work order (anything with ``.events``) or its events in time order.
        at: The instant to judge at; events after it are ignored.
        standard: The standard whose limits and calendar apply: the order's own
            when left out (a bare event log needs it).

    Raises:
        InvalidInput: ``at`` is naive, or an event's data is malformed.
        InvalidEvent: The events are not in time order.
        StandardMismatch: ``standard`` differs from the order's own.

    >>> import pendulum, fieldservice as fs
    >>> from fieldservice.events import Event
    >>> t = pendulum.datetime(2026, 11, 24, 10, tz="Asia/Shanghai")
    >>> log = [Event("reported", t, actor="desk", data={"tier": "diamond", "area": "city"}),
    ...        Event("cleared", t.add(hours=20), actor="T7")]
    >>> evaluate(log, at=t.add(days=2), standard=fs.ServiceStandard.default())["repair"].state
    <ClockState.MET: 'met'>
    """
    standard = standard_of(order, standard)
    when = _validate.aware("at", at)
    at_epoch = when.timestamp()
    lim = _Limits.compile(_standard(standard))
    clocks, area = _scan(events_of(order), at_epoch, lim)
    tz = standard.timezone
    statuses = []
    for index, name in enumerate(_CLOCKS):
        basis = ClockBasis.WALL if index >= _WINDOWED else lim.basis(index)
        clock = clocks.get(index)
        if clock is None:
            statuses.append(_not_started(name, basis))
            continue
        state, deadline, elapsed, limit, at_risk = _judge(clock, index, area, at_epoch, lim)
        risk_from = _at_risk_from(clock, index, area, at_epoch, lim)
        capped = _capped(clock, index, area, at_epoch, lim)
        stopped = clock.stop if clock.stop is not None else clock.cancelled
        service = basis is ClockBasis.SERVICE
        statuses.append(
            ClockStatus(
                clock=name,
                state=_STATES[state],
                basis=basis,
                tier=None if index >= _WINDOWED else _TIERS[clock.tier],
                limit=_seconds(limit),
                started=_instant(clock.start, tz),
                deadline=_instant(deadline, tz),
                stopped=_instant(stopped, tz) if stopped is not None else None,
                elapsed=_seconds(elapsed),
                remaining=_seconds(limit - elapsed),
                paused=tuple(
                    Pause(_instant(p[0], tz), _instant(p[1], tz) if len(p) == 2 else None)
                    for p in clock.pauses
                ),
                at_risk=at_risk,
                at_risk_from=None if risk_from is None else _instant(risk_from, tz),
                capped=capped,
                calendar_gaps=_gaps(clock.start, deadline, standard)
                if service and not capped
                else (),
            )
        )
    return SlaReport(at=when.in_timezone(tz), clocks=tuple(statuses))


# --- the batch path --------------------------------------------------------------------


@attrs.frozen
class SlaBatch:
    """The clocks of many orders in columns: one array per field and clock.

    Built by :func:`evaluate_many`; rows are orders in input order. The columns
    hold the same numbers :func:`evaluate` gives (epoch seconds, seconds, state
    codes); :meth:`report` builds one order's :class:`SlaReport` on demand.

    >>> import pendulum, fieldservice as fs
    >>> from fieldservice.events import Event
    >>> from fieldservice.sla import evaluate_many, ClockName, ClockState
    >>> t = pendulum.datetime(2026, 11, 24, 10, tz="Asia/Shanghai")
    >>> orders = [[Event("reported", t, actor="desk", data={"tier": tier})]
    ...           for tier in ("diamond", "ordinary")]
    >>> batch = evaluate_many(orders, at=t.add(hours=30), standard=fs.ServiceStandard.default())
    >>> batch.states(ClockName.REPAIR)
    [<ClockState.BREACHED: 'breached'>, <ClockState.RUNNING: 'running'>]
    """

    at: pendulum.DateTime
    standard: ServiceStandard
    ids: tuple[str, ...]
    state: Mapping[ClockName, array[int]]
    deadline: Mapping[ClockName, array[float]]
    elapsed: Mapping[ClockName, array[float]]
    limit: Mapping[ClockName, array[float]]
    at_risk: Mapping[ClockName, array[int]]
    tier: Mapping[ClockName, array[int]]
    """Per clock, the index in ``tuple(Tier)`` of the tier that governs it."""

    def __len__(self) -> int:
        return len(self.ids)

    def states(self, clock: ClockName) -> list[ClockState]:
        """The state of ``clock`` for every order."""
        return [_STATES[s] for s in self.state[clock]]

    def report(self, row: int, order: Orderish) -> SlaReport:
        """The full report of the order in ``row`` (it must be the same order)."""
        return evaluate(order, at=self.at, standard=self.standard)


def evaluate_many(
    orders: Iterable[Orderish], *, at: dt.datetime, standard: ServiceStandard | None = None
) -> SlaBatch:
    """Judge the clocks of many orders at once, in columns, with the numbers of :func:`evaluate`.

    It keeps no state between calls, so a caller with more orders than one
    machine holds runs it per partition (Dask, Spark) and concatenates.

    Args:
        orders: Work orders or event logs, any iterable (read once).
        at: The instant to judge at.
        standard: The standard whose limits and calendar apply: when left out,
            the orders' own (they must share one; bare event logs need it).

    Raises:
        InvalidInput: ``at`` is naive, or an event's data is malformed.
        InvalidEvent: An order's events are not in time order.
        StandardMismatch: An order is under another standard.
    """
    rows = orders if isinstance(orders, list | tuple) else list(orders)
    if standard is None:
        if not rows:
            msg = "pass standard=: there is no order to take it from"
            raise InvalidInput(msg)
        standard = standard_of(rows[0], None)
    when = _validate.aware("at", at)
    at_epoch = when.timestamp()
    lim = _Limits.compile(_standard(standard))
    n = len(rows)
    # Columns are made whole up front and filled by index: a clock not started keeps
    # the defaults, so the loop touches only the clocks an order has started.
    state = {c: array("b", bytes(n)) for c in _CLOCKS}
    deadline = {c: array("d", [math.nan]) * n for c in _CLOCKS}
    elapsed = {c: array("d", [0.0]) * n for c in _CLOCKS}
    limit = {c: array("d", [0.0]) * n for c in _CLOCKS}
    at_risk = {c: array("b", bytes(n)) for c in _CLOCKS}
    tiers = {c: array("b", bytes(n)) for c in _CLOCKS}
    columns = [(state[c], deadline[c], elapsed[c], limit[c], at_risk[c], tiers[c]) for c in _CLOCKS]
    ids = [None] * n
    judge = _judge
    scan = _scan
    for row, order in enumerate(rows):
        ids[row] = getattr(order, "id", None)
        own = getattr(order, "standard", standard)
        if own is not standard:
            standard_of(order, standard)  # raises unless it is an equal standard
        clocks, area = scan(events_of(order), at_epoch, lim)
        for index, clock in clocks.items():
            s, d, e, li, r = judge(clock, index, area, at_epoch, lim)
            col_s, col_d, col_e, col_l, col_r, col_t = columns[index]
            col_s[row] = s
            col_d[row] = d
            col_e[row] = e
            col_l[row] = li
            col_r[row] = r
            col_t[row] = clock.tier
    return SlaBatch(
        at=when.in_timezone(standard.timezone),
        standard=standard,
        ids=tuple(str(row) if i is None else str(i) for row, i in enumerate(ids)),
        state=state,
        deadline=deadline,
        elapsed=elapsed,
        limit=limit,
        at_risk=at_risk,
        tier=tiers,
    )


def breaches(batch: SlaBatch, clock: ClockName | None = None) -> list[tuple[str, ClockName]]:
    """The (order id, clock) pairs that are breached, in order.

    >>> import pendulum, fieldservice as fs
    >>> from fieldservice.events import Event
    >>> t = pendulum.datetime(2026, 11, 24, 10, tz="Asia/Shanghai")
    >>> batch = evaluate_many([[Event("reported", t, actor="desk", data={"tier": "diamond"})]],
    ...                       at=t.add(hours=25), standard=fs.ServiceStandard.default())
    >>> breaches(batch)
    [('0', <ClockName.REPAIR: 'repair'>)]
    """
    wanted = _CLOCKS if clock is None else (_clock(clock),)
    return [
        (batch.ids[row], name)
        for row in range(len(batch))
        for name in wanted
        if batch.state[name][row] == _S_BREACHED
    ]


@attrs.frozen
class TierSummary:
    """How one clock fared for one tier: counts, share met, elapsed percentiles.

    ``met_share`` is met / (met + breached), or None when nothing has finished.
    """

    clock: ClockName
    tier: Tier
    count: int
    running: int
    met: int
    breached: int
    met_share: float | None
    median_elapsed: dt.timedelta | None
    p95_elapsed: dt.timedelta | None


def summarize(batch: SlaBatch, clock: ClockName) -> tuple[TierSummary, ...]:
    """A compact per-tier summary of one clock, highest tier first, for reports.

    >>> import pendulum, fieldservice as fs
    >>> from fieldservice.events import Event
    >>> from fieldservice.sla import ClockName
    >>> t = pendulum.datetime(2026, 11, 24, 10, tz="Asia/Shanghai")
    >>> batch = evaluate_many([[Event("reported", t, actor="desk", data={"tier": "gold"}),
    ...                         Event("cleared", t.add(hours=2), actor="T7")]],
    ...                       at=t.add(hours=3), standard=fs.ServiceStandard.default())
    >>> gold = summarize(batch, ClockName.REPAIR)[1]
    >>> gold.tier, gold.met, gold.met_share, gold.median_elapsed
    (<Tier.GOLD: 'gold'>, 1, 1.0, datetime.timedelta(seconds=7200))
    """
    clock = _clock(clock)
    by_tier: dict[int, list[int]] = {}
    tiers = batch.tier[clock]
    for row, state in enumerate(batch.state[clock]):
        if state != _S_NOT_STARTED:
            by_tier.setdefault(tiers[row], []).append(row)
    out = []
    for tier in sorted(Tier, reverse=True):
        rows = by_tier.get(_TIERS.index(tier), [])
        states = [batch.state[clock][r] for r in rows]
        met = states.count(_S_MET)
        breached = states.count(_S_BREACHED)
        running = states.count(_S_RUNNING) + states.count(_S_PAUSED)
        elapsed = sorted(batch.elapsed[clock][r] for r in rows)
        out.append(
            TierSummary(
                clock=clock,
                tier=tier,
                count=len(rows),
                running=running,
                met=met,
                breached=breached,
                met_share=met / (met + breached) if met + breached else None,
                median_elapsed=_seconds(statistics.median(elapsed)) if elapsed else None,
                p95_elapsed=_seconds(
                    elapsed[min(len(elapsed) - 1, math.ceil(0.95 * len(elapsed)) - 1)]
                )
                if elapsed
                else None,
            )
        )
    return tuple(out)
