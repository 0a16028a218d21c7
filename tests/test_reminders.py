"""Reminder plans (B3, R1, C1, C2, T2, F2, K1-K3) and quiet hours (B6)."""

import datetime as dt

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

import fieldservice as fs
from fieldservice.events import Event
from fieldservice.reminders import (
    Audience,
    KnockStepKind,
    ReminderKind,
    diff,
    knock_protocol,
    plan,
)

TZ = "Asia/Shanghai"
STD = fs.ServiceStandard.default()


def at(day: int, hour: int, minute: int = 0) -> pendulum.DateTime:
    return pendulum.datetime(2026, 11, day, hour, minute, tz=TZ)


def ev(kind: str, when: pendulum.DateTime, **data: object) -> Event:
    return Event(kind, when, actor="desk", data=data)


def booked(
    when: pendulum.DateTime,
    start: pendulum.DateTime,
    end: pendulum.DateTime,
    kind: str = "booked",
    **extra: object,
) -> Event:
    return ev(
        kind,
        when,
        date=start.date().isoformat(),
        half="afternoon" if start.hour >= 12 else "morning",
        start=start.isoformat(),
        end=end.isoformat(),
        **extra,
    )


def afternoon_install() -> list[Event]:
    return [ev("accepted", at(24, 10), tier="gold"), booked(at(24, 10, 5), at(26, 12), at(26, 20))]


def test_C1_afternoon_visit_gets_its_confirmation_before_0900_that_day() -> None:
    reminders = plan(afternoon_install(), standard=STD, order_id="WO-1")
    (confirm,) = reminders.of_kind(ReminderKind.DAY_OF_CONFIRMATION)
    assert confirm.due.date() == dt.date(2026, 11, 26)
    assert confirm.due <= at(26, 9)
    assert confirm.latest == at(26, 9)
    assert confirm.audience is Audience.CUSTOMER
    assert not confirm.quiet_hours_conflict


def test_C2_call_comes_30_minutes_before_the_confirmed_hour() -> None:
    log = [
        *afternoon_install(),
        ev("confirmed", at(26, 8, 30), start=at(26, 14).isoformat(), end=at(26, 15).isoformat()),
    ]
    reminders = plan(log, standard=STD, order_id="WO-1")
    (call,) = reminders.of_kind(ReminderKind.CALL_AHEAD)
    assert call.due == at(26, 13, 30)
    assert call.latest == at(26, 14)
    # Once confirmed, the confirmation reminder is no longer planned.
    assert reminders.of_kind(ReminderKind.DAY_OF_CONFIRMATION) == ()


def test_T2_departure_leaves_travel_time_and_5_to_10_minutes_early() -> None:
    log = [
        *afternoon_install(),
        ev("confirmed", at(26, 8, 30), start=at(26, 14).isoformat(), end=at(26, 15).isoformat()),
    ]
    (depart,) = plan(log, standard=STD, order_id="WO-1", travel=dt.timedelta(minutes=40)).of_kind(
        ReminderKind.DEPARTURE
    )
    assert depart.due == at(26, 13, 10)
    assert depart.latest == at(26, 13, 15)
    assert depart.audience is Audience.TECHNICIAN
    assert plan(log, standard=STD, order_id="WO-1").of_kind(ReminderKind.DEPARTURE) == ()


def test_B8_reschedule_yields_revoke_and_send_keys() -> None:
    before = plan(afternoon_install(), standard=STD, order_id="WO-1")
    moved = [
        *afternoon_install(),
        booked(
            at(24, 15),
            at(27, 8),
            at(27, 12),
            kind="rescheduled",
            requested_by="customer",
            reason="出差",
            consent=True,
        ),
    ]
    after = plan(moved, standard=STD, order_id="WO-1")
    change = diff(before, after)
    assert set(change.revoke) == before.keys
    assert {r.key for r in change.send} == after.keys
    assert {r.kind for r in change.send} >= {
        ReminderKind.DAY_OF_CONFIRMATION,
        ReminderKind.CALL_AHEAD,
    }
    assert all(":v2:" in r.key for r in change.send)


