"""What happened to a work order: immutable, past-tense events.

An order *is* its event log. The workflow writes events; the SLA clocks, the
reminder plan and the calendar export read them, and nothing else, so each of
those is a pure function of the log. This module is the small, stable protocol
they share: an :class:`Event` is a kind, an instant, an actor and plain data.

>>> import pendulum
>>> from fieldservice.events import Event, EventKind
>>> e = Event(EventKind.ACCEPTED, pendulum.datetime(2026, 11, 24, 10, 30, tz="Asia/Shanghai"),
...           actor="T7", data={"tier": "gold"})
>>> e.kind.rule, e.data["tier"]
('B3', 'gold')
>>> Event.from_dict(e.to_dict()) == e
True

The data each kind carries (what the readers rely on; writers may add more):

===========================  ==========================================================
kind                         data
===========================  ==========================================================
``accepted``, ``reported``   ``order_kind``, ``tier``, ``area``, ``products`` (list)
``booked``, ``rescheduled``  ``date``, ``half``, ``start``, ``end`` (ISO 8601 instants
                             of the half-day window as promised); ``rescheduled`` adds
                             ``requested_by`` (``customer``/``provider``), ``reason``,
                             ``consent`` (bool)
``confirmed``                ``start``, ``end``: the arrival window (C1)
``clock_paused``             ``reason``: ``customer_request`` or ``waiting_for_customer``;
                             optional ``clocks``: names of the clocks it pauses
``clock_resumed``            optional ``clocks``
``tier_changed``             ``tier``
``followed_up``              ``solved`` (bool)
===========================  ==========================================================
"""

from __future__ import annotations

import datetime as dt
import types
from collections.abc import Iterable, Mapping
from typing import Any, TypeAlias, cast

import attrs
import pendulum

from fieldservice import _labels, _validate
from fieldservice.errors import InvalidEvent, InvalidInput
from fieldservice.model import Secret

__all__ = [
    "Event",
    "EventKind",
    "JsonValue",
    "check_time_order",
    "data_instant",
    "has_masked_secret",
]

JsonValue: TypeAlias = (
    str | int | float | bool | Secret | tuple["JsonValue", ...] | Mapping[str, "JsonValue"] | None
)
"""Event data holds JSON values only, lists frozen as tuples and objects as read-only mappings."""


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
}

_MAX_DEPTH = 8
_PLAIN: frozenset[type] = frozenset({str, bool, int})


def _freeze(value: object, path: str, depth: int = 0) -> JsonValue:
    if depth > _MAX_DEPTH:
        msg = f"event data {path} is nested too deeply"
        raise InvalidInput(msg)
    kind = type(value)
    if value is None or kind in _PLAIN:
        return cast("JsonValue", value)
    # Exact types first: isinstance against the ABCs below costs more than the rest.
    if kind is dict or (kind is not list and kind is not tuple and isinstance(value, Mapping)):
        return _freeze_mapping(value, path, depth)  # type: ignore[arg-type]
    if kind is list or kind is tuple:
        return _freeze_sequence(value, path, depth)  # type: ignore[arg-type]
    if isinstance(value, str | bool | int | Secret):
        return value
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            msg = f"event data {path} must be a finite number"
            raise InvalidInput(msg)
        return value
    if isinstance(value, list | tuple):
        return _freeze_sequence(value, path, depth)
    msg = f"event data {path} must be JSON data (got {type(value).__name__})"
    raise InvalidInput(msg)


# Most members are plain text or numbers: kept as they are, without spelling out
# the path that only a refusal shows (and within the depth limit).


def _freeze_sequence(value: list[object] | tuple[object, ...], path: str, depth: int) -> JsonValue:
    shallow = depth < _MAX_DEPTH
    return tuple(
        cast("JsonValue", v)
        if shallow and (v is None or type(v) in _PLAIN)
        else _freeze(v, f"{path}[{i}]", depth + 1)
        for i, v in enumerate(value)
    )


