"""The day plan's iCalendar feed: quiet hours (B6, C2), revisions (B8, C1), languages, limits."""

from __future__ import annotations

import datetime as dt
import math

import icalendar
import pendulum
import pytest
from _planning_days import DAY, STD, at, line, member, order, places, team

import fieldservice as fs
from fieldservice.planning import DayPlan, Place, Route, Stop, plan_day

QUIET_ZH = "（免打扰时段20:00-08:00内，B6：勿致电客户，请人工决定）"
QUIET_EN = "(in the quiet hours 20:00-08:00, B6: do not call the customer; a person decides)"
CONFLICT = "X-FIELDSERVICE-QUIET-HOURS-CONFLICT"


def day_plan(orders: list[fs.WorkOrder], *, std: fs.ServiceStandard = STD, **kw: object) -> DayPlan:
    positions = {"depot": 0.0, **{o.id: 20.0 + 5 * i for i, o in enumerate(orders)}}
    return plan_day(
        orders,
        kw.pop("tm", None) or team(member("T1"), std=std),  # type: ignore[arg-type]
        DAY,
        travel=line(positions),
        places=places(o.id for o in orders),
        solver="greedy",
        **kw,  # type: ignore[arg-type]
    )


def entries(plan: DayPlan, technician: str = "T1") -> dict[str, icalendar.Event]:
    """The feed's VEVENTs by the order ID at the start of their UID."""
    cal = icalendar.Calendar.from_ical(plan.to_ical(technician))
    return {str(ev["UID"]).split(".")[0]: ev for ev in cal.walk("VEVENT")}


def order_entry(o: fs.WorkOrder) -> icalendar.Event:
    """The order calendar's VEVENT of the same order."""
    (ev,) = icalendar.Calendar.from_ical(fs.calendar.to_ical([o], itip=False)).walk("VEVENT")
    return ev


def fires(ev: icalendar.Event) -> dt.datetime:
    (alarm,) = ev.walk("VALARM")
    moment: dt.datetime = ev.start + alarm["TRIGGER"].dt
    return moment


# --- 1. a call in the quiet hours (B6, C2) --------------------------------------------------


def test_B6_a_plan_call_in_the_quiet_hours_keeps_its_time_and_is_flagged() -> None:
    # An 08:30 start: at the door 08:20, the C2 call 30 minutes before, 07:50, in 20:00-08:00.
    p = day_plan([order("A"), order("B", half="afternoon")])
    stops = {s.order_id: s for s in p.route("T1").stops}
    early, late = stops["A"], stops["B"]
    assert early.call_in_quiet_hours
    assert early.call_at == early.arrive - STD.call_ahead  # kept, not moved (a person decides)
    assert f"{early.call_at:%H:%M}" == "07:50"
    assert not late.call_in_quiet_hours
    records = {r["order_id"]: r for r in p.to_records()}
    assert records["A"]["call_in_quiet_hours"] is True
    assert records["B"]["call_in_quiet_hours"] is False


def test_B6_the_day_plan_feed_says_not_to_call_in_the_quiet_hours_as_the_order_calendar_does() -> (
    None
):
    a = order("A")
    p = day_plan([a, order("B", half="afternoon")])
    found = entries(p)
    quiet, fine = found["A"], found["B"]
    (alarm,) = quiet.walk("VALARM")
    text = str(alarm["DESCRIPTION"])
    assert QUIET_ZH in text
    assert QUIET_EN in text
    assert str(alarm[CONFLICT]) == "TRUE"
    assert fires(quiet) == p.route("T1").stops[0].call_at  # the alarm keeps the C2 time
    description = str(quiet["DESCRIPTION"])
    assert QUIET_ZH in description
    assert QUIET_EN in description
    # The order calendar words its flagged call the same way.
    (calendar_alarm,) = [
        x for x in order_entry(a).walk("VALARM") if str(x.get(CONFLICT, "")) == "TRUE"
    ]
    assert QUIET_ZH in str(calendar_alarm["DESCRIPTION"])
    # A call outside the quiet hours asks for the call, unflagged.
    (alarm,) = fine.walk("VALARM")
    assert CONFLICT not in alarm
    assert "勿致电" not in str(alarm["DESCRIPTION"])
    assert "call the customer of B 30 minutes before arrival (C2)" in str(alarm["DESCRIPTION"])
    assert "quiet hours" not in str(fine["DESCRIPTION"])


