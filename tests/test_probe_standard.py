"""Rules an outside reading of the standard's text found the library bending (L1, L4, T4).

Each test names its rule. The scenarios use the public API as an integrator would.
"""

from __future__ import annotations

import datetime as dt

import pytest
from test_workflow import CUSTOMER, T7, at, booked_install, on_site

import fieldservice as fs
from fieldservice.checklist import ItemStatus


def _on_site_move() -> fs.WorkOrder:
    order = fs.WorkOrder.move(
        id="WO-2",
        customer=CUSTOMER,
        products={fs.Product.BROADBAND},
        accepted_at=at(24, 10, 30),
        by="desk-1",
    )
    order.check_resources(True, at=at(24, 10, 31), by="desk-1")
    order.contact_customer(at=at(24, 11), by="desk-1")
    order.book(
        fs.AppointmentWindow(dt.date(2026, 11, 25), "afternoon"), at=at(24, 11, 5), by="desk-1"
    )
    order.assign([T7], contact=T7, at=at(24, 12), by="dispatch-1")
    return on_site(order)


def test_L1_L4_a_new_broadband_install_cannot_waive_its_modem_label() -> None:
    # 宽带用户新装须在MODEM上贴标签: a customer in a hurry declines it under L4, with the
    # hotline told; "not applicable" would skip the hotline.
    order = on_site(booked_install())
    before = order.to_json(include_personal=True)
    with pytest.raises(fs.InvalidInput) as caught:
        order.mark_not_applicable("L1", at=at(25, 14), by="T7", reason="客户赶时间")
    assert [(v.rule, v.code) for v in caught.value.violations] == [("L1", "not_waivable")]
    assert "L4" in str(caught.value)
    assert order.to_json(include_personal=True) == before
    order.decline("L1", at=at(25, 14), by="T7", reason="客户赶时间", hotline_told=True)
    assert order.checklist.item("L1").status is ItemStatus.DECLINED


def test_L1_a_checklist_of_a_new_install_refuses_to_waive_the_label_too() -> None:
    checklist = fs.Checklist.for_order("install", ["broadband"])
    with pytest.raises(fs.InvalidInput) as caught:
        checklist.mark_not_applicable("L1", by="T7", at=at(25, 14), reason="用户赶时间")
    assert [(v.rule, v.code) for v in caught.value.violations] == [("L1", "not_waivable")]


def test_L1_a_moved_modem_keeps_its_label_so_a_move_may_waive_it() -> None:
    order = _on_site_move()
    order.mark_not_applicable("L1", at=at(25, 14), by="T7", reason="原有标签完好")
    assert order.checklist.item("L1").status is ItemStatus.NOT_APPLICABLE


def test_regression_L1_waived_on_an_install_by_an_older_release_still_restores() -> None:
    # A log keeps what was recorded: the fold reads the waiver a release before this one let
    # the command write, and nothing of the order is lost.
    order = on_site(booked_install())
    order.decline("L1", at=at(25, 14), by="T7", reason="客户赶时间", hotline_told=True)
    data = order.to_dict(include_personal=True)
    recorded = data["events"][-1]["data"]
    del recorded["hotline"]
    recorded["action"] = "not_applicable"
    back = fs.WorkOrder.from_dict(data)
    assert back.checklist.item("L1").status is ItemStatus.NOT_APPLICABLE
    assert back.events[-1].data.action == "not_applicable"
