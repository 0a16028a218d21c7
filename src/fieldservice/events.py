"""What happened to a work order: immutable, past-tense events.

An order *is* its event log. The workflow writes events; the SLA clocks, the
reminder plan and the calendar export read them, and nothing else, so each of
those is a pure function of the log. This module is the small, stable protocol
they share: an :class:`Event` is a kind, an instant, an actor and typed details.

>>> import pendulum
>>> from fieldservice.events import Event, EventKind
>>> e = Event(EventKind.ACCEPTED, pendulum.datetime(2026, 11, 24, 10, 30, tz="Asia/Shanghai"),
...           actor="T7", data={"tier": "gold"})
>>> e.kind.rule, e.data["tier"]
('B3', 'gold')
>>> Event.from_dict(e.to_dict()) == e
True

Each kind's data is a typed payload (:mod:`fieldservice.payloads`): the log's
schema. A key the kind does not define is refused; the whole schema is printed
as JSON Schema by ``fieldservice schema events``.
"""

from __future__ import annotations

import datetime as dt
import functools
import struct
import sys
from array import array
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, Final, Protocol, TypeAlias, cast, overload

import attrs
import pendulum

from fieldservice import _labels, _time, _validate, payloads
from fieldservice._bounded import BoundedTable
from fieldservice.errors import InvalidEvent, InvalidInput

__all__ = [
    "SCHEMA_VERSION",
    "Event",
    "EventKind",
    "HasEvents",
    "JsonValue",
    "LogColumns",
    "PackedLog",
    "actor_id",
    "check_time_order",
    "data_instant",
    "events_of",
    "has_masked_secret",
    "log_of",
    "read_schema_version",
]

JsonValue: TypeAlias = Any
"""A value of an event's data as its JSON form shows it (see :mod:`fieldservice.payloads`)."""


class EventKind(_labels.IdentityEnum):
    """The kinds of event, named in the past tense; ``rule`` is the rule each records.

    >>> EventKind.RESCHEDULED.rule, EventKind.RESCHEDULED.label_zh
    ('B8', '改约')
    """

    ACCEPTED = "accepted"
    REPORTED = "reported"
    RESOURCES_AVAILABLE = "resources_available"
    RESOURCES_MISSING = "resources_missing"
    RESOURCE_NOTICE_GIVEN = "resource_notice_given"
    RESOURCE_GAP_RECORDED = "resource_gap_recorded"
    RESOURCES_BUILT = "resources_built"
    FEASIBILITY_ANSWERED = "feasibility_answered"
    CONTACTED = "contacted"
    BOOKED = "booked"
    CONFIRMED = "confirmed"
    RESCHEDULED = "rescheduled"
    TECHNICIANS_ASSIGNED = "technicians_assigned"
    DEPARTED = "departed"
    DELAYED = "delayed"
    ARRIVED = "arrived"
    CUSTOMER_ABSENT = "customer_absent"
    ENTERED = "entered"
    WORK_STARTED = "work_started"
    WORK_FINISHED = "work_finished"
    SIGNED = "signed"
    COMPLETED = "completed"
    CLOSED = "closed"
    CANCELLED = "cancelled"
    TRIAGED = "triaged"
    REMOTE_GUIDANCE_GIVEN = "remote_guidance_given"
    FOLLOWED_UP = "followed_up"
    VISIT_NEEDED = "visit_needed"
    CLEARED = "cleared"
    CLOCK_PAUSED = "clock_paused"
    CLOCK_RESUMED = "clock_resumed"
    TIER_CHANGED = "tier_changed"
    HANDED_OVER = "handed_over"
    CHECKLIST_UPDATED = "checklist_updated"
    LEFT_TEMPORARILY = "left_temporarily"
    WORKSHEET_UPDATED = "worksheet_updated"
    CUSTOMER_DATA_CHECKED = "customer_data_checked"
    CUSTOMER_PHONE_USED = "customer_phone_used"
    OUT_OF_SCOPE_REQUESTED = "out_of_scope_requested"

    @property
    def rule(self) -> str:
        """The rule ID of the standard this kind of event records."""
        return _META[self][0]

    @property
    def label_zh(self) -> str:
        """The seed's Chinese term for the event."""
        return _META[self][1]


