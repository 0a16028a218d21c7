"""What the standard says, second part (#18): rules the order now records by construction."""

from __future__ import annotations

import datetime as dt
import io
import sys
import warnings
from collections.abc import Callable

import pendulum
import pytest
from test_workflow import LABEL, T7, at, booked_install, new_install, on_site, work_done

import fieldservice as fs
from fieldservice import sla
from fieldservice.events import Event, EventKind
from fieldservice.sla import ClockName, ClockState


def test_S1_W2_checklist_events_carry_the_ticked_items_own_rule() -> None:
    order = on_site(booked_install())
    order.start_work(at=at(25, 14, 5), by="T7")
    order.tick("S1", at=at(25, 14, 6), by="T7")
    order.tick("W2", at=at(25, 14, 7), by="T7")
    order.tick("L1", at=at(25, 14, 8), by="T7", label=LABEL)
    updates = [r for r in order.to_records() if r["kind"] == "checklist_updated"]
    assert [r["rule"] for r in updates] == ["S1", "W2", "L1"]
    assert [e.rule for e in order.events if e.kind is EventKind.CHECKLIST_UPDATED] == [
        "S1",
        "W2",
        "L1",
    ]
    page = order._repr_html_()
    assert "<td>S1</td>" in page
    assert "<td>W2</td>" in page


def test_L4_declining_the_modem_label_records_the_hotline_told() -> None:
    std = fs.ServiceStandard.default().replace(hotline="10010")
    order = booked_install()
    order = fs.WorkOrder.from_events(
        id=order.id,
        customer=order.customer,
        events=order.events,
        standard=std,
        technicians=[T7, order.technicians[1]],
    )
    on_site(order)
    order.start_work(at=at(25, 14, 5), by="T7")
    with pytest.raises(fs.InvalidInput) as caught:
        order.decline("L1", at=at(25, 14, 6), by="T7", reason="用户赶时间")
    assert [v.rule for v in caught.value.violations] == ["L4"]
    assert "10010" in str(caught.value)
    event = order.decline("L1", at=at(25, 14, 6), by="T7", reason="用户赶时间", hotline_told=True)
    assert event.data.hotline == "10010"
    assert event.rule == "L1"
    assert order.checklist.item("L1").status.value == "declined"
    with pytest.raises(fs.InvalidInput):
        order.decline("S2", at=at(25, 14, 7), by="T7", reason="不用", hotline_told=True)
    back = fs.WorkOrder.from_json(order.to_json(include_personal=True), standard=std)
    assert back.events == order.events


def _en_route() -> fs.WorkOrder:
    order = booked_install()
    order.confirm(14, at=at(25, 8, 30), by="T7")
    order.depart(at=at(25, 13, 20), by="T7")
    return order


@pytest.mark.parametrize(
    "reason", ["今天客户很多", "排的工单多", "too many orders today", "Too many customers"]
)
def test_T4_too_many_customers_is_never_a_delay_reason_by_construction(reason: str) -> None:
    order = _en_route()
    for cause, note in ((reason, None), ("other", reason), ("traffic", reason)):
        with pytest.raises(fs.InvalidInput) as caught:
            order.report_delay(
                cause, note=note, at=at(25, 13, 40), by="T7", minutes=20, customer_told=True
            )
        assert [v.rule for v in caught.value.violations] == ["T4"]
    assert order.events[-1].kind is EventKind.DEPARTED


@pytest.mark.parametrize(
    "words",
    [
        "too  many customers",
        "TOO MANY CLIENTS today",
        "ｔｏｏ ｍａｎｙ ｃｕｓｔｏｍｅｒｓ",
        "too\u200bmany customers".replace("\u200b", " \u200b"),
        "too many other jobs",
        "今天 客户 太多",
        "手上工单太多",
        "活儿太多,忙不过来",
        "too many of our customers",
        "太多客户了",
        "排单太多",
        "客戶太多",
        "今天客户多",
    ],
)
def test_T4_the_load_given_in_other_words_is_still_refused(words: str) -> None:
    order = _en_route()
    for cause in ("other", "traffic"):
        with pytest.raises(fs.InvalidInput) as caught:
            order.report_delay(
                cause, note=words, at=at(25, 13, 40), by="T7", minutes=20, customer_told=True
            )
        assert [v.rule for v in caught.value.violations] == ["T4"]
    with pytest.raises(fs.InvalidInput) as caught:  # a provider reschedule's reason too
        order.reschedule(
            ("2026-11-27", "morning"),
            at=at(25, 13, 40),
            by="dispatch-1",
            requested_by="provider",
            reason=words,
            contacted=True,
            agreed=True,
        )
    assert [v.rule for v in caught.value.violations] == ["T4"]
    assert order.events[-1].kind is EventKind.DEPARTED


