"""The service calendar: when visits may happen and when SLA clocks run.

A :class:`ServiceCalendar` interprets the calendar fields of a
:class:`~fieldservice.standard.ServiceStandard` for one purpose: visits
(:meth:`ServiceCalendar.for_visits`) or service-time SLA clocks
(:meth:`ServiceCalendar.for_clocks`). It answers, in the standard's timezone
and correctly across daylight-saving changes, whether it is open at an instant,
when it next opens, and how much open time lies between two instants.

What a date's hours are, in order of precedence:

1. A date override of the standard (:class:`~fieldservice.standard.DateOverride`)
   always applies: its hours, or closed when it has none.
2. If the calendar closes on holidays (the standard says so per purpose), every
   maximal run of non-working days that contains a public holiday is closed.
   The ``holidays`` data lists China's statutory days and the weekdays given
   off in lieu, but not the weekend days inside a break (2026-10-03 is listed,
   2026-10-04, a Sunday, is not); closing the whole run closes the whole break.
3. If the calendar closes on holidays, a make-up working day (调休上班, such as
   Saturday 2026-10-10) opens with its weekday's hours, or the standard's
   service hours when that weekday has none.
4. Otherwise the weekday's hours
   (:meth:`~fieldservice.standard.ServiceStandard.hours_for_weekday`):
   by default the complement of the quiet hours, 08:00-20:00 (B6).

A calendar that does not close on holidays ignores the holiday data altogether
and runs ordinary weeks (the seed serves every day). For a calendar that does,
a year is *confirmed* when the ``holidays`` package carries the State Council's
announcement for it (its China table of make-up days), or when the branch lists
it in ``confirmed_years`` and gives the official dates as date overrides. Other
years are not announced yet. With the default policy ``unconfirmed_years =
"raise"`` any query that touches one raises
:class:`~fieldservice.errors.CalendarNotCovered`; with ``"ordinary"`` they are
ordinary weeks; with ``"estimated"`` the statutory days (and days in lieu) that
the ``holidays`` package computes by its rules close, no make-up working day
opens, and every date of such a year is *provisional*
(:meth:`ServiceCalendar.is_provisional`): an answer that rests on it may change
when the State Council announces the year.

Local times follow one rule: a time of day means the first instant at which the
clock shows that time or later. A time that occurs twice (the autumn overlap)
means its first occurrence; a time that does not occur (the spring gap) means
the moment the clocks jump.

>>> import datetime as dt
>>> import pendulum
>>> from fieldservice import ServiceStandard
>>> from fieldservice.servicecal import ServiceCalendar
>>> cal = ServiceCalendar.for_visits(ServiceStandard.default().replace(close_visits_on_holidays=True))
>>> cal.is_service_day(dt.date(2026, 10, 4)), cal.is_service_day(dt.date(2026, 10, 10))
(False, True)
>>> cal.next_open(pendulum.datetime(2026, 9, 30, 20, 30, tz="Asia/Shanghai"))
DateTime(2026, 10, 8, 8, 0, 0, tzinfo=Timezone('Asia/Shanghai'))
"""

from __future__ import annotations

import datetime as dt
import threading
import weakref
from bisect import bisect_left as _bisect_left
from bisect import bisect_right as _bisect_right
from collections.abc import Callable
from typing import Any, Final, NamedTuple, NoReturn

import attrs
import pendulum

from fieldservice import _labels, _time, _validate
from fieldservice.errors import CalendarNotCovered, InvalidInput, StandardError
from fieldservice.standard import ServiceStandard, TimeRange, UnconfirmedYears

__all__ = ["CalendarPurpose", "ServiceCalendar", "ServiceTable"]

ORIGIN_YEAR: Final = 2026
"""Service seconds count from midnight at the start of 1 January of this year."""
FIRST_YEAR: Final = 1970
"""The first year a calendar covers."""
LAST_YEAR: Final = 2199
"""The last year a calendar covers."""

_DAY: Final = 86400
# The C methods of datetime, called directly: pendulum overrides some of them in
# Python, which costs microseconds on the hot paths.
_timestamp: Final = dt.datetime.timestamp
_utcoffset: Final = dt.datetime.utcoffset
_fromtimestamp: Final = dt.datetime.fromtimestamp
_new_datetime: Final = pendulum.DateTime

# Wall-clock hours of one date: (start, end) seconds after midnight, end <= 86400.
_Hours = tuple[tuple[int, int], ...]
# Open spans of one date as epoch seconds.
_Spans = tuple[tuple[int, int], ...]


class CalendarPurpose(_labels.IdentityEnum):
    """What a calendar is for; the standard decides per purpose whether holidays close it.

    >>> CalendarPurpose("clocks")
    <CalendarPurpose.CLOCKS: 'clocks'>

    .. versionadded:: 0.1.0
    """

    VISITS = "visits"
    CLOCKS = "clocks"


# --- instants -------------------------------------------------------------------


def _local_year(epoch: float, tz: dt.tzinfo) -> int:
    try:
        return _fromtimestamp(epoch, tz).year
    except (OverflowError, OSError, ValueError):
        msg = _NOT_COVERED
        raise InvalidInput(msg) from None


# Raw epoch seconds mean nothing to a reader, and the instant may be anyone's (G1).
_NOT_COVERED = (
    f"an instant lies outside the years the calendar covers ({FIRST_YEAR}-{LAST_YEAR}); "
    "check the times and the standard's durations"
)


# --- holiday data (the holidays package, imported on first use) ------------------

_HOLIDAY_LOCK: Final = threading.Lock()
_HOLIDAYS: dict[str, Any] = {}
_PACKAGE_YEARS: dict[str, frozenset[int] | None] = {}
_PACKAGE_CONFIRMS: dict[tuple[str, int], bool] = {}
_CLOSURES: dict[tuple[str, int, bool], tuple[frozenset[dt.date], frozenset[dt.date]]] = {}


def _holidays_of(country: str) -> Any:
    """Return the shared ``holidays`` object of a country (call with the lock held)."""
    found = _HOLIDAYS.get(country)
    if found is None:
        import holidays

        try:
            found = holidays.country_holidays(country)
        except NotImplementedError:
            msg = (
                f"holiday_country {country!r:.10} is not a country the holidays package "
                "knows; use an ISO code such as 'CN', or '' for none"
            )
            raise StandardError(msg) from None
        _HOLIDAYS[country] = found
    return found


