"""Half-day appointment windows (预约, B2), their rules, and the search for free ones.

A customer books a half-day (B2): the morning (上午) or the afternoon (下午) of a
date, an :class:`AppointmentWindow`. Its bounds come from the date's open hours
in the visits calendar (:meth:`ServiceCalendar.for_visits
<fieldservice.servicecal.ServiceCalendar.for_visits>`): the morning is the open
time before the standard's ``midday``, the afternoon the open time from
``midday`` on. With the seed's standard that is 08:00-12:00 and 12:00-20:00; a
branch whose quiet hours are 21:00-08:00 has an afternoon until 21:00; with
split shifts 08:00-12:00 and 13:00-18:00 the afternoon is 13:00-18:00.

When a window may be booked (B5): ``earliest = booked_at + lead_time``. A
window is accepted when at least one arrival window (``standard.arrival_window``,
1 h) of its open time lies at or after ``earliest``; it is then offered from its
first open instant at or after ``earliest``, given as
:attr:`WindowCheck.earliest_arrival`. Booked on Monday at 10:30, Monday
afternoon is refused, Tuesday morning is accepted from 10:30 and Tuesday
afternoon is accepted whole.

On the day, the second confirmation (二次确认, C1) refines the half-day to an
:class:`ArrivalWindow` of one hour (:meth:`AppointmentWindow.refine`), and the
technician leaves early enough to arrive 5-10 minutes ahead
(:func:`departure_time`, T2).

>>> import pendulum
>>> from fieldservice import ServiceStandard
>>> std = ServiceStandard.default()
>>> booked = pendulum.datetime(2026, 11, 23, 10, 30, tz="Asia/Shanghai")  # a Monday
>>> [str(w) for w in next_windows(booked, std, count=3)]
['2026-11-24 上午 morning', '2026-11-24 下午 afternoon', '2026-11-25 上午 morning']
>>> check_window(next_windows(booked, std)[0], booked, std).earliest_arrival
DateTime(2026, 11, 24, 10, 30, 0, tzinfo=Timezone('Asia/Shanghai'))
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Final

import attrs
import pendulum

from fieldservice import _labels, _time, _validate
from fieldservice.errors import InvalidAppointment, InvalidInput, Violation
from fieldservice.servicecal import ServiceCalendar
from fieldservice.standard import LONGEST_LEAD_TIME, ServiceStandard, format_duration

__all__ = [
    "AppointmentWindow",
    "ArrivalWindow",
    "HalfDay",
    "WindowCheck",
    "check_arrival",
    "check_window",
    "confirm_due",
    "departure_time",
    "next_windows",
    "validate_arrival",
    "validate_window",
]

_MAX_COUNT: Final = 1000
_HORIZON_DAYS: Final = 366


class HalfDay(_labels.IdentityEnum):
    """A half-day of an appointment (B2): the morning (上午) or the afternoon (下午).

    The morning comes first: ``HalfDay.MORNING < HalfDay.AFTERNOON``.

    >>> HalfDay("afternoon").label_zh, HalfDay.MORNING < HalfDay.AFTERNOON
    ('下午', True)

    .. versionadded:: 0.1.0
    """

    MORNING = "morning"
    AFTERNOON = "afternoon"

    @property
    def index(self) -> int:
        """0 for the morning and 1 for the afternoon."""
        return 0 if self is HalfDay.MORNING else 1

    @property
    def label_zh(self) -> str:
        """上午 or 下午, the seed's word."""
        return ("上午", "下午")[self.index]

    @property
    def label_en(self) -> str:
        """Morning or afternoon, the English word."""
        return self.value

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, HalfDay):
            return NotImplemented
        return self.index < other.index

    def __le__(self, other: object) -> bool:
        if not isinstance(other, HalfDay):
            return NotImplemented
        return self.index <= other.index

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, HalfDay):
            return NotImplemented
        return self.index > other.index

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, HalfDay):
            return NotImplemented
        return self.index >= other.index


# Enum members hash in Python, slowly: the hot paths compare by identity instead.
_MORNING: Final = HalfDay.MORNING
_HALF_TEXT: Final = ("上午 morning", "下午 afternoon")
_HALVES: Final = (HalfDay.MORNING, HalfDay.AFTERNOON)


def _to_half(value: object) -> HalfDay:
    return _validate.enum_member(HalfDay, "half", value)


def _to_date(value: object) -> dt.date:
    if isinstance(value, str):
        text = value
        try:
            value = dt.date.fromisoformat(text)
        except ValueError:
            value = None
        if value is None:  # raised here, not in the except: its context would repeat the text
            msg = "date is not an ISO date like '2026-11-25'"
            raise InvalidInput(msg)
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        msg = f"date must be a datetime.date like date(2026, 11, 25) (got {type(value).__name__})"
        raise InvalidInput(msg)
    if type(value) is not dt.date:  # pendulum.Date and other subclasses: keep the value only
        value = dt.date(value.year, value.month, value.day)
    return value


