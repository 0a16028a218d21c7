"""Calendars over odd but valid histories (the calendar probe): every renderer, every zone.

Each export is parsed back and checked against RFC 5545/5546 as clients read it:
SEQUENCE never goes down and rises whenever DTSTART, DTEND or STATUS change, the UID
stays, every TZID has its VTIMEZONE, alarms fire at the reminder plan's instants and
never for a withdrawn or done visit, and the file is CRLF lines of at most 75 octets.
"""

import datetime as dt
import io
import re
from collections.abc import Callable

import attrs
import icalendar
import pendulum
import pytest
import vobject
from _calendar_orders import CUSTOMER, STD, T7, T8, Order, own_calendar, written
from hypothesis import given, settings
from hypothesis import strategies as st

import fieldservice as fs
from fieldservice import _outputs, cli
from fieldservice.calendar import (
    add_timezones,
    feed,
    to_ical,
    visit_of,
)
from fieldservice.events import Event
from fieldservice.reminders import ReminderKind, plan

PERSONAL = ("张三丰", "13800138000", "138 0013", "张江路", "王师傅", "13901390000", "二楼有狗")


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


EXPORTS: dict[str, Callable[[Order], bytes]] = {
    "to_ical": lambda o: to_ical([o], itip=False),
    "to_ical customer": lambda o: to_ical([o], audience="customer", itip=False),
    "write_ical": lambda o: written(o),
    "feed contact": lambda o: feed(T7, [o], _EVER[0], _EVER[1]),
    "feed other": lambda o: feed(T8, [o], _EVER[0], _EVER[1]),
    "event_for": lambda o: own_calendar(o),
}
_EVER = (dt.datetime(2000, 1, 1, tzinfo=dt.UTC), dt.datetime(2100, 1, 1, tzinfo=dt.UTC))


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
    assert not re.search(rb"\r\nTRIGGER[^:]*:-?P[1-9][0-9]*D", data)
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

ZONES = ("Asia/Shanghai", "America/New_York", "Europe/London", "Australia/Lord_Howe", "Etc/UTC")
# Days around the 2026 changes of summer time in those zones (and an ordinary one).
DAYS = (dt.date(2026, 3, 8), dt.date(2026, 3, 29), dt.date(2026, 4, 5), dt.date(2026, 10, 4),
        dt.date(2026, 10, 25), dt.date(2026, 11, 1), dt.date(2026, 11, 26))  # fmt: skip
STEPS = ("booked", "rescheduled", "confirmed", "confirmed_window", "arrived", "departed",
         "customer_absent", "cancelled", "completed", "closed", "contacted")  # fmt: skip


@st.composite
def histories(draw: st.DrawFn) -> Order:
    tz = draw(st.sampled_from(ZONES))
    day = draw(st.sampled_from(DAYS))
    now = pendulum.datetime(day.year, day.month, day.day, tz=tz).subtract(days=3)
    log = [ev("accepted", now, tier="gold", order_kind="install")]
    window: tuple[dt.datetime, dt.datetime] | None = None
    for step in draw(st.lists(st.sampled_from(STEPS), min_size=1, max_size=9)):
        now = now.add(minutes=draw(st.integers(1, 24 * 60)))
        if step in ("booked", "rescheduled"):
            # Instants on the hour in UTC: a start may fall in a skipped or repeated hour.
            start = now.in_timezone("UTC").add(hours=draw(st.integers(1, 72))).start_of("hour")
            start = start.in_timezone(tz)
            window = (start, start.add(hours=draw(st.sampled_from((1, 4, 5, 8)))))
            extra = {"requested_by": "customer", "reason": "出差"} if step == "rescheduled" else {}
            log.append(span(step, now, *window, **extra))
        elif step == "confirmed_window" and window is not None:
            log.append(span("confirmed", now, *window))
        elif step.startswith("confirmed"):
            base = window[0] if window is not None else now.add(hours=2)
            hour = base.add(minutes=30 * draw(st.integers(0, 4)))
            log.append(span("confirmed", now, hour, hour.add(hours=1)))
        elif step == "customer_absent":
            log.append(ev(step, now, note_left=True))
        elif step == "cancelled":
            log.append(ev(step, now, reason="撤单"))
        elif step == "contacted":
            log.append(ev(step, now, note="二楼有狗"))
        else:
            log.append(ev(step, now))
    return Order("WO-1", tuple(log), standard=STD.replace(timezone=tz))


_VISIT_KINDS = frozenset(
    {ReminderKind.DAY_OF_CONFIRMATION, ReminderKind.CALL_AHEAD, ReminderKind.DEPARTURE}
)