def test_keys_are_stable_for_the_same_order_kind_and_version() -> None:
    a = plan(afternoon_install(), standard=STD, order_id="WO-1")
    b = plan(afternoon_install(), standard=STD, order_id="WO-1")
    assert a.keys == b.keys
    assert diff(a, b).send == ()
    assert diff(a, b).revoke == ()
    assert plan(afternoon_install(), standard=STD, order_id="WO-2").keys.isdisjoint(a.keys)


def test_B3_booking_contact_for_an_order_accepted_in_quiet_hours_moves_to_0800() -> None:
    (contact,) = plan(
        [ev("accepted", at(24, 22), tier="diamond")], standard=STD, order_id="WO-3"
    ).of_kind(ReminderKind.BOOKING_CONTACT)
    assert contact.due == at(25, 8)
    assert contact.latest == at(25, 12)


def test_R1_resource_notice_is_planned_until_given() -> None:
    log = [ev("accepted", at(24, 10), tier="gold"), ev("resources_missing", at(24, 11))]
    assert plan(log, standard=STD, order_id="WO-4").of_kind(ReminderKind.RESOURCE_NOTICE)
    told = [*log, ev("resource_notice_given", at(24, 12))]
    assert plan(told, standard=STD, order_id="WO-4").of_kind(ReminderKind.RESOURCE_NOTICE) == ()


def test_F2_follow_up_30_minutes_after_guidance() -> None:
    log = [ev("reported", at(24, 10), tier="gold"), ev("remote_guidance_given", at(24, 10, 10))]
    (follow,) = plan(log, standard=STD, order_id="WO-5").of_kind(ReminderKind.REMOTE_FOLLOW_UP)
    assert follow.due == at(24, 10, 40)


def test_B6_follow_up_that_would_fall_in_quiet_hours_moves_before_them() -> None:
    log = [ev("reported", at(24, 19, 40), tier="gold"), ev("remote_guidance_given", at(24, 19, 50))]
    (follow,) = plan(log, standard=STD, order_id="WO-5").of_kind(ReminderKind.REMOTE_FOLLOW_UP)
    assert follow.due == pendulum.datetime(2026, 11, 24, 19, 59, 59, tz=TZ)
    assert not follow.quiet_hours_conflict


def test_B6_call_ahead_for_an_0800_arrival_is_flagged() -> None:
    log = [
        ev("accepted", at(24, 10), tier="gold"),
        booked(at(24, 10, 5), at(26, 8), at(26, 12)),
        ev("confirmed", at(26, 7, 0), start=at(26, 8).isoformat(), end=at(26, 9).isoformat()),
    ]
    (call,) = plan(log, standard=STD, order_id="WO-6").of_kind(ReminderKind.CALL_AHEAD)
    assert call.quiet_hours_conflict


def test_G4_dispatcher_is_alerted_when_a_clock_reaches_the_at_risk_share() -> None:
    (alert,) = plan(
        [ev("reported", at(24, 10), tier="diamond")], standard=STD, order_id="WO-7"
    ).of_kind(ReminderKind.AT_RISK)
    assert alert.rule == "F4"
    assert alert.audience is Audience.DISPATCHER
    assert alert.due == at(25, 4)  # 75 % of 24 h of wall time


def test_cancelled_order_has_no_reminders() -> None:
    assert (
        len(
            plan([*afternoon_install(), ev("cancelled", at(24, 12))], standard=STD, order_id="WO-1")
        )
        == 0
    )


def test_K3_customer_absent_sends_the_order_back_to_booking() -> None:
    log = [
        *afternoon_install(),
        ev("arrived", at(26, 12, 30)),
        ev("customer_absent", at(26, 12, 40)),
    ]
    reminders = plan(log, standard=STD, order_id="WO-1")
    assert reminders.of_kind(ReminderKind.CALL_AHEAD) == ()


def test_plan_needs_an_order_id() -> None:
    with pytest.raises(fs.InvalidInput, match="order_id"):
        plan(afternoon_install(), standard=STD)


