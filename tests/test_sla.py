"""SLA clocks: hand-computed deadlines per rule, and properties over random logs."""

import datetime as dt
import math

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

import fieldservice as fs
from fieldservice.events import Event, EventKind
from fieldservice.sla import ClockName, ClockState, breaches, evaluate, evaluate_many, summarize

TZ = "Asia/Shanghai"
STD = fs.ServiceStandard.default()
H = dt.timedelta(hours=1)


def at(day: int, hour: int, minute: int = 0, second: int = 0) -> pendulum.DateTime:
    return pendulum.datetime(2026, 11, day, hour, minute, second, tz=TZ)


def ev(kind: str, when: pendulum.DateTime, **data: object) -> Event:
    return Event(kind, when, actor="desk", data=data)


def service_repair(std: fs.ServiceStandard = STD, **limits: str) -> fs.ServiceStandard:
    city = fs.TierLimits.of(
        **{"diamond": "24h", "gold": "36h", "silver": "48h", "ordinary": "48h", **limits}
    )
    return std.replace(
        repair=fs.ClockRule("F4", fs.ClockBasis.SERVICE, city, std.repair.countryside)
    )


# --- B3: contact to book, per tier ----------------------------------------------------


def test_B3_diamond_and_ordinary_accepted_together_get_different_deadlines() -> None:
    accepted = at(24, 10)
    diamond = evaluate([ev("accepted", accepted, tier="diamond")], at=accepted, standard=STD)
    ordinary = evaluate([ev("accepted", accepted, tier="ordinary")], at=accepted, standard=STD)
    # Diamond: 4 h of service time from 10:00 is 14:00 the same day.
    assert diamond[ClockName.BOOKING_CONTACT].deadline == at(24, 14)
    # Ordinary: 24 h of service time: 10 h on the 24th (to 20:00), 12 h on the 25th, 2 h on the 26th.
    assert ordinary[ClockName.BOOKING_CONTACT].deadline == at(26, 10)


def test_B3_first_contact_stops_the_clock_as_met() -> None:
    log = [ev("accepted", at(24, 10), tier="gold"), ev("contacted", at(24, 17))]
    status = evaluate(log, at=at(25, 12), standard=STD)[ClockName.BOOKING_CONTACT]
    assert status.state is ClockState.MET
    assert status.stopped == at(24, 17)
    assert status.elapsed == 7 * H


def test_B3_late_contact_is_breached() -> None:
    # Gold has 8 h: 10:00 + 8 h of service time is 18:00.
    log = [ev("accepted", at(24, 10), tier="gold"), ev("contacted", at(24, 18, 0, 1))]
    assert (
        evaluate(log, at=at(25, 12), standard=STD)["booking_contact"].state is ClockState.BREACHED
    )


def test_B3_an_order_accepted_in_quiet_hours_starts_counting_at_0800() -> None:
    log = [ev("accepted", at(24, 22), tier="diamond")]
    status = evaluate(log, at=at(25, 7), standard=STD)[ClockName.BOOKING_CONTACT]
    assert status.elapsed == dt.timedelta(0)
    assert status.deadline == at(25, 12)


def test_R3_resources_built_restart_the_booking_clock() -> None:
    log = [
        ev("accepted", at(24, 10), tier="silver"),
        ev("resources_missing", at(24, 11)),
        ev("resource_notice_given", at(24, 12)),
        ev("resources_built", at(26, 9)),
    ]
    status = evaluate(log, at=at(26, 10), standard=STD)[ClockName.BOOKING_CONTACT]
    assert status.started == at(26, 9)
    assert status.state is ClockState.RUNNING
    # Silver has 12 h of service time: 11 h on the 26th (09:00-20:00), 1 h on the 27th.
    assert status.deadline == at(27, 9)


# --- R1: resource-gap notice --------------------------------------------------------