def _announced_years(country: str) -> frozenset[int] | None:
    """The years whose make-up days the package carries, or None if it has no such table."""
    if country not in _PACKAGE_YEARS:
        years: frozenset[int] | None = None
        if country == "CN":
            # A private table of the package: guard it, and fall back to looking
            # for make-up days in the data if it moves.
            try:
                from holidays.countries.china import ChinaStaticHolidays

                years = frozenset(int(y) for y in ChinaStaticHolidays.special_public_holidays)
            except (ImportError, AttributeError, TypeError, ValueError):
                years = None
        _PACKAGE_YEARS[country] = years
    return _PACKAGE_YEARS[country]


def _package_confirms(country: str, year: int) -> bool:
    """Whether the package's data for ``year`` is the official one (call with the lock held)."""
    key = (country, year)
    found = _PACKAGE_CONFIRMS.get(key)
    if found is None:
        data = _holidays_of(country)
        if not data.start_year <= year <= data.end_year:
            found = False
        elif country == "CN":
            announced = _announced_years(country)
            if announced is not None:
                found = year in announced
            else:
                # China announces make-up days every year; without them the year
                # is computed from rules, not announced.
                data.get(dt.date(year, 1, 1))
                found = any(d.year == year for d in data.weekend_workdays)
        else:
            # Other countries' holidays follow fixed rules: the package's range is its data.
            found = True
        _PACKAGE_CONFIRMS[key] = found
    return found


def _holiday_closures(
    country: str, year: int, *, estimated: bool = False
) -> tuple[frozenset[dt.date], frozenset[dt.date]]:
    """Return (closed dates, make-up working days) of ``year`` from the package.

    A closed date is in a maximal run of non-working days that contains a
    public holiday. Years the package does not confirm count as ordinary weeks,
    here and as neighbours of a confirmed year; with ``estimated``, an
    unconfirmed year (and its unconfirmed neighbours) takes the package's
    computed holidays instead.
    """
    with _HOLIDAY_LOCK:
        found = _CLOSURES.get((country, year, estimated))
        if found is None:
            found = _CLOSURES[country, year, estimated] = _compute_closures(
                country, year, estimated=estimated
            )
        return found


def _package_estimates(country: str, year: int) -> bool:
    """Whether the package computes holidays for ``year`` (call with the lock held)."""
    data = _holidays_of(country)
    return bool(data.start_year <= year <= data.end_year)


def _compute_closures(
    country: str, year: int, *, estimated: bool = False
) -> tuple[frozenset[dt.date], frozenset[dt.date]]:
    data = _holidays_of(country)
    # A confirmed year never leans on estimates, not even at its edges.
    guess = estimated and not _package_confirms(country, year)
    usable = _package_estimates if guess else _package_confirms
    if not usable(country, year):
        return frozenset(), frozenset()
    weekend = data.weekend
    # Breaks are at most a few weeks long: a month either side finds whole runs.
    first = dt.date(year, 1, 1) - dt.timedelta(days=31)
    days = [first + dt.timedelta(days=i) for i in range(366 + 62)]
    off: list[bool] = []
    holiday: list[bool] = []
    for day in days:
        if usable(country, day.year):
            off.append(not data.is_working_day(day))
            holiday.append(day in data)
        else:
            off.append(day.weekday() in weekend)
            holiday.append(False)
    closed: set[dt.date] = set()
    i = 0
    while i < len(days):
        if not off[i]:
            i += 1
            continue
        j = i
        while j < len(days) and off[j]:
            j += 1
        if any(holiday[i:j]):
            closed.update(d for d in days[i:j] if d.year == year)
        i = j
    makeup = frozenset(
        d for d in data.weekend_workdays if d.year == year and d.weekday() in weekend
    )
    return frozenset(closed), makeup


# --- the table of open intervals -------------------------------------------------


class _Block(NamedTuple):
    """One local year: its bounds, its days, its open intervals and their total."""

    lo: int
    hi: int
    days: tuple[_time.Day, ...]
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    total: int
    blocked: int
    provisional: int = 0


class _Table:
    """The open intervals of a run of years, with cumulative open seconds.

    Never changed once built: a calendar replaces its table when it extends it,
    so a reader always sees a consistent one.
    """

    __slots__ = (
        "blocked",
        "cum",
        "cum_end",
        "days",
        "ends",
        "first_ordinal",
        "first_year",
        "hi",
        "last_year",
        "lo",
        "provisional",
        "starts",
        "total_hi",
        "total_lo",
    )

    def __init__(self, blocks: dict[int, _Block], first_year: int, last_year: int) -> None:
        # Tables always hold the origin year; cumulative seconds are 0 at its first instant.
        # Floats, though every value is a whole number: queries take float epochs,
        # and comparing floats with floats is what bisect does fastest.
        running = -float(sum(blocks[year].total for year in range(first_year, ORIGIN_YEAR)))
        self.total_lo = running
        starts: list[float] = []
        ends: list[float] = []
        cum: list[float] = []
        cum_end: list[float] = []
        days: list[_time.Day] = []
        blocked: list[tuple[int, int, int]] = []
        provisional: list[tuple[int, int, int]] = []
        for year in range(first_year, last_year + 1):
            block = blocks[year]
            days.extend(block.days)
            if block.blocked:
                blocked.append((block.lo, block.hi, block.blocked))
            if block.provisional:
                provisional.append((block.lo, block.hi, block.provisional))
            for start, end in zip(block.starts, block.ends, strict=True):
                starts.append(float(start))
                ends.append(float(end))
                cum.append(running)
                running += end - start
                cum_end.append(running)
        self.total_hi = running
        self.first_year = first_year
        self.last_year = last_year
        self.lo = float(blocks[first_year].lo)
        self.hi = float(blocks[last_year].hi)
        self.starts = starts
        self.ends = ends
        self.cum = cum
        self.cum_end = cum_end
        self.days = days
        self.first_ordinal = dt.date(first_year, 1, 1).toordinal()
        self.blocked = tuple(blocked)
        self.provisional = tuple(provisional)

    def service(self, epoch: float) -> float:
        """Cumulative open seconds at ``epoch``, which the table must cover."""
        i = _bisect_right(self.starts, epoch) - 1
        if i < 0:
            return self.total_lo
        if epoch >= self.ends[i]:
            return self.cum_end[i]
        return self.cum[i] + (epoch - self.starts[i])

    def instant(self, value: float) -> float:
        """The earliest epoch reaching ``value``, which must lie in (total_lo, total_hi]."""
        j = _bisect_left(self.cum_end, value)
        return self.starts[j] + (value - self.cum[j])

    def guard(self, low: float, high: float) -> None:
        """Raise if [low, high] touches a year that is not confirmed."""
        for lo, hi, year in self.blocked:
            if low < hi and high >= lo:
                _not_covered(year)


