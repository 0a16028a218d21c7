"""Refusals an outside hostile-input probe asked for: JSON keys, person IDs, restores."""

from __future__ import annotations

import datetime as dt
import json

import pendulum
import pytest

import fieldservice as fs
from fieldservice import _validate

TZ = "Asia/Shanghai"
T0 = pendulum.datetime(2026, 11, 24, 10, tz=TZ)
CUSTOMER = fs.Customer(id="C-1", name="张三", phones="13800138000", address="幸福路 1 号")
TECH = fs.Technician(id="T7", name="王五", certificate="ZW-1")
STD = fs.ServiceStandard.default()


def _booked() -> fs.WorkOrder:
    order = fs.WorkOrder.install(
        id="WO-101", customer=CUSTOMER, products={"broadband"}, accepted_at=T0, by="desk"
    )
    order.check_resources(True, at=T0.add(minutes=1), by="desk")
    order.book(("2026-11-26", "afternoon"), at=T0.add(minutes=2), by="desk")
    order.assign([TECH], contact=TECH, at=T0.add(minutes=3), by="desk")
    return order


def test_regression_an_order_whose_json_holds_a_key_twice_is_refused() -> None:
    # Parsers differ on which value wins: a second "id" or "tier" could pass one reader
    # and fool another. json.loads kept the last one silently.
    text = _booked().to_json(include_personal=True)
    twice_id = text.replace('"id":"WO-101"', '"id":"WO-101","id":"WO-999"', 1)
    assert twice_id != text
    twice_tier = text.replace('"tier":"ordinary"', '"tier":"ordinary","tier":"diamond"', 1)
    assert twice_tier != text
    for bad in (twice_id, twice_tier, twice_id.encode()):
        with pytest.raises(fs.InvalidInput, match="holds a key twice") as refused:
            fs.WorkOrder.from_json(bad)
        assert refused.value.code == "invalid_input"
        assert "WO-999" not in str(refused.value)
    assert fs.WorkOrder.from_json(text).id == "WO-101"


def test_regression_restoring_with_two_records_of_one_technician_is_refused() -> None:
    # The second record silently replaced the first: which name is the technician's?
    data = json.loads(_booked().to_json(include_personal=True))
    other = dict(data["technicians"][0], name="李四")
    data["technicians"].append(other)
    with pytest.raises(fs.InvalidInput, match="lists an ID twice"):
        fs.WorkOrder.from_dict(data)
    order = _booked()
    twin = fs.Technician(id="T7", name="李四", certificate="ZW-1")
    with pytest.raises(fs.InvalidInput, match="lists an ID twice"):
        fs.WorkOrder.from_events(
            id=order.id, customer=CUSTOMER, events=order.events, technicians=[TECH, twin]
        )


def test_regression_a_log_that_does_not_open_an_order_is_an_invalid_event() -> None:
    # It said "order kind must be one of ... (got None)", as if the caller gave a kind.
    order = _booked()
    with pytest.raises(fs.InvalidEvent, match="start with accepted or reported, not resources"):
        fs.WorkOrder.from_events(
            id=order.id, customer=CUSTOMER, events=order.events[1:], technicians=[TECH]
        )


@pytest.mark.parametrize("person", ["C-138-0013-8000", "zs.138.0013.8000", "T_13800_138000"])
def test_G1_a_person_id_spelling_a_phone_with_separators_is_refused(person: str) -> None:
    # 7 digits in a row were refused; the same phone with separators passed and showed in
    # every repr of the customer, technician, order and work sheet.
    with pytest.raises(fs.InvalidInput, match="phone number") as refused:
        fs.Customer(id=person, name="张三", phones="13800138000", address="幸福路 1 号")
    assert person not in str(refused.value)
    with pytest.raises(fs.InvalidInput, match="phone number"):
        fs.Technician(id=person, name="王五", certificate="ZW-1")
    with pytest.raises(fs.InvalidInput, match="phone number"):
        fs.WorkSheet(technicians=[person])


# A review found a first rule (a landline after an area code group) refusing these, so
# that orders an earlier release wrote no longer restored: region codes, years, serials.
ORDINARY_IDS = [
    "C-2026-0042", "T-2026-11-24-07", "ZW-310-0042", "SH-021-2026-0001", "C-0571-2026-0001",
    "BJ-010-2345-678", "WO-15-2026-00012", "T-13-2026-00042", "WO-14-2026-1124-1",
]  # fmt: skip


