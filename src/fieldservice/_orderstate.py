"""An order's state as its events make it: the one fold of events into state.

:class:`~fieldservice.workflow.WorkOrder`'s commands and
:meth:`~fieldservice.workflow.WorkOrder.from_events` both go through :func:`fold`:
a command folds the events it has just made, a restore the events it has read, and
``from_events(order.events)`` equal to the order is the test that both agree. The
fold checks time order and the transition table (:mod:`fieldservice.states`), and
keeps what the events established (the facts) and the work on site (checklist,
work sheet, signature). It holds no log: the order appends each event once.

>>> import pendulum
>>> from fieldservice.events import Event
>>> t = pendulum.datetime(2026, 11, 24, 10, tz="Asia/Shanghai")
>>> s = start(OrderKind.REPAIR, Event("reported", t, actor="desk",
...           data={"tier": "gold", "area": "city", "products": ["broadband"]}))
>>> fold(s, Event("triaged", t.add(minutes=5), actor="desk",
...               data={"remote_possible": True})).state
<State.TRIAGED: 'triaged'>
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Mapping
from typing import Any, Final

import attrs
import pendulum

from fieldservice import _labels, _time, _validate
from fieldservice.appointments import AppointmentWindow, HalfDay
from fieldservice.checklist import Checklist
from fieldservice.errors import InvalidEvent, TransitionNotAllowed, Violation
from fieldservice.events import Event, EventKind
from fieldservice.model import Area, OrderKind, Product, Tier
from fieldservice.payloads import ChecklistUpdated, Confirmed, Opened, event_named
from fieldservice.signoff import Signature
from fieldservice.standard import ServiceStandard
from fieldservice.states import TABLES as _TABLES
from fieldservice.states import State
from fieldservice.visits import NOTHING_BOOKED, Appointment, changes_appointment
from fieldservice.worksheet import WorkSheet

__all__ = ["SignatureRecord"]


S = State  # the reducer's short name

# Which trigger each kind of event records: the reducer's half of the table.
_EVENT_TRIGGER: Final[Mapping[EventKind, str]] = {
    EventKind.FEASIBILITY_ANSWERED: "answer_feasibility",
    EventKind.RESOURCES_AVAILABLE: "check_resources",
    EventKind.RESOURCES_MISSING: "check_resources",
    EventKind.RESOURCE_NOTICE_GIVEN: "notify_resources_missing",
    EventKind.RESOURCE_GAP_RECORDED: "record_resource_gap",
    EventKind.RESOURCES_BUILT: "resources_built",
    EventKind.CONTACTED: "contact_customer",
    EventKind.BOOKED: "book",
    EventKind.TECHNICIANS_ASSIGNED: "assign",
    EventKind.CONFIRMED: "confirm",
    EventKind.RESCHEDULED: "reschedule",
    EventKind.DEPARTED: "depart",
    EventKind.DELAYED: "report_delay",
    EventKind.ARRIVED: "arrive",
    EventKind.CUSTOMER_ABSENT: "customer_absent",
    EventKind.ENTERED: "enter",
    EventKind.WORK_STARTED: "start_work",
    EventKind.CHECKLIST_UPDATED: "update_checklist",
    EventKind.WORKSHEET_UPDATED: "fill_worksheet",
    EventKind.LEFT_TEMPORARILY: "leave_temporarily",
    EventKind.WORK_FINISHED: "finish_work",
    EventKind.SIGNED: "sign",
    EventKind.COMPLETED: "complete",
    EventKind.CLOSED: "close",
    EventKind.CANCELLED: "cancel",
    EventKind.TRIAGED: "triage",
    EventKind.REMOTE_GUIDANCE_GIVEN: "guide",
    EventKind.VISIT_NEEDED: "request_visit",
    EventKind.FOLLOWED_UP: "follow_up",
    EventKind.CLEARED: "clear",
    EventKind.HANDED_OVER: "hand_over",
    EventKind.CLOCK_PAUSED: "pause_clocks",
    EventKind.CLOCK_RESUMED: "resume_clocks",
    EventKind.TIER_CHANGED: "change_tier",
    EventKind.CUSTOMER_DATA_CHECKED: "check_customer_data",
    EventKind.CUSTOMER_PHONE_USED: "use_customer_phone",
    EventKind.OUT_OF_SCOPE_REQUESTED: "record_out_of_scope",
}


# --- the order's state: a pure fold over its events -----------------------------------


@attrs.frozen(weakref_slot=False)
class _Facts:
    """What an order's events have established, besides where it stands."""

    owner: str
    tier: Tier
    area: Area
    products: frozenset[Product]
    visit: Appointment = NOTHING_BOOKED
    # The visit's window and hour as the workflow's value classes, made once per change.
    window: AppointmentWindow | None = None
    # The confirmation (C1) whose hour is agreed: WorkOrder.arrival builds its window
    # when asked, so an order holds no DateTimes of its own for it.
    confirmed: Confirmed | None = None
    contacted: bool = False
    staff: tuple[str, ...] = ()
    contact: str | None = None
    arrived_at: pendulum.DateTime | None = None
    remote_possible: bool = False