def _aware_start(value: object) -> pendulum.DateTime:
    return _time.aware("start", value)


def _aware_end(value: object) -> pendulum.DateTime:
    return _time.aware("end", value)


def _calendar(standard: object) -> ServiceCalendar:
    if not isinstance(standard, ServiceStandard):
        msg = f"standard must be a ServiceStandard (got {type(standard).__name__})"
        raise InvalidInput(msg)
    return ServiceCalendar.for_visits(standard)


# --- values -------------------------------------------------------------------


@attrs.frozen
class ArrivalWindow:
    """The hour in which the technician will arrive, agreed on the day (C1).

    Made by :meth:`AppointmentWindow.refine`; checked by :func:`check_arrival`.

    Args:
        start: When the window opens (timezone-aware).
        end: When it closes; after ``start``.

    Raises:
        InvalidInput: A bound is naive, or ``end`` is not after ``start``.

    >>> import pendulum
    >>> at = pendulum.datetime(2026, 11, 25, 14, tz="Asia/Shanghai")
    >>> ArrivalWindow(at, at.add(hours=1)).duration
    datetime.timedelta(seconds=3600)

    .. versionadded:: 0.1.0
    """

    start: pendulum.DateTime = attrs.field(converter=_aware_start)
    end: pendulum.DateTime = attrs.field(converter=_aware_end)

    def __attrs_post_init__(self) -> None:
        if _time.to_epoch("end", self.end) <= _time.to_epoch("start", self.start):
            msg = "an arrival window must end after it starts"
            raise InvalidInput(msg)

    @property
    def duration(self) -> dt.timedelta:
        """How long the window is."""
        return dt.timedelta(
            seconds=_time.to_epoch("end", self.end) - _time.to_epoch("start", self.start)
        )

    def __str__(self) -> str:
        return f"{self.start:%Y-%m-%d %H:%M}-{self.end:%H:%M}"