def test_R1_resource_notice_in_time_is_met_and_late_is_breached() -> None:
    start = at(24, 10)
    log = [ev("accepted", start, tier="diamond"), ev("resources_missing", start)]
    on_time = [*log, ev("resource_notice_given", at(24, 19))]
    assert (
        evaluate(on_time, at=at(27, 0), standard=STD)[ClockName.RESOURCE_NOTICE].state
        is ClockState.MET
    )
    # Diamond has 12 h of service time: 10 h on the 24th, 2 h on the 25th -> 10:00.
    status = evaluate(log, at=at(25, 10, 0, 1), standard=STD)[ClockName.RESOURCE_NOTICE]
    assert status.deadline == at(25, 10)
    assert status.state is ClockState.BREACHED


# --- F2: remote follow-up ------------------------------------------------------------


def test_F2_follow_up_is_due_30_minutes_after_remote_guidance() -> None:
    log = [ev("reported", at(24, 10), tier="gold"), ev("remote_guidance_given", at(24, 10, 5))]
    status = evaluate(log, at=at(24, 10, 20), standard=STD)[ClockName.REMOTE_FOLLOW_UP]
    assert status.deadline == at(24, 10, 35)
    assert status.state is ClockState.RUNNING
    assert (
        evaluate(log, at=at(24, 10, 35, 1), standard=STD)["remote_follow_up"].state
        is ClockState.BREACHED
    )
    done = [*log, ev("followed_up", at(24, 10, 34), solved=True)]
    assert evaluate(done, at=at(24, 11), standard=STD)["remote_follow_up"].state is ClockState.MET


# --- F4 / G4: repair within the tier's limit -----------------------------------------


def test_F4_repair_limit_differs_by_tier_and_area() -> None:
    start = at(24, 10)
    city = evaluate([ev("reported", start, tier="diamond")], at=start, standard=STD)
    country = evaluate(
        [ev("reported", start, tier="ordinary", area="countryside")], at=start, standard=STD
    )
    assert city[ClockName.REPAIR].deadline == start.add(hours=24)
    assert country[ClockName.REPAIR].deadline == start.add(hours=72)


def test_F4_repair_reported_at_1930_on_a_service_time_clock_resumes_at_0800() -> None:
    std = service_repair(diamond="4h")
    log = [ev("reported", at(24, 19, 30), tier="diamond")]
    assert evaluate(log, at=at(24, 23), standard=std)["repair"].elapsed == dt.timedelta(minutes=30)
    assert evaluate(log, at=at(25, 8), standard=std)["repair"].elapsed == dt.timedelta(minutes=30)
    assert evaluate(log, at=at(25, 8, 30), standard=std)["repair"].elapsed == H
    # 30 min on the 24th, then 3.5 h from 08:00 on the 25th.
    assert evaluate(log, at=at(24, 20), standard=std)["repair"].deadline == at(25, 11, 30)


def test_F4_service_time_repair_is_capped_by_the_legal_ceiling() -> None:
    std = service_repair(gold="36h")
    log = [ev("reported", at(24, 19, 30), tier="gold")]
    # 36 h of service time would end on the 27th at 19:30; the law allows 48 h: the 26th, 19:30.
    assert evaluate(log, at=at(24, 20), standard=std)["repair"].deadline == at(26, 19, 30)


def test_F4_breached_exactly_one_second_after_the_deadline() -> None:
    log = [ev("reported", at(24, 10), tier="diamond")]
    deadline = at(25, 10)
    assert evaluate(log, at=deadline, standard=STD)["repair"].state is ClockState.RUNNING
    assert (
        evaluate(log, at=deadline.add(seconds=1), standard=STD)["repair"].state
        is ClockState.BREACHED
    )
    cleared_on_the_dot = [*log, ev("cleared", deadline)]
    assert (
        evaluate(cleared_on_the_dot, at=at(27, 0), standard=STD)["repair"].state is ClockState.MET
    )