@pytest.mark.parametrize(
    "words",
    [
        "客户多次来电改时间",
        "too much traffic on the ring road",
        "联系客户很多次未接通",
        "订单多次变更,改约下午",
        "客户家里忙不过来,要求晚点到",
        "生活很多不便",
        "too much work on the bridge, road closed",
    ],
)
def test_T4_words_that_do_not_blame_the_load_are_kept(words: str) -> None:
    order = _en_route()
    event = order.report_delay(
        "other", note=words, at=at(25, 13, 40), by="T7", minutes=20, customer_told=True
    )
    assert event.data.delay_note == words


def test_T4_delay_reason_is_a_kind_with_the_words_kept_as_a_note() -> None:
    order = _en_route()
    with pytest.raises(fs.InvalidInput, match="note"):
        order.report_delay("other", at=at(25, 13, 40), by="T7", minutes=20, customer_told=True)
    event = order.report_delay(
        "上一单施工超时",
        note="楼上一户光猫更换",
        at=at(25, 13, 40),
        by="T7",
        minutes=20,
        customer_told=True,
    )
    assert event.data.cause is fs.DelayCause.PREVIOUS_VISIT_OVERRAN
    assert event.data.delay_note == "楼上一户光猫更换"
    assert event.data.reason is None
    assert {c.value for c in fs.DelayCause} == {
        "traffic",
        "previous_visit_overran",
        "vehicle",
        "weather",
        "provider_reschedule",
        "other",
    }


def test_regression_T4_old_logs_with_free_text_delay_reasons_restore_as_other() -> None:
    order = _en_route()
    order.report_delay("traffic", at=at(25, 13, 40), by="T7", minutes=20, customer_told=True)
    data = order.to_dict(include_personal=True)
    data["events"][-1]["data"] = {"reason": "road works", "minutes": 20, "customer_told": True}
    back = fs.WorkOrder.from_dict(data)
    old = back.events[-1].data
    assert (old.delay_cause, old.delay_note) == (fs.DelayCause.OTHER, "road works")
    assert back.state is order.state


def test_B8_provider_reschedule_records_contacted_and_refused_apart() -> None:
    order = booked_install()
    with pytest.raises(fs.TransitionNotAllowed) as caught:
        order.reschedule(
            ("2026-11-26", "morning"),
            at=at(24, 13),
            by="dispatch-1",
            requested_by="provider",
            reason="装维人员病假",
            contacted=False,
            agreed=False,
        )
    assert [(v.rule, v.code) for v in caught.value.violations] == [("B8", "no_prior_contact")]
    event = order.reschedule(
        ("2026-11-26", "morning"),
        at=at(24, 13),
        by="dispatch-1",
        requested_by="provider",
        reason="装维人员病假",
        cause="other",
        contacted=True,
        agreed=False,
    )
    assert (event.data.contacted, event.data.agreed, event.data.consent) == (True, False, None)
    assert event.data.cause is fs.DelayCause.OTHER
    back = fs.WorkOrder.from_json(order.to_json(include_personal=True))
    assert back.events == order.events


