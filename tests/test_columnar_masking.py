"""Personal data in Arrow and Parquet event logs (G1): masked whatever form an order comes in.

`columnar.events_table` and `write_events` take work orders, their JSON lines or dicts. A
line or dict written with `include_personal=True` holds the modem password, notes, reasons
and the signer's name in clear; without `include_personal` the table holds what
`WorkOrder.to_json()` writes for the same order, `{"$secret": null}` in their place.
"""

import contextlib
import datetime as dt
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pendulum
import pytest

import fieldservice as fs
from fieldservice import columnar
from fieldservice.cli import main
from fieldservice.synthetic import synthetic_lines, synthetic_order

pa = pytest.importorskip("pyarrow", reason="Arrow and Parquet need the 'arrow' extra")

T0 = pendulum.datetime(2026, 11, 24, 10, 30, tz="Asia/Shanghai")
PASSWORD = "PwSecretXYZ"
NOTE_PHONE = "13912345678"
NOTE = f"李雷说 {NOTE_PHONE} 找他，带梯子"
REASON = "李雷出差，下周再约"
SIGNER = "韩梅梅"
WORDS = "门口有狗，李雷在家"
CUSTOMER_PHONE = "13800138000"
PERSONAL = {
    "password": PASSWORD,
    "note": "带梯子",
    "phone in a note": NOTE_PHONE,
    "reason": REASON,
    "signer": SIGNER,
    "words": WORDS,
}
"""What must not show in a masked table, by what it is."""


def visit(order_id: str = "WO-M1") -> fs.WorkOrder:
    """An install from acceptance to completion holding every kind of personal value.

    A note with a phone, a reschedule's reason, a modem label's password, text evidence
    of a tick, a worksheet's action, the signer's name.
    """
    customer = fs.Customer(id="C1", name="李雷", phones=CUSTOMER_PHONE, address="幸福路 1 号")
    crew = [fs.Technician(id="T7", name="王五", certificate="ZW-1", phone="13900139000")]
    order = fs.WorkOrder.install(
        id=order_id,
        customer=customer,
        products={"broadband", "fixed_line"},
        accepted_at=T0,
        by="desk-1",
    )
    order.check_resources(True, at=T0.add(minutes=1), by="desk-1")
    order.contact_customer(at=T0.add(minutes=30), by="desk-1", note=NOTE)
    order.book(("2026-11-25", "afternoon"), at=T0.add(minutes=35), by="desk-1")
    order.reschedule(
        ("2026-11-26", "afternoon"),
        at=T0.add(minutes=40),
        by="desk-1",
        requested_by="customer",
        reason=REASON,
        contacted=True,
        agreed=True,
    )
    order.assign(crew, contact=crew[0], at=T0.add(minutes=90), by="dispatch-1")
    order.confirm(14, at=T0.add(hours=46), by="T7")
    order.depart(at=T0.add(hours=50, minutes=50), by="T7", travel=dt.timedelta(minutes=30))
    order.arrive(at=T0.add(hours=51, minutes=22), by="T7")
    order.enter(at=T0.add(hours=51, minutes=25), by="T7")
    order.start_work(at=T0.add(hours=51, minutes=30), by="T7")
    label = fs.ModemLabel("AD0211234567", "ad0211234567@bb", PASSWORD)
    minute = 40
    for item in order.checklist.missing():
        kwargs: dict[str, Any] = {}
        if item.id == "S1":
            kwargs["evidence"] = {"seen": WORDS}
        if item.id == "S5":
            kwargs["evidence"] = {"optical_power_dbm": -18.5}
        if item.id in ("L1", "L2"):
            kwargs["label"] = label
        order.tick(item.id, at=T0.add(hours=51, minutes=minute), by="T7", **kwargs)
        minute += 1
    unhappy = fs.CustomerOpinion(False, remedy="explained", action=WORDS)
    sheet = fs.WorkSheet(technicians=["T7"]).with_opinion(unhappy)
    order.fill_worksheet(sheet, at=T0.add(hours=52, minutes=30), by="T7")
    order.finish_work(at=T0.add(hours=52, minutes=31), by="T7")
    order.sign(signer=SIGNER, role="customer", at=T0.add(hours=52, minutes=32), by="T7")
    order.complete(at=T0.add(hours=52, minutes=33), by="T7")
    return order


def cancelled(order_id: str = "WO-M2") -> fs.WorkOrder:
    order = fs.WorkOrder.repair(
        id=order_id,
        customer=fs.Customer(id="C2", name="李雷", phones=CUSTOMER_PHONE, address="幸福路 2 号"),
        products={"broadband"},
        reported_at=T0,
        by="desk-1",
    )
    order.triage(remote_possible=False, at=T0.add(minutes=4), by="desk-1")
    order.request_visit(at=T0.add(minutes=5), by="desk-1", reason=REASON)
    order.cancel(at=T0.add(minutes=9), by="desk-1", reason=REASON)
    return order


