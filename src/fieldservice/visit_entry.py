"""An order's visit as its calendar entry shows it: window, hour, status and revision.

:func:`visit_of` folds an order's events into a :class:`Visit`: the half-day window
(B2) of the latest booking, the arrival hour of a confirmation after it (C1), the
status an iCalendar ``VEVENT`` shows (tentative, confirmed, cancelled), and its
revision, the iTIP ``SEQUENCE`` that rises with every change (B8, B9, C1, K3). The
appointment itself is :mod:`fieldservice.visits`' one view; this module adds only what
an entry shows of it. :mod:`fieldservice.calendar` writes the entries as iCalendar.

>>> import pendulum, fieldservice as fs
>>> from types import SimpleNamespace
>>> t = pendulum.datetime(2026, 11, 24, 10, tz="Asia/Shanghai")
>>> booked = fs.Event("booked", t, actor="desk", data={
...     "start": "2026-11-26T12:00:00+08:00", "end": "2026-11-26T20:00:00+08:00"})
>>> visit = visit_of(SimpleNamespace(events=[booked], standard=fs.ServiceStandard.default()))
>>> visit.status, f"{visit.start:%H:%M}-{visit.end:%H:%M}", visit.sequence
(<VisitStatus.TENTATIVE: 'TENTATIVE'>, '12:00-20:00', 0)
"""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo
from collections.abc import Iterable, Sequence
from typing import Final, Protocol, runtime_checkable

import attrs

from fieldservice import _labels
from fieldservice.errors import InvalidInput
from fieldservice.events import Event, EventKind, check_time_order
from fieldservice.model import Customer, OrderKind, Product, Secret, Technician
from fieldservice.payloads import is_withheld
from fieldservice.standard import ServiceStandard
from fieldservice.visits import NOTHING_BOOKED, changes_appointment

__all__ = ["Visit", "VisitOrder", "VisitStatus", "visit_of"]


@runtime_checkable
class VisitOrder(Protocol):
    """What the calendar reads of a work order: ``fieldservice.WorkOrder`` has it.

    Everything about the visit comes from :attr:`events`; the other members
    say who and what the visit is for. ``isinstance()`` checks that the
    members are there, not their types.

    >>> isinstance(object(), VisitOrder)
    False

    .. versionadded:: 0.1.0
    """

    @property
    def id(self) -> str:
        """The order's ID."""
        ...

    @property
    def kind(self) -> OrderKind:
        """Install, move or repair."""
        ...

    @property
    def products(self) -> frozenset[Product]:
        """The products of the order, all served in one visit (M1)."""
        ...

    @property
    def customer(self) -> Customer:
        """The customer visited."""
        ...

    @property
    def technicians(self) -> tuple[Technician, ...]:
        """The technicians of the visit, the customer's contact first (M2); may be empty."""
        ...

    @property
    def standard(self) -> ServiceStandard:
        """The standard whose numbers and timezone apply to the order."""
        ...

    @property
    def events(self) -> Sequence[Event]:
        """The order's events in time order."""
        ...


# typing adds __annotations__ to a protocol on its first isinstance() check; made
# now, the class stays the same for code that walks its namespace (the docs do).
VisitOrder.__annotations__ = {}


class VisitStatus(_labels.IdentityEnum):
    """Where a visit stands, as the ``STATUS`` of its ``VEVENT``.

    >>> [s.value for s in VisitStatus]
    ['TENTATIVE', 'CONFIRMED', 'CANCELLED']

    .. versionadded:: 0.1.0
    """

    TENTATIVE = "TENTATIVE"
    """Booked to a half-day window (B2); the hour is not agreed yet."""
    CONFIRMED = "CONFIRMED"
    """Refined to the arrival hour by the second confirmation (C1)."""
    CANCELLED = "CANCELLED"
    """Cancelled, or the customer was away (K3) and the order went back to booking."""