def test_G4_customer_requested_delay_pauses_and_resumes() -> None:
    log = [
        ev("reported", at(24, 10), tier="diamond"),
        ev("clock_paused", at(24, 12), reason="customer_request"),
    ]
    paused = evaluate(log, at=at(24, 13), standard=STD)[ClockName.REPAIR]
    assert paused.state is ClockState.PAUSED
    assert paused.elapsed == 2 * H
    assert paused.deadline == at(25, 11)  # as if resumed now: 24 h + 1 h paused so far
    resumed = [*log, ev("clock_resumed", at(24, 15))]
    status = evaluate(resumed, at=at(24, 16), standard=STD)[ClockName.REPAIR]
    assert status.state is ClockState.RUNNING
    assert status.deadline == at(25, 13)
    assert status.elapsed == 3 * H
    assert [(p.start, p.end) for p in status.paused] == [(at(24, 12), at(24, 15))]


def test_B8_provider_reschedule_and_provider_delay_do_not_pause() -> None:
    log = [
        ev("reported", at(24, 10), tier="diamond"),
        ev(
            "rescheduled",
            at(24, 11),
            requested_by="provider",
            reason="traffic",
            consent=True,
            date="2026-11-25",
            half="morning",
            start=at(25, 8).isoformat(),
            end=at(25, 12).isoformat(),
        ),
        ev("clock_paused", at(24, 12), reason="provider_delay"),
    ]
    status = evaluate(log, at=at(24, 18), standard=STD)[ClockName.REPAIR]
    assert status.state is ClockState.RUNNING
    assert status.deadline == at(25, 10)
    assert status.paused == ()


def test_G4_a_pause_begun_after_the_deadline_does_not_save_the_clock() -> None:
    log = [
        ev("reported", at(24, 10), tier="diamond"),
        ev("clock_paused", at(25, 11), reason="waiting_for_customer"),
    ]
    assert evaluate(log, at=at(25, 12), standard=STD)["repair"].state is ClockState.BREACHED


def test_G4_a_second_pause_while_paused_is_not_counted_twice() -> None:
    log = [
        ev("reported", at(24, 10), tier="diamond"),
        ev("clock_paused", at(24, 11), reason="customer_request"),
        ev("clock_paused", at(24, 12), reason="waiting_for_customer"),
        ev("clock_resumed", at(24, 13)),
    ]
    assert evaluate(log, at=at(24, 14), standard=STD)["repair"].deadline == at(25, 12)


def test_G3_tier_at_the_clock_start_governs_until_it_stops() -> None:
    log = [
        ev("reported", at(24, 10), tier="ordinary"),
        ev("tier_changed", at(24, 11), tier="diamond"),
    ]
    report = evaluate(log, at=at(25, 11), standard=STD)
    assert report["repair"].tier is fs.Tier.ORDINARY
    assert report["repair"].deadline == at(26, 10)
    assert report["repair"].state is ClockState.RUNNING
    # A clock started after the change uses the new tier.
    later = [*log, ev("remote_guidance_given", at(24, 12)), ev("resources_missing", at(24, 12))]
    assert evaluate(later, at=at(24, 13), standard=STD)["resource_notice"].tier is fs.Tier.DIAMOND


def test_cancelled_order_stops_its_clocks_as_cancelled() -> None:
    log = [ev("reported", at(24, 10), tier="diamond"), ev("cancelled", at(24, 12))]
    status = evaluate(log, at=at(27, 0), standard=STD)[ClockName.REPAIR]
    assert status.state is ClockState.CANCELLED
    assert status.stopped == at(24, 12)