@attrs.frozen
class SignatureRecord:
    """One signature in an order's history (W2): what was signed, and what voided it.

    A signature stands while the checklist and work sheet are what was signed;
    the first edit after it (a ``checklist_updated`` or ``worksheet_updated``
    event) voids it, and ``voided_by`` is that event. :attr:`WorkOrder.signatures
    <fieldservice.workflow.WorkOrder.signatures>` lists every record, oldest
    first, so a voided signature is still readable from the order.

    Attributes:
        signature: The signature as signed (the signer's name masked in repr, G1).
        holds: Whether it matched the checklist and work sheet when signed.
        voided_by: The edit that voided it, or ``None`` while it stands.

    >>> import pendulum
    >>> s = Signature("张三", "customer", pendulum.datetime(2026, 11, 26, 15, tz="UTC"), digest="0" * 64)
    >>> r = SignatureRecord(s)
    >>> r.voided, r.holds
    (False, True)
    """

    signature: Signature
    holds: bool = True
    voided_by: Event | None = None

    @property
    def voided(self) -> bool:
        """Whether a later edit voided the signature."""
        return self.voided_by is not None


_NO_WORK_YET: Final = WorkSheet()


@attrs.frozen(weakref_slot=False)
class _Work:
    """The work on site: the checklist, the work sheet and the customer's signature (S, L, W)."""

    checklist: Checklist
    worksheet: WorkSheet = _NO_WORK_YET  # immutable: every order starts with the one blank sheet
    signature: Signature | None = None
    signature_holds: bool = False
    """Whether ``signature`` matches the checklist and work sheet (W2), judged once when signed."""
    history: tuple[SignatureRecord, ...] = ()
    """Every signature so far, and the edit that voided each one that no longer stands."""


@attrs.frozen(weakref_slot=False)
class OrderState:
    """An order as its events make it: kind, state, its last instant, and the facts they established.

    The log itself is kept by the order, appended once per event: a state holds only
    the last event's epoch (for time order) and the count, so folding a log is linear
    in it, and a restored order whose log is packed keeps no event object for it.
    Most events change only the state; the facts and the work are shared with the
    state before until an event changes one of them.
    """

    kind: OrderKind
    state: State
    last: float
    count: int
    facts: _Facts
    work: _Work


def _signed(s: OrderState, _: Event) -> bool:
    return s.work.signature is not None and s.work.signature_holds


_CONDITIONS: Final[Mapping[str, Callable[[OrderState, Event], bool]]] = {
    "resources_available": lambda s, e: e.kind is EventKind.RESOURCES_AVAILABLE,
    "remote_possible": lambda s, e: s.facts.remote_possible,
    "solved": lambda s, e: getattr(e.data, "solved", None) is True,
    "signed": _signed,
}


def _dest(s: OrderState, event: Event) -> State:
    trigger = _EVENT_TRIGGER.get(event.kind)
    routes = _TABLES[s.kind].get((s.state, trigger)) if trigger else None
    if not routes:
        allowed = ", ".join(commands_allowed(s)) or "nothing (the order is final)"
        msg = (
            f"{event.kind.value} is not allowed while the order is {s.state.value} "
            f"({s.state.label_zh}); allowed now: {allowed}"
        )
        raise TransitionNotAllowed(msg)
    if len(routes) == 1 and not routes[0].guarded:
        return routes[0].dest  # most routes: one, with no condition to evaluate
    for route in routes:
        if all(_CONDITIONS[c](s, event) for c in route.conditions) and not any(
            _CONDITIONS[c](s, event) for c in route.unless
        ):
            return route.dest
    blocked = ", ".join(c for r in routes for c in (*r.conditions, *r.unless))
    msg = f"{event.kind.value} is not allowed now: the condition {blocked} does not hold"
    violations: tuple[Violation, ...] = ()
    if "signed" in blocked:
        violations = (
            Violation("W2", "not_signed", "the customer has not signed what is there now"),
        )
    raise TransitionNotAllowed(msg, violations=violations)