@settings(max_examples=60)
@given(histories())
def test_every_export_of_every_revision_keeps_uid_and_raises_sequence_on_any_change(
    order: Order,
) -> None:
    seen: dict[str, tuple[int, tuple[float, float, str]]] = {}
    uids: set[str] = set()
    for n in range(1, len(order.events) + 1):
        prefix = attrs.evolve(order, events=order.events[:n])
        visit = visit_of(prefix)
        if visit is None:
            continue
        for name, export in EXPORTS.items():
            data = export(prefix)
            assert_well_formed(data)
            assert not any(p.encode() in data for p in PERSONAL), name  # G1 by default
            event = vevent(data)
            uids.add(str(event["UID"]))
            shown = (event.start.timestamp(), event.end.timestamp(), str(event["STATUS"]))
            sequence = int(event["SEQUENCE"])
            if name in seen:
                was, before = seen[name]
                assert sequence >= was, f"{name}: SEQUENCE went down"
                if shown != before:
                    assert sequence > was, f"{name}: {before} -> {shown}, SEQUENCE kept"
            seen[name] = (sequence, shown)
            alarms = event.walk("VALARM")
            if visit.cancelled or visit.outcome is not None:
                assert alarms == [], f"{name}: an alarm for a withdrawn or done visit"
        # The alarms of each technician's feed are that technician's plan, to the second.
        for tech in (T7, T8):
            entry = vevent(feed(tech, [prefix], *_EVER))
            fires = sorted(
                round(entry.start.timestamp() + a["TRIGGER"].dt.total_seconds())
                for a in entry.walk("VALARM")
            )
            due = sorted(
                round(r.due.timestamp())
                for r in plan(prefix, technician=tech.id)
                if r.kind in _VISIT_KINDS
            )
            assert fires == due
            if visit.cancelled:
                assert due == []  # the plan reminds of no withdrawn visit either
    assert len(uids) <= 1


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


def test_G1_a_long_note_iswritten_whole_and_the_outcome_after_it() -> None:
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


# --- alarms: exact time across a change of summer time ---------------------------------------


def test_T2_a_departure_a_day_ahead_fires_at_the_plans_instant_across_a_DST_change() -> None:
    ny = "America/New_York"
    t = pendulum.datetime(2026, 3, 1, 10, tz=ny)
    start = pendulum.datetime(2026, 3, 8, 12, tz=ny)  # the day summer time starts
    order = Order(
        "WO-1",
        (
            ev("accepted", t, tier="gold", order_kind="install"),
            span("booked", t.add(minutes=5), start, start.add(hours=4)),
        ),
        standard=STD.replace(timezone=ny),
    )
    travel = dt.timedelta(hours=23, minutes=55)
    data = feed(T8, [order], t, t.add(days=30), travel=travel)
    (departure,) = plan(order, technician="T8", travel=travel)
    (alarm,) = vevent(data).walk("VALARM")
    # -P1DT5M would be a nominal day (RFC 5545 3.3.6): 12:00 EST the day before, an hour
    # after the plan's instant, which is 24 h 5 min of exact time before the visit.
    assert b"\r\nTRIGGER:-PT24H5M\r\n" in data
    assert alarm["TRIGGER"].dt == -(travel + dt.timedelta(minutes=10))
    assert start.timestamp() - departure.due.timestamp() == travel.total_seconds() + 600
    assert_well_formed(data)


# --- time zones: exactly the TZIDs used ------------------------------------------------------


@pytest.mark.parametrize("zone", ["Etc/UTC", "Zulu", "GMT", "UCT", "Etc/GMT"])
def test_a_standard_in_UTC_by_another_name_writes_UTC_and_no_VTIMEZONE(zone: str) -> None:
    t = pendulum.datetime(2026, 11, 24, 10, tz=zone)
    order = Order(
        "WO-1",
        (span("booked", t, t.add(days=2), t.add(days=2, hours=4)),),
        standard=STD.replace(timezone=zone),
    )
    for export in EXPORTS.values():
        data = export(order)
        assert b"VTIMEZONE" not in data
        assert re.search(rb"DTSTART:\d{8}T\d{6}Z\r\n", data)
        assert_well_formed(data)


@pytest.mark.parametrize("zone", ["Europe/Berlin", "America/New_York", "Europe/London"])
def test_an_integratorsown_calendar_reads_right_in_vobject_in_every_month(zone: str) -> None:
    # vobject keeps the first VTIMEZONE it reads per TZID for the whole process: the
    # zones here are read by this test only.
    std = STD.replace(timezone=zone)
    for month in range(1, 13):
        t = pendulum.datetime(2026, month, 1, 10, tz=zone)
        start = pendulum.datetime(2026, month, 15, 12, tz=zone)
        order = Order("WO-1", (span("booked", t, start, start.add(hours=4)),), standard=std)
        data = own_calendar(order)
        assert_well_formed(data)
        parsed = vobject.readOne(data.decode()).vevent
        assert parsed.dtstart.value.timestamp() == start.timestamp(), month


def test_add_timezones_refuses_what_is_not_a_calendar() -> None:
    with pytest.raises(fs.InvalidInput, match=r"icalendar\.Calendar"):
        add_timezones("BEGIN:VCALENDAR")  # type: ignore[arg-type]


# --- the command line: a calendar to stdout ---------------------------------------------------


def test_cli_ics_to_stdout_keeps_characters_split_between_chunks() -> None:
    # write_ical copies its spool in 64 KiB chunks; one may end inside a character.
    out = io.StringIO()
    binary = _outputs.BinaryOut(out)
    data = "装机：宽带".encode()
    for i in range(len(data)):
        binary.write(data[i : i + 1])
    assert out.getvalue() == "装机：宽带"