def _freeze_mapping(value: Mapping[object, object], path: str, depth: int) -> JsonValue:
    shallow = depth < _MAX_DEPTH
    frozen: dict[str, JsonValue] = {}
    for key, item in value.items():
        if not isinstance(key, str):
            msg = f"event data {path} has a key that is not text"
            raise InvalidInput(msg)
        if shallow and (item is None or type(item) in _PLAIN):
            frozen[key] = cast("JsonValue", item)
        else:
            frozen[key] = _freeze(item, f"{path}.{key}", depth + 1)
    return types.MappingProxyType(frozen)


_NO_DATA: Mapping[str, JsonValue] = types.MappingProxyType({})


def _to_data(value: object) -> Mapping[str, JsonValue]:
    if type(value) is dict and not value:
        return _NO_DATA  # read-only, so every event without data can share it
    if not isinstance(value, Mapping):
        msg = f"event data must be a mapping (got {type(value).__name__})"
        raise InvalidInput(msg)
    return _freeze_mapping(value, "data", 0)  # type: ignore[return-value]


def _to_kind(value: object) -> EventKind:
    return _validate.enum_member(EventKind, "event kind", value)


def _to_at(value: object) -> pendulum.DateTime:
    return _validate.aware("event at", value)


def _to_actor(value: object) -> str:
    return _validate.identifier("event actor", value)


_SECRET_KEY = "$secret"


def _thaw(value: JsonValue, secrets: bool) -> Any:
    if isinstance(value, tuple):
        return [_thaw(v, secrets) for v in value]
    if isinstance(value, Mapping):
        return {k: _thaw(v, secrets) for k, v in value.items()}
    if isinstance(value, Secret):
        return {_SECRET_KEY: value.reveal() if secrets else None}
    return value


def _unseal(value: Any) -> Any:
    """Turn ``{"$secret": "..."}`` back into a :class:`Secret`; a masked one stays data."""
    if isinstance(value, list):
        return [_unseal(v) for v in value]
    if isinstance(value, dict):
        if value.keys() == {_SECRET_KEY} and isinstance(value[_SECRET_KEY], str):
            return Secret(value[_SECRET_KEY])
        return {k: _unseal(v) for k, v in value.items()}
    return value


def has_masked_secret(value: object) -> bool:
    """Whether event data holds a secret that was masked when it was written out.

    Such data came from an export made without secrets: it cannot restore them.

    >>> has_masked_secret({"label": {"$secret": None}}), has_masked_secret({"a": 1})
    (True, False)
    """
    if isinstance(value, tuple | list):
        return any(has_masked_secret(v) for v in value)
    if isinstance(value, Mapping):
        if value.keys() == {_SECRET_KEY} and value[_SECRET_KEY] is None:
            return True
        return any(has_masked_secret(v) for v in value.values())
    return False


