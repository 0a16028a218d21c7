"""A zone's ``VTIMEZONE``: one definition per zone, the same in every calendar file.

A reader may keep the first VTIMEZONE it reads for a TZID for the whole process
(vobject does, and so Radicale): a file whose definition ended earlier than the next
file's visits would put those visits an hour off there. So a zone's VTIMEZONE never
depends on the visits: it starts on 1 January of the year before the first the library
reads (a time early on 1 January 1970 UTC is still 31 December 1969 west of Greenwich),
lists the zone's changes one RDATE per line (vobject keeps only the first date of an
RDATE list) until the yearly rule it has followed since, and gives that rule as an
RRULE, checked against the zone database for every year the library reads. Built from
the zone database that zoneinfo (and pendulum) read, not by icalendar's
Timezone.from_tzid(), whose search steps over changes less than 64 days apart (the
month of Ramadan, when Morocco's clocks go back an hour).

>>> print(vtimezone("Asia/Shanghai").to_ical().decode().splitlines()[:2])
['BEGIN:VTIMEZONE', 'TZID:Asia/Shanghai']
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import struct
import zoneinfo
from collections.abc import Iterable
from pathlib import Path
from typing import Final, NamedTuple

import icalendar

from fieldservice import _time

__all__ = ["vtimezone", "vtimezones"]

_VTZ_START: Final = dt.datetime(_time.FIRST_YEAR - 1, 1, 1)  # a wall time
# The rules are checked through this year: a local time of the last instant the library
# reads (the end of 2198, UTC) can be 1 January 2199.
_VTZ_LAST_YEAR: Final = _time.LAST_YEAR
_UNIX: Final = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_WALL_ZERO: Final = dt.datetime(1970, 1, 1)
_SECOND: Final = dt.timedelta(seconds=1)
_VTZ_END: Final = (dt.datetime(_VTZ_LAST_YEAR + 1, 1, 1, tzinfo=dt.UTC) - _UNIX) // _SECOND
_DAY: Final = 86_400
_WEEKDAYS: Final = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


class _ZoneState(NamedTuple):
    """What a zone's clocks show in one period: the UTC offset in seconds, summer time, the name."""

    offset: int
    dst: bool
    name: str


class _Change(NamedTuple):
    """A change of a zone's clocks: the instant (epoch seconds), before and after."""

    at: int
    before: _ZoneState
    after: _ZoneState

    @property
    def wall(self) -> dt.datetime:
        """The onset as RFC 5545 writes it (3.6.5): a local time in the offset before."""
        return _WALL_ZERO + dt.timedelta(seconds=self.at + self.before.offset)