_META: dict[EventKind, tuple[str, str]] = {
    EventKind.ACCEPTED: ("B3", "受理"),
    EventKind.REPORTED: ("F4", "障碍申告"),
    EventKind.RESOURCES_AVAILABLE: ("B5", "资源具备"),
    EventKind.RESOURCES_MISSING: ("R1", "资源不具备"),
    EventKind.RESOURCE_NOTICE_GIVEN: ("R1", "通知客户"),
    EventKind.RESOURCE_GAP_RECORDED: ("R2", "登记资源缺口"),
    EventKind.RESOURCES_BUILT: ("R3", "网络建设完成"),
    EventKind.FEASIBILITY_ANSWERED: ("B4", "即时答复"),
    EventKind.CONTACTED: ("B3", "联系预约"),
    EventKind.BOOKED: ("B2", "预约"),
    EventKind.CONFIRMED: ("C1", "二次确认"),
    EventKind.RESCHEDULED: ("B8", "改约"),
    EventKind.TECHNICIANS_ASSIGNED: ("M2", "派工"),
    EventKind.DEPARTED: ("T2", "出发"),
    EventKind.DELAYED: ("T3", "迟到"),
    EventKind.ARRIVED: ("T2", "到达"),
    EventKind.CUSTOMER_ABSENT: ("K3", "客户不在家"),
    EventKind.ENTERED: ("S1", "进门"),
    EventKind.WORK_STARTED: ("S3", "施工"),
    EventKind.WORK_FINISHED: ("S5", "施工完毕"),
    EventKind.SIGNED: ("W2", "签字"),
    EventKind.COMPLETED: ("W2", "竣工"),
    EventKind.CLOSED: ("G2", "归档"),
    EventKind.CANCELLED: ("G2", "撤单"),
    EventKind.TRIAGED: ("F1", "预判"),
    EventKind.REMOTE_GUIDANCE_GIVEN: ("F1", "远程指导"),
    EventKind.FOLLOWED_UP: ("F2", "跟踪回访"),
    EventKind.VISIT_NEEDED: ("F3", "需上门"),
    EventKind.CLEARED: ("F2", "销障"),
    EventKind.CLOCK_PAUSED: ("G4", "挂起"),
    EventKind.CLOCK_RESUMED: ("G4", "解挂"),
    EventKind.TIER_CHANGED: ("G3", "客户等级变更"),
    EventKind.HANDED_OVER: ("G2", "转交"),
    EventKind.CHECKLIST_UPDATED: ("S5", "检查项"),
    EventKind.LEFT_TEMPORARILY: ("S8", "暂时离开"),
    EventKind.WORKSHEET_UPDATED: ("W1", "施工单"),
    EventKind.CUSTOMER_DATA_CHECKED: ("O1", "核实用户信息"),
    EventKind.CUSTOMER_PHONE_USED: ("G5", "使用客户电话"),
    EventKind.OUT_OF_SCOPE_REQUESTED: ("S9", "超出服务范围的要求"),
}


def _to_kind(value: object) -> EventKind:
    return _validate.enum_member(EventKind, "event kind", value)


def _to_actor(value: object) -> str:
    # Interned: a branch's few desks and technicians act in millions of events, and a
    # restored log would otherwise hold one copy of the name per event. The names
    # checked so far are remembered, so each is checked once.
    if type(value) is str:
        known = _ACTORS.get(value)
        if known is not None:
            return known
    # str(): a subclass of str passes the check but cannot be interned.
    checked = sys.intern(str(_validate.identifier("event actor", value)))
    return _ACTORS.keep(checked, checked)


_ACTORS = BoundedTable[str, str](4096)


def actor_id(value: object) -> str:
    """The ID of who records an event, checked as every event checks its ``actor``.

    For a caller that makes an event's payload itself, as the workflow's commands do:
    checking the actor first keeps the order in which an event refuses what is wrong.

    Raises:
        InvalidInput: ``value`` is not an ID.

    >>> actor_id("T7")
    'T7'
    >>> actor_id("王 五")
    Traceback (most recent call last):
    ...
    fieldservice.errors.InvalidInput: event actor must be 1-64 characters ...
    """
    return _to_actor(value)


_SECRET_KEY = payloads.SECRET_KEY


def _payload(kind: EventKind, data: object) -> payloads.Payload:
    """The typed payload of ``kind`` from a payload, a mapping of its fields, or nothing."""
    cls = payloads.payload_class(kind._value_)
    if type(data) is cls:
        return data
    if type(data) is dict:
        # JSON's own type, checked first: a Mapping isinstance check runs Python code.
        if not data and cls is payloads.NoData:
            return payloads.NO_DATA
        return cls.from_json_data(data, kind._value_)
    if data is None:
        if cls is payloads.NoData:
            return payloads.NO_DATA
        data = {}
    if isinstance(data, payloads.Payload):
        msg = f"{payloads.event_named(kind.value)} carries {cls.__name__} data (got {type(data).__name__})"
        raise InvalidInput(msg)
    if not isinstance(data, Mapping):
        msg = f"event data must be a mapping (got {type(data).__name__})"
        raise InvalidInput(msg)
    return cls.from_json_data(data, kind.value)