def test_B9_customer_request_needs_agreement_and_old_consent_is_still_read() -> None:
    order = booked_install()
    with pytest.raises(fs.TransitionNotAllowed) as caught:
        order.reschedule(
            ("2026-11-26", "morning"),
            at=at(24, 13),
            by="desk-1",
            requested_by="customer",
            reason="客户出差",
            agreed=False,
        )
    assert caught.value.violations[0].rule == "B9"
    with pytest.raises(fs.InvalidInput):
        order.reschedule(
            ("2026-11-26", "morning"),
            at=at(24, 13),
            by="desk-1",
            requested_by="customer",
            reason="客户出差",
            consent=True,
            agreed=False,
        )
    order.reschedule(
        ("2026-11-26", "morning"),
        at=at(24, 13),
        by="desk-1",
        requested_by="customer",
        reason="客户出差",
        consent=True,
    )
    data = order.to_dict(include_personal=True)
    moved = data["events"][-1]["data"]
    del moved["contacted"], moved["agreed"]
    moved["consent"] = True
    back = fs.WorkOrder.from_dict(data)
    assert (back.events[-1].data.was_contacted, back.events[-1].data.was_agreed) == (True, True)
    assert back.reschedules == 1


def test_C1_confirmation_clock_met_by_nine_on_the_visit_day() -> None:
    order = booked_install()
    running = sla.evaluate(order, at=at(25, 8))[ClockName.CONFIRMATION]
    assert running.state is ClockState.RUNNING
    assert running.deadline == at(25, 9)
    assert running.rule == "C1"
    event = order.confirm(14, at=at(25, 8, 30), by="T7")
    assert "late" not in event.data
    assert sla.evaluate(order, at=at(25, 20))[ClockName.CONFIRMATION].state is ClockState.MET


def test_C1_a_late_confirmation_is_flagged_and_breaches_the_clock() -> None:
    order = booked_install()
    assert sla.evaluate(order, at=at(25, 9, 1))[ClockName.CONFIRMATION].state is (
        ClockState.BREACHED
    )
    event = order.confirm(14, at=at(25, 11), by="T7")
    assert event.data.late is True
    status = sla.evaluate(order, at=at(25, 20))[ClockName.CONFIRMATION]
    assert (status.state, status.stopped) == (ClockState.BREACHED, at(25, 11))
    # The same answer from the log alone, and from a log without the flag (older releases).
    back = fs.WorkOrder.from_json(order.to_json(include_personal=True))
    assert sla.evaluate(back, at=at(25, 20))[ClockName.CONFIRMATION] == status


def test_C1_clock_in_another_zone_is_nine_in_the_standards_zone() -> None:
    std = fs.ServiceStandard.default().replace(timezone="Europe/Berlin")
    t = pendulum.datetime(2026, 11, 24, 10, tz="Europe/Berlin")
    log = [
        Event("accepted", t, actor="desk", data={"tier": "gold"}),
        Event(
            "booked",
            t.add(minutes=5),
            actor="desk",
            data={
                "date": "2026-11-26",
                "half": "afternoon",
                "start": "2026-11-26T12:00:00+01:00",
                "end": "2026-11-26T18:00:00+01:00",
            },
        ),
    ]
    status = sla.evaluate(log, at=t.add(hours=1), standard=std)[ClockName.CONFIRMATION]
    assert status.deadline == pendulum.datetime(2026, 11, 26, 9, tz="Europe/Berlin")


def test_C1_a_same_day_booking_after_nine_starts_no_confirmation_clock() -> None:
    t = pendulum.datetime(2026, 11, 24, 10, tz="Asia/Shanghai")
    log = [
        Event("reported", t, actor="desk", data={"tier": "gold"}),
        Event(
            "booked",
            t.add(minutes=5),
            actor="desk",
            data={"start": "2026-11-24T12:00:00+08:00", "end": "2026-11-24T18:00:00+08:00"},
        ),
    ]
    std = fs.ServiceStandard.default()
    assert sla.evaluate(log, at=t.add(hours=3), standard=std)[ClockName.CONFIRMATION].state is (
        ClockState.NOT_STARTED
    )


def test_T2_punctuality_is_judged_against_the_start_of_the_confirmed_hour() -> None:
    order = booked_install()
    order.confirm(14, at=at(25, 8, 30), by="T7")
    order.depart(at=at(25, 13, 20), by="T7")
    event = order.arrive(at=at(25, 14, 25), by="T7")
    report = sla.evaluate(order, at=at(25, 20))
    # Inside the hour: the window clock is met, but 14:25 is not 14:00.
    assert report[ClockName.ARRIVAL].state is ClockState.MET
    punctual = report[ClockName.PUNCTUALITY]
    assert (punctual.state, punctual.deadline) == (ClockState.BREACHED, at(25, 14))
    assert (event.data.late_minutes, event.data.called_ahead) == (25, False)