# Triggers whose commands have other names: a caller sees only callable methods.
_METHODS_OF: Final[Mapping[str, tuple[str, ...]]] = {
    "update_checklist": ("tick", "mark_not_applicable", "decline", "report_finding"),
    "answer_feasibility": (),  # check_resources(immediate=True) records it
    "clear": (),  # follow_up(solved=True) and complete() record it
}


TRIGGERS: Final[Mapping[tuple[OrderKind, State], frozenset[str]]] = {
    (kind, state): frozenset(t for (source, t) in table if source is state)
    for kind, table in _TABLES.items()
    for state in State
}


def _triggers(s: OrderState) -> frozenset[str]:
    return TRIGGERS[s.kind, s.state]


def commands_allowed(s: OrderState) -> list[str]:
    return sorted(m for t in _triggers(s) for m in _METHODS_OF.get(t, (t,)))


def _checklist_change(checklist: Checklist, event: Event) -> Checklist:
    data = event.data
    assert isinstance(data, ChecklistUpdated)  # the event schema types it by kind
    action = data.action
    if action == "finding":
        assert data.finding is not None
        return checklist.report_finding(data.finding)
    item = data.item
    assert item is not None
    if action == "tick":
        # The event's actor and instant were checked when it was made: only the proof is
        # checked again, against the item's rule.
        return checklist.tick_checked(
            checklist.index_of(item),
            event.actor,
            event.at,
            None if data.evidence is None else dict(data.evidence),  # type: ignore[arg-type]
            data.label,
        )
    assert data.reason is not None
    if action == "not_applicable":
        # As recorded: a log of a release that let L1 be waived on an install restores.
        return checklist.waive_as_recorded(item, by=event.actor, at=event.at, reason=data.reason)
    return checklist.decline(item, by=event.actor, at=event.at, reason=data.reason)


def fold(
    s: OrderState,
    event: Event,
    made: object = None,
    *,
    standard: ServiceStandard | None = None,
) -> OrderState:
    """One event's effect on the order: the only place state changes.

    ``made`` is the value a command already built and checked from the event's
    data (the checklist, the work sheet, the signature); restoring passes none
    and the fold reads the event's typed data itself. ``from_events(order.events)``
    equal to the order is the test that both agree.

    ``standard`` is the order's, given by a restore: a booked or rescheduled window
    read from a log is then checked against it (B2, :func:`_check_half_day`). A
    command's window was checked against it when the command made it.
    """
    _check_order(s, event)
    return _apply(s, event, _dest(s, event), made, standard)


def _check_order(s: OrderState, event: Event) -> None:
    # By instant: same-zone datetimes compare by wall time (PEP 495).
    if event.epoch < s.last:
        at = event.at
        msg = (
            f"{event.kind.value} at {at.isoformat()} is earlier than the last event "
            f"({shown_in(s.last, at)}); record events in time order"
        )
        raise InvalidEvent(msg)


def shown_in(epoch: float, like: dt.datetime) -> str:
    """An instant in the zone of ``like``, so that the two read side by side in a message."""
    zone = like.tzinfo
    try:
        assert zone is not None  # events and commands hold aware datetimes only
        return _time.datetime_of(epoch, zone).isoformat()
    except Exception:  # a user's tzinfo that cannot convert from UTC
        return _time.datetime_of(epoch, pendulum.UTC).isoformat()