def test_K1_K2_K3_knock_protocol_timeline() -> None:
    steps = knock_protocol(at(26, 14), STD)
    assert [s.rule for s in steps[:3]] == ["K1", "K1", "K1"]
    assert steps[0].kind is KnockStepKind.BELL
    repeats = [s for s in steps if s.kind is KnockStepKind.REPEAT]
    # Every 30 s until the call at 3 min: 00:30, 01:00, ... 02:30.
    assert [s.at.format("mm:ss") for s in repeats] == ["00:30", "01:00", "01:30", "02:00", "02:30"]
    call = next(s for s in steps if s.kind is KnockStepKind.CALL)
    assert call.at == at(26, 14, 3)
    assert steps[-1].rule == "K3"
    assert steps[-1].kind is KnockStepKind.NOTE


def test_K2_knock_cadence_follows_the_standard() -> None:
    std = STD.replace(
        knock=fs.KnockProtocol(
            rounds=1,
            knocks_per_round=3,
            repeat_every=dt.timedelta(minutes=1),
            call_after=dt.timedelta(minutes=2),
        )
    )
    steps = knock_protocol(at(26, 14), std)
    assert [s.at.format("mm:ss") for s in steps if s.rule == "K2"] == ["01:00", "02:00"]


# A branch whose knock numbers differ from the card's in every place.
BRANCH_KNOCK = fs.KnockProtocol(
    rounds=3,
    knocks_per_round=4,
    repeat_every=dt.timedelta(seconds=45),
    call_after=dt.timedelta(minutes=2, seconds=15),
)


def test_K1_rounds_and_knocks_are_the_standards_in_both_languages() -> None:
    steps = knock_protocol(at(26, 14), STD.replace(knock=BRANCH_KNOCK))
    knocks = [s for s in steps if s.kind is KnockStepKind.KNOCK]
    assert [s.rule for s in knocks] == ["K1"] * 3
    assert [s.action for s in knocks] == [
        f"knock 4 times, lightly (round {n} of 3)" for n in (1, 2, 3)
    ]
    assert [s.label_zh for s in knocks] == [f"轻敲第{n}次,连续4下" for n in (1, 2, 3)]
    assert steps[0].kind is KnockStepKind.BELL
    assert steps[0].rule == "K1"


def test_K2_labels_carry_the_standards_repeat_and_call_times() -> None:
    steps = knock_protocol(at(26, 14), STD.replace(knock=BRANCH_KNOCK))
    repeats = [s for s in steps if s.kind is KnockStepKind.REPEAT]
    assert [s.at.format("mm:ss") for s in repeats] == ["00:45", "01:30"]
    assert {s.label_zh for s in repeats} == {"每隔45秒钟重复1次"}
    assert {s.action for s in repeats} == {"no answer: knock again, every 45 s"}
    (call,) = [s for s in steps if s.kind is KnockStepKind.CALL]
    assert call.rule == "K2"
    assert call.at.format("mm:ss") == "02:15"
    assert call.label_zh == "2分15秒后再不开门,电话联系客户"
    assert call.action == "no answer after 2 min 15 s: call the customer"
    # Nothing of the card's own numbers is left in a branch's labels.
    for step in steps:
        assert "30" not in step.label_zh + step.action
        assert "3分钟" not in step.label_zh


def test_K2_default_labels_are_the_guidance_cards_words() -> None:
    steps = knock_protocol(at(26, 14), STD)
    assert next(s for s in steps if s.kind is KnockStepKind.REPEAT).label_zh == "每隔30秒钟重复1次"
    assert next(s for s in steps if s.kind is KnockStepKind.CALL).label_zh.startswith("3分钟后")


def test_K3_neighbours_then_note_at_the_call() -> None:
    steps = knock_protocol(at(26, 14), STD.replace(knock=BRANCH_KNOCK))
    tail = steps[-2:]
    assert [(s.rule, s.kind) for s in tail] == [
        ("K3", KnockStepKind.NEIGHBOURS),
        ("K3", KnockStepKind.NOTE),
    ]
    assert all(s.at.format("mm:ss") == "02:15" for s in tail)
    assert {s.kind.rule for s in steps} == {"K1", "K2", "K3"}
    assert all(s.kind.rule == s.rule for s in steps)


