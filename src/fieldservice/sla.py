"""SLA clocks: every time limit of the standard as a pure function of (events, standard, at).

A clock starts and stops on events of the order's log (:mod:`fieldservice.events`),
counts wall time or the calendar's service time (:class:`~fieldservice.standard.ClockBasis`),
and may be paused by the customer. Nothing here reads the clock or knows the
workflow: give it the events and the instant to judge at.

========================  =====  ==============================  ============================  ==========
clock                     rule   starts (restarts) on            stops on                      limit
========================  =====  ==============================  ============================  ==========
``booking_contact``       B3     accepted, resources_built,      contacted, booked,            per tier
                                 customer_absent (K3)            resource_notice_given
``resource_notice``       R1     resources_missing               resource_notice_given         per tier
``remote_follow_up``      F2     remote_guidance_given           followed_up                   30 min
``repair``                F4     reported                        cleared                       per tier
``arrival``               T2     booked, rescheduled,            arrived                       the window
                                 confirmed (C1)
``confirmation``          C1     booked, rescheduled             confirmed                     09:00 of
                                                                                               the day
``punctuality``           T2     confirmed                       arrived                       the hour's
                                                                                               start
``missed_window``         B8     a reschedule after the          (breached when it starts)     the window's
                                 window in force began                                         start
``missed_confirmation``   C1     a reschedule or new booking     (breached when it starts)     09:00 of the
                                 after a late or missing                                       old day
                                 confirmation
========================  =====  ==============================  ============================  ==========

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
  day, and not started for a booking made after that instant. A reschedule (or
  a new booking after K3) restarts it for the new day; if the old day's
  confirmation came late or not at all, ``missed_confirmation`` keeps that
  breach, at once and for good, as ``missed_window`` keeps a missed window.
  ``punctuality``
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
import importlib
import math
import sys
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, ClassVar, TypeAlias, cast

import attrs
import pendulum

from fieldservice import _labels, _time, _validate
from fieldservice.errors import FieldServiceError, InvalidInput, StandardMismatch
from fieldservice.events import (
    Event,
    EventKind,
    HasEvents,
    PackedLog,
    check_time_order,
    events_of,
    log_of,
)
from fieldservice.model import Area, Tier
from fieldservice.payloads import Booked
from fieldservice.servicecal import ServiceCalendar
from fieldservice.standard import LEGAL_REPAIR_CEILING, ClockBasis, ServiceStandard, standard_of
from fieldservice.visits import NOTHING_BOOKED, Appointment, changes_appointment

if TYPE_CHECKING:
    from fieldservice import columnar  # at run time only where Arrow is used

__all__ = [
    "COMPILED_FROM",
    "RELATIVE_ACCURACY",
    "ClockName",
    "ClockState",
    "ClockStatus",
    "HasEvents",
    "OrderClocks",
    "OrderJudge",
    "Pause",
    "SlaBatch",
    "SlaReport",
    "SlaSummary",
    "TierSummary",
    "breaches",
    "evaluate",
    "evaluate_many",
    "evaluate_table",
    "shown_id",
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
    MISSED_CONFIRMATION = "missed_confirmation"

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
    ClockName.MISSED_CONFIRMATION: "C1",
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
_UNCONFIRMED = 10  # the confirmation clock is about to restart: keep a breach of it (C1)
_WINDOWED = 4  # clocks from this index on are judged against a window, in wall time
_PAUSABLE = frozenset({0, 1, 3})  # booking_contact, resource_notice, repair
_CUSTOMER_REASONS = frozenset({"customer_request", "waiting_for_customer"})

_EFFECTS: dict[EventKind, tuple[tuple[int, int], ...]] = {
    EventKind.ACCEPTED: ((_START, 0),),
    EventKind.RESOURCES_BUILT: ((_START, 0),),
    EventKind.CUSTOMER_ABSENT: ((_START, 0),),
    EventKind.CONTACTED: ((_STOP, 0),),
    EventKind.BOOKED: ((_STOP, 0), (_UNCONFIRMED, 8), (_WINDOW, 4), (_CONFIRM_BY, 5), (_DROP, 6)),
    EventKind.RESCHEDULED: (
        (_MISSED, 7),
        (_UNCONFIRMED, 8),
        (_WINDOW, 4),
        (_CONFIRM_BY, 5),
        (_DROP, 6),
    ),
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


# What the scan does with each kind, looked up once per event: most events are plain.
_PLAIN, _OPENS, _TIER, _VISIT = 0, 1, 2, 3


def _scan_role(kind: EventKind) -> tuple[int, Any]:
    if kind.value in ("accepted", "reported"):
        role = _OPENS
    elif kind.value == "tier_changed":
        role = _TIER
    elif changes_appointment(kind):
        role = _VISIT
    else:
        role = _PLAIN
    return role, _EFFECTS_OF.get(kind.value)


_SCAN_ROLE: dict[str, tuple[int, Any]] = {kind.value: _scan_role(kind) for kind in EventKind}

# A booking or confirmation the appointment ignores (after a cancellation; a confirmation
# with nothing live to confirm) promises no window: only its plain stops still count.
_IGNORED_VISIT_EFFECTS: dict[str, tuple[tuple[int, int], ...]] = {
    kind: tuple(effect for effect in effects if effect[0] == _STOP)
    for kind, effects in _EFFECTS_OF.items()
}


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
        role, effects = _SCAN_ROLE[event.kind._value_]
        if role == _PLAIN:
            if effects is None:
                continue
        elif role == _OPENS:
            opened: Any = event.data  # an Opened payload: tier and area, typed
            tier = _ORDINARY if opened.tier is None else _TIER_AT[opened.tier]
            area = 0 if opened.area is None else _AREA_AT[opened.area]
        elif role == _TIER:
            tier = _TIER_AT[event.data.tier]  # type: ignore[attr-defined]
            continue
        before = visit
        if role == _VISIT:
            visit = visit.after(event)
            if visit is before and effects is not None:
                effects = _IGNORED_VISIT_EFFECTS[event.kind._value_]
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
                promised_start, promised_end = visit.promised_start, visit.promised_end
                if promised_start is None or promised_end is None:
                    continue  # nothing booked: no window to judge the arrival against
                clock = clocks.get(index)
                if clock is None:
                    clock = clocks[index] = _Clock(0.0, tier)
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
            elif action == _UNCONFIRMED:
                old = clocks.get(5)
                if index not in clocks and old is not None and old.cancelled is None:
                    due = old.window_end
                    done = old.stop
                    if (done if done is not None else when) > due:
                        # Confirmed after the old day's confirm-by time, or not at all
                        # before the visit moved: the breach stays in the record (C1).
                        clock = clocks[index] = _Clock(due, tier)
                        clock.window_end = due
                        clock.stop = when if done is None else done
            elif action == _CANCEL:
                for clock in clocks.values():
                    if clock.stop is None and clock.cancelled is None:
                        clock.cancelled = when
            else:
                _pause_or_resume(clocks, event, when, action == _PAUSE)
    return clocks, area


def _pause_targets(data: Any, pause: bool) -> Iterable[int]:
    """The clocks, by index, a ``clock_paused`` or ``clock_resumed`` payload acts on."""
    if pause and data.reason not in _CUSTOMER_REASONS:
        return ()  # only the customer pauses a clock; provider delays never do
    named = data.clocks
    if named is None:
        return _PAUSABLE
    return (_INDEX[ClockName(n)] for n in named if n in ClockName._value2member_map_)


def _pause_or_resume(clocks: dict[int, _Clock], event: Event, when: float, pause: bool) -> None:
    for index in _pause_targets(event.data, pause):
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
    calendar: ServiceCalendar = attrs.field(eq=False)
    """The calendar of ``to_service`` and ``from_service``."""
    due_by_day: dict[dt.date, float] = attrs.field(factory=dict, eq=False)
    """The confirm-by instant of each visit day met so far: a few days per call."""

    def confirm_due(self, visit: Appointment, booked: float) -> float | None:
        """When the visit's day-of confirmation is due (C1); None if booked after it."""
        if visit.booking is None:
            return None
        due = self.due_of(visit.booking)
        return None if booked >= due else due

    def due_of(self, booking: Booked) -> float:
        """The confirm-by instant of the day of ``booking`` (C1), epoch seconds."""
        day = booking.date
        if day is None:
            day = booking.start.astimezone(self.zone).date()
        due = self.due_by_day.get(day)
        if due is None:
            due = self.due_by_day[day] = float(_time.wall_epoch(self.zone, day, self.confirm_by))
        return due

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
            calendar=calendar,
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
    order_id: str | None = attrs.field(default=None, kw_only=True, repr=_validate.id_repr)
    """The ID of the order judged (None for a bare event log)."""

    def __getitem__(self, name: ClockName | str) -> ClockStatus:
        return self.clocks[_INDEX[_clock(name)]]

    def __iter__(self) -> Iterator[ClockStatus]:
        return iter(self.clocks)

    @property
    def breached(self) -> tuple[ClockStatus, ...]:
        """The clocks that are breached."""
        return tuple(c for c in self.clocks if c.state is ClockState.BREACHED)

    def to_records(self) -> list[dict[str, object]]:
        """One plain dict per started clock, with the order's ID, ready for ``pandas.DataFrame``.

        >>> import pendulum, fieldservice as fs
        >>> from fieldservice.synthetic import synthetic_order
        >>> order = synthetic_order(1)
        >>> report = evaluate(order, at=pendulum.datetime(2026, 12, 1, tz="UTC"))
        >>> {r["order_id"] for r in report.to_records()}
        {'WO-1'}
        """
        order_id = self.order_id
        return [_record(s, order_id) for s in self.clocks if s.state is not ClockState.NOT_STARTED]

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


