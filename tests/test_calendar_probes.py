"""Calendars over odd but valid histories (the calendar probe): every renderer, every zone.

Each export is parsed back and checked against RFC 5545/5546 as clients read it:
SEQUENCE never goes down and rises whenever DTSTART, DTEND or STATUS change, the UID
stays, every TZID has its VTIMEZONE, alarms fire at the reminder plan's instants and
never for a withdrawn or done visit, and the file is CRLF lines of at most 75 octets.
"""

import datetime as dt
import re

import attrs
import icalendar
import pendulum

import fieldservice as fs
from fieldservice.calendar import (
    to_ical,
    visit_of,
)
from fieldservice.events import Event
from fieldservice.reminders import ReminderKind, plan

STD = fs.ServiceStandard.default()
T7 = fs.Technician(id="T7", name="王师傅", certificate="ZW-310-0042", phone="139 0139 0000")
T8 = fs.Technician(id="T8", name="赵六", certificate="ZW-310-0043")
CUSTOMER = fs.Customer(
    id="C-1001",
    name="张三丰",
    tier=fs.Tier.GOLD,
    phones="138 0013 8000",
    address=fs.Address(region="上海市浦东新区", detail="张江路 100 弄 5 号 302"),
)
PERSONAL = ("张三丰", "13800138000", "138 0013", "张江路", "王师傅", "13901390000", "二楼有狗")


@attrs.frozen
class Order:
    """A test double of the work order: what the calendar reads (VisitOrder)."""

    id: str
    events: tuple[Event, ...]
    kind: fs.OrderKind = fs.OrderKind.INSTALL
    products: frozenset[fs.Product] = frozenset({fs.Product.BROADBAND})
    customer: fs.Customer = CUSTOMER
    technicians: tuple[fs.Technician, ...] = (T7, T8)
    standard: fs.ServiceStandard = STD


def ev(kind: str, when: dt.datetime, **data: object) -> Event:
    return Event(kind, when, actor="desk", data=data)


def span(
    kind: str, when: dt.datetime, start: dt.datetime, end: dt.datetime, **data: object
) -> Event:
    return ev(kind, when, start=start.isoformat(), end=end.isoformat(), **data)


def at(day: int, hour: int, minute: int = 0, tz: str = "Asia/Shanghai") -> pendulum.DateTime:
    return pendulum.datetime(2026, 11, day, hour, minute, tz=tz)


def booked() -> list[Event]:
    return [
        ev("accepted", at(24, 10), tier="gold", order_kind="install"),
        span("booked", at(24, 10, 5), at(26, 12), at(26, 18)),
    ]


def vevent(data: bytes) -> icalendar.Event:
    (found,) = icalendar.Calendar.from_ical(data).walk("VEVENT")
    return found


