"""Half-day windows: B2 half-days, B5 lead time, B6 quiet hours and closed days, C1, T2."""

import datetime as dt

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

import fieldservice as fs
from fieldservice.appointments import (
    AppointmentWindow,
    ArrivalWindow,
    HalfDay,
    WindowCheck,
    check_arrival,
    check_window,
    departure_time,
    next_windows,
    validate_arrival,
    validate_window,
)
from fieldservice.servicecal import ServiceCalendar

TZ = "Asia/Shanghai"
STD = fs.ServiceStandard.default()
H = dt.timedelta(hours=1)
EXTENDED = STD.replace(quiet_hours=STD.quiet_hours.with_start(dt.time(21)))
SPLIT = STD.replace(
    weekly_hours={
        i: (fs.TimeRange(dt.time(8), dt.time(12)), fs.TimeRange(dt.time(13), dt.time(18)))
        for i in range(7)
    }
)
HOLIDAYS_CLOSE = STD.replace(close_visits_on_holidays=True)
WEEKDAYS_ONLY = HOLIDAYS_CLOSE.replace(weekly_hours={5: (), 6: ()})
MONDAY = dt.date(2026, 11, 23)
TUESDAY = dt.date(2026, 11, 24)
BOOKED_MON_1030 = pendulum.datetime(2026, 11, 23, 10, 30, tz=TZ)


def at(y: int, mo: int, d: int, h: int = 0, mi: int = 0, tz: str = TZ) -> pendulum.DateTime:
    return pendulum.datetime(y, mo, d, h, mi, tz=tz)


def w(day: dt.date, half: str) -> AppointmentWindow:
    return AppointmentWindow(day, half)


def rules(check: WindowCheck) -> list[tuple[str, str]]:
    return [(v.rule, v.code) for v in check.violations]


# --- B5: the lead time -------------------------------------------------------------------


def test_B5_booked_monday_1030_refuses_monday_afternoon() -> None:
    check = check_window(w(MONDAY, "afternoon"), BOOKED_MON_1030, STD)
    assert not check.ok
    assert rules(check) == [("B5", "before_lead_time")]
    assert check.earliest_arrival is None


def test_B5_booked_monday_1030_offers_tuesday_morning_only_from_1030() -> None:
    check = check_window(w(TUESDAY, "morning"), BOOKED_MON_1030, STD)
    assert check.ok
    assert check.violations == ()
    assert check.earliest_arrival == at(2026, 11, 24, 10, 30)


def test_B5_booked_monday_1030_accepts_tuesday_afternoon_whole() -> None:
    check = check_window(w(TUESDAY, "afternoon"), BOOKED_MON_1030, STD)
    assert check.ok
    assert check.earliest_arrival == at(2026, 11, 24, 12)


def test_B5_a_morning_with_less_than_one_arrival_window_left_is_refused() -> None:
    assert check_window(w(TUESDAY, "morning"), at(2026, 11, 23, 11), STD).ok  # 11:00-12:00 left
    late = check_window(w(TUESDAY, "morning"), at(2026, 11, 23, 11, 1), STD)
    assert rules(late) == [("B5", "before_lead_time")]


def test_B5_a_window_wholly_before_the_booking_is_in_the_past() -> None:
    check = check_window(w(dt.date(2026, 11, 20), "morning"), BOOKED_MON_1030, STD)
    assert rules(check) == [("B5", "in_the_past")]
    assert "before the booking" in check.violations[0].message
    # A window that ends at the very instant of the booking is past, too.
    at_noon = check_window(w(MONDAY, "morning"), at(2026, 11, 23, 12), STD)
    assert rules(at_noon) == [("B5", "in_the_past")]


def test_B5_the_lead_time_is_the_standards() -> None:
    two_days = STD.replace(lead_time=48 * H)
    assert not check_window(w(TUESDAY, "afternoon"), BOOKED_MON_1030, two_days).ok
    assert check_window(w(dt.date(2026, 11, 25), "morning"), BOOKED_MON_1030, two_days).ok


def test_B5_next_windows_start_with_tuesday_morning_from_1030() -> None:
    windows = next_windows(BOOKED_MON_1030, STD, count=4)
    assert windows == (
        w(TUESDAY, "morning"),
        w(TUESDAY, "afternoon"),
        w(dt.date(2026, 11, 25), "morning"),
        w(dt.date(2026, 11, 25), "afternoon"),
    )


