"""The day plan (B7, G4, M1, M2, T2, C1, C2, B6) on hand-made days whose best plan is known."""

from __future__ import annotations

import datetime as dt

import pytest
from _planning_days import (
    DAY,
    STD,
    at,
    line,
    member,
    order,
    places,
    team,
)

import fieldservice as fs
from fieldservice.planning import (
    Place,
    PlanInputError,
    TravelMatrix,
    plan_day,
)
from fieldservice.planning import _ortools as ortools_module

SOLVERS = ["greedy", "ortools"]
QUICK = dt.timedelta(seconds=1)


def plan(orders, tm, positions, solver, **kw):  # type: ignore[no-untyped-def]
    keys = [o.id for o in orders]
    return plan_day(
        orders,
        tm,
        DAY,
        travel=line(positions),
        places=places(keys),
        time_limit=QUICK,
        solver=solver,
        **kw,
    )


def hm(moment: dt.datetime) -> str:
    return f"{moment:%H:%M}"


@pytest.mark.parametrize("solver", SOLVERS)
def test_B7_diamond_served_first_when_the_morning_is_full(solver: str) -> None:
    # One technician until noon; three 90-minute morning installs: two fit.
    orders = [order("A", "ordinary"), order("B", "diamond"), order("C", "gold")]
    tm = team(member("T1", shift=fs.TimeRange(dt.time(8), dt.time(12))))
    p = plan(orders, tm, {"depot": 0, "A": 0, "B": 0, "C": 0}, solver)
    assert {s.order_id for s in p.routes[0].stops} == {"B", "C"}
    assert [(x.order_id, x.rule, x.code) for x in p.left_out] == [("A", "B7", "day_full")]
    assert p.served == {fs.Tier.DIAMOND: 1, fs.Tier.GOLD: 1}


@pytest.mark.parametrize("solver", SOLVERS)
def test_B7_travel_is_short_when_everything_fits(solver: str) -> None:
    orders = [order("A"), order("B"), order("C", half="afternoon")]
    tm = team(member("T1"))
    p = plan(orders, tm, {"depot": 0, "A": 10, "B": 20, "C": 30}, solver)
    assert [s.order_id for s in p.routes[0].stops] == ["A", "B", "C"]
    assert p.travel == dt.timedelta(minutes=60)
    assert p.left_out == ()


@pytest.mark.parametrize("solver", SOLVERS)
def test_B6_a_visit_that_would_run_into_the_quiet_hours_is_left_out(solver: str) -> None:
    # Confirmed for 19:00-20:00, 90 minutes on site: it would end after 20:00.
    orders = [order("A", "diamond", half="afternoon", confirm=19)]
    p = plan(orders, team(member("T1")), {"depot": 0, "A": 5}, solver)
    assert p.routes[0].stops == ()
    assert [(x.rule, x.code) for x in p.left_out] == [("B6", "no_time_before_quiet_hours")]


@pytest.mark.parametrize("solver", SOLVERS)
def test_B2_each_visit_starts_inside_its_booked_half_day(solver: str) -> None:
    orders = [order("A", half="morning"), order("B", half="afternoon"), order("C", half="morning")]
    p = plan(orders, team(member("T1")), {"depot": 0, "A": 5, "B": 6, "C": 7}, solver)
    stops = p.routes[0].stops
    assert sorted(s.order_id for s in stops) == ["A", "B", "C"]
    by_id = {o.id: o for o in orders}
    for stop in stops:
        low, high = by_id[stop.order_id].window.bounds(STD)
        assert low <= stop.start < high, stop.order_id


@pytest.mark.parametrize("solver", SOLVERS)
def test_C1_a_confirmed_visit_starts_inside_its_hour(solver: str) -> None:
    orders = [order("A", half="afternoon", confirm=15), order("B", half="afternoon")]
    p = plan(orders, team(member("T1")), {"depot": 0, "A": 5, "B": 6}, solver)
    by_id = {s.order_id: s for s in p.routes[0].stops}
    assert at(15) <= by_id["A"].start < at(16)
    assert at(12) <= by_id["B"].start < at(20)


@pytest.mark.parametrize("solver", SOLVERS)
def test_T2_arrive_ten_minutes_early_and_leave_after_travel(solver: str) -> None:
    orders = [order("A", half="afternoon", confirm=14)]
    p = plan(orders, team(member("T1")), {"depot": 0, "A": 35}, solver)
    stop = p.routes[0].stops[0]
    assert stop.arrive == stop.start - dt.timedelta(minutes=10)
    assert stop.depart == fs.departure_time(stop.start, dt.timedelta(minutes=35), STD)
    assert stop.travel == dt.timedelta(minutes=35)