def test_T2_punctuality_tolerance_is_a_field_of_the_standard() -> None:
    std = fs.ServiceStandard.default().replace(arrival_tolerance=dt.timedelta(minutes=5))
    assert fs.ServiceStandard.from_toml(std.to_toml()) == std
    order = fs.WorkOrder.from_events(
        id="WO-1",
        customer=booked_install().customer,
        events=booked_install().events,
        standard=std,
        technicians=booked_install().technicians,
    )
    order.confirm(14, at=at(25, 8, 30), by="T7")
    order.depart(at=at(25, 13, 20), by="T7")
    event = order.arrive(at=at(25, 14, 4), by="T7")
    assert "late_minutes" not in event.data
    assert sla.evaluate(order, at=at(25, 20))[ClockName.PUNCTUALITY].state is ClockState.MET
    with pytest.raises(fs.StandardError):
        fs.ServiceStandard.default().replace(arrival_tolerance=dt.timedelta(minutes=-1))


def test_T3_a_late_arrival_called_ahead_is_recorded_as_called() -> None:
    order = booked_install()
    order.confirm(14, at=at(25, 8, 30), by="T7")
    order.depart(at=at(25, 13, 20), by="T7")
    order.report_delay("traffic", at=at(25, 13, 50), by="T7", minutes=20, customer_told=True)
    event = order.arrive(at=at(25, 14, 18), by="T7")
    assert (event.data.late_minutes, event.data.called_ahead) == (18, True)


def test_B8_a_reschedule_after_the_window_began_is_late_and_the_miss_stays_breached() -> None:
    order = booked_install()
    order.confirm(14, at=at(25, 8, 30), by="T7")
    event = order.reschedule(
        ("2026-11-27", "morning"),
        at=at(25, 16),
        by="dispatch-1",
        requested_by="provider",
        reason="装维人员未能按时上门",
        cause="previous_visit_overran",
        contacted=True,
        agreed=True,
    )
    assert event.data.late is True
    for judged in (at(25, 17), at(27, 20)):  # the report of that night, and any later one
        report = sla.evaluate(order, at=judged)
        missed = report[ClockName.MISSED_WINDOW]
        assert (missed.state, missed.started, missed.stopped) == (
            ClockState.BREACHED,
            at(25, 14),
            at(25, 16),
        )
    # A new clock for the new window.
    arrival = sla.evaluate(order, at=at(26, 12))[ClockName.ARRIVAL]
    assert (arrival.state, arrival.deadline) == (ClockState.RUNNING, at(27, 12))
    # Shown as such: in the records of the report.
    records = sla.evaluate(order, at=at(26, 12)).to_records()
    assert {"clock": "missed_window", "rule": "B8", "state": "breached"}.items() <= next(
        r for r in records if r["clock"] == "missed_window"
    ).items()


def test_regression_a_timely_reschedule_starts_no_missed_window() -> None:
    order = booked_install()
    event = order.reschedule(
        ("2026-11-27", "morning"),
        at=at(24, 16),
        by="desk-1",
        requested_by="customer",
        reason="客户出差",
        agreed=True,
    )
    assert "late" not in event.data
    state = sla.evaluate(order, at=at(27, 20))[ClockName.MISSED_WINDOW].state
    assert state is ClockState.NOT_STARTED


def _judged_both_ways(order: fs.WorkOrder, judged: pendulum.DateTime) -> sla.ClockStatus:
    """The missed-confirmation clock by ``evaluate``, after checking the streaming judge agrees."""
    report = sla.evaluate(order, at=judged)
    row = sla.OrderJudge(at=judged, standard=order.standard).judge(order.to_dict())
    assert row.states() == [c.state for c in report]
    return report[ClockName.MISSED_CONFIRMATION]