def has_masked_secret(value: object) -> bool:
    """Whether event data (as JSON) holds a secret that was masked when it was written out.

    Such data came from an export made without secrets: it cannot restore them.

    >>> has_masked_secret({"label": {"$secret": None}}), has_masked_secret({"a": 1})
    (True, False)
    """
    stack = [value]
    seen = 0
    while stack and seen < 10_000:  # iterative: JSON of any depth is looked at safely
        seen += 1
        item = stack.pop()
        if isinstance(item, tuple | list):
            stack.extend(item)
        elif isinstance(item, Mapping):
            if item.keys() == {_SECRET_KEY} and item[_SECRET_KEY] is None:
                return True
            stack.extend(item.values())
    return False


@attrs.frozen(eq=True, hash=False, init=False)
class Event:
    """One thing that happened to an order: a kind, when, who did it, and typed details.

    Events are immutable and compared by value (``at`` by instant). ``data`` is
    the kind's payload (:mod:`fieldservice.payloads`): typed fields, checked once
    here, and a read-only mapping of their JSON form.

    Args:
        kind: What happened: an :class:`EventKind` or its value.
        at: When, timezone-aware.
        actor: The ID of who recorded it (a technician, a dispatcher, ``"system"``).
        data: The details: the kind's payload, or a mapping of its fields.

    Raises:
        InvalidInput: ``at`` is naive, ``kind`` unknown, or ``data`` does not fit
            the kind (an unknown key, a missing or malformed value).

    >>> import pendulum
    >>> e = Event("booked", pendulum.datetime(2026, 11, 24, 11, tz="UTC"), actor="T7",
    ...           data={"date": "2026-11-26", "half": "afternoon",
    ...                 "start": "2026-11-26T12:00:00+08:00", "end": "2026-11-26T18:00:00+08:00"})
    >>> e.kind, e.data.half
    (<EventKind.BOOKED: 'booked'>, <HalfDay.AFTERNOON: 'afternoon'>)

    """

    kind: EventKind
    # Its slot holds what _time.zone_of keeps of the instant (the zone to rebuild it in,
    # seldom the DateTime itself); the property set on the class below reads it back as
    # a DateTime. A branch holds millions of events: a DateTime each is 88 bytes more.
    at: pendulum.DateTime = attrs.field(eq=False)
    """When it happened, timezone-aware, in the zone or offset it was recorded with.

    Built from :attr:`epoch` when read: the same wall time, offset, zone and fold as given."""
    actor: str = attrs.field(kw_only=True, repr=_validate.staff_repr)  # may hold a phone (G1)
    data: payloads.Payload = attrs.field(kw_only=True)
    epoch: float = attrs.field(init=False, repr=False)
    """``at`` as seconds since the Unix epoch, computed once: the clocks read it in bulk.

    Events compare by it, not by ``at``: a local time that occurs twice (the hour a
    summer time ends) is not ``==`` to the same instant in another zone (PEP 495)."""

    def __init__(
        self, kind: EventKind | str, at: dt.datetime, *, actor: str, data: object = None
    ) -> None:
        member = _to_kind(kind)
        when, epoch = _time.zone_epoch("event at", at)
        self._fill(member, when, epoch, _to_actor(actor), data)

    def _fill(self, kind: EventKind, when: object, epoch: float, actor: str, data: object) -> None:
        put = object.__setattr__
        put(self, "kind", kind)
        _AT_SLOT.__set__(self, when)
        put(self, "actor", actor)
        put(self, "data", _payload(kind, data))
        put(self, "epoch", epoch)

    @property
    def rule(self) -> str:
        """The rule this event records, its kind's, or for a checklist update the item's own.

        >>> import pendulum
        >>> t = pendulum.datetime(2026, 11, 24, 11, tz="UTC")
        >>> Event("checklist_updated", t, actor="T7", data={"action": "tick", "item": "S1"}).rule
        'S1'
        >>> Event("arrived", t, actor="T7").rule
        'T2'
        """
        data = self.data
        if isinstance(data, payloads.ChecklistUpdated):
            return data.rule
        return _META[self.kind][0]

    @classmethod
    def of_command(
        cls,
        kind: EventKind,
        at: pendulum.DateTime,
        epoch: float,
        actor: str,
        data: payloads.Payload | Mapping[str, object],
    ) -> Event:
        """An event whose kind and instant the caller has already checked.

        For the workflow's commands: they check ``at`` once (aware, in range, in
        time order) and know their kind; running the converters again would
        double a command's cost. The actor and the data are still checked here.

        >>> import pendulum
        >>> t = pendulum.datetime(2026, 11, 24, 11, tz="UTC")
        >>> Event.of_command(EventKind.ARRIVED, t, t.timestamp(), "T7", {}).kind
        <EventKind.ARRIVED: 'arrived'>
        """
        event = object.__new__(cls)
        event._fill(kind, _time.zone_of(at, epoch), epoch, _to_actor(actor), data)
        return event

    def __getstate__(self) -> dict[str, object]:
        # Plain state for pickle and deepcopy: slots, and no read-only mappings. The fold
        # apart: a pickled pendulum DateTime loses it.
        at = self.at
        return {
            "kind": self.kind,
            "at": at,
            "actor": self.actor,
            "data": self.data,
            "fold": at.fold,
        }

    def __setstate__(self, state: Mapping[str, Any]) -> None:
        at = state["at"]
        if state.get("fold", at.fold) != at.fold:
            at = dt.datetime.replace(at, fold=state["fold"])  # pendulum drops it
        epoch = at.timestamp()
        self._fill(state["kind"], _time.zone_of(at, epoch), epoch, state["actor"], state["data"])

    def to_dict(
        self, *, include_personal: bool = False, include_secrets: bool | None = None
    ) -> dict[str, Any]:
        """Return the event as JSON-ready data (``at`` as ISO 8601 with its offset).

        A personal or secret value in the data is written as ``{"$secret": null}``
        unless ``include_personal`` is true (G1); only an export with them
        restores them. ``include_secrets`` is its old spelling, deprecated.

        >>> import pendulum
        >>> e = Event("contacted", pendulum.datetime(2026, 11, 24, 15, tz="UTC"),
        ...           actor="T7", data={"note": "带梯子"})
        >>> e.to_dict()["data"], e.to_dict(include_personal=True)["data"]
        ({'note': {'$secret': None}}, {'note': {'$secret': '带梯子'}})
        """
        secrets = _validate.include_personal(include_personal, include_secrets=include_secrets)
        return {
            "kind": self.kind.value,
            "at": _time.iso_text(self.epoch, _AT_SLOT.__get__(self, Event)),
            "actor": self.actor,
            "data": self.data.to_json_data(include_personal=secrets),
        }

    @classmethod
    def from_dict(cls, value: Mapping[str, Any]) -> Event:
        """Rebuild an event from :meth:`to_dict` output.

        Raises:
            InvalidEvent: A key is missing or unknown, or a value is of the wrong form.

        """
        if type(value) is not dict and not isinstance(value, Mapping):
            msg = f"an event must be a JSON object (got {type(value).__name__})"
            raise InvalidEvent(msg)
        keys = value.keys()
        if not keys <= _EVENT_KEYS:
            msg = "an event holds kind, at, actor and data only"
            raise InvalidEvent(msg)
        if not keys >= _NEEDED_KEYS:
            missing = _NEEDED_KEYS - keys
            msg = f"an event needs {', '.join(sorted(missing))}"
            raise InvalidEvent(msg)
        at = value["at"]
        if not isinstance(at, str):
            msg = "event at must be an ISO 8601 text with an offset"
            raise InvalidEvent(msg)
        parsed = _time.iso_or_none(at)
        if parsed is None:
            msg = "event at is not an ISO 8601 date-time"
            raise InvalidEvent(msg)
        if parsed.tzinfo is None:
            msg = "event at has no offset; write it like 2026-11-24T10:30:00+08:00"
            raise InvalidEvent(msg)
        return cls.read(value["kind"], parsed, value["actor"], value.get("data"))

    @classmethod
    def read(cls, kind: object, at: object, actor: object, data: object) -> Event:
        """An event from its fields as a store keeps them apart: a table's columns, a row.

        The reading half of :meth:`from_dict` once ``at`` is a datetime: ``kind``
        is the kind's value, ``at`` an aware datetime, ``data`` the JSON form of
        the details, None for none, or the kind's payload itself (one read
        before: payloads are immutable). Everything is checked as there.

        Raises:
            InvalidEvent: The kind is unknown, ``at`` is not an aware datetime in
                the years the library reads, or the actor or data is malformed.

        >>> import datetime as dt
        >>> e = Event.read("arrived", dt.datetime(2026, 11, 24, 3, tzinfo=dt.UTC), "T7", None)
        >>> e.rule, e.at.isoformat()
        ('T2', '2026-11-24T03:00:00+00:00')
        """
        member = _KIND_OF.get(kind) if isinstance(kind, str) else None
        try:
            if member is None:
                member = _to_kind(kind)  # raises with the kinds there are
            when, epoch = _time.zone_epoch("event at", at)
            # The one construction path of a read event: the constructor's checks, with
            # the kind's look-up above. The actor and the data are checked whatever
            # their type: the cast claims nothing unchecked.
            event = object.__new__(cls)
            event._fill(member, when, epoch, _to_actor(cast("str", actor)), data)
            return event
        except InvalidInput as err:
            raise InvalidEvent(err.message) from None