@attrs.frozen(order=True)
class AppointmentWindow:
    """A booked half-day: a date and its morning (上午) or afternoon (下午) (B2).

    Compared and ordered by value (date, then morning before afternoon). Its
    bounds depend on the standard, so they are methods that take it.

    Args:
        date: The local date of the visit (a ``datetime.date`` or ISO text).
        half: :class:`HalfDay` or its value, ``"morning"`` or ``"afternoon"``.

    Raises:
        InvalidInput: ``date`` is not a date, or ``half`` is not a half-day.

    >>> import datetime as dt
    >>> from fieldservice import ServiceStandard
    >>> w = AppointmentWindow(dt.date(2026, 11, 25), "afternoon")
    >>> str(w), [t.format("HH:mm") for t in w.bounds(ServiceStandard.default())]
    ('2026-11-25 下午 afternoon', ['12:00', '20:00'])

    .. versionadded:: 0.1.0
    """

    date: dt.date = attrs.field(converter=_to_date)
    half: HalfDay = attrs.field(converter=_to_half)

    def bounds(self, standard: ServiceStandard) -> tuple[pendulum.DateTime, pendulum.DateTime]:
        """Return the first and last instant of the half-day's open time.

        Raises:
            InvalidAppointment: The date is closed (B6) or has no such half-day (B2).
            CalendarNotCovered: The date's year is not confirmed and the policy is to raise.

        >>> import datetime as dt
        >>> from fieldservice import ServiceStandard
        >>> std = ServiceStandard.default().replace(quiet_hours=ServiceStandard.default()
        ...     .quiet_hours.with_start(dt.time(21)))
        >>> AppointmentWindow(dt.date(2026, 11, 25), "afternoon").end(std).format("HH:mm")
        '21:00'
        """
        cal = _calendar(standard)
        spans = self._spans(cal)
        return _time.datetime_of(spans[0][0], cal.timezone), _time.datetime_of(
            spans[-1][1], cal.timezone
        )

    def start(self, standard: ServiceStandard) -> pendulum.DateTime:
        """Return when the half-day's open time begins; see :meth:`bounds`.

        >>> import datetime as dt
        >>> from fieldservice import ServiceStandard
        >>> AppointmentWindow(dt.date(2026, 11, 25), "morning").start(ServiceStandard.default())
        DateTime(2026, 11, 25, 8, 0, 0, tzinfo=Timezone('Asia/Shanghai'))
        """
        return self.bounds(standard)[0]

    def end(self, standard: ServiceStandard) -> pendulum.DateTime:
        """Return when the half-day's open time ends; see :meth:`bounds`.

        >>> import datetime as dt
        >>> from fieldservice import ServiceStandard
        >>> AppointmentWindow(dt.date(2026, 11, 25), "morning").end(ServiceStandard.default())
        DateTime(2026, 11, 25, 12, 0, 0, tzinfo=Timezone('Asia/Shanghai'))
        """
        return self.bounds(standard)[1]

    def refine(self, start: int | dt.time, standard: ServiceStandard) -> ArrivalWindow:
        """Return the arrival window agreed on the day (C1), from ``start`` for one arrival window.

        The window ends one ``standard.arrival_window`` after ``start``, or at
        the end of the half-day if that comes first.

        Args:
            start: The hour (``14``) or time of day (``time(14, 30)``) of the date.
            standard: The standard whose hours and arrival window apply.

        Raises:
            InvalidInput: ``start`` is not an hour 0-23 or a plain time of day.
            InvalidAppointment: ``start`` is in the quiet hours (B6), outside the
                half-day (C1), or the window itself is not bookable (B2, B6).

        >>> import datetime as dt
        >>> from fieldservice import ServiceStandard
        >>> w = AppointmentWindow(dt.date(2026, 11, 25), "afternoon")
        >>> str(w.refine(14, ServiceStandard.default()))
        '2026-11-25 14:00-15:00'
        >>> w.refine(dt.time(20, 30), ServiceStandard.default())
        Traceback (most recent call last):
        ...
        fieldservice.errors.InvalidAppointment: cannot refine ... ([B6/quiet_hours] 20:30 lies in the quiet hours 20:00-08:00; ...)
        """
        moment = _time_of_day(start)
        cal = _calendar(standard)
        tz = cal.timezone
        day = cal.day_record(self.date.toordinal())
        spans = day.halves[0 if self.half is _MORNING else 1]
        violations = _structure(self, day, cal)
        at = _time.wall_epoch(tz, self.date, _time.seconds_of(moment))
        if spans and not any(s <= at < e for s, e in spans):
            if standard.quiet_hours.contains(moment):
                violations.append(
                    Violation(
                        "B6",
                        "quiet_hours",
                        f"{moment:%H:%M} lies in the quiet hours {standard.quiet_hours}; "
                        "choose a time in the service hours",
                    )
                )
            else:
                violations.append(
                    Violation(
                        "C1",
                        "outside_half_day",
                        f"{moment:%H:%M} is outside {_describe(self, spans, tz)}; "
                        "choose a time inside the booked half-day",
                    )
                )
        if violations:
            msg = f"cannot refine {self} to {moment:%H:%M}"
            raise InvalidAppointment(msg, violations=violations)
        end = min(at + standard.arrival_window.total_seconds(), spans[-1][1])
        # Both bounds are aware DateTimes made here, the end after the start (it lies in a
        # span the start is in): of the converters' checks, only the years are left.
        arrival = object.__new__(ArrivalWindow)
        start_at, end_at = _time.datetime_of(at, tz), _time.datetime_of(end, tz)
        _time.check_epoch("start", start_at, at)
        _time.check_epoch("end", end_at, end)
        object.__setattr__(arrival, "start", start_at)
        object.__setattr__(arrival, "end", end_at)
        return arrival

    def is_provisional(self, standard: ServiceStandard) -> bool:
        """Whether the window's date rests on estimated holidays (see :attr:`WindowCheck.provisional`).

        Raises:
            InvalidInput: ``standard`` is not a ServiceStandard.

        >>> import datetime as dt
        >>> from fieldservice import ServiceStandard, UnconfirmedYears
        >>> std = ServiceStandard.default().replace(
        ...     close_visits_on_holidays=True, unconfirmed_years=UnconfirmedYears.ESTIMATED)
        >>> AppointmentWindow(dt.date(2027, 1, 4), "morning").is_provisional(std)
        True
        >>> AppointmentWindow(dt.date(2026, 12, 31), "morning").is_provisional(std)
        False
        """
        return _calendar(standard).is_provisional(self.date)

    def _spans(self, cal: ServiceCalendar) -> tuple[tuple[int, int], ...]:
        day = cal.day_record(self.date.toordinal())
        spans = day.halves[0 if self.half is _MORNING else 1]
        if not spans:
            msg = f"{self} is not a bookable half-day"
            raise InvalidAppointment(msg, violations=_structure(self, day, cal))
        return spans

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {_HALF_TEXT[0 if self.half is _MORNING else 1]}"


