"""The service calendar: hours, holidays and make-up days, DST, and its numeric table."""

import datetime as dt
import sys
import threading
import zoneinfo
from concurrent.futures import ThreadPoolExecutor

import pendulum
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import fieldservice as fs
from fieldservice.servicecal import CalendarPurpose, ServiceCalendar

TZ = "Asia/Shanghai"
STD = fs.ServiceStandard.default()
H = dt.timedelta(hours=1)
HOLIDAYS_CLOSE = STD.replace(close_visits_on_holidays=True, close_clocks_on_holidays=True)
WEEKDAYS_ONLY = HOLIDAYS_CLOSE.replace(weekly_hours={5: (), 6: ()})
BERLIN = STD.replace(timezone="Europe/Berlin")
# Service hours 01:00-05:00 in Berlin, so that they hold the 02:00-03:00 DST changes.
BERLIN_NIGHT = BERLIN.replace(quiet_hours=fs.TimeRange(dt.time(5), dt.time(1)), midday=dt.time(3))


def at(
    y: int, mo: int, d: int, h: int = 0, mi: int = 0, s: int = 0, tz: str = TZ
) -> pendulum.DateTime:
    return pendulum.datetime(y, mo, d, h, mi, s, tz=tz)


def hours(cal: ServiceCalendar, day: dt.date) -> list[str]:
    return [str(r) for r in cal.hours_on(day)]