def _not_covered(year: int) -> NoReturn:
    msg = (
        f"the public holidays of {year} are not confirmed (the holidays package has no "
        f"official announcement for it); add the official list to the branch TOML as "
        f"[[calendar.dates]] and list {year} in calendar.confirmed_years, or choose "
        'calendar.unconfirmed_years = "ordinary" to treat it as ordinary weeks, or '
        '"estimated" to close the holidays the holidays package computes, as provisional'
    )
    raise CalendarNotCovered(msg)


@attrs.frozen
class ServiceTable:
    """A calendar's open intervals over a run of years, with cumulative open seconds.

    :meth:`ServiceCalendar.service_table` gives it. ``starts[i]`` to
    ``ends[i]`` (epoch seconds, sorted) is open; ``cum[i]`` and
    ``cum_end[i]`` are the open seconds from the calendar's origin at its
    start and end. An instant in ``[lo, hi)`` converts as
    :meth:`to_service_seconds` shows, a value in ``(total_lo, total_hi]`` back
    as :meth:`from_service_seconds`; an instant within an ``unconfirmed``
    span (a year whose holidays are not confirmed) is one the calendar refuses.

    >>> import pendulum
    >>> from fieldservice import ServiceStandard
    >>> cal = ServiceCalendar.for_clocks(ServiceStandard.default())
    >>> t = pendulum.datetime(2026, 3, 2, 10, tz="Asia/Shanghai").timestamp()
    >>> table = cal.service_table(t, t)
    >>> table.from_service_seconds(table.to_service_seconds(t)) == t
    True
    """

    starts: tuple[float, ...]
    ends: tuple[float, ...]
    cum: tuple[float, ...]
    cum_end: tuple[float, ...]
    lo: float
    hi: float
    total_lo: float
    total_hi: float
    unconfirmed: tuple[tuple[float, float], ...]

    def to_service_seconds(self, epoch: float) -> float:
        """Open seconds from the origin to ``epoch``, which must lie in ``[lo, hi)``.

        >>> ServiceTable((0.0,), (10.0,), (0.0,), (10.0,), 0.0, 20.0, 0.0, 10.0, ()
        ...              ).to_service_seconds(15.0)
        10.0
        """
        i = _bisect_right(self.starts, epoch) - 1
        if i < 0:
            return self.total_lo + 0.0
        if epoch >= self.ends[i]:
            return self.cum_end[i] + 0.0
        return self.cum[i] + (epoch - self.starts[i]) + 0.0

    def from_service_seconds(self, value: float) -> float:
        """The earliest epoch reaching ``value``, which must lie in ``(total_lo, total_hi]``.

        >>> ServiceTable((0.0,), (10.0,), (0.0,), (10.0,), 0.0, 20.0, 0.0, 10.0, ()
        ...              ).from_service_seconds(4.0)
        4.0
        """
        j = _bisect_left(self.cum_end, value)
        return self.starts[j] + (value - self.cum[j])


_EXTEND_LOCK: Final = threading.Lock()


# --- the calendar -----------------------------------------------------------------


def _wall_hours(ranges: tuple[TimeRange, ...]) -> _Hours:
    out: list[tuple[int, int]] = []
    for span in ranges:
        start, end = _time.seconds_of(span.start), _time.seconds_of(span.end)
        if span.wraps_midnight:
            # Only the service hours (the complement of the quiet hours) can wrap:
            # each date then has their tail after midnight and their head before it.
            if end:
                out.append((0, end))
            out.append((start, _DAY))
        else:
            out.append((start, end))
    return tuple(sorted(out))