def _time_of_day(value: object) -> dt.time:
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 23:
        return dt.time(value)
    if isinstance(value, dt.time) and value.tzinfo is None and not value.microsecond:
        return value
    msg = (
        "start must be an hour 0-23 or a datetime.time without tzinfo or microseconds "
        f"(got {_validate.shown(value)})"
    )
    raise InvalidInput(msg)


@attrs.frozen
class WindowCheck:
    """The outcome of a check: ok, or every broken rule; and when the visit may begin.

    Attributes:
        ok: Whether no rule is broken.
        violations: Each broken rule (rule ID, stable code, message).
        earliest_arrival: For an accepted window, the first instant it may be
            offered from (B5); for an accepted arrival window, its start.
        provisional: Whether the answer rests on holidays the ``holidays``
            package estimates for a year not yet announced (the policy
            ``unconfirmed_years = "estimated"``): it may change when the year's
            arrangement is out. Tell the customer so, or book it again then.

    >>> WindowCheck(ok=True, violations=()).codes
    ()

    .. versionadded:: 0.1.0
    """

    ok: bool
    violations: tuple[Violation, ...]
    earliest_arrival: pendulum.DateTime | None = None
    provisional: bool = False

    def __attrs_post_init__(self) -> None:
        if self.ok == bool(self.violations):
            msg = "WindowCheck.ok must be True exactly when there are no violations"
            raise InvalidInput(msg)

    @property
    def codes(self) -> tuple[str, ...]:
        """The codes of the violations, in order."""
        return tuple(v.code for v in self.violations)


# --- checks ---------------------------------------------------------------------


@functools.lru_cache(maxsize=64)
def _duration(value: dt.timedelta) -> str:
    return format_duration(value)


def _fmt(epoch: float, tz: dt.tzinfo) -> str:
    d = dt.datetime.fromtimestamp(epoch, tz)
    return f"{d.year:04}-{d.month:02}-{d.day:02} {d.hour:02}:{d.minute:02}"


def _describe(window: AppointmentWindow, spans: tuple[tuple[int, int], ...], tz: dt.tzinfo) -> str:
    return f"{window} ({_time.datetime_of(spans[0][0], tz):%H:%M}-{_time.datetime_of(spans[-1][1], tz):%H:%M})"


def _structure(window: AppointmentWindow, day: _time.Day, cal: ServiceCalendar) -> list[Violation]:
    """The violations that a half-day without open time breaks: closed day or no such half."""
    if day.halves[0 if window.half is _MORNING else 1]:
        return []
    if not day.halves[0] and not day.halves[1]:
        return [
            Violation(
                "B6",
                "closed_day",
                f"{window.date.isoformat()} is closed for visits; choose another date",
            )
        ]
    return [
        Violation(
            "B2",
            "no_such_half_day",
            f"{window.date.isoformat()} has no {window.half.label_en} ({window.half.label_zh}) "
            "in its service hours; choose the other half-day or another date",
        )
    ]


def check_window(
    window: AppointmentWindow,
    booked_at: dt.datetime,
    standard: ServiceStandard,
    *,
    lead_time: dt.timedelta | None = None,
) -> WindowCheck:
    """Check a half-day window against the booking rules; list every broken rule.

    Rules and codes: ``B5 in_the_past`` (the window ends at or before
    ``booked_at``), ``B5 before_lead_time`` (less than one arrival window of
    its open time lies at or after ``booked_at + lead_time``), ``B6
    closed_day`` (no service hours that date), ``B2 no_such_half_day`` (the
    date is open but not in that half). A window with no open time is judged
    past or early against its nominal span (00:00-midday, midday-24:00).

    Args:
        window: The half-day to check.
        booked_at: When the booking is made (timezone-aware).
        standard: The standard whose hours, holidays and lead time apply.
        lead_time: Overrides ``standard.lead_time``. B5's lead time is for
            installs and moves (装移机); a repair visit is arranged as soon as
            possible (F2, F3), so the workflow passes ``timedelta(0)`` for repairs.

    Returns:
        A :class:`WindowCheck`; when ok, ``earliest_arrival`` is the first
        instant the window may be offered from.

    Raises:
        InvalidInput: ``booked_at`` is naive, or an argument has the wrong type.
        CalendarNotCovered: The date's year is not confirmed and the policy is to raise.

    >>> import datetime as dt, pendulum
    >>> from fieldservice import ServiceStandard
    >>> std = ServiceStandard.default()
    >>> booked = pendulum.datetime(2026, 11, 23, 10, 30, tz="Asia/Shanghai")
    >>> check_window(AppointmentWindow(dt.date(2026, 11, 23), "afternoon"), booked, std).codes
    ('before_lead_time',)
    >>> check_window(AppointmentWindow(dt.date(2026, 11, 24), "afternoon"), booked, std).ok
    True
    """
    if type(window) is not AppointmentWindow and not isinstance(window, AppointmentWindow):
        msg = f"window must be an AppointmentWindow (got {type(window).__name__})"
        raise InvalidInput(msg)
    cal = ServiceCalendar.for_visits(standard)
    booked = cal.epoch_seconds("booked_at", booked_at)
    day = cal.day_record(window.date.toordinal())
    spans = day.halves[0 if window.half is _MORNING else 1]
    lead = _lead(standard, lead_time)
    earliest = booked + lead.total_seconds()
    if spans and spans[-1][1] > booked:
        first: float | None = None
        room = 0.0
        for s, e in spans:
            if e > earliest:
                begin = s if s > earliest else earliest
                if first is None:
                    first = begin
                room += e - begin
        if first is not None and room >= standard.arrival_window.total_seconds():
            return WindowCheck(
                True, (), _time.datetime_of(first, cal.timezone), bool(day.provisional)
            )
    return WindowCheck(
        False,
        tuple(_window_violations(window, day, booked, standard, cal, lead)),
        provisional=bool(day.provisional),
    )