ORDERS = [visit(), cancelled(), *(synthetic_order(seed) for seed in range(40))]

FORMS: dict[str, Callable[[fs.WorkOrder], object]] = {
    "WorkOrder": lambda o: o,
    "JSON line": lambda o: o.to_json(include_personal=True),
    "JSON line as bytes": lambda o: o.to_json(include_personal=True).encode(),
    "dict": lambda o: o.to_dict(include_personal=True),
    "parsed line": lambda o: json.loads(o.to_json(include_personal=True)),
    "masked JSON line": lambda o: o.to_json(),
}


def shown(table: Any) -> str:
    """Every cell of the table as text, for a search."""
    return json.dumps(table.to_pylist(), ensure_ascii=False, default=str)


def shown_personal(text: str) -> list[str]:
    phones = (CUSTOMER_PHONE, "+86" + CUSTOMER_PHONE)
    found = [what for what, value in PERSONAL.items() if value in text]
    return found + [f"customer phone {p}" for p in phones if p in text]


def rows(table: Any) -> list[dict[str, object]]:
    return sorted(table.to_pylist(), key=lambda r: (r["order_id"], r["seq"]))


def test_G1_the_orders_hold_every_personal_value_in_clear_when_asked() -> None:
    # The corpus is worth testing with: each value is in the clear export, none in the masked.
    clear = "\n".join(o.to_json(include_personal=True) for o in ORDERS)
    assert set(PERSONAL) <= {what for what, value in PERSONAL.items() if value in clear}
    assert f'"$secret":"{PASSWORD}"' in clear
    assert f'"reason":"{REASON}"' in clear  # a reason in clear is plain text, not {"$secret"}
    masked = "\n".join(o.to_json() for o in ORDERS)
    assert not [what for what, value in PERSONAL.items() if value in masked]


@pytest.mark.parametrize("form", sorted(FORMS))
def test_G1_events_table_masks_personal_data_whatever_form_the_orders_come_in(form: str) -> None:
    table = columnar.events_table([FORMS[form](o) for o in ORDERS])
    assert not shown_personal(shown(table))
    assert '{"$secret":null}' in "".join(table.column("data").to_pylist())
    assert table.equals(columnar.events_table(ORDERS))


@pytest.mark.parametrize("form", sorted(set(FORMS) - {"masked JSON line"}))
def test_G1_events_table_with_include_personal_writes_every_form_in_clear(form: str) -> None:
    table = columnar.events_table([FORMS[form](o) for o in ORDERS], include_personal=True)
    assert set(shown_personal(shown(table))) == set(PERSONAL)
    assert table.equals(columnar.events_table(ORDERS, include_personal=True))


def test_G1_events_table_writes_lines_and_dicts_as_they_are_with_include_personal() -> None:
    order = visit()
    data = order.to_dict(include_personal=True)
    table = columnar.events_table([data], include_personal=True)
    written = [json.loads(text) for text in table.column("data").to_pylist()]
    assert written == [event.get("data") or {} for event in data["events"]]


def test_G1_the_masked_table_of_a_line_is_each_event_to_dict_of_the_order() -> None:
    order = visit()
    table = columnar.events_table([order.to_json(include_personal=True)])
    written = [json.loads(text) for text in table.column("data").to_pylist()]
    assert written == [event.to_dict()["data"] for event in order.events]


@pytest.mark.parametrize("partition_by", [None, "day", "branch"])
@pytest.mark.parametrize("form", ["JSON line", "dict", "WorkOrder"])
def test_G1_write_events_keeps_personal_data_out_of_parquet_by_default(
    tmp_path: Path, form: str, partition_by: str | None
) -> None:
    target = tmp_path / ("events.parquet" if partition_by is None else "events")
    columnar.write_events([FORMS[form](o) for o in ORDERS], target, partition_by=partition_by)
    table = columnar.read_events(target)
    assert not shown_personal(shown(table))
    want = tmp_path / ("want.parquet" if partition_by is None else "want")
    columnar.write_events(ORDERS, want, partition_by=partition_by)
    assert rows(table) == rows(columnar.read_events(want))


@pytest.mark.parametrize("partition_by", [None, "day"])
def test_G1_write_events_writes_personal_data_only_when_asked(
    tmp_path: Path, partition_by: str | None
) -> None:
    target = tmp_path / ("events.parquet" if partition_by is None else "events")
    lines = [o.to_json(include_personal=True) for o in ORDERS]
    columnar.write_events(lines, target, partition_by=partition_by, include_personal=True)
    table = columnar.read_events(target)
    assert set(shown_personal(shown(table))) == set(PERSONAL)
    assert rows(table) == rows(columnar.events_table(ORDERS, include_personal=True))