# --- B6: quiet hours and closed days -------------------------------------------------------


def test_B6_a_2030_visit_is_refused() -> None:
    with pytest.raises(fs.InvalidAppointment) as info:
        w(TUESDAY, "afternoon").refine(dt.time(20, 30), STD)
    assert [(v.rule, v.code) for v in info.value.violations] == [("B6", "quiet_hours")]
    arrival = ArrivalWindow(at(2026, 11, 24, 20, 30), at(2026, 11, 24, 21, 30))
    assert ("B6", "quiet_hours") in rules(check_arrival(arrival, BOOKED_MON_1030, STD))


def test_B6_a_branch_with_hours_to_2100_accepts_2030() -> None:
    arrival = w(TUESDAY, "afternoon").refine(dt.time(20, 30), EXTENDED)
    assert arrival == ArrivalWindow(at(2026, 11, 24, 20, 30), at(2026, 11, 24, 21))
    assert check_arrival(arrival, BOOKED_MON_1030, EXTENDED).ok
    assert w(TUESDAY, "afternoon").end(EXTENDED) == at(2026, 11, 24, 21)


def test_B6_an_arrival_window_running_into_the_quiet_hours_is_refused() -> None:
    arrival = ArrivalWindow(at(2026, 11, 24, 19, 30), at(2026, 11, 24, 20, 30))
    assert rules(check_arrival(arrival, BOOKED_MON_1030, STD)) == [
        ("B6", "quiet_hours"),
        ("C1", "outside_half_day"),
    ]


def test_B6_a_holiday_closed_calendar_skips_national_day_and_opens_on_make_up_day() -> None:
    booked = at(2026, 9, 29, 10, 30)  # a Tuesday
    got = next_windows(booked, WEEKDAYS_ONLY, count=9)
    days = [
        dt.date(2026, 9, 30),
        dt.date(2026, 10, 8),
        dt.date(2026, 10, 9),
        dt.date(2026, 10, 10),  # 调休上班: a Saturday that works
        dt.date(2026, 10, 12),  # 10-11 is an ordinary Sunday
    ]
    expected = [w(d, h) for d in days for h in ("morning", "afternoon")][:9]
    assert got == tuple(expected)
    for day in (dt.date(2026, 10, d) for d in range(1, 8)):
        assert rules(check_window(w(day, "morning"), booked, WEEKDAYS_ONLY)) == [
            ("B6", "closed_day")
        ]
    seven_days = next_windows(booked, HOLIDAYS_CLOSE, count=3)
    assert [x.date for x in seven_days] == [
        dt.date(2026, 9, 30),
        dt.date(2026, 9, 30),
        dt.date(2026, 10, 8),
    ]


def test_B6_the_seed_serves_on_public_holidays() -> None:
    assert check_window(w(dt.date(2026, 10, 1), "morning"), at(2026, 9, 29), STD).ok


def test_B6_a_closed_day_in_the_past_lists_both_rules() -> None:
    check = check_window(w(dt.date(2026, 10, 2), "afternoon"), at(2026, 10, 20), HOLIDAYS_CLOSE)
    assert rules(check) == [("B5", "in_the_past"), ("B6", "closed_day")]


def test_B6_a_year_without_announced_holidays_is_not_guessed() -> None:
    with pytest.raises(fs.CalendarNotCovered):
        check_window(w(dt.date(2027, 2, 8), "morning"), at(2027, 2, 1), HOLIDAYS_CLOSE)


# --- B2: half-days -----------------------------------------------------------------------


def test_B2_half_days_of_the_seed_are_0800_1200_and_1200_2000() -> None:
    assert w(TUESDAY, "morning").bounds(STD) == (at(2026, 11, 24, 8), at(2026, 11, 24, 12))
    assert w(TUESDAY, "afternoon").bounds(STD) == (at(2026, 11, 24, 12), at(2026, 11, 24, 20))


def test_B2_with_split_shifts_the_afternoon_is_1300_1800() -> None:
    assert w(TUESDAY, "afternoon").bounds(SPLIT) == (at(2026, 11, 24, 13), at(2026, 11, 24, 18))