def _clock_time(seconds: int) -> dt.time:
    seconds %= _DAY
    return dt.time(seconds // 3600, seconds // 60 % 60, seconds % 60)


def _standard_repr(standard: ServiceStandard) -> str:
    return f"<ServiceStandard {standard.name!r}>"


def _to_purpose(value: object) -> CalendarPurpose:
    return _validate.enum_member(CalendarPurpose, "purpose", value)


def _is_standard(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, ServiceStandard):
        msg = f"{attribute.name} must be a ServiceStandard (got {type(value).__name__})"
        raise InvalidInput(msg)


@attrs.frozen
class ServiceCalendar:
    """When a purpose's time runs: service hours, holidays, make-up days and overrides.

    Build one with :meth:`for_visits` or :meth:`for_clocks` (cached per
    standard and purpose). It is immutable, hashable and compared by its
    standard and purpose. Every instant it takes must be timezone-aware and
    lie in the years 1970 to 2198, as everywhere in the library
    (:class:`~fieldservice.errors.InvalidInput` otherwise); every instant it
    returns is a pendulum DateTime in the standard's timezone, and service
    time added to one may run on into 2199.

    Queries use a table of open intervals with cumulative open seconds, built
    a year at a time on first use and extended when a query falls outside it
    (1970-2199). :meth:`to_service_seconds` and :meth:`from_service_seconds`
    expose it as numbers for batch work; :meth:`add_service_time` and
    :meth:`service_time_between` are built on them, exact for whole seconds.

    Args:
        standard: The service standard whose calendar fields apply.
        purpose: Visits or SLA clocks: it decides whether holidays close the calendar.

    Raises:
        InvalidInput: ``standard`` is not a ServiceStandard or ``purpose`` is unknown.
        StandardError: The standard names a holiday country the ``holidays`` package lacks.

    >>> import pendulum
    >>> from fieldservice import ServiceStandard
    >>> cal = ServiceCalendar.for_clocks(ServiceStandard.default())
    >>> at = pendulum.datetime(2026, 11, 24, 19, 0, tz="Asia/Shanghai")
    >>> cal.is_open(at), cal.add_service_time(at, pendulum.duration(hours=3))
    (True, DateTime(2026, 11, 25, 10, 0, 0, tzinfo=Timezone('Asia/Shanghai')))

    .. versionadded:: 0.1.0
    """

    standard: ServiceStandard = attrs.field(validator=_is_standard, repr=_standard_repr)
    purpose: CalendarPurpose = attrs.field(converter=_to_purpose)
    _tz: pendulum.Timezone = attrs.field(init=False, eq=False, repr=False)
    _closes: bool = attrs.field(init=False, eq=False, repr=False)
    _weekly: tuple[_Hours, ...] = attrs.field(init=False, eq=False, repr=False)
    _service: _Hours = attrs.field(init=False, eq=False, repr=False)
    _overrides: dict[dt.date, _Hours] = attrs.field(init=False, eq=False, repr=False)
    _blocks: dict[int, _Block] = attrs.field(init=False, eq=False, repr=False)
    _table: _Table | None = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        std = self.standard
        closes = (
            std.close_visits_on_holidays
            if self.purpose is CalendarPurpose.VISITS
            else std.close_clocks_on_holidays
        ) and bool(std.holiday_country)
        setattr_ = object.__setattr__
        setattr_(self, "_tz", pendulum.timezone(std.timezone))
        setattr_(self, "_closes", closes)
        setattr_(self, "_weekly", tuple(_wall_hours(std.hours_for_weekday(i)) for i in range(7)))
        setattr_(self, "_service", _wall_hours((std.service_hours,)))
        setattr_(self, "_overrides", {o.date: _wall_hours(o.hours) for o in std.date_overrides})
        setattr_(self, "_blocks", {})
        setattr_(self, "_table", None)
        if closes:
            with _HOLIDAY_LOCK:
                _holidays_of(std.holiday_country)  # a country the package lacks fails here

    # --- construction -------------------------------------------------------

    @classmethod
    def for_visits(cls, standard: ServiceStandard) -> ServiceCalendar:
        """Return the (cached) calendar of home visits under ``standard``.

        Holidays close it only if ``standard.close_visits_on_holidays``.

        Raises:
            InvalidInput: ``standard`` is not a ServiceStandard.

        >>> from fieldservice import ServiceStandard
        >>> std = ServiceStandard.default()
        >>> ServiceCalendar.for_visits(std) is ServiceCalendar.for_visits(std)
        True
        """
        hit = _VISITS_BY_ID.get(id(standard))
        if hit is not None and hit[0]() is standard:
            return hit[1]
        return _cached(standard, CalendarPurpose.VISITS)

    @classmethod
    def for_clocks(cls, standard: ServiceStandard) -> ServiceCalendar:
        """Return the (cached) calendar of service-time SLA clocks under ``standard``.

        Holidays close it only if ``standard.close_clocks_on_holidays``.

        Raises:
            InvalidInput: ``standard`` is not a ServiceStandard.

        >>> from fieldservice import ServiceStandard
        >>> ServiceCalendar.for_clocks(ServiceStandard.default()).purpose
        <CalendarPurpose.CLOCKS: 'clocks'>
        """
        hit = _CLOCKS_BY_ID.get(id(standard))
        if hit is not None and hit[0]() is standard:
            return hit[1]
        return _cached(standard, CalendarPurpose.CLOCKS)

    # --- facts -----------------------------------------------------------------

    @property
    def timezone(self) -> dt.tzinfo:
        """The standard's timezone (a pendulum timezone), in which every returned instant is given.

        >>> from fieldservice import ServiceStandard
        >>> str(ServiceCalendar.for_visits(ServiceStandard.default()).timezone)
        'Asia/Shanghai'
        """
        return self._tz

    @property
    def closes_on_holidays(self) -> bool:
        """Whether public holidays (whole breaks) close this calendar.

        >>> from fieldservice import ServiceStandard
        >>> ServiceCalendar.for_visits(ServiceStandard.default()).closes_on_holidays
        False
        """
        return self._closes

    @property
    def origin(self) -> pendulum.DateTime:
        """Midnight starting 1 January 2026, the instant from which service seconds count.

        >>> from fieldservice import ServiceStandard
        >>> cal = ServiceCalendar.for_clocks(ServiceStandard.default())
        >>> cal.origin, cal.to_service_seconds(cal.origin.timestamp())
        (DateTime(2026, 1, 1, 0, 0, 0, tzinfo=Timezone('Asia/Shanghai')), 0.0)
        """
        return _time.datetime_of(
            _time.wall_epoch(self._tz, dt.date(ORIGIN_YEAR, 1, 1), 0), self._tz
        )

    def hours_on(self, day: dt.date) -> tuple[TimeRange, ...]:
        """Return the service hours of a local date, after holidays and overrides.

        An end of ``00:00`` means midnight at the end of the date.

        Args:
            day: A date in the standard's timezone.

        Raises:
            InvalidInput: ``day`` is not a date, or lies outside 1970-2199.
            CalendarNotCovered: Holidays close this calendar, ``day``'s year is
                not confirmed and the policy is to raise.

        >>> import datetime as dt
        >>> from fieldservice import ServiceStandard
        >>> cal = ServiceCalendar.for_visits(ServiceStandard.default())
        >>> [str(r) for r in cal.hours_on(dt.date(2026, 10, 1))]
        ['08:00-20:00']
        """
        day = _date("day", day)
        self._check_year(day.year)
        if self._blocked(day.year):
            _not_covered(day.year)
        closed, makeup = self._closures(day.year)
        return tuple(
            TimeRange(_clock_time(s), _clock_time(e))
            for s, e in self._wall_hours(day, closed, makeup)
        )

    def is_service_day(self, day: dt.date) -> bool:
        """Whether a local date has any service hours.

        Raises:
            InvalidInput: ``day`` is not a date, or lies outside 1970-2199.
            CalendarNotCovered: As for :meth:`hours_on`.

        >>> import datetime as dt
        >>> from fieldservice import ServiceStandard
        >>> std = ServiceStandard.default().replace(close_visits_on_holidays=True)
        >>> ServiceCalendar.for_visits(std).is_service_day(dt.date(2026, 10, 1))
        False
        """
        return bool(self.hours_on(day))

    def is_provisional(self, day: dt.date | dt.datetime) -> bool:
        """Whether a date's hours rest on holidays the ``holidays`` package estimates.

        True only for a calendar that closes on holidays, under the policy
        ``unconfirmed_years = "estimated"``, for a date (or the local date of an
        instant) in a year neither the package nor the branch confirms. Its
        hours, and every answer drawn from them (windows, open time,
        deadlines), may change when the year's arrangement is announced.

        Raises:
            InvalidInput: ``day`` is not a date or an aware datetime, or lies outside 1970-2199.

        >>> import datetime as dt
        >>> from fieldservice import ServiceStandard, UnconfirmedYears
        >>> std = ServiceStandard.default().replace(
        ...     close_visits_on_holidays=True, unconfirmed_years=UnconfirmedYears.ESTIMATED)
        >>> cal = ServiceCalendar.for_visits(std)
        >>> cal.is_provisional(dt.date(2026, 10, 1)), cal.is_provisional(dt.date(2027, 10, 1))
        (False, True)
        >>> cal.is_service_day(dt.date(2027, 10, 1))
        False
        """
        if isinstance(day, dt.datetime):
            day = self.date_of(self.epoch_seconds("day", day))
        day = _date("day", day)
        self._check_year(day.year)
        return self._provisional(day.year)

    def provisional_between(self, a: dt.datetime, b: dt.datetime) -> bool:
        """Whether any date from ``a`` to ``b`` is provisional (see :meth:`is_provisional`).

        A deadline, a span of open time or a search for windows between two
        instants rests on every date between them: ask this of its two ends.

        Raises:
            InvalidInput: ``a`` or ``b`` is naive or not a datetime.

        >>> import pendulum
        >>> from fieldservice import ServiceStandard, UnconfirmedYears
        >>> std = ServiceStandard.default().replace(
        ...     close_clocks_on_holidays=True, unconfirmed_years=UnconfirmedYears.ESTIMATED)
        >>> cal = ServiceCalendar.for_clocks(std)
        >>> start = pendulum.datetime(2026, 12, 31, 10, tz="Asia/Shanghai")
        >>> deadline = cal.add_service_time(start, pendulum.duration(hours=24))
        >>> deadline, cal.provisional_between(start, deadline)
        (DateTime(2027, 1, 5, 10, 0, 0, tzinfo=Timezone('Asia/Shanghai')), True)
        """
        lo, hi = self.epoch_seconds("a", a), self.epoch_seconds("b", b)
        if hi < lo:
            lo, hi = hi, lo
        first, last = self.date_of(lo).year, self.date_of(hi).year
        return any(self._provisional(year) for year in range(first, last + 1))

    # --- instant queries -----------------------------------------------------

    def is_open(self, at: dt.datetime) -> bool:
        """Whether the calendar is open at an instant (an interval's start is open, its end not).

        Args:
            at: A timezone-aware instant.

        Raises:
            InvalidInput: ``at`` is naive or not a datetime.
            CalendarNotCovered: ``at`` lies in an unconfirmed year and the policy is to raise.

        >>> import pendulum
        >>> from fieldservice import ServiceStandard
        >>> cal = ServiceCalendar.for_visits(ServiceStandard.default())
        >>> cal.is_open(pendulum.datetime(2026, 11, 24, 20, 0, tz="Asia/Shanghai"))
        False
        """
        t = self.epoch_seconds("at", at)
        table = self._cover(t)
        if table.blocked:
            table.guard(t, t)
        i = _bisect_right(table.starts, t) - 1
        return i >= 0 and t < table.ends[i]

    def next_open(self, at: dt.datetime) -> pendulum.DateTime:
        """Return the first instant at or after ``at`` when the calendar is open.

        Args:
            at: A timezone-aware instant.

        Raises:
            InvalidInput: ``at`` is naive or not a datetime.
            CalendarNotCovered: The answer lies in an unconfirmed year and the
                policy is to raise, or the calendar never opens again before 2200.

        >>> import pendulum
        >>> from fieldservice import ServiceStandard
        >>> cal = ServiceCalendar.for_visits(ServiceStandard.default())
        >>> cal.next_open(pendulum.datetime(2026, 11, 24, 21, 15, tz="Asia/Shanghai"))
        DateTime(2026, 11, 25, 8, 0, 0, tzinfo=Timezone('Asia/Shanghai'))
        """
        t = self.epoch_seconds("at", at)
        table = self._cover(t)
        i = _bisect_right(table.starts, t) - 1
        if i >= 0 and t < table.ends[i]:
            found: float = t
        else:
            while i + 1 >= len(table.starts):
                table = self._extend_forward(table)
                i = _bisect_right(table.starts, t) - 1
            found = table.starts[i + 1]
        if table.blocked:
            table.guard(t, found)
        return _time.datetime_of(found, self._tz)

    def add_service_time(self, start: dt.datetime, duration: dt.timedelta) -> pendulum.DateTime:
        """Return the deadline ``duration`` of open time after ``start``.

        The deadline is the earliest instant by which that much open time has
        passed: when it is completed at the end of an open interval, the end of
        that interval (20:00), not the start of the next (08:00 the next day).
        A zero duration gives ``start`` itself.

        Args:
            start: A timezone-aware instant; it may lie in closed time.
            duration: The open time to add; not negative.

        Raises:
            InvalidInput: ``start`` is naive, or ``duration`` is not a timedelta of 0 or more.
            CalendarNotCovered: The span touches an unconfirmed year and the policy is to raise.

        >>> import pendulum
        >>> from fieldservice import ServiceStandard
        >>> cal = ServiceCalendar.for_clocks(ServiceStandard.default())
        >>> start = pendulum.datetime(2026, 11, 24, 10, 30, tz="Asia/Shanghai")
        >>> cal.add_service_time(start, pendulum.duration(hours=24))
        DateTime(2026, 11, 26, 10, 30, 0, tzinfo=Timezone('Asia/Shanghai'))
        >>> cal.add_service_time(start, pendulum.duration(hours=9, minutes=30))
        DateTime(2026, 11, 24, 20, 0, 0, tzinfo=Timezone('Asia/Shanghai'))
        """
        t = self.epoch_seconds("start", start)
        if not isinstance(duration, dt.timedelta):
            msg = f"duration must be a datetime.timedelta (got {type(duration).__name__})"
            raise InvalidInput(msg)
        seconds = duration.total_seconds()
        table = self._table
        if seconds > 0 and table is not None and not table.blocked and table.lo <= t < table.hi:
            # The common case, to_service_seconds and from_service_seconds without
            # their coverage checks repeated: the table covers the start.
            value = table.service(t) + seconds
            if value <= table.total_hi:
                return _time.datetime_of(table.instant(value), self._tz)
        if seconds < 0:
            msg = "duration must not be negative; to go back in time, compare service seconds"
            raise InvalidInput(msg)
        if not seconds:
            self.to_service_seconds(t)  # the same coverage checks as any other query
            return _time.datetime_of(t, self._tz)
        found = self.from_service_seconds(self.to_service_seconds(t) + seconds)
        table = self._table
        if table is not None and table.blocked:
            table.guard(t, found)  # and every year in between
        return _time.datetime_of(found, self._tz)

    def service_time_between(self, a: dt.datetime, b: dt.datetime) -> dt.timedelta:
        """Return the open time from ``a`` to ``b``; negative when ``b`` is earlier.

        Args:
            a: A timezone-aware instant.
            b: A timezone-aware instant.

        Raises:
            InvalidInput: ``a`` or ``b`` is naive or not a datetime.
            CalendarNotCovered: The span touches an unconfirmed year and the policy is to raise.

        >>> import pendulum
        >>> from fieldservice import ServiceStandard
        >>> cal = ServiceCalendar.for_clocks(ServiceStandard.default())
        >>> a = pendulum.datetime(2026, 11, 24, 18, 0, tz="Asia/Shanghai")
        >>> cal.service_time_between(a, a.add(days=1))
        datetime.timedelta(seconds=43200)
        """
        ta, tb = self.epoch_seconds("a", a), self.epoch_seconds("b", b)
        low, high = (ta, tb) if ta <= tb else (tb, ta)
        value = self.to_service_seconds(high) - self.to_service_seconds(low)
        table = self._cover(high)
        if table.blocked:
            table.guard(low, high)
        return dt.timedelta(seconds=value if ta <= tb else -value)

    def open_intervals(
        self, start: dt.datetime, end: dt.datetime
    ) -> tuple[tuple[pendulum.DateTime, pendulum.DateTime], ...]:
        """Return the open intervals between two instants, clipped to them, in time order.

        Args:
            start: A timezone-aware instant.
            end: A timezone-aware instant; nothing is returned if it is not after ``start``.

        Raises:
            InvalidInput: ``start`` or ``end`` is naive or not a datetime.
            CalendarNotCovered: The span touches an unconfirmed year and the policy is to raise.

        >>> import pendulum
        >>> from fieldservice import ServiceStandard
        >>> cal = ServiceCalendar.for_visits(ServiceStandard.default())
        >>> a = pendulum.datetime(2026, 11, 24, 19, 0, tz="Asia/Shanghai")
        >>> [(s.format("DD HH:mm"), e.format("DD HH:mm")) for s, e in cal.open_intervals(a, a.add(hours=14))]
        [('24 19:00', '24 20:00'), ('25 08:00', '25 09:00')]
        """
        return tuple(
            (_time.datetime_of(s, self._tz), _time.datetime_of(e, self._tz))
            for s, e in self._spans(start, end, closed=False)
        )

    def closed_intervals(
        self, start: dt.datetime, end: dt.datetime
    ) -> tuple[tuple[pendulum.DateTime, pendulum.DateTime], ...]:
        """Return the closed intervals between two instants, clipped to them, in time order.

        Args:
            start: A timezone-aware instant.
            end: A timezone-aware instant; nothing is returned if it is not after ``start``.

        Raises:
            InvalidInput: ``start`` or ``end`` is naive or not a datetime.
            CalendarNotCovered: The span touches an unconfirmed year and the policy is to raise.

        >>> import pendulum
        >>> from fieldservice import ServiceStandard
        >>> cal = ServiceCalendar.for_visits(ServiceStandard.default())
        >>> a = pendulum.datetime(2026, 11, 24, 19, 0, tz="Asia/Shanghai")
        >>> [(s.format("DD HH:mm"), e.format("DD HH:mm")) for s, e in cal.closed_intervals(a, a.add(hours=14))]
        [('24 20:00', '25 08:00')]
        """
        return tuple(
            (_time.datetime_of(s, self._tz), _time.datetime_of(e, self._tz))
            for s, e in self._spans(start, end, closed=True)
        )

    def _spans(
        self, start: dt.datetime, end: dt.datetime, *, closed: bool
    ) -> list[tuple[float, float]]:
        a, b = self.epoch_seconds("start", start), self.epoch_seconds("end", end)
        if b <= a:
            return []
        self._cover(a)
        table = self._cover(b)
        if table.blocked:
            table.guard(a, b)
        first = max(0, _bisect_right(table.starts, a) - 1)
        last = _bisect_left(table.starts, b)
        opened = [
            (max(a, table.starts[i]), min(b, table.ends[i]))
            for i in range(first, last)
            if table.ends[i] > a
        ]
        if not closed:
            return opened
        gaps: list[tuple[float, float]] = []
        cursor = a
        for s, e in opened:
            if s > cursor:
                gaps.append((cursor, s))
            cursor = max(cursor, e)
        if cursor < b:
            gaps.append((cursor, b))
        return gaps

    # --- the numeric interface -------------------------------------------------

    def service_table(self, first: float, last: float) -> ServiceTable:
        """The open intervals of the years from ``first`` to ``last`` (epochs), as numbers.

        What :meth:`to_service_seconds` and :meth:`from_service_seconds` read,
        for a reader that converts many instants at once (the compiled clock
        judge of :func:`fieldservice.sla.evaluate_table`). The table also
        holds the origin year, as the calendar's own does.

        Raises:
            InvalidInput: ``first`` or ``last`` lies outside the years 1970-2199.

        >>> import pendulum
        >>> from fieldservice import ServiceStandard
        >>> cal = ServiceCalendar.for_clocks(ServiceStandard.default())
        >>> t = pendulum.datetime(2026, 3, 2, 10, tz="Asia/Shanghai").timestamp()
        >>> table = cal.service_table(t, t)
        >>> table.to_service_seconds(t) == cal.to_service_seconds(t)
        True
        """
        table = self._cover_years(_local_year(first, self._tz), _local_year(last, self._tz))
        return ServiceTable(
            starts=tuple(table.starts),
            ends=tuple(table.ends),
            cum=tuple(table.cum),
            cum_end=tuple(table.cum_end),
            lo=table.lo,
            hi=table.hi,
            total_lo=table.total_lo,
            total_hi=table.total_hi,
            unconfirmed=tuple((float(lo), float(hi)) for lo, hi, _ in table.blocked),
        )

    def to_service_seconds(self, epoch: float) -> float:
        """Return the open seconds from :attr:`origin` to a UTC epoch instant.

        The value is constant across closed time and negative before the
        origin; the difference of two values is the open time between them.

        Args:
            epoch: Seconds since 1970-01-01T00:00Z, as from ``datetime.timestamp()``.

        Raises:
            InvalidInput: ``epoch`` lies outside the years 1970-2199.
            CalendarNotCovered: It lies in an unconfirmed year and the policy is to raise.

        >>> import pendulum
        >>> from fieldservice import ServiceStandard
        >>> cal = ServiceCalendar.for_clocks(ServiceStandard.default())
        >>> night = pendulum.datetime(2026, 1, 1, 22, 0, tz="Asia/Shanghai").timestamp()
        >>> cal.to_service_seconds(night) / 3600, cal.to_service_seconds(night + 7200) / 3600
        (12.0, 12.0)
        """
        table = self._table
        try:
            if table is None or not table.lo <= epoch < table.hi:
                table = self._cover(epoch)
        except TypeError:
            _not_a_number("epoch", epoch)
        if table.blocked:
            table.guard(epoch, epoch)
        # + 0.0: a table extended backwards sums to -0.0 at the origin; show it as 0.0.
        return table.service(epoch) + 0.0

    def from_service_seconds(self, value: float) -> float:
        """Return the earliest UTC epoch instant at which ``value`` open seconds are reached.

        The inverse of :meth:`to_service_seconds`: a value completed at the end
        of an open interval gives that end, not the start of the next interval.

        Args:
            value: Open seconds since :attr:`origin`.

        Raises:
            InvalidInput: ``value`` is reached outside the years 1970-2199.
            CalendarNotCovered: The answer lies in an unconfirmed year and the
                policy is to raise, or the calendar has no open time left.

        >>> import pendulum
        >>> from fieldservice import ServiceStandard
        >>> cal = ServiceCalendar.for_clocks(ServiceStandard.default())
        >>> pendulum.from_timestamp(cal.from_service_seconds(12 * 3600), "Asia/Shanghai")
        DateTime(2026, 1, 1, 20, 0, 0, tzinfo=Timezone('Asia/Shanghai'))
        """
        table = self._table
        try:
            if table is None or not table.total_lo < value <= table.total_hi:
                table = self._cover_value(value)
        except TypeError:
            _not_a_number("value", value)
        found = table.instant(value)
        if table.blocked:
            table.guard(found, found)
        return found

    # --- internals shared with appointments ------------------------------------

    def day_record(self, ordinal: int) -> _time.Day:
        """Return the local date with proleptic ordinal ``ordinal`` (see ``date.toordinal``).

        For the appointment checks, which read a day's open spans.

        :meta private:
        """
        table = self._table
        if table is not None:
            k = ordinal - table.first_ordinal
            if 0 <= k < len(table.days):
                day = table.days[k]
                if day.blocked:
                    _not_covered(day.blocked)
                return day
        year = _year_of_ordinal(ordinal)
        table = self._cover_years(year, year)
        day = table.days[ordinal - table.first_ordinal]
        if day.blocked:
            _not_covered(day.blocked)
        return day

    def epoch_seconds(self, field: str, value: object) -> float:
        """Return an aware datetime as epoch seconds, like ``_time.to_epoch`` but faster.

        A datetime in this calendar's own timezone object, on a date the table
        holds and of exactly 24 hours, is read from the table: converting
        through the timezone is slow for datetime subclasses such as pendulum's.

        :meta private:
        """
        table = self._table
        if table is not None and isinstance(value, dt.datetime) and value.tzinfo is self._tz:
            k = value.toordinal() - table.first_ordinal
            if 0 <= k < len(table.days):
                day = table.days[k]
                if day.end - day.start == _DAY:
                    wall = value.hour * 3600 + value.minute * 60 + value.second
                    epoch = ((day.start + wall) * 1_000_000 + value.microsecond) / 1_000_000
                    _time.check_epoch(field, value, epoch)
                    return epoch
        return _time.to_epoch(field, value)

    def date_of(self, epoch: float) -> dt.date:
        """Return the local date of an instant.

        :meta private:
        """
        try:
            return _fromtimestamp(epoch, self._tz).date()
        except (OverflowError, OSError, ValueError):
            msg = _NOT_COVERED
            raise InvalidInput(msg) from None

    # --- building -------------------------------------------------------------

    def _check_year(self, year: int) -> None:
        if not FIRST_YEAR <= year <= LAST_YEAR:
            msg = (
                f"{year} lies outside the years {FIRST_YEAR}-{LAST_YEAR} a service calendar covers"
            )
            raise InvalidInput(msg)

    def _confirmed(self, year: int) -> bool:
        if year in self.standard.confirmed_years:
            return True
        with _HOLIDAY_LOCK:
            return _package_confirms(self.standard.holiday_country, year)

    def _blocked(self, year: int) -> bool:
        return (
            self._closes
            and self.standard.unconfirmed_years is UnconfirmedYears.RAISE
            and not self._confirmed(year)
        )

    def _provisional(self, year: int) -> bool:
        return (
            self._closes
            and self.standard.unconfirmed_years is UnconfirmedYears.ESTIMATED
            and not self._confirmed(year)
        )

    def _closures(self, year: int) -> tuple[frozenset[dt.date], frozenset[dt.date]]:
        if not self._closes:
            return frozenset(), frozenset()
        return _holiday_closures(
            self.standard.holiday_country, year, estimated=self._provisional(year)
        )

    def _wall_hours(
        self, day: dt.date, closed: frozenset[dt.date], makeup: frozenset[dt.date]
    ) -> _Hours:
        override = self._overrides.get(day)
        if override is not None:
            return override
        if day in closed:
            return ()
        hours = self._weekly[day.weekday()]
        if not hours and day in makeup:
            return self._service
        return hours

    def _build_year(self, year: int) -> _Block:
        tz = self._tz
        closed, makeup = self._closures(year)
        blocked = year if self._blocked(year) else 0
        provisional = year if self._provisional(year) else 0
        midday = _time.seconds_of(self.standard.midday)
        day = dt.date(year, 1, 1)
        day_start = _time.wall_epoch(tz, day, 0)
        days: list[_time.Day] = []
        starts: list[int] = []
        ends: list[int] = []
        while day.year == year:
            following = day + dt.timedelta(days=1)
            day_end = _time.wall_epoch(tz, following, 0)
            mid = _time.wall_epoch(tz, day, midday)
            spans: list[tuple[int, int]] = []
            for s, e in self._wall_hours(day, closed, makeup):
                start, end = _time.wall_epoch(tz, day, s), _time.wall_epoch(tz, day, e)
                if start < end:  # a span wholly inside a DST gap has no time
                    spans.append((start, end))
            morning = tuple((s, min(e, mid)) for s, e in spans if s < mid)
            afternoon = tuple((max(s, mid), e) for s, e in spans if e > mid)
            days.append(
                _time.Day(day_start, mid, day_end, (morning, afternoon), blocked, provisional)
            )
            for start, end in spans:
                if ends and ends[-1] == start:
                    ends[-1] = end  # contiguous across midnight: one interval
                else:
                    starts.append(start)
                    ends.append(end)
            day, day_start = following, day_end
        total = sum(e - s for s, e in zip(starts, ends, strict=True))
        return _Block(
            days[0].start,
            day_start,
            tuple(days),
            tuple(starts),
            tuple(ends),
            total,
            blocked,
            provisional,
        )

    def _cover_years(self, first: int, last: int) -> _Table:
        """Return a table that covers the years ``first`` to ``last`` (and the origin year)."""
        self._check_year(first)
        self._check_year(last)
        with _EXTEND_LOCK:
            table = self._table
            if table is not None and table.first_year <= first and last <= table.last_year:
                return table
            low = min(first, ORIGIN_YEAR, table.first_year if table else ORIGIN_YEAR)
            high = max(last, ORIGIN_YEAR, table.last_year if table else ORIGIN_YEAR)
            for year in range(low, high + 1):
                if year not in self._blocks:
                    self._blocks[year] = self._build_year(year)
            table = _Table(self._blocks, low, high)
            object.__setattr__(self, "_table", table)
            return table

    def _cover(self, epoch: float) -> _Table:
        table = self._table
        if table is not None and table.lo <= epoch < table.hi:
            return table
        year = _local_year(epoch, self._tz)
        return self._cover_years(year, year)

    def _extend_forward(self, table: _Table) -> _Table:
        if table.last_year >= LAST_YEAR:
            msg = (
                f"the service calendar has no open time left before {LAST_YEAR + 1}; "
                "check weekly_hours and date_overrides of the standard"
            )
            raise CalendarNotCovered(msg)
        span = table.last_year - table.first_year + 1
        return self._cover_years(table.last_year + 1, min(LAST_YEAR, table.last_year + span))

    def _cover_value(self, value: float) -> _Table:
        table = self._table or self._cover_years(ORIGIN_YEAR, ORIGIN_YEAR)
        while value > table.total_hi:
            table = self._extend_forward(table)
        while value <= table.total_lo and table.first_year > FIRST_YEAR:
            span = table.last_year - table.first_year + 1
            table = self._cover_years(max(FIRST_YEAR, table.first_year - span), table.last_year)
        if value < table.total_lo or not table.starts:
            msg = (
                f"{value!r:.30} service seconds are not reached within the years "
                f"{FIRST_YEAR}-{LAST_YEAR} the calendar covers"
            )
            raise InvalidInput(msg)
        return table


def _not_a_number(field: str, value: object) -> NoReturn:
    msg = f"{field} must be a number of seconds (got {type(value).__name__})"
    raise InvalidInput(msg)


def _year_of_ordinal(ordinal: int) -> int:
    try:
        return dt.date.fromordinal(ordinal).year
    except (ValueError, OverflowError):
        msg = f"{ordinal} is not a date the calendar covers ({FIRST_YEAR}-{LAST_YEAR})"
        raise InvalidInput(msg) from None


def _date(field: str, value: object) -> dt.date:
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        msg = f"{field} must be a datetime.date (got {type(value).__name__})"
        raise InvalidInput(msg)
    return value


# --- the per-(standard, purpose) cache ------------------------------------------------

_CACHE_LOCK: Final = threading.Lock()
_CACHE_SIZE: Final = 128
_BY_VALUE: dict[tuple[ServiceStandard, CalendarPurpose], ServiceCalendar] = {}
# The same standard object is passed again and again: look it up by identity
# first, since hashing a standard by value costs microseconds.
_Ref = weakref.ReferenceType[ServiceStandard]
_VISITS_BY_ID: dict[int, tuple[_Ref, ServiceCalendar]] = {}
_CLOCKS_BY_ID: dict[int, tuple[_Ref, ServiceCalendar]] = {}


def _cached(standard: ServiceStandard, purpose: CalendarPurpose) -> ServiceCalendar:
    if not isinstance(standard, ServiceStandard):
        msg = f"standard must be a ServiceStandard (got {type(standard).__name__})"
        raise InvalidInput(msg)
    by_id = _VISITS_BY_ID if purpose is CalendarPurpose.VISITS else _CLOCKS_BY_ID
    key = id(standard)
    with _CACHE_LOCK:
        calendar = _BY_VALUE.get((standard, purpose))
        if calendar is None:
            if len(_BY_VALUE) >= _CACHE_SIZE:
                # All three at once: an identity entry kept past the clear would hand out
                # an older, equal calendar than the one now cached for the same standard.
                _BY_VALUE.clear()
                _VISITS_BY_ID.clear()
                _CLOCKS_BY_ID.clear()
            calendar = _BY_VALUE[standard, purpose] = ServiceCalendar(standard, purpose)
        by_id[key] = (weakref.ref(standard, _forget(by_id, key)), calendar)
    return calendar


def _forget(by_id: dict[int, tuple[_Ref, ServiceCalendar]], key: int) -> Callable[[_Ref], None]:
    def forget(ref: _Ref) -> None:
        entry = by_id.get(key)
        if entry is not None and entry[0] is ref:
            del by_id[key]

    return forget