def test_B6_only_the_contact_is_told_about_a_call_in_the_quiet_hours() -> None:
    p = day_plan([order("A")], tm=team(member("T1"), member("T2")), crew={"A": 2})
    for route in p.routes:
        (stop,) = route.stops
        assert stop.call_in_quiet_hours  # the visit's call, whoever makes it
        (ev,) = entries(p, route.technician).values()
        (alarm,) = ev.walk("VALARM")
        if stop.contact:
            assert str(alarm[CONFLICT]) == "TRUE"
        else:  # M2: the others leave on time (T2) and make no call
            assert CONFLICT not in alarm
            assert "勿致电" not in str(alarm["DESCRIPTION"]) + str(ev["DESCRIPTION"])
            assert "(T2)" in str(alarm["DESCRIPTION"])
            assert fires(ev) == stop.depart


def test_B6_a_branch_that_narrows_the_quiet_hours_has_the_call_unflagged() -> None:
    # Confirmed to 08:00-09:00 (C1). The shift starts when the quiet hours end: with 08:00
    # and 20 minutes' travel the visit starts 08:30 (call 07:50), with 07:00 at 08:00 (07:20).
    calls = {}
    for end in (dt.time(8), dt.time(7)):
        std = STD.replace(quiet_hours=fs.TimeRange(dt.time(20), end))
        p = day_plan([order("A", confirm=8)], std=std)
        (stop,) = p.route("T1").stops
        (ev,) = entries(p).values()
        (alarm,) = ev.walk("VALARM")
        calls[end.hour] = (f"{stop.call_at:%H:%M}", stop.call_in_quiet_hours, CONFLICT in alarm)
    assert calls == {8: ("07:50", True, True), 7: ("07:20", False, False)}
    # The branch's own quiet hours are the ones the flagged text names.
    late = STD.replace(quiet_hours=fs.TimeRange(dt.time(21), dt.time(8, 30)))
    p = day_plan([order("A", confirm=9)], std=late)
    (stop,) = p.route("T1").stops
    assert stop.call_in_quiet_hours
    (ev,) = entries(p).values()
    assert "免打扰时段21:00-08:30内" in str(ev.walk("VALARM")[0]["DESCRIPTION"])
    assert "in the quiet hours 21:00-08:30" in str(ev["DESCRIPTION"])


def test_regression_stops_made_by_hand_keep_working_without_the_new_fields() -> None:
    start = pendulum.datetime(2026, 11, 26, 14, tz="Asia/Shanghai")
    stop = Stop(
        "WO-1",
        fs.OrderKind.INSTALL,
        fs.Tier.GOLD,
        frozenset({fs.Product.BROADBAND}),
        "浦东",
        Place("x"),
        start,
        start.add(hours=1),
        start.subtract(minutes=10),
        start.subtract(minutes=30),
        start.subtract(minutes=40),
        dt.timedelta(minutes=20),
        ("T1",),
        True,
        False,
    )
    assert (stop.call_in_quiet_hours, stop.sequence, stop.stamp) == (False, 0, None)
    p = DayPlan(DAY, (Route("T1", (stop,), None, None, dt.timedelta(0)),), (), "greedy", "UTC")
    (ev,) = entries(p).values()
    assert ev["SEQUENCE"] == 0
    assert ev["DTSTAMP"].dt == dt.datetime(1970, 1, 1, tzinfo=dt.UTC)  # never after writing