def test_B2_a_date_open_only_in_the_morning_has_no_afternoon() -> None:
    short = fs.DateOverride(TUESDAY, hours=(fs.TimeRange(dt.time(8), dt.time(11, 45)),))
    std = STD.replace(date_overrides=(short,))
    check = check_window(w(TUESDAY, "afternoon"), BOOKED_MON_1030, std)
    assert rules(check) == [("B2", "no_such_half_day")]
    with pytest.raises(fs.InvalidAppointment) as info:
        w(TUESDAY, "afternoon").bounds(std)
    assert info.value.violations == check.violations
    assert next_windows(BOOKED_MON_1030, std, count=2) == (
        w(TUESDAY, "morning"),
        w(dt.date(2026, 11, 25), "morning"),
    )


def test_B2_half_days_on_berlins_dst_days() -> None:
    night = STD.replace(
        timezone="Europe/Berlin",
        quiet_hours=fs.TimeRange(dt.time(5), dt.time(1)),
        midday=dt.time(3),
    )
    spring, autumn = dt.date(2026, 3, 29), dt.date(2026, 10, 25)
    morning = w(spring, "morning").bounds(night)
    assert morning[1] - morning[0] == H  # 01:00 CET to 03:00 CEST
    autumn_morning = w(autumn, "morning").bounds(night)
    assert autumn_morning[1] - autumn_morning[0] == 3 * H  # 01:00 CEST to 03:00 CET
    booked = at(2026, 3, 27, 12, tz="Europe/Berlin")
    assert w(spring, "morning") in next_windows(booked, night, count=4)


def test_B2_windows_convert_compare_and_print() -> None:
    assert AppointmentWindow("2026-11-24", HalfDay.MORNING) == w(TUESDAY, "morning")
    assert AppointmentWindow(pendulum.date(2026, 11, 24), "morning") == w(TUESDAY, "morning")
    assert sorted([w(TUESDAY, "afternoon"), w(MONDAY, "afternoon"), w(TUESDAY, "morning")]) == [
        w(MONDAY, "afternoon"),
        w(TUESDAY, "morning"),
        w(TUESDAY, "afternoon"),
    ]
    assert str(w(TUESDAY, "morning")) == "2026-11-24 上午 morning"
    assert HalfDay.AFTERNOON.label_zh == "下午"
    for bad in (
        lambda: AppointmentWindow(TUESDAY, "evening"),
        lambda: AppointmentWindow(at(2026, 11, 24), "morning"),
        lambda: AppointmentWindow("24/11/2026", "morning"),
    ):
        with pytest.raises(fs.InvalidInput):
            bad()


# --- C1: the second confirmation, to the hour ---------------------------------------------


def test_C1_refine_gives_one_hour_inside_the_half_day() -> None:
    assert w(TUESDAY, "afternoon").refine(14, STD) == ArrivalWindow(
        at(2026, 11, 24, 14), at(2026, 11, 24, 15)
    )
    # The last hour is cut at the half-day's end.
    assert w(TUESDAY, "morning").refine(dt.time(11, 30), STD) == ArrivalWindow(
        at(2026, 11, 24, 11, 30), at(2026, 11, 24, 12)
    )


def test_C1_refine_outside_the_half_day_is_refused() -> None:
    with pytest.raises(fs.InvalidAppointment) as info:
        w(TUESDAY, "afternoon").refine(9, STD)
    assert [(v.rule, v.code) for v in info.value.violations] == [("C1", "outside_half_day")]
    with pytest.raises(fs.InvalidAppointment) as lunch:
        w(TUESDAY, "afternoon").refine(dt.time(12, 30), SPLIT)
    assert [v.code for v in lunch.value.violations] == ["outside_half_day"]


def test_C1_refine_rejects_what_is_not_an_hour() -> None:
    for bad in (24, -1, True, "14", dt.time(14, tzinfo=dt.UTC), dt.time(14, 0, 0, 5)):
        with pytest.raises(fs.InvalidInput):
            w(TUESDAY, "afternoon").refine(bad, STD)  # type: ignore[arg-type]


