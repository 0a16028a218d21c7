"""The service standard as data: every number of 装维上门服务规范, with its source.

:class:`ServiceStandard` is a frozen value. :meth:`ServiceStandard.default` is
the seed text's standard; a branch (分公司) overrides numbers in a TOML file
read by :meth:`ServiceStandard.from_toml`, and :meth:`ServiceStandard.to_toml`
writes one back so that ``from_toml(to_toml(s)) == s``. Every other module reads
its numbers from here, so this module is the standard's one interpreter of text.

>>> import datetime as dt
>>> from fieldservice import ServiceStandard, Tier, Area
>>> std = ServiceStandard.default()
>>> std.lead_time, std.quiet_hours
(datetime.timedelta(days=1), TimeRange(start=datetime.time(20, 0), end=datetime.time(8, 0)))
>>> std.repair.limit(Tier.DIAMOND, Area.CITY)
datetime.timedelta(days=1)
>>> branch = std.replace(quiet_hours=std.quiet_hours.with_start(dt.time(21, 0)))
>>> ServiceStandard.from_toml(branch.to_toml()) == branch
True
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import sys
import tomllib
import types
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, Final, NoReturn, TypeVar

import attrs

from fieldservice import _labels, _validate
from fieldservice._bounded import BoundedTable
from fieldservice.errors import InvalidInput, StandardError, StandardMismatch
from fieldservice.model import Area, OrderKind, Product, Tier

__all__ = [
    "LEGAL_REPAIR_CEILING",
    "LONGEST_LEAD_TIME",
    "ClockBasis",
    "ClockRule",
    "DateOverride",
    "KnockProtocol",
    "ServiceDurations",
    "ServiceStandard",
    "TierLimits",
    "TimeRange",
    "UnconfirmedYears",
    "format_duration",
    "parse_duration",
    "standard_of",
]

T = TypeVar("T")
E = TypeVar("E", bound=_labels.IdentityEnum)

# --- durations and times as people write them ---------------------------------

# ASCII digits only: ``\d`` would take Arabic-Indic or fullwidth digits, which no other
# reader of the library takes.
_DURATION = re.compile(r"(?:([0-9]+)h)?(?:([0-9]+)m)?(?:([0-9]+)s)?")
# Text longer than this is no duration a standard takes ("720h" is its longest figure),
# and its numbers are not converted: int() of thousands of digits is slow, and refused.
_LONGEST_DURATION_TEXT: Final = 24
_DURATION_FORM: Final = "a duration like '24h', '30m', '1h30m' or '45s' (digits 0-9)"


def parse_duration(text: str) -> dt.timedelta:
    """Parse a duration written as hours, minutes and seconds: ``"24h"``, ``"1h30m"``.

    Raises:
        ValueError: ``text`` is not of that form.

    >>> parse_duration("1h30m"), parse_duration("45s")
    (datetime.timedelta(seconds=5400), datetime.timedelta(seconds=45))

    """
    stripped = text.strip() if isinstance(text, str) else None
    if stripped is not None and len(stripped) > _LONGEST_DURATION_TEXT:
        msg = f"{_validate.echo(text)} is too long to be {_DURATION_FORM}"
        raise ValueError(msg)
    match = _DURATION.fullmatch(stripped) if stripped is not None else None
    if match is None or not any(match.groups()):
        msg = f"{_validate.echo(text)} is not {_DURATION_FORM}"
        raise ValueError(msg)
    hours, minutes, seconds = (int(g or 0) for g in match.groups())
    try:
        return dt.timedelta(hours=hours, minutes=minutes, seconds=seconds)
    except OverflowError:
        msg = f"{_validate.echo(text)} is too long a duration"
        raise ValueError(msg) from None


def format_duration(value: dt.timedelta) -> str:
    """Write a duration the way :func:`parse_duration` reads it.

    >>> format_duration(dt.timedelta(hours=48)), format_duration(dt.timedelta(minutes=90))
    ('48h', '1h30m')
    """
    total = int(value.total_seconds())
    if total == 0:
        return "0s"
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    parts = [(hours, "h"), (minutes, "m"), (seconds, "s")]
    return "".join(f"{n}{unit}" for n, unit in parts if n)


def _parse_time(text: str) -> dt.time:
    try:
        parsed: dt.time | None = dt.time.fromisoformat(text)
    except (TypeError, ValueError):
        parsed = None
    if parsed is None:  # raised here, not in the except: its context would repeat the text
        msg = f"{_validate.echo(text)} is not a time of day like '08:00'"
        raise ValueError(msg)
    if parsed.tzinfo is not None or parsed.microsecond:
        msg = f"{_validate.echo(text)} must be a plain time of day like '08:00'"
        raise ValueError(msg)
    return parsed


def _format_time(value: dt.time) -> str:
    return value.strftime("%H:%M:%S" if value.second else "%H:%M")


# --- validators that raise StandardError --------------------------------------


# The longest each duration of a standard may be, from what it means. Longer is a slip of
# the keyboard ("240000h"), and would put deadlines and reminders past the years the
# calendar covers (1970-2199), where the SLA code could not compute them.
LONGEST_LEAD_TIME: Final = dt.timedelta(days=30)
"""The longest lead time (B5) a standard or a caller's override may set.

The seed's is 24 h; a month is the most meant, and a longer one would put the earliest
visit past the years the calendar covers.

>>> LONGEST_LEAD_TIME
datetime.timedelta(days=30)
"""
_LONGEST_ON_THE_DAY: Final = dt.timedelta(days=1)
"""C1, C2, T2, F2: the arrival window, the call ahead, early arrival, the arrival
tolerance and the remote follow-up are minutes or hours of one day."""
_LONGEST_AT_THE_DOOR: Final = dt.timedelta(hours=2)
"""K2: knocking again (the seed: every 30 s) and calling (after 3 min) happen at the door."""
_LONGEST_CLOCK_LIMIT: Final = dt.timedelta(days=30)
"""B3, R1, F4: a tier's time limit is hours or days (repairs: also the legal ceiling)."""
_LONGEST_VISIT: Final = dt.timedelta(days=1)
"""B7: one visit's time on site fits in a day."""


def _range_words(longest: dt.timedelta, *, zero: bool = False) -> str:
    """The range a duration field takes, in words: ``a positive duration of at most 24h``."""
    if zero:
        return f"a duration from 0s to {format_duration(longest)}"
    return f"a positive duration of at most {format_duration(longest)}"


def _duration_problem(value: object, longest: dt.timedelta, *, zero: bool = False) -> str | None:
    """Why ``value`` is not a duration from 0 (or 1 s) to ``longest``, or None if it is."""
    if (
        not isinstance(value, dt.timedelta)
        or value < dt.timedelta(0)
        or (value == dt.timedelta(0) and not zero)
        or value > longest
    ):
        return f"must be {_range_words(longest, zero=zero)} (got {_shown_value(value)})"
    if value % dt.timedelta(seconds=1):
        return f"must be a whole number of seconds (got {_shown_value(value)})"
    return None