def _move_to_friday(order: fs.WorkOrder, when: pendulum.DateTime) -> None:
    order.reschedule(
        ("2026-11-27", "morning"),
        at=when,
        by="desk-1",
        requested_by="customer",
        reason="客户临时有事",
        agreed=True,
    )


def test_C1_a_late_confirmation_stays_breached_after_a_reschedule() -> None:
    order = booked_install()
    assert order.confirm(14, at=at(25, 11), by="T7").data.late is True
    _move_to_friday(order, at(25, 12))
    for judged in (at(25, 20), at(28, 20)):  # that night's report, and any later one
        missed = _judged_both_ways(order, judged)
        assert (missed.state, missed.rule) == (ClockState.BREACHED, "C1")
        assert (missed.deadline, missed.stopped) == (at(25, 9), at(25, 11))
    # The new day has its own confirmation clock, met by a timely call.
    order.confirm(9, at=at(27, 8), by="T7")
    confirmation = sla.evaluate(order, at=at(27, 20))[ClockName.CONFIRMATION]
    assert (confirmation.state, confirmation.deadline) == (ClockState.MET, at(27, 9))


def test_C1_no_confirmation_by_the_visit_day_stays_breached_after_a_reschedule() -> None:
    order = booked_install()
    _move_to_friday(order, at(25, 10))  # moved at 10:00 of the visit day, never confirmed
    missed = _judged_both_ways(order, at(26, 20))
    assert (missed.state, missed.deadline, missed.stopped) == (
        ClockState.BREACHED,
        at(25, 9),
        at(25, 10),
    )
    assert {"clock": "missed_confirmation", "rule": "C1", "state": "breached"}.items() <= next(
        r
        for r in sla.evaluate(order, at=at(26, 20)).to_records()
        if r["clock"] == "missed_confirmation"
    ).items()


def test_C1_a_missed_confirmation_survives_a_new_booking_after_the_customer_was_away() -> None:
    order = booked_install()
    order.confirm(14, at=at(25, 11), by="T7")  # late (C1)
    order.depart(at=at(25, 13, 20), by="T7", travel=dt.timedelta(minutes=30))
    order.arrive(at=at(25, 13, 52), by="T7")
    order.customer_absent(at=at(25, 13, 59), by="T7", note_left=True)  # K3: back to booking
    order.contact_customer(at=at(25, 15), by="desk-1")
    order.book(fs.AppointmentWindow(dt.date(2026, 11, 27), "morning"), at=at(25, 15), by="desk-1")
    missed = _judged_both_ways(order, at(28, 20))
    assert (missed.state, missed.deadline, missed.stopped) == (
        ClockState.BREACHED,
        at(25, 9),
        at(25, 11),
    )


@pytest.mark.parametrize("confirmed", [True, False])
def test_regression_C1_a_reschedule_before_the_confirm_by_time_starts_no_missed_confirmation(
    confirmed: bool,
) -> None:
    order = booked_install()
    if confirmed:
        order.confirm(14, at=at(25, 8, 30), by="T7")
    _move_to_friday(order, at(25, 8, 45) if confirmed else at(24, 16))
    assert _judged_both_ways(order, at(28, 20)).state is ClockState.NOT_STARTED


def test_W2_a_voided_signature_stays_readable_from_the_order() -> None:
    order = work_done(on_site(booked_install()))
    signed = order.sign(signer="张三", role="customer", at=at(25, 15, 5), by="T7")
    assert [r.voided for r in order.signatures] == [False]
    edit = order.fill_worksheet(
        order.worksheet.add_material("水晶头", 2, "个"), at=at(25, 15, 6), by="T7"
    )
    assert order.signature is None
    (record,) = order.signatures
    assert record.signature == signed.data.signature
    assert record.voided_by is edit
    assert record.holds is True
    order.sign(signer="张三", role="customer", at=at(25, 15, 8), by="T7")
    assert [(r.voided, r.voided_by) for r in order.signatures] == [(True, edit), (False, None)]
    back = fs.WorkOrder.from_json(order.to_json(include_personal=True))
    assert back.signatures == order.signatures
    assert "张三" not in repr(order.signatures)