def test_C1_check_arrival_lists_every_broken_rule() -> None:
    long = ArrivalWindow(at(2026, 11, 24, 11), at(2026, 11, 24, 13))
    assert rules(check_arrival(long, BOOKED_MON_1030, STD)) == [
        ("C1", "outside_half_day"),
        ("C1", "arrival_window_too_long"),
    ]
    early = ArrivalWindow(at(2026, 11, 24, 9), at(2026, 11, 24, 10))
    assert rules(check_arrival(early, BOOKED_MON_1030, STD)) == [("B5", "before_lead_time")]
    past = ArrivalWindow(at(2026, 11, 20, 9), at(2026, 11, 20, 10))
    assert rules(check_arrival(past, BOOKED_MON_1030, STD)) == [("B5", "in_the_past")]
    closed = ArrivalWindow(at(2026, 10, 2, 9), at(2026, 10, 2, 10))
    assert rules(check_arrival(closed, at(2026, 9, 20), HOLIDAYS_CLOSE)) == [("B6", "closed_day")]
    good = ArrivalWindow(at(2026, 11, 24, 10, 30), at(2026, 11, 24, 11, 30))
    assert check_arrival(good, BOOKED_MON_1030, STD).earliest_arrival == good.start
    assert validate_arrival(good, BOOKED_MON_1030, STD).ok
    with pytest.raises(fs.InvalidAppointment):
        validate_arrival(early, BOOKED_MON_1030, STD)


def test_C1_an_arrival_window_must_end_after_it_starts() -> None:
    with pytest.raises(fs.InvalidInput):
        ArrivalWindow(at(2026, 11, 24, 14), at(2026, 11, 24, 14))
    with pytest.raises(fs.InvalidInput, match="naive"):
        ArrivalWindow(dt.datetime(2026, 11, 24, 14), at(2026, 11, 24, 15))  # type: ignore[arg-type]


# --- T2: departure ------------------------------------------------------------------------


def test_T2_departure_leaves_travel_time_plus_ten_minutes_ahead() -> None:
    arrival = w(TUESDAY, "afternoon").refine(14, STD)
    leave = departure_time(arrival, dt.timedelta(minutes=35), STD)
    assert leave == at(2026, 11, 24, 13, 15)
    assert departure_time(
        arrival.start, dt.timedelta(0), STD, margin=dt.timedelta(minutes=5)
    ) == at(2026, 11, 24, 13, 55)


def test_T2_a_margin_outside_five_to_ten_minutes_is_refused() -> None:
    with pytest.raises(fs.InvalidInput, match="T2"):
        departure_time(at(2026, 11, 24, 14), H, STD, margin=dt.timedelta(minutes=20))
    with pytest.raises(fs.InvalidInput):
        departure_time(at(2026, 11, 24, 14), -H, STD)


@given(st.integers(0, 240), st.integers(0, 23))
def test_T2_leaving_at_the_departure_time_arrives_five_to_ten_minutes_early(
    travel_minutes: int, hour: int
) -> None:
    arrival = at(2026, 11, 24, hour)
    travel = dt.timedelta(minutes=travel_minutes)
    early = arrival - (departure_time(arrival, travel, STD) + travel)
    shortest, longest = STD.early_arrival
    assert shortest <= early <= longest


# --- inputs and results ---------------------------------------------------------------------


def test_a_naive_datetime_raises_invalid_input() -> None:
    naive = dt.datetime(2026, 11, 23, 10, 30)
    for call in (
        lambda: check_window(w(TUESDAY, "morning"), naive, STD),  # type: ignore[arg-type]
        lambda: next_windows(naive, STD),
        lambda: next_windows(BOOKED_MON_1030, STD, after=naive),
        lambda: departure_time(naive, H, STD),
    ):
        with pytest.raises(fs.InvalidInput, match="naive") as info:
            call()
        assert info.value.code == "invalid_input"


def test_wrong_arguments_raise_invalid_input() -> None:
    with pytest.raises(fs.InvalidInput):
        check_window((TUESDAY, "morning"), BOOKED_MON_1030, STD)  # type: ignore[arg-type]
    with pytest.raises(fs.InvalidInput):
        check_window(w(TUESDAY, "morning"), BOOKED_MON_1030, "default")  # type: ignore[arg-type]
    with pytest.raises(fs.InvalidInput, match="1970 to 2198"):
        next_windows(at(2199, 12, 31, 12), STD)  # an instant the library does not read
    for count in (0, 1001, 2.5, True):
        with pytest.raises(fs.InvalidInput):
            next_windows(BOOKED_MON_1030, STD, count=count)  # type: ignore[arg-type]