@attrs.frozen(eq=True, hash=False)
class Event:
    """One thing that happened to an order: a kind, when, who did it, and plain data.

    Events are immutable and compared by value (``at`` by instant). ``data``
    holds JSON values only, frozen: lists become tuples, objects read-only.

    Args:
        kind: What happened: an :class:`EventKind` or its value.
        at: When, timezone-aware.
        actor: The ID of who recorded it (a technician, a dispatcher, ``"system"``).
        data: Details of the event, e.g. the booked window.

    Raises:
        InvalidInput: ``at`` is naive, ``kind`` unknown, or ``data`` not JSON data.

    >>> import pendulum
    >>> Event("booked", pendulum.datetime(2026, 11, 24, 11, tz="UTC"), actor="T7",
    ...       data={"date": "2026-11-26", "half": "afternoon"}).kind
    <EventKind.BOOKED: 'booked'>

    """

    kind: EventKind = attrs.field(converter=_to_kind)
    at: pendulum.DateTime = attrs.field(converter=_to_at, eq=False)
    actor: str = attrs.field(kw_only=True, converter=_to_actor)
    data: Mapping[str, JsonValue] = attrs.field(
        kw_only=True, factory=lambda: types.MappingProxyType({}), converter=_to_data
    )
    epoch: float = attrs.field(init=False, repr=False)
    """``at`` as seconds since the Unix epoch, computed once: the clocks read it in bulk.

    Events compare by it, not by ``at``: a local time that occurs twice (the hour a
    summer time ends) is not ``==`` to the same instant in another zone (PEP 495)."""

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "epoch", self.at.timestamp())

    @classmethod
    def _checked(
        cls,
        kind: EventKind,
        at: pendulum.DateTime,
        epoch: float,
        actor: str,
        data: Mapping[str, object],
    ) -> Event:
        """An event whose kind and instant the caller has already checked.

        The workflow's commands check ``at`` once (aware, in range, in time
        order) and know their kind; running the converters again would double
        a command's cost. The actor and the data are still checked here.
        """
        event = object.__new__(cls)
        put = object.__setattr__
        put(event, "kind", kind)
        put(event, "at", at)
        put(event, "actor", _to_actor(actor))
        put(event, "data", _to_data(data))
        put(event, "epoch", epoch)
        return event

    def to_dict(self, *, include_secrets: bool = False) -> dict[str, Any]:
        """Return the event as JSON-ready data (``at`` as ISO 8601 with its offset).

        A :class:`~fieldservice.model.Secret` in the data is written as
        ``{"$secret": null}`` unless ``include_secrets`` is true (G1); only an
        export with secrets restores them.

        >>> import pendulum
        >>> from fieldservice.model import Secret
        >>> e = Event("checklist_updated", pendulum.datetime(2026, 11, 26, 15, tz="UTC"),
        ...           actor="T7", data={"password": Secret("pw-1")})
        >>> e.to_dict()["data"], e.to_dict(include_secrets=True)["data"]
        ({'password': {'$secret': None}}, {'password': {'$secret': 'pw-1'}})
        """
        secrets = _validate.consent("include_secrets", include_secrets)
        return {
            "kind": self.kind.value,
            "at": self.at.isoformat(),
            "actor": self.actor,
            "data": _thaw(self.data, secrets),
        }

    @classmethod
    def from_dict(cls, value: Mapping[str, Any]) -> Event:
        """Rebuild an event from :meth:`to_dict` output.

        Raises:
            InvalidEvent: A key is missing or a value is of the wrong form.

        """
        if not isinstance(value, Mapping):
            msg = f"an event must be a JSON object (got {type(value).__name__})"
            raise InvalidEvent(msg)
        missing = {"kind", "at", "actor"} - value.keys()
        if missing:
            msg = f"an event needs {', '.join(sorted(missing))}"
            raise InvalidEvent(msg)
        at = value["at"]
        if not isinstance(at, str):
            msg = "event at must be an ISO 8601 text with an offset"
            raise InvalidEvent(msg)
        try:
            parsed = dt.datetime.fromisoformat(at)
        except ValueError:
            msg = "event at is not an ISO 8601 date-time"
            raise InvalidEvent(msg) from None
        if parsed.tzinfo is None:
            msg = "event at has no offset; write it like 2026-11-24T10:30:00+08:00"
            raise InvalidEvent(msg)
        try:
            data = _unseal(value.get("data", {}))
            return cls(value["kind"], parsed, actor=value["actor"], data=data)
        except InvalidInput as err:
            raise InvalidEvent(err.message) from None


def data_instant(data: Mapping[str, JsonValue], key: str, kind: str | None = None) -> dt.datetime:
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
    event = "an event" if kind is None else f"a {kind} event"
    value = data.get(key)
    if not isinstance(value, str):
        msg = f"{event} needs '{key}' as ISO 8601 text with an offset"
        raise InvalidEvent(msg)
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        msg = f"'{key}' of {event} is not an ISO 8601 date-time"
        raise InvalidEvent(msg) from None
    if parsed.tzinfo is None:
        msg = f"'{key}' of {event} has no offset; write it like 2026-11-26T12:00:00+08:00"
        raise InvalidEvent(msg)
    try:
        _validate.check_range(f"'{key}' of {event}", parsed)
    except InvalidInput as err:
        raise InvalidEvent(err.message) from None
    return parsed


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
            msg = (
                f"event {i + 1} ({ordered[i].kind.value}) is earlier than event {i} "
                f"({ordered[i - 1].kind.value}); record events in time order"
            )
            raise InvalidEvent(msg)
    return ordered
