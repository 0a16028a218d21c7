"""iCalendar export of booked visits (RFC 5545), as iTIP requests and cancellations (RFC 5546).

A booked order becomes one ``VEVENT``, derived from its events alone: the
half-day window (B2) of the latest ``booked`` or ``rescheduled`` event, or the
arrival hour of a ``confirmed`` event after it (C1); ``STATUS`` TENTATIVE,
CONFIRMED or CANCELLED; a ``UID`` that never changes for an order (in the
namespace of the standard's ``domain``), and a ``SEQUENCE`` that grows with
every change of date or time (B8, B9, C1), so that a calendar client updates
the entry instead of adding a second one. The contact technician (M2) is the
``ORGANIZER``; the reminder plan gives the alarms: the customer calls (C1, C2)
only in the contact's calendar, the departure (T2) in the others'.

Nothing personal is written unless asked for (G1): by default the file names
technicians and the customer by ID, the place by its region, and holds no
phone, name, address detail or note. With ``include_personal=True`` it does,
and customer text is escaped, so it cannot add properties of its own.

>>> import pendulum, fieldservice as fs
>>> from types import SimpleNamespace
>>> from fieldservice.calendar import to_ical
>>> from fieldservice.events import Event
>>> t = pendulum.datetime(2026, 11, 24, 10, tz="Asia/Shanghai")
>>> order = SimpleNamespace(
...     id="WO-1", kind=fs.OrderKind.INSTALL, products=frozenset({fs.Product.BROADBAND}),
...     customer=fs.Customer(id="C1", name="张三", tier="gold", phones="138 0013 8000",
...                          address=fs.Address(region="上海市浦东新区", detail="张江路 100 弄")),
...     technicians=(fs.Technician(id="T7", name="王五", certificate="ZW-310-0042"),),
...     standard=fs.ServiceStandard.default(),
...     events=(Event("booked", t, actor="desk", data={
...         "start": "2026-11-26T12:00:00+08:00", "end": "2026-11-26T20:00:00+08:00"}),))
>>> ics = to_ical([order]).decode()
>>> [line for line in ics.splitlines() if line.startswith(("METHOD", "DTSTART;", "STATUS"))]
['METHOD:REQUEST', 'DTSTART;TZID=Asia/Shanghai:20261126T120000', 'STATUS:TENTATIVE']
>>> "张" in ics or "138" in ics
False
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import io
import re
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import BinaryIO, Final, NoReturn, cast

import icalendar

from fieldservice import _labels, _time, _validate, _vtimezone
from fieldservice.errors import FieldServiceError, InvalidInput
from fieldservice.events import EventKind
from fieldservice.model import Customer, OrderKind, Product, Technician, Tier
from fieldservice.orders_io import read_orders
from fieldservice.reminders import ReminderKind, plan
from fieldservice.standard import ServiceStandard, TimeRange
from fieldservice.visit_entry import Visit as Visit
from fieldservice.visit_entry import VisitOrder as VisitOrder
from fieldservice.visit_entry import VisitStatus as VisitStatus
from fieldservice.visit_entry import visit_of as visit_of
from fieldservice.workflow import WorkOrder

# Visit, VisitOrder, VisitStatus and visit_of live in visit_entry; they still import from here.
__all__ = [
    "IcsAudience",
    "add_timezones",
    "event_for",
    "feed",
    "orders_from_jsonl",
    "to_ical",
    "write_ical",
]


class IcsAudience(_labels.IdentityEnum):
    """Whose calendar the file is for: the technicians' or the customer's.

    The technician's entry carries the call-ahead alarms of the standard (C1,
    C2) and the customer's tier; the customer's entry lists the customer as
    an attendee and reminds them before the visit.

    >>> IcsAudience("customer")
    <IcsAudience.CUSTOMER: 'customer'>

    .. versionadded:: 0.1.0
    """

    TECHNICIAN = "technician"
    CUSTOMER = "customer"


_ORDER_MEMBERS: Final = ("id", "kind", "products", "customer", "technicians", "events", "standard")


def _visit_order(value: object, members: tuple[str, ...] = _ORDER_MEMBERS) -> VisitOrder:
    """``value`` if it has the members of :class:`~fieldservice.visit_entry.VisitOrder` that are read of it.

    Checked by name, as ``isinstance(value, VisitOrder)`` would, but only the
    members needed, and at a fraction of a protocol check's cost per order.
    """
    if not all(hasattr(value, m) for m in members):
        msg = (
            f"an order must be a WorkOrder or have {', '.join(members)} "
            f"(got {type(value).__name__})"
        )
        raise InvalidInput(msg)
    # A duck-typed order is checked member by member: a wrong type deep in the export
    # would be a TypeError, AttributeError or UnicodeEncodeError instead of a coded error.
    _check_members(value, members)
    return value  # type: ignore[return-value]


def _check_members(value: object, members: tuple[str, ...]) -> None:
    def wrong(member: str, expected: str, got: object) -> NoReturn:
        msg = f"an order's {member} must be {expected} (got {type(got).__name__})"
        raise InvalidInput(msg)

    for member in members:
        got = getattr(value, member)
        if member == "id":
            _validate.identifier("order id", got)
        elif member == "kind" and not isinstance(got, OrderKind):
            wrong(member, "an OrderKind", got)
        elif member == "products" and (
            not isinstance(got, frozenset) or not all(isinstance(p, Product) for p in got)
        ):
            wrong(member, "a frozenset of Product", got)
        elif member == "customer" and not isinstance(got, Customer):
            wrong(member, "a Customer", got)
        elif member == "technicians" and (
            not isinstance(got, tuple | list) or not all(isinstance(t, Technician) for t in got)
        ):
            wrong(member, "a tuple of Technician", got)
        elif member == "standard" and not isinstance(got, ServiceStandard):
            wrong(member, "a ServiceStandard", got)
        elif member == "events" and (isinstance(got, str | bytes) or not isinstance(got, Iterable)):
            wrong(member, "a sequence of Event", got)


# --- from a visit to a VEVENT ------------------------------------------------------

# A fixed namespace: the UID of an order never changes between exports or releases.
_NAMESPACE: Final = uuid.UUID("5b0f7c1e-3f4a-5d2b-9c8e-6a1d2f3b4c5d")
_DISPATCH: Final = "dispatch"

# The reminders of the plan each audience gets as alarms: (Chinese, English) text.
# {minutes} is the standard's call-ahead (C2), {by} its confirmation deadline (C1).
_ALARMS: Final = {
    (IcsAudience.TECHNICIAN, ReminderKind.DAY_OF_CONFIRMATION): (
        "二次确认：{by}前与客户确认上门时间",
        "second confirmation: agree the arrival hour with the customer by {by}",
    ),
    (IcsAudience.TECHNICIAN, ReminderKind.CALL_AHEAD): (
        "上门前{minutes}分钟致电客户",
        "call the customer {minutes} minutes before arrival",
    ),
    (IcsAudience.TECHNICIAN, ReminderKind.DEPARTURE): (
        "出发：比约定时间提前{early}分钟到达",
        "departure: leave now to arrive {early} minutes early",
    ),
    (IcsAudience.CUSTOMER, ReminderKind.CALL_AHEAD): (
        "装维人员约{minutes}分钟后上门，出发前会致电您",
        "the technician arrives in about {minutes} minutes and calls you first",
    ),
}

# iTIP (RFC 5546): the METHOD of a message, by whether its visits are cancelled.
_METHODS: Final = {
    frozenset({False}): "REQUEST",
    frozenset({True}): "CANCEL",
}

# Characters that some readers take as line breaks or that no text value may hold:
# controls other than tab and newline, C1 controls, and the Unicode line separators;
# and the bidi embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069), which
# make a calendar show text in another order than it is written ("Trojan Source").
_UNSAFE: Final = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_MAX_TEXT: Final = 1000


def _text(value: str, limit: int | None = _MAX_TEXT) -> str:
    """Customer text made safe: newlines kept (icalendar escapes them), controls spaced.

    ``limit`` bounds one value, never a text composed of several: a long note must not
    cut off the lines written after it.
    """
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return _UNSAFE.sub(" ", value)[:limit].strip()


def _param(value: str) -> str:
    """Text for a parameter such as ``CN``: one line, and no backslash, quote or caret.

    RFC 5545 has no escapes in parameters, but icalendar's reader takes a
    backslash as one: a name ending in one would swallow the next parameter.
    A double quote and a caret are written ``^'`` and ``^^`` (RFC 6868), which
    vobject, and so Radicale, shows as they are. The full-width forms look the
    same and mean nothing.
    """
    return " ".join(_text(value).split()).translate(_PARAM_LOOK_ALIKES)


_PARAM_LOOK_ALIKES: Final = str.maketrans({"\\": "\uff3c", '"': "\uff02", "^": "\uff3e"})


def _uid(order_id: str, domain: str = "fieldservice") -> str:
    """``uuid.uuid5(_NAMESPACE, domain + ":order:" + order_id)``, and ``@`` the domain.

    The standard's ``domain`` is the namespace: order ``WO-1`` of two
    deployments gets two UIDs. The default domain gives the UIDs of earlier
    releases. Spelt out because every entry needs one: the UUID object that
    ``uuid5()`` builds and formats costs more than the hash itself.
    """
    name = (domain + ":order:" + order_id).encode()
    digest = bytearray(hashlib.sha1(_NAMESPACE.bytes + name, usedforsecurity=False).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50  # version 5 (RFC 4122, 4.3)
    digest[8] = (digest[8] & 0x3F) | 0x80  # the RFC 4122 variant
    h = digest.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}@{domain}"


@functools.lru_cache(maxsize=4096)
def _address(kind: str, ident: str, domain: str = "fieldservice") -> str:
    """``urn:uuid:`` + ``uuid5(_NAMESPACE, domain:kind:ident)``: a person's calendar address.

    urn:uuid (RFC 4122) is a registered URN namespace: an opaque, stable address
    that names no person; the CN parameter carries the readable ID. The
    standard's ``domain`` is its namespace, as for the UIDs, so technician T7 of
    two deployments has two addresses; the default domain gives the addresses
    of earlier releases.
    """
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, f'{domain}:{kind}:{ident}')}"


def _technician(
    tech: Technician, include_personal: bool, domain: str, role: str | None = None
) -> icalendar.vCalAddress:
    if include_personal and tech.phone is not None:
        # vCalAddress.new() would force a mailto: prefix; a phone is a tel: URI (RFC 3966).
        address = icalendar.vCalAddress(f"tel:{tech.phone.reveal()}")
    else:
        address = icalendar.vCalAddress(_address("technician", tech.id, domain))
    address.params["CN"] = _param(tech.name.reveal()) if include_personal else tech.id
    if role is not None:  # ROLE and CUTYPE describe attendees, not the organizer
        address.params.update({"CUTYPE": "INDIVIDUAL", "ROLE": role})
    return address


def _customer(customer: Customer, include_personal: bool, domain: str) -> icalendar.vCalAddress:
    if include_personal:
        address = icalendar.vCalAddress(f"tel:{customer.phones[0].reveal()}")
        name = _param(customer.name.reveal())
    else:
        address = icalendar.vCalAddress(_address("customer", customer.id, domain))
        name = customer.id
    address.params.update({"CN": name, "CUTYPE": "INDIVIDUAL", "ROLE": "REQ-PARTICIPANT"})
    return address


_PRODUCT_ORDER: Final = {product: i for i, product in enumerate(Product)}


@functools.cache
def visit_summary(kind: OrderKind, products: frozenset[Product]) -> str:
    """What a visit is, in Chinese and English: an entry's ``SUMMARY``, a day plan's too.

    >>> visit_summary(OrderKind.REPAIR, frozenset({Product.BROADBAND, Product.FIXED_LINE}))
    '修障：固话、宽带 / repair: fixed line, broadband'
    """
    if not products:
        return f"{kind.label_zh} / {kind.label_en}"
    ordered = sorted(products, key=_PRODUCT_ORDER.__getitem__)
    zh = "、".join(p.label_zh for p in ordered)
    en = ", ".join(p.label_en for p in ordered)
    return f"{kind.label_zh}：{zh} / {kind.label_en}: {en}"


@functools.lru_cache(maxsize=64)
def _alarm_texts(
    call_ahead: dt.timedelta,
    confirm_by: dt.time,
    early: tuple[dt.timedelta, dt.timedelta],
    quiet: TimeRange,
) -> dict[tuple[IcsAudience, ReminderKind, bool], str]:
    # Keyed by the numbers the texts show, not by the standard: hashing a whole
    # ServiceStandard (clock rules, tier limits) for every entry costs microseconds.
    # The third key: the reminder falls in the quiet hours with no time outside them.
    values = {
        "minutes": int(call_ahead.total_seconds() // 60),
        "by": confirm_by.strftime("%H:%M"),
        "early": "-".join(str(int(e.total_seconds() // 60)) for e in early),
        "quiet": str(quiet),
    }
    texts = {}
    for (audience, kind), (zh, en) in _ALARMS.items():
        texts[audience, kind, False] = f"{zh.format(**values)} / {en.format(**values)}"
        quiet_zh, quiet_en = CALL_IN_QUIET_HOURS[audience]
        zh, en = _ALARMS_WITHOUT_A_CALL.get((audience, kind), (zh, en))
        texts[audience, kind, True] = (
            f"{zh.format(**values)}{quiet_zh.format(**values)} / "
            f"{en.format(**values)}{quiet_en.format(**values)}"
        )
    return texts


# The customer's alarm when the quiet hours forbid the call (B6): it promises none.
_ALARMS_WITHOUT_A_CALL: Final = {
    (IcsAudience.CUSTOMER, ReminderKind.CALL_AHEAD): (
        "装维人员约{minutes}分钟后上门",
        "the technician arrives in about {minutes} minutes",
    ),
}


# A reminder whose every useful instant lies in the quiet hours keeps its time and is
# flagged for a person to decide (B6): its alarm says so rather than ask for the call.
CALL_IN_QUIET_HOURS: Final = {
    IcsAudience.TECHNICIAN: (
        "（免打扰时段{quiet}内，B6：勿致电客户，请人工决定）",
        " (in the quiet hours {quiet}, B6: do not call the customer; a person decides)",
    ),
    IcsAudience.CUSTOMER: (
        "（免打扰时段{quiet}内不致电）",
        " (no call in the quiet hours {quiet}, B6)",
    ),
}
"""What an alarm adds, Chinese then English, to a call the quiet hours forbid (B6).