def test_regression_a_cancelled_visit_clock_counts_no_time_after_the_cancellation() -> None:
    # An outside probe: an order booked for the 25th and cancelled on the 24th showed its
    # confirmation clock (C1) elapsed until the report, and its arrival clock (T2) days of
    # time from a window that never came; both fed the medians of `summarize`.
    log = [
        ev("accepted", at(24, 10), tier="gold"),
        ev(
            "booked",
            at(24, 10, 2),
            date="2026-11-25",
            half="afternoon",
            start=at(25, 12).isoformat(),
            end=at(25, 20).isoformat(),
        ),
        ev("cancelled", at(24, 12)),
    ]
    late = at(30, 13)
    report = evaluate(log, at=late, standard=STD)
    confirmation, arrival = report[ClockName.CONFIRMATION], report[ClockName.ARRIVAL]
    assert confirmation.state is arrival.state is ClockState.CANCELLED
    assert confirmation.elapsed == at(24, 12) - at(24, 10, 2)
    assert arrival.elapsed == dt.timedelta(0)  # cancelled before its window began
    # The batch judge and the compiled one (from COMPILED_FROM orders) agree.
    batch = evaluate_many([log], at=late, standard=STD)
    records = {r["clock"]: r for r in batch.to_records()}
    assert records["confirmation"]["elapsed_s"] == (at(24, 12) - at(24, 10, 2)).total_seconds()
    assert records["arrival"]["elapsed_s"] == 0.0


def test_R1_while_resources_are_missing_the_notice_is_owed_not_the_booking_call() -> None:
    # An outside probe: B3 kept running after resources were found missing, and breached
    # (gold: 8 service hours) while R1's notice was still on time: R1 is owed instead.
    log = [
        ev("accepted", at(24, 10), tier="gold"),
        ev("resources_missing", at(24, 10, 5)),
        ev("resource_notice_given", at(25, 15)),
    ]
    report = evaluate(log, at=at(25, 16), standard=STD)
    booking, notice = report[ClockName.BOOKING_CONTACT], report[ClockName.RESOURCE_NOTICE]
    assert booking.state is ClockState.CANCELLED
    assert booking.stopped == at(24, 10, 5)
    assert notice.state is ClockState.MET
    # Found missing after B3's deadline: the miss stays in the record.
    late = [log[0], ev("resources_missing", at(26, 10))]
    assert evaluate(late, at=at(26, 11), standard=STD)["booking_contact"].state is (
        ClockState.BREACHED
    )
    # The reminder plan asks for the notice, not for a booking call.
    kinds = {r.kind.value for r in fs.reminders.plan(log[:2], standard=STD, order_id="WO-1")}
    assert "resource_notice" in kinds
    assert "booking_contact" not in kinds


def test_R3_built_resources_end_the_notice_clock_and_restart_the_booking_contact() -> None:
    # An outside probe: the network was built before the customer was told it was missing,
    # and R1 ran on, breached, with a reminder to tell them, on an order already booked.
    log = [
        ev("accepted", at(24, 10), tier="gold"),
        ev("resources_missing", at(24, 10, 5)),
        ev("resources_built", at(24, 12)),
    ]
    report = evaluate(log, at=at(27, 12), standard=STD)
    notice, booking = report[ClockName.RESOURCE_NOTICE], report[ClockName.BOOKING_CONTACT]
    assert notice.state is ClockState.CANCELLED
    assert notice.stopped == at(24, 12)
    assert booking.started == at(24, 12)  # back to booking (R3): the customer is called anew
    kinds = {r.kind.value for r in fs.reminders.plan(log, standard=STD, order_id="WO-1")}
    assert "resource_notice" not in kinds
    assert "booking_contact" in kinds
    # Both judges agree.
    records = {
        r["clock"]: r for r in evaluate_many([log], at=at(27, 12), standard=STD).to_records()
    }
    assert records["resource_notice"]["state"] == "cancelled"
    assert records["booking_contact"]["state"] == booking.state.value


# --- T2 / C1: arrival within the promised window -------------------------------------


def window_events(arrived: pendulum.DateTime | None) -> list[Event]:
    log = [
        ev("accepted", at(24, 10), tier="gold"),
        ev(
            "booked",
            at(24, 11),
            date="2026-11-26",
            half="afternoon",
            start=at(26, 12).isoformat(),
            end=at(26, 20).isoformat(),
        ),
        ev("confirmed", at(26, 8, 30), start=at(26, 14).isoformat(), end=at(26, 15).isoformat()),
    ]
    return [*log, ev("arrived", arrived)] if arrived else log


