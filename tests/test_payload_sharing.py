"""Equal JSON details read twice are one shared payload, and nothing personal is shared (G1)."""

from __future__ import annotations

import contextlib
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fieldservice import payloads
from fieldservice.errors import InvalidInput
from fieldservice.events import Event
from fieldservice.model import Secret

WINDOW = {
    "start": "2026-11-26T12:00:00+08:00",
    "end": "2026-11-26T18:00:00+08:00",
    "date": "2026-11-26",
    "half": "afternoon",
}
AT = "2026-11-24T10:30:00+08:00"


def _read(kind: str, data: dict[str, Any]) -> payloads.Payload:
    return Event.from_dict({"kind": kind, "at": AT, "actor": "T7", "data": data}).data


def test_equal_windows_read_twice_are_one_payload() -> None:
    first, second = _read("booked", dict(WINDOW)), _read("booked", dict(WINDOW))
    assert first is second
    assert _read("accepted", {"tier": "gold", "products": ["iptv", "broadband"]}) is _read(
        "accepted", {"tier": "gold", "products": ["iptv", "broadband"]}
    )


def test_G1_a_booking_note_is_never_shared() -> None:
    # Plain text is read as a personal note: each read keeps its own, and the table never
    # holds it after the order is gone.
    data = {**WINDOW, "note": "带梯子, 13800138000"}
    first, second = _read("booked", dict(data)), _read("booked", dict(data))
    assert first == second
    assert first is not second
    assert isinstance(first.note, Secret)  # type: ignore[attr-defined]
    shared = [getattr(p, name) for p in payloads._SHARED.values() for name in p.KEYS]
    assert not any(isinstance(value, Secret) for value in shared)
    assert _read("contacted", {"note": "x"}) is not _read("contacted", {"note": "x"})


def test_free_text_reasons_are_not_shared() -> None:
    assert _read("cancelled", {"reason": "客户撤单"}) is not _read(
        "cancelled", {"reason": "客户撤单"}
    )


def test_a_number_is_not_read_as_the_boolean_it_equals() -> None:
    # 1 == True and hash alike: a key without the type would let 1 pass as true.
    assert _read("arrived", {"late_minutes": 1}).late_minutes == 1  # type: ignore[attr-defined]
    _read("followed_up", {"solved": True})
    with pytest.raises(InvalidInput, match="true or false"):
        payloads.FollowedUp.from_json_data({"solved": 1}, "followed_up")
    with pytest.raises(InvalidInput, match="whole number"):
        payloads.Arrived.from_json_data({"late_minutes": True}, "arrived")


def test_data_refused_once_is_refused_every_time() -> None:
    bad = {**WINDOW, "end": WINDOW["start"]}
    for _ in range(2):
        with pytest.raises(InvalidInput):
            payloads.Booked.from_json_data(dict(bad), "booked")


def test_the_table_is_bounded() -> None:
    for minute in range(payloads._SHARED.most + 10):
        start = f"2026-11-26T12:{minute % 60:02d}:{minute // 60 % 60:02d}+08:00"
        payloads.Confirmed.from_json_data(
            {"start": start, "end": "2026-11-26T23:00:00+08:00"}, "confirmed"
        )
    assert len(payloads._SHARED) <= payloads._SHARED.most


_VALUES = st.one_of(
    st.booleans(),
    st.integers(-3, 2000),
    st.sampled_from(["gold", "city", "install", "morning", "2026-11-26", "iptv", "x", ""]),
    st.sampled_from(["2026-11-26T12:00:00+08:00", "2026-11-26T18:00:00+08:00"]),
    st.lists(st.sampled_from(["iptv", "broadband", "fixed_line", "nope"]), max_size=3),
    st.none(),
    st.floats(allow_nan=False),
)


@given(
    st.sampled_from(["accepted", "booked", "confirmed", "arrived", "followed_up", "tier_changed"]),
    st.dictionaries(
        st.sampled_from(
            [
                "tier",
                "area",
                "products",
                "start",
                "end",
                "date",
                "half",
                "late_minutes",
                "called_ahead",
                "solved",
                "order_kind",
            ]
        ),
        _VALUES,
        max_size=5,
    ),
)
def test_a_shared_read_gives_what_a_first_read_gives(kind: str, data: dict[str, Any]) -> None:
    cls = payloads.payload_class(kind)

    def outcome() -> object:
        try:
            return cls.from_json_data(dict(data), kind)
        except InvalidInput as err:
            return ("refused", err.message)

    first = outcome()
    payloads._SHARED.clear()
    fresh = outcome()
    again = outcome()
    assert first == fresh == again


def test_M2_a_crew_assigned_again_is_one_payload() -> None:
    # Staff IDs are nothing personal: a crew's assignments repeat across a branch's orders.
    crew = {"technicians": ["T7", "T9"], "contact": "T9"}
    assert _read("technicians_assigned", dict(crew)) is _read("technicians_assigned", dict(crew))
    assert _read("handed_over", {"to": "desk-2"}) is _read("handed_over", {"to": "desk-2"})


def test_G1_restored_orders_share_their_technician_while_one_of_them_lives() -> None:
    import gc

    import pendulum

    import fieldservice as fs
    from fieldservice import model

    t = pendulum.datetime(2026, 11, 24, 10, 30, tz="Asia/Shanghai")
    cust = fs.Customer(id="C-1", name="张三", phones="13800138000", address="张江路 100 弄 5 号")
    tech = fs.Technician(id="T-share-1", name="李四", certificate="ZW-7", phone="13900139000")
    order = fs.WorkOrder.install(
        id="WO-1", customer=cust, products={"broadband"}, accepted_at=t, by="desk-1"
    )
    order.check_resources(True, at=t.add(minutes=1), by="desk-1")
    order.contact_customer(at=t.add(minutes=2), by="desk-1")
    order.book(fs.AppointmentWindow("2026-11-26", "afternoon"), at=t.add(minutes=3), by="desk-1")
    order.assign([tech], contact=tech, at=t.add(minutes=4), by="dispatch-1")
    text = order.to_json(include_personal=True)
    first, second = fs.WorkOrder.from_json(text), fs.WorkOrder.from_json(text)
    assert first.technicians == (tech,)
    assert first.technicians[0] is second.technicians[0]
    # Weak: once no order holds the technician, the table holds nothing of them (G1).
    del first, second
    gc.collect()
    assert not [key for key in model._ROSTER if "T-share-1" in key]
    # A technician whose name was masked is refused, never shared.
    masked = fs.WorkOrder.to_json(order)
    with pytest.raises(InvalidInput):
        fs.WorkOrder.from_json(masked)


def test_G1_a_tick_shares_its_payload_only_for_an_item_named_like_a_rule() -> None:
    # Plain ticks share one payload per item, in a table that outlives the order: text a
    # caller typed as the item (a phone number, a name) must never be kept there.
    assert payloads.ChecklistUpdated.tick_of("S1") is payloads.ChecklistUpdated.tick_of("S1")
    for typed in ("13800138000", "张三", "S1 张三"):
        with contextlib.suppress(InvalidInput):
            payloads.ChecklistUpdated.tick_of(typed)
        assert typed not in payloads._PLAIN_TICKS
    first, second = (payloads.ChecklistUpdated.tick_of("张三") for _ in range(2))
    assert first == second
    assert first is not second