@pytest.mark.parametrize("person", ORDINARY_IDS)
def test_G1_ordinary_numbering_with_separators_is_still_a_person_id(person: str) -> None:
    customer = fs.Customer(id=person, name="张三", phones="13800138000", address="x")
    assert customer.id == person
    assert fs.WorkSheet(technicians=[person]).technicians == (person,)
    order = fs.WorkOrder.install(
        id=person, customer=customer, products={"broadband"}, accepted_at=T0, by=person
    )
    assert person in repr(order)
    assert fs.WorkOrder.from_json(order.to_json(include_personal=True)).customer.id == person


@pytest.mark.parametrize("order_id", [*ORDINARY_IDS, "WO-0755-20261124-01", "T-0123-20261124"])
def test_G1_ordinary_numbering_with_separators_is_shown(order_id: str) -> None:
    assert not _validate.hides_id(order_id)
    assert _validate.id_text(order_id) == order_id


def test_G1_a_worksheet_refuses_the_technician_ids_a_technician_refuses() -> None:
    with pytest.raises(fs.InvalidInput, match="7 or more digits"):
        fs.WorkSheet(technicians=["zhang.san-13800138000"])


def test_G1_an_enum_error_shows_a_misspelt_member_but_not_a_free_word() -> None:
    with pytest.raises(fs.InvalidInput) as refused:
        fs.AppointmentWindow(T0.date(), "JohnSmith")
    assert "JohnSmith" not in str(refused.value)
    assert "(got str)" in str(refused.value)
    with pytest.raises(fs.InvalidInput, match=r"got 'mornin'; did you mean 'morning'\?"):
        fs.AppointmentWindow(T0.date(), "mornin")


def test_G1_spells_phone_finds_mobiles_and_landlines_but_not_dates() -> None:
    assert _validate.spells_phone("zs-138-0013-8000")
    assert _validate.spells_phone("x.86-138-0013-8000")
    assert not _validate.spells_phone("WO-2026-11-24-0001")
    assert not _validate.spells_phone("WO-20261124-0001")
    assert not _validate.spells_phone("R-01-20261124")


def test_G1_a_broadband_account_holding_a_phone_is_not_shown_in_a_repr() -> None:
    # An outside leak probe: accounts are often numbered by the customer's line, and the
    # label's repr (so the checklist's and the tick event's) showed them in full.
    label = fs.ModemLabel("02187654321", "13800138000@163.gd", "k3y-9Q")
    order = _booked()
    order.confirm(14, at=pendulum.datetime(2026, 11, 26, 8, 30, tz=TZ), by="T7")
    order.depart(at=pendulum.datetime(2026, 11, 26, 13, 20, tz=TZ), by="T7")
    order.arrive(at=pendulum.datetime(2026, 11, 26, 13, 55, tz=TZ), by="T7")
    order.enter(at=pendulum.datetime(2026, 11, 26, 14, 0, tz=TZ), by="T7")
    event = order.tick("L1", at=pendulum.datetime(2026, 11, 26, 14, 5, tz=TZ), by="T7", label=label)
    for text in (repr(label), repr(event), repr(order.checklist), repr(order.checklist.item("L1"))):
        assert "87654321" not in text
        assert "13800138000" not in text
    assert label.to_dict()["account"] == "02187654321"  # kept for the systems that read it
    plain = fs.ModemLabel("AD0001", "ad0001@bb", "pw")
    assert "AD0001" in repr(plain)


@pytest.mark.parametrize("coordinates", [(True, False), ("31.2", "121.5"), (31.2,), "31,121"])
def test_regression_coordinates_are_two_numbers_not_booleans_or_text(coordinates: object) -> None:
    # float() took True as 1.0 and "31.2" as 31.2: a Place or an address from Python
    # accepted what the team file now refuses.
    from fieldservice.planning import Place

    with pytest.raises(fs.InvalidInput, match="pair in degrees") as refused:
        Place("depot", coordinates=coordinates)
    assert "31" not in str(refused.value)
    with pytest.raises(fs.InvalidInput, match="pair in degrees"):
        fs.Address(region="上海市", detail="x", coordinates=coordinates)
    assert fs.Address(region="上海市", detail="x", coordinates=(31, 121.5)).coordinates == (
        31.0,
        121.5,
    )


HUGE = 10**400  # an int float() cannot hold: OverflowError, not a refusal, before


@pytest.mark.parametrize("coordinates", [(HUGE, 121), (31, -HUGE)])
def test_regression_coordinates_too_large_for_a_float_are_refused(coordinates: object) -> None:
    from fieldservice.planning import Place

    with pytest.raises(fs.InvalidInput, match="pair in degrees"):
        fs.Address(region="上海市", detail="x", coordinates=coordinates)
    with pytest.raises(fs.InvalidInput, match="pair in degrees"):
        Place("depot", coordinates=coordinates)