def test_T2_arrival_inside_the_confirmed_hour_is_met() -> None:
    status = evaluate(window_events(at(26, 14, 50)), at=at(26, 16), standard=STD)[ClockName.ARRIVAL]
    assert status.state is ClockState.MET
    assert status.deadline == at(26, 15)


def test_C1_arrival_after_the_confirmed_hour_is_breached() -> None:
    assert (
        evaluate(window_events(at(26, 15, 1)), at=at(26, 16), standard=STD)["arrival"].state
        is ClockState.BREACHED
    )
    assert (
        evaluate(window_events(None), at=at(26, 15, 0, 1), standard=STD)["arrival"].state
        is ClockState.BREACHED
    )


def test_B2_before_confirmation_the_half_day_is_the_promise() -> None:
    log = window_events(None)[:2]
    assert evaluate(log, at=at(26, 19), standard=STD)["arrival"].deadline == at(26, 20)


# --- reports ---------------------------------------------------------------------------


def test_explain_lists_start_calendar_gaps_pauses_and_deadline() -> None:
    log = [
        ev("accepted", at(24, 19), tier="diamond"),
        ev("clock_paused", at(25, 9), reason="customer_request"),
        ev("clock_resumed", at(25, 10)),
    ]
    lines = evaluate(log, at=at(25, 11), standard=STD)["booking_contact"].explain()
    assert lines[0].startswith("B3 booking_contact: diamond limit 4:00:00 of service time")
    assert "started 2026-11-24 19:00 +08:00" in lines
    assert "closed 2026-11-24 20:00 +08:00 to 2026-11-25 08:00 +08:00 (not counted)" in lines
    assert (
        "paused by the customer 2026-11-25 09:00 +08:00, resumed 2026-11-25 10:00 +08:00" in lines
    )
    # 1 h on the 24th, then 3 h on the 25th from 08:00, plus the 1 h pause: 12:00.
    assert lines[-2] == "deadline 2026-11-25 12:00 +08:00"


def test_events_after_at_are_ignored() -> None:
    log = [ev("reported", at(24, 10), tier="diamond"), ev("cleared", at(24, 12))]
    assert evaluate(log, at=at(24, 11), standard=STD)["repair"].state is ClockState.RUNNING


def test_naive_at_is_refused() -> None:
    with pytest.raises(fs.InvalidInput, match="naive"):
        evaluate([], at=dt.datetime(2026, 11, 24), standard=STD)


def test_events_out_of_order_are_refused() -> None:
    log = [ev("reported", at(24, 10)), ev("cleared", at(24, 9))]
    with pytest.raises(fs.InvalidEvent):
        evaluate(log, at=at(25, 0), standard=STD)


def test_breaches_and_summary_per_tier() -> None:
    start = at(24, 10)
    orders = [
        [ev("reported", start, tier="diamond")],
        [ev("reported", start, tier="diamond"), ev("cleared", start.add(hours=2))],
        [ev("reported", start, tier="ordinary")],
    ]
    batch = evaluate_many(orders, at=start.add(hours=30), standard=STD)
    assert breaches(batch, ClockName.REPAIR) == [("0", ClockName.REPAIR)]
    diamond = summarize(batch, ClockName.REPAIR)[0]
    assert (diamond.count, diamond.met, diamond.breached, diamond.met_share) == (2, 1, 1, 0.5)
    assert summarize(batch, ClockName.REPAIR)[3].running == 1


# --- properties over random logs ------------------------------------------------------

KINDS = [
    k.value
    for k in EventKind
    if k not in (EventKind.BOOKED, EventKind.RESCHEDULED, EventKind.CONFIRMED)
]