def _duration_up_to(
    longest: dt.timedelta, *, zero: bool = False, where: str = ""
) -> Callable[[object, attrs.Attribute[Any], object], None]:
    """An attrs validator: a whole-second duration up to ``longest`` (from 0 if ``zero``)."""

    def check(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
        problem = _duration_problem(value, longest, zero=zero)
        if problem is not None:
            msg = f"{where}{attribute.name} {problem}"
            raise StandardError(msg)

    return check


def _is_time(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, dt.time) or value.tzinfo is not None or value.microsecond:
        msg = f"{attribute.name} must be a plain datetime.time (got {_shown_value(value)})"
        raise StandardError(msg)


def _instance_of(kind: type) -> Callable[[object, attrs.Attribute[Any], object], None]:
    def check(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, kind):
            msg = f"{attribute.name} must be a {kind.__name__} (got {type(value).__name__})"
            raise StandardError(msg)

    return check


# Control characters (C0, DEL, C1: ANSI escape sequences begin with ESC or CSI), the
# line and paragraph separators, and lone surrogates: a standard's text is printed to
# terminals by ``standard show`` and written back as TOML, and these would either drive
# the terminal or make a file that does not read back.
# Bidirectional overrides and isolates are refused too: they reorder what a terminal shows.
_BAD_TEXT = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_BAD_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_LONGEST_TEXT: Final = 2000


def _text_problem(value: str, *, multiline: bool) -> str | None:
    """Why ``value`` cannot be a text of a standard, or None if it can."""
    if len(value) > _LONGEST_TEXT:
        return f"is longer than {_LONGEST_TEXT} characters"
    if (_BAD_TEXT if multiline else _BAD_LINE).search(value):
        return (
            "holds control characters (terminal escapes, line breaks) or text that is "
            "not Unicode; remove them"
        )
    return None


def _plain_text(multiline: bool = False) -> Callable[[object, attrs.Attribute[Any], object], None]:
    def check(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, str):
            msg = f"{attribute.name} must be a str (got {type(value).__name__})"
            raise StandardError(msg)
        problem = _text_problem(value, multiline=multiline)
        if problem is not None:
            msg = f"{attribute.name} {problem}"
            raise StandardError(msg)

    return check


_COUNTRY = re.compile(r"[A-Za-z]{2,3}")


def _country(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or not (value == "" or _COUNTRY.fullmatch(value)):
        msg = (
            f"{attribute.name} must be an ISO country code like 'CN', or '' for none "
            f"(got {type(value).__name__})"
        )
        raise StandardError(msg)


def _enum_value(kind: type[E], field: str, value: object) -> E:
    """Take a member of ``kind`` or its value (``"estimated"``); anything else is an error."""
    if isinstance(value, kind):
        return value
    try:
        return kind(value)
    except (ValueError, TypeError):
        allowed = ", ".join(repr(m.value) for m in kind)
        msg = f"{field} must be one of {allowed} (got {_validate.echo(value)})"
        raise StandardError(msg) from None


# --- the parts of a standard --------------------------------------------------


@attrs.frozen
class TimeRange:
    """A span of the day from ``start`` to ``end``; it wraps midnight when end <= start.

    >>> import datetime as dt
    >>> quiet = TimeRange(dt.time(20), dt.time(8))
    >>> quiet.wraps_midnight, quiet.contains(dt.time(23, 30)), quiet.contains(dt.time(8))
    (True, True, False)
    >>> str(quiet)
    '20:00-08:00'
    """

    start: dt.time = attrs.field(validator=_is_time)
    end: dt.time = attrs.field(validator=_is_time)

    @property
    def wraps_midnight(self) -> bool:
        """Whether the range runs past midnight into the next day."""
        return self.end <= self.start

    def contains(self, moment: dt.time) -> bool:
        """Whether a time of day lies in the range (start included, end excluded)."""
        if self.wraps_midnight:
            return moment >= self.start or moment < self.end
        return self.start <= moment < self.end

    def with_start(self, start: dt.time) -> TimeRange:
        """Return a copy starting at ``start``."""
        return attrs.evolve(self, start=start)

    def with_end(self, end: dt.time) -> TimeRange:
        """Return a copy ending at ``end``."""
        return attrs.evolve(self, end=end)

    def __str__(self) -> str:
        return f"{_format_time(self.start)}-{_format_time(self.end)}"


@attrs.frozen
class TierLimits:
    """One time limit per customer tier (G3).

    >>> import datetime as dt
    >>> from fieldservice import Tier
    >>> limits = TierLimits.of("4h", "8h", "12h", "24h")
    >>> limits.for_tier(Tier.GOLD)
    datetime.timedelta(seconds=28800)
    """

    diamond: dt.timedelta = attrs.field(validator=_duration_up_to(_LONGEST_CLOCK_LIMIT))
    gold: dt.timedelta = attrs.field(validator=_duration_up_to(_LONGEST_CLOCK_LIMIT))
    silver: dt.timedelta = attrs.field(validator=_duration_up_to(_LONGEST_CLOCK_LIMIT))
    ordinary: dt.timedelta = attrs.field(validator=_duration_up_to(_LONGEST_CLOCK_LIMIT))

    @classmethod
    def of(cls, diamond: str, gold: str, silver: str, ordinary: str) -> TierLimits:
        """Build limits from durations written like ``"24h"``."""
        return cls(*(parse_duration(v) for v in (diamond, gold, silver, ordinary)))

    def for_tier(self, tier: Tier) -> dt.timedelta:
        """Return the limit that applies to ``tier``."""
        limit: dt.timedelta = getattr(self, tier.value)
        return limit

    def items(self) -> tuple[tuple[Tier, dt.timedelta], ...]:
        """Return (tier, limit) pairs, highest tier first."""
        return tuple((tier, self.for_tier(tier)) for tier in sorted(Tier, reverse=True))


class ClockBasis(_labels.IdentityEnum):
    """What an SLA clock counts: every second, or only the calendar's service time.

    >>> ClockBasis("service")
    <ClockBasis.SERVICE: 'service'>
    """

    WALL = "wall"
    SERVICE = "service"


def _to_basis(value: object) -> ClockBasis:
    return _enum_value(ClockBasis, "basis", value)


@attrs.frozen
class ClockRule:
    """The limits of one SLA clock, per area and tier, and what time it counts.

    >>> from fieldservice import ServiceStandard, Tier, Area
    >>> rule = ServiceStandard.default().booking_contact
    >>> rule.rule, rule.basis, rule.limit(Tier.ORDINARY, Area.CITY)
    ('B3', <ClockBasis.SERVICE: 'service'>, datetime.timedelta(days=1))
    """

    rule: str = attrs.field(validator=_instance_of(str))
    basis: ClockBasis = attrs.field(converter=_to_basis)
    city: TierLimits = attrs.field(validator=_instance_of(TierLimits))
    countryside: TierLimits = attrs.field(validator=_instance_of(TierLimits))

    def limit(self, tier: Tier, area: Area) -> dt.timedelta:
        """Return the limit for a customer of ``tier`` living in ``area``."""
        by_area = self.city if area is Area.CITY else self.countryside
        return by_area.for_tier(tier)


@attrs.frozen
class KnockProtocol:
    """How to knock (K1-K2): rounds of knocks, how often to repeat, when to call.

    >>> KnockProtocol().call_after
    datetime.timedelta(seconds=180)
    """

    rounds: int = attrs.field(default=2)
    knocks_per_round: int = attrs.field(default=3)
    repeat_every: dt.timedelta = attrs.field(
        default=dt.timedelta(seconds=30),
        validator=_duration_up_to(_LONGEST_AT_THE_DOOR, where="knock."),
    )
    call_after: dt.timedelta = attrs.field(
        default=dt.timedelta(minutes=3),
        validator=_duration_up_to(_LONGEST_AT_THE_DOOR, where="knock."),
    )

    @rounds.validator
    @knocks_per_round.validator
    def _count(self, attribute: attrs.Attribute[int], value: int) -> None:
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 10:
            msg = (
                f"knock.{attribute.name} must be a whole number from 1 to 10 "
                f"(got {_validate.echo(value)})"
            )
            raise StandardError(msg)


def _to_duration_table(
    value: object,
) -> tuple[tuple[OrderKind, Product, dt.timedelta], ...]:
    try:
        items = value.items() if isinstance(value, Mapping) else value
        table = {
            (OrderKind(k), Product(p)): d
            for (k, p), d in items  # type: ignore[attr-defined]
        }
    except (TypeError, ValueError):
        msg = "service durations must map (order kind, product) pairs to timedelta"
        raise StandardError(msg) from None
    for (kind, product), duration in table.items():
        problem = _duration_problem(duration, _LONGEST_VISIT)
        if problem is not None:
            msg = f"planning.durations.{kind.value}.{product.value} {problem}"
            raise StandardError(msg)
    missing = [f"{k.value}.{p.value}" for k in OrderKind for p in Product if (k, p) not in table]
    if missing:
        msg = f"planning.durations lacks {', '.join(missing)}; give every kind and product"
        raise StandardError(msg)
    return tuple((k, p, table[k, p]) for k in OrderKind for p in Product)


@attrs.frozen
class ServiceDurations:
    """How long a visit takes on site, per order kind and product (B7: plan by resources).

    A visit serves all products of its order at once (M1), so it takes its
    longest product's time plus half the time of each other product: the trip,
    the knock and the sign-off are shared. The defaults are labelled examples
    (the seed gives no figure); a branch replaces them with its measured times.

    >>> import datetime as dt
    >>> from fieldservice import OrderKind, Product
    >>> d = ServiceDurations.default()
    >>> d.of(OrderKind.INSTALL, {Product.BROADBAND})
    datetime.timedelta(seconds=5400)
    >>> d.of(OrderKind.INSTALL, {Product.BROADBAND, Product.FIXED_LINE})
    datetime.timedelta(seconds=7200)
    """

    table: tuple[tuple[OrderKind, Product, dt.timedelta], ...] = attrs.field(
        converter=_to_duration_table
    )

    @classmethod
    def default(cls) -> ServiceDurations:
        """The library's example durations (install 60-90 min, move 45-75, repair 45-60)."""
        minutes = {
            OrderKind.INSTALL: {Product.BROADBAND: 90, Product.FIXED_LINE: 60, Product.IPTV: 60},
            OrderKind.MOVE: {Product.BROADBAND: 75, Product.FIXED_LINE: 45, Product.IPTV: 45},
            OrderKind.REPAIR: {Product.BROADBAND: 60, Product.FIXED_LINE: 45, Product.IPTV: 45},
        }
        return cls(
            {(k, p): dt.timedelta(minutes=m) for k, row in minutes.items() for p, m in row.items()}
        )

    def of(self, kind: OrderKind, products: Iterable[Product]) -> dt.timedelta:
        """Return the on-site time of one visit for ``products`` (M1: one visit for all)."""
        own = {(k, p): d for k, p, d in self.table}
        times = sorted((own[kind, p] for p in set(products)), reverse=True)
        if not times:
            return dt.timedelta(0)
        return times[0] + sum(times[1:], dt.timedelta(0)) / 2


def _to_lunch(value: object) -> TimeRange | None:
    if value is not None and (not isinstance(value, TimeRange) or value.wraps_midnight):
        msg = "lunch_break must be None or a TimeRange that ends after it starts"
        raise StandardError(msg)
    return value


class UnconfirmedYears(_labels.IdentityEnum):
    """What to do with a year whose public holidays are not officially announced.

    ``RAISE`` refuses to guess (:class:`~fieldservice.errors.CalendarNotCovered`);
    ``ORDINARY`` treats the year as ordinary weeks with no holidays;
    ``ESTIMATED`` closes the statutory days (and the days in lieu) that the
    ``holidays`` package computes from its rules for the year, with no make-up
    working days, and marks every date of the year *provisional*
    (:meth:`ServiceCalendar.is_provisional
    <fieldservice.servicecal.ServiceCalendar.is_provisional>`,
    :attr:`WindowCheck.provisional <fieldservice.appointments.WindowCheck.provisional>`)
    until the branch confirms it.

    >>> UnconfirmedYears("raise"), UnconfirmedYears("estimated")
    (<UnconfirmedYears.RAISE: 'raise'>, <UnconfirmedYears.ESTIMATED: 'estimated'>)
    """

    RAISE = "raise"
    ORDINARY = "ordinary"
    ESTIMATED = "estimated"


def _to_policy(value: object) -> UnconfirmedYears:
    return _enum_value(UnconfirmedYears, "unconfirmed_years", value)


def _to_hours(value: object) -> tuple[TimeRange, ...]:
    if not isinstance(value, tuple | list) or not all(isinstance(r, TimeRange) for r in value):
        msg = f"hours must be a sequence of TimeRange (got {type(value).__name__})"
        raise StandardError(msg)
    return tuple(sorted(value, key=lambda r: r.start))


@attrs.frozen
class DateOverride:
    """One date with its own service hours: a closed day (no hours) or an extra one.

    A branch lists its official holidays and make-up working days this way, and
    any one-off change (a typhoon closure, an open Sunday).

    >>> import datetime as dt
    >>> DateOverride(dt.date(2027, 2, 6), hours=(), note="春节").closed
    True
    """

    date: dt.date = attrs.field(validator=_instance_of(dt.date))
    hours: tuple[TimeRange, ...] = attrs.field(converter=_to_hours)
    note: str = attrs.field(default="", validator=_plain_text(multiline=True))

    @property
    def closed(self) -> bool:
        """Whether the date has no service hours at all."""
        return not self.hours


WEEKDAYS: Final[tuple[str, ...]] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _to_weekly(value: object) -> tuple[tuple[int, tuple[TimeRange, ...]], ...]:
    try:
        items: Any = value.items() if isinstance(value, Mapping) else value
        pairs = [(day, hours) for day, hours in items]
    except (TypeError, ValueError):
        msg = "weekly_hours must map weekday numbers 0 (Mon) to 6 (Sun) to hours"
        raise StandardError(msg) from None
    out: dict[int, tuple[TimeRange, ...]] = {}
    for day, hours in pairs:
        if not isinstance(day, int) or isinstance(day, bool) or not 0 <= day <= 6:
            msg = f"weekly_hours: {_validate.echo(day)} is not a weekday number 0 (Mon) to 6 (Sun)"
            raise StandardError(msg)
        out[day] = _to_hours(hours)
    return tuple(sorted(out.items()))


def _to_years(value: object) -> tuple[int, ...]:
    if not isinstance(value, tuple | list | set | frozenset) or not all(
        isinstance(y, int) and not isinstance(y, bool) and 1900 <= y <= 2200 for y in value
    ):
        msg = "confirmed_years must be a sequence of years like (2027,)"
        raise StandardError(msg)
    return tuple(sorted(set(value)))


def _to_overrides(value: object) -> tuple[DateOverride, ...]:
    if not isinstance(value, tuple | list) or not all(isinstance(o, DateOverride) for o in value):
        msg = "date_overrides must be a sequence of DateOverride"
        raise StandardError(msg)
    dates = [o.date for o in value]
    if len(set(dates)) != len(dates):
        msg = "date_overrides lists a date twice; give each date once"
        raise StandardError(msg)
    return tuple(sorted(value, key=lambda o: o.date))


def _to_sources(value: object) -> tuple[tuple[str, str], ...]:
    """Merge given sources over the seed's: a branch names only the rules it changes."""
    items: Any = value.items() if isinstance(value, Mapping) else value
    try:
        given = {str(k): str(v) for k, v in items}
        pairs = tuple(sorted({**_DEFAULT_SOURCES, **given}.items()))
    except (TypeError, ValueError):
        msg = "sources must map rule IDs to text"
        raise StandardError(msg) from None
    for rule, text in given.items():
        problem = _text_problem(rule, multiline=False) or ("is empty" if not rule.strip() else None)
        if problem is not None:
            msg = f"a rule ID of sources {problem}"
            raise StandardError(msg)
        problem = _text_problem(text, multiline=True)
        if problem is not None:
            msg = f"sources.{_shown_key(rule)} {problem}"
            raise StandardError(msg)
    return pairs


_PLAIN_KEY = re.compile(r"[A-Za-z0-9_-]{1,40}")


def _shown_key(key: str) -> str:
    """A key as an error message may show it: plain short names only (G1, no escapes)."""
    if isinstance(key, str) and _PLAIN_KEY.fullmatch(key) and not _validate.phone_like(key):
        return key
    return "(a key that is not a plain name, not shown)"


def _shown_value(value: object) -> str:
    """A refused value of a standard: durations and times as they are, others by echo."""
    if isinstance(value, dt.timedelta | dt.time):
        return f"{value!r:.60}"
    return _validate.echo(value)


def _positive_number(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, float | int) or not 0 < value < 1e6:
        msg = f"{attribute.name} must be a positive number (got {_validate.echo(value)})"
        raise StandardError(msg)


def _fraction(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, float | int) or isinstance(value, bool) or not 0 < value < 1:
        msg = f"{attribute.name} must be a fraction between 0 and 1 (got {_validate.echo(value)})"
        raise StandardError(msg)


_HOTLINE = re.compile(r"\+?[0-9](?:[0-9 -]{0,18}[0-9])?")


def _hotline(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    # The operator's own number, never a customer's; refused text is not echoed all the same.
    if not isinstance(value, str) or not _HOTLINE.fullmatch(value) or len(value) > 20:
        shown = type(value).__name__  # refused text may be a customer's name or phone (G1)
        msg = (
            f"{attribute.name} must be a service number of digits, like '10000' or "
            f"'400-820-8820' (got {shown})"
        )
        raise StandardError(msg)


_DOMAIN_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_DOMAIN = re.compile(rf"{_DOMAIN_LABEL}(?:\.{_DOMAIN_LABEL})*")


def _domain(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    # A DNS name: the right-hand side of every calendar UID (RFC 5545, 3.8.4.7).
    if not isinstance(value, str) or len(value) > 253 or not _DOMAIN.fullmatch(value):
        msg = (
            f"{attribute.name} must be a lower-case DNS name like 'sh.example-telecom.cn' "
            f"(got {_validate.echo(value)})"
        )
        raise StandardError(msg)


def _timezone(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    import zoneinfo

    hint = "timezone must be an IANA zone name like 'Asia/Shanghai'"
    # zoneinfo takes some values that are not names (a tuple of None and False), and
    # a name longer than a file name raises OSError: only plain, short text is asked.
    if not isinstance(value, str) or len(value) > _LONGEST_ZONE_NAME:
        msg = f"{hint} (got {type(value).__name__}{' too long' if isinstance(value, str) else ''})"
        raise StandardError(msg)
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        pass
    else:
        if not value.startswith(_UNPUBLISHED_FOLDERS) and value not in _UNPUBLISHED:
            return
    # Raised here, not in the except: zoneinfo's error repeats the value.
    msg = f"{hint} (got {_validate.echo(value)})"
    raise StandardError(msg)


_LONGEST_ZONE_NAME: Final = 64
# Files zoneinfo opens that are not published zone names (available_timezones() leaves
# them out, but listing those walks the zone folders: 30 ms at every start-up): right/*
# counts leap seconds in its offsets (a calendar's VTIMEZONE would carry them), posix/*
# repeats the plain names, localtime is this machine's own setting, Factory is no place.
_UNPUBLISHED_FOLDERS: Final = ("right/", "posix/")
_UNPUBLISHED: Final = frozenset({"localtime", "Factory", "posixrules"})


LEGAL_REPAIR_CEILING: Final[Mapping[Area, dt.timedelta]] = types.MappingProxyType(
    {Area.CITY: dt.timedelta(hours=48), Area.COUNTRYSIDE: dt.timedelta(hours=72)}
)
"""The longest repair time the law allows (电信条例, Art. 33), 48 h in towns and 72 h in the
countryside, counted from the fault report. No standard may set a repair limit above it.

>>> from fieldservice import Area
>>> LEGAL_REPAIR_CEILING[Area.COUNTRYSIDE]
datetime.timedelta(days=3)
"""

_DEFAULT_SOURCES: Final[dict[str, str]] = {
    "B2": "Seed: 预约上门时间的颗粒度分为上午或下午. The 12:00 split between morning and "
    "afternoon is this library's default.",
    "B3": "Seed: 保证在业务受理后规定时限内与用户进行预约 (no figure given). Default limits are "
    "examples in the range of published regional commitments ('contact within 4 h of an online "
    "order', 'within 24 h'); each branch must replace them with its own commitment.",
    "B5": "Seed: 必须满足客户在预约 24 小时后的任一时间 ... 提供上门装机服务.",
    "B6": "Seed: (晚 20:00-次日8:00 除外) ... 具备条件的分公司可以根据自身条件延长服务时间.",
    "B7": "Seed: 按品牌客户优先的原则合理安排施工路线和时间 (no figure given). Planning defaults are "
    "this library's examples: on-site durations per kind and product; travel at 25 km/h, a city "
    "average with traffic; a road factor of 1.4, the usual circuity of urban roads over the "
    "great-circle distance; no lunch break unless the branch sets one.",
    "C1": "Guidance card: 提前与客户取得联系(至少在预约当天9时以前),对具体上门服务时间进行二次确认,"
    "要求细化到小时.",
    "C2": "Seed: 并在上门前半小时再次通知客户.",
    "F2": "Guidance card: 并在30分钟后跟踪回访用户使用情况,若解决将做销障处理.",
    "F4": "Seed: 确保在规定时限内修复障碍 (no figure given). Ceiling: 电信条例 Art. 33, 48 h in "
    "towns and 72 h in the countryside from the fault report. Tier values below the ceiling are "
    "examples; each branch must replace them with its own commitment.",
    "K1": "Guidance card: 联系轻敲2次,每次连续3下为度,有门铃要先按门铃.",
    "K2": "Guidance card: 每隔30秒钟重复1次;3分钟后再不开门则联系.",
    "L4": "Guidance card: 告知客户,如有问题,请拨打10000服务热线 (also B4: 10000 号预约).",
    "R1": "Seed: 资源不具备装移机条件的, 要在规定的时限内通知客户 (no figure given). Default "
    "limits are examples ('install within 48 h' commitments); replace them with the branch's own.",
    "T2": "Guidance card: 根据约定时间及路程确定出发时间,确保到达时间比约定时间提前5-10分钟 "
    "(step 4); step 7: 按约定时间或提前5分钟到达.",
}


def _duration_pair(value: object) -> tuple[dt.timedelta, dt.timedelta]:
    if (
        not isinstance(value, tuple)
        or len(value) != 2
        or not all(isinstance(v, dt.timedelta) for v in value)
    ):
        msg = "early_arrival must be a (shortest, longest) pair of timedelta"
        raise StandardError(msg)
    if any(v % dt.timedelta(seconds=1) for v in value):
        msg = "early_arrival must be whole numbers of seconds"
        raise StandardError(msg)
    if any(v > _LONGEST_ON_THE_DAY for v in value):
        longest, got = format_duration(_LONGEST_ON_THE_DAY), _shown_value(max(value))
        msg = f"early_arrival must be two durations from 0s to {longest} (got {got})"
        raise StandardError(msg)
    return (value[0], value[1])


# cache_hash: a standard is a key of the digest cache and is looked up once per order
# restored, written or judged; hashing its whole tree each time cost microseconds an order.
@attrs.frozen(cache_hash=True)
class ServiceStandard:
    """Every number of the home-visit service standard, with the seed's values as defaults.

    Build it with :meth:`default`, :meth:`from_toml` or :meth:`replace`; it is
    immutable, hashable and compared by value. Each field names the rule it
    carries. Durations are :class:`datetime.timedelta`, times of day
    :class:`datetime.time` in :attr:`timezone`.

    Attributes:
        name: A label for the branch whose standard this is.
        timezone: The IANA zone the standard's times of day are in.
        quiet_hours: No visits and no calls to customers (B6): 20:00-08:00. A
            branch extends its service hours by narrowing these.
        midday: Where the morning (上午) ends and the afternoon (下午) begins (B2).
        weekly_hours: Service hours of weekdays that differ from the complement
            of the quiet hours (split shifts), as (weekday 0-6, ranges) pairs.
        date_overrides: Dates with their own hours: closures, extra days, and a
            branch's official holiday list for years the holiday data lacks.
        holiday_country: The ``holidays`` country whose public holidays apply
            (``"CN"``), or ``""`` for none.
        close_visits_on_holidays: Whether visits stop on public holidays (the
            seed serves every day: ``False``).
        close_clocks_on_holidays: Whether service-time SLA clocks stop on public
            holidays (``False``).
        unconfirmed_years: What to do with years whose holidays are not announced.
        confirmed_years: Years the branch confirms itself in :attr:`date_overrides`.
        lead_time: Earliest visit after booking (B5): 24 h.
        arrival_window: Length of the day-of arrival window (C1): 1 h. A
            half-day is offered only while at least this much of it is left.
        confirm_by: The day-of second confirmation is due by (C1): 09:00.
        call_ahead: Call the customer this long before arrival (C2): 30 min.
        early_arrival: Arrive this much early, shortest and longest (T2): 5-10 min.
        arrival_tolerance: How late after the start of the confirmed hour an
            arrival still counts as on time (T2, the card's step 7: "按约定时间或
            提前5分钟到达"): 0.
        knock: The knock protocol (K1-K2).
        follow_up: Follow up this long after remote guidance (F2): 30 min.
        hotline: The customer service hotline the technician gives a customer
            for later help (L4), and where the hotline books (B4): ``"10000"``.
        booking_contact: Contact to book after acceptance (B3), per tier and area.
        resource_notice: Tell the customer resources are missing (R1).
        repair: Repair a reported fault (F4), never above :data:`LEGAL_REPAIR_CEILING`.
        at_risk_share: A running clock is at risk past this share of its limit.
        service_durations: On-site time per order kind and product, for the
            day plan (B7); labelled examples.
        travel_speed: Average speed in km/h of the default travel model (B7).
        road_factor: Road distance over great-circle distance for that model.
        lunch_break: The technicians' lunch hour (no visits in it), or ``None``.
        domain: The deployment's DNS name, part of every calendar UID, so that
            order ``WO-1`` of two deployments are two entries in one calendar.
            The default ``"fieldservice"`` keeps the UIDs of earlier releases;
            set your own (``"sh.example-telecom.cn"``).

    >>> std = ServiceStandard.default()
    >>> std.timezone, str(std.quiet_hours), std.confirm_by.isoformat()
    ('Asia/Shanghai', '20:00-08:00', '09:00:00')

    """

    name: str = attrs.field(default="default", validator=_plain_text())
    timezone: str = attrs.field(default="Asia/Shanghai", validator=_timezone)
    quiet_hours: TimeRange = attrs.field(
        default=TimeRange(dt.time(20), dt.time(8)), validator=_instance_of(TimeRange)
    )
    midday: dt.time = attrs.field(default=dt.time(12), validator=_is_time)
    weekly_hours: tuple[tuple[int, tuple[TimeRange, ...]], ...] = attrs.field(
        default=(), converter=_to_weekly
    )
    date_overrides: tuple[DateOverride, ...] = attrs.field(default=(), converter=_to_overrides)
    holiday_country: str = attrs.field(default="CN", validator=_country)
    close_visits_on_holidays: bool = attrs.field(default=False, validator=_instance_of(bool))
    close_clocks_on_holidays: bool = attrs.field(default=False, validator=_instance_of(bool))
    unconfirmed_years: UnconfirmedYears = attrs.field(
        default=UnconfirmedYears.RAISE,
        converter=_to_policy,
    )
    confirmed_years: tuple[int, ...] = attrs.field(default=(), converter=_to_years)
    lead_time: dt.timedelta = attrs.field(
        default=dt.timedelta(hours=24), validator=_duration_up_to(LONGEST_LEAD_TIME)
    )
    arrival_window: dt.timedelta = attrs.field(
        default=dt.timedelta(hours=1), validator=_duration_up_to(_LONGEST_ON_THE_DAY)
    )
    confirm_by: dt.time = attrs.field(default=dt.time(9), validator=_is_time)
    call_ahead: dt.timedelta = attrs.field(
        default=dt.timedelta(minutes=30), validator=_duration_up_to(_LONGEST_ON_THE_DAY)
    )
    early_arrival: tuple[dt.timedelta, dt.timedelta] = attrs.field(
        default=(dt.timedelta(minutes=5), dt.timedelta(minutes=10)), converter=_duration_pair
    )
    arrival_tolerance: dt.timedelta = attrs.field(
        default=dt.timedelta(0), validator=_duration_up_to(_LONGEST_ON_THE_DAY, zero=True)
    )
    knock: KnockProtocol = attrs.field(factory=KnockProtocol, validator=_instance_of(KnockProtocol))
    follow_up: dt.timedelta = attrs.field(
        default=dt.timedelta(minutes=30), validator=_duration_up_to(_LONGEST_ON_THE_DAY)
    )
    hotline: str = attrs.field(default="10000", validator=_hotline)
    booking_contact: ClockRule = attrs.field(
        default=ClockRule(
            "B3",
            ClockBasis.SERVICE,
            TierLimits.of("4h", "8h", "12h", "24h"),
            TierLimits.of("4h", "8h", "12h", "24h"),
        ),
        validator=_instance_of(ClockRule),
    )
    resource_notice: ClockRule = attrs.field(
        default=ClockRule(
            "R1",
            ClockBasis.SERVICE,
            TierLimits.of("12h", "24h", "24h", "48h"),
            TierLimits.of("12h", "24h", "24h", "48h"),
        ),
        validator=_instance_of(ClockRule),
    )
    repair: ClockRule = attrs.field(
        default=ClockRule(
            "F4",
            ClockBasis.WALL,
            TierLimits.of("24h", "36h", "48h", "48h"),
            TierLimits.of("36h", "48h", "72h", "72h"),
        ),
        validator=_instance_of(ClockRule),
    )
    at_risk_share: float = attrs.field(default=0.75, validator=_fraction)
    service_durations: ServiceDurations = attrs.field(
        factory=ServiceDurations.default, validator=_instance_of(ServiceDurations)
    )
    travel_speed: float = attrs.field(default=25.0, validator=_positive_number)
    road_factor: float = attrs.field(default=1.4, validator=_positive_number)
    lunch_break: TimeRange | None = attrs.field(default=None, converter=_to_lunch)
    domain: str = attrs.field(default="fieldservice", validator=_domain)
    _sources: tuple[tuple[str, str], ...] = attrs.field(
        alias="sources",
        repr=False,
        factory=dict,
        converter=_to_sources,
    )

    def __attrs_post_init__(self) -> None:
        problems = list(self._problems())
        if problems:
            raise StandardError("; ".join(problems))

    def _problems(self) -> list[str]:
        found: list[str] = []
        for area, ceiling in LEGAL_REPAIR_CEILING.items():
            for tier, limit in getattr(self.repair, area.value).items():
                if limit > ceiling:
                    found.append(
                        f"repair.{area.value}.{tier.value}: {format_duration(limit)} exceeds "
                        f"the legal ceiling of {format_duration(ceiling)} (电信条例 Art. 33, F4); "
                        "set it to at most that"
                    )
        for name in ("booking_contact", "resource_notice", "repair"):
            expected = {"booking_contact": "B3", "resource_notice": "R1", "repair": "F4"}[name]
            if getattr(self, name).rule != expected:
                found.append(f"{name}.rule must be {expected!r}")
        shortest, longest = self.early_arrival
        if not dt.timedelta(0) <= shortest <= longest:
            found.append("early_arrival must be (shortest, longest) with 0 <= shortest <= longest")
        if self.quiet_hours.start == self.quiet_hours.end:
            found.append("quiet_hours must not be empty or the whole day")
        service = self.service_hours
        if not service.contains(self.midday) or self.midday == service.start:
            found.append(
                f"midday {_format_time(self.midday)} must fall inside the service hours {service}"
            )
        if self.knock.call_after < self.knock.repeat_every:
            found.append("knock.call_after must not be shorter than knock.repeat_every")
        for day, hours in self.weekly_hours:
            found.extend(self._hours_problems(f"weekly_hours[{WEEKDAYS[day]}]", hours))
        for override in self.date_overrides:
            found.extend(self._hours_problems(f"date {override.date}", override.hours))
        return found

    def _hours_problems(self, where: str, hours: tuple[TimeRange, ...]) -> list[str]:
        found = []
        service = self.service_hours
        for i, span in enumerate(hours):
            if span.wraps_midnight:
                found.append(f"{where}: {span} must end after it starts, on the same day")
            elif service.wraps_midnight or not (
                service.start <= span.start < span.end <= service.end
            ):
                found.append(
                    f"{where}: {span} enters the quiet hours {self.quiet_hours} (B6); "
                    "extend the service hours by narrowing quiet_hours instead"
                )
            if i and hours[i - 1].end > span.start:
                found.append(f"{where}: {hours[i - 1]} and {span} overlap")
        return found

    @property
    def service_hours(self) -> TimeRange:
        """The daily hours for visits, the complement of the quiet hours (B6).

        >>> str(ServiceStandard.default().service_hours)
        '08:00-20:00'
        """
        return TimeRange(self.quiet_hours.end, self.quiet_hours.start)

    @property
    def sources(self) -> Mapping[str, str]:
        """Where each default comes from, by rule ID (read-only).

        >>> ServiceStandard.default().sources["F4"].startswith("Seed: 确保在规定时限内修复障碍")
        True
        """
        return types.MappingProxyType(dict(self._sources))

    def hours_for_weekday(self, weekday: int) -> tuple[TimeRange, ...]:
        """The service hours of a weekday (0 = Monday) before date overrides.

        >>> [str(r) for r in ServiceStandard.default().hours_for_weekday(5)]
        ['08:00-20:00']
        """
        return dict(self.weekly_hours).get(weekday, (self.service_hours,))

    @classmethod
    def default(cls) -> ServiceStandard:
        """Return the standard as the seed text gives it.

        >>> ServiceStandard.default() == ServiceStandard()
        True
        """
        return _DEFAULT

    def replace(self, **changes: Any) -> ServiceStandard:
        """Return a copy with some fields changed, validated like a new standard.

        Raises:
            StandardError: A changed field, or the whole, is not valid.

        >>> import datetime as dt
        >>> ServiceStandard.default().replace(lead_time=dt.timedelta(hours=48)).lead_time
        datetime.timedelta(days=2)
        >>> ServiceStandard.default().replace(speed=3)
        Traceback (most recent call last):
        ...
        fieldservice.errors.StandardError: ServiceStandard has no field 'speed'; ...

        """
        known = {a.alias for a in attrs.fields(type(self))}
        for key in changes:
            if key not in known:
                msg = (
                    f"ServiceStandard has no field {_validate.echo(key)}; "
                    f"fields are {', '.join(sorted(known))}"
                )
                raise StandardError(msg)
        try:
            return attrs.evolve(self, **changes)
        except StandardError:
            raise
        except (TypeError, ValueError) as err:
            problem = type(err).__name__  # its text may repeat a value: not shown (G1)
        msg = f"a changed field has the wrong type or value ({problem}); see ServiceStandard"
        raise StandardError(msg)

    # --- TOML ---------------------------------------------------------------

    @classmethod
    def from_toml(cls, source: str | Path) -> ServiceStandard:
        """Read a standard from TOML text or a file; missing keys keep the seed's values.

        Args:
            source: TOML text, or a :class:`~pathlib.Path` to a ``.toml`` file.

        Raises:
            StandardError: The TOML is malformed, or a key or value is not valid;
                the message names the key and the value.

        >>> std = ServiceStandard.from_toml('''
        ... name = "Pudong"
        ... [hours]
        ... quiet = ["21:00", "08:00"]
        ... ''')
        >>> std.name, str(std.service_hours)
        ('Pudong', '08:00-21:00')
        >>> ServiceStandard.from_toml('''
        ... [booking]
        ... lead_time = "-3h"
        ... ''')
        Traceback (most recent call last):
        ...
        fieldservice.errors.StandardError: booking.lead_time: '-3h' is not a duration like ...
        """
        if isinstance(source, Path):
            text = _read_file(source)
        elif isinstance(source, str):
            text = source
        else:
            msg = f"from_toml takes TOML text or a pathlib.Path (got {type(source).__name__})"
            raise StandardError(msg)
        # One byte-order mark an editor put first is dropped, as the orders readers drop it.
        text = text.removeprefix("\ufeff")
        _check_toml_shape(text)
        data = read_toml(text)
        if isinstance(data, str):
            msg = f"the standard {data}"
            raise StandardError(msg)
        return _TomlReader(data).standard()

    def check(self) -> ServiceStandard:
        """Run every check a calendar built on this standard would run; return the standard.

        Construction checks each value and how values fit together; this also
        checks what only a calendar finds out later (``fieldservice standard check``
        runs it, so a branch file fails on the desk and not on the first booking):

        - the ``holidays`` country is one the holidays package knows, and the
          visit and clock calendars can be built (time zone, hours, overrides);
        - some half-day of an ordinary week has room for one arrival window
          (C1), so that :func:`~fieldservice.appointments.next_windows` can ever
          offer a window.

        Raises:
            StandardError: Each problem found, in one message.

        >>> ServiceStandard.default().check() is ServiceStandard.default()
        True
        >>> import datetime as dt
        >>> ServiceStandard.default().replace(arrival_window=dt.timedelta(hours=13)).check()
        Traceback (most recent call last):
        ...
        fieldservice.errors.StandardError: the standard can never be used: booking.arrival_window ...
        """
        problems = self._window_problems()
        try:
            from fieldservice.servicecal import ServiceCalendar

            ServiceCalendar.for_visits(self)
            ServiceCalendar.for_clocks(self)
        except StandardError as err:
            problems.append(err.message)
        if self.holiday_country:
            # Calendars look the country up only when holidays close them: look now.
            problems.extend(_holiday_country_problems(self.holiday_country))
        if problems:
            msg = f"the standard can never be used: {'; '.join(dict.fromkeys(problems))}"
            raise StandardError(msg)
        return self

    def _window_problems(self) -> list[str]:
        """Whether any half-day of an ordinary week holds one arrival window (C1, B2)."""
        need = self.arrival_window
        room = dt.timedelta(0)
        for weekday in range(7):
            for lo, hi in ((dt.time(0), self.midday), (self.midday, None)):
                half = dt.timedelta(0)
                for span in self.hours_for_weekday(weekday):
                    start = max(span.start, lo)
                    end = span.end if hi is None else min(span.end, hi)
                    if span.wraps_midnight:  # only the service hours wrap; they never do here
                        continue
                    if end > start:
                        half += _between(start, end)
                room = max(room, half)
        if room >= need:
            return []
        return [
            f"booking.arrival_window {format_duration(need)} is longer than any half-day's "
            f"service hours in an ordinary week (the longest is {format_duration(room)}), so no "
            "window could ever be offered (C1, B2); shorten it or widen the hours"
        ]

    def to_toml(self) -> str:
        """Write the whole standard as TOML that :meth:`from_toml` reads back equal.

        >>> print(ServiceStandard.default().to_toml().splitlines()[0])
        # Service standard (装维上门服务规范) for fieldservice
        """
        return _write_toml(self)

    @property
    def digest(self) -> str:
        """A SHA-256 digest of the standard's content (its TOML), to tell two standards apart.

        An order's JSON records its standard's name and digest, so that it is
        never restored or judged under another one by mistake.

        >>> d = ServiceStandard.default().digest
        >>> len(d), d == ServiceStandard.default().replace(name="default").digest
        (64, True)
        """
        found = _DIGESTS.get(self)
        if found is None:
            found = hashlib.sha256(self.to_toml().encode("utf-8")).hexdigest()
            _DIGESTS.keep(self, found)  # a few standards per process
        return found


_DIGESTS = BoundedTable[ServiceStandard, str](256)
_DEFAULT: Final[ServiceStandard] = ServiceStandard()


def standard_of(order: object, given: ServiceStandard | None) -> ServiceStandard:
    """The standard to judge ``order`` by: its own, unless ``given`` (which must not differ).

    Args:
        order: A work order (anything with ``standard``), or a bare event log.
        given: The standard the caller passed, or ``None`` to take the order's.

    Raises:
        StandardMismatch: ``given`` differs from the order's own standard.
        InvalidInput: Neither is known (a bare log needs ``standard=``).

    >>> std = ServiceStandard.default()
    >>> standard_of([], std) is std
    True
    >>> standard_of([], None)
    Traceback (most recent call last):
    ...
    fieldservice.errors.InvalidInput: pass standard=: a bare event log does not carry its standard
    """
    own = getattr(order, "standard", None)
    if given is None:
        if isinstance(own, ServiceStandard):
            return own
        msg = "pass standard=: a bare event log does not carry its standard"
        raise InvalidInput(msg)
    if not isinstance(given, ServiceStandard):
        msg = f"standard must be a ServiceStandard (got {type(given).__name__})"
        raise InvalidInput(msg)
    if isinstance(own, ServiceStandard) and own is not given and own != given:
        ident = getattr(order, "id", "?")
        msg = (
            f"order {_validate.shown_id(ident)} is under the standard {own.name!r} "
            f"({own.digest[:12]}), not {given.name!r} ({given.digest[:12]}); "
            "leave standard= out to use the order's own"
        )
        raise StandardMismatch(msg)
    return given


def _between(start: dt.time, end: dt.time) -> dt.timedelta:
    day = dt.date(2000, 1, 1)
    return dt.datetime.combine(day, end) - dt.datetime.combine(day, start)


def _holiday_country_problems(country: str) -> list[str]:
    import holidays

    if country.upper() in holidays.list_supported_countries() and country == country.upper():
        return []
    return [
        f"calendar.holidays {country!r} is not a country the holidays package knows; "
        "use an ISO code such as 'CN', or '' for none"
    ]


# A branch's standard is a page of TOML (a few kilobytes); nesting deeper than a few
# levels is never meant. Both are checked before tomllib, which recurses per level.
_LONGEST_TOML: Final = 1_000_000
_DEEPEST_TOML: Final = 32
_TOML_TOKEN = re.compile(
    r'"""(?:[^\\]|\\.)*?"""'  # multi-line basic string
    r"|'''.*?'''"  # multi-line literal string
    r'|"(?:[^"\\\n]|\\.)*+"?'  # basic string (an open one ends at the line)
    r"|'[^'\n]*+'?"  # literal string
    r"|#[^\n]*+"  # comment
    r"|[\[\]{}]",  # brackets and braces: the only nesting
    re.DOTALL,
)


def toml_shape_problem(text: str, what: str) -> str | None:
    """Why TOML text is too large or nested too deep to parse safely, or None (a linear scan).

    The library's TOML files (a branch's standard, a team) are a page each. Their readers
    ask this before :mod:`tomllib`, which recurses once per level of nesting; ``what``
    names the file in the answer. Not part of the documented API.

    >>> toml_shape_problem('name = "Pudong"', "the standard") is None
    True
    >>> toml_shape_problem("a = " + "[" * 40 + "]" * 40, "the team file")
    'the team file nests arrays or tables more than 32 deep; it needs at most a few levels'
    """
    if len(text) > _LONGEST_TOML:
        return f"{what} is longer than {_LONGEST_TOML:,} characters; it should be a page"
    depth = 0
    for match in _TOML_TOKEN.finditer(text):
        token = match.group()
        if token in ("[", "{"):
            depth += 1
            if depth > _DEEPEST_TOML:
                return (
                    f"{what} nests arrays or tables more than {_DEEPEST_TOML} deep; "
                    "it needs at most a few levels"
                )
        elif token in ("]", "}"):
            depth = max(0, depth - 1)
    return None


def read_toml(text: str) -> dict[str, Any] | str:
    """The data of TOML text, or why it cannot be read, as words to follow its file's name.

    For the library's TOML readers (a standard, a team), after :func:`toml_shape_problem`.
    The reason never quotes the text: :mod:`tomllib`'s own messages repeat keys and
    values, and a key may be a phone number (G1). Not part of the documented API.

    >>> read_toml('name = "Pudong"')
    {'name': 'Pudong'}
    >>> read_toml('x = {"13912345678" = 1, "13912345678" = 2}')
    'is not valid TOML: a key is given twice (at line 1, column 42)'
    >>> read_toml("n = " + "9" * 5000)
    'is not valid TOML: a number has more than 4,300 digits'
    """
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        return f"is not valid TOML: {_toml_reason(err)}"
    except ValueError:
        # int() of a longer run of digits (sys.get_int_max_str_digits) raises this, not
        # a TOMLDecodeError.
        return f"is not valid TOML: a number has more than {sys.get_int_max_str_digits():,} digits"
    except (RecursionError, MemoryError):
        # The shape check bounds nesting first; this is the last line of defence.
        return "is too deeply nested or too large to read"


def _toml_reason(err: tomllib.TOMLDecodeError) -> str:
    text = str(err)
    where = _TOML_WHERE.search(text)
    reason = text[: where.start()].rstrip() if where else text
    for pattern, words in _TOML_REASONS:
        if pattern.search(reason):
            reason = words
            break
    else:
        # Keep tomllib's words, not what it quotes of the file: a quoted ' = ' stays.
        reason = _TOML_QUOTED.sub("…", reason)
    return f"{reason} {where.group()}" if where else reason


_TOML_WHERE: Final = re.compile(r"\((?:at line \d+, column \d+|at end of document)\)$")
_TOML_QUOTED: Final = re.compile(r"\([^()]*\)|'[^']{2,}'|\"[^\"]*\"")
# tomllib's messages that name a key: said without it.
_TOML_REASONS: Final = (
    (re.compile(r"^Duplicate|twice"), "a key is given twice"),
    (re.compile(r"^Cannot (?:mutate|overwrite)|immutable"), "a key is given twice"),
)


def _check_toml_shape(text: str) -> None:
    """Refuse TOML text too large or nested too deep to parse safely."""
    problem = toml_shape_problem(text, "the standard")
    if problem is not None:
        raise StandardError(problem)


def _read_file(path: Path) -> str:
    try:
        with path.open("rb") as file:
            data = file.read(_LONGEST_TOML * 4 + 1)  # UTF-8 takes at most 4 bytes a character
    except OSError as err:
        name = str(path) if str(path).isprintable() else ascii(str(path))
        msg = f"cannot read the standard file {name:.200}: {err.strerror}"
        raise StandardError(msg) from None
    except ValueError:  # a NUL or lone surrogate in the path
        msg = "cannot read the standard file: give a readable UTF-8 TOML file"
        raise StandardError(msg) from None
    if len(data) > _LONGEST_TOML * 4:
        msg = f"the standard file is larger than {_LONGEST_TOML * 4:,} bytes; a standard is a page"
        raise StandardError(msg)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        msg = "cannot read the standard file: give a readable UTF-8 TOML file"
        raise StandardError(msg) from None


# --- TOML reading ----------------------------------------------------------------


class _TomlReader:
    """Reads the TOML layout of a standard, naming the key of every bad value."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data

    def standard(self) -> ServiceStandard:
        d = self.data
        base = ServiceStandard.default()
        fields: dict[str, Any] = {}
        self._known(
            d,
            "",
            {
                "name",
                "timezone",
                "domain",
                "hours",
                "booking",
                "knock",
                "remote",
                "contact",
                "clocks",
                "calendar",
                "planning",
                "sources",
            },
        )
        if "name" in d:
            fields["name"] = self._typed(d, "name", str)
        if "timezone" in d:
            fields["timezone"] = self._typed(d, "timezone", str)
        if "domain" in d:
            domain = self._typed(d, "domain", str)
            if len(domain) > 253 or not _DOMAIN.fullmatch(domain):
                self._fail("domain", domain, "a lower-case DNS name like 'sh.example-telecom.cn'")
            fields["domain"] = domain
        hours = self._table(d, "hours")
        self._known(hours, "hours", {"quiet", "midday", "weekly"})
        if "quiet" in hours:
            fields["quiet_hours"] = self._range(hours["quiet"], "hours.quiet")
        if "midday" in hours:
            fields["midday"] = self._time(hours["midday"], "hours.midday")
        if "weekly" in hours:
            weekly = self._table(hours, "weekly", "hours.weekly")
            self._known(weekly, "hours.weekly", set(WEEKDAYS))
            fields["weekly_hours"] = tuple(
                (WEEKDAYS.index(day), self._ranges(spans, f"hours.weekly.{day}"))
                for day, spans in weekly.items()
            )
        booking = self._table(d, "booking")
        self._known(
            booking,
            "booking",
            {
                "lead_time",
                "arrival_window",
                "confirm_by",
                "call_ahead",
                "early_arrival",
                "arrival_tolerance",
            },
        )
        for key, longest in (
            ("lead_time", LONGEST_LEAD_TIME),
            ("arrival_window", _LONGEST_ON_THE_DAY),
            ("call_ahead", _LONGEST_ON_THE_DAY),
            ("arrival_tolerance", _LONGEST_ON_THE_DAY),
        ):
            if key in booking:
                fields[key] = self._duration(booking[key], f"booking.{key}", longest)
        if "confirm_by" in booking:
            fields["confirm_by"] = self._time(booking["confirm_by"], "booking.confirm_by")
        if "early_arrival" in booking:
            pair = booking["early_arrival"]
            if not isinstance(pair, list) or len(pair) != 2:
                self._fail("booking.early_arrival", pair, "a pair like ['5m', '10m']")
            fields["early_arrival"] = tuple(
                self._duration(v, "booking.early_arrival", _LONGEST_ON_THE_DAY) for v in pair
            )
        knock = self._table(d, "knock")
        self._known(knock, "knock", {"rounds", "knocks_per_round", "repeat_every", "call_after"})
        if knock:
            k = base.knock
            fields["knock"] = self._build(
                "knock",
                KnockProtocol,
                rounds=self._int(knock, "rounds", k.rounds, "knock"),
                knocks_per_round=self._int(knock, "knocks_per_round", k.knocks_per_round, "knock"),
                repeat_every=self._duration(
                    knock.get("repeat_every", k.repeat_every),
                    "knock.repeat_every",
                    _LONGEST_AT_THE_DOOR,
                ),
                call_after=self._duration(
                    knock.get("call_after", k.call_after), "knock.call_after", _LONGEST_AT_THE_DOOR
                ),
            )
        remote = self._table(d, "remote")
        self._known(remote, "remote", {"follow_up"})
        if "follow_up" in remote:
            fields["follow_up"] = self._duration(
                remote["follow_up"], "remote.follow_up", _LONGEST_ON_THE_DAY
            )
        contact = self._table(d, "contact")
        self._known(contact, "contact", {"hotline"})
        if "hotline" in contact:
            number = contact["hotline"]
            if not isinstance(number, str) or not _HOTLINE.fullmatch(number) or len(number) > 20:
                self._fail("contact.hotline", number, "a service number like '10000'")
            fields["hotline"] = number
        clocks = self._table(d, "clocks")
        self._known(
            clocks, "clocks", {"at_risk_share", "booking_contact", "resource_notice", "repair"}
        )
        if "at_risk_share" in clocks:
            share = clocks["at_risk_share"]
            if not isinstance(share, float | int) or isinstance(share, bool):
                self._fail("clocks.at_risk_share", share, "a fraction like 0.75")
            fields["at_risk_share"] = _validate.as_float(share)
        for name in ("booking_contact", "resource_notice", "repair"):
            if name in clocks:
                fields[name] = self._clock(clocks, name, getattr(base, name))
        calendar = self._table(d, "calendar")
        self._known(
            calendar,
            "calendar",
            {
                "holidays",
                "close_visits_on_holidays",
                "close_clocks_on_holidays",
                "unconfirmed_years",
                "confirmed_years",
                "dates",
            },
        )
        if "holidays" in calendar:
            fields["holiday_country"] = self._typed(calendar, "holidays", str, "calendar")
        for key in ("close_visits_on_holidays", "close_clocks_on_holidays"):
            if key in calendar:
                fields[key] = self._typed(calendar, key, bool, "calendar")
        if "unconfirmed_years" in calendar:
            value = calendar["unconfirmed_years"]
            try:
                fields["unconfirmed_years"] = UnconfirmedYears(value)
            except ValueError:
                self._fail(
                    "calendar.unconfirmed_years", value, "'raise', 'ordinary' or 'estimated'"
                )
        if "confirmed_years" in calendar:
            years = calendar["confirmed_years"]
            if not isinstance(years, list) or not all(
                isinstance(y, int) and not isinstance(y, bool) for y in years
            ):
                self._fail("calendar.confirmed_years", years, "a list of years like [2027]")
            fields["confirmed_years"] = tuple(years)
        if "dates" in calendar:
            fields["date_overrides"] = self._dates(calendar["dates"])
        fields.update(self._planning(self._table(d, "planning")))
        if "sources" in d:
            sources = self._table(d, "sources")
            for rule, text in sources.items():
                if not isinstance(text, str):
                    self._fail(f"sources.{_shown_key(rule)}", text, "text")
            fields["sources"] = sources
        try:
            return ServiceStandard(**fields)
        except StandardError as err:
            msg = f"the standard is not valid: {err.message}"
            raise StandardError(msg) from None

    # -- small readers --

    @staticmethod
    def _fail(key: str, value: object, expected: str) -> NoReturn:
        msg = f"{key}: {_validate.echo(value)} is not valid; expected {expected}"
        raise StandardError(msg)

    def _known(self, table: Mapping[str, Any], where: str, keys: set[str]) -> None:
        for key in table:
            if key not in keys:
                path = f"{where}.{_shown_key(key)}" if where else _shown_key(key)
                msg = f"{path}: unknown key; known keys here are {', '.join(sorted(keys))}"
                raise StandardError(msg)

    def _table(self, table: Mapping[str, Any], key: str, path: str | None = None) -> dict[str, Any]:
        value: object = table.get(key, {})
        if not isinstance(value, dict):
            self._fail(path or key, value, "a table")
        return value

    def _typed(self, table: Mapping[str, Any], key: str, kind: type[T], where: str = "") -> T:
        value: object = table[key]
        if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
            self._fail(f"{where}.{key}" if where else key, value, kind.__name__)
        return value

    def _int(self, table: Mapping[str, Any], key: str, default: int, where: str) -> int:
        if key not in table:
            return default
        return self._typed(table, key, int, where)

    def _duration(
        self, value: object, key: str, longest: dt.timedelta, note: str = ""
    ) -> dt.timedelta:
        """Read the duration at ``key``: text like ``"24h"``, from 0 or 1 s up to ``longest``."""
        zero_allowed = key.startswith("booking.early_arrival") or key == "booking.arrival_tolerance"
        if isinstance(value, dt.timedelta):
            parsed = value
        elif not isinstance(value, str):
            self._fail(key, value, "a duration like '24h' or '30m'")
        else:
            try:
                parsed = parse_duration(value)
            except ValueError as err:
                msg = f"{key}: {err}"
                raise StandardError(msg) from None
        if parsed <= dt.timedelta(0) and not zero_allowed:
            self._fail(key, value, "a positive duration")
        if parsed > longest:
            self._fail(key, value, _range_words(longest, zero=zero_allowed) + note)
        return parsed

    def _time(self, value: object, key: str) -> dt.time:
        if isinstance(value, dt.time):
            return value
        if not isinstance(value, str):
            self._fail(key, value, "a time of day like '08:00'")
        try:
            return _parse_time(value)
        except ValueError as err:
            msg = f"{key}: {err}"
            raise StandardError(msg) from None

    def _range(self, value: object, key: str) -> TimeRange:
        if not isinstance(value, list) or len(value) != 2:
            self._fail(key, value, "a pair of times like ['20:00', '08:00']")
        return TimeRange(self._time(value[0], key), self._time(value[1], key))

    def _ranges(self, value: object, key: str) -> tuple[TimeRange, ...]:
        if not isinstance(value, list):
            self._fail(key, value, "a list of pairs like [['08:00', '12:00']]")
        return tuple(self._range(span, key) for span in value)

    def _build(self, key: str, cls: Callable[..., T], **kwargs: Any) -> T:
        try:
            return cls(**kwargs)
        except StandardError as err:
            msg = f"{key}: {err.message}"
            raise StandardError(msg) from None

    def _clock(self, clocks: Mapping[str, Any], name: str, base: ClockRule) -> ClockRule:
        table = self._table(clocks, name, f"clocks.{name}")
        self._known(table, f"clocks.{name}", {"basis", "city", "countryside", "all"})
        basis = base.basis
        if "basis" in table:
            try:
                basis = ClockBasis(table["basis"])
            except ValueError:
                self._fail(f"clocks.{name}.basis", table["basis"], "'wall' or 'service'")
        areas = {}
        for area in ("city", "countryside"):
            given = self._table(table, "all", f"clocks.{name}.all") | self._table(
                table, area, f"clocks.{name}.{area}"
            )
            self._known(given, f"clocks.{name}.{area}", {t.value for t in Tier})
            current = getattr(base, area)
            note = ""
            if name == "repair":
                ceiling = LEGAL_REPAIR_CEILING[Area(area)]
                note = f", and by law at most {format_duration(ceiling)} (F4)"
            areas[area] = TierLimits(
                **{
                    tier.value: self._duration(
                        given.get(tier.value, current.for_tier(tier)),
                        f"clocks.{name}.{area}.{tier.value}",
                        _LONGEST_CLOCK_LIMIT,
                        note,
                    )
                    for tier in Tier
                }
            )
        return ClockRule(base.rule, basis, areas["city"], areas["countryside"])

    def _planning(self, table: Mapping[str, Any]) -> dict[str, Any]:
        self._known(table, "planning", {"speed_kmh", "road_factor", "lunch", "durations"})
        fields: dict[str, Any] = {}
        for key, name in (("speed_kmh", "travel_speed"), ("road_factor", "road_factor")):
            if key in table:
                value = table[key]
                if isinstance(value, bool) or not isinstance(value, float | int) or value <= 0:
                    self._fail(f"planning.{key}", value, "a positive number")
                fields[name] = _validate.as_float(value)
        if "lunch" in table:
            lunch = self._range(table["lunch"], "planning.lunch")
            if lunch.wraps_midnight:
                self._fail("planning.lunch", table["lunch"], "a range that ends after it starts")
            fields["lunch_break"] = lunch
        if "durations" in table:
            given = self._table(table, "durations", "planning.durations")
            self._known(given, "planning.durations", {k.value for k in OrderKind})
            own = {(k, p): d for k, p, d in ServiceDurations.default().table}
            for kind, row in given.items():
                where = f"planning.durations.{kind}"
                row = self._table(given, kind, where)
                self._known(row, where, {p.value for p in Product})
                for product, text in row.items():
                    own[OrderKind(kind), Product(product)] = self._duration(
                        text, f"{where}.{product}", _LONGEST_VISIT
                    )
            fields["service_durations"] = ServiceDurations(own)
        return fields

    def _dates(self, value: object) -> tuple[DateOverride, ...]:
        if not isinstance(value, list):
            self._fail("calendar.dates", value, "an array of tables [[calendar.dates]]")
        out = []
        for i, item in enumerate(value):
            key = f"calendar.dates[{i}]"
            if not isinstance(item, dict):
                self._fail(key, item, "a table with date, hours and note")
            self._known(item, key, {"date", "hours", "note"})
            day = item.get("date")
            if not isinstance(day, dt.date) or isinstance(day, dt.datetime):
                self._fail(f"{key}.date", day, "a TOML date like 2027-02-06")
            note = item.get("note", "")
            if not isinstance(note, str):
                self._fail(f"{key}.note", note, "text")
            out.append(DateOverride(day, self._ranges(item.get("hours", []), f"{key}.hours"), note))
        return tuple(out)


# --- TOML writing ----------------------------------------------------------------


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def _q(text: str) -> str:
    escaped = (
        text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    )
    escaped = "".join(c if c.isprintable() or c == " " else _escape(c) for c in escaped)
    return f'"{escaped}"'


def _span(span: TimeRange) -> str:
    return f"[{_q(_format_time(span.start))}, {_q(_format_time(span.end))}]"


def _limits(limits: TierLimits) -> str:
    body = ", ".join(f"{t.value} = {_q(format_duration(v))}" for t, v in limits.items())
    return "{ " + body + " }"


def _write_toml(s: ServiceStandard) -> str:
    lines = [
        "# Service standard (装维上门服务规范) for fieldservice",
        "# Read it with fieldservice.ServiceStandard.from_toml(); check it with",
        "# `fieldservice standard check FILE`. Rule IDs refer to the standard's rules.",
        f"name = {_q(s.name)}",
        f"timezone = {_q(s.timezone)}",
        f"domain = {_q(s.domain)}  # calendar UIDs end in @domain",
        "",
        "[hours]",
        f"quiet = {_span(s.quiet_hours)}  # B6: no visits, no calls",
        f"midday = {_q(_format_time(s.midday))}  # B2: morning / afternoon split",
    ]
    if s.weekly_hours:
        lines += ["", "[hours.weekly]  # days whose hours differ (split shifts)"]
        for day, spans in s.weekly_hours:
            lines.append(f"{WEEKDAYS[day]} = [{', '.join(_span(r) for r in spans)}]")
    early = ", ".join(_q(format_duration(v)) for v in s.early_arrival)
    lines += [
        "",
        "[booking]",
        f"lead_time = {_q(format_duration(s.lead_time))}  # B5",
        f"arrival_window = {_q(format_duration(s.arrival_window))}  # C1",
        f"confirm_by = {_q(_format_time(s.confirm_by))}  # C1",
        f"call_ahead = {_q(format_duration(s.call_ahead))}  # C2",
        f"early_arrival = [{early}]  # T2",
        f"arrival_tolerance = {_q(format_duration(s.arrival_tolerance))}  # T2: late after the hour's start",
        "",
        "[knock]  # K1-K2",
        f"rounds = {s.knock.rounds}",
        f"knocks_per_round = {s.knock.knocks_per_round}",
        f"repeat_every = {_q(format_duration(s.knock.repeat_every))}",
        f"call_after = {_q(format_duration(s.knock.call_after))}",
        "",
        "[remote]",
        f"follow_up = {_q(format_duration(s.follow_up))}  # F2",
        "",
        "[contact]",
        f"hotline = {_q(s.hotline)}  # L4: the number a customer is told to call",
        "",
        "[clocks]",
        f"at_risk_share = {s.at_risk_share!r}",
    ]
    for name in ("booking_contact", "resource_notice", "repair"):
        rule: ClockRule = getattr(s, name)
        lines += [
            "",
            f"[clocks.{name}]  # {rule.rule}",
            f"basis = {_q(rule.basis.value)}",
            f"city = {_limits(rule.city)}",
            f"countryside = {_limits(rule.countryside)}",
        ]
    years = ", ".join(str(y) for y in s.confirmed_years)
    lines += [
        "",
        "[calendar]",
        f"holidays = {_q(s.holiday_country)}",
        f"close_visits_on_holidays = {str(s.close_visits_on_holidays).lower()}",
        f"close_clocks_on_holidays = {str(s.close_clocks_on_holidays).lower()}",
        f"unconfirmed_years = {_q(s.unconfirmed_years.value)}",
        f"confirmed_years = [{years}]",
    ]
    for override in s.date_overrides:
        lines += [
            "",
            "[[calendar.dates]]",
            f"date = {override.date.isoformat()}",
            f"hours = [{', '.join(_span(r) for r in override.hours)}]",
            f"note = {_q(override.note)}",
        ]
    lines += [
        "",
        "[planning]  # B7: the day plan's examples; replace with the branch's own",
        f"speed_kmh = {float(s.travel_speed)!r}",
        f"road_factor = {float(s.road_factor)!r}",
    ]
    if s.lunch_break is not None:
        lines.append(f"lunch = {_span(s.lunch_break)}")
    lines += ["", "[planning.durations]"]
    for kind in OrderKind:
        row = ", ".join(
            f"{p.value} = {_q(format_duration(d))}"
            for k, p, d in s.service_durations.table
            if k is kind
        )
        lines.append(f"{kind.value} = {{ {row} }}")
    lines += ["", "[sources]"]
    lines += [f"{_q(rule)} = {_q(text)}" for rule, text in s._sources]
    return "\n".join(lines) + "\n"
