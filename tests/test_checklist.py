"""Tests of the completion checklist, work sheet, modem label, signature and kit list.

Each test that checks a rule of STANDARD.md names the rule first (test_S5_..., test_L1_...).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import decimal
import hashlib
import json
from collections.abc import Callable
from typing import Any

import pendulum
import pytest
from hypothesis import assume, given, reject
from hypothesis import strategies as st

from fieldservice._jsondata import CANONICAL_FORM, stamp
from fieldservice._validate import holds_phone
from fieldservice.checklist import (
    TEMPLATE_VERSIONS,
    Checklist,
    ChecklistItem,
    CustomerOpinion,
    Finding,
    ItemStatus,
    KitItem,
    Material,
    ModemLabel,
    Remedy,
    Secret,
    Signature,
    SignerRole,
    TechnicalParameter,
    WorkSheet,
    check_sign_off,
    kit_list,
    sign_off,
)
from fieldservice.errors import ChecklistIncomplete, FieldServiceError, InvalidInput
from fieldservice.model import OrderKind, PersonalName, Product
from fieldservice.signoff import _canonical_text

AT = pendulum.datetime(2026, 11, 26, 15, tz="Asia/Shanghai")
SIGNED_AT = AT.add(minutes=10)
PASSWORD = "Zx-91qv7PW"
OTHER_PASSWORD = "another-pw-0"
INSTALL, MOVE, REPAIR = OrderKind.INSTALL, OrderKind.MOVE, OrderKind.REPAIR
BROADBAND, FIXED_LINE, IPTV = Product.BROADBAND, Product.FIXED_LINE, Product.IPTV


def modem_label(password: str = PASSWORD) -> ModemLabel:
    return ModemLabel("AD02112345678", "ad02112345678@bb", password)


def proof_for(item_id: str, password: str = PASSWORD) -> dict[str, Any]:
    proofs: dict[str, dict[str, Any]] = {
        "S5": {"evidence": {"optical_power_dbm": -18.5}},
        "L1": {"label": modem_label(password)},
        "L2": {"label": modem_label(password)},
    }
    return proofs.get(item_id, {})


def completed(
    kind: OrderKind = INSTALL,
    products: tuple[Product, ...] = (BROADBAND,),
    *,
    password: str = PASSWORD,
    skip: tuple[str, ...] = (),
) -> Checklist:
    """A checklist with every required item ticked, except those in ``skip``."""
    c = Checklist.for_order(kind, products)
    for item in c.missing():
        if item.id not in skip:
            c = c.tick(item.id, by="T7", at=AT, **proof_for(item.id, password))
    return c


SHEET = WorkSheet(
    technicians=["T7", "T8"],
    materials=[Material("皮线光缆", "20", "m"), Material("水晶头", 2, "个")],
    parameters=[TechnicalParameter("收光功率", "-18.5", "dBm")],
    opinion=CustomerOpinion(satisfied=True),
)


def ids(items: tuple[ChecklistItem, ...]) -> list[str]:
    return [i.id for i in items]


def rules(err: FieldServiceError) -> list[str]:
    return [v.rule for v in err.violations]


def codes(err: FieldServiceError) -> list[str]:
    return [v.code for v in err.violations]


# --- strategies ------------------------------------------------------------------------------

# What the library accepts as one-line text: no control characters, line or paragraph breaks,
# no lone surrogates; stripped and not empty.
_LINE_CHARS = st.characters(exclude_categories=("Cc", "Cs", "Zl", "Zp"))


def texts(max_size: int) -> st.SearchStrategy[str]:
    return st.text(_LINE_CHARS, min_size=1, max_size=max_size).map(str.strip).filter(bool)


passwords = st.text(_LINE_CHARS, min_size=1, max_size=40).filter(lambda s: s == s.strip())
technician_ids = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._:\-]{0,15}", fullmatch=True)
quantities = st.decimals(
    min_value=decimal.Decimal("0.0001"), max_value=10**6, places=4, allow_nan=False
)


def sheet_texts(max_size: int) -> st.SearchStrategy[str]:
    # G1: a work sheet refuses text that reads as a phone (tests/test_leaks_round3.py).
    return texts(max_size).filter(lambda s: not holds_phone(s))


materials = st.builds(Material, sheet_texts(100), quantities, sheet_texts(20))
parameters = st.builds(
    TechnicalParameter, sheet_texts(100), sheet_texts(200), st.just("") | sheet_texts(20)
)
opinions = st.just(CustomerOpinion(satisfied=True)) | st.builds(
    CustomerOpinion,
    st.just(False),
    remedy=st.sampled_from(Remedy),
    action=texts(500),
)
signable_sheets = st.builds(
    WorkSheet,
    technicians=st.lists(technician_ids, min_size=1, max_size=3, unique=True),
    materials=st.lists(materials, max_size=3),
    parameters=st.lists(parameters, max_size=3),
    opinion=opinions,
)
zones = st.sampled_from(["Asia/Shanghai", "UTC", "Asia/Urumqi", "America/New_York"])


# --- S: on site -------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(OrderKind))
def test_S1_every_visit_starts_with_introduction_and_it_cannot_be_waived(kind: OrderKind) -> None:
    c = Checklist.for_order(kind, [FIXED_LINE])
    first = c.items[0]
    assert (first.id, first.rule, first.required) == ("S1", "S1", True)
    assert "服务资格证" in first.label_zh
    assert "certificate" in first.label_en
    with pytest.raises(InvalidInput) as caught:
        c.mark_not_applicable("S1", by="T7", at=AT, reason="客户认识装维人员")
    assert (rules(caught.value), codes(caught.value)) == (["S1"], ["not_waivable"])


def test_S2_customer_may_decline_shoe_covers_with_a_reason() -> None:
    c = Checklist.for_order(INSTALL, [FIXED_LINE])
    declined = c.decline("S2", by="T7", at=AT, reason="用户坚持让穿拖鞋")
    item = declined.item("S2")
    assert (item.status, item.by, item.at, item.reason) == (
        ItemStatus.DECLINED,
        "T7",
        AT,
        "用户坚持让穿拖鞋",
    )
    assert "S2" not in ids(declined.missing())
    assert "S2" in ids(c.missing())
    with pytest.raises(InvalidInput):
        c.decline("S2", by="T7", at=AT, reason="   ")


@pytest.mark.parametrize("kind", list(OrderKind))
def test_S3_service_boundary_is_required_on_every_kind_and_always_applies(
    kind: OrderKind,
) -> None:
    c = Checklist.for_order(kind, [BROADBAND])
    assert c.item("S3").required
    assert "服务的界面" in c.item("S3").label_zh
    with pytest.raises(InvalidInput) as caught:
        c.mark_not_applicable("S3", by="T7", at=AT, reason="老客户")
    assert codes(caught.value) == ["not_waivable"]


def test_S4_consent_is_on_installs_and_moves_and_may_not_apply_with_a_reason() -> None:
    assert "S4" in ids(Checklist.for_order(INSTALL, [FIXED_LINE]).items)
    assert "S4" in ids(Checklist.for_order(MOVE, [FIXED_LINE]).items)
    repair = Checklist.for_order(REPAIR, [FIXED_LINE])
    assert "S4" not in ids(repair.items)
    with pytest.raises(InvalidInput):
        repair.tick("S4", by="T7", at=AT)
    waived = Checklist.for_order(MOVE, [FIXED_LINE]).mark_not_applicable(
        "S4", by="T7", at=AT, reason="沿用原有布线,无需新布线"
    )
    assert waived.item("S4").status is ItemStatus.NOT_APPLICABLE
    assert waived.item("S4").reason == "沿用原有布线,无需新布线"
    with pytest.raises(InvalidInput):
        Checklist.for_order(MOVE, [FIXED_LINE]).mark_not_applicable("S4", by="T7", at=AT, reason="")


def test_S5_signing_with_S5_open_raises_and_names_S5() -> None:
    c = completed(skip=("S5",))
    with pytest.raises(ChecklistIncomplete) as caught:
        sign_off(c, SHEET, signer="张三", role="customer", at=SIGNED_AT)
    err = caught.value
    assert err.code == "checklist_incomplete"
    assert [(v.rule, v.code) for v in err.violations] == [("S5", "item_open")]
    assert "S5" in str(err)
    assert ids(c.missing()) == ["S5"]


def test_S5_tick_needs_the_test_result_and_keeps_it() -> None:
    c = Checklist.for_order(INSTALL, [BROADBAND])
    with pytest.raises(InvalidInput) as caught:
        c.tick("S5", by="T7", at=AT)
    assert (rules(caught.value), codes(caught.value)) == (["S5"], ["evidence_missing"])
    done = c.tick("S5", by="T7", at=AT, evidence={"optical_power_dbm": -18.5, "online": True})
    item = done.item("S5")
    assert (item.status, item.by, item.at) == (ItemStatus.DONE, "T7", AT)
    assert dict(item.evidence) == {"optical_power_dbm": -18.5, "online": True}
    restored = Checklist.from_dict(json.loads(json.dumps(done.to_dict())))
    assert restored.item("S5").evidence["optical_power_dbm"] == -18.5


def test_S5_the_end_to_end_test_cannot_be_waived_or_declined() -> None:
    c = Checklist.for_order(REPAIR, [FIXED_LINE])
    with pytest.raises(InvalidInput) as waived:
        c.mark_not_applicable("S5", by="T7", at=AT, reason="客户说不用测")
    assert codes(waived.value) == ["not_waivable"]
    with pytest.raises(InvalidInput) as declined:
        c.decline("S5", by="T7", at=AT, reason="客户说不用测")
    assert codes(declined.value) == ["not_declinable"]


def test_S6_demo_and_manual_on_installs_and_moves_not_on_repairs() -> None:
    assert Checklist.for_order(INSTALL, [IPTV]).item("S6").required
    assert Checklist.for_order(MOVE, [IPTV]).item("S6").required
    assert "S6" not in ids(Checklist.for_order(REPAIR, [IPTV]).items)
    assert "使用手册" in Checklist.for_order(INSTALL, [IPTV]).item("S6").label_zh
    waived = Checklist.for_order(MOVE, [IPTV]).mark_not_applicable(
        "S6", by="T7", at=AT, reason="移机,用户已熟悉使用"
    )
    assert "S6" not in ids(waived.missing())


@pytest.mark.parametrize("kind", list(OrderKind))
def test_S7_restore_and_clean_blocks_sign_off_until_ticked(kind: OrderKind) -> None:
    c = completed(kind, (FIXED_LINE,), skip=("S7",))
    assert [v.rule for v in check_sign_off(c, SHEET)] == ["S7"]
    assert "清理现场" in c.item("S7").label_zh
    assert check_sign_off(c.tick("S7", by="T7", at=AT), SHEET) == ()


# --- W: work sheet and sign-off -------------------------------------------------------------


def test_W1_sign_off_needs_the_technicians_on_the_work_sheet() -> None:
    sheet = WorkSheet(opinion=CustomerOpinion(satisfied=True))
    with pytest.raises(ChecklistIncomplete) as caught:
        sign_off(completed(), sheet, signer="张三", role="customer", at=SIGNED_AT)
    assert [(v.rule, v.code) for v in caught.value.violations] == [("W1", "no_technicians")]
    assert "W1" in ids(Checklist.for_order(REPAIR, [IPTV]).missing())


def test_W1_work_sheet_records_materials_parameters_and_technicians() -> None:
    sheet = (
        WorkSheet(technicians=["T7"])
        .add_material("皮线光缆", "20.50", "m")
        .add_parameter("收光功率", "-18.5", "dBm")
    )
    assert sheet.materials == (Material("皮线光缆", decimal.Decimal("20.5"), "m"),)
    assert sheet.to_dict()["materials"] == [{"name": "皮线光缆", "quantity": "20.5", "unit": "m"}]
    assert sheet.parameters[0].unit == "dBm"
    assert WorkSheet.from_dict(json.loads(json.dumps(sheet.to_dict()))) == sheet
    with pytest.raises(InvalidInput, match="twice"):
        WorkSheet(technicians=["T7", "T7"])
    with pytest.raises(InvalidInput):
        WorkSheet(technicians="T7")


@pytest.mark.parametrize(
    "quantity", [0, -1, "abc", float("nan"), "Infinity", "sNaN", True, 10**7, "0.00001", None]
)
def test_W1_material_quantity_must_be_a_positive_number(quantity: object) -> None:
    with pytest.raises(InvalidInput, match="material quantity"):
        Material("水晶头", quantity, "个")


@given(quantities)
def test_W1_equal_quantities_are_written_the_same_way(quantity: decimal.Decimal) -> None:
    padded = Material("水晶头", f"{quantity:.4f}", "个")
    plain = Material("水晶头", quantity, "个")
    assert padded == plain
    assert padded.to_dict() == plain.to_dict()
    assert Material.from_dict(plain.to_dict()) == plain


@given(signable_sheets)
def test_W1_any_work_sheet_round_trips_through_json_exactly(sheet: WorkSheet) -> None:
    clear = sheet.to_dict(include_personal=True)
    data = json.loads(json.dumps(clear, ensure_ascii=False))
    assert WorkSheet.from_dict(data) == sheet
    assert WorkSheet.from_dict(data).to_dict(include_personal=True) == clear


def test_W1_text_that_cannot_be_hashed_is_refused() -> None:
    with pytest.raises(InvalidInput, match="not valid Unicode"):
        Material("\ud800光缆", 1, "m")


def test_W2_sign_off_needs_the_customer_opinion_and_the_W2_item() -> None:
    sheet = WorkSheet(technicians=["T7"])
    with pytest.raises(ChecklistIncomplete) as caught:
        sign_off(completed(skip=("W2",)), sheet, signer="张三", role="customer", at=SIGNED_AT)
    assert [(v.rule, v.code) for v in caught.value.violations] == [
        ("W2", "item_open"),
        ("W2", "opinion_missing"),
    ]
    with pytest.raises(InvalidInput) as waived:
        Checklist.for_order(INSTALL, [IPTV]).mark_not_applicable(
            "W2", by="T7", at=AT, reason="客户不在"
        )
    assert codes(waived.value) == ["not_waivable"]


def test_W2_signature_verifies_and_no_longer_after_the_work_sheet_changes() -> None:
    c = completed()
    sig = sign_off(c, SHEET, signer="张三", role=SignerRole.CUSTOMER, at=SIGNED_AT)
    assert sig.verify(c, SHEET)
    assert len(sig.digest) == 64
    assert not sig.verify(c, SHEET.add_material("水晶头", 1, "个"))
    assert not sig.verify(
        c, SHEET.with_opinion(CustomerOpinion(False, remedy="explained", action="解释了服务界面"))
    )
    assert sig.verify(c, SHEET)  # the values themselves never changed


def test_W2_signature_no_longer_verifies_after_the_checklist_or_signature_changes() -> None:
    c = completed()
    sig = sign_off(c, SHEET, signer="张三", role="customer", at=SIGNED_AT)
    relabelled = Checklist.for_order(INSTALL, (BROADBAND,))
    for item in relabelled.missing():
        proof = proof_for(item.id)
        if item.id == "L1":
            proof = {"label": ModemLabel("AD0099", "ad0099@bb", PASSWORD)}
        relabelled = relabelled.tick(item.id, by="T7", at=AT, **proof)
    assert not sig.verify(relabelled, SHEET)
    # The password is not signed (G1): another password leaves the signature valid.
    assert sig.verify(completed(password=OTHER_PASSWORD), SHEET)
    waived_l3 = c.mark_not_applicable("L3", by="T7", at=AT, reason="无须防雷的终端")
    assert not sig.verify(waived_l3, SHEET)
    for changed in (
        Signature("张三丰", sig.role, sig.at, digest=sig.digest),
        Signature(sig.signer, "proxy", sig.at, digest=sig.digest),
        Signature(sig.signer, sig.role, sig.at.add(seconds=1), digest=sig.digest),
    ):
        assert not changed.verify(c, SHEET)


def test_W2_signature_ignores_the_zone_a_time_is_written_in() -> None:
    c = completed()
    sig = sign_off(c, SHEET, signer="张三", role="customer", at=SIGNED_AT)
    in_utc = Signature(sig.signer, sig.role, SIGNED_AT.in_timezone("UTC"), digest=sig.digest)
    assert in_utc.verify(c, SHEET)
    assert in_utc == sig


def test_W2_sign_off_before_an_item_was_resolved_is_refused() -> None:
    c = completed()
    with pytest.raises(InvalidInput) as caught:
        sign_off(c, SHEET, signer="张三", role="customer", at=AT.subtract(minutes=1))
    assert codes(caught.value) == ["signed_too_early"]
    assert not isinstance(caught.value, ChecklistIncomplete)


@given(sheet=signable_sheets, data=st.data())
def test_W2_any_change_to_a_signed_work_sheet_breaks_verify(
    sheet: WorkSheet, data: st.DataObject
) -> None:
    c = completed()
    sig = sign_off(c, sheet, signer="张三", role="customer", at=SIGNED_AT)
    mutations: list[Callable[[], WorkSheet]] = [
        lambda: sheet.add_material(*_material_args(data.draw(materials))),
        lambda: sheet.add_parameter(*_parameter_args(data.draw(parameters))),
        lambda: WorkSheet(
            technicians=[*sheet.technicians, data.draw(technician_ids)],
            materials=sheet.materials,
            parameters=sheet.parameters,
            opinion=sheet.opinion,
        ),
        lambda: sheet.with_opinion(data.draw(opinions)),
        lambda: WorkSheet(
            technicians=sheet.technicians[::-1],
            materials=sheet.materials[::-1],
            parameters=sheet.parameters[::-1],
            opinion=sheet.opinion,
        ),
    ]
    try:
        changed = data.draw(st.sampled_from(mutations))()
    except InvalidInput:  # e.g. a technician drawn twice
        reject()
    assume(changed != sheet)
    assert sig.verify(c, sheet)
    assert not sig.verify(c, changed)


def _material_args(m: Material) -> tuple[str, decimal.Decimal, str]:
    return (m.name, m.quantity, m.unit)


def _parameter_args(p: TechnicalParameter) -> tuple[str, str, str]:
    return (p.name, p.value, p.unit)


@given(
    sheet=signable_sheets,
    reason=texts(200),
    reading=texts(200),
    password=passwords,
    signer=texts(100),
    zone=zones,
)
def test_W2_random_text_never_breaks_the_digest_round_trip(
    sheet: WorkSheet, reason: str, reading: str, password: str, signer: str, zone: str
) -> None:
    c = Checklist.for_order(INSTALL, [BROADBAND, FIXED_LINE]).mark_not_applicable(
        "S4", by="T7", at=AT, reason=reason
    )
    for item in c.missing():
        extra = {"evidence": {"reading": reading}} if item.id == "S5" else {}
        c = c.tick(
            item.id, by="T7", at=AT.in_timezone(zone), **{**proof_for(item.id, password), **extra}
        )
    sig = sign_off(c, sheet, signer=signer, role="proxy", at=SIGNED_AT.in_timezone(zone))

    def through_json(value: dict[str, Any]) -> Any:
        return json.loads(json.dumps(value, ensure_ascii=False))

    c2 = Checklist.from_dict(through_json(c.to_dict(include_personal=True)))
    sheet2 = WorkSheet.from_dict(through_json(sheet.to_dict(include_personal=True)))
    sig2 = Signature.from_dict(through_json(sig.to_dict(include_personal=True)))
    assert (c2, sheet2, sig2) == (c, sheet, sig)
    assert c2.to_dict(include_personal=True) == c.to_dict(include_personal=True)
    assert sig2.verify(c2, sheet2)


def test_W3_a_dissatisfied_customer_needs_the_remedy_and_what_was_done() -> None:
    with pytest.raises(InvalidInput) as caught:
        CustomerOpinion(satisfied=False)
    assert (rules(caught.value), codes(caught.value)) == (["W3"], ["outcome_missing"])
    with pytest.raises(InvalidInput):
        CustomerOpinion(satisfied=False, remedy="resolved")
    with pytest.raises(InvalidInput):
        CustomerOpinion(satisfied=False, action="重新整理了走线")
    with pytest.raises(InvalidInput):
        CustomerOpinion(satisfied=True, remedy="resolved", action="重新整理了走线")
    opinion = CustomerOpinion(
        False, remedy=Remedy.EXPLAINED, action="说明了服务界面,室内装修不在范围内"
    )
    clear = opinion.to_dict(include_personal=True)
    assert CustomerOpinion.from_dict(json.loads(json.dumps(clear))) == opinion
    # What was done may name the customer (G1): masked unless asked for, and read back withheld.
    assert opinion.to_dict()["action"] == {"$secret": None}
    assert "FreeText('******')" in repr(opinion)
    assert "说明了" not in repr(opinion)
    assert CustomerOpinion.from_dict(opinion.to_dict()).action.withheld
    sheet = WorkSheet(technicians=["T7"], opinion=opinion)
    c = completed()
    assert sign_off(c, sheet, signer="张三", role="customer", at=SIGNED_AT).verify(c, sheet)


# --- L: labels -----------------------------------------------------------------------------------


def test_L1_broadband_install_has_L1_and_its_password_never_shows() -> None:
    c = completed()
    item = c.item("L1")
    assert item.required
    assert item.label is not None
    assert item.label.password.reveal() == PASSWORD
    shown = [
        repr(c),
        str(c),
        f"{c}",
        repr(item),
        str(item.label),
        f"{item.label.password}",
        json.dumps(c.to_dict(), ensure_ascii=False),
        json.dumps(item.to_dict(), ensure_ascii=False),
        json.dumps(item.label.to_dict()),
    ]
    for text in shown:
        assert PASSWORD not in text
    assert "******" in repr(c)
    assert c.to_dict()["items"][ids(c.items).index("L1")]["label"]["password"] is None
    assert PASSWORD in json.dumps(c.to_dict(include_personal=True))


@pytest.mark.parametrize(
    ("kind", "products", "has_l1"),
    [
        (INSTALL, [BROADBAND], True),
        (MOVE, [BROADBAND, FIXED_LINE], True),
        (INSTALL, [FIXED_LINE, IPTV], False),
        (REPAIR, [BROADBAND], False),
    ],
)
def test_L1_only_broadband_installs_and_moves_have_the_modem_label(
    kind: OrderKind, products: list[Product], has_l1: bool
) -> None:
    assert ("L1" in ids(Checklist.for_order(kind, products).items)) is has_l1


def test_L1_ticking_the_label_needs_the_label_and_only_label_items_take_one() -> None:
    c = Checklist.for_order(INSTALL, [BROADBAND])
    with pytest.raises(InvalidInput) as caught:
        c.tick("L1", by="T7", at=AT)
    assert (rules(caught.value), codes(caught.value)) == (["L1"], ["label_missing"])
    with pytest.raises(InvalidInput) as wrong:
        c.tick("S1", by="T7", at=AT, label=modem_label())
    assert codes(wrong.value) == ["label_not_expected"]
    assert c.tick("L1", by="T7", at=AT, label=modem_label()).item("L1").label == modem_label()


def test_L1_masked_export_cannot_be_restored_and_a_full_one_is_exact() -> None:
    c = completed()
    with pytest.raises(InvalidInput, match="masked") as caught:
        Checklist.from_dict(json.loads(json.dumps(c.to_dict())))
    assert PASSWORD not in str(caught.value)
    full = json.loads(json.dumps(c.to_dict(include_personal=True)))
    assert Checklist.from_dict(full) == c
    assert Checklist.from_dict(full).to_dict(include_personal=True) == full
    label = modem_label()
    assert ModemLabel.from_dict(label.to_dict(include_personal=True)) == label
    with pytest.raises(InvalidInput, match="masked"):
        ModemLabel.from_dict(label.to_dict())


def test_L2_repair_label_is_optional_until_the_technician_reports_it_missing() -> None:
    c = completed(REPAIR, (BROADBAND,))
    assert not c.item("L2").required
    assert c.item("L2").is_open
    assert check_sign_off(c, SHEET) == ()
    found = c.report_finding(Finding.LABEL_MISSING)
    assert found.item("L2").required
    assert [(v.rule, v.code) for v in check_sign_off(found, SHEET)] == [("L2", "item_open")]
    assert found.report_finding("label_missing") == found
    labelled = found.tick("L2", by="T7", at=AT, label=modem_label())
    assert check_sign_off(labelled, SHEET) == ()
    assert Checklist.from_dict(labelled.to_dict(include_personal=True)) == labelled


def test_L2_a_missing_label_is_not_a_finding_on_a_fixed_line_repair_or_after_waiving() -> None:
    with pytest.raises(InvalidInput, match="broadband"):
        Checklist.for_order(REPAIR, [FIXED_LINE]).report_finding(Finding.LABEL_MISSING)
    waived = Checklist.for_order(REPAIR, [BROADBAND]).mark_not_applicable(
        "L2", by="T7", at=AT, reason="标签完好"
    )
    with pytest.raises(InvalidInput) as caught:
        waived.report_finding(Finding.LABEL_MISSING)
    assert codes(caught.value) == ["contradicts_not_applicable"]


@pytest.mark.parametrize("kind", list(OrderKind))
def test_L3_lightning_label_is_optional_until_a_terminal_needs_it(kind: OrderKind) -> None:
    c = completed(kind, (IPTV,))
    assert not c.item("L3").required
    assert check_sign_off(c, SHEET) == ()
    needed = c.report_finding(Finding.LIGHTNING_PROTECTION)
    assert ids(needed.missing()) == ["L3"]
    assert check_sign_off(needed.tick("L3", by="T7", at=AT), SHEET) == ()
    waived = c.mark_not_applicable("L3", by="T7", at=AT, reason="无须防雷的终端设备")
    assert waived.item("L3").status is ItemStatus.NOT_APPLICABLE


def test_L4_customer_may_decline_labels_with_a_reason_and_sign_off_goes_ahead() -> None:
    c = completed(skip=("L1",)).decline(
        "L1", by="T7", at=AT, reason="用户赶时间;已说明必要性并告知10000热线"
    )
    assert c.item("L1").status is ItemStatus.DECLINED
    assert c.item("L1").label is None
    assert sign_off(c, SHEET, signer="张三", role="customer", at=SIGNED_AT).verify(c, SHEET)
    repair = Checklist.for_order(REPAIR, [BROADBAND]).report_finding("label_missing")
    assert "L2" not in ids(repair.decline("L2", by="T7", at=AT, reason="用户认为太麻烦").missing())
    with pytest.raises(InvalidInput) as caught:
        repair.decline("S3", by="T7", at=AT, reason="用户赶时间")
    assert codes(caught.value) == ["not_declinable"]


# --- T, O, K: before leaving ----------------------------------------------------------------------


def kit_labels(kit: tuple[KitItem, ...]) -> list[tuple[str, str]]:
    return [(k.rule, k.label_zh) for k in kit]


def test_T1_kit_always_has_tools_materials_forms_manuals_and_message_notes() -> None:
    for kind in OrderKind:
        kit = kit_labels(kit_list(kind, [FIXED_LINE]))
        assert kit == [
            ("T1", "工具包"),
            ("T1", "施工材料、修障备件、附件"),
            ("T1", "意见征询函"),
            ("T1", "客户使用手册"),
            ("K3", "留言条"),
        ]


def test_T1_gifts_the_order_names_are_carried() -> None:
    kit = kit_list(INSTALL, [IPTV], gifts=["遥控器电池", "路由器"])
    assert kit_labels(kit)[-2:] == [("T1", "赠品:遥控器电池"), ("T1", "赠品:路由器")]
    assert kit[-1].label_en == "gift: 路由器"
    with pytest.raises(InvalidInput):
        kit_list(INSTALL, [IPTV], gifts="路由器")


def test_K3_message_notes_travel_on_every_visit() -> None:
    for kind in OrderKind:
        assert ("K3", "留言条") in kit_labels(kit_list(kind, [BROADBAND]))


def test_O2_invoice_for_charges_and_agreement_papers_for_agreements() -> None:
    plain = kit_labels(kit_list(INSTALL, [FIXED_LINE]))
    assert ("O2", "收费发票") not in plain
    assert ("O2", "协议资料") not in plain
    charged = kit_labels(kit_list(INSTALL, [FIXED_LINE], charges=True))
    assert ("O2", "收费发票") in charged
    assert ("O2", "协议资料") not in charged
    both = kit_labels(kit_list(MOVE, [FIXED_LINE], charges=True, agreement=True))
    assert [k for k in both if k[0] == "O2"] == [("O2", "收费发票"), ("O2", "协议资料")]
    with pytest.raises(InvalidInput):
        kit_list(INSTALL, [FIXED_LINE], charges="yes")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kind", "products", "rule"),
    [
        (INSTALL, [BROADBAND], "L1"),
        (MOVE, [BROADBAND], "L1"),
        (REPAIR, [BROADBAND], "L2"),
        (INSTALL, [FIXED_LINE], None),
    ],
)
def test_L1_modem_label_stickers_travel_with_broadband(
    kind: OrderKind, products: list[Product], rule: str | None
) -> None:
    stickers = [k.rule for k in kit_list(kind, products) if k.label_zh == "MODEM 标签"]
    assert stickers == ([] if rule is None else [rule])


def test_kit_items_round_trip() -> None:
    for item in kit_list(INSTALL, [BROADBAND], charges=True, agreement=True, gifts=["路由器"]):
        assert KitItem.from_dict(json.loads(json.dumps(item.to_dict()))) == item


# --- G1: private by default ------------------------------------------------------------------------


def test_G1_a_secret_is_masked_in_repr_str_and_format() -> None:
    secret = Secret(PASSWORD)
    for text in (repr(secret), str(secret), f"{secret}", f"{secret:>20}", format(secret)):
        assert PASSWORD not in text
    assert secret.reveal() == PASSWORD
    assert Secret(PASSWORD) == secret
    assert Secret(OTHER_PASSWORD) != secret


@pytest.mark.parametrize(
    "bad", ["", " leading-space", "tab\tinside", "new\nline", "\ud800x", 12345]
)
def test_G1_a_rejected_secret_is_never_echoed(bad: object) -> None:
    with pytest.raises(InvalidInput) as caught:
        Secret(bad)
    message = str(caught.value)
    if isinstance(bad, str) and bad.strip():
        assert bad.strip() not in message
    assert "12345" not in message


def _views(password: str) -> list[str]:
    """Everything a log, an error or an export may show of a visit with this password."""
    label = modem_label(password)
    c = completed(password=password)
    sig = sign_off(c, SHEET, signer="张三", role="customer", at=SIGNED_AT)
    views = [
        repr(label),
        str(label),
        f"{label}",
        repr(label.password),
        str(label.password),
        f"{label.password}",
        repr(c),
        str(c),
        repr(c.item("L1")),
        json.dumps(label.to_dict(), ensure_ascii=False),
        json.dumps(c.to_dict(), ensure_ascii=False),
        repr(sig.signer),
    ]
    with pytest.raises(InvalidInput) as wrong_item:
        Checklist.for_order(INSTALL, [BROADBAND]).tick("S1", by="T7", at=AT, label=label)
    with pytest.raises(ChecklistIncomplete) as blocked:
        sign_off(
            c.report_finding("lightning_protection"),
            SHEET,
            signer="张三",
            role="customer",
            at=SIGNED_AT,
        )
    with pytest.raises(InvalidInput) as bad_account:
        ModemLabel("", "u1", password)
    with pytest.raises(InvalidInput) as closed:
        c.tick("L1", by="T7", at=AT, label=label)
    views += [str(e.value) for e in (wrong_item, blocked, bad_account, closed)]
    return views


@given(passwords)
def test_G1_random_passwords_never_show_in_repr_str_json_or_errors(password: str) -> None:
    assume(password != OTHER_PASSWORD)
    # Nothing shown depends on the password at all: it cannot be in any of it.
    assert _views(password) == _views(OTHER_PASSWORD)


@given(passwords)
def test_G1_the_digest_does_not_depend_on_the_password(password: str) -> None:
    # A digest over a short initial password would let its holder test guesses of it.
    assume(password != OTHER_PASSWORD)

    def canonical(pw: str) -> str:
        return _canonical_text(
            completed(password=pw),
            SHEET,
            PersonalName("张三"),
            SignerRole.CUSTOMER,
            SIGNED_AT,
        )

    text = canonical(password)
    assert text == canonical(OTHER_PASSWORD)
    assert hashlib.sha256(password.encode("utf-8")).hexdigest() not in text


def test_G1_the_signer_is_masked_and_rejected_ids_are_not_echoed() -> None:
    sig = sign_off(completed(), SHEET, signer="张三丰", role="customer", at=SIGNED_AT)
    assert "张三丰" not in repr(sig)
    assert "三丰" not in str(sig)
    assert sig.signer.reveal() == "张三丰"
    assert sig.to_dict(include_personal=True)["signer"] == "张三丰"
    with pytest.raises(InvalidInput) as caught:
        Checklist.for_order(INSTALL, [IPTV]).tick("S1", by="张三丰", at=AT)
    assert "张三丰" not in str(caught.value)
    with pytest.raises(InvalidInput) as unknown:
        Checklist.for_order(INSTALL, [IPTV]).item("张三丰家")
    assert "张三丰" not in str(unknown.value)
    with pytest.raises(InvalidInput, match="'S9'"):
        Checklist.for_order(INSTALL, [IPTV]).item("S9")
    with pytest.raises(InvalidInput) as material:
        Material("皮线\x00光缆", 1, "m")
    assert "光缆" not in str(material.value)


# --- the checklist as a value ----------------------------------------------------------------------


def test_template_table_is_versioned_and_an_unknown_version_is_refused() -> None:
    assert "2026.1" in TEMPLATE_VERSIONS
    assert (
        Checklist.for_order(INSTALL, [IPTV], template_version="2026.1").template_version == "2026.1"
    )
    with pytest.raises(InvalidInput, match="template version") as caught:
        Checklist.for_order(INSTALL, [IPTV], template_version="2025.9")
    assert caught.value.code == "invalid_input"
    data = Checklist.for_order(INSTALL, [IPTV]).to_dict()
    with pytest.raises(InvalidInput, match="template version"):
        Checklist.from_dict({**data, "template_version": "2025.9"})


@pytest.mark.parametrize(
    ("kind", "products", "expected"),
    [
        (INSTALL, [BROADBAND], ["S1", "S2", "S3", "S4", "S5", "S6", "L1", "L3", "S7", "W1", "W2"]),
        (MOVE, [FIXED_LINE], ["S1", "S2", "S3", "S4", "S5", "S6", "L3", "S7", "W1", "W2"]),
        (REPAIR, [BROADBAND], ["S1", "S2", "S3", "S5", "L2", "L3", "S7", "W1", "W2"]),
        (REPAIR, [IPTV], ["S1", "S2", "S3", "S5", "L3", "S7", "W1", "W2"]),
    ],
)
def test_template_picks_items_by_kind_and_products(
    kind: OrderKind, products: list[Product], expected: list[str]
) -> None:
    c = Checklist.for_order(kind, products)
    assert ids(c.items) == expected
    assert all(i.rule == i.id and i.label_zh and i.label_en for i in c.items)
    assert [i.id for i in c.items if not i.required] == [i for i in expected if i in ("L2", "L3")]


def test_orders_need_a_known_kind_and_at_least_one_product() -> None:
    with pytest.raises(InvalidInput, match="at least one product"):
        Checklist.for_order(INSTALL, [])
    with pytest.raises(InvalidInput, match="order kind"):
        Checklist.for_order("upgrade", [IPTV])
    with pytest.raises(InvalidInput, match="product"):
        kit_list(INSTALL, ["satellite"])
    assert Checklist.for_order("install", ["iptv", "iptv"]).products == (IPTV,)


def test_time_is_explicit_and_naive_datetimes_are_refused() -> None:
    c = Checklist.for_order(INSTALL, [IPTV])
    with pytest.raises(InvalidInput, match="naive"):
        c.tick("S1", by="T7", at=dt.datetime(2026, 11, 26, 15))
    with pytest.raises(InvalidInput, match="naive"):
        sign_off(completed(), SHEET, signer="张三", role="customer", at=dt.datetime(2026, 11, 26))
    aware = dt.datetime(2026, 11, 26, 15, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    assert c.tick("S1", by="T7", at=aware).item("S1").at == AT


def test_a_refused_change_leaves_the_checklist_as_it_was() -> None:
    c = Checklist.for_order(INSTALL, [BROADBAND]).tick("S1", by="T7", at=AT)
    before = c.to_dict()
    with pytest.raises(InvalidInput) as closed:
        c.tick("S1", by="T8", at=AT.add(minutes=1))
    assert codes(closed.value) == ["item_closed"]
    refusals: tuple[Callable[[], Checklist], ...] = (
        lambda: c.tick("S9", by="T7", at=AT),
        lambda: c.tick("S5", by="T7", at=AT),
        lambda: c.mark_not_applicable("S1", by="T7", at=AT, reason="重复"),
        lambda: c.decline("S5", by="T7", at=AT, reason="不用"),
        lambda: c.tick("S2", by="not an id", at=AT),
    )
    for refused in refusals:
        with pytest.raises(InvalidInput):
            refused()
    assert c.to_dict() == before
    assert c.item("S1").by == "T7"


def test_checklist_items_must_match_their_template() -> None:
    data = completed().to_dict(include_personal=True)
    s5 = ids(completed().items).index("S5")
    tampered: list[Callable[[dict[str, Any]], None]] = [
        lambda d: d["items"].pop(),
        lambda d: d["items"][0].update(label_en="Say hello"),
        lambda d: d["items"][0].update(required=False),
        lambda d: d["items"][s5].update(evidence={}),
        lambda d: d["items"][s5].update(status="not_applicable", reason="无", evidence={}),
        lambda d: d["items"][0].update(status="open"),
        lambda d: d.update(kind="repair"),
        lambda d: d.update(extra=1),
    ]
    for tamper in tampered:
        copy = json.loads(json.dumps(data))
        tamper(copy)
        with pytest.raises(InvalidInput):
            Checklist.from_dict(copy)


def _tick(c: Checklist, item_id: str, _: str, password: str) -> Checklist:
    return c.tick(item_id, by="T7", at=AT, **proof_for(item_id, password))


def _waive(c: Checklist, item_id: str, reason: str, _: str) -> Checklist:
    return c.mark_not_applicable(item_id, by="T7", at=AT, reason=reason)


def _decline(c: Checklist, item_id: str, reason: str, _: str) -> Checklist:
    return c.decline(item_id, by="T7", at=AT, reason=reason)


def _find(c: Checklist, item_id: str, _: str, __: str) -> Checklist:
    return c.report_finding("label_missing" if item_id == "L2" else "lightning_protection")


_COMMANDS: dict[str, Callable[[Checklist, str, str, str], Checklist]] = {
    "tick": _tick,
    "mark_not_applicable": _waive,
    "decline": _decline,
    "finding": _find,
}
_ALL_IDS = ["S1", "S2", "S3", "S4", "S5", "S6", "S7", "L1", "L2", "L3", "W1", "W2"]
product_lists = st.lists(st.sampled_from(Product), min_size=1, max_size=3)
# Checklist commands on any item, with the text and password each may take.
command_steps = st.lists(
    st.tuples(st.sampled_from(sorted(_COMMANDS)), st.sampled_from(_ALL_IDS), texts(50), passwords),
    max_size=15,
)


@given(
    kind=st.sampled_from(OrderKind),
    products=product_lists,
    steps=command_steps,
)
def test_any_sequence_of_commands_keeps_a_valid_checklist_that_round_trips(
    kind: OrderKind,
    products: list[Product],
    steps: list[tuple[str, str, str, str]],
) -> None:
    c = Checklist.for_order(kind, products)
    for command, item_id, text, password in steps:
        before = c.to_dict(include_personal=True)
        try:
            c = _COMMANDS[command](c, item_id, text, password)
        except InvalidInput:
            assert c.to_dict(include_personal=True) == before
    assert c.missing() == tuple(i for i in c.items if i.required and i.status is ItemStatus.OPEN)
    full = json.loads(json.dumps(c.to_dict(include_personal=True), ensure_ascii=False))
    assert Checklist.from_dict(full) == c
    assert Checklist.from_dict(full).to_dict(include_personal=True) == full
    for item in c.items:
        assert (item.reason is not None) is (
            item.status in (ItemStatus.NOT_APPLICABLE, ItemStatus.DECLINED)
        )


evidence_values = st.one_of(
    st.booleans(),
    st.integers(min_value=-(2**53), max_value=2**53),
    st.floats(allow_nan=False, allow_infinity=False),
    texts(40),
)


@given(
    kind=st.sampled_from(OrderKind),
    products=product_lists,
    steps=command_steps,
    evidence=st.dictionaries(technician_ids, evidence_values, max_size=4),
    zone=zones,
)
def test_W2_the_digest_covers_exactly_the_canonical_json_of_what_was_signed(
    kind: OrderKind,
    products: list[Product],
    steps: list[tuple[str, str, str, str]],
    evidence: dict[str, object],
    zone: str,
) -> None:
    # The digest's text is written piece by piece for speed; it must stay the one JSON
    # text of the documented form, byte for byte, or every stored signature stops verifying.
    c = Checklist.for_order(kind, products)
    for command, item_id, text, password in steps:
        with contextlib.suppress(InvalidInput):
            c = _COMMANDS[command](c, item_id, text, password)
    for item in c.missing():
        with contextlib.suppress(InvalidInput):
            c = c.tick(
                item.id,
                by="T7",
                at=AT.in_timezone(zone),
                **{**proof_for(item.id), "evidence": {**evidence, "optical_power_dbm": -18.5}},
            )
    sheet = WorkSheet(technicians=["T7"], opinion=CustomerOpinion(satisfied=True))
    signed_at = SIGNED_AT.in_timezone(zone)
    expected = json.dumps(
        {
            "checklist": c.data_as(CANONICAL_FORM),
            "signature": {
                "signer": "张三",
                "role": "customer",
                "at": stamp(signed_at, CANONICAL_FORM),
            },
            "worksheet": sheet.to_dict(include_personal=True),
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        allow_nan=False,
    )
    text = _canonical_text(c, sheet, PersonalName("张三"), SignerRole.CUSTOMER, signed_at)
    assert text == expected


@given(
    moment=st.datetimes(
        min_value=dt.datetime(1970, 1, 2),
        max_value=dt.datetime(2198, 12, 30),
        timezones=st.timezones(),
        allow_imaginary=False,
    ),
    fold=st.sampled_from([0, 1]),
    as_pendulum=st.booleans(),
)
def test_W2_the_digest_writes_each_instant_as_its_utc_text(
    moment: dt.datetime, fold: int, as_pendulum: bool
) -> None:
    # The canonical form writes a time from its wall time less its offset, not by
    # converting it: the text must be what the conversion to UTC gives, to the microsecond.
    moment = moment.replace(fold=fold)
    if as_pendulum:
        moment = pendulum.instance(moment)
    expected = dt.datetime.astimezone(moment, dt.UTC).isoformat()
    assert stamp(moment, CANONICAL_FORM) == expected  # type: ignore[arg-type]


def test_checklist_items_are_found_by_id_and_unknown_ids_are_refused() -> None:
    c = Checklist.for_order(REPAIR, [IPTV])
    assert c.item("S5").label_en == "Test the product end to end after work"
    with pytest.raises(InvalidInput, match="S1, S2, S3, S5"):
        c.item("S6")


def test_every_error_here_is_coded() -> None:
    for call in (
        lambda: Checklist.for_order(INSTALL, [IPTV], template_version="x"),
        lambda: WorkSheet.from_dict({"technicians": []}),
        lambda: Signature.from_dict(
            {"signer": "张三", "role": "customer", "at": "x", "digest": "0" * 64}
        ),
        lambda: Signature("张三", "boss", AT, digest="0" * 64),
        lambda: Signature("张三", "customer", AT, digest="XYZ"),
        lambda: ChecklistItem("S1", rule="S1", label_zh="a", label_en="b", required=True, by="T7"),
    ):
        with pytest.raises(FieldServiceError) as caught:
            call()
        assert caught.value.code == "invalid_input"