# The least data the event schema asks of kinds the clocks do not read.
MINIMAL_DATA: dict[str, dict[str, object]] = {
    "technicians_assigned": {"technicians": ["T7"], "contact": "T7"},
    "handed_over": {"to": "desk-2"},
    "checklist_updated": {"action": "finding", "finding": "label_missing"},
    "worksheet_updated": {
        "worksheet": {"technicians": ["T7"], "materials": [], "parameters": [], "opinion": None}
    },
    "signed": {
        "signature": {
            "signer": {"$secret": "张三"},
            "role": "customer",
            "at": "2026-11-24T10:00:00+08:00",
            "digest": "0" * 64,
        }
    },
    "tier_changed": {"tier": "gold"},
}


@st.composite
def logs(draw: st.DrawFn) -> tuple[list[Event], pendulum.DateTime]:
    start = at(24, 0).add(minutes=draw(st.integers(0, 3 * 24 * 60)))
    first = draw(st.sampled_from(["accepted", "reported"]))
    tier = draw(st.sampled_from([t.value for t in fs.Tier]))
    area = draw(st.sampled_from([a.value for a in fs.Area]))
    events = [ev(first, start, tier=tier, area=area)]
    when = start
    for _ in range(draw(st.integers(0, 12))):
        when = when.add(minutes=draw(st.integers(0, 12 * 60)))
        kind = draw(st.sampled_from([*KINDS, "clock_paused", "clock_paused", "clock_resumed"]))
        data: dict[str, object] = dict(MINIMAL_DATA.get(kind, {}))
        if kind == "clock_paused":
            data["reason"] = draw(
                st.sampled_from(["customer_request", "waiting_for_customer", "provider_delay"])
            )
        if kind in ("accepted", "reported", "tier_changed"):
            data["tier"] = draw(st.sampled_from([t.value for t in fs.Tier]))
        if draw(st.integers(0, 2)) == 0:
            # A window kind, in any order the log may hold it: with nothing booked, after a
            # cancellation or K3, or twice over.
            kind = draw(st.sampled_from(["booked", "rescheduled", "confirmed"]))
            begins = when.add(hours=draw(st.integers(0, 72)))
            data = {
                "start": begins.isoformat(),
                "end": begins.add(hours=draw(st.sampled_from([1, 4]))).isoformat(),
            }
        events.append(ev(kind, when, **data))
    judged = when.add(minutes=draw(st.integers(0, 5 * 24 * 60)))
    return events, judged


standards = st.sampled_from([STD, service_repair()])


@given(logs(), standards)
def test_G4_pauses_never_make_a_deadline_earlier(
    case: tuple[list[Event], pendulum.DateTime], std: fs.ServiceStandard
) -> None:
    events, judged = case
    unpaused = [
        e for e in events if e.kind not in (EventKind.CLOCK_PAUSED, EventKind.CLOCK_RESUMED)
    ]
    with_pauses = evaluate(events, at=judged, standard=std)
    without = evaluate(unpaused, at=judged, standard=std)
    for a, b in zip(with_pauses, without, strict=True):
        if a.deadline is not None and b.deadline is not None and a.started == b.started:
            assert a.deadline >= b.deadline


@given(logs(), standards)
def test_elapsed_plus_remaining_is_the_limit_while_running(
    case: tuple[list[Event], pendulum.DateTime], std: fs.ServiceStandard
) -> None:
    events, judged = case
    for status in evaluate(events, at=judged, standard=std):
        if status.state in (ClockState.RUNNING, ClockState.PAUSED):
            assert abs((status.elapsed + status.remaining - status.limit).total_seconds()) < 1e-3
            assert status.deadline is not None
            assert status.deadline >= judged


@given(st.lists(logs(), min_size=1, max_size=6), standards)
def test_evaluate_many_equals_evaluate(
    cases: list[tuple[list[Event], pendulum.DateTime]], std: fs.ServiceStandard
) -> None:
    judged = max(j for _, j in cases)
    orders = [events for events, _ in cases]
    batch = evaluate_many(orders, at=judged, standard=std)
    for row, events in enumerate(orders):
        report = evaluate(events, at=judged, standard=std)
        for status in report:
            name = status.clock
            assert batch.states(name)[row] is status.state
            if status.deadline is None:
                assert math.isnan(batch.deadline[name][row])
            else:
                assert batch.deadline[name][row] == pytest.approx(
                    status.deadline.timestamp(), abs=1e-6
                )
            assert batch.elapsed[name][row] == pytest.approx(
                status.elapsed.total_seconds(), abs=1e-3
            )
            assert bool(batch.at_risk[name][row]) is status.at_risk


