"""Instants, wall times and summer time: the library's one time module (private).

Epoch seconds are what the calendar and the clocks count in; a wall time is what
a clock on the wall in a zone shows. The helpers here convert between them, find
the instant a wall time first occurs (also in a DST gap or overlap), and refuse
instants outside the years the library reads.

>>> import pendulum
>>> tz = zone("Asia/Shanghai")
>>> at = pendulum.datetime(2026, 11, 26, 15, tz="Asia/Shanghai")
>>> to_epoch("at", at) == at.timestamp(), datetime_of(at.timestamp(), tz) == at
(True, True)
>>> import datetime as dt
>>> wall_epoch(tz, dt.date(2026, 11, 26), seconds_of(dt.time(15))) == at.timestamp()
True
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import Final, NamedTuple

import pendulum

from fieldservice._bounded import BoundedTable
from fieldservice.errors import InvalidInput

__all__ = [
    "FIRST_YEAR",
    "LAST_YEAR",
    "Day",
    "FoldOne",
    "Spans",
    "aware",
    "aware_epoch",
    "check_epoch",
    "check_range",
    "datetime_of",
    "epoch_of",
    "iso_text",
    "out_of_range",
    "rebuilt",
    "seconds_of",
    "to_epoch",
    "wall_epoch",
    "wall_fields",
    "zone",
    "zone_epoch",
    "zone_of",
]

# The C methods of datetime, called directly: pendulum overrides some of them in
# Python, which costs microseconds on the hot paths.
_timestamp: Final = dt.datetime.timestamp
_wall_difference: Final[Callable[[dt.datetime, dt.datetime], dt.timedelta]] = dt.datetime.__sub__
_utcoffset: Final = dt.datetime.utcoffset
_fromtimestamp: Final = dt.datetime.fromtimestamp
_new_datetime: Final = pendulum.DateTime

Spans = tuple[tuple[int, int], ...]
"""Open spans of one date as epoch seconds."""


def aware(field: str, value: object) -> pendulum.DateTime:
    """Return ``value`` as a timezone-aware pendulum DateTime; naive is an error."""
    return aware_epoch(field, value)[0]


def aware_epoch(field: str, value: object) -> tuple[pendulum.DateTime, float]:
    """:func:`aware` and the instant's epoch seconds, computed once for readers of logs."""
    if not isinstance(value, dt.datetime):
        msg = f"{field} must be a timezone-aware datetime (got {type(value).__name__})"
        raise InvalidInput(msg)
    if value.tzinfo is None or offset_of(field, value) is None:
        msg = (
            f"{field} is a naive datetime; pass a timezone-aware one, "
            "e.g. pendulum.datetime(2026, 11, 24, 10, 30, tz='Asia/Shanghai')"
        )
        raise InvalidInput(msg)
    epoch = epoch_of(field, value)
    if isinstance(value, pendulum.DateTime):
        return value, epoch
    tz = value.tzinfo
    if type(value) is dt.datetime and type(tz) is dt.timezone:
        # A fixed offset, as every ISO 8601 text gives: the DateTime pendulum.instance()
        # would make, built directly (a seventh of its cost, once per event read).
        fixed = _fixed_zone(tz.utcoffset(None))
        if fixed is not None:
            made = pendulum.DateTime(
                value.year,
                value.month,
                value.day,
                value.hour,
                value.minute,
                value.second,
                value.microsecond,
                tzinfo=fixed,
                fold=value.fold,
            )
            return made, epoch
    try:
        converted = pendulum.instance(value)
        # pendulum may round an offset of fractional minutes: the epoch is the copy's own.
        return converted, converted.timestamp()
    except (MemoryError, RecursionError):
        raise
    except Exception:  # a user's tzinfo pendulum cannot take in (no dst(), say)
        pass
    raise _broken_zone(field)  # outside the handler (see offset_of)