def test_C4_a_reluctant_customer_is_not_asked_again_the_order_note_stands() -> None:
    order = new_install()
    order.check_resources(True, at=at(24, 10, 31), by="desk-1")
    contact = order.contact_customer(
        at=at(24, 11), by="desk-1", note="光猫放书房, 需带 10 米网线", reluctant=True
    )
    assert contact.data.reluctant is True
    order.book(
        fs.AppointmentWindow(dt.date(2026, 11, 25), "afternoon"), at=at(24, 11, 5), by="desk-1"
    )
    with pytest.raises(fs.InvalidInput):
        order.confirm(14, at=at(25, 8, 30), by="T7", reluctant="yes")  # type: ignore[arg-type]
    confirmed = order.confirm(14, at=at(25, 8, 30), by="T7", reluctant=True)
    assert confirmed.data.reluctant is True
    # The technician reads the note the order holds instead of asking again.
    assert order.note is not None
    assert order.note.reveal() == "光猫放书房, 需带 10 米网线"
    assert "光猫" not in repr(order.note)
    assert "光猫" not in order.to_json()


def test_G5_the_customers_phone_is_used_only_with_consent_recorded() -> None:
    order = on_site(booked_install())
    with pytest.raises(fs.InvalidInput) as caught:
        order.use_customer_phone(at=at(25, 14), by="T7", consent=False)
    assert [v.rule for v in caught.value.violations] == ["G5"]
    assert order.events[-1].kind is EventKind.ENTERED
    event = order.use_customer_phone(
        at=at(25, 14), by="T7", consent=True, purpose="拨打免费业务号码联系机房"
    )
    assert (event.kind, event.rule, event.data.consent) == (
        EventKind.CUSTOMER_PHONE_USED,
        "G5",
        True,
    )
    assert fs.WorkOrder.from_json(order.to_json(include_personal=True)).events == order.events


def test_O1_unclear_customer_data_is_checked_before_booking() -> None:
    order = new_install()
    order.check_resources(True, at=at(24, 10, 31), by="desk-1")
    assert not order.customer_data_checked
    with pytest.raises(fs.InvalidInput):
        order.check_customer_data("neighbour", at=at(24, 10, 40), by="T7")
    event = order.check_customer_data(
        "dispatcher", at=at(24, 10, 40), by="T7", note="门牌号与系统不符, 调度确认为 302"
    )
    assert (event.rule, event.data.via, order.customer_data_checked) == ("O1", "dispatcher", True)
    assert "302" not in order.to_json()
    order.book(
        fs.AppointmentWindow(dt.date(2026, 11, 25), "afternoon"), at=at(24, 11, 5), by="desk-1"
    )
    with pytest.raises(fs.TransitionNotAllowed):
        order.check_customer_data("system", at=at(24, 11, 6), by="T7")


def test_S9_an_out_of_scope_request_is_recorded_with_the_explanation_given() -> None:
    order = on_site(booked_install())
    order.start_work(at=at(25, 14, 5), by="T7")
    with pytest.raises(fs.InvalidInput):
        order.record_out_of_scope("帮忙修电视", at=at(25, 14, 20), by="T7", explanation=" ")
    event = order.record_out_of_scope(
        "帮忙修电视", at=at(25, 14, 20), by="T7", explanation="电视维修不在电信服务范围, 可联系厂家"
    )
    assert (event.rule, event.data.request) == ("S9", "帮忙修电视")
    assert event.data.explanation.startswith("电视维修")
    assert [r["rule"] for r in order.to_records()][-1] == "S9"


def test_regression_checklist_incomplete_lists_one_item_per_line_with_its_rule() -> None:
    order = on_site(booked_install())
    order.start_work(at=at(25, 14, 5), by="T7")
    order.finish_work(at=at(25, 14, 30), by="T7")
    with pytest.raises(fs.ChecklistIncomplete) as caught:
        order.sign(signer="张三", role="customer", at=at(25, 14, 31), by="T7")
    first, *items = str(caught.value).splitlines()
    assert first.endswith(":")
    assert len(items) == len(caught.value.violations) > 3
    assert all(line.startswith("  - [") for line in items)
    assert [line[5:7] for line in items] == [v.rule for v in caught.value.violations]