@given(logs(), standards)
def test_T2_no_clock_starts_before_the_order_opened(
    case: tuple[list[Event], pendulum.DateTime], std: fs.ServiceStandard
) -> None:
    # A window kind the appointment ignores must not leave a clock with no window behind
    # (it used to be judged against 1970-01-01).
    events, judged = case
    for status in evaluate(events, at=judged, standard=std):
        if status.started is not None:
            assert status.started >= events[0].at
        if status.deadline is not None:
            assert status.deadline >= events[0].at


def test_C1_confirmation_with_nothing_booked_starts_no_arrival_clock() -> None:
    log = [
        ev("accepted", at(24, 10), tier="gold"),
        ev("confirmed", at(26, 8, 30), start=at(26, 14).isoformat(), end=at(26, 15).isoformat()),
    ]
    report = evaluate(log, at=at(26, 16), standard=STD)
    for name in (ClockName.ARRIVAL, ClockName.PUNCTUALITY, ClockName.CONFIRMATION):
        assert report[name].state is ClockState.NOT_STARTED


def test_B2_a_booking_after_the_cancellation_promises_no_window() -> None:
    log = [
        ev("accepted", at(24, 10), tier="gold"),
        ev("cancelled", at(24, 11), reason="customer_request"),
        ev("booked", at(24, 12), start=at(26, 12).isoformat(), end=at(26, 20).isoformat()),
    ]
    report = evaluate(log, at=at(26, 21), standard=STD)
    assert report[ClockName.BOOKING_CONTACT].state is ClockState.CANCELLED
    for name in (ClockName.ARRIVAL, ClockName.CONFIRMATION):
        assert report[name].state is ClockState.NOT_STARTED


def test_K3_a_confirmation_after_the_visit_was_withdrawn_moves_no_window() -> None:
    withdrawn = [*window_events(None), ev("customer_absent", at(26, 15, 30))]
    stray = ev("confirmed", at(26, 16), start=at(26, 18).isoformat(), end=at(26, 19).isoformat())
    before = evaluate(withdrawn, at=at(26, 20), standard=STD)
    after = evaluate([*withdrawn, stray], at=at(26, 20), standard=STD)
    assert after[ClockName.ARRIVAL].deadline == before[ClockName.ARRIVAL].deadline == at(26, 15)
    for name in (ClockName.ARRIVAL, ClockName.PUNCTUALITY):
        assert after[name].deadline == before[name].deadline
        assert after[name].state is before[name].state is ClockState.BREACHED


def test_K3_customer_absent_restarts_the_booking_contact_clock() -> None:
    log = [
        *window_events(at(26, 14, 10)),
        ev("customer_absent", at(26, 14, 14)),
    ]
    status = evaluate(log, at=at(26, 15), standard=STD)[ClockName.BOOKING_CONTACT]
    assert status.started == at(26, 14, 14)
    assert status.state is ClockState.RUNNING
    # Gold: 8 h of service time from 14:14 is 5 h 46 min on the 26th, then 2 h 14 min on the 27th.
    assert status.deadline == pendulum.datetime(2026, 11, 27, 10, 14, tz=TZ)


def test_F4_when_the_legal_ceiling_binds_the_clock_is_judged_against_it() -> None:
    std = service_repair(gold="36h")
    log = [ev("reported", at(24, 19, 30), tier="gold")]
    near = evaluate(log, at=at(26, 19), standard=std)["repair"]
    assert near.capped
    assert near.deadline == at(26, 19, 30)
    assert near.limit == 48 * H
    assert near.remaining == dt.timedelta(minutes=30)
    assert near.at_risk
    assert near.at_risk_from == at(24, 19, 30).add(hours=36)
    assert any("legal ceiling" in line for line in near.explain())
    late = evaluate(log, at=at(26, 20), standard=std)["repair"]
    assert late.state is ClockState.BREACHED
    assert late.remaining < dt.timedelta(0)