def _window_violations(
    window: AppointmentWindow,
    day: _time.Day,
    booked: float,
    standard: ServiceStandard,
    cal: ServiceCalendar,
    lead: dt.timedelta,
) -> list[Violation]:
    tz = cal.timezone
    spans = day.halves[0 if window.half is _MORNING else 1]
    earliest = booked + lead.total_seconds()
    found: list[Violation] = []
    # A half-day without open time is judged by its nominal span: 00:00-midday, midday-24:00.
    if spans:
        end = spans[-1][1]
    elif window.half is HalfDay.MORNING:
        end = day.midday
    else:
        end = day.end
    if end <= booked:
        found.append(
            Violation(
                "B5",
                "in_the_past",
                f"{window} ended before the booking at {_fmt(booked, tz)}; "
                "choose a window after the lead time",
            )
        )
    elif spans or end <= earliest:
        found.append(
            Violation(
                "B5",
                "before_lead_time",
                f"{window} leaves less than {_duration(standard.arrival_window)} after "
                f"{_fmt(earliest, tz)}, {_duration(lead)} after the booking; "
                "choose a later window",
            )
        )
    found.extend(_structure(window, day, cal))
    return found


def validate_window(
    window: AppointmentWindow,
    booked_at: dt.datetime,
    standard: ServiceStandard,
    *,
    lead_time: dt.timedelta | None = None,
) -> WindowCheck:
    """Check a window like :func:`check_window`, and raise if any rule is broken.

    Returns:
        The passing :class:`WindowCheck`, with its ``earliest_arrival``.

    Raises:
        InvalidAppointment: With every broken rule in ``violations``.

    >>> import datetime as dt, pendulum
    >>> from fieldservice import ServiceStandard
    >>> booked = pendulum.datetime(2026, 11, 23, 10, 30, tz="Asia/Shanghai")
    >>> validate_window(AppointmentWindow(dt.date(2026, 11, 23), "afternoon"), booked,
    ...                 ServiceStandard.default())
    Traceback (most recent call last):
    ...
    fieldservice.errors.InvalidAppointment: ... ([B5/before_lead_time] ...)
    """
    result = check_window(window, booked_at, standard, lead_time=lead_time)
    if not result.ok:
        msg = f"the window {window} cannot be booked"
        raise InvalidAppointment(msg, violations=result.violations)
    return result