By whose calendar it is; ``{quiet}`` is the standard's quiet hours.
"""


def _hhmm(moment: dt.datetime) -> str:
    # What f"{moment:%H:%M}" writes, without strftime's cost (four of them per entry);
    # in a repeated hour (PEP 495 fold) the offset too, so 02:30-02:30 reads right. The
    # offset is in brackets: a range's dash must not read as a negative offset's sign.
    if moment.replace(fold=1 - moment.fold).utcoffset() != moment.utcoffset():
        offset = moment.isoformat(timespec="minutes")[16:]
        return f"{moment.hour:02}:{moment.minute:02} (UTC{offset})"
    return f"{moment.hour:02}:{moment.minute:02}"


def _description(
    order: VisitOrder,
    visit: Visit,
    technicians: Sequence[Technician],
    audience: IcsAudience,
    include_personal: bool,
) -> str:
    low, high = visit.window
    lines = [
        # An ID that may hold a phone number is shown only with the personal data (G1).
        f"工单 order: {order.id if include_personal else _validate.id_text(order.id)}",
        f"预约 booked (B2): {low.year}-{low.month:02}-{low.day:02} {_hhmm(low)}-{_hhmm(high)}",
    ]
    if visit.arrival is not None and not visit.cancelled:
        # Only a confirmation on record: a visit done without one was never agreed to the hour.
        lines.append(f"二次确认 confirmed (C1): {_hhmm(visit.start)}-{_hhmm(visit.end)}")
    if technicians:
        ids = ", ".join(t.id for t in technicians)
        lines.append(f"装维人员 technicians (M2, contact first): {ids}")
    if include_personal:
        if audience is IcsAudience.TECHNICIAN:
            customer = order.customer
            phones = ", ".join(p.reveal() for p in customer.phones)
            lines.append(f"客户 customer: {_text(customer.name.reveal())} {phones}")
            lines.append(f"地址 address: {_text(customer.address.reveal())}")
        if visit.note is not None:
            lines.append(f"备注 note: {_text(visit.note.reveal())}")
    if visit.outcome is not None:
        lines.append(f"结果 outcome: {_OUTCOME_LABELS[visit.outcome]}")
    # Each value from people is bounded above; the lines are all written, the last too.
    return _text("\n".join(lines), None)


_OUTCOME_LABELS: Final = {"completed": "已竣工 completed", "closed": "已归档 closed"}


def _rules(visit: Visit, organised: bool, alarms: Iterable[str]) -> str:
    rules = ["C1" if visit.arrival is not None and not visit.cancelled else "B2"]
    if visit.moves:  # moved to another window at least once (a confirmation is C1)
        rules.append("B8")
    if organised:
        rules.append("M2")
    rules.extend(rule for rule in alarms if rule not in rules)
    return " ".join(rules)


def _exact(moment: dt.datetime) -> dt.datetime:
    """The instant as a local time with TZID, or in UTC where that local time occurs twice.

    A TZID time means its first occurrence (RFC 5545, 3.3.5): the second one,
    in the hour a summer time ends, is written in UTC instead.
    """
    if moment.fold and moment.replace(fold=0).utcoffset() != moment.utcoffset():
        return moment.astimezone(dt.UTC)
    return moment


def _build(
    order: VisitOrder,
    visit: Visit,
    audience: IcsAudience,
    include_personal: bool,
    owner: str | None = None,
    travel: dt.timedelta | None = None,
) -> icalendar.Event:
    event = icalendar.Event()
    domain = order.standard.domain  # the namespace of the UID and of every address
    event.add("UID", _uid(order.id, domain))
    event.add("DTSTAMP", visit.stamp)
    event.add("DTSTART", _exact(visit.start))
    event.add("DTEND", _exact(visit.end))
    event.add("SEQUENCE", visit.sequence)
    event.add("STATUS", visit.status.value)
    summary = visit_summary(order.kind, order.products)
    if include_personal and audience is IcsAudience.TECHNICIAN:
        summary = f"{summary} · {order.customer.name.reveal()}"
    event.add("SUMMARY", _text(summary))
    address = order.customer.address
    location = address.reveal() if include_personal else address.region
    if location:
        event.add("LOCATION", _text(location))
    technicians = order.technicians  # a work order derives them: read once
    event.add("DESCRIPTION", _description(order, visit, technicians, audience, include_personal))
    if include_personal:
        event.add("CLASS", "CONFIDENTIAL")
    if technicians:
        event.add("ORGANIZER", _technician(technicians[0], include_personal, domain))
    else:
        event.add("ORGANIZER", _dispatch(domain))
        # RFC 5546 (3.2.2, 3.2.5): a REQUEST and a CANCEL name at least one attendee.
        # Until technicians are assigned, the dispatch desk that will assign them is it.
        event.add("ATTENDEE", _dispatch(domain, role="CHAIR"))
    # The contact is an attendee too: an iTIP REQUEST names at least one (RFC 5546).
    for i, tech in enumerate(technicians):
        role = "CHAIR" if i == 0 else "REQ-PARTICIPANT"
        event.add("ATTENDEE", _technician(tech, include_personal, domain, role))
    if audience is IcsAudience.CUSTOMER:
        event.add("ATTENDEE", _customer(order.customer, include_personal, domain))
    alarms = _alarms(order, visit, audience, technicians, owner, travel)
    for _, alarm in alarms:
        event.add_component(alarm)
    if include_personal or not _validate.hides_id(order.id):
        # The UID names the order either way: it is made from the ID (_uid).
        event.add("X-FIELDSERVICE-ORDER-ID", icalendar.vText(order.id))
    event.add("X-FIELDSERVICE-ORDER-KIND", icalendar.vText(order.kind.value))
    if audience is IcsAudience.TECHNICIAN:
        event.add("X-FIELDSERVICE-TIER", icalendar.vText(_tier_of(order).value))
    if visit.outcome is not None:
        event.add("X-FIELDSERVICE-OUTCOME", icalendar.vText(visit.outcome))
    rules = _rules(visit, bool(technicians), (rule for rule, _ in alarms))
    event.add("X-FIELDSERVICE-RULES", icalendar.vText(rules))
    return event


def _tier_of(order: VisitOrder) -> Tier:
    """The customer's tier as the order's events know it (G3), as ``WorkOrder.tier`` reads it."""
    for event in reversed(order.events):
        if event.kind in _TIER_KINDS:
            tier = getattr(event.data, "tier", None)
            if tier is not None:
                return cast("Tier", tier)
    return order.customer.tier


# The events that say the tier: the opening ones, and a change of tier (G3).
_TIER_KINDS: Final = frozenset({EventKind.ACCEPTED, EventKind.REPORTED, EventKind.TIER_CHANGED})


def _dispatch(domain: str, role: str | None = None) -> icalendar.vCalAddress:
    # The dispatch desk: a group, addressed like technicians by an opaque urn:uuid.
    address = icalendar.vCalAddress(_address("dispatch", _DISPATCH, domain))
    address.params["CN"] = _DISPATCH
    if role is not None:
        address.params.update({"CUTYPE": "GROUP", "ROLE": role})
    return address


_ALARM_KINDS: Final = frozenset(kind for _, kind in _ALARMS)


def _alarms(
    order: VisitOrder,
    visit: Visit,
    audience: IcsAudience,
    technicians: Sequence[Technician],
    owner: str | None,
    travel: dt.timedelta | None,
) -> list[tuple[str, icalendar.Alarm]]:
    if visit.cancelled or visit.outcome is not None:
        return []
    standard = order.standard
    texts = _alarm_texts(
        standard.call_ahead, standard.confirm_by, standard.early_arrival, standard.quiet_hours
    )
    start = visit.start.timestamp()
    alarms = []
    # Whose calendar it is (M2): a feed is its technician's; a message to every
    # technician of the visit is the contact's when there is one technician, and with
    # several carries what each of them does: the departure, not the customer calls.
    if audience is IcsAudience.TECHNICIAN and owner is None and len(technicians) > 1:
        owner = technicians[-1].id
    # The plan is the one reader of the reminder rules (C1, C2, T2); the calendar only
    # turns its reminders into alarms relative to the start of the entry.
    for reminder in plan(
        order,
        standard=standard,
        kinds=_ALARM_KINDS,
        technician=owner if audience is IcsAudience.TECHNICIAN else None,
        travel=travel if audience is IcsAudience.TECHNICIAN else None,
    ):
        text = texts.get((audience, reminder.kind, reminder.quiet_hours_conflict))
        if text is None:
            continue
        alarm = icalendar.Alarm()
        alarm.add("ACTION", "DISPLAY")
        alarm.add("TRIGGER", _Trigger(dt.timedelta(seconds=reminder.due.timestamp() - start)))
        alarm.add("DESCRIPTION", text)
        alarm.add("X-FIELDSERVICE-RULE", icalendar.vText(reminder.rule))
        if reminder.quiet_hours_conflict:
            alarm.add("X-FIELDSERVICE-QUIET-HOURS-CONFLICT", icalendar.vText("TRUE"))
        alarms.append((reminder.rule, alarm))
    return alarms


class _Trigger(icalendar.vDuration):
    """A relative ``TRIGGER`` in exact time: hours, minutes and seconds, never days.

    A day in a duration is nominal (RFC 5545 3.3.6): ``-P1DT10M`` before a visit the
    day after a change of summer time fires an hour off the instant the plan gives.
    Hours are exact, so ``-PT24H10M`` fires at that instant in every client.
    """

    def to_ical(self) -> bytes:
        seconds = int(self.td.total_seconds())
        if not seconds:
            return b"P0D"  # as icalendar writes it; under a day, its text and this agree
        sign, seconds = ("-", -seconds) if seconds < 0 else ("", seconds)
        hours, rest = divmod(seconds, 3600)
        minutes, seconds = divmod(rest, 60)
        # dur-hour = 1*DIGIT "H" [dur-minute]: seconds after hours need the minutes too.
        parts = [
            f"{hours}H" if hours else "",
            f"{minutes}M" if minutes or (hours and seconds) else "",
        ]
        parts.append(f"{seconds}S" if seconds or not (hours or minutes) else "")
        return f"{sign}PT{''.join(parts)}".encode()


def _to_audience(value: object) -> IcsAudience:
    return _validate.enum_member(IcsAudience, "audience", value)


def event_for(
    order: VisitOrder,
    *,
    audience: IcsAudience | str = IcsAudience.TECHNICIAN,
    include_personal: bool = False,
    include_secret: bool | None = None,
    include_secrets: bool | None = None,
) -> icalendar.Event:
    """Return the ``VEVENT`` of an order's visit, for integrators who build their own calendar.

    Its ``DTSTART`` and ``DTEND`` name the standard's zone as ``TZID``: add the
    ``VTIMEZONE`` with :func:`add_timezones` once the event is in a calendar
    (not icalendar's ``add_missing_timezones()``, whose zones CalDAV servers
    read an hour off; see there).

    Args:
        order: The work order.
        audience: Whose calendar the entry is for.
        include_personal: Write names, phones, the full address and the
            customer's note (G1: only where they are needed).
        include_secret: Deprecated spelling of ``include_personal``.
        include_secrets: Deprecated spelling of ``include_personal``.

    Raises:
        InvalidInput: The order has no booked visit, or its events are malformed.

    >>> import pendulum, fieldservice as fs
    >>> from types import SimpleNamespace
    >>> from fieldservice.events import Event
    >>> t = pendulum.datetime(2026, 11, 24, 10, tz="Asia/Shanghai")
    >>> order = SimpleNamespace(
    ...     id="WO-1", kind=fs.OrderKind.REPAIR, products=frozenset({fs.Product.BROADBAND}),
    ...     customer=fs.Customer(id="C1", name="张三", phones="138 0013 8000", address="幸福路 1 号"),
    ...     technicians=(), standard=fs.ServiceStandard.default(),
    ...     events=[Event("booked", t, actor="desk", data={
    ...         "start": "2026-11-25T08:00:00+08:00", "end": "2026-11-25T12:00:00+08:00"})])
    >>> vevent = event_for(order)
    >>> str(vevent["SUMMARY"]), vevent["SEQUENCE"], vevent.start.isoformat()
    ('修障：宽带 / repair: broadband', 0, '2026-11-25T08:00:00+08:00')

    .. versionadded:: 0.1.0
    """
    consent = _validate.include_personal(
        include_personal, include_secret=include_secret, include_secrets=include_secrets
    )
    chosen = _to_audience(audience)
    _visit_order(order)
    visit = visit_of(order)
    if visit is None:
        msg = f"order {_validate.shown_id(order.id)} has no booked visit; book a half-day window first (B2)"
        raise InvalidInput(msg)
    return _build(order, visit, chosen, consent)


def add_timezones(calendar: icalendar.Calendar) -> None:
    """Add the ``VTIMEZONE`` of every ``TZID`` the calendar uses and lacks, as the exports do.

    For a calendar built from :func:`event_for` entries. icalendar's own
    ``add_missing_timezones()`` writes a zone's irregular changes as one
    ``RDATE`` list, of which vobject (and so Radicale and other CalDAV
    servers) keeps only the first date: times in summer, or in winter, come
    out an hour off; and how far its definition reaches depends on the
    entries. The zones added here are those of :func:`to_ical`, the same
    whatever the entries' dates: from 1969 on, one ``RDATE`` per change until
    the zone's present yearly rule, which is an ``RRULE``.

    >>> import icalendar, pendulum, fieldservice as fs
    >>> from types import SimpleNamespace
    >>> from fieldservice.events import Event
    >>> t = pendulum.datetime(2026, 6, 1, 10, tz="Europe/Berlin")
    >>> order = SimpleNamespace(
    ...     id="WO-1", kind=fs.OrderKind.REPAIR, products=frozenset({fs.Product.BROADBAND}),
    ...     customer=fs.Customer(id="C1", name="Anna", phones="138 0013 8000", address="x"),
    ...     technicians=(), standard=fs.ServiceStandard.default().replace(timezone="Europe/Berlin"),
    ...     events=[Event("booked", t, actor="desk", data={
    ...         "start": "2026-06-15T08:00:00+02:00", "end": "2026-06-15T12:00:00+02:00"})])
    >>> mine = icalendar.Calendar()
    >>> mine.add_component(event_for(order))
    >>> add_timezones(mine)
    >>> mine.get_missing_tzids(), [str(tz["TZID"]) for tz in mine.walk("VTIMEZONE")]
    (set(), ['Europe/Berlin'])

    .. versionadded:: 0.1.0
    """
    if not isinstance(calendar, icalendar.Calendar):
        msg = f"calendar must be an icalendar.Calendar (got {type(calendar).__name__})"
        raise InvalidInput(msg)
    missing = calendar.get_missing_tzids()
    if not missing:
        return
    at = len(calendar.timezones)  # before the entries that name them, after those there
    calendar.subcomponents[at:at] = _vtimezone.vtimezones(missing)


def _calendar(
    events: Sequence[tuple[icalendar.Event, Visit]], method: str | None, name: str | None = None
) -> bytes:
    cal = icalendar.Calendar()
    cal.add("PRODID", "-//fieldservice//home-visit service standard//ZH")
    cal.add("VERSION", "2.0")
    if method is not None:
        cal.add("METHOD", method)
    if name is not None:
        cal.add("NAME", name)
        cal.add("X-WR-CALNAME", name)
    if events:
        # Whatever the visits' dates, every file carries the same VTIMEZONE for a zone,
        # so a client that keeps the first one it saw for a TZID (vobject does) still
        # reads the visits of later files right.
        for vtimezone in _vtimezone.vtimezones(set().union(*(_tzids(e) for e, _ in events))):
            cal.add_component(vtimezone)
    for event, _ in events:
        cal.add_component(event)
    data: bytes = cal.to_ical()
    return data


def _tzids(event: icalendar.Event) -> set[str]:
    """The TZIDs the entry's times name: exactly those need a VTIMEZONE (RFC 5545 3.6.5).

    A zone that is UTC under another name (``Etc/UTC``, ``Zulu``, ``GMT``) is written
    as UTC, with no TZID, and needs none; a time in a repeated hour is written in UTC.
    """
    found = set()
    for name in ("DTSTART", "DTEND"):
        tzid = event[name].params.get("TZID")
        if tzid:
            found.add(str(tzid))
    return found


def _entries(
    orders: Iterable[VisitOrder],
    audience: IcsAudience,
    include_personal: bool,
    keep: Callable[[VisitOrder, Visit], bool] | None = None,
    owner: str | None = None,
    travel: dt.timedelta | None = None,
) -> list[tuple[icalendar.Event, Visit]]:
    seen: set[str] = set()
    entries = []
    try:
        given = iter(orders)
    except TypeError:
        msg = f"orders must be an iterable of work orders (got {type(orders).__name__})"
        raise InvalidInput(msg) from None
    for order in given:
        _visit_order(order)
        if order.id in seen:
            # Two entries with one UID would be the same event twice (RFC 5545).
            msg = f"order {_validate.shown_id(order.id)} is given twice; pass each order once"
            raise InvalidInput(msg)
        seen.add(order.id)
        visit = visit_of(order)
        if visit is not None and (keep is None or keep(order, visit)):
            built = _build(order, visit, audience, include_personal, owner, travel)
            entries.append((built, visit))
    return entries


def to_ical(
    orders: Iterable[VisitOrder],
    *,
    audience: IcsAudience | str = IcsAudience.TECHNICIAN,
    include_personal: bool = False,
    itip: bool = True,
    include_secret: bool | None = None,
    include_secrets: bool | None = None,
) -> bytes:
    """Export the visits of orders as one ``VCALENDAR``: an iTIP message by default.

    One ``VEVENT`` per booked order; orders never booked are left out. As an
    iTIP message (RFC 5546) the ``METHOD`` is ``REQUEST`` when no visit is
    cancelled and ``CANCEL`` when all are: cancelled and live visits go in
    separate messages. With ``itip=False`` the calendar has no ``METHOD``,
    as a file to import or a CalDAV resource must not (RFC 4791), and
    ``STATUS`` alone tells which visits are cancelled.

    Args:
        orders: The work orders.
        audience: Whose calendar it is: :attr:`IcsAudience.TECHNICIAN` or
            :attr:`IcsAudience.CUSTOMER` (or its value).
        include_personal: Write names, phones, the full address and the
            customer's note (G1: only where they are needed).
        itip: Write an iTIP ``METHOD``; ``False`` for a plain calendar.
        include_secret: Deprecated spelling of ``include_personal``.
        include_secrets: Deprecated spelling of ``include_personal``.

    Raises:
        InvalidInput: As an iTIP message: no order has a booked visit, or
            cancelled and live visits are mixed. Or an order is given twice,
            or its events are malformed.

    >>> import pendulum, fieldservice as fs
    >>> from types import SimpleNamespace
    >>> from fieldservice.events import Event
    >>> t = pendulum.datetime(2026, 11, 24, 10, tz="Asia/Shanghai")
    >>> booked = Event("booked", t, actor="desk", data={
    ...     "start": "2026-11-26T12:00:00+08:00", "end": "2026-11-26T20:00:00+08:00"})
    >>> order = SimpleNamespace(
    ...     id="WO-1", kind=fs.OrderKind.INSTALL, products=frozenset({fs.Product.IPTV}),
    ...     customer=fs.Customer(id="C1", name="张三", phones="138 0013 8000", address="幸福路 1 号"),
    ...     technicians=(), standard=fs.ServiceStandard.default(),
    ...     events=[booked, Event("cancelled", t.add(hours=1), actor="desk")])
    >>> ics = to_ical([order]).decode().splitlines()
    >>> [line for line in ics if line.startswith(("METHOD", "SEQUENCE", "STATUS"))]
    ['METHOD:CANCEL', 'SEQUENCE:1', 'STATUS:CANCELLED']

    .. versionadded:: 0.1.0
    """
    consent = _validate.include_personal(
        include_personal, include_secret=include_secret, include_secrets=include_secrets
    )
    built = _entries(orders, _to_audience(audience), consent)
    if not itip:
        return _calendar(built, None)
    method = _METHODS.get(frozenset(visit.cancelled for _, visit in built))
    if method is None:
        if not built:
            msg = "none of the orders has a booked visit: an iTIP message needs one"
        else:
            msg = (
                "an iTIP message cannot both request and cancel visits: export the "
                "cancelled orders and the others separately, or pass itip=False (--plain on the command line)"
            )
        raise InvalidInput(msg)
    return _calendar(built, method)


def feed(
    technician: Technician,
    orders: Iterable[VisitOrder],
    start: dt.datetime,
    end: dt.datetime,
    *,
    include_personal: bool = False,
    travel: dt.timedelta | None = None,
    include_secret: bool | None = None,
    include_secrets: bool | None = None,
) -> bytes:
    """Export one technician's visits that overlap ``[start, end)`` as a calendar feed.

    A feed is a plain calendar (no ``METHOD``) that a calendar app subscribes
    to; it is named after the technician's ID, never the name (G1). Cancelled
    visits stay in it with ``STATUS:CANCELLED``. Its alarms are the
    technician's own reminder plan (M2): the customer's contact gets the calls
    (C1, C2), every other technician of the visit the departure (T2).

    Args:
        technician: Whose visits: the orders that list this technician.
        orders: The work orders to pick from.
        start: The feed's first instant (timezone-aware).
        end: The instant after its last; after ``start``.
        include_personal: Write names, phones, the full address and notes.
        travel: The technician's travel time to the visits, for the departure
            alarm (T2); without it, a technician who is not the contact is
            reminded ``early_arrival`` before the arrival, and the contact not.
        include_secret: Deprecated spelling of ``include_personal``.
        include_secrets: Deprecated spelling of ``include_personal``.

    Raises:
        InvalidInput: ``start`` or ``end`` is naive, ``end`` is not after
            ``start``, or an order is given twice.

    >>> import pendulum, fieldservice as fs
    >>> from types import SimpleNamespace
    >>> from fieldservice.events import Event
    >>> t7 = fs.Technician(id="T7", name="王五", certificate="ZW-310-0042")
    >>> t = pendulum.datetime(2026, 11, 24, 10, tz="Asia/Shanghai")
    >>> order = SimpleNamespace(
    ...     id="WO-1", kind=fs.OrderKind.MOVE, products=frozenset({fs.Product.FIXED_LINE}),
    ...     customer=fs.Customer(id="C1", name="张三", phones="138 0013 8000", address="幸福路 1 号"),
    ...     technicians=(t7,), standard=fs.ServiceStandard.default(),
    ...     events=[Event("booked", t, actor="desk", data={
    ...         "start": "2026-11-26T08:00:00+08:00", "end": "2026-11-26T12:00:00+08:00"})])
    >>> ics = feed(t7, [order], t, t.add(days=7)).decode()
    >>> "X-WR-CALNAME:fieldservice T7" in ics, "METHOD" in ics, ics.count("BEGIN:VEVENT")
    (True, False, 1)

    .. versionadded:: 0.1.0
    """
    if not isinstance(technician, Technician):
        msg = f"technician must be a Technician (got {type(technician).__name__})"
        raise InvalidInput(msg)
    low = _time.aware("start", start)
    high = _time.aware("end", end)
    if high <= low:
        msg = "end must be after start"
        raise InvalidInput(msg)
    consent = _validate.include_personal(
        include_personal, include_secret=include_secret, include_secrets=include_secrets
    )
    if travel is not None:
        travel = _validate.travel(travel)
    # Instants, not wall times (PEP 495): visits in the repeated autumn hour order right.
    first, after = low.timestamp(), high.timestamp()

    def keep(order: VisitOrder, visit: Visit) -> bool:
        on_it = any(t.id == technician.id for t in order.technicians)
        return on_it and visit.start.timestamp() < after and visit.end.timestamp() > first

    built = _entries(orders, IcsAudience.TECHNICIAN, consent, keep, technician.id, travel)
    built.sort(key=lambda pair: (pair[1].start.timestamp(), str(pair[0]["UID"])))
    return _calendar(built, None, name=f"fieldservice {technician.id}")


def orders_from_jsonl(
    path: str | Path, *, standard: ServiceStandard | None = None
) -> list[WorkOrder]:
    """Read work orders from a JSON-lines file: one order per line, as ``WorkOrder.to_json`` writes.

    Each line is read by ``WorkOrder.from_json``; blank lines are skipped.
    The result is typed as what it is, a list of
    :class:`~fieldservice.workflow.WorkOrder`, so a type checker accepts
    ``orders_from_jsonl(path)[0].book(...)``.

    Args:
        path: The file to read.
        standard: The standard the orders follow; the seed's by default.

    Raises:
        InvalidInput: The file cannot be read, or a line is not a work order;
            the message names the line.

    >>> orders_from_jsonl("no/such/file.jsonl")
    Traceback (most recent call last):
    ...
    fieldservice.errors.InvalidInput: cannot read no/such/file.jsonl: No such file or directory

    .. versionadded:: 0.1.0
    """
    try:
        return list(read_orders(path, standard))
    except InvalidInput:
        raise
    except FieldServiceError as err:  # one kind of error for every bad line here
        raise InvalidInput(err.message, violations=err.violations) from None


def write_ical(
    orders: Iterable[VisitOrder],
    target: BinaryIO,
    *,
    audience: IcsAudience | str = IcsAudience.TECHNICIAN,
    include_personal: bool = False,
    itip: bool = True,
    include_secret: bool | None = None,
    include_secrets: bool | None = None,
) -> int:
    """Write the visits of orders as :func:`to_ical` does, one order at a time.

    For a branch's whole history: each order is turned into its ``VEVENT``
    as it comes and not kept (the entries wait in a spool file, since the
    calendar's ``METHOD`` and time zones are known only at the end), so memory
    stays flat in the number of orders. The bytes are those of :func:`to_ical`.

    Args:
        orders: The work orders.
        target: A binary file object (``open(name, "wb")``, ``io.BytesIO()``).
        audience: Whose calendar it is, as for :func:`to_ical`.
        include_personal: Write names, phones, the full address and the note (G1).
        itip: Write an iTIP ``METHOD``; ``False`` for a plain calendar.
        include_secret: Deprecated spelling of ``include_personal``.
        include_secrets: Deprecated spelling of ``include_personal``.

    Returns:
        The number of visits written.

    Raises:
        InvalidInput: As :func:`to_ical`, or ``target`` is not a binary file object;
            nothing is written to ``target`` then.

    >>> import io
    >>> from fieldservice.synthetic import synthetic_order
    >>> orders = [synthetic_order(seed) for seed in range(30)]
    >>> out = io.BytesIO()
    >>> n = write_ical(orders, out, itip=False)
    >>> out.getvalue() == to_ical(orders, itip=False), n > 0
    (True, True)
    """
    consent = _validate.include_personal(
        include_personal, include_secret=include_secret, include_secrets=include_secrets
    )
    who = _to_audience(audience)
    if isinstance(target, io.TextIOBase) or not callable(getattr(target, "write", None)):
        msg = (
            f"target must be a binary file object, such as open(name, 'wb') or io.BytesIO() "
            f"(got {type(target).__name__})"
        )
        raise InvalidInput(msg)
    seen: set[str] = set()
    cancelled: set[bool] = set()
    zones: set[str] = set()
    count = 0
    try:
        given = iter(orders)
    except TypeError:
        msg = f"orders must be an iterable of work orders (got {type(orders).__name__})"
        raise InvalidInput(msg) from None
    with tempfile.SpooledTemporaryFile(max_size=8 * 2**20) as spool:
        for order in given:
            _visit_order(order)
            if order.id in seen:
                msg = f"order {_validate.shown_id(order.id)} is given twice; pass each order once"
                raise InvalidInput(msg)
            seen.add(order.id)
            visit = visit_of(order)
            if visit is None:
                continue
            built = _build(order, visit, who, consent)
            spool.write(built.to_ical())
            cancelled.add(visit.cancelled)
            zones |= _tzids(built)
            count += 1
        method = None
        if itip:
            method = _METHODS.get(frozenset(cancelled))
            if method is None:
                if not count:
                    msg = "none of the orders has a booked visit: an iTIP message needs one"
                else:
                    msg = (
                        "an iTIP message cannot both request and cancel visits: export the "
                        "cancelled orders and the others separately, or pass itip=False (--plain on the command line)"
                    )
                raise InvalidInput(msg)
        head = _calendar_head(method, zones)
        target.write(head)
        spool.seek(0)
        shutil.copyfileobj(spool, target)
        target.write(b"END:VCALENDAR\r\n")
    return count


def _calendar_head(method: str | None, zones: set[str]) -> bytes:
    """What :func:`_calendar` writes before its first VEVENT, for the same visits."""
    cal = icalendar.Calendar()
    cal.add("PRODID", "-//fieldservice//home-visit service standard//ZH")
    cal.add("VERSION", "2.0")
    if method is not None:
        cal.add("METHOD", method)
    for vtimezone in _vtimezone.vtimezones(zones):
        cal.add_component(vtimezone)
    data: bytes = cal.to_ical()
    return data.removesuffix(b"END:VCALENDAR\r\n")
