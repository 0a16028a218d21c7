"""The branch's day plan (B7, G4): who visits whom, in what order, at what time.

:func:`plan_day` takes the day's booked and confirmed orders, the
:class:`~fieldservice.planning.Team` and the travel times, and returns a
:class:`DayPlan`: one :class:`Route` per technician, each a list of
:class:`Stop` with the appointment time, the arrival at the door 5-10 minutes
early (T2), the departure from the previous place, and the C2 call-ahead
time; and every visit left out, with the rule that left it out
(:class:`LeftOut`).

The rules the plan keeps:

- a visit starts inside its half-day (B2), or inside the hour agreed at the
  second confirmation (C1), and ends before the quiet hours (B6);
- the technicians are skilled for the order's kind and all its products
  (M1); a visit for several technicians has all of them at the same time,
  one of them the customer's contact (M2);
- travel, on-site durations (the standard's ``service_durations``), shifts,
  lunch breaks and daily caps hold;
- when not everything fits, higher tiers are served first (B7), and repair
  visits come before their F4 deadline where they can (G4).

The solver is OR-Tools' routing library (``pip install fieldservice[plan]``);
without it, a greedy tier-first insertion (``solver="greedy"``).

>>> import pendulum, fieldservice as fs
>>> from fieldservice.planning import Member, Place, Team, plan_day
>>> std = fs.ServiceStandard.default()
>>> team = Team(members=[Member("T1", products={"broadband"}, kinds={"install"},
...                             start=Place("depot", coordinates=(31.20, 121.50)))], standard=std)
>>> cust = fs.Customer(id="C1", name="张三", tier="gold", phones="13800138000",
...                    address=fs.Address(region="浦东", detail="x", coordinates=(31.21, 121.50)))
>>> t = pendulum.datetime(2026, 11, 24, 10, tz="Asia/Shanghai")
>>> order = fs.WorkOrder.install(id="WO-1", customer=cust, products={"broadband"},
...                              accepted_at=t, by="desk")
>>> _ = order.check_resources(True, at=t, by="desk")
>>> _ = order.book(("2026-11-26", "morning"), at=t.add(minutes=5), by="desk")
>>> plan = plan_day([order], team, pendulum.date(2026, 11, 26), solver="greedy")
>>> stop = plan.routes[0].stops[0]
>>> stop.order_id, f"{stop.start:%H:%M}", f"{stop.arrive:%H:%M}", f"{stop.call_at:%H:%M}"
('WO-1', '08:14', '08:04', '07:34')

The C2 call at 07:34 falls in the quiet hours (B6, 20:00-08:00): the stop keeps
its time and is flagged for a person to decide, as the reminder plan flags a
call it cannot move out of them; and it carries the revision of the order's
visit and the instant of its last event, as the order calendar writes them.

>>> stop.call_in_quiet_hours, stop.sequence, stop.stamp.isoformat()
(True, 0, '2026-11-24T02:05:00+00:00')
"""

from __future__ import annotations

import datetime as dt
import math
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Mapping

import attrs
import pendulum

from fieldservice._validate import consent, hides_id, id_repr, id_text, shown_id
from fieldservice.appointments import AppointmentWindow, HalfDay, departure_time
from fieldservice.calendar import CALL_IN_QUIET_HOURS, IcsAudience, visit_summary
from fieldservice.errors import FieldServiceError, InvalidInput, Violation
from fieldservice.model import OrderKind, Product, Tier
from fieldservice.planning import _greedy, _ortools
from fieldservice.planning._base import PlanInputError, minute_of, moment_at
from fieldservice.planning._problem import (
    Job,
    Problem,
    Routes,
    Tech,
    check,
    repair,
    route_travel,
    schedule,
)
from fieldservice.planning.team import Team
from fieldservice.planning.travel import (
    GreatCircle,
    Place,
    TravelFunction,
    TravelTimes,
    checked_matrix,
)
from fieldservice.standard import ServiceStandard, TimeRange
from fieldservice.visit_entry import Visit, visit_of
from fieldservice.workflow import State, WorkOrder

__all__ = ["DayPlan", "LeftOut", "Route", "Stop", "plan_day"]

_PLANNED_STATES = frozenset({State.BOOKED, State.CONFIRMED})
_NO_CAP = 10**6
_SOLVERS = ("auto", "ortools", "greedy")
_FULL_MODEL_UP_TO = 300  # visits: up to here half the time goes to a search on all of them
_ROUND = dt.timedelta(seconds=5)  # a search round (on 50 x 600, 3 s and 4 s rounds did no better)
_LEAST_SEARCH = dt.timedelta(milliseconds=10)  # once time is up: OR-Tools refuses a limit < 0


