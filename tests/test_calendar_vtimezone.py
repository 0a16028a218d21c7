"""The VTIMEZONE of a zone: the same in every file, right for every instant the library reads.

vobject (and so Radicale) keeps the first VTIMEZONE it reads for a TZID for the whole
process and reads every later file's times with it: a definition that depended on the
file's visits put a later file's visits an hour off there. Each file is also read here
with its own VTIMEZONE (icalendar itself reads a known TZID with zoneinfo instead).
"""

import datetime as dt
import re
import zoneinfo
from collections.abc import Callable, Iterator

import icalendar
import pendulum
import pytest
import vobject
from _calendar_orders import STD, T7, Order, own_calendar, written
from hypothesis import example, given, settings
from hypothesis import strategies as st

import fieldservice as fs
from fieldservice import _time, _vtimezone
from fieldservice.calendar import add_timezones, feed, to_ical
from fieldservice.events import Event

_VTIMEZONE = re.compile(rb"BEGIN:VTIMEZONE\r\n.*?END:VTIMEZONE\r\n", re.DOTALL)
_FIRST = int(dt.datetime(_time.FIRST_YEAR, 1, 1, tzinfo=dt.UTC).timestamp())
_END = int(dt.datetime(_time.LAST_YEAR, 1, 1, tzinfo=dt.UTC).timestamp())  # not read
_VISIT = dt.timedelta(hours=4)


def order_at(zone: str, start: dt.datetime, order_id: str = "WO-1") -> Order:
    """An order booked for ``[start, start + 4 h)``, under a standard in ``zone``."""
    start = pendulum.instance(start).in_timezone(zone)
    end = start + _VISIT
    booked = Event(
        "booked", start, actor="desk", data={"start": start.isoformat(), "end": end.isoformat()}
    )
    return Order(order_id, (booked,), standard=STD.replace(timezone=zone))


EXPORTS: dict[str, Callable[[Order], bytes]] = {
    "to_ical": lambda o: to_ical([o]),
    "to_ical plain": lambda o: to_ical([o], itip=False),
    "write_ical": written,
    "feed": lambda o: feed(T7, [o], _EVER[0], _EVER[1]),
    "add_timezones": own_calendar,
}
_EVER = (dt.datetime(1970, 1, 1, tzinfo=dt.UTC), dt.datetime(2198, 12, 31, 23, 59, tzinfo=dt.UTC))


def vtimezones(data: bytes) -> list[bytes]:
    return _VTIMEZONE.findall(data)


@pytest.fixture
def fresh_vobject_zone() -> Iterator[Callable[[str], None]]:
    """Forget what vobject has kept of a TZID, as a new process would; put it back after."""
    kept: dict[str, object] = vars(vobject.icalendar)["__tzidMap"]
    saved = dict(kept)

    def forget(tzid: str) -> None:
        kept.pop(tzid, None)

    yield forget
    kept.clear()
    kept.update(saved)


# --- one definition per zone, whatever the visits' dates -------------------------------------


@pytest.mark.parametrize(
    "zone", ["Europe/London", "Asia/Shanghai", "Africa/Cairo", "Australia/Lord_Howe"]
)
def test_regression_every_file_carries_the_same_VTIMEZONE_whatever_its_visits_dates(
    zone: str,
) -> None:
    starts = [
        dt.datetime(1970, 1, 2, 10, tzinfo=dt.UTC),
        dt.datetime(2026, 6, 16, 9, 35, tzinfo=dt.UTC),
        dt.datetime(2040, 6, 16, 9, 35, tzinfo=dt.UTC),
        dt.datetime(2198, 12, 31, 8, tzinfo=dt.UTC),  # near the last instant the library reads
    ]
    blocks = set()
    for start in starts:
        order = order_at(zone, start)
        for name, export in EXPORTS.items():
            found = vtimezones(export(order))
            assert len(found) == 1, (name, start)
            blocks.add(found[0])
    (block,) = blocks  # byte for byte the same in every file
    assert block.startswith(f"BEGIN:VTIMEZONE\r\nTZID:{zone}\r\n".encode())


def test_a_zones_present_rule_is_one_RRULE_and_its_past_changes_one_RDATE_each() -> None:
    (block,) = vtimezones(
        to_ical([order_at("Europe/London", dt.datetime(2026, 6, 16, tzinfo=dt.UTC))])
    )
    # The EU rule since 1996: last Sunday of March and of October, 01:00 UTC.
    assert b"DTSTART:19960331T010000\r\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3\r\n" in block
    assert b"DTSTART:19961027T020000\r\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\r\n" in block
    assert block.count(b"\r\nRRULE:") == 2
    assert b"RDATE:19950326T010000\r\n" in block  # the last change before the rule
    assert not re.search(rb"RDATE:[^\r]*,", block)  # one date a line: vobject reads one a line
    assert len(block) < 2500  # the rule, not 230 years of dates


def test_a_change_that_no_single_month_holds_is_two_RRULEs() -> None:
    # Egypt ends summer time at 24:00 on the last Thursday of October: the Friday after it,
    # 26 October to 1 November.
    (block,) = vtimezones(
        to_ical([order_at("Africa/Cairo", dt.datetime(2026, 6, 16, tzinfo=dt.UTC))])
    )
    assert b"BYDAY=FR;BYMONTHDAY=26,27,28,29,30,31;BYMONTH=10\r\n" in block
    assert b"BYDAY=FR;BYMONTHDAY=1;BYMONTH=11\r\n" in block
    parsed = vobject.readOne(
        to_ical([order_at("Africa/Cairo", dt.datetime(2024, 6, 1, tzinfo=dt.UTC))]).decode()
    ).vtimezone.gettzinfo()
    # 31 October 2024 is the last Thursday: summer time until the end of that day.
    assert dt.datetime(2024, 10, 31, 23, 30, tzinfo=parsed).utcoffset() == dt.timedelta(hours=3)
    assert dt.datetime(2024, 11, 1, 1, tzinfo=parsed).utcoffset() == dt.timedelta(hours=2)