@given(
    rounds=st.integers(1, 10),
    per_round=st.integers(1, 10),
    every=st.integers(1, 600),
    extra=st.integers(0, 3600),
)
def test_K2_every_label_is_rendered_from_the_numbers(
    rounds: int, per_round: int, every: int, extra: int
) -> None:
    knock = fs.KnockProtocol(
        rounds=rounds,
        knocks_per_round=per_round,
        repeat_every=dt.timedelta(seconds=every),
        call_after=dt.timedelta(seconds=every + extra),
    )
    steps = knock_protocol(at(26, 14), STD.replace(knock=knock))
    kinds = [s.kind for s in steps]
    assert kinds.count(KnockStepKind.KNOCK) == rounds
    assert kinds.count(KnockStepKind.CALL) == 1
    assert all(f"连续{per_round}下" in s.label_zh for s in steps if s.kind is KnockStepKind.KNOCK)
    minutes, seconds = divmod(every, 60)
    assert all(
        (f"{seconds}秒" in s.label_zh if seconds else f"{minutes}分钟" in s.label_zh)
        for s in steps
        if s.kind is KnockStepKind.REPEAT
    )


@given(
    day=st.integers(25, 30),
    half=st.sampled_from(["morning", "afternoon"]),
    confirm_hour=st.one_of(st.none(), st.integers(8, 19)),
    travel=st.integers(0, 180),
    quiet_start=st.integers(18, 23),
    quiet_end=st.integers(6, 10),
    guidance=st.integers(0, 24 * 60 - 1),
)
def test_B6_every_customer_reminder_is_outside_quiet_hours_or_flagged(
    day: int,
    half: str,
    confirm_hour: int | None,
    travel: int,
    quiet_start: int,
    quiet_end: int,
    guidance: int,
) -> None:
    std = STD.replace(
        quiet_hours=fs.TimeRange(dt.time(quiet_start), dt.time(quiet_end)), midday=dt.time(12)
    )
    start = pendulum.datetime(2026, 11, day, quiet_end if half == "morning" else 12, tz=TZ)
    end = pendulum.datetime(2026, 11, day, 12 if half == "morning" else quiet_start, tz=TZ)
    log = [ev("accepted", at(24, 9), tier="gold"), booked(at(24, 9, 30), start, end)]
    if confirm_hour is not None and start.hour <= confirm_hour < end.hour:
        arrival = pendulum.datetime(2026, 11, day, confirm_hour, tz=TZ)
        log.append(
            ev(
                "confirmed",
                min(arrival, start).subtract(hours=3),
                start=arrival.isoformat(),
                end=arrival.add(hours=1).isoformat(),
            )
        )
    repair = [
        ev("reported", at(24, 0), tier="silver"),
        ev("remote_guidance_given", at(24, 0).add(minutes=guidance)),
    ]
    for events, order_id in ((log, "WO-P"), (repair, "WO-R")):
        for reminder in plan(
            events, standard=std, order_id=order_id, travel=dt.timedelta(minutes=travel)
        ):
            if reminder.audience is Audience.CUSTOMER:
                assert reminder.quiet_hours_conflict or not std.quiet_hours.contains(
                    reminder.due.time()
                )


def test_kinds_filter_plans_only_those_kinds_and_agrees_with_the_full_plan() -> None:
    log = [
        *afternoon_install(),
        ev("confirmed", at(26, 8, 30), start=at(26, 14).isoformat(), end=at(26, 15).isoformat()),
    ]
    full = plan(log, standard=STD, order_id="WO-1", travel=dt.timedelta(minutes=20))
    only = plan(
        log,
        standard=STD,
        order_id="WO-1",
        travel=dt.timedelta(minutes=20),
        kinds={ReminderKind.CALL_AHEAD, ReminderKind.DEPARTURE},
    )
    assert only.reminders == tuple(
        r for r in full if r.kind in {ReminderKind.CALL_AHEAD, ReminderKind.DEPARTURE}
    )
    assert only.reminders