def test_regression_sla_records_name_their_order_and_a_batch_prints_short() -> None:
    # Issue 18: SlaReport.to_records() had no order ID; SlaBatch printed every array
    # (3.2 MB for 20,000 orders) and had no records export.
    from fieldservice.synthetic import synthetic_order

    orders = [synthetic_order(seed) for seed in range(500)]
    judged = pendulum.datetime(2026, 12, 1, tz="Asia/Shanghai")
    reports = [evaluate(o, at=judged, standard=o.standard) for o in orders]
    assert all({r["order_id"] for r in rep.to_records()} <= {rep.order_id} for rep in reports)
    batch = evaluate_many(orders, at=judged, standard=orders[0].standard)
    assert len(repr(batch)) < 200
    assert repr(batch).startswith("<SlaBatch 500 orders at 2026-12-01T00:00:00+08:00")
    by_report = sorted(
        (r["order_id"], r["clock"], r["state"]) for rep in reports for r in rep.to_records()
    )
    by_batch = sorted((r["order_id"], r["clock"], r["state"]) for r in batch.to_records())
    assert by_batch == by_report
    assert len(by_batch) > 500


def test_a_batch_and_an_orders_clocks_equal_their_copies_with_clocks_not_started() -> None:
    # Issue 14: public values pickle and deep-copy to equal objects. A clock not started
    # has a NaN deadline, and NaN != NaN made a batch unequal to its own copy.
    import copy
    import json
    import pickle

    from fieldservice.sla import OrderJudge
    from fieldservice.synthetic import synthetic_order

    orders = [synthetic_order(n) for n in range(1, 6)]
    at = pendulum.datetime(2026, 12, 1, tz="Asia/Shanghai")
    batch = evaluate_many(orders, at=at)
    assert any(math.isnan(d) for column in batch.deadline.values() for d in column)
    judge = OrderJudge(at=at, standard=fs.ServiceStandard.default())
    clocks = judge.judge(json.loads(orders[0].to_json(include_personal=True)))
    assert any(math.isnan(d) for d in clocks.deadline)
    for value in (batch, clocks, evaluate(orders[0], at=at)):
        for again in (pickle.loads(pickle.dumps(value)), copy.deepcopy(value)):
            assert again == value
    assert hash(pickle.loads(pickle.dumps(clocks))) == hash(clocks)
    later = evaluate_many(orders, at=at.add(days=1))
    assert later != batch  # equal by their numbers, not by anything looser


def test_G4_a_clock_cancelled_while_paused_keeps_its_deadline_whenever_judged() -> None:
    # A review: the pause still open at the cancellation ran on to the instant judged at,
    # so R1's deadline moved from one report to the next (11-25 15:50, then 11-28 13:50).
    log = [
        ev("accepted", at(24, 10), tier="gold"),
        ev("resources_missing", at(24, 10, 5)),
        ev("clock_paused", at(24, 11), reason="waiting_for_customer"),
        ev("resources_built", at(25, 11)),
    ]
    soon = evaluate(log, at=at(25, 16), standard=STD)[ClockName.RESOURCE_NOTICE]
    later = evaluate(log, at=at(28, 14), standard=STD)[ClockName.RESOURCE_NOTICE]
    assert soon.state is later.state is ClockState.CANCELLED
    assert soon.deadline == later.deadline
    assert soon.elapsed == later.elapsed
    batches = [
        {r["clock"]: r for r in evaluate_many([log], at=when, standard=STD).to_records()}
        for when in (at(25, 16), at(28, 14))
    ]
    assert batches[0]["resource_notice"]["deadline"] == batches[1]["resource_notice"]["deadline"]