@pytest.mark.parametrize("old", ["include_secret", "include_secrets"])
def test_regression_one_spelling_include_personal_old_ones_still_work_with_a_warning(
    old: str,
) -> None:
    order = work_done(on_site(booked_install()))
    label = LABEL
    event = order.events[-1]
    calls = {
        "include_secret": (
            label.to_dict,
            order.checklist.to_dict,
            order.checklist.items[0].to_dict,
        ),
        "include_secrets": (event.to_dict,),
    }[old]
    for call in calls:
        new = call(include_personal=True)
        with pytest.warns(DeprecationWarning, match=f"{old} is deprecated"):
            assert call(**{old: True}) == new
    assert label.to_dict(include_personal=True)["password"] == label.password.reveal()


OLD_SPELLINGS = ("include_secret", "include_secrets")


def _old_spellings_taken() -> set[tuple[str, str]]:
    """(callable, old spelling) for every public callable of ``fieldservice.__all__``,
    and of its public modules, that still takes ``include_secret`` or ``include_secrets``."""
    import inspect

    values = []
    for name in fs.__all__:
        value = getattr(fs, name)
        values += [getattr(value, n) for n in getattr(value, "__all__", ())] or [value]
    found: set[tuple[str, str]] = set()
    for value in values:
        members = (
            [m for _, m in inspect.getmembers(value, callable)]
            if inspect.isclass(value)
            else [value]
        )
        for member in members:
            try:
                params = inspect.signature(member).parameters
            except (TypeError, ValueError):
                continue
            found |= {(member.__qualname__, old) for old in OLD_SPELLINGS if old in params}
    return found


def _old_spelling_calls() -> dict[str, tuple[Callable[..., object], tuple[object, ...]]]:
    """How a user calls each of them: its name -> (callable, positional arguments)."""
    import inspect

    from fieldservice import calendar

    order = work_done(on_site(booked_install()))
    return {
        "ModemLabel.to_dict": (LABEL.to_dict, ()),
        "Checklist.to_dict": (order.checklist.to_dict, ()),
        "ChecklistItem.to_dict": (order.checklist.items[0].to_dict, ()),
        # The library's own, not the schema audit's wrapper in conftest.py, which
        # would be the first caller outside the library.
        "Event.to_dict": (inspect.unwrap(fs.Event.to_dict), (order.events[-1],)),
        "to_ical": (calendar.to_ical, ([order],)),
        "event_for": (calendar.event_for, (order,)),
        "feed": (calendar.feed, (T7, [order], at(24, 0), at(30, 0))),
        "write_ical": (calendar.write_ical, ([order], io.BytesIO())),
    }


OLD_SPELLINGS_TAKEN = sorted(_old_spellings_taken())


def test_the_warning_test_calls_every_callable_with_an_old_spelling() -> None:
    assert {name for name, _ in OLD_SPELLINGS_TAKEN} == set(_old_spelling_calls())
    assert ("Event.to_dict", "include_secrets") in OLD_SPELLINGS_TAKEN


@pytest.mark.parametrize(("name", "old"), OLD_SPELLINGS_TAKEN)
def test_regression_a_deprecated_spelling_warns_at_the_users_line(name: str, old: str) -> None:
    # Issue 18: through Checklist, ChecklistItem and ModemLabel the warning named a
    # line inside the library, so a user could not find the call to change.
    call, args = _old_spelling_calls()[name]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        line = sys._getframe().f_lineno + 1
        call(*args, **{old: True})
    deprecations = [w for w in caught if issubclass(w.category, DeprecationWarning)]
    assert [str(w.message) for w in deprecations] == [
        f"{old} is deprecated; pass include_personal instead"
    ]
    assert (deprecations[0].filename, deprecations[0].lineno) == (__file__, line)


def test_regression_public_signatures_say_include_personal_outside_the_calendar() -> None:
    import inspect

    for owner in (fs.ModemLabel, fs.Checklist, fs.ChecklistItem, fs.Event, fs.WorkOrder):
        for name, member in inspect.getmembers(owner, inspect.isfunction):
            params = inspect.signature(member).parameters
            if any(p.startswith("include_secret") for p in params):
                assert "include_personal" in params, (owner.__name__, name)