def offset_of(field: str, value: dt.datetime) -> dt.timedelta | None:
    """``value.utcoffset()``; a tzinfo that raises, or gives a day or more, is InvalidInput.

    Such a tzinfo is the caller's own class: datetime itself raises a bare ValueError
    for an offset of 24 hours or more, and whatever the class raises passes through.

    >>> import datetime as dt
    >>> offset_of("at", dt.datetime(2026, 11, 24, 10, tzinfo=dt.UTC))
    datetime.timedelta(0)
    >>> class Broken(dt.tzinfo):
    ...     def utcoffset(self, d): return dt.timedelta(hours=25)
    >>> offset_of("at", dt.datetime(2026, 11, 24, 10, tzinfo=Broken()))
    Traceback (most recent call last):
    ...
    fieldservice.errors.InvalidInput: at has a time zone whose UTC offset cannot be read; ...
    """
    try:
        return _utcoffset(value)
    except (MemoryError, RecursionError):
        raise  # the machine's trouble, not the zone's
    except Exception:
        pass
    # Raised outside the handler: ``from None`` would still keep the tzinfo's own error
    # as __context__, and its message may be anything the caller's class put there (G1).
    raise _broken_zone(field)


def _broken_zone(field: str) -> InvalidInput:
    return InvalidInput(
        f"{field} has a time zone whose UTC offset cannot be read; "
        "use a zoneinfo.ZoneInfo or pendulum time zone"
    )


def zone_epoch(field: str, value: object) -> tuple[object, float]:
    """What an event keeps of an aware datetime (see :func:`zone_of`), and its epoch seconds.

    An ISO 8601 text read gives a fixed offset: nothing is built for it.
    """
    if type(value) is dt.datetime:
        tz = value.tzinfo
        if type(tz) is dt.timezone:
            fixed = _fixed_zone(_utcoffset(value))
            if fixed is not None:
                return (_fold_one(fixed) if value.fold else fixed), epoch_of(field, value)
    made, epoch = aware_epoch(field, value)
    return zone_of(made, epoch), epoch


class FoldOne(NamedTuple):
    """A zone whose rebuilt datetimes carry ``fold=1`` where the instant alone gives 0.

    pendulum.datetime() sets ``fold=1`` on wall times that occur once; it means
    nothing there, until wall-clock arithmetic (``replace``) lands in a repeated
    hour. :func:`rebuilt` keeps it as it was given.
    """

    zone: dt.tzinfo


@functools.lru_cache(maxsize=256)
def _fold_one(zone: dt.tzinfo) -> FoldOne:
    return FoldOne(zone)  # one per zone: events share it


def zone_of(made: dt.datetime, epoch: float) -> object:
    """What :func:`rebuilt` needs besides ``epoch`` to give back ``made``: usually its zone.

    An event keeps this instead of its DateTime (88 bytes each, in logs of
    millions): the zone, or a shared :class:`FoldOne` of it, or, where a rebuild
    would show another wall time (one in a summer-time gap never normalised, or
    a zone that cannot convert from UTC), ``made`` itself.
    """
    tz = made.tzinfo
    assert tz is not None  # every caller has checked the datetime is aware
    if type(tz) is pendulum.FixedTimezone:
        return _fold_one(tz) if made.fold else tz  # a fixed offset rebuilds exactly
    try:
        again = _fromtimestamp(epoch, tz)
    except Exception:  # a user's tzinfo may not convert (no dst())
        return made
    # Two datetimes of one tzinfo object subtract by wall time (datetime's own __sub__:
    # pendulum's builds an Interval); a difference is another wall time, a gap never
    # normalised. A zone may convert into a tzinfo object of its own (pytz's does, one per
    # offset): then the subtraction would compare instants, and the wall times are compared.
    if again.tzinfo is not tz:
        if wall_fields(again) != wall_fields(made):
            return made
    elif _wall_difference(again, made):
        return made
    if again.fold > made.fold:
        return made
    if made.fold > again.fold:
        try:
            return _fold_one(tz)
        except TypeError:  # an unhashable tzinfo: keep the DateTime
            return made
    return tz


def wall_fields(moment: dt.datetime) -> tuple[int, int, int, int, int, int, int]:
    """The wall time a datetime shows, to the microsecond, zone and fold aside.

    The first seven arguments of a datetime's constructor, in their order.
    """
    return (
        moment.year,
        moment.month,
        moment.day,
        moment.hour,
        moment.minute,
        moment.second,
        moment.microsecond,
    )