def _event_at(self: Event) -> pendulum.DateTime:
    """When it happened, timezone-aware, in the zone or offset it was recorded with.

    Built from :attr:`epoch` when read: the event keeps the zone, not a DateTime.

    >>> import pendulum
    >>> t = pendulum.datetime(2026, 11, 24, 14, tz="Asia/Shanghai")
    >>> e = Event("arrived", t, actor="T7")
    >>> e.at == t, e.at.isoformat(), e.at.timezone_name
    (True, '2026-11-24T14:00:00+08:00', 'Asia/Shanghai')
    """
    return _time.rebuilt(self.epoch, _AT_SLOT.__get__(self, Event))


_AT_SLOT: Any = Event.__dict__["at"]  # the slot attrs made for ``at``
setattr(Event, "at", property(_event_at, doc=_event_at.__doc__))  # noqa: B010

SCHEMA_VERSION: Final = 1
"""The version of the order JSON this release writes (``schema_version``).

0 is the JSON of releases before the event schema (no ``schema_version`` and no
``standard``); it is still read, with the same results.
"""


def read_schema_version(value: object) -> int:
    """The ``schema_version`` of an order's JSON, when this release reads it (absent: 0).

    The one rule for every reader of orders (``WorkOrder.from_dict``, the SLA judge of
    JSON lines): a later version may mean another thing by the same keys.

    >>> read_schema_version(1), read_schema_version(0)
    (1, 0)
    >>> read_schema_version(True)
    Traceback (most recent call last):
    ...
    fieldservice.errors.InvalidInput: the order is written in schema version True; ...
    """
    if value not in (0, SCHEMA_VERSION) or type(value) is not int:
        msg = (
            f"the order is written in schema version {_validate.echo(value)}; this release "
            f"reads versions 0 to {SCHEMA_VERSION}: upgrade fieldservice to read it"
        )
        raise InvalidInput(msg)
    return value