def check_arrival(
    arrival: ArrivalWindow,
    booked_at: dt.datetime,
    standard: ServiceStandard,
    *,
    lead_time: dt.timedelta | None = None,
) -> WindowCheck:
    """Check an arrival window (C1) against the rules; list every broken rule.

    Rules and codes: ``B5 in_the_past`` (it ends at or before ``booked_at``),
    ``B5 before_lead_time`` (it starts before ``booked_at + lead_time``),
    ``B6 quiet_hours`` (any part lies in the quiet hours), ``B6 closed_day``,
    ``C1 outside_half_day`` (it does not start in a half-day's open time, or
    runs past that half-day's end), ``C1 arrival_window_too_long`` (longer than
    ``standard.arrival_window``).

    Args:
        arrival: The arrival window agreed on the day.
        booked_at: When the appointment was booked (timezone-aware).
        standard: The standard whose rules apply.
        lead_time: Overrides ``standard.lead_time`` (see :func:`check_window`).

    Returns:
        A :class:`WindowCheck`; when ok, ``earliest_arrival`` is the window's start.

    Raises:
        InvalidInput: ``booked_at`` is naive, or an argument has the wrong type.
        CalendarNotCovered: The date's year is not confirmed and the policy is to raise.

    >>> import pendulum
    >>> from fieldservice import ServiceStandard
    >>> booked = pendulum.datetime(2026, 11, 23, 10, 30, tz="Asia/Shanghai")
    >>> at = pendulum.datetime(2026, 11, 24, 19, 30, tz="Asia/Shanghai")
    >>> check_arrival(ArrivalWindow(at, at.add(hours=1)), booked, ServiceStandard.default()).codes
    ('quiet_hours', 'outside_half_day')
    """
    if not isinstance(arrival, ArrivalWindow):
        msg = f"arrival must be an ArrivalWindow (got {type(arrival).__name__})"
        raise InvalidInput(msg)
    cal = _calendar(standard)
    tz = cal.timezone
    booked = cal.epoch_seconds("booked_at", booked_at)
    start, end = _time.to_epoch("start", arrival.start), _time.to_epoch("end", arrival.end)
    lead = _lead(standard, lead_time)
    earliest = booked + lead.total_seconds()
    found: list[Violation] = []
    if end <= booked:
        found.append(
            Violation(
                "B5",
                "in_the_past",
                f"the arrival window {_fmt(start, tz)} ended before the booking at "
                f"{_fmt(booked, tz)}",
            )
        )
    elif start < earliest:
        found.append(
            Violation(
                "B5",
                "before_lead_time",
                f"the arrival window starts at {_fmt(start, tz)}, before {_fmt(earliest, tz)}, "
                f"{_duration(lead)} after the booking; start it later",
            )
        )
    quiet = _touches_quiet_hours(start, end, standard, cal)
    if quiet:
        found.append(
            Violation(
                "B6",
                "quiet_hours",
                f"the arrival window {_fmt(start, tz)}-{_time.datetime_of(end, tz):%H:%M} enters the "
                f"quiet hours {standard.quiet_hours}; keep it in the service hours",
            )
        )
    day = cal.day_record(cal.date_of(start).toordinal())
    if not day.halves[0] and not day.halves[1]:
        found.append(
            Violation(
                "B6",
                "closed_day",
                f"{cal.date_of(start).isoformat()} is closed for visits; choose another date",
            )
        )
    else:
        spans = next(
            (h for h in day.halves if any(s <= start < e for s, e in h)),
            None,
        )
        if (spans is None and not quiet) or (spans is not None and end > spans[-1][1]):
            found.append(
                Violation(
                    "C1",
                    "outside_half_day",
                    f"the arrival window {_fmt(start, tz)}-{_time.datetime_of(end, tz):%H:%M} is not "
                    "inside one half-day's service hours; refine within the booked half-day",
                )
            )
    if end - start > standard.arrival_window.total_seconds():
        found.append(
            Violation(
                "C1",
                "arrival_window_too_long",
                f"the arrival window is longer than {_duration(standard.arrival_window)}; "
                "refine it to the hour",
            )
        )
    provisional = bool(day.provisional)  # the day it starts: a window past midnight is refused
    if found:
        return WindowCheck(False, tuple(found), provisional=provisional)
    return WindowCheck(True, (), _time.datetime_of(start, tz), provisional=provisional)


def _touches_quiet_hours(
    start: float, end: float, standard: ServiceStandard, cal: ServiceCalendar
) -> bool:
    """Whether [start, end) meets any quiet period of the dates around it."""
    tz = cal.timezone
    quiet = standard.quiet_hours
    q_start, q_end = _time.seconds_of(quiet.start), _time.seconds_of(quiet.end)
    first = cal.date_of(start) - dt.timedelta(days=1)
    last = cal.date_of(end)
    day = first
    while day <= last:
        lo = _time.wall_epoch(tz, day, q_start)
        hi = _time.wall_epoch(tz, day, q_end + (86400 if quiet.wraps_midnight else 0))
        if start < hi and end > lo:
            return True
        day += dt.timedelta(days=1)
    return False


def validate_arrival(
    arrival: ArrivalWindow,
    booked_at: dt.datetime,
    standard: ServiceStandard,
    *,
    lead_time: dt.timedelta | None = None,
) -> WindowCheck:
    """Check an arrival window like :func:`check_arrival`, and raise if any rule is broken.

    Raises:
        InvalidAppointment: With every broken rule in ``violations``.

    >>> import pendulum
    >>> from fieldservice import ServiceStandard
    >>> booked = pendulum.datetime(2026, 11, 23, 10, 30, tz="Asia/Shanghai")
    >>> at = pendulum.datetime(2026, 11, 24, 14, tz="Asia/Shanghai")
    >>> validate_arrival(ArrivalWindow(at, at.add(hours=1)), booked, ServiceStandard.default()).ok
    True
    """
    result = check_arrival(arrival, booked_at, standard, lead_time=lead_time)
    if not result.ok:
        msg = f"the arrival window {arrival} cannot be agreed"
        raise InvalidAppointment(msg, violations=result.violations)
    return result