def iso_text(epoch: float, kept: object) -> str:
    """``rebuilt(epoch, kept).isoformat()``, without a DateTime where the offset is fixed.

    Every event an export writes goes through here; a restored log's offsets are fixed.
    """
    if kept is pendulum.UTC:
        return _fromtimestamp(epoch, dt.UTC).isoformat()
    if type(kept) is pendulum.FixedTimezone and not kept.offset % 60:
        return _fromtimestamp(epoch, _stdlib_zone(kept.offset)).isoformat()
    return rebuilt(epoch, kept).isoformat()


@functools.lru_cache(maxsize=256)
def _stdlib_zone(offset: int) -> dt.timezone:
    return dt.timezone(dt.timedelta(seconds=offset))


def rebuilt(epoch: float, kept: object) -> pendulum.DateTime:
    """The DateTime an event was made with, from its epoch and what :func:`zone_of` kept."""
    if isinstance(kept, dt.tzinfo):
        return datetime_of(epoch, kept)
    if type(kept) is FoldOne:
        return datetime_of(epoch, kept.zone, fold=1)
    assert isinstance(kept, pendulum.DateTime)
    return kept


@functools.lru_cache(maxsize=256)
def _fixed_zone(offset: dt.timedelta) -> pendulum.FixedTimezone | pendulum.Timezone | None:
    seconds = offset.total_seconds()
    if seconds != int(seconds):
        return None  # pendulum rounds such offsets: leave it to pendulum.instance()
    if not seconds:
        return pendulum.UTC
    return pendulum.FixedTimezone(int(seconds))


@functools.cache
def zone(name: str) -> pendulum.Timezone:
    """The pendulum zone of a standard's zone name, looked up once (pendulum does it per call)."""
    found = pendulum.timezone(name)
    assert isinstance(found, pendulum.Timezone)  # a zone name, never a fixed offset
    return found


FIRST_YEAR = 1970
LAST_YEAR = 2199


_FIRST_EPOCH: float = dt.datetime(FIRST_YEAR, 1, 1, tzinfo=dt.UTC).timestamp()
_END_EPOCH: float = dt.datetime(LAST_YEAR, 1, 1, tzinfo=dt.UTC).timestamp()


def iso_or_none(text: str) -> dt.datetime | None:
    """``datetime.fromisoformat(text)``, or None where ``text`` is not ISO 8601.

    None, not the ``ValueError``: a refusal raised in its handler would keep it as
    ``__context__``, and its message repeats the text, which may be personal (G1).

    >>> iso_or_none("2026-11-24T10:30+08:00").isoformat(), iso_or_none("张三")
    ('2026-11-24T10:30:00+08:00', None)
    """
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        return None


def epoch_of(field: str, value: dt.datetime) -> float:
    """Return an aware datetime as epoch seconds, if it lies in the years the library reads."""
    broken = False
    try:
        epoch = value.timestamp()
    except (OverflowError, ValueError):
        epoch = -1.0  # out of any range: check_range says which
    except (MemoryError, RecursionError):
        raise
    except Exception:  # a user's tzinfo that raises its own error
        broken = True
    if broken:
        raise _broken_zone(field)  # outside the handler (see offset_of)
    check_epoch(field, value, epoch)
    return epoch


def check_epoch(field: str, value: dt.datetime, epoch: float) -> None:
    """:func:`check_range` for an instant whose epoch seconds the caller already has."""
    if not _FIRST_EPOCH <= epoch < _END_EPOCH:
        check_range(field, value)


def check_range(field: str, value: dt.datetime) -> None:
    """Refuse instants the service calendar does not cover (and datetime cannot convert)."""
    try:
        year = value.astimezone(dt.UTC).year
    except (OverflowError, ValueError):
        year = 0
    except (MemoryError, RecursionError):
        raise
    except Exception:  # a user's tzinfo that raises its own error
        year = -1
    if year < 0:
        raise _broken_zone(field)  # outside the handler (see offset_of)
    if not FIRST_YEAR <= year <= LAST_YEAR - 1:
        raise out_of_range(field)


def out_of_range(field: str) -> InvalidInput:
    """The error for an instant outside the years the library reads."""
    # Judged as UTC: 1970-01-01T00:00+08:00 is in 1969 there, so the message says so.
    return InvalidInput(
        f"{field} must lie in the years {FIRST_YEAR} to {LAST_YEAR - 1}, as UTC "
        f"({FIRST_YEAR}-01-01T00:00Z to {LAST_YEAR - 1}-12-31T23:59Z)"
    )