def _apply(
    s: OrderState,
    event: Event,
    dest: State,
    made: object = None,
    standard: ServiceStandard | None = None,
) -> OrderState:
    """What ``event`` changes besides the state, once the table has found ``dest``."""
    kind = event.kind
    count = s.count + 1
    if kind in _WORK_KINDS:
        work = _worked(s.work, event, made)
        return OrderState(s.kind, dest, event.epoch, count, s.facts, work)
    data: Any = event.data  # the kind's payload, typed when the event was made
    needs = ORDER_NEEDS.get(kind)
    if needs is not None and any(getattr(data, name) is None for name in needs):
        # Optional in the schema for a bare log; an order's commands always write them.
        msg = f"{event_named(kind.value)} of an order must hold {', '.join(needs)}"
        raise InvalidEvent(msg)
    if kind in EITHER_NEEDS and not any(
        getattr(data, name) is not None for name in EITHER_NEEDS[kind]
    ):
        # A log before 0.3 holds the old field; a newer one the new fields.
        msg = f"{event_named(kind.value)} of an order must hold {' or '.join(EITHER_NEEDS[kind])}"
        raise InvalidEvent(msg)
    facts = s.facts
    changes: dict[str, Any] = {}
    if changes_appointment(kind):
        visit = facts.visit.after(event)
        if visit is not facts.visit:
            changes["visit"] = visit
        if kind is EventKind.BOOKED or kind is EventKind.RESCHEDULED:
            if isinstance(made, AppointmentWindow):
                changes["window"] = made
            else:
                if standard is not None:
                    _check_half_day(kind, data, standard)
                changes["window"] = _shared_window(data.date, data.half)
            changes["confirmed"] = None
        elif kind is EventKind.CONFIRMED:
            changes["confirmed"] = data
        elif kind is EventKind.CONTACTED:
            changes["contacted"] = True
        elif kind is EventKind.CUSTOMER_ABSENT:
            changes.update(window=None, confirmed=None, arrived_at=None)
        elif kind is EventKind.TECHNICIANS_ASSIGNED:  # the contact organises the visit
            changes.update(staff=data.technicians, contact=data.contact)
    elif kind is EventKind.ARRIVED:
        changes["arrived_at"] = event.at
    elif kind is EventKind.HANDED_OVER:
        changes["owner"] = data.to
    elif kind is EventKind.TIER_CHANGED:
        changes["tier"] = data.tier
    elif kind is EventKind.TRIAGED:
        changes["remote_possible"] = data.remote_possible
    if changes:
        facts = _validate.checked_copy(facts, changes)
    return OrderState(s.kind, dest, event.epoch, count, facts, s.work)


ORDER_NEEDS: Final[Mapping[EventKind, tuple[str, ...]]] = {
    EventKind.BOOKED: ("date", "half"),
    EventKind.RESCHEDULED: ("date", "half", "requested_by", "reason"),
    EventKind.CANCELLED: ("reason",),
    EventKind.VISIT_NEEDED: ("reason",),
    EventKind.CUSTOMER_ABSENT: ("note_left", "neighbours_asked"),
    EventKind.RESOURCE_GAP_RECORDED: ("gap",),
    EventKind.DELAYED: ("minutes", "customer_told"),
    EventKind.LEFT_TEMPORARILY: ("reason", "minutes"),
    EventKind.FEASIBILITY_ANSWERED: ("available",),
    EventKind.TRIAGED: ("remote_possible",),
    EventKind.FOLLOWED_UP: ("solved",),
    EventKind.CUSTOMER_DATA_CHECKED: ("via",),
    EventKind.CUSTOMER_PHONE_USED: ("consent",),
    EventKind.OUT_OF_SCOPE_REQUESTED: ("request", "explanation"),
}
"""Payload fields the schema leaves optional for bare logs, and an order's log must hold."""

EITHER_NEEDS: Final[Mapping[EventKind, tuple[str, ...]]] = {
    EventKind.RESCHEDULED: ("consent", "agreed"),
    EventKind.DELAYED: ("reason", "cause"),
}
"""Fields of which an order's log holds at least one: the old one, or its successor."""

_WORK_KINDS: Final = frozenset(
    {EventKind.CHECKLIST_UPDATED, EventKind.WORKSHEET_UPDATED, EventKind.SIGNED}
)