# --- search ---------------------------------------------------------------------


# The last day whose windows every zone (UTC-12 to UTC+14) can book: a booking's instants
# lie in the years an event holds, before the start of the calendar's last year in UTC.
_LAST_BOOKABLE_DAY: Final = dt.date(_time.LAST_YEAR - 1, 12, 30).toordinal()


def next_windows(
    booked_at: dt.datetime,
    standard: ServiceStandard,
    count: int = 4,
    after: AppointmentWindow | dt.datetime | None = None,
    *,
    lead_time: dt.timedelta | None = None,
) -> tuple[AppointmentWindow, ...]:
    """Return the earliest windows that pass :func:`check_window`, for a booking screen.

    Every window returned passes :func:`check_window` for ``booked_at``, and no
    window between them (or before the first) does, and each can be booked. The
    search looks one year ahead and returns fewer windows if the calendar has
    fewer in that time; it ends with 2198-12-30, the last day whose windows an
    event holds in every zone.

    Under the policy ``unconfirmed_years = "estimated"`` the search runs on
    into a year not yet announced; :meth:`AppointmentWindow.is_provisional`
    says which windows rest on estimated holidays. A list that reaches such a
    year may also lack days that the announcement will open (make-up days).

    Args:
        booked_at: When the booking is made (timezone-aware).
        standard: The standard whose hours, holidays and lead time apply.
        count: How many windows to return, 1 to 1000.
        after: Show only later windows: those after this window (to page on),
            or those whose open time begins at or after this instant.
        lead_time: Overrides ``standard.lead_time`` (see :func:`check_window`).

    Raises:
        InvalidInput: ``booked_at`` or ``after`` is naive, or ``count`` is out of range.
        CalendarNotCovered: The search reaches a year that is not confirmed and
            the policy is to raise.

    >>> import pendulum
    >>> from fieldservice import ServiceStandard
    >>> booked = pendulum.datetime(2026, 11, 23, 16, 0, tz="Asia/Shanghai")
    >>> [str(w) for w in next_windows(booked, ServiceStandard.default(), count=2)]
    ['2026-11-24 下午 afternoon', '2026-11-25 上午 morning']
    """
    if not isinstance(count, int) or isinstance(count, bool) or not 1 <= count <= _MAX_COUNT:
        msg = f"count must be a whole number from 1 to {_MAX_COUNT} (got {_validate.shown(count)})"
        raise InvalidInput(msg)
    cal = ServiceCalendar.for_visits(standard)
    booked = cal.epoch_seconds("booked_at", booked_at)
    earliest = booked + _lead(standard, lead_time).total_seconds()
    need = standard.arrival_window.total_seconds()
    ordinal = cal.date_of(earliest).toordinal()
    skip_until = -1  # windows numbered ordinal * 2 + half index, up to this one, are skipped
    not_before = -float("inf")
    if isinstance(after, AppointmentWindow):
        skip_until = after.date.toordinal() * 2 + after.half.index
        ordinal = max(ordinal, after.date.toordinal())
    elif after is not None:
        not_before = cal.epoch_seconds("after", after)
        ordinal = max(ordinal, cal.date_of(not_before).toordinal())
    found: list[AppointmentWindow] = []
    horizon = min(ordinal + _HORIZON_DAYS, _LAST_BOOKABLE_DAY)
    while ordinal <= horizon:
        day = cal.day_record(ordinal)
        for index in (0, 1):
            spans = day.halves[index]
            if not spans or ordinal * 2 + index <= skip_until or spans[0][0] < not_before:
                continue
            room = 0.0
            for s, e in spans:
                if e > earliest:
                    room += e - (s if s > earliest else earliest)
            if room >= need:
                found.append(_window(dt.date.fromordinal(ordinal), _HALVES[index]))
                if len(found) == count:
                    return tuple(found)
        ordinal += 1
    return tuple(found)


def _lead(standard: ServiceStandard, lead_time: dt.timedelta | None) -> dt.timedelta:
    """The lead time that applies: the standard's (B5), or a caller's override."""
    if lead_time is None:
        return standard.lead_time
    if not isinstance(lead_time, dt.timedelta) or lead_time < dt.timedelta(0):
        msg = "lead_time must be a non-negative datetime.timedelta"
        raise InvalidInput(msg)
    if lead_time > LONGEST_LEAD_TIME:
        # As a standard's own: longer is a slip, and would reach past the calendar's years.
        msg = (
            f"lead_time must be at most {format_duration(LONGEST_LEAD_TIME)} (B5), as a standard's"
        )
        raise InvalidInput(msg)
    return lead_time