# --- vobject keeps the first definition it reads --------------------------------------------


def test_regression_vobject_reads_a_2040_visit_right_after_an_ordinary_calendar(
    fresh_vobject_zone: Callable[[str], None],
) -> None:
    zone = "Europe/London"
    fresh_vobject_zone(zone)
    ordinary = order_at(zone, dt.datetime(2026, 6, 16, 9, 35, tzinfo=dt.UTC))
    later = order_at(zone, dt.datetime(2040, 6, 16, 9, 35, tzinfo=dt.UTC), "WO-2")  # 10:35+01:00
    last = order_at(zone, dt.datetime(2198, 7, 1, 9, 35, tzinfo=dt.UTC), "WO-3")
    vobject.readOne(to_ical([ordinary]).decode())  # this week's calendar first
    for order in (later, last):
        data = to_ical([order])
        assert b"DTSTART;TZID=Europe/London:" in data
        start = vobject.readOne(data.decode()).vevent.dtstart.value
        expected = pendulum.parse(order.events[0].data["start"])
        assert start.utcoffset() == dt.timedelta(hours=1)
        assert start.timestamp() == expected.timestamp()


def test_regression_a_summer_time_suspended_for_a_month_is_in_the_VTIMEZONE() -> None:
    # Morocco leaves +01:00 for the month of Ramadan. icalendar's Timezone.from_tzid()
    # searches in steps of 64 days and missed such months: a visit in them read an hour off.
    zone = "Africa/Casablanca"
    starts = [
        dt.datetime(year, month, day, 9, tzinfo=dt.UTC)
        for year in range(2024, 2031)
        for month in range(1, 13)
        for day in (1, 10, 20)
    ]
    data = to_ical([order_at(zone, start, f"WO-{i}") for i, start in enumerate(starts)])
    cal = vobject.readOne(data.decode())
    own = cal.vtimezone.gettzinfo()  # this file's definition, not the one vobject kept
    read = [e.dtstart.value.replace(tzinfo=None).replace(tzinfo=own) for e in cal.vevent_list]
    assert [r.timestamp() for r in read] == [s.timestamp() for s in starts]


# --- every zone, every instant the library reads -------------------------------------------


def _accepted(zone: str) -> bool:
    try:
        STD.replace(timezone=zone)
    except fs.FieldServiceError:
        return False
    return True


ZONES = [zone for zone in sorted(zoneinfo.available_timezones()) if _accepted(zone)]


@given(
    zone=st.sampled_from(ZONES), epoch=st.integers(_FIRST, _END - 1 - int(_VISIT.total_seconds()))
)
@example(zone="America/New_York", epoch=_FIRST)  # 31 December 1969 there
@example(zone="Pacific/Kiritimati", epoch=_END - 1 - int(_VISIT.total_seconds()))  # 2199 there
@example(
    zone="Europe/London", epoch=int(dt.datetime(2040, 6, 16, 9, 35, tzinfo=dt.UTC).timestamp())
)
@example(
    zone="Europe/Berlin", epoch=int(dt.datetime(2100, 10, 31, 0, 30, tzinfo=dt.UTC).timestamp())
)
@settings(max_examples=60)
def test_icalendar_and_vobject_read_back_the_instantwritten_in_every_zone(
    zone: str, epoch: int
) -> None:
    start = dt.datetime.fromtimestamp(epoch, dt.UTC)
    data = to_ical([order_at(zone, start)], itip=False)
    (event,) = icalendar.Calendar.from_ical(data).walk("VEVENT")
    assert event.start.timestamp() == epoch
    read = vobject.readOne(data.decode())
    assert read.vevent.dtstart.value.timestamp() == epoch
    tzid = event["DTSTART"].params.get("TZID")
    if tzid is None:  # written in UTC: a zone that is UTC by another name, or a repeated hour
        return
    # The file's own VTIMEZONE, as a reader that has not seen the zone before reads it.
    (timezone,) = icalendar.Calendar.from_ical(data).walk("VTIMEZONE")
    own = timezone.to_tz(lookup_tzid=False)
    wall = event.start.replace(tzinfo=None)
    assert wall.replace(tzinfo=own).timestamp() == epoch
    assert wall.replace(tzinfo=read.vtimezone.gettzinfo()).timestamp() == epoch


def test_a_zone_file_that_cannot_be_read_gives_the_same_VTIMEZONE_from_a_scan(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Without the zone's TZif file the changes are found day by day from zoneinfo (slower):
    # the definition must not depend on which way it was made.
    zone = "Africa/Cairo"
    listed = _vtimezone.vtimezone(zone)
    assert listed is not None
    monkeypatch.setattr(_vtimezone, "_listed_changes", lambda tzid: None)
    _vtimezone.vtimezone.cache_clear()
    try:
        scanned = _vtimezone.vtimezone(zone)
        assert scanned is not None
        assert scanned.to_ical() == listed.to_ical()
    finally:
        _vtimezone.vtimezone.cache_clear()


def test_a_TZID_the_zone_database_lacks_gets_no_VTIMEZONE() -> None:
    mine = icalendar.Calendar()
    event = icalendar.Event()
    event.add("DTSTART", dt.datetime(2026, 6, 16, 10), parameters={"TZID": "Mars/Olympus_Mons"})
    mine.add_component(event)
    add_timezones(mine)
    assert mine.walk("VTIMEZONE") == []
