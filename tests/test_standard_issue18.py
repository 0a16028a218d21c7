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