def _zone_state(zone: dt.tzinfo, at: int) -> _ZoneState:
    local = (_UNIX + dt.timedelta(seconds=at)).astimezone(zone)
    offset = local.utcoffset()
    assert offset is not None  # a zone, never a naive time
    return _ZoneState(offset // _SECOND, bool(local.dst()), local.tzname() or "")


def _instant(wall: dt.datetime, offset: int) -> int:
    return (wall - _WALL_ZERO) // _SECOND - offset


def _listed_changes(tzid: str) -> list[int] | None:
    """The instants of change a zone's TZif file lists (RFC 8536), found as zoneinfo finds it.

    None where there is no such file to read: the zone is then scanned instead.
    """
    try:
        data = _tzif(tzid)
        if data is None or data[:4] != b"TZif":
            return None
        # The header's six counts; version 2 and later repeat the data with 64-bit times.
        is_ut, is_std, leaps, times, types, chars = struct.unpack(">6l", data[20:44])
        if leaps:  # right/*: instants that count leap seconds, which zoneinfo does not
            return None
        if data[4] == 0:
            return list(struct.unpack(f">{times}l", data[44 : 44 + 4 * times]))
        at = 44 + times * 5 + types * 6 + chars + is_std + is_ut
        if data[at : at + 4] != b"TZif":
            return None
        times = struct.unpack(">6l", data[at + 20 : at + 44])[3]
        return list(struct.unpack(f">{times}q", data[at + 44 : at + 44 + 8 * times]))
    except (OSError, ValueError, struct.error):
        return None


def _tzif(tzid: str) -> bytes | None:
    # Where zoneinfo looks: the folders of its TZPATH, then the tzdata package.
    for root in zoneinfo.TZPATH:
        path = Path(root, tzid)
        if path.is_file():
            return path.read_bytes()
    try:
        import importlib.resources

        *folders, name = tzid.split("/")
        package = importlib.resources.files(".".join(["tzdata.zoneinfo", *folders]))
        return package.joinpath(name).read_bytes()
    except ImportError:
        return None


def _scan(zone: dt.tzinfo, low: int, high: int) -> list[_Change]:
    """Every change of the zone's clocks in ``(low, high]``, a day at a time, to the second."""
    found = []
    at, state = low, _zone_state(zone, low)
    while at < high:
        step = min(_DAY, high - at)
        if _zone_state(zone, at + step) == state:
            at += step
            continue
        before, after = at, at + step  # the change lies in (before, after]
        while after - before > 1:
            middle = (before + after) // 2
            if _zone_state(zone, middle) == state:
                before = middle
            else:
                after = middle
        new = _zone_state(zone, after)
        found.append(_Change(after, state, new))
        at, state = after, new
    return found


def _month_length(year: int, month: int) -> int:
    return (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day


class _Rule(NamedTuple):
    """A yearly change at one wall time: a weekday in seven given days, or a fixed date.

    ``day`` is the first of the seven days (they may run into the next month), 0 for
    the last seven of the month; with no ``weekday``, the date itself.
    """

    month: int
    weekday: int | None
    day: int
    time: dt.time

    def date(self, year: int) -> dt.date:
        """The date of the change in ``year``."""
        if self.weekday is None:
            return dt.date(year, self.month, self.day)
        if self.day == 0:
            last = dt.date(year, self.month, _month_length(year, self.month))
            return last - dt.timedelta(days=(last.weekday() - self.weekday) % 7)
        first = dt.date(year, self.month, 1) + dt.timedelta(days=self.day - 1)
        return first + dt.timedelta(days=(self.weekday - first.weekday()) % 7)

    def wall(self, year: int) -> dt.datetime:
        """The onset in ``year``, a local time in the offset before."""
        return dt.datetime.combine(self.date(year), self.time)

    def rrules(self) -> list[tuple[int, str]]:
        """The RRULE of each month the change falls in: one, or two if the days run over."""
        month = self.month
        if self.weekday is None:
            return [(month, f"FREQ=YEARLY;BYMONTH={month};BYMONTHDAY={self.day}")]
        weekday = _WEEKDAYS[self.weekday]
        if self.day == 0:
            return [(month, f"FREQ=YEARLY;BYMONTH={month};BYDAY=-1{weekday}")]
        if self.day % 7 == 1 and self.day <= 22:
            return [(month, f"FREQ=YEARLY;BYMONTH={month};BYDAY={self.day // 7 + 1}{weekday}")]
        length = _month_length(2001, month)  # the seven days of a February rule end by the 28th
        days = {month: range(self.day, min(length, self.day + 6) + 1)}
        if self.day + 6 > length:
            days[month + 1] = range(1, self.day + 6 - length + 1)
        return [
            (m, f"FREQ=YEARLY;BYMONTH={m};BYDAY={weekday};BYMONTHDAY={','.join(map(str, listed))}")
            for m, listed in days.items()
        ]


def _yearly_rules(wall: dt.datetime) -> list[_Rule]:
    """The yearly rules a change at ``wall`` may follow, the usual forms first."""
    weekday, time = wall.weekday(), wall.time()
    usual: list[_Rule] = []
    others: list[_Rule] = []
    for back in range(7):
        first = wall.date() - dt.timedelta(days=back)
        if (first.month == 2 and first.day > 22) or (first.month == 12 and first.day > 25):
            continue  # seven days whose dates move with leap years, or run into the next year
        rule = _Rule(first.month, weekday, first.day, time)
        (usual if first.day % 7 == 1 and first.day <= 22 else others).append(rule)
    if wall.day > _month_length(wall.year, wall.month) - 7:
        usual.append(_Rule(wall.month, weekday, 0, time))
    if (wall.month, wall.day) != (2, 29):
        others.append(_Rule(wall.month, None, wall.day, time))
    return usual + others


def _holds(zone: dt.tzinfo, rule: _Rule, change: _Change, first_year: int) -> bool:
    """Whether the zone changes so by ``rule`` in every year from ``first_year`` on."""
    for year in range(first_year, _VTZ_LAST_YEAR + 1):
        at = _instant(rule.wall(year), change.before.offset)
        if _zone_state(zone, at - 1) != change.before or _zone_state(zone, at) != change.after:
            return False
    return True


_Rules = list[tuple[_Rule, _Change]]


def _zone_model(tzid: str, zone: dt.tzinfo) -> tuple[_ZoneState, list[_Change], _Rules]:
    """The zone from ``_VTZ_START`` on: its clocks then, its changes, and its yearly rules.

    The changes are those before the rules take over; each rule comes with its first change.
    """
    start = (_VTZ_START.replace(tzinfo=zone) - _UNIX) // _SECOND
    initial = _zone_state(zone, start)
    listed = _listed_changes(tzid)
    if listed is None:  # no file to read: every day scanned (a few tenths of a second)
        known = _scan(zone, start, _VTZ_END)
        return initial, *(_fit(zone, known, 2100, _VTZ_LAST_YEAR - 2) or (known, []))
    changes = []
    for at in listed:
        if start < at < _VTZ_END:
            before, after = _zone_state(zone, at - 1), _zone_state(zone, at)
            if before != after:
                changes.append(_Change(at, before, after))
    tail = max([start, *listed])
    if tail >= _VTZ_END:
        return initial, changes, []
    # After the file's last change, its POSIX TZ rule: the same changes every year. Two
    # whole years of them are scanned; each has to follow a yearly rule every year on.
    year = (_UNIX + dt.timedelta(seconds=tail)).year + 2
    until = (dt.datetime(year + 2, 1, 2, tzinfo=dt.UTC) - _UNIX) // _SECOND
    fitted = _fit(zone, changes + _scan(zone, tail, min(until, _VTZ_END)), year, year + 1)
    if fitted is None:  # as if there were no file: the same definition either way
        known = changes + _scan(zone, tail, _VTZ_END)
        fitted = _fit(zone, known, 2100, _VTZ_LAST_YEAR - 2) or (known, [])
    return initial, *fitted


def _fit(
    zone: dt.tzinfo, known: list[_Change], first: int, last: int
) -> tuple[list[_Change], _Rules] | None:
    """The changes before yearly rules take over, and the rules; None if none fit.

    ``known`` holds every change of the years up to ``last``. A rule is fitted to each
    change of ``first`` and checked every year from ``first`` through ``_VTZ_LAST_YEAR``;
    the changes of ``first`` to ``last`` must be exactly the rules' ones. The rules then
    start as early as they held.
    """
    rules: dict[tuple[_ZoneState, _ZoneState], tuple[_Rule, _Change]] = {}
    for change in known:
        if change.wall.year != first or (change.before, change.after) in rules:
            continue
        found = next(
            (
                rule
                for rule in _yearly_rules(change.wall)
                if rule.wall(first) == change.wall and _holds(zone, rule, change, first)
            ),
            None,
        )
        if found is None:
            return None
        rules[change.before, change.after] = (found, change)

    by_year: dict[int, list[_Change]] = {}
    for change in known:
        by_year.setdefault(change.wall.year, []).append(change)

    def by_rules(year: int) -> bool:
        had = sorted(by_year.get(year, ()))
        wanted = [
            _Change(_instant(rule.wall(year), c.before.offset), c.before, c.after)
            for rule, c in rules.values()
        ]
        return had == sorted(wanted)

    if not all(by_rules(year) for year in range(first, last + 1)):
        return None
    while first > _VTZ_START.year and by_rules(first - 1):
        first -= 1  # the rules held then too: fewer RDATEs
    starts = [
        (rule, _Change(_instant(rule.wall(first), c.before.offset), c.before, c.after))
        for rule, c in rules.values()
    ]
    return [c for c in known if c.wall.year < first], sorted(starts, key=lambda r: r[1])


@functools.lru_cache(maxsize=64)
def vtimezone(tzid: str) -> icalendar.Timezone | None:
    """The zone's ``VTIMEZONE``, the same in every file; None for a zone not in the database.

    Built once per zone (milliseconds); the exports write copies of it.
    """
    try:
        zone = zoneinfo.ZoneInfo(tzid)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return None  # a zone that cannot be described: the TZID alone must do
    initial, changes, rules = _zone_model(tzid, zone)
    while changes and changes[0].wall <= _VTZ_START:  # a change at the very start
        initial = changes.pop(0).after
    vtimezone = icalendar.Timezone()
    vtimezone.add("TZID", tzid)

    def observance(
        before: _ZoneState, after: _ZoneState, onset: dt.datetime
    ) -> icalendar.Component:
        made = icalendar.TimezoneDaylight() if after.dst else icalendar.TimezoneStandard()
        made.add("DTSTART", onset)
        made.add("TZNAME", after.name)
        made.add("TZOFFSETFROM", dt.timedelta(seconds=before.offset))
        made.add("TZOFFSETTO", dt.timedelta(seconds=after.offset))
        vtimezone.add_component(made)
        return made

    observance(initial, initial, _VTZ_START)
    # The changes by what they change, each with its first onset and one RDATE a later one.
    kinds: dict[tuple[int, _ZoneState], icalendar.Component] = {}
    for change in changes:
        kind = (change.before.offset, change.after)
        if kind in kinds:
            kinds[kind].add("RDATE", change.wall)
        else:
            kinds[kind] = observance(change.before, change.after, change.wall)
    for rule, change in rules:
        year = change.wall.year
        for month, rrule in rule.rrules():
            first = next(y for y in range(year, year + 400) if rule.date(y).month == month)
            made = observance(change.before, change.after, rule.wall(first))
            made.add("RRULE", icalendar.vRecur.from_ical(rrule))
    return vtimezone


def vtimezones(tzids: Iterable[str]) -> list[icalendar.Timezone]:
    """A copy of the ``VTIMEZONE`` of each TZID, in name order, as every export writes them."""
    found = (vtimezone(tzid) for tzid in sorted(tzids))
    return [copy.deepcopy(vtimezone) for vtimezone in found if vtimezone is not None]
