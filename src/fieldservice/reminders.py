"""Reminder plans: what to remind whom of, and when, as a pure function of an order's events.

:func:`plan` reads the event log (and the standard) and returns every reminder
still due: call the customer to book (B3), tell them resources are missing
(R1), the day-of second confirmation by 09:00 (C1), the call 30 minutes
before arrival (C2), the technician's departure (T2), the follow-up call 30
minutes after remote guidance (F2), and a dispatcher's alert when a clock is
at risk. A notification system sends what :func:`diff` says to send and
revokes what it says to revoke; each reminder has a stable idempotency key.

Reminders that reach a customer never fall in the quiet hours (B6): one that
would is moved to the nearest allowed instant inside its window, or flagged
(``quiet_hours_conflict``) when its window has no allowed instant.

>>> import pendulum, fieldservice as fs
>>> from fieldservice.events import Event
>>> from fieldservice.reminders import plan
>>> t = pendulum.datetime(2026, 11, 24, 10, tz="Asia/Shanghai")
>>> log = [Event("accepted", t, actor="desk", data={"tier": "gold"}),
...        Event("booked", t.add(minutes=5), actor="desk", data={
...            "date": "2026-11-26", "half": "afternoon",
...            "start": "2026-11-26T12:00:00+08:00", "end": "2026-11-26T20:00:00+08:00"})]
>>> for r in plan(log, standard=fs.ServiceStandard.default(), order_id="WO-1"):
...     print(r.rule, r.kind.value, r.due.format("MM-DD HH:mm"), r.audience.value)
C1 day_of_confirmation 11-26 08:00 customer
C2 call_ahead 11-26 11:30 customer
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
from collections.abc import Iterable, Iterator, Sequence
from typing import TypeVar

import attrs
import pendulum

from fieldservice import _labels, _time, _validate
from fieldservice.errors import InvalidEvent, InvalidInput
from fieldservice.events import Event, EventKind, HasEvents, check_time_order, events_of
from fieldservice.payloads import TechniciansAssigned
from fieldservice.sla import ClockName, ClockState, evaluate
from fieldservice.sla._clocks import not_events
from fieldservice.standard import ServiceStandard, TimeRange, standard_of
from fieldservice.visits import appointment_of

__all__ = [
    "Audience",
    "KnockStep",
    "KnockStepKind",
    "Reminder",
    "ReminderDiff",
    "ReminderKind",
    "ReminderPlan",
    "diff",
    "knock_protocol",
    "plan",
]


class Audience(_labels.IdentityEnum):
    """Who a reminder is for: whoever acts on it.

    >>> Audience.CUSTOMER.value
    'customer'
    """

    CUSTOMER = "customer"
    TECHNICIAN = "technician"
    DISPATCHER = "dispatcher"


class ReminderKind(_labels.IdentityEnum):
    """The kinds of reminder, each with its rule ID and audience.

    >>> ReminderKind.CALL_AHEAD.rule, ReminderKind.CALL_AHEAD.audience
    ('C2', <Audience.CUSTOMER: 'customer'>)
    """

    BOOKING_CONTACT = "booking_contact"
    RESOURCE_NOTICE = "resource_notice"
    DAY_OF_CONFIRMATION = "day_of_confirmation"
    DEPARTURE = "departure"
    CALL_AHEAD = "call_ahead"
    REMOTE_FOLLOW_UP = "remote_follow_up"
    AT_RISK = "at_risk"

    @property
    def rule(self) -> str:
        """The rule ID the reminder serves."""
        return _KIND_META[self][0]

    @property
    def audience(self) -> Audience:
        """Who the reminder is for."""
        return _KIND_META[self][1]


_KIND_META = {
    ReminderKind.BOOKING_CONTACT: ("B3", Audience.CUSTOMER),
    ReminderKind.RESOURCE_NOTICE: ("R1", Audience.CUSTOMER),
    ReminderKind.DAY_OF_CONFIRMATION: ("C1", Audience.CUSTOMER),
    ReminderKind.DEPARTURE: ("T2", Audience.TECHNICIAN),
    ReminderKind.CALL_AHEAD: ("C2", Audience.CUSTOMER),
    ReminderKind.REMOTE_FOLLOW_UP: ("F2", Audience.CUSTOMER),
    ReminderKind.AT_RISK: ("G4", Audience.DISPATCHER),
}


def _key_repr(key: str) -> str:
    # A key begins with its order's ID (see _key): a repr hides it as it hides the ID (G1).
    return _validate.ID_NOT_SHOWN if _validate.hides_id(key.rsplit(":", 3)[0]) else repr(key)


def _keys_repr(keys: tuple[str, ...]) -> str:
    shown = [_key_repr(k) for k in keys]
    return f"({shown[0]},)" if len(shown) == 1 else f"({', '.join(shown)})"


@attrs.frozen
class Reminder:
    """One reminder: what, for whom, when it is due and the latest it is still useful.

    Attributes:
        kind: What to remind of.
        due: When to send it (moved out of quiet hours for customers, B6).
        latest: The last instant at which it still serves its purpose.
        audience: Who acts on it.
        rule: The rule ID it serves (for :attr:`ReminderKind.AT_RISK`, the clock's rule).
        key: A stable idempotency key: the same order, kind, appointment version
            and intended instant give the same key, whatever else is recorded;
            a reminder moved in time gets a new one.
        quiet_hours_conflict: True when the reminder reaches a customer and no
            instant of its window lies outside the quiet hours.
    """

    kind: ReminderKind
    due: pendulum.DateTime
    latest: pendulum.DateTime
    audience: Audience
    rule: str
    key: str = attrs.field(repr=_key_repr)
    quiet_hours_conflict: bool = False


@attrs.frozen
class ReminderPlan:
    """The reminders of one order still to come, in due order.

    >>> ReminderPlan(order_id="WO-1", reminders=()).keys
    frozenset()
    """

    order_id: str = attrs.field(repr=_validate.id_repr)
    reminders: tuple[Reminder, ...]

    def __iter__(self) -> Iterator[Reminder]:
        return iter(self.reminders)

    def __len__(self) -> int:
        return len(self.reminders)

    @property
    def keys(self) -> frozenset[str]:
        """The idempotency keys of the plan's reminders."""
        return frozenset(r.key for r in self.reminders)

    def of_kind(self, kind: ReminderKind) -> tuple[Reminder, ...]:
        """The reminders of one kind."""
        return tuple(r for r in self.reminders if r.kind is kind)

    def to_records(self) -> list[dict[str, object]]:
        """One plain dict per reminder, ready for ``pandas.DataFrame``."""
        return [
            {
                "order_id": self.order_id,
                "kind": r.kind.value,
                "rule": r.rule,
                "audience": r.audience.value,
                "due": r.due,
                "latest": r.latest,
                "key": r.key,
                "quiet_hours_conflict": r.quiet_hours_conflict,
            }
            for r in self.reminders
        ]

    def _repr_html_(self) -> str:
        """Show the plan in a notebook: one row per reminder, in due order.

        A reminder to a customer whose window has no time outside the quiet hours
        (B6) is flagged. Every text is HTML-escaped.

        >>> import pendulum
        >>> from fieldservice.reminders import Audience, Reminder, ReminderKind, ReminderPlan
        >>> t = pendulum.datetime(2026, 11, 26, 8, tz="Asia/Shanghai")
        >>> r = Reminder(ReminderKind.CALL_AHEAD, t, t.add(minutes=30), Audience.CUSTOMER, "C2", "k1")
        >>> page = ReminderPlan("WO-1", (r,))._repr_html_()
        >>> "call_ahead" in page, "2026-11-26 08:00" in page
        (True, True)

        .. versionadded:: 0.1.0
        """
        esc = html.escape

        def when(moment: pendulum.DateTime) -> str:
            return esc(moment.format("YYYY-MM-DD HH:mm Z"))

        rows = "".join(
            f"<tr><td>{when(r.due)}</td><td>{when(r.latest)}</td>"
            f"<td><code>{esc(r.kind.value)}</code></td><td>{esc(r.rule)}</td>"
            f"<td>{esc(r.audience.value)}</td>"
            f"<td>{'no time outside quiet hours (B6)' if r.quiet_hours_conflict else ''}</td></tr>"
            for r in self.reminders
        )
        body = rows or '<tr><td colspan="6">no reminder still to come</td></tr>'
        return (
            '<table class="fieldservice-reminders">'
            f"<caption>Reminders of {esc(_validate.id_text(self.order_id))}: {len(self.reminders)}</caption>"
            "<thead><tr><th>due</th><th>latest</th><th>kind</th><th>rule</th><th>audience</th>"
            f"<th>note</th></tr></thead><tbody>{body}</tbody></table>"
        )


@attrs.frozen
class ReminderDiff:
    """What changed between two plans: reminders to send, keys to revoke."""

    send: tuple[Reminder, ...]
    revoke: tuple[str, ...] = attrs.field(repr=_keys_repr)


def diff(old: ReminderPlan, new: ReminderPlan) -> ReminderDiff:
    """Say which reminders to send and which to revoke when a plan changes.

    A reminder whose key is in both plans is left alone: the notification
    system already has it.

    >>> import pendulum
    >>> from fieldservice.reminders import Reminder, ReminderKind, ReminderPlan, diff, Audience
    >>> t = pendulum.datetime(2026, 11, 26, 8, tz="Asia/Shanghai")
    >>> r = lambda key: Reminder(ReminderKind.CALL_AHEAD, t, t, Audience.CUSTOMER, "C2", key)
    >>> d = diff(ReminderPlan("WO-1", (r("a"), r("b"))), ReminderPlan("WO-1", (r("b"), r("c"))))
    >>> [x.key for x in d.send], d.revoke
    (['c'], ('a',))
    """
    if not isinstance(old, ReminderPlan) or not isinstance(new, ReminderPlan):
        msg = "diff compares two ReminderPlan objects made by plan()"
        raise InvalidInput(msg)
    old_keys = old.keys
    new_keys = new.keys
    return ReminderDiff(
        send=tuple(r for r in new.reminders if r.key not in old_keys),
        revoke=tuple(sorted(old_keys - new_keys)),
    )


# --- planning ---------------------------------------------------------------------------


# The rules below compute on plain ``datetime.datetime`` values in the standard's zone
# and make pendulum objects only for the reminders they return: a pendulum operation
# costs several microseconds in Python, and a calendar export plans every visit.
# Each helper does what the pendulum call it replaces did, to the microsecond and
# fold, so that plans are the same whichever way they are computed:
#
# - instants are compared by instant (epoch seconds), never by wall time: all share
#   the standard's zone object, and datetime compares those by wall time (PEP 495);
# - moving by a duration is exact time (via UTC), as pendulum's add(seconds=...) is;
# - a wall time of a day is made by pendulum's own zone conversion (_at).

_PENDULUM_ZONES = (pendulum.Timezone, pendulum.FixedTimezone)
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_SECOND = dt.timedelta(seconds=1)


@attrs.frozen
class _Appointment:
    start: dt.datetime
    end: dt.datetime
    arrival: dt.datetime | None
    version: int


def _plain(moment: dt.datetime) -> dt.datetime:
    """A pendulum instant as a plain datetime with the same wall time, zone and fold."""
    if type(moment) is dt.datetime:
        return moment
    return _rebuilt(dt.datetime, moment)


def _pendulum(moment: dt.datetime) -> pendulum.DateTime:
    """The reminders carry pendulum DateTimes: the same wall time, zone and fold."""
    return _rebuilt(pendulum.DateTime, moment)


_D = TypeVar("_D", bound=dt.datetime)


def _rebuilt(cls: type[_D], moment: dt.datetime) -> _D:
    """``moment`` as a ``cls``: the same wall time, zone and fold.

    A constructor call is what converting between datetime and pendulum costs least.
    """
    return cls(*_time.wall_fields(moment), moment.tzinfo, fold=moment.fold)


def _in_zone(moment: pendulum.DateTime, tz: pendulum.Timezone) -> dt.datetime:
    """``moment.in_timezone(tz)`` as a plain datetime."""
    # in_timezone() takes a wall time in a zone that is not pendulum's own as the
    # later of two repeated ones: kept, so that a plan does not depend on the path.
    fold = moment.fold if isinstance(moment.tzinfo, _PENDULUM_ZONES) else 1
    return _plain(moment).replace(fold=fold).astimezone(tz)


def _in(parsed: dt.datetime, tz: pendulum.Timezone) -> dt.datetime:
    """A promised instant of the appointment, in the standard's zone."""
    offset = parsed.utcoffset()
    if offset is not None and offset.microseconds:
        # pendulum reads an offset to whole seconds (toward zero); so do the rules.
        whole = dt.timedelta(seconds=int(offset.total_seconds()))
        parsed = parsed.replace(tzinfo=dt.timezone(whole))
    return parsed.astimezone(tz)


def _shift(moment: dt.datetime, delta: dt.timedelta) -> dt.datetime:
    """``moment`` moved by ``delta`` of exact time (not wall time), in its own zone."""
    return (moment.astimezone(dt.UTC) + delta).astimezone(moment.tzinfo)


def _at(
    day: dt.date, moment: dt.time, tz: pendulum.Timezone | pendulum.FixedTimezone
) -> dt.datetime:
    """A wall time of a day in ``tz``, as ``pendulum.datetime(..., tz=tz)`` makes it.

    A wall time skipped by a change to summer time moves forward by the change;
    one that occurs twice is the later (fold 1).
    """
    naive = dt.datetime(
        day.year, day.month, day.day, moment.hour, moment.minute, moment.second, fold=1
    )
    return tz.convert(naive)


def _instant_of(moment: dt.datetime) -> float:
    return moment.timestamp()


def _at_or_before(a: dt.datetime, b: dt.datetime) -> bool:
    """``a <= b`` by instant, not by wall time.

    In one zone datetime compares wall times, and in the hour a summer time ends
    the later of two instants can show the earlier wall time (PEP 495).
    """
    return a.timestamp() <= b.timestamp()


def _seconds_between(start: dt.datetime, end: dt.datetime) -> float:
    """Exact seconds from ``start`` to ``end`` (datetime subtracts wall times in one zone)."""
    return (end.astimezone(dt.UTC) - start.astimezone(dt.UTC)).total_seconds()


def _key(order_id: str, kind: ReminderKind, version: int, due: dt.datetime) -> str:
    # The due instant is part of the key: a reminder moved by a pause or a restarted
    # clock is a new reminder, so diff() revokes the old one and sends the new one.
    since = due - _EPOCH  # whole seconds, rounded down, as pendulum's int_timestamp
    value = kind.value
    text = f"{order_id}\x1f{value}\x1f{version}\x1f{since.days * 86400 + since.seconds}"
    digest = hashlib.sha256(text.encode()).hexdigest()
    return f"{order_id}:{value}:v{version}:{digest[:12]}"


def _in_quiet(moment: dt.datetime, quiet: TimeRange) -> bool:
    return quiet.contains(moment.time())


def _quiet_span(moment: dt.datetime, quiet: TimeRange) -> tuple[dt.datetime, dt.datetime]:
    """The quiet-hours stretch containing ``moment``, as [start, end) instants."""
    day = moment.date()
    start_day = day
    if quiet.wraps_midnight and moment.time() < quiet.end:
        start_day = day - dt.timedelta(days=1)
    tz = moment.tzinfo
    assert isinstance(tz, _PENDULUM_ZONES)  # every instant of a plan is in the standard's zone
    end_day = start_day + dt.timedelta(days=1) if quiet.wraps_midnight else start_day
    return _at(start_day, quiet.start, tz), _at(end_day, quiet.end, tz)


def _outside_quiet(
    due: dt.datetime, earliest: dt.datetime, latest: dt.datetime, quiet: TimeRange
) -> tuple[dt.datetime, bool]:
    """Move ``due`` to the nearest instant in [earliest, latest] outside quiet hours."""
    if not _in_quiet(due, quiet):
        return due, False
    span_start, span_end = _quiet_span(due, quiet)
    candidates = []
    before = _shift(span_start, -_SECOND)
    if _at_or_before(earliest, before) and not _in_quiet(before, quiet):
        candidates.append(before)
    if _at_or_before(span_end, latest) and not _in_quiet(span_end, quiet):
        candidates.append(span_end)
    if not candidates:
        return due, True
    return min(candidates, key=lambda c: (abs(_seconds_between(due, c)), _instant_of(c))), False


def plan(
    order: HasEvents | Iterable[Event],
    *,
    standard: ServiceStandard | None = None,
    travel: dt.timedelta | None = None,
    order_id: str | None = None,
    kinds: Iterable[ReminderKind] | None = None,
    technician: str | None = None,
) -> ReminderPlan:
    """Plan the reminders an order still needs, from its events alone.

    With ``technician``, the plan is that technician's (M2: one contact per
    visit): the contact gets the customer calls (C1, C2) and, given
    ``travel``, the departure (T2); any other technician of the visit gets no
    customer call but always the departure, planned with no travel time unless
    ``travel`` is given (due ``early_arrival`` before the arrival).

    Args:
        order: A work order (anything with ``.events`` and ``.id``) or its events.
        standard: The standard whose numbers apply: the order's own when left
            out (a bare event log needs it); one that differs is refused.
        travel: The technician's travel time to the customer, for the departure
            reminder (T2); without it no departure reminder is planned.
        order_id: The order's ID, needed when ``order`` is a bare event list.
        kinds: Plan only these kinds (all by default). Without a clock-based kind
            (B3, R1, F2, at-risk) the SLA clocks are not evaluated at all, which
            is what a calendar export that needs only C1 and C2 wants.
        technician: Plan for this technician's ID only (M2). The contact is the
            one the latest ``technicians_assigned`` event names; with no such
            event, the first of the order's ``technicians`` (contact first),
            else ``technician`` itself. A technician who is not one of the
            visit's gets an empty plan.

    Raises:
        InvalidInput: ``order`` is neither an order nor its events (Event
            objects), no order ID is known, ``travel`` is negative, or event data
            is malformed.
        InvalidEvent: The events are not in time order.

    >>> import pendulum, fieldservice as fs
    >>> from fieldservice.events import Event
    >>> t = pendulum.datetime(2026, 11, 24, 19, 50, tz="Asia/Shanghai")
    >>> log = [Event("reported", t.subtract(minutes=5), actor="desk", data={"tier": "gold"}),
    ...        Event("remote_guidance_given", t, actor="T7")]
    >>> [r.due.format("MM-DD HH:mm") for r in plan(log, standard=fs.ServiceStandard.default(),
    ...                                             order_id="WO-9").of_kind(ReminderKind.REMOTE_FOLLOW_UP)]
    ['11-24 19:59']
    """
    # The events first: a wrong type is the news to give, before a missing standard=.
    log = events_of(order)
    try:
        events = check_time_order(log)
    except InvalidEvent:
        wrong = not_events(log)
        if wrong is None:
            raise
        raise wrong from None
    standard = standard_of(order, standard)
    ident = order_id if order_id is not None else getattr(order, "id", None)
    if not isinstance(ident, str):
        msg = "plan needs the order's ID: pass a work order or order_id='...'"
        raise InvalidInput(msg)
    if travel is not None:
        travel = _validate.travel(travel)
    calls_customer = True
    if technician is not None:
        who = _validate.identifier("technician", technician)
        contact, staff = _staff_of(order, events)
        if staff and who not in staff:
            return ReminderPlan(order_id=ident, reminders=())  # not one of the visit's
        calls_customer = who == (contact or who)
        if not calls_customer and travel is None:
            travel = dt.timedelta(0)  # M2: the others still leave on time (T2)
    if not events:
        return ReminderPlan(order_id=ident, reminders=())
    # A Timezone object, resolved once: pendulum looks a zone name up on every call.
    tz = _time.zone(standard.timezone)
    last = _in_zone(events[-1].at, tz)
    done = {e.kind for e in events}
    reminders: list[Reminder] = []
    quiet = standard.quiet_hours

    def add(
        kind: ReminderKind,
        due: dt.datetime,
        earliest: dt.datetime,
        latest: dt.datetime,
        version: int,
        rule: str | None = None,
        *,
        before_latest: bool = False,
    ) -> None:
        # The SLA clocks give pendulum instants: computed on as plain ones, like the rest.
        due, earliest, latest = _plain(due), _plain(earliest), _plain(latest)
        if not _at_or_before(last, latest):
            return  # too late to serve its purpose
        # The key names the intended instant: the same reminder keeps its key while
        # other events come in, and a moved one (a pause, a restart) gets a new key.
        key = _key(ident, kind, version, due)
        due = max(due, last, key=_instant_of)
        conflict = False
        kind_rule, audience = _KIND_META[kind]  # one look-up, not two enum properties
        if audience is Audience.CUSTOMER:
            # A call ahead of the arrival must come before it, not at the door.
            bound = _shift(latest, -_SECOND) if before_latest else latest
            due, conflict = _outside_quiet(due, earliest, bound, quiet)
        reminders.append(
            Reminder(
                kind,
                _pendulum(due),
                _pendulum(latest),
                audience,
                rule or kind_rule,
                key,
                conflict,
            )
        )

    if EventKind.CANCELLED in done or EventKind.CLOSED in done:
        return ReminderPlan(order_id=ident, reminders=())

    try:
        if kinds is None:
            wanted = _ALL_KINDS
        elif type(kinds) is frozenset and kinds <= _ALL_KINDS:
            wanted = kinds  # already kinds: the calendar asks this way for every visit
        else:
            wanted = frozenset(_validate.enum_member(ReminderKind, "kinds", k) for k in kinds)
    except TypeError:
        msg = "kinds must be a collection of ReminderKind values"
        raise InvalidInput(msg) from None
    appointment = _appointment(events, tz)
    version = appointment.version if appointment else 0
    clock_kinds = wanted & _CLOCK_KINDS
    report = (
        evaluate(events, at=events[-1].at.in_timezone(tz), standard=standard)
        if clock_kinds
        else None
    )

    for clock, kind in (
        (ClockName.BOOKING_CONTACT, ReminderKind.BOOKING_CONTACT),
        (ClockName.RESOURCE_NOTICE, ReminderKind.RESOURCE_NOTICE),
        (ClockName.REMOTE_FOLLOW_UP, ReminderKind.REMOTE_FOLLOW_UP),
    ):
        if report is None or kind not in wanted:
            continue
        status = report[clock]
        if status.state not in (ClockState.RUNNING, ClockState.PAUSED) or status.deadline is None:
            continue
        assert status.started is not None  # a running clock has started
        if kind is ReminderKind.REMOTE_FOLLOW_UP:
            # The follow-up is due at the deadline itself (F2: 30 minutes after guidance).
            add(kind, status.deadline, status.started, status.deadline, version)
        else:
            add(kind, status.started, status.started, status.deadline, version)

    for status in report if report is not None and ReminderKind.AT_RISK in wanted else ():
        if status.clock in _NO_ALERT or status.state is not ClockState.RUNNING:
            continue
        if status.at_risk_from is not None and status.deadline is not None:
            add(
                ReminderKind.AT_RISK,
                status.at_risk_from,
                last,
                status.deadline,
                version,
                rule=status.rule,
            )

    # The visit reminders end once the technician is at the door, or the visit is done
    # (completed without an arrival on record, as a log from elsewhere may have it).
    if appointment is not None and not _VISIT_OVER & _since(events, appointment.version):
        arrival = appointment.arrival or appointment.start
        if appointment.arrival is None:
            day = appointment.start.date()
            # Due by confirm_by (09:00), as the C1 clock judges it, even for a window that
            # opens earlier: the hour is still agreed before it begins (confirm refuses later).
            deadline = _at(day, standard.confirm_by, tz)
            opens = _at(day, quiet.end, tz)
            earliest = max(last, _at(day - dt.timedelta(days=1), dt.time(0), tz), key=_instant_of)
            add(
                ReminderKind.DAY_OF_CONFIRMATION,
                min(opens, deadline, key=_instant_of),
                earliest,
                deadline,
                version,
            )
        call = _shift(arrival, -standard.call_ahead)
        add(
            ReminderKind.CALL_AHEAD,
            call,
            max(_shift(call, -standard.call_ahead), last, key=_instant_of),
            arrival,
            version,
            before_latest=True,
        )
        if travel is not None and EventKind.DEPARTED not in _since(events, appointment.version):
            shortest, longest = standard.early_arrival
            leave = _shift(arrival, -travel)
            add(
                ReminderKind.DEPARTURE,
                _shift(leave, -longest),
                _shift(leave, -longest),
                _shift(leave, -shortest),
                version,
            )

    reminders = [r for r in reminders if r.kind in wanted]
    if not calls_customer:
        reminders = [r for r in reminders if r.kind not in _CONTACT_KINDS]
    reminders.sort(key=lambda r: (r.due, r.kind.value))
    return ReminderPlan(order_id=ident, reminders=tuple(reminders))


_NO_ALERT = frozenset({ClockName.ARRIVAL, ClockName.REMOTE_FOLLOW_UP})
_VISIT_OVER = frozenset({EventKind.ARRIVED, EventKind.COMPLETED})
# The calls only the contact technician makes to the customer (M2).
_CONTACT_KINDS = frozenset({ReminderKind.DAY_OF_CONFIRMATION, ReminderKind.CALL_AHEAD})


def _staff_of(order: object, events: Sequence[Event]) -> tuple[str | None, tuple[str, ...]]:
    """The customer's one contact among the visit's technicians (M2), and all of them.

    ``(None, ())`` when neither the events nor the order say who goes.
    """
    for event in reversed(events):
        if event.kind is EventKind.TECHNICIANS_ASSIGNED:
            assert isinstance(event.data, TechniciansAssigned)
            return event.data.contact, event.data.technicians
    # An order with no assignment recorded: its technicians list the contact first.
    listed = getattr(order, "technicians", None)
    if isinstance(listed, tuple | list) and listed:
        ids = tuple(i for i in (getattr(t, "id", None) for t in listed) if isinstance(i, str))
        if ids:
            return ids[0], ids
    return None, ()


_CLOCK_KINDS = frozenset(
    {
        ReminderKind.BOOKING_CONTACT,
        ReminderKind.RESOURCE_NOTICE,
        ReminderKind.REMOTE_FOLLOW_UP,
        ReminderKind.AT_RISK,
    }
)


_ALL_KINDS: frozenset[ReminderKind] = frozenset(ReminderKind)


def _appointment(events: Sequence[Event], tz: pendulum.Timezone) -> _Appointment | None:
    current = appointment_of(events)
    booking = current.booking
    if booking is None or not current.live:
        return None  # never booked, or back to booking after K3
    confirmed = current.confirmation
    return _Appointment(
        _in(booking.start, tz),
        _in(booking.end, tz),
        None if confirmed is None else _in(confirmed.start, tz),
        current.revision,
    )


def _since(events: Sequence[Event], version: int) -> set[EventKind]:
    """The kinds of event recorded after the appointment reached ``version``."""
    seen = 0
    kinds: set[EventKind] = set()
    for event in events:
        if event.kind in (EventKind.BOOKED, EventKind.RESCHEDULED, EventKind.CONFIRMED):
            seen += 1
            if event.kind is not EventKind.CONFIRMED:
                kinds.clear()
        elif seen >= 1:
            kinds.add(event.kind)
    return kinds


# --- the knock protocol (K1-K3) --------------------------------------------------------


class KnockStepKind(_labels.IdentityEnum):
    """What a step at the door is (K1-K3), so a caller never matches label text.

    >>> [k.value for k in KnockStepKind]
    ['bell', 'knock', 'repeat', 'call', 'neighbours', 'note']
    >>> KnockStepKind.NOTE.rule
    'K3'
    """

    BELL = "bell"
    KNOCK = "knock"
    REPEAT = "repeat"
    CALL = "call"
    NEIGHBOURS = "neighbours"
    NOTE = "note"

    @property
    def rule(self) -> str:
        """The rule ID the step carries out."""
        return _KNOCK_RULES[self]


_KNOCK_RULES = {
    KnockStepKind.BELL: "K1",
    KnockStepKind.KNOCK: "K1",
    KnockStepKind.REPEAT: "K2",
    KnockStepKind.CALL: "K2",
    KnockStepKind.NEIGHBOURS: "K3",
    KnockStepKind.NOTE: "K3",
}


@attrs.frozen
class KnockStep:
    """One step of the knock protocol at the door.

    Attributes:
        rule: The rule ID the step carries out (K1, K2 or K3).
        kind: What the step is: ring, knock, repeat, call, ask the neighbours, leave a note.
        at: When to take it.
        action: The step in English, with the standard's numbers.
        label_zh: The step in the guidance card's Chinese terms, with the standard's numbers.

    >>> import pendulum, fieldservice as fs
    >>> steps = knock_protocol(pendulum.datetime(2026, 11, 26, 14, tz="Asia/Shanghai"),
    ...                        fs.ServiceStandard.default())
    >>> [(s.kind.value, s.at.format("HH:mm:ss"), s.label_zh) for s in steps][:2]
    [('bell', '14:00:00', '有门铃先按门铃'), ('knock', '14:00:00', '轻敲第1次,连续3下')]
    """

    rule: str
    kind: KnockStepKind
    at: pendulum.DateTime
    action: str
    label_zh: str


def _seconds_of(value: dt.timedelta) -> tuple[int, int, int]:
    hours, rest = divmod(int(value.total_seconds()), 3600)
    return (hours, *divmod(rest, 60))


def _en_duration(value: dt.timedelta) -> str:
    """``0:03:30`` as "3 min 30 s": the English labels' way of writing a cadence."""
    parts = zip(_seconds_of(value), ("h", "min", "s"), strict=True)
    return " ".join(f"{n} {unit}" for n, unit in parts if n)


def _zh_duration(value: dt.timedelta) -> str:
    """``0:00:30`` as "30秒钟", ``0:03:00`` as "3分钟", ``0:01:30`` as "1分30秒" (the card's words)."""
    hours, minutes, seconds = _seconds_of(value)
    if not hours and not seconds:
        return f"{minutes}分钟"
    if not hours and not minutes:
        return f"{seconds}秒钟"
    parts = zip((hours, minutes, seconds), ("小时", "分", "秒"), strict=True)
    return "".join(f"{n}{unit}" for n, unit in parts if n)


def knock_protocol(arrived_at: dt.datetime, standard: ServiceStandard) -> tuple[KnockStep, ...]:
    """The timeline at the door (K1-K3): ring, knock rounds, repeats, call, neighbours, note.

    Every number in the steps and their labels, English and Chinese, is the
    standard's: :attr:`~fieldservice.standard.ServiceStandard.knock` gives the
    rounds, the knocks per round, how often to repeat and when to call.

    Args:
        arrived_at: When the technician reached the door (timezone-aware).
        standard: The knock cadence comes from :attr:`~fieldservice.standard.ServiceStandard.knock`.

    Raises:
        InvalidInput: ``arrived_at`` is naive or ``standard`` is not a ServiceStandard.

    >>> import datetime as dt, pendulum, fieldservice as fs
    >>> std = fs.ServiceStandard.default().replace(knock=fs.KnockProtocol(
    ...     rounds=1, repeat_every=dt.timedelta(seconds=45), call_after=dt.timedelta(seconds=90)))
    >>> for s in knock_protocol(pendulum.datetime(2026, 11, 26, 14, tz="Asia/Shanghai"), std):
    ...     print(s.rule, s.kind.value, s.at.format("mm:ss"), s.action, "/", s.label_zh)
    K1 bell 00:00 ring the bell if there is one / 有门铃先按门铃
    K1 knock 00:00 knock 3 times, lightly (round 1 of 1) / 轻敲第1次,连续3下
    K2 repeat 00:45 no answer: knock again, every 45 s / 每隔45秒钟重复1次
    K2 call 01:30 no answer after 1 min 30 s: call the customer / 1分30秒后再不开门,电话联系客户
    K3 neighbours 01:30 unreachable: check with neighbours / 同用户邻居确认
    K3 note 01:30 customer away: leave a message note on the door / 贴留言条
    """
    if not isinstance(standard, ServiceStandard):
        msg = f"standard must be a ServiceStandard (got {type(standard).__name__})"
        raise InvalidInput(msg)
    start = _time.aware("arrived_at", arrived_at).in_timezone(standard.timezone)
    knock = standard.knock
    per_round = knock.knocks_per_round
    steps = [
        KnockStep(
            "K1", KnockStepKind.BELL, start, "ring the bell if there is one", "有门铃先按门铃"
        )
    ]
    steps += [
        KnockStep(
            "K1",
            KnockStepKind.KNOCK,
            start,
            f"knock {per_round} times, lightly (round {n} of {knock.rounds})",
            f"轻敲第{n}次,连续{per_round}下",
        )
        for n in range(1, knock.rounds + 1)
    ]
    every_en, every_zh = _en_duration(knock.repeat_every), _zh_duration(knock.repeat_every)
    repeat_en, repeat_zh = f"no answer: knock again, every {every_en}", f"每隔{every_zh}重复1次"
    moment = start.add(seconds=int(knock.repeat_every.total_seconds()))
    call_at = start.add(seconds=int(knock.call_after.total_seconds()))
    while moment < call_at:
        steps.append(KnockStep("K2", KnockStepKind.REPEAT, moment, repeat_en, repeat_zh))
        moment = moment.add(seconds=int(knock.repeat_every.total_seconds()))
    steps.append(
        KnockStep(
            "K2",
            KnockStepKind.CALL,
            call_at,
            f"no answer after {_en_duration(knock.call_after)}: call the customer",
            f"{_zh_duration(knock.call_after)}后再不开门,电话联系客户",
        )
    )
    steps.append(
        KnockStep(
            "K3",
            KnockStepKind.NEIGHBOURS,
            call_at,
            "unreachable: check with neighbours",
            "同用户邻居确认",
        )
    )
    steps.append(
        KnockStep(
            "K3",
            KnockStepKind.NOTE,
            call_at,
            "customer away: leave a message note on the door",
            "贴留言条",
        )
    )
    return tuple(steps)