# --- 2. SEQUENCE and DTSTAMP: a re-plan after the visit moved updates the entry ----------------


def test_C1_a_re_plan_after_the_confirmation_raises_the_feed_sequence() -> None:
    a, b = order("A", half="afternoon"), order("B", half="afternoon")
    before = entries(day_plan([a, b]))["A"]
    a.confirm(17, at=at(8), by="desk")
    after = entries(day_plan([a, b]))["A"]
    assert after["UID"] == before["UID"]
    assert after.start != before.start
    assert after["SEQUENCE"] > before["SEQUENCE"]
    # The day plan and the order calendar count the revision, and stamp it, alike.
    calendar = order_entry(a)
    assert after["SEQUENCE"] == calendar["SEQUENCE"] == 1
    assert after["DTSTAMP"].dt == calendar["DTSTAMP"].dt == at(8).in_timezone("UTC")
    assert before["DTSTAMP"].dt < after["DTSTAMP"].dt


def test_B8_a_re_plan_after_a_reschedule_on_the_day_raises_the_feed_sequence() -> None:
    a = order("A")
    before = entries(day_plan([a]))["A"]
    a.reschedule(
        fs.AppointmentWindow(DAY, "afternoon"),
        at=at(9, day=25),
        by="desk",
        requested_by="customer",
        reason="出差",
        consent=True,
    )
    after = entries(day_plan([a]))["A"]
    assert after["UID"] == before["UID"]
    assert after["SEQUENCE"] == before["SEQUENCE"] + 1 == order_entry(a)["SEQUENCE"]
    assert after["DTSTAMP"].dt == at(9, day=25).in_timezone("UTC")


def test_regression_the_feed_stamp_is_the_orders_last_event_not_the_planned_day() -> None:
    # DTSTAMP was 00:00 UTC of the planned day: later than a plan written the day before.
    a = order("A", half="afternoon")
    last = a.events[-1].at
    data = day_plan([a]).to_ical("T1")
    (ev,) = entries(day_plan([a])).values()
    assert ev["DTSTAMP"].dt == last.in_timezone("UTC")
    assert ev["DTSTAMP"].dt < dt.datetime(DAY.year, DAY.month, DAY.day, tzinfo=dt.UTC)
    assert data == day_plan([a]).to_ical("T1")  # deterministic from the plan's inputs
    (stop,) = day_plan([a]).route("T1").stops
    assert stop.stamp == last
    assert stop.sequence == 0


# --- 3. Chinese and English, as the order calendar writes them -------------------------------


def test_regression_the_day_plan_feed_is_written_in_chinese_and_english() -> None:
    a = order("A", "gold", half="afternoon")
    r = order("R", kind="repair", products=("broadband", "fixed_line"), half="afternoon")
    p = day_plan([a, r])
    found = entries(p)
    seq = {s.order_id: n for n, s in enumerate(p.route("T1").stops, start=1)}
    assert str(found["A"]["SUMMARY"]) == f"{seq['A']}. 装机：宽带 / install: broadband (A)"
    assert str(found["R"]["SUMMARY"]) == (
        f"{seq['R']}. 修障：固话、宽带 / repair: fixed line, broadband (R)"
    )
    # The kind and products read as the order calendar's SUMMARY does.
    assert str(found["A"]["SUMMARY"]).split(" ", 1)[1].startswith(str(order_entry(a)["SUMMARY"]))
    stop = p.route("T1").stops[seq["A"] - 1]
    assert str(found["A"]["DESCRIPTION"]).splitlines() == [
        "工单 order: A",
        "客户级别 tier: 金卡 gold",
        f"出发 leave (T2): {stop.depart:%H:%M}",
        f"到达 arrive (T2): {stop.arrive:%H:%M}",
        f"致电客户 call the customer (C2): {stop.call_at:%H:%M}",
    ]
    (alarm,) = found["A"].walk("VALARM")
    assert str(alarm["DESCRIPTION"]) == (
        "上门前30分钟致电客户：A / call the customer of A 30 minutes before arrival (C2)"
    )


