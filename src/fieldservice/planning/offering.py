"""Capacity-aware offering: half-days a skilled technician can still take (B2, B5, B6, M1).

:func:`offer_windows` lists the next half-day windows that pass every booking
rule (:func:`~fieldservice.next_windows`: B2, B5 with the order kind's lead
time, B6, holidays) *and* that a technician skilled for all of the order's
products (M1: one visit) still has room for, given the visits already booked
and the live holds. Installs and moves wait the standard's lead time (B5);
repairs none.

Room is an estimate made before routes exist: each booked or held visit uses
its on-site time plus a travel allowance from a skilled technician's
half-day (their shift within the half-day, less lunch), and one of their
daily visits. The day plan (:func:`~fieldservice.planning.plan_day`) later
finds the real routes.

**Holds and several booking desks.** :func:`hold` returns a :class:`Hold`, a
value the integrator stores until ``until``; offering counts every live hold
as a booked visit. The library keeps no state, so the contract for several
processes is the integrator's:

1. Per branch and day, run *read bookings and holds → offer_windows → store
   the hold* as one transaction (a row lock on the branch-day, or a
   compare-and-set on its version), so two desks never both see the last slot
   free.
2. A hold counts while ``at < until``; an expired hold is ignored, no clean-up
   needed.
3. When the customer books, pass the booked order in ``plan``; a hold for an
   order that is also in ``plan`` as booked counts once.

>>> import pendulum, fieldservice as fs
>>> from fieldservice.planning import Member, Place, Team, hold, offer_windows
>>> std = fs.ServiceStandard.default()
>>> team = Team(members=[Member("T1", products={"broadband"}, kinds={"install", "repair"},
...                             start=Place("depot"), daily_cap=1)], standard=std)
>>> cust = fs.Customer(id="C1", name="张三", phones="13800138000", address="幸福路 1 号")
>>> at = pendulum.datetime(2026, 11, 24, 10, tz="Asia/Shanghai")
>>> order = fs.WorkOrder.install(id="WO-1", customer=cust, products={"broadband"},
...                              accepted_at=at, by="desk")
>>> first = offer_windows(order, at=at, team=team, count=2)
>>> [str(w) for w in first]
['2026-11-25 上午 morning', '2026-11-25 下午 afternoon']
>>> held = hold(first[0], order, until=at.add(minutes=15))
>>> other = fs.WorkOrder.install(id="WO-2", customer=cust, products={"broadband"},
...                              accepted_at=at, by="desk")
>>> [str(w) for w in offer_windows(other, at=at, team=team, plan=[held], count=1)]
['2026-11-26 上午 morning']
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import attrs
import pendulum

from fieldservice._validate import aware, enum_member, id_repr, identifier, shown_id
from fieldservice.appointments import AppointmentWindow, next_windows
from fieldservice.errors import FieldServiceError, InvalidInput
from fieldservice.model import OrderKind, Product
from fieldservice.planning._base import fail
from fieldservice.planning.team import Member, Team
from fieldservice.workflow import WorkOrder

__all__ = ["Hold", "hold", "offer_windows"]

_PAGE = 8
_MAX_PAGES = 46  # about half a year of half-days


def _order_id(value: object) -> str:
    return identifier("order id", value)


def _until(value: object) -> pendulum.DateTime:
    return aware("until", value)


def _kind(value: object) -> OrderKind:
    return enum_member(OrderKind, "order kind", value)


def _products(value: Iterable[object]) -> frozenset[Product]:
    return frozenset(enum_member(Product, "product", p) for p in value)


@attrs.frozen
class Hold:
    """Capacity reserved for an order in a window until an instant: a value to store.

    Attributes:
        order_id: The order the window is held for.
        window: The half-day held.
        until: When the hold lapses (timezone-aware).
        kind: The order's kind, for the room it takes.
        products: The order's products (M1).

    >>> import datetime as dt, pendulum
    >>> h = Hold("WO-1", AppointmentWindow(dt.date(2026, 11, 25), "morning"),
    ...          pendulum.datetime(2026, 11, 24, 10, 15, tz="UTC"), kind="install",
    ...          products={"broadband"})
    >>> h.live(pendulum.datetime(2026, 11, 24, 10, 14, tz="UTC"))
    True

    .. versionadded:: 0.2.0
    """

    order_id: str = attrs.field(converter=_order_id, repr=id_repr)
    window: AppointmentWindow = attrs.field(
        validator=attrs.validators.instance_of(AppointmentWindow)
    )
    until: pendulum.DateTime = attrs.field(converter=_until)
    kind: OrderKind = attrs.field(kw_only=True, converter=_kind)
    products: frozenset[Product] = attrs.field(kw_only=True, converter=_products)

    def live(self, at: dt.datetime) -> bool:
        """Whether the hold still counts at ``at`` (it lapses at ``until``)."""
        return aware("at", at) < self.until


def hold(window: AppointmentWindow, order: WorkOrder, *, until: dt.datetime) -> Hold:
    """Hold ``window`` for ``order`` until ``until``; store the value and pass it to offering.

    Raises:
        InvalidInput: ``until`` is naive, or the arguments are of the wrong type.

    See the module's example.

    .. versionadded:: 0.2.0
    """
    if not isinstance(order, WorkOrder):
        msg = "order must be a WorkOrder"
        raise InvalidInput(msg)
    return Hold(order.id, window, until, kind=order.kind, products=order.products)


def _need(team: Team, kind: OrderKind, products: frozenset[Product], allowance: float) -> float:
    return team.standard.service_durations.of(kind, products).total_seconds() / 60 + allowance


def _room(team: Team, member: Member, window: AppointmentWindow) -> float:
    """Minutes of the member's shift inside the half-day, less lunch."""
    std = team.standard
    try:
        lo, hi = window.bounds(std)
    except FieldServiceError:
        return 0.0
    tz = std.timezone
    shift = team.shift_of(member)[0]
    day = window.date

    def at(t: dt.time) -> pendulum.DateTime:
        return pendulum.instance(dt.datetime.combine(day, t), tz=tz)

    start, end = max(lo, at(shift.start)), min(hi, at(shift.end))
    room = max(0.0, (end - start).total_seconds() / 60)
    lunch = team.lunch_of(member)
    if lunch is not None:
        ls, le = max(start, at(lunch.start)), min(end, at(lunch.end))
        room -= max(0.0, (le - ls).total_seconds() / 60)
    return room