_EVENT_KEYS: frozenset[str] = frozenset({"kind", "at", "actor", "data"})
_NEEDED_KEYS: frozenset[str] = frozenset({"kind", "at", "actor"})
_KIND_OF: dict[str, EventKind] = {k.value: k for k in EventKind}


def data_instant(data: Mapping[str, Any], key: str, kind: str | None = None) -> dt.datetime:
    """Read the ISO 8601 instant with an offset that event data holds under ``key``.

    Every reader of event data (clocks, reminders, the workflow, calendars) reads
    instants here, so a malformed one is refused the same way everywhere.

    Args:
        data: An event's data.
        key: The key of the instant, e.g. ``"start"``.
        kind: The event's kind, to name it in the message.

    Raises:
        InvalidEvent: The value is missing, not ISO 8601, or has no offset.

    >>> data_instant({"start": "2026-11-26T14:00:00+08:00"}, "start").isoformat()
    '2026-11-26T14:00:00+08:00'
    >>> data_instant({"start": "2026-11-26T14:00"}, "start", "confirmed")
    Traceback (most recent call last):
    ...
    fieldservice.errors.InvalidEvent: 'start' of a confirmed event has no offset; ...
    """
    event = "an event" if kind is None else payloads.event_named(kind)
    value = data.get(key)
    if not isinstance(value, str):
        msg = f"{event} needs '{key}' as ISO 8601 text with an offset"
        raise InvalidEvent(msg)
    parsed = _time.iso_or_none(value)
    if parsed is None:
        msg = f"'{key}' of {event} is not an ISO 8601 date-time"
        raise InvalidEvent(msg)
    if parsed.tzinfo is None:
        msg = f"'{key}' of {event} has no offset; write it like 2026-11-26T12:00:00+08:00"
        raise InvalidEvent(msg)
    try:
        _validate.check_range(f"'{key}' of {event}", parsed)
    except InvalidInput as err:
        raise InvalidEvent(err.message) from None
    return parsed