def test_M2_a_crews_feeds_name_the_contact_in_chinese_and_english() -> None:
    p = day_plan([order("A", half="afternoon")], tm=team(member("T1"), member("T2")), crew={"A": 2})
    texts = {}
    for route in p.routes:
        (stop,) = route.stops
        (ev,) = entries(p, route.technician).values()
        (alarm,) = ev.walk("VALARM")
        texts[stop.contact] = (str(ev["DESCRIPTION"]), str(alarm["DESCRIPTION"]), stop.crew)
    description, reminder, crew = texts[True]
    assert f"装维人员 technicians (M2, contact first): {', '.join(crew)}" in description
    assert f"联系人 customer's contact (M2): {crew[0]}（您 you）" in description
    assert "致电客户" in reminder
    description, reminder, crew = texts[False]
    assert f"{crew[0]}，由其致电客户 / {crew[0]} calls the customer" in description
    assert "致电客户 call the customer (C2)" not in description
    assert reminder == (
        "出发：前往A，比约定时间提前10分钟到达 / departure: leave for A to arrive 10 minutes early (T2)"
    )


def test_G1_the_bilingual_feed_still_hides_an_order_id_that_may_hold_a_phone() -> None:
    phone_id = "WO-13800138000"
    cust = fs.Customer(
        id="C-1",
        name="张三丰",
        phones="13800138000",
        address=fs.Address(region="浦东", detail="幸福路 1 号"),
    )
    o = fs.WorkOrder.install(
        id=phone_id, customer=cust, products={"broadband"}, accepted_at=at(9, day=24), by="desk"
    )
    o.check_resources(True, at=at(9, day=24), by="desk")
    o.book((DAY, "morning"), at=at(10, day=24), by="desk")
    p = day_plan([o])
    text = p.to_ical("T1").decode().replace("\r\n ", "")
    for personal in ("13800138000", "张", "幸福路"):
        assert personal not in text
    (ev,) = entries(p).values()
    assert str(ev["SUMMARY"]) == "1. 装机：宽带 / install: broadband (an order ID not shown)"
    assert "工单 order: (an order ID not shown)" in str(ev["DESCRIPTION"])
    assert "致电客户：(an order ID not shown)" in str(ev.walk("VALARM")[0]["DESCRIPTION"])


# --- 4. a time limit that is not one ----------------------------------------------------------


@pytest.mark.parametrize(
    "limit",
    [
        math.nan,
        math.inf,
        -math.inf,
        1e308,
        -1e308,
        -1,
        0,
        10**30,
        3601,
        dt.timedelta(hours=2),
        dt.timedelta(0),
        "10",
        True,
        None,
    ],
)
def test_regression_plan_day_refuses_a_time_limit_that_is_not_one(limit: object) -> None:
    # NaN gave ValueError, inf and 1e308 OverflowError, from timedelta(seconds=...).
    with pytest.raises(fs.InvalidInput, match="time_limit is how long the solver may search") as e:
        day_plan([order("A")], time_limit=limit)
    assert e.value.code == "invalid_input"


def test_regression_a_time_limit_is_checked_as_a_number_before_it_becomes_a_timedelta() -> None:
    # The bounds hold as before: more than 0 and at most an hour, in seconds or a timedelta.
    for limit in (0.5, 1, 3600, dt.timedelta(seconds=1), dt.timedelta(hours=1)):
        assert day_plan([order("A")], time_limit=limit).route("T1").stops
    for limit in (math.nan, 3600.000001, math.nextafter(0, 1) * -1):
        with pytest.raises(fs.InvalidInput, match=r"at most an hour \(got "):
            day_plan([order("A")], time_limit=limit)