def test_validate_window_raises_the_violations_check_window_lists() -> None:
    window = w(MONDAY, "afternoon")
    with pytest.raises(fs.InvalidAppointment) as info:
        validate_window(window, BOOKED_MON_1030, STD)
    assert info.value.code == "invalid_appointment"
    assert info.value.violations == check_window(window, BOOKED_MON_1030, STD).violations
    assert validate_window(w(TUESDAY, "afternoon"), BOOKED_MON_1030, STD).ok


def test_a_window_check_is_ok_exactly_when_nothing_is_broken() -> None:
    with pytest.raises(fs.InvalidInput):
        WindowCheck(ok=True, violations=(fs.Violation("B5", "in_the_past", "x"),))
    with pytest.raises(fs.InvalidInput):
        WindowCheck(ok=False, violations=())


def test_next_windows_pages_with_after() -> None:
    first = next_windows(BOOKED_MON_1030, STD, count=3)
    second = next_windows(BOOKED_MON_1030, STD, count=3, after=first[-1])
    assert first + second == next_windows(BOOKED_MON_1030, STD, count=6)
    friday = next_windows(BOOKED_MON_1030, STD, count=1, after=at(2026, 11, 27, 9))
    assert friday == (w(dt.date(2026, 11, 27), "afternoon"),)


def test_next_windows_stops_after_a_year() -> None:
    one_day = fs.DateOverride(TUESDAY, hours=(fs.TimeRange(dt.time(8), dt.time(20)),))
    std = STD.replace(weekly_hours=dict.fromkeys(range(7), ()), date_overrides=(one_day,))
    assert next_windows(BOOKED_MON_1030, std, count=4) == (
        w(TUESDAY, "morning"),
        w(TUESDAY, "afternoon"),
    )


# --- properties ------------------------------------------------------------------------------