def _window(date: dt.date, half: HalfDay) -> AppointmentWindow:
    # Both values are already what the converters would make: skip them.
    window: AppointmentWindow = object.__new__(AppointmentWindow)
    object.__setattr__(window, "date", date)
    object.__setattr__(window, "half", half)
    return window


# --- departure (T2) ----------------------------------------------------------------


def departure_time(
    arrival: ArrivalWindow | dt.datetime,
    travel: dt.timedelta,
    standard: ServiceStandard,
    *,
    margin: dt.timedelta | None = None,
) -> pendulum.DateTime:
    """Return when to leave to arrive early by the standard's margin (T2).

    Departure = appointment time - travel time - early-arrival margin. The
    margin defaults to the longest of ``standard.early_arrival`` (10 minutes
    of 5-10), so a delay of up to the difference still arrives early enough.

    Args:
        arrival: The arrival window (its start counts) or the appointment instant.
        travel: The expected travel time; not negative.
        standard: The standard whose early-arrival margin applies.
        margin: A margin to use instead, within ``standard.early_arrival``.

    Raises:
        InvalidInput: An instant is naive, ``travel`` is negative, or ``margin``
            lies outside the standard's early-arrival range (T2).

    >>> import pendulum
    >>> from fieldservice import ServiceStandard
    >>> at = pendulum.datetime(2026, 11, 25, 14, tz="Asia/Shanghai")
    >>> departure_time(at, pendulum.duration(minutes=35), ServiceStandard.default())
    DateTime(2026, 11, 25, 13, 15, 0, tzinfo=Timezone('Asia/Shanghai'))
    """
    cal = _calendar(standard)
    when = arrival.start if isinstance(arrival, ArrivalWindow) else arrival
    at = _time.to_epoch("arrival", when)
    travel = _validate.travel(travel)
    shortest, longest = standard.early_arrival
    if margin is None:
        margin = longest
    elif not isinstance(margin, dt.timedelta) or not shortest <= margin <= longest:
        msg = (
            f"margin must lie within the early-arrival range {format_duration(shortest)}-"
            f"{format_duration(longest)} of the standard (T2)"
        )
        raise InvalidInput(msg)
    return _time.datetime_of(at - (travel + margin).total_seconds(), cal.timezone)


def confirm_due(
    day: dt.date, booked_at: dt.datetime | None, standard: ServiceStandard
) -> float | None:
    """The instant (epoch seconds) the day-of confirmation of a visit on ``day`` is due (C1).

    The standard's ``confirm_by`` (09:00) of the visit day in its timezone; None
    when the booking itself came at or after it (a same-day booking needs no
    second confirmation to be on time).

    Raises:
        InvalidInput: ``day`` is not a date, ``booked_at`` is not a timezone-aware
            datetime (a naive one would depend on the machine's zone), or
            ``standard`` is not a :class:`~fieldservice.standard.ServiceStandard`.

    >>> import datetime as dt, pendulum
    >>> from fieldservice import ServiceStandard
    >>> std = ServiceStandard.default()
    >>> t = pendulum.datetime(2026, 11, 24, 10, tz="Asia/Shanghai")
    >>> due = confirm_due(dt.date(2026, 11, 26), t, std)
    >>> pendulum.from_timestamp(due, tz="Asia/Shanghai").isoformat()
    '2026-11-26T09:00:00+08:00'
    >>> confirm_due(dt.date(2026, 11, 24), t, std) is None
    True
    """
    try:
        tz = _time.zone(standard.timezone)
        due = float(_time.wall_epoch(tz, day, _time.seconds_of(standard.confirm_by)))
    except (AttributeError, TypeError):  # not a standard, or not a date: no cost otherwise
        due = None
    if due is None:
        raise _not_a_day_or_standard(day, standard)
    if booked_at is None:
        return due
    try:
        booked = None if booked_at.tzinfo is None else booked_at.timestamp()
    except (AttributeError, TypeError):  # not a datetime
        booked = None
    if booked is None:
        # Refused (a naive one would be read in the machine's zone), or checked in full:
        # an aware datetime, the workflow's, costs one test on its way.
        booked = _time.to_epoch("booked_at", booked_at)
    return None if booked >= due else due


def _not_a_day_or_standard(day: object, standard: object) -> InvalidInput:
    if not isinstance(standard, ServiceStandard):
        return InvalidInput(f"standard must be a ServiceStandard (got {type(standard).__name__})")
    return InvalidInput(f"day must be a datetime.date (got {type(day).__name__})")