@attrs.frozen
class Stop:
    """One visit on a technician's route.

    Attributes:
        order_id: The work order.
        kind: Install, move or repair.
        tier: The customer's tier (B7).
        products: The order's products, all served by this visit (M1).
        region: The coarse address region (never the detail, G1).
        place: Where the visit is; its coordinates are masked (G1).
        start: The appointment time: when the visit begins (B2/C1).
        end: When the on-site work ends.
        arrive: At the door this much before ``start`` (T2).
        depart: When to leave the previous place (T2).
        call_at: When to call the customer before arriving (C2).
        travel: Travel time from the previous place.
        crew: Every technician of the visit, the customer's contact first (M2).
        contact: Whether this route's technician is the contact (M2).
        after_deadline: A repair that starts after its F4 deadline (G4).
        call_in_quiet_hours: ``call_at`` falls in the standard's quiet hours
            (B6): no call to the customer then. The time is kept and flagged
            for a person to decide, as the reminder plan flags such a call;
            the feed's texts say so (:meth:`DayPlan.to_ical`).
        sequence: The revision of the order's visit (iTIP ``SEQUENCE``), as
            :func:`fieldservice.visit_entry.visit_of` and the order calendar
            count it: one up whenever the order's visit changes date, time or
            status (B8, B9, C1).
        stamp: The instant of the order's last event, in UTC: the feed's
            ``DTSTAMP``, as the order calendar writes it. ``None`` for a stop
            made by hand, whose ``DTSTAMP`` is then the Unix epoch.

    .. versionadded:: 0.2.0
    """

    order_id: str = attrs.field(repr=id_repr)
    kind: OrderKind
    tier: Tier
    products: frozenset[Product]
    region: str
    place: Place
    start: pendulum.DateTime
    end: pendulum.DateTime
    arrive: pendulum.DateTime
    depart: pendulum.DateTime
    call_at: pendulum.DateTime
    travel: dt.timedelta
    crew: tuple[str, ...]
    contact: bool
    after_deadline: bool
    call_in_quiet_hours: bool = False
    sequence: int = 0
    stamp: pendulum.DateTime | None = None


@attrs.frozen
class Route:
    """A technician's day: when they leave, their stops in order, when they are back.

    .. versionadded:: 0.2.0
    """

    technician: str
    stops: tuple[Stop, ...]
    leave: pendulum.DateTime | None
    back: pendulum.DateTime | None
    travel: dt.timedelta


@attrs.frozen
class LeftOut:
    """A visit the plan could not serve, and the rule that left it out.

    ``rule``/``code``: ``B7``/``day_full`` (higher tiers took the time),
    ``B6``/``no_time_before_quiet_hours``, ``M2``/``crew_too_large``,
    ``B7``/``no_shift_reaches_window``, ``B6``/``closed_day``.

    .. versionadded:: 0.2.0
    """

    order_id: str = attrs.field(repr=id_repr)
    tier: Tier
    rule: str
    code: str
    message: str