_KINDS: tuple[EventKind, ...] = tuple(EventKind)
_KIND_NUMBER: dict[EventKind, int] = {k: i for i, k in enumerate(_KINDS)}


def _unpacked(kind: EventKind, kept: object, epoch: float, actor: str, data: object) -> Event:
    # The fields of an event that was checked when it was made: nothing to check again.
    event = object.__new__(Event)
    put = object.__setattr__
    put(event, "kind", kind)
    _AT_SLOT.__set__(event, kept)
    put(event, "actor", actor)
    put(event, "data", data)
    put(event, "epoch", epoch)
    return event


# Runs of kinds up to this long are made once and shared; a longer log is rare.
_COMMON_RUN = 64


@functools.lru_cache(maxsize=4096)
def _kinds_of(numbers: bytes) -> tuple[EventKind, ...]:
    # Orders repeat a few runs of kinds (an install's lifecycle, a repair's), so a run's
    # tuple is made once: a bulk reader of a branch's logs asks for millions of them.
    return tuple(_KINDS[k] for k in numbers)


@functools.lru_cache(maxsize=256)
def _doubles(n: int) -> struct.Struct:
    return struct.Struct(f"={n}d")


class PackedLog(Sequence[Event]):
    """An event log packed for keeping: instants and kinds as bytes, the rest shared.

    A branch holds millions of orders restored from storage, most of them read
    seldom and changed more seldom. As objects, each event of such a log costs
    104 bytes (the event and its epoch). Packed, it costs 9 bytes (its kind and
    epoch) and two or three references to values that events share: its actor
    (interned), its payload (shared where equal), and what its instant keeps of
    its zone, held once when every event of the log keeps the same. Reading an
    event builds it again, equal to the one packed: same kind, instant, zone,
    fold, actor and data.

    A restored :class:`~fieldservice.workflow.WorkOrder` keeps its log so, and
    unpacks it into events once a command appends to it.

    Args:
        events: The events, oldest first.

    Raises:
        InvalidEvent: An item is not an :class:`Event`, or an event is earlier than
            the one before it (an order's log is in time order; readers of many logs
            rely on it and do not check again).

    >>> import pendulum
    >>> t = pendulum.datetime(2026, 11, 24, 10, tz="Asia/Shanghai")
    >>> events = [Event("accepted", t, actor="desk-1", data={"tier": "gold"}),
    ...           Event("contacted", t.add(minutes=20), actor="desk-1")]
    >>> log = PackedLog(events)
    >>> len(log), log[1].kind.value, log[0].at.isoformat(), list(log) == events
    (2, 'contacted', '2026-11-24T10:00:00+08:00', True)
    >>> log.kinds() == (EventKind.ACCEPTED, EventKind.CONTACTED)
    True
    """

    __slots__ = ("_packed", "_shared")
    # The epochs as doubles, then one byte per kind: 9 bytes an event.
    _packed: bytes
    # (kept, actor, data) per event; or, when every event keeps the same of its zone,
    # that once and then (actor, data) per event.
    _shared: tuple[object, ...]

    def __init__(self, events: Iterable[Event]) -> None:
        epochs = array("d")
        kinds = bytearray()
        kept: list[object] = []
        rest: list[object] = []
        slot = _AT_SLOT.__get__
        before: Event | None = None
        for event in events:
            if type(event) is not Event and not isinstance(event, Event):
                msg = f"a log holds events only (got {type(event).__name__})"
                raise InvalidEvent(msg)
            if before is not None and event.epoch < before.epoch:
                # An order's log is in time order, and its readers rely on it.
                raise _out_of_order(len(epochs), event, before)
            before = event
            epochs.append(event.epoch)
            kinds.append(_KIND_NUMBER[event.kind])
            kept.append(slot(event, Event))
            rest += (event.actor, event.data)
        first = kept[0] if kept else None
        if kept and all(k is first for k in kept):
            shared = (first, *rest)
        else:
            shared = tuple(x for i, k in enumerate(kept) for x in (k, *rest[2 * i : 2 * i + 2]))
        # The epochs first, so they stay 8-byte aligned for the cast that reads them.
        object.__setattr__(self, "_packed", epochs.tobytes() + bytes(kinds))
        object.__setattr__(self, "_shared", shared)

    def __len__(self) -> int:
        return len(self._packed) // 9

    @overload
    def __getitem__(self, index: int) -> Event: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[Event, ...]: ...

    def __getitem__(self, index: int | slice) -> Event | tuple[Event, ...]:
        if isinstance(index, slice):
            return self.events()[index]
        n = len(self)
        i = index + n if index < 0 else index
        if not 0 <= i < n:
            msg = "log index out of range"
            raise IndexError(msg)
        packed, shared = self._packed, self._shared
        (epoch,) = memoryview(packed)[8 * i : 8 * i + 8].cast("d")
        if len(shared) == 3 * n:
            kept, actor, data = shared[3 * i : 3 * i + 3]
        else:
            kept = shared[0]
            actor, data = shared[2 * i + 1 : 2 * i + 3]
        return _unpacked(_KINDS[packed[8 * n + i]], kept, epoch, cast("str", actor), data)

    def __iter__(self) -> Iterator[Event]:
        return iter(self.events())

    def events(self) -> tuple[Event, ...]:
        """Every event, built again, oldest first."""
        n = len(self)
        packed, shared = self._packed, self._shared
        epochs = _doubles(n).unpack_from(packed)
        kinds = self.kinds()
        if len(shared) == 3 * n:
            kepts: Sequence[object] = shared[0::3]
            actors, data = shared[1::3], shared[2::3]
        else:
            kepts = (shared[0],) * n
            actors, data = shared[1::2], shared[2::2]
        return tuple(map(_unpacked, kinds, kepts, epochs, actors, data))  # type: ignore[arg-type]

    def kinds(self) -> tuple[EventKind, ...]:
        """The kind of each event, oldest first, read without building the events."""
        packed = self._packed
        numbers = packed[len(packed) // 9 * 8 :]
        if len(numbers) > _COMMON_RUN:
            return tuple(_KINDS[k] for k in numbers)
        return _kinds_of(numbers)

    def epochs(self) -> tuple[float, ...]:
        """The instant of each event as Unix epoch seconds, oldest first."""
        packed = self._packed
        return cast("tuple[float, ...]", _doubles(len(packed) // 9).unpack_from(packed))

    def payloads(self) -> tuple[object, ...]:
        """The data of each event, oldest first, read without building the events.

        >>> import pendulum
        >>> t = pendulum.datetime(2026, 11, 24, 10, tz="Asia/Shanghai")
        >>> log = PackedLog([Event("accepted", t, actor="desk-1", data={"tier": "gold"})])
        >>> log.payloads() == (log[0].data,)
        True
        """
        shared = self._shared
        return shared[2::3] if len(shared) == len(self._packed) // 3 else shared[2::2]

    @staticmethod
    def columns_of(logs: Sequence[PackedLog]) -> LogColumns:
        """The events of many packed logs as columns, log after log, none of them built.

        For a reader of a branch's logs (the compiled clock judge): a few
        operations per log rather than per event.

        Raises:
            InvalidEvent: An item is not a :class:`PackedLog`.

        >>> import pendulum
        >>> t = pendulum.datetime(2026, 11, 24, 10, tz="Asia/Shanghai")
        >>> one = PackedLog([Event("accepted", t, actor="desk-1", data={"tier": "gold"}),
        ...                  Event("contacted", t.add(minutes=20), actor="desk-1")])
        >>> two = PackedLog([Event("arrived", t.add(hours=2), actor="T7")])
        >>> columns = PackedLog.columns_of([one, two])
        >>> list(columns.counts), [tuple(EventKind)[k].value for k in columns.kinds]
        ([2, 1], ['accepted', 'contacted', 'arrived'])
        >>> columns.epochs[2] == two[0].epoch, columns.payloads[0] is one[0].data
        (True, True)
        """
        logs = logs if type(logs) is list or type(logs) is tuple else list(logs)
        if not all(type(log) is PackedLog for log in logs):
            msg = "columns_of reads PackedLogs only"
            raise InvalidEvent(msg)
        packs = [log._packed for log in logs]
        counts = array("q", [len(p) // 9 for p in packs])
        epochs = array("d")
        epochs.frombytes(b"".join([p[: 8 * n] for p, n in zip(packs, counts, strict=True)]))
        kinds = b"".join([p[8 * n :] for p, n in zip(packs, counts, strict=True)])
        payloads: list[object] = []
        for log in logs:
            payloads += log.payloads()
        return LogColumns(counts, epochs, kinds, payloads)

    def __setattr__(self, name: str, value: object) -> None:
        msg = "a PackedLog cannot be changed"
        raise AttributeError(msg)

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled as its events: what an event keeps of its zone is rebuilt on loading.
        return (PackedLog, (self.events(),))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, PackedLog):
            return self.events() == other.events()
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"<PackedLog of {len(self)} events>"


@attrs.frozen
class LogColumns:
    """The events of many logs as columns, log after log (:meth:`PackedLog.columns_of`).

    ``counts`` holds each log's number of events; ``epochs`` each event's
    instant as Unix epoch seconds; ``kinds`` each event's kind as its index in
    ``tuple(EventKind)``; ``payloads`` each event's data, the very objects the
    logs hold (shared where equal).

    >>> LogColumns(array("q", [0]), array("d"), b"", [])
    <LogColumns of 1 logs, 0 events>
    """

    counts: array[int]
    epochs: array[float]
    kinds: bytes
    payloads: list[object]

    def __repr__(self) -> str:
        # Short, and without the payloads: they may hold personal data.
        return f"<LogColumns of {len(self.counts)} logs, {len(self.epochs)} events>"


class HasEvents(Protocol):
    """Anything with an event log, such as a :class:`~fieldservice.workflow.WorkOrder`."""

    @property
    def events(self) -> Sequence[Event]:
        """The events, oldest first."""
        ...


def log_of(order: HasEvents | Iterable[Event]) -> Iterable[Event]:
    """The log an order keeps, or the events given, as they are: nothing is built.

    An order's log is its ``event_log`` where it has one (as a
    :class:`~fieldservice.workflow.WorkOrder` does, a :class:`PackedLog` once
    restored), else its ``events``. Every reader of orders reads this log, so the
    SLA judges, compiled or not, read the same one.

    >>> log_of(()), log_of(PackedLog([]))
    ((), <PackedLog of 0 events>)
    """
    if type(order) is tuple or type(order) is list or type(order) is PackedLog:
        return order  # a bare log: looking up attributes it lacks costs a microsecond
    # A plain attribute look-up: isinstance() on a Protocol costs microseconds per order.
    log: Iterable[Event] | None = getattr(order, "event_log", None)
    return log if log is not None else getattr(order, "events", None) or order  # type: ignore[return-value]


def events_of(order: HasEvents | Iterable[Event]) -> Sequence[Event]:
    """The events of an order (its :func:`log_of`), or the events given.

    The items of a list or tuple are not looked at here: the readers of the log
    refuse an item that is not an :class:`Event` as they reach it.

    Raises:
        InvalidInput: ``order`` is neither an order nor a collection of events:
            ``None``, a number, a text, or an order's JSON data (a mapping).

    >>> events_of([]), events_of(())
    ([], ())
    >>> events_of({"id": "WO-1", "events": []})
    Traceback (most recent call last):
    ...
    fieldservice.errors.InvalidInput: pass a work order or its events (Event objects), not dict: ...
    """
    events = log_of(order)
    if type(events) is PackedLog:
        return events.events()
    if isinstance(events, tuple | list):
        return events
    if events is order:
        # log_of gives an order back as itself when its events are empty.
        own = getattr(order, "events", None)
        if own is not None:
            events = own
    items = _validate.items_of(events)
    if items is None:
        msg = (
            f"pass a work order or its events (Event objects), not {type(events).__name__}: "
            "restore an order from its JSON with WorkOrder.from_dict or WorkOrder.from_json, "
            "and events with Event.from_dict"
        )
        raise InvalidInput(msg)
    return tuple(items)


def check_time_order(events: Iterable[Event]) -> tuple[Event, ...]:
    """Return the events as a tuple if each is no earlier than the one before.

    Raises:
        InvalidEvent: An event is earlier than the one before it, or not an :class:`Event`.

    >>> import pendulum
    >>> t = pendulum.datetime(2026, 11, 24, 10, tz="UTC")
    >>> late = Event("accepted", t, actor="S")
    >>> early = Event("contacted", t.subtract(minutes=1), actor="S")
    >>> check_time_order([late, early])
    Traceback (most recent call last):
    ...
    fieldservice.errors.InvalidEvent: event 2 (contacted) is earlier than event 1 (accepted); ...

    """
    ordered = tuple(events)
    if not all(isinstance(e, Event) for e in ordered):
        msg = "events must be Event objects"
        raise InvalidEvent(msg)
    for i in range(1, len(ordered)):
        # By instant: same-zone datetimes compare by wall time, so in the hour a
        # summer time ends the later of two events could look earlier (PEP 495).
        if ordered[i].epoch < ordered[i - 1].epoch:
            raise _out_of_order(i, ordered[i], ordered[i - 1])
    return ordered


def _out_of_order(index: int, event: Event, before: Event) -> InvalidEvent:
    """The error for the event at ``index`` (from 0), earlier than the one before it."""
    return InvalidEvent(
        f"event {index + 1} ({event.kind.value}) is earlier than event {index} "
        f"({before.kind.value}); record events in time order"
    )