def test_G4_a_pause_moves_the_at_risk_alert_and_diff_resends_it() -> None:
    log = [ev("reported", at(24, 10), tier="diamond")]
    before = plan(log, standard=STD, order_id="WO-7")
    paused = [
        *log,
        ev("clock_paused", at(24, 12), reason="customer_request"),
        ev("clock_resumed", at(24, 18)),
    ]
    after = plan(paused, standard=STD, order_id="WO-7")
    (old,) = before.of_kind(ReminderKind.AT_RISK)
    (new,) = after.of_kind(ReminderKind.AT_RISK)
    assert new.due == old.due.add(hours=6)
    change = diff(before, after)
    assert old.key in change.revoke
    assert new.key in {r.key for r in change.send}


def test_K3_the_rebooking_call_after_an_absent_customer_gets_a_new_key() -> None:
    first = plan([ev("accepted", at(24, 10), tier="gold")], standard=STD, order_id="WO-8")
    log = [
        *afternoon_install(),
        ev("arrived", at(26, 12, 30)),
        ev("customer_absent", at(26, 12, 40)),
    ]
    again = plan(log, standard=STD, order_id="WO-8")
    (call_1,) = first.of_kind(ReminderKind.BOOKING_CONTACT)
    (call_2,) = again.of_kind(ReminderKind.BOOKING_CONTACT)
    assert call_1.key != call_2.key


def test_keys_do_not_churn_as_unrelated_events_come_in() -> None:
    log = [ev("accepted", at(24, 10), tier="gold")]
    later = [*log, ev("clock_paused", at(24, 11), reason="provider_delay")]
    a = plan(log, standard=STD, order_id="WO-9").of_kind(ReminderKind.BOOKING_CONTACT)
    b = plan(later, standard=STD, order_id="WO-9").of_kind(ReminderKind.BOOKING_CONTACT)
    assert [r.key for r in a] == [r.key for r in b]


# --- the calendar's plans (C1, C2) across zones with summer time -------------------------

CALENDAR_KINDS = frozenset({ReminderKind.DAY_OF_CONFIRMATION, ReminderKind.CALL_AHEAD})
DST_ZONES = ("Europe/London", "America/New_York", "Australia/Lord_Howe", "Asia/Shanghai", "UTC")
# The days summer time starts or ends in the zones above, and a plain day.
DST_DAYS = (
    dt.date(2026, 3, 8),
    dt.date(2026, 3, 29),
    dt.date(2026, 4, 5),
    dt.date(2026, 10, 4),
    dt.date(2026, 10, 25),
    dt.date(2026, 11, 1),
    dt.date(2026, 6, 15),
)


def exactly(moment: pendulum.DateTime) -> tuple[object, ...]:
    """Everything that tells two instants apart, fold and zone object included."""
    return type(moment), moment.isoformat(), moment.fold, moment.tzinfo


def reminder_values(reminders: object) -> list[tuple[object, ...]]:
    return [
        (
            r.kind,
            r.rule,
            r.audience,
            r.key,
            r.quiet_hours_conflict,
            exactly(r.due),
            exactly(r.latest),
        )
        for r in reminders  # type: ignore[attr-defined]
    ]