@attrs.frozen
class Visit:
    """An order's visit as its calendar entry shows it, derived from the events alone.

    Attributes:
        start: When the entry starts: the arrival hour once confirmed (C1),
            else the half-day window (B2); in the standard's timezone.
        end: When the entry ends.
        window: The half-day window as booked (B2), ``(start, end)``.
        status: Tentative, confirmed or cancelled. A completed or closed
            visit is ``CONFIRMED``: it took place as agreed (see ``outcome``).
        sequence: The revision of the entry (iTIP ``SEQUENCE``), as
            :attr:`fieldservice.visits.Appointment.sequence` counts it: one up
            for every change of date, time or status (a reschedule, B8, B9;
            the first confirmation, C1, or one that moves the hour) and for
            the cancellation of a live entry (K3, G2); and one up when a visit
            never confirmed is done, which turns it CONFIRMED. It never goes
            down.
        stamp: The instant of the order's last event, in UTC (``DTSTAMP``).
        note: What the customer said the visit needs (C3): the latest
            ``note`` of the contact, booking and confirmation events, as a
            :class:`~fieldservice.model.Secret`: personal, so written only on
            request (G1) and masked by every generic renderer.
        outcome: ``"completed"`` once the work is signed off and completed,
            ``"closed"`` once the order is closed, else ``None``.
        moves: How many times the visit was moved to another window (B8,
            B9): its reschedules, and a booking again after the customer was
            away (K3).
        arrival: The arrival hour agreed at the second confirmation (C1),
            ``(start, end)``; ``None`` while none is on record (a visit done
            without one is ``CONFIRMED`` all the same).

    >>> import datetime as dt
    >>> at = dt.datetime(2026, 11, 26, 14, tzinfo=dt.UTC)
    >>> Visit(at, at + dt.timedelta(hours=1), (at, at), VisitStatus.CANCELLED, 1, at).cancelled
    True

    .. versionadded:: 0.1.0
    """

    start: dt.datetime
    end: dt.datetime
    window: tuple[dt.datetime, dt.datetime]
    status: VisitStatus
    sequence: int
    stamp: dt.datetime
    # What the customer said may be personal (G1): a Secret, so that attrs.asdict,
    # pprint and rich show its mask; the export reveals it only on request.
    note: Secret | None = attrs.field(default=None, repr=False)
    outcome: str | None = None
    moves: int = 0
    arrival: tuple[dt.datetime, dt.datetime] | None = None

    @property
    def cancelled(self) -> bool:
        """Whether the entry is cancelled."""
        return self.status is VisitStatus.CANCELLED


# --- from events to a visit -------------------------------------------------------


@functools.cache
def _zone(name: str) -> zoneinfo.ZoneInfo:
    # The standard's zone as a stdlib ZoneInfo, whose key icalendar writes as the TZID.
    return zoneinfo.ZoneInfo(name)


def _span(
    start: dt.datetime, end: dt.datetime, zone: zoneinfo.ZoneInfo
) -> tuple[dt.datetime, dt.datetime]:
    # Instants, never wall times: an hour from 02:30+02:00 to 02:30+01:00 (the repeated
    # autumn hour) has equal wall times in one zone, and datetimes that share a tzinfo
    # compare by wall time (PEP 495).
    if end.timestamp() <= start.timestamp():
        msg = "a booked or confirmed visit must end after it starts; record the visit again"
        raise InvalidInput(msg)
    return start.astimezone(zone), end.astimezone(zone)