@pytest.mark.parametrize("solver", SOLVERS)
def test_C2_call_the_customer_thirty_minutes_before_arriving(solver: str) -> None:
    p = plan([order("A")], team(member("T1")), {"depot": 0, "A": 5}, solver)
    stop = p.routes[0].stops[0]
    assert stop.call_at == stop.arrive - dt.timedelta(minutes=30)


@pytest.mark.parametrize("solver", SOLVERS)
def test_M2_a_crew_visit_has_both_technicians_at_once_and_one_contact(solver: str) -> None:
    orders = [order("A", "gold"), order("B"), order("C")]
    tm = team(member("T1"), member("T2", start=Place("far")))
    p = plan(orders, tm, {"depot": 0, "far": 40, "A": 20, "B": 5, "C": 38}, solver, crew={"A": 2})
    stops = [s for r in p.routes for s in r.stops if s.order_id == "A"]
    assert len(stops) == 2
    assert stops[0].start == stops[1].start
    assert sorted(s.contact for s in stops) == [False, True]
    assert set(stops[0].crew) == {"T1", "T2"}


@pytest.mark.parametrize("solver", SOLVERS)
def test_M2_a_crew_larger_than_the_skilled_team_is_left_out(solver: str) -> None:
    p = plan(
        [order("A")], team(member("T1"), member("T2")), {"depot": 0, "A": 5}, solver, crew={"A": 3}
    )
    assert [(x.rule, x.code) for x in p.left_out] == [("M2", "crew_too_large")]


@pytest.mark.parametrize("solver", SOLVERS)
def test_M1_a_visit_goes_to_a_technician_skilled_for_all_its_products(solver: str) -> None:
    orders = [order("A", products=("broadband", "iptv"))]
    tm = team(member("T1", products={"broadband"}), member("T2", start=Place("far")))
    p = plan(orders, tm, {"depot": 0, "far": 50, "A": 1}, solver)
    assert p.route("T2").stops[0].order_id == "A"
    assert p.route("T1").stops == ()


@pytest.mark.parametrize("solver", SOLVERS)
def test_G4_a_repair_comes_before_its_deadline_though_the_route_is_longer(solver: str) -> None:
    # Diamond repair reported 25 Nov 10:00: due (F4, 24 h) 26 Nov 10:00. The
    # shortest route does the install first and reaches the repair at 10:20.
    repair = order("R", "diamond", kind="repair", reported=at(10, day=25))
    install = order("I", "diamond")
    tm = team(member("T1", end=Place("home")))
    p = plan([install, repair], tm, {"depot": 0, "I": 5, "R": 30, "home": 40}, solver)
    stops = p.routes[0].stops
    assert [s.order_id for s in stops] == ["R", "I"]
    assert stops[0].start <= at(10)
    assert not stops[0].after_deadline


@pytest.mark.parametrize("solver", SOLVERS)
def test_B7_the_lunch_break_holds(solver: str) -> None:
    std = STD.replace(lunch_break=fs.TimeRange(dt.time(12), dt.time(13)))
    orders = [order(k, half="afternoon") for k in "ABCD"]
    tm = team(member("T1", shift=fs.TimeRange(dt.time(11), dt.time(18, 30))), std=std)
    p = plan(orders, tm, {"depot": 0, "A": 5, "B": 10, "C": 15, "D": 20}, solver)
    for s in p.routes[0].stops:
        assert s.end <= at(12) or s.start >= at(13)
    assert len(p.routes[0].stops) == 3  # 13:00-18:15 holds three 90-minute visits and travel


@pytest.mark.parametrize("solver", SOLVERS)
def test_B7_shift_and_daily_cap_hold(solver: str) -> None:
    orders = [order(k, half="afternoon") for k in "ABC"]
    tm = team(member("T1", daily_cap=2, shift=fs.TimeRange(dt.time(12), dt.time(20))))
    p = plan(orders, tm, {"depot": 0, "A": 5, "B": 10, "C": 15}, solver)
    r = p.routes[0]
    assert len(r.stops) == 2
    assert r.leave is not None
    assert r.back is not None
    assert r.leave >= at(12)
    assert r.back <= at(20)


def test_M1_a_visit_no_technician_can_do_is_a_coded_error_and_nothing_is_planned() -> None:
    orders = [order("A"), order("B", products=("iptv",))]
    with pytest.raises(PlanInputError) as caught:
        plan(
            orders,
            team(member("T1", products={"broadband"})),
            {"depot": 0, "A": 1, "B": 2},
            "greedy",
        )
    assert caught.value.code == "invalid_plan_input"
    assert [(v.rule, v.code) for v in caught.value.violations] == [("M1", "no_skilled_technician")]
    assert "order B" in str(caught.value)