def _record(status: ClockStatus, order_id: str | None) -> dict[str, object]:
    return {
        "order_id": order_id,
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
    order_id = getattr(order, "id", None)
    return SlaReport(
        at=when.in_timezone(tz),
        clocks=tuple(statuses),
        order_id=None if order_id is None else str(order_id),
    )


# --- the batch path --------------------------------------------------------------------


@attrs.frozen(repr=False)
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

    def __repr__(self) -> str:
        # Short: a batch of a million orders must not print a million numbers per column.
        breached = sum(col.count(_S_BREACHED) for col in self.state.values())
        return (
            f"<SlaBatch {len(self)} orders at {self.at.isoformat()} under "
            f"{self.standard.name!r}: {breached} breached clocks>"
        )

    def to_records(self) -> list[dict[str, object]]:
        """One plain dict per order and started clock, with the order's ID, for data frames.

        Deadlines are timezone-aware instants in the standard's zone; elapsed and
        limit are seconds in the clock's own time.

        >>> import pendulum, fieldservice as fs
        >>> from fieldservice.synthetic import synthetic_order
        >>> orders = [synthetic_order(1), synthetic_order(2)]
        >>> batch = evaluate_many(orders, at=pendulum.datetime(2026, 12, 1, tz="UTC"))
        >>> batch  # doctest: +ELLIPSIS
        <SlaBatch 2 orders at 2026-12-01T08:00:00+08:00 under 'default': ... breached clocks>
        >>> sorted({r["order_id"] for r in batch.to_records()})
        ['WO-1', 'WO-2']
        """
        tz = self.standard.timezone
        out: list[dict[str, object]] = []
        for row, order_id in enumerate(self.ids):
            for name in _CLOCKS:
                state = self.state[name][row]
                if state == _S_NOT_STARTED:
                    continue
                out.append(
                    {
                        "order_id": order_id,
                        "clock": name.value,
                        "rule": name.rule,
                        "state": _STATES[state].value,
                        "tier": None
                        if name is ClockName.ARRIVAL
                        else _TIERS[self.tier[name][row]].value,
                        "deadline": _instant(self.deadline[name][row], tz),
                        "elapsed_s": self.elapsed[name][row],
                        "limit_s": self.limit[name][row],
                        "at_risk": bool(self.at_risk[name][row]),
                    }
                )
        return out


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
    kernel = _KernelTables.made(lim) if n >= COMPILED_FROM or _KernelTables.warm() else None
    if kernel is not None:
        compiled = _compiled_batch(kernel, rows, standard, when)
        if compiled is not None:
            return compiled
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


COMPILED_FROM = 50_000
"""From this many orders (or rows of a table's part), the compiled judge is used when the
``fast`` extra is installed: below it, loading the compiled code (about 0.3 s from numba's
cache) costs more than it saves. Once loaded in a process, it judges every call.

>>> COMPILED_FROM
50000
"""


def _compiled_batch(
    kernel: _KernelTables,
    rows: Sequence[Orderish],
    standard: ServiceStandard,
    when: pendulum.DateTime,
) -> SlaBatch | None:
    """:func:`evaluate_many` by the compiled judge, or None where Python must decide."""
    judged = kernel.judge_logs(rows, standard, when.timestamp())
    if judged is None:
        return None
    ids, (state, tier, deadline, elapsed, limit, risk) = judged
    np = kernel.np

    def column(values: Any, code: str, index: int) -> array[Any]:
        out = array(code)
        # One copy, not two: the array reads the contiguous column's buffer as bytes.
        out.frombytes(memoryview(np.ascontiguousarray(values[:, index])).cast("B"))
        return out

    tiers = tier.astype(np.int8)
    return SlaBatch(
        at=when.in_timezone(standard.timezone),
        standard=standard,
        ids=tuple(ids),
        state={c: column(state, "b", i) for i, c in enumerate(_CLOCKS)},
        deadline={c: column(deadline, "d", i) for i, c in enumerate(_CLOCKS)},
        elapsed={c: column(elapsed, "d", i) for i, c in enumerate(_CLOCKS)},
        limit={c: column(limit, "d", i) for i, c in enumerate(_CLOCKS)},
        at_risk={c: column(risk, "b", i) for i, c in enumerate(_CLOCKS)},
        tier={c: column(tiers, "b", i) for i, c in enumerate(_CLOCKS)},
    )


_CLOCK_KINDS: frozenset[str] = (
    frozenset(_EFFECTS_OF)
    | {"tier_changed"}
    | {k.value for k in EventKind if changes_appointment(k)}  # the visit view's kinds
)
"""The event kinds a clock reads; the light path builds events of these kinds only."""


@attrs.frozen
class OrderClocks:
    """One order's clocks in plain numbers, by clock index (:class:`ClockName` order).

    ``state`` holds :class:`ClockState` codes (their index in ``tuple(ClockState)``),
    ``tier`` indexes in ``tuple(Tier)``; ``deadline`` is epoch seconds (NaN if
    the clock has not started), ``elapsed`` and ``limit`` seconds, as in
    :class:`SlaBatch`'s columns.

    >>> OrderClocks("WO-1", (0,) * 5, (0,) * 5, (math.nan,) * 5, (0.0,) * 5, (0.0,) * 5,
    ...             (0,) * 5).states()[0]
    <ClockState.NOT_STARTED: 'not_started'>
    """

    id: str = attrs.field(repr=_validate.id_repr)
    state: tuple[int, ...]
    tier: tuple[int, ...]
    deadline: tuple[float, ...]
    elapsed: tuple[float, ...]
    limit: tuple[float, ...]
    at_risk: tuple[int, ...]

    def states(self) -> list[ClockState]:
        """The state of every clock, in :class:`ClockName` order."""
        return [_STATES[s] for s in self.state]

    def breached(self) -> list[ClockName]:
        """The clocks that are breached."""
        return [name for name, s in zip(_CLOCKS, self.state, strict=True) if s == _S_BREACHED]


class OrderJudge:
    """Judge orders one at a time from their JSON data: the streaming path of big files.

    :meth:`judge` takes one parsed line of :meth:`WorkOrder.to_json
    <fieldservice.workflow.WorkOrder.to_json>` and returns its clocks with the
    numbers of :func:`evaluate`, without restoring the order: only the events
    a clock reads are built (and checked), nothing personal is read, and
    nothing is kept between calls, so memory stays flat however many orders
    pass through.

    Raises (from :meth:`judge`):
        InvalidInput: The data is not an order, or an event's data is malformed.
        InvalidEvent: The events are malformed or not in time order.
        StandardMismatch: The order was written under another standard.

    >>> import pendulum, fieldservice as fs
    >>> from fieldservice.synthetic import synthetic_order
    >>> order = synthetic_order(5)
    >>> at = pendulum.datetime(2026, 12, 1, tz="Asia/Shanghai")
    >>> judge = OrderJudge(at=at, standard=order.standard)
    >>> row = judge.judge(order.to_dict())
    >>> row.states() == [c.state for c in evaluate(order, at=at)]
    True
    """

    KINDS: ClassVar[frozenset[str]] = _CLOCK_KINDS
    """The values of the event kinds a clock reads; a reader may skip every other event.

    >>> "booked" in OrderJudge.KINDS, "signed" in OrderJudge.KINDS
    (True, False)
    """

    def __init__(self, *, at: dt.datetime, standard: ServiceStandard) -> None:
        self.standard = _standard(standard)
        when = _validate.aware("at", at)
        self.at = when.in_timezone(standard.timezone)
        self._at = when.timestamp()
        self._lim = _Limits.compile(standard)

    def __repr__(self) -> str:
        return f"OrderJudge(at={self.at.isoformat()!r}, standard={self.standard.name!r})"

    def judge(self, data: Mapping[str, Any]) -> OrderClocks:
        """The clocks of one order given as the data of its JSON line."""
        if type(data) is not dict and not isinstance(data, Mapping):
            msg = f"an order must be a JSON object (got {type(data).__name__})"
            raise InvalidInput(msg)
        order_id = data.get("id")
        raw = data.get("events")
        if not isinstance(order_id, str) or not isinstance(raw, list):
            msg = "an order needs an id (text) and its events (a list)"
            raise InvalidInput(msg)
        # The ID is shown in reports: it must pass the ID check first (G1: it may be anything).
        _validate.identifier("order id", order_id)
        recorded = data.get("standard")
        if recorded is not None:
            digest = recorded.get("digest") if isinstance(recorded, Mapping) else None
            if digest != self.standard.digest:
                name = recorded.get("name") if isinstance(recorded, Mapping) else None
                # With the digests: two versions of one standard may share its name.
                std = self.standard
                msg = (
                    f"the order was written under the standard "
                    f"{_validate.standard_shown(name, digest)}, not "
                    f"{_validate.standard_shown(std.name, std.digest)}; "
                    "judge it under its own standard (--standard)"
                )
                raise StandardMismatch(msg)
        kinds = _CLOCK_KINDS
        from_dict = Event.from_dict
        events = []
        for item in raw:
            kind = item.get("kind") if isinstance(item, dict) else None
            # Not text first: a list or object cannot be looked up in a set.
            if type(kind) is not str or kind in kinds:
                events.append(from_dict(item))  # checks it, and refuses what is malformed
        return self._clocks(order_id, events)

    def judge_events(self, order_id: str, events: Sequence[Event]) -> OrderClocks:
        """The clocks of one order given as its ID and its events, in log order.

        For readers that build the events themselves, such as
        :func:`fieldservice.columnar.order_events`; events of kinds outside
        :attr:`KINDS` may be left out, as no clock reads them.

        Raises:
            InvalidInput: The order ID is malformed, or an item is not an
                :class:`~fieldservice.events.Event`.
            InvalidEvent: The events are not in time order.

        >>> import pendulum
        >>> from fieldservice.synthetic import synthetic_order
        >>> order = synthetic_order(5)
        >>> judge = OrderJudge(at=pendulum.datetime(2026, 12, 1, tz="UTC"), standard=order.standard)
        >>> judge.judge_events(order.id, order.events) == judge.judge(order.to_dict())
        True
        """
        _validate.identifier("order id", order_id)
        if not isinstance(events, Sequence):
            try:
                events = tuple(events)  # an iterator is read once, here, not by the check
            except TypeError:
                msg = f"events must be a sequence of Event objects (got {type(events).__name__})"
                raise InvalidInput(msg) from None
        for event in events:
            if not isinstance(event, Event):
                msg = (
                    f"events must be Event objects (got {type(event).__name__}); read them "
                    "with Event.from_dict or columnar.order_events"
                )
                raise InvalidInput(msg)
        return self._clocks(order_id, events)

    def _clocks(self, order_id: str, events: Sequence[Event]) -> OrderClocks:
        clocks, area = _scan(events, self._at, self._lim)
        n = len(_CLOCKS)
        state = [0] * n
        tier = [0] * n
        deadline = [math.nan] * n
        elapsed = [0.0] * n
        limit = [0.0] * n
        at_risk = [0] * n
        for index, clock in clocks.items():
            s, d, e, li, r = _judge(clock, index, area, self._at, self._lim)
            state[index], deadline[index], elapsed[index] = s, d, e
            limit[index], at_risk[index], tier[index] = li, int(r), clock.tier
        return OrderClocks(
            order_id,
            tuple(state),
            tuple(tier),
            tuple(deadline),
            tuple(elapsed),
            tuple(limit),
            tuple(at_risk),
        )


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
            source; 1 judges them in this process.

    Raises:
        InvalidInput: The ``arrow`` extra is missing, ``jobs`` is not a whole
            number from 1, or an event is malformed.

    >>> import pytest; _ = pytest.importorskip("pyarrow")
    >>> import pendulum
    >>> from fieldservice import columnar
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
    std = ServiceStandard.default() if standard is None else _standard(standard)
    when = _validate.aware("at", at)
    if type(jobs) is not int or jobs < 1:
        msg = f"jobs must be a whole number from 1 (got {_validate.echo(jobs)})"
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
        self.lim = _Limits.compile(standard)
        # Labels go in as indexes into these dictionaries: Arrow writes the text, not Python.
        self.labels = {
            "clock": pa.array([c.value for c in _CLOCKS]),
            "rule": pa.array([c.rule for c in _CLOCKS]),
            "state": pa.array([s.value for s in _STATES]),
            "tier": pa.array([t.value for t in _TIERS]),
        }
        self.deadline_type = pa.timestamp("us", tz=standard.timezone)
        self.compiled = compiled
        self._kernel: _KernelTables | None = None

    @property
    def kernel(self) -> _KernelTables | None:
        """The compiled judge's tables, made on first use; None without the ``fast`` extra."""
        if self._kernel is None and self.compiled:
            self._kernel = _KernelTables.made(self.lim)
            self.compiled = self._kernel is not None
        return self._kernel

    def clocks(self, part: Any) -> Any:
        """One row per order of ``part`` and started clock."""
        if self.compiled and (part.num_rows >= COMPILED_FROM or _KernelTables.warm()):
            kernel = self.kernel
            table = None if kernel is None else self._compiled(part, kernel)
            if table is not None:
                return table
        return self._in_python(part)

    def _compiled(self, part: Any, kernel: _KernelTables) -> Any:
        """The clocks of ``part`` by the compiled judge; None where Python must decide."""
        from fieldservice import columnar

        columns = columnar.mark_columns(part, kinds=_CLOCK_KINDS)
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
        for order_id, marks in columnar.order_marks(part, kinds=_CLOCK_KINDS):
            _validate.identifier("order id", order_id)
            # Marks carry what the scan reads (kind, epoch, data, at), checked by the reader.
            clocks, area = _scan(cast("Sequence[Event]", marks), when, lim)
            for index in sorted(clocks):
                clock = clocks[index]
                state, deadline, elapsed, limit, at_risk = _judge(clock, index, area, when, lim)
                add((order_id, index, state, clock.tier, deadline, elapsed, limit, at_risk))
        columns = list(zip(*rows, strict=True)) or [()] * 8  # the eight values of a row
        return self._table(*columns)


class _KernelTables:
    """The clock rules and limits as the compiled judge reads them (the ``fast`` extra).

    Made once per standard from the tables the Python scan reads: what each
    event kind does (``_EFFECTS``, ``_SCAN_ROLE``), the limits (``_Limits``);
    each part's distinct (kind, data) pairs are turned into numbers here.
    """

    def __init__(self, lim: _Limits, kernel: Any) -> None:
        import numpy as np

        self.np = np
        self.kernel = kernel
        self.lim = lim
        kinds = tuple(EventKind)
        self.kind_at = {kind: i for i, kind in enumerate(kinds)}
        width = max(len(effects) for effects in _EFFECTS.values())
        actions = {
            _START: kernel.START, _STOP: kernel.STOP, _PAUSE: kernel.PAUSE,
            _RESUME: kernel.RESUME, _CANCEL: kernel.CANCEL, _WINDOW: kernel.WINDOW,
            _CONFIRM_BY: kernel.CONFIRM_BY, _PUNCTUAL: kernel.PUNCTUAL, _DROP: kernel.DROP,
            _MISSED: kernel.MISSED, _UNCONFIRMED: kernel.UNCONFIRMED,
        }  # fmt: skip
        roles = {_PLAIN: kernel.PLAIN, _OPENS: kernel.OPENS, _TIER: kernel.TIER}
        roles[_VISIT] = kernel.VISIT
        visits = {
            EventKind.BOOKED: kernel.V_BOOK,
            EventKind.RESCHEDULED: kernel.V_BOOK,
            EventKind.CONFIRMED: kernel.V_CONFIRM,
            EventKind.CUSTOMER_ABSENT: kernel.V_WITHDRAW,
            EventKind.CANCELLED: kernel.V_CANCEL,
        }
        self.role = np.array([roles[_SCAN_ROLE[k.value][0]] for k in kinds], np.int64)
        assert len(kinds) < 64  # a kind's code takes six bits of judge_logs' keys
        # Every member, keyed by itself (EventKind hashes by identity, in C); -1 for a kind
        # no clock reads. A kind that is no member is a KeyError: handed back to Python.
        self.clock_kind_code = {
            k: i if k.value in _CLOCK_KINDS else -1 for i, k in enumerate(kinds)
        }
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

        self.effects = np.stack((table(_EFFECTS_OF), table(_IGNORED_VISIT_EFFECTS)))
        self.seconds = np.array(lim.seconds, np.float64)
        self.service = np.array(lim.service, np.bool_)
        self.ceiling = np.array(lim.ceiling, np.float64)
        self.nclocks = len(_CLOCKS)
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
    def made(cls, lim: _Limits) -> _KernelTables | None:
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
            role = _SCAN_ROLE[value][0]
            payload: Any = data  # typed by its kind when the row was read
            if role == _OPENS:
                tier[i] = _ORDINARY if payload.tier is None else _TIER_AT[payload.tier]
                area[i] = 0 if payload.area is None else _AREA_AT[payload.area]
            elif role == _TIER:
                tier[i] = _TIER_AT[payload.tier]
            if isinstance(payload, Booked):
                start[i] = payload.start.timestamp()
                end[i] = payload.end.timestamp()
                due[i] = lim.due_of(payload)
            elif event_kind is EventKind.CONFIRMED:
                start[i] = payload.start.timestamp()
                end[i] = payload.end.timestamp()
            elif value in ("clock_paused", "clock_resumed"):
                targets = set(_pause_targets(payload, value == "clock_paused"))
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
        numbers = np.array([at, lim.at_risk_share, lim.tolerance, _ORDINARY], np.float64)
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


# The part judge of a worker process, made once by _start_part_judge.
_WORKER_PART_JUDGE: _PartJudge | None = None


def _start_part_judge(standard: ServiceStandard, at: dt.datetime) -> None:
    global _WORKER_PART_JUDGE  # one judge per worker process, made at its start
    _WORKER_PART_JUDGE = _PartJudge(standard, at)


def _judge_part(part: columnar.Part) -> Any:
    assert _WORKER_PART_JUDGE is not None  # set by _start_part_judge in every worker
    return _WORKER_PART_JUDGE.clocks(part.read())


def shown_id(order_id: str) -> str:
    """An order ID as a text report shows it: hidden if it may hold a phone number (G1).

    An ID with a run of nine or more digits is replaced, as every refusal that names
    an order replaces it; the ``--json`` output and :meth:`SlaBatch.to_records` keep
    every ID as it is, for the systems that read them.

    >>> shown_id("WO-20261124-0001"), shown_id("WO-13800138000")
    ('WO-20261124-0001', '(an order ID not shown)')
    """
    return _validate.id_text(order_id)


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
    The percentiles come from a :class:`SlaSummary`'s sketch: within its
    relative accuracy of the exact ones (exact for one value, or all equal).

    >>> TierSummary(ClockName.REPAIR, Tier.GOLD, 1, 0, 1, 0, 1.0, None, None).count
    1
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


RELATIVE_ACCURACY = 0.01
"""The relative accuracy of :class:`SlaSummary`'s percentiles: a percentile it
gives is within 1 % of a value at that rank (DDSketch's guarantee)."""

# Per (clock index, tier index): clocks, running (or paused), met, breached, cancelled.
_COUNTS = 5


def _sketch() -> Any:
    from ddsketch import DDSketch  # imported here: only summaries need it

    return DDSketch(relative_accuracy=RELATIVE_ACCURACY)


@attrs.define(eq=False)
class SlaSummary:
    """Per clock and tier: exact counts and mergeable elapsed-time percentiles.

    Made by :func:`summarize` (or empty, then fed with :meth:`add_batch` and
    :meth:`add_clocks`); two summaries of disjoint sets of orders
    :meth:`merge` into the summary of their union: counts add exactly, the
    percentiles come from DDSketch quantile sketches that merge without loss
    (:data:`RELATIVE_ACCURACY`), clamped to the exact minimum and maximum.
    As a sequence it holds :class:`TierSummary` rows, clock by clock in
    :class:`ClockName` order, highest tier first, for the clocks it was made for.

    >>> import pendulum, fieldservice as fs
    >>> from fieldservice.events import Event
    >>> t = pendulum.datetime(2026, 11, 24, 10, tz="Asia/Shanghai")
    >>> std = fs.ServiceStandard.default()
    >>> one = summarize(evaluate_many([[Event("reported", t, actor="d", data={"tier": "gold"})]],
    ...                               at=t.add(hours=2), standard=std))
    >>> two = summarize(evaluate_many([[Event("reported", t, actor="d", data={"tier": "gold"})]],
    ...                               at=t.add(hours=4), standard=std))
    >>> gold = one.merge(two).tiers(ClockName.REPAIR)[1]
    >>> gold.count, gold.running, gold.median_elapsed <= dt.timedelta(hours=4)
    (2, 2, True)
    """

    clocks: tuple[ClockName, ...] = _CLOCKS
    orders: int = 0
    _counts: dict[tuple[int, int], list[int]] = attrs.field(
        factory=dict, alias="counts", repr=False
    )
    _sketches: dict[tuple[int, int], Any] = attrs.field(factory=dict, alias="sketches", repr=False)
    _bounds: dict[tuple[int, int], list[float]] = attrs.field(
        factory=dict, alias="bounds", repr=False
    )

    def add_clocks(
        self, states: Sequence[int], tiers: Sequence[int], elapsed: Sequence[float]
    ) -> None:
        """Count one order's clocks: state codes, tier indexes and elapsed seconds by clock index.

        For streaming readers that judge an order at a time (:class:`OrderJudge`).
        """
        self.orders += 1
        for index, state in enumerate(states):
            if state != _S_NOT_STARTED:
                self._put(index, tiers[index], state, elapsed[index])

    def _put(self, index: int, tier: int, state: int, elapsed: float) -> None:
        key = (index, tier)
        counts = self._counts.get(key)
        if counts is None:
            counts = self._counts[key] = [0] * _COUNTS
            self._sketches[key] = _sketch()
            self._bounds[key] = [elapsed, elapsed]
        counts[0] += 1
        if state in (_S_RUNNING, _S_PAUSED):
            counts[1] += 1
        elif state == _S_MET:
            counts[2] += 1
        elif state == _S_BREACHED:
            counts[3] += 1
        else:
            counts[4] += 1
        self._sketches[key].add(elapsed)
        bounds = self._bounds[key]
        if elapsed < bounds[0]:
            bounds[0] = elapsed
        elif elapsed > bounds[1]:
            bounds[1] = elapsed

    def add_batch(self, batch: SlaBatch) -> None:
        """Count every order of a batch."""
        self.orders += len(batch)
        for index, name in enumerate(_CLOCKS):
            states, tiers, elapsed = batch.state[name], batch.tier[name], batch.elapsed[name]
            for row, state in enumerate(states):
                if state != _S_NOT_STARTED:
                    self._put(index, tiers[row], state, elapsed[row])

    def merge(self, other: SlaSummary) -> SlaSummary:
        """The summary of both sets of orders (neither summary changes).

        Raises:
            InvalidInput: ``other`` is not an :class:`SlaSummary`.
        """
        if not isinstance(other, SlaSummary):
            msg = f"only an SlaSummary merges with an SlaSummary (got {type(other).__name__})"
            raise InvalidInput(msg)
        clocks = tuple(c for c in _CLOCKS if c in self.clocks or c in other.clocks)
        out = SlaSummary(clocks=clocks, orders=self.orders + other.orders)
        for part in (self, other):
            for key, counts in part._counts.items():
                mine = out._counts.get(key)
                if mine is None:
                    out._counts[key] = list(counts)
                    out._sketches[key] = _sketch()
                    out._sketches[key].merge(part._sketches[key])
                    out._bounds[key] = list(part._bounds[key])
                    continue
                for i, value in enumerate(counts):
                    mine[i] += value
                out._sketches[key].merge(part._sketches[key])
                low, high = part._bounds[key]
                bounds = out._bounds[key]
                bounds[0], bounds[1] = min(bounds[0], low), max(bounds[1], high)
        return out

    def percentile(self, clock: ClockName | str, tier: Tier | str, q: float) -> float | None:
        """The ``q`` quantile (0 to 1) of elapsed seconds for a clock and tier, None if none."""
        key = (_INDEX[_clock(clock)], _TIERS.index(_validate.enum_member(Tier, "tier", tier)))
        sketch = self._sketches.get(key)
        if sketch is None:
            return None
        low, high = self._bounds[key]
        value = sketch.get_quantile_value(q)
        return float(min(max(value, low), high))

    def tiers(self, clock: ClockName | str) -> tuple[TierSummary, ...]:
        """The rows of one clock, highest tier first (a tier with no clock has count 0)."""
        clock = _clock(clock)
        index = _INDEX[clock]
        out = []
        for tier in sorted(Tier, reverse=True):
            counts = self._counts.get((index, _TIERS.index(tier)), [0] * _COUNTS)
            met, breached = counts[2], counts[3]
            median = self.percentile(clock, tier, 0.5)
            p95 = self.percentile(clock, tier, 0.95)
            out.append(
                TierSummary(
                    clock=clock,
                    tier=tier,
                    count=counts[0],
                    running=counts[1],
                    met=met,
                    breached=breached,
                    met_share=met / (met + breached) if met + breached else None,
                    median_elapsed=None if median is None else _seconds(round(median)),
                    p95_elapsed=None if p95 is None else _seconds(round(p95)),
                )
            )
        return tuple(out)

    def _rows(self) -> tuple[TierSummary, ...]:
        return tuple(row for clock in self.clocks for row in self.tiers(clock))

    def __len__(self) -> int:
        return len(self.clocks) * len(_TIERS)

    def __getitem__(self, item: int) -> TierSummary:
        return self._rows()[item]

    def __iter__(self) -> Iterator[TierSummary]:
        return iter(self._rows())

    def to_records(self) -> list[dict[str, object]]:
        """One plain dict per clock and tier that has clocks, for reports and data frames."""
        return [
            {
                "clock": r.clock.value,
                "rule": r.clock.rule,
                "tier": r.tier.value,
                "count": r.count,
                "running": r.running,
                "met": r.met,
                "breached": r.breached,
                "met_share": r.met_share,
                "median_elapsed_s": None
                if r.median_elapsed is None
                else r.median_elapsed.total_seconds(),
                "p95_elapsed_s": None if r.p95_elapsed is None else r.p95_elapsed.total_seconds(),
            }
            for r in self._rows()
            if r.count
        ]


def summarize(batch: SlaBatch, clock: ClockName | str | None = None) -> SlaSummary:
    """A per-tier summary of one clock (or every clock), mergeable across partitions.

    The result is a sequence of :class:`TierSummary` rows, highest tier first,
    and an :class:`SlaSummary` that merges with the summaries of other batches.

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
    clocks = _CLOCKS if clock is None else (_clock(clock),)
    out = SlaSummary(clocks=clocks)
    if not isinstance(batch, SlaBatch):
        msg = f"summarize takes an SlaBatch from evaluate_many (got {type(batch).__name__})"
        raise InvalidInput(msg)
    out.add_batch(batch)
    return out