def to_epoch(field: str, value: object) -> float:
    """Return an aware datetime as epoch seconds; anything else raises InvalidInput."""
    if (
        isinstance(value, dt.datetime)
        and value.tzinfo is not None
        and offset_of(field, value) is not None
    ):
        # Every instant the library reads lies in the years it covers.
        return epoch_of(field, value)
    return _timestamp(aware(field, value))


def datetime_of(epoch: float, tz: dt.tzinfo, fold: int = 0) -> pendulum.DateTime:
    """Return epoch seconds as a pendulum DateTime in ``tz`` (to the microsecond).

    ``fold=1`` sets the fold where the instant alone would give 0 (see :class:`FoldOne`).
    """
    if type(tz) is dt.timezone:
        # A pendulum DateTime on the stdlib's fixed offset loses it when deep-copied
        # (pendulum rebuilds it without): the offset as pendulum's own, as instance() does.
        tz = _fixed_zone(tz.utcoffset(None)) or tz
    if type(tz) is pendulum.FixedTimezone:
        # pendulum converts into a fixed offset in Python, at twice the cost of this.
        d = _fromtimestamp(epoch, dt.UTC) + dt.timedelta(seconds=tz.offset)
        return _new_datetime(
            d.year, d.month, d.day, d.hour, d.minute, d.second, d.microsecond, tz, fold=fold
        )
    d = _fromtimestamp(epoch, tz)
    # Positional arguments are faster; fold=1 (the second of two equal wall times) is rare.
    if d.fold or fold:
        return _new_datetime(
            d.year, d.month, d.day, d.hour, d.minute, d.second, d.microsecond, tz, fold=1
        )
    return _new_datetime(d.year, d.month, d.day, d.hour, d.minute, d.second, d.microsecond, tz)


def wall_epoch(tz: dt.tzinfo, day: dt.date, seconds: int) -> int:
    """Return the first instant at which the clock in ``tz`` shows ``day`` + ``seconds`` or later.

    ``seconds`` may be 86400, the next midnight. A time in a DST gap gives the
    moment the clocks jump; a time that occurs twice gives its first occurrence.
    """
    # The rules ask for the same few instants again and again (a day's service hours,
    # its quiet hours), for every order booked into that day: each is worked out once.
    # Keyed by the zone's identity, which a zone's own __hash__ (Python, in pendulum)
    # would cost more than the lookup saves; the entry keeps the zone, so an id
    # reused by another zone is never mistaken for it.
    key = (id(tz), day.toordinal(), seconds)
    found = _WALL_EPOCHS.get(key)
    if found is not None and found[0] is tz:
        return found[1]
    epoch = _wall_epoch(tz, day, seconds)
    _WALL_EPOCHS.keep(key, (tz, epoch))
    return epoch


# About 4.5 MB when full; a branch asks a few a day.
_WALL_EPOCHS = BoundedTable[tuple[int, int, int], tuple[dt.tzinfo, int]](16_384)


def _wall_epoch(tz: dt.tzinfo, day: dt.date, seconds: int) -> int:
    wall = dt.datetime(day.year, day.month, day.day) + dt.timedelta(seconds=seconds)
    first = int(_timestamp(wall.replace(tzinfo=tz)))
    if _fromtimestamp(first, tz).replace(tzinfo=None) == wall:
        return first
    # In a gap: fold=1 reads the wall time with the offset before the jump,
    # which lands before it; search for the jump between the two readings.
    low = int(_timestamp(wall.replace(tzinfo=tz, fold=1)))
    low, high = min(low, first), max(low, first)
    while high - low > 1:
        mid = (low + high) // 2
        if _fromtimestamp(mid, tz).replace(tzinfo=None) >= wall:
            high = mid
        else:
            low = mid
    return high


def seconds_of(moment: dt.time) -> int:
    """Seconds after midnight of a wall-clock time (to the second)."""
    return moment.hour * 3600 + moment.minute * 60 + moment.second


class Day(NamedTuple):
    """One local date: its bounds, its midday and its open spans per half-day, in epoch seconds."""

    start: int
    midday: int
    end: int
    halves: tuple[Spans, Spans]
    blocked: int  # the year, when it is unconfirmed and the policy is to raise; else 0
    provisional: int = 0  # the year, when its holidays are estimated (policy "estimated"); else 0