def test_regression_an_order_line_with_a_coordinate_too_large_is_refused_everywhere(
    tmp_path: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    from pathlib import Path

    from fieldservice.cli import main

    data = json.loads(_booked().to_json(include_personal=True))
    data["customer"]["address"]["coordinates"] = [HUGE, 121]
    text = json.dumps(data, ensure_ascii=False)
    with pytest.raises(fs.InvalidInput, match="pair in degrees"):
        fs.WorkOrder.from_json(text)
    folder = Path(str(tmp_path))
    (folder / "orders.jsonl").write_text(text + "\n", encoding="utf-8")
    code = main(["ics", str(folder / "orders.jsonl"), "-o", str(folder / "o.ics"), "--plain"])
    err = capsys.readouterr().err
    assert code == 1
    assert "Traceback" not in err
    assert "OverflowError" not in err
    assert "pair in degrees" in err


@pytest.mark.parametrize(
    "toml",
    [f"[clocks]\nat_risk_share = {HUGE}", f"[planning]\nspeed_kmh = {HUGE}"],
)
def test_regression_a_standard_number_too_large_for_a_float_is_a_standard_error(
    toml: str,
) -> None:
    with pytest.raises(fs.StandardError) as refused:
        fs.ServiceStandard.from_toml(toml)
    assert refused.value.code == "invalid_standard"
    assert "at_risk_share" in str(refused.value) or "travel_speed" in str(refused.value)


def test_regression_a_shallow_copy_of_an_order_changes_apart_from_it() -> None:
    import copy

    order = _booked()
    before = order.to_json(include_personal=True)
    twin = copy.copy(order)
    twin.confirm(14, at=T0.add(days=2, hours=-1), by="T7")
    assert order.to_json(include_personal=True) == before
    assert order.state is fs.State.BOOKED
    assert twin.state is fs.State.CONFIRMED
    assert len(twin.events) == len(order.events) + 1
    for one in (order, twin):  # each one's own export restores
        text = one.to_json(include_personal=True)
        assert fs.WorkOrder.from_json(text).to_json(include_personal=True) == text
    order.confirm(15, at=T0.add(days=2, hours=-1), by="T7")  # the original moves on too
    assert twin.arrival != order.arrival


class _OffsetPastADay(dt.tzinfo):
    def utcoffset(self, d: dt.datetime | None) -> dt.timedelta:
        return dt.timedelta(hours=25)  # datetime raises a bare ValueError on it

    def dst(self, d: dt.datetime | None) -> dt.timedelta:
        return dt.timedelta(0)

    def tzname(self, d: dt.datetime | None) -> str:
        return "X"


class _RaisingZone(dt.tzinfo):
    def utcoffset(self, d: dt.datetime | None) -> dt.timedelta:
        raise RuntimeError("the zone's own failure")

    def dst(self, d: dt.datetime | None) -> dt.timedelta:
        raise RuntimeError("the zone's own failure")

    def tzname(self, d: dt.datetime | None) -> str:
        return "X"


@pytest.mark.parametrize("zone", [_OffsetPastADay(), _RaisingZone()], ids=["25h", "raises"])
def test_regression_a_time_zone_whose_offset_cannot_be_read_is_refused_everywhere(
    zone: dt.tzinfo,
) -> None:
    from fieldservice import sla

    when = dt.datetime(2026, 11, 24, 12, tzinfo=zone)
    order = _booked()
    before = order.to_json(include_personal=True)
    attempts = {
        "repair": lambda: fs.WorkOrder.repair(
            id="WO-9", customer=CUSTOMER, products={"broadband"}, reported_at=when, by="h"
        ),
        "command": lambda: order.confirm(14, at=when, by="T7"),
        "event": lambda: fs.Event("arrived", when, actor="T7"),
        "next_windows": lambda: fs.next_windows(when, fs.ServiceStandard.default()),
        "sla": lambda: sla.evaluate(order, at=when),
    }
    for name, attempt in attempts.items():
        with pytest.raises(fs.InvalidInput, match="UTC offset cannot be read"):
            attempt()
        assert order.to_json(include_personal=True) == before, name


MASKED = {"$secret": None}  # what a masked export writes in place of a personal value


def _working() -> fs.WorkOrder:
    order = _booked()
    order.confirm(14, at=T0.add(days=2, hours=-1), by="T7")
    order.depart(at=T0.add(days=2, hours=3, minutes=20), by="T7")
    order.arrive(at=T0.add(days=2, hours=3, minutes=52), by="T7")
    order.enter(at=T0.add(days=2, hours=3, minutes=55), by="T7")
    order.start_work(at=T0.add(days=2, hours=4), by="T7")
    return order


def test_regression_G1_no_command_records_the_mark_of_a_masked_export() -> None:
    # Recorded, it made an order that no export of its own could restore ("nothing lost").
    order = _working()
    before = order.to_json(include_personal=True)
    when = T0.add(days=2, hours=4, minutes=5)
    opinion = fs.CustomerOpinion(satisfied=False, remedy="resolved", action=MASKED)
    attempts = {
        "evidence": lambda: order.tick("S1", at=when, by="T7", evidence={"note": MASKED}),
        "decline": lambda: order.decline("S2", at=when, by="T7", reason=MASKED),  # type: ignore[arg-type]
        "waive": lambda: order.mark_not_applicable("S4", at=when, by="T7", reason=MASKED),  # type: ignore[arg-type]
        "worksheet": lambda: order.fill_worksheet(
            fs.WorkSheet(technicians=("T7",), opinion=opinion), at=when, by="T7"
        ),
    }
    for name, attempt in attempts.items():
        with pytest.raises(fs.InvalidInput, match="masked export") as refused:
            attempt()
        assert refused.value.code == "invalid_input", name
        assert order.to_json(include_personal=True) == before, name
    assert fs.WorkOrder.from_json(before).to_json(include_personal=True) == before


def test_regression_G1_from_events_refuses_events_read_from_a_masked_export() -> None:
    order = _working()
    order.decline("S2", at=T0.add(days=2, hours=4, minutes=5), by="T7", reason="客户不便")
    whole = fs.WorkOrder.from_json(order.to_json(include_personal=True)).events
    shown = [fs.Event.from_dict(e) for e in json.loads(order.to_json())["events"]]
    assert shown[-1].data.withheld
    with pytest.raises(fs.InvalidInput, match="exported without secrets"):
        fs.WorkOrder.from_events(id=order.id, customer=CUSTOMER, events=shown, technicians=[TECH])
    back = fs.WorkOrder.from_events(
        id=order.id, customer=CUSTOMER, events=whole, technicians=[TECH]
    )
    assert back.events == order.events


@pytest.mark.parametrize("key", ["callback-13800138000", "cb-138-0013-8000"])
def test_regression_G1_an_evidence_key_holding_a_phone_is_refused(key: str) -> None:
    # Keys are written in clear in every repr and in the masked export.
    order = _working()
    before = order.to_json(include_personal=True)
    when = T0.add(days=2, hours=4, minutes=5)
    with pytest.raises(fs.InvalidInput, match="evidence key") as refused:
        order.tick("S1", at=when, by="T7", evidence={key: 2**60})
    assert "0013" not in str(refused.value)
    assert order.to_json(include_personal=True) == before
    data = json.loads(before)
    data["events"].append(
        {
            "kind": "checklist_updated",
            "at": when.isoformat(),
            "actor": "T7",
            "data": {"action": "tick", "item": "S1", "evidence": {key: 1}},
        }
    )
    # A log that holds one (written before the commands refused it) is read as written,
    # and the key is not shown.
    back = fs.WorkOrder.from_dict(data)
    assert back.checklist.item("S1").evidence == {key: 1}
    for shown in (repr(back.checklist), repr(back.checklist.item("S1")), repr(back.events[-1])):
        assert "0013" not in shown
        assert "(a key not shown)" in shown
    with pytest.raises(fs.InvalidInput, match="evidence key"):
        fs.Checklist.for_order("install", ["broadband"]).tick(
            "S1", by="T7", at=when, evidence={key: 1}
        )
    order.tick("S1", at=when, by="T7", evidence={"download_mbps_1000000": 2})


def test_regression_an_order_whose_json_has_no_events_is_an_invalid_event() -> None:
    # Found by the long hypothesis profile: from_dict's own path to the fold once
    # indexed the first event of an empty list (IndexError).
    data = json.loads(_booked().to_json(include_personal=True))
    data["events"] = []
    with pytest.raises(fs.InvalidEvent, match="starting with accepted or reported"):
        fs.WorkOrder.from_json(json.dumps(data, ensure_ascii=False))
    with pytest.raises(fs.InvalidEvent, match="starting with accepted or reported"):
        fs.WorkOrder.from_events(id="WO-1", customer=CUSTOMER, events=[])


# --- the integrator's and the hostile-input probes, third round ------------------------------

WINDOW = fs.AppointmentWindow(dt.date(2026, 11, 26), "afternoon")


@pytest.mark.parametrize(
    "call",
    [
        lambda lead: fs.check_window(WINDOW, T0, STD, lead_time=lead),
        lambda lead: fs.validate_window(WINDOW, T0, STD, lead_time=lead),
        lambda lead: fs.next_windows(T0, STD, lead_time=lead),
    ],
)
@pytest.mark.parametrize("days", [31, 10**6, 999_999_999])
def test_B5_a_lead_time_past_a_standard_s_longest_is_a_coded_error(call: object, days: int) -> None:
    # It was a bare ValueError ("year 2739933 is out of range") from check_window.
    with pytest.raises(fs.InvalidInput, match=r"lead_time must be at most 720h \(B5\)"):
        call(dt.timedelta(days=days))  # type: ignore[operator]


def test_B5_a_lead_time_of_a_month_is_still_taken() -> None:
    assert fs.next_windows(T0, STD, count=1, lead_time=dt.timedelta(days=30))


def test_B2_next_windows_offers_no_window_an_order_cannot_book() -> None:
    # It offered 2199-01-01, which book() refused: an event lies before 2199 in UTC.
    std = STD.replace(timezone="America/New_York")
    booked_at = pendulum.datetime(2198, 12, 20, 10, 30, tz="America/New_York")
    windows = fs.next_windows(booked_at, std, count=40)
    assert windows
    assert max(w.date for w in windows) <= dt.date(2198, 12, 30)
    order = fs.WorkOrder.install(
        id="WO-1", customer=CUSTOMER, products={"broadband"}, accepted_at=booked_at, by="d",
        standard=std,
    )  # fmt: skip
    order.check_resources(True, at=booked_at, by="d")
    order.book(windows[-1], at=booked_at.add(minutes=1), by="d")
    assert order.window == windows[-1]


def test_M2_a_technician_not_of_the_visit_gets_an_empty_reminder_plan() -> None:
    order = _booked()
    assert fs.reminders.plan(order, technician="T7")
    assert len(fs.reminders.plan(order, technician="T99")) == 0


@pytest.mark.parametrize("key", ["tierr", "13800138000"])
def test_regression_a_customer_with_an_unknown_key_is_refused_not_dropped(key: str) -> None:
    data = json.loads(_booked().to_json(include_personal=True))
    data["customer"][key] = "x"
    with pytest.raises(fs.InvalidInput, match="a customer holds id, name") as err:
        fs.WorkOrder.from_dict(data)
    assert "13800138000" not in str(err.value)
    data["customer"].pop(key)
    data["customer"]["address"]["floor"] = 3
    with pytest.raises(fs.InvalidInput, match="a customer address holds region, detail"):
        fs.WorkOrder.from_dict(data)


def test_regression_a_customer_address_with_coordinates_still_restores() -> None:
    customer = fs.Customer(
        id="C-2", name="李四", phones="13800138000",
        address=fs.Address(region="浦东", detail="x 号", coordinates=(31.2, 121.6)),
    )  # fmt: skip
    order = fs.WorkOrder.install(
        id="WO-2", customer=customer, products={"iptv"}, accepted_at=T0, by="d"
    )
    again = fs.WorkOrder.from_json(order.to_json(include_personal=True))
    assert again.customer == customer


@pytest.mark.parametrize(
    "make",
    [
        lambda: fs.Customer(id="C1", name="张三", phones={"13912345678": 1}, address="x"),
        lambda: fs.Address(region="浦东", detail="x", coordinates={31.2: 1, 121.6: 2}),
        lambda: _booked().assign({TECH: 1}, contact=TECH, at=T0.add(hours=2), by="d"),  # type: ignore[arg-type]
    ],
)
def test_regression_a_mapping_is_refused_where_a_sequence_is_asked_for(make: object) -> None:
    # A dict iterates over its keys: it was taken as the sequence of them.
    with pytest.raises(fs.InvalidInput):
        make()  # type: ignore[operator]


def test_K3_neighbours_asked_must_be_true_or_false() -> None:
    order = _booked()
    order.confirm(14, at=pendulum.datetime(2026, 11, 26, 8, tz=TZ), by="T7")
    order.depart(at=pendulum.datetime(2026, 11, 26, 13, 20, tz=TZ), by="T7")
    order.arrive(at=pendulum.datetime(2026, 11, 26, 13, 55, tz=TZ), by="T7")
    before = order.to_json(include_personal=True)
    with pytest.raises(fs.InvalidInput, match="neighbours_asked must be True or False"):
        order.customer_absent(
            at=pendulum.datetime(2026, 11, 26, 14, tz=TZ), by="T7", note_left=True,
            neighbours_asked="no",  # type: ignore[arg-type]
        )  # fmt: skip
    assert order.to_json(include_personal=True) == before