def visit_of(order: VisitOrder) -> Visit | None:
    """Derive the calendar entry of an order from its events; ``None`` if never booked.

    Args:
        order: A work order, or anything with :class:`VisitOrder`'s ``events``
            and ``standard``.

    Raises:
        InvalidInput: A booking or confirmation event lacks its ``start`` and
            ``end`` instants, or they are not ISO 8601 with an offset.
        InvalidEvent: The events are not in time order.

    >>> import pendulum, fieldservice as fs
    >>> from types import SimpleNamespace
    >>> from fieldservice.events import Event
    >>> t = pendulum.datetime(2026, 11, 24, 10, tz="Asia/Shanghai")
    >>> def window(kind, at, start, end):
    ...     return Event(kind, at, actor="desk", data={"start": start, "end": end})
    >>> log = [window("booked", t, "2026-11-26T12:00+08:00", "2026-11-26T20:00+08:00"),
    ...        window("rescheduled", t.add(hours=2), "2026-11-27T08:00+08:00", "2026-11-27T12:00+08:00"),
    ...        window("confirmed", t.add(days=3), "2026-11-27T09:00+08:00", "2026-11-27T10:00+08:00")]
    >>> v = visit_of(SimpleNamespace(events=log, standard=fs.ServiceStandard.default()))
    >>> v.status.value, v.sequence, f"{v.start:%m-%d %H:%M}", f"{v.window[0]:%H:%M}"
    ('CONFIRMED', 2, '11-27 09:00', '08:00')

    .. versionadded:: 0.1.0
    """
    _check_log(order)
    events = check_time_order(order.events)
    standard = order.standard
    if not isinstance(standard, ServiceStandard):
        msg = f"the order's standard must be a ServiceStandard (got {type(standard).__name__})"
        raise InvalidInput(msg)
    zone = _zone(standard.timezone)
    # One pass over the events, as the entry evolves: the appointment (visits.py) and
    # whether the visit is done. SEQUENCE must rise whenever DTSTART, DTEND or STATUS
    # change (RFC 5545 3.8.7.4, RFC 5546 2.1.4). The appointment's count covers the
    # windows, the hours (compared as instants) and the cancellations; a done visit turns
    # a TENTATIVE entry CONFIRMED (and a later arrival back), so a change of STATUS the
    # count misses raises it here. Nothing ever lowers it.
    current = NOTHING_BOOKED
    outcome: str | None = None
    extra = moves = sequence = 0
    shown: VisitStatus | None = None
    for event in events:
        kind = event.kind
        if kind in _FOLDED:
            before = current
            current = before.after(event)
            if kind in _WINDOWS and current is not before and before.booking is not None:
                moves += 1  # moved to another window (B8, B9), or booked again after K3
            if kind in _BEFORE_DONE:
                outcome = None
        elif kind is EventKind.ARRIVED:
            outcome = None
        elif kind is EventKind.CLOSED:
            outcome = "closed"
        elif kind is EventKind.COMPLETED:
            outcome = outcome or "completed"
        else:
            continue
        if current.booking is None:
            continue
        if not current.live:
            showing = VisitStatus.CANCELLED
        elif current.confirmation is not None or outcome is not None:
            showing = VisitStatus.CONFIRMED
        else:
            showing = VisitStatus.TENTATIVE
        if showing is not shown and shown is not None and current.sequence + extra <= sequence:
            extra = sequence + 1 - current.sequence
        shown = showing
        sequence = current.sequence + extra
    booking = current.booking
    if booking is None:
        return None
    window = _span(booking.start, booking.end, zone)
    confirmed = current.confirmation
    arrival = None if confirmed is None else _span(confirmed.start, confirmed.end, zone)
    if not current.live:
        status = VisitStatus.CANCELLED
        outcome = None  # completed and closed visits took place as agreed
    elif arrival is not None or outcome is not None:
        # Completed and closed visits took place as agreed: CONFIRMED, with their outcome.
        status = VisitStatus.CONFIRMED
    else:
        status = VisitStatus.TENTATIVE
    note = None if current.note is None or is_withheld(current.note) else current.note
    start, end = arrival or window
    stamp = dt.datetime.fromtimestamp(int(events[-1].at.timestamp()), dt.UTC)
    return Visit(start, end, window, status, sequence, stamp, note, outcome, moves, arrival)


# Events that come before a visit is done: a completion or closure counts only after them.
_BEFORE_DONE: Final = frozenset(
    {EventKind.ARRIVED, EventKind.BOOKED, EventKind.RESCHEDULED, EventKind.CONFIRMED}
)
_WINDOWS: Final = frozenset({EventKind.BOOKED, EventKind.RESCHEDULED})
# The kinds the appointment view folds (visits.changes_appointment), looked up once.
_FOLDED: Final = frozenset(kind for kind in EventKind if changes_appointment(kind))


def _check_log(order: object) -> None:
    """Refuse what has no log and standard to read a visit from, with a coded error."""
    if not (hasattr(order, "events") and hasattr(order, "standard")):
        msg = f"an order must be a WorkOrder or have events, standard (got {type(order).__name__})"
        raise InvalidInput(msg)
    events = order.events
    if isinstance(events, str | bytes) or not isinstance(events, Iterable):
        msg = f"an order's events must be a sequence of Event (got {type(events).__name__})"
        raise InvalidInput(msg)
