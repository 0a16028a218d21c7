"""`fieldservice ics`: work orders (JSON lines) to an iCalendar file (B8, C1, K3, M2, G1)."""

import datetime as dt
import io
from pathlib import Path

import icalendar
import pendulum
import pytest

import fieldservice as fs
from fieldservice.cli import main

TZ = "Asia/Shanghai"
CUSTOMER = fs.Customer(
    id="C-1",
    name="张三",
    tier=fs.Tier.GOLD,
    phones="138 0013 8000",
    address=fs.Address(region="上海市浦东新区", detail="张江路 100 弄 5 号 302"),
)
T7 = fs.Technician(id="T7", name="王五", certificate="ZW-310-0042", phone="139 0139 0000")
T8 = fs.Technician(id="T8", name="赵六", certificate="ZW-310-0043")


def at(day: int, hour: int, minute: int = 0) -> pendulum.DateTime:
    return pendulum.datetime(2026, 11, day, hour, minute, tz=TZ)


def booked(order_id: str = "WO-1") -> fs.WorkOrder:
    order = fs.WorkOrder.install(
        id=order_id,
        customer=CUSTOMER,
        products={fs.Product.BROADBAND, fs.Product.FIXED_LINE},
        accepted_at=at(24, 10, 30),
        by="desk-1",
    )
    order.check_resources(True, at=at(24, 10, 31), by="desk-1")
    order.contact_customer(at=at(24, 11), by="desk-1", note="二楼有狗")
    order.book(
        fs.AppointmentWindow(dt.date(2026, 11, 25), "afternoon"), at=at(24, 11, 5), by="desk-1"
    )
    order.assign([T7, T8], contact=T7, at=at(24, 12), by="dispatch-1")
    return order


def write(tmp_path: Path, *orders: fs.WorkOrder) -> Path:
    path = tmp_path / "orders.jsonl"
    lines = [o.to_json(include_personal=True) for o in orders]
    path.write_text("\n".join(lines) + "\n\n", encoding="utf-8")
    return path


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(argv), out=out), out.getvalue()


def events_of(path: Path) -> tuple[icalendar.Calendar, list[icalendar.Event]]:
    cal = icalendar.Calendar.from_ical(path.read_bytes())
    return cal, cal.walk("VEVENT")


def test_ics_writes_one_request_for_the_booked_work_orders(tmp_path: Path) -> None:
    confirmed = booked("WO-1")
    confirmed.confirm(14, at=at(25, 8, 30), by="T7")
    target = tmp_path / "visits.ics"
    code, text = run("ics", str(write(tmp_path, confirmed, booked("WO-2"))), "-o", str(target))
    assert code == 0
    assert (
        text
        == f"{target}: 2 visits for the technician, METHOD:REQUEST, personal data left out (G1)\n"
    )
    cal, (first, second) = events_of(target)
    assert cal["METHOD"] == "REQUEST"
    assert (first.start, first.end, first["STATUS"]) == (at(25, 14), at(25, 15), "CONFIRMED")
    assert (second.start, second.end, second["STATUS"]) == (at(25, 12), at(25, 20), "TENTATIVE")
    # M2: the work order's contact organises.
    assert first["ORGANIZER"].params["CN"] == "T7"
    assert [a.params["CN"] for a in first["ATTENDEE"]] == ["T7", "T8"]


def test_G1_ics_leaves_personal_data_out_unless_asked(tmp_path: Path) -> None:
    orders = write(tmp_path, booked())
    target = tmp_path / "visits.ics"
    assert run("ics", str(orders), "-o", str(target))[0] == 0
    text = target.read_text(encoding="utf-8")
    assert not any(p in text for p in ("张三", "13800138000", "张江路", "王五", "二楼有狗"))
    code, message = run(
        "ics", str(orders), "-o", str(target), "--audience", "customer", "--include-personal"
    )
    assert code == 0
    assert "personal data included" in message
    _, (event,) = events_of(target)
    assert str(event["ATTENDEE"][-1]) == "tel:+8613800138000"
    assert "二楼有狗" in str(event["DESCRIPTION"])


