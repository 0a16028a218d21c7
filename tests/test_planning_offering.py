"""Capacity-aware offering and holds (B2, B5, B6, M1, B7)."""

from __future__ import annotations

import datetime as dt

import pytest
from _planning_days import at, member, team

import fieldservice as fs
from fieldservice.planning import Hold, PlanInputError, hold, offer_windows

NOW = at(10, day=24)


def fresh(
    oid: str, kind: str = "install", products: tuple[str, ...] = ("broadband",)
) -> fs.WorkOrder:
    cust = fs.Customer(id=f"C-{oid}", name="张三", phones="13800138000", address="幸福路 1 号")
    if kind == "repair":
        return fs.WorkOrder.repair(
            id=oid, customer=cust, products=set(products), reported_at=NOW, by="hotline"
        )
    return fs.WorkOrder.install(
        id=oid, customer=cust, products=set(products), accepted_at=NOW, by="desk"
    )


def test_B5_an_install_is_offered_after_the_lead_time_and_a_repair_at_once() -> None:
    tm = team(member("T1"))
    install = offer_windows(fresh("I"), at=NOW, team=tm, count=1)
    repair = offer_windows(fresh("R", "repair"), at=NOW, team=tm, count=1)
    assert [str(w) for w in install] == ["2026-11-25 上午 morning"]
    assert [str(w) for w in repair] == ["2026-11-24 上午 morning"]


def test_B7_a_full_half_day_is_not_offered() -> None:
    # One technician until noon: a morning holds two 90-minute installs with travel.
    tm = team(member("T1", shift=fs.TimeRange(dt.time(8), dt.time(12))))
    window = fs.AppointmentWindow(dt.date(2026, 11, 25), "morning")
    held = [hold(window, fresh(f"H{i}"), until=NOW.add(minutes=15)) for i in range(2)]
    offered = offer_windows(fresh("X"), at=NOW, team=tm, plan=held, count=1)
    assert offered[0] != window
    assert offer_windows(fresh("X"), at=NOW, team=tm, plan=held[:1], count=1) == (window,)


def test_M1_only_technicians_skilled_for_every_product_count() -> None:
    tm = team(
        member("T1", products={"broadband"}),
        member("T2", products={"broadband", "iptv"}, daily_cap=1),
    )
    window = fs.AppointmentWindow(dt.date(2026, 11, 25), "morning")
    taken = hold(window, fresh("H", products=("iptv",)), until=NOW.add(hours=1))
    offered = offer_windows(
        fresh("X", products=("broadband", "iptv")), at=NOW, team=tm, plan=[taken], count=1
    )
    assert offered[0].date == dt.date(2026, 11, 26)  # T2's cap is used on the 25th
    with pytest.raises(PlanInputError) as caught:
        offer_windows(
            fresh("Y", products=("fixed_line",)),
            at=NOW,
            team=team(member("T1", products={"broadband"})),
        )
    assert [(v.rule, v.code) for v in caught.value.violations] == [("M1", "no_skilled_technician")]


def test_B7_two_desks_the_last_slot_is_offered_once() -> None:
    # The branch's shared store of holds; each desk reads it, offers, and holds
    # in one step (the documented contract), one after the other.
    tm = team(member("T1", daily_cap=1))
    store: list[fs.WorkOrder | Hold] = []

    def desk(order: fs.WorkOrder, now: dt.datetime) -> fs.AppointmentWindow:
        first = offer_windows(order, at=now, team=tm, plan=store, count=1)[0]
        store.append(hold(first, order, until=now + dt.timedelta(minutes=10)))
        return first

    a = desk(fresh("A"), NOW)
    b = desk(fresh("B"), NOW.add(minutes=1))
    assert a.date == dt.date(2026, 11, 25)
    assert b.date == dt.date(2026, 11, 26)  # the 25th's only visit is held by desk A
    # Desk A's hold lapses unused: the 25th is offered again.
    later = offer_windows(fresh("C"), at=NOW.add(minutes=11), team=tm, plan=store, count=1)
    assert later[0].date == dt.date(2026, 11, 25)


def test_B7_a_hold_for_a_booked_order_counts_once() -> None:
    tm = team(member("T1", daily_cap=2))
    order = fresh("A")
    order.check_resources(True, at=NOW, by="desk")
    window = offer_windows(order, at=NOW, team=tm, count=1)[0]
    held = hold(window, order, until=NOW.add(minutes=30))
    order.book(window, at=NOW.add(minutes=1), by="desk")
    offered = offer_windows(fresh("B"), at=NOW.add(minutes=2), team=tm, plan=[order, held], count=1)
    assert offered == (window,)


def test_a_hold_is_a_value_that_lapses_at_until() -> None:
    h = hold(fs.AppointmentWindow(dt.date(2026, 11, 25), "morning"), fresh("A"), until=NOW)
    assert h == Hold(h.order_id, h.window, h.until, kind=h.kind, products=h.products)
    assert not h.live(NOW)
    assert h.live(NOW - dt.timedelta(seconds=1))
    with pytest.raises(fs.InvalidInput):
        hold(h.window, fresh("B"), until=dt.datetime(2026, 11, 24, 10))


@pytest.mark.parametrize("plan", [7, None, "WO-1"])
def test_regression_a_plan_that_is_not_orders_and_holds_is_refused_with_a_code(
    plan: object,
) -> None:
    # An outside probe passed a DayPlan as `plan=` (the name invites it) and got a bare
    # TypeError: anything not an iterable of orders and holds is InvalidInput.
    with pytest.raises(fs.InvalidInput) as refused:
        offer_windows(fresh("X"), at=NOW, team=team(member("T1")), plan=plan, count=1)  # type: ignore[arg-type]
    assert refused.value.code == "invalid_input"
    assert "WorkOrder and Hold" in str(refused.value)


def test_regression_a_day_plan_passed_as_plan_says_what_to_pass() -> None:
    from _planning_days import line

    from fieldservice.planning import plan_day

    tm = team(member("T1"))
    day = plan_day([], tm, dt.date(2026, 11, 25), travel=line({"depot": 0}), solver="greedy")
    with pytest.raises(fs.InvalidInput, match=r"got DayPlan.*orders a day plan was made from"):
        offer_windows(fresh("X"), at=NOW, team=tm, plan=day, count=1)  # type: ignore[arg-type]
