"""The current appointment of an order, folded once from its events.

Booking (B2), rescheduling (B8, B9), the day-of confirmation (C1), the customer
not at home (K3) and cancelling (G2) change what the customer was promised.
:class:`Appointment` is that promise as the events make it: the booked window,
the confirmed arrival hour, when it was booked, and how often it changed. The
workflow, the SLA clocks, the reminder plan and the calendar's UID and SEQUENCE
all read it from here; none works it out again.

>>> import pendulum
>>> from fieldservice.events import Event
>>> t = pendulum.datetime(2026, 11, 24, 10, tz="Asia/Shanghai")
>>> log = [
...     Event("booked", t, actor="desk", data={
...         "start": "2026-11-26T12:00:00+08:00", "end": "2026-11-26T18:00:00+08:00",
...         "date": "2026-11-26", "half": "afternoon"}),
...     Event("confirmed", t.add(days=1), actor="T7", data={
...         "start": "2026-11-26T14:00:00+08:00", "end": "2026-11-26T15:00:00+08:00"}),
... ]
>>> a = appointment_of(log)
>>> a.live, a.promised_start.hour, a.revision, a.sequence
(True, 14, 2, 1)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, Final, cast

import attrs

from fieldservice import _time, _validate
from fieldservice.errors import InvalidInput
from fieldservice.events import Event, EventKind
from fieldservice.model import Secret  # at run time: the docs resolve the field's type
from fieldservice.payloads import Booked, Confirmed, Contacted, Rescheduled, TechniciansAssigned

__all__ = ["NOTHING_BOOKED", "Appointment", "appointment_of", "changes_appointment"]

_BOOKED = EventKind.BOOKED
_RESCHEDULED = EventKind.RESCHEDULED
_CONFIRMED = EventKind.CONFIRMED
_ABSENT = EventKind.CUSTOMER_ABSENT
_CANCELLED = EventKind.CANCELLED
_CONTACTED = EventKind.CONTACTED
_ASSIGNED = EventKind.TECHNICIANS_ASSIGNED

_KINDS: Final = frozenset(
    {_BOOKED, _RESCHEDULED, _CONFIRMED, _ABSENT, _CANCELLED, _CONTACTED, _ASSIGNED}
)


def changes_appointment(kind: EventKind) -> bool:
    """Whether an event of ``kind`` can change the current appointment.

    Raises:
        InvalidInput: ``kind`` cannot be an event kind (a list, a dict).

    >>> changes_appointment(EventKind.CONFIRMED), changes_appointment(EventKind.ARRIVED)
    (True, False)
    """
    try:
        return kind in _KINDS
    except TypeError:  # unhashable: refused below, outside the handler
        pass
    msg = f"kind must be an EventKind, like EventKind.BOOKED (got {type(kind).__name__})"
    raise InvalidInput(msg)


@attrs.frozen(slots=True)
class Appointment:
    """What the customer was promised, as the order's events make it now.

    Attributes:
        booking: The payload of the booking or reschedule in force, if any
            (kept after K3 or a cancellation, with ``live`` false).
        booked_at: When that booking or reschedule was recorded. Folded from
            events, the instant is shown in the offset of the booked window.
        confirmation: The arrival hour agreed on the day (C1) for that booking (kept,
            like the booking, once it is no longer live).
        live: Whether a booking is in force: false before any, after the
            customer was not at home (K3, back to booking) and once cancelled.
        cancelled: Whether the order was cancelled (nothing after that counts).
        reschedules: How many times the visit was rescheduled (B8, B9).
        revision: Bookings, reschedules and confirmations so far: the reminder
            plan keys what it sends on it.
        sequence: The calendar entry's revision (RFC 5545 SEQUENCE): raised by
            every change of date, time or status (a new window after the first,
            the first confirmation of a window, which makes it CONFIRMED, a
            confirmation that moves the hour), by each cancellation of a
            live one, and by a new contact technician while it is live: the
            contact is the entry's ``ORGANIZER``, and a new organizer sends a
            new revision (RFC 5546 3.2.2.4). A confirmation repeating the hour
            already confirmed raises nothing.
        note: What the customer last said the visit needs (C3), personal (G1).
        organizer: The contact technician's ID (M2), ``None`` before the first
            assignment, while the dispatch desk organises the entry.

    >>> NOTHING_BOOKED.live, NOTHING_BOOKED.window_start
    (False, None)
    """

    booking: Booked | None = None
    # Its slot may hold the booking event's epoch instead of a datetime: the fold passes
    # it, and the property set on the class below builds the instant when asked, so the
    # clocks, which never ask, build no DateTime per booking, and an order restored with
    # a packed log keeps no event object for it (a float, not 104 bytes of event).
    booked_at: dt.datetime | None = None
    confirmation: Confirmed | None = None
    live: bool = False
    cancelled: bool = False
    reschedules: int = 0
    revision: int = 0
    sequence: int = 0
    note: Secret | None = None
    organizer: str | None = None

    @property
    def window_start(self) -> dt.datetime | None:
        """The earliest arrival the booking promises (B5), in the offset it was written with."""
        return None if self.booking is None else self.booking.start

    @property
    def window_end(self) -> dt.datetime | None:
        """The end of the booked half-day."""
        return None if self.booking is None else self.booking.end

    @property
    def promised_start(self) -> dt.datetime | None:
        """The start of what is promised now (the confirmed hour, else the booked window)."""
        if self.confirmation is not None:
            return self.confirmation.start
        return self.window_start

    @property
    def promised_end(self) -> dt.datetime | None:
        """The end of what is promised now (the confirmed hour, else the booked window)."""
        if self.confirmation is not None:
            return self.confirmation.end
        return self.window_end

    def after(self, event: Event) -> Appointment:
        """The appointment once ``event`` is recorded (itself if the event changes nothing).

        >>> import pendulum
        >>> t = pendulum.datetime(2026, 11, 24, 10, tz="Asia/Shanghai")
        >>> NOTHING_BOOKED.after(Event("arrived", t, actor="T7")) is NOTHING_BOOKED
        True
        """
        kind = event.kind
        if kind not in _KINDS or self.cancelled:
            return self
        data = event.data
        if kind is _BOOKED or kind is _RESCHEDULED:
            assert isinstance(data, Booked)
            return Appointment(
                data,
                event.epoch,  # type: ignore[arg-type]  # read back as an instant (see booked_at)
                None,
                live=True,
                reschedules=self.reschedules + (kind is _RESCHEDULED),
                revision=self.revision + 1,
                # A new window after the first one, live or not, is a new revision of the entry.
                sequence=self.sequence + (self.booking is not None),
                note=data.note if data.note is not None else self.note,
                organizer=self.organizer,
            )
        if kind is _CONFIRMED:
            assert isinstance(data, Confirmed)
            if not self.live:
                return self  # nothing booked to confirm: the hour has nothing to refine
            # Narrowing the window to the hour, or moving the hour, changes DTSTART/DTEND,
            # and the first confirmation turns STATUS from TENTATIVE to CONFIRMED even when
            # the hour agreed is the whole window: a client that goes by SEQUENCE must see
            # a new revision (RFC 5545 3.8.7.4, RFC 5546 2.1.4).
            # Instants, not wall times: an hour may end in the repeated autumn hour (PEP 495).
            moved = self.confirmation is None or not _same_span(
                self.promised_start, self.promised_end, data.start, data.end
            )
            # Built field by field, not by attrs.evolve: this runs once per confirmation
            # in every SLA scan, and evolve introspects the class on each call.
            return Appointment(
                self.booking,
                _BOOKED_AT_SLOT.__get__(self, Appointment),  # as held: no DateTime built
                data,
                live=True,
                reschedules=self.reschedules,
                revision=self.revision + 1,
                sequence=self.sequence + moved,
                note=data.note if data.note is not None else self.note,
                organizer=self.organizer,
            )
        if kind is _CONTACTED:
            assert isinstance(data, Contacted)
            return self if data.note is None else attrs.evolve(self, note=data.note)
        if kind is _ASSIGNED:
            assert isinstance(data, TechniciansAssigned)
            if data.contact == self.organizer:
                return self  # the same organizer: attendees are no change of revision
            # A live entry's new organizer sends a new revision, or clients keep the
            # old one's copy (RFC 5546 3.2.2.4); the first assignment replaces dispatch.
            return Appointment(
                self.booking,
                _BOOKED_AT_SLOT.__get__(self, Appointment),  # as held: no DateTime built
                self.confirmation,
                live=self.live,
                cancelled=self.cancelled,
                reschedules=self.reschedules,
                revision=self.revision,
                sequence=self.sequence + self.live,
                note=self.note,
                organizer=data.contact,
            )
        # K3 (back to booking) or a cancellation: the entry, if live, is withdrawn; what
        # it promised stays on record (the calendar cancels exactly that).
        return Appointment(
            self.booking,
            _BOOKED_AT_SLOT.__get__(self, Appointment),  # as held: no DateTime built
            self.confirmation,
            live=False,
            cancelled=kind is _CANCELLED or self.cancelled,
            reschedules=self.reschedules,
            revision=self.revision,
            sequence=self.sequence + self.live,
            note=self.note,
            organizer=self.organizer,
        )

    @property
    def is_rescheduled(self) -> bool:
        """Whether the booking in force came from a reschedule (B8, B9).

        >>> NOTHING_BOOKED.is_rescheduled
        False
        """
        return isinstance(self.booking, Rescheduled)


def _same_span(
    start: dt.datetime | None, end: dt.datetime | None, low: dt.datetime, high: dt.datetime
) -> bool:
    # By instant: two wall times in the repeated autumn hour compare equal (PEP 495).
    return (
        start is not None
        and end is not None
        and start.timestamp() == low.timestamp()
        and end.timestamp() == high.timestamp()
    )


_BOOKED_AT_SLOT: Any = Appointment.__dict__["booked_at"]  # the slot attrs made


def _booked_at(self: Appointment) -> dt.datetime | None:
    """When the booking or reschedule in force was recorded."""
    value = _BOOKED_AT_SLOT.__get__(self, Appointment)
    if type(value) is float:
        booking = self.booking
        assert booking is not None  # the fold sets the two together
        zone = booking.start.tzinfo
        assert zone is not None  # a booked window's instants carry their offsets
        return _time.datetime_of(value, zone)
    return cast("dt.datetime | None", value)


def _set_booked_at(self: Appointment, value: object) -> None:
    _BOOKED_AT_SLOT.__set__(self, value)  # attrs' __init__ only: the class is frozen


setattr(Appointment, "booked_at", property(_booked_at, _set_booked_at, doc=_booked_at.__doc__))  # noqa: B010

NOTHING_BOOKED: Final = Appointment()
"""The appointment of an order before anything is booked."""


def appointment_of(events: Iterable[Event]) -> Appointment:
    """Fold ``events`` (in time order) into the current appointment.

    Raises:
        InvalidInput: ``events`` is not a collection of events, or an item is
            not an :class:`~fieldservice.events.Event`.

    >>> appointment_of([]) is NOTHING_BOOKED
    True
    """
    items: Iterable[Event] | None = events
    if type(events) is not tuple and type(events) is not list:  # a log: no check to pay
        items = _validate.items_of(events)
    if items is None:
        msg = (
            f"events must be a collection of Event objects (got {type(events).__name__}); "
            "for an order, pass its events"
        )
        raise InvalidInput(msg)
    current = NOTHING_BOOKED
    for event in items:
        try:
            kind = event.kind
        except AttributeError:  # no cost to an event: only the odd item lands here
            msg = (
                f"events must be Event objects (got {type(event).__name__}); build them "
                "from their JSON data with Event.from_dict"
            )
            raise InvalidInput(msg) from None
        if kind in _KINDS:
            current = current.after(event)
    return current