@attrs.frozen
class DayPlan:
    """The plan of one day: a route per technician and the visits left out.

    .. versionadded:: 0.2.0
    """

    day: dt.date
    routes: tuple[Route, ...]
    left_out: tuple[LeftOut, ...]
    solver: str
    timezone: str
    domain: str = "fieldservice"
    """The standard's ``domain``: the namespace of the feed's UIDs (:meth:`to_ical`).

    .. versionadded:: 0.2.0
    """
    quiet_hours: TimeRange = attrs.field(factory=lambda: ServiceStandard.default().quiet_hours)
    """The standard's quiet hours (B6), which the feed names for a call in them (:meth:`to_ical`).

    .. versionadded:: 0.2.0
    """

    @property
    def served(self) -> Counter[Tier]:
        """How many visits are served, per tier (a crew visit counts once)."""
        seen = {s.order_id: s.tier for r in self.routes for s in r.stops}
        return Counter(seen.values())

    @property
    def travel(self) -> dt.timedelta:
        """The total travel time of all routes."""
        return sum((r.travel for r in self.routes), dt.timedelta(0))

    def route(self, technician: str) -> Route:
        """Return the route of one technician.

        Raises:
            KeyError: The technician is not in the plan.
        """
        for r in self.routes:
            if r.technician == technician:
                return r
        raise KeyError(technician)

    def to_records(self, *, include_personal: bool = False) -> list[dict[str, object]]:
        """One flat record per stop (for a table or a map); coordinates only on request (G1).

        >>> DayPlan(dt.date(2026, 11, 26), (), (), "greedy", "Asia/Shanghai").to_records()
        []
        """
        personal = consent("include_personal", include_personal)
        rows: list[dict[str, object]] = []
        for r in self.routes:
            for seq, s in enumerate(r.stops, start=1):
                row: dict[str, object] = {
                    "technician": r.technician,
                    "seq": seq,
                    "order_id": s.order_id,
                    "kind": s.kind.value,
                    "tier": s.tier.value,
                    "region": s.region,
                    "depart": s.depart.isoformat(),
                    "arrive": s.arrive.isoformat(),
                    "start": s.start.isoformat(),
                    "end": s.end.isoformat(),
                    "call_at": s.call_at.isoformat(),
                    "call_in_quiet_hours": s.call_in_quiet_hours,
                    "travel_minutes": s.travel.total_seconds() / 60,
                    "contact": s.contact,
                    "crew": list(s.crew),
                }
                if personal:
                    coords = s.place.coordinates
                    row["lat"] = None if coords is None else coords[0]
                    row["lon"] = None if coords is None else coords[1]
                rows.append(row)
        return rows

    def to_ical(self, technician: str) -> bytes:
        """One technician's day as an iCalendar feed: a VEVENT per stop, an alarm each.

        The alarm is the technician's own (M2): the customer's contact is reminded to
        call the customer (C2), every other technician of a crew to leave (T2). A call
        in the quiet hours (B6, :attr:`Stop.call_in_quiet_hours`) keeps its time, and
        its alarm and description say not to call then, a person decides, as the order
        calendar's do; the alarm carries ``X-FIELDSERVICE-QUIET-HOURS-CONFLICT:TRUE``.

        The summary, description and alarm texts are in Chinese and English, as the
        order calendar writes them (``1. 装机：宽带 / install: broadband (WO-1)``).

        Each UID is the order, the technician and the day ``@plan.`` the standard's
        ``domain``, so the feeds of two deployments never share an entry; the default
        domain keeps the earlier ``@fieldservice-plan``. ``SEQUENCE`` is the revision of
        the order's visit and ``DTSTAMP`` the instant of the order's last event
        (:attr:`Stop.sequence`, :attr:`Stop.stamp`), as in the order calendar: a plan
        made after the visit moved (B8, B9, C1) updates the entry in a calendar client.

        The feed holds no personal data (G1): order ID (unless it may hold a phone
        number), kind, products, tier, region and times only. Written with
        ``icalendar`` directly: the calendar module exports the booked window of an
        order, where this is the planned time of a visit.

        >>> DayPlan(dt.date(2026, 11, 26), (), (), "greedy", "Asia/Shanghai").to_ical("T1")
        Traceback (most recent call last):
        ...
        KeyError: 'T1'
        """
        import icalendar

        route = self.route(technician)
        cal = icalendar.Calendar()
        cal.add("prodid", "-//fieldservice//day plan//EN")
        cal.add("version", "2.0")
        cal.add("x-wr-calname", f"{technician} {self.day.isoformat()}")
        host = "fieldservice-plan" if self.domain == "fieldservice" else f"plan.{self.domain}"
        for seq, s in enumerate(route.stops, start=1):
            shown = id_text(s.order_id)  # the feed is read by people (G1)
            ev = icalendar.Event()
            ev.add(
                "uid", f"{_uid_part(s.order_id, host)}.{technician}.{self.day.isoformat()}@{host}"
            )
            ev.add("dtstamp", _EPOCH if s.stamp is None else s.stamp.in_timezone("UTC"))
            ev.add("dtstart", s.start.in_timezone("UTC"))
            ev.add("dtend", s.end.in_timezone("UTC"))
            ev.add("sequence", s.sequence)
            order = shown if hides_id(s.order_id) else f"({shown})"  # not "((...))"
            ev.add("summary", f"{seq}. {visit_summary(s.kind, s.products)} {order}")
            ev.add("location", s.region)
            ev.add("description", _description(s, shown, str(self.quiet_hours)))
            alarm = icalendar.Alarm()
            alarm.add("action", "DISPLAY")
            # Only the customer's contact calls the customer (M2); the others of a crew
            # are reminded to leave on time (T2), as the calendar feeds do.
            if s.contact:
                alarm.add("description", _call_text(s, shown, str(self.quiet_hours)))
                due = s.call_at
            else:
                alarm.add("description", _leave_text(s, shown))
                due = s.depart
            alarm.add("trigger", dt.timedelta(seconds=due.timestamp() - s.start.timestamp()))
            if s.contact and s.call_in_quiet_hours:
                alarm.add("x-fieldservice-quiet-hours-conflict", icalendar.vText("TRUE"))
            ev.add_component(alarm)
            cal.add_component(ev)
        return bytes(cal.to_ical())


