"""The SLA clocks as rules: what each event does to each clock, one scan of a log, and the judgement of one clock.

Part of :mod:`fieldservice.sla`, which re-exports its public names.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeAlias

import attrs

from fieldservice import _labels, _time, _validate
from fieldservice.errors import InvalidInput
from fieldservice.events import (
    Event,
    EventKind,
    HasEvents,
    check_time_order,
)
from fieldservice.model import Area, Tier
from fieldservice.payloads import Booked
from fieldservice.servicecal import ServiceCalendar
from fieldservice.standard import LEGAL_REPAIR_CEILING, ClockBasis, ServiceStandard
from fieldservice.visits import NOTHING_BOOKED, Appointment, changes_appointment


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
CLOCKS: tuple[ClockName, ...] = tuple(ClockName)
CLOCK_INDEX = {name: i for i, name in enumerate(CLOCKS)}


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


STATES: tuple[ClockState, ...] = tuple(ClockState)
S_NOT_STARTED, S_RUNNING, S_PAUSED, S_MET, S_BREACHED, S_CANCELLED = range(6)

# --- what each event does to each clock: the rules as a table ---------------------

(
    DO_START,
    DO_STOP,
    DO_PAUSE,
    DO_RESUME,
    DO_CANCEL,
    DO_WINDOW,
    DO_CONFIRM_BY,
    DO_PUNCTUAL,
    DO_DROP,
    DO_MISSED,
) = range(10)
DO_UNCONFIRMED = 10  # the confirmation clock is about to restart: keep a breach of it (C1)
WINDOWED = 4  # clocks from this index on are judged against a window, in wall time
_PAUSABLE = frozenset({0, 1, 3})  # booking_contact, resource_notice, repair
_CUSTOMER_REASONS = frozenset({"customer_request", "waiting_for_customer"})

EFFECTS: dict[EventKind, tuple[tuple[int, int], ...]] = {
    EventKind.ACCEPTED: ((DO_START, 0),),
    # R3: built, the order returns to booking; a notice not yet given is owed no more.
    EventKind.RESOURCES_BUILT: ((DO_CANCEL, 1), (DO_START, 0)),
    EventKind.CUSTOMER_ABSENT: ((DO_START, 0),),
    EventKind.CONTACTED: ((DO_STOP, 0),),
    EventKind.BOOKED: (
        (DO_STOP, 0),
        (DO_UNCONFIRMED, 8),
        (DO_WINDOW, 4),
        (DO_CONFIRM_BY, 5),
        (DO_DROP, 6),
    ),
    EventKind.RESCHEDULED: (
        (DO_MISSED, 7),
        (DO_UNCONFIRMED, 8),
        (DO_WINDOW, 4),
        (DO_CONFIRM_BY, 5),
        (DO_DROP, 6),
    ),
    EventKind.CONFIRMED: ((DO_WINDOW, 4), (DO_STOP, 5), (DO_PUNCTUAL, 6)),
    # R1 instead of B3: an order that cannot be booked is owed the notice, not a booking call.
    EventKind.RESOURCES_MISSING: ((DO_CANCEL, 0), (DO_START, 1)),
    EventKind.RESOURCE_NOTICE_GIVEN: ((DO_STOP, 0), (DO_STOP, 1)),
    EventKind.REMOTE_GUIDANCE_GIVEN: ((DO_START, 2),),
    EventKind.FOLLOWED_UP: ((DO_STOP, 2),),
    EventKind.REPORTED: ((DO_START, 3),),
    EventKind.CLEARED: ((DO_STOP, 3),),
    EventKind.ARRIVED: ((DO_STOP, 4), (DO_STOP, 6)),
    EventKind.CLOCK_PAUSED: ((DO_PAUSE, -1),),
    EventKind.CLOCK_RESUMED: ((DO_RESUME, -1),),
    EventKind.CANCELLED: ((DO_CANCEL, -1),),
}
"""Event kind -> (action, clock index); -1 means every clock the action applies to.