def test_cli_ics_to_stdout_writes_the_file_a_large_export_writes(
    tmp_path: pytest.TempPathFactory,
) -> None:
    import json

    from fieldservice.synthetic import synthetic_order

    base = [json.loads(synthetic_order(seed).to_json(include_personal=True)) for seed in range(200)]
    orders = [fs.WorkOrder.from_dict(o) for o in base]
    path = tmp_path / "orders.jsonl"  # type: ignore[operator]
    # The first visit's order ID moves every later byte: pad it until a 64 KiB chunk of
    # the entries ends inside a character, so that the test exercises what failed.
    assert visit_of(orders[1]) is not None  # order 0 is never booked
    for pad in range(60):
        base[1]["id"] = "WO-" + "X" * pad
        orders[1] = fs.WorkOrder.from_dict(base[1])
        expected = to_ical(orders, itip=False)
        entries = expected[expected.index(b"BEGIN:VEVENT") :]
        if any(0x80 <= entries[k] < 0xC0 for k in range(65536, len(entries), 65536)):
            break
    else:
        pytest.fail("no padding puts a chunk boundary inside a character")
    path.write_text("".join(json.dumps(o, ensure_ascii=False) + "\n" for o in base))
    out = io.StringIO()
    assert cli.main(["ics", str(path), "-o", "-", "--plain", "--quiet"], out=out) == 0
    assert out.getvalue().encode() == expected


# --- the day plan's feed (M2) -----------------------------------------------------------------


def test_M2_only_the_contacts_day_plan_feed_calls_the_customer() -> None:
    from _planning_days import DAY, line, member, order, places, team

    from fieldservice.planning import plan_day

    orders = [order("A")]
    p = plan_day(
        orders,
        team(member("T1"), member("T2")),
        DAY,
        travel=line({"depot": 0, "A": 20}),
        places=places(["A"]),
        solver="greedy",
        crew={"A": 2},
    )
    feeds = {}
    for route in p.routes:
        (stop,) = route.stops
        (entry,) = icalendar.Calendar.from_ical(p.to_ical(route.technician)).walk("VEVENT")
        (alarm,) = entry.walk("VALARM")
        fires = entry.start + alarm["TRIGGER"].dt
        feeds[stop.contact] = (str(entry["DESCRIPTION"]), str(alarm["DESCRIPTION"]), fires, stop)
    description, reminder, fires, stop = feeds[True]
    assert "call the customer" in description
    assert "(C2)" in reminder
    assert fires == stop.call_at
    description, reminder, fires, stop = feeds[False]
    assert "call the customer at" not in description
    assert "Call the customer" not in reminder
    assert "(T2)" in reminder
    assert fires == stop.depart


# --- the third probe: write_ical's arguments, the tier the events know -----------------------


def _booked_order() -> fs.WorkOrder:
    order = fs.WorkOrder.install(
        id="WO-1", customer=CUSTOMER, products={"broadband"}, accepted_at=at(24, 10), by="desk-1"
    )
    order.check_resources(True, at=at(24, 10, 1), by="desk-1")
    order.book(fs.AppointmentWindow(dt.date(2026, 11, 26), "afternoon"), at=at(24, 10, 5), by="d")
    order.assign([T7], contact=T7, at=at(24, 11), by="dispatch-1")
    return order


@pytest.mark.parametrize("old", ["include_secret", "include_secrets"])
def test_G1_write_ical_takes_the_old_spellings_with_a_warning_as_to_ical_does(old: str) -> None:
    order = _booked_order()
    out = io.BytesIO()
    with pytest.warns(DeprecationWarning, match=old):
        fs.calendar.write_ical([order], out, **{old: True})
    with pytest.warns(DeprecationWarning, match=old):
        expected = to_ical([order], **{old: True})
    assert out.getvalue() == expected
    assert CUSTOMER.name.reveal() in out.getvalue().decode()


@pytest.mark.parametrize("target", ["out.ics", io.StringIO(), None, 3])
def test_regression_write_ical_refuses_what_is_not_a_binary_file(target: object) -> None:
    with pytest.raises(fs.InvalidInput, match="binary file object") as err:
        fs.calendar.write_ical([_booked_order()], target)  # type: ignore[arg-type]
    assert err.value.code == "invalid_input"
    if isinstance(target, io.StringIO):
        assert target.getvalue() == ""


def test_G3_the_calendar_shows_the_tier_the_order_s_events_know() -> None:
    order = _booked_order()
    assert order.tier is fs.Tier.GOLD
    order.change_tier("diamond", at=at(24, 12), by="desk-1")
    assert order.tier is fs.Tier.DIAMOND
    (entry,) = icalendar.Calendar.from_ical(to_ical([order])).walk("VEVENT")
    assert str(entry["X-FIELDSERVICE-TIER"]) == "diamond"
    assert CUSTOMER.tier is fs.Tier.GOLD  # the customer record is not what the order knows