def assert_well_formed(data: bytes) -> icalendar.Calendar:
    """CRLF lines of at most 75 octets, whole UTF-8 characters, a VTIMEZONE per TZID."""
    assert data.endswith(b"\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")
    for line in data.split(b"\r\n"):
        assert len(line) <= 75, line
        line.decode("utf-8")  # no character split by a fold
    cal = icalendar.Calendar.from_ical(data)
    used = {m.decode() for m in re.findall(rb";TZID=([^:;]+)", data)}
    defined = {str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")}
    assert used == defined, "a VTIMEZONE for every TZID used, and none unused (RFC 5545 3.6.5)"
    for event in cal.walk("VEVENT"):
        assert "DTSTAMP" in event
        assert "UID" in event
    # Exact time: a day in a duration is nominal (RFC 5545 3.3.6). (Read from the bytes:
    # icalendar writes a parsed trigger back with days.)
    assert not re.search(rb"\r\nTRIGGER[^:]*:[^\r]*D", data)
    return cal


# --- SEQUENCE: STATUS counts, as DTSTART and DTEND do -----------------------------------------


def test_C1_a_first_confirmation_of_the_whole_window_raises_the_sequence() -> None:
    # The hour agreed is the whole half-day: DTSTART/DTEND stay, STATUS turns CONFIRMED.
    log = booked()
    before = vevent(to_ical([Order("WO-1", tuple(log))]))
    log.append(span("confirmed", at(26, 8), at(26, 12), at(26, 18)))
    after = vevent(to_ical([Order("WO-1", tuple(log))]))
    assert (str(before["STATUS"]), str(after["STATUS"])) == ("TENTATIVE", "CONFIRMED")
    assert after.start == before.start
    assert after["SEQUENCE"] == before["SEQUENCE"] + 1
    # The same again changes nothing and raises nothing.
    log.append(span("confirmed", at(26, 8, 5), at(26, 12), at(26, 18)))
    assert vevent(to_ical([Order("WO-1", tuple(log))]))["SEQUENCE"] == after["SEQUENCE"]


def test_W2_a_visit_done_without_a_confirmation_turns_confirmed_one_sequence_up() -> None:
    log = [*booked(), ev("arrived", at(26, 12, 5))]
    before = vevent(to_ical([Order("WO-1", tuple(log))]))
    log.append(ev("completed", at(26, 15)))
    done = vevent(to_ical([Order("WO-1", tuple(log))]))
    assert (str(before["STATUS"]), str(done["STATUS"])) == ("TENTATIVE", "CONFIRMED")
    assert done["SEQUENCE"] == before["SEQUENCE"] + 1
    # Done, but never agreed to the hour: no second confirmation (C1) is claimed.
    assert "二次确认" not in str(done["DESCRIPTION"])
    assert str(done["X-FIELDSERVICE-RULES"]).split()[0] == "B2"
    log.append(ev("closed", at(26, 16)))
    closed = vevent(to_ical([Order("WO-1", tuple(log))]))
    assert closed["SEQUENCE"] == done["SEQUENCE"]  # nothing a client shows changed
    log.append(ev("cancelled", at(26, 17), reason="撤单"))
    gone = vevent(to_ical([Order("WO-1", tuple(log))]))
    assert str(gone["STATUS"]) == "CANCELLED"
    assert gone["SEQUENCE"] > closed["SEQUENCE"]


def test_B8_the_rules_name_B8_only_for_a_visit_moved_to_another_window() -> None:
    log = booked()
    log.append(span("confirmed", at(26, 8), at(26, 14), at(26, 15)))
    confirmed = vevent(to_ical([Order("WO-1", tuple(log))]))
    assert confirmed["SEQUENCE"] == 1
    assert "B8" not in str(confirmed["X-FIELDSERVICE-RULES"]).split()
    log.append(span("rescheduled", at(26, 9), at(27, 8), at(27, 12), requested_by="customer"))
    moved = vevent(to_ical([Order("WO-1", tuple(log))]))
    assert "B8" in str(moved["X-FIELDSERVICE-RULES"]).split()
    visit = visit_of(Order("WO-1", tuple(log)))
    assert visit is not None
    assert visit.moves == 1


# --- the property: random histories in zones with summer time --------------------------------

_VISIT_KINDS = frozenset(
    {ReminderKind.DAY_OF_CONFIRMATION, ReminderKind.CALL_AHEAD, ReminderKind.DEPARTURE}
)


def test_C2_no_visit_reminder_once_the_visit_is_completed() -> None:
    # A log from elsewhere: completed with no arrival on record. The calendar shows the
    # visit done, without alarms; the plan sends nothing for it either.
    log = (*booked(), ev("technicians_assigned", at(24, 11), technicians=["T7"], contact="T7"))
    order = Order("WO-1", log, technicians=(T7,))
    assert {r.kind for r in plan(order)} >= {ReminderKind.CALL_AHEAD}
    done = attrs.evolve(order, events=(*log, ev("completed", at(26, 9))))
    assert [r for r in plan(done, travel=dt.timedelta(minutes=20)) if r.kind in _VISIT_KINDS] == []
    assert vevent(to_ical([done])).walk("VALARM") == []


# --- text: a long note loses nothing written after it ----------------------------------------


def test_G1_a_long_note_is_written_whole_and_the_outcome_after_it() -> None:
    note = "带梯子, 二楼; 狗\\猫 🐕‍🦺 " + "长" * 480
    log = [
        ev("accepted", at(24, 10), tier="gold", order_kind="install"),
        span("booked", at(24, 10, 5), at(26, 12), at(26, 18), note=note),
        ev("arrived", at(26, 12, 5)),
        ev("completed", at(26, 15)),
    ]
    customer = attrs.evolve(
        CUSTOMER, address=fs.Address(region="上海市浦东新区", detail="张江路 100 弄; " + "路" * 150)
    )
    # A crew of twelve with long IDs: the lines before the note are long too.
    crew = tuple(
        fs.Technician(id=f"TECH-{i:02}-" + "N" * 40, name="王五", certificate="ZW-310-0042")
        for i in range(12)
    )
    order = Order("WO-1", tuple(log), customer=customer, technicians=crew)
    for audience in ("technician", "customer"):
        data = to_ical([order], audience=audience, include_personal=True, itip=False)
        description = str(vevent(data)["DESCRIPTION"])
        assert note in description
        assert description.endswith("结果 outcome: 已竣工 completed")
        assert_well_formed(data)