def _worked(work: _Work, event: Event, made: object) -> _Work:
    """The work after a checklist, work sheet or signature event."""
    kind = event.kind
    data: Any = event.data
    if kind is EventKind.CHECKLIST_UPDATED:
        checklist = (
            made if isinstance(made, Checklist) else _checklist_change(work.checklist, event)
        )
        # What was signed is no longer what is there.
        return _Work(checklist, work.worksheet, history=_voided(work, event))
    if kind is EventKind.WORKSHEET_UPDATED:
        return _Work(work.checklist, data.worksheet, history=_voided(work, event))
    signature: Signature = data.signature
    # A signature sign_off() has just made is over this very checklist and work sheet.
    holds = made is signature or signature.verify(work.checklist, work.worksheet)
    history = (*_voided(work, event), SignatureRecord(signature, holds))
    return _Work(work.checklist, work.worksheet, signature, holds, history)


def _voided(work: _Work, event: Event) -> tuple[SignatureRecord, ...]:
    """The history once ``event`` is recorded: a standing signature is voided by it."""
    history = work.history
    if work.signature is None or not history or history[-1].voided_by is not None:
        return history
    last = history[-1]
    return (*history[:-1], SignatureRecord(last.signature, last.holds, event))


def start(kind: OrderKind, first: Event) -> OrderState:
    data = first.data
    expected = EventKind.REPORTED if kind is OrderKind.REPAIR else EventKind.ACCEPTED
    if first.kind is not expected:
        msg = f"{_labels.with_article(kind.value)} order's log must start with {expected.value}"
        raise InvalidEvent(msg)
    assert isinstance(data, Opened)
    if not data.products:
        msg = "the first event must list the order's products"
        raise InvalidEvent(msg)
    if data.tier is None or data.area is None:
        msg = "the first event of an order must name the customer's tier and area"
        raise InvalidEvent(msg)
    products = _shared_products(frozenset(data.products))
    facts = _Facts(owner=first.actor, tier=data.tier, area=data.area, products=products)
    work = _blank_work(kind, products)
    first_state = S.REPORTED if kind is OrderKind.REPAIR else S.RECEIVED
    return OrderState(kind, first_state, first.epoch, 1, facts, work)


@functools.lru_cache(maxsize=256)
def _blank_work(kind: OrderKind, products: frozenset[Product]) -> _Work:
    # Immutable and the same for every order of a kind and products until work begins:
    # one per combination, not one per order.
    return _Work(Checklist.for_order(kind, products))


def _check_half_day(kind: EventKind, data: Any, standard: ServiceStandard) -> None:
    """Refuse a window read from a log whose date and half do not hold its start and end (B2).

    The workflow books a half-day of ``standard`` (:meth:`WorkOrder.book
    <fieldservice.workflow.WorkOrder.book>`): ``start`` is the earliest arrival it
    allows (B5), ``end`` the end of its open time, both inside the half-day. The
    half-day is judged by the standard's zone and ``midday`` (morning from midnight
    to midday, afternoon from midday to the next midnight), not by the hours open
    that day: a holiday announced after the booking (an estimated year) closes the
    day, but the booking was made, and its log is read as it was written.
    """
    date: dt.date = data.date
    zone = _time.zone(standard.timezone)
    midday = _time.wall_epoch(zone, date, _time.seconds_of(standard.midday))
    if data.half is HalfDay.MORNING:
        low, high = _time.wall_epoch(zone, date, 0), midday
    else:
        low, high = midday, _time.wall_epoch(zone, date, 86_400)
    if low <= data.start.timestamp() and data.end.timestamp() <= high:
        return
    text = (
        f"the {data.half.label_en} of {date.isoformat()} under the order's standard does not "
        "hold the window's start and end; write the date and half-day they lie in"
    )
    msg = f"{event_named(kind.value)} names a half-day that does not hold its start and end"
    raise InvalidEvent(msg, violations=(Violation("B2", "window_not_its_half_day", text),))


@functools.lru_cache(maxsize=1024)
def _shared_window(date: dt.date, half: HalfDay) -> AppointmentWindow:
    # Immutable, and a branch books its orders into a few hundred windows: restored
    # orders share one per (date, half) instead of holding one each.
    return AppointmentWindow(date, half)


def _shared_products(products: frozenset[Product]) -> frozenset[Product]:
    # One frozenset per combination of products (216 bytes each), not one per order:
    # the combinations are few, immutable and say nothing personal.
    return _PRODUCT_SETS.setdefault(products, products)


_PRODUCT_SETS: dict[frozenset[Product], frozenset[Product]] = {}