ZONES = ["Asia/Shanghai", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe"]


def standards() -> st.SearchStrategy[fs.ServiceStandard]:
    branches = [STD, EXTENDED, SPLIT, STD.replace(lead_time=dt.timedelta(hours=2))]
    return st.builds(
        lambda base, zone: base.replace(timezone=zone),
        st.sampled_from(branches),
        st.sampled_from(ZONES),
    ) | st.just(WEEKDAYS_ONLY)


def bookings() -> st.SearchStrategy[pendulum.DateTime]:
    # In 2026, whose holidays are announced, and early enough that the next windows are too.
    lo = int(pendulum.datetime(2026, 1, 1).timestamp())
    hi = int(pendulum.datetime(2026, 12, 20).timestamp())
    return st.integers(lo, hi).map(lambda t: pendulum.from_timestamp(t, "UTC"))


def every_window(first: dt.date, last: dt.date) -> list[AppointmentWindow]:
    days = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    return [w(d, h) for d in days for h in ("morning", "afternoon")]


@given(standards(), bookings(), st.integers(1, 8))
def test_next_windows_pass_check_window_and_nothing_earlier_does(
    std: fs.ServiceStandard, booked: pendulum.DateTime, count: int
) -> None:
    got = next_windows(booked, std, count=count)
    assert len(got) == count
    assert list(got) == sorted(got)
    local_day = booked.in_timezone(std.timezone).date()
    candidates = every_window(local_day - dt.timedelta(days=1), got[-1].date)
    passing = [c for c in candidates if check_window(c, booked, std).ok and c <= got[-1]]
    assert passing == list(got)
    for window in got:
        check = check_window(window, booked, std)
        assert check.earliest_arrival is not None
        start, end = window.bounds(std)
        assert start <= check.earliest_arrival < end
        assert check.earliest_arrival >= booked + std.lead_time


@given(standards(), bookings(), st.integers(0, 23), st.integers(0, 59))
def test_refine_stays_inside_the_half_day_or_says_why_not(
    std: fs.ServiceStandard, booked: pendulum.DateTime, hour: int, minute: int
) -> None:
    window = next_windows(booked, std, count=1)[0]
    start, end = window.bounds(std)
    moment = dt.time(hour, minute)
    local = pendulum.instance(dt.datetime.combine(window.date, moment), tz=std.timezone)
    if start <= local < end and ServiceCalendar.for_visits(std).is_open(local):
        arrival = window.refine(moment, std)
        assert start <= arrival.start < arrival.end <= end
        assert arrival.duration <= std.arrival_window
        assert arrival.start == local
    else:
        with pytest.raises(fs.InvalidAppointment) as info:
            window.refine(moment, std)
        assert [v.code for v in info.value.violations] in (["quiet_hours"], ["outside_half_day"])


def test_B5_lead_time_override_applies_to_every_check() -> None:
    import datetime as _dt

    import pendulum as _p

    from fieldservice import (
        AppointmentWindow,
        ServiceStandard,
        check_arrival,
        check_window,
        next_windows,
    )
    from fieldservice.appointments import ArrivalWindow

    std = ServiceStandard.default()
    booked = _p.datetime(2026, 11, 24, 9, 10, tz="Asia/Shanghai")
    today = AppointmentWindow(_dt.date(2026, 11, 24), "afternoon")
    assert not check_window(today, booked, std).ok
    assert check_window(today, booked, std, lead_time=_dt.timedelta(0)).ok
    assert next_windows(booked, std, count=1, lead_time=_dt.timedelta(0)) == (
        AppointmentWindow(_dt.date(2026, 11, 24), "morning"),
    )
    arrival = ArrivalWindow(booked.add(hours=4), booked.add(hours=5))
    assert check_arrival(arrival, booked, std, lead_time=_dt.timedelta(0)).ok
    assert not check_arrival(arrival, booked, std).ok


# --- years not yet announced (B5, B6; policy "estimated") ---------------------------------------

ESTIMATED_STD = fs.ServiceStandard.default().replace(
    close_visits_on_holidays=True, unconfirmed_years=fs.UnconfirmedYears.ESTIMATED
)


def test_regression_B5_next_windows_from_2026_12_30_on_a_holiday_closed_calendar() -> None:
    booked = pendulum.datetime(2026, 12, 30, 10, 30, tz="Asia/Shanghai")
    raising = ESTIMATED_STD.replace(unconfirmed_years=fs.UnconfirmedYears.RAISE)
    with pytest.raises(fs.CalendarNotCovered):
        fs.next_windows(booked, raising, count=4)
    windows = fs.next_windows(booked, ESTIMATED_STD, count=4)
    assert [str(w) for w in windows] == [
        "2026-12-31 上午 morning",
        "2026-12-31 下午 afternoon",
        "2027-01-04 上午 morning",  # 1-3 January: the estimated New Year break
        "2027-01-04 下午 afternoon",
    ]
    assert [w.is_provisional(ESTIMATED_STD) for w in windows] == [False, False, True, True]


def test_B6_window_checks_on_estimated_dates_are_provisional() -> None:
    booked = pendulum.datetime(2026, 12, 30, 10, 30, tz="Asia/Shanghai")
    open_day = fs.check_window(
        fs.AppointmentWindow(dt.date(2027, 1, 4), "morning"), booked, ESTIMATED_STD
    )
    assert open_day.ok
    assert open_day.provisional
    closed = fs.check_window(
        fs.AppointmentWindow(dt.date(2027, 1, 1), "morning"), booked, ESTIMATED_STD
    )
    assert closed.codes == ("closed_day",)
    assert closed.provisional
    announced = fs.check_window(
        fs.AppointmentWindow(dt.date(2026, 12, 31), "morning"), booked, ESTIMATED_STD
    )
    assert announced.ok
    assert not announced.provisional
    start = pendulum.datetime(2027, 1, 4, 9, tz="Asia/Shanghai")
    arrival = fs.check_arrival(fs.ArrivalWindow(start, start.add(hours=1)), booked, ESTIMATED_STD)
    assert arrival.ok
    assert arrival.provisional


def test_B2_refine_refuses_an_hour_beyond_the_years_the_library_reads() -> None:
    # refine builds its window without the constructor's converters; the years they
    # check are checked still (found by a review: the window was returned, and the
    # constructor refused to build it again).
    std = fs.ServiceStandard.default().replace(timezone="America/Los_Angeles")
    with pytest.raises(fs.InvalidInput, match=r"^start must lie in the years 1970 to 2198"):
        AppointmentWindow(dt.date(2198, 12, 31), "afternoon").refine(19, std)
