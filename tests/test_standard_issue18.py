"""What the standard says, second part (#18): rules the order now records by construction."""

from __future__ import annotations

import pytest
from test_workflow import LABEL, T7, at, booked_install, on_site

import fieldservice as fs
from fieldservice.events import EventKind


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