def test_G1_write_events_masks_every_chunk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(columnar, "_CHUNK", 3)
    lines = [o.to_json(include_personal=True) for o in ORDERS]
    path = columnar.write_events(lines, tmp_path / "events.parquet")
    table = columnar.read_events(path)
    assert not shown_personal(shown(table))
    assert rows(table) == rows(columnar.events_table(ORDERS))


def test_G1_a_masked_table_of_lines_reads_back_to_the_orders_events_for_the_clocks() -> None:
    lines = [o.to_json(include_personal=True) for o in ORDERS]
    logs = dict(columnar.order_events(columnar.events_table(lines)))
    for order in ORDERS:
        masked = [fs.Event.from_dict(e) for e in json.loads(order.to_json())["events"]]
        assert logs[order.id] == masked


@pytest.mark.parametrize("flag", ["false", "no", 0, None])
def test_G1_an_include_personal_that_is_not_a_bool_is_refused_for_lines_too(
    tmp_path: Path, flag: object
) -> None:
    line = visit().to_json(include_personal=True)
    with pytest.raises(fs.InvalidInput, match="include_personal must be True or False"):
        columnar.events_table([line], include_personal=flag)  # type: ignore[arg-type]
    with pytest.raises(fs.InvalidInput, match="include_personal must be True or False"):
        columnar.write_events([], tmp_path / "x.parquet", include_personal=flag)  # type: ignore[arg-type]
    assert not (tmp_path / "x.parquet").exists()


def test_G1_a_line_whose_data_does_not_fit_its_kind_is_refused_without_echo() -> None:
    # What is personal in data the kind does not define cannot be told: refused, not written.
    data = json.loads(cancelled().to_json(include_personal=True))
    data["events"][-1]["data"] = {"reason": REASON, "said": f"{SIGNER} {NOTE_PHONE}"}
    with pytest.raises(fs.InvalidEvent) as refused:
        columnar.events_table([data])
    assert not shown_personal(str(refused.value))
    assert refused.value.__context__ is None
    data["events"][-1]["kind"] = "told_the_neighbours"
    with pytest.raises(fs.InvalidEvent) as refused:
        columnar.events_table([json.dumps(data, ensure_ascii=False)])
    assert not shown_personal(str(refused.value))


def _cli(*argv: str) -> int:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
        return main(list(argv), out=out)


@pytest.mark.parametrize("partition_by", [None, "day"])
def test_G1_fieldservice_generate_writes_parquet_without_personal_data(
    tmp_path: Path, partition_by: str | None
) -> None:
    target = tmp_path / ("orders.parquet" if partition_by is None else "orders")
    argv = ["generate", "300", "--seed", "5", "--quiet", "-o", str(target)]
    assert _cli(*argv, *(["--partition-by", partition_by] if partition_by else [])) == 0
    lines = list(synthetic_lines(300, seed=5))
    orders = [fs.WorkOrder.from_json(line) for line in lines]
    # The words the orders hold in clear that a masked export withholds (reasons, notes).
    personal = {
        value
        for order in orders
        for event in order.events
        for (key, value) in event.to_dict(include_personal=True)["data"].items()
        if isinstance(value, str) and event.to_dict()["data"][key] == {"$secret": None}
    }
    assert personal  # the test has something to find
    table = columnar.read_events(target)
    assert not [words for words in personal if words in shown(table)]
    assert rows(table) == rows(columnar.events_table(orders))


def test_G1_G4_a_pause_reason_in_words_from_another_system_is_masked_as_the_event_would_be() -> (
    None
):
    # Not a {"$secret": ...} in the line: plain words where a code belongs are read as
    # FreeText, and so masked, as Event.to_dict() masks them.
    events = [
        fs.Event("reported", T0, actor="desk", data={"tier": "gold"}),
        fs.Event("clock_paused", T0.add(minutes=5), actor="desk", data={"reason": REASON}),
        fs.Event(
            "clock_paused", T0.add(minutes=6), actor="desk", data={"reason": "customer_request"}
        ),
    ]
    line = {"id": "WO-X1", "events": [e.to_dict(include_personal=True) for e in events]}
    assert REASON in json.dumps(line, ensure_ascii=False)
    table = columnar.events_table([line])
    assert table.column("data").to_pylist()[1:] == [
        '{"reason":{"$secret":null}}',
        '{"reason":"customer_request"}',
    ]
    assert table.equals(columnar.events_table([{**line, "events": [e.to_dict() for e in events]}]))