@pytest.mark.parametrize(
    ("minutes", "code"),
    [
        ({("depot", "A"): 5}, "travel_missing"),
        ({("depot", "A"): 5, ("A", "depot"): -3}, "travel_negative"),
        ({("depot", "A"): 5, ("A", "depot"): float("nan")}, "travel_missing"),
    ],
)
def test_T2_a_travel_matrix_with_a_missing_or_negative_entry_is_a_coded_error(
    minutes: dict[tuple[str, str], float], code: str
) -> None:
    with pytest.raises(PlanInputError) as caught:
        plan_day(
            [order("A")],
            team(member("T1")),
            DAY,
            travel=TravelMatrix(minutes),
            places=places(["A"]),
            solver="greedy",
        )
    assert [(v.rule, v.code) for v in caught.value.violations] == [("T2", code)]
    assert "travel[A -> T1 start (depot)]" in str(caught.value)


def test_B6_a_shift_that_ends_before_it_starts_is_a_coded_error() -> None:
    with pytest.raises(PlanInputError) as caught:
        member("T1", shift=fs.TimeRange(dt.time(18), dt.time(9)))
    assert [(v.rule, v.code) for v in caught.value.violations] == [("B6", "shift_reversed")]
    assert "member T1.shift" in str(caught.value)


def test_B7_a_visit_without_a_place_is_a_coded_error() -> None:
    with pytest.raises(PlanInputError) as caught:
        plan_day([order("A")], team(member("T1")), DAY, solver="greedy")
    assert [v.code for v in caught.value.violations] == ["place_missing"]


def test_G1_coordinates_never_show_in_errors_repr_or_records() -> None:
    o = order("A")
    secret = (31.234567, 121.456789)
    assert "31.23" not in repr(Place("x", coordinates=secret))
    with pytest.raises(fs.InvalidInput) as caught:
        Place("x", coordinates=(91.5, 200.25))
    assert "91.5" not in str(caught.value)
    p = plan_day(
        [o],
        team(member("T1", start=Place("depot", coordinates=(31.2, 121.5)))),
        DAY,
        places={"A": Place("A", coordinates=secret)},
        solver="greedy",
    )
    text = repr(p) + str(p.to_records()) + p.to_ical("T1").decode()
    assert "31.234" not in text
    assert "幸福路" not in text
    assert "13800138000" not in text
    assert "张" not in text
    assert p.to_records(include_personal=True)[0]["lat"] == secret[0]


def test_C2_the_technicians_day_exports_as_ics_with_a_call_ahead_alarm() -> None:
    p = plan(
        [order("A", half="afternoon", confirm=14)],
        team(member("T1")),
        {"depot": 0, "A": 20},
        "greedy",
    )
    text = p.to_ical("T1").decode()
    assert "BEGIN:VEVENT" in text
    assert "DTSTART:20261126T060000Z" in text
    assert "TRIGGER:-PT40M" in text  # call 30 min before arriving 10 min early


def test_the_greedy_fallback_plans_when_ortools_is_not_installed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(ortools_module, "available", lambda: False)
    p = plan([order("A")], team(member("T1")), {"depot": 0, "A": 5}, "auto")
    assert p.solver == "greedy"
    with pytest.raises(fs.InvalidInput, match=r"fieldservice\[plan\]"):
        plan([order("A")], team(member("T1")), {"depot": 0, "A": 5}, "ortools")


def test_orders_of_other_days_and_states_are_not_planned() -> None:
    other = order("B")
    other.cancel(at=at(7), by="desk", reason="customer")
    p = plan([order("A"), other], team(member("T1")), {"depot": 0, "A": 5, "B": 6}, "greedy")
    assert [s.order_id for s in p.routes[0].stops] == ["A"]
    assert p.left_out == ()


def test_regression_the_day_plan_feed_UIDs_carry_the_standards_domain() -> None:
    # Issue 18: every UID is in the deployment's namespace; the day plan's feed said
    # "@fieldservice-plan" whatever the standard's domain.
    uids = {}
    for domain in ("fieldservice", "sh.example-telecom.cn"):
        p = plan_day(
            [order("A", half="afternoon", confirm=14)],
            team(member("T1"), std=STD.replace(domain=domain)),
            DAY,
            travel=line({"depot": 0, "A": 20}),
            places=places(["A"]),
            time_limit=QUICK,
            solver="greedy",
        )
        assert p.domain == domain
        found = [ln for ln in p.to_ical("T1").decode().splitlines() if ln.startswith("UID:")]
        assert len(found) == 1
        uids[domain] = found[0]
    # The default domain keeps the UIDs of earlier releases.
    assert uids["fieldservice"] == "UID:A.T1.2026-11-26@fieldservice-plan"
    assert uids["sh.example-telecom.cn"] == "UID:A.T1.2026-11-26@plan.sh.example-telecom.cn"