A cancelled clock no longer applies: judged ``cancelled``, or ``breached`` if its deadline
had passed. A start event restarts a clock that has stopped or been cancelled."""


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


TIERS: tuple[Tier, ...] = tuple(Tier)
_AREAS: tuple[Area, ...] = tuple(Area)
# Plain-string keys: hashing an Enum member runs Python code, a str's hash is cached.
_TIER_OF = {t.value: i for i, t in enumerate(TIERS)}
_AREA_OF = {a.value: i for i, a in enumerate(_AREAS)}
ORDINARY = _TIER_OF["ordinary"]
TIER_AT = {t: i for i, t in enumerate(TIERS)}
AREA_AT = {a: i for i, a in enumerate(_AREAS)}
EFFECTS_OF = {kind.value: effects for kind, effects in EFFECTS.items()}


# What the scan does with each kind, looked up once per event: most events are plain.
ROLE_PLAIN, ROLE_OPENS, ROLE_TIER, ROLE_VISIT = 0, 1, 2, 3


def _scan_role(kind: EventKind) -> tuple[int, Any]:
    if kind.value in ("accepted", "reported"):
        role = ROLE_OPENS
    elif kind.value == "tier_changed":
        role = ROLE_TIER
    elif changes_appointment(kind):
        role = ROLE_VISIT
    else:
        role = ROLE_PLAIN
    return role, EFFECTS_OF.get(kind.value)


SCAN_ROLE: dict[str, tuple[int, Any]] = {kind.value: _scan_role(kind) for kind in EventKind}

# A booking or confirmation the appointment ignores (after a cancellation; a confirmation
# with nothing live to confirm) promises no window: only its plain stops still count.
IGNORED_VISIT_EFFECTS: dict[str, tuple[tuple[int, int], ...]] = {
    kind: tuple(effect for effect in effects if effect[0] == DO_STOP)
    for kind, effects in EFFECTS_OF.items()
}


def _index(table: Mapping[str, int], enum_type: type[Tier] | type[Area], value: object) -> int:
    found = table.get(value) if isinstance(value, str) else None
    if found is None:
        member = _validate.enum_member(enum_type, f"event {enum_type.__name__.lower()}", value)
        found = table[member.value]
    return found


def not_an_event(item: object) -> InvalidInput:
    """The refusal of an item of a log that is not an :class:`Event` (its type named, not its value)."""
    return InvalidInput(
        f"events must be Event objects (got {type(item).__name__}): pass a work order or its "
        "events; build events from their JSON data with Event.from_dict, or a whole order "
        "with WorkOrder.from_dict"
    )


def not_events(events: Iterable[object]) -> InvalidInput | None:
    """:func:`not_an_event` for the first item of ``events`` that is not an Event, or None.

    For the error path and for one log per call: the scan itself checks nothing it need not.

    >>> not_events([]) is None, not_events([{"kind": "accepted"}]).code
    (True, 'invalid_input')
    """
    for item in events:
        if not isinstance(item, Event):
            return not_an_event(item)
    return None


def scan_log(events: Sequence[Event], at: float, lim: Limits) -> tuple[dict[int, _Clock], int]:
    """One pass over a log up to ``at``: the started clocks by index, and the area index.

    Raises:
        InvalidInput: An item is not an event (a dict of an order's JSON, say).
        InvalidEvent: The events are not in time order.
    """
    clocks: dict[int, _Clock] = {}
    tier = ORDINARY
    area = 0
    last = -math.inf
    visit = NOTHING_BOOKED
    # Cancelled with the order: final. Only a clock that lapsed alone (B3 while resources
    # are missing, R1 once built) is started again; a stopped one is, as it always was.
    final = False
    for event in events:
        try:
            when = event.epoch
        except AttributeError:  # no cost to an event: only the odd item lands here
            raise not_an_event(event) from None
        if when < last:
            check_time_order(events)  # raises with the position of the culprit
        last = when
        if when > at:
            break
        role, effects = SCAN_ROLE[event.kind._value_]
        if role == ROLE_PLAIN:
            if effects is None:
                continue
        elif role == ROLE_OPENS:
            opened: Any = event.data  # an Opened payload: tier and area, typed
            tier = ORDINARY if opened.tier is None else TIER_AT[opened.tier]
            area = 0 if opened.area is None else AREA_AT[opened.area]
        elif role == ROLE_TIER:
            tier = TIER_AT[event.data.tier]  # type: ignore[attr-defined]
            continue
        before = visit
        if role == ROLE_VISIT:
            visit = visit.after(event)
            if visit is before and effects is not None:
                effects = IGNORED_VISIT_EFFECTS[event.kind._value_]
        if effects is None:
            continue
        for action, index in effects:
            if action == DO_START:
                clock = clocks.get(index)
                if (
                    clock is None
                    or clock.stop is not None
                    or (clock.cancelled is not None and not final)
                ):
                    clocks[index] = _Clock(when, tier)
            elif action == DO_STOP:
                clock = clocks.get(index)
                if clock is not None and clock.stop is None and clock.cancelled is None:
                    clock.stop = when
            elif action == DO_WINDOW:
                promised_start, promised_end = visit.promised_start, visit.promised_end
                if promised_start is None or promised_end is None:
                    continue  # nothing booked: no window to judge the arrival against
                clock = clocks.get(index)
                if clock is None:
                    clock = clocks[index] = _Clock(0.0, tier)
                clock.start = promised_start.timestamp()
                clock.window_end = promised_end.timestamp()
                clock.stop = None
            elif action == DO_CONFIRM_BY:
                due = lim.confirm_due(visit, when)
                if due is None:
                    clocks.pop(index, None)  # booked after the confirm-by time: nothing to confirm
                else:
                    clock = clocks[index] = _Clock(when, tier)
                    clock.window_end = due
            elif action == DO_PUNCTUAL:
                begins = visit.promised_start
                if visit.confirmation is not None and begins is not None:
                    clock = clocks[index] = _Clock(begins.timestamp(), tier)
                    clock.window_end = clock.start + lim.tolerance
            elif action == DO_DROP:
                clocks.pop(index, None)  # a new window: punctuality waits for its confirmation
            elif action == DO_MISSED:
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
            elif action == DO_UNCONFIRMED:
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
            elif action == DO_CANCEL:
                final = final or index == -1
                for number, clock in clocks.items():
                    if index in (-1, number) and clock.stop is None and clock.cancelled is None:
                        clock.cancelled = when
            else:
                _pause_or_resume(clocks, event, when, action == DO_PAUSE)
    return clocks, area


def pause_targets(data: Any, pause: bool) -> Iterable[int]:
    """The clocks, by index, a ``clock_paused`` or ``clock_resumed`` payload acts on."""
    if pause and data.reason not in _CUSTOMER_REASONS:
        return ()  # only the customer pauses a clock; provider delays never do
    named = data.clocks
    if named is None:
        return _PAUSABLE
    return (CLOCK_INDEX[ClockName(n)] for n in named if n in ClockName._value2member_map_)


def _pause_or_resume(clocks: dict[int, _Clock], event: Event, when: float, pause: bool) -> None:
    for index in pause_targets(event.data, pause):
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
class Limits:
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
    def compile(cls, standard: ServiceStandard) -> Limits:
        rules = (
            standard.booking_contact,
            standard.resource_notice,
            None,
            standard.repair,
            *(None,) * (len(CLOCKS) - 4),
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
                for tier in TIERS
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


def checked_standard(value: object) -> ServiceStandard:
    if not isinstance(value, ServiceStandard):
        msg = f"standard must be a ServiceStandard (got {type(value).__name__})"
        raise InvalidInput(msg)
    return value


def clock_name(value: object) -> ClockName:
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


def is_capped(clock: _Clock, index: int, area: int, at: float, lim: Limits) -> bool:
    """Whether the legal ceiling, in wall time, comes before a service-time repair deadline."""
    if index != 3 or not lim.service[index]:
        return False
    to_s = lim.to_service
    limit = lim.seconds[index][clock.tier][area]
    service = lim.from_service(_deadline_units(to_s(clock.start), limit, clock.pauses, at, to_s))
    return _deadline_units(clock.start, lim.ceiling[area], clock.pauses, at, _identity) < service


def risk_start(clock: _Clock, index: int, area: int, at: float, lim: Limits) -> float | None:
    """The instant a tiered clock's elapsed time reaches the at-risk share of its limit."""
    if index == 2 or index >= WINDOWED:
        return None
    if is_capped(clock, index, area, at, lim):
        share = lim.at_risk_share * lim.ceiling[area]
        return _deadline_units(clock.start, share, clock.pauses, at, _identity)
    service = lim.service[index]
    to_s = lim.to_service if service else _identity
    share = lim.at_risk_share * lim.seconds[index][clock.tier][area]
    units = _deadline_units(to_s(clock.start), share, clock.pauses, at, to_s)
    return lim.from_service(units) if service else units


def judge_clock(clock: _Clock, index: int, area: int, at: float, lim: Limits) -> tuple[Any, ...]:
    """Return (state, deadline, elapsed, limit, at_risk) as plain numbers for one started clock."""
    start = clock.start
    stop = clock.stop
    if index >= WINDOWED:  # arrival & co: the promised window is the limit, wall time, no pauses
        deadline = clock.window_end
        limit = deadline - start
        # A cancelled visit's clock ends at the cancellation, as every clock's does.
        if stop is not None:
            elapsed = stop - start
        elif clock.cancelled is not None:
            elapsed = clock.cancelled - start
        else:
            elapsed = at - start
        if stop is not None:
            state = S_MET if stop <= deadline else S_BREACHED
        elif clock.cancelled is not None:
            state = S_CANCELLED if clock.cancelled <= deadline else S_BREACHED
        else:
            state = S_BREACHED if at > deadline else S_RUNNING
        return (state, deadline, max(elapsed, 0.0), limit, False)

    limit = lim.seconds[index][clock.tier][area]
    pauses = clock.pauses
    until = at if stop is None else stop
    if stop is None and clock.cancelled is not None:
        until = clock.cancelled
    # A pause still open ends where the clock does: a stopped or cancelled clock's
    # deadline does not move with the instant it is judged at.
    if lim.service[index] and is_capped(clock, index, area, until, lim):
        # F4 on service time is still bound by the law: where the ceiling comes first,
        # the clock is judged in wall time against the ceiling (电信条例 Art. 33).
        limit = lim.ceiling[area]
        deadline = _deadline_units(start, limit, pauses, until, _identity)
        elapsed = until - start - (_paused_time(pauses, until, _identity) if pauses else 0.0)
    elif lim.service[index]:
        to_s = lim.to_service
        start_s = to_s(start)
        deadline = lim.from_service(_deadline_units(start_s, limit, pauses, until, to_s))
        elapsed = to_s(until) - start_s
        if pauses:
            elapsed -= _paused_time(pauses, until, to_s)
    elif pauses:
        deadline = _deadline_units(start, limit, pauses, until, _identity)
        elapsed = until - start - _paused_time(pauses, until, _identity)
    else:  # the common case, kept free of calls
        deadline = start + limit
        elapsed = until - start
    if stop is not None:
        state = S_MET if stop <= deadline else S_BREACHED
    elif clock.cancelled is not None:
        state = S_CANCELLED if clock.cancelled <= deadline else S_BREACHED
    elif at > deadline:
        state = S_BREACHED
    elif pauses and len(pauses[-1]) == 1:
        state = S_PAUSED
    else:
        state = S_RUNNING
    at_risk = state == S_RUNNING and elapsed >= lim.at_risk_share * limit
    return (state, deadline, elapsed, limit, at_risk)


# The event kinds any clock reads: the rest of a log can be left unread.
CLOCK_KINDS: frozenset[str] = (
    frozenset(EFFECTS_OF)
    | {"tier_changed"}
    | {k.value for k in EventKind if changes_appointment(k)}  # the visit view's kinds
) - {"technicians_assigned"}  # the view's organizer: no clock reads it
"""The event kinds a clock reads; the light path builds events of these kinds only."""