def test_B8_a_rescheduled_work_order_is_the_same_entry_one_sequence_up(tmp_path: Path) -> None:
    order = booked()
    first = tmp_path / "first.ics"
    run("ics", str(write(tmp_path, order)), "-o", str(first))
    order.reschedule(
        fs.AppointmentWindow(dt.date(2026, 11, 26), "morning"),
        at=at(24, 15),
        by="desk-1",
        requested_by="customer",
        reason="出差",
        consent=True,
    )
    second = tmp_path / "second.ics"
    run("ics", str(write(tmp_path, order)), "-o", str(second))
    (_, (before,)), (_, (after,)) = events_of(first), events_of(second)
    assert after["UID"] == before["UID"]
    # Booked (0), the contact T7 assigned as organizer (1), rescheduled (2).
    assert (before["SEQUENCE"], after["SEQUENCE"]) == (1, 2)
    assert after.start == at(26, 8)


def test_K3_an_absent_customer_makes_a_cancel_until_booked_again(tmp_path: Path) -> None:
    order = booked()
    order.confirm(14, at=at(25, 8, 30), by="T7")
    order.depart(at=at(25, 13, 20), by="T7")
    order.arrive(at=at(25, 13, 55), by="T7")
    order.customer_absent(at=at(25, 13, 59), by="T7", note_left=True)
    target = tmp_path / "visits.ics"
    assert run("ics", str(write(tmp_path, order)), "-o", str(target))[0] == 0
    cal, (event,) = events_of(target)
    # T7 assigned as organizer (SEQUENCE 1), confirmed to the hour (2), then withdrawn (3).
    assert (cal["METHOD"], event["STATUS"], event["SEQUENCE"]) == ("CANCEL", "CANCELLED", 3)


def test_ics_mixing_cancelled_and_live_visits_needs_plain(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gone = booked("WO-2")
    gone.cancel(at=at(24, 16), by="desk-1", reason="客户撤单")
    orders = write(tmp_path, booked("WO-1"), gone)
    target = tmp_path / "visits.ics"
    assert run("ics", str(orders), "-o", str(target))[0] == 1
    assert "[invalid_input]" in capsys.readouterr().err
    assert not target.exists()
    code, text = run("ics", str(orders), "-o", str(target), "--plain")
    assert code == 0
    assert "no METHOD" in text
    cal, events = events_of(target)
    assert "METHOD" not in cal
    assert sorted(str(e["STATUS"]) for e in events) == ["CANCELLED", "TENTATIVE"]


def test_ics_names_the_line_it_cannot_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "orders.jsonl"
    path.write_text(booked().to_json(include_personal=True) + "\n{not json\n", encoding="utf-8")
    assert run("ics", str(path), "-o", str(tmp_path / "x.ics"))[0] == 1
    assert "line 2" in capsys.readouterr().err
    assert run("ics", str(tmp_path / "missing.jsonl"), "-o", str(tmp_path / "x.ics"))[0] == 1
    assert "cannot read" in capsys.readouterr().err
    assert run("ics", str(path))[0] == 2  # -o is required


def test_regression_ics_refuses_an_order_given_again_by_its_line_and_goes_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A repeated order ended the run, naming no line, where any other bad line is
    # refused with its number and the run goes on.
    path = write(tmp_path, booked("WO-1"), booked("WO-2"), booked("WO-1"), booked("WO-3"))
    target = tmp_path / "x.ics"
    code, text = run("ics", str(path), "-o", str(target))
    assert code == 1
    assert "3 visits" in text
    assert "1 lines refused" in text
    err = capsys.readouterr().err
    assert "line 3" in err
    assert "line 1" in err  # where it was given first
    assert err.count("\n") == 1
    assert len(events_of(target)[1]) == 3
    assert run("ics", str(path), "-o", str(tmp_path / "y.ics"), "--strict")[0] == 1
    assert "line 3" in capsys.readouterr().err
    assert not (tmp_path / "y.ics").exists()