def dates(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


# --- B6: service hours --------------------------------------------------------------


def test_B6_default_calendar_is_open_0800_to_2000_every_day_holidays_included() -> None:
    cal = ServiceCalendar.for_visits(STD)
    for day in (dt.date(2026, 10, 1), dt.date(2026, 10, 4), dt.date(2026, 11, 29)):
        assert hours(cal, day) == ["08:00-20:00"]
    assert cal.is_open(at(2026, 10, 1, 8))
    assert cal.is_open(at(2026, 10, 1, 19, 59, 59))
    assert not cal.is_open(at(2026, 10, 1, 20))
    assert not cal.is_open(at(2026, 10, 1, 7, 59, 59))


def test_B6_a_branch_that_narrows_its_quiet_hours_is_open_until_2100() -> None:
    branch = STD.replace(quiet_hours=STD.quiet_hours.with_start(dt.time(21)))
    cal = ServiceCalendar.for_visits(branch)
    assert cal.is_open(at(2026, 11, 24, 20, 30))
    assert not cal.is_open(at(2026, 11, 24, 21))
    assert not ServiceCalendar.for_visits(STD).is_open(at(2026, 11, 24, 20, 30))


def test_B6_split_shifts_close_the_lunch_break() -> None:
    lunch = STD.replace(
        weekly_hours={
            0: (fs.TimeRange(dt.time(8), dt.time(12)), fs.TimeRange(dt.time(13), dt.time(18)))
        }
    )
    cal = ServiceCalendar.for_visits(lunch)
    assert hours(cal, dt.date(2026, 11, 23)) == ["08:00-12:00", "13:00-18:00"]  # a Monday
    assert not cal.is_open(at(2026, 11, 23, 12, 30))
    assert cal.next_open(at(2026, 11, 23, 12, 30)) == at(2026, 11, 23, 13)
    assert hours(cal, dt.date(2026, 11, 24)) == ["08:00-20:00"]


def test_B6_service_hours_that_wrap_midnight_are_split_per_date() -> None:
    night = STD.replace(quiet_hours=fs.TimeRange(dt.time(2), dt.time(20)), midday=dt.time(22))
    cal = ServiceCalendar.for_clocks(night)
    assert hours(cal, dt.date(2026, 11, 24)) == ["00:00-02:00", "20:00-00:00"]
    assert cal.service_time_between(at(2026, 11, 24, 19), at(2026, 11, 25, 3)) == 6 * H


# --- B6 with holidays: whole breaks, make-up days ------------------------------------

# The breaks of 2026 as the State Council announced them (国办发明电〔2025〕7号).
BREAKS_2026 = [
    (dt.date(2026, 1, 1), dt.date(2026, 1, 3)),
    (dt.date(2026, 2, 15), dt.date(2026, 2, 23)),
    (dt.date(2026, 4, 4), dt.date(2026, 4, 6)),
    (dt.date(2026, 5, 1), dt.date(2026, 5, 5)),
    (dt.date(2026, 6, 19), dt.date(2026, 6, 21)),
    (dt.date(2026, 9, 25), dt.date(2026, 9, 27)),
    (dt.date(2026, 10, 1), dt.date(2026, 10, 7)),
]
MAKEUP_DAYS_2026 = [
    dt.date(2026, 1, 4),
    dt.date(2026, 2, 14),
    dt.date(2026, 2, 28),
    dt.date(2026, 5, 9),
    dt.date(2026, 9, 20),
    dt.date(2026, 10, 10),
]


def test_B6_a_holiday_closed_calendar_closes_exactly_the_2026_breaks() -> None:
    cal = ServiceCalendar.for_visits(HOLIDAYS_CLOSE)
    closed = {d for first, last in BREAKS_2026 for d in dates(first, last)}
    for day in dates(dt.date(2026, 1, 1), dt.date(2026, 12, 31)):
        assert cal.is_service_day(day) is (day not in closed), day


def test_B6_the_national_day_break_is_closed_whole_weekend_included() -> None:
    cal = ServiceCalendar.for_visits(HOLIDAYS_CLOSE)
    # holidays lists 10-03 (a Saturday) but not 10-04 (a Sunday): the break closes both.
    assert [cal.is_service_day(d) for d in dates(dt.date(2026, 10, 1), dt.date(2026, 10, 8))] == [
        False, False, False, False, False, False, False, True,
    ]  # fmt: skip
    assert cal.next_open(at(2026, 9, 30, 20, 30)) == at(2026, 10, 8, 8)


def test_B6_make_up_days_open_a_weekday_only_calendar() -> None:
    cal = ServiceCalendar.for_visits(WEEKDAYS_ONLY)
    for day in MAKEUP_DAYS_2026:
        assert day.weekday() >= 5
        assert hours(cal, day) == ["08:00-20:00"], day
    assert not cal.is_service_day(dt.date(2026, 10, 11))  # an ordinary Sunday
    assert cal.next_open(at(2026, 10, 9, 20)) == at(2026, 10, 10, 8)


def test_B6_a_calendar_that_does_not_close_ignores_make_up_days_too() -> None:
    ordinary = STD.replace(weekly_hours={5: (), 6: ()})
    cal = ServiceCalendar.for_visits(ordinary)
    assert not cal.is_service_day(dt.date(2026, 10, 10))
    assert cal.is_service_day(dt.date(2026, 10, 1))


def test_B6_holidays_close_visits_and_clocks_separately() -> None:
    clocks_only = STD.replace(close_clocks_on_holidays=True)
    assert ServiceCalendar.for_visits(clocks_only).is_service_day(dt.date(2026, 10, 2))
    assert not ServiceCalendar.for_clocks(clocks_only).is_service_day(dt.date(2026, 10, 2))
    assert ServiceCalendar.for_clocks(clocks_only).closes_on_holidays
    assert not ServiceCalendar.for_visits(clocks_only).closes_on_holidays


def test_B6_no_holiday_country_means_no_holidays() -> None:
    cal = ServiceCalendar.for_visits(HOLIDAYS_CLOSE.replace(holiday_country=""))
    assert cal.is_service_day(dt.date(2026, 10, 1))
    assert not cal.closes_on_holidays


def test_B6_an_unknown_holiday_country_is_an_invalid_standard() -> None:
    with pytest.raises(fs.StandardError, match="holiday_country 'XX'") as info:
        ServiceCalendar.for_visits(HOLIDAYS_CLOSE.replace(holiday_country="XX"))
    assert info.value.code == "invalid_standard"


def test_B6_date_overrides_close_a_day_open_another_and_beat_the_holiday_data() -> None:
    typhoon = fs.DateOverride(dt.date(2026, 11, 25), hours=(), note="台风")
    short = fs.DateOverride(dt.date(2026, 11, 26), hours=(fs.TimeRange(dt.time(9), dt.time(11)),))
    open_in_break = fs.DateOverride(
        dt.date(2026, 10, 3), hours=(fs.TimeRange(dt.time(9), dt.time(12)),), note="值班"
    )
    std = WEEKDAYS_ONLY.replace(date_overrides=(typhoon, short, open_in_break))
    cal = ServiceCalendar.for_visits(std)
    assert hours(cal, dt.date(2026, 11, 25)) == []
    assert hours(cal, dt.date(2026, 11, 26)) == ["09:00-11:00"]
    assert hours(cal, dt.date(2026, 10, 3)) == ["09:00-12:00"]
    assert hours(cal, dt.date(2026, 10, 4)) == []
    assert cal.next_open(at(2026, 11, 24, 20)) == at(2026, 11, 26, 9)


# --- unconfirmed years ------------------------------------------------------------------


def test_B6_a_year_without_an_announcement_raises_by_default() -> None:
    cal = ServiceCalendar.for_clocks(HOLIDAYS_CLOSE)
    with pytest.raises(fs.CalendarNotCovered, match="2027") as info:
        cal.is_open(at(2027, 3, 1, 10))
    assert info.value.code == "calendar_not_covered"
    assert "confirmed_years" in str(info.value)
    assert "ordinary" in str(info.value)
    # A deadline that runs into the unconfirmed year raises too; one within 2026 does not.
    with pytest.raises(fs.CalendarNotCovered):
        cal.add_service_time(at(2026, 12, 31, 10), 24 * H)
    assert cal.add_service_time(at(2026, 12, 31, 10), 10 * H) == at(2026, 12, 31, 20)
    with pytest.raises(fs.CalendarNotCovered):
        cal.hours_on(dt.date(2027, 10, 1))


def test_B6_ordinary_policy_treats_an_unconfirmed_year_as_ordinary_weeks() -> None:
    std = HOLIDAYS_CLOSE.replace(unconfirmed_years=fs.UnconfirmedYears.ORDINARY)
    cal = ServiceCalendar.for_visits(std)
    assert cal.is_service_day(dt.date(2027, 10, 1))  # the holidays package's rules are not used
    assert not cal.is_service_day(dt.date(2026, 10, 1))


def test_B6_a_branch_confirms_a_year_with_the_official_list_in_its_toml() -> None:
    branch = fs.ServiceStandard.from_toml(
        """
        [calendar]
        close_visits_on_holidays = true
        confirmed_years = [2027]

        [[calendar.dates]]
        date = 2027-01-01
        hours = []
        note = "元旦"

        [[calendar.dates]]
        date = 2027-01-02
        hours = []
        note = "元旦"

        [[calendar.dates]]
        date = 2027-01-03
        hours = []
        note = "元旦"
        """
    )
    cal = ServiceCalendar.for_visits(branch)
    assert [cal.is_service_day(d) for d in dates(dt.date(2027, 1, 1), dt.date(2027, 1, 4))] == [
        False, False, False, True,
    ]  # fmt: skip
    # Only the branch's list counts in that year: the package's computed days do not.
    assert cal.is_service_day(dt.date(2027, 10, 1))


def test_B6_a_calendar_that_does_not_close_never_needs_confirmation() -> None:
    cal = ServiceCalendar.for_visits(STD)
    assert cal.is_open(at(2031, 5, 1, 10))


# --- times and DST ---------------------------------------------------------------------


def test_a_naive_datetime_raises_invalid_input() -> None:
    cal = ServiceCalendar.for_clocks(STD)
    naive = dt.datetime(2026, 11, 24, 10, 30)
    for call in (
        lambda: cal.is_open(naive),
        lambda: cal.next_open(naive),
        lambda: cal.add_service_time(naive, H),
        lambda: cal.service_time_between(at(2026, 11, 24), naive),
        lambda: cal.open_intervals(naive, at(2026, 11, 25)),
    ):
        with pytest.raises(fs.InvalidInput, match="naive") as info:
            call()
        assert info.value.code == "invalid_input"
    with pytest.raises(fs.InvalidInput):
        cal.is_open("2026-11-24T10:30+08:00")  # type: ignore[arg-type]


def test_bad_numbers_raise_invalid_input() -> None:
    cal = ServiceCalendar.for_clocks(STD)
    with pytest.raises(fs.InvalidInput):
        cal.add_service_time(at(2026, 11, 24), -H)
    with pytest.raises(fs.InvalidInput):
        cal.add_service_time(at(2026, 11, 24), 3)  # type: ignore[arg-type]
    with pytest.raises(fs.InvalidInput):
        cal.to_service_seconds("now")  # type: ignore[arg-type]
    with pytest.raises(fs.InvalidInput):
        cal.from_service_seconds(None)  # type: ignore[arg-type]
    with pytest.raises(fs.InvalidInput, match="1970 to 2198"):
        cal.is_open(at(2300, 1, 1))
    with pytest.raises(fs.InvalidInput):
        cal.to_service_seconds(float("nan"))


def test_any_aware_datetime_works_and_answers_come_in_the_standards_zone() -> None:
    cal = ServiceCalendar.for_clocks(STD)
    utc = dt.datetime(2026, 11, 24, 2, 30, tzinfo=dt.UTC)  # 10:30 in Shanghai
    deadline = cal.add_service_time(utc, 2 * H)
    assert isinstance(deadline, pendulum.DateTime)
    assert deadline == at(2026, 11, 24, 12, 30)
    assert deadline.timezone_name == TZ


def test_B6_dst_gap_day_in_berlin_has_three_hours_of_0100_to_0500() -> None:
    cal = ServiceCalendar.for_clocks(BERLIN_NIGHT)
    spring = at(2026, 3, 29, 0, tz="Europe/Berlin")
    assert cal.service_time_between(spring, spring.add(hours=6)) == 3 * H
    assert cal.add_service_time(at(2026, 3, 29, 1, tz="Europe/Berlin"), 1 * H) == at(
        2026, 3, 29, 3, tz="Europe/Berlin"
    )


def test_B6_dst_overlap_day_in_berlin_has_five_hours_of_0100_to_0500() -> None:
    cal = ServiceCalendar.for_clocks(BERLIN_NIGHT)
    autumn = at(2026, 10, 25, 0, tz="Europe/Berlin")
    assert cal.service_time_between(autumn, autumn.add(hours=8)) == 5 * H
    # 02:30 happens twice: 1.5 h after 01:00 is the first (summer time), 2.5 h the second.
    first_0230 = cal.add_service_time(at(2026, 10, 25, 1, tz="Europe/Berlin"), 1.5 * H)
    assert first_0230.fold == 0
    assert (first_0230.hour, first_0230.minute) == (2, 30)
    second_0230 = cal.add_service_time(at(2026, 10, 25, 1, tz="Europe/Berlin"), 2.5 * H)
    assert second_0230.fold == 1
    assert (second_0230.hour, second_0230.minute) == (2, 30)


def test_B6_a_time_in_the_dst_gap_means_the_moment_the_clocks_jump() -> None:
    from_0230 = fs.DateOverride(
        dt.date(2026, 3, 29), hours=(fs.TimeRange(dt.time(2, 30), dt.time(4)),)
    )
    cal = ServiceCalendar.for_clocks(BERLIN_NIGHT.replace(date_overrides=(from_0230,)))
    night = at(2026, 3, 29, 0, tz="Europe/Berlin")
    assert cal.open_intervals(night, night.add(hours=6)) == (
        (at(2026, 3, 29, 3, tz="Europe/Berlin"), at(2026, 3, 29, 4, tz="Europe/Berlin")),
    )


def test_B6_ordinary_hours_in_berlin_are_twelve_hours_on_both_dst_days() -> None:
    cal = ServiceCalendar.for_clocks(BERLIN)
    for day in (dt.date(2026, 3, 29), dt.date(2026, 10, 25)):
        midnight = pendulum.datetime(day.year, day.month, day.day, tz="Europe/Berlin")
        assert cal.service_time_between(midnight, midnight.add(days=1)) == 12 * H
    # Saturday 19:00 + 2 h: 1 h on Saturday, 1 h from 08:00 on the short Sunday.
    assert cal.add_service_time(at(2026, 3, 28, 19, tz="Europe/Berlin"), 2 * H) == at(
        2026, 3, 29, 9, tz="Europe/Berlin"
    )


# --- queries and the numeric interface ---------------------------------------------------


def test_add_service_time_ends_at_the_close_not_at_the_next_opening() -> None:
    cal = ServiceCalendar.for_clocks(STD)
    assert cal.add_service_time(at(2026, 11, 24, 8), 12 * H) == at(2026, 11, 24, 20)
    assert cal.add_service_time(at(2026, 11, 24, 8), 12 * H + dt.timedelta(seconds=1)) == at(
        2026, 11, 25, 8, 0, 1
    )
    assert cal.add_service_time(at(2026, 11, 24, 22), dt.timedelta(0)) == at(2026, 11, 24, 22)
    # 24 h of service time from 10:30: 9.5 h, 12 h, then 2.5 h.
    assert cal.add_service_time(at(2026, 11, 24, 10, 30), 24 * H) == at(2026, 11, 26, 10, 30)


def test_a_holiday_closed_clock_skips_the_national_day_break() -> None:
    cal = ServiceCalendar.for_clocks(HOLIDAYS_CLOSE)
    # 10 h on 09-30, then nothing until 10-08: 12 h, then 2 h on 10-09.
    assert cal.add_service_time(at(2026, 9, 30, 10), 24 * H) == at(2026, 10, 9, 10)
    assert cal.service_time_between(at(2026, 9, 30, 10), at(2026, 10, 9, 10)) == 24 * H
    assert cal.closed_intervals(at(2026, 9, 30, 19), at(2026, 10, 8, 9)) == (
        (at(2026, 9, 30, 20), at(2026, 10, 8, 8)),
    )


def test_service_time_between_is_signed() -> None:
    cal = ServiceCalendar.for_clocks(STD)
    a, b = at(2026, 11, 24, 18), at(2026, 11, 25, 9)
    assert cal.service_time_between(a, b) == 3 * H
    assert cal.service_time_between(b, a) == -3 * H


def test_service_seconds_count_from_the_origin_and_stand_still_when_closed() -> None:
    cal = ServiceCalendar.for_clocks(STD)
    assert cal.origin == at(2026, 1, 1)
    assert cal.to_service_seconds(cal.origin.timestamp()) == 0.0
    evening = at(2026, 1, 1, 20).timestamp()
    assert cal.to_service_seconds(evening) == 12 * 3600
    assert cal.to_service_seconds(evening + 3 * 3600) == 12 * 3600
    assert cal.to_service_seconds(at(2025, 12, 31, 19).timestamp()) == -3600
    # The inverse lands at the end of the interval that completes the amount.
    assert cal.from_service_seconds(12 * 3600) == evening
    assert cal.from_service_seconds(12 * 3600 + 1) == at(2026, 1, 2, 8, 0, 1).timestamp()
    assert cal.from_service_seconds(0.0) == at(2025, 12, 31, 20).timestamp()


def test_the_table_extends_both_ways_and_keeps_its_origin() -> None:
    cal = ServiceCalendar(STD, CalendarPurpose.CLOCKS)  # a fresh table, not the cached one
    inside = cal.to_service_seconds(at(2026, 6, 1, 9).timestamp())
    assert cal.to_service_seconds(at(1999, 6, 1, 9).timestamp()) < 0
    far = cal.to_service_seconds(at(2150, 6, 1, 9).timestamp())
    assert cal.to_service_seconds(at(2026, 6, 1, 9).timestamp()) == inside
    assert pendulum.from_timestamp(cal.from_service_seconds(far), TZ) == at(2150, 6, 1, 9)


def test_a_calendar_that_never_opens_says_so() -> None:
    never = STD.replace(weekly_hours=dict.fromkeys(range(7), ()))
    with pytest.raises(fs.CalendarNotCovered, match="no open time"):
        ServiceCalendar.for_visits(never).next_open(at(2026, 11, 24))


def test_calendars_compare_by_standard_and_purpose_and_are_cached() -> None:
    same = fs.ServiceStandard.from_toml(STD.to_toml())
    assert same is not STD
    assert ServiceCalendar.for_visits(same) is ServiceCalendar.for_visits(STD)
    assert ServiceCalendar.for_visits(STD) == ServiceCalendar(STD, "visits")
    assert ServiceCalendar.for_visits(STD) != ServiceCalendar.for_clocks(STD)
    assert len({ServiceCalendar.for_visits(STD), ServiceCalendar(STD, "visits")}) == 1
    assert "ServiceStandard 'default'" in repr(ServiceCalendar.for_visits(STD))
    with pytest.raises(fs.InvalidInput):
        ServiceCalendar.for_visits("default")  # type: ignore[arg-type]
    with pytest.raises(fs.InvalidInput):
        ServiceCalendar(STD, "lunch")


def test_the_calendar_cache_stays_one_calendar_per_standard_when_it_is_emptied() -> None:
    ServiceCalendar.for_visits(STD)  # cached by value and by the object's identity
    for n in range(130):  # more standards than the cache holds: it is emptied once
        ServiceCalendar.for_visits(STD.replace(name=f"branch-{n}"))
    same = fs.ServiceStandard.from_toml(STD.to_toml())
    assert ServiceCalendar.for_visits(same) is ServiceCalendar.for_visits(STD)


def test_a_calendar_is_immutable() -> None:
    cal = ServiceCalendar.for_visits(STD)
    with pytest.raises(AttributeError):
        cal.standard = HOLIDAYS_CLOSE  # type: ignore[misc]


def test_threads_extending_one_table_agree() -> None:
    std = WEEKDAYS_ONLY.replace(unconfirmed_years=fs.UnconfirmedYears.ORDINARY)
    starts = [at(2000 + (i * 7) % 60, 1 + i % 12, 1 + i % 28, i % 24) for i in range(120)]
    shared = ServiceCalendar(std, "clocks")
    go = threading.Event()

    def deadline(start: pendulum.DateTime) -> pendulum.DateTime:
        go.wait()  # start together, so that several threads extend the table at once
        return shared.add_service_time(start, 30 * H)

    with ThreadPoolExecutor(8) as pool:
        futures = [pool.submit(deadline, s) for s in starts]
        go.set()
        together = [f.result() for f in futures]
    alone = ServiceCalendar(std, "clocks")
    assert together == [alone.add_service_time(s, 30 * H) for s in starts]


# --- properties --------------------------------------------------------------------------

ZONES = [
    "Asia/Shanghai",
    "Europe/Berlin",
    "America/New_York",
    "Australia/Lord_Howe",
    "Asia/Kolkata",
]
QUIET = [
    fs.TimeRange(dt.time(20), dt.time(8)),
    fs.TimeRange(dt.time(21), dt.time(7, 30)),
    fs.TimeRange(dt.time(23), dt.time(6)),
]


def standards() -> st.SearchStrategy[fs.ServiceStandard]:
    return st.builds(
        lambda zone, quiet: STD.replace(timezone=zone, quiet_hours=quiet),
        st.sampled_from(ZONES),
        st.sampled_from(QUIET),
    )


def instants(first: int = 2000, last: int = 2060) -> st.SearchStrategy[pendulum.DateTime]:
    lo = pendulum.datetime(first, 1, 1).timestamp()
    hi = pendulum.datetime(last, 1, 1).timestamp()
    return st.integers(int(lo), int(hi)).map(lambda t: pendulum.from_timestamp(t, "UTC"))


@given(standards(), instants())
def test_is_open_matches_the_wall_clock_in_any_zone(
    std: fs.ServiceStandard, t: pendulum.DateTime
) -> None:
    cal = ServiceCalendar.for_clocks(std)
    local = t.in_timezone(std.timezone)
    assert cal.is_open(t) is std.service_hours.contains(local.time())
    assert (cal.next_open(t) == t) is cal.is_open(t)
    assert cal.is_open(cal.next_open(t))


@given(standards(), instants(), st.integers(0, 400 * 3600))
def test_add_service_time_and_service_time_between_are_inverse(
    std: fs.ServiceStandard, start: pendulum.DateTime, seconds: int
) -> None:
    cal = ServiceCalendar.for_clocks(std)
    duration = dt.timedelta(seconds=seconds)
    deadline = cal.add_service_time(start, duration)
    assert deadline >= start
    assert cal.service_time_between(start, deadline) == duration
    if seconds:
        # The earliest such instant: just before it, the duration is not yet reached.
        assert cal.service_time_between(start, deadline.subtract(seconds=1)) < duration


@given(standards(), instants(), instants())
@example(STD, pendulum.datetime(2000, 1, 1), pendulum.datetime(2015, 1, 1))  # b at an opening
def test_adding_the_time_between_reaches_b_or_the_close_before_it(
    std: fs.ServiceStandard, a: pendulum.DateTime, b: pendulum.DateTime
) -> None:
    a, b = min(a, b), max(a, b)
    cal = ServiceCalendar.for_clocks(std)
    reached = cal.add_service_time(a, cal.service_time_between(a, b))
    assert a <= reached <= b
    assert cal.service_time_between(reached, b) == dt.timedelta(0)
    if cal.is_open(b) and cal.is_open(b.subtract(seconds=1)):
        assert reached == b  # inside open time; at an opening it is the close before it


@given(standards(), instants(2020, 2030), st.integers(1, 2880))
def test_service_time_between_counts_open_minutes_on_the_wall_clock(
    std: fs.ServiceStandard, start: pendulum.DateTime, minutes: int
) -> None:
    start = start.set(second=0)
    cal = ServiceCalendar.for_clocks(std)
    zone = zoneinfo.ZoneInfo(std.timezone)
    first = int(start.timestamp())
    open_minutes = sum(
        std.service_hours.contains(dt.datetime.fromtimestamp(first + 60 * m, zone).time())
        for m in range(minutes)
    )
    assert cal.service_time_between(start, start.add(minutes=minutes)) == dt.timedelta(
        minutes=open_minutes
    )


@given(st.floats(-1e8, 1e9, allow_nan=False))
def test_service_seconds_round_trip(value: float) -> None:
    cal = ServiceCalendar.for_clocks(
        HOLIDAYS_CLOSE.replace(unconfirmed_years=fs.UnconfirmedYears.ORDINARY)
    )
    epoch = cal.from_service_seconds(value)
    assert cal.to_service_seconds(epoch) == pytest.approx(value, abs=1e-6)
    assert cal.to_service_seconds(epoch - 1e-3) < value


@given(instants(2000, 2060), st.integers(0, 100 * 3600))
def test_add_service_time_is_built_on_the_numeric_interface(
    start: pendulum.DateTime, seconds: int
) -> None:
    cal = ServiceCalendar.for_clocks(STD)
    expected = cal.from_service_seconds(cal.to_service_seconds(start.timestamp()) + seconds)
    got = cal.add_service_time(start, dt.timedelta(seconds=seconds))
    assert got.timestamp() == (expected if seconds else start.timestamp())


def test_B6_without_the_packages_private_table_announced_years_are_found_from_make_up_days(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from fieldservice import servicecal

    with servicecal._HOLIDAY_LOCK:
        servicecal._holidays_of("CN")  # loaded before its module disappears
    monkeypatch.setitem(sys.modules, "holidays.countries.china", None)  # import fails
    monkeypatch.setattr(servicecal, "_PACKAGE_YEARS", {})
    monkeypatch.setattr(servicecal, "_PACKAGE_CONFIRMS", {})
    with servicecal._HOLIDAY_LOCK:
        assert servicecal._announced_years("CN") is None
        assert servicecal._package_confirms("CN", 2026)
        assert not servicecal._package_confirms("CN", 2027)


# --- years not yet announced, estimated (policy "estimated") ------------------------------------

ESTIMATED = HOLIDAYS_CLOSE.replace(unconfirmed_years=fs.UnconfirmedYears.ESTIMATED)


def test_B6_estimated_policy_closes_the_holidays_the_package_computes_for_2027() -> None:
    cal = ServiceCalendar.for_visits(ESTIMATED)
    # The holidays package computes 2027 by rule: 1 Jan, Spring Festival from the eve, ...
    for day in (
        dt.date(2027, 1, 1),
        dt.date(2027, 2, 5),
        dt.date(2027, 2, 8),
        dt.date(2027, 10, 1),
    ):
        assert not cal.is_service_day(day), day
        assert cal.is_provisional(day)
    # ... and the weekend inside a break closes with it, as in announced years.
    assert not cal.is_service_day(dt.date(2027, 1, 3))
    assert cal.is_service_day(dt.date(2027, 3, 2))
    assert cal.is_provisional(dt.date(2027, 3, 2))  # every date of the year may still change
    # Announced years are not provisional and keep their official make-up days.
    assert not cal.is_provisional(dt.date(2026, 10, 10))
    assert cal.is_service_day(dt.date(2026, 10, 10))
    assert not cal.is_service_day(dt.date(2026, 10, 1))


def test_B6_estimated_deadlines_run_into_2027_and_say_they_are_provisional() -> None:
    cal = ServiceCalendar.for_clocks(ESTIMATED)
    start = at(2026, 12, 31, 10)
    deadline = cal.add_service_time(start, 24 * H)
    assert deadline == at(2027, 1, 5, 10)  # 1-3 January closed
    assert cal.provisional_between(start, deadline)
    assert not cal.provisional_between(start, at(2026, 12, 31, 20))
    assert cal.provisional_between(deadline, start)  # either order


def test_B6_a_branch_confirmed_year_is_never_provisional_nor_estimated() -> None:
    branch = ESTIMATED.replace(
        confirmed_years=(2027,),
        date_overrides=(fs.DateOverride(dt.date(2027, 1, 1), hours=(), note="元旦"),),
    )
    cal = ServiceCalendar.for_visits(branch)
    assert not cal.is_provisional(dt.date(2027, 2, 8))
    assert cal.is_service_day(dt.date(2027, 2, 8))  # the branch's list, not the estimate
    assert not cal.is_service_day(dt.date(2027, 1, 1))


def test_B6_only_a_calendar_that_closes_on_holidays_is_provisional() -> None:
    std = STD.replace(unconfirmed_years=fs.UnconfirmedYears.ESTIMATED)
    cal = ServiceCalendar.for_visits(std)
    assert not cal.is_provisional(dt.date(2027, 10, 1))
    assert cal.is_service_day(dt.date(2027, 10, 1))


def test_B6_is_provisional_takes_an_instant_and_refuses_anything_else() -> None:
    cal = ServiceCalendar.for_visits(ESTIMATED)
    assert cal.is_provisional(at(2027, 1, 1, 0, 30))
    assert not cal.is_provisional(at(2026, 12, 31, 23, 30))
    with pytest.raises(fs.InvalidInput):
        cal.is_provisional("2027-01-01")  # type: ignore[arg-type]
    with pytest.raises(fs.InvalidInput):
        cal.provisional_between(dt.datetime(2027, 1, 1), at(2027, 1, 2))


def test_B6_estimated_policy_reads_and_writes_toml() -> None:
    std = fs.ServiceStandard.from_toml('[calendar]\nunconfirmed_years = "estimated"\n')
    assert std.unconfirmed_years is fs.UnconfirmedYears.ESTIMATED
    assert fs.ServiceStandard.from_toml(std.to_toml()) == std


def test_regression_the_not_covered_error_names_the_estimated_policy() -> None:
    cal = ServiceCalendar.for_visits(HOLIDAYS_CLOSE)
    with pytest.raises(fs.CalendarNotCovered, match='"estimated"'):
        cal.hours_on(dt.date(2027, 10, 1))


@given(
    standard=st.sampled_from([STD, HOLIDAYS_CLOSE, WEEKDAYS_ONLY, BERLIN]),
    seconds=st.lists(st.integers(0, 365 * 86400 - 1), min_size=1, max_size=8),
)
def test_a_service_table_converts_as_its_calendar_does(
    standard: fs.ServiceStandard, seconds: list[int]
) -> None:
    # The table is what the compiled clock judge reads: its numbers are the calendar's.
    cal = ServiceCalendar.for_clocks(standard)
    base = pendulum.datetime(2026, 1, 1, tz=standard.timezone).timestamp()
    epochs = [base + s + 0.25 for s in seconds]
    table = cal.service_table(min(epochs), max(epochs))
    for epoch in epochs:
        assert table.lo <= epoch < table.hi
        value = cal.to_service_seconds(epoch)
        assert table.to_service_seconds(epoch) == value
        if table.total_lo < value <= table.total_hi:
            assert table.from_service_seconds(value) == cal.from_service_seconds(value)