# --- the feed's texts, in Chinese and English as the order calendar writes them ---

_EPOCH = pendulum.datetime(1970, 1, 1, tz="UTC")  # DTSTAMP of a stop with no event instant
# As the order calendar words a technician's call in the quiet hours (B6).
_QUIET_ZH, _QUIET_EN = CALL_IN_QUIET_HOURS[IcsAudience.TECHNICIAN]


def _minutes_text(value: dt.timedelta) -> str:
    return str(int(value.total_seconds() // 60))


def _call_text(stop: Stop, shown: str, quiet: str) -> str:
    """The contact's alarm: call the customer (C2), or, in the quiet hours, do not (B6).

    >>> at = pendulum.datetime(2026, 11, 26, 8, 20, tz="Asia/Shanghai")
    >>> stop = Stop("WO-1", OrderKind.INSTALL, Tier.GOLD, frozenset(), "浦东", Place("x"),
    ...             at, at, at.subtract(minutes=10), at.subtract(minutes=30),
    ...             at.subtract(minutes=40), dt.timedelta(minutes=20), ("T1",), True, False)
    >>> _call_text(stop, "WO-1", "20:00-08:00")
    '上门前30分钟致电客户：WO-1 / call the customer of WO-1 30 minutes before arrival (C2)'
    """
    minutes = _minutes_text(stop.arrive - stop.call_at)
    zh = f"上门前{minutes}分钟致电客户：{shown}"
    en = f"call the customer of {shown} {minutes} minutes before arrival (C2)"
    if stop.call_in_quiet_hours:
        zh += _QUIET_ZH.format(quiet=quiet)
        en += _QUIET_EN.format(quiet=quiet)
    return f"{zh} / {en}"


def _leave_text(stop: Stop, shown: str) -> str:
    """The alarm of a crew's other technicians: leave to arrive early (T2).

    >>> at = pendulum.datetime(2026, 11, 26, 8, 20, tz="Asia/Shanghai")
    >>> stop = Stop("WO-1", OrderKind.INSTALL, Tier.GOLD, frozenset(), "浦东", Place("x"),
    ...             at, at, at.subtract(minutes=10), at.subtract(minutes=30),
    ...             at.subtract(minutes=40), dt.timedelta(minutes=20), ("T1", "T2"), False, False)
    >>> _leave_text(stop, "WO-1")
    '出发：前往WO-1，比约定时间提前10分钟到达 / departure: leave for WO-1 to arrive 10 minutes early (T2)'
    """
    early = _minutes_text(stop.start - stop.arrive)
    return (
        f"出发：前往{shown}，比约定时间提前{early}分钟到达 / "
        f"departure: leave for {shown} to arrive {early} minutes early (T2)"
    )


def _description(stop: Stop, shown: str, quiet: str) -> str:
    """The stop's ``DESCRIPTION``: a line a fact, each Chinese and English.

    >>> at = pendulum.datetime(2026, 11, 26, 8, 20, tz="Asia/Shanghai")
    >>> stop = Stop("WO-1", OrderKind.INSTALL, Tier.GOLD, frozenset(), "浦东", Place("x"),
    ...             at, at, at.subtract(minutes=10), at.subtract(minutes=30),
    ...             at.subtract(minutes=40), dt.timedelta(minutes=20), ("T1", "T2"), False, False)
    >>> print(_description(stop, "WO-1", "20:00-08:00"))
    工单 order: WO-1
    客户级别 tier: 金卡 gold
    出发 leave (T2): 07:50
    到达 arrive (T2): 08:10
    装维人员 technicians (M2, contact first): T1, T2
    联系人 customer's contact (M2): T1，由其致电客户 / T1 calls the customer
    """
    lines = [
        f"工单 order: {shown}",
        f"客户级别 tier: {stop.tier.label_zh} {stop.tier.label_en}",
        f"出发 leave (T2): {stop.depart:%H:%M}",
        f"到达 arrive (T2): {stop.arrive:%H:%M}",
    ]
    if stop.contact:
        call = f"致电客户 call the customer (C2): {stop.call_at:%H:%M}"
        if stop.call_in_quiet_hours:
            call += _QUIET_ZH.format(quiet=quiet) + _QUIET_EN.format(quiet=quiet)
        lines.append(call)
    if len(stop.crew) > 1:
        lines.append(f"装维人员 technicians (M2, contact first): {', '.join(stop.crew)}")
        if stop.contact:
            lines.append(f"联系人 customer's contact (M2): {stop.crew[0]}（您 you）")
        else:
            lines.append(
                f"联系人 customer's contact (M2): {stop.crew[0]}，由其致电客户 / "
                f"{stop.crew[0]} calls the customer"
            )
    return "\n".join(lines)


def _uid_part(order_id: str, host: str) -> str:
    """The order's part of a stop's UID: its ID, or a UUID of it where the ID is not shown.

    A UID is read by whoever gets the feed: an ID that may hold a phone number (G1)
    is replaced by a name-based UUID, the same for the same order and host.
    """
    if not hides_id(order_id):
        return order_id
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{host}:order:{order_id}"))


# --- building the problem ---------------------------------------------------------


@attrs.frozen
class _Visit:
    order: WorkOrder
    place: Place
    job: Job | None  # None: the day has no such half-day (closed)


def _minutes(value: dt.timedelta) -> int:
    return math.ceil(value.total_seconds() / 60)


_LONGEST_SEARCH = dt.timedelta(hours=1)


def _to_limit(value: object) -> dt.timedelta:
    """The solver's time limit, or a coded refusal of anything that is not one.

    Seconds are checked as numbers before they become a timedelta: NaN, an
    infinity or 1e308 seconds would otherwise raise ValueError or OverflowError.

    >>> _to_limit(2.5)
    datetime.timedelta(seconds=2, microseconds=500000)
    >>> _to_limit(float("nan"))
    Traceback (most recent call last):
    ...
    fieldservice.errors.InvalidInput: time_limit is how long the solver may search: a timedelta or a number of seconds, more than 0 and at most an hour (got nan)
    """
    limit: dt.timedelta | None = None
    if isinstance(value, dt.timedelta):
        limit = value
    elif (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and 0 < value <= _LONGEST_SEARCH.total_seconds()  # False for NaN too
    ):
        limit = dt.timedelta(seconds=value)
    if limit is None or not dt.timedelta(0) < limit <= _LONGEST_SEARCH:
        got = value if isinstance(value, dt.timedelta | int | float) else type(value).__name__
        msg = (
            "time_limit is how long the solver may search: a timedelta or a number of "
            f"seconds, more than 0 and at most an hour (got {got})"
        )
        raise InvalidInput(msg)
    return limit


def _close_of_day(day: dt.date, team: Team) -> pendulum.DateTime | None:
    for half in (HalfDay.AFTERNOON, HalfDay.MORNING):
        try:
            return AppointmentWindow(day, half).end(team.standard)
        except FieldServiceError:
            continue
    return None


def _travel(travel: object, team: Team) -> TravelTimes:
    if travel is None:
        return GreatCircle.from_standard(team.standard)
    if isinstance(travel, TravelTimes):
        return travel
    if callable(travel):
        return TravelFunction(travel)
    msg = "travel must be a TravelTimes (matrix(places)), a callable (a, b) -> minutes, or None"
    raise InvalidInput(msg)


def _problem(
    orders: list[WorkOrder],
    team: Team,
    day: dt.date,
    travel: TravelTimes,
    places: Mapping[str, Place],
    crew: Mapping[str, int],
    midnight: pendulum.DateTime,
) -> tuple[Problem, list[_Visit]]:
    std = team.standard
    violations: list[Violation] = []
    close = _close_of_day(day, team)
    index = {m.id: i for i, m in enumerate(team.members)}
    techs: list[Tech] = []
    all_places: list[Place] = []
    labels: list[str] = []
    for m in team.members:
        all_places += [m.start, m.end or m.start]
        labels += [f"{m.id} start ({m.start.key})", f"{m.id} end ({(m.end or m.start).key})"]
    for i, m in enumerate(team.members):
        shift = team.shift_of(m)[0]
        start = minute_of(
            pendulum.instance(dt.datetime.combine(day, shift.start), tz=std.timezone), midnight
        )
        end = minute_of(
            pendulum.instance(dt.datetime.combine(day, shift.end), tz=std.timezone), midnight
        )
        lunch_range = team.lunch_of(m)
        lunch = None
        if lunch_range is not None:
            ls = minute_of(
                pendulum.instance(dt.datetime.combine(day, lunch_range.start), tz=std.timezone),
                midnight,
            )
            le = minute_of(
                pendulum.instance(dt.datetime.combine(day, lunch_range.end), tz=std.timezone),
                midnight,
            )
            lunch = (ls, le) if start <= ls and le <= end else None
        techs.append(Tech(2 * i, 2 * i + 1, start, end, lunch, m.daily_cap or _NO_CAP))
    visits: list[_Visit] = []
    for order in orders:
        where = f"order {shown_id(order.id)}"
        place = places.get(order.id) or places.get(order.customer.id)
        if place is None and order.customer.address.coordinates is not None:
            place = Place(order.id, coordinates=order.customer.address.coordinates)
        if place is None:
            violations.append(
                Violation(
                    "B7",
                    "place_missing",
                    f"{where}: has no place; give the customer's address coordinates, "
                    "or places={order id: Place(...)} with a travel matrix",
                )
            )
            continue
        skilled = team.skilled_for(order.kind, order.products)
        if not skilled:
            products = ", ".join(sorted(p.value for p in order.products))
            violations.append(
                Violation(
                    "M1",
                    "no_skilled_technician",
                    f"{where}: no technician of the team does {order.kind.value} of {products}; "
                    "add the skills to a member or take the order off the day",
                )
            )
            continue
        size = crew.get(order.id, max(1, len(order.technicians)))
        if isinstance(size, bool) or not isinstance(size, int) or not 1 <= size <= 10:
            violations.append(
                Violation(
                    "M2", "crew_size", f"crew[{shown_id(order.id)}]: must be a whole number 1-10"
                )
            )
            continue
        duration = _minutes(std.service_durations.of(order.kind, order.products))
        window = order.window
        assert window is not None  # booked and confirmed orders have one
        try:
            if order.arrival is not None:
                lo, hi = order.arrival.start, order.arrival.end
            else:
                lo, hi = window.bounds(std)
        except FieldServiceError:
            visits.append(_Visit(order, place, None))
            all_places.append(place)
            labels.append(shown_id(order.id))  # a label names the place in a refusal (G1)
            continue
        earliest = minute_of(lo, midnight)
        latest = minute_of(hi, midnight) - 1
        if close is not None:
            latest = min(latest, minute_of(close, midnight) - duration)
        deadline = None
        if order.kind is OrderKind.REPAIR:
            due = order.events[0].at + std.repair.limit(order.tier, order.customer.area)
            deadline = minute_of(due, midnight)
        job = Job(
            place=len(all_places),
            earliest=earliest,
            latest=latest,
            duration=duration,
            priority=order.tier.priority,
            crew=size,
            skilled=frozenset(index[m.id] for m in skilled),
            deadline=deadline,
        )
        visits.append(_Visit(order, place, job))
        all_places.append(place)
        labels.append(shown_id(order.id))
    if violations:
        msg = f"cannot plan {day}: {len(violations)} input problem(s), nothing was planned"
        raise PlanInputError(msg, violations=violations)
    matrix = checked_matrix(travel, all_places, labels)
    margin = _minutes(std.early_arrival[1])
    jobs = tuple(v.job for v in visits if v.job is not None)
    problem = Problem(tuple(techs), jobs, tuple(tuple(r) for r in matrix), margin)
    return problem, visits


def _why(problem: Problem, job_index: int) -> tuple[str, str, str]:
    j = problem.jobs[job_index]
    if j.latest < j.earliest:
        return (
            "B6",
            "no_time_before_quiet_hours",
            f"its {j.duration} min do not fit in its window before the quiet hours",
        )
    if j.crew > len(j.skilled):
        return (
            "M2",
            "crew_too_large",
            f"it needs {j.crew} technicians at once and {len(j.skilled)} are skilled for it",
        )
    alone = sum(1 for t in j.skilled if schedule(problem, t, [(job_index, None)]) is not None)
    if alone < j.crew:
        return (
            "B7",
            "no_shift_reaches_window",
            "no skilled technician's shift, lunch and travel leave room in its window",
        )
    return (
        "B7",
        "day_full",
        "the day is full: the skilled technicians' time went to higher tiers "
        "or to visits that fit better (B7)",
    )


def _solve(
    problem: Problem, solver: str, time_limit: dt.timedelta, solution_limit: int | None
) -> tuple[Routes, str]:
    if solver == "greedy" or (solver == "auto" and not _ortools.available()):
        return _greedy.solve(problem), "greedy"
    if not _ortools.available():
        msg = "solver='ortools' needs the optional extra: pip install 'fieldservice[plan]'"
        raise InvalidInput(msg)
    deadline = time.monotonic() + time_limit.total_seconds()
    greedy = _greedy.solve(problem)
    # The searches hold only the visits served so far: on a full day most of
    # their time would otherwise go to trying to insert the visits that do not
    # fit. They run in rounds of about five seconds, each from the plan of the
    # last after the repair and a greedy try of the visits left out, so visits
    # that fit into the shortened routes join the next round. On a day of up
    # to 300 visits the first round starts from the greedy plan, and the
    # second half of the time goes to one search on all the visits, which may
    # still trade a visit served for a cheaper one. On a larger day the local
    # search from the greedy plan is far from settled when its time is up, so
    # the first round builds its own first plan on the greedy plan's visits
    # (OR-Tools' cheapest insertion), a far better start; it places crews (M2)
    # less well, which matters on the smaller days. (50 x 600 in 25 s: ~7 min
    # of travel per served visit, 8.5 with one search from the greedy plan.)
    full = len(problem.jobs) <= _FULL_MODEL_UP_TO
    reserve = time_limit / 2 if full else dt.timedelta(0)
    rounds = max(1, (time_limit - reserve) // _ROUND)
    limit = None if solution_limit is None else max(1, solution_limit // (rounds + full))
    routes = greedy
    for k in range(rounds):
        left = dt.timedelta(seconds=deadline - time.monotonic()) - reserve
        routes = _search(problem, routes, left / (rounds - k), limit, first=k == 0 and not full)
    if full:
        left = dt.timedelta(seconds=deadline - time.monotonic())
        routes = _search(problem, routes, left, limit, everything=True)
    if check(problem, routes):  # a plan that breaks a rule is never returned
        return greedy, "greedy (the OR-Tools plan failed its check)"
    if _merit(problem, greedy) > _merit(problem, routes):
        return greedy, "greedy (better than the OR-Tools plan)"
    return routes, "ortools"


def _search(
    problem: Problem,
    routes: Routes,
    time_limit: dt.timedelta,
    solution_limit: int | None,
    *,
    first: bool = False,
    everything: bool = False,
) -> Routes:
    """One OR-Tools search on the visits ``routes`` serve (or on ``everything``).

    The search starts from ``routes``, or, for the ``first``, from its own
    cheapest insertion. Its routes are re-timed by the library's rules
    (:func:`repair`), and the visits left out get one greedy try.
    """
    only = None if everything else frozenset(job for route in routes for job, _ in route)
    start = None if first else routes
    limit = max(time_limit, _LEAST_SEARCH)
    found = _ortools.solve(problem, limit, solution_limit, start=start, only=only)
    if not any(found):  # no plan found in its time: go on from the one it had
        found = routes
    timed, _ = repair(problem, found)
    served = {job for route in timed for job, _ in route}
    _greedy.insert(problem, timed, (j for j in range(len(problem.jobs)) if j not in served))
    return timed


def _merit(problem: Problem, routes: Routes) -> tuple[int, ...]:
    """How good a plan is, for comparing two (the larger is better).

    Visits served per tier, highest tier first (B7); then fewer repairs after
    their F4 deadline (G4); then less travel. A crew visit counts once.
    """
    served = {job: start for route in routes for job, start in route}
    by_tier = Counter(problem.jobs[job].priority for job in served)
    late = sum(
        1
        for job, start in served.items()
        if (deadline := problem.jobs[job].deadline) is not None and start > deadline
    )
    travel = sum(route_travel(problem, tech, route) for tech, route in enumerate(routes))
    return (*(by_tier[p] for p in (3, 2, 1, 0)), -late, -travel)


def plan_day(
    orders: Iterable[WorkOrder],
    team: Team,
    day: dt.date,
    *,
    travel: TravelTimes | Callable[[Place, Place], float | None] | None = None,
    places: Mapping[str, Place] | None = None,
    crew: Mapping[str, int] | None = None,
    time_limit: dt.timedelta | float = dt.timedelta(seconds=10),
    solution_limit: int | None = None,
    solver: str = "auto",
) -> DayPlan:
    """Plan a day: assign the day's booked and confirmed visits and order each route.

    Args:
        orders: Work orders; those booked or confirmed for ``day`` are planned.
        team: The technicians and the standard they work to.
        day: The local date to plan.
        travel: Travel minutes between places; by default estimated from
            coordinates with the standard's speed and road factor.
        places: Places by order ID or customer ID, where the customer's address
            has no coordinates (or to use a travel matrix's keys).
        crew: Technicians a visit needs, by order ID (M2); by default the
            number already assigned to the order, at least one.
        time_limit: How long OR-Tools may search (timedelta or seconds); the
            greedy plan it starts from is built within it.
        solution_limit: Stop OR-Tools after this many solutions instead, for a
            plan that does not depend on the machine's speed (shared among its
            searches).
        solver: ``"auto"`` (OR-Tools if installed, else greedy), ``"ortools"``
            or ``"greedy"``.

    Raises:
        PlanInputError: A visit no technician can do (M1), a visit without a
            place, a travel time missing or negative (T2); every problem is
            listed, and nothing is planned.
        InvalidInput: ``solver="ortools"`` without the ``plan`` extra, or an
            argument of the wrong type.

    See the module's example.

    .. versionadded:: 0.2.0
    """
    if not isinstance(team, Team):
        msg = "team must be a fieldservice.planning.Team"
        raise InvalidInput(msg)
    if not isinstance(day, dt.date) or isinstance(day, dt.datetime):
        msg = "day must be a datetime.date"
        raise InvalidInput(msg)
    if solver not in _SOLVERS:
        msg = f"solver must be one of {', '.join(_SOLVERS)}"
        raise InvalidInput(msg)
    limit = _to_limit(time_limit)
    chosen: list[WorkOrder] = []
    for order in orders:
        if not isinstance(order, WorkOrder):
            msg = f"each order must be a WorkOrder (got {type(order).__name__})"
            raise InvalidInput(msg)
        window = order.window
        if order.state in _PLANNED_STATES and window is not None and window.date == day:
            chosen.append(order)
    std = team.standard
    midnight = pendulum.datetime(day.year, day.month, day.day, tz=std.timezone)
    problem, visits = _problem(
        chosen, team, day, _travel(travel, team), places or {}, crew or {}, midnight
    )
    routes, used = _solve(problem, solver, limit, solution_limit)
    return _result(problem, visits, routes, team, day, midnight, used)


def _result(
    problem: Problem,
    visits: list[_Visit],
    routes: Routes,
    team: Team,
    day: dt.date,
    midnight: pendulum.DateTime,
    used: str,
) -> DayPlan:
    std = team.standard
    planned = [v for v in visits if v.job is not None]
    crews: dict[int, list[str]] = {}
    for tech, route in enumerate(routes):
        for job, _ in route:
            crews.setdefault(job, []).append(team.members[tech].id)
    out_routes = []
    entries: dict[int, Visit | None] = {}
    for tech, route in enumerate(routes):
        t = problem.techs[tech]
        member = team.members[tech]
        place = t.start_place
        stops = []
        total = 0
        for job, start in route:
            v = planned[job]
            j = problem.jobs[job]
            minutes = problem.travel[place][j.place]
            total += minutes
            begin = moment_at(start, midnight)
            travel = dt.timedelta(minutes=minutes)
            arrive = begin - std.early_arrival[1]
            call = arrive - std.call_ahead
            crew = tuple(crews[job])
            # The revision and the last event of the order's visit, as the order calendar
            # writes them (SEQUENCE, DTSTAMP): a re-plan after the visit moved updates the
            # entry. A booked or confirmed order always has a visit; a crew's is read once.
            if job not in entries:
                entries[job] = visit_of(v.order)
            visit = entries[job]
            stops.append(
                Stop(
                    order_id=v.order.id,
                    kind=v.order.kind,
                    tier=v.order.tier,
                    products=v.order.products,
                    region=v.order.customer.address.region,
                    place=v.place,
                    start=begin,
                    end=moment_at(start + j.duration, midnight),
                    arrive=arrive,
                    depart=departure_time(begin, travel, std),
                    call_at=call,
                    travel=travel,
                    crew=crew,
                    contact=crew[0] == member.id,
                    after_deadline=j.deadline is not None and start > j.deadline,
                    # B6: no call to the customer in the quiet hours. The call keeps its
                    # time and is flagged: a person decides whether to call later, closer
                    # to the arrival, or not at all, as for a call the reminder plan
                    # cannot move out of them. The plan never moves it silently.
                    call_in_quiet_hours=std.quiet_hours.contains(
                        call.in_timezone(std.timezone).time()
                    ),
                    sequence=0 if visit is None else visit.sequence,
                    stamp=None if visit is None else pendulum.instance(visit.stamp),
                )
            )
            place = j.place
        leave = back = None
        if route:
            total += problem.travel[place][t.end_place]
            leave = stops[0].depart
            back = stops[-1].end + dt.timedelta(minutes=problem.travel[place][t.end_place])
        out_routes.append(Route(member.id, tuple(stops), leave, back, dt.timedelta(minutes=total)))
    served = set(crews)
    left: list[LeftOut] = []
    left.extend(
        LeftOut(v.order.id, v.order.tier, "B6", "closed_day", f"{v.order.window} is closed")
        for v in visits
        if v.job is None
    )
    for job, v in enumerate(planned):
        if job not in served:
            rule, code, why = _why(problem, job)
            message = f"order {shown_id(v.order.id)}: {why}"
            left.append(LeftOut(v.order.id, v.order.tier, rule, code, message))
    left.sort(key=lambda x: (-x.tier.priority, x.order_id))
    return DayPlan(
        day, tuple(out_routes), tuple(left), used, std.timezone, std.domain, std.quiet_hours
    )