quarter_hours = st.integers(0, 24 * 4 - 1).map(lambda q: dt.time(q // 4, q % 4 * 15))


@given(
    zone=st.sampled_from(DST_ZONES),
    day=st.sampled_from(DST_DAYS),
    quiet=st.tuples(quarter_hours, quarter_hours).filter(lambda q: q[0] != q[1]),
    confirm_by=quarter_hours,
    start=st.integers(-6 * 3600, 30 * 3600),
    length=st.integers(1, 8 * 3600),
    booked_before=st.integers(0, 3 * 24 * 3600),
    arrival=st.one_of(st.none(), st.integers(-3600, 8 * 3600)),
)
def test_the_calendar_plan_of_C1_and_C2_is_the_full_plan_of_those_kinds(
    zone: str,
    day: dt.date,
    quiet: tuple[dt.time, dt.time],
    confirm_by: dt.time,
    start: int,
    length: int,
    booked_before: int,
    arrival: int | None,
) -> None:
    """Whatever the zone, day, quiet hours and instants: the same reminders, to the fold.

    The calendar asks for C1 and C2 only, which skips the SLA clocks; the
    reminders must be those of the full plan all the same, as pendulum
    DateTimes in the standard's zone.
    """
    try:
        std = STD.replace(
            timezone=zone,
            quiet_hours=fs.TimeRange(*quiet),
            confirm_by=confirm_by,
            holiday_country="",
        )
    except fs.FieldServiceError:  # quiet hours over midday: not a standard
        return
    midnight = pendulum.datetime(day.year, day.month, day.day, tz=zone)
    window_start = midnight.add(seconds=start)
    window_end = window_start.add(seconds=length)
    log = [
        ev("accepted", window_start.subtract(seconds=booked_before), tier="gold"),
        booked(window_start.subtract(seconds=booked_before), window_start, window_end),
    ]
    if arrival is not None:
        hour = window_start.add(seconds=arrival)
        log.append(
            ev(
                "confirmed",
                log[-1].at.add(minutes=10),
                start=hour.in_timezone("UTC").isoformat(),
                end=hour.add(hours=1).isoformat(),
            )
        )
    full = plan(log, standard=std, order_id="WO-Z")
    only = plan(log, standard=std, order_id="WO-Z", kinds=CALENDAR_KINDS)
    assert reminder_values(only) == reminder_values(r for r in full if r.kind in CALENDAR_KINDS)
    for reminder in only:
        assert isinstance(reminder.due, pendulum.DateTime)
        assert reminder.due.tzinfo is pendulum.timezone(zone)
        assert reminder.latest.tzinfo is pendulum.timezone(zone)


LONDON = "Europe/London"


@pytest.mark.parametrize(
    ("quiet", "log", "expected"),
    [
        pytest.param(
            # Quiet hours end at 01:30, a time the start of summer time skips: C1 is
            # due at 02:30 BST, as pendulum makes that wall time.
            (dt.time(20), dt.time(1, 30)),
            [
                booked(
                    pendulum.datetime(2026, 3, 27, 10, tz=LONDON),
                    pendulum.datetime(2026, 3, 29, 8, tz=LONDON),
                    pendulum.datetime(2026, 3, 29, 12, tz=LONDON),
                )
            ],
            [
                ("C1", "2026-03-29T02:30:00+01:00", 0, "2026-03-29T09:00:00+01:00", "1b14a9c13761"),
                ("C2", "2026-03-29T07:30:00+01:00", 0, "2026-03-29T08:00:00+01:00", "0dffab1443cf"),
            ],
            id="summer-time-starts",
        ),
        pytest.param(
            # 01:30 occurs twice when summer time ends: C1 is due at the later one (GMT).
            (dt.time(20), dt.time(1, 30)),
            [
                booked(
                    pendulum.datetime(2026, 10, 23, 10, tz=LONDON),
                    pendulum.datetime(2026, 10, 25, 8, tz=LONDON),
                    pendulum.datetime(2026, 10, 25, 12, tz=LONDON),
                )
            ],
            [
                ("C1", "2026-10-25T01:30:00+00:00", 1, "2026-10-25T09:00:00+00:00", "b4d28b8a0a5e"),
                ("C2", "2026-10-25T07:30:00+00:00", 0, "2026-10-25T08:00:00+00:00", "e8a146adc684"),
            ],
            id="summer-time-ends",
        ),
        pytest.param(
            # Arrival at 01:40 GMT, the second 01:40 of the night: the call ahead moves
            # out of the quiet hours (23:00-01:15) to the second 01:15.
            (dt.time(23), dt.time(1, 15)),
            [
                ev(
                    "booked",
                    pendulum.datetime(2026, 10, 23, 10, tz=LONDON),
                    start="2026-10-25T00:00:00+01:00",
                    end="2026-10-25T04:00:00+00:00",
                ),
                ev(
                    "confirmed",
                    pendulum.datetime(2026, 10, 24, 10, tz=LONDON),
                    start="2026-10-25T01:40:00+00:00",
                    end="2026-10-25T02:40:00+00:00",
                ),
            ],
            [("C2", "2026-10-25T01:15:00+00:00", 1, "2026-10-25T01:40:00+00:00", "5e195f868085")],
            id="call-ahead-in-the-repeated-hour",
        ),
    ],
)
def test_B6_C1_C2_instants_where_summer_time_changes(
    quiet: tuple[dt.time, dt.time], log: list[Event], expected: list[tuple[object, ...]]
) -> None:
    """Pinned: what the plan gave when it computed on pendulum objects throughout."""
    std = STD.replace(timezone=LONDON, quiet_hours=fs.TimeRange(*quiet), holiday_country="")
    got = [
        (r.rule, r.due.isoformat(), r.due.fold, r.latest.isoformat(), r.key.rsplit(":", 1)[1])
        for r in plan(log, standard=std, order_id="WO-1", kinds=CALENDAR_KINDS)
    ]
    assert got == expected


def test_C2_a_call_ahead_still_due_in_the_repeated_hour_is_planned() -> None:
    # Berlin, 25 October 2026: 02:00-03:00 runs twice. The visit is at 02:10 CET (the
    # second 02:10, 01:10 UTC); the last event came at 02:50 CEST (00:50 UTC), twenty
    # minutes before it. By wall time 02:50 is after 02:10, and the call was dropped.
    berlin = STD.replace(timezone="Europe/Berlin")
    booked_at = pendulum.datetime(2026, 10, 20, 10, tz="Europe/Berlin")
    log = [
        Event("accepted", booked_at, actor="desk-1", data={"tier": "gold"}),
        Event(
            "booked",
            booked_at.add(minutes=5),
            actor="desk-1",
            data={
                "date": "2026-10-25",
                "half": "morning",
                "start": "2026-10-25T00:00:00+02:00",
                "end": "2026-10-25T12:00:00+01:00",
            },
        ),
        Event(
            "confirmed",
            booked_at.add(days=4),
            actor="T7",
            data={"start": "2026-10-25T02:10:00+01:00", "end": "2026-10-25T03:10:00+01:00"},
        ),
        Event("contacted", pendulum.datetime(2026, 10, 25, 0, 50, tz="UTC"), actor="T7"),
    ]
    calls = plan(log, standard=berlin, order_id="WO-1", kinds=[ReminderKind.CALL_AHEAD]).reminders
    assert len(calls) == 1
    assert (
        calls[0].latest.timestamp() == pendulum.datetime(2026, 10, 25, 1, 10, tz="UTC").timestamp()
    )
    assert calls[0].due.timestamp() >= log[-1].epoch


def test_C1_a_morning_visit_may_still_be_confirmed_until_0900_as_the_clock_judges() -> None:
    # The calendar probe: the plan ended C1 at 08:00 (the window's start) while the C1
    # clock, and confirm(), take a confirmation until 09:00 (至少在预约当天9时以前).
    log = [ev("accepted", at(24, 10), tier="gold"), booked(at(24, 10, 5), at(26, 8), at(26, 12))]
    (confirm,) = plan(log, standard=STD, order_id="WO-1").of_kind(ReminderKind.DAY_OF_CONFIRMATION)
    assert (confirm.due, confirm.latest) == (at(26, 8), at(26, 9))
    # Something else logged at 08:30: the confirmation is still owed, and still met by 09:00.
    later = [*log, ev("contacted", at(26, 8, 30))]
    (still,) = plan(later, standard=STD, order_id="WO-1").of_kind(ReminderKind.DAY_OF_CONFIRMATION)
    assert still.latest == at(26, 9)
    clock = fs.sla.evaluate(later, at=at(26, 8, 59), standard=STD)[fs.sla.ClockName.CONFIRMATION]
    assert clock.deadline == still.latest