def _load(
    plan: Iterable[WorkOrder | Hold], order: WorkOrder, at: dt.datetime
) -> list[tuple[AppointmentWindow, OrderKind, frozenset[Product]]]:
    booked: dict[str, tuple[AppointmentWindow, OrderKind, frozenset[Product]]] = {}
    holds: list[tuple[str, tuple[AppointmentWindow, OrderKind, frozenset[Product]]]] = []
    try:
        items = iter(plan)
    except TypeError:  # a DayPlan, say: the parameter's name invites it
        msg = (
            f"plan is the branch's booked orders and holds, an iterable of WorkOrder and Hold "
            f"values (got {type(plan).__name__}); pass the orders a day plan was made from"
        )
        raise InvalidInput(msg) from None
    for item in items:
        if isinstance(item, WorkOrder):
            window = item.window
            if window is not None and not item.state.is_final and item.id != order.id:
                booked[item.id] = (window, item.kind, item.products)
        elif isinstance(item, Hold):
            if item.live(at) and item.order_id != order.id:
                holds.append((item.order_id, (item.window, item.kind, item.products)))
        else:
            msg = f"plan holds WorkOrder and Hold values (got {type(item).__name__})"
            raise InvalidInput(msg)
    # A hold for an order that is booked counts once, as the booking (contract 3).
    return list(booked.values()) + [h for oid, h in holds if oid not in booked]


def _fits(
    team: Team,
    skilled: tuple[Member, ...],
    window: AppointmentWindow,
    need: float,
    crew: int,
    load: list[tuple[AppointmentWindow, OrderKind, frozenset[Product]]],
    allowance: float,
) -> bool:
    minutes = {m.id: _room(team, m, window) for m in team.members}
    visits = {m.id: float(m.daily_cap or 10**6) for m in team.members}
    same_day = [x for x in load if x[0].date == window.date]
    # The most constrained visits first: those fewest members can do.
    items = sorted(
        ((w, team.skilled_for(k, p), _need(team, k, p, allowance)) for w, k, p in same_day),
        key=lambda x: len(x[1]),
    )
    for w, able, used in items:
        if not able:
            continue
        if w == window:
            best = max(able, key=lambda m: (visits[m.id] > 0, minutes[m.id]))
            minutes[best.id] -= used
        else:
            best = max(able, key=lambda m: visits[m.id])
        visits[best.id] -= 1
    free = [m for m in skilled if minutes[m.id] >= need and visits[m.id] >= 1]
    return len(free) >= crew


def offer_windows(
    order: WorkOrder,
    *,
    at: dt.datetime,
    team: Team,
    plan: Iterable[WorkOrder | Hold] = (),
    count: int = 4,
    travel_allowance: dt.timedelta = dt.timedelta(minutes=30),
) -> tuple[AppointmentWindow, ...]:
    """Return the next half-day windows the order may book and a skilled technician can take.

    Args:
        order: The order to book; its kind sets the lead time (repairs: none).
        at: When the booking is made (timezone-aware).
        team: The branch's technicians and standard.
        plan: The branch's booked orders and holds (any dates; others are ignored).
        count: How many windows to return, 1 to 50.
        travel_allowance: Travel time counted per visit in the room estimate.

    Raises:
        PlanInputError: No technician of the team can do the order (M1).
        InvalidInput: ``at`` is naive, ``count`` is out of range, ``plan``
            holds something else.

    See the module's example.

    .. versionadded:: 0.2.0
    """
    if not isinstance(order, WorkOrder) or not isinstance(team, Team):
        msg = "order must be a WorkOrder and team a Team"
        raise InvalidInput(msg)
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= 50:
        msg = "count must be a whole number from 1 to 50"
        raise InvalidInput(msg)
    if not isinstance(travel_allowance, dt.timedelta) or travel_allowance < dt.timedelta(0):
        msg = "travel_allowance must be a non-negative timedelta"
        raise InvalidInput(msg)
    skilled = team.skilled_for(order.kind, order.products)
    if not skilled:
        products = ", ".join(sorted(p.value for p in order.products))
        fail(
            "M1",
            "no_skilled_technician",
            f"order {shown_id(order.id)}",
            f"no technician of the team does {order.kind.value} of {products}",
        )
    allowance = travel_allowance.total_seconds() / 60
    load = _load(plan, order, at)
    need = _need(team, order.kind, order.products, allowance)
    crew = max(1, len(order.technicians))
    lead = dt.timedelta(0) if order.kind is OrderKind.REPAIR else None
    found: list[AppointmentWindow] = []
    after: AppointmentWindow | None = None
    for _ in range(_MAX_PAGES):
        page = next_windows(at, team.standard, _PAGE, after, lead_time=lead)
        for window in page:
            if _fits(team, skilled, window, need, crew, load, allowance):
                found.append(window)
                if len(found) == count:
                    return tuple(found)
        if len(page) < _PAGE:
            break
        after = page[-1]
    return tuple(found)
